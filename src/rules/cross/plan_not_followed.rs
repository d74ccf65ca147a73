//! `plan-not-followed` (extension): an item of last year's next-year plan
//! with no trace in this year's measures.

use crate::crossyear::{coverage, item_terms, quote, MIN_COVERAGE};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct PlanNotFollowed;

static META: RuleMeta = RuleMeta {
    id: "plan-not-followed",
    category: Category::CrossDocument,
    severity: Severity::Info,
    fixable: false,
    summary: "去年的工作安排在今年的举措中找不到落实情况（需 --baseline）",
    docs: Docs {
        what: "用 --baseline 指定去年的报告后，把去年“下一年度工作安排”的每一项，去掉“进一步”“加强”“推进”等套话后取其关键词（按汉字二元组），\
到今年的“主要举措和成效”与第一责任人履职部分中查找；关键词大多找不到的安排项以提示级别报告，供审核人员询问落实情况。",
        why: "年度报告的工作安排是对下一年的承诺。去年安排的事项今年只字未提，可能是没有落实，也可能是报告遗漏；\
审核时逐项核对去年的安排，是法治督察的常规做法。",
        bad: "去年报告：\n关于2023年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政处罚案件86件。\n四、2024年工作安排\n（一）推进企业环境信用评价，建立部门间信用信息共享机制。\n今年报告：\n关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政处罚案件74件，开展执法人员轮训2期。\n",
        good: "去年报告：\n关于2023年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政处罚案件86件。\n四、2024年工作安排\n（一）推进企业环境信用评价，建立部门间信用信息共享机制。\n今年报告：\n关于2024年法治政府建设情况的报告\n一、主要举措和成效\n完成312家企业环境信用评价，与税务、金融部门建立信用信息共享机制。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十五条：年度报告应当报告上一年度推进法治政府建设的主要举措和成效、下一年度的工作安排。",
    },
};

impl Rule for PlanNotFollowed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(base) = cx.baseline else {
            return;
        };
        if base.plan.is_empty() {
            return;
        }
        let text = &cx.doc.text;
        // This year's measures: the measures and first-responsible parts, or,
        // when neither is found, the body before the shortcomings and plan.
        let mut ranges: Vec<std::ops::Range<usize>> = ["measures", "first-responsible"]
            .iter()
            .filter_map(|k| cx.facts.part(k))
            .map(|p| p.line..p.extent.end.max(p.line + 1))
            .collect();
        let anchor = cx.facts.part("measures").map(|p| p.span);
        if ranges.is_empty() {
            let end = ["shortcomings", "next-year-plan"]
                .iter()
                .filter_map(|k| cx.facts.part(k))
                .map(|p| p.line)
                .min()
                .unwrap_or(cx.facts.body_end);
            ranges.push(cx.facts.body_start..end);
        }
        let hay = crate::crossyear::Bigrams::of_texts(
            ranges
                .iter()
                .flat_map(|r| r.clone())
                .filter_map(|l| cx.doc.lines.get(l).filter(|_| cx.facts.in_body(l)))
                .map(|line| line.content.slice(text)),
        );
        let span = anchor
            .or_else(|| cx.facts.title.as_ref().map(|t| t.span))
            .unwrap_or_else(|| first_content(cx));
        for item in &base.plan {
            let terms = item_terms(&base.doc.text, item, false);
            if terms.len() < 2 {
                continue;
            }
            let (n, share) = coverage(&terms, &hay);
            if share >= MIN_COVERAGE {
                continue;
            }
            let core = quote(item.core.slice(&base.doc.text), 40);
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    span,
                    format!(
                        "去年的工作安排“{core}”（{} 第{}行）在今年的主要举措中找不到落实情况（关键词 {}/{} 见于今年）",
                        base.name,
                        item.line + 1,
                        n,
                        terms.len()
                    ),
                )
                .label("今年的举措中未提及去年的这项安排")
                .help("请在主要举措和成效中写明该项安排的落实情况；确未落实的，在存在的不足中说明原因"),
            );
        }
    }
}

fn first_content(cx: &Context) -> Span {
    cx.doc
        .lines
        .iter()
        .map(|l| l.content)
        .find(|c| !c.is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cross::run_pair;

    const LAST: &str = include_str!("../../../tests/fixtures/baseline/eco_2023.txt");
    const THIS: &str = include_str!("../../../tests/fixtures/baseline/eco_2024.txt");

    #[test]
    fn the_plan_item_without_a_trace_is_reported_and_the_others_are_not() {
        let found = run_pair(&PlanNotFollowed, &format!("去年报告：\n{LAST}今年报告：\n{THIS}"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].message.contains("推进企业环境信用评价"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].severity, Severity::Info);
    }

    #[test]
    fn a_report_against_itself_follows_its_own_plan_only_where_measures_say_so() {
        // Last year's plan (执法队伍、信用评价、普法) against last year's own
        // measures: 普法 is there, the others are not.
        let found = run_pair(&PlanNotFollowed, &format!("去年报告：\n{LAST}今年报告：\n{LAST}"));
        assert!(
            found.iter().all(|f| !f.message.contains("深化生态环境普法")),
            "{found:#?}"
        );
    }

    #[test]
    fn silent_without_a_baseline() {
        assert!(crate::rules::testing::run(&PlanNotFollowed, THIS).is_empty());
    }
}
