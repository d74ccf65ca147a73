//! HTML (stub).
use super::{Decoded, InputError};
pub fn read(bytes: &[u8]) -> Result<Decoded, InputError> {
    super::decode(bytes)
}
