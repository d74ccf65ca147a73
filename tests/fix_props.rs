//! Property tests of linting and autofix over generated text and over our own
//! fixture reports with typographic noise planted at random places:
//! linting never panics and keeps spans on character boundaries; a batch
//! finds what each of its texts finds alone; fixing is
//! idempotent; each pass changes only the bytes inside its fix spans, and
//! over all passes no letter, digit, Chinese character or line break changes.

use fzlint::fix::{apply, fix_text, select};
use fzlint::lint::{lint_text, lint_texts, LintOptions, RuleOrder};
use proptest::prelude::*;

const FIXTURES: [&str; 3] = [
    include_str!("fixtures/typography_report.txt"),
    include_str!("fixtures/good_report.txt"),
    include_str!("fixtures/broken_report.txt"),
];

/// Pieces that make the typography rules fire and their exceptions apply.
const PIECES: &[&str] = &[
    "，",
    "。",
    "、",
    "；",
    "：",
    ",",
    ".",
    ";",
    ":",
    "?",
    "!",
    "(",
    ")",
    "（",
    "）",
    "“",
    "”",
    "‘",
    "’",
    "《",
    "》",
    "〔",
    "〕",
    "【",
    "】",
    "[",
    "]",
    " ",
    "  ",
    "\u{3000}",
    "\n",
    "\r\n",
    "\r",
    "。。",
    "，，",
    "...",
    "……",
    "2025",
    "3.5",
    "8:30",
    "1.",
    "一、",
    "（一）",
    "(一)",
    "一是",
    "法治",
    "政府",
    "建设",
    "http://a.cn/x?y=1,2",
    "GB/T 9704-2012",
    "府办发[2025]3号",
    "【2025】",
    "a",
    "Z",
    "\t",
    "\u{feff}",
    "\u{200b}",
    "[bookmark: _GoBack]",
    "号",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[\\u4e00-\\u4e20]{1,4}",
    ]
}

fn generated() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..120).prop_map(|v| v.concat())
}

/// A fixture with noise inserted at character boundaries.
fn noisy_fixture() -> impl Strategy<Value = String> {
    (
        0..FIXTURES.len(),
        prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(PIECES)), 0..25),
    )
        .prop_map(|(k, inserts)| {
            let base = FIXTURES[k];
            let bounds: Vec<usize> = base.char_indices().map(|(i, _)| i).chain([base.len()]).collect();
            let mut at: Vec<(usize, &str)> = inserts.iter().map(|(ix, p)| (*ix.get(&bounds), *p)).collect();
            at.sort();
            let mut out = String::new();
            let mut last = 0;
            for (pos, p) in at {
                out.push_str(&base[last..pos]);
                out.push_str(p);
                last = pos;
            }
            out.push_str(&base[last..]);
            out
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![generated(), noisy_fixture(), any::<String>()]
}

/// What no fix may change.
fn kept(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\n' || *c == '\r')
        .collect()
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=5000 for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_lints_without_panic(text in any_text()) {
        let l = lint_text(&text, &LintOptions::default()).unwrap();
        for f in &l.findings {
            prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            prop_assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        }
    }

    /// `check` lints files in batches, rule by rule over the batch, every
    /// other batch backwards: each text must get what it gets alone.
    #[test]
    fn a_batch_finds_what_each_text_finds_alone(texts in proptest::collection::vec(any_text(), 1..5)) {
        let options = LintOptions::default();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        for order in [RuleOrder::Forward, RuleOrder::Backward] {
            let batch = lint_texts(&texts, &options, order).unwrap();
            prop_assert_eq!(batch.len(), texts.len());
            for (text, linted) in texts.iter().zip(&batch) {
                prop_assert_eq!(&linted.findings, &lint_text(text, &options).unwrap().findings);
            }
        }
    }

    #[test]
    fn fixing_is_idempotent(text in any_text()) {
        let once = fix_text(&text, &LintOptions::default()).unwrap();
        let twice = fix_text(&once.text, &LintOptions::default()).unwrap();
        prop_assert!(!twice.changed(), "second run applied {} fixes", twice.applied);
        prop_assert_eq!(twice.text, once.text);
    }

    #[test]
    fn text_outside_fix_spans_is_unchanged(text in any_text()) {
        // One pass: the text between the chosen spans is copied byte for byte.
        let l = lint_text(&text, &LintOptions::default()).unwrap();
        let edits = select(&text, &l.findings);
        let fixed = apply(&text, &edits);
        let mut at_old = 0;
        let mut at_new = 0;
        for e in &edits {
            let gap = &text[at_old..e.span.start];
            prop_assert_eq!(&fixed[at_new..at_new + gap.len()], gap);
            at_new += gap.len();
            prop_assert_eq!(&fixed[at_new..at_new + e.replacement.len()], e.replacement.as_str());
            at_new += e.replacement.len();
            at_old = e.span.end;
        }
        prop_assert_eq!(&fixed[at_new..], &text[at_old..]);
        // All passes: only punctuation and spaces change.
        let all = fix_text(&text, &LintOptions::default()).unwrap();
        prop_assert_eq!(kept(&all.text), kept(&text));
    }
}
