//! End-to-end tests of the `fzlint` binary: exit codes, JSON contract,
//! bad inputs, directories, stdin, configuration and the rule catalog.

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

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = fzlint().args(args).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, out.status.code().unwrap())
}

fn rules_of(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_correct_report_exits_zero_with_no_findings() {
    let good = fixture("good_report.txt");
    let (v, code) = json_of(&["check", "--format", "json", good.to_str().unwrap()]);
    assert_eq!(code, 0);
    let f = &v["files"][0];
    assert_eq!(f["report_year"], 2024);
    assert_eq!(f["title"]["line"], 2);
    assert!(f["diagnostics"].as_array().unwrap().is_empty(), "{}", f["diagnostics"]);
    for key in ["measures", "first-responsible", "shortcomings", "next-year-plan"] {
        assert_eq!(f["sections"][key]["as_heading"], true, "{key}");
    }
    assert_eq!(
        v["summary"],
        serde_json::json!({"files": 1, "errors": 0, "warnings": 0, "infos": 0})
    );
}

#[test]
fn the_json_contract_on_a_broken_report() {
    let broken = fixture("broken_report.txt");
    let (v, code) = json_of(&["check", "--format", "json", broken.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "fzlint");
    let f = &v["files"][0];
    assert_eq!(f["profile"], "fazhi-annual");
    assert_eq!(f["error"], Value::Null);
    assert_eq!(f["sections"]["shortcomings"], Value::Null);
    assert_eq!(f["sections"]["first-responsible"], Value::Null);
    assert_eq!(f["sections"]["next-year-plan"]["line"], 12);
    let outline = f["outline"].as_array().unwrap();
    assert_eq!(
        outline[0],
        serde_json::json!({"level": 1, "marker": "一、", "number": 1, "title": "主要举措和成效", "line": 5})
    );
    let rules = rules_of(f);
    for expected in [
        "missing-title",
        "enumeration-sequence",
        "heading-sequence",
        "heading-style",
        "empty-section",
        "conversion-artifact",
        "missing-section",
        "plan-year",
    ] {
        assert!(
            rules.contains(&expected.to_string()),
            "{expected} missing from {rules:?}"
        );
    }
    // Every diagnostic carries the full position set, and offsets are byte
    // offsets into the text.
    let text = std::fs::read_to_string(&broken).unwrap();
    for d in f["diagnostics"].as_array().unwrap() {
        for key in ["line", "column", "end_line", "end_column", "offset", "length"] {
            assert!(d[key].is_u64(), "{key} in {d}");
        }
        let off = d["offset"].as_u64().unwrap() as usize;
        let len = d["length"].as_u64().unwrap() as usize;
        assert!(text.is_char_boundary(off) && text.is_char_boundary(off + len));
        let line = text[..off].matches('\n').count() + 1;
        assert_eq!(d["line"].as_u64().unwrap() as usize, line);
        assert!(matches!(d["severity"].as_str().unwrap(), "error" | "warning" | "info"));
        assert!(d["help"].is_string());
    }
    let s = &v["summary"];
    let count = |sev: &str| {
        f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == sev)
            .count()
    };
    assert_eq!(s["errors"].as_u64().unwrap() as usize, count("error"));
    assert_eq!(s["warnings"].as_u64().unwrap() as usize, count("warning"));
}

#[test]
fn deny_warnings_raises_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.txt");
    // Only a warning: the title names no year.
    let text = std::fs::read_to_string(fixture("good_report.txt"))
        .unwrap()
        .replace("关于2024年法治", "关于法治");
    std::fs::write(&path, text).unwrap();
    fzlint().args(["check", path.to_str().unwrap()]).assert().code(0);
    fzlint()
        .args(["check", "--deny", "warnings", path.to_str().unwrap()])
        .assert()
        .code(1);
}

#[test]
fn bad_inputs_get_one_line_and_exit_two_while_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"\x00\x01\x02PK\x03\x04\xff\xfe\x00garbage").unwrap();
    let docx = dir.path().join("report.docx");
    std::fs::write(&docx, b"PK\x03\x04").unwrap();
    let good = fixture("good_report.txt");
    let out = fzlint()
        .args(["check", "--format", "json"])
        .args([&empty, &binary, &docx, &good, &dir.path().join("missing.txt")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    assert!(
        stderr.contains("文件为空")
            && stderr.contains("二进制")
            && stderr.contains(".docx")
            && stderr.contains("不存在")
    );
    assert!(!stderr.contains("panicked"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert!(files[0]["error"].is_string() && files[0]["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(files[3]["error"], Value::Null);
    assert_eq!(files[3]["report_year"], 2024);
}

#[test]
fn gbk_and_crlf_input_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gbk.txt");
    let text = std::fs::read_to_string(fixture("good_report.txt"))
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&path, encoding_rs::GB18030.encode(&text).0).unwrap();
    let (v, code) = json_of(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["report_year"], 2024);
    assert_eq!(v["files"][0]["sections"]["shortcomings"]["line"], 20);
}

#[test]
fn stdin_year_override_and_directories() {
    let text = std::fs::read_to_string(fixture("broken_report.txt")).unwrap();
    let out = fzlint()
        .args(["check", "--format", "json", "--year", "2022", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "<stdin>");
    assert_eq!(v["files"][0]["report_year"], 2022);
    // With the year given as 2022, the 2023 plan is right.
    assert!(!rules_of(&v["files"][0]).contains(&"plan-year".to_string()));

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::copy(fixture("good_report.txt"), dir.path().join("sub/b.txt")).unwrap();
    std::fs::copy(fixture("broken_report.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("notes.json"), "{}").unwrap();
    let (v, code) = json_of(&["check", "--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("a.txt") && paths[1].ends_with("b.txt"), "{paths:?}");
}

#[test]
fn configuration_turns_rules_off_and_reports_its_own_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("broken_report.txt"), dir.path().join("r.txt")).unwrap();
    std::fs::write(
        dir.path().join("fzlint.toml"),
        "[rules]\nheading-style = \"off\"\nmissing-title = \"error\"\n",
    )
    .unwrap();
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "r.txt"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &v["files"][0];
    assert!(!rules_of(f).contains(&"heading-style".to_string()));
    let title = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "missing-title")
        .unwrap();
    assert_eq!(title["severity"], "error");

    std::fs::write(
        dir.path().join("bad.toml"),
        "year = 2024\n[rules]\nheading-styl = \"off\"\n",
    )
    .unwrap();
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "--config", "bad.toml", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bad.toml:3") && stderr.contains("heading-styl"),
        "{stderr}"
    );
}

#[test]
fn rule_catalog_and_explain() {
    let out = fzlint().args(["rules", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.len() >= 10);
    for r in &rules {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{r}");
        for k in ["id", "category", "severity", "fixable", "summary"] {
            assert!(r.get(k).is_some(), "{k} in {r}");
        }
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"heading-sequence") && ids.contains(&"missing-section"));

    let out = fzlint().args(["explain", "heading-sequence"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in ["规则说明", "为什么", "错误示例", "正确示例", "依据", "GB/T 9704"] {
        assert!(text.contains(heading), "{heading}");
    }
    fzlint().args(["explain", "no-such-rule"]).assert().code(2);
    fzlint().args(["check", "--profile", "nope", "x.txt"]).assert().code(2);
}

#[test]
fn human_output_names_the_place_and_the_fix() {
    let out = fzlint()
        .args(["check", fixture("broken_report.txt").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("broken_report.txt:7:1"), "{text}");
    assert!(text.contains("缺少“（二）”"));
    assert!(text.contains("help:"));
    assert!(!text.contains('\u{1b}'), "no colour codes when NO_COLOR is set");
}

#[test]
fn a_full_length_report_has_its_four_parts_and_no_error_or_warning() {
    let full = fixture("full_report.txt");
    let (v, code) = json_of(&["check", "--format", "json", full.to_str().unwrap()]);
    assert_eq!(code, 0);
    let f = &v["files"][0];
    assert_eq!(f["report_year"], 2023);
    let severities: Vec<&str> = f["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert!(severities.iter().all(|s| *s == "info"), "{severities:?}");
    // Its stated counts match its lists: 三个方面的不足 followed by 一是/二是/三是.
    assert!(!rules_of(f)
        .iter()
        .any(|r| r == "declared-count" || r == "missing-section"));
}

#[test]
fn many_reports_keep_their_order_and_each_gets_what_it_gets_alone() {
    // `check` reads and lints files in batches on several threads; every
    // file's entry must be the one it gets when checked alone, in order,
    // with unreadable files among them.
    let sources = [
        "broken_report.txt",
        "good_report.txt",
        "typography_report.txt",
        "clean_2022_report.txt",
        "full_report.txt",
    ];
    let alone: Vec<Value> = sources
        .iter()
        .map(|s| {
            let (v, _) = json_of(&["check", "--format", "json", fixture(s).to_str().unwrap()]);
            v["files"][0].clone()
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for i in 0..70 {
        let path = dir.path().join(format!("r{i:03}.txt"));
        if i % 23 == 11 {
            std::fs::write(&path, b"\x00\x01\x02\xff\xfe\x00garbage").unwrap();
            expected.push(None);
        } else {
            let k = (i * 3) % sources.len();
            std::fs::copy(fixture(sources[k]), &path).unwrap();
            expected.push(Some(k));
        }
    }
    for threads in ["1", "2", "3"] {
        let out = fzlint()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "--format", "json"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "three files are unreadable");
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 3);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let files = v["files"].as_array().unwrap();
        assert_eq!(files.len(), expected.len());
        for (i, (file, want)) in files.iter().zip(&expected).enumerate() {
            assert!(file["path"].as_str().unwrap().ends_with(&format!("r{i:03}.txt")));
            match want {
                None => assert!(file["error"].is_string(), "file {i}"),
                Some(k) => {
                    let mut file = file.clone();
                    file["path"] = alone[*k]["path"].clone();
                    assert_eq!(file, alone[*k], "file {i} with {threads} threads");
                }
            }
        }
    }
}
