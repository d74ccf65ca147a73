use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct MissingTitle;

static META: RuleMeta = RuleMeta {
    id: "missing-title",
    category: Category::Structure,
    severity: Severity::Warning,
    fixable: false,
    summary: "没有报告标题，或标题没有写明年份",
    docs: Docs {
        what: "在正文第一个标题之前查找报告标题（以“报告”等结尾、含“法治政府建设”等字样的一行或两行），找不到时提示；标题中没有年份时也提示。",
        why: "年度报告按年度归档、公开和检索，标题应写明报告的年度，例如“关于2024年法治政府建设情况的报告”。没有标题或年份，审核和公开时无法识别是哪一年的报告。",
        bad: "某市交通运输局法治政府建设情况报告\n一、主要举措和成效\n全年制定规范性文件3件。\n",
        good: "某市交通运输局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章：年度报告按年度报送和公开；各地工作指引规定报告名称为“（机关名称）关于××××年法治政府建设情况的报告”。",
    },
};

impl Rule for MissingTitle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let year_hint = cx.facts.report_year.map_or("××××".to_string(), |y| y.to_string());
        match &cx.facts.title {
            Some(t) if t.year.is_none() => out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    t.span,
                    format!("报告标题“{}”没有写明年份", t.text),
                )
                .label("标题缺少年份")
                .help(format!(
                    "在标题中写明报告年度，例如“关于{year_hint}年法治政府建设情况的报告”"
                )),
            ),
            Some(_) => {}
            None => {
                let first = (0..doc.lines.len()).find(|&l| !cx.facts.is_chrome(l) && !doc.lines[l].content.is_empty());
                let span = first.map_or(Span::empty(0), |l| doc.lines[l].content);
                out.push(
                    Finding::new(META.id, META.severity, span, "找不到报告标题")
                        .label("报告从这里开始，前面没有标题")
                        .help(format!(
                            "在正文前加上标题，例如“（机关名称）关于{year_hint}年法治政府建设情况的报告”"
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn no_title_at_all() {
        let text = "（三）健全依法行政制度体系。\n1. 完善规范性文件制定和审查制度。\n";
        let f = run(&MissingTitle, text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "找不到报告标题");
    }

    #[test]
    fn title_variants_are_accepted() {
        for title in [
            "2024年法治政府建设情况报告",
            "某区卫生健康委2023年度\n法治政府建设情况报告",
            "中共某区委 某区人民政府关于2024年法治政府建设情况的报告",
            "某县司法局2022年度法治政府建设工作情况报告",
        ] {
            let text = format!("{title}\n一、主要举措和成效\n正文。\n");
            assert!(run(&MissingTitle, &text).is_empty(), "{title}");
        }
    }
}
