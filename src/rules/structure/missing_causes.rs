use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct MissingCauses;

static META: RuleMeta = RuleMeta {
    id: "missing-causes",
    category: Category::Structure,
    severity: Severity::Warning,
    fixable: false,
    summary: "“存在的不足”部分只列问题，没有分析原因",
    docs: Docs {
        what: "检查“存在的不足和原因”部分是否分析了原因：部分中没有任何说明原因的表述（原因、由于、因为、受……影响、导致等）时提示。",
        why: "规定要求报告的是“存在的不足和原因”。只罗列问题、不分析原因，审核时会被认为查摆不深入，也无法与下一年度的整改安排对应。",
        bad: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、存在的不足和原因\n一是执法队伍专业力量不足。二是普法形式较为单一。\n三、2025年工作安排\n加强执法队伍建设。\n",
        good: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、存在的不足和原因\n一是执法队伍专业力量不足，主要原因是编制紧张。二是普法形式较为单一。\n三、2025年工作安排\n加强执法队伍建设。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章：年度报告应当包括“上一年度推进法治政府建设存在的不足和原因”。",
    },
};

impl Rule for MissingCauses {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(part) = cx.kb.profile.part("shortcomings") else {
            return;
        };
        let Some(loc) = cx.facts.part("shortcomings").filter(|p| p.as_heading) else {
            return;
        };
        let doc = cx.doc;
        // The heading's own words (`存在的不足和原因`) are not an analysis:
        // search the run-in body and the lines below the heading. A heading
        // shared with the plan covers the plan too, which errs on the side of
        // silence.
        let mut text = String::new();
        if let Some(body) = loc.heading.and_then(|h| doc.headings[h].body) {
            text.push_str(doc.slice(body));
        }
        for l in loc.extent.clone().skip(1).filter(|&l| cx.facts.in_body(l)) {
            text.push_str(doc.slice(doc.lines[l].content));
        }
        if text.is_empty() {
            return; // an empty part is `empty-section`'s business
        }
        let has_cause = part.causes.iter().any(|r| r.is_match(&text));
        if !has_cause {
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    loc.span,
                    "“存在的不足”部分只列了问题，没有分析原因",
                )
                .label("这一部分没有原因分析")
                .help("对每项不足说明原因（如“主要原因是……”“由于……”），规定要求报告的是“不足和原因”"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn the_word_in_the_heading_is_not_an_analysis() {
        // The heading says 不足和原因, the body gives none.
        let f = run(&MissingCauses, META.docs.bad);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn causes_in_other_words() {
        for cause in [
            "由于人员调整频繁",
            "受财政预算缩减影响",
            "因近年经费不足",
            "究其根源在于重视不够",
        ] {
            let text = format!("关于2024年法治政府建设情况的报告\n一、主要举措\n正文。\n二、存在问题和薄弱环节\n一是执法队伍力量不足，{cause}。\n三、下一步打算\n加强培训。\n");
            assert!(run(&MissingCauses, &text).is_empty(), "{cause}");
        }
    }

    #[test]
    fn therefore_is_not_a_cause() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措\n正文。\n二、存在的问题\n一是执法队伍力量不足，因此办案周期较长。\n三、下一步打算\n加强培训。\n";
        assert_eq!(run(&MissingCauses, text).len(), 1);
    }
}
