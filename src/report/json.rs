//! `--format json`, version 1 of the contract in SPEC §5.

use super::{FileResult, Summary};
use crate::facts::PartLocation;
use crate::finding::Finding;
use crate::lint::Linted;
use crate::rules::RULES;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files: Vec<JsonFile<'a>>,
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

#[derive(Serialize)]
struct JsonTitle {
    text: String,
    line: usize,
}

#[derive(Serialize, Default)]
struct Sections {
    measures: Option<JsonSection>,
    #[serde(rename = "first-responsible")]
    first_responsible: Option<JsonSection>,
    shortcomings: Option<JsonSection>,
    #[serde(rename = "next-year-plan")]
    next_year_plan: Option<JsonSection>,
}

#[derive(Serialize)]
struct JsonSection {
    line: usize,
    heading: String,
    as_heading: bool,
}

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

/// One finding with its position resolved against the text.
pub fn diagnostic(linted: &Linted, f: &Finding) -> Diagnostic {
    let doc = &linted.doc;
    let start = doc.index.position(&doc.text, f.span.start);
    let end = doc.index.position(&doc.text, f.span.end);
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

fn section(p: &Option<PartLocation>) -> Option<JsonSection> {
    p.as_ref().map(|p| JsonSection {
        line: p.line + 1,
        heading: p.label.clone(),
        as_heading: p.as_heading,
    })
}

/// One file's entry of the `files` array.
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
