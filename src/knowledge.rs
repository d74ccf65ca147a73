//! Rule data kept in `rules/*.toml`: the profile's mandated parts with their
//! heading aliases, title patterns, and web/Word debris patterns. The files are
//! embedded in the binary, parsed and validated once; a bad pattern or a
//! malformed table is an error that names the file and the line.

pub use crate::lazy_regex::{Candidates, LazyRegex, LazyRegexes, SetGuard};
use crate::reference::Reference;
use serde::Deserialize;
use std::sync::OnceLock;
use thiserror::Error;
use toml::Spanned;

const PROFILE_FAZHI_ANNUAL: (&str, &str) = (
    "rules/profile-fazhi-annual.toml",
    include_str!("../rules/profile-fazhi-annual.toml"),
);
const TITLE: (&str, &str) = ("rules/title.toml", include_str!("../rules/title.toml"));
const DEBRIS: (&str, &str) = ("rules/debris.toml", include_str!("../rules/debris.toml"));
const TYPOGRAPHY: (&str, &str) = ("rules/typography.toml", include_str!("../rules/typography.toml"));

/// The names of the built-in profiles.
pub const PROFILES: &[&str] = &["fazhi-annual"];

#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A compiled pattern with the text it came from.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub regex: LazyRegex,
    pub what: String,
}

#[derive(Debug, Clone)]
pub struct PartDef {
    pub key: String,
    pub name: String,
    /// A short name for tables.
    pub short: String,
    pub regulation: String,
    pub thematic: bool,
    /// A heading below the top level may stand for the part.
    pub subsection: bool,
    pub heading: Vec<LazyRegex>,
    /// Heading cues that count only when the heading names another year than the title's.
    pub heading_other_year: Vec<LazyRegex>,
    pub exclude: Vec<LazyRegex>,
    pub inline: LazyRegexes,
    pub causes: Vec<LazyRegex>,
}

impl PartDef {
    /// Whether a heading's text names this part.
    pub fn matches_heading(&self, title: &str) -> bool {
        self.heading.iter().any(|r| r.is_match(title)) && !self.exclude.iter().any(|r| r.is_match(title))
    }

    /// Whether a heading that names a year other than the report's names this part.
    pub fn matches_heading_other_year(&self, title: &str) -> bool {
        self.heading_other_year.iter().any(|r| r.is_match(title)) && !self.exclude.iter().any(|r| r.is_match(title))
    }
}

/// Which parts a heading's text names, found with one pass over the text
/// for the literals of every part's heading patterns ([`Knowledge::heading_cues`]).
pub struct HeadingCues<'a> {
    parts: &'a [PartDef],
    title: &'a str,
    /// The heading patterns that may match `title`, in `TableGuards::headings`' order.
    maybe: Candidates,
}

impl HeadingCues<'_> {
    /// The index in `maybe` of part `k`'s first heading pattern.
    fn base(&self, k: usize) -> usize {
        self.parts[..k]
            .iter()
            .map(|p| p.heading.len() + p.heading_other_year.len() + p.exclude.len())
            .sum()
    }

    /// Whether one of `list`, whose first pattern has index `at`, matches the title.
    fn any(&self, list: &[LazyRegex], at: usize) -> bool {
        list.iter()
            .enumerate()
            .any(|(i, r)| self.maybe.contains(at + i) && r.regex().is_match(self.title))
    }

    fn excluded(&self, k: usize, base: usize) -> bool {
        let p = &self.parts[k];
        self.any(&p.exclude, base + p.heading.len() + p.heading_other_year.len())
    }

    /// As [`PartDef::matches_heading`] of part `k`.
    pub fn matches_heading(&self, k: usize) -> bool {
        let base = self.base(k);
        self.any(&self.parts[k].heading, base) && !self.excluded(k, base)
    }

    /// As [`PartDef::matches_heading_other_year`] of part `k`.
    pub fn matches_heading_other_year(&self, k: usize) -> bool {
        let base = self.base(k);
        let p = &self.parts[k];
        self.any(&p.heading_other_year, base + p.heading.len()) && !self.excluded(k, base)
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub title: String,
    pub min_part_chars: usize,
    pub parts: Vec<PartDef>,
}

impl Profile {
    pub fn part(&self, key: &str) -> Option<&PartDef> {
        self.parts.iter().find(|p| p.key == key)
    }
}

#[derive(Debug, Clone)]
pub struct TitleRules {
    pub topics: Vec<LazyRegex>,
    pub endings: Vec<LazyRegex>,
    pub continued_by: Vec<LazyRegex>,
    pub search_lines: usize,
    pub max_chars: usize,
}

#[derive(Debug, Clone)]
pub struct DebrisRules {
    /// What each chrome pattern recognises, in the order of `chrome_set`.
    pub chrome_what: Vec<String>,
    /// The chrome patterns, in the order of `chrome_what`; each compiled
    /// only when a line holds the literals it needs.
    pub chrome: Vec<LazyRegex>,
    /// Finds the first chrome pattern of a line in one pass over the line.
    pub chrome_first: crate::lazy_regex::FirstMatch,
    pub inline: Vec<Pattern>,
}

/// Page furniture is short; longer lines are report text.
const MAX_CHROME_LINE_BYTES: usize = 240;

impl DebrisRules {
    /// The description of the first chrome pattern matching a line (the
    /// one-line form of [`Self::chrome_matches`], which the facts use).
    #[cfg(test)]
    pub fn chrome_match(&self, line: &str) -> Option<&str> {
        if line.len() > MAX_CHROME_LINE_BYTES {
            return None;
        }
        let first = self.chrome_first.find(&self.chrome, line)?;
        Some(&self.chrome_what[first])
    }

    /// The lines of a document (`lines`, of `text`) that a chrome pattern
    /// matches, by index, each with the description of the first pattern
    /// matching its content (blank lines and lines longer than page
    /// furniture match none), searching the text once for each literal of
    /// the patterns.
    pub fn chrome_matches(&self, text: &str, lines: &[crate::document::Line]) -> Vec<(usize, &str)> {
        let (mut numbers, mut spans) = (Vec::with_capacity(lines.len()), Vec::with_capacity(lines.len()));
        for (i, line) in lines.iter().enumerate() {
            let s = line.content;
            if !s.is_empty() && s.len() <= MAX_CHROME_LINE_BYTES {
                numbers.push(i);
                spans.push(s.start..s.end);
            }
        }
        let found = self.chrome_first.find_each(&self.chrome, text, &spans);
        numbers
            .into_iter()
            .zip(found)
            .filter_map(|(i, first)| first.map(|k| (i, self.chrome_what[k].as_str())))
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Knowledge {
    pub profile: Profile,
    pub title: TitleRules,
    pub debris: DebrisRules,
    pub typography: crate::rules::typography::data::TypographyRules,
    /// Laws, events, deadlines and fixed expressions (`crate::reference`).
    pub reference: Reference,
    /// The set guards of tables tested as a whole against one text.
    pub guards: TableGuards,
}

/// For each table whose patterns are all tested against one text (a
/// heading, the body), a [`SetGuard`] that finds in one pass which of them
/// may match. Each is built on first use from the table as it is then: a
/// copy of the knowledge whose tables change gets new ones.
#[derive(Debug, Clone, Default)]
pub struct TableGuards {
    /// Every part's `heading`, `heading_other_year` and `exclude`, part by part.
    pub headings: SetGuard,
    /// `reference.formulations`' patterns, by row.
    pub formulations: SetGuard,
    /// The first characters of each of `reference.canonical`'s expressions
    /// (as literal patterns), by row.
    pub canonical: SetGuard,
    /// A searcher for the same first characters, by row.
    pub canonical_anchors: OnceLock<Vec<memchr::memmem::Finder<'static>>>,
    /// `reference.vague_time`'s patterns, by row.
    pub vague_time: SetGuard,
}

impl Knowledge {
    /// The built-in tables for `profile`; `None` for an unknown profile.
    pub fn builtin(profile: &str) -> Option<&'static Knowledge> {
        static FAZHI: OnceLock<Knowledge> = OnceLock::new();
        match profile {
            "fazhi-annual" => Some(FAZHI.get_or_init(|| {
                // The built-in patterns are valid (the tests compile every one):
                // even parsing them waits for their first use.
                TRUSTED.with(|t| t.set(true));
                let kb = Knowledge::load(PROFILE_FAZHI_ANNUAL, TITLE, DEBRIS);
                TRUSTED.with(|t| t.set(false));
                kb.unwrap_or_else(|e| panic!("built-in rule data is invalid: {e}"))
            })),
            _ => None,
        }
    }

    /// Parse and validate the three tables, each given as (file name, text).
    pub fn load(profile: (&str, &str), title: (&str, &str), debris: (&str, &str)) -> Result<Knowledge, DataError> {
        Ok(Knowledge {
            profile: load_profile(profile.0, profile.1)?,
            title: load_title(title.0, title.1)?,
            debris: load_debris(debris.0, debris.1)?,
            typography: crate::rules::typography::data::load(TYPOGRAPHY.0, TYPOGRAPHY.1)?,
            reference: Reference::builtin()?,
            guards: TableGuards::default(),
        })
    }

    /// Which parts of the profile a heading's text names.
    pub fn heading_cues<'a>(&'a self, title: &'a str) -> HeadingCues<'a> {
        let parts = &self.profile.parts;
        let maybe = self.guards.headings.candidates(
            || {
                parts
                    .iter()
                    .flat_map(|p| p.heading.iter().chain(&p.heading_other_year).chain(&p.exclude))
            },
            title,
        );
        HeadingCues { parts, title, maybe }
    }

    /// A copy with a user's own reference tables added, each given as (file name, text).
    pub fn with_tables(&self, tables: &[(String, String)]) -> Result<Knowledge, DataError> {
        let mut k = self.clone();
        for (file, text) in tables {
            k.reference.extend(file, text)?;
        }
        k.guards = TableGuards::default();
        Ok(k)
    }
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

pub(crate) fn parse_toml<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, DataError> {
    if let Some(tree) = builtin::tree(file, text) {
        return T::deserialize(tree).map_err(|e| DataError {
            file: file.into(),
            line: 1,
            message: e.to_string(),
        });
    }
    toml::from_str(text).map_err(|e| DataError {
        file: file.into(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })
}

/// The built-in tables parsed at build time (`build.rs`): a tree of static
/// values, each with its span in the file, that the loaders' own serde types
/// deserialize from as they would from the TOML text, without parsing it.
mod builtin {
    use serde::de::value::{BorrowedStrDeserializer, Error, UsizeDeserializer};
    use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

    pub(crate) enum Node {
        Str(&'static str),
        Int(i64),
        Bool(bool),
        Arr(&'static [Item]),
        Table(&'static [(&'static str, Item)]),
    }

    /// A value and its byte span in the file.
    pub(crate) struct Item {
        start: usize,
        end: usize,
        node: Node,
    }

    include!(concat!(env!("OUT_DIR"), "/builtin_tables.rs"));

    /// The tree of a built-in table, if `text` is that table unchanged.
    pub(crate) fn tree(file: &str, text: &str) -> Option<&'static Item> {
        BUILTIN
            .iter()
            .find(|(name, source, _)| *name == file && *source == text)
            .map(|(_, _, tree)| tree)
    }

    /// What toml's `Spanned` asks for (serde_spanned's private protocol).
    const SPANNED: &str = "$__serde_spanned_private_Spanned";
    const SPANNED_FIELDS: [&str; 3] = [
        "$__serde_spanned_private_start",
        "$__serde_spanned_private_end",
        "$__serde_spanned_private_value",
    ];

    impl<'de> Deserializer<'de> for &'de Item {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match &self.node {
                Node::Str(s) => visitor.visit_borrowed_str(s),
                Node::Int(i) => visitor.visit_i64(*i),
                Node::Bool(b) => visitor.visit_bool(*b),
                Node::Arr(items) => {
                    let mut seq = de::value::SeqDeserializer::new(items.iter());
                    let value = visitor.visit_seq(&mut seq)?;
                    seq.end()?;
                    Ok(value)
                }
                Node::Table(entries) => visitor.visit_map(Entries {
                    entries: entries.iter(),
                    value: None,
                }),
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            if name == SPANNED && fields == SPANNED_FIELDS {
                visitor.visit_map(Spanned { item: self, next: 0 })
            } else {
                self.deserialize_any(visitor)
            }
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match &self.node {
                Node::Str(s) => visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(*s)),
                _ => self.deserialize_any(visitor),
            }
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
        }
    }

    impl<'de> IntoDeserializer<'de, Error> for &'de Item {
        type Deserializer = Self;

        fn into_deserializer(self) -> Self {
            self
        }
    }

    /// The entries of a table, in the file's order.
    struct Entries<'de> {
        entries: std::slice::Iter<'de, (&'static str, Item)>,
        value: Option<&'de Item>,
    }

    impl<'de> MapAccess<'de> for Entries<'de> {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
            match self.entries.next() {
                Some((key, value)) => {
                    self.value = Some(value);
                    seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
                }
                None => Ok(None),
            }
        }

        fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
            let value = self
                .value
                .take()
                .ok_or_else(|| de::Error::custom("value without a key"))?;
            seed.deserialize(value)
        }
    }

    /// A value as `toml::Spanned` wants it: start, end, then the value itself.
    struct Spanned<'de> {
        item: &'de Item,
        next: usize,
    }

    impl<'de> MapAccess<'de> for Spanned<'de> {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
            let Some(key) = SPANNED_FIELDS.get(self.next) else {
                return Ok(None);
            };
            seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
        }

        fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
            self.next += 1;
            match self.next {
                1 => seed.deserialize(UsizeDeserializer::new(self.item.start)),
                2 => seed.deserialize(UsizeDeserializer::new(self.item.end)),
                _ => seed.deserialize(self.item),
            }
        }
    }
}

thread_local! {
    /// Set while the built-in tables load on this thread.
    static TRUSTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A pattern of the tables, checked now (unless built in) and compiled on first use.
pub(crate) fn compile(file: &str, text: &str, pattern: &Spanned<String>) -> Result<LazyRegex, DataError> {
    if TRUSTED.with(|t| t.get()) {
        return Ok(LazyRegex::unchecked(pattern.get_ref()));
    }
    LazyRegex::new(pattern.get_ref()).map_err(|e| DataError {
        file: file.into(),
        line: line_of(text, pattern.span().start),
        message: format!(
            "无效的正则表达式“{}”：{}",
            pattern.get_ref(),
            e.to_string().lines().last().unwrap_or_default().trim()
        ),
    })
}

fn compile_all(file: &str, text: &str, patterns: &[Spanned<String>]) -> Result<Vec<LazyRegex>, DataError> {
    patterns.iter().map(|p| compile(file, text, p)).collect()
}

/// Patterns checked now (unless built in), compiled together on first use.
fn compile_later(file: &str, text: &str, patterns: &[Spanned<String>]) -> Result<LazyRegexes, DataError> {
    for p in patterns.iter().filter(|_| !TRUSTED.with(|t| t.get())) {
        compile(file, text, p)?;
    }
    Ok(LazyRegexes::new(patterns.iter().map(|p| p.get_ref().clone()).collect()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: String,
    title: String,
    min_part_chars: usize,
    part: Vec<RawPart>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    key: Spanned<String>,
    name: String,
    short: Option<String>,
    regulation: String,
    #[serde(default)]
    thematic: bool,
    #[serde(default)]
    subsection: bool,
    heading: Vec<Spanned<String>>,
    #[serde(default)]
    heading_other_year: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    inline: Vec<Spanned<String>>,
    #[serde(default)]
    causes: Vec<Spanned<String>>,
}

/// The part keys every profile must define, in the regulation's order of the
/// report's flow; the JSON contract always has these keys.
pub const PART_KEYS: [&str; 4] = ["measures", "first-responsible", "shortcomings", "next-year-plan"];

fn load_profile(file: &str, text: &str) -> Result<Profile, DataError> {
    let raw: RawProfile = parse_toml(file, text)?;
    let mut parts = Vec::new();
    for p in &raw.part {
        if !PART_KEYS.contains(&p.key.get_ref().as_str()) {
            return Err(DataError {
                file: file.into(),
                line: line_of(text, p.key.span().start),
                message: format!("未知的部分“{}”，应为 {}", p.key.get_ref(), PART_KEYS.join("、")),
            });
        }
        parts.push(PartDef {
            key: p.key.get_ref().clone(),
            name: p.name.clone(),
            short: p.short.clone().unwrap_or_else(|| p.name.clone()),
            regulation: p.regulation.clone(),
            thematic: p.thematic,
            subsection: p.subsection,
            heading: compile_all(file, text, &p.heading)?,
            heading_other_year: compile_all(file, text, &p.heading_other_year)?,
            exclude: compile_all(file, text, &p.exclude)?,
            inline: compile_later(file, text, &p.inline)?,
            causes: compile_all(file, text, &p.causes)?,
        });
    }
    if let Some(missing) = PART_KEYS.iter().find(|k| !parts.iter().any(|p| p.key == **k)) {
        return Err(DataError {
            file: file.into(),
            line: 1,
            message: format!("缺少部分“{missing}”的定义"),
        });
    }
    parts.sort_by_key(|p| PART_KEYS.iter().position(|k| *k == p.key));
    Ok(Profile {
        name: raw.name,
        title: raw.title,
        min_part_chars: raw.min_part_chars,
        parts,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    topics: Vec<Spanned<String>>,
    endings: Vec<Spanned<String>>,
    continued_by: Vec<Spanned<String>>,
    search_lines: usize,
    max_chars: usize,
}

fn load_title(file: &str, text: &str) -> Result<TitleRules, DataError> {
    let raw: RawTitle = parse_toml(file, text)?;
    let anchor_end = |r: &Spanned<String>| -> Result<LazyRegex, DataError> {
        let anchored = Spanned::new(r.span(), format!("(?:{})\\s*$", r.get_ref()));
        compile(file, text, &anchored)
    };
    Ok(TitleRules {
        topics: compile_all(file, text, &raw.topics)?,
        endings: raw.endings.iter().map(anchor_end).collect::<Result<_, _>>()?,
        continued_by: compile_all(file, text, &raw.continued_by)?,
        search_lines: raw.search_lines,
        max_chars: raw.max_chars,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDebris {
    chrome: Vec<RawPattern>,
    inline: Vec<RawPattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    pattern: Spanned<String>,
    what: String,
}

fn load_debris(file: &str, text: &str) -> Result<DebrisRules, DataError> {
    let raw: RawDebris = parse_toml(file, text)?;
    let conv = |list: &[RawPattern]| -> Result<Vec<Pattern>, DataError> {
        list.iter()
            .map(|p| {
                Ok(Pattern {
                    regex: compile(file, text, &p.pattern)?,
                    what: p.what.clone(),
                })
            })
            .collect()
    };
    // Each chrome pattern is checked on its own, for an error naming its line.
    let chrome = raw
        .chrome
        .iter()
        .map(|p| compile(file, text, &p.pattern))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DebrisRules {
        chrome_what: raw.chrome.iter().map(|p| p.what.clone()).collect(),
        chrome,
        chrome_first: Default::default(),
        inline: conv(&raw.inline)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table as values with their spans, to compare the two ways of reading it.
    #[derive(Debug, PartialEq)]
    enum Tree {
        Str(String),
        Int(i64),
        Bool(bool),
        Arr(Vec<(std::ops::Range<usize>, Tree)>),
        Table(Vec<(String, std::ops::Range<usize>, Tree)>),
    }

    impl<'de> Deserialize<'de> for Tree {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
            use serde::de::{MapAccess, SeqAccess};
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Tree;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a value")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tree, E> {
                    Ok(Tree::Str(v.to_string()))
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tree, E> {
                    Ok(Tree::Int(v))
                }
                fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Tree, E> {
                    Ok(Tree::Bool(v))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
                    let mut out = Vec::new();
                    while let Some(x) = a.next_element::<Spanned<Tree>>()? {
                        out.push((x.span(), x.into_inner()));
                    }
                    Ok(Tree::Arr(out))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Tree, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = a.next_entry::<String, Spanned<Tree>>()? {
                        out.push((k, v.span(), v.into_inner()));
                    }
                    Ok(Tree::Table(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    const NUMBERS: (&str, &str) = ("rules/numbers.toml", include_str!("../rules/numbers.toml"));
    const CROSSYEAR: (&str, &str) = ("rules/crossyear.toml", include_str!("../rules/crossyear.toml"));

    #[test]
    fn builtin_tables_read_from_the_build_time_tree_as_from_their_toml() {
        use crate::reference::{EVENTS, FORMULATIONS, LAWS};
        for (file, text) in [
            PROFILE_FAZHI_ANNUAL,
            TITLE,
            DEBRIS,
            TYPOGRAPHY,
            LAWS,
            EVENTS,
            FORMULATIONS,
            NUMBERS,
            CROSSYEAR,
        ] {
            let tree = builtin::tree(file, text).unwrap_or_else(|| panic!("{file}: no tree"));
            let from_tree = Tree::deserialize(tree).unwrap();
            let from_toml: Tree = toml::from_str(text).unwrap();
            assert_eq!(from_tree, from_toml, "{file}: values and spans");
        }
        // Enums, numbers and skipped fields as well.
        let a: crate::numbers::NumberRules = parse_toml(NUMBERS.0, NUMBERS.1).unwrap();
        let b: crate::numbers::NumberRules = toml::from_str(NUMBERS.1).unwrap();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        // Another name or another text is parsed as TOML.
        assert!(builtin::tree("my.toml", TITLE.1).is_none());
        assert!(builtin::tree(TITLE.0, &format!("{}\n", TITLE.1)).is_none());
        // The loaders' checks still run on the tree.
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct OnlyTopics {
            topics: Vec<String>,
        }
        let err = parse_toml::<OnlyTopics>(TITLE.0, TITLE.1).unwrap_err();
        assert!(err.message.contains("unknown field"), "{}", err.message);
    }

    #[test]
    fn every_builtin_pattern_compiles() {
        // Built-in patterns are only checked at load and compiled on first use.
        let kb = Knowledge::builtin("fazhi-annual").unwrap();
        let mut all: Vec<&LazyRegex> = Vec::new();
        for p in &kb.profile.parts {
            all.extend(
                p.heading
                    .iter()
                    .chain(&p.heading_other_year)
                    .chain(&p.exclude)
                    .chain(&p.causes),
            );
        }
        all.extend(
            kb.title
                .topics
                .iter()
                .chain(&kb.title.endings)
                .chain(&kb.title.continued_by),
        );
        all.extend(kb.debris.chrome.iter().chain(kb.debris.inline.iter().map(|p| &p.regex)));
        assert!(kb
            .profile
            .parts
            .iter()
            .all(|p| p.inline.len() == p.inline.iter().count()));
        let t = &kb.typography;
        all.extend(
            t.protect
                .iter()
                .map(|p| &p.regex)
                .chain(&t.ellipsis)
                .chain(&t.doc_number),
        );
        let r = &kb.reference;
        all.extend(r.events.iter().flat_map(|e| &e.patterns));
        all.extend(r.programmes.iter().flat_map(|e| &e.patterns));
        all.extend(r.deadlines.iter().flat_map(|e| &e.skip_issuer));
        all.extend(r.formulations.iter().map(|f| &f.pattern));
        all.extend(r.vague_time.iter().map(|f| &f.pattern));
        for f in &r.formulations {
            assert!(f.except.len() + f.no_fix_where.len() == f.except.iter().chain(f.no_fix_where.iter()).count());
        }
        assert!(kb
            .profile
            .parts
            .iter()
            .all(|p| p.inline.iter().count() == p.inline.len()));
        assert!(all.len() > 100);
        for p in all {
            assert!(p.guard_is_builtin(), "build.rs misses the guard of {}", p.as_str());
            assert!(regex::Regex::new(p.as_str()).is_ok(), "{}", p.as_str());
            assert_eq!(p.captures_len(), p.regex().captures_len(), "{}", p.as_str());
        }
        assert!(kb.debris.chrome_match("索引号：000014349/2024-00012").is_some());
        assert!(kb.debris.chrome_match("一、2024年工作情况").is_none());
    }

    #[test]
    fn builtin_tables_load() {
        let k = Knowledge::builtin("fazhi-annual").unwrap();
        assert_eq!(k.profile.parts.len(), 4);
        assert_eq!(k.profile.parts[0].key, "measures");
        assert!(Knowledge::builtin("nope").is_none());
    }

    #[test]
    fn a_bad_pattern_names_file_and_line() {
        let profile = PROFILE_FAZHI_ANNUAL.1.replacen("\"主要举措\"", "\"主要(举措\"", 1);
        let err = Knowledge::load(("p.toml", &profile), TITLE, DEBRIS).unwrap_err();
        assert_eq!(err.file, "p.toml");
        let expected = profile.lines().position(|l| l.contains("主要(举措")).unwrap() + 1;
        assert_eq!(err.line, expected);
        assert!(err.message.contains("正则"), "{}", err.message);
    }

    #[test]
    fn malformed_toml_and_unknown_keys_are_errors() {
        let err = Knowledge::load(PROFILE_FAZHI_ANNUAL, ("t.toml", "topics = [\n"), DEBRIS).unwrap_err();
        assert_eq!(err.file, "t.toml");
        let bad = format!("{}\nsurprise = 1\n", TITLE.1);
        let err = Knowledge::load(PROFILE_FAZHI_ANNUAL, ("t.toml", &bad), DEBRIS).unwrap_err();
        assert!(err.message.contains("surprise"), "{}", err.message);
        assert_eq!(err.line, bad.lines().count());
    }

    fn check_cues(k: &Knowledge, title: &str) {
        let cues = k.heading_cues(title);
        for (i, part) in k.profile.parts.iter().enumerate() {
            assert_eq!(
                cues.matches_heading(i),
                part.matches_heading(title),
                "{} {title}",
                part.key
            );
            assert_eq!(
                cues.matches_heading_other_year(i),
                part.matches_heading_other_year(title),
                "{} {title}",
                part.key
            );
        }
    }

    proptest::proptest! {
        /// One pass over a heading for every part answers as each part's patterns.
        #[test]
        fn heading_cues_agree_with_each_part(words in proptest::collection::vec(proptest::sample::select(vec![
            "主要", "举措", "和", "成效", "存在", "的", "问题", "不足", "2025年", "2024年度", "工作", "计划", "安排",
            "下一步", "打算", "第一责任人", "主要负责人", "履行", "职责", "情况", "完成", "取得", "重点任务", "明年",
            "短板", "薄弱环节", "法治政府建设", "一、", "（二）", "思路", "努力方向",
        ]), 0..8)) {
            let k = Knowledge::builtin("fazhi-annual").unwrap();
            check_cues(k, &words.concat());
        }
    }

    #[test]
    fn heading_cues_of_common_headings() {
        let k = Knowledge::builtin("fazhi-annual").unwrap();
        for t in [
            "2023年推进法治政府建设的主要举措和成效",
            "党政主要负责人履行推进法治建设第一责任人职责情况",
            "存在问题和薄弱环节",
            "2025年度工作思路及重点任务",
            "下一步打算",
            "2024年工作计划和主要举措",
            "2025年重点任务",
            "",
        ] {
            check_cues(k, t);
        }
        let c = k.heading_cues("下一步打算");
        assert!(c.matches_heading(3) && !c.matches_heading(0));
    }

    #[test]
    fn heading_aliases_are_general() {
        let k = Knowledge::builtin("fazhi-annual").unwrap();
        let p = &k.profile;
        let hit = |key: &str, t: &str| p.part(key).unwrap().matches_heading(t);
        assert!(hit("measures", "2023年推进法治政府建设的主要举措和成效"));
        assert!(hit(
            "first-responsible",
            "党政主要负责人履行推进法治建设第一责任人职责情况"
        ));
        assert!(hit("shortcomings", "存在问题和薄弱环节"));
        assert!(hit("next-year-plan", "2025年度工作思路及重点任务"));
        assert!(hit("next-year-plan", "下一步打算"));
        assert!(!hit("next-year-plan", "2023年法治政府建设主要工作及成效"));
        assert!(!hit("next-year-plan", "2023年重点任务完成情况"));
        assert!(!hit("measures", "2024年工作计划和主要举措"));
        assert!(!hit("shortcomings", "依法全面履行政府职能"));
    }
}
