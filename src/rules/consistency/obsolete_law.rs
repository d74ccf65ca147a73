use crate::finding::{Finding, Severity};
use crate::reference::{Date, Reference};
use crate::rules::consistency::scan::{self, title_name, Unit};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use regex::Regex;
use std::sync::OnceLock;

pub struct ObsoleteLaw;

static META: RuleMeta = RuleMeta {
    id: "obsolete-law",
    category: Category::Consistency,
    severity: Severity::Error,
    fixable: true,
    summary: "引用的法律法规在报告年度已被废止、替代或更名",
    docs: Docs {
        what: "把正文中书名号内的法律法规名称（带不带“中华人民共和国”均可）与 rules/laws.toml 比较：报告年度开始前已被替代或废止的名称（《执业医师法》自2022年3月1日起由《医师法》取代；《合同法》《物权法》《侵权责任法》等自2021年1月1日起由《民法典》取代；《人体器官移植条例》《法规规章备案条例》等）报错误；在报告年度当中才失效的报警告。写明是历史情况的不提示：“原《执业医师法》”“《执业医师法》（已废止）”“由《执业医师法》修订为《医师法》”，以及同一分句写明了失效之前年份的引用。自动修复只用于一对一的更名（《执业医师法》→《医师法》），且同一句中尚未引用新名称；并入《民法典》的法律需要改写句子，不自动修复。",
        why: "报告列举学习宣传、执法依据的法律时照抄旧清单，会把已废止的法律当作现行法律，说明学法清单多年未更新，执法依据也可能有误。",
        bad: "某县卫生健康局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n组织学习《执业医师法》《护士条例》等法律法规。\n",
        good: "某县卫生健康局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n组织学习《医师法》《护士条例》等法律法规。\n",
        basis: "各法律法规的施行、废止条款，见 rules/laws.toml 每行的 source：如《中华人民共和国医师法》第六十七条（2022年3月1日起施行，《中华人民共和国执业医师法》同时废止）、《中华人民共和国民法典》第一千二百六十条。",
    },
};

impl Rule for ObsoleteLaw {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(year) = cx.facts.report_year else { return };
        let r = &cx.kb.reference;
        let year_start = Date::new(year, 1, 1);
        let year_end = Date::new(year, 12, 31);
        let titles = scan::body_titles(cx);
        for (k, u) in scan::body_units(cx).iter().enumerate() {
            for (_, range) in scan::titles_in(titles, k) {
                let (range, name) = (range.clone(), title_name(&u.text, range));
                for law in r.laws.iter().filter(|law| law.is_cited_as(name)) {
                    let (Some(from), Some(new)) = (law.obsolete_from, &law.replaced_by) else {
                        continue;
                    };
                    if from > year_end {
                        continue;
                    }
                    let written = &u.text[range.clone()];
                    if historical(u, range.clone(), from, r) {
                        continue;
                    }
                    let whole_year = from <= year_start;
                    let severity = if whole_year && law.status.is_verified() {
                        META.severity
                    } else {
                        Severity::Warning
                    };
                    let when = if whole_year {
                        format!("{from}起已由《{new}》取代，报告年度{year}年引用的应是《{new}》")
                    } else {
                        format!("{from}起由《{new}》取代，报告年度{year}年内已失效")
                    };
                    let unverified = if law.status.is_verified() {
                        ""
                    } else {
                        "（失效日期未经核实）"
                    };
                    let replacement = if written.contains("中华人民共和国") {
                        format!("《中华人民共和国{new}》")
                    } else {
                        format!("《{new}》")
                    };
                    let mut f = Finding::new(
                        META.id,
                        severity,
                        u.span(range.clone()),
                        format!("{}{when}{unverified}", written),
                    )
                    .label(format!("应为{replacement}"))
                    .help(if law.note.is_empty() {
                        format!("改为{replacement}")
                    } else {
                        format!("改为{replacement}（{}）", law.note)
                    });
                    // A fix only for a one-to-one rename (《合同法》 became part of
                    // 《民法典》: the sentence needs rewording) and where the
                    // new name is not cited next to it already.
                    let one_to_one = r.laws.iter().filter(|l| l.replaced_by.as_ref() == Some(new)).count() == 1;
                    let sentence = &u.text[scan::sentence(&u.text, range.clone())];
                    let cited = sentence.contains(&format!("《{new}》")) || sentence.contains(&format!("国{new}》"));
                    let one_line = u.span(range.clone()).len() == range.len();
                    if whole_year && law.status.is_verified() && one_to_one && !cited && one_line {
                        f = f.fix(u.span(range.clone()), replacement);
                    }
                    out.push(f);
                }
            }
        }
    }
}

fn year_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("year regex"))
}

/// A citation marked as history: 原《…》, 《…》（已废止）, 由《…》修订为《…》,
/// or a clause dated before the name went out of force.
fn historical(u: &Unit, r: std::ops::Range<usize>, from: Date, refs: &Reference) -> bool {
    let before = scan::chars_before(&u.text, r.start, 6);
    if refs.historical_before.iter().any(|w| before.ends_with(w.as_str())) {
        return true;
    }
    let clause = scan::clause(&u.text, r.clone());
    let after = &u.text[r.end..clause.end.max(r.end)];
    let after: String = after.chars().take(14).collect();
    if refs.historical_after.iter().any(|w| after.contains(w.as_str())) {
        return true;
    }
    year_regex()
        .captures_iter(&u.text[clause])
        .filter_map(|c| c.get(1)?.as_str().parse::<u32>().ok())
        .any(|y| y < from.year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn renamed_law_in_a_later_report() {
        let f = run(&ObsoleteLaw, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3]);
        let m = &f[0].message;
        assert!(
            m.contains("《执业医师法》") && m.contains("2022年3月1日") && m.contains("2024年"),
            "{m}"
        );
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.replacement, "《医师法》");
        assert!(run(&ObsoleteLaw, META.docs.good).is_empty());
        assert!(run(&ObsoleteLaw, GOOD).is_empty());
    }

    #[test]
    fn full_names_and_civil_code_laws() {
        let text = "关于2023年法治政府建设情况的报告\n一、主要举措\n宣传《中华人民共和国执业医师法》《医师法》，依据《合同法》审查合同。\n";
        let f = run(&ObsoleteLaw, text);
        assert_eq!(f.len(), 2);
        // 《医师法》 is cited next to it already: no automatic fix.
        assert!(f[0].fix.is_none());
        assert!(f[1].message.contains("《民法典》") && f[1].message.contains("2021年1月1日"));
        assert!(f[1].fix.is_none(), "many laws went into 《民法典》: no automatic fix");
        let alone = "关于2023年法治政府建设情况的报告\n一、主要举措\n宣传《中华人民共和国执业医师法》。\n";
        let f = run(&ObsoleteLaw, alone);
        assert_eq!(f[0].fix.as_ref().unwrap().replacement, "《中华人民共和国医师法》");
    }

    #[test]
    fn replaced_during_the_report_year_is_a_warning() {
        let text = "关于2022年法治政府建设情况的报告\n一、主要举措\n组织学习《执业医师法》。\n";
        let f = run(&ObsoleteLaw, text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].fix.is_none());
        let before = "关于2021年法治政府建设情况的报告\n一、主要举措\n组织学习《执业医师法》。\n";
        assert!(run(&ObsoleteLaw, before).is_empty());
    }

    #[test]
    fn historical_mentions_are_fine() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措\n对照原《执业医师法》梳理变化；《执业医师法》已废止，统一适用《医师法》；从《执业医师法》到《医师法》的修订要点；2021年依据《执业医师法》作出的处罚已全部执行完毕；学习《劳动合同法》《人体器官捐献和移植条例》《法规规章备案审查条例》。\n";
        assert!(run(&ObsoleteLaw, text).is_empty(), "{:?}", run(&ObsoleteLaw, text));
    }
}
