//! `shortcoming-unanswered` (extension): a listed shortcoming that no item of
//! the next-year plan answers.

use crate::crossyear::Bigrams;
use crate::crossyear::{item_terms, part_items, quote, without_causes, MIN_COVERAGE};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use std::cell::OnceCell;

/// The distinct characters of `chars`, sorted.
fn char_set(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut all: Vec<char> = chars.collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// A shortcoming's content bigrams and their characters, looked up in the
/// plan items' texts: one pass over a text counts how many of them it holds
/// (as [`Bigrams::shared_with`] on the text's bigrams and a count of the
/// characters in the text's character set would, without building either).
struct Probe {
    /// The bigrams, sorted.
    terms: Vec<[char; 2]>,
    /// Their distinct characters, sorted (Han characters only).
    chars: Vec<char>,
    /// Bit `c % 128` set for each of `chars`.
    filter: u128,
}

impl Probe {
    fn new(terms: &Bigrams) -> Probe {
        let chars = char_set(terms.iter().flatten());
        let filter = chars.iter().fold(0u128, |f, &c| f | 1 << (u32::from(c) & 127));
        Probe {
            terms: terms.iter().collect(),
            chars,
            filter,
        }
    }

    /// (how many of the bigrams `text` holds, how many of the characters).
    fn shared_with(&self, text: &str) -> (usize, usize) {
        let mut seen_terms = vec![false; self.terms.len()];
        let mut seen_chars = vec![false; self.chars.len()];
        // The previous character when it is one of `chars` (all Han, so a
        // bigram of two of them is a bigram of consecutive Han characters).
        let mut prev: Option<char> = None;
        for c in text.chars() {
            let k = if self.filter & (1 << (u32::from(c) & 127)) == 0 {
                None
            } else {
                self.chars.binary_search(&c).ok()
            };
            let Some(k) = k else {
                prev = None;
                continue;
            };
            seen_chars[k] = true;
            if let Some(p) = prev {
                if let Ok(t) = self.terms.binary_search(&[p, c]) {
                    seen_terms[t] = true;
                }
            }
            prev = Some(c);
        }
        let count = |seen: &[bool]| seen.iter().filter(|&&s| s).count();
        (count(&seen_terms), count(&seen_chars))
    }
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
        for item in part_items(cx.doc, cx.facts, "shortcomings") {
            let terms = item_terms(text, &item, true);
            if terms.len() < 2 {
                continue;
            }
            let probe = Probe::new(&terms);
            // (shared bigrams, shared characters) with each plan item, found on first use:
            // most shortcomings are answered by an early item.
            let shared: Vec<OnceCell<(usize, usize)>> = plan.iter().map(|_| OnceCell::new()).collect();
            let shared_with = |k: usize| *shared[k].get_or_init(|| probe.shared_with(plan[k].span.slice(text)));
            let coverage_of = |k: usize| {
                let n = shared_with(k).0;
                (n, n as f32 / terms.len() as f32)
            };
            let answered = (0..plan.len()).any(|k| {
                let (n, share) = coverage_of(k);
                // A shared word and half the characters also answer it
                // (普法形式单一 → 创新普法方式).
                share >= MIN_COVERAGE || (n >= 1 && shared_with(k).1 * 2 >= probe.chars.len())
            });
            if answered {
                continue;
            }
            let best = (0..plan.len())
                .map(coverage_of)
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
        /// One pass of a probe over a text counts what the text's bigram set
        /// and character set share with the shortcoming's (characters 128
        /// apart share the probe's filter bit: 执 U+6267, 槧 U+69E7).
        #[test]
        fn a_probe_counts_what_the_sets_share(
            terms in "[执法队伍建设槧强加，a 一]{0,30}",
            text in "[执法队伍设备强化槧。b一加 ]{0,60}",
        ) {
            let terms = crate::crossyear::bigrams(&terms);
            let probe = Probe::new(&terms);
            let bigrams = crate::crossyear::bigrams(&text);
            let chars = char_set(text.chars());
            let shared_chars = probe.chars.iter().filter(|c| chars.binary_search(c).is_ok()).count();
            proptest::prop_assert_eq!(probe.shared_with(&text), (terms.shared_with(&bigrams), shared_chars));
        }
    }
}
