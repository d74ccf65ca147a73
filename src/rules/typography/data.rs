//! The tables of `rules/typography.toml`, parsed and validated once with the
//! rest of the knowledge base (errors name the file and line).

use crate::knowledge::{compile, line_of, parse_toml, DataError, LazyRegex, Pattern};
use serde::Deserialize;
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
}

impl TypographyRules {
    pub fn halfwidth_mark(&self, c: char) -> Option<&MarkMap> {
        self.halfwidth.iter().find(|m| m.from == c)
    }

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
    Ok(TypographyRules {
        halfwidth: raw.halfwidth.iter().map(map).collect::<Result<_, _>>()?,
        period: raw.period.as_ref().map(map).transpose()?,
        quotes: raw
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
            .collect::<Result<_, DataError>>()?,
        protect: raw
            .protect
            .iter()
            .map(|p| {
                Ok(Pattern {
                    regex: compile(file, text, &p.pattern)?,
                    what: p.what.clone(),
                })
            })
            .collect::<Result<_, DataError>>()?,
        pairs: raw
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
            .collect::<Result<_, DataError>>()?,
        repeated: raw.repeated.chars().collect(),
        ellipsis: raw
            .ellipsis
            .iter()
            .map(|p| compile(file, text, p))
            .collect::<Result<_, _>>()?,
        spaces: raw.spaces.chars().collect(),
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
