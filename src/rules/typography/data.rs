//! The tables of `rules/typography.toml`, parsed and validated once with the
//! rest of the knowledge base (errors name the file and line).

use super::scan::{Gate, MarkTable, Shape};
use crate::knowledge::{compile, line_of, parse_toml, DataError, LazyRegex, Pattern};
use serde::Deserialize;
use std::sync::OnceLock;
use toml::Spanned;

/// One paired mark (“” 《》 （） …) and the other spellings that pair with it.
#[derive(Debug, Clone)]
pub struct MarkPair {
    pub open: char,
    pub close: char,
    pub name: String,
    pub alt_open: Option<char>,
    pub alt_close: Option<char>,
}

/// An ASCII mark, the full-width mark that replaces it, and its name.
#[derive(Debug, Clone)]
pub struct MarkMap {
    pub from: char,
    pub to: char,
    pub name: String,
}

/// An ASCII quotation mark and the full-width pair that replaces it.
#[derive(Debug, Clone)]
pub struct QuoteMap {
    pub from: char,
    pub open: char,
    pub close: char,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct TypographyRules {
    /// ASCII mark → full-width mark.
    pub halfwidth: Vec<MarkMap>,
    pub period: Option<MarkMap>,
    pub quotes: Vec<QuoteMap>,
    pub protect: Vec<Pattern>,
    pub pairs: Vec<MarkPair>,
    pub repeated: Vec<char>,
    pub ellipsis: Vec<LazyRegex>,
    pub spaces: Vec<char>,
    pub doc_number: Vec<LazyRegex>,
    /// Where the rules look, built at load from the tables above: the marks
    /// of `halfwidth`, `period` and `quotes`, of `pairs` (with their other
    /// spellings), of `repeated` and of `spaces`, for one walk over a text
    /// that finds the marks of all of them (`typography::marks`).
    pub(crate) mark_table: MarkTable,
    /// The gates of `protect` then `doc_number`, made on first use.
    shield_gates: OnceLock<Vec<Option<Gate>>>,
    /// The gates of `ellipsis`, made on first use.
    ellipsis_gates: OnceLock<Vec<Option<Gate>>>,
    /// The shapes of `protect` then `doc_number`, made on first use.
    shield_shapes: OnceLock<Vec<Option<Shape>>>,
    /// The roles of the marks of `pairs`, made on first use.
    pair_roles: OnceLock<super::unpaired_mark::Roles>,
}

impl TypographyRules {
    /// The patterns whose matches the typography rules leave alone:
    /// `protect` then `doc_number`.
    pub(crate) fn shield_patterns(&self) -> impl Iterator<Item = &LazyRegex> {
        self.protect.iter().map(|p| &p.regex).chain(&self.doc_number)
    }

    /// The gates of the shield patterns: `protect` then `doc_number`.
    pub(crate) fn shield_gates(&self) -> &[Option<Gate>] {
        self.shield_gates
            .get_or_init(|| self.shield_patterns().map(|r| Gate::of(r.as_str())).collect())
    }

    /// The shapes of the shield patterns: `protect` then `doc_number`.
    pub(crate) fn shield_shapes(&self) -> &[Option<Shape>] {
        self.shield_shapes
            .get_or_init(|| self.shield_patterns().map(|r| Shape::of_pattern(r.as_str())).collect())
    }

    /// The role of each mark of `pairs` (`unpaired-mark`).
    pub(crate) fn pair_roles(&self) -> &super::unpaired_mark::Roles {
        self.pair_roles
            .get_or_init(|| super::unpaired_mark::Roles::of(&self.pairs))
    }

    pub(crate) fn ellipsis_gates(&self) -> &[Option<Gate>] {
        self.ellipsis_gates
            .get_or_init(|| self.ellipsis.iter().map(|r| Gate::of(r.as_str())).collect())
    }

    pub fn halfwidth_mark(&self, c: char) -> Option<&MarkMap> {
        self.halfwidth.iter().find(|m| m.from == c)
    }

    #[inline]
    pub fn is_space(&self, c: char) -> bool {
        self.spaces.contains(&c)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    halfwidth: Vec<RawMap>,
    period: Option<RawMap>,
    #[serde(default)]
    quotes: Vec<RawQuote>,
    protect: Vec<RawPattern>,
    pairs: Vec<RawPair>,
    repeated: String,
    ellipsis: Vec<Spanned<String>>,
    spaces: String,
    doc_number: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    from: Spanned<String>,
    to: Spanned<String>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuote {
    from: Spanned<String>,
    open: Spanned<String>,
    close: Spanned<String>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    pattern: Spanned<String>,
    what: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    open: Spanned<String>,
    close: Spanned<String>,
    name: String,
    alt_open: Option<Spanned<String>>,
    alt_close: Option<Spanned<String>>,
}

fn one_char(file: &str, text: &str, s: &Spanned<String>) -> Result<char, DataError> {
    let mut chars = s.get_ref().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(DataError {
            file: file.into(),
            line: line_of(text, s.span().start),
            message: format!("应为单个字符，这里是“{}”", s.get_ref()),
        }),
    }
}

pub fn load(file: &str, text: &str) -> Result<TypographyRules, DataError> {
    let raw: Raw = parse_toml(file, text)?;
    let map = |m: &RawMap| -> Result<MarkMap, DataError> {
        Ok(MarkMap {
            from: one_char(file, text, &m.from)?,
            to: one_char(file, text, &m.to)?,
            name: m.name.clone(),
        })
    };
    let opt = |s: &Option<Spanned<String>>| -> Result<Option<char>, DataError> {
        s.as_ref().map(|s| one_char(file, text, s)).transpose()
    };
    let mut doc_number = Vec::new();
    for p in &raw.doc_number {
        let re = compile(file, text, p)?;
        for group in ["open", "year", "close"] {
            if !re.capture_names().flatten().any(|n| n == group) {
                return Err(DataError {
                    file: file.into(),
                    line: line_of(text, p.span().start),
                    message: format!("文号模式缺少命名分组“{group}”"),
                });
            }
        }
        doc_number.push(re);
    }
    let halfwidth: Vec<MarkMap> = raw.halfwidth.iter().map(map).collect::<Result<_, _>>()?;
    let period = raw.period.as_ref().map(map).transpose()?;
    let quotes: Vec<QuoteMap> = raw
        .quotes
        .iter()
        .map(|q| {
            Ok(QuoteMap {
                from: one_char(file, text, &q.from)?,
                open: one_char(file, text, &q.open)?,
                close: one_char(file, text, &q.close)?,
                name: q.name.clone(),
            })
        })
        .collect::<Result<_, DataError>>()?;
    let protect: Vec<Pattern> = raw
        .protect
        .iter()
        .map(|p| {
            Ok(Pattern {
                regex: compile(file, text, &p.pattern)?,
                what: p.what.clone(),
            })
        })
        .collect::<Result<_, DataError>>()?;
    let pairs: Vec<MarkPair> = raw
        .pairs
        .iter()
        .map(|p| {
            Ok(MarkPair {
                open: one_char(file, text, &p.open)?,
                close: one_char(file, text, &p.close)?,
                name: p.name.clone(),
                alt_open: opt(&p.alt_open)?,
                alt_close: opt(&p.alt_close)?,
            })
        })
        .collect::<Result<_, DataError>>()?;
    let repeated: Vec<char> = raw.repeated.chars().collect();
    let spaces: Vec<char> = raw.spaces.chars().collect();
    let mark_table = MarkTable::new([
        halfwidth
            .iter()
            .map(|m| m.from)
            .chain(period.iter().map(|p| p.from))
            .chain(quotes.iter().map(|q| q.from))
            .collect(),
        pairs
            .iter()
            .flat_map(|p| [Some(p.open), Some(p.close), p.alt_open, p.alt_close])
            .flatten()
            .collect(),
        repeated.clone(),
        spaces.clone(),
    ]);
    Ok(TypographyRules {
        mark_table,
        shield_gates: OnceLock::new(),
        ellipsis_gates: OnceLock::new(),
        shield_shapes: OnceLock::new(),
        pair_roles: OnceLock::new(),
        halfwidth,
        period,
        quotes,
        protect,
        pairs,
        repeated,
        ellipsis: raw
            .ellipsis
            .iter()
            .map(|p| compile(file, text, p))
            .collect::<Result<_, _>>()?,
        spaces,
        doc_number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../rules/typography.toml");

    #[test]
    fn builtin_table_loads() {
        let t = load("rules/typography.toml", FILE).unwrap();
        assert_eq!(t.halfwidth_mark(',').map(|m| m.to), Some('，'));
        assert!(t.pairs.iter().any(|p| p.open == '“'));
    }

    #[test]
    fn errors_name_the_line() {
        let bad = FILE.replacen("from = \",\"", "from = \",,\"", 1);
        let err = load("t.toml", &bad).unwrap_err();
        let expected = bad.lines().position(|l| l.contains("\",,\"")).unwrap() + 1;
        assert_eq!(err.line, expected);
        let bad = FILE.replacen("(?P<year>", "(?P<yr>", 1);
        let err = load("t.toml", &bad).unwrap_err();
        assert!(err.message.contains("year"), "{}", err.message);
    }
}
