//! The grammar as it was written before it was laid out for speed, and the
//! code that read its parse tree: the reference the tests hold `head_of`,
//! `marker_of` and `is_cn_number` to.

use crate::document::*;
use crate::numerals;
use crate::source::Span;
use pest::iterators::Pair;
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar_inline = r#"
line = { SOI ~ indent? ~ debris* ~ (heading | date_line | enum_marker)? }
indent = @{ SPACE+ }
SPACE  = _{ " " | "\t" | "\u{3000}" | "\u{a0}" | "\u{2002}" | "\u{2003}" | "\u{feff}" }
debris = @{ "[" ~ ASCII_ALPHA ~ (ASCII_ALPHANUMERIC | "_" | "-" | " ")* ~ ":" ~ (!"]" ~ ANY)* ~ "]" ~ SPACE* }
heading    = { marker ~ marker_gap? }
marker_gap = @{ SPACE+ }
marker = _{ l2_marker | l4_marker | l3_marker | circled_marker | l1_marker }
l1_marker = { cn_number ~ l1_sep }
l1_sep    = @{ "、" | "．" | "." }
l2_marker = { open_paren ~ cn_number ~ close_paren ~ extra_sep? }
l4_marker = { open_paren ~ arabic ~ close_paren ~ extra_sep? }
l3_marker = { arabic ~ l3_sep ~ !ASCII_DIGIT }
l3_sep    = @{ "." | "．" | "、" }
circled_marker = @{ '\u{2460}'..'\u{2473}' }
open_paren  = @{ "（" | "(" }
close_paren = @{ "）" | ")" }
extra_sep   = @{ "、" | "." | "．" | "，" }
cn_number = @{ (cn_digit ~ ("十" ~ cn_digit?)?) | ("十" ~ cn_digit?) }
cn_digit  = _{ "一" | "二" | "三" | "四" | "五" | "六" | "七" | "八" | "九" }
arabic    = @{ ASCII_DIGIT{1,2} }
date_line = { date ~ SPACE* ~ EOI }
date      = { year ~ "年" ~ month ~ "月" ~ day ~ "日" }
year      = @{ ASCII_DIGIT{4} | (cn_year_digit){4} }
month     = @{ ASCII_DIGIT{1,2} | cn_small }
day       = @{ ASCII_DIGIT{1,2} | cn_small }
cn_year_digit = _{ "〇" | "零" | "○" | "O" | cn_digit }
cn_small  = _{ ("二" | "三")? ~ "十" ~ cn_digit? | cn_digit }
enum_marker = @{ cn_number ~ "是" }
"#]
pub struct PlainParser;

/// (debris, end of the head, kind) as `super::head_of` reports them.
pub fn head_of(line_text: &str) -> super::Head {
    let mut head = super::Head {
        debris: Vec::new(),
        end: 0,
        kind: super::HeadKind::None,
    };
    let Ok(mut pairs) = PlainParser::parse(Rule::line, line_text) else {
        return head;
    };
    let Some(line) = pairs.next() else { return head };
    head.end = line.as_span().end();
    for inner in line.into_inner() {
        let local: Span = inner.as_span().into();
        match inner.as_rule() {
            Rule::debris => head.debris.push(local),
            Rule::heading => {
                let mut marker = None;
                let mut gap = None;
                for part in inner.into_inner() {
                    match part.as_rule() {
                        Rule::marker_gap => gap = Some(Span::from(part.as_span())),
                        _ => marker = Some(marker_of(part)),
                    }
                }
                let mut marker = marker.expect("heading has a marker");
                marker.gap = gap;
                head.end = gap.map_or(marker.span.end, |g| g.end);
                head.kind = super::HeadKind::Heading(marker);
            }
            Rule::date_line => {
                let date = inner.into_inner().next().expect("date");
                let span: Span = date.as_span().into();
                let mut parts = date.into_inner();
                let mut next = || parts.next().map(|p| p.as_str().to_owned()).unwrap_or_default();
                let (y, m, d) = (next(), next(), next());
                head.kind = super::HeadKind::Date(LineDate {
                    year: numerals::parse_year(&y).unwrap_or(0),
                    month: numerals::parse_small(&m).unwrap_or(0),
                    day: numerals::parse_small(&d).unwrap_or(0),
                    span,
                });
            }
            Rule::enum_marker => {
                if let Some(number) = numerals::parse_cn(inner.as_str().trim_end_matches('是')) {
                    head.kind = super::HeadKind::Enum(EnumMarker { number, span: local });
                }
                head.end = local.end;
            }
            _ => {}
        }
    }
    head
}

fn marker_of(pair: Pair<Rule>) -> Marker {
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
            Rule::l1_sep | Rule::l3_sep | Rule::extra_sep => separator = Some(Span::from(inner.as_span())),
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

/// Whether the plain grammar's `enum_marker` matches all of `s`.
pub fn is_enum_marker(s: &str) -> bool {
    PlainParser::parse(Rule::enum_marker, s)
        .ok()
        .and_then(|mut p| p.next())
        .is_some_and(|m| m.as_str().len() == s.len())
}
