use crate::document::EnumMarker;
use crate::finding::{Finding, Severity};
use crate::numerals::to_cn;
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};

pub struct EnumerationSequence;

static META: RuleMeta = RuleMeta {
    id: "enumeration-sequence",
    category: Category::Outline,
    severity: Severity::Warning,
    fixable: false,
    summary: "“一是、二是、三是”的列举跳号、重复或顺序颠倒",
    docs: Docs {
        what: "检查段落中“一是……二是……三是……”的列举是否依次递增：不得跳过（一是之后是三是）、重复（两个二是）或倒退。一段话接着上一段继续列举（上一段止于二是，这一段以三是开头）是认可的。",
        why: "列举序号错乱多因增删内容后未调整，读者会以为内容缺失；这类错误在审核和公开后都很显眼。",
        bad: "（一）加强组织领导。一是健全领导机构，二是完善工作制度，四是强化督促检查。\n",
        good: "（一）加强组织领导。一是健全领导机构，二是完善工作制度，三是强化督促检查。\n",
        basis: "公文写作惯例；GB/T 9704-2012《党政机关公文格式》对层次序数连续性的要求同样适用于段内列举。",
    },
};

impl Rule for EnumerationSequence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let mut carried: Option<u32> = None;
        let mut prev_last_line: Option<usize> = None;
        for p in &doc.paragraphs {
            if !cx.facts.in_body(p.first_line) {
                continue;
            }
            // A run carries over into the next paragraph only when no heading
            // stands between them.
            let heading_between = p.heading.is_some()
                || prev_last_line.is_some_and(|l| {
                    (l + 1..p.first_line).any(|k| matches!(doc.lines[k].kind, crate::document::LineKind::Heading(_)))
                });
            if heading_between {
                carried = None;
            }
            prev_last_line = Some(p.last_line);
            if p.enums.is_empty() {
                // A paragraph without markers between two parts of a run
                // (a sub-paragraph) keeps the run open.
                continue;
            }
            let opens_paragraph =
                |m: &EnumMarker| doc.slice(p.span).trim_start().len() == doc.text[m.span.start..p.span.end].len();
            let mut last: Option<u32> = None;
            for (k, m) in p.enums.iter().enumerate() {
                let expected_from = if k == 0 {
                    if opens_paragraph(m) {
                        carried
                    } else {
                        None
                    }
                } else {
                    last
                };
                if let Some(f) = judge(doc, m, expected_from, last.is_none() && k == 0) {
                    out.push(f);
                }
                last = Some(m.number);
            }
            carried = last;
        }
    }
}

/// `prev` is the number the run stood at before `m`, if any.
fn judge(doc: &crate::document::Document, m: &EnumMarker, prev: Option<u32>, first: bool) -> Option<Finding> {
    let n = m.number;
    let name = |k: u32| format!("{}是", to_cn(k));
    let written = doc.slice(m.span);
    let (message, want) = match prev {
        Some(p) if n == p + 1 => return None,
        // A new run may start at 一是, but not right after a lone 一是.
        Some(p) if n == 1 && p > 1 => return None,
        None if n == 1 => return None,
        None if first => (format!("列举从“{written}”开始，前面没有“一是”"), name(1)),
        None => return None,
        Some(p) if n == p => (format!("列举序号重复：“{}”之后又是“{written}”", name(p)), name(p + 1)),
        Some(p) if n > p + 1 => {
            let missing: Vec<String> = (p + 1..n).take(5).map(|k| format!("“{}”", name(k))).collect();
            (
                format!("列举跳号：“{}”之后是“{written}”，缺少{}", name(p), missing.join("")),
                name(p + 1),
            )
        }
        Some(p) => (format!("列举顺序颠倒：“{}”之后是“{written}”", name(p)), name(p + 1)),
    };
    Some(
        Finding::new(META.id, META.severity, m.span, message)
            .label(format!("应为“{want}”"))
            .help("按“一是、二是、三是……”的顺序重新排列，补回遗漏的一项或删去多余的序号"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    fn messages(text: &str) -> Vec<String> {
        run(&EnumerationSequence, text).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn gap_repeat_and_backwards() {
        assert_eq!(messages(META.docs.bad).len(), 1);
        assert!(messages("一是甲，二是乙，二是丙。")[0].contains("重复"));
        assert!(messages("一是甲。一是乙。")[0].contains("重复"));
        assert!(messages("一是甲，三是乙，二是丙。")[0].contains("跳号"));
        assert!(messages("一是甲，二是乙，三是丙，二是丁。")[0].contains("颠倒"));
    }

    #[test]
    fn a_run_may_continue_in_the_next_paragraph() {
        assert!(messages("（一）标题\n一是甲。二是乙。\n三是丙。\n四是丁。\n").is_empty());
        assert_eq!(
            messages("（一）标题\n一是甲。二是乙。\n（二）标题\n三是丙。\n").len(),
            1
        );
    }

    #[test]
    fn runs_restart_and_ordinary_words_pass() {
        assert!(messages("一是甲，二是乙。另外，一是丙，二是丁。").is_empty());
        assert!(messages("坚持统一是原则，唯一是标准。").is_empty());
    }

    #[test]
    fn a_run_that_opens_mid_paragraph_without_one() {
        assert_eq!(messages("工作重点：二是加强培训，三是完善制度。").len(), 1);
    }
}
