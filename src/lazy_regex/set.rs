//! [`SetGuard`]: the guard literals of a whole table of patterns looked for
//! in one pass over a text, instead of one search per pattern and literal.

use super::LazyRegex;
use memchr::memmem::Finder;
use std::sync::OnceLock;

/// The guards of a list of patterns tested against one text together: one
/// pass over the text for the guard literals of all of them (an
/// Aho-Corasick automaton over every pattern's literals, built on first use)
/// tells which patterns may match, instead of one search per pattern and
/// literal. Like [`LazyRegex::may_match`], it may say "maybe" wrongly, never
/// "no" wrongly.
#[derive(Clone, Debug, Default)]
pub struct SetGuard {
    index: OnceLock<SetIndex>,
}

#[derive(Clone, Debug)]
struct SetIndex {
    /// Every distinct literal searched anywhere in a text.
    search: SetSearch,
    /// The same literals found character by character (for short texts).
    chars: CharIndex,
    /// How many literals are searched in one pass (ids `0..searched`).
    searched: usize,
    /// The other literals (their ids follow those searched), found one by one.
    unsearched: Vec<Finder<'static>>,
    /// What each pattern's guard needs, in the patterns' order.
    needs: Vec<Need>,
    /// The patterns with neither `leading` nor `any`.
    unanchored: Candidates,
    /// The patterns with `leading`.
    leading: Vec<u32>,
    /// By literal, the patterns with the literal in `any`.
    any_of: Vec<Vec<u32>>,
}

/// How texts of [`SHORT_TEXT`] bytes or more are searched.
#[derive(Clone, Debug)]
enum SetSearch {
    /// No pattern has a literal to search for.
    Nothing,
    /// A packed (SIMD) searcher for the leftmost-longest literal, run again
    /// from the next byte after each match, with the literals that are
    /// prefixes of each literal: every position where a literal starts is
    /// visited, and the literals starting there are the longest one and
    /// its prefixes. Much faster than an automaton on CJK text.
    Packed(aho_corasick::packed::Searcher, Vec<Vec<u32>>),
    /// Too many literals to pack: character by character, as short texts.
    Chars,
}

#[derive(Clone, Debug)]
struct Need {
    /// A text must start with one of these (a pattern anchored at the start).
    leading: Option<Vec<Vec<u8>>>,
    /// One of these literals must occur (`None`: no such list).
    any: Option<Vec<u32>>,
    /// Each of these literals must occur.
    all: Vec<u32>,
}

/// The patterns of a [`SetGuard`] that may match a text, as a bitset by
/// index: held inline up to [`INLINE_WORDS`] words (no allocation for the
/// tables' usual sizes), on the heap beyond.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidates {
    words: usize,
    inline: [u64; INLINE_WORDS],
    heap: Vec<u64>,
}

/// Bitsets of up to `64 * INLINE_WORDS` members are held inline.
const INLINE_WORDS: usize = 4;

impl Candidates {
    fn none(n: usize) -> Candidates {
        let words = n.div_ceil(64);
        Candidates {
            words,
            inline: [0; INLINE_WORDS],
            heap: if words > INLINE_WORDS {
                vec![0; words]
            } else {
                Vec::new()
            },
        }
    }

    fn bits(&self) -> &[u64] {
        match self.inline.get(..self.words) {
            Some(bits) => bits,
            None => &self.heap,
        }
    }

    fn insert(&mut self, i: usize) {
        let bits = match self.inline.get_mut(..self.words) {
            Some(bits) => bits,
            None => &mut self.heap,
        };
        bits[i / 64] |= 1 << (i % 64);
    }

    /// Whether pattern `i` may match (`false` is certain).
    pub fn contains(&self, i: usize) -> bool {
        self.bits().get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether no pattern can match.
    pub fn is_empty(&self) -> bool {
        self.bits().iter().all(|&w| w == 0)
    }

    /// The indices of the patterns that may match, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits().iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    k * 64 + b
                })
            })
        })
    }
}

/// Texts shorter than this are searched character by character, longer
/// ones with the packed searcher (when there is one).
const SHORT_TEXT: usize = 192;

/// The literals by their first character: a text's characters are looked
/// up in a bitmap of the literals' first characters (by the low 16 bits of
/// the code point, the character's key), and only where one may start are
/// the literals compared.
#[derive(Clone, Debug)]
struct CharIndex {
    /// Bit `c & 0xFFFF` is set when a literal starts with a character `c`.
    bitmap: Vec<u64>,
    /// By word of `bitmap`, how many bits the words before it set: with the
    /// bits before a key in its own word, the key's rank among the keys.
    rank: Vec<u32>,
    /// By rank of a key, where its literals start in `by_key` (one more
    /// entry, for the end of the last).
    starts: Vec<u32>,
    /// The literals, by the key of their first character.
    by_key: Vec<u32>,
    /// The literals' bytes, by id.
    literals: Vec<Vec<u8>>,
    /// Literals that do not start with a whole character: searched for.
    other: Vec<(Finder<'static>, u32)>,
}

impl CharIndex {
    fn of(literals: &[Vec<u8>]) -> CharIndex {
        let mut ix = CharIndex {
            bitmap: vec![0; 1024],
            rank: Vec::new(),
            starts: Vec::new(),
            by_key: Vec::new(),
            literals: literals.to_vec(),
            other: Vec::new(),
        };
        let mut keyed = Vec::new();
        for (i, l) in literals.iter().enumerate() {
            let first = l.utf8_chunks().next().and_then(|c| c.valid().chars().next());
            match first {
                Some(c) => {
                    let cp = c as usize & 0xFFFF;
                    ix.bitmap[cp / 64] |= 1 << (cp % 64);
                    keyed.push((cp, i as u32));
                }
                None => ix.other.push((Finder::new(l).into_owned(), i as u32)),
            }
        }
        keyed.sort_unstable();
        let mut before = 0;
        for w in &ix.bitmap {
            ix.rank.push(before);
            before += w.count_ones();
        }
        for (k, &(key, i)) in keyed.iter().enumerate() {
            if k == 0 || keyed[k - 1].0 != key {
                ix.starts.push(k as u32);
            }
            ix.by_key.push(i);
        }
        ix.starts.push(keyed.len() as u32);
        ix
    }

    /// The literals whose first character has the key of `c` (none for
    /// most characters), in the order of their ids.
    fn starting_like(&self, c: char) -> &[u32] {
        let cp = c as usize & 0xFFFF;
        let word = self.bitmap[cp / 64];
        let bit = 1u64 << (cp % 64);
        if word & bit == 0 {
            return &[];
        }
        let r = self.rank[cp / 64] as usize + (word & (bit - 1)).count_ones() as usize;
        &self.by_key[self.starts[r] as usize..self.starts[r + 1] as usize]
    }

    fn scan(&self, text: &str, set: &mut impl FnMut(usize)) {
        for (at, c) in text.char_indices() {
            // A literal of another character of the same key differs from
            // the text in its first character: the comparison tells.
            for &i in self.starting_like(c) {
                if text.as_bytes()[at..].starts_with(&self.literals[i as usize]) {
                    set(i as usize);
                }
            }
        }
        for (f, i) in &self.other {
            if f.find(text.as_bytes()).is_some() {
                set(*i as usize);
            }
        }
    }
}

impl SetSearch {
    fn of(literals: &[Vec<u8>]) -> SetSearch {
        if literals.is_empty() {
            return SetSearch::Nothing;
        }
        let packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(literals)
            .build();
        let Some(p) = packed else {
            return SetSearch::Chars;
        };
        let prefixes = literals
            .iter()
            .map(|l| {
                (0..literals.len())
                    .filter(|&j| literals[j].len() < l.len() && l.starts_with(&literals[j]))
                    .map(|j| j as u32)
                    .collect()
            })
            .collect();
        SetSearch::Packed(p, prefixes)
    }
}

impl SetIndex {
    fn of<P: std::borrow::Borrow<LazyRegex>>(patterns: impl IntoIterator<Item = P>) -> SetIndex {
        type Raw = (Option<Vec<Vec<u8>>>, Option<Vec<Vec<u8>>>, Vec<Vec<u8>>);
        let raw: Vec<Raw> = patterns
            .into_iter()
            .map(|p| {
                let info = p.borrow().info();
                let bytes = |n: &[Finder<'static>]| n.iter().map(|f| f.needle().to_vec()).collect::<Vec<_>>();
                let (leading, any) = match &info.needles {
                    Some(n) if info.at_start => (Some(bytes(n)), None),
                    Some(n) => (None, Some(bytes(n))),
                    None => (None, None),
                };
                // Each inner list holds one literal (see `Info::of`).
                let all = info
                    .inner
                    .iter()
                    .filter(|l| l.len() == 1)
                    .flat_map(|l| bytes(l))
                    .collect();
                (leading, any, all)
            })
            .collect();
        // The literals searched in one pass come first: those of `any`, and
        // those of `all` of a pattern without `leading` or `any`. The others
        // (often common characters) are looked for only in a text where
        // their pattern's first condition holds.
        fn add(literals: &mut Vec<Vec<u8>>, l: &Vec<u8>) {
            if !literals.contains(l) {
                literals.push(l.clone());
            }
        }
        let mut literals: Vec<Vec<u8>> = Vec::new();
        for (leading, any, all) in &raw {
            any.iter().flatten().for_each(|l| add(&mut literals, l));
            if leading.is_none() && any.is_none() {
                all.iter().for_each(|l| add(&mut literals, l));
            }
        }
        let searched = literals.len();
        for (_, _, all) in &raw {
            all.iter().for_each(|l| add(&mut literals, l));
        }
        let id = |l: &Vec<u8>| literals.iter().position(|x| x == l).expect("added") as u32;
        let needs: Vec<Need> = raw
            .iter()
            .map(|(leading, any, all)| Need {
                leading: leading.clone(),
                any: any.as_ref().map(|a| a.iter().map(id).collect()),
                all: all.iter().map(id).collect(),
            })
            .collect();
        let unsearched = literals[searched..]
            .iter()
            .map(|l| Finder::new(l).into_owned())
            .collect();
        literals.truncate(searched);
        let search = SetSearch::of(&literals);
        let mut unanchored = Candidates::none(needs.len());
        let mut leading = Vec::new();
        let mut any_of = vec![Vec::new(); literals.len()];
        for (i, need) in needs.iter().enumerate() {
            match (&need.leading, &need.any) {
                (Some(_), _) => leading.push(i as u32),
                (None, Some(any)) => any.iter().for_each(|&l| any_of[l as usize].push(i as u32)),
                (None, None) => unanchored.insert(i),
            }
        }
        SetIndex {
            unanchored,
            leading,
            any_of,
            search,
            chars: CharIndex::of(&literals),
            searched: literals.len(),
            unsearched,
            needs,
        }
    }

    fn candidates(&self, text: &str) -> Candidates {
        let mut seen = Candidates::none(self.searched);
        let mut set = |i: usize| seen.insert(i);
        match &self.search {
            SetSearch::Nothing => {}
            SetSearch::Packed(p, prefixes) if text.len() >= SHORT_TEXT => {
                let mut at = 0;
                while let Some(m) = p.find_in(text, aho_corasick::Span::from(at..text.len())) {
                    let i = m.pattern().as_usize();
                    set(i);
                    prefixes[i].iter().for_each(|&j| set(j as usize));
                    at = m.start() + 1;
                }
            }
            _ => self.chars.scan(text, &mut set),
        }
        // The patterns whose first condition holds: those without one, those
        // whose text starts right, those one of whose literals occurs.
        let mut first = self.unanchored.clone();
        for &i in &self.leading {
            let lead = self.needs[i as usize].leading.as_deref().unwrap_or_default();
            if lead.iter().any(|l| text.as_bytes().starts_with(l)) {
                first.insert(i as usize);
            }
        }
        for l in seen.iter() {
            self.any_of[l].iter().for_each(|&i| first.insert(i as usize));
        }
        let mut out = Candidates::none(self.needs.len());
        for i in first.iter() {
            let has = |l: u32| match (l as usize).checked_sub(self.searched) {
                None => seen.contains(l as usize),
                Some(k) => self.unsearched[k].find(text.as_bytes()).is_some(),
            };
            if self.needs[i].all.iter().all(|&l| has(l)) {
                out.insert(i);
            }
        }
        out
    }
}

impl SetGuard {
    /// Which of `patterns` may match `text`. `patterns` gives the same list
    /// in the same order on every call; it is only read on the first.
    pub fn candidates<I, P>(&self, patterns: impl FnOnce() -> I, text: &str) -> Candidates
    where
        I: IntoIterator<Item = P>,
        P: std::borrow::Borrow<LazyRegex>,
    {
        self.index.get_or_init(|| SetIndex::of(patterns())).candidates(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns of every kind of guard: literals, alternations, anchored
    /// lists, inner literals, prefixes of one another, none at all.
    const SET: &[&str] = &[
        "法制(建设|宣传|教育)",
        "法制",
        "法制审核",
        "^(首页|网站首页)(\\s|$)",
        "^当前位置\\s*[:：]",
        "截[至止](目前|今)",
        "二十届(?:[一二三]中[、和]?)*三中全会",
        "(\\d{1,2})届(\\d{1,2})中全会",
        "《[^《》]*》",
        "\\d{4}\\s*年度?.{0,4}(计划|安排)",
        "\\d+",
        "(?i)ab",
        "b",
        "建设$",
        "设",
    ];

    fn set_patterns() -> Vec<LazyRegex> {
        SET.iter().map(|p| LazyRegex::new(p).unwrap()).collect()
    }

    /// Texts from pieces of the patterns' literals and other characters.
    fn text_strategy(max: usize) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "法",
            "制",
            "建设",
            "宣传",
            "审核",
            "首页",
            "网站",
            "当前位置",
            "：",
            ":",
            " ",
            "截至",
            "截止",
            "目前",
            "今",
            "二十届",
            "一中",
            "三中",
            "、",
            "全会",
            "中全会",
            "届",
            "《",
            "》",
            "12",
            "2024",
            "年",
            "度",
            "计划",
            "A",
            "b",
            "B",
            "a",
            "\n",
            "。",
            "的",
            "工作",
        ]);
        prop::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
    }

    fn check_set(patterns: &[LazyRegex], guard: &SetGuard, text: &str) {
        let maybe = guard.candidates(|| patterns.iter(), text);
        for (i, p) in patterns.iter().enumerate() {
            if p.regex().is_match(text) {
                assert!(
                    maybe.contains(i),
                    "{} matches {text:?} but the set guard says no",
                    p.as_str()
                );
            }
            assert_eq!(maybe.contains(i), p.may_match(text), "{} on {text:?}", p.as_str());
        }
        assert_eq!(
            maybe.iter().collect::<Vec<_>>(),
            (0..patterns.len()).filter(|&i| maybe.contains(i)).collect::<Vec<_>>()
        );
    }

    proptest::proptest! {
        /// The set guard never says "no" where a pattern matches, and says
        /// what each pattern's own guard says, on short texts (searched
        /// character by character) and long ones (the packed searcher).
        #[test]
        fn set_guard_agrees_with_each_guard_and_the_regexes(short in text_strategy(12), long in text_strategy(160)) {
            let patterns = set_patterns();
            let guard = SetGuard::default();
            check_set(&patterns, &guard, &short);
            check_set(&patterns, &guard, &long);
            let padded = format!("{}{short}", "填".repeat(70));
            check_set(&patterns, &guard, &padded);
        }
    }

    /// The literals a character may start, looked up by rank, are those
    /// whose first character has its key, for every character; and a scan
    /// finds each literal that occurs, as a plain search does.
    #[test]
    fn char_index_finds_what_a_plain_search_finds() {
        let literals: Vec<Vec<u8>> = [
            "法制",
            "法",
            "制度",
            "\u{10000}甲",
            "\u{20000}乙",
            "a",
            "ab",
            "首页",
            "\u{FFFF}",
            "年度",
        ]
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .chain([vec![0x80, b'x']])
        .collect();
        let ix = CharIndex::of(&literals);
        let key = |c: char| c as usize & 0xFFFF;
        let first = |l: &[u8]| std::str::from_utf8(l).ok().and_then(|s| s.chars().next());
        for c in (0..=0x2ffff).filter_map(char::from_u32) {
            let want: Vec<u32> = (0..literals.len() as u32)
                .filter(|&i| first(&literals[i as usize]).is_some_and(|f| key(f) == key(c)))
                .collect();
            assert_eq!(ix.starting_like(c), want.as_slice(), "{c:?}");
        }
        for text in [
            "",
            "法制度",
            "a首页ab",
            "\u{10000}甲\u{20000}乙\u{FFFF}",
            "无关",
            "年度法",
        ] {
            let mut found = Vec::new();
            ix.scan(text, &mut |i| found.push(i));
            found.sort_unstable();
            found.dedup();
            let plain: Vec<usize> = (0..literals.len())
                .filter(|&i| {
                    text.as_bytes()
                        .windows(literals[i].len())
                        .any(|w| w == literals[i].as_slice())
                })
                .collect();
            assert_eq!(found, plain, "{text:?}");
        }
    }

    /// More patterns and literals than a bitset holds inline.
    #[test]
    fn large_sets_agree_with_each_guard() {
        let patterns: Vec<LazyRegex> = (0..300)
            .map(|k| LazyRegex::new(&format!("词{k}号|^始{k}")).unwrap())
            .chain(SET.iter().map(|p| LazyRegex::new(p).unwrap()))
            .collect();
        let guard = SetGuard::default();
        let filler = "填".repeat(70);
        for text in ["", "词7号", "词299号和词0号", "始12", "法制审核", "词3号法制"] {
            check_set(&patterns, &guard, text);
            check_set(&patterns, &guard, &format!("{filler}{text}{filler}"));
        }
        let maybe = guard.candidates(|| patterns.iter(), "词299号和词0号");
        assert_eq!(maybe.iter().filter(|&i| i < 300).collect::<Vec<_>>(), vec![0, 299]);
        let only: Vec<LazyRegex> = patterns[..300].to_vec();
        let guard = SetGuard::default();
        assert!(guard.candidates(|| only.iter(), "无").is_empty());
        assert!(!guard.candidates(|| only.iter(), "始5").is_empty());
    }

    #[test]
    fn set_guard_examples() {
        let patterns = set_patterns();
        let guard = SetGuard::default();
        let filler = "填".repeat(70);
        for text in [
            "",
            "法制",
            "法制建设",
            "首页 网站",
            " 首页",
            "截至目前",
            "二十届一中、三中全会",
            "20届3中全会",
        ] {
            check_set(&patterns, &guard, text);
            check_set(&patterns, &guard, &format!("{filler}{text}{filler}"));
        }
        let maybe = guard.candidates(|| patterns.iter(), "法制审核");
        assert!(
            maybe.contains(1) && maybe.contains(2) && !maybe.contains(0),
            "prefixes of a found literal"
        );
        assert!(!guard.candidates(|| patterns.iter(), "正文").contains(0));
        let long = format!("{filler}法制审核{filler}");
        let maybe = guard.candidates(|| patterns.iter(), &long);
        assert!(maybe.contains(1) && maybe.contains(2) && !maybe.contains(0));
        let none = SetGuard::default();
        let plain = [LazyRegex::new("\\d+").unwrap()];
        assert!(
            none.candidates(|| plain.iter(), "x").contains(0),
            "no literal: always a candidate"
        );
    }
}
