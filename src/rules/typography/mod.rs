//! Rules about punctuation and spacing (GB/T 15834-2011, GB/T 9704-2012).
//!
//! All of them read the tables of `rules/typography.toml` and share the few
//! helpers below: which lines are checked (everything but web-page chrome),
//! what counts as Chinese text, and the "shield" of a line: the spans that
//! typography rules leave alone (URLs, e-mail addresses, Latin and number runs
//! such as `GB/T 9704-2012`, quoted titles, document numbers, Word debris and
//! the heading marker, which `heading-style` owns).

pub mod cjk_spacing;
pub mod data;
pub mod doc_number_brackets;
pub mod halfwidth_punctuation;
pub mod repeated_punctuation;
pub mod scan;
pub mod unpaired_mark;

use crate::document::{Document, LineKind};
use crate::ingest::{is_cjk, is_cjk_punct};
use crate::lazy_regex::LazyRegex;
use crate::rules::Context;
use crate::source::Span;
use data::TypographyRules;
use scan::Gate;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A Chinese character (汉字).
pub fn is_han(c: char) -> bool {
    is_cjk(c)
}

/// A Chinese character or Chinese (full-width) punctuation.
pub fn is_chinese(c: char) -> bool {
    is_cjk(c) || is_cjk_punct(c)
}

/// Spans of one line that the typography rules leave alone, sorted and
/// merged: the whole-line shield that [`LineShield`] is tested against.
#[cfg(test)]
#[derive(Debug, Default, Clone)]
pub struct Shield {
    spans: std::sync::OnceLock<Vec<Span>>,
}

#[cfg(test)]
impl Shield {
    fn from_spans(spans: Vec<Span>) -> Shield {
        Shield {
            spans: std::sync::OnceLock::from(merged(spans)),
        }
    }

    fn spans(&self) -> &[Span] {
        self.spans.get().map_or(&[], Vec::as_slice)
    }

    /// Whether byte `pos` lies inside a shielded span.
    pub fn covers(&self, pos: usize) -> bool {
        covers_in(self.spans(), pos)
    }

    /// Whether `span` touches a shielded span.
    pub fn overlaps(&self, span: Span) -> bool {
        overlaps_in(self.spans(), span)
    }
}

/// Whether byte `pos` lies inside one of `spans` (sorted and merged).
fn covers_in(spans: &[Span], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= pos);
    spans.get(i).is_some_and(|s| s.start <= pos)
}

/// Whether `span` touches one of `spans` (sorted and merged).
fn overlaps_in(spans: &[Span], span: Span) -> bool {
    let i = spans.partition_point(|s| s.end <= span.start);
    spans.get(i).is_some_and(|s| s.start < span.end.max(span.start + 1))
}

/// The shield of one line, worked out only around the positions asked
/// about: a pattern runs only on the stretch where a match holding the
/// position can lie ([`scan::Shape::around`]), once per stretch, and not at
/// all where the character there cannot be part of a match. It answers as
/// the line's whole shield ([`line_shield`]) does.
pub struct LineShield<'c> {
    t: &'c TypographyRules,
    /// The line, as the patterns see it.
    text: &'c str,
    base: usize,
    /// Whether the rules check the line at all.
    checked: bool,
    /// The debris and the heading marker of the line, sorted and merged.
    fixed: Vec<Span>,
    /// For each pattern: what is known of its matches in the line.
    done: RefCell<Vec<Searched>>,
}

/// What is known of the matches of one pattern in a line.
#[derive(Default)]
struct Searched {
    /// Whether the line holds the pattern's anchor, once asked.
    anchored: Option<bool>,
    /// The stretches searched (by start, with their end) and the matches
    /// found there, relative to the line.
    windows: BTreeMap<usize, (usize, Vec<(usize, usize)>)>,
}

impl<'c> LineShield<'c> {
    pub fn new(cx: &'c Context<'_>, l: usize) -> LineShield<'c> {
        let doc = cx.doc;
        let line = &doc.lines[l];
        let checked = !cx.facts.is_chrome(l) && !line.content.is_empty();
        let mut fixed = Vec::new();
        if checked {
            fixed = line.debris.clone();
            if let LineKind::Heading(h) = line.kind {
                let m = &doc.headings[h].marker;
                fixed.push(Span::new(m.span.start, m.gap.map_or(m.span.end, |g| g.end)));
            }
            fixed = merged(fixed);
        }
        LineShield {
            t: &cx.kb.typography,
            text: doc.slice(line.span),
            base: line.span.start,
            checked,
            fixed,
            done: RefCell::new(Vec::new()),
        }
    }

    /// Whether byte `pos` (of the whole text) lies inside a shielded span.
    pub fn covers(&self, pos: usize) -> bool {
        if !self.checked {
            return false;
        }
        if covers_in(&self.fixed, pos) {
            return true;
        }
        match pos.checked_sub(self.base) {
            Some(p) if p < self.text.len() => self.matched(self.floor(p)),
            _ => false,
        }
    }

    /// Whether `span` (of the whole text) touches a shielded span.
    pub fn overlaps(&self, span: Span) -> bool {
        if !self.checked {
            return false;
        }
        if overlaps_in(&self.fixed, span) {
            return true;
        }
        // A match touches the span when it holds one of the characters
        // that start in it (or the one the span starts inside).
        let to = span
            .end
            .max(span.start + 1)
            .saturating_sub(self.base)
            .min(self.text.len());
        let mut p = self.floor(span.start.saturating_sub(self.base).min(self.text.len()));
        while p < to {
            if self.matched(p) {
                return true;
            }
            p += self.text[p..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// The character boundary at or before byte `p` of the line.
    fn floor(&self, mut p: usize) -> usize {
        while !self.text.is_char_boundary(p) {
            p -= 1;
        }
        p
    }

    /// Whether a match of some pattern holds byte `p` of the line (a
    /// character boundary before its end).
    fn matched(&self, p: usize) -> bool {
        let t = self.t;
        let shapes = t.shield_shapes();
        let gates = t.shield_gates();
        let mut done = self.done.borrow_mut();
        if done.is_empty() {
            done.resize_with(shapes.len(), Searched::default);
        }
        let patterns = t.shield_patterns();
        for (k, re) in patterns.enumerate() {
            let searched = &mut done[k];
            let known = searched
                .windows
                .range(..=p)
                .next_back()
                .filter(|(_, (end, _))| p < *end)
                .map(|(_, (_, found))| holds(found, p));
            let hit = match known {
                Some(hit) => hit,
                None => {
                    let (from, to, found) = match shapes.get(k).and_then(Option::as_ref) {
                        // No shape: the pattern runs over the whole line.
                        None => {
                            let mut found = Vec::new();
                            scan::find_each(gates.get(k).and_then(Option::as_ref), re, self.text, &mut |s, e| {
                                found.push((s, e))
                            });
                            (0, usize::MAX, found)
                        }
                        Some(shape) if !shape.touches(self.text, p) => continue,
                        // A line without the anchor holds no match.
                        Some(shape) if !*searched.anchored.get_or_insert_with(|| shape.anchored(self.text)) => {
                            (0, usize::MAX, Vec::new())
                        }
                        Some(shape) => match shape.around(self.text, p) {
                            None => continue,
                            Some((from, to, may)) => {
                                let mut found = Vec::new();
                                if may {
                                    scan::search_window(re, self.text, from, to, &mut |s, e| found.push((s, e)));
                                }
                                (from, to, found)
                            }
                        },
                    };
                    let hit = holds(&found, p);
                    searched.windows.insert(from, (to, found));
                    hit
                }
            };
            if hit {
                return true;
            }
        }
        false
    }
}

/// Whether one of `found` (sorted, disjoint) holds byte `p`.
fn holds(found: &[(usize, usize)], p: usize) -> bool {
    let i = found.partition_point(|&(_, e)| e <= p);
    found.get(i).is_some_and(|&(s, _)| s <= p)
}

/// `spans` sorted, with the ones that touch or overlap merged.
fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Lines the typography rules read: every line but the web-page chrome.
pub fn checked_lines<'a>(cx: &'a Context) -> impl Iterator<Item = usize> + 'a {
    (0..cx.doc.lines.len()).filter(|&i| !cx.facts.is_chrome(i) && !cx.doc.lines[i].content.is_empty())
}

/// The positions of the marks of set `k` (`MarkTable::HALFWIDTH` …) in the
/// text: the marks of all four sets are found in one walk per document.
pub fn marks<'a>(cx: &Context<'a>, k: usize) -> &'a [usize] {
    let doc: &'a Document = cx.doc;
    &doc.marks
        .get_or_init(|| cx.kb.typography.mark_table.scan(&doc.text))
        .sets[k]
}

/// The spans of line `l`'s shield, sorted and merged: nothing for a line the
/// rules do not check. (The plain shield [`LineShield`] is tested against.)
#[cfg(test)]
fn line_shield(cx: &Context, l: usize) -> Vec<Span> {
    let doc = cx.doc;
    let line = &doc.lines[l];
    if cx.facts.is_chrome(l) || line.content.is_empty() {
        return Vec::new();
    }
    let t = &cx.kb.typography;
    let mut spans = line.debris.clone();
    if let LineKind::Heading(h) = line.kind {
        let m = &doc.headings[h].marker;
        spans.push(Span::new(m.span.start, m.gap.map_or(m.span.end, |g| g.end)));
    }
    let gates = t.shield_gates();
    let text = doc.slice(line.span);
    for (k, re) in t.shield_patterns().enumerate() {
        scan::find_each(gates.get(k).and_then(Option::as_ref), re, text, &mut |start, end| {
            spans.push(Span::new(start, end).shifted(line.span.start))
        });
    }
    merged(spans)
}

/// The shields of all lines: each pattern runs once over the whole text.
/// (What the line-by-line shields are tested against.)
#[cfg(test)]
fn all_shields(cx: &Context) -> Vec<Shield> {
    let doc = cx.doc;
    let t = &cx.kb.typography;
    let mut checked = vec![false; doc.lines.len()];
    let mut spans: Vec<Vec<Span>> = vec![Vec::new(); doc.lines.len()];
    for l in checked_lines(cx) {
        checked[l] = true;
        let line = &doc.lines[l];
        spans[l].extend_from_slice(&line.debris);
        if let LineKind::Heading(h) = line.kind {
            let m = &doc.headings[h].marker;
            spans[l].push(Span::new(m.span.start, m.gap.map_or(m.span.end, |g| g.end)));
        }
    }
    let mut add = |l: usize, s: Span| {
        if checked[l] {
            spans[l].push(s);
        }
    };
    let gates = t.shield_gates();
    for (k, re) in t.shield_patterns().enumerate() {
        line_matches(doc, re, gates.get(k).and_then(Option::as_ref), &mut add);
    }
    spans.into_iter().map(Shield::from_spans).collect()
}

/// Every match of `re` that lies within one line, as (line, span), in the
/// same places as running `re` on each line alone: the pattern runs once over
/// the whole text (only where `gate` says a match may lie), and only the
/// lines a match runs across are searched again one by one.
pub fn line_matches(doc: &Document, re: &LazyRegex, gate: Option<&Gate>, each: &mut impl FnMut(usize, Span)) {
    let mut again: Vec<usize> = Vec::new();
    scan::find_each(gate, re, &doc.text, &mut |start, end| {
        let l = doc.line_of(start);
        if end <= doc.lines[l].span.end && start >= doc.lines[l].span.start {
            each(l, Span::new(start, end));
        } else {
            again.extend(l..=doc.line_of(end).min(doc.lines.len().saturating_sub(1)));
        }
    });
    again.dedup();
    for l in again {
        let span = doc.lines[l].span;
        scan::find_each(gate, re, doc.slice(span), &mut |start, end| {
            each(l, Span::new(start, end).shifted(span.start))
        });
    }
}

/// The nearest character before byte `pos` of `text` that is not a space or
/// one of `skip`, and the nearest one at or after `end`.
pub fn neighbours(text: &str, pos: usize, end: usize, skip: impl Fn(char) -> bool) -> (Option<char>, Option<char>) {
    // Bounded, so that a line of many marks stays linear.
    let before = text[..pos]
        .chars()
        .rev()
        .take(16)
        .find(|&c| !c.is_whitespace() && !skip(c));
    let after = text[end..].chars().take(16).find(|&c| !c.is_whitespace() && !skip(c));
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Checks each line's shield, worked out alone, against the shields of
    /// the whole text.
    fn line_shields_are_the_whole_shields(text: &str) -> Result<(), TestCaseError> {
        crate::rules::testing::with_context(text, None, |cx| {
            let whole = all_shields(cx);
            for (i, w) in whole.iter().enumerate() {
                prop_assert_eq!(&line_shield(cx, i)[..], w.spans(), "line {} of {:?}", i, text);
                // The shield worked out around each position answers as the
                // whole one, whatever the order of the questions.
                let span = cx.doc.lines[i].span;
                let (forward, backward) = (LineShield::new(cx, i), LineShield::new(cx, i));
                let bytes: Vec<usize> = (span.start.saturating_sub(1)..span.end + 2).collect();
                for &pos in &bytes {
                    prop_assert_eq!(
                        forward.covers(pos),
                        w.covers(pos),
                        "byte {} of line {} of {:?}",
                        pos,
                        i,
                        text
                    );
                }
                for &pos in bytes.iter().rev() {
                    prop_assert_eq!(
                        backward.covers(pos),
                        w.covers(pos),
                        "byte {} of line {} of {:?}",
                        pos,
                        i,
                        text
                    );
                }
                let starts: Vec<usize> = bytes
                    .iter()
                    .copied()
                    .filter(|&p| text.is_char_boundary(p.min(text.len())))
                    .collect();
                for &a in &starts {
                    for len in [0, 1, 2, 3, 4, 6, 9] {
                        let s = Span::new(a, a + len);
                        let fresh = LineShield::new(cx, i);
                        prop_assert_eq!(fresh.overlaps(s), w.overlaps(s), "{:?} of line {} of {:?}", s, i, text);
                        prop_assert_eq!(
                            forward.overlaps(s),
                            w.overlaps(s),
                            "{:?} of line {} of {:?}",
                            s,
                            i,
                            text
                        );
                    }
                }
            }
            Ok(())
        })
    }

    #[test]
    fn line_shields_of_the_fixtures() {
        for text in crate::rules::testing::fixture_texts() {
            line_shields_are_the_whole_shields(&text).unwrap();
        }
        line_shields_are_the_whole_shields(crate::rules::testing::GOOD).unwrap();
    }

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "中",
            "号",
            "年",
            "，",
            "。",
            "(",
            ")",
            "（",
            "）",
            "〔",
            "〕",
            "[",
            "]",
            "【",
            "】",
            "《",
            "》",
            " ",
            "\u{3000}",
            "\n",
            "\r\n",
            "\t",
            "a",
            "W",
            "w",
            "x",
            "0",
            "1",
            "2",
            "20",
            "2025",
            "19",
            ".",
            "-",
            "/",
            ":",
            "_",
            "@",
            "%",
            "http://",
            "HTTPS://",
            "www.",
            "ftp://",
            "一、",
            "（一）",
            "1.",
            "第一章",
            "[bookmark: x]",
            "首页 政务公开",
            "发",
            "府办发",
            "第",
            "\u{a0}",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn line_shields_are_the_whole_shields_on_any_text(pieces in prop::collection::vec(piece(), 0..80)) {
            line_shields_are_the_whole_shields(&pieces.concat())?;
        }
    }

    #[test]
    fn shield_lookups() {
        let s = Shield::from_spans(vec![Span::new(10, 20), Span::new(5, 12), Span::new(30, 31)]);
        assert!(s.covers(5) && s.covers(19) && !s.covers(20) && s.covers(30) && !s.covers(4));
        assert!(s.overlaps(Span::new(0, 6)) && !s.overlaps(Span::new(20, 30)) && s.overlaps(Span::empty(30)));
    }
}
