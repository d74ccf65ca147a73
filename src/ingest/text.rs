//! Plain text: bytes to text. Reports arrive as UTF-8 (with or without a BOM), as
//! GB18030/GBK from older Windows tools, or occasionally as UTF-16. The
//! decoder picks the encoding, refuses binary and undecodable files with one
//! clear line, and remembers what it found so that `--fix` can write the file
//! back the way it came.

use super::{Decoded, InputError, SourceFormat};
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// The encoding a text was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8 { bom: bool },
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl SourceEncoding {
    pub fn name(&self) -> &'static str {
        match self {
            SourceEncoding::Utf8 { bom: false } => "UTF-8",
            SourceEncoding::Utf8 { bom: true } => "UTF-8 (BOM)",
            SourceEncoding::Gb18030 => "GB18030",
            SourceEncoding::Utf16Le => "UTF-16LE",
            SourceEncoding::Utf16Be => "UTF-16BE",
        }
    }

    /// Encode `text` back to this encoding (BOM included when there was one).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        match self {
            SourceEncoding::Utf8 { bom } => {
                let mut out = Vec::with_capacity(text.len() + 3);
                if *bom {
                    out.extend_from_slice(b"\xEF\xBB\xBF");
                }
                out.extend_from_slice(text.as_bytes());
                out
            }
            SourceEncoding::Gb18030 => GB18030.encode(text).0.into_owned(),
            SourceEncoding::Utf16Le | SourceEncoding::Utf16Be => {
                let le = matches!(self, SourceEncoding::Utf16Le);
                let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
                for unit in text.encode_utf16() {
                    let b = if le { unit.to_le_bytes() } else { unit.to_be_bytes() };
                    out.extend_from_slice(&b);
                }
                out
            }
        }
    }
}

/// Decode raw bytes into text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let encoding = if enc == UTF_16LE {
            SourceEncoding::Utf16Le
        } else if enc == UTF_16BE {
            SourceEncoding::Utf16Be
        } else {
            SourceEncoding::Utf8 { bom: true }
        };
        let text = enc
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or(InputError::Undecodable(bom_len))?
            .into_owned();
        return finish(text, encoding);
    }
    if looks_binary(bytes) {
        return Err(InputError::Binary);
    }
    // SIMD validation for the usual case; the standard one says where a
    // file stops being UTF-8.
    let utf8 = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
    match utf8 {
        Ok(text) => finish(text.to_owned(), SourceEncoding::Utf8 { bom: false }),
        Err(utf8_err) => {
            // Not UTF-8: the other encoding Chinese offices use is GB18030 (a
            // superset of GBK and GB2312). Without replacement, so that a file
            // in some third encoding is refused instead of linted as garbage.
            match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) if plausible_chinese(&text) => finish(text.into_owned(), SourceEncoding::Gb18030),
                _ => Err(InputError::Undecodable(utf8_err.valid_up_to())),
            }
        }
    }
}

fn finish(text: String, encoding: SourceEncoding) -> Result<Decoded, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(InputError::Binary);
    }
    Ok(Decoded {
        text,
        encoding,
        format: SourceFormat::Text,
        writable: true,
        source_map: None,
    })
}

/// NUL bytes or many control bytes in the first 8 KiB mean a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    stray_controls(head) * 20 > head.len()
}

/// How many bytes of `head` are stray control bytes: branch-free and
/// counted in bytes per chunk, so that the count runs on vectors (a `usize`
/// per byte does not); 240 bytes, a multiple of the vector width, leave no
/// scalar tail inside the head.
fn stray_controls(head: &[u8]) -> usize {
    head.chunks(240)
        .map(|chunk| {
            let in_chunk: u8 = chunk.iter().map(|&b| u8::from(is_stray_control(b))).sum();
            usize::from(in_chunk)
        })
        .sum()
}

fn is_stray_control(b: u8) -> bool {
    (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c)
}

/// GB18030 decodes almost any byte soup; accept it only when the result is
/// mostly CJK text, punctuation, ASCII and whitespace.
fn plausible_chinese(text: &str) -> bool {
    let mut good = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_ascii() || is_cjk(c) || is_cjk_punct(c) || c.is_whitespace() {
            good += 1;
        }
    }
    total > 0 && good * 100 >= total * 95
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}

pub fn is_cjk_punct(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '\u{2010}'..='\u{2027}' | '\u{2460}'..='\u{24ff}' | '\u{2160}'..='\u{217f}' | '·' | '×' | '÷' | '°' | '℃' | '±')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let d = decode("一、主要举措".as_bytes()).unwrap();
        assert_eq!(d.encoding, SourceEncoding::Utf8 { bom: false });
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("一、主要举措".as_bytes());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "一、主要举措");
        assert_eq!(d.encoding, SourceEncoding::Utf8 { bom: true });
        assert_eq!(d.encoding.encode(&d.text), bytes);
    }

    #[test]
    fn gb18030_is_detected_and_round_trips() {
        let text = "关于2023年法治政府建设情况的报告\r\n一、主要举措和成效\r\n";
        let bytes = GB18030.encode(text).0.into_owned();
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, SourceEncoding::Gb18030);
        assert_eq!(d.text, text);
        assert_eq!(d.encoding.encode(&d.text), bytes);
    }

    #[test]
    fn utf16_with_bom() {
        let enc = SourceEncoding::Utf16Le;
        let bytes = enc.encode("二、第一责任人");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "二、第一责任人");
        assert_eq!(d.encoding, enc);
    }

    #[test]
    fn empty_binary_and_garbage_are_refused() {
        assert_eq!(decode(b"").unwrap_err(), InputError::Empty);
        assert_eq!(decode(b"  \n\r\n ").unwrap_err(), InputError::Empty);
        assert_eq!(decode(b"PK\x03\x04\x00\x00binary").unwrap_err(), InputError::Binary);
        let garbage: Vec<u8> = (0..400u32).map(|i| (i * 37 % 97 + 0x80) as u8).collect();
        assert!(matches!(decode(&garbage), Err(InputError::Undecodable(_))));
    }

    #[test]
    fn control_bytes_beyond_one_in_twenty_mean_binary() {
        // Counted in chunks: the threshold must hold across them,
        // with line breaks, tabs and form feeds never counted.
        for len in [40usize, 255, 256, 1000, 8192, 9000] {
            let allowed = len.min(8192) / 20;
            let with = |controls: usize| -> Vec<u8> {
                let mut b: Vec<u8> = (0..len).map(|i| if i % 7 == 0 { b'\n' } else { b'a' }).collect();
                for k in 0..controls {
                    b[k * len.min(8192) / (controls + 1)] = 0x01;
                }
                b
            };
            assert!(!looks_binary(&with(allowed)), "{len}: {allowed} controls");
            assert!(looks_binary(&with(allowed + 1)), "{len}: {} controls", allowed + 1);
        }
        let ordinary: Vec<u8> = b"\t\r\n\x0c ab".iter().copied().cycle().take(5000).collect();
        assert!(!looks_binary(&ordinary));
    }

    #[test]
    fn chunked_count_is_the_plain_count() {
        // Every length around the chunk edges, every byte value, and chunks
        // filled to their limit.
        let bytes: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        for len in (0..100).chain(230..250).chain(470..490).chain([8160, 8192, 20_000]) {
            let head = &bytes[..len];
            assert_eq!(
                stray_controls(head),
                head.iter().filter(|&&b| is_stray_control(b)).count(),
                "{len}"
            );
            let all = vec![1u8; len];
            assert_eq!(stray_controls(&all), len);
        }
    }
}
