//! The number layer: every quantity written in a report, parsed once per
//! document with its byte spans. A quantity is a numeral (Arabic `1,234`,
//! `42.48`, or Chinese `二十三`, `一百零五`, `两`, `十余`) with what is written
//! around it: an approximation marker (`约`, `近`, `余`, `多`, `以上`,
//! `左右` …), a range (`3-5次`), a unit (`户次`, `万元`, `%` …). The data —
//! units, markers, the fixed terms of `declared-count` — live in
//! `rules/numbers.toml`.
//!
//! Approximate quantities and ranges never take part in an exact check:
//! `Quantity::exact` is `false` for them. The scan is one left-to-right pass
//! over the text with bounded look-ahead and look-behind, so it is linear.

use crate::knowledge::DataError;
use crate::source::{utf8_len, Span};
use serde::Deserialize;
use std::sync::OnceLock;

const NUMBERS: (&str, &str) = ("rules/numbers.toml", include_str!("../rules/numbers.toml"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Count,
    Money,
    Measure,
    Time,
    Percent,
    /// No unit follows the number.
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub unit: String,
    pub kind: UnitKind,
}

/// The tables of `rules/numbers.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRules {
    pub units: Vec<UnitDef>,
    pub approx_before: Vec<String>,
    pub approx_inner: Vec<String>,
    pub approx_after: Vec<String>,
    pub range_marks: Vec<String>,
    pub declared_nouns: Vec<String>,
    pub list_nouns: Vec<String>,
    pub fixed_terms: Vec<String>,
    pub declare_before_colon_max_chars: usize,
    pub partial_markers: Vec<String>,
    pub not_a_part: Vec<String>,
    pub sum_break_words: Vec<String>,
    pub rate_words: Vec<String>,
    pub rate_exclude: Vec<String>,
    pub comparison_words: Vec<String>,
    pub list_conjunctions: Vec<String>,
    /// Indexes into `units` by the unit's first character, longest first.
    #[serde(skip)]
    units_by_first: CharMap,
    /// `fixed_terms` as one automaton.
    #[serde(skip)]
    fixed_term_finder: Option<aho_corasick::AhoCorasick>,
    #[serde(skip)]
    longest_fixed_term: usize,
    /// Every piece of a fixed term between two of its character boundaries,
    /// with the term and the piece's offset in it.
    /// `declared_nouns` and `list_nouns` together.
    #[serde(skip)]
    item_nouns: rustc_hash::FxHashSet<String>,
    #[serde(skip)]
    fixed_term_pieces: rustc_hash::FxHashMap<String, Vec<(usize, usize)>>,
    /// The characters the words of the lists read around every number
    /// start or end with: most numbers have none of them beside them.
    #[serde(skip)]
    edges: ListEdges,
    /// Each unit of `units` as written bare, after 万 and after 亿 (`件`,
    /// `万件`, `亿件`): quantities borrow these instead of allocating.
    #[serde(skip)]
    unit_forms: Vec<[String; 3]>,
    /// For each character of the Basic Multilingual Plane, what it can
    /// start after a number: bits of [`follow`]. One load instead of a test
    /// per list; most characters after a Chinese numeral (统一, 一是) start
    /// nothing.
    #[serde(skip)]
    follow: Vec<u8>,
}

/// The bits of `NumberRules::follow`: what a character can start.
mod follow {
    /// A unit of `units`.
    pub const UNIT: u8 = 1;
    /// A word of `approx_inner`.
    pub const INNER: u8 = 2;
    /// A word of `range_marks`.
    pub const RANGE: u8 = 4;
    /// A word of `approx_after`.
    pub const AFTER: u8 = 8;
    /// The space, percent signs and multipliers `finish` reads by themselves.
    pub const OTHER: u8 = 16;
    /// The characters of `OTHER`.
    pub const OTHER_CHARS: [char; 5] = [' ', '%', '％', '万', '亿'];
}

#[derive(Debug, Clone, Default)]
struct ListEdges {
    approx_before: Edges,
    approx_inner: Edges,
    approx_after: Edges,
    range_marks: Edges,
}

/// The first and last characters of a list's words: most numbers have none
/// of them beside them.
#[derive(Debug, Clone, Default)]
struct Edges {
    firsts: CharSet,
    lasts: CharSet,
}

/// A set of characters: a bitmap over the Basic Multilingual Plane (bit
/// `c % 64` of word `c / 64`), a sorted list for the characters above it.
#[derive(Debug, Clone, Default)]
struct CharSet {
    bmp: Vec<u64>,
    wide: Vec<char>,
}

impl CharSet {
    fn of(chars: impl IntoIterator<Item = char>) -> CharSet {
        let mut set = CharSet {
            bmp: vec![0; 0x1_0000 / 64],
            wide: Vec::new(),
        };
        for c in chars {
            match usize::try_from(u32::from(c)).ok().filter(|&c| c < 0x1_0000) {
                Some(c) => set.bmp[c / 64] |= 1 << (c % 64),
                None => set.wide.push(c),
            }
        }
        set.wide.sort_unstable();
        set.wide.dedup();
        set
    }

    #[inline]
    fn contains(&self, c: char) -> bool {
        let c32 = u32::from(c);
        if c32 < 0x1_0000 {
            self.bmp
                .get((c32 / 64) as usize)
                .is_some_and(|w| w >> (c32 % 64) & 1 != 0)
        } else {
            self.wide.binary_search(&c).is_ok()
        }
    }
}

/// Lists of indices by character: a slot per character of the Basic
/// Multilingual Plane (0 for none, else the list's index + 1), a map above it.
#[derive(Debug, Clone, Default)]
struct CharMap {
    slots: Vec<u16>,
    wide: rustc_hash::FxHashMap<char, usize>,
    lists: Vec<Vec<usize>>,
}

impl CharMap {
    /// `(character, index)` pairs, each index appended to its character's list in order.
    fn of(pairs: impl IntoIterator<Item = (char, usize)>) -> CharMap {
        let mut map = CharMap {
            slots: vec![0; 0x1_0000],
            ..CharMap::default()
        };
        let mut by_char: rustc_hash::FxHashMap<char, usize> = Default::default();
        for (c, i) in pairs {
            let k = *by_char.entry(c).or_insert_with(|| {
                map.lists.push(Vec::new());
                map.lists.len() - 1
            });
            map.lists[k].push(i);
        }
        for (c, k) in by_char {
            match u16::try_from(k + 1).ok().filter(|_| u32::from(c) < 0x1_0000) {
                Some(slot) => map.slots[u32::from(c) as usize] = slot,
                None => {
                    map.wide.insert(c, k);
                }
            }
        }
        map
    }

    #[inline]
    fn get(&self, c: char) -> &[usize] {
        let k = match self.slots.get(u32::from(c) as usize) {
            Some(&slot) if slot > 0 => usize::from(slot) - 1,
            _ => match self.wide.get(&c) {
                Some(&k) => k,
                None => return &[],
            },
        };
        &self.lists[k]
    }
}

impl Edges {
    fn of(words: &[String]) -> Edges {
        Edges {
            firsts: CharSet::of(words.iter().filter_map(|w| w.chars().next())),
            lasts: CharSet::of(words.iter().filter_map(|w| w.chars().next_back())),
        }
    }

    /// The first of `words` (in their order) that `rest` starts with.
    #[inline]
    fn starting<'a>(&self, words: &'a [String], rest: &str) -> Option<&'a str> {
        let c = rest.chars().next()?;
        if !self.firsts.contains(c) {
            return None;
        }
        words
            .iter()
            .map(String::as_str)
            .find(|w| starts_with_bytes(rest.as_bytes(), w.as_bytes()))
    }

    /// The first of `words` (in their order) that `before` ends with.
    #[inline]
    fn ending<'a>(&self, words: &'a [String], before: &str) -> Option<&'a str> {
        let c = before.chars().next_back()?;
        if !self.lasts.contains(c) {
            return None;
        }
        let before = before.as_bytes();
        words.iter().map(String::as_str).find(|w| {
            let w = w.as_bytes();
            before.len() >= w.len() && starts_with_bytes(&before[before.len() - w.len()..], w)
        })
    }
}

impl NumberRules {
    /// The built-in tables (validated by a test, so this cannot fail in a release).
    pub fn builtin() -> &'static NumberRules {
        static RULES: OnceLock<NumberRules> = OnceLock::new();
        RULES.get_or_init(|| {
            NumberRules::load(NUMBERS.0, NUMBERS.1).unwrap_or_else(|e| panic!("built-in rule data is invalid: {e}"))
        })
    }

    /// Parse and validate a table; errors name the file and the line.
    pub fn load(file: &str, text: &str) -> Result<NumberRules, DataError> {
        let mut rules: NumberRules = crate::knowledge::parse_toml(file, text)?;
        let lists = [
            ("units", rules.units.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>()),
            (
                "approx_before",
                rules.approx_before.iter().map(String::as_str).collect(),
            ),
            ("range_marks", rules.range_marks.iter().map(String::as_str).collect()),
            (
                "declared_nouns",
                rules.declared_nouns.iter().map(String::as_str).collect(),
            ),
        ];
        for (name, list) in lists {
            if let Some(bad) = list.iter().find(|s| s.trim().is_empty()) {
                let at = text.find(name).unwrap_or(0);
                return Err(DataError {
                    file: file.into(),
                    line: crate::knowledge::line_of(text, at),
                    message: format!("{name} 中有空字符串“{bad}”"),
                });
            }
        }
        // Longest first, so that 户次 wins over 户 and 个方面 over 个.
        let by_len = |a: &String, b: &String| b.chars().count().cmp(&a.chars().count());
        rules.units.sort_by(|a, b| by_len(&a.unit, &b.unit));
        rules.fixed_term_finder = crate::lazy_regex::quick_automaton(&rules.fixed_terms);
        rules.longest_fixed_term = rules.fixed_terms.iter().map(String::len).max().unwrap_or(0);
        rules.item_nouns = rules.declared_nouns.iter().chain(&rules.list_nouns).cloned().collect();
        for (k, term) in rules.fixed_terms.iter().enumerate() {
            let bounds: Vec<usize> = term.char_indices().map(|(i, _)| i).chain([term.len()]).collect();
            for (a, &i) in bounds.iter().enumerate() {
                for &j in &bounds[a + 1..] {
                    rules
                        .fixed_term_pieces
                        .entry(term[i..j].to_string())
                        .or_default()
                        .push((k, i));
                }
            }
        }
        rules.units_by_first =
            CharMap::of((rules.units.iter().enumerate()).filter_map(|(k, u)| u.unit.chars().next().map(|c| (c, k))));
        rules.unit_forms = rules
            .units
            .iter()
            .map(|u| [u.unit.clone(), format!("万{}", u.unit), format!("亿{}", u.unit)])
            .collect();
        for list in [
            &mut rules.approx_before,
            &mut rules.approx_inner,
            &mut rules.approx_after,
            &mut rules.range_marks,
            &mut rules.declared_nouns,
            &mut rules.list_nouns,
            &mut rules.partial_markers,
        ] {
            list.sort_by(by_len);
        }
        rules.edges = ListEdges {
            approx_before: Edges::of(&rules.approx_before),
            approx_inner: Edges::of(&rules.approx_inner),
            approx_after: Edges::of(&rules.approx_after),
            range_marks: Edges::of(&rules.range_marks),
        };
        let mut table = vec![0u8; 0x1_0000];
        let firsts = |words: &[String]| words.iter().filter_map(|w| w.chars().next()).collect::<Vec<char>>();
        for (chars, bit) in [
            (
                rules.units.iter().filter_map(|u| u.unit.chars().next()).collect(),
                follow::UNIT,
            ),
            (firsts(&rules.approx_inner), follow::INNER),
            (firsts(&rules.range_marks), follow::RANGE),
            (firsts(&rules.approx_after), follow::AFTER),
            (follow::OTHER_CHARS.to_vec(), follow::OTHER),
        ] {
            for c in chars {
                if let Some(slot) = table.get_mut(u32::from(c) as usize) {
                    *slot |= bit;
                }
            }
        }
        rules.follow = table;
        Ok(rules)
    }

    /// The [`follow`] bits of the character at byte `j` of `text` (a
    /// character boundary; 0 at the end). One- and three-byte characters
    /// are read straight from their bytes.
    #[inline(always)]
    fn follow_at(&self, text: &str, j: usize) -> u8 {
        let code = match *text.as_bytes().get(j..).unwrap_or_default() {
            [] => return 0,
            [b0, ..] if b0 < 0x80 => usize::from(b0),
            [b0, b1, b2, ..] if b0 & 0xF0 == 0xE0 => {
                (usize::from(b0 & 0x0F) << 12) | (usize::from(b1 & 0x3F) << 6) | usize::from(b2 & 0x3F)
            }
            _ => match text[j..].chars().next() {
                Some(c) => u32::from(c) as usize,
                None => return 0,
            },
        };
        match self.follow.get(code) {
            Some(&bits) => bits,
            None => char::from_u32(code as u32).map_or(0, |c| self.follow_plain(c)),
        }
    }

    /// The [`follow`] bits of `c` from the lists themselves.
    fn follow_plain(&self, c: char) -> u8 {
        let mut bits = 0;
        for (holds, bit) in [
            (!self.units_by_first.get(c).is_empty(), follow::UNIT),
            (self.edges.approx_inner.firsts.contains(c), follow::INNER),
            (self.edges.range_marks.firsts.contains(c), follow::RANGE),
            (self.edges.approx_after.firsts.contains(c), follow::AFTER),
            (follow::OTHER_CHARS.contains(&c), follow::OTHER),
        ] {
            if holds {
                bits |= bit;
            }
        }
        bits
    }

    fn unit_at<'a>(&'a self, rest: &str) -> Option<&'a UnitDef> {
        self.unit_index_at(rest).map(|k| &self.units[k])
    }

    /// The index in `units` of the longest unit `rest` starts with.
    /// The units of a character all start with it: only the bytes after it
    /// are compared.
    #[inline(always)]
    fn unit_index_at(&self, rest: &str) -> Option<usize> {
        let first = rest.chars().next()?;
        let n = first.len_utf8();
        let after = rest.as_bytes().get(n..).unwrap_or_default();
        self.units_by_first
            .get(first)
            .iter()
            .copied()
            .find(|&k| starts_with_bytes(after, self.units[k].unit.as_bytes().get(n..).unwrap_or_default()))
    }

    /// Whether `span` of `text` lies inside one of the fixed terms (“五个一”, 十四五 …).
    /// Whether `unit` is one of `declared_nouns` or `list_nouns`.
    pub fn is_item_noun(&self, unit: &str) -> bool {
        self.item_nouns.contains(unit)
    }

    pub fn in_fixed_term(&self, text: &str, span: Span) -> bool {
        // A term written over the span holds the span's text at some offset:
        // look the text up among the terms' pieces and compare the rest.
        let Some(inner) = text.get(span.start..span.end).filter(|t| !t.is_empty()) else {
            return self.in_fixed_term_plain(text, span);
        };
        self.fixed_term_pieces.get(inner).is_some_and(|at| {
            at.iter().any(|&(k, offset)| {
                let term = &self.fixed_terms[k];
                span.start >= offset && text.as_bytes()[span.start - offset..].starts_with(term.as_bytes())
            })
        })
    }

    /// [`Self::in_fixed_term`] by searching the text around the span.
    fn in_fixed_term_plain(&self, text: &str, span: Span) -> bool {
        let Some(finder) = &self.fixed_term_finder else {
            return false;
        };
        // Every occurrence of a term that could cover the span starts at most
        // the longest term's length before it.
        let n = self.longest_fixed_term;
        let from = floor_boundary(text, span.start.saturating_sub(n));
        let to = ceil_boundary(text, (span.end + n).min(text.len()));
        finder
            .find_overlapping_iter(&text[from..to])
            .any(|m| from + m.start() <= span.start && from + m.end() >= span.end)
    }
}

/// `s.starts_with(prefix)` by a loop over the bytes: the prefixes are a few
/// bytes long, shorter than a call of `memcmp`.
#[inline]
fn starts_with_bytes(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s.iter().zip(prefix).all(|(a, b)| a == b)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// One quantity as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// From an approximation marker in front (if any) to the end of the unit
    /// or the marker after it.
    pub span: Span,
    /// The numeral itself.
    pub number: Span,
    pub value: f64,
    /// The upper end of a range (`3-5次` has value 3, high 5).
    pub high: Option<f64>,
    /// Digits after the decimal point as written.
    pub decimals: u8,
    pub chinese: bool,
    /// The unit as written, with a 万/亿 multiplier in front (`万元`); empty when none.
    pub unit: &'static str,
    pub unit_span: Option<Span>,
    pub kind: UnitKind,
    /// An approximation marker (`约`, `余`, `以上` …).
    pub approx: Option<Span>,
}

impl Quantity {
    /// Usable in an exact check: not approximate, not a range.
    pub fn exact(&self) -> bool {
        self.approx.is_none() && self.high.is_none()
    }

    pub fn is_percent(&self) -> bool {
        self.kind == UnitKind::Percent
    }

    /// The value as a whole number, when it is one.
    pub fn int(&self) -> Option<u64> {
        (self.decimals == 0 && self.value >= 0.0 && self.value < 1e15).then_some(self.value as u64)
    }

    /// Whether it can be summed or compared with other quantities of its unit.
    pub fn countable(&self) -> bool {
        self.exact() && matches!(self.kind, UnitKind::Count | UnitKind::Money) && !self.unit.is_empty()
    }
}

/// All quantities of a text, in order of position.
#[derive(Debug, Clone, Default)]
pub struct Numbers {
    pub items: Vec<Quantity>,
}

impl Numbers {
    pub fn parse(text: &str) -> Numbers {
        Numbers::parse_with(text, NumberRules::builtin())
    }

    pub fn parse_with(text: &str, rules: &'static NumberRules) -> Numbers {
        let mut items = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        loop {
            i = next_number_char(bytes, i);
            let Some(&b) = bytes.get(i) else {
                break;
            };
            // The digits are ASCII or full-width (EF BC 90-99); the Chinese
            // numerals are three-byte characters with other first bytes.
            if b < 0x80 || b == 0xEF {
                let len = if b < 0x80 { 1 } else { 3 };
                match scan_arabic(text, i, rules) {
                    Some((q, end)) => {
                        items.push(q);
                        i = end.max(i + len);
                    }
                    // Skip a whole run of digits that is not a quantity, so
                    // that `ISO9001` is not read as `9001` nor `12345` as `2345`.
                    None => i = arabic_run_end(bytes, i + len),
                }
            } else {
                let end = cn_run_end(bytes, i);
                match scan_chinese(text, i, end, rules) {
                    Some((q, e)) => {
                        items.push(q);
                        i = e.max(i + 3);
                    }
                    // Likewise a whole run of numerals (十四五 is not read as 四五).
                    None => i = end,
                }
            }
        }
        Numbers { items }
    }

    /// The quantities that lie inside `span`.
    pub fn within(&self, span: Span) -> &[Quantity] {
        let a = self.items.partition_point(|q| q.span.start < span.start);
        // The end by stepping from `a`: a span holds few quantities, and
        // the caller reads those it gets.
        let mut b = a;
        while b < self.items.len() && self.items[b].span.start < span.end {
            b += 1;
        }
        while b > a && self.items[b - 1].span.end > span.end {
            b -= 1;
        }
        &self.items[a..b]
    }
}

/// The digits and numerals (`is_arabic_digit`, `is_cn_numeral`) as a bitmap
/// over the code points below U+10000: bit `c % 64` of word `c / 64`.
const NUMBER_CHARS: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    let chars = [
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '０', '１', '２', '３', '４', '５', '６', '７', '８', '９',
        '零', '〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '两',
    ];
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k] as usize;
        bits[c >> 6] |= 1 << (c & 63);
        k += 1;
    }
    bits
};

/// The byte offset of the first digit or Chinese numeral at or after byte
/// `i` (a character boundary), or the text's length. It reads the code point
/// of a three-byte character straight from its bytes and looks it up in
/// [`NUMBER_CHARS`]; digits and numerals are all one- or three-byte
/// characters. A test checks it against `is_arabic_digit`/`is_cn_numeral`
/// for every code point.
#[inline(never)]
fn next_number_char(bytes: &[u8], mut i: usize) -> usize {
    loop {
        // Two three-byte characters at a time: the common case in Chinese text.
        if let Some(&[b0, b1, b2, b3, b4, b5]) = bytes.get(i..i + 6) {
            if b0 & 0xF0 == 0xE0 && b3 & 0xF0 == 0xE0 {
                if is_number3(b0, b1, b2) {
                    return i;
                }
                if is_number3(b3, b4, b5) {
                    return i + 3;
                }
                i += 6;
                continue;
            }
        }
        let Some(&b) = bytes.get(i) else {
            return bytes.len();
        };
        if b & 0xF0 == 0xE0 {
            if let Some(&[b1, b2]) = bytes.get(i + 1..i + 3) {
                if is_number3(b, b1, b2) {
                    return i;
                }
            }
            i += 3;
        } else if b < 0x80 {
            if b.is_ascii_digit() {
                return i;
            }
            i += 1;
        } else {
            i += utf8_len(b);
        }
    }
}

/// Bit `b % 64` for each second byte `b` of the three-byte characters in
/// [`NUMBER_CHARS`]: nine of the 64 continuation bytes, so most characters
/// are turned away by one test of a constant.
const NUMBER_SECOND_BYTES: u64 = {
    let mut mask = 0u64;
    let mut k = 0;
    while k < NUMBER_CHARS.len() {
        if NUMBER_CHARS[k] != 0 {
            mask |= 1 << (k % 64);
        }
        k += 1;
    }
    mask
};

/// Whether the three-byte character `b0 b1 b2` is in [`NUMBER_CHARS`].
#[inline(always)]
fn is_number3(b0: u8, b1: u8, b2: u8) -> bool {
    if NUMBER_SECOND_BYTES >> (b1 & 0x3F) & 1 == 0 {
        return false;
    }
    let word = NUMBER_CHARS[(usize::from(b0 & 0x0F) << 6) | usize::from(b1 & 0x3F)];
    word >> (b2 & 0x3F) & 1 != 0
}

fn is_arabic_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn arabic_value(c: char) -> u32 {
    if c.is_ascii_digit() {
        c as u32 - '0' as u32
    } else {
        c as u32 - '０' as u32
    }
}

#[cfg(test)]
fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '两'
    )
}

/// Value of a Chinese numeral up to the 万 range: 二十三, 一百零五, 三千二百, 两万.
pub fn parse_cn_number(s: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    let mut last_was_digit = false;
    let mut last_mult = u64::MAX;
    if s.is_empty() {
        return None;
    }
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            if last_was_digit && d != 0 && digit != Some(0) {
                return None; // 十四五, 一二: not a number
            }
            digit = Some(d);
            last_was_digit = true;
            continue;
        }
        last_was_digit = false;
        let mult = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if mult == 10_000 {
            section += digit.take().unwrap_or(0);
            if section == 0 {
                return None;
            }
            total += section * mult;
            section = 0;
            last_mult = u64::MAX;
            continue;
        }
        if mult >= last_mult {
            return None; // 十百
        }
        last_mult = mult;
        let d = match digit.take() {
            Some(0) | None if mult == 10 && section == 0 => 1,
            Some(0) | None => return None,
            Some(d) => d,
        };
        section += d * mult;
    }
    Some(total + section + digit.unwrap_or(0))
}

/// The end of the run of digits, `.` and `,` from byte `j`.
fn arabic_run_end(bytes: &[u8], mut j: usize) -> usize {
    loop {
        match bytes.get(j..).unwrap_or_default() {
            [b'0'..=b'9' | b'.' | b',', ..] => j += 1,
            [0xEF, 0xBC, 0x90..=0x99, ..] => j += 3,
            _ => return j,
        }
    }
}

/// The end of the run of Chinese numerals from byte `i` (a character boundary).
fn cn_run_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&[b0, b1, b2]) = bytes.get(i..i + 3) {
        // A three-byte character among the numbers that is not a full-width digit.
        if b0 & 0xF0 != 0xE0 || b0 == 0xEF || !is_number3(b0, b1, b2) {
            break;
        }
        i += 3;
    }
    i
}

/// A quantity starting with an Arabic digit at `i`; returns it and where the scan resumes.
fn scan_arabic(text: &str, i: usize, rules: &'static NumberRules) -> Option<(Quantity, usize)> {
    // A number glued to Latin letters or to a previous number is a code (ISO9001, 2026-00005).
    // The tests are all of ASCII characters: a byte of a longer character is none of them.
    let b = text.as_bytes();
    if let Some(&p) = i.checked_sub(1).and_then(|k| b.get(k)) {
        if p.is_ascii_alphanumeric() || p == b'.' || p == b'/' || p == b'_' {
            return None;
        }
        if p == b'-' && i >= 2 && b[i - 2].is_ascii_digit() {
            return None;
        }
    }
    let (value, decimals, end) = read_arabic(text, i)?;
    let number = Span::new(i, end);
    finish(text, number, value, decimals, false, rules)
}

/// Read digits with thousands separators and a decimal part. Byte by byte:
/// the digits are ASCII (`0`-`9`) or full-width (`０`-`９`, bytes EF BC
/// 90-99), the marks `,` `.` `．` (EF BC 8E); a test checks it against
/// reading character by character.
fn read_arabic(text: &str, i: usize) -> Option<(f64, u8, usize)> {
    let b = text.as_bytes();
    // The value of the digit at byte `j` and its length.
    let digit_at = |j: usize| -> Option<(u32, usize)> {
        match *b.get(j)? {
            d @ b'0'..=b'9' => Some((u32::from(d - b'0'), 1)),
            0xEF if b.get(j + 1) == Some(&0xBC) => match b.get(j + 2) {
                Some(&d @ 0x90..=0x99) => Some((u32::from(d - 0x90), 3)),
                _ => None,
            },
            _ => None,
        }
    };
    let mut j = i;
    let mut digits = Digits::default();
    let mut group = 0usize;
    let mut grouped = false;
    loop {
        if let Some((d, len)) = digit_at(j) {
            digits.push(d);
            group += 1;
            j += len;
        } else if b.get(j) == Some(&b',') && (grouped || group <= 3) && three_digits_follow(&b[j + 1..]) {
            grouped = true;
            group = 0;
            j += 1;
        } else {
            break;
        }
    }
    if grouped && group != 3 {
        return None;
    }
    let int_digits = digits.len;
    let point = match b.get(j) {
        Some(b'.') => 1,
        Some(0xEF) if b[j..].starts_with("．".as_bytes()) => 3,
        _ => 0,
    };
    if point > 0 && digit_at(j + point).is_some() {
        let mut k = j + point;
        while let Some((d, len)) = digit_at(k) {
            digits.push(d);
            k += len;
        }
        // 1.2.3 is a section number, not a decimal.
        if b.get(k) == Some(&b'.') && digit_at(k + 1).is_some() {
            return None;
        }
        j = k;
    }
    if int_digits > 15 {
        return None;
    }
    let frac = digits.len - int_digits;
    Some((digits.value(text, i, j, frac)?, frac.min(255) as u8, j))
}

/// The digits of a number as read, kept as an integer while it is exact.
#[derive(Default)]
struct Digits {
    /// All digits (integer and fraction) as one integer, while it fits.
    mantissa: u64,
    len: usize,
}

impl Digits {
    fn push(&mut self, d: u32) {
        if self.len < 19 {
            self.mantissa = self.mantissa * 10 + u64::from(d);
        }
        self.len += 1;
    }

    /// The value of the digits with `frac` of them after the point, equal to
    /// parsing the written number: an integer below 2^53 divided by an exact
    /// power of ten is correctly rounded once, as the parser rounds. Other
    /// numbers are parsed from their digits.
    fn value(&self, text: &str, start: usize, end: usize, frac: usize) -> Option<f64> {
        const POW10: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22,
        ];
        if self.len < 19 && self.mantissa < (1u64 << 53) && frac < POW10.len() {
            return Some(self.mantissa as f64 / POW10[frac]);
        }
        let mut s = String::with_capacity(self.len + 1);
        let written = &text[start..end];
        let mut seen = 0;
        for c in written.chars() {
            if is_arabic_digit(c) {
                if seen == self.len - frac && frac > 0 {
                    s.push('.');
                }
                s.push(char::from_digit(arabic_value(c), 10)?);
                seen += 1;
            }
        }
        s.parse().ok()
    }
}

/// Whether `rest` starts with exactly three ASCII digits (a byte of a
/// longer character is never an ASCII digit).
fn three_digits_follow(rest: &[u8]) -> bool {
    rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) && !rest.get(3).is_some_and(u8::is_ascii_digit)
}

/// A quantity starting with a Chinese numeral at `i`, the run of numerals
/// ending at `end`. Chinese numerals are only quantities when a unit follows
/// (三项, 十余次, 两个方面); ordinals (第三) and bare numerals (一是, 统一) are not.
fn scan_chinese(text: &str, i: usize, mut end: usize, rules: &'static NumberRules) -> Option<(Quantity, usize)> {
    // A unit or a marker (十余次) starts right after the run, or after its
    // last 万 (两万元): most runs (统一, 一是, 进一步) have neither after them.
    if rules.follow_at(text, end) & (follow::UNIT | follow::INNER) == 0 {
        return None;
    }
    if text[..i].ends_with('第') || text[..i].ends_with('初') || text[..i].ends_with("星期") {
        return None;
    }
    // 两万元: 万 belongs to the unit.
    let mut run = &text[i..end];
    if (run.ends_with('万') || run.ends_with('亿')) && run.chars().count() > 1 && rules.unit_at(&text[end..]).is_some()
    {
        end -= '万'.len_utf8();
        run = &text[i..end];
    }
    let after = &text[end..];
    let has_unit = rules.unit_at(after).is_some()
        || (rules.edges.approx_inner.starting(&rules.approx_inner, after).is_some()
            && rules
                .approx_inner
                .iter()
                .any(|a| after.starts_with(a.as_str()) && rules.unit_at(&after[a.len()..]).is_some()));
    if !has_unit {
        return None;
    }
    // After the cheaper test of the unit: most numerals (统一, 一是) have none.
    let value = parse_cn_number(run)?;
    finish(text, Span::new(i, end), value as f64, 0, true, rules)
}

/// Read what follows a numeral (range, approximation, unit) and what stands
/// in front. Each word list is only searched when the character at hand can
/// start one of its words (`NumberRules::follow`).
fn finish(
    text: &str,
    number: Span,
    value: f64,
    decimals: u8,
    chinese: bool,
    rules: &'static NumberRules,
) -> Option<(Quantity, usize)> {
    let mut j = number.end;
    let mut approx: Option<Span> = None;
    let mut high = None;
    // A space between number and unit is a typing slip; accept one.
    let unit_from = |j: usize| {
        if text.as_bytes().get(j) == Some(&b' ') {
            j + 1
        } else {
            j
        }
    };
    let mut next = rules.follow_at(text, j);
    // A range: 3-5次, 10至20人 (only with a unit: 2026-00005 is a code).
    if !chinese && next & follow::RANGE != 0 {
        if let Some(m) = (rules.range_marks.iter()).find(|m| starts_with_bytes(&text.as_bytes()[j..], m.as_bytes())) {
            let k = j + m.len();
            if text[k..].chars().next().is_some_and(is_arabic_digit) {
                if let Some((hv, _, e)) = read_arabic(text, k) {
                    let rest = &text[unit_from(e)..];
                    if rules.unit_at(rest).is_some() || rest.starts_with('%') || rest.starts_with('％') {
                        high = Some(hv);
                        j = e;
                        next = rules.follow_at(text, j);
                    }
                }
            }
        }
    }
    if next & follow::INNER != 0 {
        if let Some(a) = (rules.approx_inner.iter()).find(|a| starts_with_bytes(&text.as_bytes()[j..], a.as_bytes())) {
            approx = Some(Span::new(j, j + a.len()));
            j += a.len();
            next = rules.follow_at(text, j);
        }
    }
    let mut unit: &'static str = "";
    let mut unit_span = None;
    let mut kind = UnitKind::None;
    // Without a space, a percent sign, a multiplier or a unit's first
    // character here, no unit follows.
    if next & (follow::UNIT | follow::OTHER) != 0 {
        let u = unit_from(j);
        // The characters compared here as their bytes.
        let rest = &text.as_bytes()[u..];
        let percent = match rest {
            [b'%', ..] => 1,
            [0xEF, 0xBC, 0x85, ..] => 3, // ％
            _ => 0,
        };
        if percent > 0 {
            unit = "%";
            unit_span = Some(Span::new(u, u + percent));
            kind = UnitKind::Percent;
            j = u + percent;
        } else {
            let (mult, k) = match rest {
                [0xE4, 0xB8, 0x87, ..] => (Some('万'), u + 3),
                [0xE4, 0xBA, 0xBF, ..] => (Some('亿'), u + 3),
                _ => (None, u),
            };
            if let Some(d) = rules.unit_index_at(&text[k..]) {
                let def = &rules.units[d];
                let form = match mult {
                    None => 0,
                    Some('万') => 1,
                    Some(_) => 2,
                };
                unit = &rules.unit_forms[d][form];
                let e = k + def.unit.len();
                unit_span = Some(Span::new(u, e));
                kind = def.kind;
                j = e;
            } else if let Some(m) = mult {
                // 20余万 without a unit: a multiplier only.
                unit = if m == '万' { "万" } else { "亿" };
                unit_span = Some(Span::new(u, k));
                kind = UnitKind::Count;
                j = k;
            }
            if kind != UnitKind::None && approx.is_none() && rules.follow_at(text, j) & follow::AFTER != 0 {
                if let Some(a) =
                    (rules.approx_after.iter()).find(|a| starts_with_bytes(&text.as_bytes()[j..], a.as_bytes()))
                {
                    approx = Some(Span::new(j, j + a.len()));
                    j += a.len();
                }
            }
        }
    }
    let mut start = number.start;
    if approx.is_none() {
        if let Some(a) = rules
            .edges
            .approx_before
            .ending(&rules.approx_before, &text[..number.start])
        {
            start = number.start - a.len();
            approx = Some(Span::new(start, number.start));
        }
    }
    // 十余 as written without a unit after 余 is handled above; 百分之五十 is rare
    // in reports and left out.
    Some((
        Quantity {
            span: Span::new(start, j),
            number,
            value,
            high,
            decimals,
            chinese,
            unit,
            unit_span,
            kind,
            approx,
        },
        j,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(f64, String, bool)> {
        Numbers::parse(text)
            .items
            .into_iter()
            .map(|q| (q.value, q.unit.to_string(), q.exact()))
            .collect()
    }

    #[test]
    fn the_table_loads_and_a_bad_table_names_its_line() {
        let r = NumberRules::builtin();
        assert!(r.units.iter().any(|u| u.unit == "户次"));
        let err = NumberRules::load("n.toml", "units = [\n  { unit = \"件\", kind = \"bogus\" },\n]\n").unwrap_err();
        assert_eq!(err.file, "n.toml");
        assert_eq!(err.line, 2, "{}", err.message);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_cn_number("二十三"), Some(23));
        assert_eq!(parse_cn_number("一百零五"), Some(105));
        assert_eq!(parse_cn_number("两"), Some(2));
        assert_eq!(parse_cn_number("十"), Some(10));
        assert_eq!(parse_cn_number("十二"), Some(12));
        assert_eq!(parse_cn_number("三千二百"), Some(3200));
        assert_eq!(parse_cn_number("两万"), Some(20000));
        assert_eq!(parse_cn_number("十四五"), None);
        assert_eq!(parse_cn_number("一二"), None);
        assert_eq!(parse_cn_number(""), None);
    }

    #[test]
    fn arabic_with_units_and_approximations() {
        assert_eq!(q("检查2107户次"), vec![(2107.0, "户次".into(), true)]);
        assert_eq!(q("共1,234人"), vec![(1234.0, "人".into(), true)]);
        assert_eq!(q("覆盖率42.48%"), vec![(42.48, "%".into(), true)]);
        assert_eq!(q("罚没118.49万元"), vec![(118.49, "万元".into(), true)]);
        assert_eq!(q("发放宣传资料20余万份"), vec![(20.0, "万份".into(), false)]);
        assert_eq!(q("活动175余场次"), vec![(175.0, "场次".into(), false)]);
        assert_eq!(q("约100人"), vec![(100.0, "人".into(), false)]);
        assert_eq!(q("培训超30学时"), vec![(30.0, "学时".into(), false)]);
        assert_eq!(q("100人以上"), vec![(100.0, "人".into(), false)]);
        assert_eq!(q("简易程序 17起"), vec![(17.0, "起".into(), true)]);
        assert_eq!(q("参训人数370人次"), vec![(370.0, "人次".into(), true)]);
    }

    #[test]
    fn chinese_quantities_need_a_unit() {
        assert_eq!(q("存在四方面不足"), vec![(4.0, "方面".into(), true)]);
        assert_eq!(q("做好以下五个方面"), vec![(5.0, "个方面".into(), true)]);
        assert_eq!(q("十余项专项检查"), vec![(10.0, "项".into(), false)]);
        assert_eq!(q("两万元"), vec![(2.0, "万元".into(), true)]);
        assert!(q("一是加强学习，坚持统一领导").is_empty());
        assert!(q("第三次会议").is_empty());
        assert!(q("十四五规划").is_empty());
    }

    #[test]
    fn ranges_codes_dates_and_spans() {
        let n = Numbers::parse("2022年5-12月，开展3至5次；ISO9001认证，文号2026-00005。");
        let v: Vec<_> = n.items.iter().map(|q| (q.value, q.high, q.unit)).collect();
        assert_eq!(
            v,
            vec![
                (2022.0, None, "年"),
                (5.0, Some(12.0), "月"),
                (3.0, Some(5.0), "次"),
                (2026.0, None, "")
            ]
        );
        assert!(!n.items[2].exact());
        let text = "完成904户公共场所经营单位中384户的监督检查";
        let n = Numbers::parse(text);
        assert_eq!(n.items[1].number.slice(text), "384");
        assert_eq!(n.within(Span::new(0, text.len())).len(), 2);
        assert_eq!(n.within(Span::new(10, text.len())).len(), 1);
    }

    #[test]
    fn fixed_terms() {
        let r = NumberRules::builtin();
        let t = "落实行政执法三项制度，切实做到五个一";
        let at = |s: &str| {
            let k = t.find(s).unwrap();
            Span::new(k, k + s.len())
        };
        assert!(r.in_fixed_term(t, at("三项")));
        assert!(r.in_fixed_term(t, at("五个")));
        assert!(!r.in_fixed_term("抓好三项工作", Span::new(6, 12)));
    }

    #[test]
    fn item_nouns_are_the_two_lists() {
        let r = NumberRules::builtin();
        let words = r
            .units
            .iter()
            .map(|u| u.unit.as_str())
            .chain(r.declared_nouns.iter().map(String::as_str));
        let words: Vec<&str> = words
            .chain(r.list_nouns.iter().map(String::as_str))
            .chain(["", "项目", "x"])
            .collect();
        assert!(!r.declared_nouns.is_empty() && !r.list_nouns.is_empty());
        for w in words {
            let plain = r.declared_nouns.iter().any(|d| d == w) || r.list_nouns.iter().any(|d| d == w);
            assert_eq!(r.is_item_noun(w), plain, "{w}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fixed_terms_by_their_pieces_equal_the_search(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(NumberRules::builtin().fixed_terms.clone()),
                    "[一二三四五两项个制度意识大a1]{1,3}",
                ],
                0..8,
            ),
            a in 0usize..64,
            len in 0usize..6,
        ) {
            let r = NumberRules::builtin();
            let text = parts.concat();
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = bounds[a % bounds.len()];
            let end = bounds[(a % bounds.len() + len).min(bounds.len() - 1)];
            let span = Span::new(start, end);
            proptest::prop_assert_eq!(r.in_fixed_term(&text, span), r.in_fixed_term_plain(&text, span));
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "1,",
            "1.",
            "１２３件",
            "9999999999999999999999件",
            "十百千万",
            "万",
            "3-",
            "，,.%",
        ] {
            let _ = Numbers::parse(t);
        }
        assert_eq!(q("１２件"), vec![(12.0, "件".into(), true)]);
    }

    proptest::proptest! {
        #[test]
        fn values_equal_parsing_the_digits_as_written(int in "[1-9][0-9]{0,14}", frac in "([0-9]{1,25})?") {
            let written = if frac.is_empty() { int.clone() } else { format!("{int}.{frac}") };
            let expected: f64 = written.parse().unwrap();
            let (value, decimals, end) = read_arabic(&written, 0).unwrap();
            proptest::prop_assert_eq!(value.to_bits(), expected.to_bits(), "{}", written);
            proptest::prop_assert_eq!(usize::from(decimals), frac.len());
            proptest::prop_assert_eq!(end, written.len());
        }
    }

    #[test]
    fn the_byte_skip_agrees_with_the_char_test_on_every_code_point() {
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let numeral = is_arabic_digit(c) || is_cn_numeral(c);
            let s = format!("甲{c}乙");
            let expected = if numeral { '甲'.len_utf8() } else { s.len() };
            assert_eq!(next_number_char(s.as_bytes(), 0), expected, "{c:?}");
            // First and second of a pair of three-byte characters, after
            // an odd one, and at the end of the text.
            // In each of the four places of a stride of four characters.
            let long: Vec<(String, String)> = (0..8).map(|k| ("甲".repeat(k), "乙".repeat(5))).collect();
            let short = [
                ("", "乙甲"),
                ("甲乙", "甲"),
                ("a", "乙甲乙"),
                ("", ""),
                ("a甲乙丙", "乙丙丁戊"),
            ];
            let cases = short
                .iter()
                .map(|&(b, a)| (b, a))
                .chain(long.iter().map(|(b, a)| (b.as_str(), a.as_str())));
            for (before, after) in cases {
                let s = format!("{before}{c}{after}");
                let expected = if numeral { before.len() } else { s.len() };
                assert_eq!(next_number_char(s.as_bytes(), 0), expected, "{c:?} in {s:?}");
            }
        }
        assert_eq!(next_number_char("".as_bytes(), 0), 0);
        assert_eq!(next_number_char("ab".as_bytes(), 2), 2);
    }

    #[test]
    fn the_masks_hold_every_edge_and_unit_start() {
        let r = NumberRules::builtin();
        for (words, edges) in [
            (&r.approx_before, &r.edges.approx_before),
            (&r.approx_inner, &r.edges.approx_inner),
            (&r.approx_after, &r.edges.approx_after),
            (&r.range_marks, &r.edges.range_marks),
        ] {
            for w in words {
                assert_eq!(
                    edges.starting(words, w),
                    words.iter().map(String::as_str).find(|v| w.starts_with(v))
                );
                assert_eq!(
                    edges.ending(words, w),
                    words.iter().map(String::as_str).find(|v| w.ends_with(v))
                );
            }
        }
        for u in &r.units {
            assert!(r.unit_at(&u.unit).is_some(), "{}", u.unit);
        }
        assert!(!CharSet::default().contains('甲') && CharMap::default().get('甲').is_empty());
    }

    /// The character sets and the unit lists by first character hold what
    /// the word lists say, for every character.
    #[test]
    fn the_character_tables_agree_with_the_lists_on_every_code_point() {
        let r = NumberRules::builtin();
        let lists = [
            (&r.approx_before, &r.edges.approx_before),
            (&r.approx_inner, &r.edges.approx_inner),
            (&r.approx_after, &r.edges.approx_after),
            (&r.range_marks, &r.edges.range_marks),
        ];
        use std::collections::{BTreeMap, BTreeSet};
        let edge_chars = |words: &[String], last: bool| -> BTreeSet<char> {
            let edge = |w: &String| if last { w.chars().next_back() } else { w.chars().next() };
            words.iter().filter_map(edge).collect()
        };
        let plain: Vec<_> = lists
            .iter()
            .map(|(words, _)| (edge_chars(words, false), edge_chars(words, true)))
            .collect();
        let mut unit_firsts: BTreeMap<char, Vec<usize>> = BTreeMap::new();
        for (k, u) in r.units.iter().enumerate() {
            unit_firsts.entry(u.unit.chars().next().unwrap()).or_default().push(k);
        }
        let wide = CharSet::of(['𠀀', '😀']);
        let map = CharMap::of([('𠀀', 3), ('甲', 1), ('𠀀', 4)]);
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            for ((_, edges), (firsts, lasts)) in lists.iter().zip(&plain) {
                assert_eq!(edges.firsts.contains(c), firsts.contains(&c), "{c:?}");
                assert_eq!(edges.lasts.contains(c), lasts.contains(&c), "{c:?}");
            }
            let units = unit_firsts.get(&c).map_or(&[][..], |l| &l[..]);
            assert_eq!(r.units_by_first.get(c), units, "{c:?}");
            assert_eq!(wide.contains(c), c == '𠀀' || c == '😀');
            let expected: &[usize] = match c {
                '𠀀' => &[3, 4],
                '甲' => &[1],
                _ => &[],
            };
            assert_eq!(map.get(c), expected);
        }
        // The longest unit a text starts with, as the plain search over all units finds it.
        for u in &r.units {
            for text in [u.unit.clone(), format!("{}次", u.unit), format!("{}方面", u.unit)] {
                let longest = (0..r.units.len()).find(|&k| text.starts_with(r.units[k].unit.as_str()));
                assert_eq!(r.unit_index_at(&text), longest, "{text}");
            }
        }
    }

    /// `read_arabic` as first written: character by character.
    fn read_arabic_plain(text: &str, i: usize) -> Option<(f64, u8, usize)> {
        let mut j = i;
        let mut digits = Digits::default();
        let mut group = 0usize;
        let mut grouped = false;
        while let Some(c) = text[j..].chars().next() {
            if is_arabic_digit(c) {
                digits.push(arabic_value(c));
                group += 1;
                j += c.len_utf8();
            } else if c == ',' && (grouped || group <= 3) && three_digits_follow_plain(&text[j + 1..]) {
                grouped = true;
                group = 0;
                j += 1;
            } else {
                break;
            }
        }
        if grouped && group != 3 {
            return None;
        }
        let int_digits = digits.len;
        if let Some(c) = text[j..].chars().next() {
            if (c == '.' || c == '．') && text[j + c.len_utf8()..].chars().next().is_some_and(is_arabic_digit) {
                let mut k = j + c.len_utf8();
                while let Some(d) = text[k..].chars().next().filter(|d| is_arabic_digit(*d)) {
                    digits.push(arabic_value(d));
                    k += d.len_utf8();
                }
                // 1.2.3 is a section number, not a decimal.
                if text[k..].starts_with('.') && text[k + 1..].chars().next().is_some_and(is_arabic_digit) {
                    return None;
                }
                j = k;
            }
        }
        if int_digits > 15 {
            return None;
        }
        let frac = digits.len - int_digits;
        Some((digits.value(text, i, j, frac)?, frac.min(255) as u8, j))
    }

    fn three_digits_follow_plain(rest: &str) -> bool {
        let mut it = rest.chars();
        (0..3).all(|_| it.next().is_some_and(|c| c.is_ascii_digit())) && !it.next().is_some_and(|c| c.is_ascii_digit())
    }

    proptest::proptest! {
        #[test]
        fn reading_bytes_equals_reading_characters(
            text in "[0-9０-９,.．，a 。一]{0,24}",
            lead in "[甲1a]?",
        ) {
            let text = format!("{lead}{text}");
            for (i, _) in text.char_indices() {
                let fast = read_arabic(&text, i).map(|(v, d, e)| (v.to_bits(), d, e));
                let plain = read_arabic_plain(&text, i).map(|(v, d, e)| (v.to_bits(), d, e));
                proptest::prop_assert_eq!(fast, plain, "{:?} at {}", text, i);
            }
        }
    }

    proptest::proptest! {
        /// `within` finds what two binary searches find.
        #[test]
        fn within_equals_two_binary_searches(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["3件", "12%", "约5人", "两项", "甲", "，", "100人以上"]),
                0..40,
            ),
            a in 0usize..200,
            len in 0usize..200,
        ) {
            let text = parts.concat();
            let n = Numbers::parse(&text);
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = bounds[a % bounds.len()];
            let end = bounds[(a % bounds.len() + len).min(bounds.len() - 1)];
            for span in [Span::new(start, end), Span::new(end, start)] {
                // `within` as first written: two binary searches.
                let a = n.items.partition_point(|q| q.span.start < span.start);
                let mut b = n.items.partition_point(|q| q.span.start < span.end).max(a);
                while b > a && n.items[b - 1].span.end > span.end {
                    b -= 1;
                }
                proptest::prop_assert_eq!(n.within(span), &n.items[a..b]);
            }
        }
    }

    #[test]
    fn grouped_and_fullwidth_digits_keep_their_value() {
        assert_eq!(read_arabic("1,234,567.25", 0), Some((1_234_567.25, 2, 12)));
        assert_eq!(read_arabic("１２．５", 0).map(|r| r.0), Some(12.5));
        assert_eq!(read_arabic("12345678901234567.5", 0), None);
    }

    /// Words and characters the scan reads around numbers, for texts made
    /// of them.
    fn scan_pieces() -> Vec<String> {
        let r = NumberRules::builtin();
        let lists = [
            &r.approx_before,
            &r.approx_inner,
            &r.approx_after,
            &r.range_marks,
            &r.fixed_terms,
        ];
        let extras = [
            "第",
            "初",
            "星期",
            "统一",
            "一是",
            "进一步",
            "ISO",
            "2026-",
            "１２",
            "。",
            "、",
            "（",
            "）",
            " ",
            "%",
            "％",
            "万",
            "亿",
            "两万",
            "十余",
            "1.2.3",
            "1,234",
            "5．5",
            "_",
            "/",
            "a",
            "-",
        ];
        let units = r.units.iter().map(|u| u.unit.clone());
        let words = lists.into_iter().flatten().cloned();
        units.chain(words).chain(extras.iter().map(|s| s.to_string())).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The scan finds what the plain scan as first written finds.
        #[test]
        fn the_scan_equals_the_plain_scan(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(scan_pieces()),
                    "[0-9０-９零〇一二三四五六七八九十百千万两亿余多个项人年%％ ,.．至第甲]{1,3}",
                ],
                0..24,
            ),
        ) {
            let text = parts.concat();
            let plain = plain::parse_with_plain(&text, NumberRules::builtin());
            proptest::prop_assert_eq!(Numbers::parse(&text).items, plain.items, "{}", text);
        }
    }

    /// The same on the fixture reports and the report the rules are tested on.
    #[test]
    fn the_scan_equals_the_plain_scan_on_real_reports() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts = vec![crate::rules::testing::GOOD.to_string()];
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
        assert!(texts.len() > 3);
        for text in &texts {
            let plain = plain::parse_with_plain(text, NumberRules::builtin());
            assert!(!plain.items.is_empty());
            assert_eq!(Numbers::parse(text).items, plain.items);
        }
    }

    /// The table of what characters start equals the lists, on every code point.
    #[test]
    fn the_follow_table_agrees_with_the_lists_on_every_code_point() {
        let r = NumberRules::builtin();
        let starts = |words: &[String], c: char| words.iter().any(|w| w.starts_with(c));
        let units: Vec<String> = r.units.iter().map(|u| u.unit.clone()).collect();
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let mut bits = 0;
            for (holds, bit) in [
                (starts(&units, c), follow::UNIT),
                (starts(&r.approx_inner, c), follow::INNER),
                (starts(&r.range_marks, c), follow::RANGE),
                (starts(&r.approx_after, c), follow::AFTER),
                (matches!(c, ' ' | '%' | '％' | '万' | '亿'), follow::OTHER),
            ] {
                if holds {
                    bits |= bit;
                }
            }
            let text = format!("{c}");
            assert_eq!(r.follow_at(&text, 0), bits, "{c:?}");
            assert_eq!(r.follow_plain(c), bits, "{c:?}");
        }
        assert_eq!(r.follow_at("甲", 3), 0);
    }

    #[test]
    fn runs_of_digits_and_numerals() {
        assert_eq!(arabic_run_end("12.3,4５６a".as_bytes(), 0), "12.3,4５６".len());
        assert_eq!(arabic_run_end("a1".as_bytes(), 0), 0);
        assert_eq!(cn_run_end("二十三项".as_bytes(), 0), "二十三".len());
        assert_eq!(cn_run_end("一５".as_bytes(), 0), "一".len());
        assert_eq!(cn_run_end("两万".as_bytes(), 3), 6);
    }

    /// The number scan as first written (before session 7), kept as the
    /// plain reference the scan above is tested against.
    mod plain {

        use super::super::*;

        /// `Numbers::parse_with` as first written.
        pub(super) fn parse_with_plain(text: &str, rules: &'static NumberRules) -> Numbers {
            let mut items = Vec::new();
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < text.len() {
                i = next_number_char(bytes, i);
                let c = match text.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(c) => c,
                    None => break,
                };
                let next = if is_arabic_digit(c) {
                    scan_arabic_plain(text, i, rules)
                } else if is_cn_numeral(c) {
                    scan_chinese_plain(text, i, rules)
                } else {
                    None
                };
                match next {
                    Some((q, end)) => {
                        items.push(q);
                        i = end.max(i + c.len_utf8());
                    }
                    None => {
                        // Skip a whole run of digits or numerals that is not a quantity,
                        // so that `ISO9001` is not read as `9001` nor `12345` as `2345`.
                        let mut j = i + c.len_utf8();
                        if is_arabic_digit(c) || is_cn_numeral(c) {
                            while let Some(d) = text[j..].chars().next() {
                                if (is_arabic_digit(c) && (is_arabic_digit(d) || d == '.' || d == ','))
                                    || (is_cn_numeral(c) && is_cn_numeral(d))
                                {
                                    j += d.len_utf8();
                                } else {
                                    break;
                                }
                            }
                        }
                        i = j;
                    }
                }
                debug_assert!(i <= bytes.len());
            }
            Numbers { items }
        }

        /// A quantity starting with an Arabic digit at `i`; returns it and where the scan resumes.
        fn scan_arabic_plain(text: &str, i: usize, rules: &'static NumberRules) -> Option<(Quantity, usize)> {
            // A number glued to Latin letters or to a previous number is a code (ISO9001, 2026-00005).
            if let Some(p) = text[..i].chars().next_back() {
                if p.is_ascii_alphanumeric() || p == '.' || p == '/' || p == '_' {
                    return None;
                }
                let mut back = text[..i].chars().rev();
                if matches!(back.next(), Some('-')) && back.next().is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
            }
            let (value, decimals, end) = read_arabic(text, i)?;
            let number = Span::new(i, end);
            finish_plain(text, number, value, decimals, false, rules)
        }

        /// A quantity starting with a Chinese numeral at `i`. Chinese numerals are
        /// only quantities when a unit follows (三项, 十余次, 两个方面); ordinals
        /// (第三) and bare numerals (一是, 统一) are not.
        fn scan_chinese_plain(text: &str, i: usize, rules: &'static NumberRules) -> Option<(Quantity, usize)> {
            if text[..i].ends_with('第') || text[..i].ends_with('初') || text[..i].ends_with("星期") {
                return None;
            }
            let mut end = i;
            for c in text[i..].chars() {
                if !is_cn_numeral(c) {
                    break;
                }
                end += c.len_utf8();
            }
            // 两万元: 万 belongs to the unit.
            let mut run = &text[i..end];
            if (run.ends_with('万') || run.ends_with('亿'))
                && run.chars().count() > 1
                && rules.unit_at(&text[end..]).is_some()
            {
                end -= '万'.len_utf8();
                run = &text[i..end];
            }
            let after = &text[end..];
            let has_unit = rules.unit_at(after).is_some()
                || (rules.edges.approx_inner.starting(&rules.approx_inner, after).is_some()
                    && rules
                        .approx_inner
                        .iter()
                        .any(|a| after.starts_with(a.as_str()) && rules.unit_at(&after[a.len()..]).is_some()));
            if !has_unit {
                return None;
            }
            // After the cheaper test of the unit: most numerals (统一, 一是) have none.
            let value = parse_cn_number(run)?;
            finish_plain(text, Span::new(i, end), value as f64, 0, true, rules)
        }

        /// Read what follows a numeral (range, approximation, unit) and what stands in front.
        fn finish_plain(
            text: &str,
            number: Span,
            value: f64,
            decimals: u8,
            chinese: bool,
            rules: &'static NumberRules,
        ) -> Option<(Quantity, usize)> {
            let mut j = number.end;
            let mut approx: Option<Span> = None;
            let mut high = None;
            // A space between number and unit is a typing slip; accept one.
            let unit_from = |j: usize| if text[j..].starts_with(' ') { j + 1 } else { j };
            // A range: 3-5次, 10至20人 (only with a unit: 2026-00005 is a code).
            if !chinese {
                if let Some(m) = rules.edges.range_marks.starting(&rules.range_marks, &text[j..]) {
                    let k = j + m.len();
                    if text[k..].chars().next().is_some_and(is_arabic_digit) {
                        if let Some((hv, _, e)) = read_arabic(text, k) {
                            let rest = &text[unit_from(e)..];
                            if rules.unit_at(rest).is_some() || rest.starts_with('%') || rest.starts_with('％') {
                                high = Some(hv);
                                j = e;
                            }
                        }
                    }
                }
            }
            if let Some(a) = rules.edges.approx_inner.starting(&rules.approx_inner, &text[j..]) {
                approx = Some(Span::new(j, j + a.len()));
                j += a.len();
            }
            let mut unit: &'static str = "";
            let mut unit_span = None;
            let mut kind = UnitKind::None;
            let u = unit_from(j);
            if text[u..].starts_with('%') || text[u..].starts_with('％') {
                let len = text[u..].chars().next().map_or(1, char::len_utf8);
                unit = "%";
                unit_span = Some(Span::new(u, u + len));
                kind = UnitKind::Percent;
                j = u + len;
            } else {
                let (mult, k) = match text[u..].chars().next() {
                    Some(m @ ('万' | '亿')) => (Some(m), u + m.len_utf8()),
                    _ => (None, u),
                };
                if let Some(d) = rules.unit_index_at(&text[k..]) {
                    let def = &rules.units[d];
                    let form = match mult {
                        None => 0,
                        Some('万') => 1,
                        Some(_) => 2,
                    };
                    unit = &rules.unit_forms[d][form];
                    let e = k + def.unit.len();
                    unit_span = Some(Span::new(u, e));
                    kind = def.kind;
                    j = e;
                } else if let Some(m) = mult {
                    // 20余万 without a unit: a multiplier only.
                    unit = if m == '万' { "万" } else { "亿" };
                    unit_span = Some(Span::new(u, k));
                    kind = UnitKind::Count;
                    j = k;
                }
                if kind != UnitKind::None && approx.is_none() {
                    if let Some(a) = rules.edges.approx_after.starting(&rules.approx_after, &text[j..]) {
                        approx = Some(Span::new(j, j + a.len()));
                        j += a.len();
                    }
                }
            }
            let mut start = number.start;
            if approx.is_none() {
                if let Some(a) = rules
                    .edges
                    .approx_before
                    .ending(&rules.approx_before, &text[..number.start])
                {
                    start = number.start - a.len();
                    approx = Some(Span::new(start, number.start));
                }
            }
            // 十余 as written without a unit after 余 is handled above; 百分之五十 is rare
            // in reports and left out.
            Some((
                Quantity {
                    span: Span::new(start, j),
                    number,
                    value,
                    high,
                    decimals,
                    chinese,
                    unit,
                    unit_span,
                    kind,
                    approx,
                },
                j,
            ))
        }
    }
}
