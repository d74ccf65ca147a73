use super::scan::{char_at, within, MarkTable};
use super::{checked_lines, is_han, line_matches, LineShield};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::{utf8_len, Span};

pub struct RepeatedPunctuation;

static META: RuleMeta = RuleMeta {
    id: "repeated-punctuation",
    category: Category::Typography,
    severity: Severity::Warning,
    fixable: true,
    summary: "点号重复或连用：“。。”“，，”“、、”“，。”，以及“。。。”“...”写的省略号",
    docs: Docs {
        what: "查找连在一起的点号：同一个点号写了两遍（“。。”“，，”“、、”“；；”），两个不同的点号连用（“，。”“、，”），以及用句号或英文句点凑成的省略号（“。。。”“...”）。自动修复只把重复的同一个点号合并为一个；不同点号连用和省略号需要作者判断，只报告不修改。",
        why: "重复的标点多是删改文字时留下的，公开文本中显得粗糙；省略号的标准写法是“……”。",
        bad: "全年开展执法检查120次。。立案查处18件，，罚款1.69万元。\n",
        good: "全年开展执法检查120次。立案查处18件，罚款1.69万元……\n",
        basis: "GB/T 15834-2011《标点符号用法》：点号标示语段的停顿，一处停顿只用一个点号；省略号的形式为“……”，占两个字的位置。",
    },
};

impl Rule for RepeatedPunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let t = &cx.kb.typography;
        // Each ellipsis pattern runs once over the whole text.
        let mut found: Vec<(usize, Span)> = Vec::new();
        let gates = t.ellipsis_gates();
        for (k, re) in t.ellipsis.iter().enumerate() {
            line_matches(cx.doc, re, gates.get(k).and_then(Option::as_ref), &mut |l, span| {
                found.push((l, span))
            });
        }
        found.sort();
        let marks = super::marks(cx, MarkTable::REPEATED);
        let mut from = 0;
        let mut next = 0;
        for i in checked_lines(cx) {
            let line = &cx.doc.lines[i];
            let base = line.span.start;
            let text = cx.doc.slice(line.span);
            while next < found.len() && found[next].0 < i {
                next += 1;
            }
            let mut ellipses: Vec<Span> = Vec::new();
            while next < found.len() && found[next].0 == i {
                ellipses.push(found[next].1);
                next += 1;
            }
            // Two marks in a row: a mark (found by its first byte) followed by another.
            let repeated = |c: char| !is_han(c) && t.repeated.contains(&c);
            let here = within(marks, &mut from, line.span.start, line.span.end);
            // The second mark of a run is the next position found, right after the first.
            let has_run = here.windows(2).any(|w| {
                w[1] == w[0] + utf8_len(text.as_bytes()[w[0] - base])
                    && repeated(char_at(text, w[0] - base))
                    && repeated(char_at(text, w[1] - base))
            });
            if ellipses.is_empty() && !has_run {
                continue;
            }
            let shield = LineShield::new(cx, i);
            ellipses.retain(|&span| !shield.overlaps(span));
            ellipses.sort();
            ellipses.dedup();
            for &span in &ellipses {
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        span,
                        format!("“{}”不是规范的省略号", cx.doc.slice(span)),
                    )
                    .label("省略号应为“……”")
                    .help("省略号写作“……”（六个点，占两个字的位置）；如果只是多打了标点，删去多余的"),
                );
            }
            let inside = |pos: usize| {
                let k = ellipses.partition_point(|s| s.end <= pos);
                ellipses.get(k).is_some_and(|s| s.start <= pos)
            };
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let mut n = 0;
            while n < chars.len() {
                let (pos, c) = chars[n];
                if !t.repeated.contains(&c) || shield.covers(base + pos) || inside(base + pos) {
                    n += 1;
                    continue;
                }
                let mut m = n + 1;
                while m < chars.len() && t.repeated.contains(&chars[m].1) && !inside(base + chars[m].0) {
                    m += 1;
                }
                if m - n >= 2 {
                    let end = chars.get(m).map_or(text.len(), |x| x.0);
                    let span = Span::new(base + pos, base + end);
                    let run = &text[pos..end];
                    let same = run.chars().all(|x| x == c);
                    let mut f = Finding::new(META.id, META.severity, span, format!("标点“{run}”重复或连用"));
                    f = if same {
                        f.label(format!("应为一个“{c}”"))
                            .help(format!("删去多余的“{c}”"))
                            .fix(span, c.to_string())
                    } else {
                        f.label("只保留一个点号").help("按语气只保留其中一个点号，删去其余的")
                    };
                    out.push(f);
                }
                n = m;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn doubled_marks_are_collapsed() {
        let f = run(&RepeatedPunctuation, META.docs.bad);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].fix.as_ref().unwrap().replacement, "。");
        assert_eq!(f[1].fix.as_ref().unwrap().replacement, "，");
        let f = run(&RepeatedPunctuation, "加强组织、、宣传、培训。\n");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn mixed_marks_are_reported_without_a_fix() {
        let f = run(&RepeatedPunctuation, "开展执法检查，。立案查处18件。\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn ellipses_written_with_dots() {
        for text in ["开展培训、宣传。。。等工作。\n", "开展培训、宣传...等工作。\n"] {
            let f = run(&RepeatedPunctuation, text);
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].message.contains("省略号"));
            assert!(f[0].fix.is_none());
        }
    }

    #[test]
    fn correct_marks_pass() {
        for text in [
            "开展培训、宣传……等工作。\n",
            "“部署—落实—督查”闭环管理——成效明显。\n",
            "他说：“好。”随后离开。\n",
            "学习《习近平法治思想学习纲要》。\n",
            "详见http://www.gov.cn/a...b。\n",
        ] {
            assert!(run(&RepeatedPunctuation, text).is_empty(), "{text}");
        }
    }
}
