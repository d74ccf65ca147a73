use super::data::MarkMap;
use super::scan::{char_at, within, MarkTable};
use super::{checked_lines, is_chinese, is_han, marks, neighbours, LineShield};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct HalfwidthPunctuation;

static META: RuleMeta = RuleMeta {
    id: "halfwidth-punctuation",
    category: Category::Typography,
    severity: Severity::Warning,
    fixable: true,
    summary: "中文里用了半角标点（, ; : ? ! ( ) . \"），应为全角",
    docs: Docs {
        what: "查找中文文字中的半角（英文）标点：逗号“,”、分号“;”、冒号“:”、问号“?”、叹号“!”、括号“( )”、引号“\"”，以及紧跟汉字的句点“.”。两侧都不是中文的半角标点不报告，例如时间“8:30”、比例“1:500”、小数“3.5”、三级序号“1.”、网址、电子邮箱、“GB/T 9704-2012”这样的字母数字串，以及书名号内照录的标题。自动修复把它换成对应的全角标点；半角引号只在一行中成对出现时才自动改为“”，否则只报告。",
        why: "中文标点占一个汉字的位置，半角标点挤在汉字之间，版面参差，也显得是从其他软件复制而来未经校对。",
        bad: "2025年,我委深入学习习近平法治思想,完成监督检查384户(覆盖率42.48%)。\n",
        good: "2025年，我委深入学习习近平法治思想，完成监督检查384户（覆盖率42.48%），8:30前公示，执行GB/T 9704-2012。\n",
        basis: "GB/T 15834-2011《标点符号用法》：标点符号用于中文时使用全角形式，每个点号、标号占一个字的位置；GB/T 9704-2012《党政机关公文格式》第9章。",
    },
};

impl Rule for HalfwidthPunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let t = &cx.kb.typography;
        let is_ascii_mark = |c: char| t.halfwidth_mark(c).is_some() || c == '"' || c == '\'';
        // The marks of the text: most lines hold none.
        let marks = marks(cx, MarkTable::HALFWIDTH);
        let mut from = 0;
        for i in checked_lines(cx) {
            let line = &cx.doc.lines[i];
            let base = line.span.start;
            let text = cx.doc.slice(line.span);
            let here = within(marks, &mut from, line.span.start, line.span.end);
            if here.is_empty() {
                continue;
            }
            // The shield is worked out only for a mark that would otherwise be
            // reported (or a bracket, which pairs): most marks (`42.48`, `1,234`)
            // stand between non-Chinese characters.
            let shield = LineShield::new(cx, i);
            let chinese_around = |pos: usize, end: usize| {
                let (b, a) = neighbours(text, pos, end, is_ascii_mark);
                b.is_some_and(is_chinese) || a.is_some_and(is_chinese)
            };
            let mut hits: Vec<(usize, &MarkMap)> = Vec::new();
            // Brackets are judged as pairs: Chinese inside or next to them.
            // `chinese_before[k]` counts Chinese characters before byte k, so
            // that judging nested pairs stays linear.
            // Chinese characters before each byte, for `(…)` pairs: only lines with a `)` need it.
            let mut chinese_before = Vec::new();
            if text.contains(')') {
                chinese_before = vec![0u32; text.len() + 1];
                let mut seen = 0u32;
                for (pos, c) in text.char_indices() {
                    chinese_before[pos] = seen;
                    seen += u32::from(is_chinese(c));
                }
                chinese_before[text.len()] = seen;
            }
            let mut open: Vec<usize> = Vec::new();
            for &at in here {
                let pos = at - base;
                let c = char_at(text, pos);
                if is_han(c) {
                    continue;
                }
                let Some(map) = t.halfwidth_mark(c) else {
                    if let Some(p) = t.period.as_ref().filter(|p| p.from == c) {
                        if is_full_stop(text, pos) && !shield.covers(base + pos) {
                            hits.push((pos, p));
                        }
                    }
                    continue;
                };
                if matches!(c, '(' | ')') && shield.covers(base + pos) {
                    continue;
                }
                match c {
                    '(' => open.push(pos),
                    ')' => match open.pop() {
                        Some(o) => {
                            let inner_chinese = chinese_before[pos] > chinese_before[o + 1];
                            if inner_chinese || chinese_around(o, pos + 1) {
                                let omap = t.halfwidth_mark('(').expect("( is in the table");
                                hits.push((o, omap));
                                hits.push((pos, map));
                            }
                        }
                        None => {
                            if chinese_around(pos, pos + 1) {
                                hits.push((pos, map));
                            }
                        }
                    },
                    _ => {
                        if chinese_around(pos, pos + 1) && !shield.covers(base + pos) {
                            hits.push((pos, map));
                        }
                    }
                }
            }
            for o in open {
                if chinese_around(o, o + 1) {
                    hits.push((o, t.halfwidth_mark('(').expect("( is in the table")));
                }
            }
            quotes(cx, text, base, here, &shield, &chinese_around, out);
            hits.sort_by_key(|h| h.0);
            for (pos, map) in hits {
                let fix = fix_span(text, pos, map.from.len_utf8());
                out.push(
                    Finding::new(
                        META.id,
                        META.severity,
                        Span::new(base + pos, base + pos + map.from.len_utf8()),
                        format!("中文里用了半角{}“{}”，应为全角“{}”", map.name, map.from, map.to),
                    )
                    .label(format!("应为“{}”", map.to))
                    .help(format!("把半角“{}”改为全角“{}”", map.from, map.to))
                    .fix(fix.shifted(base), map.to.to_string()),
                );
            }
        }
    }
}

/// ASCII quotation marks in Chinese text. With an even number of them on the
/// line, all in Chinese text, they are fixed as alternating “ and ”; otherwise
/// only reported. `here`: the line's marks of the halfwidth set (which holds
/// every quotation mark of the table), as positions in the text.
fn quotes(
    cx: &Context,
    text: &str,
    base: usize,
    here: &[usize],
    shield: &LineShield,
    chinese_around: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Finding>,
) {
    for q in &cx.kb.typography.quotes {
        // Without a mark in Chinese text there is nothing to report, whatever
        // the shield covers: it is worked out only when there is one.
        let in_chinese = |&at: &usize| char_at(text, at - base) == q.from && chinese_around(at - base, at - base + 1);
        if !here.iter().any(in_chinese) {
            continue;
        }
        let marks: Vec<usize> = here
            .iter()
            .map(|&at| at - base)
            .filter(|&pos| char_at(text, pos) == q.from && !shield.covers(base + pos))
            .collect();
        let chinese: Vec<bool> = marks.iter().map(|&pos| chinese_around(pos, pos + 1)).collect();
        if !chinese.contains(&true) {
            continue;
        }
        let fixable = marks.len() % 2 == 0 && chinese.iter().all(|&c| c);
        for (k, &pos) in marks.iter().enumerate() {
            if !chinese[k] {
                continue;
            }
            let span = Span::new(base + pos, base + pos + q.from.len_utf8());
            let mut f = Finding::new(
                META.id,
                META.severity,
                span,
                format!("中文里用了半角{}“{}”，应为全角“{}{}”", q.name, q.from, q.open, q.close),
            );
            f = if fixable {
                let to = if k % 2 == 0 { q.open } else { q.close };
                f.label(format!("应为“{to}”"))
                    .help(format!("把半角“{}”改为全角“{}”“{}”", q.from, q.open, q.close))
                    .fix(span, to.to_string())
            } else {
                f.label(format!("应为“{}”或“{}”", q.open, q.close)).help(format!(
                    "把半角“{}”改为全角引号：引用开始处用“{}”，结束处用“{}”",
                    q.from, q.open, q.close
                ))
            };
            out.push(f);
        }
    }
}

/// A `.` used as a Chinese full stop: right after a Chinese character and
/// before a Chinese character, a closing mark or the end of the line.
fn is_full_stop(text: &str, pos: usize) -> bool {
    let mut before = text[..pos].chars().rev();
    let prev = before.next();
    let next = text[pos + 1..].chars().next();
    // `一.` after a clause is a marker written with a dot, not a full stop.
    let numeral_marker = prev.is_some_and(|c| "一二三四五六七八九十".contains(c)) && !before.next().is_some_and(is_han);
    prev.is_some_and(is_han)
        && !numeral_marker
        && match next {
            None => true,
            Some(c) => is_han(c) || matches!(c, '”' | '’' | '）' | '》') || c.is_whitespace(),
        }
}

/// The span a fix replaces: the mark and the ASCII spaces around it where the
/// full-width mark stands next to Chinese text (full-width marks take no spaces).
fn fix_span(text: &str, pos: usize, len: usize) -> Span {
    let mut start = pos;
    let left = text[..pos].trim_end_matches(' ');
    if left.len() < pos && left.chars().next_back().is_some_and(is_chinese) {
        start = left.len();
    }
    let mut end = pos + len;
    let right = text[end..].trim_start_matches(' ');
    if right.len() < text.len() - end && right.chars().next().is_some_and(is_chinese) {
        end = text.len() - right.len();
    }
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    fn marks(text: &str) -> Vec<&str> {
        run(&HalfwidthPunctuation, text)
            .iter()
            .map(|f| &text[f.span.start..f.span.end])
            .collect()
    }

    #[test]
    fn half_width_commas_and_brackets_in_chinese() {
        let f = run(&HalfwidthPunctuation, META.docs.bad);
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(f[0].message.contains("逗号"), "{}", f[0].message);
        assert_eq!(f[2].fix.as_ref().unwrap().replacement, "（");
    }

    #[test]
    fn every_listed_mark() {
        let text = "一是加强学习;二是注重实效:全年培训6次!是否到位?已核实.\n";
        assert_eq!(marks(text), vec![";", ":", "!", "?", "."]);
        assert_eq!(marks("主要做法:一.加强学习.\n"), vec![":", "."]);
    }

    #[test]
    fn exceptions_are_left_alone() {
        for text in [
            "会议于8:30开始，比例尺为1:500。\n",
            "人均3.5次，增长2.5%。\n",
            "1.坚持党的全面领导。\n",
            "执行GB/T 9704-2012和2011-02-15发布的标准。\n",
            "详见http://www.gov.cn/zhengce?id=1,2，或发邮件至fzb@cq.gov.cn。\n",
            "学习《关于印发(试行)办法的通知》。\n",
            "英文标语为Hello, world!\n",
            "共1,000人次。\n",
            "（一）健全完善推进机制\n",
            "根据大足府办发(2025)35号文件要求。\n",
        ] {
            assert!(marks(text).is_empty(), "{text}: {:?}", marks(text));
        }
    }

    #[test]
    fn shielded_marks_in_chinese_text_are_left_alone() {
        // The shield is worked out only for marks in Chinese text.
        assert!(marks("学习《关于\"放管服\"改革的意见》。\n").is_empty());
        assert!(marks("详见http://www.gov.cn/a,中文。\n").is_empty());
        let text = "学习《\"十四五\"规划》和\"法治\"建设。\n";
        let f = run(&HalfwidthPunctuation, text);
        let at: Vec<usize> = f.iter().map(|f| f.span.start).collect();
        assert_eq!(at, vec![text.find("和").unwrap() + 3, text.find("建").unwrap() - 1]);
        assert!(f.iter().all(|f| f.fix.is_some()), "two marks outside the title: a pair");
    }

    #[test]
    fn brackets_are_judged_as_pairs() {
        assert_eq!(marks("完成检查(覆盖率42.48%),妥善处理。\n"), vec!["(", ")", ","]);
        assert_eq!(marks("在信用中国(重庆)平台公示。\n"), vec!["(", ")"]);
        assert!(marks("型号为X(2)-B。\n").is_empty());
    }

    #[test]
    fn ascii_double_quotes() {
        let text = "开展\"宪法宣传周\"和\"民法典宣传月\"活动。\n";
        let f = run(&HalfwidthPunctuation, text);
        let fixes: Vec<_> = f.iter().map(|f| f.fix.as_ref().unwrap().replacement.as_str()).collect();
        assert_eq!(fixes, vec!["“", "”", "“", "”"]);
        // an odd count: reported, not fixed
        let f = run(&HalfwidthPunctuation, "开展\"宪法宣传周活动。\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        // Latin text keeps its quotes
        assert!(marks("口号为say \"hello\" now。\n").is_empty());
    }

    #[test]
    fn deeply_nested_brackets_stay_linear() {
        let n = 50_000;
        let text = format!("{}中{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(run(&HalfwidthPunctuation, &text).len(), 2 * n);
        let text = format!("{}\n", "(a)".repeat(n));
        assert!(run(&HalfwidthPunctuation, &text).is_empty());
    }

    #[test]
    fn the_fix_swallows_spaces_next_to_chinese() {
        let text = "开展培训 , 提升能力。\n";
        let f = run(&HalfwidthPunctuation, text);
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(&text[fix.span.start..fix.span.end], " , ");
        assert_eq!(fix.replacement, "，");
    }

    #[test]
    fn heading_markers_belong_to_heading_style() {
        assert_eq!(marks("(一)健全机制,统筹谋划\n"), vec![","]);
    }
}
