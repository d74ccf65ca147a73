use crate::document::LineKind;
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use rustc_hash::FxHashMap;

pub struct EmptySection;

static META: RuleMeta = RuleMeta {
    id: "empty-section",
    category: Category::Structure,
    severity: Severity::Warning,
    fixable: false,
    summary: "标题下没有内容，或必备部分内容过少",
    docs: Docs {
        what: "标题后面紧接着同级或上级标题、中间没有任何正文或下级标题时提示；规定必须报告的部分（如“存在的不足和原因”）正文过短、说不清任何情况时也提示。",
        why: "空标题多半是起草时留下的提纲或复制时丢了内容；必备部分只有一两句话，等于没有报告。",
        bad: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）健全依法行政制度体系\n（二）严格规范公正文明执法\n全年开展执法检查120次。\n",
        good: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）健全依法行政制度体系\n全年制定规范性文件3件，均经合法性审核。\n（二）严格规范公正文明执法\n全年开展执法检查120次。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章对年度报告内容的要求；GB/T 9704-2012《党政机关公文格式》7.3.3 结构层次。",
    },
};

impl Rule for EmptySection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let facts = cx.facts;
        let has_content = |i: usize| {
            let h = &doc.headings[i];
            h.body.is_some()
                || doc
                    .heading_extent(i, facts.body_end)
                    .skip(1)
                    .any(|l| !facts.is_chrome(l) && matches!(doc.lines[l].kind, LineKind::Text | LineKind::Heading(_)))
        };
        let content: Vec<bool> = (0..doc.headings.len()).map(has_content).collect();
        // Per parent and level, how many headings have content: counted once,
        // so that a report of many empty headings is not quadratic.
        let mut with_content: FxHashMap<(Option<usize>, u8), usize> = FxHashMap::default();
        for (h, _) in doc.headings.iter().zip(&content).filter(|(_, &c)| c) {
            *with_content.entry((h.parent, h.level)).or_default() += 1;
        }
        let mut flagged = Vec::new();
        for (i, h) in doc.headings.iter().enumerate() {
            if !facts.in_body(h.line) || content[i] || is_numbered_paragraph(doc.heading_title(h), doc.slice(h.span)) {
                continue;
            }
            // Short items such as `（一）提升执法规范化水平。` in a list whose
            // items all stand alone are a list, not sections left empty: a
            // heading is empty only when its siblings have content (this one
            // has none, so any counted is another).
            if !with_content.contains_key(&(h.parent, h.level)) {
                continue;
            }
            flagged.push(h.line);
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    h.span,
                    format!("标题“{}”下没有任何内容", doc.heading_label(h)),
                )
                .label("空标题")
                .help("补写这一标题下的内容，或删除这个标题并调整后续编号"),
            );
        }
        for (k, part) in cx.kb.profile.parts.iter().enumerate() {
            let Some(loc) = facts.parts[k].as_ref().filter(|p| p.as_heading) else {
                continue;
            };
            if flagged.contains(&loc.line) {
                continue;
            }
            // Parts sharing one heading share their text: judge them together.
            let shared = facts.parts.iter().flatten().filter(|p| p.line == loc.line).count() > 1;
            if shared {
                continue;
            }
            // Counted only as far as the least: a longer part is long enough.
            let min = cx.kb.profile.min_part_chars;
            let body = loc
                .heading
                .and_then(|h| doc.headings[h].body)
                .map_or(0, |b| doc.slice(b).chars().count());
            let chars = body
                + doc.content_chars_upto(
                    loc.extent.start + 1..loc.extent.end.min(facts.body_end),
                    min.saturating_sub(body),
                );
            if chars > 0 && chars < min {
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        loc.span,
                        format!("“{}”部分只有 {} 个字，内容过少", part.name, chars),
                    )
                    .label("内容过少")
                    .help(format!("按规定写明{}，至少列出具体情况和数据", part.regulation)),
                );
            }
        }
    }
}

/// Items such as `6.现有10家三级医疗机构，16家二级医疗机构……` or
/// `（一）提升执法规范化水平。` are numbered sentences, not headings: they
/// are their own content.
fn is_numbered_paragraph(title: &str, line: &str) -> bool {
    let n = title.chars().count();
    // A full sentence (`（一）提升执法规范化水平。`) is an item, not a section title.
    let clauses = title.contains(['，', ',', '；', ';']);
    n > 40 || (clauses && n > 20) || line.ends_with('。')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn empty_heading_before_a_sibling() {
        let f = run(&EmptySection, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![3]);
    }

    #[test]
    fn a_heading_with_only_children_is_not_empty() {
        let text = "一、主要举措和成效\n（一）健全依法行政制度体系\n全年制定规范性文件3件，均经合法性审核。\n";
        assert!(run(&EmptySection, text).is_empty());
    }

    #[test]
    fn a_heading_at_the_end_is_empty() {
        let text = "一、主要举措和成效\n全年制定规范性文件3件，均经合法性审核，开展执法检查120次。\n二、下一步打算\n";
        assert_eq!(lines(text, &run(&EmptySection, text)), vec![3]);
    }

    #[test]
    fn numbered_paragraphs_are_not_empty_headings() {
        let text = "一、主要举措和成效\n1.继续深化机构改革成果，优化行政职能，及时对权责清单事项进行调整，近三年共调整了事项107条。\n2.积极承接市级下放的诊所备案政务服务事项，优化相关流程，办结诊所备案424家。\n3.开展执法大练兵，全年培训12次。\n";
        assert!(run(&EmptySection, text).is_empty());
    }

    #[test]
    fn a_list_of_short_items_is_not_a_row_of_empty_headings() {
        let text = "一、主要举措和成效\n全年制定规范性文件3件，均经合法性审核，开展执法检查120次。\n二、2025年工作安排\n（一）提升执法规范化水平。\n（二）深化普法宣传教育\n（三）强化法治队伍建设。\n（四）推进非现场执法监管。\n";
        assert!(run(&EmptySection, text).is_empty());
    }

    #[test]
    fn a_thin_mandated_part() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件，均经合法性审核，备案率100%，开展执法检查120次。\n二、存在的不足和原因\n有待加强。\n三、下一步打算\n继续加强执法队伍建设，开展执法人员轮训，提升办案能力和水平。\n";
        let f = run(&EmptySection, text);
        assert_eq!(lines(text, &f), vec![4]);
        assert!(f[0].message.contains("5 个字"), "{}", f[0].message);
    }

    /// The headings flagged as empty by the plain rule: content judged
    /// anew for every heading and every sibling (quadratic).
    fn plain_empty_lines(text: &str) -> Vec<usize> {
        let (doc, kb) = (
            crate::outline::parse(text),
            crate::knowledge::Knowledge::builtin("fazhi-annual").unwrap(),
        );
        let facts = crate::facts::Facts::analyse(&doc, kb, None);
        let has_content = |i: usize| {
            doc.headings[i].body.is_some()
                || doc
                    .heading_extent(i, facts.body_end)
                    .skip(1)
                    .any(|l| !facts.is_chrome(l) && matches!(doc.lines[l].kind, LineKind::Text | LineKind::Heading(_)))
        };
        let mut out = Vec::new();
        for (i, h) in doc.headings.iter().enumerate() {
            if !facts.in_body(h.line)
                || is_numbered_paragraph(doc.heading_title(h), doc.slice(h.span))
                || has_content(i)
            {
                continue;
            }
            let siblings = doc
                .headings
                .iter()
                .enumerate()
                .any(|(j, s)| j != i && s.parent == h.parent && s.level == h.level && has_content(j));
            if siblings {
                out.push(h.line + 1);
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn empty_headings_are_those_the_plain_rule_finds(
            outline in proptest::collection::vec((0usize..4, 0usize..3, proptest::bool::ANY), 1..24)
        ) {
            let marks = [["一、", "二、", "三、"], ["（一）", "（二）", "（三）"], ["1.", "2.", "3."], ["（1）", "（2）", "（3）"]];
            let mut text = String::from("关于2024年法治政府建设情况的报告\n");
            for (k, &(level, n, body)) in outline.iter().enumerate() {
                text.push_str(&format!("{}标题{k}\n", marks[level][n]));
                if body {
                    text.push_str("全年办理案件12件。\n");
                }
            }
            let empty: Vec<Finding> = run(&EmptySection, &text)
                .into_iter()
                .filter(|f| f.message.contains("没有任何内容"))
                .collect();
            proptest::prop_assert_eq!(lines(&text, &empty), plain_empty_lines(&text));
        }
    }
}
