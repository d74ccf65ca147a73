//! `--format sarif`: SARIF 2.1.0, as accepted by GitHub code scanning.
//! Columns are Unicode code points (declared with `columnKind`), which is how
//! fzlint counts them everywhere.

use super::json::diagnostic;
use super::FileResult;
use crate::finding::Severity;
use crate::rules::RULES;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a relative URI with forward slashes.
pub fn uri(path: &str) -> String {
    if path == "<stdin>" {
        return "stdin".to_string();
    }
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

pub fn render(results: &[FileResult]) -> String {
    super::stream::render(super::stream::Format::Sarif, results)
}

/// One file's results, and the tool notification if it could not be read.
pub(crate) fn file(r: &FileResult) -> (Vec<Value>, Option<Value>) {
    let mut results = Vec::new();
    let mut notification = None;
    match &r.outcome {
        Ok(l) => {
            for f in &l.findings {
                let d = diagnostic(l, f);
                let rule_index = RULES.iter().position(|x| x.meta().id == f.rule);
                let region = json!({
                    "startLine": d.line,
                    "startColumn": d.column,
                    "endLine": d.end_line,
                    "endColumn": d.end_column,
                });
                let mut message = f.message.clone();
                if let Some(h) = &f.help {
                    message.push_str("\n建议：");
                    message.push_str(h);
                }
                let mut result = json!({
                    "ruleId": f.rule,
                    "level": level(f.severity),
                    "message": {"text": message},
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri(&r.path)},
                            "region": region,
                        }
                    }],
                });
                if let Some(i) = rule_index {
                    result["ruleIndex"] = json!(i);
                }
                if let Some(fix) = &f.fix {
                    let start = l.doc.index.position(&l.doc.text, fix.span.start);
                    let end = l.doc.index.position(&l.doc.text, fix.span.end);
                    result["fixes"] = json!([{
                        "description": {"text": "fzlint 自动修复"},
                        "artifactChanges": [{
                            "artifactLocation": {"uri": uri(&r.path)},
                            "replacements": [{
                                "deletedRegion": {
                                    "startLine": start.line, "startColumn": start.column,
                                    "endLine": end.line, "endColumn": end.column,
                                },
                                "insertedContent": {"text": fix.replacement},
                            }],
                        }],
                    }]);
                }
                results.push(result);
            }
        }
        Err(e) => {
            notification = Some(json!({
                "level": "error",
                "message": {"text": format!("{}：{}", r.path, e)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&r.path)}}}],
            }))
        }
    }
    (results, notification)
}

/// The whole log with the given results and notifications.
pub(crate) fn document(out_results: Vec<Value>, notifications: Vec<Value>) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": m.docs.what},
                "help": {"text": format!("{}\n\n错误示例：\n{}\n正确示例：\n{}\n依据：{}", m.docs.why, m.docs.bad, m.docs.good, m.docs.basis)},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"category": m.category.as_str(), "fixable": m.fixable},
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "fzlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": out_results,
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("SARIF serialises");
    text.push('\n');
    text
}
