//! From text to `Document`: the pest grammar in `grammar/outline.pest`
//! reads the head of every line (indent, debris, heading marker, date, a
//! leading 一是), and this module turns the parse tree into typed headings
//! (with levels decided in context), paragraphs and enumerations. Parsing
//! never fails; should pest report an error on a line head (it would be a
//! grammar bug), the line is plain text.

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
    // Every 是 of the text, for the 一是 markers: one search, not one a line.
    let shi: Vec<usize> = SHI.find_iter(text.as_bytes()).collect();
    let mut first = 0;
    for l in 0..index.line_count() {
        let span = Span::new(index.line_start(l), index.line_end(text, l));
        // The 是 of this line: `shi[first..past]`.
        while shi.get(first).is_some_and(|&p| p < span.start) {
            first += 1;
        }
        let mut past = first;
        while shi.get(past).is_some_and(|&p| p < span.end) {
            past += 1;
        }
        lines.push(build_line(text, span, l, &shi[first..past], &mut headings));
    }
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
        marks: Default::default(),
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn trim_span(text: &str, span: Span) -> Span {
    let b = &text.as_bytes()[span.start..span.end];
    let mut start = 0;
    while start < b.len() {
        match space_len_at(b, start) {
            0 => break,
            n => start += n,
        }
    }
    if start == b.len() {
        return Span::empty(span.start);
    }
    let mut end = b.len();
    loop {
        let mut p = end - 1;
        while b[p] & 0xc0 == 0x80 {
            p -= 1;
        }
        if space_len_at(b, p) == 0 {
            break;
        }
        end = p;
    }
    Span::new(span.start + start, span.start + end)
}

/// The length of the character at byte `i` of `b` (UTF-8, `i` on a
/// boundary) if it is a space (`is_space`), else 0: the spaces are few and
/// known by their bytes (U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF).
#[inline(always)]
fn space_len_at(b: &[u8], i: usize) -> usize {
    let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        0x09..=0x0d | b' ' => 1,
        0xc2 if matches!(next(1), 0x85 | 0xa0) => 2,
        0xe1 if (next(1), next(2)) == (0x9a, 0x80) => 3,
        0xe2 if matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0x81, 0x9f)
        ) =>
        {
            3
        }
        0xe3 if (next(1), next(2)) == (0x80, 0x80) => 3,
        0xef if (next(1), next(2)) == (0xbb, 0xbf) => 3,
        _ => 0,
    }
}

fn build_line(text: &str, span: Span, line_no: usize, shi: &[usize], headings: &mut Vec<Heading>) -> Line {
    let line_text = span.slice(text);
    let content = trim_span(text, span);
    let mut line = Line {
        span,
        content,
        debris: Vec::new(),
        kind: LineKind::Blank,
        enums: Vec::new(),
    };
    if content.is_empty() {
        return line;
    }
    line.kind = LineKind::Text;
    if !may_have_head(content.slice(text)) {
        if !shi.is_empty() {
            inline_markers(text, content, shi, &mut line.enums);
        }
        return line;
    }
    let head = head_of(line_text);
    let base = span.start;
    if !head.debris.is_empty() {
        line.debris = head.debris.iter().map(|d| trim_span(text, d.shifted(base))).collect();
    }
    // Where the free text after the head begins (absolute offset).
    let text_start = base + head.end;
    match head.kind {
        HeadKind::None => {}
        HeadKind::Heading(mut marker) => {
            marker.span = marker.span.shifted(base);
            marker.separator = marker.separator.map(|s| s.shifted(base));
            marker.gap = marker.gap.map(|s| s.shifted(base));
            let h = build_heading(marker, content.end, line_no);
            line.kind = LineKind::Heading(headings.len());
            headings.push(h);
        }
        HeadKind::Date(mut date) => {
            date.span = date.span.shifted(base);
            line.kind = LineKind::Date(date);
        }
        HeadKind::Enum(mut m) => {
            m.span = m.span.shifted(base);
            line.enums.push(m);
        }
    }
    // `shi` holds the 是 of this line: without one, there is no marker to find.
    if !shi.is_empty() && !matches!(line.kind, LineKind::Date(_)) {
        inline_markers(
            text,
            Span::new(text_start.min(span.end), span.end),
            shi,
            &mut line.enums,
        );
    }
    if let LineKind::Heading(h) = line.kind {
        // Trailing white space after a bare marker (`一、  `) belongs to no title.
        let end = content.end.max(headings[h].marker.span.end);
        split_title(text, &mut headings[h], text_start.min(end), end);
    }
    line
}

/// What the grammar reads at the head of one line, with spans relative to
/// the line's start.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    /// Untrimmed debris in front of the line.
    debris: Vec<Span>,
    /// Where the free text after the head begins.
    end: usize,
    kind: HeadKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HeadKind {
    None,
    /// A heading marker, its gap included.
    Heading(Marker),
    Date(LineDate),
    /// 一是 opening the line.
    Enum(EnumMarker),
}

/// Parse the head of one line (its text without the line break). Never
/// fails: should pest report an error, the line has no head.
///
/// The heads start with different characters (the FIRST sets of the
/// grammar's alternatives do not overlap), so the character after the indent
/// tells which one rule can match there (`head_rule`), and pest is asked for
/// that rule alone, after the indent, rather than for `line`, which would try
/// the others first. The tests hold this to `line` and to the plain grammar.
fn head_of(line_text: &str) -> Head {
    let indent = line_text.len() - line_text.trim_start_matches(is_grammar_space).len();
    let rest = &line_text[indent..];
    let Some(rule) = head_rule(rest) else {
        return head_of_line(line_text);
    };
    let mut head = Head {
        debris: Vec::new(),
        end: indent,
        kind: HeadKind::None,
    };
    let Ok(Some(pair)) = OutlineParser::parse(rule, rest).map(|mut pairs| pairs.next()) else {
        return head;
    };
    head.end = indent + pair.as_span().end();
    head.kind = head_kind(pair, indent).unwrap_or(HeadKind::None);
    head
}

/// The one rule that can match at the start of `rest` (a line after its
/// indent), or `None` where `line` must decide (debris, or nothing at all).
///
/// A run of digits (or of Chinese numerals and year digits) followed by 年
/// can only open a date: a marker needs a separator or 是 right after its
/// number, which lies inside the run or at the 年. Any other run cannot open
/// a date, whose year is four characters of the run followed by 年.
fn head_rule(rest: &str) -> Option<Rule> {
    let first = rest.chars().next()?;
    let after_run = |run: usize| rest[run..].starts_with('年');
    match first {
        '（' | '(' => Some(Rule::paren_marker),
        '\u{2460}'..='\u{2473}' => Some(Rule::circled_marker),
        '0'..='9' => {
            let run = rest.bytes().take_while(u8::is_ascii_digit).count();
            Some(if after_run(run) {
                Rule::date_line
            } else {
                Rule::l3_marker
            })
        }
        c if is_head_numeral(c) => {
            let run = rest
                .char_indices()
                .find(|&(_, c)| !is_head_numeral(c))
                .map_or(rest.len(), |(i, _)| i);
            Some(if after_run(run) { Rule::date_line } else { Rule::cn_head })
        }
        _ => None,
    }
}

/// Parse the head of one line with the grammar's `line` rule.
fn head_of_line(line_text: &str) -> Head {
    let mut head = Head {
        debris: Vec::new(),
        end: 0,
        kind: HeadKind::None,
    };
    let Ok(mut pairs) = OutlineParser::parse(Rule::line, line_text) else {
        return head;
    };
    let Some(line) = pairs.next() else { return head };
    head.end = line.as_span().end();
    for inner in line.into_inner() {
        match inner.as_rule() {
            Rule::debris => head.debris.push(inner.as_span().into()),
            _ => {
                if let Some(kind) = head_kind(inner, 0) {
                    head.kind = kind;
                }
            }
        }
    }
    head
}

/// What a marker, 一是 or date pair of the grammar stands for, its spans
/// shifted by `base`; `None` for other pairs.
fn head_kind(pair: Pair<Rule>, base: usize) -> Option<HeadKind> {
    let local = Span::from(pair.as_span()).shifted(base);
    Some(match pair.as_rule() {
        Rule::paren_marker | Rule::l3_marker | Rule::circled_marker => {
            HeadKind::Heading(marker_of(pair.as_rule(), pair.as_str(), local.start))
        }
        Rule::cn_head => match pair.as_str().strip_suffix('是') {
            Some(number) => match numerals::parse_cn(number) {
                Some(number) => HeadKind::Enum(EnumMarker { number, span: local }),
                None => HeadKind::None,
            },
            None => HeadKind::Heading(marker_of(Rule::cn_head, pair.as_str(), local.start)),
        },
        Rule::date_line => HeadKind::Date(build_date(pair, base)),
        _ => return None,
    })
}

/// Take apart a marker matched by the grammar (`s`, starting at `at`). The
/// rule fixes its shape: the marker proper, then the gap, a run of `SPACE`
/// characters, none of which can end a marker; in the marker, a bracket or
/// separator is its own character at either end of the number.
fn marker_of(rule: Rule, s: &str, at: usize) -> Marker {
    let m = s.trim_end_matches(is_grammar_space);
    let span_of = |from: usize, to: usize| Span::new(at + from, at + to);
    let last_len = |t: &str| t.chars().next_back().map_or(0, char::len_utf8);
    let mut marker = Marker {
        form: MarkerForm::Circled,
        numeral: Numeral::Circled,
        number: 0,
        span: span_of(0, m.len()),
        separator: None,
        half_width_paren: None,
        gap: (m.len() < s.len()).then(|| span_of(m.len(), s.len())),
    };
    let (number, form) = match rule {
        Rule::circled_marker => {
            marker.number = m.chars().next().and_then(numerals::parse_circled).unwrap_or(0);
            return marker;
        }
        Rule::paren_marker => {
            let open_len = if m.starts_with('(') { 1 } else { '（'.len_utf8() };
            let mut body = m;
            if m.ends_with(['、', '.', '．', '，']) {
                let sep = last_len(m);
                marker.separator = Some(span_of(m.len() - sep, m.len()));
                body = &m[..m.len() - sep];
            }
            let number = &body[open_len..body.len() - last_len(body)];
            marker.half_width_paren = Some(open_len == 1 || body.ends_with(')'));
            let arabic = number.starts_with(|c: char| c.is_ascii_digit());
            (
                number,
                if arabic {
                    MarkerForm::ArabicParen
                } else {
                    MarkerForm::ChineseParen
                },
            )
        }
        _ => {
            let sep = last_len(m);
            marker.separator = Some(span_of(m.len() - sep, m.len()));
            let form = if rule == Rule::l3_marker {
                MarkerForm::ArabicSeparated
            } else {
                MarkerForm::ChineseSeparated
            };
            (&m[..m.len() - sep], form)
        }
    };
    marker.form = form;
    if matches!(form, MarkerForm::ArabicParen | MarkerForm::ArabicSeparated) {
        marker.numeral = Numeral::Arabic;
        marker.number = number.parse().unwrap_or(0);
    } else {
        marker.numeral = Numeral::Chinese;
        marker.number = numerals::parse_cn(number).unwrap_or(0);
    }
    marker
}

/// The grammar's `SPACE`.
fn is_grammar_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{a0}' | '\u{2002}' | '\u{2003}' | '\u{feff}'
    )
}

/// The numerals of `cn_number`.
fn is_cn_numeral(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// Whether the grammar's `line` rule can match anything on a line whose
/// trimmed content is this: debris, a marker, a date or 一是. A cheap
/// over-approximation of the grammar (it may say yes where the grammar finds
/// nothing, never the reverse), so that most lines never reach the parser.
fn may_have_head(content: &str) -> bool {
    let Some(first) = content.chars().next() else {
        return false;
    };
    if matches!(first, '[' | '(' | '（') || ('\u{2460}'..='\u{2473}').contains(&first) {
        return true;
    }
    // A run of digits or numerals, then what may follow it in a marker
    // (`1.` `一、` `一是`) or a date line (`2024年3月1日`, ending in 日).
    let (run, numerals): (usize, bool) = if first.is_ascii_digit() {
        (content.bytes().take_while(u8::is_ascii_digit).count(), false)
    } else if is_head_numeral(first) {
        (
            content
                .chars()
                .take_while(|&c| is_head_numeral(c))
                .map(char::len_utf8)
                .sum(),
            true,
        )
    } else {
        return false;
    };
    match content[run..].chars().next() {
        Some('.' | '．' | '、') => true,
        Some('是') => numerals,
        Some('年') => content.trim_end().ends_with('日'),
        _ => false,
    }
}

/// The characters of Chinese numerals and years in markers and dates.
fn is_head_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '○' | 'O' | '零'
    )
}

fn enum_from(s: &str, span: Span) -> Option<EnumMarker> {
    numerals::parse_cn(s.trim_end_matches('是')).map(|number| EnumMarker { number, span })
}

static SHI: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("是".as_bytes()));

/// Punctuation after which a 一是/二是 marker may stand inside running text.
const CLAUSE_BREAKS: [char; 11] = ['。', '，', '；', '：', ';', ':', '！', '？', '”', '）', ')'];

/// Whether `s` is in the language of the grammar's `cn_number` (一 十 十一
/// 二十 二十三): what makes `s` + 是 an `enum_marker`. Checked here rather
/// than by a pest call per candidate; the tests compare it with the grammar
/// on every string of up to four numerals.
fn is_cn_number(s: &str) -> bool {
    let digit = |c: char| is_cn_numeral(c) && c != '十';
    let mut cs = s.chars();
    match (cs.next(), cs.next(), cs.next(), cs.next()) {
        (Some(a), None, None, None) => is_cn_numeral(a),
        (Some(a), Some('十'), None, None) => digit(a),
        (Some('十'), Some(b), None, None) => digit(b),
        (Some(a), Some('十'), Some(c), None) => digit(a) && digit(c),
        _ => false,
    }
}

/// Find the 一是/二是 markers inside `span`: each 是 preceded by a numeral
/// that itself follows clause punctuation (optionally spaced) or opens the
/// span, and that is a `cn_number` of the grammar (`is_cn_number`).
/// `shi`: the offsets of the 是 in `text`, in order: those of the line of
/// `span` at least. A 是 lies inside `span` or outside it: spans run between
/// character boundaries.
fn inline_markers(text: &str, span: Span, shi: &[usize], out: &mut Vec<EnumMarker>) {
    let s = span.slice(text);
    let from = shi.partition_point(|&p| p < span.start);
    let inside = shi[from..].iter().take_while(|&&p| p + '是'.len_utf8() <= span.end);
    for i in inside.map(|&p| p - span.start) {
        let before = &s[..i];
        let numeral_len: usize = before
            .chars()
            .rev()
            .take_while(|&c| is_cn_numeral(c))
            .take(3)
            .map(char::len_utf8)
            .sum();
        if numeral_len == 0 {
            continue;
        }
        let lead = before[..before.len() - numeral_len].trim_end_matches(is_space);
        let at_boundary = match lead.chars().last() {
            None => true,
            Some(c) => CLAUSE_BREAKS.contains(&c),
        };
        if !at_boundary {
            continue;
        }
        let start = i - numeral_len;
        if !is_cn_number(&s[start..i]) {
            continue;
        }
        let candidate = &s[start..i + '是'.len_utf8()];
        let abs = Span::new(span.start + start, span.start + start + candidate.len());
        if let Some(e) = enum_from(candidate, abs) {
            if !out.iter().any(|x| x.span == e.span) {
                out.push(e);
            }
        }
    }
}

fn build_date(pair: Pair<Rule>, base: usize) -> LineDate {
    let date = pair.into_inner().next().expect("date");
    let span: Span = Span::from(date.as_span()).shifted(base);
    let (y, m, d) = date_parts(date.as_str());
    LineDate {
        year: numerals::parse_year(y).unwrap_or(0),
        month: numerals::parse_small(m).unwrap_or(0),
        day: numerals::parse_small(d).unwrap_or(0),
        span,
    }
}

/// The year, month and day of a date matched by the grammar's `date`
/// (`2024年3月5日`): none of them holds 年, 月 or 日.
fn date_parts(date: &str) -> (&str, &str, &str) {
    let (y, rest) = date.split_once('年').unwrap_or((date, ""));
    let (m, rest) = rest.split_once('月').unwrap_or((rest, ""));
    let d = rest.strip_suffix('日').unwrap_or(rest);
    (y, m, d)
}

/// Characters that end the title of a run-in heading (`title_end` finds
/// them; the tests hold it to this list).
#[cfg(test)]
const TITLE_END: [char; 7] = ['。', '：', ':', '；', ';', '！', '？'];

/// `content_end`: where the line's content ends. The marker starts with a
/// character that is no space, inside the content, so the heading's span
/// (the line from the marker on, trimmed) ends there too.
fn build_heading(marker: Marker, content_end: usize, line_no: usize) -> Heading {
    let span = Span::new(marker.span.start, content_end);
    let level = match marker.form {
        MarkerForm::ChineseSeparated => 1,
        MarkerForm::ChineseParen => 2,
        MarkerForm::ArabicSeparated => 3,
        MarkerForm::ArabicParen | MarkerForm::Circled => 4,
    };
    let end = marker.span.end;
    Heading {
        level,
        marker,
        title: Span::empty(end),
        body: None,
        span,
        line: line_no,
        parent: None,
        level_from_context: false,
    }
}

/// Where the first `TITLE_END` character of `s` stands, and its length: a
/// walk over the lead bytes rather than the decoded characters (each of
/// those characters is one ASCII byte, or three bytes led by 0xE3 or 0xEF).
/// The tests hold it to the plain `char_indices().find(..)`.
fn title_end(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        // Most characters of a title are Han (U+4000–U+9FFF, led by 0xE4–0xE9).
        if lead.wrapping_sub(0xe4) < 6 {
            i += 3;
            continue;
        }
        match lead {
            b':' | b';' => return Some((i, 1)),
            // 。 U+3002
            0xe3 if (at(i + 1), at(i + 2)) == (0x80, 0x82) => return Some((i, 3)),
            // ： U+FF1A, ； U+FF1B, ！ U+FF01, ？ U+FF1F
            0xef if at(i + 1) == 0xbc && matches!(at(i + 2), 0x9a | 0x9b | 0x81 | 0x9f) => return Some((i, 3)),
            _ => {}
        }
        // From character to character.
        i += crate::source::utf8_len(lead);
    }
    None
}

/// The heading's text runs up to the first 。：； on the line; what follows is
/// the run-in body.
fn split_title(text: &str, h: &mut Heading, start: usize, end: usize) {
    let rest = trim_span(text, Span::new(start, end));
    let rest_text = rest.slice(text);
    let (title, body) = match title_end(rest_text) {
        Some((i, len)) => {
            let title = Span::new(rest.start, rest.start + i);
            let after = trim_span(text, Span::new(rest.start + i + len, rest.end));
            (title, (!after.is_empty()).then_some(after))
        }
        None => (rest, None),
    };
    h.title = title;
    h.body = body;
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
    // Levels strictly rise along the stack, and there are four of them.
    let mut stack: Vec<usize> = Vec::with_capacity(4);
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
    // At most one paragraph a text line or heading.
    let most = lines
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Text | LineKind::Heading(_)))
        .count();
    let mut paragraphs: Vec<Paragraph> = Vec::with_capacity(most);
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

/// The grammar before it was laid out for speed: what the tests hold this module to.
#[cfg(test)]
mod reference;

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
    fn lines_skipped_by_the_prefilter_have_no_head() {
        // The prefilter must agree with the grammar: a line whose first
        // character it rejects never yields a head.
        for line in [
            "主要举措",
            "“一是”",
            "《一、》",
            "是",
            "，一是",
            "a、b",
            "Ⅰ、总体",
            "★（一）",
            "2024年，我局全面推进",
            "2024年3月至5月开展专项整治",
            "12345",
            "一二三",
            "一体化推进",
            "十分重视",
            "OA系统上线",
            "三年行动计划",
            "二〇二四年，全市",
        ] {
            assert!(!may_have_head(line), "{line}");
            let pairs = OutlineParser::parse(Rule::line, line).unwrap();
            let head = pairs.into_iter().next().unwrap();
            assert!(head.into_inner().next().is_none(), "{line}");
        }
    }

    /// Every string of up to three characters from the characters that open
    /// or end a head: the rule picked after the indent reads what `line` reads.
    #[test]
    fn the_rule_picked_reads_what_line_reads_on_every_short_string() {
        let alphabet: Vec<char> = "一十〇O1（(①[ \u{3000}\u{2009}年日是、.）甲".chars().collect();
        let mut words = vec![String::new()];
        let mut last = words.clone();
        for _ in 0..3 {
            last = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        for w in &words {
            assert_eq!(head_of(w), head_of_line(w), "{w:?}");
        }
    }

    /// Every line of the fixtures, and lines built to exercise each part of
    /// the grammar, read alike by the grammar and by its plain form.
    #[test]
    fn head_matches_the_plain_grammar_on_real_lines() {
        let mut n = 0;
        for text in crate::rules::testing::fixture_texts() {
            for line in text.lines() {
                assert_eq!(head_of(line), reference::head_of(line), "{line:?}");
                assert_eq!(head_of_line(line), reference::head_of(line), "{line:?}");
                n += 1;
            }
        }
        assert!(n > 100);
        for line in [
            "一、总体",
            "一、 \u{3000}总体",
            "（一）学习",
            "(一)、学习",
            "（一）， 学习",
            "（12）.x",
            "(1)\t学",
            "（十二）",
            "1.完善",
            "12、完善",
            "1.5万元",
            "123.x",
            "1．",
            "①\u{a0}圈",
            "⑳",
            "一是加强",
            "二十三是",
            "十是",
            "2024年3月5日",
            "2024年3月5日 ",
            "2024年3月5日。",
            "二〇二四年三月五日",
            "二〇二四年三十一月五日",
            "[bookmark: _GoBack]一、总体",
            "[a: b] [c: d]（二）x",
            "  [x:y]",
            "[x: y",
            "\u{feff}一、",
            "\u{3000}\u{3000}1、",
            "\u{2009}一、",
            "一十一、",
            "十一、",
            "一二、",
            "（）",
            "（一",
            "一、、",
            "（一）（二）",
            "2024年",
            "二〇二四年三月五日 \u{3000}",
            "1年",
            "20245年1月1日",
            "  (1) 学",
            "\u{3000}[x: y]1.",
        ] {
            assert_eq!(head_of(line), reference::head_of(line), "{line:?}");
            assert_eq!(head_of_line(line), reference::head_of(line), "{line:?}");
        }
    }

    /// Every year, month and day form the grammar takes, put together,
    /// comes apart again; and each such date line reads as in the plain grammar.
    #[test]
    fn date_parts_takes_apart_what_the_grammar_joins() {
        let years = ["2024", "0000", "二〇二四", "一九九九", "〇〇〇〇", "○O零一"];
        let smalls = ["1", "12", "09", "一", "十", "十二", "二十", "二十三", "三十一", "九"];
        for y in years {
            for m in smalls {
                for d in smalls {
                    let date = format!("{y}年{m}月{d}日");
                    assert_eq!(date_parts(&date), (y, m, d), "{date}");
                    assert_eq!(head_of(&date), reference::head_of(&date), "{date}");
                }
            }
        }
    }

    #[test]
    fn title_end_finds_what_the_plain_search_finds() {
        let plain = |s: &str| {
            s.char_indices()
                .find(|(_, c)| TITLE_END.contains(c))
                .map(|(i, c)| (i, c.len_utf8()))
        };
        // Every character that shares a lead byte, or a lead and a second
        // byte, with a title end, alone and around other text.
        let near = (0x3000..0x3100)
            .chain(0xff00..0xff40)
            .chain(0x20..0x80)
            .filter_map(char::from_u32);
        for c in near {
            for s in [c.to_string(), format!("甲{c}乙"), format!("{c}。"), format!("a{c}")] {
                assert_eq!(title_end(&s), plain(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn space_len_at_knows_every_space() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let want = if is_space(c) { enc.len() } else { 0 };
            assert_eq!(space_len_at(enc, 0), want, "{c:?}");
        }
        for s in [
            "",
            " ",
            "\u{3000}\u{feff} ",
            " a ",
            "\u{3000}一、\u{a0}\u{2009}",
            "a\u{85}",
            "\u{1680}b\t\r",
            "é",
            "文",
        ] {
            let plain = {
                let lead = s.len() - s.trim_start_matches(is_space).len();
                let t = s.trim_matches(is_space);
                if t.is_empty() {
                    Span::empty(0)
                } else {
                    Span::new(lead, lead + t.len())
                }
            };
            assert_eq!(trim_span(s, Span::new(0, s.len())), plain, "{s:?}");
        }
    }

    #[test]
    fn cn_number_agrees_with_the_grammar_on_every_short_string() {
        let alphabet: Vec<char> = "一二三四五六七八九十是〇两".chars().collect();
        let mut words = vec![String::new()];
        let mut last = words.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        assert_eq!(words.len(), 1 + 13 + 13 * 13 + 13 * 13 * 13 + 13 * 13 * 13 * 13);
        for w in &words {
            assert_eq!(is_cn_number(w), reference::is_enum_marker(&format!("{w}是")), "{w:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn trim_span_is_trim_matches(s in "[ \t\r\u{3000}\u{a0}\u{85}\u{2009}\u{feff}\u{1680}\u{2028}a文é，]{0,8}") {
            let lead = s.len() - s.trim_start_matches(is_space).len();
            let t = s.trim_matches(is_space);
            let plain = if t.is_empty() { Span::empty(2) } else { Span::new(2 + lead, 2 + lead + t.len()) };
            let text = format!("ab{s}c");
            proptest::prop_assert_eq!(trim_span(&text, Span::new(2, 2 + s.len())), plain);
        }

        #[test]
        fn title_end_is_the_plain_search(s in "[。：:；;！？，、.a甲\u{3000}\u{3001}\u{3003}\u{ff1c}\u{ff01}-\u{ff1f}\u{ef00}\u{f000}]{0,10}") {
            let plain = s.char_indices().find(|(_, c)| TITLE_END.contains(c)).map(|(i, c)| (i, c.len_utf8()));
            proptest::prop_assert_eq!(title_end(&s), plain);
        }

        #[test]
        fn head_matches_the_plain_grammar(line in "[一二三十〇○O零是年月日、．.，（）()0-9 \t\u{3000}\u{a0}\u{2002}\u{feff}①⑳\\[\\]a_:甲中]{0,16}") {
            let plain = reference::head_of(&line);
            proptest::prop_assert_eq!(&head_of_line(&line), &plain, "{:?}", line);
            proptest::prop_assert_eq!(&head_of(&line), &plain, "{:?}", line);
        }

        /// Lines shaped like heads (an indent, a run of numerals, what may
        /// follow), where the rule `head_rule` picks matters most.
        #[test]
        fn the_rule_picked_reads_what_line_reads(
            line in "[ \u{3000}\u{2009}]{0,2}[一二十〇○O零0-9]{0,5}[年月日是、．.（）()①甲\\[]{0,2}[一二三十0-9]{0,2}[月日、.]?[一二十0-9]{0,2}[日是]?[ 甲]{0,2}",
        ) {
            proptest::prop_assert_eq!(head_of(&line), head_of_line(&line), "{:?}", line);
        }

        /// Lines shaped like dates, valid or nearly so.
        #[test]
        fn the_rule_picked_reads_dates_as_line_does(
            line in "[ \u{3000}]{0,1}([0-9]{3,5}|[〇二O零一十]{3,5})[年.、]([0-9一二三十]{1,3}[月是])?[0-9一二三十]{1,3}日?[ 。]{0,1}",
        ) {
            proptest::prop_assert_eq!(head_of(&line), head_of_line(&line), "{:?}", line);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_prefilter_never_hides_a_head(line in "[一二三十〇○O零是年月日、．.（）()0-9 ①\\[\\]a:甲]{1,14}") {
            let content = line.trim_matches(is_space);
            proptest::prop_assume!(!content.is_empty());
            if !may_have_head(content) {
                let pairs = OutlineParser::parse(Rule::line, content).unwrap();
                let head = pairs.into_iter().next().unwrap();
                proptest::prop_assert!(head.into_inner().next().is_none(), "{}", content);
            }
        }
    }

    #[test]
    fn heads_pass_the_prefilter() {
        for line in [
            "一、总体情况",
            "（一）学习",
            "1.完善",
            "2024年3月5日",
            "二〇二四年三月五日",
            "一是加强",
            "十二、其他",
            "[bookmark: _GoBack]一、",
        ] {
            assert!(may_have_head(line), "{line}");
        }
    }

    #[test]
    fn bare_marker_with_trailing_space_has_an_empty_title_inside_the_line() {
        let doc = parse("一、  \n（二） \t\n");
        for h in &doc.headings {
            assert!(h.title.is_empty());
            assert!(h.title.end <= doc.lines[h.line].content.end.max(h.marker.span.end));
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
