//! The human report: a short header per file (year, title, mandated parts),
//! each finding rendered by miette's graphical handler with the source
//! snippet (written directly by [`super::graphical`], byte for byte what
//! miette writes, for the shapes it covers; by miette for the rest), and a
//! closing count. Many findings of one rule in one file are
//! grouped so that a report full of one mistake does not drown the reader.

use super::excerpt::excerpt;
use super::graphical;
use super::{FileResult, Summary};
use crate::finding::{Severity, WithSource};
use crate::knowledge::Knowledge;
use crate::lint::Linted;
use miette::{GraphicalReportHandler, GraphicalTheme};
use std::fmt::Write;

/// Findings of one rule in one file shown in full before the rest are summed up.
pub const GROUP_SHOWN: usize = 3;
/// A rule with more findings than this in one file is grouped.
pub const GROUP_THRESHOLD: usize = 5;

#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

/// miette's handler as the human report configures it: the reference the
/// direct renderer ([`super::graphical`]) reproduces, and its fallback.
pub(crate) fn handler(opts: HumanOptions) -> GraphicalReportHandler {
    graphical::set_wrap_width(opts.width);
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(1)
        .with_word_separator(textwrap::WordSeparator::Custom(graphical::words))
}

pub fn render(results: &[FileResult], opts: HumanOptions) -> String {
    super::stream::render(super::stream::Format::Human { opts, table: false }, results)
}

/// One file's part of the report.
pub fn render_one(r: &FileResult, opts: HumanOptions) -> String {
    // Room for the header and a few findings, which take some 600 bytes each.
    let mut out = String::with_capacity(4096);
    match &r.outcome {
        Ok(l) => render_file(&mut out, opts, r, l),
        Err(e) => {
            let _ = writeln!(out, "{}：无法检查：{}\n", r.path, e);
        }
    }
    out
}

/// The closing count of the report.
pub fn closing(s: &Summary) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "共检查 {} 个文件：{} 个错误，{} 个警告，{} 个提示",
        s.files, s.errors, s.warnings, s.infos
    );
    if s.unreadable > 0 {
        let _ = write!(out, "，{} 个文件无法读取", s.unreadable);
    }
    out.push('\n');
    out
}

/// A rule's findings in one file: how many, how many met so far, the lines
/// of those grouped instead of shown.
struct PerRule<'a> {
    rule: &'a str,
    total: usize,
    seen: usize,
    grouped: Vec<usize>,
}

fn render_file(out: &mut String, opts: HumanOptions, r: &FileResult, l: &Linted) {
    let (path, profile) = (r.path.as_str(), r.profile.as_str());
    let facts = &l.facts;
    out.push_str(path);
    out.push_str("\n  报告年度：");
    // Written piece by piece (what `write!` wrote, without its machinery).
    let number = |out: &mut String, n: usize| out.push_str(graphical::digits(n as u64, &mut [0; 20]));
    match facts.report_year {
        Some(y) => {
            number(out, y as usize);
            out.push('年');
        }
        None => out.push_str("未识别"),
    }
    out.push_str("　标题：");
    match &facts.title {
        Some(t) => {
            out.push('“');
            out.push_str(&t.text);
            out.push_str("”（第");
            number(out, t.line + 1);
            out.push_str("行）");
        }
        None => out.push_str("未找到"),
    }
    out.push('\n');
    if let Some(kb) = Knowledge::builtin(profile) {
        out.push_str("  必备部分：");
        for (i, (def, loc)) in kb.profile.parts.iter().zip(facts.parts.iter()).enumerate() {
            if i > 0 {
                out.push('　');
            }
            match loc {
                Some(p) => {
                    out.push_str(if p.as_heading { "✓ " } else { "△ " });
                    out.push_str(&def.name);
                    out.push_str(if p.as_heading { "（第" } else { "（仅在第" });
                    number(out, p.line + 1);
                    out.push_str(if p.as_heading { "行）" } else { "行提及）" });
                }
                None => {
                    out.push_str("✗ ");
                    out.push_str(&def.name);
                }
            }
        }
        out.push('\n');
    }
    out.push('\n');
    if l.findings.is_empty() {
        let _ = writeln!(out, "  未发现问题\n");
        return;
    }
    // Per rule, in order of first finding; each finding's rule as an index.
    let mut rules: Vec<PerRule> = Vec::new();
    let slots: Vec<usize> = l
        .findings
        .iter()
        .map(|f| {
            let k = match rules.iter().position(|x| x.rule == f.rule) {
                Some(k) => k,
                None => {
                    rules.push(PerRule {
                        rule: f.rule,
                        total: 0,
                        seen: 0,
                        grouped: Vec::new(),
                    });
                    rules.len() - 1
                }
            };
            rules[k].total += 1;
            k
        })
        .collect();
    // miette's handler, built for the first finding the direct renderer leaves to it.
    let mut fallback: Option<GraphicalReportHandler> = None;
    for (f, &k) in l.findings.iter().zip(&slots) {
        let entry = &mut rules[k];
        entry.seen += 1;
        if entry.total > GROUP_THRESHOLD && entry.seen > GROUP_SHOWN {
            entry.grouped.push(l.doc.line_of(f.span.start) + 1);
            continue;
        }
        let (source, mut shown) = excerpt(&l.doc, path, f);
        // In a Word or PDF file, say where the extracted line came from.
        if let Some(origin) = r
            .source_map
            .as_ref()
            .and_then(|m| m.origin(l.doc.line_of(f.span.start) + 1))
        {
            shown.message = format!("{}（原文{}）", shown.message, origin).into();
        }
        if graphical::render(out, &shown, &source, opts) {
            out.push('\n');
            continue;
        }
        let h = fallback.get_or_insert_with(|| handler(opts));
        graphical::set_wrap_width(opts.width);
        let shown = shown.to_finding();
        let diag = WithSource {
            finding: &shown,
            source: &source,
        };
        let mut rendered = String::new();
        if h.render_report(&mut rendered, &diag).is_ok() {
            out.push_str(&rendered);
            out.push('\n');
        }
    }
    // The grouped rules in the order of their ids.
    rules.retain(|x| !x.grouped.is_empty());
    rules.sort_by(|a, b| a.rule.cmp(b.rule));
    for PerRule {
        rule,
        grouped: mut lines,
        ..
    } in rules
    {
        let n = lines.len();
        lines.dedup();
        let listed: Vec<String> = lines.iter().take(8).map(|l| l.to_string()).collect();
        let more = if lines.len() > 8 { "……" } else { "" };
        let _ = writeln!(
            out,
            "  … {rule} 另有 {} 处同类问题，在第 {}{} 行（--format json 列出全部）\n",
            n,
            listed.join("、"),
            more
        );
    }
    let count = |sev: Severity| l.findings.iter().filter(|f| f.severity == sev).count();
    let fixable = l
        .findings
        .iter()
        .filter(|f| crate::fix::is_applicable(&l.doc.text, f))
        .count();
    let fixable = if fixable > 0 {
        format!("（其中 {fixable} 处可用 --fix 自动修复）")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{path}：{} 个错误，{} 个警告，{} 个提示{fixable}\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
}
