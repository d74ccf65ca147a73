use super::data::MarkPair;
use super::scan::{char_at, within, MarkTable};
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct UnpairedMark;

static META: RuleMeta = RuleMeta {
    id: "unpaired-mark",
    category: Category::Typography,
    severity: Severity::Error,
    fixable: false,
    summary: "成对的标号不配对：引号、书名号、括号缺了前半或后半",
    docs: Docs {
        what: "检查成对使用的标号“”‘’《》〈〉（）〔〕【】在一个段落内是否配对，允许嵌套，引号可以跨越同一段落的几行。报告缺少另一半的那个标号的位置。",
        why: "缺了一半的引号或书名号让读者分不清引用或标题从哪里开始、到哪里结束，多是删改时误删或复制时丢失，公开前必须补正。",
        bad: "开展“爱国卫生月”“世界防治结核病日”职业病防治法宣传周”等专题活动。\n",
        good: "开展“爱国卫生月”“世界防治结核病日”“职业病防治法宣传周”等专题活动，学习《民法典》（2020年）。\n",
        basis: "GB/T 15834-2011《标点符号用法》：引号、括号、书名号均为成对使用的标号，标示引用、注释和书名的起止。",
    },
};

impl Rule for UnpairedMark {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let t = &cx.kb.typography;
        // Only the marks are looked at.
        let marks = super::marks(cx, MarkTable::PAIRS);
        let roles = t.pair_roles();
        let mut scratch = Scratch::default();
        let mut from = 0;
        for unit in units(cx) {
            let here = within(marks, &mut from, unit.start, unit.end);
            if !here.is_empty() {
                check_unit(cx.doc, unit, here, &t.pairs, roles, &mut scratch, out);
            }
        }
    }
}

/// The spans checked one at a time: a paragraph whose lines a converter broke
/// is one unit (a quotation may run across its lines); every other line of
/// content outside the web chrome is a unit of its own.
fn units(cx: &Context) -> Vec<Span> {
    let doc = cx.doc;
    let mut joined_until = vec![None; doc.lines.len()];
    for p in &doc.paragraphs {
        if p.last_line > p.first_line {
            joined_until[p.first_line] = Some(p.last_line);
        }
    }
    let mut units = Vec::with_capacity(doc.lines.len());
    let mut i = 0;
    while i < doc.lines.len() {
        let last = joined_until[i].unwrap_or(i);
        if !cx.facts.is_chrome(i) && !doc.lines[i].content.is_empty() {
            units.push(Span::new(doc.lines[i].content.start, doc.lines[last].content.end));
        }
        i = last + 1;
    }
    units
}

#[derive(Debug, Clone, Copy)]
enum Role {
    Open(usize),
    Close(usize),
}

/// The role of each mark, sorted by character for a binary search; the
/// first pair that names a character decides its role, as in the table.
/// Made once with the tables (`TypographyRules::pair_roles`).
#[derive(Debug, Clone)]
pub struct Roles(Vec<(char, Role)>);

impl Roles {
    pub fn of(pairs: &[MarkPair]) -> Roles {
        let mut all: Vec<(char, Role)> = Vec::new();
        for (k, p) in pairs.iter().enumerate() {
            // Within a pair, the opening spellings are tried first.
            let chars = [(p.open, true), (p.alt_open.unwrap_or(p.open), true)]
                .into_iter()
                .chain([(p.close, false), (p.alt_close.unwrap_or(p.close), false)]);
            for (c, open) in chars {
                if !all.iter().any(|&(x, _)| x == c) {
                    all.push((c, if open { Role::Open(k) } else { Role::Close(k) }));
                }
            }
        }
        all.sort_by_key(|&(c, _)| c);
        Roles(all)
    }

    fn get(&self, c: char) -> Option<Role> {
        self.0.binary_search_by_key(&c, |&(x, _)| x).ok().map(|i| self.0[i].1)
    }
}

/// A stack of open marks with a count per kind, so that a closing mark whose
/// opener lies deeper closes the marks above it (each reported once) and a
/// closing mark with no opener at all is reported without touching the stack.
/// Every mark is pushed and popped at most once: linear in the unit's length.
/// `marks`: the positions in the unit (in the whole text) of every mark, and
/// maybe of other characters.
fn check_unit(
    doc: &Document,
    unit: Span,
    marks: &[usize],
    pairs: &[MarkPair],
    roles: &Roles,
    scratch: &mut Scratch,
    out: &mut Vec<Finding>,
) {
    let text = doc.slice(unit);
    // Most units hold no paired mark at all: nothing to set up for them.
    let is_mark = |at: usize| {
        let c = char_at(text, at - unit.start);
        !super::is_han(c) && roles.get(c).is_some()
    };
    let Some(first) = marks.iter().position(|&at| is_mark(at)) else {
        return;
    };
    let Scratch {
        stack,
        open_count,
        unclosed,
    } = scratch;
    stack.clear();
    unclosed.clear();
    open_count.clear();
    open_count.resize(pairs.len(), 0);
    // The characters with their offsets, needed only around a stray closing
    // mark: built on the first one.
    let mut chars: Vec<(usize, char)> = Vec::new();
    for &at in &marks[first..] {
        let pos = at - unit.start;
        let c = char_at(text, pos);
        if super::is_han(c) {
            continue;
        }
        match roles.get(c) {
            Some(Role::Open(k)) => {
                stack.push((pos, k));
                open_count[k] += 1;
            }
            Some(Role::Close(k)) => {
                if open_count[k] == 0 {
                    if chars.is_empty() {
                        chars = text.char_indices().collect();
                    }
                    let n = chars.partition_point(|&(p, _)| p < pos);
                    // An apostrophe inside a Latin word (don’t) is not a quote.
                    let latin = |i: Option<&(usize, char)>| i.is_some_and(|&(_, c)| c.is_ascii_alphabetic());
                    if c == '’' && latin(n.checked_sub(1).and_then(|p| chars.get(p))) && latin(chars.get(n + 1)) {
                        continue;
                    }
                    if is_enumerator(&chars, n) {
                        continue;
                    }
                    report_close(unit.start + pos, c, &pairs[k], out);
                    continue;
                }
                while let Some((p, kind)) = stack.pop() {
                    open_count[kind] -= 1;
                    if kind == k {
                        break;
                    }
                    unclosed.push((p, kind));
                }
            }
            None => {}
        }
    }
    unclosed.append(stack);
    unclosed.sort_unstable();
    for &(pos, k) in unclosed.iter() {
        let p = &pairs[k];
        let open = text[pos..].chars().next().unwrap_or(p.open);
        out.push(
            Finding::new(
                META.id,
                META.severity,
                Span::new(unit.start + pos, unit.start + pos + open.len_utf8()),
                format!("{}“{}”没有对应的后半“{}”", p.name, open, p.close),
            )
            .label("缺少配对的后半")
            .help(format!("在引用或标题结束处补上“{}”，或删去多余的“{}”", p.close, open)),
        );
    }
}

/// The stack, counts and unclosed marks of [`check_unit`], kept from one
/// unit to the next.
#[derive(Default)]
struct Scratch {
    stack: Vec<(usize, usize)>,
    open_count: Vec<usize>,
    unclosed: Vec<(usize, usize)>,
}

/// A closing bracket right after a short number at the start of a clause is
/// a list marker (`1）建立台账；2）开展培训`), not half of a pair.
fn is_enumerator(chars: &[(usize, char)], n: usize) -> bool {
    if !matches!(chars[n].1, '）' | ')') {
        return false;
    }
    let numeral = |c: char| c.is_ascii_alphanumeric() || "一二三四五六七八九十".contains(c);
    let mut k = n;
    while k > 0 && numeral(chars[k - 1].1) && n - k < 3 {
        k -= 1;
    }
    if k == n || (k > 0 && numeral(chars[k - 1].1)) {
        return false;
    }
    k == 0 || {
        let before = chars[k - 1].1;
        before.is_whitespace() || "，。；：、！？,.;:".contains(before)
    }
}

fn report_close(at: usize, c: char, p: &MarkPair, out: &mut Vec<Finding>) {
    out.push(
        Finding::new(
            META.id,
            META.severity,
            Span::new(at, at + c.len_utf8()),
            format!("{}“{}”前面没有对应的前半“{}”", p.name, c, p.open),
        )
        .label("缺少配对的前半")
        .help(format!("在引用或标题开始处补上“{}”，或删去多余的“{}”", p.open, c)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    fn found(text: &str) -> Vec<(String, String)> {
        run(&UnpairedMark, text)
            .iter()
            .map(|f| (text[f.span.start..f.span.end].to_string(), f.message.clone()))
            .collect()
    }

    #[test]
    fn a_closing_quote_without_its_opener_and_a_stray_opener() {
        let text = "开展“爱国卫生月”“世界防治结核病日”职业病防治法宣传周”“宪法宣传周”“等专题活动。\n";
        let f = run(&UnpairedMark, text);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(&text[f[0].span.start..f[0].span.end], "”");
        assert!(f[0].message.contains("前半"), "{}", f[0].message);
        assert_eq!(&text[f[1].span.start..f[1].span.end], "“");
        assert_eq!(text[f[1].span.end..].chars().next(), Some('等'));
    }

    #[test]
    fn nesting_of_every_kind_is_fine() {
        let text = "他说：“要学习《关于〈民法典〉的说明》和‘八五’普法规划（2021—2025年）【摘要】〔2025〕。”\n";
        assert!(found(text).is_empty(), "{:?}", found(text));
    }

    #[test]
    fn crossed_marks_report_the_inner_one() {
        let f = found("学习《民法典（草案》。\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "（");
    }

    #[test]
    fn a_quote_may_span_the_lines_of_one_paragraph() {
        let text = "领导干部带头学法用法，围绕“切实用习近平法治思想武装头脑、指导\n实践”开展学习。\n";
        assert!(found(text).is_empty());
        // but not across paragraphs
        let text = "一、开展“学法\n\n二、用法”活动\n";
        let f = run(&UnpairedMark, text);
        assert_eq!(lines(text, &f), vec![1, 3]);
    }

    #[test]
    fn half_width_brackets_pair_with_full_width_ones() {
        assert!(found("覆盖率（42.48%)。\n").is_empty());
        assert_eq!(found("覆盖率42.48%)。\n").len(), 1);
    }

    #[test]
    fn list_markers_with_a_closing_bracket_only() {
        assert!(found("主要做法：1）建立台账；2）开展培训；a)加强宣传。\n").is_empty());
        assert!(found("一）加强学习。\n").is_empty());
        assert_eq!(found("完成检查384户）。\n").len(), 1);
        assert_eq!(found("覆盖率达到100）。\n").len(), 1);
    }

    #[test]
    fn apostrophes_in_latin_words() {
        assert!(found("标语“Don’t give up”。\n").is_empty());
    }

    #[test]
    fn fifty_thousand_nested_quotes_stay_linear() {
        let n = 50_000;
        let text = format!("{}中{}\n", "“".repeat(n), "”".repeat(n));
        assert!(found(&text).is_empty());
        let text = format!("{}中\n", "“".repeat(n));
        assert_eq!(run(&UnpairedMark, &text).len(), n);
        let text = format!("{}{}\n", "“《".repeat(n), "”".repeat(n));
        assert_eq!(run(&UnpairedMark, &text).len(), n);
    }
}
