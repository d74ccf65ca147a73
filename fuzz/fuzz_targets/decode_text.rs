#![no_main]
//! The .txt reader: any bytes decode to text or to an InputError, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(d) = fzlint::ingest::read_bytes(bytes, Some("txt")) {
        let _ = fzlint::lint::lint_text(&d.text, &fzlint::lint::LintOptions::default());
    }
});
