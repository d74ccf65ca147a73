use crate::finding::{Finding, Severity};
use crate::rules::consistency::scan::{self, UnitSearch};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct VagueTime;

static META: RuleMeta = RuleMeta {
    id: "vague-time",
    category: Category::Consistency,
    severity: Severity::Info,
    fixable: false,
    summary: "年度报告中用“截至目前”“今年以来”等说法，没有写明日期",
    docs: Docs {
        what: "提示正文中不指明日期的时间说法（rules/formulations.toml 的 [[vague_time]]）：“截至目前”“截止目前”“到目前为止”“今年以来”等。年度报告报告的是整个年度，数字应当截至年底或写明截止日期。“目前”本身太常见（“目前已建成…”），不提示。",
        why: "报告在次年年初定稿、在网上长期公开，“截至目前”的数字读者无法知道截至哪一天，与全年数字也无法比较。",
        bad: "某县司法局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n截至目前，共办理行政复议案件32件。\n",
        good: "某县司法局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n截至2024年12月31日，共办理行政复议案件32件。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）：年度报告报告上一年度的情况；GB/T 9704-2012 要求公文记述的时间准确。",
    },
};

impl Rule for VagueTime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let year = cx.facts.report_year;
        let body = scan::body_text(cx);
        let table = &cx.kb.reference.vague_time;
        let maybe = cx
            .kb
            .guards
            .vague_time
            .candidates(|| table.iter().map(|v| &v.pattern), body);
        let mut present: Vec<_> = maybe
            .iter()
            .map(|i| (&table[i], UnitSearch::new(cx, &table[i].pattern)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        if present.is_empty() {
            return;
        }
        for (k, u) in scan::body_units(cx).iter().enumerate() {
            for (v, search) in &mut present {
                for m in search.find_iter(k, &u.text, body) {
                    let suggest = year.map_or_else(
                        || v.suggest.replace("{year}", "××××"),
                        |y| v.suggest.replace("{year}", &y.to_string()),
                    );
                    let year_text = year.map_or(String::new(), |y| format!("，报告年度是{y}年"));
                    out.push(
                        Finding::new(
                            META.id,
                            META.severity,
                            u.span(m.range()),
                            format!("“{}”没有写明日期{year_text}", m.as_str()),
                        )
                        .label("截至哪一天？")
                        .help(format!("写明日期，例如“{suggest}”")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn vague_words() {
        let f = run(&VagueTime, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3]);
        assert!(f[0].message.contains("截至目前") && f[0].message.contains("2024年"));
        assert!(f[0].help.as_ref().unwrap().contains("截至2024年12月31日"));
        assert!(run(&VagueTime, META.docs.good).is_empty());
        assert!(run(&VagueTime, GOOD).is_empty());
        let text = "一、主要举措\n今年以来，共开展检查12次；截止目前完成培训3期；到目前为止未发生事故。\n";
        assert_eq!(run(&VagueTime, text).len(), 3);
    }

    #[test]
    fn plain_mujian_is_not_reported() {
        let text = "关于2023年法治政府建设情况的报告\n一、主要举措\n目前已完成56家医疗机构注册审核，近期将开展评查。\n";
        assert!(run(&VagueTime, text).is_empty());
    }
}
