//! The review page (`--format html`): one self-contained HTML file for a
//! batch — no network, no external assets, inline CSS and a few lines of
//! inline JavaScript. A matrix of reports × mandated parts, the number of
//! findings per rule as CSS bars, and each report's text with the findings'
//! spans highlighted in their severity's colour. Everything taken from the
//! reports is escaped.

use super::{FileResult, Summary};
use crate::finding::{Finding, Severity};
use crate::knowledge::{Knowledge, PART_KEYS};
use crate::lint::Linted;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--err-bg:#ffd7d7;--warn-bg:#ffeeb8;--info-bg:#dbe9ff}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#f6f6f4}
header{background:#22313f;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin-bottom:16px}
h2{font-size:17px;margin:0 0 10px}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #ccc;padding:4px 10px;text-align:center}
th.file,td.file{text-align:left;max-width:420px;word-break:break-all}
td.found{color:#2e7d32;background:#e8f5e9}
td.inline{color:#8d6e00;background:#fff8e1}
td.missing{color:#c62828;background:#ffebee}
td.unreadable{color:#777;font-style:italic}
.legend{font-size:13px;color:#555;margin-top:6px}
.bars{display:grid;grid-template-columns:max-content 1fr max-content;gap:4px 10px;align-items:center;font-size:13px}
.bar{height:14px;border-radius:3px;min-width:2px}
.bar.error{background:var(--err)}.bar.warning{background:var(--warn)}.bar.info{background:var(--info)}
.report h2 a{color:inherit}
.findings{font-size:14px;margin:8px 0 12px;padding-left:0;list-style:none}
.findings li{margin:3px 0;padding:3px 6px;border-left:4px solid #999}
.findings li.error{border-color:var(--err)}.findings li.warning{border-color:var(--warn)}.findings li.info{border-color:var(--info)}
.sev{font-weight:bold;margin-right:6px}
.sev.error{color:var(--err)}.sev.warning{color:var(--warn)}.sev.info{color:var(--info)}
.rule{font-family:monospace;color:#555;margin-right:6px}
.help{color:#555;font-size:13px;white-space:pre-wrap;margin-left:1em}
pre.text{white-space:pre-wrap;word-break:break-all;font-family:inherit;font-size:14px;line-height:1.7;background:#fcfcfb;border:1px solid #eee;padding:10px;counter-reset:ln;max-height:70vh;overflow:auto}
mark.hl{border-radius:2px;padding:0 1px;color:inherit}
mark.hl.error{background:var(--err-bg);border-bottom:2px solid var(--err)}
mark.hl.warning{background:var(--warn-bg);border-bottom:2px solid var(--warn)}
mark.hl.info{background:var(--info-bg);border-bottom:2px solid var(--info)}
mark.hl.flash{outline:2px solid #000}
.error-msg{color:var(--err)}
details summary{cursor:pointer;color:#22313f}
"#;

const SCRIPT: &str = r#"
document.addEventListener('click',function(e){
  var a=e.target.closest('a[data-mark]');if(!a)return;
  var m=document.getElementById(a.getAttribute('data-mark'));if(!m)return;
  e.preventDefault();var d=m.closest('details');if(d)d.open=true;
  m.scrollIntoView({block:'center'});m.classList.add('flash');
  setTimeout(function(){m.classList.remove('flash')},1200);
});
"#;

fn sev_class(s: Severity) -> &'static str {
    s.as_str()
}

/// Renders the review page for the results of one run.
pub fn render(results: &[FileResult]) -> String {
    let summary = Summary::of(results);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<title>fzlint 审核报告</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<header><h1>法治政府建设年度报告审核</h1>");
    let _ = write!(
        out,
        "<p>共 {} 份报告：错误 {}，警告 {}，提示 {}{}。fzlint {}</p></header>\n<main>\n",
        summary.files,
        summary.errors,
        summary.warnings,
        summary.infos,
        if summary.unreadable > 0 {
            format!("，无法读取 {}", summary.unreadable)
        } else {
            String::new()
        },
        env!("CARGO_PKG_VERSION")
    );
    matrix(&mut out, results);
    chart(&mut out, results);
    for (i, r) in results.iter().enumerate() {
        report(&mut out, i, r);
    }
    out.push_str("</main>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn part_names(profile: &str) -> Vec<(String, String)> {
    let kb = Knowledge::builtin(profile).or_else(|| Knowledge::builtin("fazhi-annual"));
    PART_KEYS
        .iter()
        .map(|key| {
            let short = kb
                .and_then(|k| k.profile.part(key))
                .map_or_else(|| key.to_string(), |p| p.short.clone());
            (key.to_string(), short)
        })
        .collect()
}

fn matrix(out: &mut String, results: &[FileResult]) {
    let profile = results.first().map_or("fazhi-annual", |r| r.profile.as_str());
    let parts = part_names(profile);
    out.push_str("<section id=\"matrix-section\"><h2>法定内容</h2>\n<table id=\"matrix\">\n<thead><tr><th class=\"file\">报告</th><th>年度</th>");
    for (key, short) in &parts {
        let _ = write!(out, "<th data-part=\"{}\">{}</th>", escape(key), escape(short));
    }
    out.push_str("<th>错误</th><th>警告</th><th>提示</th></tr></thead>\n<tbody>\n");
    for (i, r) in results.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td class=\"file\"><a href=\"#report-{i}\">{}</a></td>",
            escape(&r.path)
        );
        match &r.outcome {
            Ok(l) => {
                let _ = write!(
                    out,
                    "<td>{}</td>",
                    l.facts.report_year.map_or("—".to_string(), |y| y.to_string())
                );
                for (k, (key, _)) in parts.iter().enumerate() {
                    let (class, mark, title) = match l.facts.parts.get(k).and_then(|p| p.as_ref()) {
                        Some(p) if p.as_heading => ("found", "✓", format!("第{}行：{}", p.line + 1, p.label)),
                        Some(p) => (
                            "inline",
                            "△",
                            format!("仅在正文中提及（第{}行）：{}", p.line + 1, p.label),
                        ),
                        None => ("missing", "✗", "未找到".to_string()),
                    };
                    let _ = write!(
                        out,
                        "<td class=\"{class}\" data-part=\"{}\" title=\"{}\">{mark}</td>",
                        escape(key),
                        escape(&title)
                    );
                }
                let count = |s: Severity| l.findings.iter().filter(|f| f.severity == s).count();
                let _ = write!(
                    out,
                    "<td>{}</td><td>{}</td><td>{}</td>",
                    count(Severity::Error),
                    count(Severity::Warning),
                    count(Severity::Info)
                );
            }
            Err(e) => {
                let _ = write!(
                    out,
                    "<td class=\"unreadable\" colspan=\"{}\">无法读取：{}</td>",
                    parts.len() + 4,
                    escape(&e.to_string())
                );
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n<p class=\"legend\">✓ 有专门的标题　△ 仅在正文中提及　✗ 未找到</p></section>\n");
}

fn chart(out: &mut String, results: &[FileResult]) {
    let mut counts: BTreeMap<&str, (usize, Severity)> = BTreeMap::new();
    for r in results {
        if let Ok(l) = &r.outcome {
            for f in &l.findings {
                let e = counts.entry(f.rule).or_insert((0, f.severity));
                e.0 += 1;
                e.1 = e.1.max(f.severity);
            }
        }
    }
    out.push_str("<section id=\"chart\"><h2>各规则的问题数</h2>\n");
    if counts.is_empty() {
        out.push_str("<p>没有发现问题。</p></section>\n");
        return;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let max = rows.first().map_or(1, |r| r.1 .0).max(1);
    out.push_str("<div class=\"bars\">\n");
    for (rule, (n, sev)) in rows {
        let pct = (n * 100).div_ceil(max);
        let _ = writeln!(
            out,
            "<span class=\"rule\">{}</span><div><div class=\"bar {}\" style=\"width:{pct}%\" data-rule=\"{}\"></div></div><span>{n}</span>",
            escape(rule),
            sev_class(sev),
            escape(rule)
        );
    }
    out.push_str("</div></section>\n");
}

fn report(out: &mut String, i: usize, r: &FileResult) {
    let _ = writeln!(
        out,
        "<section class=\"report\" id=\"report-{i}\"><h2>{}</h2>",
        escape(&r.path)
    );
    let l = match &r.outcome {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                out,
                "<p class=\"error-msg\">无法读取：{}</p></section>",
                escape(&e.to_string())
            );
            return;
        }
    };
    if let Some(t) = &l.facts.title {
        let _ = writeln!(out, "<p>标题：{}</p>", escape(&t.text));
    }
    if l.findings.is_empty() {
        out.push_str("<p>没有发现问题。</p>\n");
    } else {
        out.push_str("<ol class=\"findings\">\n");
        for (k, f) in l.findings.iter().enumerate() {
            let pos = l.doc.index.position(&l.doc.text, f.span.start);
            let _ = write!(
                out,
                "<li class=\"{sev}\"><a href=\"#m-{i}-{k}\" data-mark=\"m-{i}-{k}\">第{}行</a> <span class=\"sev {sev}\">{}</span><span class=\"rule\">{}</span>{}",
                pos.line,
                f.severity.label_zh(),
                escape(f.rule),
                escape(&f.message),
                sev = sev_class(f.severity),
            );
            if let Some(h) = &f.help {
                let _ = write!(out, "<div class=\"help\">{}</div>", escape(h));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    out.push_str("<details open><summary>报告全文（问题处已标出）</summary>\n<pre class=\"text\">");
    highlighted(out, i, l);
    out.push_str("</pre></details></section>\n");
}

/// The text with each finding's span in a `<mark>`. Overlapping spans are
/// cut at every boundary; each piece takes the most severe finding covering
/// it, and the piece where a finding starts carries its anchor. Empty spans
/// get an empty marker. One sweep over the sorted boundaries.
fn highlighted(out: &mut String, i: usize, l: &Linted) {
    let text = &l.doc.text;
    let clamp = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    // Events: (offset, kind 0 = end, 1 = start, finding index).
    let mut events: Vec<(usize, u8, usize)> = Vec::with_capacity(l.findings.len() * 2);
    for (k, f) in l.findings.iter().enumerate() {
        let (s, e) = (clamp(f.span.start), clamp(f.span.end));
        events.push((s, 1, k));
        events.push((e.max(s), 0, k));
    }
    events.sort();
    let mut active = [0usize; 3];
    let mut pos = 0;
    let mut open: Option<&'static str> = None;
    let sev_index = |s: Severity| match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    };
    let top = |active: &[usize; 3]| -> Option<&'static str> {
        if active[2] > 0 {
            Some("error")
        } else if active[1] > 0 {
            Some("warning")
        } else if active[0] > 0 {
            Some("info")
        } else {
            None
        }
    };
    for (off, kind, k) in events {
        if off > pos {
            out.push_str(&escape(&text[pos..off]));
            pos = off;
        }
        let f: &Finding = &l.findings[k];
        if kind == 1 {
            active[sev_index(f.severity)] += 1;
        } else {
            active[sev_index(f.severity)] = active[sev_index(f.severity)].saturating_sub(1);
        }
        let now = top(&active);
        if kind == 1 || now != open {
            if open.is_some() {
                out.push_str("</mark>");
            }
            if let Some(class) = now {
                if kind == 1 {
                    let _ = write!(
                        out,
                        "<mark class=\"hl {class}\" id=\"m-{i}-{k}\" data-rule=\"{}\" title=\"{}\">",
                        escape(f.rule),
                        escape(&format!("{}：{}", f.rule, f.message))
                    );
                } else {
                    let _ = write!(out, "<mark class=\"hl {class}\">");
                }
            } else if kind == 1 {
                // Unreachable: a start always makes something active.
                let _ = write!(out, "<mark class=\"hl\" id=\"m-{i}-{k}\">");
            }
            open = now;
        }
    }
    if pos < text.len() {
        if open.is_some() {
            out.push_str("</mark>");
            open = None;
        }
        out.push_str(&escape(&text[pos..]));
    }
    if open.is_some() {
        out.push_str("</mark>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint_text, LintOptions};

    fn page(text: &str) -> String {
        render(&[FileResult {
            source_map: None,
            path: "a<b>.txt".into(),
            profile: "fazhi-annual".into(),
            outcome: Ok(lint_text(text, &LintOptions::default()).unwrap()),
        }])
    }

    #[test]
    fn everything_from_the_report_is_escaped_and_nothing_is_fetched() {
        let p = page("关于2024年法治政府建设情况的报告\n一、主要举措<script>alert(1)</script>\n");
        assert!(!p.contains("<script>alert"));
        assert!(p.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(p.contains("a&lt;b&gt;.txt"));
        for bad in ["http://", "https://", "src=\"", "<link", "@import"] {
            assert!(!p.contains(bad), "{bad}");
        }
    }

    #[test]
    fn matrix_and_marks() {
        let p = page(crate::rules::testing::GOOD);
        assert_eq!(p.matches("class=\"found\"").count(), 4, "{p}");
        let p = page("关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）甲。\n（三）乙。\n");
        assert!(p.contains("class=\"missing\""));
        assert!(p.contains("<mark class=\"hl error\" id=\"m-0-"), "{p}");
        // Every mark is closed.
        assert_eq!(p.matches("<mark").count(), p.matches("</mark>").count());
    }

    #[test]
    fn overlapping_and_empty_spans_nest_properly() {
        use crate::source::Span;
        let text = "一二三四五六七八九十";
        let mut l = lint_text(text, &LintOptions::default()).unwrap();
        l.findings = vec![
            Finding::new("a", Severity::Info, Span::new(0, 12), "x"),
            Finding::new("b", Severity::Error, Span::new(3, 6), "y"),
            Finding::new("c", Severity::Warning, Span::new(9, 9), "z"),
            Finding::new("d", Severity::Warning, Span::new(27, 99), "w"),
        ];
        let mut out = String::new();
        highlighted(&mut out, 0, &l);
        assert_eq!(out.matches("<mark").count(), out.matches("</mark>").count(), "{out}");
        let stripped: String = regex::Regex::new("<[^>]*>").unwrap().replace_all(&out, "").into_owned();
        assert_eq!(stripped, text);
        assert!(out.contains("id=\"m-0-1\""));
    }
}
