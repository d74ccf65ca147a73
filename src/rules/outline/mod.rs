//! Rules about outline numbering (GB/T 9704-2012 7.3.3) and inline enumerations.

pub mod declared_count;
pub mod enumeration_sequence;
pub mod heading_sequence;
pub mod heading_style;

use crate::document::{Heading, MarkerForm};
use crate::numerals::to_cn;

/// How a number is written with the standard marker of `level`.
pub fn standard_marker(level: u8, number: u32) -> String {
    match level {
        1 => format!("{}、", to_cn(number)),
        2 => format!("（{}）", to_cn(number)),
        3 => format!("{number}."),
        _ => format!("（{number}）"),
    }
}

/// How a number is written in the style the heading itself uses, so that
/// messages speak the document's language (`(三)` in a half-width report).
pub fn marker_like(h: &Heading, number: u32) -> String {
    let (open, close) = if h.marker.half_width_paren == Some(true) {
        ("(", ")")
    } else {
        ("（", "）")
    };
    match h.marker.form {
        MarkerForm::ChineseSeparated => format!("{}、", to_cn(number)),
        MarkerForm::ChineseParen => format!("{open}{}{close}", to_cn(number)),
        MarkerForm::ArabicSeparated => format!("{number}."),
        MarkerForm::ArabicParen => format!("{open}{number}{close}"),
        MarkerForm::Circled => {
            char::from_u32(0x2460 + number.saturating_sub(1)).map_or(number.to_string(), String::from)
        }
    }
}

pub fn level_name(level: u8) -> &'static str {
    match level {
        1 => "一级标题",
        2 => "二级标题",
        3 => "三级标题",
        _ => "四级标题",
    }
}
