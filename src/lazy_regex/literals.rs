//! The guard of a pattern: the literals a text must hold for the pattern to
//! match in it, and the pattern's group names. Shared by `build.rs`, which
//! computes them for the built-in tables' patterns, and `crate::lazy_regex`,
//! which computes them for any other pattern (tests check the two agree).

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// More literals than this make a poor guard; the regex's own prefilter does better.
pub const MAX_NEEDLES: usize = 12;

/// A pattern that matches only at the start of a text is guarded by
/// comparing the text's start with its literals, not by searching for them:
/// a longer list still makes a cheap guard.
pub const MAX_LEADING: usize = 64;

/// At most this many further literals guard a pattern.
pub const MAX_INNER: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    /// Every match starts (or ends) with one of these (`None`: no short list exists).
    pub needles: Option<Vec<Vec<u8>>>,
    /// The pattern matches only at the start of a text (`^…`) and `needles`
    /// are what matches start with: a text that does not start with one
    /// cannot match.
    pub at_start: bool,
    /// Further literals every match contains (a match of `二十届…四中…全会`
    /// contains `四中` as well as `二十届`).
    pub inner: Vec<Vec<u8>>,
    /// Group names by index, group 0 first (as `Regex::capture_names`).
    pub names: Vec<Option<String>>,
}

impl Guard {
    pub fn of(hir: &Hir) -> Guard {
        let found = needles(hir);
        let at_start = found
            .as_ref()
            .is_some_and(|(_, kind)| matches!(kind, ExtractKind::Prefix))
            && hir
                .properties()
                .look_set_prefix()
                .contains(regex_syntax::hir::Look::Start);
        let needles = found.map(|(list, _)| list);
        let inner = inner(hir, needles.as_deref().unwrap_or_default());
        Guard {
            needles,
            at_start,
            inner,
            names: names(hir),
        }
    }
}

/// Group names by index, group 0 first.
fn names(hir: &Hir) -> Vec<Option<String>> {
    fn walk(h: &Hir, out: &mut Vec<Option<String>>) {
        match h.kind() {
            HirKind::Capture(c) => {
                let i = c.index as usize;
                if out.len() <= i {
                    out.resize(i + 1, None);
                }
                out[i] = c.name.as_deref().map(String::from);
                walk(&c.sub, out);
            }
            HirKind::Repetition(r) => walk(&r.sub, out),
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = vec![None];
    walk(hir, &mut out);
    out
}

/// A short list of non-empty literals that every match of `hir` starts
/// with (`Prefix`) or ends with (`Suffix`), if there is one.
fn literals(hir: &Hir, kind: ExtractKind, max: usize) -> Option<Vec<Vec<u8>>> {
    let mut ex = Extractor::new();
    // Lists longer than `max` are of no use: tighter limits than the
    // defaults give up on them sooner.
    ex.kind(kind).limit_total(4 * max).limit_repeat(4);
    let seq = ex.extract(hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > max || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

fn shortest(list: &[Vec<u8>]) -> usize {
    list.iter().map(Vec::len).min().unwrap_or(0)
}

/// The literals every match starts with, or else ends with: the shorter
/// list whose shortest literal is longest, if any is short and non-empty;
/// with the kind of list it is.
fn needles(hir: &Hir) -> Option<(Vec<Vec<u8>>, ExtractKind)> {
    if hir
        .properties()
        .look_set_prefix()
        .contains(regex_syntax::hir::Look::Start)
    {
        if let Some(list) = literals(hir, ExtractKind::Prefix, MAX_LEADING) {
            return Some((list, ExtractKind::Prefix));
        }
    }
    let mut best: Option<(Vec<Vec<u8>>, ExtractKind)> = None;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let Some(list) = literals(hir, kind.clone(), MAX_NEEDLES) else {
            continue;
        };
        if best.as_ref().is_none_or(|(b, _)| shortest(&list) > shortest(b)) {
            best = Some((list, kind));
        }
    }
    best
}

/// Literals that every match contains besides one of `first` (the prefix or
/// suffix list): those the pattern's top-level sequence spells out (for
/// `二十届(…)*四中(…)*全会`, `四中` and `全会`), the longest first.
fn inner(hir: &Hir, first: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut h = hir;
    while let HirKind::Capture(c) = h.kind() {
        h = &c.sub;
    }
    let HirKind::Concat(parts) = h.kind() else {
        return Vec::new();
    };
    let mut lits: Vec<&[u8]> = Vec::new();
    for part in parts {
        if let HirKind::Literal(l) = part.kind() {
            let l: &[u8] = &l.0;
            // A literal of the first list (or part of its only literal) adds nothing.
            let implied = first.len() == 1 && (l.is_empty() || first[0].windows(l.len()).any(|w| w == l));
            if !l.is_empty() && !implied && !first.iter().any(|f| f == l) && !lits.contains(&l) {
                lits.push(l);
            }
        }
    }
    lits.sort_by_key(|l| std::cmp::Reverse(l.len()));
    lits.truncate(MAX_INNER);
    lits.iter().map(|l| l.to_vec()).collect()
}
