#![no_main]
//! The whole pipeline: lint (every span on char boundaries), render JSON
//! (positions), and fix (idempotent: fixing the fixed text changes nothing
//! more than a second round would).
use libfuzzer_sys::fuzz_target;
use fzlint::lint::{lint_text, LintOptions};

fuzz_target!(|text: &str| {
    let options = LintOptions::default();
    let linted = lint_text(text, &options).unwrap();
    for f in &linted.findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    let results = [fzlint::report::FileResult {
        path: "f.txt".into(),
        profile: "fazhi-annual".into(),
        outcome: Ok(linted),
        source_map: None,
    }];
    let _ = fzlint::report::json::render(&results);
    let fixed = fzlint::fix::fix_text(text, &options).unwrap();
    let _ = fzlint::fix::fix_text(&fixed.text, &options).unwrap();
});
