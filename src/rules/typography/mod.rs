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
use scan::Gate;

/// A Chinese character (汉字).
pub fn is_han(c: char) -> bool {
    is_cjk(c)
}

/// A Chinese character or Chinese (full-width) punctuation.
pub fn is_chinese(c: char) -> bool {
    is_cjk(c) || is_cjk_punct(c)
}

/// Spans of one line that the typography rules leave alone, sorted and merged.
#[derive(Debug, Default, Clone)]
pub struct Shield {
    spans: Vec<Span>,
}

impl Shield {
    fn from_spans(mut spans: Vec<Span>) -> Shield {
        spans.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
                _ => merged.push(s),
            }
        }
        Shield { spans: merged }
    }

    /// Whether byte `pos` lies inside a shielded span.
    pub fn covers(&self, pos: usize) -> bool {
        let i = self.spans.partition_point(|s| s.end <= pos);
        self.spans.get(i).is_some_and(|s| s.start <= pos)
    }

    /// Whether `span` touches a shielded span.
    pub fn overlaps(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.end <= span.start);
        self.spans
            .get(i)
            .is_some_and(|s| s.start < span.end.max(span.start + 1))
    }
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

/// The shield of line `i`, computed for every line once per document.
pub fn shield<'a>(cx: &Context<'a>, i: usize) -> &'a Shield {
    let facts: &'a crate::facts::Facts = cx.facts;
    let shields = facts.shields.get_or_init(|| all_shields(cx));
    &shields[i]
}

/// The shields of all lines: each pattern runs once over the whole text.
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
    for (k, re) in t.protect.iter().map(|p| &p.regex).chain(&t.doc_number).enumerate() {
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

    #[test]
    fn shield_lookups() {
        let s = Shield::from_spans(vec![Span::new(10, 20), Span::new(5, 12), Span::new(30, 31)]);
        assert!(s.covers(5) && s.covers(19) && !s.covers(20) && s.covers(30) && !s.covers(4));
        assert!(s.overlaps(Span::new(0, 6)) && !s.overlaps(Span::new(20, 30)) && s.overlaps(Span::empty(30)));
    }
}
