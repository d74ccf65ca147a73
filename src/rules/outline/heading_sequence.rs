use super::{level_name, marker_like};
use crate::document::{Document, Heading};
use crate::facts::{is_unnumbered_heading, Facts};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct HeadingSequence;

static META: RuleMeta = RuleMeta {
    id: "heading-sequence",
    category: Category::Outline,
    severity: Severity::Error,
    fixable: false,
    summary: "同级标题编号跳号、重复、倒退，或一、二级标题不从“一”开始",
    docs: Docs {
        what: "检查每一级标题的编号是否连续：同一上级标题下的同级编号应依次加一；一级标题应从“一、”开始，每组二级标题应从“（一）”开始。三、四级编号既可在每个上级标题下从1重新编号，也可全文连续编号（如1至28贯穿全文），两种方式都认可，但在所选方式内不得跳号或重复。",
        why: "编号跳号、重复多由增删段落后未重新编号造成，也常常意味着内容在复制或转换中丢失，审核时会被当作文稿错误退回。",
        bad: "一、主要举措和成效\n（一）健全制度体系\n全年制定规范性文件3件。\n（三）严格规范执法\n开展执法检查120次。\n",
        good: "一、主要举措和成效\n（一）健全制度体系\n全年制定规范性文件3件。\n（二）严格规范执法\n开展执法检查120次。\n",
        basis: "GB/T 9704-2012《党政机关公文格式》7.3.3：文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注。",
    },
};

impl Rule for HeadingSequence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let headings: Vec<usize> = (0..doc.headings.len())
            .filter(|&i| cx.facts.in_body(doc.headings[i].line))
            .collect();
        // One level's headings and their runs, kept between levels.
        let (mut members, mut runs) = (Vec::new(), Vec::new());
        for level in 1..=4u8 {
            groups_of(doc, &headings, level, &mut members, &mut runs);
            if runs.is_empty() {
                continue;
            }
            let groups: Vec<&[usize]> = runs.iter().map(|r| &members[r.clone()]).collect();
            let scheme = if level <= 2 {
                Scheme::Restart
            } else {
                choose_scheme(doc, &groups)
            };
            let mut prev_group_last: Option<u32> = None;
            for group in &groups {
                let first = &doc.headings[group[0]];
                let n = first.marker.number;
                let ok_start = match scheme {
                    Scheme::Restart => n == 1,
                    Scheme::Continuous => n == prev_group_last.map_or(1, |l| l + 1),
                    Scheme::Either => n == 1 || prev_group_last.is_some_and(|l| n == l + 1),
                };
                if !ok_start {
                    let expected = match (scheme, prev_group_last) {
                        (Scheme::Continuous, Some(l)) => l + 1,
                        _ => 1,
                    };
                    out.push(bad_start(cx, first, expected, level, scheme, prev_group_last));
                }
                for w in group.windows(2) {
                    let (a, b) = (&doc.headings[w[0]], &doc.headings[w[1]]);
                    if let Some(f) = step(doc, a, b) {
                        out.push(f);
                    }
                }
                prev_group_last = group.last().map(|&i| doc.headings[i].marker.number);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// Numbering restarts at 1 under each parent.
    Restart,
    /// Numbering runs on across parents (1–28 through the whole report).
    Continuous,
    /// The report mixes both; group starts are not judged.
    Either,
}

/// Headings of one level (into `members`, in order), split into runs that
/// share a parent (`runs`, ranges of `members`).
fn groups_of(
    doc: &Document,
    headings: &[usize],
    level: u8,
    members: &mut Vec<usize>,
    runs: &mut Vec<std::ops::Range<usize>>,
) {
    members.clear();
    runs.clear();
    let mut last_parent = None;
    for &i in headings {
        let h = &doc.headings[i];
        if h.level != level {
            continue;
        }
        match runs.last_mut() {
            Some(r) if last_parent == Some(h.parent) => r.end += 1,
            _ => runs.push(members.len()..members.len() + 1),
        }
        members.push(i);
        last_parent = Some(h.parent);
    }
}

fn choose_scheme(doc: &Document, groups: &[&[usize]]) -> Scheme {
    let (mut restart, mut continuous) = (0, 0);
    for w in groups.windows(2) {
        let last = w[0].last().map(|&i| doc.headings[i].marker.number).unwrap_or(0);
        let first = doc.headings[w[1][0]].marker.number;
        if first == 1 {
            restart += 1;
        } else if first == last + 1 {
            continuous += 1;
        }
    }
    match (restart, continuous) {
        (_, 0) => Scheme::Restart,
        (0, _) => Scheme::Continuous,
        (r, c) if c > 2 * r => Scheme::Continuous,
        (r, c) if r > 2 * c => Scheme::Restart,
        _ => Scheme::Either,
    }
}

fn bad_start(cx: &Context, h: &Heading, expected: u32, level: u8, scheme: Scheme, prev: Option<u32>) -> Finding {
    let doc = cx.doc;
    let written = doc.slice(h.marker.span).trim();
    let want = marker_like(h, expected);
    let message = match (scheme, prev) {
        (Scheme::Continuous, Some(l)) => format!(
            "{}全文连续编号，上一组止于{}，这里应为“{}”，写成了“{}”",
            level_name(level),
            marker_like(h, l),
            want,
            written
        ),
        _ if level <= 2 && h.parent.is_none() => {
            format!("{}从“{}”开始，缺少“{}”", level_name(level), written, want)
        }
        _ => format!("这一组{}从“{}”开始，应从“{}”开始", level_name(level), written, want),
    };
    let mut help = format!("检查“{want}”是否漏写或在转换中丢失，并按顺序重新编号");
    if let Some(lost) = lost_heading_before(doc, cx.facts, h, level) {
        help = format!(
            "第{}行“{}”看起来是丢失了编号的标题，补上“{}”；或按顺序重新编号",
            lost + 1,
            doc.line_text(lost),
            want
        );
    }
    Finding::new(META.id, META.severity, h.marker.span, message)
        .label(format!("应为“{want}”"))
        .help(help)
}

/// A short stand-alone line between this heading's parent (or the body
/// start) and the heading: most likely the missing heading itself.
fn lost_heading_before(doc: &Document, facts: &Facts, h: &Heading, level: u8) -> Option<usize> {
    let from = h.parent.map_or(facts.body_start, |p| doc.headings[p].line + 1);
    let candidates: Vec<usize> = (from..h.line)
        .filter(|&l| facts.in_body(l) && is_unnumbered_heading(doc, l))
        .collect();
    // For a missing level-1 heading, the first such line; for deeper levels
    // the one closest above.
    if level == 1 {
        candidates.first().copied()
    } else {
        candidates.last().copied()
    }
}

fn step(doc: &Document, a: &Heading, b: &Heading) -> Option<Finding> {
    let (p, n) = (a.marker.number, b.marker.number);
    // Items of levels 3 and 4 are often plain lists: a second list under the
    // same heading starts again at 1.
    if n == p + 1 || (b.level >= 3 && n == 1 && p >= 2) {
        return None;
    }
    let written_a = doc.slice(a.marker.span).trim();
    let written_b = doc.slice(b.marker.span).trim();
    let want = marker_like(b, p + 1);
    let level = level_name(b.level);
    let message = if n == p {
        format!("{level}编号重复：“{written_a}”之后又是“{written_b}”")
    } else if n > p + 1 {
        let missing: Vec<String> = (p + 1..n).take(5).map(|k| format!("“{}”", marker_like(b, k))).collect();
        format!(
            "{level}编号跳号：“{written_a}”之后是“{written_b}”，缺少{}",
            missing.join("")
        )
    } else {
        format!("{level}编号倒退：“{written_a}”之后是“{written_b}”")
    };
    Some(
        Finding::new(META.id, META.severity, b.marker.span, message)
            .label(format!("应为“{want}”"))
            .with_label(a.marker.span, "上一个同级标题")
            .help("按顺序重新编号；如果中间的内容被删去或丢失，补回相应部分"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn gap_duplicate_and_backwards() {
        let text = "一、甲\n（一）a\n（二）b\n（二）c\n（四）d\n（三）e\n二、乙\n";
        let f = run(&HeadingSequence, text);
        assert_eq!(lines(text, &f), vec![4, 5, 6]);
        assert!(f[0].message.contains("重复"));
        assert!(
            f[1].message.contains("跳号") && f[1].message.contains("（三）"),
            "{}",
            f[1].message
        );
        assert!(f[2].message.contains("倒退"));
    }

    #[test]
    fn level_one_must_start_at_one_and_lost_heading_is_suggested() {
        let text = "关于2023年法治政府建设情况的报告\n\n依法履行政府职能，夯实法治基础\n\n主要负责人履职。正文正文。\n\n（二）强化法治基础。正文。\n二、严格执法\n（一）执法。正文。\n";
        let f = run(&HeadingSequence, text);
        assert_eq!(lines(text, &f), vec![7, 8]);
        assert!(f[1].message.contains("从“二、”开始"), "{}", f[1].message);
        assert!(f[1].help.as_ref().unwrap().contains("第3行"), "{:?}", f[1].help);
    }

    #[test]
    fn continuous_numbering_across_sections_is_fine() {
        let text = "一、甲\n（一）a\n1.x\n2.x\n（二）b\n3.x\n4.x\n二、乙\n5.x\n6.x\n";
        assert!(run(&HeadingSequence, text).is_empty());
    }

    #[test]
    fn restart_numbering_is_fine_and_gaps_in_it_are_not() {
        let text = "一、甲\n（一）a\n1.x\n2.x\n（二）b\n1.x\n3.x\n";
        let f = run(&HeadingSequence, text);
        assert_eq!(lines(text, &f), vec![7]);
    }

    #[test]
    fn a_second_list_under_one_heading_may_restart() {
        let text = "一、甲\n（一）a\n1.x\n2.x\n3.x\n正文。\n1.y\n2.y\n（二）b\n";
        assert!(run(&HeadingSequence, text).is_empty());
        let text = "一、甲\n（一）a\n（二）b\n（一）c\n";
        assert_eq!(lines(text, &run(&HeadingSequence, text)), vec![4]);
    }

    #[test]
    fn continuous_scheme_with_a_bad_group_start() {
        let text = "一、甲\n（一）a\n1.x\n2.x\n（二）b\n3.x\n（三）c\n5.x\n（四）d\n6.x\n";
        let f = run(&HeadingSequence, text);
        assert_eq!(lines(text, &f), vec![8]);
    }

    #[test]
    fn fragment_starting_mid_report() {
        let text = "(三)健全依法行政制度体系。\n1. 完善制度。\n(四)健全执法体系。\n二、第一责任人职责情况\n";
        let f = run(&HeadingSequence, text);
        assert_eq!(lines(text, &f), vec![1, 4]);
    }
}
