//! PDF (stub).
use super::{Decoded, InputError};
pub fn read(_bytes: &[u8]) -> Result<Decoded, InputError> {
    Err(InputError::PdfNoText)
}
