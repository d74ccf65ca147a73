use crate::document::{Document, LineKind};
use crate::finding::{Finding, Severity};
use crate::numbers::{NumberRules, Quantity};
use crate::numerals::to_cn;
use crate::rules::consistency::{clip, inside_quotes};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct DeclaredCount;

static META: RuleMeta = RuleMeta {
    id: "declared-count",
    category: Category::Outline,
    severity: Severity::Error,
    fixable: false,
    summary: "声明的条目数（“存在四方面不足”“抓好以下三项工作”）与其后实际列出的条目数不符",
    docs: Docs {
        what: "找出“存在四方面不足：”“重点抓好以下三项工作：”这类先说数目、再逐条列举的表述，数一数其后实际列出的条目：下一级标题（（一）（二）、1. 2.）、“一是、二是”、段内编号或“、”“；”分隔的列举，数目不符即报告。紧挨在数目前的顿号列举（“A、B、C等五大领域”）也核对：以“等”收尾的列举可以少于声明的数目。“五个一”“三项制度”“双随机”“四个意识”“十四五”等固定提法和引号内的数字不是条目数，不作检查；列举不清楚的地方一律不报。",
        why: "“存在四方面不足”后面只写了三条，是增删内容后忘了改数字的典型痕迹，审核时一眼就能看出，会让读者怀疑内容有遗漏，也损害报告的严谨性。",
        bad: "三、存在的不足和原因\n仍存在四方面短板不足：\n1.执法力量配备不足。\n2.基层队伍能力薄弱。\n3.普法宣传质效不优。\n",
        good: "三、存在的不足和原因\n仍存在三方面短板不足：\n1.执法力量配备不足。\n2.基层队伍能力薄弱。\n3.普法宣传质效不优。\n",
        basis: "《党政机关公文处理工作条例》（中办发〔2012〕14号）第十九条：公文应“内容简洁，主题突出，观点鲜明，结构严谨，表述准确”；GB/T 9704-2012 对层次序数的要求。",
    },
};

/// Counts are 2–20: no list needs to be followed further than this.
const MAX_ITEMS: usize = 40;

/// The items found after (or before) a stated count.
struct Items {
    labels: Vec<(Span, String)>,
    /// The list ends with 等: it may be shorter than the count.
    open_ended: bool,
    /// The last item of a 、 list holds a conjunction (A、B和C): it may be two.
    joined_last: bool,
}

impl Items {
    fn new(labels: Vec<(Span, String)>) -> Items {
        Items {
            labels,
            open_ended: false,
            joined_last: false,
        }
    }
}

impl Rule for DeclaredCount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let rules = NumberRules::builtin();
        let numbers = doc.numbers();
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            if !cx.facts.in_body(p.first_line) {
                continue;
            }
            for q in numbers.within(p.span) {
                if !is_declared_count(doc, rules, q, p.span.start) {
                    continue;
                }
                let colon_form = rules.declared_nouns.iter().any(|w| w == q.unit);
                let items = if colon_form {
                    match colon_after(doc, rules, q, p.span.end) {
                        Some(colon) => items_after_colon(doc, pi, colon),
                        None => list_before(doc, rules, q, p.span.start),
                    }
                } else {
                    list_before(doc, rules, q, p.span.start)
                };
                let Some(items) = items else { continue };
                let n = q.value as usize;
                let found = items.labels.len();
                if found == n || (items.open_ended && found < n) || (items.joined_last && found + 1 == n) {
                    continue;
                }
                // The report's top-level sections are its parts, not an announced list.
                if let Some((first, _)) = items.labels.first() {
                    if let LineKind::Heading(h) = doc.lines[doc.line_of(first.start)].kind {
                        let h = &doc.headings[h];
                        if h.title.start == first.start && Some(h.level) == cx.facts.top_level {
                            continue;
                        }
                    }
                }
                out.push(finding(doc, q, &items));
            }
        }
        // A heading that announces its items: `三、存在以下三个方面问题：`.
        for h in &doc.headings {
            if !cx.facts.in_body(h.line) || h.body.is_some() {
                continue;
            }
            let rest = &doc.text[h.title.end..doc.lines[h.line].content.end];
            if !(rest.starts_with('：') || rest.starts_with(':')) || rest.chars().count() > 1 {
                continue;
            }
            for q in numbers.within(h.title) {
                if !is_declared_count(doc, rules, q, h.title.start)
                    || !rules.declared_nouns.iter().any(|w| w == q.unit)
                    || colon_after(doc, rules, q, doc.lines[h.line].content.end).is_none()
                {
                    continue;
                }
                let Some(items) = items_on_next_lines(doc, h.line) else {
                    continue;
                };
                let n = q.value as usize;
                if items.labels.len() != n {
                    out.push(finding(doc, q, &items));
                }
            }
        }
    }
}

/// A count that may announce a list: exact, 2–20, a measure word of items,
/// not part of a fixed term, not quoted, not referring back (上述三项).
fn is_declared_count(doc: &Document, rules: &NumberRules, q: &Quantity, para_start: usize) -> bool {
    if !q.exact() || q.int().is_none() || !(2.0..=20.0).contains(&q.value) {
        return false;
    }
    if !rules.is_item_noun(q.unit) {
        return false;
    }
    let text = &doc.text;
    if rules.in_fixed_term(text, q.span) || inside_quotes(text, para_start, q.span.start) {
        return false;
    }
    let before = &text[para_start..q.span.start];
    let refers_back = ["上述", "以上", "前述", "这"].iter().any(|w| before.ends_with(w));
    !refers_back && !text[q.span.end..].starts_with('”')
}

/// The colon that closes the clause of a count (`抓好以下三项工作：`), if it
/// follows within a few characters with no other punctuation between.
fn colon_after(doc: &Document, rules: &NumberRules, q: &Quantity, end: usize) -> Option<usize> {
    let rest = &doc.text[q.span.end..end];
    for (n, (k, c)) in rest.char_indices().enumerate() {
        if n > rules.declare_before_colon_max_chars {
            return None;
        }
        match c {
            '：' | ':' => return Some(q.span.end + k + c.len_utf8()),
            '，' | '。' | '；' | ',' | ';' | '、' | '“' | '”' | '（' | '(' => return None,
            _ => {}
        }
    }
    None
}

/// The items after a colon that ends at byte `colon` in paragraph `pi`.
fn items_after_colon(doc: &Document, pi: usize, colon: usize) -> Option<Items> {
    let p = &doc.paragraphs[pi];
    let rest = &doc.text[colon..p.span.end];
    let lead = rest.len() - rest.trim_start().len();
    let start = colon + lead;
    if start >= p.span.end {
        return items_on_next_lines(doc, p.last_line);
    }
    // 一是 … 二是 … right after the colon.
    let k = p.enums.partition_point(|m| m.span.start < start);
    if p.enums.get(k).is_some_and(|m| m.span.start == start) {
        return enum_run(doc, pi, k);
    }
    // The list runs to the end of its sentence; 300 characters at most (bounded: linear).
    let rest = &doc.text[start..p.span.end];
    let end = rest
        .char_indices()
        .take(300)
        .find(|(_, c)| *c == '。')
        .map(|(k, _)| start + k)
        .or_else(|| rest.char_indices().nth(300).is_none().then_some(p.span.end))?;
    let list = Span::new(start, end);
    inline_numbered(doc, list).or_else(|| separated_list(doc, list))
}

/// The items on the lines after `last_line` (a paragraph or heading that ends
/// with a colon): child headings numbered from 1, or a 一是/二是 run.
fn items_on_next_lines(doc: &Document, last_line: usize) -> Option<Items> {
    let next = (last_line + 1..doc.lines.len()).find(|&l| doc.lines[l].kind != LineKind::Blank)?;
    match doc.lines[next].kind {
        LineKind::Heading(h) => heading_run(doc, h),
        LineKind::Text => {
            let np = doc.paragraphs.partition_point(|q| q.first_line < next);
            (doc.paragraphs.get(np)?.first_line == next).then_some(())?;
            let first = doc.paragraphs[np].enums.first()?;
            (first.span.start == doc.paragraphs[np].span.start && first.number == 1).then_some(())?;
            enum_run(doc, np, 0)
        }
        _ => None,
    }
}

/// Headings at the level of heading `h`, numbered 1, 2, 3 … from `h` on,
/// until a heading of a higher level, a break in the numbers, or a text line
/// that announces another list.
fn heading_run(doc: &Document, h: usize) -> Option<Items> {
    let first = &doc.headings[h];
    if first.marker.number != 1 {
        return None;
    }
    let level = first.level;
    let mut labels = vec![(first.title, doc.heading_title(first).to_string())];
    let mut line = first.line + 1;
    for g in &doc.headings[h + 1..] {
        // A text line ending with a colon between two items opens a new list.
        let announces = (line..g.line).any(|l| {
            doc.lines[l].kind == LineKind::Text && {
                let t = doc.line_text(l);
                t.ends_with('：') || t.ends_with(':')
            }
        });
        if g.level < level || announces {
            break;
        }
        line = g.line + 1;
        if g.level > level {
            continue;
        }
        if labels.len() >= MAX_ITEMS {
            break;
        }
        if g.marker.number as usize != labels.len() + 1 {
            break;
        }
        labels.push((g.title, doc.heading_title(g).to_string()));
    }
    Some(Items::new(labels))
}

/// A 一是/二是 run starting with marker `k` of paragraph `pi`, continued in
/// the following paragraphs when they open with the next marker.
fn enum_run(doc: &Document, pi: usize, k: usize) -> Option<Items> {
    let mut labels = Vec::new();
    let mut pi = pi;
    let mut k = k;
    loop {
        let p = &doc.paragraphs[pi];
        for (j, m) in p.enums.iter().enumerate().skip(k) {
            if m.number as usize != labels.len() + 1 || labels.len() >= MAX_ITEMS {
                return (!labels.is_empty()).then_some(Items::new(labels));
            }
            let end = p.enums.get(j + 1).map_or(p.span.end, |n| n.span.start);
            labels.push((Span::new(m.span.start, end), item_label(&doc.text[m.span.end..end])));
        }
        // Continue in the next paragraph only if it opens with the next marker.
        let Some(np) = doc.paragraphs.get(pi + 1) else { break };
        let heading_between = np.heading.is_some()
            || (p.last_line + 1..np.first_line).any(|l| matches!(doc.lines[l].kind, LineKind::Heading(_)));
        match np.enums.first() {
            Some(m) if !heading_between && m.span.start == np.span.start && m.number as usize == labels.len() + 1 => {
                pi += 1;
                k = 0;
            }
            _ => break,
        }
    }
    (!labels.is_empty()).then_some(Items::new(labels))
}

/// The first clause of an item, for the message.
fn item_label(s: &str) -> String {
    let end = s
        .char_indices()
        .find(|(_, c)| matches!(c, '，' | '。' | '；' | '：' | ',' | ';' | ':'))
        .map_or(s.len(), |(k, _)| k);
    clip(&s[..end], 16)
}

/// Items numbered inside the text after the colon: （1）…（2）…, （一）…（二）…, ①…②…, 1.…2.…
fn inline_numbered(doc: &Document, span: Span) -> Option<Items> {
    let text = &doc.text[span.start..span.end];
    let markers = inline_markers(text);
    let first = markers.first()?;
    if first.0 != 0 || first.2 != 1 {
        return None;
    }
    let mut labels = Vec::new();
    for (j, &(at, len, n, style)) in markers.iter().enumerate() {
        if n as usize != labels.len() + 1 || style != first.3 {
            break;
        }
        let end = markers.get(j + 1).map_or(text.len(), |m| m.0);
        labels.push((
            Span::new(span.start + at, span.start + end),
            item_label(&text[at + len..end]),
        ));
    }
    Some(Items::new(labels))
}

/// (offset, length, number, style) of the inline item markers of `text`.
fn inline_markers(text: &str) -> Vec<(usize, usize, u32, u8)> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let boundary = match prev {
            None => true,
            Some(p) => matches!(p, '；' | ';' | '。' | '，' | '：' | ' ' | '　'),
        };
        if let Some(n) = crate::numerals::parse_circled(c) {
            out.push((at, c.len_utf8(), n, 0));
        } else if (c == '（' || c == '(') && i + 2 < chars.len() {
            // （1） or （一）
            let close = chars[i + 1..].iter().take(4).position(|(_, d)| *d == '）' || *d == ')');
            if let Some(off) = close {
                let inner_start = chars[i + 1].0;
                let (end_at, end_c) = chars[i + 1 + off];
                let inner = &text[inner_start..end_at];
                let (n, style) = if inner.chars().all(|d| d.is_ascii_digit()) {
                    (inner.parse().ok(), 1)
                } else {
                    (crate::numerals::parse_cn(inner), 2)
                };
                if let (Some(n), true) = (n, boundary) {
                    out.push((at, end_at + end_c.len_utf8() - at, n, style));
                }
            }
        } else if c.is_ascii_digit() && boundary {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j].1, '.' | '．' | '、') {
                let next_is_digit = chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit());
                if !next_is_digit && j - i <= 2 {
                    if let Ok(n) = text[at..chars[j].0].parse() {
                        out.push((at, chars[j].0 + chars[j].1.len_utf8() - at, n, 3));
                    }
                }
            }
        }
        prev = Some(c);
        i += 1;
    }
    out
}

/// A list after the colon up to the end of its sentence: items separated by
/// ；, or by 、 when the sentence has no comma. `None` when unclear.
fn separated_list(doc: &Document, span: Span) -> Option<Items> {
    let text = &doc.text[span.start..span.end];
    let end = text.find('。').unwrap_or(text.len());
    let body = &text[..end];
    let semi = split_top(body, &['；', ';']);
    let (parts, sep_is_semi) = if semi.len() >= 2 {
        (semi, true)
    } else if !body.contains('，') && !body.contains(',') {
        (split_top(body, &['、']), false)
    } else {
        return None;
    };
    if parts.len() < 2 || parts.iter().any(|(_, s)| s.trim().is_empty()) {
        return None;
    }
    let last = parts.last().map_or("", |p| p.1).trim_end();
    let open_ended = last.ends_with('等') || last.ends_with("等等") || last.ends_with("等方面");
    if sep_is_semi {
        // Ambiguous when the first item is itself a 、 list.
        if split_top(parts[0].1, &['、']).len() > 1 {
            return None;
        }
    }
    Some(Items {
        labels: parts
            .iter()
            .map(|(k, s)| (Span::new(span.start + k, span.start + k + s.len()), item_label(s)))
            .collect(),
        open_ended,
        joined_last: !sep_is_semi && has_conjunction(parts.last().map_or("", |p| p.1)),
    })
}

/// Whether an item holds a conjunction (B和C): it may name two items.
fn has_conjunction(item: &str) -> bool {
    NumberRules::builtin()
        .list_conjunctions
        .iter()
        .any(|w| item.contains(w.as_str()))
}

/// Split at the separators that stand outside brackets and quotes.
fn split_top<'a>(s: &'a str, seps: &[char]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (k, c) in s.char_indices() {
        match c {
            '（' | '(' | '“' | '《' | '【' | '〔' | '「' => depth += 1,
            '）' | ')' | '”' | '》' | '】' | '〕' | '」' => depth -= 1,
            _ if depth <= 0 && seps.contains(&c) => {
                out.push((start, &s[start..k]));
                start = k + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((start, &s[start..]));
    out
}

/// The 、 list standing right in front of a count: `A、B、C等五大领域`,
/// `A、B两个方面`. Only for measure words of kinds (方面, 大, 类 …); with
/// Arabic numerals only after 等. `None` when there is no clear list.
fn list_before(doc: &Document, rules: &NumberRules, q: &Quantity, para_start: usize) -> Option<Items> {
    if !rules.list_nouns.iter().any(|w| w == q.unit) {
        return None;
    }
    let text = &doc.text;
    let mut end = q.span.start;
    let mut open_ended = false;
    for w in ["等等", "等", "共", "这", "计", "在内的"] {
        if text[para_start..end].ends_with(w) {
            open_ended = w.starts_with('等');
            end -= w.len();
            break;
        }
    }
    // Words naming a few kinds strongly; 项 and 个 only after 等.
    let strong = ["个方面", "方面", "大", "类", "种", "级"].contains(&q.unit);
    if !open_ended && (!strong || !q.chinese) {
        return None;
    }
    // 五大领域 counts kinds; 二十大 is a party congress.
    if q.unit == "大" && (q.value > 10.0 || text[para_start..q.span.start].ends_with("党的")) {
        return None;
    }
    // Walk back to the clause boundary.
    let before = &text[para_start..end];
    let mut depth = 0i32;
    let mut start = None;
    // A list of a few short items: look back 120 characters at most.
    for (k, c) in before.char_indices().rev().take(120) {
        match c {
            '）' | ')' | '”' | '》' | '】' | '〕' => depth += 1,
            '（' | '(' | '“' | '《' | '【' | '〔' if depth > 0 => depth -= 1,
            _ if depth == 0
                && matches!(
                    c,
                    '，' | '。' | '；' | '：' | ',' | ';' | ':' | '！' | '？' | '（' | '(' | '“'
                ) =>
            {
                start = Some(k + c.len_utf8());
                break;
            }
            _ => {}
        }
    }
    let start = match start {
        Some(s) => s,
        None if before.char_indices().nth(120).is_none() => 0,
        None => return None,
    };
    let list = &before[start..];
    let parts = split_top(list, &['、']);
    if parts.len() < 2 || parts.iter().any(|(_, s)| s.trim().is_empty() || s.chars().count() > 30) {
        return None;
    }
    let base = para_start + start;
    // A number inside the list makes it unclear what is counted.
    if !doc.numbers().within(Span::new(base, end)).is_empty() {
        return None;
    }
    Some(Items {
        labels: parts
            .iter()
            .map(|(k, s)| (Span::new(base + k, base + k + s.len()), clip(s, 16)))
            .collect(),
        open_ended,
        joined_last: has_conjunction(parts.last().map_or("", |p| p.1)),
    })
}

fn finding(doc: &Document, q: &Quantity, items: &Items) -> Finding {
    // 四大 reads better with its noun: 四大领域.
    let noun: String = if q.unit == "大" {
        doc.text[q.span.end..]
            .chars()
            .take(2)
            .take_while(|c| is_cjk(*c))
            .collect()
    } else {
        String::new()
    };
    let declared = format!("{}{noun}", doc.slice(q.span));
    let n = items.labels.len();
    let shown: Vec<String> = items.labels.iter().take(8).map(|(_, l)| l.clone()).collect();
    let mut listing = shown.join("；");
    if items.labels.len() > shown.len() {
        listing.push_str("；……");
    }
    let actual = format!("{}项", cn_count(n as u32));
    let message = if items.open_ended {
        format!("声明{declared}，但“等”之前已列出{actual}：{listing}")
    } else {
        format!("声明{declared}，实际列出{actual}：{listing}")
    };
    let unit = &q.unit;
    let suggest = if q.chinese {
        format!("{}{unit}{noun}", cn_count(n as u32))
    } else {
        format!("{n}{unit}{noun}")
    };
    let mut f = Finding::new(META.id, META.severity, q.span, message)
        .label(format!("声明{}{}", show_count(q), q.unit))
        .help(format!(
            "核对声明的数目与其后列举的条目：补上遗漏的条目，或把“{declared}”改为“{suggest}”"
        ));
    if let Some((span, _)) = items.labels.first() {
        f = f.with_label(
            Span::new(span.start, span.start + first_char_len(doc, span.start)),
            format!("列举从这里开始，共{actual}"),
        );
    }
    f
}

/// A count in words: 两项, not 二项.
fn cn_count(n: u32) -> String {
    if n == 2 {
        "两".into()
    } else {
        to_cn(n)
    }
}

fn show_count(q: &Quantity) -> String {
    if q.chinese {
        cn_count(q.value as u32)
    } else {
        (q.value as u64).to_string()
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn first_char_len(doc: &Document, at: usize) -> usize {
    doc.text[at..].chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::consistency::corpus;
    use crate::rules::testing::{lines, run};

    fn messages(text: &str) -> Vec<String> {
        run(&DeclaredCount, text).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn child_headings_after_a_colon() {
        let m = messages(META.docs.bad);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(
            m[0],
            "声明四方面，实际列出三项：执法力量配备不足；基层队伍能力薄弱；普法宣传质效不优"
        );
        assert!(messages(META.docs.good).is_empty());
        let text = "四、下一步工作\n重点抓好以下三项工作：\n（一）加强执法队伍建设\n（二）推进非现场执法\n（三）创新普法方式\n（四）深化信用监管\n";
        let f = run(&DeclaredCount, text);
        assert_eq!(lines(text, &f), vec![2]);
        assert!(f[0].message.contains("实际列出四项"), "{}", f[0].message);
    }

    #[test]
    fn enumerations_inline_lists_and_numbered_items() {
        assert_eq!(
            messages("主要存在三方面问题：一是执法力量不足；二是普法形式单一。").len(),
            1
        );
        assert!(messages("主要存在两方面问题：一是执法力量不足；二是普法形式单一。").is_empty());
        assert_eq!(
            messages("下一步做好以下四个方面工作：（1）强化培训；（2）完善制度；（3）加强监督。").len(),
            1
        );
        assert!(messages("重点做好三项工作：①强化培训；②完善制度；③加强监督。").is_empty());
        assert_eq!(
            messages("重点做好五项工作：执法能力建设、监管方式创新、普法宣传教育。")[0],
            "声明五项，实际列出三项：执法能力建设；监管方式创新；普法宣传教育"
        );
    }

    #[test]
    fn a_heading_that_announces_its_items() {
        let text = "三、存在以下三个方面问题：\n（一）学法不深入\n（二）普法不到位\n";
        assert_eq!(
            messages(text),
            vec!["声明三个方面，实际列出两项：学法不深入；普法不到位"]
        );
        let text = "三、存在以下两个方面问题：\n（一）学法不深入\n（二）普法不到位\n";
        assert!(messages(text).is_empty());
        assert!(messages("三、落实三项制度情况\n（一）公示\n").is_empty());
    }

    #[test]
    fn a_run_continues_on_the_next_paragraphs() {
        let text = "（一）存在问题\n存在以下三个方面不足：\n一是学法不深入。\n二是普法不到位。\n三是执法不规范。\n";
        assert!(messages(text).is_empty());
        let text = "（一）存在问题\n存在以下四个方面不足：\n一是学法不深入。\n二是普法不到位。\n三是执法不规范。\n";
        assert_eq!(messages(text).len(), 1);
    }

    #[test]
    fn lists_in_front_of_a_count() {
        assert!(messages("覆盖预防职务犯罪、医疗纠纷化解、职业健康保护、民营经济发展等五大领域。").is_empty());
        assert!(messages("统筹推进公共场所、医疗卫生、职业卫生、放射卫生四大领域监督执法。").is_empty());
        assert_eq!(
            messages("统筹推进公共场所、医疗卫生、放射卫生四大领域监督执法。")[0],
            "声明四大领域，实际列出三项：统筹推进公共场所；医疗卫生；放射卫生"
        );
        assert_eq!(
            messages("聚焦乱收费、乱罚款、乱检查、乱查封等3个方面突出问题。").len(),
            1
        );
        assert!(messages("聚焦乱收费、乱罚款、乱检查、乱查封等8个方面突出问题。").is_empty());
        // Counts of people or cases are not counts of the listed items.
        assert!(messages("组织局机关、二级单位120人参加培训。").is_empty());
        assert!(messages("贯彻市委、市政府三项重点工作部署。").is_empty());
    }

    #[test]
    fn fixed_terms_quotes_and_references_back_are_not_counts() {
        for t in [
            "切实做到“五个一”：学法、述法、考法、用法、普法。",
            "严格落实“三项制度”：执法公示、全过程记录、法制审核。",
            "落实三项制度：执法公示、全过程记录。",
            "增强四个意识：政治意识、大局意识。",
            "围绕上述三项工作：一是加强学习。",
            "重点做好以下几项工作：一是加强学习；二是完善制度。",
            "主要表现在三个方面，一是学法不够；二是用法不够。",
            "围绕十四五规划，落实八五普法，推进双随机、一公开监管。",
            "集中学习党的二十大精神、习近平法治思想。",
            "学习领会习近平法治思想、习近平总书记重要指示精神和党的二十大、二十届三中全会精神。",
        ] {
            assert!(messages(t).is_empty(), "{t}: {:?}", messages(t));
        }
    }

    #[test]
    fn unclear_items_are_left_alone() {
        assert!(messages("重点做好三项工作：加强培训，完善制度，强化监督，提升能力。").is_empty());
        assert!(messages("包括以下三类：企业、学校和医疗机构。").is_empty());
        assert!(messages("围绕企业、学校和医疗机构三类主体开展检查。").is_empty());
        assert!(messages("现重点报告以下两个方面：\n一、主要举措和成效\n二、存在的不足\n三、下一步安排\n").is_empty());
        assert!(messages("存在三方面不足：\n执法力量不足，普法形式单一。\n").is_empty());
        assert!(messages("存在三方面不足：\n2.执法力量不足\n3.普法形式单一\n").is_empty());
    }

    #[test]
    fn reports_of_other_departments_pass() {
        for text in corpus::ALL {
            assert!(messages(text).is_empty(), "{:?}", messages(text));
        }
    }
}
