use super::{checked_lines, line_matches};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct DocNumberBrackets;

static META: RuleMeta = RuleMeta {
    id: "doc-number-brackets",
    category: Category::Typography,
    severity: Severity::Warning,
    fixable: true,
    summary: "发文字号的年份没有用六角括号“〔〕”，而用了 [ ]、( )、【】等",
    docs: Docs {
        what: "查找发文字号（机关代字 + 年份 + 顺序号 + “号”，如“大足府办发〔2025〕35号”）中括住年份的括号。标准写法是六角括号“〔〕”，常见的错误是方括号“[2025]”、圆括号“(2025)”“（2025）”和方头括号“【2025】”。自动修复把这对括号换成“〔〕”。",
        why: "发文字号是公文的身份标识，写法不统一会影响引用和检索；六角括号常被输入法里形近的括号代替。",
        bad: "根据《关于印发2025年法治政府建设工作要点的通知》（大足府办发[2025]35号）要求，结合实际。\n",
        good: "根据《关于印发2025年法治政府建设工作要点的通知》（大足府办发〔2025〕35号）要求，结合实际。\n",
        basis: "GB/T 9704-2012《党政机关公文格式》7.2.5：发文字号由发文机关代字、年份、发文顺序号组成，年份应标全称，用六角括号“〔〕”括入。",
    },
};

impl Rule for DocNumberBrackets {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // Only lines that hold a match of some pattern can hold a document
        // number: each pattern runs once over the whole text to find them.
        let t = &cx.kb.typography;
        let gates = t.shield_gates().get(t.protect.len()..).unwrap_or(&[]);
        let mut with_match: Vec<usize> = Vec::new();
        for (k, re) in t.doc_number.iter().enumerate() {
            line_matches(cx.doc, re, gates.get(k).and_then(Option::as_ref), &mut |l, _| {
                with_match.push(l)
            });
        }
        with_match.sort_unstable();
        with_match.dedup();
        let lines = checked_lines(cx).filter(|i| with_match.binary_search(i).is_ok());
        check_lines(cx, lines, out);
    }
}

/// The findings of lines `lines` (checked lines, in order).
fn check_lines(cx: &Context, lines: impl Iterator<Item = usize>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    for i in lines {
        let line = &doc.lines[i];
        let text = doc.slice(line.span);
        let mut last_end = 0;
        for re in &cx.kb.typography.doc_number {
            for caps in re.captures_iter(text) {
                let (Some(open), Some(year), Some(close)) = (caps.name("open"), caps.name("year"), caps.name("close"))
                else {
                    continue;
                };
                if open.as_str() == "〔" && close.as_str() == "〕" || open.start() < last_end {
                    continue;
                }
                last_end = close.end();
                let span = Span::new(open.start(), close.end()).shifted(line.span.start);
                let written = &text[open.start()..close.end()];
                let right = format!("〔{}〕", year.as_str());
                let whole = caps.get(0).map_or("", |m| &text[open.start()..m.end()]);
                let fixed = whole.replacen(written, &right, 1);
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        span,
                        format!("发文字号中的年份“{written}”应使用六角括号“〔{}〕”", year.as_str()),
                    )
                    .label(format!("应为“〔{}〕”", year.as_str()))
                    .help(format!("年份用六角括号括入，写作“{fixed}”"))
                    .fix(span, right),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;
    use proptest::prelude::*;

    /// The rule's findings against those of every checked line.
    fn same_as_every_line(text: &str) -> Result<(), TestCaseError> {
        let (fast, plain) = crate::rules::testing::with_context(text, None, |cx| {
            let (mut fast, mut plain) = (Vec::new(), Vec::new());
            DocNumberBrackets.check(cx, &mut fast);
            check_lines(cx, checked_lines(cx), &mut plain);
            (fast, plain)
        });
        prop_assert_eq!(format!("{fast:?}"), format!("{plain:?}"), "{:?}", text);
        Ok(())
    }

    #[test]
    fn only_lines_with_a_match_are_read() {
        for text in [
            META.docs.bad,
            META.docs.good,
            "依据大足府办发(2025)\n35号和川办[2023]\n\n第3号、渝府发【2024】 第 12 号。\n",
        ] {
            same_as_every_line(text).unwrap();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn lines_with_a_match_give_every_finding(pieces in prop::collection::vec(prop::sample::select(vec![
            "府", "办", "发", "号", "第", "中", "，", "(", ")", "（", "）", "[", "]", "［", "］", "【", "】", "〔", "〕",
            " ", "\n", "\t", "\u{3000}", "19", "20", "25", "2025", "1", "3", "x", "一、",
        ]), 0..50)) {
            same_as_every_line(&pieces.concat())?;
        }
    }

    #[test]
    fn each_wrong_bracket() {
        for (text, written) in [
            ("依据大足府办发[2025]35号文件。\n", "[2025]"),
            ("依据大足府办发(2025)35号文件。\n", "(2025)"),
            ("依据大足府办发（2025）35号文件。\n", "（2025）"),
            ("依据大足府办发【2025】35号文件。\n", "【2025】"),
            ("依据厅字［2019］28号文件。\n", "［2019］"),
        ] {
            let f = run(&DocNumberBrackets, text);
            assert_eq!(f.len(), 1, "{text}");
            assert_eq!(&text[f[0].span.start..f[0].span.end], written);
            let fix = f[0].fix.as_ref().unwrap();
            assert!(fix.replacement.starts_with('〔') && fix.replacement.ends_with('〕'));
            assert!(f[0].help.as_ref().unwrap().contains("号"), "{:?}", f[0].help);
        }
    }

    #[test]
    fn correct_numbers_and_other_brackets_pass() {
        for text in [
            "依据《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）。\n",
            "全年办结（2025）件次。\n",
            "共检查(2025)户。\n",
            "依据《行政处罚法》[2021]开展执法。\n",
            "于2025年（第35号台风过后）开展检查。\n",
        ] {
            assert!(run(&DocNumberBrackets, text).is_empty(), "{text}");
        }
    }
}
