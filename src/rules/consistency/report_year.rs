use crate::finding::{Finding, Severity};
use crate::rules::consistency::scan;
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

pub struct ReportYear;

static META: RuleMeta = RuleMeta {
    id: "report-year",
    category: Category::Consistency,
    severity: Severity::Warning,
    fixable: false,
    summary: "标题的年份与正文报告的年度不一致",
    docs: Docs {
        what: "把标题中的年份与正文所报告的年度比较：正文以“2024年，我局……”“2024年共……”开头的叙述、下一年度安排的年份（应为报告年度加一）、落款日期（通常在报告年度的次年年初）。多数依据指向同一年而标题写的是另一年时提示。落款日期早于报告年度结束（2025年度的报告落款为2025年1月）时也提示。",
        why: "套用上一年的报告时，标题、正文和落款的年份最容易漏改一处；年份不一致的报告会被退回，公开后也无法按年度检索。",
        bad: "某县水利局关于2023年法治政府建设情况的报告\n2024年，我局深入推进依法行政。\n一、主要举措和成效\n2024年，我局制定规范性文件2件。2024年共办理行政许可56件。\n二、2025年工作安排\n加强执法队伍建设。\n",
        good: "某县水利局关于2024年法治政府建设情况的报告\n2024年，我局深入推进依法行政。\n一、主要举措和成效\n2024年，我局制定规范性文件2件。2024年共办理行政许可56件。\n二、2025年工作安排\n加强执法队伍建设。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章：每年报告上一年度推进法治政府建设的情况；报告名称为“关于××××年法治政府建设情况的报告”。",
    },
};

/// Words of a sentence about plans rather than the year reported on.
const FUTURE: &[&str] = &["将", "计划", "拟", "力争", "预计", "争取", "打算"];

/// A year that opens a clause and is not a date or range: `2024年，我局…`,
/// `2024年共办理…`, `2024年度未发生…`. The rule finds these with
/// [`year_statements`]; this is the pattern it is tested against.
#[cfg(test)]
fn year_statement() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?:^|[。；：，,;:\s（(])((?:19|20)\d{2})\s*年度?").expect("year regex"))
}

/// The matches of `(?:^|[。；：，,;:\s（(])((?:19|20)\d{2})\s*年度?` in
/// `text` as (whole match, year) ranges, found from each 年 instead of by
/// running the pattern over all the text. Every match ends with 年 (and 度):
/// before that 年 stand a run of white space, the year's four characters
/// (no digit is white space, so the run is all the white space before 年),
/// and one character of the class or the text's start. Matches at two
/// different 年 cannot overlap (the class holds no digit, 年 or 度), so these
/// are the pattern's leftmost-first matches. A test checks this against the
/// pattern.
#[cfg(test)]
fn year_statements(text: &str) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + '_ {
    year_statements_at(text, nian().find_iter(text.as_bytes()))
}

fn nian() -> &'static memchr::memmem::Finder<'static> {
    static NIAN: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    NIAN.get_or_init(|| memchr::memmem::Finder::new("年".as_bytes()))
}

/// [`year_statements`] given where the 年 of `text` are (ascending).
fn year_statements_at<'a>(
    text: &'a str,
    nians: impl Iterator<Item = usize> + 'a,
) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + 'a {
    nians.filter_map(move |at| {
        let before = &text[..at];
        let year_end = before.trim_end_matches(char::is_whitespace).len();
        let mut back = text[..year_end].char_indices().rev();
        let (d3, d2, d1, d0) = (back.next()?, back.next()?, back.next()?, back.next()?);
        if !matches!((d0.1, d1.1), ('1', '9') | ('2', '0')) || !is_digit(d2.1) || !is_digit(d3.1) {
            return None;
        }
        let start = match back.next() {
            None => 0,
            Some((i, c))
                if matches!(c, '。' | '；' | '：' | '，' | ',' | ';' | ':' | '（' | '(') || c.is_whitespace() =>
            {
                i
            }
            Some(_) => return None,
        };
        let mut end = at + '年'.len_utf8();
        if text[end..].starts_with('度') {
            end += '度'.len_utf8();
        }
        Some((start..end, d0.0..year_end))
    })
}

/// `\d` of the pattern: a decimal digit of any script (Unicode Nd).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let mut buf = [0u8; 4];
    RE.get_or_init(|| Regex::new(r"^\d$").expect("digit regex"))
        .is_match(c.encode_utf8(&mut buf))
}

impl Rule for ReportYear {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(title) = &cx.facts.title else { return };
        let (Some(title_year), Some(title_span)) = (title.year, title.year_span) else {
            return;
        };
        let plan = scan::plan_start(cx);
        let mut counts: Vec<(u32, usize, String)> = Vec::new();
        // Every 年 of the body, found in one search, by unit.
        let nians = scan::body_occurrences(cx, nian());
        let units = scan::body_units(cx);
        for (k, u) in units.iter().enumerate() {
            if plan.is_some_and(|p| u.first_line >= p) {
                continue;
            }
            let lo = nians.partition_point(|&(j, _)| j < k);
            let hi = lo + nians[lo..].partition_point(|&(j, _)| j <= k);
            for (whole, m) in year_statements_at(&u.text, nians[lo..hi].iter().map(|&(_, at)| at)) {
                let after = &u.text[whole.end..];
                if after.starts_with(['月', '—', '-', '－', '～', '~', '至', '到', '以', '之', '前', '起'])
                    || scan::inside_title_marks(&u.text, m.start)
                {
                    continue;
                }
                // `2025年，我局将……` speaks of the plan, not of the year reported on.
                let s = &u.text[scan::sentence(&u.text, m.clone())];
                if FUTURE.iter().any(|w| s.contains(w)) {
                    continue;
                }
                let Ok(y) = u.text[m.clone()].parse::<u32>() else {
                    continue;
                };
                match counts.iter_mut().find(|(v, _, _)| *v == y) {
                    Some((_, n, _)) => *n += 1,
                    None => counts.push((y, 1, u.text[m.start..].chars().take(12).collect())),
                }
            }
        }
        let plan_year = plan_year(cx);
        let sig = cx.facts.signature.as_ref().map(|s| s.date);
        let sig_year = sig.and_then(|d| match d.month {
            1..=6 => d.year.checked_sub(1),
            11 | 12 => Some(d.year),
            _ => None,
        });
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        let of = |y: u32| counts.iter().find(|c| c.0 == y).map_or(0, |c| c.1);
        let body = counts.first().filter(|c| c.0 != title_year).cloned();
        let mut evidence = Vec::new();
        let mut body_year = None;
        if let Some((y, n, quote)) = &body {
            let plan_agrees = plan_year == Some(y + 1);
            let sig_agrees = sig_year == Some(*y);
            if (*n >= 2 && of(title_year) == 0) || plan_agrees || sig_agrees {
                body_year = Some(*y);
                evidence.push(format!("正文有{n}处以“{y}年”开头的叙述（如“{quote}…”）"));
                if plan_agrees {
                    evidence.push(format!("下一年度安排写的是{}年", y + 1));
                }
                if let (true, Some(d)) = (sig_agrees, sig) {
                    evidence.push(format!("落款日期是{}年{}月{}日", d.year, d.month, d.day));
                }
            }
        } else if of(title_year) == 0 {
            // No year statements: the plan year and the signature together.
            if let (Some(p), Some(s), Some(d)) = (plan_year, sig_year, sig) {
                if p == s + 1 && s != title_year {
                    body_year = Some(s);
                    evidence.push(format!("下一年度安排写的是{p}年"));
                    evidence.push(format!("落款日期是{}年{}月{}日", d.year, d.month, d.day));
                }
            }
        }
        if let Some(y) = body_year {
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    title_span,
                    format!("标题写的是{title_year}年，正文报告的是{y}年：{}", evidence.join("；")),
                )
                .label(format!("正文报告的是{y}年"))
                .help(format!(
                    "核对报告年度：标题应写正文所报告的年度（{y}年），或把正文中的年份改为{title_year}年"
                )),
            );
            return;
        }
        // The signature before the report year is over: a year typed wrong.
        if let (Some(s), Some(year)) = (&cx.facts.signature, cx.facts.report_year) {
            let d = s.date;
            if d.year < year || (d.year == year && d.month <= 6) {
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        d.span,
                        format!(
                            "落款日期{}年{}月{}日早于报告年度{year}年结束，年份可能写错（报告一般在{}年年初落款）",
                            d.year,
                            d.month,
                            d.day,
                            year + 1
                        ),
                    )
                    .label(format!("报告年度是{year}年"))
                    .help(format!(
                        "核对落款日期的年份，例如改为{}年{}月{}日",
                        year + 1,
                        d.month,
                        d.day
                    )),
                );
            }
        }
    }
}

/// The year named in the next-year plan's heading.
fn plan_year(cx: &Context) -> Option<u32> {
    let plan = cx.facts.part("next-year-plan").filter(|p| p.as_heading)?;
    let text = cx.doc.slice(Span::new(plan.span.start, plan.span.end));
    let (whole, year) = first_year(text)?;
    let after = &text[whole.end..];
    let before = text[..year.start].chars().next_back();
    if after.starts_with(['—', '-', '－', '～', '至']) || matches!(before, Some('—' | '-' | '－' | '～' | '至'))
    {
        return None;
    }
    text[year].parse().ok()
}

/// The first match of `((?:19|20)\d{2})\s*年` in `text`, as (whole match,
/// year) ranges, found from each 年 in turn: before a 年 stand a run of
/// white space and the year's four characters (no digit is white space),
/// and a match at an earlier 年 starts earlier (no match holds a 年 before
/// its own). A test checks this against the pattern.
fn first_year(text: &str) -> Option<(Range<usize>, Range<usize>)> {
    text.match_indices('年').find_map(|(at, _)| {
        let year_end = text[..at].trim_end_matches(char::is_whitespace).len();
        let mut back = text[..year_end].char_indices().rev();
        let (d3, d2, d1, d0) = (back.next()?, back.next()?, back.next()?, back.next()?);
        if !matches!((d0.1, d1.1), ('1', '9') | ('2', '0')) || !is_digit(d2.1) || !is_digit(d3.1) {
            return None;
        }
        Some((d0.0..at + '年'.len_utf8(), d0.0..year_end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    fn by_pattern(t: &str) -> Vec<(Range<usize>, Range<usize>)> {
        year_statement()
            .captures_iter(t)
            .map(|c| (c.get(0).expect("match").range(), c.get(1).expect("year").range()))
            .collect()
    }

    #[test]
    fn the_scan_finds_what_the_pattern_finds() {
        let texts = [
            "2024年，全局",
            "一是，2023年度共办理",
            "（2022 年）以来",
            "截至２０２４年底，（１９９９年）",
            "\u{3000}2025年度　2019年",
            "共20245年，1999年",
            "20２４年度，(19９９年",
            "2024\n年，19٣٤ 年度，2020年2021年 2022年",
            "年2024年",
            "，2024年度度",
        ];
        for t in texts {
            let ours: Vec<_> = year_statements(t).collect();
            assert_eq!(ours, by_pattern(t), "{t}");
        }
        assert_eq!(year_statements("2024年，我局").count(), 1);
    }

    proptest::proptest! {
        #[test]
        fn the_scan_equals_the_pattern(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "2024", "1999", "2019", "19", "20", "0", "9", "２", "٣", "年", "度", " ", "\u{3000}", "\n", "，", ",",
            "(", "（", "：", "a", "我", "。", "月",
        ]), 0..14)) {
            let t = pieces.concat();
            let ours: Vec<_> = year_statements(&t).collect();
            proptest::prop_assert_eq!(ours, by_pattern(&t));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_first_year_is_the_patterns_first_match(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "2024", "1999", "2019", "19", "20", "0", "9", "２", "٣", "年", "度", " ", "\u{3000}", "\n", "—", "至",
            "a", "我",
        ]), 0..14)) {
            static RE: OnceLock<Regex> = OnceLock::new();
            let re = RE.get_or_init(|| Regex::new(r"((?:19|20)\d{2})\s*年").expect("year regex"));
            let t = pieces.concat();
            let by_pattern = re.captures(&t).map(|c| (c.get(0).unwrap().range(), c.get(1).unwrap().range()));
            proptest::prop_assert_eq!(first_year(&t), by_pattern);
        }
    }

    #[test]
    fn title_year_against_body_statements() {
        let f = run(&ReportYear, META.docs.bad);
        assert_eq!(f.len(), 1);
        assert_eq!(lines(META.docs.bad, &f), vec![1]);
        let m = &f[0].message;
        assert!(
            m.contains("2023年") && m.contains("2024年") && m.contains("2025年"),
            "{m}"
        );
        assert!(run(&ReportYear, META.docs.good).is_empty());
        assert!(run(&ReportYear, GOOD).is_empty());
    }

    #[test]
    fn signature_and_plan_agree_against_the_title() {
        let text = "某区司法局关于2022年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政复议案件12件。\n二、2024年工作计划\n加强培训。\n某区司法局\n2024年1月15日\n";
        let f = run(&ReportYear, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("2024年1月15日"), "{}", f[0].message);
    }

    #[test]
    fn earlier_years_and_dates_in_the_body_are_not_the_report_year() {
        let text = "某市生态环境局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n2024年，我局推进依法行政。自2019年以来持续开展执法监督，2023年1月起实行清单管理。2022年至2024年累计办案300件。对照《2023年普法工作要点》，2024年完成全部任务。\n二、2025年工作安排\n2025年，我局将继续推进。\n某市生态环境局\n2025年2月10日\n";
        assert!(run(&ReportYear, text).is_empty());
    }

    #[test]
    fn plans_without_a_plan_heading_are_not_the_report_year() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政许可120件。\n二、其他需要报告的情况\n2025年，我局将继续深化改革。2025年，计划开展培训4次。\n";
        assert!(run(&ReportYear, text).is_empty());
    }

    #[test]
    fn a_single_stray_year_is_not_enough() {
        let text =
            "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n2023年，我局被评为先进单位，全年办理案件30件。\n";
        assert!(run(&ReportYear, text).is_empty());
    }

    #[test]
    fn signature_before_the_year_is_over() {
        let text = "某县教育局关于2025年法治政府建设情况的报告\n一、主要举措和成效\n2025年，我局制定制度3项。\n某县教育局\n2025年1月8日\n";
        let f = run(&ReportYear, text);
        assert_eq!(lines(text, &f), vec![5]);
        assert!(f[0].message.contains("2025年1月8日"), "{}", f[0].message);
        let ok = text.replace("2025年1月8日", "2026年1月8日");
        assert!(run(&ReportYear, &ok).is_empty());
        let december = text.replace("2025年1月8日", "2025年12月28日");
        assert!(run(&ReportYear, &december).is_empty());
    }
}
