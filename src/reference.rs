//! Reference tables for the consistency rules: laws renamed, replaced or new
//! (`rules/laws.toml`), events, programme periods and reporting deadlines
//! (`rules/events.toml`), fixed expressions and vague time words
//! (`rules/formulations.toml`). Every row carries its source and how sure the
//! fact is (V/P/U). All files share one schema, so a user's own table (named in
//! `fzlint.toml` under `tables`) may add rows of any kind; a user row with the
//! name of a built-in row replaces it. Errors name the file and the line.

use crate::knowledge::DataError;
use crate::lazy_regex::{LazyRegex, LazyRegexes};
use regex::Regex;
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

pub const LAWS: (&str, &str) = ("rules/laws.toml", include_str!("../rules/laws.toml"));
pub const EVENTS: (&str, &str) = ("rules/events.toml", include_str!("../rules/events.toml"));
pub const FORMULATIONS: (&str, &str) = ("rules/formulations.toml", include_str!("../rules/formulations.toml"));

/// A calendar day. Month-precision facts (`2024-06`) are read as the first
/// day of the month, the earliest the event can have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const fn new(year: u32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    /// Whether year, month and day form a real calendar day.
    pub fn is_valid(year: u32, month: u32, day: u32) -> bool {
        (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
    }

    /// `YYYY-MM-DD` or `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.split('-');
        let year: u32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = match it.next() {
            Some(d) => d.parse().ok()?,
            None => 1,
        };
        if it.next().is_some() || !(1900..=2200).contains(&year) || !Date::is_valid(year, month, day) {
            return None;
        }
        Some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// `2024-06-01` → `2024年6月1日`, `2024-06` → `2024年6月` (for valid input).
pub fn zh_date(s: &str) -> String {
    let parts: Vec<u32> = s.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] => format!("{y}年{m}月{d}日"),
        [y, m] => format!("{y}年{m}月"),
        _ => s.to_string(),
    }
}

pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// How sure a fact is (domain-facts.md): verified, partly verified, unverified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Verified,
    Partly,
    Unverified,
}

impl Status {
    /// Rules report unverified facts one level lower than their default.
    pub fn is_verified(&self) -> bool {
        !matches!(self, Status::Unverified)
    }
}

#[derive(Debug, Clone)]
pub struct Law {
    pub name: String,
    pub replaced_by: Option<String>,
    pub obsolete_from: Option<Date>,
    pub adopted: Option<Date>,
    /// `adopted` as written (`2025年9月` when only the month is known).
    pub adopted_when: Option<String>,
    pub note: String,
    pub status: Status,
    pub source: String,
}

impl Law {
    /// Whether a title cited in 《》 names this law, with or without 中华人民共和国.
    pub fn is_cited_as(&self, title: &str) -> bool {
        title == self.name || title.strip_prefix("中华人民共和国") == Some(self.name.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub what: Option<String>,
    pub patterns: Vec<LazyRegex>,
    pub date: Date,
    /// `date` as written (`2024年4月` when only the month is known).
    pub when: String,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Programme {
    pub name: String,
    pub patterns: Vec<LazyRegex>,
    pub start: u32,
    pub end: u32,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Deadline {
    pub what: String,
    pub month: u32,
    pub day: u32,
    pub skip_issuer: Vec<LazyRegex>,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numerals {
    AsWritten,
    Chinese,
}

#[derive(Debug, Clone)]
pub struct Formulation {
    pub what: String,
    pub pattern: LazyRegex,
    pub replace: Option<String>,
    pub numerals: Numerals,
    pub except: LazyRegexes,
    pub no_fix_where: LazyRegexes,
    pub from_year: Option<u32>,
    pub why: String,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Canonical {
    pub text: String,
    pub max_distance: usize,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct VagueTime {
    pub pattern: LazyRegex,
    pub suggest: String,
    pub status: Status,
    pub source: String,
}

#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub laws: Vec<Law>,
    pub historical_before: Vec<String>,
    pub historical_after: Vec<String>,
    pub draft_after: Vec<String>,
    pub events: Vec<Event>,
    pub programmes: Vec<Programme>,
    pub future_markers: Vec<String>,
    pub past_markers: Vec<String>,
    pub deadlines: Vec<Deadline>,
    pub formulations: Vec<Formulation>,
    pub canonical: Vec<Canonical>,
    pub vague_time: Vec<VagueTime>,
}

impl Reference {
    /// The three built-in tables.
    pub fn builtin() -> Result<Reference, DataError> {
        let mut r = Reference::default();
        for (file, text) in [LAWS, EVENTS, FORMULATIONS] {
            r.add(file, text, false)?;
        }
        Ok(r)
    }

    /// Add the rows of one table file; a row named like an existing one replaces it.
    pub fn extend(&mut self, file: &str, text: &str) -> Result<(), DataError> {
        self.add(file, text, true)
    }

    /// `extend`; built-in tables (`eager` false) compile their patterns on first use.
    fn add(&mut self, file: &str, text: &str, eager: bool) -> Result<(), DataError> {
        let raw: RawTables = crate::knowledge::parse_toml(file, text)?;
        let cx = Cx { file, text, eager };
        self.historical_before.extend(raw.historical_before);
        self.historical_after.extend(raw.historical_after);
        self.draft_after.extend(raw.draft_after);
        self.future_markers.extend(raw.future_markers);
        self.past_markers.extend(raw.past_markers);
        for l in raw.law {
            let name = cx.nonempty(&l.name, "name")?;
            let law = Law {
                replaced_by: l.replaced_by,
                obsolete_from: l.obsolete_from.as_ref().map(|d| cx.date(d)).transpose()?,
                adopted: l.adopted.as_ref().map(|d| cx.date(d)).transpose()?,
                adopted_when: l.adopted.as_ref().map(|d| zh_date(d.get_ref())),
                note: l.note.unwrap_or_default(),
                status: cx.status(&l.status)?,
                source: cx.nonempty(&l.source, "source")?,
                name,
            };
            if law.obsolete_from.is_none() && law.adopted.is_none() {
                return Err(cx.err(
                    l.name.span().start,
                    format!("法律“{}”既没有 obsolete_from 也没有 adopted", law.name),
                ));
            }
            if law.obsolete_from.is_some() != law.replaced_by.is_some() {
                return Err(cx.err(
                    l.name.span().start,
                    format!("法律“{}”的 obsolete_from 与 replaced_by 须同时给出", law.name),
                ));
            }
            upsert(&mut self.laws, law, |a, b| {
                a.name == b.name && a.adopted.is_some() == b.adopted.is_some()
            });
        }
        for e in raw.event {
            let event = Event {
                name: cx.nonempty(&e.name, "name")?,
                what: e.what,
                patterns: cx.regexes(&e.patterns)?,
                date: cx.date(&e.date)?,
                when: zh_date(e.date.get_ref()),
                status: cx.status(&e.status)?,
                source: cx.nonempty(&e.source, "source")?,
            };
            upsert(&mut self.events, event, |a, b| a.name == b.name);
        }
        for p in raw.programme {
            if p.end.get_ref() < &p.start {
                return Err(cx.err(
                    p.end.span().start,
                    format!("end {} 早于 start {}", p.end.get_ref(), p.start),
                ));
            }
            let programme = Programme {
                name: cx.nonempty(&p.name, "name")?,
                patterns: cx.regexes(&p.patterns)?,
                start: p.start,
                end: p.end.into_inner(),
                status: cx.status(&p.status)?,
                source: cx.nonempty(&p.source, "source")?,
            };
            upsert(&mut self.programmes, programme, |a, b| a.name == b.name);
        }
        for d in raw.deadline {
            let day = Date::parse(&format!("2000-{}", d.due.get_ref()))
                .ok_or_else(|| cx.err(d.due.span().start, format!("due “{}” 应为 MM-DD", d.due.get_ref())))?;
            let deadline = Deadline {
                what: d.what,
                month: day.month,
                day: day.day,
                skip_issuer: cx.regexes(&d.skip_issuer)?,
                status: cx.status(&d.status)?,
                source: cx.nonempty(&d.source, "source")?,
            };
            upsert(&mut self.deadlines, deadline, |a, b| a.what == b.what);
        }
        for f in raw.formulation {
            let pattern = cx.regex(&f.pattern)?;
            if let Some(r) = &f.replace {
                for n in placeholders(r.get_ref()) {
                    if n == 0 || n >= pattern.captures_len() {
                        return Err(cx.err(
                            r.span().start,
                            format!("replace 中的 {{{n}}} 在 pattern 中没有对应的分组"),
                        ));
                    }
                }
            }
            let numerals = match f.numerals.as_ref().map(|n| n.get_ref().as_str()) {
                None | Some("as-written") => Numerals::AsWritten,
                Some("chinese") => Numerals::Chinese,
                Some(other) => {
                    let at = f.numerals.as_ref().map_or(0, |n| n.span().start);
                    return Err(cx.err(at, format!("numerals “{other}” 无效，应为 chinese 或 as-written")));
                }
            };
            let row = Formulation {
                what: f.what,
                pattern,
                replace: f.replace.map(Spanned::into_inner),
                numerals,
                except: cx.regexes_later(&f.except)?,
                no_fix_where: cx.regexes_later(&f.no_fix_where)?,
                from_year: f.from_year,
                why: f.why,
                status: cx.status(&f.status)?,
                source: cx.nonempty(&f.source, "source")?,
            };
            upsert(&mut self.formulations, row, |a, b| a.what == b.what);
        }
        for c in raw.canonical {
            let text = cx.nonempty(&c.text, "text")?;
            if text.chars().count() < 5 || c.max_distance == 0 || c.max_distance * 3 > text.chars().count() {
                return Err(cx.err(
                    c.text.span().start,
                    format!("规范表述“{text}”太短，或 max_distance {} 过大", c.max_distance),
                ));
            }
            let row = Canonical {
                text,
                max_distance: c.max_distance,
                status: cx.status(&c.status)?,
                source: cx.nonempty(&c.source, "source")?,
            };
            upsert(&mut self.canonical, row, |a, b| a.text == b.text);
        }
        for v in raw.vague_time {
            let row = VagueTime {
                pattern: cx.regex(&v.pattern)?,
                suggest: v.suggest,
                status: cx.status(&v.status)?,
                source: v.source,
            };
            self.vague_time.push(row);
        }
        Ok(())
    }
}

fn upsert<T>(list: &mut Vec<T>, row: T, same: impl Fn(&T, &T) -> bool) {
    match list.iter().position(|r| same(r, &row)) {
        Some(i) => list[i] = row,
        None => list.push(row),
    }
}

/// The group numbers named as `{n}` in a replacement template.
pub fn placeholders(template: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(j) = rest.find('}') {
            if let Ok(n) = rest[..j].parse() {
                out.push(n);
            }
        }
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    /// Compile every pattern now (users' tables) rather than on first use.
    eager: bool,
}

impl Cx<'_> {
    fn err(&self, offset: usize, message: String) -> DataError {
        DataError {
            file: self.file.into(),
            line: line_of(self.text, offset),
            message,
        }
    }

    fn invalid(&self, at: usize, pattern: &str, e: &dyn fmt::Display) -> DataError {
        self.err(
            at,
            format!(
                "无效的正则表达式“{}”：{}",
                pattern,
                e.to_string().lines().last().unwrap_or_default().trim()
            ),
        )
    }

    /// A pattern at offset `at`, compiled now or checked now and compiled on first use.
    fn lazy(&self, pattern: &str, at: usize) -> Result<LazyRegex, DataError> {
        if self.eager {
            LazyRegex::compiled(pattern).map_err(|e| self.invalid(at, pattern, &e))
        } else {
            // The built-in tables: the tests compile every pattern.
            Ok(LazyRegex::unchecked(pattern))
        }
    }

    fn regex(&self, p: &Spanned<String>) -> Result<LazyRegex, DataError> {
        self.lazy(p.get_ref(), p.span().start)
    }

    fn regexes(&self, ps: &[Spanned<String>]) -> Result<Vec<LazyRegex>, DataError> {
        ps.iter().map(|p| self.regex(p)).collect()
    }

    /// Patterns only needed once another has matched: compiled together on first use.
    fn regexes_later(&self, ps: &[Spanned<String>]) -> Result<LazyRegexes, DataError> {
        if !self.eager {
            return Ok(LazyRegexes::new(ps.iter().map(|p| p.get_ref().clone()).collect()));
        }
        let compiled = ps
            .iter()
            .map(|p| Regex::new(p.get_ref()).map_err(|e| self.invalid(p.span().start, p.get_ref(), &e)))
            .collect::<Result<_, _>>()?;
        Ok(LazyRegexes::compiled(compiled))
    }

    fn date(&self, d: &Spanned<String>) -> Result<Date, DataError> {
        Date::parse(d.get_ref()).ok_or_else(|| {
            self.err(
                d.span().start,
                format!("日期“{}”无效，应为 YYYY-MM-DD 或 YYYY-MM", d.get_ref()),
            )
        })
    }

    fn status(&self, s: &Spanned<String>) -> Result<Status, DataError> {
        match s.get_ref().as_str() {
            "V" => Ok(Status::Verified),
            "P" => Ok(Status::Partly),
            "U" => Ok(Status::Unverified),
            other => Err(self.err(s.span().start, format!("status “{other}” 无效，应为 V、P 或 U"))),
        }
    }

    fn nonempty(&self, s: &Spanned<String>, key: &str) -> Result<String, DataError> {
        if s.get_ref().trim().is_empty() {
            return Err(self.err(s.span().start, format!("{key} 不能为空")));
        }
        Ok(s.get_ref().clone())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTables {
    #[serde(default)]
    historical_before: Vec<String>,
    #[serde(default)]
    historical_after: Vec<String>,
    #[serde(default)]
    draft_after: Vec<String>,
    #[serde(default)]
    future_markers: Vec<String>,
    #[serde(default)]
    past_markers: Vec<String>,
    #[serde(default)]
    law: Vec<RawLaw>,
    #[serde(default)]
    event: Vec<RawEvent>,
    #[serde(default)]
    programme: Vec<RawProgramme>,
    #[serde(default)]
    deadline: Vec<RawDeadline>,
    #[serde(default)]
    formulation: Vec<RawFormulation>,
    #[serde(default)]
    canonical: Vec<RawCanonical>,
    #[serde(default)]
    vague_time: Vec<RawVague>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    name: Spanned<String>,
    replaced_by: Option<String>,
    obsolete_from: Option<Spanned<String>>,
    adopted: Option<Spanned<String>>,
    note: Option<String>,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: Spanned<String>,
    what: Option<String>,
    patterns: Vec<Spanned<String>>,
    date: Spanned<String>,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    name: Spanned<String>,
    patterns: Vec<Spanned<String>>,
    start: u32,
    end: Spanned<u32>,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    what: String,
    due: Spanned<String>,
    #[serde(default)]
    skip_issuer: Vec<Spanned<String>>,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormulation {
    what: String,
    pattern: Spanned<String>,
    replace: Option<Spanned<String>>,
    numerals: Option<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
    #[serde(default)]
    no_fix_where: Vec<Spanned<String>>,
    from_year: Option<u32>,
    why: String,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCanonical {
    text: Spanned<String>,
    max_distance: usize,
    status: Spanned<String>,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVague {
    pattern: Spanned<String>,
    suggest: String,
    status: Spanned<String>,
    source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_load_with_sources() {
        let r = Reference::builtin().unwrap();
        let law = r.laws.iter().find(|l| l.name == "执业医师法").unwrap();
        assert_eq!(law.obsolete_from, Some(Date::new(2022, 3, 1)));
        assert_eq!(law.replaced_by.as_deref(), Some("医师法"));
        assert!(law.is_cited_as("中华人民共和国执业医师法"));
        assert!(!law.is_cited_as("医师法"));
        assert!(r
            .events
            .iter()
            .any(|e| e.name == "党的二十届四中全会" && e.date == Date::new(2025, 10, 20)));
        assert!(r.programmes.iter().any(|p| p.end == 2025));
        assert_eq!(r.deadlines.len(), 2);
        assert!(r.formulations.len() >= 8 && !r.canonical.is_empty() && !r.vague_time.is_empty());
        assert!(r.laws.iter().all(|l| !l.source.is_empty()));
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-06"), Some(Date::new(2024, 6, 1)));
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("20230101"), None);
        assert!(Date::is_valid(2000, 2, 29) && !Date::is_valid(1900, 2, 29));
        assert_eq!(Date::new(2026, 1, 12).to_string(), "2026年1月12日");
    }

    fn err(text: &str) -> DataError {
        Reference::default().extend("my.toml", text).unwrap_err()
    }

    #[test]
    fn malformed_rows_name_file_and_line() {
        let e = err("[[law]]\nname = \"甲法\"\nreplaced_by = \"乙法\"\nobsolete_from = \"2022-02-30\"\nstatus = \"V\"\nsource = \"x\"\n");
        assert_eq!((e.file.as_str(), e.line), ("my.toml", 4));
        assert!(e.message.contains("2022-02-30"), "{}", e.message);

        let e = err("[[event]]\nname = \"甲会\"\npatterns = [\"甲(会\"]\ndate = \"2022-01-01\"\nstatus = \"V\"\nsource = \"x\"\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("正则"), "{}", e.message);

        let e = err("[[law]]\nname = \"甲法\"\nadopted = \"2022-01-01\"\nstatus = \"sure\"\nsource = \"x\"\n");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("sure"));

        let e = err("\n[[law]]\nname = \"甲法\"\nadopted = \"2022-01-01\"\nstatus = \"V\"\nsource = \"x\"\nwhen = 1\n");
        assert_eq!(e.line, 7);
        assert!(e.message.contains("when"), "{}", e.message);

        let e = err("[[formulation]]\nwhat = \"甲\"\npattern = \"甲(乙)\"\nreplace = \"丙{2}\"\nwhy = \"w\"\nstatus = \"V\"\nsource = \"x\"\n");
        assert_eq!(e.line, 4);

        let e = err("[[law]]\nname = \"甲法\"\nreplaced_by = \"乙法\"\nstatus = \"V\"\nsource = \"x\"\n");
        assert_eq!(e.line, 2);

        let e = err("[[law]]\nname = \"甲法\"\nadopted = \"2022-01-01\"\nstatus = \"V\"\nsource = \" \"\n");
        assert_eq!(e.line, 5);
        assert!(e.message.contains("source"));

        let e = err("law = [\n");
        assert_eq!(e.file, "my.toml");
    }

    #[test]
    fn a_user_row_replaces_a_builtin_row_of_the_same_name() {
        let mut r = Reference::builtin().unwrap();
        let n = r.laws.len();
        r.extend(
            "my.toml",
            "[[law]]\nname = \"执业医师法\"\nreplaced_by = \"医师法\"\nobsolete_from = \"2022-03-01\"\nstatus = \"U\"\nsource = \"mine\"\n[[law]]\nname = \"某某条例\"\nreplaced_by = \"某某办法\"\nobsolete_from = \"2023-01-01\"\nstatus = \"V\"\nsource = \"mine\"\n",
        )
        .unwrap();
        assert_eq!(r.laws.len(), n + 1);
        assert_eq!(r.laws.iter().find(|l| l.name == "执业医师法").unwrap().source, "mine");
    }
}
