//! From text to `Document`: the pest grammar in `grammar/outline.pest`
//! classifies each line, and this module turns the parse tree into typed
//! headings (with levels decided in context), paragraphs and enumerations.
//! The grammar cannot fail on any input; should pest still report an error
//! (it would be a grammar bug), every line falls back to plain text.

use crate::document::*;
use crate::numerals;
use crate::source::{LineIndex, Span};
use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/outline.pest"]
struct OutlineParser;

/// Parse a report's text into the document model.
pub fn parse(text: &str) -> Document {
    let index = LineIndex::new(text);
    let mut lines = Vec::with_capacity(index.line_count());
    let mut headings = Vec::new();
    match OutlineParser::parse(Rule::document, text) {
        Ok(mut pairs) => {
            let doc = pairs.next().expect("document pair");
            for pair in doc.into_inner().filter(|p| p.as_rule() == Rule::line) {
                let line_no = lines.len();
                lines.push(build_line(text, pair, line_no, &mut headings));
            }
        }
        Err(_) => {
            for l in 0..index.line_count() {
                let start = index.line_start(l);
                let end = line_end(text, start);
                let span = Span::new(start, end);
                let content = trim_span(text, span);
                let kind = if content.is_empty() {
                    LineKind::Blank
                } else {
                    LineKind::Text
                };
                lines.push(Line {
                    span,
                    content,
                    debris: vec![],
                    kind,
                    enums: vec![],
                });
            }
        }
    }
    // The grammar yields one `line` per physical line; keep the index in step.
    debug_assert_eq!(lines.len(), index.line_count());
    assign_context_levels(&mut headings);
    assign_parents(&mut headings);
    let paragraphs = build_paragraphs(text, &lines, &headings);
    Document {
        text: text.to_owned(),
        index,
        lines,
        headings,
        paragraphs,
        numbers: Default::default(),
    }
}

fn line_end(text: &str, start: usize) -> usize {
    text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let trimmed = s.trim_matches(is_space);
    if trimmed.is_empty() {
        return Span::empty(span.start);
    }
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}

fn build_line(text: &str, pair: Pair<Rule>, line_no: usize, headings: &mut Vec<Heading>) -> Line {
    let span: Span = pair.as_span().into();
    let mut debris = Vec::new();
    let mut enums = Vec::new();
    let mut kind = LineKind::Blank;
    let mut first_content = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::debris => {
                first_content.get_or_insert(inner.as_span().start());
                debris.push(trim_span(text, inner.as_span().into()));
            }
            Rule::heading => {
                first_content.get_or_insert(inner.as_span().start());
                let h = build_heading(text, inner, line_no, span, &mut enums);
                kind = LineKind::Heading(headings.len());
                headings.push(h);
            }
            Rule::date_line => {
                first_content.get_or_insert(inner.as_span().start());
                kind = LineKind::Date(build_date(inner));
            }
            Rule::text => {
                first_content.get_or_insert(inner.as_span().start());
                collect_enums(inner, &mut enums);
                if trim_span(text, span).is_empty() {
                    kind = LineKind::Blank;
                } else {
                    kind = LineKind::Text;
                }
            }
            _ => {}
        }
    }
    let content = match first_content {
        Some(start) => trim_span(text, Span::new(start, span.end)),
        None => Span::empty(span.start),
    };
    if kind == LineKind::Blank && !debris.is_empty() {
        kind = LineKind::Text;
    }
    Line {
        span,
        content,
        debris,
        kind,
        enums,
    }
}

fn collect_enums(pair: Pair<Rule>, out: &mut Vec<EnumMarker>) {
    for p in pair.into_inner().filter(|p| p.as_rule() == Rule::enum_marker) {
        let s = p.as_str();
        let digits = s.trim_end_matches('是');
        if let Some(number) = numerals::parse_cn(digits) {
            out.push(EnumMarker {
                number,
                span: p.as_span().into(),
            });
        }
    }
}

fn build_date(pair: Pair<Rule>) -> LineDate {
    let date = pair.into_inner().next().expect("date");
    let span: Span = date.as_span().into();
    let mut parts = date.into_inner();
    let mut next = || parts.next().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let (y, m, d) = (next(), next(), next());
    LineDate {
        year: numerals::parse_year(&y).unwrap_or(0),
        month: numerals::parse_small(&m).unwrap_or(0),
        day: numerals::parse_small(&d).unwrap_or(0),
        span,
    }
}

/// Characters that end the title of a run-in heading.
const TITLE_END: [char; 7] = ['。', '：', ':', '；', ';', '！', '？'];

fn build_heading(
    text: &str,
    pair: Pair<Rule>,
    line_no: usize,
    line_span: Span,
    enums: &mut Vec<EnumMarker>,
) -> Heading {
    let span = trim_span(text, Span::new(pair.as_span().start(), line_span.end));
    let mut marker = None;
    let mut gap = None;
    let mut rest: Option<Span> = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::marker_gap => gap = Some(inner.as_span().into()),
            Rule::text => {
                rest = Some(inner.as_span().into());
                collect_enums(inner, enums);
            }
            _ => marker = Some(build_marker(inner)),
        }
    }
    let mut marker = marker.expect("heading has a marker");
    marker.gap = gap;
    let rest = rest.map(|r| trim_span(text, r)).unwrap_or(Span::empty(marker.span.end));
    let rest_text = rest.slice(text);
    let (title, body) = match rest_text.char_indices().find(|(_, c)| TITLE_END.contains(c)) {
        Some((i, c)) => {
            let title = Span::new(rest.start, rest.start + i);
            let after = trim_span(text, Span::new(rest.start + i + c.len_utf8(), rest.end));
            (title, (!after.is_empty()).then_some(after))
        }
        None => (rest, None),
    };
    let level = match marker.form {
        MarkerForm::ChineseSeparated => 1,
        MarkerForm::ChineseParen => 2,
        MarkerForm::ArabicSeparated => 3,
        MarkerForm::ArabicParen | MarkerForm::Circled => 4,
    };
    Heading {
        level,
        marker,
        title,
        body,
        span,
        line: line_no,
        parent: None,
        level_from_context: false,
    }
}

fn build_marker(pair: Pair<Rule>) -> Marker {
    let span: Span = pair.as_span().into();
    let rule = pair.as_rule();
    if rule == Rule::circled_marker {
        let c = pair.as_str().chars().next().unwrap_or('①');
        return Marker {
            form: MarkerForm::Circled,
            numeral: Numeral::Circled,
            number: numerals::parse_circled(c).unwrap_or(0),
            span,
            separator: None,
            half_width_paren: None,
            gap: None,
        };
    }
    let mut number = 0;
    let mut separator = None;
    let mut half_width_paren = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::cn_number => number = numerals::parse_cn(inner.as_str()).unwrap_or(0),
            Rule::arabic => number = inner.as_str().parse().unwrap_or(0),
            Rule::open_paren => half_width_paren = Some(inner.as_str() == "("),
            Rule::close_paren if inner.as_str() == ")" => half_width_paren = Some(true),
            Rule::l1_sep | Rule::l3_sep | Rule::extra_sep => separator = Some(inner.as_span().into()),
            _ => {}
        }
    }
    let (form, numeral) = match rule {
        Rule::l1_marker => (MarkerForm::ChineseSeparated, Numeral::Chinese),
        Rule::l2_marker => (MarkerForm::ChineseParen, Numeral::Chinese),
        Rule::l3_marker => (MarkerForm::ArabicSeparated, Numeral::Arabic),
        _ => (MarkerForm::ArabicParen, Numeral::Arabic),
    };
    Marker {
        form,
        numeral,
        number,
        span,
        separator,
        half_width_paren,
        gap: None,
    }
}

/// `（2）` is a level-4 form, but standing right after `（一）` with no level-3
/// or level-4 item in between, and continuing its count, it is a level-2
/// heading written with the wrong numeral kind.
fn assign_context_levels(headings: &mut [Heading]) {
    let mut last_l2: Option<u32> = None;
    let mut deeper_since_l2 = false;
    for h in headings.iter_mut() {
        match h.level {
            1 => {
                last_l2 = None;
                deeper_since_l2 = false;
            }
            2 => {
                last_l2 = Some(h.marker.number);
                deeper_since_l2 = false;
            }
            _ => {
                let continues_l2 = h.marker.form == MarkerForm::ArabicParen
                    && !deeper_since_l2
                    && last_l2.is_some_and(|n| h.marker.number == n + 1);
                if continues_l2 {
                    h.level = 2;
                    h.level_from_context = true;
                    last_l2 = Some(h.marker.number);
                } else {
                    deeper_since_l2 = true;
                }
            }
        }
    }
}

fn assign_parents(headings: &mut [Heading]) {
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..headings.len() {
        while stack.last().is_some_and(|&p| headings[p].level >= headings[i].level) {
            stack.pop();
        }
        headings[i].parent = stack.last().copied();
        stack.push(i);
    }
}

/// Closing characters after which a line is a finished sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '：' | '…' | '!' | '?' | ';' | ':' | '.')
}

/// Whether line `next` continues the sentence of line `prev` (a line broken
/// by a converter in the middle of a word or clause).
fn continues(text: &str, prev: &Line, next: &Line) -> bool {
    if next.kind != LineKind::Text || !next.debris.is_empty() {
        return false;
    }
    let prev_text = prev.content.slice(text);
    let Some(last) = prev_text.chars().last() else {
        return false;
    };
    if matches!(last, '，' | '、' | ',') {
        return true;
    }
    if ends_sentence(last) || matches!(last, '”' | '）' | ')' | '」' | '』' | '》') {
        return false;
    }
    prev_text.chars().count() >= 16
}

fn build_paragraphs(text: &str, lines: &[Line], headings: &[Heading]) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        match line.kind {
            LineKind::Blank | LineKind::Date(_) => open = false,
            LineKind::Heading(h) => {
                open = false;
                if let Some(body) = headings[h].body {
                    paragraphs.push(Paragraph {
                        first_line: i,
                        last_line: i,
                        span: body,
                        heading: Some(h),
                        enums: line.enums.clone(),
                    });
                    open = true;
                }
            }
            LineKind::Text => {
                let joined = open && i > 0 && continues(text, &lines[i - 1], line);
                if joined {
                    let p = paragraphs.last_mut().expect("open paragraph");
                    p.last_line = i;
                    p.span.end = line.content.end;
                    p.enums.extend(line.enums.iter().copied());
                } else {
                    paragraphs.push(Paragraph {
                        first_line: i,
                        last_line: i,
                        span: line.content,
                        heading: None,
                        enums: line.enums.clone(),
                    });
                }
                open = true;
            }
        }
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(doc: &Document) -> Vec<(u8, u32)> {
        doc.headings.iter().map(|h| (h.level, h.marker.number)).collect()
    }

    #[test]
    fn four_standard_levels() {
        let doc = parse("一、总体\n（一）分项\n1.条目\n（1）细目\n二、其次");
        assert_eq!(levels(&doc), vec![(1, 1), (2, 1), (3, 1), (4, 1), (1, 2)]);
        assert_eq!(doc.headings[3].parent, Some(2));
        assert_eq!(doc.headings[4].parent, None);
        assert_eq!(doc.heading_title(&doc.headings[2]), "条目");
    }

    #[test]
    fn variants_of_markers() {
        let doc = parse("一.标题甲\n(一)半角括号\n1、顿号\n2．全角点\n① 圈号\n（一）、多余顿号");
        let forms: Vec<_> = doc.headings.iter().map(|h| h.marker.form).collect();
        assert_eq!(
            forms,
            vec![
                MarkerForm::ChineseSeparated,
                MarkerForm::ChineseParen,
                MarkerForm::ArabicSeparated,
                MarkerForm::ArabicSeparated,
                MarkerForm::Circled,
                MarkerForm::ChineseParen,
            ]
        );
        assert_eq!(doc.headings[1].marker.half_width_paren, Some(true));
        assert!(doc.headings[5].marker.separator.is_some());
        assert!(doc.headings[4].marker.gap.is_some());
    }

    #[test]
    fn numbers_and_years_are_not_markers() {
        let doc = parse("2023年，我委开展工作。\n1.5万元用于培训。\n一是加强学习。\n10月联合执法。");
        assert!(doc.headings.is_empty());
        assert_eq!(doc.lines[2].enums.len(), 1);
    }

    #[test]
    fn run_in_heading_splits_title_and_body() {
        let doc = parse("（一）依法全面履行政府职能。2023年，一是精简事项，二是优化流程。");
        let h = &doc.headings[0];
        assert_eq!(doc.heading_title(h), "依法全面履行政府职能");
        assert_eq!(doc.slice(h.body.unwrap()), "2023年，一是精简事项，二是优化流程。");
        let nums: Vec<_> = doc.lines[0].enums.iter().map(|e| e.number).collect();
        assert_eq!(nums, vec![1, 2]);
        assert_eq!(doc.paragraphs[0].heading, Some(0));
    }

    #[test]
    fn debris_before_a_heading_is_kept_apart() {
        let doc = parse("[bookmark: _GoBack]（三）加强重点领域监管。正文");
        assert_eq!(doc.headings.len(), 1);
        assert_eq!(doc.lines[0].debris.len(), 1);
        assert_eq!(doc.slice(doc.lines[0].debris[0]), "[bookmark: _GoBack]");
    }

    #[test]
    fn paren_arabic_continuing_level_two_is_level_two() {
        let doc = parse("一、甲\n（一）乙\n（2） 丙\n（三）丁\n1.戊\n（1）己\n（2）庚");
        assert_eq!(
            levels(&doc),
            vec![(1, 1), (2, 1), (2, 2), (2, 3), (3, 1), (4, 1), (4, 2)]
        );
        assert!(doc.headings[2].level_from_context);
        assert!(!doc.headings[6].level_from_context);
    }

    #[test]
    fn words_ending_in_yi_are_not_enumerations() {
        let doc = parse("坚持统一是关键，唯一是要求。");
        assert!(doc.lines[0].enums.is_empty());
    }

    #[test]
    fn broken_lines_join_into_one_paragraph() {
        let text = "（二）强化队伍建设。一是领导干部带头学法用法，切实用习\n近平法治思想武装头脑。二是执法人员积极学法。\n湟中区卫生健康局\n2024年报告";
        let doc = parse(text);
        assert_eq!(doc.paragraphs.len(), 3);
        let nums: Vec<_> = doc.paragraphs[0].enums.iter().map(|e| e.number).collect();
        assert_eq!(nums, vec![1, 2]);
    }

    #[test]
    fn signature_date_line() {
        let doc = parse("重庆市某某委员会\n            2026年1月12日\n二〇二四年三月一日");
        match doc.lines[1].kind {
            LineKind::Date(d) => assert_eq!((d.year, d.month, d.day), (2026, 1, 12)),
            ref k => panic!("{k:?}"),
        }
        match doc.lines[2].kind {
            LineKind::Date(d) => assert_eq!((d.year, d.month, d.day), (2024, 3, 1)),
            ref k => panic!("{k:?}"),
        }
    }

    #[test]
    fn never_fails_and_spans_cover_lines() {
        for text in ["", "\n\n", "（", "一、", "(一", "\r\n\r", "①", "[x: y", "一是"] {
            let doc = parse(text);
            assert_eq!(doc.lines.len(), doc.index.line_count(), "{text:?}");
            for l in &doc.lines {
                assert!(l.span.end <= text.len());
            }
        }
    }
}
