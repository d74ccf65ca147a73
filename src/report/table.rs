//! The closing table of a batch run, for people reviewing many reports: one
//! row per file with its year, the mandated parts it lacks, and its counts.

use super::FileResult;
use crate::finding::Severity;
use crate::knowledge::Knowledge;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// A file's row: (file, year, missing parts, errors, warnings, infos).
pub fn row(r: &FileResult) -> [String; 6] {
    match &r.outcome {
        Ok(l) => {
            let missing = Knowledge::builtin(&r.profile).map_or(String::new(), |kb| {
                let list: Vec<String> = kb
                    .profile
                    .parts
                    .iter()
                    .zip(l.facts.parts.iter())
                    .filter_map(|(def, loc)| match loc {
                        None => Some(def.short.clone()),
                        Some(p) if !p.as_heading => Some(format!("{}△", def.short)),
                        Some(_) => None,
                    })
                    .collect();
                if list.is_empty() {
                    "—".to_string()
                } else {
                    list.join("、")
                }
            });
            let count = |s: Severity| l.findings.iter().filter(|f| f.severity == s).count().to_string();
            [
                r.path.clone(),
                l.facts.report_year.map_or("?".into(), |y| y.to_string()),
                missing,
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            ]
        }
        Err(e) => [
            r.path.clone(),
            "—".into(),
            format!("无法读取：{e}"),
            "—".into(),
            "—".into(),
            "—".into(),
        ],
    }
}

pub fn render(results: &[FileResult]) -> String {
    let rows: Vec<[String; 6]> = results.iter().map(row).collect();
    render_rows(&rows)
}

/// The table of the given rows.
pub fn render_rows(rows: &[[String; 6]]) -> String {
    let header = ["文件", "年度", "缺少的部分（△仅顺带提及）", "错误", "警告", "提示"].map(String::from);
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(rows.iter()) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(UnicodeWidthStr::width(cell.as_str()));
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[String; 6]| {
        let cells: Vec<String> = row.iter().zip(widths.iter()).map(|(c, w)| pad(c, *w)).collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    };
    line(&mut out, &header);
    let rule: [String; 6] = widths.map(|w| "─".repeat(w));
    line(&mut out, &rule);
    for row in rows {
        line(&mut out, row);
    }
    out
}
