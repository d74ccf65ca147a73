//! Autofix: apply the edits that fixable rules attach to their findings.
//!
//! A rule attaches a `Fix` only where the edit cannot change what the text
//! says (a half-width comma becomes a full-width one, a doubled `。` becomes
//! one, a space between a Chinese character and a digit goes). Fixes are
//! applied in order of position; a fix that overlaps one already taken is
//! dropped and left for the next pass. Passes repeat, re-linting the new text,
//! until a pass changes nothing (at most `MAX_PASSES`), so that fixing the
//! result again changes nothing. Every edit stays inside its span: the text
//! between fix spans is copied unchanged, line endings included.
//!
//! Writing back goes through a temporary file in the same directory and an
//! atomic rename, in the encoding the file came in.

use crate::finding::Finding;
use crate::ingest::SourceEncoding;
use crate::lint::{lint_text, LintOptions};
use crate::rules;
use crate::source::Span;
use std::io::Write;
use std::path::Path;

/// Passes of lint-and-fix before giving up on reaching a fixed point.
pub const MAX_PASSES: usize = 8;

/// One applied edit, with its span in the text it was applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub rule: &'static str,
    pub span: Span,
    pub replacement: String,
}

/// The result of fixing a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Edits applied, over all passes.
    pub applied: usize,
    pub passes: usize,
}

impl Fixed {
    pub fn changed(&self) -> bool {
        self.applied > 0
    }
}

/// Whether a finding carries a fix that `--fix` applies: its rule is fixable
/// and the fix lies on character boundaries of `text`.
pub fn is_applicable(text: &str, f: &Finding) -> bool {
    let Some(fix) = &f.fix else { return false };
    let fixable = rules::find(f.rule).is_some_and(|r| r.meta().fixable);
    fixable
        && fix.span.start <= fix.span.end
        && fix.span.end <= text.len()
        && text.is_char_boundary(fix.span.start)
        && text.is_char_boundary(fix.span.end)
}

/// The non-overlapping applicable fixes of `findings`, in order of position.
pub fn select(text: &str, findings: &[Finding]) -> Vec<Edit> {
    let mut fixes: Vec<Edit> = findings
        .iter()
        .filter(|f| is_applicable(text, f))
        .filter_map(|f| {
            f.fix.as_ref().map(|x| Edit {
                rule: f.rule,
                span: x.span,
                replacement: x.replacement.clone(),
            })
        })
        .filter(|e| e.span.slice(text) != e.replacement)
        .collect();
    fixes.sort_by_key(|e| (e.span.start, e.span.end));
    let mut chosen: Vec<Edit> = Vec::with_capacity(fixes.len());
    for e in fixes {
        if let Some(last) = chosen.last() {
            // Overlapping, or two edits at one point (their order would be arbitrary).
            if e.span.start < last.span.end || e.span.start == last.span.start {
                continue;
            }
        }
        chosen.push(e);
    }
    chosen
}

/// Apply sorted, non-overlapping edits.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Lint and fix `text` until nothing changes. `None` for an unknown profile.
pub fn fix_text(text: &str, options: &LintOptions) -> Option<Fixed> {
    let mut current = text.to_owned();
    let mut applied = 0;
    let mut passes = 0;
    while passes < MAX_PASSES {
        let linted = lint_text(&current, options)?;
        let edits = select(&current, &linted.findings);
        if edits.is_empty() {
            break;
        }
        passes += 1;
        applied += edits.len();
        current = apply(&current, &edits);
    }
    Some(Fixed {
        text: current,
        applied,
        passes,
    })
}

/// Write `text` to `path` in `encoding`, through a temporary file in the same
/// directory and an atomic rename; the file keeps its permissions, and a
/// read-only file is refused rather than replaced. A symbolic
/// link is followed, so the file it points to is replaced, not the link.
pub fn write_atomic(path: &Path, text: &str, encoding: SourceEncoding) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    if permissions.readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "文件是只读的",
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".fzlint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(&encoding.encode(text))?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of `before` → `after` for `path`; empty when they are equal.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(1)
        .header(path, path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(rule: &'static str, start: usize, end: usize, rep: &str) -> Finding {
        Finding::new(rule, Severity::Warning, Span::new(start, end), "m").fix(Span::new(start, end), rep)
    }

    #[test]
    fn overlapping_fixes_are_dropped_and_unfixable_rules_ignored() {
        let text = "甲,乙,,丙";
        let fs = vec![
            finding("halfwidth-punctuation", 3, 4, "，"),
            finding("repeated-punctuation", 7, 9, ","),
            finding("halfwidth-punctuation", 7, 8, "，"),
            finding("heading-style", 0, 3, "X"),
            finding("halfwidth-punctuation", 1, 4, "坏"),
        ];
        let edits = select(text, &fs);
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(apply(text, &edits), "甲，乙，,丙");
    }

    #[test]
    fn fixing_reaches_a_fixed_point() {
        let text =
            "关于2024年法治政府建设情况的报告\r\n2024年,我局开展培训 , 共 12次。。\r\n依据某府办发[2024]3号文件。\r\n";
        let fixed = fix_text(text, &LintOptions::default()).unwrap();
        assert_eq!(
            fixed.text,
            "关于2024年法治政府建设情况的报告\r\n2024年，我局开展培训，共12次。\r\n依据某府办发〔2024〕3号文件。\r\n"
        );
        let again = fix_text(&fixed.text, &LintOptions::default()).unwrap();
        assert!(!again.changed());
        assert_eq!(again.text, fixed.text);
    }

    #[test]
    fn exceptions_survive_fixing() {
        let text = "关于2024年法治政府建设情况的报告\n1.坚持党的全面领导。会议于8:30开始，人均3.5次，比例1:500，共1,000人次。\n执行GB/T 9704-2012和2011-02-15发布的标准，详见http://www.gov.cn/a?b=1,2或fzb@cq.gov.cn。\n学习《关于印发(试行)办法的通知》，口号为Hello, world!\n";
        let fixed = fix_text(text, &LintOptions::default()).unwrap();
        assert!(!fixed.changed(), "{}", fixed.text);
    }

    #[test]
    fn diff_is_unified_and_empty_without_changes() {
        assert_eq!(unified_diff("a.txt", "甲\n", "甲\n"), "");
        let d = unified_diff("a.txt", "甲,乙\n", "甲，乙\n");
        assert!(d.starts_with("--- a.txt\n+++ a.txt\n@@"), "{d}");
        assert!(d.contains("-甲,乙\n+甲，乙\n"), "{d}");
    }

    #[test]
    fn atomic_write_keeps_the_encoding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        std::fs::write(&path, b"x").unwrap();
        write_atomic(&path, "一、主要举措\r\n", SourceEncoding::Gb18030).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let d = crate::ingest::decode(&bytes).unwrap();
        assert_eq!(d.encoding, SourceEncoding::Gb18030);
        assert_eq!(d.text, "一、主要举措\r\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
