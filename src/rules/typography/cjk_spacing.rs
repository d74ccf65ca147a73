use super::scan::{within, MarkTable};
use super::{checked_lines, is_chinese, is_han, LineShield};
use crate::finding::{Finding, Severity};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct CjkSpacing;

static META: RuleMeta = RuleMeta {
    id: "cjk-spacing",
    category: Category::Typography,
    severity: Severity::Warning,
    fixable: true,
    summary: "中文里多余的空格（汉字之间、汉字与数字之间），以及在词语中间断开的行",
    docs: Docs {
        what: "查找中文文字中间多余的空格：汉字与汉字之间、汉字与数字之间、中文标点前后。也报告转换时在一句话中间（甚至一个词中间）断开的行。行首缩进、标题行和落款的排版空格、标题序号后的空格（由 heading-style 报告）、网址和“GB/T 9704-2012”这样的字母数字串、书名号内的标题都不检查。自动修复只删除不可能改变意思的空格：汉字与数字之间、中文标点旁边的空格；两个汉字之间的空格可能分隔并列的词语（如人名），连续两个空格、断行也可能是作者有意为之，这些只报告、不自动修改；制表符或三个以上的空格是表格的对齐，不检查。",
        why: "公文正文中汉字与汉字、汉字与阿拉伯数字之间不加空格；多余的空格和断行多是从 PDF、网页或其他软件复制时带入的，会把一个词拆开，影响阅读和检索。",
        bad: "全年办理简易程序 17起，没收违法所得 0.261万元，一汽 大众天津分公司。\n",
        good: "全年办理简易程序17起，没收违法所得0.261万元，执行GB/T 9704-2012标准，使用LED 大屏宣传。\n",
        basis: "GB/T 9704-2012《党政机关公文格式》对正文排版的要求（正文连续排印，不在字词之间加空格）；GB/T 15835-2011《出版物上数字用法》。",
    },
};

impl Rule for CjkSpacing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let layout = layout_lines(cx);
        // The spaces of the text.
        let spaces = super::marks(cx, MarkTable::SPACES);
        let mut from = 0;
        for i in checked_lines(cx) {
            let content = doc.lines[i].content;
            let here = within(spaces, &mut from, content.start, content.end);
            if here.is_empty() || layout.contains(&i) {
                continue;
            }
            let text = doc.slice(content);
            // The shield is worked out only for a space that would be reported.
            let shield = LineShield::new(cx, i);
            for (start, end, before, after) in space_runs(text, here, content.start) {
                let span = Span::new(content.start + start, content.start + end);
                if let (Some(b), true) = (before, after != '\n') {
                    if let Some(f) = space_finding(doc.slice(span), span, b, after) {
                        if !shield.overlaps(span) {
                            out.push(f);
                        }
                    }
                }
            }
        }
        report_broken_lines(cx, &layout, out);
    }
}

/// The runs of spaces of `text` (a line's content, at `base` in the whole
/// text), from `at`: the positions (in the whole text) of its spaces, in
/// order. Each run as its start and end in `text`, the character before it
/// (`None` at the start of the line) and the one after it (`'\n'` at the end).
fn space_runs<'t>(
    text: &'t str,
    at: &'t [usize],
    base: usize,
) -> impl Iterator<Item = (usize, usize, Option<char>, char)> + 't {
    let len = |p: usize| text[p..].chars().next().map_or(1, char::len_utf8);
    let mut k = 0;
    std::iter::from_fn(move || {
        let start = at.get(k)? - base;
        let mut end = start + len(start);
        k += 1;
        while at.get(k).is_some_and(|&p| p - base == end) {
            end += len(end);
            k += 1;
        }
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next().unwrap_or('\n');
        Some((start, end, before, after))
    })
}

/// The runs of spaces of `text`, one character at a time: what
/// [`space_runs`] is tested against.
#[cfg(test)]
fn plain_space_runs(text: &str, is_space: impl Fn(char) -> bool) -> Vec<(usize, usize, Option<char>, char)> {
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut before_run: Option<char> = None;
    for (pos, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        if is_space(c) {
            if run_start.is_none() {
                run_start = Some(pos);
                before_run = prev;
            }
        } else if let Some(start) = run_start.take() {
            out.push((start, pos, before_run, c));
        }
        prev = Some(c);
    }
    out
}

/// The finding for the space `run` between `before` and `after`, if it is one.
fn space_finding(run: &str, span: Span, before: char, after: char) -> Option<Finding> {
    let digit = |c: char| c.is_ascii_digit();
    let both_chinese = is_chinese(before) && is_chinese(after);
    let han_digit = (is_chinese(before) && digit(after)) || (digit(before) && is_chinese(after));
    // A tab or a wide gap lays out columns (a table pasted as text): not a stray space.
    let chars = run.chars().count();
    if !(both_chinese || han_digit) || run.contains('\t') || chars > 2 {
        return None;
    }
    let shown: String = run.chars().map(|c| if c == '\u{3000}' { '□' } else { '␣' }).collect();
    let mut f = Finding::new(
        META.id,
        META.severity,
        span,
        format!("“{before}”与“{after}”之间有多余的空格（{} 个）", run.chars().count()),
    )
    .label(format!("多余的空格“{shown}”"));
    // Safe to delete: a space next to a digit or a Chinese punctuation mark
    // never separates two words; between two Chinese characters it may.
    let punct = |c: char| is_chinese(c) && !is_han(c);
    if chars == 1 && (han_digit || punct(before) || punct(after)) {
        f = f.help("删除这个空格").fix(span, "");
    } else {
        f = f.help("删除这个空格；如果它用来分隔并列的词语，改用顿号“、”");
    }
    Some(f)
}

/// Lines whose spaces are layout, not text: the title block and the signature.
fn layout_lines(cx: &Context) -> Vec<usize> {
    let doc = cx.doc;
    let mut lines = Vec::new();
    if let Some(t) = &cx.facts.title {
        lines.extend(doc.line_of(t.span.start)..=doc.line_of(t.span.end));
    }
    if let Some(s) = &cx.facts.signature {
        lines.push(s.line);
        if let Some(issuer) = s.issuer {
            lines.push(doc.line_of(issuer.start));
        }
        lines.extend(s.line..doc.lines.len().min(s.line + 3));
    }
    lines
}

/// A paragraph broken between two Chinese characters: the converter wrapped
/// a line in the middle of a sentence or a word (`切实用习` / `近平法治思想`).
/// A short line without a full stop is more likely a heading that lost its
/// number than a broken line, and is left alone.
fn report_broken_lines(cx: &Context, layout: &[usize], out: &mut Vec<Finding>) {
    let doc = cx.doc;
    for p in doc.paragraphs.iter().filter(|p| p.last_line > p.first_line) {
        for j in p.first_line..p.last_line {
            if layout.contains(&j) || cx.facts.is_chrome(j) {
                continue;
            }
            let prev = doc.slice(doc.lines[j].content);
            let next = doc.slice(doc.lines[j + 1].content);
            let (Some(a), Some(b)) = (prev.chars().next_back(), next.chars().next()) else {
                continue;
            };
            let sentence_like = prev.contains(['。', '；', '！', '？']) || prev.chars().count() > 40;
            if !(is_han(a) && is_han(b) && sentence_like) {
                continue;
            }
            let end = doc.lines[j].content.end;
            let tail: String = prev
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let head: String = next.chars().take(4).collect();
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    Span::new(end - a.len_utf8(), end),
                    format!("一句话在“{tail}”和“{head}”之间断成了两行"),
                )
                .label("此处断行")
                .help("把下一行接到这一行末尾，删去中间的换行"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    proptest::proptest! {
        /// The runs found from the marks are the runs of a walk over every character.
        #[test]
        fn space_runs_are_the_plain_runs(text in "[ \u{3000}\u{a0}\u{2002}\u{2003}\t\u{2009}中文a1，\n]{0,30}", base in 0usize..3) {
            let kb = crate::knowledge::Knowledge::builtin("fazhi-annual").unwrap();
            let t = &kb.typography;
            let at: Vec<usize> = t.mark_table.scan(&text).sets[MarkTable::SPACES].iter().map(|p| p + base).collect();
            let fast: Vec<_> = space_runs(&text, &at, base).collect();
            proptest::prop_assert_eq!(fast, plain_space_runs(&text, |c| t.is_space(c)));
        }
    }

    #[test]
    fn spaces_between_chinese_and_digits() {
        let f = run(&CjkSpacing, META.docs.bad);
        assert_eq!(f.len(), 3, "{f:?}");
        assert_eq!(f[0].fix.as_ref().unwrap().replacement, "");
        assert!(f[2].fix.is_none(), "between two Chinese characters: report only");
        assert!(f[2].message.contains("“汽”与“大”"), "{}", f[2].message);
    }

    #[test]
    fn a_space_in_chinese_text_inside_a_shielded_span_is_left_alone() {
        // The shield is worked out only for such spaces.
        let text = "学习《中华 人民》，推进 法治。\n";
        let f = run(&CjkSpacing, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].span.start, text.find("进 ").unwrap() + "进".len());
    }

    #[test]
    fn spaces_next_to_chinese_punctuation_are_fixed() {
        let f = run(&CjkSpacing, "开展培训， 提升能力　。\n");
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| f.fix.is_some()));
    }

    #[test]
    fn layout_and_latin_spaces_are_left_alone() {
        for text in [
            "　　2024年，全面推进依法行政。  \n",
            "执行GB/T 9704-2012，使用LED 大屏和ISO 9001标准。\n",
            "学习《XX 管理办法》。\n",
            "1. 完善规范性文件制定和审查制度。\n",
            "（2） 强化队伍建设。\n",
            "详见 http://www.gov.cn 网站。\n",
            "行政许可    3706条\n",
            "行政许可\t3706条\n",
        ] {
            assert!(
                run(&CjkSpacing, text).is_empty(),
                "{text}: {:?}",
                run(&CjkSpacing, text)
            );
        }
    }

    #[test]
    fn title_and_signature_lines_keep_their_layout() {
        let text = "重庆市某某委员会 关于2025年法治政府建设情况的报告\n一、主要举措和成效\n（一）制度建设。全年制定文件3件。\n\n某某委员会  办公室\n2026年1月12日\n";
        assert!(run(&CjkSpacing, text).is_empty(), "{:?}", run(&CjkSpacing, text));
    }

    #[test]
    fn two_spaces_are_reported_without_a_fix() {
        let f = run(&CjkSpacing, "办理简易程序  17起。\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn a_line_broken_inside_a_word() {
        let text =
            "（二）强化队伍建设。一是领导干部带头学法用法，以法治思维引领工作实践，切实用习\n近平法治思想武装头脑。\n";
        let f = run(&CjkSpacing, text);
        assert_eq!(lines(text, &f), vec![1]);
        assert!(f[0].message.contains("用习"), "{}", f[0].message);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn a_heading_that_lost_its_number_is_not_a_broken_line() {
        let text = "依法履行政府职能，夯实法治政府建设基础\n主要负责人履行推进法治建设第一责任人职责。\n";
        assert!(run(&CjkSpacing, text).is_empty());
    }
}
