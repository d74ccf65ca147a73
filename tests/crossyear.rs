//! End-to-end tests of the cross-year review: `--baseline`, the
//! `[copied-text]` thresholds and the HTML review page.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn fzlint() -> Command {
    let mut c = Command::cargo_bin("fzlint").unwrap();
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

fn diagnostics(args: &[&str], dir: &Path) -> Vec<Value> {
    let out = fzlint().current_dir(dir).args(args).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    v["files"][0]["diagnostics"].as_array().unwrap().clone()
}

fn of_rule<'a>(d: &'a [Value], rule: &str) -> Vec<&'a Value> {
    d.iter().filter(|x| x["rule"] == rule).collect()
}

#[test]
fn baseline_finds_carry_overs_and_the_plan_item_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let last = fixture("baseline/eco_2023.txt");
    let this = fixture("baseline/eco_2024.txt");
    let d = diagnostics(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            last.to_str().unwrap(),
            this.to_str().unwrap(),
        ],
        dir.path(),
    );
    let copied = of_rule(&d, "copied-text");
    let lines: Vec<u64> = copied.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    // 8: regulations (numbers changed), 14: first responsible (numbers changed),
    // 17: last year's first shortcoming, 20: last year's first plan item.
    assert_eq!(lines, vec![8, 14, 17, 20], "{copied:#?}");
    assert!(copied.iter().all(|x| x["severity"] == "warning"));
    assert!(copied[2]["message"]
        .as_str()
        .unwrap()
        .contains("照搬去年的“存在的不足”"));
    assert!(
        copied[0]["help"].as_str().unwrap().contains("[-"),
        "{}",
        copied[0]["help"]
    );
    let plan = of_rule(&d, "plan-not-followed");
    assert_eq!(plan.len(), 1);
    assert!(plan[0]["message"].as_str().unwrap().contains("企业环境信用评价"));
    assert_eq!(of_rule(&d, "shortcoming-unanswered").len(), 1);

    // Without the baseline only the within-report rule speaks.
    let d = diagnostics(&["check", "--format", "json", this.to_str().unwrap()], dir.path());
    assert!(of_rule(&d, "copied-text").is_empty() && of_rule(&d, "plan-not-followed").is_empty());
}

#[test]
fn thresholds_come_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let last = fixture("baseline/eco_2023.txt");
    let this = fixture("baseline/eco_2024.txt");
    let args = [
        "check",
        "--format",
        "json",
        "--baseline",
        last.to_str().unwrap(),
        this.to_str().unwrap(),
    ];
    // Only passages far longer than any in the pair are compared: nothing is copied.
    std::fs::write(dir.path().join("fzlint.toml"), "[copied-text]\nmin_chars = 500\n").unwrap();
    assert!(of_rule(&diagnostics(&args, dir.path()), "copied-text").is_empty());
    std::fs::write(dir.path().join("fzlint.toml"), "[copied-text]\nthreshold = 2\n").unwrap();
    let out = fzlint().current_dir(dir.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fzlint.toml:2"));
}

#[test]
fn an_unreadable_baseline_is_a_usage_error() {
    let out = fzlint()
        .args(["check", "--baseline", "/nonexistent/last.docx"])
        .arg(fixture("baseline/eco_2024.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--baseline") && err.lines().count() == 1, "{err}");
}

#[test]
fn the_review_page_is_one_self_contained_file() {
    let out = fzlint()
        .args(["check", "--format", "html", "--baseline"])
        .arg(fixture("baseline/eco_2023.txt"))
        .arg(fixture("baseline/eco_2024.txt"))
        .arg(fixture("broken_report.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<table id=\"matrix\">"));
    assert_eq!(page.matches("<tr><td class=\"file\">").count(), 2);
    assert!(page.contains("data-rule=\"copied-text\""));
    assert!(page.contains("class=\"bar "));
    assert_eq!(page.matches("<mark").count(), page.matches("</mark>").count());
    for external in ["http://", "https://", "<link", "src=\""] {
        assert!(!page.contains(external), "{external}");
    }
}
