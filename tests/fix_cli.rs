//! End-to-end tests of `fzlint check --fix` and `--diff` on copies of our own
//! fixture: the fixable findings are gone, the encoding (UTF-8, GB18030) and
//! the line endings (LF, CRLF) are kept, `--diff` changes nothing, and stdin
//! gets the fixed text back.

use assert_cmd::Command;
use encoding_rs::GB18030;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURE: &str = include_str!("fixtures/typography_report.txt");

fn fzlint() -> Command {
    let mut c = Command::cargo_bin("fzlint").unwrap();
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

fn diagnostics(path: &Path) -> Vec<Value> {
    let out = fzlint()
        .args(["check", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["files"][0]["diagnostics"].as_array().unwrap().clone()
}

fn fixable(diags: &[Value]) -> Vec<&Value> {
    diags.iter().filter(|d| !d["fix"].is_null()).collect()
}

fn rules(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Characters no fix may touch: letters (汉字 included), digits and line breaks.
fn kept(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\n' || *c == '\r')
        .collect()
}

#[test]
fn json_carries_the_fix_of_fixable_findings() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "r.txt", FIXTURE.as_bytes());
    let diags = diagnostics(&p);
    let with_fix = fixable(&diags);
    assert!(with_fix.len() >= 15, "{}", with_fix.len());
    for d in &with_fix {
        let fix = &d["fix"];
        let (off, len) = (
            fix["offset"].as_u64().unwrap() as usize,
            fix["length"].as_u64().unwrap() as usize,
        );
        assert!(FIXTURE.is_char_boundary(off) && FIXTURE.is_char_boundary(off + len));
        assert!(fix["replacement"].is_string());
    }
    // unfixable findings carry none
    let broken: Vec<_> = diags
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("断成"))
        .collect();
    assert_eq!(broken.len(), 1);
    assert!(broken[0]["fix"].is_null());
}

#[test]
fn fix_in_place_for_each_encoding_and_line_ending() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = FIXTURE.replace('\n', "\r\n");
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("utf8-lf.txt", FIXTURE.as_bytes().to_vec(), false),
        ("utf8-crlf.txt", crlf.as_bytes().to_vec(), false),
        ("gb18030-crlf.txt", GB18030.encode(&crlf).0.into_owned(), true),
        (
            "bom-lf.txt",
            [b"\xEF\xBB\xBF".as_slice(), FIXTURE.as_bytes()].concat(),
            false,
        ),
    ];
    for (name, bytes, gb) in cases {
        let p = write(dir.path(), name, &bytes);
        let before = diagnostics(&p);
        assert!(!fixable(&before).is_empty(), "{name}");

        let out = fzlint()
            .args(["check", "--fix", "--format", "json", p.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: only warnings remain");
        let reported: Value = serde_json::from_slice(&out.stdout).unwrap();
        let reported = reported["files"][0]["diagnostics"].as_array().unwrap().clone();
        assert!(fixable(&reported).is_empty(), "{name}: the report shows what remains");

        let after_bytes = std::fs::read(&p).unwrap();
        let after = if gb {
            assert!(std::str::from_utf8(&after_bytes).is_err(), "{name}: still GB18030");
            GB18030.decode(&after_bytes).0.into_owned()
        } else {
            let s = std::str::from_utf8(&after_bytes).unwrap().to_string();
            assert_eq!(s.starts_with('\u{feff}'), name.starts_with("bom"), "{name}: BOM kept");
            s.trim_start_matches('\u{feff}').to_string()
        };
        let original = if name.contains("crlf") {
            crlf.clone()
        } else {
            FIXTURE.to_string()
        };
        assert_eq!(
            after.matches("\r\n").count(),
            original.matches("\r\n").count(),
            "{name}"
        );
        assert_eq!(after.matches('\n').count(), original.matches('\n').count(), "{name}");
        assert_eq!(
            kept(&after),
            kept(&original),
            "{name}: only punctuation and spaces changed"
        );
        assert!(
            after.contains("某府办发〔2024〕12号") && after.contains("简易程序17起"),
            "{name}"
        );

        let again = diagnostics(&p);
        assert!(fixable(&again).is_empty(), "{name}: {:?}", fixable(&again));
        assert_eq!(rules(&again), rules(&reported), "{name}");
        assert!(
            rules(&again).contains(&"cjk-spacing".to_string()),
            "the broken line stays reported"
        );

        // A second --fix changes nothing.
        fzlint().args(["check", "--fix", p.to_str().unwrap()]).assert().code(0);
        assert_eq!(
            std::fs::read(&p).unwrap(),
            after_bytes,
            "{name}: fixing twice changes nothing"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("fzlint"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind");
    }
}

#[test]
fn diff_prints_a_unified_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let gb = GB18030.encode(&FIXTURE.replace('\n', "\r\n")).0.into_owned();
    let p = write(dir.path(), "r.txt", &gb);
    let out = fzlint()
        .args(["check", "--diff", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "changes pending");
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.starts_with(&format!("--- {}\n+++ {}\n@@", p.display(), p.display())),
        "{diff}"
    );
    assert!(
        diff.contains("-2024年,我局") && diff.contains("+2024年，我局"),
        "{diff}"
    );
    assert_eq!(std::fs::read(&p).unwrap(), gb, "--diff writes nothing");

    // Nothing to fix: empty diff, exit 0.
    let clean = write(
        dir.path(),
        "clean.txt",
        "关于2024年法治政府建设情况的报告\n全年培训3次。\n".as_bytes(),
    );
    let out = fzlint()
        .args(["check", "--diff", clean.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn stdin_fix_prints_the_fixed_text() {
    let out = fzlint()
        .args(["check", "--fix", "-"])
        .write_stdin(FIXTURE)
        .output()
        .unwrap();
    let fixed = String::from_utf8(out.stdout).unwrap();
    assert!(fixed.starts_with("某县市场监督管理局\n"), "{fixed}");
    assert!(fixed.contains("2024年，我局以习近平法治思想为指导，"));
    assert_eq!(kept(&fixed), kept(FIXTURE));
    fzlint().args(["check", "--fix", "--diff", "-"]).assert().code(2);
}
