//! Snapshots of what users read: the human report (miette, no colour, 80
//! columns) and the JSON document of a broken report, and every rule's own
//! bad example rendered alone. Review changes with `cargo insta review`;
//! CI never accepts them.

use fzlint::finding::Severity;
use fzlint::lint::{lint_text, LintOptions};
use fzlint::report::{human, json, FileResult};
use fzlint::rules::RULES;
use std::collections::BTreeMap;

const BROKEN: &str = include_str!("fixtures/broken_report.txt");

fn result(path: &str, text: &str, options: &LintOptions) -> FileResult {
    FileResult {
        source_map: None,
        path: path.to_string(),
        profile: options.profile.clone(),
        outcome: Ok(lint_text(text, options).unwrap()),
    }
}

fn plain() -> human::HumanOptions {
    human::HumanOptions {
        color: false,
        width: 80,
    }
}

#[test]
fn human_report_of_a_broken_report() {
    let r = result("broken_report.txt", BROKEN, &LintOptions::default());
    insta::assert_snapshot!(human::render(&[r], plain()));
}

#[test]
fn json_report_of_a_broken_report() {
    let r = result("broken_report.txt", BROKEN, &LintOptions::default());
    insta::assert_snapshot!(json::render(&[r]));
}

#[test]
fn every_rule_on_its_bad_example() {
    let mut out = String::new();
    for rule in RULES {
        let meta = rule.meta();
        let severities: BTreeMap<String, Option<Severity>> = RULES
            .iter()
            .filter(|r| r.meta().id != meta.id)
            .map(|r| (r.meta().id.to_string(), None))
            .collect();
        // A cross-document example carries last year's text too.
        let (last, bad) = fzlint::crossyear::split_example(meta.docs.bad);
        let kb = fzlint::knowledge::Knowledge::builtin("fazhi-annual").unwrap();
        let baseline =
            last.map(|l| std::sync::Arc::new(fzlint::crossyear::Baseline::new("去年.txt", l, kb, Default::default())));
        let options = LintOptions {
            severities,
            baseline,
            ..LintOptions::default()
        };
        let r = result(&format!("{}.txt", meta.id), bad, &options);
        out.push_str(&format!("==== {} ====\n", meta.id));
        out.push_str(&human::render(&[r], plain()));
    }
    insta::assert_snapshot!(out);
}
