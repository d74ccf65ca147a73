//! `--format rdjson`: reviewdog's diagnostic format. Its columns count UTF-8
//! bytes (1-based), unlike fzlint's character columns.

use super::FileResult;
use crate::document::Document;
use crate::finding::Severity;
use serde_json::{json, Value};

fn position(doc: &Document, offset: usize) -> Value {
    let line0 = doc.index.line_of(offset);
    let column = offset - doc.index.line_start(line0) + 1;
    json!({"line": line0 + 1, "column": column})
}

pub fn render(results: &[FileResult]) -> String {
    super::stream::render(super::stream::Format::Rdjson, results)
}

/// One file's diagnostics.
pub(crate) fn file(r: &FileResult) -> Vec<Value> {
    let mut diagnostics = Vec::new();
    let path = super::sarif::uri(&r.path);
    match &r.outcome {
        Ok(l) => {
            for f in &l.findings {
                let severity = match f.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                    Severity::Info => "INFO",
                };
                let mut d = json!({
                    "message": f.message,
                    "location": {
                        "path": path,
                        "range": {"start": position(&l.doc, f.span.start), "end": position(&l.doc, f.span.end)},
                    },
                    "severity": severity,
                    "code": {"value": f.rule},
                });
                if let Some(fix) = &f.fix {
                    d["suggestions"] = json!([{
                        "range": {"start": position(&l.doc, fix.span.start), "end": position(&l.doc, fix.span.end)},
                        "text": fix.replacement,
                    }]);
                }
                diagnostics.push(d);
            }
        }
        Err(e) => diagnostics.push(json!({
            "message": format!("无法检查：{e}"),
            "location": {"path": path},
            "severity": "ERROR",
            "code": {"value": "input-error"},
        })),
    }
    diagnostics
}

/// The whole document with no diagnostics.
pub(crate) fn document() -> String {
    let doc = json!({
        "source": {"name": "fzlint"},
        "diagnostics": [],
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("rdjson serialises");
    text.push('\n');
    text
}
