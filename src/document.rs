//! The typed document model that every rule reads. It is built from the pest
//! parse tree by `outline::parse` and never exposes pest types: rules see
//! lines, headings with their levels and numbers, paragraphs (physical lines
//! joined where a converter broke a sentence) and the inline 一是/二是 markers.

use crate::source::{LineIndex, Span};

/// How a marker writes its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numeral {
    Chinese,
    Arabic,
    Circled,
}

/// The syntactic form of a heading marker, before its level is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerForm {
    /// `一、` and the variants `一.` `一．`
    ChineseSeparated,
    /// `（一）` and `(一)`
    ChineseParen,
    /// `1.` and the variants `1．` `1、`
    ArabicSeparated,
    /// `（1）` and `(1)`
    ArabicParen,
    /// `①`
    Circled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub form: MarkerForm,
    pub numeral: Numeral,
    pub number: u32,
    /// The whole marker, separators included.
    pub span: Span,
    /// `、` `.` `．` after the number, or the extra mark after a bracket.
    pub separator: Option<Span>,
    /// Whether the brackets are ASCII `( )`; `None` for unbracketed markers.
    pub half_width_paren: Option<bool>,
    /// White space between the marker and the heading text.
    pub gap: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–4, after context: `（2）` standing among `（一）（三）` is level 2.
    pub level: u8,
    pub marker: Marker,
    /// The heading text proper: up to the first 。：； on the line.
    pub title: Span,
    /// Text that follows the title on the same line (a run-in heading).
    pub body: Option<Span>,
    /// The line's content without indent (debris included).
    pub span: Span,
    /// 0-based line.
    pub line: usize,
    pub parent: Option<usize>,
    /// The marker's form belongs to another level (`（2）` used at level 2).
    pub level_from_context: bool,
}

impl Heading {
    /// The marker and title as written (`一、主要举措和成效`), without a run-in body.
    pub fn label_span(&self) -> Span {
        Span::new(self.marker.span.start, self.title.end)
    }
}

/// A 一是 / 二是 marker inside running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumMarker {
    pub number: u32,
    pub span: Span,
}

/// A date standing alone on a line (the date of a signature block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineDate {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Heading(usize),
    Date(LineDate),
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The whole line without its line break.
    pub span: Span,
    /// The line without indent and trailing white space.
    pub content: Span,
    /// `[bookmark: _GoBack]` and similar tokens in front of the content.
    pub debris: Vec<Span>,
    pub kind: LineKind,
    pub enums: Vec<EnumMarker>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 0-based lines `first..=last`.
    pub first_line: usize,
    pub last_line: usize,
    pub span: Span,
    /// Set when the paragraph is the run-in body of this heading.
    pub heading: Option<usize>,
    pub enums: Vec<EnumMarker>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub index: LineIndex,
    pub lines: Vec<Line>,
    pub headings: Vec<Heading>,
    pub paragraphs: Vec<Paragraph>,
    /// The quantities of the text, parsed on first use (`Document::numbers`).
    pub numbers: std::sync::OnceLock<crate::numbers::Numbers>,
    /// The marks the typography rules look at, found on first use
    /// (`rules::typography::marks`).
    pub marks: std::sync::OnceLock<crate::rules::typography::scan::MarkPositions>,
}

impl Document {
    /// Every quantity of the text (numerals with units, percentages,
    /// approximations), parsed once on first use.
    pub fn numbers(&self) -> &crate::numbers::Numbers {
        self.numbers.get_or_init(|| crate::numbers::Numbers::parse(&self.text))
    }

    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    pub fn line_text(&self, line: usize) -> &str {
        self.slice(self.lines[line].content)
    }

    pub fn heading_title(&self, h: &Heading) -> &str {
        self.slice(h.title)
    }

    /// The heading's marker and title as written, e.g. `一、主要举措和成效`.
    pub fn heading_label(&self, h: &Heading) -> &str {
        self.slice(h.label_span())
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    /// Index of the heading that owns `line`: the last heading at or before it.
    pub fn heading_at_or_before(&self, line: usize) -> Option<usize> {
        let pos = self.headings.partition_point(|h| h.line <= line);
        pos.checked_sub(1)
    }

    /// The line range a heading governs: from its line up to (not including)
    /// the next heading at the same or a higher level, or `end`.
    pub fn heading_extent(&self, idx: usize, end: usize) -> std::ops::Range<usize> {
        let h = &self.headings[idx];
        let stop = self.headings[idx + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(end, |n| n.line);
        h.line..stop.max(h.line + 1)
    }

    /// Characters of content (headings without their markers, and text) in
    /// lines `range`, counted line by line until they reach `cap`: the count
    /// when it is below `cap`, else some count of at least `cap`.
    pub fn content_chars_upto(&self, range: std::ops::Range<usize>, cap: usize) -> usize {
        let mut n = 0;
        for line in range.filter_map(|l| self.lines.get(l)) {
            if n >= cap {
                break;
            }
            n += match line.kind {
                LineKind::Heading(h) => {
                    let h = &self.headings[h];
                    self.slice(h.title).chars().count() + h.body.map_or(0, |b| self.slice(b).chars().count())
                }
                LineKind::Text => self.slice(line.content).chars().count(),
                _ => 0,
            };
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count as it was, every line counted.
    fn plain(doc: &Document, range: std::ops::Range<usize>) -> usize {
        range
            .filter_map(|l| doc.lines.get(l))
            .map(|line| match line.kind {
                LineKind::Heading(h) => {
                    let h = &doc.headings[h];
                    doc.slice(h.title).chars().count() + h.body.map_or(0, |b| doc.slice(b).chars().count())
                }
                LineKind::Text => doc.slice(line.content).chars().count(),
                _ => 0,
            })
            .sum()
    }

    #[test]
    fn content_chars_stop_at_the_cap_and_are_exact_below_it() {
        let doc = crate::outline::parse(
            "关于2024年的报告\n一、主要举措\n全年办结案件12件。\n（一）制度建设。印发文件3件\n\n1.培训\n共计5次。\n",
        );
        let n = doc.lines.len() + 2;
        for start in 0..n {
            for end in start..n {
                let all = plain(&doc, start..end);
                assert_eq!(doc.content_chars_upto(start..end, usize::MAX), all);
                for cap in 0..=all + 2 {
                    let got = doc.content_chars_upto(start..end, cap);
                    if all < cap {
                        assert_eq!(got, all, "{start}..{end} cap {cap}");
                    } else {
                        assert!(got >= cap && got <= all, "{start}..{end} cap {cap}: {got}");
                    }
                }
            }
        }
        assert!(plain(&doc, 0..n) > 20);
    }
}
