//! Shared reading aids for the year/date/knowledge rules: running text with
//! converter line breaks joined (`切实用习` / `近平法治思想` reads as one word)
//! and mapped back to byte spans, the dates written in it, the report's
//! reference day, and sentence/clause boundaries.

use crate::document::LineKind;
use crate::lazy_regex::LazyRegex;
use crate::numerals;
use crate::reference::Date;
use crate::rules::consistency::is_sentence_end;
use crate::rules::Context;
use crate::source::Span;
use regex::Regex;
use std::cell::OnceCell;
use std::ops::Range;
use std::sync::OnceLock;

/// One logical piece of text: a paragraph (its physical lines joined), a
/// heading line, or a date line.
#[derive(Debug, Clone)]
pub struct Unit {
    pub text: String,
    /// (offset in `text`, offset in the document, length) of each line piece.
    pieces: Vec<(usize, usize, usize)>,
    pub first_line: usize,
}

impl Unit {
    /// The document span of a byte range of `text`.
    pub fn span(&self, r: Range<usize>) -> Span {
        let map = |at: usize, end: bool| -> usize {
            // The last piece starting at or before `at` (before `at` for an end).
            let k = self
                .pieces
                .partition_point(|&(j, _, _)| if end { j < at } else { j <= at });
            match k.checked_sub(1).map(|k| self.pieces[k]) {
                Some((j, o, len)) if at - j <= len => o + (at - j),
                Some((_, o, len)) => o + len,
                None => self.pieces.first().map_or(0, |&(_, o, _)| o),
            }
        };
        let start = map(r.start, false);
        let end = map(r.end, true).max(start);
        Span::new(start, end)
    }

    /// 0-based line of a byte offset in `text`.
    pub fn line(&self, cx: &Context, at: usize) -> usize {
        cx.doc.line_of(self.span(at..at).start)
    }
}

/// The report body (`Facts::in_body`) as units, and all of them joined by
/// line breaks: a pattern that does not match the joined text matches no
/// unit, so rules test their patterns once per document before running them
/// unit by unit.
#[derive(Debug, Clone)]
pub struct Body {
    pub units: Vec<Unit>,
    pub joined: String,
    /// The byte range of each unit's text in `joined`.
    spans: Vec<Range<usize>>,
    /// The titles cited in each unit (built on first use).
    titles: OnceLock<Vec<(usize, Range<usize>)>>,
}

fn body<'a>(cx: &Context<'a>) -> &'a Body {
    let facts: &'a crate::facts::Facts = cx.facts;
    facts.body.get_or_init(|| {
        let units = units(cx, |l| cx.facts.in_body(l));
        let mut joined = String::with_capacity(units.iter().map(|u| u.text.len() + 1).sum());
        let mut spans = Vec::with_capacity(units.len());
        for u in &units {
            spans.push(joined.len()..joined.len() + u.text.len());
            joined.push_str(&u.text);
            joined.push('\n');
        }
        Body {
            units,
            joined,
            spans,
            titles: OnceLock::new(),
        }
    })
}

/// The indices of the body units that may hold a match of `p`: those whose
/// text holds one of the literals every match needs (one search of the
/// joined text instead of one per unit), or every unit when `p` has none.
/// A unit left out holds no match.
pub fn units_to_search(cx: &Context, p: &LazyRegex) -> Vec<usize> {
    let b = body(cx);
    spans_to_search(p, &b.joined, &b.spans)
}

/// [`units_to_search`] on `spans` (ascending, disjoint) of `text`.
fn spans_to_search(p: &LazyRegex, text: &str, spans: &[Range<usize>]) -> Vec<usize> {
    // Most patterns' literals are not in the text at all: one check that
    // stops at the first literal found (a unit may match only if `text` may).
    if !p.may_match_within(text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let guarded = p.needle_hits(text, |s, e| {
        if let Some(k) = span_holding(spans, s, e) {
            out.push(k);
        }
    });
    if !guarded {
        return (0..spans.len()).collect();
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// One pattern searched unit by unit in the body: only in the units that
/// may hold a match ([`units_to_search`]), and only when it matches the
/// joined body too (tested at its first match in a unit), as a search of
/// every unit with the patterns that match the body would.
pub struct UnitSearch<'a> {
    pub pattern: &'a LazyRegex,
    units: Vec<usize>,
    next: usize,
    matches_body: OnceCell<bool>,
}

impl<'a> UnitSearch<'a> {
    pub fn new(cx: &Context, pattern: &'a LazyRegex) -> UnitSearch<'a> {
        UnitSearch {
            pattern,
            units: units_to_search(cx, pattern),
            next: 0,
            matches_body: OnceCell::new(),
        }
    }

    /// Whether no unit may hold a match.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Whether unit `k` may hold a match (every unit asked about in order).
    pub fn visits(&mut self, k: usize) -> bool {
        let here = self.units.get(self.next) == Some(&k);
        self.next += usize::from(here);
        here
    }

    /// Whether the pattern matches `body` (the joined body text; tested once).
    pub fn matches_body(&self, body: &str) -> bool {
        *self.matches_body.get_or_init(|| self.pattern.regex().is_match(body))
    }

    /// The matches in unit `k`, whose text is `text` (every unit asked about in order).
    pub fn find_iter<'h>(&mut self, k: usize, text: &'h str, body: &str) -> Vec<regex::Match<'h>> {
        if !self.visits(k) {
            return Vec::new();
        }
        let found: Vec<_> = self.pattern.find_iter(text).collect();
        if found.is_empty() || !self.matches_body(body) {
            return Vec::new();
        }
        found
    }
}

/// The name inside a citation's title marks.
pub fn title_name<'a>(text: &'a str, citation: &Range<usize>) -> &'a str {
    &text[citation.start + '《'.len_utf8()..citation.end - '》'.len_utf8()]
}

/// The indices of the body units whose text holds `needle` (searched once in the joined text).
pub fn units_holding_literal(cx: &Context, needle: &memchr::memmem::Finder) -> Vec<usize> {
    let b = body(cx);
    spans_holding_literal(needle, &b.joined, &b.spans)
}

fn spans_holding_literal(needle: &memchr::memmem::Finder, text: &str, spans: &[Range<usize>]) -> Vec<usize> {
    let n = needle.needle().len();
    if n == 0 {
        return (0..spans.len()).collect();
    }
    let mut out: Vec<usize> = Vec::new();
    let mut at = 0;
    while let Some(i) = needle.find(&text.as_bytes()[at..]) {
        let s = at + i;
        if let Some(k) = span_holding(spans, s, s + n) {
            if out.last() != Some(&k) {
                out.push(k);
            }
        }
        at = s + 1;
    }
    out
}

/// Each occurrence of `needle` in a body unit's text, as (unit index, byte
/// offset in its text), in order: one search of the joined text.
pub fn body_occurrences(cx: &Context, needle: &memchr::memmem::Finder) -> Vec<(usize, usize)> {
    let b = body(cx);
    occurrences_in_spans(needle, &b.joined, &b.spans)
}

/// [`body_occurrences`] in `spans` (ascending, disjoint) of `text`; each
/// occurrence counted where the search of its span alone finds it.
fn occurrences_in_spans(needle: &memchr::memmem::Finder, text: &str, spans: &[Range<usize>]) -> Vec<(usize, usize)> {
    let n = needle.needle().len();
    let mut out = Vec::new();
    let mut k = 0;
    let mut at = 0;
    while let Some(i) = needle.find(&text.as_bytes()[at..]) {
        let s = at + i;
        while k < spans.len() && spans[k].end < s + n {
            k += 1;
        }
        let Some(span) = spans.get(k) else { break };
        if span.start <= s {
            out.push((k, s - span.start));
            // The next occurrence of this span's own search starts after this one.
            at = s + n.max(1);
        } else {
            at = s + 1;
        }
    }
    out
}

/// The span of `spans` (ascending, disjoint) that holds `s..e` whole.
fn span_holding(spans: &[Range<usize>], s: usize, e: usize) -> Option<usize> {
    let k = spans.partition_point(|r| r.start <= s).checked_sub(1)?;
    (e <= spans[k].end).then_some(k)
}

/// The titles cited in each body unit ([`titles`] of its text), as (unit
/// index, byte range of the citation in the unit's text), in order: one
/// search of the joined text, made once per document.
pub fn body_titles<'a>(cx: &Context<'a>) -> &'a [(usize, Range<usize>)] {
    let b = body(cx);
    b.titles.get_or_init(|| titles_of_spans(&b.joined, &b.spans))
}

/// The titles of the units of a document whose body rules share them:
/// those of `k`'s unit in [`body_titles`].
pub fn titles_in(all: &[(usize, Range<usize>)], k: usize) -> &[(usize, Range<usize>)] {
    let lo = all.partition_point(|t| t.0 < k);
    let hi = lo + all[lo..].partition_point(|t| t.0 <= k);
    &all[lo..hi]
}

/// [`titles`] of each of `spans` (ascending, disjoint ranges of `text` that
/// hold no 《 or 》 between them), with ranges relative to the span: a
/// citation found in `text` counts when it lies inside one span, which is
/// where the span's own search would have found it.
fn titles_of_spans(text: &str, spans: &[Range<usize>]) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    let mut k = 0;
    for (r, _) in titles(text) {
        while k < spans.len() && spans[k].end <= r.start {
            k += 1;
        }
        let Some(span) = spans.get(k) else { break };
        if span.start <= r.start && r.end <= span.end {
            out.push((k, r.start - span.start..r.end - span.start));
        }
    }
    out
}

/// The units of the report body, built once per document.
pub fn body_units<'a>(cx: &Context<'a>) -> &'a [Unit] {
    &body(cx).units
}

/// The text of every body unit, joined by line breaks.
pub fn body_text<'a>(cx: &Context<'a>) -> &'a str {
    &body(cx).joined
}

/// The units of the lines `keep` accepts, in document order.
pub fn units(cx: &Context, keep: impl Fn(usize) -> bool) -> Vec<Unit> {
    units_where(cx, keep, |_| true)
}

/// The units of the lines `keep` accepts whose text holds `needle`, in
/// document order: the same as filtering [`units`] by their text, without
/// building the others (a character never straddles two lines).
pub fn units_holding(cx: &Context, keep: impl Fn(usize) -> bool, needle: char) -> Vec<Unit> {
    let doc = cx.doc;
    // One search of the whole text: the lines whose content holds the needle.
    let mut holds = vec![false; doc.lines.len()];
    let mut utf8 = [0; 4];
    let needle = needle.encode_utf8(&mut utf8).as_bytes();
    for at in memchr::memmem::find_iter(doc.text.as_bytes(), needle) {
        // The last line whose content starts at or before the needle.
        let Some(l) = doc
            .lines
            .partition_point(|line| line.content.start <= at)
            .checked_sub(1)
        else {
            continue;
        };
        if at + needle.len() <= doc.lines[l].content.end {
            holds[l] = true;
        }
    }
    units_where(cx, keep, |lines| lines.into_iter().any(|k| holds[k]))
}

/// The units of the lines `keep` accepts whose line range `want` accepts.
fn units_where(cx: &Context, keep: impl Fn(usize) -> bool, want: impl Fn(Range<usize>) -> bool) -> Vec<Unit> {
    let doc = cx.doc;
    let mut last_of = vec![None; doc.lines.len()];
    for p in &doc.paragraphs {
        if p.last_line > p.first_line {
            last_of[p.first_line] = Some(p.last_line);
        }
    }
    let mut out = Vec::new();
    let mut l = 0;
    while l < doc.lines.len() {
        let line = &doc.lines[l];
        if line.kind == LineKind::Blank || !keep(l) {
            l += 1;
            continue;
        }
        let last = last_of[l].unwrap_or(l);
        // The lines of the unit: its paragraph's, up to one `keep` refuses.
        let end = (l + 1..=last).find(|&k| !keep(k)).unwrap_or(last + 1);
        if !want(l..end) {
            l = last + 1;
            continue;
        }
        let mut unit = Unit {
            text: String::with_capacity((l..end).map(|k| doc.lines[k].content.len()).sum()),
            pieces: Vec::with_capacity(end - l),
            first_line: l,
        };
        for k in l..end {
            let c = doc.lines[k].content;
            unit.pieces.push((unit.text.len(), c.start, c.len()));
            unit.text.push_str(doc.slice(c));
        }
        out.push(unit);
        l = last + 1;
    }
    out
}

/// The day the report speaks from: its signature date when it has a valid
/// one, else the end of the first quarter after the report year.
pub fn reference_day(cx: &Context) -> Option<(Date, bool)> {
    if let Some(s) = &cx.facts.signature {
        if Date::is_valid(s.date.year, s.date.month, s.date.day) {
            return Some((Date::new(s.date.year, s.date.month, s.date.day), true));
        }
    }
    cx.facts.report_year.map(|y| (Date::new(y + 1, 3, 31), false))
}

/// Where the next-year plan starts (0-based line), when it has a heading.
pub fn plan_start(cx: &Context) -> Option<usize> {
    cx.facts.part("next-year-plan").filter(|p| p.as_heading).map(|p| p.line)
}

/// A date written in running text; parts that are not written are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDate {
    pub year: Option<u32>,
    pub month: u32,
    pub day: Option<u32>,
    pub range: Range<usize>,
}

impl TextDate {
    pub fn is_valid(&self) -> bool {
        // Without a year, 2月29日 may be right.
        let year = self.year.unwrap_or(2000);
        match self.day {
            Some(d) => Date::is_valid(year, self.month, d),
            None => (1..=12).contains(&self.month),
        }
    }
}

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s*年\s*)?(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(份)?\s*(?:(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?",
        )
        .expect("date regex")
    })
}

/// `char::is_numeric`, answered at once for the CJK ideographs (none is a
/// number: they are all letters, `Lo`).
fn is_numeric(c: char) -> bool {
    !('\u{4e00}'..='\u{9fff}').contains(&c) && c.is_numeric()
}

/// Whether `c` may stand in a date match before its 月 (a superset of the
/// pattern's year, month, 年 and spaces: `\d` is within `is_numeric`).
fn may_precede_month(c: char) -> bool {
    is_numeric(c)
        || c.is_whitespace()
        || matches!(
            c,
            '年' | '〇' | '零' | '○' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
}

/// Whether `c` may stand in a date match after its 月.
fn may_follow_month(c: char) -> bool {
    is_numeric(c)
        || c.is_whitespace()
        || matches!(
            c,
            '份' | '日' | '号' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
        )
}

/// The matches of [`date_regex`] in `text`, as `captures_iter` finds them,
/// with the pattern run only around each 月. Every match holds exactly one
/// 月, and the rest of it is made of characters `may_precede_month` (before)
/// and `may_follow_month` (after) accept; so no match starts before the run
/// of those just before the next 月, and none ends after the run just after
/// it: searching that window finds the same leftmost-first match.
fn date_captures(text: &str) -> Vec<Groups> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text[pos..].find('月') {
        let p = pos + i;
        let from = text[pos..p]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| may_precede_month(c))
            .last()
            .map_or(p, |(i, _)| pos + i);
        let after = p + '月'.len_utf8();
        let end = text[after..]
            .char_indices()
            .find(|&(_, c)| !may_follow_month(c))
            .map_or(text.len(), |(i, _)| after + i);
        let window = &text[..end];
        // `\d` is every Unicode decimal digit: leave windows holding any
        // other than 0-9 to the pattern.
        let found = if text[from..end]
            .chars()
            .any(|c| is_numeric(c) && !c.is_ascii_digit() && c != '〇')
        {
            date_regex()
                .captures_at(window, from)
                .map(|c| std::array::from_fn(|k| c.get(k).map(|m| m.range())))
        } else {
            text[from..after]
                .char_indices()
                .find_map(|(i, _)| date_at(window, from + i))
        };
        match found {
            Some(g) => {
                pos = g[0].as_ref().map_or(after, |m| m.end.max(after));
                out.push(g);
            }
            None => pos = after,
        }
    }
    out
}

/// The byte ranges of a date match and of its groups (year, month, 份, day),
/// numbered as in [`date_regex`].
type Groups = [Option<Range<usize>>; 5];

fn is_cn_digit(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// The end of the white space from byte `i`.
fn skip_space(t: &str, i: usize) -> usize {
    t[i..].find(|c: char| !c.is_whitespace()).map_or(t.len(), |k| i + k)
}

/// The end of at most `max` characters `class` accepts from byte `i`.
fn run_of(t: &str, i: usize, max: usize, class: impl Fn(char) -> bool) -> usize {
    let mut end = i;
    for c in t[i..].chars().take(max) {
        if !class(c) {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// A month or day number from byte `i`: `\d{1,2}` or `[一…十]{1,3}`, as long
/// as it goes (a shorter one would leave a digit where the pattern wants a
/// space, 月, 日 or 号).
fn small_number(t: &str, i: usize) -> Option<usize> {
    let first = t[i..].chars().next()?;
    let end = if first.is_ascii_digit() {
        run_of(t, i, 2, |c| c.is_ascii_digit())
    } else if is_cn_digit(first) {
        run_of(t, i, 3, is_cn_digit)
    } else {
        return None;
    };
    Some(end)
}

/// `(19|20)\d{2}|[〇零○一二三四五六七八九]{4}` from byte `i`.
fn year_at(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    if b.len() >= i + 4
        && matches!(&b[i..i + 2], b"19" | b"20")
        && b[i + 2].is_ascii_digit()
        && b[i + 3].is_ascii_digit()
    {
        return Some(i + 4);
    }
    let cn = |c: char| matches!(c, '〇' | '零' | '○') || (is_cn_digit(c) && c != '十');
    let end = run_of(t, i, 4, cn);
    (t[i..end].chars().count() == 4).then_some(end)
}

/// The month from byte `i` and its 月: `(M)\s*月`, as the month's range and
/// the end of 月.
fn month_at(t: &str, i: usize) -> Option<(Range<usize>, usize)> {
    let m = small_number(t, i)?;
    let j = skip_space(t, m);
    t[j..].starts_with('月').then(|| (i..m, j + '月'.len_utf8()))
}

/// The date match of [`date_regex`] starting at byte `s` of `t`, with the
/// pattern's leftmost-first choices: each repetition takes all it can (no
/// shorter one would let the rest match), a year is tried before none, and
/// the spaces before a day that is not there still belong to the match.
/// Digits are ASCII only (the caller checks).
fn date_at(t: &str, s: usize) -> Option<Groups> {
    let with_year = year_at(t, s).and_then(|y| {
        let j = skip_space(t, y);
        if !t[j..].starts_with('年') {
            return None;
        }
        month_at(t, skip_space(t, j + '年'.len_utf8())).map(|m| (Some(s..y), m))
    });
    let (year, (month, k)) = match with_year {
        Some(found) => found,
        None => (None, month_at(t, s)?),
    };
    let (fen, k) = if t[k..].starts_with('份') {
        (Some(k..k + '份'.len_utf8()), k + '份'.len_utf8())
    } else {
        (None, k)
    };
    let k = skip_space(t, k);
    let (day, end) = match small_number(t, k) {
        Some(d) => {
            let j = skip_space(t, d);
            if t[j..].starts_with(['日', '号']) {
                (Some(k..d), j + '日'.len_utf8())
            } else {
                (None, k)
            }
        }
        None => (None, k),
    };
    Some([Some(s..end), year, Some(month), fen, day])
}

/// Dates in `text`: a month with a year or a day (`2024年3月`, `3月15日`),
/// or an Arabic month followed by 份 (`13月份`).
pub fn dates(text: &str) -> Vec<TextDate> {
    let mut out = Vec::new();
    for g in date_captures(text) {
        let group = |k: usize| g[k].clone().map(|r| &text[r]);
        let Some(whole) = g[0].clone() else {
            continue;
        };
        let before = text[..whole.start].chars().next_back();
        if before.is_some_and(|b| b.is_ascii_digit() || matches!(b, '.' | '第' | '每' | '个' | '近' | '前' | '后'))
        {
            continue;
        }
        let after = &text[whole.end..];
        let Some(month) = group(2).and_then(numerals::parse_small) else {
            continue;
        };
        let arabic_month = group(2).is_some_and(|m| m.starts_with(|ch: char| ch.is_ascii_digit()));
        let year = group(1).and_then(numerals::parse_year);
        let day = group(4).and_then(numerals::parse_small);
        if g[4].is_some() && day.is_none() {
            continue;
        }
        // A bare month counts only with a year, a day or 份 (`18月龄` is an age).
        let has_context = year.is_some() || day.is_some() || (arabic_month && g[3].is_some());
        if !has_context || after.starts_with('龄') {
            continue;
        }
        // A Chinese month needs a year or a day (一月一次 is no date).
        if !arabic_month && year.is_none() && day.is_none() {
            continue;
        }
        out.push(TextDate {
            year,
            month,
            day,
            range: whole,
        });
    }
    out
}

/// The sentence around `r`: bounded by 。！？； or the text's ends.
pub fn sentence(text: &str, r: Range<usize>) -> Range<usize> {
    bounded(text, r, is_sentence_end)
}

/// The clause around `r`: a sentence further cut at ，、：.
pub fn clause(text: &str, r: Range<usize>) -> Range<usize> {
    bounded(text, r, |c| is_sentence_end(c) || matches!(c, '，' | ',' | '：' | ':'))
}

/// Look at most this many characters each way from a range for its
/// sentence or clause: long unpunctuated text must not make every lookup
/// walk the whole paragraph.
const REACH: usize = 160;

/// The stretch around `r` up to the nearest stop on each side, at most
/// [`REACH`] characters each way; one walk out from each end, byte by byte:
/// only characters whose first byte [`may_stop`] accepts are decoded (the
/// stops of sentences and clauses are all among them; a test checks every
/// character).
fn bounded(text: &str, r: Range<usize>, stop: impl Fn(char) -> bool) -> Range<usize> {
    let b = text.as_bytes();
    // A byte E4–E9 starts a character of three bytes (most Han characters):
    // never a stop, skipped without decoding.
    let han = |x: u8| (0xE4..=0xE9).contains(&x);
    let is_stop = |i: usize| may_stop(b[i]) && text[i..].chars().next().is_some_and(&stop);
    let mut start = r.start;
    let mut n = 0;
    while start > 0 && n < REACH {
        // The start of the character before `start`.
        let i = if start >= 3 && han(b[start - 3]) {
            start - 3
        } else {
            let mut i = start - 1;
            while i > 0 && b[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if is_stop(i) {
                break;
            }
            i
        };
        start = i;
        n += 1;
    }
    let mut end = r.end;
    let mut n = 0;
    while end < b.len() && n < REACH {
        if han(b[end]) {
            end += 3;
        } else {
            if is_stop(end) {
                break;
            }
            end += 1;
            while end < b.len() && b[end] & 0xC0 == 0x80 {
                end += 1;
            }
        }
        n += 1;
    }
    start..end
}

/// Whether a character starting with byte `first` may be a stop of
/// [`sentence`] or [`clause`]: ASCII, or U+3000–U+3FFF (。), or
/// U+F000–U+FFFF (the full-width forms ；！？，：).
fn may_stop(first: u8) -> bool {
    first < 0x80 || first == 0xE3 || first == 0xEF
}

/// Up to `n` characters before byte `at`.
pub fn chars_before(text: &str, at: usize, n: usize) -> &str {
    let start = text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..at]
}

/// Up to `n` characters from byte `at`.
pub fn chars_after(text: &str, at: usize, n: usize) -> &str {
    let end = text[at..].char_indices().nth(n).map_or(text.len(), |(i, _)| at + i);
    &text[at..end]
}

/// The titles cited in `text`: each 《…》 holding no other 《, as the byte
/// range of the whole citation and the name inside the marks.
pub fn titles(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
    // Built once: building a searcher costs more than searching a unit.
    static OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("《".as_bytes()));
    OPEN.find_iter(text.as_bytes()).filter_map(move |open| {
        let inner = open + '《'.len_utf8();
        let stop = text[inner..].find(['《', '》'])?;
        let close = inner + stop;
        text[close..]
            .starts_with('》')
            .then(|| (open..close + '》'.len_utf8(), &text[inner..close]))
    })
}

/// Whether byte `at` lies inside 《…》 (a document or law title).
pub fn inside_title_marks(text: &str, at: usize) -> bool {
    let before = chars_before(text, at, 80);
    before
        .rfind('《')
        .is_some_and(|o| before.rfind('》').is_none_or(|c| c < o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(t: &TextDate) -> (Option<u32>, u32, Option<u32>) {
        (t.year, t.month, t.day)
    }

    #[test]
    fn dates_in_running_text() {
        let d = dates("2023年4月31日，召开会议；3月15日开展宣传；13月份完成；二〇二四年三月一日印发。");
        let got: Vec<_> = d.iter().map(ymd).collect();
        assert_eq!(
            got,
            vec![
                (Some(2023), 4, Some(31)),
                (None, 3, Some(15)),
                (None, 13, None),
                (Some(2024), 3, Some(1))
            ]
        );
        assert!(!d[0].is_valid() && d[1].is_valid() && !d[2].is_valid() && d[3].is_valid());
    }

    #[test]
    fn things_that_are_not_dates() {
        for t in [
            "6个月",
            "0-6月龄儿童",
            "18月龄",
            "每月一次",
            "近3月",
            "一月一次",
            "第2月",
            "12.5月",
        ] {
            assert!(dates(t).iter().all(|d| d.is_valid()), "{t}");
        }
        assert!(dates("2022年5-12月").iter().all(|d| d.is_valid()));
        assert!(TextDate {
            year: None,
            month: 2,
            day: Some(29),
            range: 0..0
        }
        .is_valid());
    }

    #[test]
    fn no_cjk_ideograph_is_numeric() {
        for c in '\u{4e00}'..='\u{9fff}' {
            assert!(!c.is_numeric(), "{c}");
        }
        for c in ['0', '٣', '０', '〇', 'Ⅷ', '½'] {
            assert!(is_numeric(c), "{c}");
        }
    }

    fn capture_groups(c: &regex::Captures) -> Vec<Option<Range<usize>>> {
        (0..c.len()).map(|k| c.get(k).map(|m| m.range())).collect()
    }

    fn same_captures_as_the_pattern(text: &str) {
        let plain: Vec<_> = date_regex().captures_iter(text).map(|c| capture_groups(&c)).collect();
        let windowed: Vec<_> = date_captures(text).iter().map(|g| g.to_vec()).collect();
        assert_eq!(windowed, plain, "{text:?}");
    }

    #[test]
    fn date_windows_find_what_the_pattern_finds() {
        for t in [
            "",
            "月",
            "2023年4月31日，召开会议；3月15日开展宣传；13月份完成；二〇二四年三月一日印发。",
            "2024 年 \u{3000}3 月 \t 5 日",
            "１２月３日，٣月4日",
            "2022年5-12月，12月12月12日",
            "二〇二四年二〇二四年十二月三十一号",
            "123456年7月8日9月",
            "第2月、每月、近3月、12.5月、0-6月龄",
            "月份3月份 月 日",
            "2024年\n3月\n1日",
        ] {
            same_captures_as_the_pattern(t);
        }
    }

    proptest::proptest! {
        #[test]
        fn date_windows_equal_the_pattern_everywhere(
            text in "[0-9０-９٣ 　\t\n年月日号份一二三四五六七八九十〇零○第每个近前后.龄a，-]{0,60}",
        ) {
            same_captures_as_the_pattern(&text);
        }

        #[test]
        fn hand_matched_dates_equal_the_pattern(
            text in "[0-9 　\t\n年月日号份一二三四五六七八九十〇零○第.龄a，]{0,60}",
        ) {
            same_captures_as_the_pattern(&text);
        }

        #[test]
        fn hand_matched_dates_equal_the_pattern_in_date_shaped_text(
            parts in proptest::collection::vec(
                "(19|20|1|2)?[0-9]{0,3}|[〇零○一二三四五六七八九十]{1,5}| {0,2}|[年月日号份]|，", 0..24),
        ) {
            same_captures_as_the_pattern(&parts.concat());
        }
    }

    #[test]
    fn units_holding_a_character_are_the_units_whose_text_holds_it() {
        let text = format!(
            "{}一、主要举措\n2024年3月\n5日，召开会议，部署\n全年工作。\n没有日期的段落\n接着写\n[bookmark: 月日法]没有\n　月　\n",
            crate::rules::testing::GOOD
        );
        crate::rules::testing::with_context(&text, None, |cx| {
            for needle in ['月', '日', '无', '法'] {
                let keep = |l: usize| !cx.facts.is_chrome(l) && l % 7 != 3;
                let plain: Vec<_> = units(cx, keep)
                    .into_iter()
                    .filter(|u| u.text.contains(needle))
                    .map(|u| (u.text, u.pieces, u.first_line))
                    .collect();
                let held: Vec<_> = units_holding(cx, keep, needle)
                    .into_iter()
                    .map(|u| (u.text, u.pieces, u.first_line))
                    .collect();
                assert!(!plain.is_empty() || needle == '无');
                assert_eq!(held, plain, "{needle}");
            }
        });
    }

    #[test]
    fn sentences_and_clauses() {
        let t = "甲。乙，丙丁；戊";
        let at = t.find('丙').unwrap();
        assert_eq!(&t[sentence(t, at..at + 3)], "乙，丙丁");
        assert_eq!(&t[clause(t, at..at + 3)], "丙丁");
        assert_eq!(chars_before(t, at, 2), "乙，");
        assert_eq!(chars_after(t, at, 2), "丙丁");
        assert!(inside_title_marks("学习《民法典", "学习《民法典".len()));
        assert!(!inside_title_marks("《甲》乙", "《甲》乙".len()));
    }

    #[test]
    fn cited_titles() {
        let t = "依据《《行政处罚法》和《民法典》及《未闭合";
        let got: Vec<_> = titles(t).map(|(r, name)| (&t[r], name)).collect();
        assert_eq!(got, vec![("《行政处罚法》", "行政处罚法"), ("《民法典》", "民法典")]);
    }

    /// `bounded` as first written: the text within reach, then the last
    /// stop before and the first after.
    fn bounded_plain(text: &str, r: Range<usize>, stops: &[char]) -> Range<usize> {
        let lo = r.start - chars_before(text, r.start, REACH).len();
        let hi = r.end + chars_after(text, r.end, REACH).len();
        let start = text[lo..r.start].rfind(stops).map_or(lo, |i| {
            let i = lo + i;
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
        let end = text[r.end..hi].find(stops).map_or(hi, |i| r.end + i);
        start..end
    }

    proptest::proptest! {
        #[test]
        fn sentences_and_clauses_equal_the_plain_search(
            text in "[甲乙a。，；：!?;:,！？ 、（\u{3400}\u{10000}é]{0,400}",
            a in 0usize..400,
            len in 0usize..8,
        ) {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let start = bounds[a % bounds.len()];
            let end = bounds[(a + len).min(bounds.len() - 1)].max(start);
            let sentence_stops = ['。', '！', '？', '；', '!', '?', ';'];
            let clause_stops = ['。', '！', '？', '；', '!', '?', ';', '，', ',', '：', ':'];
            proptest::prop_assert_eq!(sentence(&text, start..end), bounded_plain(&text, start..end, &sentence_stops));
            proptest::prop_assert_eq!(clause(&text, start..end), bounded_plain(&text, start..end, &clause_stops));
        }
    }

    #[test]
    fn long_unpunctuated_text_is_linear() {
        let text = "二十届四中全会".repeat(40_000);
        let at = text.len() / 2 - (text.len() / 2) % "二十届四中全会".len();
        let c = clause(&text, at..at + 3);
        assert!(c.end - c.start <= 2 * 160 * 3 + 3);
    }

    /// Units as `body` joins them: their texts, each followed by a line break.
    fn joined(units: &[String]) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        for u in units {
            spans.push(text.len()..text.len() + u.len());
            text.push_str(u);
            text.push('\n');
        }
        (text, spans)
    }

    fn unit_texts() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
        let piece = proptest::sample::select(vec![
            "《",
            "》",
            "民法典",
            "中华人民共和国",
            "二十届",
            "四中",
            "全会",
            "三中",
            "、",
            "法制",
            "建设",
            "审核",
            "党的",
            "20",
            "大",
            "届",
            "3",
            "中全会",
            "截至",
            "目前",
            "a",
            "甲",
            " ",
        ]);
        proptest::collection::vec(proptest::collection::vec(piece, 0..10).prop_map(|p| p.concat()), 0..8)
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The titles found once in the joined units are each unit's own.
        #[test]
        fn titles_of_the_joined_units_are_the_titles_of_each_unit(units in unit_texts()) {
            let (text, spans) = joined(&units);
            let all = titles_of_spans(&text, &spans);
            for (k, u) in units.iter().enumerate() {
                let mine: Vec<(Range<usize>, &str)> = titles_in(&all, k)
                    .iter()
                    .map(|(_, r)| (r.clone(), title_name(u, r)))
                    .collect();
                let plain: Vec<(Range<usize>, &str)> = titles(u).collect();
                proptest::prop_assert_eq!(mine, plain, "{:?}", units);
            }
        }

        /// A unit left out of the search holds no match (its literals are
        /// not in it), and a literal is found in exactly the units holding it.
        #[test]
        fn units_left_out_of_a_search_hold_no_match(units in unit_texts()) {
            let (text, spans) = joined(&units);
            for p in [
                "法制(建设|宣传)",
                "法制(建设|宣传|审核|政府|中国)",
                "(?:党的|二十届|法制)(?:二十|建设|3|中全会)",
                "(\\d{1,2})届(\\d{1,2})中全会",
                "党的(\\d{1,2})大",
                "二十届(?:[一二三四五六七八九]中[、和及与]?)*四中(?:[、和及与][一二三四五六七八九]中)*全会",
                "^《民法典》",
                "截[至止](目前|当前)",
                "\\d+",
                "a*",
            ] {
                let p = LazyRegex::new(p).unwrap();
                let search = spans_to_search(&p, &text, &spans);
                proptest::prop_assert!(search.windows(2).all(|w| w[0] < w[1]));
                for (k, u) in units.iter().enumerate() {
                    if !search.contains(&k) {
                        proptest::prop_assert!(!p.may_match(u) && !p.regex().is_match(u), "{} {:?}", p.as_str(), u);
                    }
                }
            }
            for needle in ["《", "法制", "中全会", "a", "\n", "aa", "3\n"] {
                let f = memchr::memmem::Finder::new(needle);
                let holding: Vec<usize> = (0..units.len()).filter(|&k| units[k].contains(needle)).collect();
                proptest::prop_assert_eq!(spans_holding_literal(&f, &text, &spans), holding);
                let each: Vec<(usize, usize)> = units
                    .iter()
                    .enumerate()
                    .flat_map(|(k, u)| f.find_iter(u.as_bytes()).map(move |at| (k, at)).collect::<Vec<_>>())
                    .collect();
                proptest::prop_assert_eq!(occurrences_in_spans(&f, &text, &spans), each);
            }
        }
    }

    #[test]
    fn every_stop_of_sentences_and_clauses_starts_with_a_byte_that_may_stop() {
        let stops = |c: char| is_sentence_end(c) || matches!(c, '，' | ',' | '：' | ':');
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| stops(c)) {
            assert!(may_stop(c.encode_utf8(&mut buf).as_bytes()[0]), "{c}");
        }
    }
}
