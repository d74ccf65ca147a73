use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;
use regex::Regex;
use std::sync::OnceLock;

pub struct PlanYear;

static META: RuleMeta = RuleMeta {
    id: "plan-year",
    category: Category::Structure,
    severity: Severity::Warning,
    fixable: false,
    summary: "下一年度安排写的年份不是报告年度的下一年",
    docs: Docs {
        what: "检查“下一年度主要安排”部分的标题及其开头一句中写明的年份，应为报告年度加一（2024年度的报告写2025年的安排）。",
        why: "套用往年报告时，安排部分的年份最容易漏改；年份写错会让整份报告的年度存疑。",
        bad: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、2024年工作安排\n加强执法队伍建设。\n",
        good: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、2025年工作安排\n加强执法队伍建设。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章：年度报告应当包括“下一年度推进法治政府建设的主要安排”。",
    },
};

fn year_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?:19|20)\d{2}\s*年").expect("year regex"))
}

impl Rule for PlanYear {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let (Some(year), Some(plan)) = (cx.facts.report_year, cx.facts.part("next-year-plan")) else {
            return;
        };
        if !plan.as_heading {
            return;
        }
        let expected = year + 1;
        // The plan's year is stated in its heading, or else in the sentence
        // that opens the part (`2026年，我委将……`).
        let heading_text = doc.slice(plan.span);
        let shared = cx.facts.parts.iter().flatten().filter(|p| p.line == plan.line).count() > 1;
        let (text, base) = if year_re().is_match(heading_text) {
            (heading_text, plan.span.start)
        } else {
            match opening_sentence(cx, plan.extent.clone(), shared) {
                Some(span) => (doc.slice(span), span.start),
                None => return,
            }
        };
        let Some(whole) = year_re().find(text) else { return };
        // The year is the match without its `\s*年` (`find` needs no capture
        // engine; a digit is never white space).
        let year_len = whole.as_str().strip_suffix('年').unwrap_or_default().trim_end().len();
        let m = Span::new(whole.start(), whole.start() + year_len);
        // A range (`2021—2025年`) is a programme period, not the plan's year.
        let after = &text[whole.end()..];
        let before = text[..m.start].chars().last();
        if matches!(before, Some('—' | '-' | '－' | '～' | '至')) || after.starts_with(['—', '-', '－', '～', '至'])
        {
            return;
        }
        let Ok(found) = text[m.start..m.end].parse::<u32>() else {
            return;
        };
        if found != expected {
            let span = Span::new(base + m.start, base + m.end);
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    span,
                    format!("下一年度安排写的是{found}年，报告年度是{year}年，应为{expected}年"),
                )
                .label(format!("应为{expected}"))
                .help(format!(
                    "把安排部分的年份改为{expected}年；如果报告年度识别有误，用 --year 指定"
                )),
            );
        }
    }
}

/// The first sentence of the plan part when it states a year at its start.
fn opening_sentence(cx: &Context, extent: std::ops::Range<usize>, shared: bool) -> Option<Span> {
    let doc = cx.doc;
    let re = year_re();
    for l in extent.skip(1).take(if shared { 12 } else { 2 }) {
        if !cx.facts.in_body(l) {
            continue;
        }
        let c = doc.lines[l].content;
        let t = doc.slice(c);
        // Only a year that opens the sentence speaks for the plan as a whole.
        if let Some(m) = re.find(t) {
            let lead = &t[..m.start()];
            if lead.chars().count() <= 2 && ['将', '要'].iter().any(|c| t[m.end()..].contains(*c))
                || t[m.end()..].contains("计划")
            {
                return Some(Span::new(
                    c.start,
                    c.start + t.find(['。', '：', ':']).unwrap_or(t.len()),
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn wrong_year_in_heading() {
        let f = run(&PlanYear, META.docs.bad);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("2024年") && f[0].message.contains("2025年"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn year_in_the_opening_sentence_of_a_shared_part() {
        let text = "关于2025年法治政府建设情况的报告\n一、主要举措\n正文。\n三、存在的问题及工作计划\n仍存在四方面不足：\n1.力量不足。\n2025年，我委将坚持问题导向，重点抓好四项工作：\n";
        let f = run(&PlanYear, text);
        assert_eq!(f.len(), 1);
        let ok = text.replace("2025年，我委将", "2026年，我委将");
        assert!(run(&PlanYear, &ok).is_empty());
    }

    #[test]
    fn no_year_or_programme_ranges_are_silent() {
        let text =
            "关于2024年法治政府建设情况的报告\n一、主要举措\n正文。\n二、下一步打算\n落实纲要（2021—2025年）。\n";
        assert!(run(&PlanYear, text).is_empty());
    }

    #[test]
    fn the_year_is_marked_without_its_spaces_and_wide_digits_are_left_alone() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措\n正文。\n二、2024 年工作计划\n继续推进。\n";
        let f = run(&PlanYear, text);
        assert_eq!(f.len(), 1);
        assert_eq!(&text[f[0].span.start..f[0].span.end], "2024");
        // A year in full-width digits is not read as a year (as before).
        let wide = text.replace("2024 年工作", "20２４年工作");
        assert!(run(&PlanYear, &wide).is_empty());
    }
}
