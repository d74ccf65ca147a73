//! Reading parts out of a zip package without trusting it: the entry count,
//! each part's decompressed size and the total are capped while reading (the
//! sizes a zip declares are not believed), so a zip bomb costs at most the
//! cap in memory and time.

use super::InputError;
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// Most entries a Word package may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest decompressed XML part we read.
pub const MAX_PART_BYTES: u64 = 48 * 1024 * 1024;

pub struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, InputError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        if archive.len() > MAX_ENTRIES {
            return Err(InputError::CorruptDocx(format!(
                "压缩包内有 {} 个条目，过多",
                archive.len()
            )));
        }
        Ok(Package { archive })
    }

    pub fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// The decompressed bytes of `name`, or `None` when there is no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, InputError> {
        let mut file = match self.archive.by_name(name) {
            Ok(f) => f,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(zip_error(e)),
        };
        if file.encrypted() {
            return Err(InputError::Encrypted);
        }
        let mut out = Vec::with_capacity(file.size().min(1024 * 1024) as usize);
        (&mut file)
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| InputError::CorruptDocx(format!("{name} 解压失败（{e}）")))?;
        if out.len() as u64 > MAX_PART_BYTES {
            return Err(InputError::Bomb {
                part: name.to_string(),
                limit: MAX_PART_BYTES,
            });
        }
        Ok(Some(out))
    }
}

fn zip_error(e: ZipError) -> InputError {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => InputError::Encrypted,
        ZipError::Io(e) => InputError::CorruptDocx(format!("压缩包读取失败（{e}）")),
        ZipError::InvalidArchive(why) => InputError::CorruptDocx(format!("压缩包结构无效（{why}）")),
        ZipError::UnsupportedArchive(why) => InputError::CorruptDocx(format!("不支持的压缩方式（{why}）")),
        other => InputError::CorruptDocx(other.to_string()),
    }
}
