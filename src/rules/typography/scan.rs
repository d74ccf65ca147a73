//! Cheap ways to find the few places of a text the typography rules look at.
//!
//! [`ByteSet`]: the positions of a small set of bytes (the first bytes of the
//! marks a rule looks for), found with `memchr3` instead of decoding every
//! character. [`Gate`]: what the syntax of a table pattern tells about where
//! its matches can lie, so that the pattern runs only on the few stretches
//! of a text that may hold a match, with exactly the matches of a search
//! over the whole text.

use crate::lazy_regex::LazyRegex;
use crate::source::utf8_len;
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The positions in a text of a set of bytes, in increasing order.
#[derive(Debug, Clone)]
pub struct ByteSet {
    table: [bool; 256],
    bytes: Vec<u8>,
    /// For sets made from characters: the last bytes of their encodings,
    /// which [`ByteSet::positions`] checks to pass over other characters
    /// that start with the same byte.
    last: Option<Box<[bool; 256]>>,
    /// ... and the pairs of first and last bytes, as a bitmap.
    ends: Option<Box<[u64; 1024]>>,
}

/// More bytes than this are searched with the table, not with `memchr3`.
const MAX_MEMCHR_BYTES: usize = 9;

impl ByteSet {
    pub fn new(bytes: impl IntoIterator<Item = u8>) -> ByteSet {
        let mut table = [false; 256];
        for b in bytes {
            table[usize::from(b)] = true;
        }
        let bytes = (0..=255u8).filter(|&b| table[usize::from(b)]).collect();
        ByteSet {
            table,
            bytes,
            last: None,
            ends: None,
        }
    }

    /// The first bytes of the UTF-8 encodings of `chars`: every one of the
    /// chars starts at one of these bytes, and as they are never continuation
    /// bytes, every position found is a character boundary.
    pub fn first_bytes_of(chars: impl IntoIterator<Item = char>) -> ByteSet {
        let chars: Vec<char> = chars.into_iter().collect();
        let mut set = ByteSet::new(chars.iter().map(|c| c.encode_utf8(&mut [0u8; 4]).as_bytes()[0]));
        let mut last = [false; 256];
        let mut ends = Box::new([0u64; 1024]);
        for c in &chars {
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let (a, z) = (usize::from(enc[0]), usize::from(enc[enc.len() - 1]));
            last[z] = true;
            ends[(a * 256 + z) / 64] |= 1 << ((a * 256 + z) % 64);
        }
        set.last = Some(Box::new(last));
        set.ends = Some(ends);
        set
    }

    pub fn contains(&self, b: u8) -> bool {
        self.table[usize::from(b)]
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether `hay` holds any of the bytes.
    pub fn any_in(&self, hay: &[u8]) -> bool {
        let mut found = false;
        self.each(hay, |_| {
            found = true;
            false
        });
        found
    }

    /// Every position of one of the bytes in `hay`, in increasing order;
    /// for a set made from characters ([`ByteSet::first_bytes_of`]), only
    /// where the character there also ends with the last byte of one of them
    /// (`hay` must then be UTF-8).
    pub fn positions(&self, hay: &[u8]) -> Vec<usize> {
        let mut out = Vec::with_capacity(hay.len() / 32);
        match &self.last {
            None => self.each(hay, |p| {
                out.push(p);
                true
            }),
            Some(last) => {
                let ends = self.ends.as_deref().expect("made with `last`");
                self.each(hay, |p| {
                    let len = utf8_len(hay[p]);
                    if let Some(&z) = hay.get(p + len - 1) {
                        let k = usize::from(hay[p]) * 256 + usize::from(z);
                        if last[usize::from(z)] && ends[k / 64] & (1 << (k % 64)) != 0 {
                            out.push(p);
                        }
                    }
                    true
                })
            }
        }
        out
    }

    /// Calls `f` with every position of one of the bytes in `hay`, in
    /// increasing order, while `f` returns `true`.
    pub fn each(&self, hay: &[u8], mut f: impl FnMut(usize) -> bool) {
        let b = &self.bytes;
        match b.len() {
            0 => {}
            1 => {
                for p in memchr::memchr_iter(b[0], hay) {
                    if !f(p) {
                        return;
                    }
                }
            }
            2 => {
                for p in memchr::memchr2_iter(b[0], b[1], hay) {
                    if !f(p) {
                        return;
                    }
                }
            }
            3 => {
                for p in memchr::memchr3_iter(b[0], b[1], b[2], hay) {
                    if !f(p) {
                        return;
                    }
                }
            }
            n if n <= 6 => {
                // Two `memchr3` searches, merged in order.
                let at = |i: usize| b[i.min(n - 1)];
                let mut one = memchr::memchr3_iter(b[0], b[1], b[2], hay);
                let mut two = memchr::memchr3_iter(at(3), at(4), at(5), hay);
                let (mut x, mut y) = (one.next(), two.next());
                loop {
                    let p = match (x, y) {
                        (Some(p), Some(q)) if q < p => {
                            y = two.next();
                            q
                        }
                        (Some(p), _) => {
                            x = one.next();
                            p
                        }
                        (None, Some(q)) => {
                            y = two.next();
                            q
                        }
                        (None, None) => return,
                    };
                    if !f(p) {
                        return;
                    }
                }
            }
            n if n <= MAX_MEMCHR_BYTES => {
                // Up to three `memchr3` searches, merged in order.
                let group = |k: usize| {
                    let g = &b[3 * k..b.len().min(3 * k + 3)];
                    let at = |i: usize| g[i.min(g.len() - 1)];
                    memchr::memchr3_iter(at(0), at(1), at(2), hay)
                };
                let groups = n.div_ceil(3);
                let mut iters: [Option<memchr::Memchr3<'_>>; 3] =
                    std::array::from_fn(|k| (k < groups).then(|| group(k)));
                let mut heads: [Option<usize>; 3] = std::array::from_fn(|k| iters[k].as_mut().and_then(Iterator::next));
                loop {
                    let mut best: Option<(usize, usize)> = None;
                    for (k, h) in heads.iter().enumerate() {
                        if let Some(p) = *h {
                            if best.is_none_or(|(_, q)| p < q) {
                                best = Some((k, p));
                            }
                        }
                    }
                    let Some((k, p)) = best else { return };
                    heads[k] = iters[k].as_mut().and_then(Iterator::next);
                    if !f(p) {
                        return;
                    }
                }
            }
            _ => {
                for (p, &x) in hay.iter().enumerate() {
                    if self.table[usize::from(x)] && !f(p) {
                        return;
                    }
                }
            }
        }
    }
}

/// Which of the typography rules' sets of marks a character belongs to,
/// as bits: `1 << MarkTable::HALFWIDTH` and the others.
#[derive(Debug, Clone)]
pub struct MarkTable {
    /// For each byte that starts a character: the length of its encoding,
    /// plus [`MarkTable::CHECK`] when a member starts with that byte.
    step: [u8; 256],
    /// The bits of each ASCII character.
    ascii: [u8; 128],
    /// The bits of each character of the Basic Multilingual Plane beyond
    /// ASCII (where the marks of Chinese text lie).
    bmp: Box<[u8]>,
    /// Members beyond it, with their bits, sorted.
    astral: Vec<(char, u8)>,
}

/// The positions of the marks of each set in one text, in increasing order:
/// `sets[k]` for the set of bit `1 << k`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkPositions {
    pub sets: [Vec<usize>; MarkTable::SETS],
}

impl MarkTable {
    pub const SETS: usize = 4;
    /// The marks of `halfwidth-punctuation` (`halfwidth`, `period`, `quotes`).
    pub const HALFWIDTH: usize = 0;
    /// The paired marks of `unpaired-mark`, with their other spellings.
    pub const PAIRS: usize = 1;
    /// The marks of `repeated-punctuation`.
    pub const REPEATED: usize = 2;
    /// The spaces of `cjk-spacing`.
    pub const SPACES: usize = 3;
    const CHECK: u8 = 8;

    /// `sets[k]`: the characters of set `k`.
    pub fn new(sets: [Vec<char>; MarkTable::SETS]) -> MarkTable {
        let mut step = [0u8; 256];
        for (b, s) in step.iter_mut().enumerate() {
            // Continuation bytes never start a character of valid UTF-8.
            *s = if (0x80..0xc0).contains(&b) {
                1
            } else {
                utf8_len(b as u8) as u8
            };
        }
        let mut ascii = [0u8; 128];
        let mut bmp = vec![0u8; 0x10000].into_boxed_slice();
        let mut astral: Vec<(char, u8)> = Vec::new();
        for (k, set) in sets.iter().enumerate() {
            for &c in set {
                step[usize::from(c.encode_utf8(&mut [0u8; 4]).as_bytes()[0])] |= MarkTable::CHECK;
                let n = u32::from(c) as usize;
                if c.is_ascii() {
                    ascii[n] |= 1 << k;
                } else if n < 0x10000 {
                    bmp[n] |= 1 << k;
                } else {
                    match astral.iter_mut().find(|(x, _)| *x == c) {
                        Some((_, bits)) => *bits |= 1 << k,
                        None => astral.push((c, 1 << k)),
                    }
                }
            }
        }
        astral.sort_unstable();
        MarkTable {
            step,
            ascii,
            bmp,
            astral,
        }
    }

    /// The bits of `c`.
    fn bits(&self, c: char) -> u8 {
        let n = u32::from(c) as usize;
        if c.is_ascii() {
            self.ascii[n]
        } else if n < 0x10000 {
            self.bmp[n]
        } else {
            self.astral
                .binary_search_by_key(&c, |&(x, _)| x)
                .map_or(0, |k| self.astral[k].1)
        }
    }

    /// The marks of every set in `text`, in one walk over it that steps
    /// from character to character by their first bytes and decodes only
    /// those that start with the first byte of a member (Chinese characters
    /// start with other bytes).
    pub fn scan(&self, text: &str) -> MarkPositions {
        // Room for the usual number of marks, so that the lists seldom grow:
        // a point every sixteen bytes or so, the other marks fewer.
        let mut out = MarkPositions {
            sets: std::array::from_fn(|k| {
                Vec::with_capacity(text.len() / if k == MarkTable::REPEATED { 16 } else { 64 })
            }),
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let s = self.step[usize::from(bytes[i])];
            if s & MarkTable::CHECK != 0 {
                let bits = self.bits(char_at(text, i));
                if bits != 0 {
                    for (k, set) in out.sets.iter_mut().enumerate() {
                        if bits & (1 << k) != 0 {
                            set.push(i);
                        }
                    }
                }
            }
            i += usize::from(s & 7);
        }
        out
    }
}

/// What tells, before a pattern runs over a text, where its matches can be.
#[derive(Debug, Clone)]
pub enum Prefilter {
    /// Every match starts with one of these bytes: a text without any of
    /// them holds no match.
    FirstBytes(ByteSet),
    /// The pattern is one character of a small set: its matches are the
    /// occurrences of these characters, each on its own.
    OneOf(OneOf),
}

impl Prefilter {
    /// The prefilter of `pattern`, if its syntax allows one. `None` when the
    /// pattern can match the empty string, or its first characters are not
    /// a short list.
    /// Case-insensitive patterns get none: translating their classes costs
    /// more than it saves (their regex's own guard literals stay).
    pub fn of(pattern: &str) -> Option<Prefilter> {
        let ast = regex_syntax::ast::parse::Parser::new().parse(pattern).ok()?;
        if case_insensitive(&ast) {
            return None;
        }
        let hir = regex_syntax::hir::translate::Translator::new()
            .translate(pattern, &ast)
            .ok()?;
        hir.properties().minimum_len().filter(|&n| n > 0)?;
        if let HirKind::Class(Class::Unicode(cls)) = hir.kind() {
            let set = CharSet::new(cls.ranges().iter().map(|r| (r.start(), r.end())).collect());
            if set.len() <= MAX_REQUIRED {
                return Some(Prefilter::OneOf(OneOf::new(set.chars())));
            }
        }
        let mut ex = Extractor::new();
        ex.kind(ExtractKind::Prefix).limit_class(64).limit_total(512);
        let seq = ex.extract(&hir);
        let lits = seq.literals()?;
        if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
            return None;
        }
        let set = ByteSet::new(lits.iter().map(|l| l.as_bytes()[0]));
        (set.bytes.len() <= MAX_MEMCHR_BYTES).then_some(Prefilter::FirstBytes(set))
    }
}

/// Whether the pattern turns on case-insensitive matching anywhere.
fn case_insensitive(ast: &regex_syntax::ast::Ast) -> bool {
    use regex_syntax::ast::{Ast, Flag, FlagsItemKind};
    let flags_on = |items: &[regex_syntax::ast::FlagsItem]| {
        items
            .iter()
            .any(|i| matches!(i.kind, FlagsItemKind::Flag(Flag::CaseInsensitive)))
    };
    match ast {
        Ast::Flags(f) => flags_on(&f.flags.items),
        Ast::Group(g) => g.flags().is_some_and(|f| flags_on(&f.items)) || case_insensitive(&g.ast),
        Ast::Repetition(r) => case_insensitive(&r.ast),
        Ast::Alternation(a) => a.asts.iter().any(case_insensitive),
        Ast::Concat(c) => c.asts.iter().any(case_insensitive),
        _ => false,
    }
}

/// The occurrences of a small set of characters: ASCII control characters
/// eight bytes at a time, up to three other ASCII characters with `memchr`,
/// other characters with `memmem`.
#[derive(Debug, Clone)]
pub struct OneOf {
    /// ASCII members.
    ascii: [bool; 128],
    /// One more than the largest member below 0x20, if any.
    control_below: u8,
    /// ASCII members from 0x20 on.
    other_ascii: ByteSet,
    /// Members beyond ASCII, found in one pass (`None` when the packed
    /// searcher is not available) ...
    wide_packed: Option<Box<aho_corasick::packed::Searcher>>,
    /// ... or one by one.
    wide: Vec<memchr::memmem::Finder<'static>>,
}

impl OneOf {
    fn new(chars: impl Iterator<Item = char>) -> OneOf {
        let mut ascii = [false; 128];
        let mut control_below = 0u8;
        let mut other = Vec::new();
        let mut wide = Vec::new();
        for c in chars {
            if c.is_ascii() {
                let b = c as u8;
                ascii[usize::from(b)] = true;
                if b < 0x20 {
                    control_below = control_below.max(b + 1);
                } else {
                    other.push(b);
                }
            } else {
                wide.push(memchr::memmem::Finder::new(c.encode_utf8(&mut [0u8; 4]).as_bytes()).into_owned());
            }
        }
        let wide_packed = if wide.len() > 1 {
            let mut packed = aho_corasick::packed::Config::new().builder();
            packed.extend(wide.iter().map(|f| f.needle()));
            packed.build().map(Box::new)
        } else {
            None
        };
        OneOf {
            ascii,
            control_below,
            other_ascii: ByteSet::new(other),
            wide_packed,
            wide,
        }
    }

    /// The spans of the occurrences, in order, as the pattern's `find_iter`
    /// gives them; `None` when there are too many kinds of bytes to be quick.
    pub fn find(&self, hay: &str) -> Option<Vec<(usize, usize)>> {
        if self.other_ascii.bytes.len() > 3 {
            return None;
        }
        let bytes = hay.as_bytes();
        let mut at: Vec<usize> = Vec::new();
        if self.control_below > 0 {
            // A byte below `n` in a word: (x - n·0x01…) & !x & 0x80… is
            // non-zero exactly when one of its bytes is below n (n ≤ 0x80).
            let n = u64::from(self.control_below) * 0x0101_0101_0101_0101;
            let mut chunks = bytes.chunks_exact(8);
            let mut base = 0;
            for chunk in chunks.by_ref() {
                let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                if x.wrapping_sub(n) & !x & 0x8080_8080_8080_8080 != 0 {
                    for (k, &b) in chunk.iter().enumerate() {
                        if b < self.control_below && self.ascii[usize::from(b)] {
                            at.push(base + k);
                        }
                    }
                }
                base += 8;
            }
            for (k, &b) in chunks.remainder().iter().enumerate() {
                if b < self.control_below && self.ascii[usize::from(b)] {
                    at.push(base + k);
                }
            }
        }
        let sorted = at.len();
        self.other_ascii.each(bytes, |p| {
            at.push(p);
            true
        });
        match &self.wide_packed {
            // The members are whole characters: their matches cannot overlap.
            Some(packed) => at.extend(packed.find_iter(bytes).map(|m| m.start())),
            None => {
                for f in &self.wide {
                    at.extend(f.find_iter(bytes));
                }
            }
        }
        if at.len() > sorted {
            at.sort_unstable();
        }
        Some(
            at.into_iter()
                .map(|p| (p, p + hay[p..].chars().next().map_or(1, char::len_utf8)))
                .collect(),
        )
    }
}

/// The part of `positions` (sorted) that lies in `[start, end)`, searched
/// from `*from` on, which moves past it: for spans visited in order, the
/// whole walk is linear.
pub fn within<'a>(positions: &'a [usize], from: &mut usize, start: usize, end: usize) -> &'a [usize] {
    let mut a = *from;
    while a < positions.len() && positions[a] < start {
        a += 1;
    }
    let mut b = a;
    while b < positions.len() && positions[b] < end {
        b += 1;
    }
    *from = b;
    &positions[a..b]
}

/// The character that starts at byte `pos` of `text`.
pub fn char_at(text: &str, pos: usize) -> char {
    text[pos..].chars().next().unwrap_or('\0')
}

/// A set of characters as sorted, disjoint ranges, with a table for ASCII
/// and, for sets beyond ASCII, a bitmap of the Basic Multilingual Plane
/// (where Chinese text lies), so that walking a run of Chinese text costs a
/// lookup per character.
#[derive(Debug, Clone)]
struct CharSet {
    ascii: [bool; 128],
    bmp: Option<Box<[u64; 1024]>>,
    ranges: Vec<(char, char)>,
}

impl CharSet {
    fn new(mut ranges: Vec<(char, char)>) -> CharSet {
        ranges.sort_unstable();
        let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if u32::from(a) <= u32::from(last.1) + 1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut ascii = [false; 128];
        for &(a, b) in &merged {
            for c in u32::from(a)..=u32::from(b).min(127) {
                ascii[c as usize] = true;
            }
        }
        CharSet {
            ascii,
            bmp: None,
            ranges: merged,
        }
    }

    /// The same set with the bitmap made (for sets that are walked over).
    fn with_bitmap(mut self) -> CharSet {
        if self.ranges.last().is_some_and(|r| !r.1.is_ascii()) {
            let mut bits = Box::new([0u64; 1024]);
            for &(a, b) in &self.ranges {
                let (a, b) = (u32::from(a), u32::from(b).min(0xFFFF));
                let mut c = a;
                while c <= b {
                    if c % 64 == 0 && c + 63 <= b {
                        bits[(c / 64) as usize] = u64::MAX;
                        c += 64;
                    } else {
                        bits[(c / 64) as usize] |= 1 << (c % 64);
                        c += 1;
                    }
                }
            }
            self.bmp = Some(bits);
        }
        self
    }

    fn contains(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii[c as usize];
        }
        let n = u32::from(c);
        if let (Some(bits), true) = (&self.bmp, n <= 0xFFFF) {
            return bits[(n / 64) as usize] & (1 << (n % 64)) != 0;
        }
        let i = self.ranges.partition_point(|r| r.1 < c);
        self.ranges.get(i).is_some_and(|r| r.0 <= c)
    }

    fn len(&self) -> usize {
        self.ranges
            .iter()
            .map(|&(a, b)| (u32::from(b) - u32::from(a) + 1) as usize)
            .sum()
    }

    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.ranges.iter().flat_map(|&(a, b)| a..=b)
    }
}

/// Required sets larger than this are not worth checking.
const MAX_REQUIRED: usize = 64;
/// Anchors larger than this are not worth searching for.
const MAX_ANCHOR: usize = 9;

/// What the syntax of a pattern tells about the stretch of text a match
/// lies in. Every match is an optional `head` character followed by a
/// `body` of characters of the body's alphabet only, so the body lies within
/// one maximal run of such characters and the match within that run and the
/// character before it; and the body holds a character of each `required`
/// set.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shortest match, in bytes.
    min_len: usize,
    /// The first character of every match, when it is matched by a class of
    /// its own (`\p{Han}(?P<open>…)…`): the body alphabet then leaves it out.
    head: Option<CharSet>,
    alphabet: CharSet,
    required: Vec<CharSet>,
    /// The ASCII and the other characters of the smallest required set
    /// (the anchor), when it is small: a text without any of them holds no
    /// match.
    anchor: Option<(ByteSet, Vec<char>)>,
}

impl Shape {
    /// The shape of `hir`: `None` when it can match the empty string or
    /// matches arbitrary bytes.
    fn of(hir: &Hir) -> Option<Shape> {
        let min_len = hir.properties().minimum_len().filter(|&n| n > 0)?;
        let (head, body): (Option<CharSet>, &[Hir]) = match peel(hir) {
            Some((head, body)) => (Some(head), body),
            None => (None, std::slice::from_ref(hir)),
        };
        let mut alphabet = Vec::new();
        for h in body {
            collect_alphabet(h, &mut alphabet)?;
        }
        let mut required: Vec<CharSet> = body
            .iter()
            .flat_map(required)
            .filter(|s| s.len() <= MAX_REQUIRED && !s.ranges.is_empty())
            .collect();
        required.sort_by_key(CharSet::len);
        required.truncate(63);
        let anchor = required.first().filter(|s| s.len() <= MAX_ANCHOR).map(|a| {
            (
                ByteSet::new(a.chars().filter(char::is_ascii).map(|c| c as u8)),
                a.chars().filter(|c| !c.is_ascii()).collect(),
            )
        });
        Some(Shape {
            min_len,
            head,
            alphabet: CharSet::new(alphabet).with_bitmap(),
            required,
            anchor,
        })
    }

    /// Whether `hay` may hold a match: it holds a character of the anchor.
    pub fn anchored(&self, hay: &str) -> bool {
        self.anchor
            .as_ref()
            .is_none_or(|(bytes, chars)| bytes.any_in(hay.as_bytes()) || chars.iter().any(|&c| hay.contains(c)))
    }

    /// Whether a match may hold the character at byte `pos` of `hay` (a
    /// character boundary): it is a character of the body, or one of the
    /// head before one of the body.
    pub fn touches(&self, hay: &str, pos: usize) -> bool {
        let Some(c) = hay[pos..].chars().next() else {
            return false;
        };
        self.alphabet.contains(c)
            || self.head.as_ref().is_some_and(|h| h.contains(c))
                && hay[pos + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| self.alphabet.contains(n))
    }

    /// The shape of `pattern`, if its syntax allows one (see [`Shape::of`]).
    pub fn of_pattern(pattern: &str) -> Option<Shape> {
        Shape::of(&regex_syntax::Parser::new().parse(pattern).ok()?)
    }

    /// The maximal run `[start, end)` of body characters around byte `at`
    /// of `hay` (a character boundary; empty when the character there is
    /// not one).
    fn run(&self, hay: &str, at: usize) -> (usize, usize) {
        let mut start = at;
        while let Some(c) = hay[..start].chars().next_back() {
            if !self.alphabet.contains(c) {
                break;
            }
            start -= c.len_utf8();
        }
        let mut end = at;
        while let Some(c) = hay[end..].chars().next() {
            if !self.alphabet.contains(c) {
                break;
            }
            end += c.len_utf8();
        }
        (start, end)
    }

    /// Where the matches whose body lies in the run `[start, end)` lie: from
    /// the character before the run (a head) on.
    fn from(&self, hay: &str, start: usize) -> usize {
        match self.head {
            Some(_) => hay[..start].chars().next_back().map_or(start, |c| start - c.len_utf8()),
            None => start,
        }
    }

    /// The window of the run `[start, end)` (see [`Shape::from`]), if it can
    /// hold a match.
    fn window(&self, hay: &str, start: usize, end: usize) -> Option<(usize, usize)> {
        let from = self.from(hay, start);
        (end > start && end - from >= self.min_len && self.holds_required(&hay[start..end])).then_some((from, end))
    }

    /// The stretch `[from, to)` of `hay` that holds every match holding
    /// byte `pos` (a character boundary), as [`Gate::windows`] would give
    /// it, and whether a match may lie there at all; `None` when no match
    /// can hold `pos`.
    pub fn around(&self, hay: &str, pos: usize) -> Option<(usize, usize, bool)> {
        let c = hay[pos..].chars().next()?;
        let (start, end) = if self.alphabet.contains(c) {
            self.run(hay, pos)
        } else if self.head.as_ref().is_some_and(|h| h.contains(c))
            && hay[pos + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| self.alphabet.contains(n))
        {
            self.run(hay, pos + c.len_utf8())
        } else {
            return None;
        };
        Some(match self.window(hay, start, end) {
            Some((from, to)) => (from, to, true),
            None => (self.from(hay, start), end, false),
        })
    }

    fn holds_required(&self, window: &str) -> bool {
        let n = self.required.len();
        if n == 0 {
            return true;
        }
        let mut missing: u64 = (1u64 << n) - 1;
        for c in window.chars() {
            for (k, set) in self.required.iter().enumerate() {
                if missing & (1 << k) != 0 && set.contains(c) {
                    missing &= !(1 << k);
                }
            }
            if missing == 0 {
                return true;
            }
        }
        false
    }
}

/// A pattern that is a character of a class of its own followed by more:
/// that class and the rest.
fn peel(hir: &Hir) -> Option<(CharSet, &[Hir])> {
    let HirKind::Concat(hs) = hir.kind() else { return None };
    let (first, body) = hs.split_first()?;
    let body_min: usize = body
        .iter()
        .map(|h| h.properties().minimum_len())
        .sum::<Option<usize>>()?;
    if body_min == 0 {
        return None;
    }
    let head = match first.kind() {
        HirKind::Class(Class::Unicode(cls)) => {
            CharSet::new(cls.ranges().iter().map(|r| (r.start(), r.end())).collect())
        }
        HirKind::Class(Class::Bytes(cls)) if cls.ranges().iter().all(|r| r.end().is_ascii()) => CharSet::new(
            cls.ranges()
                .iter()
                .map(|r| (char::from(r.start()), char::from(r.end())))
                .collect(),
        ),
        HirKind::Literal(lit) => {
            let mut chars = std::str::from_utf8(&lit.0).ok()?.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => CharSet::new(vec![(c, c)]),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((head.with_bitmap(), body))
}

/// Where the matches of one pattern can lie (its [`Shape`]). The smallest
/// required set of the body (`anchor`) is searched for; the pattern then
/// runs on the windows around the runs of body characters that hold the
/// anchors and every required set, each searched with the text around it
/// as context: the same matches as a search of the whole text, since no
/// match can lie anywhere else.
#[derive(Debug, Clone)]
pub struct Gate {
    shape: Shape,
    /// ASCII characters of the anchor, found with `memchr`.
    anchor_bytes: ByteSet,
    /// Other characters of the anchor, found with `memmem`.
    anchor_chars: Vec<memchr::memmem::Finder<'static>>,
}

impl Gate {
    /// The gate of `pattern`, if its syntax allows one and it helps: it
    /// cannot match the empty string, it matches text (not arbitrary bytes),
    /// some small set of characters occurs in every match, and the regex has
    /// no few long literals that every match starts with (its own prefilter
    /// finds those faster).
    pub fn of(pattern: &str) -> Option<Gate> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        hir.properties().minimum_len().filter(|&n| n > 0)?;
        let mut ex = Extractor::new();
        ex.kind(ExtractKind::Prefix);
        if let Some(lits) = ex.extract(&hir).literals() {
            if !lits.is_empty() && lits.len() <= 3 && lits.iter().all(|l| l.len() >= 3) {
                return None;
            }
        }
        let shape = Shape::of(&hir)?;
        let (anchor_bytes, chars) = shape.anchor.clone()?;
        let anchor_chars = chars
            .iter()
            .map(|c| memchr::memmem::Finder::new(c.encode_utf8(&mut [0u8; 4]).as_bytes()).into_owned())
            .collect();
        Some(Gate {
            shape,
            anchor_bytes,
            anchor_chars,
        })
    }

    /// The stretches `[start, end)` of `hay` that may hold a match, sorted
    /// and disjoint: each a maximal run of body characters, with the
    /// character before it when the pattern has a head.
    pub fn windows(&self, hay: &str) -> Vec<(usize, usize)> {
        let bytes = hay.as_bytes();
        let mut hits: Vec<usize> = Vec::new();
        self.anchor_bytes.each(bytes, |p| {
            hits.push(p);
            true
        });
        let sorted = hits.len();
        for f in &self.anchor_chars {
            hits.extend(f.find_iter(bytes));
        }
        if hits.len() > sorted || self.anchor_chars.len() > 1 {
            hits.sort_unstable();
        }
        let mut windows: Vec<(usize, usize)> = Vec::new();
        let mut covered = 0;
        for h in hits {
            if h < covered {
                continue;
            }
            let (start, end) = self.shape.run(hay, h);
            covered = end.max(h + 1);
            if let Some(w) = self.shape.window(hay, start, end) {
                windows.push(w);
            }
        }
        windows
    }

    /// Every match of `re` (the gate's pattern) in `hay`, as `find_iter`
    /// would give them. The regex is compiled only if some window needs it.
    pub fn find_each(&self, re: &LazyRegex, hay: &str, each: &mut impl FnMut(usize, usize)) {
        for (start, end) in self.windows(hay) {
            search_window(re, hay, start, end, each);
        }
    }
}

/// The matches of `re` in the window `[start, end)` of `hay` (one of a
/// [`Gate`]'s windows, or the stretch a [`Shape`] gives around a position).
/// The searched text ends after the character that ends the window:
/// assertions at its end see what they would see in `hay`.
pub fn search_window(re: &LazyRegex, hay: &str, start: usize, end: usize, each: &mut impl FnMut(usize, usize)) {
    let re: &Regex = re.regex();
    let stop = hay[end..].chars().next().map_or(end, |c| end + c.len_utf8());
    let text = &hay[..stop];
    let mut at = start;
    while at < end {
        let Some(m) = re.find_at(text, at) else { break };
        each(m.start(), m.end());
        at = m.end();
    }
}

/// Every match of `re` in `hay` as `find_iter` gives them, through `gate` if any.
pub fn find_each(gate: Option<&Gate>, re: &LazyRegex, hay: &str, each: &mut impl FnMut(usize, usize)) {
    match gate {
        Some(g) => g.find_each(re, hay, each),
        None => {
            for m in re.find_iter(hay) {
                each(m.start(), m.end());
            }
        }
    }
}

/// The characters that may occur in a match; `None` for patterns over bytes.
fn collect_alphabet(hir: &Hir, out: &mut Vec<(char, char)>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for c in std::str::from_utf8(&lit.0).ok()?.chars() {
                out.push((c, c));
            }
        }
        HirKind::Class(Class::Unicode(cls)) => out.extend(cls.ranges().iter().map(|r| (r.start(), r.end()))),
        HirKind::Class(Class::Bytes(cls)) => {
            for r in cls.ranges() {
                if !r.end().is_ascii() {
                    return None;
                }
                out.push((char::from(r.start()), char::from(r.end())));
            }
        }
        HirKind::Repetition(r) => collect_alphabet(&r.sub, out)?,
        HirKind::Capture(c) => collect_alphabet(&c.sub, out)?,
        HirKind::Concat(hs) | HirKind::Alternation(hs) => {
            for h in hs {
                collect_alphabet(h, out)?;
            }
        }
    }
    Some(())
}

/// Sets of characters of which every match holds at least one each.
fn required(hir: &Hir) -> Vec<CharSet> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Vec::new(),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => {
                let mut chars: Vec<char> = s.chars().collect();
                chars.sort_unstable();
                chars.dedup();
                chars.into_iter().map(|c| CharSet::new(vec![(c, c)])).collect()
            }
            Err(_) => Vec::new(),
        },
        HirKind::Class(Class::Unicode(cls)) => vec![CharSet::new(
            cls.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        )],
        HirKind::Class(Class::Bytes(cls)) => {
            if cls.ranges().iter().all(|r| r.end().is_ascii()) {
                vec![CharSet::new(
                    cls.ranges()
                        .iter()
                        .map(|r| (char::from(r.start()), char::from(r.end())))
                        .collect(),
                )]
            } else {
                Vec::new()
            }
        }
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Repetition(_) => Vec::new(),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Concat(hs) => hs.iter().flat_map(required).collect(),
        HirKind::Alternation(hs) => {
            // One set per branch (its smallest), joined: every match holds a
            // character of the branch it took.
            let mut joined: Vec<(char, char)> = Vec::new();
            for h in hs {
                let Some(best) = required(h).into_iter().min_by_key(CharSet::len) else {
                    return Vec::new();
                };
                joined.extend(best.ranges);
            }
            vec![CharSet::new(joined)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TYPOGRAPHY: &str = include_str!("../../../rules/typography.toml");
    const DEBRIS: &str = include_str!("../../../rules/debris.toml");

    /// The four sets of the built-in tables, as `data.rs` makes them.
    fn table_sets() -> [Vec<char>; MarkTable::SETS] {
        let t = &crate::knowledge::Knowledge::builtin("fazhi-annual").unwrap().typography;
        [
            t.halfwidth
                .iter()
                .map(|m| m.from)
                .chain(t.period.iter().map(|p| p.from))
                .chain(t.quotes.iter().map(|q| q.from))
                .collect(),
            t.pairs
                .iter()
                .flat_map(|p| [Some(p.open), Some(p.close), p.alt_open, p.alt_close])
                .flatten()
                .collect(),
            t.repeated.clone(),
            t.spaces.clone(),
        ]
    }

    /// The marks of each set, one character at a time.
    fn plain_marks(sets: &[Vec<char>; MarkTable::SETS], text: &str) -> MarkPositions {
        let mut out = MarkPositions::default();
        for (k, set) in sets.iter().enumerate() {
            out.sets[k] = text
                .char_indices()
                .filter(|(_, c)| set.contains(c))
                .map(|(p, _)| p)
                .collect();
        }
        out
    }

    #[test]
    fn the_mark_walk_finds_each_mark() {
        let sets = table_sets();
        assert!(sets.iter().all(|s| !s.is_empty()));
        let t = &crate::knowledge::Knowledge::builtin("fazhi-annual").unwrap().typography;
        let text =
            "2025年,我委(覆盖率42.48%)。。“开展”《民法典》【一】〔2024〕 \u{3000}\t‘a’;:?!\"'.．,，、；！？\u{1F600}é";
        let found = t.mark_table.scan(text);
        assert_eq!(found, plain_marks(&sets, text));
        assert!(found.sets.iter().all(|s| s.len() >= 3));
        // A member beyond the Basic Multilingual Plane.
        let odd = MarkTable::new([vec!['\u{1F600}', ','], vec!['（'], vec![], vec!['\u{3000}']]);
        let text = "a\u{1F600}，（\u{3000}😀,";
        assert_eq!(
            odd.scan(text),
            plain_marks(&[vec!['\u{1F600}', ','], vec!['（'], vec![], vec!['\u{3000}']], text)
        );
    }

    proptest! {
        #[test]
        fn the_mark_walk_is_the_plain_walk(text in "[，、；：。？！“”‘’《》〈〉（）〔〕【】()\\[\\],;:?!\"'. \u{3000}\u{a0}\u{2002}\u{2003}\t\u{2009}中文年a1é€😀．…—]{0,40}") {
            let sets = table_sets();
            let t = &crate::knowledge::Knowledge::builtin("fazhi-annual").unwrap().typography;
            prop_assert_eq!(t.mark_table.scan(&text), plain_marks(&sets, &text));
        }
    }

    /// Every pattern of the typography and debris tables.
    fn table_patterns() -> Vec<String> {
        let mut out = Vec::new();
        for file in [TYPOGRAPHY, DEBRIS] {
            let v: toml::Value = toml::from_str(file).unwrap();
            fn walk(v: &toml::Value, key: &str, out: &mut Vec<String>) {
                match v {
                    toml::Value::Table(t) => t.iter().for_each(|(k, v)| walk(v, k, out)),
                    toml::Value::Array(a) => a.iter().for_each(|v| walk(v, key, out)),
                    toml::Value::String(s) if matches!(key, "pattern" | "ellipsis" | "doc_number") => {
                        out.push(s.clone())
                    }
                    _ => {}
                }
            }
            walk(&v, "", &mut out);
        }
        out
    }

    fn plain(re: &LazyRegex, hay: &str) -> Vec<(usize, usize)> {
        re.regex().find_iter(hay).map(|m| (m.start(), m.end())).collect()
    }

    fn gated(g: &Gate, re: &LazyRegex, hay: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        g.find_each(re, hay, &mut |s, e| out.push((s, e)));
        out
    }

    #[test]
    fn the_table_patterns_have_gates() {
        let patterns = table_patterns();
        assert!(patterns.len() > 10);
        for p in [
            "[A-Za-z0-9]+(?:[ ]?[-/.:_~][ ]?[A-Za-z0-9]+)+",
            "(?i)(?:https?|ftp)://[!-~]+",
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+",
        ] {
            assert!(patterns.iter().any(|q| q == p), "{p} is no longer in the tables");
            assert!(Gate::of(p).is_some(), "{p}");
        }
        assert!(Gate::of("a*").is_none(), "matches the empty string");
        assert!(Gate::of("\\w+").is_none(), "no small set of characters in every match");
    }

    #[test]
    fn gated_search_finds_what_the_whole_search_finds() {
        let texts = [
            "执行GB/T 9704-2012和2011-02-15发布的标准，8:30开始，比例1:500，增长3.5%。",
            "详见http://www.gov.cn/zhengce?id=1,2，或www.cq.gov.cn，或发邮件至fzb@cq.gov.cn。",
            "中www.gov.cn不是网址开头；HTTPſ://x.y；学习《关于印发(试行)办法的通知》和《民法典》。",
            "根据大足府办发(2025)35号文件和渝府发〔2024〕 第 12 号、川办[2023]\n3号要求。",
            "开展培训。。。等工作...以及．．．和。。",
            "[bookmark: _GoBack]第\u{200b}一&nbsp;<p class=x>{ PAGE }[图片:1]",
            "",
            "号",
        ];
        for p in table_patterns() {
            let re = LazyRegex::new(&p).unwrap();
            let Some(g) = Gate::of(&p) else { continue };
            for t in texts {
                assert_eq!(gated(&g, &re, t), plain(&re, t), "{p} on {t}");
            }
        }
    }

    #[test]
    fn positions_of_characters_pass_over_others_with_the_same_first_byte() {
        let set = ByteSet::first_bytes_of("“”《》（）()".chars());
        let text = "一“二”。、，（三）《四》(5)？\u{3000}。〈";
        let found: Vec<char> = set
            .positions(text.as_bytes())
            .into_iter()
            .map(|p| char_at(text, p))
            .collect();
        // Every mark is found; others may be, but not these.
        assert_eq!(found.iter().collect::<String>(), "“”（）《》()");
    }

    #[test]
    fn byte_sets_find_every_position_in_order() {
        for bytes in [&b","[..], b",;", b",;:", b",;:?!().\"", b",;:?!().\"'#$"] {
            let set = ByteSet::new(bytes.iter().copied());
            let hay = "a,b;c:d?e!f(g)h.i\"j'k#l$m，中".as_bytes();
            let mut found = Vec::new();
            set.each(hay, |p| {
                found.push(p);
                true
            });
            let expected: Vec<usize> = (0..hay.len()).filter(|&p| bytes.contains(&hay[p])).collect();
            assert_eq!(found, expected, "{bytes:?}");
        }
    }

    #[test]
    fn prefilters_of_the_debris_patterns() {
        let control = "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F\\u200B\\u200C\\u200D\\u2060\\uFFFC\\uFFFD]";
        assert!(
            table_patterns().iter().any(|p| p == control),
            "{control} is no longer in the table"
        );
        assert!(matches!(Prefilter::of(control), Some(Prefilter::OneOf(_))));
        assert!(matches!(
            Prefilter::of("\\[bookmark:[ \\t]*[^\\]\\n]*\\]"),
            Some(Prefilter::FirstBytes(_))
        ));
        assert!(Prefilter::of("x*").is_none());
        assert!(Prefilter::of("(?i)\\{[ \\t]*PAGE\\}").is_none(), "case-insensitive");
        assert!(Prefilter::of("a(?i:b)").is_none(), "case-insensitive");
    }

    /// What a prefilter lets through: `None` when it rules the text out.
    fn prefiltered(p: &Prefilter, re: &LazyRegex, hay: &str) -> Vec<(usize, usize)> {
        match p {
            Prefilter::FirstBytes(b) if !b.any_in(hay.as_bytes()) => Vec::new(),
            Prefilter::OneOf(o) => o.find(hay).unwrap_or_else(|| plain(re, hay)),
            _ => plain(re, hay),
        }
    }

    type Compiled = (String, LazyRegex, Option<Gate>, Option<Prefilter>);

    /// The table patterns with their gates and prefilters, made once.
    fn compiled() -> &'static [Compiled] {
        static ALL: std::sync::OnceLock<Vec<Compiled>> = std::sync::OnceLock::new();
        ALL.get_or_init(|| {
            table_patterns()
                .into_iter()
                .map(|p| (p.clone(), LazyRegex::new(&p).unwrap(), Gate::of(&p), Prefilter::of(&p)))
                .collect()
        })
    }

    fn piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "中",
            "文",
            "号",
            "第",
            "年",
            "，",
            "。",
            "、",
            "（",
            "）",
            "(",
            ")",
            "〔",
            "〕",
            "[",
            "]",
            "【",
            "】",
            "《",
            "》",
            "“",
            "”",
            " ",
            "\u{3000}",
            "\n",
            "\t",
            "a",
            "W",
            "w",
            "x",
            "H",
            "t",
            "p",
            "s",
            "ſ",
            "K",
            "0",
            "1",
            "2",
            "9",
            "5",
            "20",
            "2025",
            "19",
            ".",
            "-",
            "/",
            ":",
            "_",
            "~",
            "@",
            "%",
            "+",
            "?",
            "=",
            "&",
            ";",
            "http://",
            "www.",
            "\u{200b}",
            "\u{200d}",
            "\u{2060}",
            "\u{208b}",
            "\u{fffc}",
            "\u{fffd}",
            "\u{ff0c}",
            "…",
            "\u{7}",
            "<p>",
            "&nbsp;",
            "[bookmark: x]",
            "。。。",
            "...",
            "．",
        ])
        .prop_map(String::from)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The gate never hides a match: on any text, the gated search of
        /// every table pattern gives exactly the matches of the whole search.
        #[test]
        fn the_gate_never_hides_a_match(pieces in prop::collection::vec(piece(), 0..60)) {
            let text: String = pieces.concat();
            for (p, re, gate, prefilter) in compiled() {
                if let Some(g) = gate {
                    prop_assert_eq!(gated(g, re, &text), plain(re, &text), "{} on {:?}", p, text);
                }
                if let Some(f) = prefilter {
                    prop_assert_eq!(prefiltered(f, re, &text), plain(re, &text), "{} on {:?}", p, text);
                }
            }
        }
    }
}
