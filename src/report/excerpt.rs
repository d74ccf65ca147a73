//! Source excerpts for the human report. Chinese reports often hold a whole
//! paragraph on one line of several hundred characters; miette would print
//! every one of them. An excerpt keeps only the lines a finding points at,
//! cut to a window around the spans, and tells miette the real line numbers
//! and columns so that the snippet still reads `report.txt:14:1`.

use crate::document::Document;
use crate::finding::{Finding, Label, Severity};
use crate::source::{utf8_len, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::borrow::Cow;

/// Characters kept before the first span and after the last one on a line.
const MARGIN: usize = 16;
/// Longest window on one line, in characters.
const MAX_WINDOW: usize = 48;
/// Secondary labels further than this many lines from the primary are dropped.
const NEAR: usize = 2;

pub struct Excerpt<'a> {
    pub(super) name: &'a str,
    pub(super) text: String,
    pub(super) first_line: usize,
    /// Per excerpt line: real columns before the window, minus the ellipsis.
    col_shift: Vec<isize>,
}

/// A finding as the report shows it: its spans moved into its [`Excerpt`],
/// its texts borrowed from the finding.
pub struct Shown<'a> {
    pub finding: &'a Finding,
    pub rule: &'a str,
    pub severity: Severity,
    pub message: Cow<'a, str>,
    pub span: Span,
    pub label: Option<&'a str>,
    pub labels: Vec<(Span, &'a str)>,
    pub help: Option<&'a str>,
}

impl Shown<'_> {
    /// The finding with the spans and message shown (what miette is handed).
    pub fn to_finding(&self) -> Finding {
        let mut f = self.finding.clone();
        f.message = self.message.to_string();
        f.span = self.span;
        f.labels = self
            .labels
            .iter()
            .map(|&(span, message)| Label {
                span,
                message: message.to_string(),
            })
            .collect();
        f
    }
}

impl Excerpt<'_> {
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

impl SourceCode for Excerpt<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let column = self.column(span.offset());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
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
    let b = text.as_bytes();
    let (mut i, mut k) = (at, 0);
    while i < ceil {
        if k == n {
            return i;
        }
        i += utf8_len(b[i]);
        k += 1;
    }
    ceil
}

/// The excerpt for `f` and `f` as shown, its spans pointing into it.
pub fn excerpt<'a>(doc: &'a Document, name: &'a str, f: &'a Finding) -> (Excerpt<'a>, Shown<'a>) {
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
    let mut labels: Vec<(usize, Span, Option<&str>, bool)> = Vec::with_capacity(1 + f.labels.len());
    labels.push((pline, pspan, f.label.as_deref(), true));
    for Label { span, message } in &f.labels {
        let (l, s) = clip(*span);
        if l.abs_diff(pline) <= NEAR {
            labels.push((l, s, Some(message.as_str()), false));
        }
    }
    let first = labels.iter().map(|x| x.0).min().unwrap_or(pline);
    let last = labels.iter().map(|x| x.0).max().unwrap_or(pline);

    // Room for each line's window (at most MAX_WINDOW characters of up to
    // four bytes) and its marks, so that the text is not grown piece by piece.
    let mut out = String::with_capacity((last - first + 1) * (MAX_WINDOW * 4 + 8));
    let mut col_shift = Vec::with_capacity(last - first + 1);
    // (excerpt offset of window start, real offset of window start, real window end) per line
    let mut windows = Vec::with_capacity(last - first + 1);
    for l in first..=last {
        let b = line_bounds(l);
        let (mut lo, mut hi, mut any) = (usize::MAX, 0, false);
        for x in labels.iter().filter(|x| x.0 == l) {
            lo = lo.min(x.1.start);
            hi = hi.max(x.1.end);
            any = true;
        }
        let (lo, hi) = if any {
            (back(text, lo, MARGIN, b.start), fwd(text, hi, MARGIN, b.end))
        } else {
            (b.start, b.start)
        };
        let hi = if any {
            hi.min(fwd(text, lo, MAX_WINDOW, b.end))
        } else {
            fwd(text, b.start, 24, b.end)
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
    let mut shown = Shown {
        finding: f,
        rule: f.rule,
        severity: f.severity,
        message: Cow::Borrowed(f.message.as_str()),
        span: f.span,
        label: f.label.as_deref(),
        labels: Vec::new(),
        help: f.help.as_deref(),
    };
    for (l, s, msg, primary) in labels {
        let m = map(l, s);
        if primary {
            shown.span = m;
        } else {
            shown.labels.push((m, msg.unwrap_or_default()));
        }
    }
    (
        Excerpt {
            name,
            text: out,
            first_line: first,
            col_shift,
        },
        shown,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps as they were, char by char.
    fn plain_back(text: &str, at: usize, n: usize, floor: usize) -> usize {
        text[floor..at]
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(floor, |(i, _)| floor + i)
    }

    fn plain_fwd(text: &str, at: usize, n: usize, ceil: usize) -> usize {
        text[at..ceil].char_indices().nth(n).map_or(ceil, |(i, _)| at + i)
    }

    #[test]
    fn steps_by_bytes_are_the_char_by_char_steps() {
        let texts = [
            "",
            "a",
            "中",
            "a中😀é\nb",
            "（一）健全依法行政制度体系。全年制定规范性文件12件，备案审查率100%。",
        ];
        for t in texts {
            let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for &a in &bounds {
                for &c in bounds.iter().filter(|&&c| c >= a) {
                    for n in 0..(t.len() + 3) {
                        assert_eq!(fwd(t, a, n, c), plain_fwd(t, a, n, c), "{t:?} fwd {a} {n} {c}");
                        assert_eq!(back(t, c, n, a), plain_back(t, c, n, a), "{t:?} back {c} {n} {a}");
                    }
                }
            }
        }
    }
}
