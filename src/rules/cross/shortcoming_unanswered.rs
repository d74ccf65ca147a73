//! `shortcoming-unanswered` (extension): a listed shortcoming that no item of
//! the next-year plan answers.

use crate::crossyear::Bigrams;
use crate::crossyear::{bigrams, coverage, item_terms, part_items, quote, without_causes, MIN_COVERAGE};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use std::cell::OnceCell;

/// The distinct characters of an item's content bigrams.
/// The distinct characters of `chars`, sorted.
fn char_set(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut all: Vec<char> = chars.collect();
    all.sort_unstable();
    all.dedup();
    all
}

pub struct ShortcomingUnanswered;

static META: RuleMeta = RuleMeta {
    id: "shortcoming-unanswered",
    category: Category::CrossDocument,
    severity: Severity::Info,
    fixable: false,
    summary: "列出的不足在下一年度工作安排中没有对应措施",
    docs: Docs {
        what: "把“存在的不足和原因”中的每一项（小标题或“一是”“二是”分项），去掉“存在”“不足”“有待加强”等套话后取其关键词（按汉字二元组），\
到“下一年度工作安排”的各项中查找；没有任何一项安排涉及的不足以提示级别报告。",
        why: "查找不足是为了改进。报告列出的问题在下一年度的工作安排中没有对应措施，整改就无从落实，\
审核人员应当追问如何解决。",
        bad: "关于2024年法治政府建设情况的报告\n三、存在的不足和原因\n一是行政复议应诉能力不强，原因在于应诉案件少。\n四、2025年工作安排\n（一）编制“十五五”生态环境保护规划。\n（二）完善环境执法正面清单。\n",
        good: "关于2024年法治政府建设情况的报告\n三、存在的不足和原因\n一是行政复议应诉能力不强，原因在于应诉案件少。\n四、2025年工作安排\n（一）组织行政复议应诉专题培训，开展旁听庭审活动。\n（二）完善环境执法正面清单。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十五条：年度报告应当报告存在的不足和原因、下一年度推进法治政府建设的主要安排。",
    },
};

impl Rule for ShortcomingUnanswered {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let text = &cx.doc.text;
        let plan = part_items(cx.doc, cx.facts, "next-year-plan");
        if plan.is_empty() {
            return;
        }
        // Built on first use: most shortcomings are answered by an early item.
        let plan_terms: Vec<OnceCell<Bigrams>> = plan.iter().map(|_| OnceCell::new()).collect();
        let plan_chars: Vec<OnceCell<Vec<char>>> = plan.iter().map(|_| OnceCell::new()).collect();
        let terms_of = |k: usize| plan_terms[k].get_or_init(|| bigrams(plan[k].span.slice(text)));
        let chars_of = |k: usize| plan_chars[k].get_or_init(|| char_set(plan[k].span.slice(text).chars()));
        for item in part_items(cx.doc, cx.facts, "shortcomings") {
            let terms = item_terms(text, &item, true);
            if terms.len() < 2 {
                continue;
            }
            let chars = char_set(terms.iter().flatten());
            let answered = (0..plan.len()).any(|k| {
                let (n, share) = coverage(&terms, terms_of(k));
                // A shared word and half the characters also answer it
                // (普法形式单一 → 创新普法方式).
                share >= MIN_COVERAGE
                    || (n >= 1
                        && chars.iter().filter(|ch| chars_of(k).binary_search(ch).is_ok()).count() * 2 >= chars.len())
            });
            if answered {
                continue;
            }
            let best = (0..plan.len())
                .map(|k| coverage(&terms, terms_of(k)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            let stated = without_causes(text, item.core);
            let core = quote(stated.slice(text), 40);
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    stated,
                    format!(
                        "不足“{core}”在下一年度工作安排中没有对应的措施（关键词至多 {}/{} 见于某一项安排）",
                        best.0,
                        terms.len()
                    ),
                )
                .label("没有对应的工作安排")
                .help("请在下一年度工作安排中写明针对这一不足的整改措施"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    const LAST: &str = include_str!("../../../tests/fixtures/baseline/eco_2023.txt");
    const THIS: &str = include_str!("../../../tests/fixtures/baseline/eco_2024.txt");

    #[test]
    fn the_shortcoming_without_a_plan_item_is_reported() {
        let found = run(&ShortcomingUnanswered, THIS);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].span.slice(THIS).contains("行政复议应诉能力不强"));
    }

    #[test]
    fn shortcomings_answered_by_the_plan_pass() {
        assert!(run(&ShortcomingUnanswered, LAST).is_empty());
    }

    #[test]
    fn a_lead_in_gives_way_to_the_problem_it_introduces() {
        let text = "关于2022年法治政府建设情况的报告\n三、存在的不足和原因\n我委工作虽然取得了一定成绩，但也存在薄弱环节，主要表现在：执法机构规范化建设困难，执法用房不达标。\n四、2023年工作安排\n（一）推进执法机构规范化建设，争取执法用房。\n";
        assert!(run(&ShortcomingUnanswered, text).is_empty());
        let text = text.replace(
            "（一）推进执法机构规范化建设，争取执法用房。",
            "（一）开展民法典宣传月活动。",
        );
        let found = run(&ShortcomingUnanswered, &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.slice(&text), "执法机构规范化建设困难，执法用房不达标");
    }

    #[test]
    fn no_plan_no_finding() {
        let text = "关于2024年法治政府建设情况的报告\n三、存在的不足和原因\n一是行政复议应诉能力不强。\n";
        assert!(run(&ShortcomingUnanswered, text).is_empty());
    }
}
