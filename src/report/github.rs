//! `--format github`: GitHub Actions workflow commands, which annotate the
//! lines of a pull request (`::error file=…,line=…::message`).

use super::json::diagnostic;
use super::FileResult;
use crate::finding::Severity;
use std::fmt::Write;

/// Escaping for the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping for a property value (`file=`, `title=`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(results: &[FileResult]) -> String {
    results.iter().map(render_one).collect()
}

/// One file's commands.
pub fn render_one(r: &FileResult) -> String {
    let mut out = String::new();
    {
        let file = escape_property(&super::sarif::uri(&r.path));
        match &r.outcome {
            Ok(l) => {
                for f in &l.findings {
                    let d = diagnostic(l, f);
                    let command = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    let mut message = f.message.clone();
                    if let Some(h) = &f.help {
                        message.push_str("\n建议：");
                        message.push_str(h);
                    }
                    let _ = writeln!(
                        out,
                        "::{command} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                        d.line,
                        d.column,
                        d.end_line,
                        d.end_column,
                        escape_property(&format!("fzlint {}", f.rule)),
                        escape_data(&message)
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "::error file={file},title=fzlint::{}",
                    escape_data(&format!("无法检查：{e}"))
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
