use crate::finding::{Finding, Severity};
use crate::numerals;
use crate::reference::{Formulation as Row, Numerals};
use crate::rules::consistency::scan::{self, Unit, UnitSearch};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use regex::Captures;

pub struct Formulation;

static META: RuleMeta = RuleMeta {
    id: "formulation",
    category: Category::Consistency,
    severity: Severity::Warning,
    fixable: true,
    summary: "固定的政治、法律表述没有按规范写（规范表述）",
    docs: Docs {
        what: "按 rules/formulations.toml 检查规范表述：该用“法治”处写成“法制”（法制建设、法制宣传、法制培训等；法制审核、重大执法决定法制审核制度、法制工作委员会等专有名称不提示，“述法制度”是述法+制度）；思想名称加书名号（《习近平法治思想》）；“习近平新时代中国特色社会主义思想”等固定表述漏字、错字；届次用阿拉伯数字（20届3中全会、党的20大）；2021年以后的报告仍用2015年纲要的法治政府目标（廉洁高效、守法诚信）；“两个确定”“双随机一公开”等。替换唯一时附自动修复。",
        why: "规范表述是公文的基本要求，写错会被审核机关直接退改；“法制”与“法治”一字之差，含义和时代都不同。",
        bad: "某县交通运输局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n将法制建设纳入年度考核，深入学习习近平新时代中国特色主义思想。\n",
        good: "某县交通运输局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n将法治建设纳入年度考核，深入学习习近平新时代中国特色社会主义思想，落实重大执法决定法制审核制度。\n",
        basis: "《中华人民共和国宪法》2018年修正（“健全社会主义法制”改为“健全社会主义法治”）；GB/T 15834-2011《标点符号用法》（书名号的使用范围）；GB/T 15835-2011《出版物上数字用法》（“十一届全国人大一次会议”不写为“11届全国人大1次会议”）；《法治政府建设实施纲要（2021—2025年）》。每条表述的来源见 rules/formulations.toml。",
    },
};

impl Rule for Formulation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let r = &cx.kb.reference;
        let year = cx.facts.report_year;
        let body = scan::body_text(cx);
        let guards = &cx.kb.guards;
        let maybe = guards
            .formulations
            .candidates(|| r.formulations.iter().map(|row| &row.pattern), body);
        // The rows to run, each on the units that hold its literals. A row
        // counts only when it matches the joined body too, which is tested
        // once a unit gives a match (for most rows no unit does).
        let mut rows: Vec<(&Row, UnitSearch)> = maybe
            .iter()
            .map(|i| &r.formulations[i])
            .filter(|row| row.from_year.is_none_or(|from| year.is_some_and(|y| y >= from)))
            .map(|row| (row, UnitSearch::new(cx, &row.pattern)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let maybe = guards.canonical.candidates(
            || {
                r.canonical
                    .iter()
                    .map(|c| crate::lazy_regex::LazyRegex::unchecked(&regex::escape(anchor(c))))
            },
            body,
        );
        let anchors = guards.canonical_anchors.get_or_init(|| {
            r.canonical
                .iter()
                .map(|c| memchr::memmem::Finder::new(anchor(c).as_bytes()).into_owned())
                .collect()
        });
        // Each expression with the units that hold its first characters.
        let mut canonical: Vec<_> = maybe
            .iter()
            .map(|i| {
                (
                    &r.canonical[i],
                    &anchors[i],
                    scan::units_holding_literal(cx, &anchors[i]),
                    0,
                )
            })
            .filter(|(_, _, units, _)| !units.is_empty())
            .collect();
        for (k, u) in scan::body_units(cx).iter().enumerate() {
            for (row, search) in &mut rows {
                // `is_match` first: most units hold the literals but no
                // match, and finding none costs less than capturing none.
                if !search.visits(k) || !row.pattern.is_match(&u.text) {
                    continue;
                }
                for c in row.pattern.captures_iter(&u.text) {
                    if !search.matches_body(body) {
                        break;
                    }
                    let m = c.get(0).expect("match");
                    if overlaps(&u.text, m.range(), &row.except) {
                        continue;
                    }
                    let replacement = row.replace.as_ref().map(|t| expand(t, &c, row.numerals));
                    push_row(out, u, m.range(), row, replacement, year);
                }
            }
            for (canon, finder, units, next) in &mut canonical {
                if units.get(*next) != Some(&k) {
                    continue;
                }
                *next += 1;
                near_misses(u, canon, finder, out);
            }
        }
    }
}

/// Whether one of `patterns` matches text around `r` and overlaps it.
fn overlaps(text: &str, r: std::ops::Range<usize>, patterns: &[regex::Regex]) -> bool {
    let lo = r.start - scan::chars_before(text, r.start, 12).len();
    let hi = r.end + scan::chars_after(text, r.end, 12).len();
    let window = &text[lo..hi];
    patterns.iter().any(|p| {
        p.find_iter(window)
            .any(|e| lo + e.start() < r.end && lo + e.end() > r.start)
    })
}

fn expand(template: &str, c: &Captures, numerals_: Numerals) -> String {
    let mut out = template.to_string();
    for i in 1..c.len() {
        let value = c.get(i).map_or("", |g| g.as_str());
        let value = match numerals_ {
            Numerals::Chinese => value.parse::<u32>().map_or(value.to_string(), numerals::to_cn),
            Numerals::AsWritten => value.to_string(),
        };
        out = out.replace(&format!("{{{i}}}"), &value);
    }
    out
}

fn push_row(
    out: &mut Vec<Finding>,
    u: &Unit,
    r: std::ops::Range<usize>,
    row: &Row,
    replacement: Option<String>,
    year: Option<u32>,
) {
    let written = &u.text[r.clone()];
    let since = match (row.from_year, year) {
        (Some(_), Some(y)) => format!("（报告年度{y}年）"),
        _ => String::new(),
    };
    let message = match &replacement {
        Some(rep) => format!("{}：“{written}”应为“{rep}”{since}", row.what),
        None => format!("{}：“{written}”{since}", row.what),
    };
    let severity = if row.status.is_verified() {
        META.severity
    } else {
        Severity::Info
    };
    let span = u.span(r.clone());
    let mut f = Finding::new(META.id, severity, span, message)
        .label(
            replacement
                .as_ref()
                .map_or("不规范".to_string(), |rep| format!("应为“{rep}”")),
        )
        .help(row.why.clone());
    // A fix only where the text is on one line and nothing forbids it.
    let one_line = span.len() == r.len();
    if let Some(rep) = replacement {
        if one_line && !overlaps(&u.text, r, &row.no_fix_where) {
            f = f.fix(span, rep);
        }
    }
    out.push(f);
}

/// The first three characters of a fixed expression, which a near miss keeps.
fn anchor(canon: &crate::reference::Canonical) -> &str {
    let end = canon.text.char_indices().nth(3).map_or(canon.text.len(), |(i, _)| i);
    &canon.text[..end]
}

/// A fixed expression with a few characters wrong or missing: the text starts
/// with its first three characters (found by `finder`) and ends with its last
/// two.
fn near_misses(u: &Unit, canon: &crate::reference::Canonical, finder: &memchr::memmem::Finder, out: &mut Vec<Finding>) {
    let Some(first) = finder.find(u.text.as_bytes()) else {
        return;
    };
    let anchor = anchor(canon);
    let want: Vec<char> = canon.text.chars().collect();
    let n = want.len();
    let tail = &want[n - 2..];
    let mut from = first;
    while let Some(pos) = finder.find(&u.text.as_bytes()[from..]) {
        let start = from + pos;
        from = start + anchor.len();
        if u.text[start..].starts_with(canon.text.as_str()) {
            continue;
        }
        let rest: Vec<(usize, char)> = u.text[start..].char_indices().take(n).collect();
        let chars: Vec<char> = rest.iter().map(|&(_, c)| c).collect();
        if chars == want {
            continue;
        }
        let mut best: Option<(usize, usize)> = None;
        for len in (n.saturating_sub(canon.max_distance)..n).rev() {
            if len < 3 || len > chars.len() || chars[len - 2..len] != *tail {
                continue;
            }
            let d = levenshtein(&chars[..len], &want);
            if d >= 1 && d <= canon.max_distance && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, len));
            }
        }
        // A same-length window with substituted characters.
        if chars.len() == n && chars[n - 2..] == *tail {
            let d = levenshtein(&chars, &want);
            if d >= 1 && d <= canon.max_distance && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, n));
            }
        }
        let Some((_, len)) = best else { continue };
        let end = start + rest[..len].iter().map(|&(_, c)| c.len_utf8()).sum::<usize>();
        let written = &u.text[start..end];
        let span = u.span(start..end);
        let severity = if canon.status.is_verified() {
            META.severity
        } else {
            Severity::Info
        };
        let mut f = Finding::new(
            META.id,
            severity,
            span,
            format!("固定表述写错：“{written}”应为“{}”", canon.text),
        )
        .label(format!("应为“{}”", canon.text))
        .help(format!("按规范表述改为“{}”", canon.text));
        if span.len() == end - start {
            f = f.fix(span, canon.text.clone());
        }
        out.push(f);
        from = end;
    }
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run, GOOD};

    #[test]
    fn fazhi_for_fazhi() {
        let f = run(&Formulation, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3, 3]);
        assert_eq!(f[0].fix.as_ref().unwrap().replacement, "法治建设");
        assert!(f[0].message.contains("法制建设") && f[0].message.contains("法治建设"));
        assert_eq!(
            f[1].fix.as_ref().unwrap().replacement,
            "习近平新时代中国特色社会主义思想"
        );
        assert!(run(&Formulation, META.docs.good).is_empty());
        assert!(run(&Formulation, GOOD).is_empty());
    }

    #[test]
    fn valid_uses_of_fazhi_and_other_names() {
        let text = "一、主要举措\n严格执行重大执法决定法制审核制度，重大行政处罚决定由法制审核小组进行法制审核；严格落实现场述法制度；全国人大常委会法制工作委员会到我区调研；加强执法制度建设，依法制定规范性文件。深入学习习近平新时代中国特色社会主义思想主题教育成果、习近平生态文明思想、习近平新时代中国特色社会主义经济思想和习近平法治思想。\n";
        let f = run(&Formulation, text);
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn misspelt_fixed_expressions() {
        for (bad, n) in [
            ("学习习近平新时代中国特色社会主意思想。", 1),
            ("学习习近平新时代中国特社会主义思想。", 1),
            ("学习习近平中国特色社会主义思想。", 1),
            ("学习习近平法制思想。", 1),
            ("学习习近平外交思想。", 0),
        ] {
            let text = format!("一、主要举措\n{bad}\n");
            assert_eq!(run(&Formulation, &text).len(), n, "{bad}");
        }
    }

    #[test]
    fn a_wrong_form_broken_over_two_lines_has_no_fix() {
        let text = "一、主要举措\n组织全系统干部职工认真学习有关规定并将法制\n建设纳入年度考核。\n";
        let f = run(&Formulation, text);
        assert_eq!(lines(text, &f), vec![2]);
        assert_eq!(f[0].span.slice(text), "法制\n建设");
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn a_word_broken_over_two_lines_is_read_whole() {
        let text = "一、主要举措\n组织干部职工深入学习习近平新时代中国特色社会主义思\n想，推动工作落实。\n";
        assert!(run(&Formulation, text).is_empty());
    }

    #[test]
    fn book_title_marks_numerals_and_old_goals() {
        let text = "关于2023年法治政府建设情况的报告\n一、主要举措\n开展《习近平法治思想》学习宣传，学习《习近平法治思想》《宪法》，传达20届2中全会和党的20大精神，努力建成职能科学、权责法定、执法严明、公开公正、廉洁高效、守法诚信的法治政府。\n";
        let f = run(&Formulation, text);
        let fixes: Vec<_> = f
            .iter()
            .map(|f| f.fix.as_ref().map(|x| x.replacement.as_str()))
            .collect();
        assert_eq!(
            fixes,
            vec![
                Some("习近平法治思想"),
                None,
                Some("二十届二中全会"),
                Some("党的二十大"),
                Some("公开公正、智能高效、廉洁诚信、人民满意")
            ]
        );
        let old = text.replace("2023年", "2019年");
        assert_eq!(run(&Formulation, &old).len(), 4);
    }
}
