//! CI formats through the binary: SARIF 2.1.0, GitHub workflow commands,
//! reviewdog rdjson; the batch summary table; `fzlint init`.

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

fn run(args: &[&str]) -> (String, i32) {
    let out = fzlint().args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

fn broken() -> String {
    fixture("broken_report.txt").to_str().unwrap().to_string()
}

#[test]
fn sarif_has_rules_results_and_code_point_regions() {
    let (text, code) = run(&["check", "--format", "sarif", &broken()]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "fzlint");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let (json_text, _) = run_json();
    let json: Value = serde_json::from_str(&json_text).unwrap();
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    for (r, d) in results.iter().zip(diags) {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert_eq!(r["ruleId"], d["rule"]);
        assert!(matches!(r["level"].as_str().unwrap(), "error" | "warning" | "note"));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.ends_with("broken_report.txt") && !uri.contains('\\'));
    }
}

fn run_json() -> (String, i32) {
    run(&["check", "--format", "json", &broken()])
}

#[test]
fn github_annotations_one_per_finding_and_escaped() {
    let (text, code) = run(&["check", "--format", "github", &broken()]);
    assert_eq!(code, 1);
    let (json_text, _) = run_json();
    let json: Value = serde_json::from_str(&json_text).unwrap();
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), diags.len());
    for (l, d) in lines.iter().zip(diags) {
        let cmd = match d["severity"].as_str().unwrap() {
            "error" => "::error ",
            "warning" => "::warning ",
            _ => "::notice ",
        };
        assert!(l.starts_with(cmd), "{l}");
        assert!(l.contains(&format!(",line={},col={},", d["line"], d["column"])), "{l}");
        assert!(l.contains("title=fzlint "));
        // Newlines inside the message are escaped, never raw.
        assert!(l.contains("%0A建议："), "{l}");
    }
}

#[test]
fn rdjson_uses_byte_columns() {
    let (text, code) = run(&["check", "--format", "rdjson", &broken()]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["source"]["name"], "fzlint");
    let src = std::fs::read_to_string(fixture("broken_report.txt")).unwrap();
    let lines: Vec<&str> = src.lines().collect();
    let (json_text, _) = run_json();
    let json: Value = serde_json::from_str(&json_text).unwrap();
    let diags = json["files"][0]["diagnostics"].as_array().unwrap();
    for (r, d) in v["diagnostics"].as_array().unwrap().iter().zip(diags) {
        assert_eq!(r["code"]["value"], d["rule"]);
        let start = &r["location"]["range"]["start"];
        let line = lines[start["line"].as_u64().unwrap() as usize - 1];
        let char_col = d["column"].as_u64().unwrap() as usize;
        let byte_col: usize = line.chars().take(char_col - 1).map(char::len_utf8).sum::<usize>() + 1;
        assert_eq!(start["column"].as_u64().unwrap() as usize, byte_col);
    }
}

#[test]
fn batch_summary_table_and_globs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("good_report.txt"), dir.path().join("good.txt")).unwrap();
    std::fs::copy(fixture("broken_report.txt"), dir.path().join("broken.txt")).unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::copy(fixture("broken_report.txt"), dir.path().join("drafts/old.txt")).unwrap();
    let d = dir.path().to_str().unwrap();
    let (text, code) = run(&["check", "--exclude", "drafts/**", d]);
    assert_eq!(code, 1);
    let table_start = text.find("缺少的部分（").expect("summary table");
    let table = &text[table_start..];
    let row = table.lines().find(|l| l.contains("broken.txt")).unwrap();
    assert!(
        row.contains("2023") && row.contains("第一责任人") && row.contains("不足原因"),
        "{row}"
    );
    let good = table.lines().find(|l| l.contains("good.txt")).unwrap();
    assert!(good.contains("2024") && good.contains('—'), "{good}");
    assert!(!text.contains("old.txt"));
    let (text, _) = run(&["check", "--no-summary", d]);
    assert!(!text.contains("缺少的部分（"));
    let (_, code) = run(&["check", "--exclude", "a[", d]);
    assert_eq!(code, 2);
}

#[test]
fn init_writes_a_default_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    fzlint().current_dir(dir.path()).arg("init").assert().code(0);
    let text = std::fs::read_to_string(dir.path().join("fzlint.toml")).unwrap();
    assert!(text.contains("profile = \"fazhi-annual\""));
    fzlint().current_dir(dir.path()).arg("init").assert().code(2);
    fzlint()
        .current_dir(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
    std::fs::copy(fixture("good_report.txt"), dir.path().join("r.txt")).unwrap();
    fzlint()
        .current_dir(dir.path())
        .args(["check", "r.txt"])
        .assert()
        .code(0);
}
