//! Limits and pathological inputs: each must complete and report sensibly
//! (timing belongs to the benchmarks, not here), the input size limit gives
//! a one-line error, and `--fix` killed mid-run leaves every file whole.

use assert_cmd::Command;
use fzlint::fix::fix_text;
use fzlint::lint::{lint_text, LintOptions};
use fzlint::report::{json, FileResult};
use std::path::Path;

/// The sizes under `cargo test --release`; a tenth of them in debug
/// builds, where the unoptimised pipeline is an order of magnitude slower.
const SCALE: usize = if cfg!(debug_assertions) { 10 } else { 1 };

fn fzlint() -> Command {
    let mut c = Command::cargo_bin("fzlint").unwrap();
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

/// Lint, render JSON (which resolves every finding's line and column) and
/// check every span lies on char boundaries.
fn lint_and_render(text: &str) -> (usize, serde_json::Value) {
    let linted = lint_text(text, &LintOptions::default()).unwrap();
    for f in &linted.findings {
        assert!(f.span.start <= f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    let n = linted.findings.len();
    let results = [FileResult {
        source_map: None,
        path: "p.txt".into(),
        profile: "fazhi-annual".into(),
        outcome: Ok(linted),
    }];
    let v: serde_json::Value = serde_json::from_str(&json::render(&results)).unwrap();
    (n, v)
}

#[test]
fn a_hundred_thousand_heading_lines() {
    let mut text = String::from("某县人民政府关于2024年法治政府建设情况的报告\n");
    for i in 0..(100_000 / SCALE) as u32 {
        let n = fzlint::numerals::to_cn(i % 10 + 1);
        text.push_str(&format!("（{n}）标题第{i}项\n"));
    }
    let (n, v) = lint_and_render(&text);
    assert!(n > 0, "a broken outline of 100,000 headings raises findings");
    assert!(v["files"][0]["outline"].as_array().unwrap().len() > 1000 / SCALE);
}

#[test]
fn a_ten_megabyte_line_without_breaks() {
    let unit = "全年办理行政复议案件12件，纠错率为3.5%,同比增长（ 5%）。";
    let text = unit.repeat(10 * 1024 * 1024 / SCALE / unit.len());
    let (n, v) = lint_and_render(&text);
    // Findings on one enormous line resolve to line 1 with growing columns.
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), n);
    assert!(diags.iter().all(|d| d["line"] == 1));
    let cols: Vec<u64> = diags.iter().map(|d| d["column"].as_u64().unwrap()).collect();
    assert!(cols.windows(2).all(|w| w[0] <= w[1]));
    // The fixer copes too.
    let fixed = fix_text(&text, &LintOptions::default()).unwrap();
    assert!(fixed.text.len() >= text.len() / 2);
}

#[test]
fn fifty_thousand_nested_quotes() {
    let mut text = String::from("一、总体情况\n");
    text.push_str(&"“《（【".repeat(50_000 / SCALE));
    text.push_str("依法行政");
    text.push_str(&"】）》”".repeat(50_000 / SCALE));
    text.push_str("。\n");
    text.push_str(&"“".repeat(50_000 / SCALE));
    text.push('\n');
    let (_, v) = lint_and_render(&text);
    assert!(v["files"][0]["error"].is_null());
    let _ = fix_text(&text, &LintOptions::default()).unwrap();
}

#[test]
fn max_size_refuses_larger_inputs_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.txt");
    std::fs::write(&p, include_str!("fixtures/good_report.txt")).unwrap();
    let out = fzlint()
        .args(["check", "--max-size", "1KB", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("文件过大") && err.contains("--max-size"), "{err}");
    // The same limit from fzlint.toml; the flag overrides it.
    std::fs::write(dir.path().join("fzlint.toml"), "max_size = \"1KB\"\n").unwrap();
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "--max-size", "1MB", "r.txt"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    // stdin too.
    let out = fzlint()
        .args(["check", "--max-size", "100", "-"])
        .write_stdin(include_str!("fixtures/good_report.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    fzlint().args(["check", "--max-size", "huge", "-"]).assert().code(2);
}

/// A device whose size `fstat` reports as 0 but which never ends: the read
/// stops at the limit instead of filling memory.
#[cfg(target_os = "linux")]
#[test]
fn endless_device_stops_at_the_size_limit() {
    let out = fzlint()
        .args(["check", "--max-size", "64KB", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("文件过大"), "{err}");
}
/// `--fix` over 1,000 files, killed with SIGKILL part-way: every file is
/// either wholly the old or wholly the fixed text, and no temporary file is
/// left where a later run would pick it up as a report.
#[cfg(unix)]
#[test]
fn fix_killed_mid_run_leaves_every_file_whole() {
    let old = include_str!("fixtures/typography_report.txt");
    let new = fix_text(old, &LintOptions::default()).unwrap().text;
    assert_ne!(old, new, "the fixture has fixable findings");
    let bin = assert_cmd::cargo::cargo_bin("fzlint");
    // Kill later and later until the run was caught part-way (some files
    // fixed, some not); a bounded number of tries.
    let mut delay_ms = 20;
    for attempt in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..1000 {
            std::fs::write(dir.path().join(format!("r{i:04}.txt")), old).unwrap();
        }
        let mut child = std::process::Command::new(&bin)
            .args(["check", "--fix", "--no-summary"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on unix
        let _ = child.wait();
        let (fixed, untouched) = check_whole(dir.path(), old, &new);
        if fixed > 0 && untouched > 0 {
            return;
        }
        // Finished before the kill: kill sooner; not started yet: later.
        delay_ms = if untouched == 0 { delay_ms / 2 + 1 } else { delay_ms * 2 };
        eprintln!("attempt {attempt}: {fixed} fixed, {untouched} untouched; next delay {delay_ms} ms");
    }
    // Every attempt already checked that all files were whole, which is the
    // property; not catching the run part-way only means the timing missed.
}

fn check_whole(dir: &Path, old: &str, new: &str) -> (usize, usize) {
    let (mut fixed, mut untouched) = (0, 0);
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with(".fzlint-") {
            // A temporary file the kill interrupted: hidden and not a report
            // extension, so a directory walk never lints it.
            assert!(name.ends_with(".tmp"), "{name}");
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        if text == old {
            untouched += 1;
        } else if text == new {
            fixed += 1;
        } else {
            panic!("{name} is neither the old nor the fixed text");
        }
    }
    assert_eq!(fixed + untouched, 1000);
    (fixed, untouched)
}
