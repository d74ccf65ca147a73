use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct SectionOrder;

static META: RuleMeta = RuleMeta {
    id: "section-order",
    category: Category::Structure,
    severity: Severity::Info,
    fixable: false,
    summary: "各部分顺序颠倒：不足或安排写在举措成效之前，或安排写在不足之前",
    docs: Docs {
        what: "检查必备部分的先后顺序：“存在的不足和原因”和“下一年度主要安排”应在“主要举措和成效”之后，“下一年度主要安排”应在“存在的不足和原因”之后。“第一责任人职责情况”的位置不限，实践中放在第一、二、三部分都有。",
        why: "年度报告先讲做了什么，再讲不足，最后讲针对不足的安排，是审核人员阅读和比对的顺序；顺序颠倒会让安排与不足脱节。",
        bad: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、2025年工作安排\n加强执法队伍建设。\n三、存在的不足和原因\n执法力量不足，原因是编制紧张。\n",
        good: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、存在的不足和原因\n执法力量不足，原因是编制紧张。\n三、2025年工作安排\n加强执法队伍建设。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章所列年度报告内容的顺序。",
    },
};

/// (earlier part, later part) pairs that must keep this order.
const ORDER: [(&str, &str); 3] = [
    ("measures", "shortcomings"),
    ("measures", "next-year-plan"),
    ("shortcomings", "next-year-plan"),
];

impl Rule for SectionOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let profile = &cx.kb.profile;
        for (first, second) in ORDER {
            let (Some(a), Some(b)) = (cx.facts.part(first), cx.facts.part(second)) else {
                continue;
            };
            if !(a.as_heading && b.as_heading) || a.line <= b.line {
                continue;
            }
            let name = |k: &str| profile.part(k).map_or(String::new(), |p| p.name.clone());
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    b.span,
                    format!("“{}”写在了“{}”之前", name(second), name(first)),
                )
                .label("这一部分位置靠前")
                .with_label(a.span, "应在这一部分之后")
                .help(format!("把“{}”移到“{}”之后", name(second), name(first))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn plan_before_shortcomings() {
        let f = run(&SectionOrder, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![4]);
    }

    #[test]
    fn first_responsible_may_stand_first() {
        let text = "关于2024年法治政府建设情况的报告\n一、党政主要负责人履行推进法治建设第一责任人职责情况\n带头学法。\n二、主要举措和成效\n制定文件。\n三、存在的不足和原因\n力量不足。\n四、下一步打算\n加强培训。\n";
        assert!(run(&SectionOrder, text).is_empty());
    }

    #[test]
    fn shared_heading_is_in_order() {
        let text =
            "关于2025年法治政府建设情况的报告\n一、主要举措\n正文。\n二、存在的问题及2026年工作计划\n问题。计划。";
        assert!(run(&SectionOrder, text).is_empty());
    }
}
