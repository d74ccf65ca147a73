//! `--format json`, version 1 of the contract in SPEC §5.

use super::jsonw::{key, Pretty};
use super::{FileResult, Summary};
#[cfg(test)]
use crate::facts::PartLocation;
use crate::finding::Finding;
use crate::lint::Linted;
use crate::rules::RULES;
use crate::source::Position;
use serde::Serialize;

#[derive(Serialize)]
struct Output {
    version: u32,
    tool: Tool,
    /// Always empty: the stream writes the files into it.
    files: Vec<()>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[cfg(test)]
#[derive(Serialize)]
pub(crate) struct JsonFile<'a> {
    path: &'a str,
    profile: &'a str,
    report_year: Option<u32>,
    title: Option<JsonTitle>,
    sections: Sections,
    outline: Vec<OutlineEntry>,
    diagnostics: Vec<Diagnostic>,
    error: Option<String>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonTitle {
    text: String,
    line: usize,
}

#[cfg(test)]
#[derive(Serialize, Default)]
struct Sections {
    measures: Option<JsonSection>,
    #[serde(rename = "first-responsible")]
    first_responsible: Option<JsonSection>,
    shortcomings: Option<JsonSection>,
    #[serde(rename = "next-year-plan")]
    next_year_plan: Option<JsonSection>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonSection {
    line: usize,
    heading: String,
    as_heading: bool,
}

#[cfg(test)]
#[derive(Serialize)]
struct OutlineEntry {
    level: u8,
    marker: String,
    number: u32,
    title: String,
    line: usize,
}

#[derive(Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: usize,
    pub length: usize,
    pub fix: Option<JsonFix>,
}

#[derive(Serialize)]
pub struct JsonFix {
    pub offset: usize,
    pub length: usize,
    pub replacement: String,
}

/// The positions of the start and end of a finding's span.
fn positions(linted: &Linted, f: &Finding) -> (Position, Position) {
    let doc = &linted.doc;
    (
        doc.index.position(&doc.text, f.span.start),
        doc.index.position(&doc.text, f.span.end),
    )
}

/// One finding with its position resolved against the text.
pub fn diagnostic(linted: &Linted, f: &Finding) -> Diagnostic {
    let (start, end) = positions(linted, f);
    Diagnostic {
        rule: f.rule,
        severity: f.severity.as_str(),
        message: f.message.clone(),
        help: f.help.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        offset: f.span.start,
        length: f.span.len(),
        fix: f.fix.as_ref().map(|x| JsonFix {
            offset: x.span.start,
            length: x.span.len(),
            replacement: x.replacement.clone(),
        }),
    }
}

#[cfg(test)]
fn section(p: &Option<PartLocation>) -> Option<JsonSection> {
    p.as_ref().map(|p| JsonSection {
        line: p.line + 1,
        heading: p.label.clone(),
        as_heading: p.as_heading,
    })
}

/// One file's entry of the `files` array (the plain form of [`write_file`]).
#[cfg(test)]
pub(crate) fn file(r: &FileResult) -> JsonFile<'_> {
    match &r.outcome {
        Ok(l) => {
            let doc = &l.doc;
            let outline = doc
                .headings
                .iter()
                .filter(|h| l.facts.in_body(h.line))
                .map(|h| OutlineEntry {
                    level: h.level,
                    marker: doc.slice(h.marker.span).trim().to_string(),
                    number: h.marker.number,
                    title: doc.heading_title(h).to_string(),
                    line: h.line + 1,
                })
                .collect();
            let parts = &l.facts.parts;
            JsonFile {
                path: &r.path,
                profile: &r.profile,
                report_year: l.facts.report_year,
                title: l.facts.title.as_ref().map(|t| JsonTitle {
                    text: t.text.clone(),
                    line: t.line + 1,
                }),
                sections: Sections {
                    measures: section(&parts[0]),
                    first_responsible: section(&parts[1]),
                    shortcomings: section(&parts[2]),
                    next_year_plan: section(&parts[3]),
                },
                outline,
                diagnostics: l.findings.iter().map(|f| diagnostic(l, f)).collect(),
                error: None,
            }
        }
        Err(e) => JsonFile {
            path: &r.path,
            profile: &r.profile,
            report_year: None,
            title: None,
            sections: Sections::default(),
            outline: Vec::new(),
            diagnostics: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

/// What `pretty_at(&file(r), depth)` writes (serde_json's pretty form of
/// the file's entry, every line `depth` spaces in), written directly.
pub(crate) fn write_file(out: &mut Vec<u8>, r: &FileResult, depth: usize) {
    let mut w = Pretty::new(out, depth);
    w.begin_object();
    w.key(key!("path"));
    w.str(&r.path);
    w.key(key!("profile"));
    w.str(&r.profile);
    let l = match &r.outcome {
        Ok(l) => l,
        Err(e) => {
            for key in [key!("report_year"), key!("title")] {
                w.key(key);
                w.null();
            }
            w.key(key!("sections"));
            w.begin_object();
            for key in SECTION_KEYS {
                w.key(key);
                w.null();
            }
            w.end_object();
            for key in [key!("outline"), key!("diagnostics")] {
                w.key(key);
                w.begin_array();
                w.end_array();
            }
            w.key(key!("error"));
            w.str(&e.to_string());
            w.end_object();
            return;
        }
    };
    let doc = &l.doc;
    w.key(key!("report_year"));
    match l.facts.report_year {
        Some(y) => w.uint(y.into()),
        None => w.null(),
    }
    w.key(key!("title"));
    match &l.facts.title {
        Some(t) => {
            w.begin_object();
            w.key(key!("text"));
            w.str(&t.text);
            w.key(key!("line"));
            w.uint(t.line as u64 + 1);
            w.end_object();
        }
        None => w.null(),
    }
    w.key(key!("sections"));
    w.begin_object();
    for (key, part) in SECTION_KEYS.iter().zip(&l.facts.parts) {
        w.key(key);
        match part {
            Some(p) => {
                w.begin_object();
                w.key(key!("line"));
                w.uint(p.line as u64 + 1);
                w.key(key!("heading"));
                w.str(&p.label);
                w.key(key!("as_heading"));
                w.bool(p.as_heading);
                w.end_object();
            }
            None => w.null(),
        }
    }
    w.end_object();
    w.key(key!("outline"));
    w.begin_array();
    for h in doc.headings.iter().filter(|h| l.facts.in_body(h.line)) {
        w.element();
        w.begin_object();
        w.key(key!("level"));
        w.uint(h.level.into());
        w.key(key!("marker"));
        w.str(doc.slice(h.marker.span).trim());
        w.key(key!("number"));
        w.uint(h.marker.number.into());
        w.key(key!("title"));
        w.str(doc.heading_title(h));
        w.key(key!("line"));
        w.uint(h.line as u64 + 1);
        w.end_object();
    }
    w.end_array();
    w.key(key!("diagnostics"));
    w.begin_array();
    for f in &l.findings {
        let (start, end) = positions(l, f);
        w.element();
        w.begin_object();
        w.key(key!("rule"));
        w.str(f.rule);
        w.key(key!("severity"));
        w.str(f.severity.as_str());
        w.key(key!("message"));
        w.str(&f.message);
        w.key(key!("help"));
        w.opt_str(f.help.as_deref());
        for (key, n) in [
            (key!("line"), start.line),
            (key!("column"), start.column),
            (key!("end_line"), end.line),
            (key!("end_column"), end.column),
            (key!("offset"), f.span.start),
            (key!("length"), f.span.len()),
        ] {
            w.key(key);
            w.uint(n as u64);
        }
        w.key(key!("fix"));
        match &f.fix {
            Some(x) => {
                w.begin_object();
                w.key(key!("offset"));
                w.uint(x.span.start as u64);
                w.key(key!("length"));
                w.uint(x.span.len() as u64);
                w.key(key!("replacement"));
                w.str(&x.replacement);
                w.end_object();
            }
            None => w.null(),
        }
        w.end_object();
    }
    w.end_array();
    w.key(key!("error"));
    w.null();
    w.end_object();
}

/// The keys of `sections`, in the order of the profile's parts.
const SECTION_KEYS: [&str; 4] = [
    key!("measures"),
    key!("first-responsible"),
    key!("shortcomings"),
    key!("next-year-plan"),
];

pub fn render(results: &[FileResult]) -> String {
    super::stream::render(super::stream::Format::Json, results)
}

/// The whole document with an empty `files` array (the stream writes the
/// files into it).
pub(crate) fn document(s: Summary) -> String {
    let out = Output {
        version: 1,
        tool: Tool {
            name: "fzlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files: Vec::new(),
        summary: JsonSummary {
            files: s.files,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
        },
    };
    let mut text = serde_json::to_string_pretty(&out).expect("JSON output serialises");
    text.push('\n');
    text
}

#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    category: &'static str,
    severity: &'static str,
    fixable: bool,
    summary: &'static str,
}

/// `fzlint rules --format json`.
pub fn render_rules() -> String {
    let rules: Vec<JsonRule> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            JsonRule {
                id: m.id,
                category: m.category.as_str(),
                severity: m.severity.as_str(),
                fixable: m.fixable,
                summary: m.summary,
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rules).expect("rules serialise");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Severity};
    use crate::ingest::InputError;
    use crate::lint::{lint_text, LintOptions};
    use crate::report::stream::pretty_at;
    use crate::source::Span;
    use proptest::prelude::*;

    fn result(path: &str, text: &str) -> Option<FileResult> {
        Some(FileResult {
            path: path.into(),
            profile: "fazhi-annual".into(),
            outcome: Ok(lint_text(text, &LintOptions::default())?),
            source_map: None,
        })
    }

    /// Panics unless the direct writer writes what serde_json writes for `r`.
    fn same(r: &FileResult) {
        for depth in [0, 4, 70] {
            let mut direct = b"x".to_vec();
            write_file(&mut direct, r, depth);
            let reference = pretty_at(&file(r), depth);
            assert_eq!(
                String::from_utf8_lossy(&direct[1..]),
                String::from_utf8_lossy(&reference),
                "{} at {depth}",
                r.path
            );
        }
    }

    #[test]
    fn files_are_written_as_serde_json_writes_them() {
        let mut n = 0;
        let dirs = [
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
            std::path::PathBuf::from("/work/shared/corpus/seeds"),
        ];
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                if let Some(r) = result(&e.path().display().to_string(), &text) {
                    same(&r);
                    n += 1;
                }
            }
        }
        assert!(n > 0);
        for text in [
            "",
            "一、甲\n二、乙\n",
            crate::rules::testing::GOOD,
            "（2）甲\n一是乙，三是丙。\n",
        ] {
            same(&result("a\"b\\c\u{1}.txt", text).unwrap());
        }
        same(&FileResult {
            path: "坏.txt".into(),
            profile: "fazhi-annual".into(),
            outcome: Err(InputError::Io("读不出\n\"坏\"\t\u{0}".into())),
            source_map: None,
        });
    }

    proptest! {
        #[test]
        fn any_texts_are_written_as_serde_json_writes_them(
            text in "(?s)[一二三、（）甲乙\n2024年报告\"\\\\\u{0}-\u{1f}a ]{0,60}",
            path in "(?s).{0,12}",
            message in "(?s).{0,24}",
            help in proptest::option::of("(?s).{0,24}"),
            replacement in "[\u{0}-\u{7f}中]{0,12}",
        ) {
            let Some(mut r) = result(&path, &text) else { return Ok(()) };
            same(&r);
            if let Ok(l) = &mut r.outcome {
                let end = l.doc.text.len();
                l.findings.push(
                    Finding {
                        help: help.clone(),
                        fix: Some(Fix { span: Span::new(0, end), replacement: replacement.clone() }),
                        ..Finding::new("x", Severity::Info, Span::new(0, end), message.clone())
                    },
                );
            }
            same(&r);
        }
    }
}
