//! `copied-text`: a passage of this year's report that is the same or nearly
//! the same as one of last year's (`--baseline`).

use crate::crossyear::{inline_diff, normalise, part_of, quote, units};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct CopiedText;

static META: RuleMeta = RuleMeta {
    id: "copied-text",
    category: Category::CrossDocument,
    severity: Severity::Warning,
    fixable: false,
    summary: "与去年报告（--baseline）相同或几乎相同的段落",
    docs: Docs {
        what: "用 --baseline 指定去年的报告后，逐段比较两年的正文（含“一是”“二是”分项），\
去掉标点、空白并把数字一律视为相同后，相似度达到阈值（默认 0.85，可在 fzlint.toml 的 [copied-text] 中设置）的段落报告出来，\
并给出去年对应段落的行号、相似度和两段的差异。今年的“存在的不足”或“下一年度工作安排”照搬去年同一部分时，提示最为严重。",
        why: "年度报告应当如实反映本年度的新举措、新问题和新安排。成段照搬上一年的文字，说明报告没有总结本年度的实际工作；\
不足和计划年年相同，说明问题没有整改、计划没有落实，是督察和考核中重点关注的情形。",
        bad: "去年报告：\n关于2023年法治政府建设情况的报告\n三、存在的不足和原因\n一是执法队伍专业力量不足，基层执法人员对新领域法律法规掌握不够。二是普法形式较为单一。\n今年报告：\n关于2024年法治政府建设情况的报告\n三、存在的不足和原因\n一是执法队伍专业力量不足，基层执法人员对新领域法律法规掌握不够。二是行政复议应诉能力不强。\n",
        good: "去年报告：\n关于2023年法治政府建设情况的报告\n三、存在的不足和原因\n一是执法队伍专业力量不足，基层执法人员对新领域法律法规掌握不够。二是普法形式较为单一。\n今年报告：\n关于2024年法治政府建设情况的报告\n三、存在的不足和原因\n一是执法人员轮训已覆盖全员，但新污染物领域办案经验仍然欠缺。二是行政复议应诉能力不强。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十五条：年度报告应当报告上一年度推进法治政府建设的主要举措和成效、存在的不足和原因、下一年度的工作安排。",
    },
};

fn part_name(key: &str) -> &'static str {
    match key {
        "shortcomings" => "存在的不足",
        "next-year-plan" => "下一年度工作安排",
        "measures" => "主要举措和成效",
        "first-responsible" => "第一责任人履职情况",
        _ => "",
    }
}

impl Rule for CopiedText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(base) = cx.baseline else {
            return;
        };
        let text = &cx.doc.text;
        for (span, line) in units(cx.doc, cx.facts) {
            let norm = normalise(span.slice(text));
            let Some((old, ratio)) = base.most_similar(&norm) else {
                continue;
            };
            let pct = (ratio * 100.0).floor() as u32;
            let old_text = old.span.slice(&base.doc.text);
            let new_text = span.slice(text);
            let here = part_of(cx.facts, line);
            let repeated = match (here, old.part) {
                (Some(a), Some(b)) if a == b && matches!(a, "shortcomings" | "next-year-plan") => Some(a),
                _ => None,
            };
            let same = if ratio >= 0.999 {
                if old_text.trim() == new_text.trim() {
                    "与去年报告一字不差".to_string()
                } else {
                    "与去年报告除数字和标点外完全相同".to_string()
                }
            } else {
                format!("与去年报告几乎相同（相似度 {pct}%）")
            };
            let message = match repeated {
                Some(key) => format!(
                    "今年的“{}”照搬去年的“{}”：本段{}，见去年第{}行“{}”",
                    part_name(key),
                    part_name(key),
                    same,
                    old.line + 1,
                    quote(old_text, 30)
                ),
                None => format!("本段{}，见去年第{}行“{}”", same, old.line + 1, quote(old_text, 30)),
            };
            let mut help = match repeated {
                Some("shortcomings") => {
                    "去年的不足今年原样重复，说明整改没有进展：请写明今年针对该问题做了什么、为什么仍未解决".to_string()
                }
                Some(_) => {
                    "去年的工作安排今年原样重复：请写明去年安排的落实情况，今年的安排应有新的目标和措施".to_string()
                }
                None => "请按本年度的实际工作重写，写明今年的新举措、新数据和新成效".to_string(),
            };
            help.push_str(&format!(
                "\n与去年（{} 第{}行）的差异（[-去年-]{{+今年+}}）：{}",
                base.name,
                old.line + 1,
                inline_diff(old_text, new_text, 240)
            ));
            let label = format!("与去年第{}行相似度 {pct}%", old.line + 1);
            out.push(
                Finding::new(META.id, META.severity, span, message)
                    .label(label)
                    .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cross::run_pair;

    const LAST: &str = include_str!("../../../tests/fixtures/baseline/eco_2023.txt");
    const THIS: &str = include_str!("../../../tests/fixtures/baseline/eco_2024.txt");

    fn pair(last: &str, this: &str) -> Vec<Finding> {
        run_pair(&CopiedText, &format!("去年报告：\n{last}今年报告：\n{this}"))
    }

    #[test]
    fn carried_over_passages_are_found() {
        let found = pair(LAST, THIS);
        let msgs: Vec<_> = found.iter().map(|f| f.message.as_str()).collect();
        // The regulations paragraph with only its numbers changed.
        assert!(
            msgs.iter()
                .any(|m| m.contains("除数字和标点外完全相同") && m.contains("全年起草规范性文件")),
            "{msgs:#?}"
        );
        // Last year's shortcoming and plan item repeated: the strongest findings.
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("今年的“存在的不足”照搬去年的“存在的不足”")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with("今年的“下一年度工作安排”照搬")),
            "{msgs:#?}"
        );
        let help = found[0].help.as_deref().unwrap();
        assert!(help.contains("[-") || help.contains("与去年"), "{help}");
    }

    #[test]
    fn rewritten_passages_on_the_same_subject_are_not_flagged() {
        let found = pair(LAST, THIS);
        for f in &found {
            let s = f.span.slice(THIS);
            assert!(
                !s.contains("裁量基准"),
                "the rewritten enforcement paragraph was flagged: {}",
                f.message
            );
            assert!(!s.contains("行政复议应诉"), "{}", f.message);
            assert!(!s.contains("短视频、直播"), "{}", f.message);
            assert!(!s.contains("十五五"), "{}", f.message);
        }
        // The preamble formula is the same every year and is not compared.
        assert!(found
            .iter()
            .all(|f| !f.span.slice(THIS).contains("现将有关情况报告如下")));
    }

    #[test]
    fn silent_without_a_baseline() {
        assert!(crate::rules::testing::run(&CopiedText, THIS).is_empty());
    }

    #[test]
    fn a_report_differs_from_an_unrelated_one() {
        let found = pair(crate::rules::testing::GOOD, THIS);
        assert!(found.is_empty(), "{found:#?}");
    }
}
