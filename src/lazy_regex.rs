//! Regexes of the knowledge tables, compiled on first use. Start-up of one
//! report was dominated by compiling every pattern of every table; most are
//! searched only in texts that cannot match them. A [`LazyRegex`] keeps the
//! checked pattern and the literals every match must start (or end) with: a
//! search in a text that holds none of them answers at once, without
//! compiling anything. Its search methods have the names and results of
//! [`Regex`]'s, and it dereferences to the compiled [`Regex`] for the rest.

use memchr::memmem::Finder;
use regex::{Captures, Match, Regex};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

mod literals;
mod set;

pub use set::{Candidates, SetGuard};

/// The guards of the built-in tables' patterns, computed by build.rs:
/// `BUILTIN_GUARDS`, sorted by pattern, each `(pattern, needles, at_start, inner, names)`.
mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_guards.rs"));
}

#[derive(Clone)]
pub struct LazyRegex {
    pattern: String,
    /// What the parsed pattern tells (parsed at once, or on first use).
    info: OnceLock<Info>,
    regex: OnceLock<Regex>,
}

#[derive(Clone)]
struct Info {
    /// Every match starts (or ends) with one of these (`None`: no short list exists).
    needles: Option<Vec<Finder<'static>>>,
    /// Matches start at the start of a text, with one of `needles`.
    at_start: bool,
    /// Further lists of which every match contains one literal each (a
    /// match of `二十届…四中…全会` contains `四中` as well as `二十届`).
    inner: Vec<Vec<Finder<'static>>>,
    /// Group names by index, group 0 first (as `Regex::capture_names`).
    names: Vec<Option<String>>,
    /// More than [`FEW_NEEDLES`] `needles`, none holding a line break: one
    /// automaton searching for all of them at once (built on first use).
    all_needles: OnceLock<Option<aho_corasick::AhoCorasick>>,
}

/// Up to this many needles of a pattern are searched for one by one.
const FEW_NEEDLES: usize = 3;

fn finders<T: AsRef<[u8]>>(list: &[T]) -> Vec<Finder<'static>> {
    list.iter().map(|n| Finder::new(n.as_ref()).into_owned()).collect()
}

impl Info {
    fn of(hir: &regex_syntax::hir::Hir) -> Info {
        let g = literals::Guard::of(hir);
        Info {
            needles: g.needles.as_deref().map(finders),
            at_start: g.at_start,
            inner: g.inner.iter().map(|l| finders(&[l])).collect(),
            names: g.names,
            all_needles: OnceLock::new(),
        }
    }

    /// The guard build.rs computed for a built-in pattern, if this is one.
    fn builtin(pattern: &str) -> Option<Info> {
        let i = builtin::BUILTIN_GUARDS
            .binary_search_by(|(p, ..)| (*p).cmp(pattern))
            .ok()?;
        let (_, needles, at_start, inner, names) = builtin::BUILTIN_GUARDS[i];
        Some(Info {
            needles: needles.map(finders),
            at_start,
            inner: inner.iter().map(|l| finders(&[l])).collect(),
            names: names.iter().map(|n| n.map(String::from)).collect(),
            all_needles: OnceLock::new(),
        })
    }
}

impl Info {
    /// The automaton over `needles`, when there are many of them.
    fn all_needles(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.all_needles
            .get_or_init(|| {
                let needles = self.needles.as_deref()?;
                if needles.len() <= FEW_NEEDLES || needles.iter().any(|n| n.needle().contains(&b'\n')) {
                    return None;
                }
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::Standard)
                    .build(needles.iter().map(|n| n.needle()))
                    .ok()
            })
            .as_ref()
    }

    /// Whether `haystack` holds one of `needles` anywhere.
    fn any_needle(&self, needles: &[Finder<'static>], haystack: &str) -> bool {
        match self.all_needles() {
            Some(all) => all.is_match(haystack),
            None => needles.iter().any(|f| f.find(haystack.as_bytes()).is_some()),
        }
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.pattern).finish()
    }
}

impl LazyRegex {
    /// Check the pattern's syntax and find its guard literals; compile later.
    pub fn new(pattern: &str) -> Result<LazyRegex, Box<regex_syntax::Error>> {
        let hir = regex_syntax::Parser::new().parse(pattern).map_err(Box::new)?;
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            info: OnceLock::from(Info::of(&hir)),
            regex: OnceLock::new(),
        })
    }

    /// A pattern known to be valid (the built-in tables, which the tests
    /// compile): even parsing waits for the first use.
    pub fn unchecked(pattern: &str) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            info: OnceLock::new(),
            regex: OnceLock::new(),
        }
    }

    /// Compile at once (for users' own tables: every error shows at load).
    pub fn compiled(pattern: &str) -> Result<LazyRegex, regex::Error> {
        let regex = Regex::new(pattern)?;
        let info = match regex_syntax::Parser::new().parse(pattern) {
            Ok(hir) => Info::of(&hir),
            Err(_) => Info {
                needles: None,
                at_start: false,
                inner: Vec::new(),
                names: regex.capture_names().map(|n| n.map(String::from)).collect(),
                all_needles: OnceLock::new(),
            },
        };
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            info: OnceLock::from(info),
            regex: OnceLock::from(regex),
        })
    }

    fn info(&self) -> &Info {
        self.info.get_or_init(|| {
            if let Some(info) = Info::builtin(&self.pattern) {
                return info;
            }
            let hir = regex_syntax::Parser::new()
                .parse(&self.pattern)
                .expect("built-in patterns are valid");
            Info::of(&hir)
        })
    }

    /// Whether build.rs computed this pattern's guard.
    #[cfg(test)]
    pub(crate) fn guard_is_builtin(&self) -> bool {
        Info::builtin(&self.pattern).is_some()
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex (compiling it now if needed).
    pub fn regex(&self) -> &Regex {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).expect("the pattern was checked when the table was loaded"))
    }

    /// The number of groups, group 0 included, without compiling.
    pub fn captures_len(&self) -> usize {
        self.info().names.len()
    }

    /// The group names by index, without compiling.
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        self.info().names.iter().map(|n| n.as_deref())
    }

    /// Whether `haystack` may hold a match; `false` is certain.
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        let info = self.info();
        let any = |n: &[Finder<'static>]| n.iter().any(|f| f.find(haystack.as_bytes()).is_some());
        let first = |n: &[Finder<'static>]| {
            if info.at_start {
                n.iter().any(|f| haystack.as_bytes().starts_with(f.needle()))
            } else {
                info.any_needle(n, haystack)
            }
        };
        info.needles.as_deref().is_none_or(first) && info.inner.iter().all(|n| any(n))
    }

    /// Whether some part of `haystack` may hold a match: [`Self::may_match`]
    /// with the literals a match starts with looked for anywhere. `false`
    /// is certain for every part of the text.
    pub(crate) fn may_match_within(&self, haystack: &str) -> bool {
        let info = self.info();
        let any = |n: &[Finder<'static>]| n.iter().any(|f| f.find(haystack.as_bytes()).is_some());
        info.needles.as_deref().is_none_or(|n| info.any_needle(n, haystack)) && info.inner.iter().all(|n| any(n))
    }

    /// Calls `hit` with occurrences `(start, end)` in `text` of the literals
    /// of which every match holds one, and returns `true`; returns `false`
    /// at once when there are no such literals (any text may match). A line
    /// of `text` (a part between line breaks) that holds one of these
    /// literals holds a reported occurrence whole; so a line that holds no
    /// reported occurrence whole is a haystack [`Self::may_match`] refuses.
    pub(crate) fn needle_hits(&self, text: &str, mut hit: impl FnMut(usize, usize)) -> bool {
        let info = self.info();
        let Some(needles) = info.needles.as_deref() else {
            return false;
        };
        if needles.iter().any(|n| n.needle().is_empty()) {
            return false;
        }
        if let Some(all) = info.all_needles() {
            // Not overlapping, each the one that ends first from where the
            // search resumes: for each occurrence, some reported one ends
            // inside it and starts no later than the search resumed before
            // it, so it overlaps it or lies in it; holding no line break,
            // it lies in the same line.
            for m in all.find_iter(text) {
                hit(m.start(), m.end());
            }
            return true;
        }
        let hay = text.as_bytes();
        for n in needles {
            let len = n.needle().len();
            let mut at = 0;
            while let Some(i) = n.find(&hay[at..]) {
                hit(at + i, at + i + len);
                at += i + 1;
            }
        }
        true
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.may_match(haystack) && self.regex().is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        if !self.may_match(haystack) {
            return None;
        }
        self.regex().find(haystack)
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.may_match(haystack)
            .then(|| self.regex().find_iter(haystack))
            .into_iter()
            .flatten()
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        if !self.may_match(haystack) {
            return None;
        }
        self.regex().captures(haystack)
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.may_match(haystack)
            .then(|| self.regex().captures_iter(haystack))
            .into_iter()
            .flatten()
    }
}

/// Which of several patterns matches a text first (in their order), with one
/// pass over the text for the guard literals of all of them: an Aho-Corasick
/// automaton over every pattern's literals, built on first use. Only the
/// patterns whose literals occur (and those without literals) are run.
#[derive(Clone, Debug, Default)]
pub struct FirstMatch {
    guard: OnceLock<Guard>,
}

/// Up to this many literals are searched for one by one.
const FEW_LITERALS: usize = 16;

#[derive(Clone, Debug)]
struct Guard {
    /// Literals a text must start with, and their patterns (patterns that
    /// match only at the start: no search needed), by their first byte.
    leading: Vec<Vec<(Vec<u8>, usize)>>,
    /// By first byte, bit `b % 64` for each second byte `b` of the leading
    /// literals (all bits for a literal of one byte): most texts start with
    /// two bytes no leading literal starts with.
    second: [u64; 256],
    /// The other literals, searched anywhere in the text.
    floating: Floating,
    /// Patterns without guard literals: always run.
    unguarded: Vec<usize>,
}

/// How the literals that may stand anywhere are searched for.
#[derive(Clone, Debug)]
enum Floating {
    /// One by one, when they are few: a search for each costs less than one
    /// overlapping search with an automaton. Literals that begin alike
    /// (`扫一扫在手机打开…`, `扫一扫在手机查看…`) are searched for together.
    Each(Vec<Group>),
    /// One automaton (built once per process and run on short lines: a DFA
    /// would cost more to build than it saves), with the pattern of each literal.
    Automaton(aho_corasick::AhoCorasick, Vec<usize>),
    /// The automaton could not be built: every pattern is a candidate.
    Unsearchable,
}

/// Floating literals that share their first bytes: one search for what
/// they share, and where it occurs, a comparison with each of them.
#[derive(Clone, Debug)]
struct Group {
    /// The longest common prefix of `members` (not empty).
    shared: Finder<'static>,
    /// The literals and their patterns.
    members: Members,
}

/// Literals and their patterns.
type Members = Vec<(Vec<u8>, usize)>;

/// Floating literals are grouped by up to this many first bytes (two CJK characters).
const GROUP_PREFIX: usize = 6;

impl Group {
    fn all(literals: Vec<Vec<u8>>, owner: Vec<usize>) -> Vec<Group> {
        let mut groups: Vec<(Vec<u8>, Members)> = Vec::new();
        for (l, i) in literals.into_iter().zip(owner) {
            let key = &l[..l.len().min(GROUP_PREFIX)];
            match groups.iter_mut().find(|(k, _)| k == key) {
                Some((_, members)) => members.push((l, i)),
                None => groups.push((key.to_vec(), vec![(l, i)])),
            }
        }
        groups
            .into_iter()
            .map(|(_, members)| {
                let first = &members[0].0;
                let shared = members.iter().fold(first.len(), |n, (l, _)| {
                    n.min(first.iter().zip(l).take_while(|(a, b)| a == b).count())
                });
                Group {
                    shared: Finder::new(&first[..shared]).into_owned(),
                    members,
                }
            })
            .collect()
    }

    /// Each occurrence in `hay` of a member, as (start, end, pattern),
    /// overlapping ones included.
    fn each_in(&self, hay: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        let mut at = 0;
        while let Some(m) = self.shared.find(&hay[at..]) {
            let s = at + m;
            for (l, pattern) in &self.members {
                if hay[s..].starts_with(l) {
                    found(s, s + l.len(), *pattern);
                }
            }
            at = s + 1;
        }
    }
}

impl Guard {
    fn of(patterns: &[LazyRegex]) -> Guard {
        let (mut literals, mut owner, mut unguarded) = (Vec::new(), Vec::new(), Vec::new());
        let mut leading: Vec<Vec<(Vec<u8>, usize)>> = vec![Vec::new(); 256];
        for (i, p) in patterns.iter().enumerate() {
            let info = p.info();
            match &info.needles {
                // An empty literal occurs in (and starts) every text: no guard.
                Some(needles) if needles.iter().any(|n| n.needle().is_empty()) => unguarded.push(i),
                Some(needles) if info.at_start => {
                    for n in needles {
                        leading[usize::from(n.needle()[0])].push((n.needle().to_vec(), i));
                    }
                }
                Some(needles) => {
                    for n in needles {
                        literals.push(n.needle().to_vec());
                        owner.push(i);
                    }
                }
                None => unguarded.push(i),
            }
        }
        let mut second = [0u64; 256];
        for (b, list) in leading.iter().enumerate() {
            second[b] = list
                .iter()
                .fold(0, |m, (l, _)| m | l.get(1).map_or(u64::MAX, |&c| 1 << (c % 64)));
        }
        let floating = if literals.len() <= FEW_LITERALS {
            Floating::Each(Group::all(literals, owner))
        } else {
            quick_automaton(&literals).map_or(Floating::Unsearchable, |f| Floating::Automaton(f, owner))
        };
        Guard {
            leading,
            second,
            floating,
            unguarded,
        }
    }

    /// The first of `candidates` (patterns whose floating literals `text`
    /// holds), the unguarded patterns and those whose leading literal
    /// `text` starts with, in the patterns' order, that matches `text`.
    fn first_of(&self, patterns: &[LazyRegex], text: &str, candidates: &mut Vec<usize>) -> Option<usize> {
        candidates.extend_from_slice(&self.unguarded);
        let bytes = text.as_bytes();
        let second = bytes.get(1).map_or(u64::MAX, |&c| 1 << (c % 64));
        if let Some(&b) = bytes.first().filter(|&&b| self.second[usize::from(b)] & second != 0) {
            candidates.extend(
                self.leading[usize::from(b)]
                    .iter()
                    // The second byte first: most lines start with another character.
                    .filter(|(lit, _)| {
                        lit.get(1).is_none_or(|b| text.as_bytes().get(1) == Some(b)) && text.as_bytes().starts_with(lit)
                    })
                    .map(|&(_, i)| i),
            );
        }
        if candidates.is_empty() {
            return None;
        }
        candidates.sort_unstable();
        candidates.dedup();
        // `is_match` checks the other literals each match needs before compiling.
        candidates.iter().copied().find(|&i| patterns[i].is_match(text))
    }

    /// The floating literals found in each of `spans` (ascending and
    /// disjoint ranges of `text`), as (span, pattern) pairs sorted: one
    /// search of the text for each literal (or one automaton pass), where
    /// an occurrence counts for the span that holds it whole. `None` when
    /// the literals cannot be searched for.
    fn floating_hits(&self, text: &str, spans: &[Range<usize>]) -> Option<Vec<(usize, usize)>> {
        let mut hits = Vec::new();
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return Some(hits);
        };
        let lo = first.start;
        let hay = &text.as_bytes()[lo..last.end.max(lo)];
        let mut record = |s: usize, e: usize, pattern: usize| {
            let (s, e) = (lo + s, lo + e);
            let k = spans.partition_point(|r| r.start <= s);
            if k > 0 && e <= spans[k - 1].end {
                hits.push((k - 1, pattern));
            }
        };
        match &self.floating {
            Floating::Each(groups) => groups.iter().for_each(|g| g.each_in(hay, &mut record)),
            Floating::Automaton(f, owner) => {
                for m in f.find_overlapping_iter(hay) {
                    record(m.start(), m.end(), owner[m.pattern().as_usize()]);
                }
            }
            Floating::Unsearchable => return None,
        }
        hits.sort_unstable();
        hits.dedup();
        Some(hits)
    }
}

impl FirstMatch {
    fn guard(&self, patterns: &[LazyRegex]) -> &Guard {
        self.guard.get_or_init(|| Guard::of(patterns))
    }

    /// The index of the first of `patterns` (always the same list) that matches `text`.
    pub fn find(&self, patterns: &[LazyRegex], text: &str) -> Option<usize> {
        let g = self.guard(patterns);
        let mut candidates = Vec::new();
        match &g.floating {
            Floating::Each(groups) => {
                for g in groups {
                    g.each_in(text.as_bytes(), |_, _, pattern| candidates.push(pattern));
                }
            }
            Floating::Automaton(f, owner) => {
                candidates.extend(f.find_overlapping_iter(text).map(|m| owner[m.pattern().as_usize()]))
            }
            Floating::Unsearchable => candidates.extend(0..patterns.len()),
        }
        g.first_of(patterns, text, &mut candidates)
    }

    /// [`Self::find`] on each of `spans` of `text` (ascending, disjoint
    /// byte ranges on character boundaries, such as the lines of a
    /// document): the literals are searched for once in the whole text
    /// instead of once in each span.
    pub fn find_each(&self, patterns: &[LazyRegex], text: &str, spans: &[Range<usize>]) -> Vec<Option<usize>> {
        debug_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        debug_assert!(spans.iter().all(|r| r.start <= r.end));
        let g = self.guard(patterns);
        let Some(hits) = g.floating_hits(text, spans) else {
            return spans.iter().map(|r| self.find(patterns, &text[r.clone()])).collect();
        };
        let mut hits = hits.into_iter().peekable();
        let mut candidates = Vec::new();
        spans
            .iter()
            .enumerate()
            .map(|(k, r)| {
                candidates.clear();
                while let Some((_, pattern)) = hits.next_if(|&(span, _)| span == k) {
                    candidates.push(pattern);
                }
                g.first_of(patterns, &text[r.clone()], &mut candidates)
            })
            .collect()
    }
}

/// An Aho-Corasick automaton that is cheap to build (a contiguous NFA, not
/// the DFA the default builder picks for small sets): these automata are
/// built at start-up or on first use and search short texts.
pub fn quick_automaton<P: AsRef<[u8]>>(patterns: &[P]) -> Option<aho_corasick::AhoCorasick> {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .ok()
}

/// Regexes compiled together on first use, seen as a slice of [`Regex`]
/// (for code that takes `&[Regex]`); `is_empty` and `len` compile nothing.
///
/// [`LazyRegexes::each`] gives the same patterns one by one as [`LazyRegex`]es,
/// for code that searches with them: each compiles only when a text holds
/// the literals it needs.
#[derive(Clone, Debug)]
pub struct LazyRegexes {
    patterns: Vec<LazyRegex>,
    compiled: OnceLock<Vec<Regex>>,
}

impl LazyRegexes {
    /// Patterns known to be valid (checked by the caller).
    pub fn new(patterns: Vec<String>) -> LazyRegexes {
        LazyRegexes {
            patterns: patterns.iter().map(|p| LazyRegex::unchecked(p)).collect(),
            compiled: OnceLock::new(),
        }
    }

    /// Regexes compiled already (users' tables).
    pub fn compiled(regexes: Vec<Regex>) -> LazyRegexes {
        LazyRegexes {
            patterns: regexes
                .iter()
                .map(|r| LazyRegex {
                    pattern: r.as_str().to_string(),
                    info: OnceLock::new(),
                    regex: OnceLock::from(r.clone()),
                })
                .collect(),
            compiled: OnceLock::from(regexes),
        }
    }

    /// The patterns one by one, each compiled on its first use (unlike the
    /// slice of [`Regex`] this dereferences to, which compiles them all).
    pub fn each(&self) -> &[LazyRegex] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }
}

impl std::ops::Deref for LazyRegexes {
    type Target = [Regex];

    fn deref(&self) -> &[Regex] {
        self.compiled
            .get_or_init(|| self.patterns.iter().map(|p| p.regex().clone()).collect())
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_match_agrees_with_trying_each_pattern_in_turn() {
        let patterns: Vec<LazyRegex> = ["^当前位置[:：]", "扫一扫", "(首页|网站首页)$", "\\d{4}", "[甲乙]丙"]
            .iter()
            .map(|p| LazyRegex::new(p).unwrap())
            .collect();
        let first = FirstMatch::default();
        for text in [
            "当前位置：首页",
            "请扫一扫",
            "网站首页",
            "2024",
            "乙丙",
            "正文",
            "",
            "首页 扫一扫 2024",
        ] {
            let expected = patterns.iter().position(|p| p.regex().is_match(text));
            assert_eq!(first.find(&patterns, text), expected, "{text}");
        }
    }

    #[test]
    fn first_match_with_many_literals_and_anchored_patterns() {
        // Anchored patterns with long lists, and more floating literals than
        // are searched one by one (the automaton's path).
        let mut sources: Vec<String> = vec![
            "^(索引号|发文字号|主题分类|体裁分类|发布机构|发布日期|成文日期|有效性|公开方式|公开时限|信息来源|来源|浏览次数|点击数)\\s*[:：]".into(),
            "^\\[\\s*(文号|来源)\\s*\\]".into(),
            "(?i)^ICP备".into(),
        ];
        sources.extend(
            ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
                .iter()
                .map(|w| format!("{w}(一|二)号")),
        );
        let patterns: Vec<LazyRegex> = sources.iter().map(|p| LazyRegex::new(p).unwrap()).collect();
        assert!(patterns[0].info().at_start && patterns[0].info().needles.as_ref().unwrap().len() == 14);
        let first = FirstMatch::default();
        for text in [
            "索引号：1",
            "来源:本站",
            " 来源：本站",
            "点击数 :",
            "[ 文号 ]",
            "icp备05",
            "甲一号乙二号",
            "说明来源：",
            "癸二号",
            "",
        ] {
            let expected = patterns.iter().position(|p| p.regex().is_match(text));
            assert_eq!(first.find(&patterns, text), expected, "{text}");
        }
    }

    use super::*;

    /// A few floating literals (searched one by one), anchored lists, and
    /// more floating literals than that (one automaton).
    fn first_match_sets() -> [Vec<LazyRegex>; 2] {
        let few = [
            "^当前位置[:：]",
            "扫一扫",
            "(首页|网站首页)$",
            "\\d{4}",
            "[甲乙]丙",
            "丙丙",
            "^ ?首页",
        ];
        let mut many: Vec<String> = few.iter().map(|p| p.to_string()).collect();
        many.extend(
            ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
                .iter()
                .map(|w| format!("{w}(一|二)号")),
        );
        [
            few.iter().map(|p| LazyRegex::new(p).unwrap()).collect(),
            many.iter().map(|p| LazyRegex::new(p).unwrap()).collect(),
        ]
    }

    proptest::proptest! {
        /// `find_each` over the lines of a text answers what `find` answers
        /// on each line: literals straddling two lines, or the trimmed ends
        /// of a line, belong to no line.
        #[test]
        fn find_each_agrees_with_find_on_each_line(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "当前位置", "：", "扫", "一", "扫一扫", "首页", "网站", " ", "2024", "1", "甲", "乙", "丙", "丙丙",
                        "一号", "二号", "癸", "正文", "\r",
                    ]),
                    0..8,
                ),
                0..8,
            ),
        ) {
            let lines: Vec<String> = lines.iter().map(|l| l.concat()).collect();
            let text = lines.join("\n");
            let mut spans = Vec::new();
            let mut at = 0;
            for l in &lines {
                let start = at + (l.len() - l.trim_start().len());
                spans.push(start..(at + l.trim_end().len()).max(start));
                at += l.len() + 1;
            }
            for patterns in first_match_sets() {
                let first = FirstMatch::default();
                let each = first.find_each(&patterns, &text, &spans);
                let plain: Vec<_> = spans.iter().map(|r| first.find(&patterns, &text[r.clone()])).collect();
                proptest::prop_assert_eq!(&each, &plain, "{:?}", text);
                let by_regex: Vec<_> = spans
                    .iter()
                    .map(|r| patterns.iter().position(|p| p.regex().is_match(&text[r.clone()])))
                    .collect();
                proptest::prop_assert_eq!(each, by_regex);
            }
        }
    }

    proptest::proptest! {
        /// Patterns with many literals (one automaton for them) answer as
        /// the regex does, and a line holding a literal holds a hit.
        #[test]
        fn many_literals_searched_at_once_miss_nothing(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "法制", "建设", "宣传", "审核", "政府", "法", "制", "\n", "二十大", "精神", "报告", "以来", "a",
                ]),
                0..14,
            ),
        ) {
            let text = pieces.concat();
            for p in ["法制(建设|政府|宣传|审核|思维)", "二十大(精神|报告|以来|作出)", "(?:法制|二十大)(审核|精神)"] {
                let r = LazyRegex::new(p).unwrap();
                proptest::prop_assert!(r.info().all_needles().is_some() || p.starts_with("(?:"));
                proptest::prop_assert_eq!(r.is_match(&text), r.regex().is_match(&text));
                proptest::prop_assert_eq!(r.may_match_within(&text), r.may_match(&text));
                let mut hits = Vec::new();
                proptest::prop_assert!(r.needle_hits(&text, |s, e| hits.push(s..e)));
                let mut at = 0;
                for line in text.split('\n') {
                    let range = at..at + line.len();
                    at += line.len() + 1;
                    if r.may_match(line) {
                        proptest::prop_assert!(
                            hits.iter().any(|h| range.start <= h.start && h.end <= range.end),
                            "{} {:?}", p, text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn find_each_on_no_span_and_on_spans_of_one_line() {
        let [few, many] = first_match_sets();
        let first = FirstMatch::default();
        assert!(first.find_each(&few, "扫一扫", &[]).is_empty());
        let text = "扫一扫当前位置：首页";
        let spans = [0..3, 3..9, 9..9, 9..text.len(), text.len()..text.len()];
        for patterns in [few, many] {
            let first = FirstMatch::default();
            let plain: Vec<_> = spans.iter().map(|r| first.find(&patterns, &text[r.clone()])).collect();
            assert_eq!(first.find_each(&patterns, text, &spans), plain);
        }
    }

    #[test]
    fn answers_like_the_regex_and_compiles_only_when_needed() {
        let r = LazyRegex::new("《(?:中华人民共和国)?执业医师法》").unwrap();
        assert!(r.find("没有相关内容").is_none());
        assert!(
            r.regex.get().is_none(),
            "a text without the literals does not compile the regex"
        );
        let m = r.find("依据《中华人民共和国执业医师法》处理").unwrap();
        assert_eq!(m.as_str(), "《中华人民共和国执业医师法》");
        assert_eq!(r.find_iter("《执业医师法》和《执业医师法》").count(), 2);

        let d = LazyRegex::new(r"(\d{1,2})届(\d{1,2})中全会").unwrap();
        assert!(d.info().needles.is_some(), "the suffix 中全会 guards it");
        let c = d.captures("党的19届4中全会").unwrap();
        assert_eq!(&c[1], "19");
        assert_eq!(d.captures_len(), 3);
        assert_eq!(d.captures_len(), d.regex().captures_len());
        let n = LazyRegex::new(r"(?P<open>\()(x)(?P<year>\d{4})").unwrap();
        let names: Vec<_> = n.capture_names().collect();
        assert_eq!(names, n.regex().capture_names().collect::<Vec<_>>());
        assert!(!d.is_match("十九届四中全会"));

        let any = LazyRegex::new(r"\d+").unwrap();
        assert!(any.info().needles.is_none());
        let u = LazyRegex::unchecked("《(?:中华人民共和国)?医师法》");
        assert!(u.find("无").is_none() && u.regex.get().is_none());
        assert!(u.is_match("《医师法》"));
        assert!(any.is_match("第３条"), "Unicode digits as in regex");
        assert!(LazyRegex::new("(").is_err());
        assert!(LazyRegex::compiled("a{1000000}").is_err());
    }

    #[test]
    fn build_time_guards_agree_with_run_time_guards() {
        let all = builtin::BUILTIN_GUARDS;
        assert!(all.len() > 100 && all.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (p, needles, at_start, inner, names) in all {
            let g = literals::Guard::of(&regex_syntax::Parser::new().parse(p).unwrap());
            let bytes = |l: &[&[u8]]| l.iter().map(|x| x.to_vec()).collect::<Vec<_>>();
            assert_eq!(g.needles, needles.map(bytes), "{p}");
            assert_eq!(g.at_start, *at_start, "{p}");
            assert_eq!(g.inner, bytes(inner), "{p}");
            assert_eq!(
                g.names,
                names.iter().map(|n| n.map(String::from)).collect::<Vec<_>>(),
                "{p}"
            );
        }
    }

    #[test]
    fn literals_inside_the_pattern_guard_it_too() {
        let e =
            LazyRegex::new("二十届(?:[一二三四五六七八九]中[、和及与]?)*四中(?:[、和及与][一二三四五六七八九]中)*全会")
                .unwrap();
        assert!(!e.is_match("二十届三中全会"));
        assert!(e.regex.get().is_none(), "no 四中: nothing compiled");
        assert!(e.is_match("二十届三中、四中全会"));
        let url = LazyRegex::new("(?i)(?:https?|ftp)://[!-~]+").unwrap();
        assert!(url.find("HTTP 协议").is_none() && url.regex.get().is_none());
        assert_eq!(url.find("见 HTTP://x.cn").map(|m| m.as_str()), Some("HTTP://x.cn"));

        let set = LazyRegexes::new(vec!["履行.{0,12}职责".into(), "明年[，,]?(我|本|将)".into()]);
        assert!(set.each()[1].find("今年我们").is_none());
        assert!(set.each().iter().all(|p| p.regex.get().is_none()));
        assert_eq!(set.each()[1].find("明年，我局").map(|m| m.start()), Some(0));
        assert_eq!(set.len(), 2);
        assert!(set[0].is_match("履行第一责任人职责"));
    }

    #[test]
    fn case_insensitive_and_alternations_keep_every_match() {
        let r = LazyRegex::new(r"(?i)\{[ \t]*(PAGE|NUMPAGES)\b[^}\n]*\}").unwrap();
        assert!(r.is_match("{ page }"));
        assert!(!r.is_match("page"));
        let a = LazyRegex::new("法制(建设|政府|宣传)").unwrap();
        assert!(a.is_match("加强法制宣传") && !a.is_match("法治建设"));
    }
}
