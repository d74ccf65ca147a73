use crate::finding::{Finding, Severity};
use crate::lazy_regex::LazyRegex;
use crate::reference::Status;
use crate::rules::consistency::scan::{self, title_name, Unit, UnitSearch};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct Anachronism;

static META: RuleMeta = RuleMeta {
    id: "anachronism",
    category: Category::Consistency,
    severity: Severity::Error,
    fixable: false,
    summary: "提到报告时尚未发生的会议、活动或法律，或把已结束的规划期当作当前",
    docs: Docs {
        what: "把正文提到的会议、学习教育活动和新法律（rules/events.toml、rules/laws.toml，均注明来源）的日期与报告的时间比较：有落款日期时以落款日期为准，否则以报告年度次年3月31日为准。报告时尚未召开的会议（2024年度报告中的“二十届四中全会”，该会2025年10月20日召开）、尚未通过的法律都不可能已经学习贯彻。规划期已结束的规划（“八五”普法、“十四五”、《法治政府建设实施纲要（2021—2025年）》）在之后年度的报告中被当作当前任务落实时也提示；“总结”“收官”“谋划”等回顾或衔接的说法不提示，“迎接党的二十大”之类的前瞻说法也不提示。",
        why: "这类错误几乎都来自套用别人或以后的材料，或把年份写错；审核机关一眼就能看出，报告的可信度随之受损。",
        bad: "某区医疗保障局关于2023年法治政府建设情况的报告\n一、主要举措和成效\n全局深入学习贯彻党的二十大和二十届三中全会精神。\n",
        good: "某区医疗保障局关于2023年法治政府建设情况的报告\n一、主要举措和成效\n全局深入学习贯彻党的二十大和二十届二中全会精神。\n",
        basis: "事件日期见 rules/events.toml 与 rules/laws.toml 中每行的 source（新华社等公开报道、法律文本）；年度报告报告的是“上一年度”的情况（《法治政府建设与责任落实督察工作规定》，厅字〔2019〕28号）。",
    },
};

impl Rule for Anachronism {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some((day, signed)) = scan::reference_day(cx) else {
            return;
        };
        let year = cx.facts.report_year;
        let basis = if signed {
            format!("落款日期{day}")
        } else {
            format!("报告的时间（没有落款日期，按次年第一季度末{day}计）")
        };
        let r = &cx.kb.reference;
        let body = scan::body_text(cx);
        let mut events: Vec<_> = r
            .events
            .iter()
            .filter(|e| e.date > day)
            .map(|e| (e, searches(cx, &e.patterns)))
            .filter(|(_, p)| !p.is_empty())
            .collect();
        let mut programmes: Vec<_> = r
            .programmes
            .iter()
            .filter(|p| year.is_some_and(|y| p.end < y))
            .map(|p| (p, searches(cx, &p.patterns)))
            .filter(|(_, p)| !p.is_empty())
            .collect();
        let titles = scan::body_titles(cx);
        for (k, u) in scan::body_units(cx).iter().enumerate() {
            for (e, searches) in &mut events {
                for s in searches.iter_mut() {
                    for m in s.find_iter(k, &u.text, body) {
                        if forward_looking(u, m.range(), &r.future_markers) {
                            continue;
                        }
                        let what = e.what.clone().unwrap_or_else(|| format!("{}于{}召开", e.name, e.when));
                        push(
                            out,
                            u,
                            m.range(),
                            e.status,
                            format!("提到“{}”，但{what}，晚于{basis}", m.as_str()),
                        );
                    }
                }
            }
            for (_, range) in scan::titles_in(titles, k) {
                let name = title_name(&u.text, range);
                for law in r.laws.iter().filter(|law| law.is_cited_as(name)) {
                    let (Some(adopted), Some(when)) = (law.adopted, &law.adopted_when) else {
                        continue;
                    };
                    if adopted <= day {
                        continue;
                    }
                    let after = scan::chars_after(&u.text, range.end, 6);
                    if r.draft_after.iter().any(|w| after.starts_with(w.as_str()))
                        || forward_looking(u, range.clone(), &r.future_markers)
                    {
                        continue;
                    }
                    let written = &u.text[range.clone()];
                    push(
                        out,
                        u,
                        range.clone(),
                        law.status,
                        format!("引用了{written}，但该法{when}才通过，晚于{basis}"),
                    );
                }
            }
            let Some(year) = year else { continue };
            for (p, searches) in &mut programmes {
                for s in searches.iter_mut() {
                    for m in s.find_iter(k, &u.text, body) {
                        let s = &u.text[scan::sentence(&u.text, m.range())];
                        if r.past_markers.iter().any(|w| s.contains(w.as_str())) {
                            continue;
                        }
                        push(
                            out,
                            u,
                            m.range(),
                            p.status,
                            format!(
                                "{}的规划期是{}—{}年，{year}年度的报告仍把它当作当前任务（“{}”）",
                                p.name,
                                p.start,
                                p.end,
                                m.as_str()
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn searches<'a>(cx: &Context, patterns: &'a [LazyRegex]) -> Vec<UnitSearch<'a>> {
    patterns
        .iter()
        .map(|p| UnitSearch::new(cx, p))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A clause that looks forward to the event (迎接党的二十大) speaks of no anachronism.
fn forward_looking(u: &Unit, r: std::ops::Range<usize>, markers: &[String]) -> bool {
    let c = &u.text[scan::clause(&u.text, r)];
    markers.iter().any(|w| c.contains(w.as_str()))
}

fn push(out: &mut Vec<Finding>, u: &Unit, r: std::ops::Range<usize>, status: Status, message: String) {
    let severity = if status.is_verified() {
        META.severity
    } else {
        Severity::Warning
    };
    let unverified = if status.is_verified() {
        ""
    } else {
        "（该日期未经核实）"
    };
    out.push(
        Finding::new(META.id, severity, u.span(r), format!("{message}{unverified}"))
            .label("报告时尚未发生或已结束")
            .help("核对报告年度和所引用的会议、活动、规划：改为报告时已召开、仍有效的提法"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn events_after_the_report() {
        let f = run(&Anachronism, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3]);
        let m = &f[0].message;
        assert!(
            m.contains("二十届三中全会") && m.contains("2024年7月15日") && m.contains("2024年3月31日"),
            "{m}"
        );
        assert!(run(&Anachronism, META.docs.good).is_empty());
        assert!(run(&Anachronism, GOOD).is_empty());
    }

    #[test]
    fn the_signature_date_decides() {
        // 二十届三中全会 (2024-07) in a 2024 report is fine; 四中全会 (2025-10) is not.
        let text = "某县应急管理局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n深入学习党的二十大、二十届三中全会精神。\n二、2025年工作安排\n认真学习贯彻二十届四中全会精神。\n某县应急管理局\n2025年1月10日\n";
        let f = run(&Anachronism, text);
        assert_eq!(lines(text, &f), vec![5]);
        assert!(f[0].message.contains("2025年1月10日"), "{}", f[0].message);
        // A 2025 report signed in March 2026 may mention the 2026 学习教育.
        let text = "某县应急管理局关于2025年法治政府建设情况的报告\n一、主要举措和成效\n扎实开展树立和践行正确政绩观学习教育。\n某县应急管理局\n2026年3月10日\n";
        assert!(run(&Anachronism, text).is_empty());
    }

    #[test]
    fn plenums_in_an_abbreviated_list() {
        let text = "关于2023年法治政府建设情况的报告\n一、主要举措\n学习贯彻党的二十届二中、三中全会精神。\n";
        let f = run(&Anachronism, text);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("党的二十届三中全会于2024年7月15日召开"),
            "{}",
            f[0].message
        );
        let ok = "关于2024年法治政府建设情况的报告\n一、主要举措\n学习贯彻党的二十届二中、三中全会精神。\n";
        assert!(run(&Anachronism, ok).is_empty());
    }

    #[test]
    fn forward_looking_mentions_and_drafts() {
        let text = "关于2021年法治政府建设情况的报告\n一、主要举措\n以优异成绩迎接党的二十大胜利召开。参与《法治宣传教育法（草案）》意见征集。\n";
        assert!(run(&Anachronism, text).is_empty());
        let text = "关于2021年法治政府建设情况的报告\n一、主要举措\n学习宣传《法治宣传教育法》。\n";
        let f = run(&Anachronism, text);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("2025年9月才通过"), "{}", f[0].message);
    }

    #[test]
    fn ended_programmes_named_as_current() {
        let text = "关于2026年法治政府建设情况的报告\n一、主要举措\n持续落实“八五”普法规划，深入实施《法治政府建设实施纲要（2021—2025年）》。\n二、2027年工作安排\n做好“八五”普法总结验收，谋划“十五五”时期法治政府建设。\n";
        let f = run(&Anachronism, text);
        assert_eq!(lines(text, &f), vec![3, 3]);
        assert!(
            f[0].message.contains("2021—2025年") && f[0].message.contains("2026年"),
            "{}",
            f[0].message
        );
        let in_time = text
            .replace("2026年法治", "2025年法治")
            .replace("2027年工作", "2026年工作");
        assert!(run(&Anachronism, &in_time).is_empty());
    }

    #[test]
    fn unverified_dates_are_warnings() {
        let text = "关于2025年法治政府建设情况的报告\n一、主要举措\n学习二十届五中全会精神。\n某局\n2026年1月5日\n";
        let f = run(&Anachronism, text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
    }
}
