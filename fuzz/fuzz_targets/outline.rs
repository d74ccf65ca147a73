#![no_main]
//! The outline parser: any text parses; every span lies on char boundaries.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let doc = fzlint::outline::parse(text);
    for line in &doc.lines {
        assert!(text.is_char_boundary(line.span.start) && text.is_char_boundary(line.span.end));
        assert!(text.is_char_boundary(line.content.start) && text.is_char_boundary(line.content.end));
    }
    for h in &doc.headings {
        let _ = doc.heading_label(h);
    }
});
