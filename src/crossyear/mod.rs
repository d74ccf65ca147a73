//! Cross-year review: last year's report (`--baseline`) parsed once, the
//! items of a mandated part (plan items, shortcomings), the text
//! normalisation used to compare paragraphs, and the character-bigram
//! matching of an item's content words.
//!
//! Comparing paragraphs is linear-ish: every baseline paragraph is indexed by
//! its character trigrams; a paragraph of this year's report is compared with
//! `similar` only against the few baseline paragraphs that share many
//! trigrams with it.

use crate::document::Document;
use crate::facts::Facts;
use crate::knowledge::{line_of, DataError, Knowledge};
use crate::outline;
use crate::source::Span;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A set of Han bigrams (compared by the thousand: a fast hash).
/// A set of character bigrams, kept sorted: the sets are small, and sorting
/// once and merging cost less than hashing every bigram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bigrams(Vec<u64>);

/// A bigram as one number, in the order of the pair.
fn packed([a, b]: [char; 2]) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn unpacked(x: u64) -> [char; 2] {
    let char_of = |v: u64| char::from_u32(v as u32).expect("packed from a char");
    [char_of(x >> 32), char_of(x & 0xFFFF_FFFF)]
}

impl Bigrams {
    fn from_vec(mut all: Vec<u64>) -> Bigrams {
        all.sort_unstable();
        all.dedup();
        Bigrams(all)
    }

    /// The bigrams of consecutive Han characters of each of `texts`.
    pub fn of_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Bigrams {
        let mut all = Vec::new();
        for t in texts {
            push_bigrams(t, &mut all);
        }
        Bigrams::from_vec(all)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, b: &[char; 2]) -> bool {
        self.0.binary_search(&packed(*b)).is_ok()
    }

    pub fn iter(&self) -> impl Iterator<Item = [char; 2]> + '_ {
        self.0.iter().map(|&x| unpacked(x))
    }

    /// How many of these bigrams `other` holds too.
    pub fn shared_with(&self, other: &Bigrams) -> usize {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
}

/// Thresholds of `copied-text` (`[copied-text]` in fzlint.toml).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CopiedTextSettings {
    /// Similarity (0–1, `similar`'s ratio on normalised text) at or above
    /// which a paragraph counts as copied.
    pub threshold: f32,
    /// Paragraphs with fewer normalised characters are not compared.
    pub min_chars: usize,
}

// Thresholds are validated (never NaN).
impl Eq for CopiedTextSettings {}

impl Default for CopiedTextSettings {
    fn default() -> Self {
        CopiedTextSettings {
            threshold: 0.85,
            min_chars: 20,
        }
    }
}

/// The word lists of `rules/crossyear.toml`.
#[derive(Debug, Clone)]
pub struct CrossYearData {
    /// Stock verbs and boilerplate, longest first.
    pub stock: Vec<String>,
    /// Words that only say there is a problem, longest first.
    pub problem: Vec<String>,
    /// The stock words, then the problem words, indexed by their first two
    /// characters (built on first use; `None` when a word holds the `|`
    /// that cuts replace words with, or is shorter than two characters).
    words: std::sync::OnceLock<Option<WordIndex>>,
}

/// Words found by their first two characters: one pass over a text looks
/// up each of its characters instead of searching for each word.
#[derive(Debug, Clone)]
struct WordIndex {
    /// Bit `c % 256` set for the first character `c` of each word.
    first: [u64; 4],
    /// The words by their first two characters (packed), as indices into
    /// the stock words followed by the problem words.
    by_start: rustc_hash::FxHashMap<u64, Vec<usize>>,
}

impl WordIndex {
    fn of<'a>(words: impl Iterator<Item = &'a String>) -> Option<WordIndex> {
        let mut index = WordIndex {
            first: [0; 4],
            by_start: Default::default(),
        };
        for (k, w) in words.enumerate() {
            let mut chars = w.chars();
            let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
                return None;
            };
            if w.contains('|') {
                return None;
            }
            let bit = u32::from(a) & 255;
            index.first[(bit >> 6) as usize] |= 1 << (bit & 63);
            index.by_start.entry(packed([a, b])).or_default().push(k);
        }
        Some(index)
    }

    /// The words (indices) that occur in `text` and where (byte offset),
    /// overlapping ones included, each once per occurrence, in no particular order.
    fn each_in<'w>(&self, text: &str, words: impl Fn(usize) -> &'w str, mut found: impl FnMut(usize, usize)) {
        let mut chars = text.char_indices().peekable();
        while let Some((i, a)) = chars.next() {
            let bit = u32::from(a) & 255;
            if self.first[(bit >> 6) as usize] & (1 << (bit & 63)) == 0 {
                continue;
            }
            let Some(&(_, b)) = chars.peek() else { break };
            if let Some(list) = self.by_start.get(&packed([a, b])) {
                for &k in list {
                    if text[i..].starts_with(words(k)) {
                        found(k, i);
                    }
                }
            }
        }
    }
}

const DATA_FILE: &str = "rules/crossyear.toml";
const DATA: &str = include_str!("../../rules/crossyear.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    stock: Vec<toml::Spanned<String>>,
    problem: Vec<toml::Spanned<String>>,
}

impl CrossYearData {
    pub fn parse(file: &str, text: &str) -> Result<CrossYearData, DataError> {
        let raw: RawData = crate::knowledge::parse_toml(file, text)?;
        let clean = |list: Vec<toml::Spanned<String>>| -> Result<Vec<String>, DataError> {
            let mut out = Vec::new();
            for w in list {
                let s = w.get_ref().trim();
                if s.chars().count() < 2 {
                    return Err(DataError {
                        file: file.into(),
                        line: line_of(text, w.span().start),
                        message: format!("词“{s}”太短：至少两个字"),
                    });
                }
                out.push(s.to_string());
            }
            out.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            out.dedup();
            Ok(out)
        };
        Ok(CrossYearData {
            stock: clean(raw.stock)?,
            problem: clean(raw.problem)?,
            words: Default::default(),
        })
    }

    pub fn builtin() -> &'static CrossYearData {
        static DATA_CELL: OnceLock<CrossYearData> = OnceLock::new();
        DATA_CELL.get_or_init(|| CrossYearData::parse(DATA_FILE, DATA).expect("rules/crossyear.toml is valid"))
    }
}

/// One paragraph of the baseline, normalised for comparison.
#[derive(Debug, Clone)]
pub struct BaselineParagraph {
    pub span: Span,
    /// 0-based line.
    pub line: usize,
    pub norm: Vec<char>,
    /// The mandated part it belongs to (`shortcomings`, `next-year-plan` …).
    pub part: Option<&'static str>,
}

/// Last year's report, parsed once and shared by every file of a run.
#[derive(Debug)]
pub struct Baseline {
    /// The name to show (the path given to `--baseline`).
    pub name: String,
    pub doc: Document,
    pub facts: Facts,
    pub paragraphs: Vec<BaselineParagraph>,
    /// Trigram → indices into `paragraphs`.
    index: HashMap<[char; 3], Vec<u32>>,
    /// Items of last year's next-year plan.
    pub plan: Vec<Item>,
    pub settings: CopiedTextSettings,
}

impl Baseline {
    pub fn new(name: &str, text: &str, kb: &Knowledge, settings: CopiedTextSettings) -> Baseline {
        let doc = outline::parse(text);
        let facts = Facts::analyse(&doc, kb, None);
        let mut paragraphs = Vec::new();
        let mut index: HashMap<[char; 3], Vec<u32>> = HashMap::new();
        for (span, line) in units(&doc, &facts) {
            let norm = normalise(span.slice(&doc.text));
            if norm.len() < settings.min_chars {
                continue;
            }
            let i = paragraphs.len() as u32;
            let mut seen = HashSet::new();
            for t in norm.windows(3) {
                let t = [t[0], t[1], t[2]];
                if seen.insert(t) {
                    index.entry(t).or_default().push(i);
                }
            }
            paragraphs.push(BaselineParagraph {
                span,
                line,
                part: part_of(&facts, line),
                norm,
            });
        }
        let plan = part_items(&doc, &facts, "next-year-plan");
        Baseline {
            name: name.to_string(),
            doc,
            facts,
            paragraphs,
            index,
            plan,
            settings,
        }
    }

    /// The baseline paragraph most similar to `norm` (normalised text), with
    /// its similarity, when it reaches the threshold.
    pub fn most_similar(&self, norm: &[char]) -> Option<(&BaselineParagraph, f32)> {
        if norm.len() < self.settings.min_chars {
            return None;
        }
        // Count shared distinct trigrams per candidate paragraph.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        let mut seen = HashSet::new();
        let mut total = 0usize;
        for t in norm.windows(3) {
            let t = [t[0], t[1], t[2]];
            if !seen.insert(t) {
                continue;
            }
            total += 1;
            if let Some(list) = self.index.get(&t) {
                for &i in list {
                    *shared.entry(i).or_default() += 1;
                }
            }
        }
        if total == 0 {
            return None;
        }
        // A ratio ≥ t needs most trigrams in common: keep candidates sharing at
        // least half of the smaller trigram set, best five only.
        let mut cands: Vec<(u32, usize)> = shared
            .into_iter()
            .filter(|&(i, n)| {
                let other = self.paragraphs[i as usize].norm.len().saturating_sub(2).max(1);
                n * 2 >= total.min(other)
            })
            .collect();
        cands.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        cands.truncate(5);
        let mut best: Option<(&BaselineParagraph, f32)> = None;
        for (i, _) in cands {
            let p = &self.paragraphs[i as usize];
            let ratio = similarity(norm, &p.norm);
            if ratio >= self.settings.threshold && best.is_none_or(|(_, r)| ratio > r) {
                best = Some((p, ratio));
            }
        }
        best
    }
}

/// The passages compared by `copied-text`: the body's paragraphs after its
/// first heading (the preamble's 现将有关情况报告如下 is the same every year),
/// a paragraph with two or more 一是/二是 markers cut into its segments
/// (with the lead-in before the first marker), each with its 0-based line.
pub fn units(doc: &Document, facts: &Facts) -> Vec<(Span, usize)> {
    let text = &doc.text;
    let first_heading = doc
        .headings
        .iter()
        .map(|h| h.line)
        .find(|&l| facts.in_body(l))
        .unwrap_or(usize::MAX);
    let mut out = Vec::new();
    // A sentence-long heading (a plan item written as one heading) is a unit;
    // short ones fall under `min_chars` later.
    for h in &doc.headings {
        let part_heading = facts.parts.iter().flatten().any(|p| p.line == h.line);
        if facts.in_body(h.line) && h.body.is_none() && !part_heading {
            out.push((h.title, h.line));
        }
    }
    for p in &doc.paragraphs {
        if !facts.in_body(p.first_line) || p.first_line < first_heading {
            continue;
        }
        if p.enums.len() < 2 {
            out.push((trim_span(text, p.span), p.first_line));
            continue;
        }
        let lead = trim_span(text, Span::new(p.span.start, p.enums[0].span.start));
        if !lead.is_empty() {
            out.push((lead, p.first_line));
        }
        for (k, m) in p.enums.iter().enumerate() {
            let end = p.enums.get(k + 1).map_or(p.span.end, |n| n.span.start);
            let span = trim_span(text, Span::new(m.span.start, end));
            out.push((span, doc.index.line_of(span.start)));
        }
    }
    out.sort_by_key(|u| u.0.start);
    out
}

/// Splits a cross-document rule's documentation example into last year's
/// and this year's text: the example writes `去年报告：` and `今年报告：` on
/// lines of their own. Without them the whole text is this year's.
pub fn split_example(text: &str) -> (Option<&str>, &str) {
    const LAST: &str = "去年报告：\n";
    const THIS: &str = "今年报告：\n";
    match (text.find(LAST), text.find(THIS)) {
        (Some(a), Some(b)) if a < b => (Some(&text[a + LAST.len()..b]), &text[b + THIS.len()..]),
        _ => (None, text),
    }
}

/// `similar`'s ratio of two character sequences (1.0 = identical).
pub fn similarity(a: &[char], b: &[char]) -> f32 {
    let deadline = std::time::Instant::now().checked_add(std::time::Duration::from_millis(200));
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, a, b, deadline);
    similar::get_diff_ratio(&ops, a.len(), b.len())
}

/// The text used to compare paragraphs: Han characters, letters and digits
/// only (punctuation, spaces and marks dropped), every run of digits as one
/// `#` so that a paragraph copied with this year's numbers put in still
/// counts as copied.
pub fn normalise(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        if c.is_alphabetic() {
            out.push(c);
        }
    }
    out
}

/// The mandated part a line lies in.
pub fn part_of(facts: &Facts, line: usize) -> Option<&'static str> {
    facts
        .parts
        .iter()
        .flatten()
        .find(|p| p.extent.contains(&line) || p.line == line)
        .map(|p| p.key)
}

/// One item of a part: a sub-heading with its text, a 一是/二是 segment, or a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The whole item.
    pub span: Span,
    /// What it is about: the sub-heading's title or the first sentence.
    pub core: Span,
    /// 0-based line where it starts.
    pub line: usize,
}

/// The first sentence of a passage; a lead-in that ends with a colon
/// (`主要表现在：…`) gives way to the sentence after it.
fn first_sentence(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    match s
        .char_indices()
        .find(|&(_, c)| matches!(c, '。' | '；' | ';' | '：' | ':' | '！' | '？'))
    {
        Some((i, c)) => {
            let rest = trim_span(text, Span::new(span.start + i + c.len_utf8(), span.end));
            if matches!(c, '：' | ':') && !rest.is_empty() {
                first_sentence(text, rest)
            } else {
                Span::new(span.start, span.start + i)
            }
        }
        None => span,
    }
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    Span::new(span.start + lead, span.end - trail.min(s.len() - lead))
}

/// The items of a mandated part, in order. Sub-headings one level below the
/// part's heading win; otherwise the 一是/二是 segments of its paragraphs;
/// otherwise its paragraphs (a lead-in ending with a colon is skipped).
pub fn part_items(doc: &Document, facts: &Facts, key: &str) -> Vec<Item> {
    let Some(part) = facts.part(key) else {
        return Vec::new();
    };
    let text = &doc.text;
    let lines = part.extent.clone();
    let inside = |l: usize| lines.contains(&l) && l != part.line;
    let subs: Vec<usize> = doc
        .headings
        .iter()
        .enumerate()
        .filter(|(_, h)| inside(h.line))
        .map(|(i, _)| i)
        .collect();
    let mut items = Vec::new();
    if let Some(level) = subs.iter().map(|&i| doc.headings[i].level).min() {
        let tops: Vec<usize> = subs.into_iter().filter(|&i| doc.headings[i].level == level).collect();
        for (k, &i) in tops.iter().enumerate() {
            let h = &doc.headings[i];
            let last_line = tops
                .get(k + 1)
                .map_or(lines.end, |&j| doc.headings[j].line)
                .saturating_sub(1)
                .max(h.line);
            let end = doc
                .lines
                .get(last_line)
                .map_or(h.span.end, |l| l.span.end.max(h.span.end));
            let mut core = h.title;
            if core.slice(text).chars().count() < 6 {
                if let Some(b) = h.body {
                    core = Span::new(core.start, first_sentence(text, b).end);
                }
            }
            items.push(Item {
                span: Span::new(h.span.start, end),
                core,
                line: h.line,
            });
        }
        return items;
    }
    let paras: Vec<_> = doc
        .paragraphs
        .iter()
        .filter(|p| inside(p.first_line) && facts.in_body(p.first_line))
        .collect();
    let any_enums = paras.iter().any(|p| !p.enums.is_empty());
    for p in paras {
        if any_enums {
            for (k, m) in p.enums.iter().enumerate() {
                let end = p.enums.get(k + 1).map_or(p.span.end, |n| n.span.start);
                let span = trim_span(text, Span::new(m.span.end, end));
                if span.is_empty() {
                    continue;
                }
                items.push(Item {
                    span: Span::new(m.span.start, span.end),
                    core: first_sentence(text, span),
                    line: doc.index.line_of(m.span.start),
                });
            }
        } else {
            let span = trim_span(text, p.span);
            let s = span.slice(text);
            if s.is_empty() || s.ends_with('：') || s.ends_with(':') {
                continue;
            }
            items.push(Item {
                span,
                core: first_sentence(text, span),
                line: p.first_line,
            });
        }
    }
    items
}

/// The character bigrams of a phrase's content words: Han characters only,
/// with every word of `remove` cut out first (bigrams never span a cut).
pub fn content_bigrams(text: &str, remove: &[&[String]]) -> Bigrams {
    let mut s = text.to_string();
    // Most words cannot occur: their first character is not in the text.
    let present: rustc_hash::FxHashSet<char> = text.chars().collect();
    for list in remove {
        for w in *list {
            if w.chars().next().is_some_and(|c| present.contains(&c)) && s.contains(w.as_str()) {
                s = s.replace(w.as_str(), "|");
            }
        }
    }
    bigrams(&s)
}

/// [`content_bigrams`] with the stock words (and the problem words) of
/// `data` cut out, finding which of them occur in one pass: a word cut out
/// of the text as it is being cut occurs in the text as given, since a cut
/// leaves a `|` that no word holds.
fn content_bigrams_of(text: &str, data: &CrossYearData, problem_words: bool) -> Bigrams {
    let words = data
        .words
        .get_or_init(|| WordIndex::of(data.stock.iter().chain(&data.problem)));
    let Some(index) = words else {
        let lists: Vec<&[String]> = if problem_words {
            vec![&data.stock, &data.problem]
        } else {
            vec![&data.stock]
        };
        return content_bigrams(text, &lists);
    };
    let used = if problem_words {
        data.stock.len() + data.problem.len()
    } else {
        data.stock.len()
    };
    let word = |k: usize| {
        data.stock
            .get(k)
            .unwrap_or_else(|| &data.problem[k - data.stock.len()])
            .as_str()
    };
    // The words that occur, with where, cut out in the order of the lists.
    let mut occurring: Vec<(usize, usize)> = Vec::new();
    index.each_in(text, word, |k, at| {
        if k < used {
            occurring.push((k, at))
        }
    });
    if occurring.is_empty() {
        return bigrams(text);
    }
    occurring.sort_unstable();
    // Cutting a word out of the text as cut so far (`replace` with `|`)
    // cuts its leftmost occurrences that do not overlap one another and
    // lie wholly outside what was cut before: mark those bytes.
    let mut cut = vec![false; text.len()];
    let mut k = 0;
    while k < occurring.len() {
        let w = occurring[k].0;
        let len = word(w).len();
        let mut free_from = 0;
        while let Some(&(_, at)) = occurring.get(k).filter(|o| o.0 == w) {
            k += 1;
            if at >= free_from && !cut[at..at + len].contains(&true) {
                cut[at..at + len].fill(true);
                free_from = at + len;
            }
        }
    }
    // The bigrams of the text left, a cut parting the characters around it.
    let mut all = Vec::with_capacity(text.len() / 3);
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if cut[i] || !is_han(c) {
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            all.push(packed([p, c]));
        }
        prev = Some(c);
    }
    Bigrams::from_vec(all)
}

/// The bigrams of consecutive Han characters of a text.
pub fn bigrams(text: &str) -> Bigrams {
    // Han characters take three bytes: room for every bigram.
    let mut all = Vec::with_capacity(text.len() / 3);
    push_bigrams(text, &mut all);
    Bigrams::from_vec(all)
}

fn push_bigrams(text: &str, out: &mut Vec<u64>) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if is_han(c) {
            if let Some(p) = prev {
                out.push(packed([p, c]));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The share of `needle`'s bigrams found in `hay` (0 when `needle` is empty).
pub fn coverage(needle: &Bigrams, hay: &Bigrams) -> (usize, f32) {
    if needle.is_empty() {
        return (0, 0.0);
    }
    let n = needle.shared_with(hay);
    (n, n as f32 / needle.len() as f32)
}

/// A short quotation of a passage for a message.
pub fn quote(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut q: String = s.chars().take(max).collect();
        q.push('…');
        q
    }
}

/// An inline character diff of two passages: `[-去年-]{+今年+}`, long
/// unchanged stretches shortened to their ends.
pub fn inline_diff(old: &str, new: &str, max_chars: usize) -> String {
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_chars(old, new);
    if old.trim() == new.trim() {
        return "两段文字完全相同".to_string();
    }
    let mut out = String::new();
    let mut last: Option<similar::ChangeTag> = None;
    let mut run = String::new();
    let flush = |out: &mut String, tag: Option<similar::ChangeTag>, run: &mut String| {
        match tag {
            Some(similar::ChangeTag::Equal) => {
                let n = run.chars().count();
                if n > 24 {
                    let head: String = run.chars().take(10).collect();
                    let tail: String = run.chars().skip(n - 10).collect();
                    out.push_str(&format!("{head}…{tail}"));
                } else {
                    out.push_str(run);
                }
            }
            Some(similar::ChangeTag::Delete) => out.push_str(&format!("[-{run}-]")),
            Some(similar::ChangeTag::Insert) => out.push_str(&format!("{{+{run}+}}")),
            None => {}
        }
        run.clear();
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        if last != Some(tag) {
            flush(&mut out, last, &mut run);
            last = Some(tag);
        }
        run.push_str(change.value());
    }
    flush(&mut out, last, &mut run);
    if out.chars().count() > max_chars {
        out = out.chars().take(max_chars).collect();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;

/// The content bigrams of an item's core: its first clause (up to ，) when
/// that says enough (three bigrams or more once stock words are cut out),
/// else the core up to where its causes begin (原因).
pub fn item_terms(text: &str, item: &Item, problem_words: bool) -> Bigrams {
    let data = CrossYearData::builtin();
    let core = without_causes(text, item.core).slice(text);
    let clause = core.split(['，', ',']).find(|c| !c.trim().is_empty()).unwrap_or(core);
    let terms = content_bigrams_of(clause, data, problem_words);
    if terms.len() >= 3 {
        terms
    } else {
        content_bigrams_of(core, data, problem_words)
    }
}

/// A shortcoming's statement without the causes that follow it
/// (`…不强，原因在于…` → `…不强`).
pub fn without_causes(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    // The first 原因, taking a 主要 in front of it along: no 主要原因 can start
    // before the first 原因 unless it holds it.
    static CAUSE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("原因"));
    let cut = CAUSE.find(s.as_bytes()).map_or(s.len(), |i| {
        if s[..i].ends_with("主要") {
            i - "主要".len()
        } else {
            i
        }
    });
    let kept = s[..cut].trim_end_matches(['，', ',', '；', ';', '：', ':', ' ', '　']);
    if kept.is_empty() {
        span
    } else {
        Span::new(span.start, span.start + kept.len())
    }
}

/// The least share of an item's content bigrams that must be found in the
/// other text for the item to count as answered there.
pub const MIN_COVERAGE: f32 = 0.4;
