use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct MissingSection;

static META: RuleMeta = RuleMeta {
    id: "missing-section",
    category: Category::Structure,
    severity: Severity::Error,
    fixable: false,
    summary: "缺少规定必须报告的部分（只在正文中顺带提及时为警告）",
    docs: Docs {
        what: "检查报告是否包含督察工作规定要求的四个部分：主要举措和成效、党政主要负责人履行推进法治建设第一责任人职责情况、存在的不足和原因、下一年度主要安排。完全找不到某一部分时报错误；只在其他部分的正文里顺带提到（例如“三是切实履行第一责任人职责”）时报警告。",
        why: "年度报告的内容由规定明确列举，缺少任何一部分都会被审核退回；只在正文里一笔带过的部分，审核人员很难找到，也说明该部分没有展开。",
        bad: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法。\n三、2025年工作安排\n加强执法队伍建设。\n",
        good: "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n全年制定规范性文件3件。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法。\n三、存在的不足和原因\n执法力量不足，原因是编制紧张。\n四、2025年工作安排\n加强执法队伍建设。\n",
        basis: "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第四章：年度报告应当包括上一年度推进法治政府建设的主要举措和成效、存在的不足和原因、党政主要负责人履行推进法治建设第一责任人职责情况、下一年度主要安排等内容。",
    },
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let facts = cx.facts;
        if !has_body(cx) {
            return;
        }
        for (k, part) in cx.kb.profile.parts.iter().enumerate() {
            match &facts.parts[k] {
                Some(loc) if loc.as_heading => {}
                Some(loc) => out.push(
                    Finding::new(
                        META.id,
                        Severity::Warning,
                        loc.span,
                        format!("“{}”只在正文中顺带提及，没有单独成节", part.name),
                    )
                    .label("只在这里提到")
                    .help(format!(
                        "为“{}”单独设一个标题，集中写明有关情况（规定要求报告：{}）",
                        part.name, part.regulation
                    )),
                ),
                None => {
                    let (span, label) = insertion_point(cx, k);
                    out.push(
                        Finding::new(META.id, META.severity, span, format!("缺少必备部分“{}”", part.name))
                            .label(label)
                            .help(format!(
                                "补写“{}”部分：{}（规定要求的四个部分依次为{}）",
                                part.name,
                                part.regulation,
                                cx.kb
                                    .profile
                                    .parts
                                    .iter()
                                    .map(|p| format!("“{}”", p.name))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            )),
                    );
                }
            }
        }
    }
}

/// A report with no body at all is not judged part by part.
fn has_body(cx: &Context) -> bool {
    (cx.facts.body_start..cx.facts.body_end)
        .any(|l| cx.facts.in_body(l) && cx.doc.lines[l].kind != crate::document::LineKind::Blank)
}

/// Where the missing part should go: before the next part that is present,
/// or after the last one.
fn insertion_point(cx: &Context, k: usize) -> (Span, &'static str) {
    let facts = cx.facts;
    if let Some(next) = facts.parts[k + 1..]
        .iter()
        .flatten()
        .filter(|p| p.as_heading)
        .min_by_key(|p| p.line)
    {
        return (next.span, "应在此部分之前补写");
    }
    if let Some(prev) = facts.parts[..k]
        .iter()
        .flatten()
        .filter(|p| p.as_heading)
        .max_by_key(|p| p.line)
    {
        return (prev.span, "应在此部分之后补写");
    }
    match &facts.title {
        Some(t) => (t.span, "报告中找不到这一部分"),
        None => {
            let first = (0..cx.doc.lines.len())
                .find(|&l| facts.in_body(l) && !cx.doc.lines[l].content.is_empty())
                .unwrap_or(0);
            (cx.doc.lines[first].content, "报告中找不到这一部分")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn missing_shortcomings_points_at_the_plan() {
        let text = META.docs.bad;
        let f = run(&MissingSection, text);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("存在的不足和原因"), "{}", f[0].message);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(lines(text, &f), vec![6]);
    }

    #[test]
    fn a_part_mentioned_inline_is_a_warning() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）加强组织领导。一是健全机构，二是完善制度，三是切实履行法治建设“第一责任人”职责，主要负责人带头学法。\n二、存在的不足和原因\n执法力量不足，原因是编制紧张。\n三、2025年工作安排\n加强执法队伍建设。\n";
        let f = run(&MissingSection, text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("第一责任人"));
        assert_eq!(lines(text, &f), vec![3]);
    }

    #[test]
    fn everything_missing_in_a_bare_text() {
        let text = "我局今年做了很多工作，取得了较好成效。";
        let f = run(&MissingSection, text);
        // measures found as nothing; four parts reported at the first line
        assert_eq!(f.len(), 4);
    }
}
