use crate::finding::{Finding, Severity};
use crate::reference::Date;
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct Deadline;

static META: RuleMeta = RuleMeta {
    id: "deadline",
    category: Category::Consistency,
    severity: Severity::Warning,
    fixable: false,
    summary: "落款日期晚于报告年度的法定报送或公开期限",
    docs: Docs {
        what: "把落款日期与报告年度次年的法定期限比较：县级以上政府部门应于3月1日之前向本级党委和政府报送上一年度的报告，各级政府和部门的报告应于4月1日之前向社会公开（省级党委和政府向党中央、国务院报告的期限是4月1日之前）。落款晚于期限时提示；落款恰为3月1日时只作提示（“之前”是否含当日，规定没有明说）。期限见 rules/events.toml 的 [[deadline]]。",
        why: "逾期报送、逾期公开是法治督察和第三方评估（中国社会科学院法学研究所历年评估）反复指出的问题；落款晚于期限，要么报告确实逾期，要么落款日期写错。",
        bad: "某县市场监督管理局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年查办案件120件。\n某县市场监督管理局\n2025年3月18日\n",
        good: "某县市场监督管理局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年查办案件120件。\n某县市场监督管理局\n2025年2月18日\n",
        basis: "《法治政府建设与责任落实督察工作规定》（中共中央办公厅、国务院办公厅，厅字〔2019〕28号，2019年4月15日起施行）第四章“年度报告”。已核实：县级以上政府部门“每年3月1日之前”向本级党委和政府、上一级政府有关部门报告（据陕西省工作指引的转述，条文序号未核实，可能为第二十三条）；第二十四条“每年4月1日之前”通过报刊、网站等向社会公开（据政务公开事项目录引用的条文）；省级党委和政府“每年4月1日之前”向党中央、国务院报告。未核实：国务院各部门的报告期限；“之前”是否包含当日。2019年以前依《法治政府建设实施纲要（2015—2020年）》为“每年第一季度”。",
    },
};

impl Rule for Deadline {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let (Some(sig), Some(year)) = (&cx.facts.signature, cx.facts.report_year) else {
            return;
        };
        let d = sig.date;
        // Reports on 2018 and before fell under the 2015 纲要 (每年第一季度).
        if year < 2019 || !Date::is_valid(d.year, d.month, d.day) {
            return;
        }
        let signed = Date::new(d.year, d.month, d.day);
        let issuer = sig
            .issuer
            .map(|s| cx.doc.slice(s).trim().to_string())
            .unwrap_or_default();
        let mut deadlines: Vec<(Date, &crate::reference::Deadline)> = cx
            .kb
            .reference
            .deadlines
            .iter()
            .filter(|dl| issuer.is_empty() || !dl.skip_issuer.iter().any(|r| r.is_match(&issuer)))
            .map(|dl| (Date::new(year + 1, dl.month, dl.day), dl))
            .collect();
        deadlines.sort_by_key(|(due, _)| *due);
        let Some(&(first_due, first)) = deadlines.first() else {
            return;
        };
        let missed: Vec<String> = deadlines
            .iter()
            .filter(|(due, _)| signed > *due)
            .map(|(due, dl)| format!("{}期限{}之前", dl.what, due))
            .collect();
        let severity = if !missed.is_empty() {
            let verified = deadlines
                .iter()
                .filter(|(due, _)| signed > *due)
                .all(|(_, dl)| dl.status.is_verified());
            if verified {
                META.severity
            } else {
                Severity::Info
            }
        } else if signed == first_due {
            Severity::Info
        } else {
            return;
        };
        let message = if missed.is_empty() {
            format!(
                "落款日期{signed}恰为{year}年度报告的{}期限{first_due}：规定为“{}月{}日之前”，当日是否逾期不明确",
                first.what, first.month, first.day
            )
        } else {
            format!("落款日期{signed}晚于{year}年度报告的{}", missed.join("、"))
        };
        out.push(
            Finding::new(META.id, severity, d.span, message)
                .label(format!("{year}年度报告的期限是{first_due}之前"))
                .help(format!(
                    "核对落款日期；{year}年度的报告应于{first_due}之前报送（fzlint explain deadline 说明依据）"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn late_signatures() {
        let f = run(&Deadline, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![5]);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("2025年3月18日") && f[0].message.contains("2025年3月1日"),
            "{}",
            f[0].message
        );
        let later = META.docs.bad.replace("2025年3月18日", "2025年6月2日");
        let f = run(&Deadline, &later);
        assert!(f[0].message.contains("2025年4月1日"), "{}", f[0].message);
    }

    #[test]
    fn on_time_and_on_the_day() {
        assert!(run(&Deadline, META.docs.good).is_empty());
        assert!(run(&Deadline, GOOD).is_empty());
        let on_the_day = META.docs.good.replace("2025年2月18日", "2025年3月1日");
        let f = run(&Deadline, &on_the_day);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        let no_signature = "关于2024年法治政府建设情况的报告\n一、主要举措\n正文。\n";
        assert!(run(&Deadline, no_signature).is_empty());
        let before_2019 = "关于2017年法治政府建设情况的报告\n一、主要举措\n正文。\n某局\n2018年3月20日\n";
        assert!(run(&Deadline, before_2019).is_empty());
        let invalid = META.docs.good.replace("2025年2月18日", "2025年2月30日");
        assert!(run(&Deadline, &invalid).is_empty());
    }

    #[test]
    fn provinces_report_by_the_first_of_april() {
        let text = "陕西省人民政府关于2025年法治政府建设情况的报告\n一、主要举措和成效\n全年制定地方性法规草案5件。\n陕西省人民政府\n2026年3月10日\n";
        assert!(run(&Deadline, text).is_empty());
    }
}
