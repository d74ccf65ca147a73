//! The year, date and knowledge rules on whole reports they were not written
//! against: a clean report of another department must raise nothing from
//! them, and the same report with planted defects raises each once.

use fzlint::lint::{lint_text, LintOptions};

const CLEAN: &str = include_str!("fixtures/clean_2025_report.txt");
const CLEAN_2022: &str = include_str!("fixtures/clean_2022_report.txt");
const RULES: &[&str] = &[
    "report-year",
    "date-invalid",
    "deadline",
    "missing-signature",
    "anachronism",
    "obsolete-law",
    "formulation",
    "vague-time",
];

fn ours(text: &str) -> Vec<(String, usize, String)> {
    let l = lint_text(text, &LintOptions::default()).unwrap();
    l.findings
        .iter()
        .filter(|f| RULES.contains(&f.rule))
        .map(|f| (f.rule.to_string(), l.doc.line_of(f.span.start) + 1, f.message.clone()))
        .collect()
}

#[test]
fn a_clean_report_of_another_department_raises_nothing() {
    for text in [CLEAN, CLEAN_2022] {
        let found = ours(text);
        assert!(found.is_empty(), "{found:#?}");
    }
}

#[test]
fn planted_defects_are_each_found_once() {
    for (from, to, rule) in [
        ("关于2025年法治政府建设", "关于2024年法治政府建设", "report-year"),
        ("2025年3月15日，召开", "2025年2月30日，召开", "date-invalid"),
        ("2026年1月20日", "2026年4月20日", "deadline"),
        ("某市住房和城乡建设局\n2026年1月20日\n", "", "missing-signature"),
        (
            "二十届二中、三中、四中全会精神",
            "二十届二中、三中、四中、五中全会精神",
            "anachronism",
        ),
        (
            "《民法典》《安全生产法》",
            "《民法典》《合同法》《安全生产法》",
            "obsolete-law",
        ),
        ("推动法治建设与业务工作", "推动法制建设与业务工作", "formulation"),
        ("截至2025年12月31日，66项", "截至目前，66项", "vague-time"),
    ] {
        assert!(CLEAN.contains(from), "{from}");
        let text = CLEAN.replacen(from, to, 1);
        let found = ours(&text);
        let hits: Vec<_> = found.iter().filter(|(r, _, _)| r == rule).collect();
        assert_eq!(hits.len(), 1, "{rule}: {found:#?}");
    }
}

#[test]
fn the_same_report_one_year_later_has_ended_programmes_and_a_late_plan() {
    // Planted: the whole report moved to 2026 without updating the programmes.
    let text = CLEAN.replace("2026年", "2027年").replace("2025年", "2026年").replace(
        "做好“八五”普法总结验收，“十四五”时期各项目标任务圆满完成。",
        "持续推进“八五”普法规划实施。",
    );
    let found = ours(&text);
    let rules: Vec<_> = found.iter().map(|(r, _, _)| r.as_str()).collect();
    assert!(rules.contains(&"anachronism"), "{found:#?}");
}

fn fzlint() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("fzlint").unwrap();
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

#[test]
fn a_users_table_named_in_the_config_extends_the_knowledge() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("data/my-laws.toml"),
        "[[law]]\nname = \"某市养犬管理办法\"\nreplaced_by = \"某市养犬管理条例\"\nobsolete_from = \"2023-07-01\"\nstatus = \"V\"\nsource = \"某市养犬管理条例第四十条\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("fzlint.toml"), "tables = [\"data/my-laws.toml\"]\n").unwrap();
    std::fs::write(
        dir.path().join("r.txt"),
        "某区城市管理局关于2024年法治政府建设情况的报告\n一、主要举措和成效\n依据《某市养犬管理办法》查处案件12件。\n某区城市管理局\n2025年1月10日\n",
    )
    .unwrap();
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "r.txt"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["files"][0]["diagnostics"];
    let hit = d
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "obsolete-law")
        .expect("obsolete-law");
    assert_eq!(hit["line"], 3);
    assert!(hit["message"].as_str().unwrap().contains("某市养犬管理条例"));
    assert_eq!(hit["fix"]["replacement"], "《某市养犬管理条例》");

    // A malformed user table is a usage error naming the table file and line.
    std::fs::write(
        dir.path().join("data/my-laws.toml"),
        "[[law]]\nname = \"某市养犬管理办法\"\nobsolete_from = \"2023-13-01\"\nreplaced_by = \"某市养犬管理条例\"\nstatus = \"V\"\nsource = \"x\"\n",
    )
    .unwrap();
    let out = fzlint()
        .current_dir(dir.path())
        .args(["check", "r.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("my-laws.toml:3") && err.contains("2023-13-01"), "{err}");
}

#[test]
fn explain_deadline_gives_the_basis() {
    let out = fzlint().args(["explain", "deadline"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("厅字〔2019〕28号") && text.contains("3月1日") && text.contains("4月1日"));
    assert!(text.contains("未核实"), "{text}");
}

#[test]
fn no_panics_and_char_boundaries_on_odd_input() {
    // Deterministic pseudo-random texts from fragments the rules react to.
    let parts = [
        "关于2024年法治政府建设情况的报告\n",
        "一、主要举措\n",
        "（一）",
        "2月30日",
        "0000年1月1日\n",
        "二〇二四年十三月",
        "截至目前",
        "《执业医师法》",
        "《中华人民共和国合同法》（已废止）",
        "原《",
        "二十届",
        "四中、五中全会",
        "法制建设",
        "法制\n",
        "习近平新时代中国特",
        "色社会主义思想",
        "《习近平法治思想》《",
        "20届3中全会",
        "党的99大",
        "“八五”普法",
        "\n某局\n",
        "2025年6月31日\n",
        "，",
        "。",
        "；",
        "\r\n",
        " ",
        "年",
        "月",
        "日",
        "《",
        "》",
        "\u{3000}",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..600 {
        let mut text = String::new();
        for _ in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(parts[(seed % parts.len() as u64) as usize]);
        }
        let l = lint_text(&text, &LintOptions::default()).unwrap();
        for f in &l.findings {
            assert!(
                f.span.end <= text.len() && text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end)
            );
            if let Some(fix) = &f.fix {
                assert!(text.is_char_boundary(fix.span.start) && text.is_char_boundary(fix.span.end));
            }
        }
    }
}

#[test]
fn a_year_zero_signature_does_not_panic() {
    for text in [
        "正文。\n0000年1月1日\n",
        "关于2024年法治政府建设情况的报告\n正文。\n某局\n0000年1月1日\n",
    ] {
        lint_text(text, &LintOptions::default()).unwrap();
    }
}
