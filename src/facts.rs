//! Facts about a report that several rules need: the web-page chrome around
//! it, its title, the year it reports on, its signature block, and where each
//! mandated part of the profile stands. All of it is found through the data
//! tables in `rules/`, so that it works on reports from any department.

use crate::document::{Document, LineDate, LineKind};
use crate::knowledge::{HeadingCues, Knowledge, PART_KEYS};
use crate::numerals;
use crate::source::Span;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// A run of page-furniture lines (navigation, index metadata, QR hints).
#[derive(Debug, Clone)]
pub struct ChromeBlock {
    pub lines: Range<usize>,
    pub span: Span,
    pub what: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Title {
    /// From the start of the first title line to the end of the last.
    pub span: Span,
    /// The title with a line break inside it removed.
    pub text: String,
    /// 0-based first line.
    pub line: usize,
    pub year: Option<u32>,
    /// Span of the year inside the title.
    pub year_span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    Option,
    Title,
    Body,
    Signature,
}

#[derive(Debug, Clone)]
pub struct Signature {
    pub issuer: Option<Span>,
    pub date: LineDate,
    /// 0-based line where the block starts.
    pub line: usize,
}

/// Where a mandated part was found.
#[derive(Debug, Clone)]
pub struct PartLocation {
    pub key: &'static str,
    /// 0-based line.
    pub line: usize,
    pub span: Span,
    /// The heading (marker and title) or, when inline, the sentence naming it.
    pub label: String,
    pub as_heading: bool,
    /// Index into `Document::headings` when the part has a numbered heading.
    pub heading: Option<usize>,
    /// Lines the part's content covers.
    pub extent: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Facts {
    pub chrome: Vec<ChromeBlock>,
    is_chrome: Vec<bool>,
    pub title: Option<Title>,
    /// The body starts after the title block (0-based line).
    pub body_start: usize,
    /// The body ends before the signature block (exclusive).
    pub body_end: usize,
    pub report_year: Option<u32>,
    pub year_source: Option<YearSource>,
    pub signature: Option<Signature>,
    /// The outline level of the report's main sections (usually 1).
    pub top_level: Option<u8>,
    /// One entry per key of `PART_KEYS`, in that order.
    pub parts: [Option<PartLocation>; 4],
    /// The body's running text as units (paragraphs joined across converter
    /// line breaks); computed once on first use, shared by the text rules.
    pub body: std::sync::OnceLock<crate::rules::consistency::scan::Body>,
}

impl Facts {
    pub fn is_chrome(&self, line: usize) -> bool {
        self.is_chrome.get(line).copied().unwrap_or(false)
    }

    pub fn part(&self, key: &str) -> Option<&PartLocation> {
        let i = PART_KEYS.iter().position(|k| *k == key)?;
        self.parts[i].as_ref()
    }

    /// Whether a line belongs to the report body (not chrome, title or signature).
    pub fn in_body(&self, line: usize) -> bool {
        line >= self.body_start && line < self.body_end && !self.is_chrome(line)
    }

    pub fn analyse(doc: &Document, kb: &Knowledge, year_option: Option<u32>) -> Facts {
        let (chrome, is_chrome) = find_chrome(doc, kb);
        let title = find_title(doc, kb, &is_chrome);
        let body_start = title.as_ref().map_or_else(
            || first_content_line(doc, &is_chrome).unwrap_or(0),
            |t| doc.line_of(t.span.end) + 1,
        );
        let signature = find_signature(doc, &is_chrome, body_start);
        let body_end = signature.as_ref().map_or(doc.lines.len(), |s| s.line);
        let mut facts = Facts {
            chrome,
            is_chrome,
            title,
            body_start,
            body_end,
            report_year: None,
            year_source: None,
            signature,
            top_level: None,
            parts: Default::default(),
            body: Default::default(),
        };
        facts.top_level = doc
            .headings
            .iter()
            .filter(|h| facts.in_body(h.line))
            .map(|h| h.level)
            .min();
        facts.parts = find_parts(doc, kb, &facts);
        let (year, source) = match (year_option, facts.title.as_ref().and_then(|t| t.year)) {
            (Some(y), _) => (Some(y), Some(YearSource::Option)),
            (None, Some(y)) => (Some(y), Some(YearSource::Title)),
            (None, None) => match body_year(doc, &facts) {
                Some(y) => (Some(y), Some(YearSource::Body)),
                None => match &facts.signature {
                    Some(s) if s.date.month <= 6 && s.date.year > 1900 => {
                        (Some(s.date.year - 1), Some(YearSource::Signature))
                    }
                    _ => (None, None),
                },
            },
        };
        facts.report_year = year;
        facts.year_source = source;
        facts
    }
}

fn first_content_line(doc: &Document, is_chrome: &[bool]) -> Option<usize> {
    (0..doc.lines.len()).find(|&l| doc.lines[l].kind != LineKind::Blank && !is_chrome[l])
}

fn find_chrome(doc: &Document, kb: &Knowledge) -> (Vec<ChromeBlock>, Vec<bool>) {
    let mut is_chrome = vec![false; doc.lines.len()];
    let mut what_of = vec![None; doc.lines.len()];
    for (i, what) in kb.debris.chrome_matches(&doc.text, &doc.lines) {
        is_chrome[i] = true;
        what_of[i] = Some(what.to_string());
    }
    // Page furniture comes in blocks: short lines between two chrome lines of
    // the page header (`首页 政务公开 …`, `| 无障碍 |`) belong to the block.
    let chrome_lines: Vec<usize> = (0..doc.lines.len()).filter(|&i| is_chrome[i]).collect();
    for w in chrome_lines.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b - a <= 4 {
            for (l, flag) in is_chrome.iter_mut().enumerate().take(b).skip(a + 1) {
                let t = doc.slice(doc.lines[l].content);
                if doc.lines[l].kind == LineKind::Text && t.chars().count() <= 30 && !t.contains('。') {
                    *flag = true;
                }
            }
        }
    }
    let mut blocks: Vec<ChromeBlock> = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        if !is_chrome[i] {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            let mut j = end;
            while j < doc.lines.len() && doc.lines[j].kind == LineKind::Blank {
                j += 1;
            }
            if j < doc.lines.len() && is_chrome[j] {
                end = j + 1;
            } else {
                break;
            }
        }
        let mut what: Vec<String> = Vec::new();
        for w in what_of[start..end].iter().flatten() {
            if !what.contains(w) {
                what.push(w.clone());
            }
        }
        let span = Span::new(doc.lines[start].content.start, doc.lines[end - 1].content.end);
        blocks.push(ChromeBlock {
            lines: start..end,
            span,
            what,
        });
        i = end;
    }
    (blocks, is_chrome)
}

fn year_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"((?:19|20)\d{2})\s*年|([〇零○一二三四五六七八九]{4})年").expect("year regex"))
}

fn year_in(text: &str) -> Option<(u32, Range<usize>)> {
    let m = year_regex().find(text)?;
    let year = year_of_match(text, m.range());
    numerals::parse_year(&text[year.clone()]).map(|y| (y, year))
}

/// Where the year stands in a match of `year_regex` (`range` in `text`):
/// the group that took part, found without asking the regex for its
/// groups (a slower search). Either group is the first four characters of
/// the match (`19`/`20` and two digits, or four Chinese numerals); the
/// tests compare this with the captures.
fn year_of_match(text: &str, range: Range<usize>) -> Range<usize> {
    let len: usize = text[range.clone()].chars().take(4).map(char::len_utf8).sum();
    range.start..range.start + len
}

fn is_title_line(text: &str, kb: &Knowledge) -> bool {
    text.chars().count() <= kb.title.max_chars
        && kb.title.endings.iter().any(|r| r.is_match(text))
        && kb.title.topics.iter().any(|r| r.is_match(text))
}

fn find_title(doc: &Document, kb: &Knowledge, is_chrome: &[bool]) -> Option<Title> {
    let mut seen = 0;
    for (i, line) in doc.lines.iter().enumerate() {
        if is_chrome[i] || line.kind == LineKind::Blank {
            continue;
        }
        if matches!(line.kind, LineKind::Heading(_)) {
            return None;
        }
        seen += 1;
        if seen > kb.title.search_lines {
            return None;
        }
        let text = doc.slice(line.content);
        if !is_title_line(text, kb) {
            continue;
        }
        let mut start_line = i;
        if i > 0 && !is_chrome[i - 1] && doc.lines[i - 1].kind == LineKind::Text {
            let prev = doc.slice(doc.lines[i - 1].content);
            if kb.title.continued_by.iter().any(|r| r.is_match(prev)) {
                start_line = i - 1;
            }
        }
        let span = Span::new(doc.lines[start_line].content.start, line.content.end);
        let text: String = (start_line..=i).map(|l| doc.slice(doc.lines[l].content)).collect();
        let (year, year_span) = match (start_line..=i).find_map(|l| {
            let c = doc.lines[l].content;
            year_in(doc.slice(c)).map(|(y, r)| (y, Span::new(c.start + r.start, c.start + r.end)))
        }) {
            Some((y, s)) => (Some(y), Some(s)),
            None => (None, None),
        };
        return Some(Title {
            span,
            text,
            line: start_line,
            year,
            year_span,
        });
    }
    None
}

fn find_signature(doc: &Document, is_chrome: &[bool], body_start: usize) -> Option<Signature> {
    let content: Vec<usize> = (body_start..doc.lines.len())
        .filter(|&l| doc.lines[l].kind != LineKind::Blank && !is_chrome[l])
        .collect();
    let tail = &content[content.len().saturating_sub(3)..];
    let (pos, date) = tail
        .iter()
        .enumerate()
        .rev()
        .find_map(|(p, &l)| match doc.lines[l].kind {
            LineKind::Date(d) => Some((p, (l, d))),
            _ => None,
        })?;
    let (date_line, date) = date;
    let mut line = date_line;
    let mut issuer = None;
    if pos > 0 {
        let prev = tail[pos - 1];
        let text = doc.slice(doc.lines[prev].content);
        let short = text.chars().count() <= 40;
        let plain = !text.ends_with(['。', '；', '：', '！', '？']);
        if doc.lines[prev].kind == LineKind::Text && short && plain {
            issuer = Some(doc.lines[prev].content);
            line = prev;
        }
    }
    Some(Signature { issuer, date, line })
}

/// The year the body reports on, when the title does not say: the year most
/// often written as `YYYY年` outside the plan part, ranges and signature.
fn body_year(doc: &Document, facts: &Facts) -> Option<u32> {
    let plan_start = facts.parts[3].as_ref().filter(|p| p.as_heading).map(|p| p.line);
    let mut counts: Vec<(u32, usize)> = Vec::new();
    for (i, line) in doc.lines.iter().enumerate() {
        if !facts.in_body(i) || plan_start.is_some_and(|p| i >= p) {
            continue;
        }
        let text = doc.slice(line.content);
        for whole in year_regex().find_iter(text) {
            let year = year_of_match(text, whole.range());
            let before = text[..year.start].chars().last();
            let after = text[whole.end()..].chars().next();
            let in_range = matches!(before, Some('—' | '-' | '－' | '～' | '~' | '至'))
                || matches!(after, Some('—' | '-' | '－' | '～' | '~' | '至'));
            if in_range {
                continue;
            }
            if let Some(y) = numerals::parse_year(&text[year]) {
                match counts.iter_mut().find(|(v, _)| *v == y) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((y, 1)),
                }
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    counts.first().map(|(y, _)| *y)
}

/// A line that is a heading by its look but lost its number marker.
pub fn is_unnumbered_heading(doc: &Document, line: usize) -> bool {
    let l = &doc.lines[line];
    // 4 to 40 characters take 4 to 160 bytes: the byte length rules out
    // most lines before the characters are counted.
    if l.kind != LineKind::Text || !(4..=160).contains(&l.content.len()) {
        return false;
    }
    let text = doc.slice(l.content);
    if text.ends_with(['。', '；', '：', '，', '！', '？', ';', ':', ',', '”', '）']) {
        return false;
    }
    let n = text.chars().count();
    let at = doc.paragraphs.partition_point(|p| p.first_line < line);
    let alone = doc
        .paragraphs
        .get(at)
        .is_some_and(|p| p.first_line == line && p.last_line == line);
    (4..=40).contains(&n) && alone
}

struct Candidate<'d> {
    line: usize,
    span: Span,
    heading: Option<usize>,
    label: &'d str,
    title: &'d str,
}

impl Candidate<'_> {
    /// The numbered heading `i` as a candidate for a part.
    fn heading(doc: &Document, i: usize) -> Candidate<'_> {
        let h = &doc.headings[i];
        Candidate {
            line: h.line,
            span: h.label_span(),
            heading: Some(i),
            label: doc.heading_label(h),
            title: doc.heading_title(h),
        }
    }
}

fn find_parts(doc: &Document, kb: &Knowledge, facts: &Facts) -> [Option<PartLocation>; 4] {
    let mut cands: Vec<Candidate> = Vec::new();
    for (i, h) in doc.headings.iter().enumerate() {
        if facts.in_body(h.line) && Some(h.level) == facts.top_level {
            cands.push(Candidate::heading(doc, i));
        }
    }
    for line in facts.body_start..facts.body_end {
        if facts.in_body(line) && is_unnumbered_heading(doc, line) {
            let text = doc.line_text(line);
            cands.push(Candidate {
                line,
                span: doc.lines[line].content,
                heading: None,
                label: text,
                title: text,
            });
        }
    }
    cands.sort_by_key(|c| c.line);

    let mut found: [Option<usize>; 4] = Default::default();
    // Weak cues (`2025年重点任务`) count only when the heading's year is not
    // the title's own year.
    let title_year = facts.title.as_ref().and_then(|t| t.year);
    let other_year = |c: &Candidate| match (year_in(c.title), title_year) {
        (Some((h, _)), Some(y)) => h != y,
        (Some(_), None) => true,
        (None, _) => false,
    };
    // What each candidate's title names, found on first need.
    let cues: Vec<std::cell::OnceCell<HeadingCues>> = cands.iter().map(|_| Default::default()).collect();
    let cue = |i: usize| cues[i].get_or_init(|| kb.heading_cues(cands[i].title));
    for (k, slot) in found.iter_mut().enumerate().take(kb.profile.parts.len()) {
        *slot = (0..cands.len())
            .find(|&i| cue(i).matches_heading(k) || (cue(i).matches_heading_other_year(k) && other_year(&cands[i])))
            .filter(|&i| cands[i].heading.is_some() || part_strong_unnumbered(&cands[i], cue(i), kb, k));
    }
    // Thematic measures: the first top-level section before every other part.
    if found[0].is_none() && kb.profile.parts[0].thematic {
        let first_other = found[1..]
            .iter()
            .flatten()
            .map(|&i| cands[i].line)
            .min()
            .unwrap_or(facts.body_end);
        let claimed: Vec<usize> = found.iter().flatten().map(|&i| cands[i].line).collect();
        found[0] = cands
            .iter()
            .position(|c| c.line < first_other && !claimed.contains(&c.line));
        if found[0].is_none() {
            // No section heading of its own: the first heading of any level
            // before the other parts opens the measures (a report whose first
            // level-1 heading was lost, or a fragment).
            if let Some(i) = doc
                .headings
                .iter()
                .position(|h| facts.in_body(h.line) && h.line < first_other)
            {
                cands.push(Candidate::heading(doc, i));
                found[0] = Some(cands.len() - 1);
            }
        }
    }

    let starts: Vec<usize> = found.iter().flatten().map(|&i| cands[i].line).collect();
    let mut out: [Option<PartLocation>; 4] = Default::default();
    for (k, f) in found.iter().enumerate() {
        if let Some(c) = f.map(|i| &cands[i]) {
            let end = starts
                .iter()
                .copied()
                .filter(|&s| s > c.line)
                .min()
                .unwrap_or(facts.body_end);
            out[k] = Some(PartLocation {
                key: PART_KEYS[k],
                line: c.line,
                span: c.span,
                label: c.label.to_string(),
                as_heading: true,
                heading: c.heading,
                extent: c.line..end.max(c.line + 1),
            });
        }
    }
    // Parts that may be a sub-section: a heading of a lower level names them.
    for (k, part) in kb.profile.parts.iter().enumerate() {
        if out[k].is_some() || !part.subsection {
            continue;
        }
        // The part's own patterns, each guarded by its literals, cost less
        // than the cues of every part for each heading.
        let found = doc.headings.iter().enumerate().find(|(_, h)| {
            facts.in_body(h.line) && Some(h.level) != facts.top_level && part.matches_heading(doc.heading_title(h))
        });
        if let Some((i, h)) = found {
            out[k] = Some(PartLocation {
                key: PART_KEYS[k],
                line: h.line,
                span: h.label_span(),
                label: doc.heading_label(h).to_string(),
                as_heading: true,
                heading: Some(i),
                extent: doc.heading_extent(i, facts.body_end),
            });
        }
    }
    for (k, part) in kb.profile.parts.iter().enumerate() {
        if out[k].is_some() || part.inline.is_empty() {
            continue;
        }
        out[k] = find_inline(doc, facts, part.inline.each()).map(|(line, span, label)| PartLocation {
            key: PART_KEYS[k],
            line,
            span,
            label,
            as_heading: false,
            heading: None,
            extent: line..line + 1,
        });
    }
    out
}

/// An unnumbered line counts as a part's heading only when it names the part
/// with the profile's aliases; it is weaker evidence than a numbered heading.
fn part_strong_unnumbered(c: &Candidate, cues: &HeadingCues, kb: &Knowledge, k: usize) -> bool {
    let mut others = (0..kb.profile.parts.len()).filter(|&j| j != k);
    c.title.chars().count() <= 30 && !others.any(|j| cues.matches_heading(j))
}

fn find_inline(
    doc: &Document,
    facts: &Facts,
    patterns: &[crate::lazy_regex::LazyRegex],
) -> Option<(usize, Span, String)> {
    for p in &doc.paragraphs {
        if !facts.in_body(p.first_line) {
            continue;
        }
        let text = doc.slice(p.span);
        for re in patterns {
            if let Some(m) = re.find(text) {
                let span = Span::new(p.span.start + m.start(), p.span.start + m.end());
                let line = doc.line_of(span.start);
                let sentence_start = text[..m.start()]
                    .rfind(['。', '；', '！', '？'])
                    .map_or(0, |i| i + '。'.len_utf8());
                let sentence_end = text[m.end()..]
                    .find(['。', '；', '！', '？'])
                    .map_or(text.len(), |i| m.end() + i);
                let sentence: String = text[sentence_start..sentence_end].chars().take(60).collect();
                return Some((line, span, sentence));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline;

    /// (line, as_heading) of each part, in profile order.
    fn part_lines(f: &Facts) -> Vec<Option<(usize, bool)>> {
        f.parts
            .iter()
            .map(|p| p.as_ref().map(|p| (p.line, p.as_heading)))
            .collect()
    }

    fn facts(text: &str) -> (Document, Facts) {
        let doc = outline::parse(text);
        let kb = Knowledge::builtin("fazhi-annual").unwrap();
        let f = Facts::analyse(&doc, kb, None);
        (doc, f)
    }

    const REPORT: &str = "某市交通运输局\n关于2024年法治政府建设情况的报告\n\n市委、市政府：\n2024年，我局深入推进依法行政。\n一、主要举措和成效\n（一）健全制度。内容内容内容内容内容内容内容内容内容内容内容内容。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法。内容内容内容内容内容内容内容内容内容。\n三、存在的不足和原因\n一是执法队伍力量不足，主要原因是编制紧张。\n四、2025年工作安排\n一是加强培训。二是完善制度。\n某市交通运输局\n2025年1月20日\n";

    #[test]
    fn a_complete_report() {
        let (doc, f) = facts(REPORT);
        let t = f.title.as_ref().unwrap();
        assert_eq!(t.text, "关于2024年法治政府建设情况的报告");
        assert_eq!(t.line, 1);
        assert_eq!(f.report_year, Some(2024));
        assert_eq!(f.year_source, Some(YearSource::Title));
        let lines = part_lines(&f);
        assert_eq!(
            lines,
            vec![Some((5, true)), Some((7, true)), Some((9, true)), Some((11, true))]
        );
        let sig = f.signature.as_ref().unwrap();
        assert_eq!(doc.slice(sig.issuer.unwrap()), "某市交通运输局");
        assert_eq!((sig.date.year, sig.date.month, sig.date.day), (2025, 1, 20));
    }

    #[test]
    fn title_broken_over_two_lines() {
        let (_, f) = facts("\n某区卫生健康委2023年度\n法治政府建设情况报告\n\n一、主要举措和成效\n正文。");
        let t = f.title.unwrap();
        assert_eq!(t.text, "某区卫生健康委2023年度法治政府建设情况报告");
        assert_eq!(t.line, 1);
        assert_eq!(t.year, Some(2023));
    }

    #[test]
    fn web_chrome_is_skipped() {
        let text = "首页 政务公开 互动交流\n您当前位置: 首页>部门>法治政府建设年度报告\n[ 索引号 ] 1150/2026-00005\n[ 发布机构 ] 某区司法局\n\n某区司法局关于2025年法治政府建设情况的报告\n一、主要举措及成效\n正文。\n扫一扫在手机打开当前页\n";
        let (_, f) = facts(text);
        assert_eq!(f.chrome.len(), 2);
        assert_eq!(f.chrome[0].lines, 0..4);
        assert_eq!(f.title.unwrap().line, 5);
        assert_eq!(f.report_year, Some(2025));
    }

    #[test]
    fn shared_heading_serves_two_parts() {
        let text = "关于2025年法治政府建设情况的报告\n一、主要举措\n正文。\n二、第一责任人履职情况\n正文。\n三、存在的问题及2026年工作计划\n问题。计划。";
        let (_, f) = facts(text);
        assert_eq!(f.part("shortcomings").unwrap().line, 5);
        assert_eq!(f.part("next-year-plan").unwrap().line, 5);
    }

    #[test]
    fn year_from_body_without_title_and_inline_part() {
        let text = "（三）健全制度。\n2022年，我委开展检查3次。2022年完成培训。2023年继续推进。\n二、其他工作\n三是切实履行法治建设“第一责任人”职责。\n三、下一步打算\n2023年，我委将继续努力。";
        let (_, f) = facts(text);
        assert!(f.title.is_none());
        assert_eq!(f.report_year, Some(2022));
        assert_eq!(f.year_source, Some(YearSource::Body));
        let fr = f.part("first-responsible").unwrap();
        assert!(!fr.as_heading);
        assert_eq!(fr.line, 3);
        assert!(f.part("shortcomings").is_none());
    }

    #[test]
    fn first_responsible_as_a_sub_heading() {
        let text = "某市人民政府关于2023年法治政府建设情况的报告\n一、2023年法治政府建设主要举措和成效\n（一）依法全面履行政府职能。正文。\n（二）压实法治建设第一责任人责任。市政府主要负责人带头学法。\n二、存在的不足和原因\n正文。\n三、2024年工作安排\n（一）着力解决存在的问题。正文。\n";
        let (_, f) = facts(text);
        let fr = f.part("first-responsible").unwrap();
        assert_eq!((fr.line, fr.as_heading), (3, true));
        assert_eq!(fr.extent, 3..4);
        // A sub-heading in the plan does not stand for the shortcomings.
        assert_eq!(f.part("shortcomings").unwrap().line, 4);
    }

    #[test]
    fn common_wordings_of_other_departments() {
        let text = "某县交通运输局2023年度法治政府建设工作报告\n一、2023年法治政府建设主要工作及成效\n正文。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n正文。\n三、存在的问题和不足\n正文。\n四、2024年法治政府建设工作打算\n正文。\n五、其他需要报告的情况\n无。\n";
        let (_, f) = facts(text);
        let lines = part_lines(&f);
        assert_eq!(
            lines,
            vec![Some((1, true)), Some((3, true)), Some((5, true)), Some((7, true))]
        );
        assert_eq!(f.title.as_ref().unwrap().year, Some(2023));
    }

    #[test]
    fn weak_plan_cues_depend_on_the_year() {
        let text = "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n正文。\n二、2024年重点任务推进中的问题\n正文。\n三、2025年重点任务\n正文。\n";
        let (_, f) = facts(text);
        assert_eq!(f.part("next-year-plan").unwrap().line, 5);
    }

    /// The year found from the whole match is the group the regex captures.
    fn year_groups_agree(text: &str) {
        let plain: Vec<(usize, usize, usize)> = year_regex()
            .captures_iter(text)
            .map(|c| {
                let m = c.get(1).or_else(|| c.get(2)).unwrap();
                (m.start(), m.end(), c.get(0).unwrap().end())
            })
            .collect();
        let fast: Vec<(usize, usize, usize)> = year_regex()
            .find_iter(text)
            .map(|w| {
                let y = year_of_match(text, w.range());
                (y.start, y.end, w.end())
            })
            .collect();
        assert_eq!(fast, plain, "{text:?}");
        let first = year_regex().captures(text).map(|c| {
            let m = c.get(1).or_else(|| c.get(2)).unwrap();
            (numerals::parse_year(m.as_str()), m.range())
        });
        let found = year_in(text).map(|(y, r)| (Some(y), r));
        if let Some((Some(_), _)) = first {
            assert_eq!(found, first, "{text:?}");
        }
    }

    #[test]
    fn year_from_the_match_is_the_captured_group() {
        for text in [
            "关于2024年法治政府建设情况的报告",
            "2023 年度",
            "二〇二四年三月",
            "20２4年",
            "19٣٤年和2025年",
            "２０２４年",
            "一九九九年",
            "12024年",
        ] {
            year_groups_agree(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn year_from_the_match_is_the_captured_group_on_generated_text(
            text in "[0-9１２٣19 20二〇零○一九年度月甲，]{0,14}",
        ) {
            year_groups_agree(&text);
        }
    }

    #[test]
    fn thematic_sections_are_the_measures() {
        let text = "关于2023年法治政府建设情况的报告\n一、依法履行政府职能\n正文。\n二、严格规范执法\n正文。\n三、存在的不足和原因\n正文。\n四、下一步打算\n正文。";
        let (_, f) = facts(text);
        let m = f.part("measures").unwrap();
        assert_eq!((m.line, m.as_heading), (1, true));
        assert_eq!(m.extent, 1..5);
    }
}
