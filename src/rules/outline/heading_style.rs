use super::{level_name, standard_marker};
use crate::document::{Heading, MarkerForm};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct HeadingStyle;

static META: RuleMeta = RuleMeta {
    id: "heading-style",
    category: Category::Outline,
    severity: Severity::Warning,
    fixable: false,
    summary: "标题序号的写法与所在层级的标准写法不符",
    docs: Docs {
        what: "检查标题序号是否使用所在层级的标准写法：一级“一、”，二级“（一）”（全角括号，括号后不加顿号），三级“1.”，四级“（1）”。常见问题有半角括号“(一)”、“一.”、“1、”、二级标题误用阿拉伯数字“（2）”，以及序号与标题文字之间多余的空格。",
        why: "公文的层级靠序号区分，写法混用会让读者看错层级；半角括号和“1、”多是从网页或其他软件复制时带入的，正式公开前应统一。",
        bad: "一、主要举措和成效\n（一）健全制度体系\n全年制定规范性文件3件。\n（2） 严格规范执法\n开展执法检查120次。\n",
        good: "一、主要举措和成效\n（一）健全制度体系\n全年制定规范性文件3件。\n（二）严格规范执法\n开展执法检查120次。\n",
        basis: "GB/T 9704-2012《党政机关公文格式》7.3.3：文中结构层次序数依次可以用“一、”“（一）”“1.”“（1）”标注。",
    },
};

impl Rule for HeadingStyle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        for h in &doc.headings {
            if !cx.facts.in_body(h.line) {
                continue;
            }
            let problems = problems(doc.slice(h.marker.span), h);
            if problems.is_empty() {
                continue;
            }
            let written = doc.slice(h.marker.span);
            let want = standard_marker(h.level, h.marker.number);
            let span = match h.marker.gap {
                Some(gap) => Span::new(h.marker.span.start, gap.end),
                None => h.marker.span,
            };
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    span,
                    format!(
                        "{}序号“{}”写法不规范：{}",
                        level_name(h.level),
                        written.trim(),
                        problems.join("；")
                    ),
                )
                .label(format!("应为“{want}”"))
                .help(format!(
                    "{}统一写作“{}”这样的形式，序号后直接接标题文字",
                    level_name(h.level),
                    want
                )),
            );
        }
    }
}

fn problems(written: &str, h: &Heading) -> Vec<String> {
    let mut p = Vec::new();
    let m = &h.marker;
    if h.level_from_context {
        p.push(format!(
            "二级标题应使用汉字序号“{}”，不用阿拉伯数字",
            standard_marker(2, m.number)
        ));
    }
    if m.half_width_paren == Some(true) {
        p.push("使用了半角括号“( )”，应为全角括号“（ ）”".to_string());
    }
    let sep = written.trim_end();
    match m.form {
        MarkerForm::ChineseSeparated if !sep.ends_with('、') => {
            p.push(format!(
                "一级序号后应为顿号“、”，这里是“{}”",
                sep.chars().last().unwrap_or(' ')
            ));
        }
        MarkerForm::ArabicSeparated if sep.ends_with('、') => {
            p.push("三级序号后应为圆点“.”，不用顿号“、”".to_string());
        }
        MarkerForm::ChineseParen | MarkerForm::ArabicParen if m.separator.is_some() => {
            p.push(format!("括号后不应再加“{}”", sep.chars().last().unwrap_or(' ')));
        }
        _ => {}
    }
    if m.gap.is_some() {
        p.push("序号与标题文字之间有多余的空格".to_string());
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn arabic_numeral_at_level_two() {
        let f = run(&HeadingStyle, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![4]);
        assert!(f[0].message.contains("（二）"), "{}", f[0].message);
        assert!(f[0].message.contains("空格"), "{}", f[0].message);
    }

    #[test]
    fn variants_are_each_flagged() {
        let text = "一.甲\n(一)乙\n1、丙\n（二）、丁\n(1)戊\n";
        let f = run(&HeadingStyle, text);
        assert_eq!(lines(text, &f), vec![1, 2, 3, 4, 5]);
        assert!(f[1].message.contains("半角括号"));
    }

    #[test]
    fn standard_forms_and_full_width_dot_pass() {
        let text = "一、甲\n（一）乙\n1.丙\n2．丁\n（1）戊\n①己\n";
        assert!(run(&HeadingStyle, text).is_empty());
    }
}
