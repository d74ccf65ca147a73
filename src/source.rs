//! Byte spans and the line index that turns them into 1-based lines and
//! columns. Every node and finding carries a byte span into the decoded text;
//! lines and columns (counted in characters) are computed only at the edge.

use serde::Serialize;

/// The length in bytes of the UTF-8 character whose first byte is `lead`.
#[inline]
pub fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// A half-open byte range `[start, end)` in the decoded UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// The span shifted by `offset` bytes (for matches found in a sub-slice).
    pub const fn shifted(&self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(s: pest::Span<'_>) -> Self {
        Span::new(s.start(), s.end())
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.start, s.len()).into()
    }
}

/// A 1-based line and character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line, for offset → line/column lookups.
///
/// Columns are counted in characters. For offsets far from their line start
/// (a converter's 10 MB line without breaks) a table of character counts at
/// every [`CHECKPOINT`] bytes, built once on first use, keeps each lookup
/// bounded, so resolving many findings on one long line stays linear.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `chars[i]`: characters in `text[..i * CHECKPOINT]` (counted as bytes that
    /// do not continue a UTF-8 sequence, so any byte position is fine).
    chars: std::sync::OnceLock<Vec<usize>>,
}

/// Byte distance between character-count checkpoints.
const CHECKPOINT: usize = 256;

/// Characters starting in `bytes` (UTF-8 lead bytes and ASCII).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 64 + 1);
        starts.push(0);
        if memchr::memchr(b'\r', bytes).is_none() {
            // The common text without carriage returns: a search for one byte.
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
            return LineIndex {
                starts,
                chars: std::sync::OnceLock::new(),
            };
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let lone_cr = bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if bytes[i] == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            chars: std::sync::OnceLock::new(),
        }
    }

    /// Characters in `text[..offset]`, in bounded time once the table exists.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let table = self.chars.get_or_init(|| {
            let mut table = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            let mut total = 0;
            table.push(0);
            for chunk in bytes.chunks(CHECKPOINT) {
                total += count_chars(chunk);
                table.push(total);
            }
            table
        });
        let i = offset / CHECKPOINT;
        table[i] + count_chars(&bytes[i * CHECKPOINT..offset])
    }

    /// End of line `line0`'s content, before its line break.
    pub fn line_end(&self, text: &str, line0: usize) -> usize {
        match self.starts.get(line0 + 1) {
            None => text.len(),
            Some(&next) => {
                let bytes = text.as_bytes();
                if next >= 2 && bytes[next - 2] == b'\r' && bytes[next - 1] == b'\n' {
                    next - 2
                } else {
                    next - 1
                }
            }
        }
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line0: usize) -> usize {
        self.starts[line0]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line0 = self.line_of(offset);
        let start = self.starts[line0];
        let column = if offset - start <= CHECKPOINT {
            count_chars(&text.as_bytes()[start..offset]) + 1
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start) + 1
        };
        Position {
            line: line0 + 1,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_len_is_the_length_of_every_character() {
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            let mut b = [0; 4];
            assert_eq!(utf8_len(c.encode_utf8(&mut b).as_bytes()[0]), c.len_utf8(), "{c:?}");
        }
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "一、标题\r\n（一）正文，第二行\n末行";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let off = text.find("正文").unwrap();
        assert_eq!(idx.position(text, off), Position { line: 2, column: 4 });
        let off = text.find("末行").unwrap();
        assert_eq!(idx.position(text, off), Position { line: 3, column: 1 });
    }

    #[test]
    fn positions_on_a_long_line_use_the_checkpoint_table() {
        let text = format!("首行\n{}", "甲a，".repeat(5000));
        let idx = LineIndex::new(&text);
        for (off, _) in text.char_indices().step_by(97) {
            let line0 = idx.line_of(off);
            let naive = text[idx.line_start(line0)..off].chars().count() + 1;
            assert_eq!(idx.position(&text, off).column, naive, "offset {off}");
        }
        assert_eq!(idx.position(&text, text.len()).column, 3 * 5000 + 1);
    }

    /// The index of a text without carriage returns (the fast path) is the
    /// one the general loop builds.
    #[test]
    fn line_starts_agree_with_and_without_carriage_returns() {
        for text in [
            "",
            "\n",
            "甲",
            "甲\n乙\n\n丙",
            "\n\n",
            "a\nb\n",
            "一、标题\n（一）正文\n末行",
        ] {
            let with_cr = format!("{text}\r");
            let fast = LineIndex::new(text).starts;
            let general = LineIndex::new(&with_cr).starts;
            // The trailing lone \r adds one line start at the very end.
            assert_eq!(fast[..], general[..general.len() - 1], "{text:?}");
            assert_eq!(*general.last().unwrap(), with_cr.len());
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let text = "甲\r乙\r\n丙\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let ends: Vec<&str> = (0..4)
            .map(|l| &text[idx.line_start(l)..idx.line_end(text, l)])
            .collect();
        assert_eq!(ends, vec!["甲", "乙", "丙", ""]);
    }
}
