//! Source excerpts for the human report. Chinese reports often hold a whole
//! paragraph on one line of several hundred characters; miette would print
//! every one of them. An excerpt keeps only the lines a finding points at,
//! cut to a window around the spans, and tells miette the real line numbers
//! and columns so that the snippet still reads `report.txt:14:1`.

use crate::document::Document;
use crate::finding::{Finding, Label};
use crate::source::Span;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Characters kept before the first span and after the last one on a line.
const MARGIN: usize = 16;
/// Longest window on one line, in characters.
const MAX_WINDOW: usize = 48;
/// Secondary labels further than this many lines from the primary are dropped.
const NEAR: usize = 2;

pub struct Excerpt {
    pub(super) name: String,
    pub(super) text: String,
    pub(super) first_line: usize,
    /// Per excerpt line: real columns before the window, minus the ellipsis.
    col_shift: Vec<isize>,
}

impl Excerpt {
    /// The column (in characters, 0-based, counted on the real line) that
    /// the snippet header shows for a span starting at `offset`.
    pub(super) fn column(&self, offset: usize) -> usize {
        // miette counts columns in bytes; fzlint counts characters, and the
        // window may start inside the real line.
        let offset = offset.min(self.text.len());
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let rel = self.text[..line_start].matches('\n').count();
        let chars = self.text[line_start..offset].chars().count() as isize;
        let shift = self.col_shift.get(rel).copied().unwrap_or(0);
        (chars + shift).max(0) as usize
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let column = self.column(span.offset());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.first_line + inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// Byte offset `n` characters before `at`, not before `floor`.
fn back(text: &str, at: usize, n: usize, floor: usize) -> usize {
    text[floor..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(floor, |(i, _)| floor + i)
}

/// Byte offset `n` characters after `at`, not after `ceil`.
fn fwd(text: &str, at: usize, n: usize, ceil: usize) -> usize {
    text[at..ceil].char_indices().nth(n).map_or(ceil, |(i, _)| at + i)
}

/// The excerpt for `f` and a copy of `f` whose spans point into it.
pub fn excerpt(doc: &Document, name: &str, f: &Finding) -> (Excerpt, Finding) {
    let text = doc.text.as_str();
    let line_bounds = |l: usize| doc.lines.get(l).map_or(Span::new(text.len(), text.len()), |x| x.span);
    // Each span shown on its first line only.
    let clip = |s: Span| -> (usize, Span) {
        let l = doc.line_of(s.start);
        let b = line_bounds(l);
        (
            l,
            Span::new(s.start.max(b.start), s.end.min(b.end).max(s.start.min(b.end))),
        )
    };
    let (pline, pspan) = clip(f.span);
    let mut labels: Vec<(usize, Span, Option<String>, bool)> = vec![(pline, pspan, f.label.clone(), true)];
    for Label { span, message } in &f.labels {
        let (l, s) = clip(*span);
        if l.abs_diff(pline) <= NEAR {
            labels.push((l, s, Some(message.clone()), false));
        }
    }
    let first = labels.iter().map(|x| x.0).min().unwrap_or(pline);
    let last = labels.iter().map(|x| x.0).max().unwrap_or(pline);

    let mut out = String::new();
    let mut col_shift = Vec::new();
    // (excerpt offset of window start, real offset of window start, real window end) per line
    let mut windows = Vec::new();
    for l in first..=last {
        let b = line_bounds(l);
        let on_line: Vec<Span> = labels.iter().filter(|x| x.0 == l).map(|x| x.1).collect();
        let (lo, hi) = match (
            on_line.iter().map(|s| s.start).min(),
            on_line.iter().map(|s| s.end).max(),
        ) {
            (Some(lo), Some(hi)) => (back(text, lo, MARGIN, b.start), fwd(text, hi, MARGIN, b.end)),
            _ => (b.start, b.start),
        };
        let hi = hi.min(fwd(
            text,
            lo,
            MAX_WINDOW.max(text[lo..hi].chars().count().min(MAX_WINDOW)),
            b.end,
        ));
        let hi = if on_line.is_empty() {
            fwd(text, b.start, 24, b.end)
        } else {
            hi
        };
        let prefix = if lo > b.start { "…" } else { "" };
        let suffix = if hi < b.end { "…" } else { "" };
        if l > first {
            out.push('\n');
        }
        let real_cols_before = text[b.start..lo].chars().count() as isize;
        col_shift.push(real_cols_before - prefix.chars().count() as isize);
        out.push_str(prefix);
        windows.push((out.len(), lo, hi));
        out.push_str(&text[lo..hi]);
        out.push_str(suffix);
    }
    let map = |l: usize, s: Span| -> Span {
        let (ex_start, lo, hi) = windows[l - first];
        let a = s.start.clamp(lo, hi) - lo + ex_start;
        let b = s.end.clamp(lo, hi) - lo + ex_start;
        Span::new(a, b)
    };
    let mut shown = f.clone();
    shown.labels.clear();
    for (l, s, msg, primary) in labels {
        let m = map(l, s);
        if primary {
            shown.span = m;
        } else {
            shown.labels.push(Label {
                span: m,
                message: msg.unwrap_or_default(),
            });
        }
    }
    (
        Excerpt {
            name: name.to_string(),
            text: out,
            first_line: first,
            col_shift,
        },
        shown,
    )
}
