use crate::document::LineKind;
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;
use regex::Regex;
use std::sync::OnceLock;

pub struct MissingSignature;

static META: RuleMeta = RuleMeta {
    id: "missing-signature",
    category: Category::Consistency,
    severity: Severity::Info,
    fixable: false,
    summary: "报告末尾没有落款（发文机关和成文日期）",
    docs: Docs {
        what: "检查报告末尾是否有落款：发文机关名称一行、成文日期一行（2025年1月20日）。只有日期没有机关、或只有机关没有日期时也提示。没有标题的片段不检查（可能只是报告的一部分）；网页的页脚不算正文。",
        why: "落款表明报告由谁、在哪一天定稿，是判断是否按期报送的依据；公开的报告没有落款，读者无从核对报告主体和时间。",
        bad: "某县自然资源局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政复议案件3件。\n二、2025年工作安排\n加强执法监督。\n",
        good: "某县自然资源局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政复议案件3件。\n二、2025年工作安排\n加强执法监督。\n某县自然资源局\n2025年1月20日\n",
        basis: "GB/T 9704-2012《党政机关公文格式》7.3.5：公文应当标注发文机关署名和成文日期，成文日期用阿拉伯数字将年、月、日标全；《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）规定了报送期限。",
    },
};

/// Any way of writing a date at the end of a report (2026.1.12, 2026-01-12, 2026年1月12日).
fn loose_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*[年.\-/／．]\s*[0-9一二三四五六七八九十]{1,3}\s*[月.\-/／．]\s*[0-9一二三四五六七八九十]{1,3}")
            .expect("date regex")
    })
}

impl Rule for MissingSignature {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        // A fragment without a title may be only part of a report.
        let Some(title) = &cx.facts.title else { return };
        let content: Vec<usize> = (0..doc.lines.len())
            .filter(|&l| doc.lines[l].kind != LineKind::Blank && !cx.facts.is_chrome(l))
            .collect();
        let Some(&last) = content.last() else { return };
        let last_span = doc.lines[last].content;
        match &cx.facts.signature {
            Some(s) if s.issuer.is_some() => {}
            Some(s) => out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    s.date.span,
                    format!(
                        "落款只有成文日期{}年{}月{}日，没有发文机关",
                        s.date.year, s.date.month, s.date.day
                    ),
                )
                .label("日期上方缺少发文机关")
                .help("在成文日期上一行写明发文机关全称"),
            ),
            None => {
                // A date written in another form, or a dated line under the
                // title, still dates the report.
                let tail = &content[content.len().saturating_sub(3)..];
                let title_line = doc.line_of(title.span.end);
                let near_title = content.iter().filter(|&&l| l > title_line).take(2);
                let dated = tail
                    .iter()
                    .chain(near_title)
                    .any(|&l| doc.lines[l].content.len() <= 60 && loose_date().is_match(doc.line_text(l)));
                if dated {
                    return;
                }
                let end = Span::empty(last_span.end);
                out.push(
                    Finding::new(META.id, META.severity, end, "报告末尾没有落款（发文机关和成文日期）")
                        .label("报告在这里结束")
                        .help("在正文后另起两行写明发文机关和成文日期，例如“某某局”“2025年1月20日”"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn no_signature() {
        let f = run(&MissingSignature, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![5]);
        assert!(run(&MissingSignature, META.docs.good).is_empty());
        assert!(run(&MissingSignature, GOOD).is_empty());
    }

    #[test]
    fn date_without_issuer() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措\n全年办理行政许可30件。\n\n2025年1月20日\n";
        let f = run(&MissingSignature, text);
        assert_eq!(lines(text, &f), vec![5]);
        assert!(f[0].message.contains("2025年1月20日"), "{}", f[0].message);
    }

    #[test]
    fn fragments_other_date_forms_and_web_pages() {
        let fragment = "（三）健全依法行政制度体系。\n1. 完善规范性文件制定和审查制度。\n";
        assert!(run(&MissingSignature, fragment).is_empty());
        let dotted = "关于2024年法治政府建设情况的报告\n一、主要举措\n全年办理行政许可30件。\n某县林业局 2025.1.20\n";
        assert!(run(&MissingSignature, dotted).is_empty());
        let dated_under_title =
            "某县林业局关于2024年法治政府建设情况的报告\n（2025年1月20日）\n一、主要举措\n全年办理行政许可30件。\n";
        assert!(run(&MissingSignature, dated_under_title).is_empty());
        let web = "关于2024年法治政府建设情况的报告\n一、主要举措\n全年办理行政许可30件。\n某县林业局\n2025年1月20日\n\n扫一扫在手机打开当前页\n";
        assert!(run(&MissingSignature, web).is_empty());
    }
}
