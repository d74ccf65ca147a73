//! Cross-document rules: they compare the report with last year's
//! (`--baseline`) or one part of the report with another. Without a
//! baseline `copied-text` and `plan-not-followed` are silent.

pub mod copied_text;
pub mod plan_not_followed;
pub mod shortcoming_unanswered;

/// A rule example with both years, for the inline tests.
#[cfg(test)]
pub(crate) fn run_pair(rule: &dyn super::Rule, example: &str) -> Vec<crate::finding::Finding> {
    super::testing::run_example(rule, example)
}
