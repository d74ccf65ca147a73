//! The pipeline for one text: parse the outline, gather the report's facts,
//! run every enabled rule, apply configured severities, and order findings.

use crate::document::Document;
use crate::facts::Facts;
use crate::finding::{Finding, Severity};
use crate::knowledge::Knowledge;
use crate::outline;
use crate::rules::{Context, RULES};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What to check and how severe each rule is.
#[derive(Debug, Clone)]
pub struct LintOptions {
    pub profile: String,
    /// The report year, overriding detection.
    pub year: Option<u32>,
    /// Per-rule severity overrides; `None` turns a rule off.
    pub severities: BTreeMap<String, Option<Severity>>,
    /// Knowledge with the user's own tables (`Config::knowledge`); `None`:
    /// the profile's built-in knowledge.
    pub knowledge: Option<Arc<Knowledge>>,
    /// Last year's report (`--baseline`), for the cross-document rules.
    pub baseline: Option<Arc<crate::crossyear::Baseline>>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            profile: "fazhi-annual".into(),
            year: None,
            severities: BTreeMap::new(),
            knowledge: None,
            baseline: None,
        }
    }
}

/// The result of linting one text.
#[derive(Debug)]
pub struct Linted {
    pub doc: Document,
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

/// Lint a decoded text. Returns `None` for an unknown profile.
pub fn lint_text(text: &str, options: &LintOptions) -> Option<Linted> {
    lint_texts(&[text], options, RuleOrder::Forward)?.pop()
}

/// The order the rules run in over a batch of texts. It changes no finding:
/// rules only add findings, and each text's are sorted at the end. Threads
/// that take batches in opposite orders build different lazily compiled
/// tables at the same time at the start of a run, instead of one waiting
/// for the other to build the same table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOrder {
    Forward,
    Backward,
}

/// Lint several decoded texts, one result per text in the same order.
/// Each rule runs over all the texts before the next rule starts: on short
/// reports, running the hundred rules' code once per report made the CPU
/// fetch that code and relearn its branches for every report; batches take
/// a quarter to a third less CPU time (BENCHMARKS.md). The findings are the
/// same as from `lint_text` on each text alone.
pub fn lint_texts(texts: &[&str], options: &LintOptions, order: RuleOrder) -> Option<Vec<Linted>> {
    let builtin = Knowledge::builtin(&options.profile)?;
    let kb = options.knowledge.as_deref().unwrap_or(builtin);
    let docs: Vec<Document> = texts.iter().map(|text| outline::parse(text)).collect();
    let facts: Vec<Facts> = docs.iter().map(|doc| Facts::analyse(doc, kb, options.year)).collect();
    let mut findings: Vec<Vec<Finding>> = docs.iter().map(|_| Vec::new()).collect();
    let contexts: Vec<Context> = docs
        .iter()
        .zip(&facts)
        .map(|(doc, facts)| Context {
            doc,
            facts,
            kb,
            baseline: options.baseline.as_deref(),
        })
        .collect();
    let mut rules = RULES.to_vec();
    if order == RuleOrder::Backward {
        rules.reverse();
    }
    for rule in rules {
        let override_ = options.severities.get(rule.meta().id);
        if matches!(override_, Some(None)) {
            continue;
        }
        for (cx, findings) in contexts.iter().zip(&mut findings) {
            let start = findings.len();
            rule.check(cx, findings);
            if let Some(Some(sev)) = override_ {
                for f in &mut findings[start..] {
                    f.severity = *sev;
                }
            }
        }
    }
    drop(contexts);
    let linted = docs
        .into_iter()
        .zip(facts)
        .zip(findings)
        .map(|((doc, facts), mut findings)| {
            findings.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
            Linted { doc, facts, findings }
        })
        .collect();
    Some(linted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_can_be_overridden_and_rules_turned_off() {
        let text = "（2）甲\n一是乙，三是丙。\n";
        let base = lint_text(text, &LintOptions::default()).unwrap();
        assert!(base.findings.iter().any(|f| f.rule == "enumeration-sequence"));
        let mut opts = LintOptions::default();
        opts.severities.insert("enumeration-sequence".into(), None);
        opts.severities.insert("missing-title".into(), Some(Severity::Error));
        let l = lint_text(text, &opts).unwrap();
        assert!(!l.findings.iter().any(|f| f.rule == "enumeration-sequence"));
        assert!(l
            .findings
            .iter()
            .filter(|f| f.rule == "missing-title")
            .all(|f| f.severity == Severity::Error));
        let starts: Vec<_> = l.findings.iter().map(|f| f.span.start).collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn a_batch_finds_what_each_text_finds_alone() {
        let broken = include_str!("../tests/fixtures/broken_report.txt");
        let texts = [
            include_str!("../tests/fixtures/full_report.txt"),
            "",
            broken,
            include_str!("../tests/fixtures/typography_report.txt"),
            "（2）甲\n一是乙，三是丙。\n",
            include_str!("../tests/fixtures/clean_2022_report.txt"),
            broken,
        ];
        let mut opts = LintOptions::default();
        opts.severities.insert("missing-title".into(), Some(Severity::Error));
        opts.severities.insert("enumeration-sequence".into(), None);
        let batch = lint_texts(&texts, &opts, RuleOrder::Forward).unwrap();
        let backward = lint_texts(&texts, &opts, RuleOrder::Backward).unwrap();
        assert_eq!(batch.len(), texts.len());
        for ((text, linted), back) in texts.iter().zip(&batch).zip(&backward) {
            assert_eq!(linted.doc.text, *text);
            assert_eq!(linted.findings, lint_text(text, &opts).unwrap().findings);
            assert_eq!(back.findings, linted.findings);
        }
        assert!(batch[2].findings.len() > 5, "the broken report has findings");
        assert_eq!(batch[2].findings, batch[6].findings);
        assert!(batch[4]
            .findings
            .iter()
            .any(|f| f.rule == "missing-title" && f.severity == Severity::Error));
        assert!(batch
            .iter()
            .flat_map(|l| &l.findings)
            .all(|f| f.rule != "enumeration-sequence"));
        assert!(lint_texts(&[], &opts, RuleOrder::Forward).unwrap().is_empty());
    }

    #[test]
    fn unknown_profile() {
        let opts = LintOptions {
            profile: "nope".into(),
            ..LintOptions::default()
        };
        assert!(lint_text("一、甲", &opts).is_none());
    }
}
