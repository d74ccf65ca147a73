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
    let builtin = Knowledge::builtin(&options.profile)?;
    let kb = options.knowledge.as_deref().unwrap_or(builtin);
    let doc = outline::parse(text);
    let facts = Facts::analyse(&doc, kb, options.year);
    let mut findings = Vec::new();
    {
        let cx = Context {
            doc: &doc,
            facts: &facts,
            kb,
            baseline: options.baseline.as_deref(),
        };
        for rule in RULES {
            let id = rule.meta().id;
            let override_ = options.severities.get(id);
            if matches!(override_, Some(None)) {
                continue;
            }
            let start = findings.len();
            rule.check(&cx, &mut findings);
            if let Some(Some(sev)) = override_ {
                for f in &mut findings[start..] {
                    f.severity = *sev;
                }
            }
        }
    }
    findings.sort_by(|a, b| (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule)));
    Some(Linted { doc, facts, findings })
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
    fn unknown_profile() {
        let opts = LintOptions {
            profile: "nope".into(),
            ..LintOptions::default()
        };
        assert!(lint_text("一、甲", &opts).is_none());
    }
}
