//! A direct JSON writer for the reports whose shape is fixed (the files of
//! `--format json`): the bytes serde_json's pretty printer writes, without
//! going through its serializer. Strings are escaped as serde_json escapes
//! them, copying runs of plain bytes at once; the tests compare with
//! serde_json on generated strings and on every character below U+0080.

/// 0x01 in every byte of a word.
const LO: u64 = 0x0101_0101_0101_0101;
/// 0x80 in every byte of a word.
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of the eight in `w` is one serde_json escapes: a
/// control character (below 0x20), `"` or `\`. Exact: the lowest byte that
/// matches always sets its mark (a borrow only runs upwards from a match, so
/// it can add marks above one, never take one away, and a word without any
/// match borrows nowhere).
#[inline(always)]
fn needs_escape(w: u64) -> bool {
    let control = w.wrapping_sub(LO * 0x20) & !w;
    let q = w ^ (LO * b'"' as u64);
    let quote = q.wrapping_sub(LO) & !q;
    let b = w ^ (LO * b'\\' as u64);
    let backslash = b.wrapping_sub(LO) & !b;
    (control | quote | backslash) & HI != 0
}

/// serde_json's escape of each byte: 0 for none, `u` for `\u00XX`, else the
/// letter after the backslash (serde_json's `ESCAPE` table).
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// Appends `s` as a JSON string (quotes included), escaped as serde_json escapes it.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    // `b[start..i]` is the run of plain bytes not yet copied.
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if let Some(words) = b.get(i..i + 16) {
            let w = u64::from_le_bytes(words[..8].try_into().expect("eight bytes"));
            let v = u64::from_le_bytes(words[8..].try_into().expect("eight bytes"));
            // Sixteen bytes at or above 0x80 (Chinese text) are all plain.
            if w & v & HI == HI || !(needs_escape(w) || needs_escape(v)) {
                i += 16;
                continue;
            }
        }
        if let Some(word) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            if !needs_escape(w) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let e = ESCAPE[c as usize];
        i += 1;
        if e == 0 {
            continue;
        }
        out.extend_from_slice(&b[start..i - 1]);
        start = i;
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(c >> 4) as usize], HEX[(c & 0xF) as usize]]);
        } else {
            out.extend_from_slice(&[b'\\', e]);
        }
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// Appends the decimal digits of `n`.
pub fn uint(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(super::graphical::digits(n, &mut [0; 20]).as_bytes());
}

/// serde_json's pretty layout (two-space indent) with every line starting
/// `depth` spaces further in, written as the values come.
pub struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    /// Spaces before the next element or key.
    indent: usize,
    /// Whether the open array or object has no element yet.
    first: bool,
}

impl<'a> Pretty<'a> {
    /// A writer whose first value starts `depth` spaces in (the spaces are written).
    pub fn new(out: &'a mut Vec<u8>, depth: usize) -> Pretty<'a> {
        spaces(out, depth);
        Pretty {
            out,
            indent: depth,
            first: false,
        }
    }

    fn open(&mut self, mark: u8) {
        self.out.push(mark);
        self.indent += 2;
        self.first = true;
    }

    fn close(&mut self, mark: u8) {
        self.indent -= 2;
        if !self.first {
            self.out.push(b'\n');
            spaces(self.out, self.indent);
        }
        self.out.push(mark);
        // The enclosing array or object holds this one.
        self.first = false;
    }

    fn next_line(&mut self) {
        // `,\n` and the spaces, or without the comma for the first element.
        let (from, end) = (self.first as usize, 2 + self.indent);
        match LINE.get(from..end) {
            Some(line) => self.out.extend_from_slice(line),
            None => {
                self.out.extend_from_slice(&LINE[from..2]);
                spaces(self.out, self.indent);
            }
        }
        self.first = false;
    }

    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// Starts an element of the open array.
    pub fn element(&mut self) {
        self.next_line();
    }

    /// Starts a value in the open object: `key` is the key as [`key!`]
    /// writes it (`"name": `).
    pub fn key(&mut self, key: &str) {
        debug_assert!(key.starts_with('"') && key.ends_with("\": "));
        debug_assert!(key[1..key.len() - 3].bytes().all(|c| ESCAPE[c as usize] == 0));
        self.next_line();
        self.out.extend_from_slice(key.as_bytes());
    }

    pub fn str(&mut self, s: &str) {
        string(self.out, s);
    }

    pub fn uint(&mut self, n: u64) {
        uint(self.out, n);
    }

    pub fn bool(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"true" } else { b"false" });
    }

    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// `s` or null.
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }
}

/// A key of an object as [`Pretty::key`] takes it: `key!("path")` is `"path": `
/// (the name plain ASCII, needing no escape).
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\": ")
    };
}
pub(crate) use key;

/// `,\n` and the spaces lines start with, for all but the deepest lines.
const LINE: &[u8; 66] = b",\n                                                                ";

fn spaces(out: &mut Vec<u8>, n: usize) {
    const SPACES: &[u8; 64] = b"                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mine(s: &str) -> String {
        let mut out = b"x".to_vec();
        string(&mut out, s);
        String::from_utf8(out[1..].to_vec()).unwrap()
    }

    #[test]
    fn escape_table_is_serde_jsons() {
        for c in (0..0x80u8).map(char::from) {
            assert_eq!(
                mine(&c.to_string()),
                serde_json::to_string(&c.to_string()).unwrap(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn every_ascii_character_at_every_place_of_a_word() {
        // Each character below U+0080, and some beyond, at each position of
        // texts long enough to be read by words, among plain and wide characters.
        let fills = ["a", "中", "é", "😀", "\u{7f}"];
        let mut extra: Vec<char> = (0..0x80u8).map(char::from).collect();
        extra.extend(['\u{80}', '\u{a2}', '\u{dc}', '\u{2028}', '中', '😀']);
        for fill in fills {
            for len in 0..20 {
                let base: Vec<&str> = std::iter::repeat_n(fill, len).collect();
                for at in 0..=len {
                    for &c in &extra {
                        let mut s = base[..at].concat();
                        s.push(c);
                        s.push_str(&base[at..].concat());
                        assert_eq!(mine(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn needs_escape_finds_each_byte_in_each_position() {
        for byte in 0..=255u8 {
            for pos in 0..8 {
                for fill in [b'a', 0x80, 0xE4, 0xFF, 0x7F, 0x20, 0x23, 0x5D] {
                    let mut w = [fill; 8];
                    w[pos] = byte;
                    let expect = w.iter().any(|&c| ESCAPE[c as usize] != 0);
                    assert_eq!(needs_escape(u64::from_le_bytes(w)), expect, "{w:?}");
                }
            }
        }
    }

    #[test]
    fn uint_is_display() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            uint(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    proptest! {
        #[test]
        fn strings_escape_as_serde_json_escapes_them(s in "(?s).{0,80}") {
            prop_assert_eq!(mine(&s), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn ascii_and_controls_escape_as_serde_json_escapes_them(s in "[\\x00-\\x7f中“”]{0,64}") {
            prop_assert_eq!(mine(&s), serde_json::to_string(&s).unwrap());
        }
    }
}
