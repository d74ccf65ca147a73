use crate::finding::{Finding, Severity};
use crate::reference::{days_in_month, Date};
use crate::rules::consistency::scan;
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct DateInvalid;

static META: RuleMeta = RuleMeta {
    id: "date-invalid",
    category: Category::Consistency,
    severity: Severity::Error,
    fixable: false,
    summary: "不存在的日期，或记述已完成的事项却写了落款日期之后的日期",
    docs: Docs {
        what: "检查正文、标题和落款中的日期：月份不在1—12之间、日子超过当月天数（2月30日、4月31日；闰年才有2月29日）的日期不存在。报告有落款日期时，还检查记述已完成事项的日期：写明年份、晚于落款日期、又不在下一年度安排部分、也没有“将”“计划”“起施行”等表示将来的词，说明日期写错了。",
        why: "日期笔误（4月31日）或年份写错的日期会让记述的事实失去可信度，审核机关会逐一核对。",
        bad: "某县卫生健康局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n2024年4月31日，召开法治政府建设专题会议。\n某县卫生健康局\n2025年1月20日\n",
        good: "某县卫生健康局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n2024年4月30日，召开法治政府建设专题会议。\n某县卫生健康局\n2025年1月20日\n",
        basis: "GB/T 9704-2012《党政机关公文格式》7.3.5.4：成文日期用阿拉伯数字将年、月、日标全；公文记述的日期应当真实准确。",
    },
};

/// Words that put a date in the future or make it a deadline, not an event.
const FUTURE: &[&str] = &[
    "将", "计划", "预计", "拟", "力争", "争取", "前", "之前", "以前", "起", "施行", "实施", "生效", "截至", "截止",
    "到期", "届时", "期限", "至", "到",
];

impl Rule for DateInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let plan = scan::plan_start(cx);
        let signed = scan::reference_day(cx).filter(|(_, signed)| *signed).map(|(d, _)| d);
        for u in scan::units_holding(cx, |l| !cx.facts.is_chrome(l), '月') {
            for d in scan::dates(&u.text) {
                let span = u.span(d.range.clone());
                let written = &u.text[d.range.clone()];
                if !d.is_valid() {
                    let why = if !(1..=12).contains(&d.month) {
                        format!("没有{}月", d.month)
                    } else {
                        let days = days_in_month(d.year.unwrap_or(2000), d.month);
                        match d.year {
                            Some(y) if d.month == 2 => format!("{y}年2月只有{days}天"),
                            _ => format!("{}月只有{days}天", d.month),
                        }
                    };
                    out.push(
                        Finding::new(META.id, META.severity, span, format!("日期“{written}”不存在：{why}"))
                            .label(why)
                            .help("核对日期，改为实际的年月日"),
                    );
                    continue;
                }
                // A done thing dated after the signature.
                let (Some(sig), Some(year), Some(day)) = (signed, d.year, d.day) else {
                    continue;
                };
                let line = u.line(cx, d.range.start);
                let date = Date::new(year, d.month, day);
                if date <= sig || !cx.facts.in_body(line) || plan.is_some_and(|p| line >= p) {
                    continue;
                }
                let sentence = &u.text[scan::sentence(&u.text, d.range.clone())];
                if FUTURE.iter().any(|w| sentence.contains(w)) || scan::inside_title_marks(&u.text, d.range.start) {
                    continue;
                }
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        span,
                        format!("记述的日期{date}晚于落款日期{sig}"),
                    )
                    .label(format!("晚于落款日期{sig}"))
                    .help("核对日期或落款日期：已完成的事项不会晚于报告落款"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn impossible_days_and_months() {
        let f = run(&DateInvalid, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3]);
        assert!(
            f[0].message.contains("4月31日") && f[0].message.contains("30天"),
            "{}",
            f[0].message
        );
        let text = "一、主要举措\n2023年2月29日印发方案；2月30日开展检查；2024年13月完成评查；二〇二三年九月三十一日召开会议。\n";
        let f = run(&DateInvalid, text);
        let msgs: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("2023年2月只有28天"));
        assert!(msgs[2].contains("没有13月"));
    }

    #[test]
    fn real_dates_are_fine() {
        assert!(run(&DateInvalid, META.docs.good).is_empty());
        assert!(run(&DateInvalid, GOOD).is_empty());
        let text = "一、主要举措\n2024年2月29日印发方案，12月31日前完成清理，5-12月开展专项行动，每年4月1日之前公开报告，对0-6月龄儿童开展随访，3个月内办结。\n";
        assert!(run(&DateInvalid, text).is_empty());
    }

    #[test]
    fn the_signature_date_itself_is_checked() {
        let text = "关于2025年法治政府建设情况的报告\n一、主要举措\n正文。\n某区卫生健康委员会\n2026年2月30日\n";
        let f = run(&DateInvalid, text);
        assert_eq!(lines(text, &f), vec![5]);
    }

    #[test]
    fn a_done_thing_after_the_signature() {
        let text = "某区司法局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n2025年3月5日，召开全区行政执法工作会议。《某某条例》自2025年5月1日起施行。\n二、2025年工作安排\n2025年6月10日前完成评查。\n某区司法局\n2025年1月20日\n";
        let f = run(&DateInvalid, text);
        assert_eq!(lines(text, &f), vec![3]);
        assert!(f[0].message.contains("2025年3月5日") && f[0].message.contains("2025年1月20日"));
    }
}
