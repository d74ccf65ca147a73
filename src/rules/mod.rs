//! The rule registry. Each rule lives in its own file under a folder named
//! for its category and carries its metadata (id, category, default
//! severity, summary and documentation) next to its logic, so that
//! `fzlint rules`, `fzlint explain` and the checks themselves read one source.

use crate::document::Document;
use crate::facts::Facts;
use crate::finding::{Finding, Severity};
use crate::knowledge::Knowledge;
use serde::Serialize;

pub mod consistency;
pub mod cross;
pub mod debris;
pub mod outline;
pub mod structure;
pub mod typography;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Structure,
    Outline,
    Consistency,
    Typography,
    CrossDocument,
}

impl Category {
    pub fn as_str(&self) -> &'static str {
        match self {
            Category::Structure => "structure",
            Category::Outline => "outline",
            Category::Consistency => "consistency",
            Category::Typography => "typography",
            Category::CrossDocument => "cross-document",
        }
    }

    pub fn label_zh(&self) -> &'static str {
        match self {
            Category::Structure => "结构",
            Category::Outline => "提纲编号",
            Category::Consistency => "前后一致",
            Category::Typography => "标点排版",
            Category::CrossDocument => "跨年度对比",
        }
    }
}

/// A rule's documentation, with the fixed headings of `fzlint explain`.
#[derive(Debug)]
pub struct Docs {
    /// 规则说明: what the rule finds.
    pub what: &'static str,
    /// 为什么: why it matters.
    pub why: &'static str,
    /// 错误示例
    pub bad: &'static str,
    /// 正确示例
    pub good: &'static str,
    /// 依据: the regulation or standard behind it.
    pub basis: &'static str,
}

#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub fixable: bool,
    /// One line, Chinese.
    pub summary: &'static str,
    pub docs: Docs,
}

/// What a rule sees of one report.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub facts: &'a Facts,
    pub kb: &'a Knowledge,
    /// Last year's report (`--baseline`), for the cross-document rules.
    pub baseline: Option<&'a crate::crossyear::Baseline>,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

/// Every implemented rule, in catalog order.
pub const RULES: &[&dyn Rule] = &[
    &structure::missing_section::MissingSection,
    &structure::missing_causes::MissingCauses,
    &structure::empty_section::EmptySection,
    &structure::section_order::SectionOrder,
    &structure::missing_title::MissingTitle,
    &structure::plan_year::PlanYear,
    &outline::heading_sequence::HeadingSequence,
    &outline::heading_style::HeadingStyle,
    &outline::enumeration_sequence::EnumerationSequence,
    &outline::declared_count::DeclaredCount,
    &consistency::sum_mismatch::SumMismatch,
    &consistency::rate_mismatch::RateMismatch,
    &consistency::report_year::ReportYear,
    &consistency::date_invalid::DateInvalid,
    &consistency::deadline::Deadline,
    &consistency::missing_signature::MissingSignature,
    &consistency::anachronism::Anachronism,
    &consistency::obsolete_law::ObsoleteLaw,
    &consistency::formulation::Formulation,
    &consistency::vague_time::VagueTime,
    &typography::halfwidth_punctuation::HalfwidthPunctuation,
    &typography::unpaired_mark::UnpairedMark,
    &typography::repeated_punctuation::RepeatedPunctuation,
    &typography::cjk_spacing::CjkSpacing,
    &typography::doc_number_brackets::DocNumberBrackets,
    &debris::conversion_artifact::ConversionArtifact,
    &cross::copied_text::CopiedText,
    &cross::plan_not_followed::PlanNotFollowed,
    &cross::shortcoming_unanswered::ShortcomingUnanswered,
];

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Rule ids of the specification that are not implemented yet; configuration
/// may name them without error.
pub const PLANNED: &[&str] = &[];

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the inline pass/fail cases of each rule.
    use super::*;
    use crate::outline;

    pub fn run(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        run_with(rule, text, None)
    }

    /// Runs a rule on a documentation example; a cross-document example
    /// (`去年报告：` … `今年报告：` …) runs with its first part as the baseline.
    pub fn run_example(rule: &dyn Rule, example: &str) -> Vec<Finding> {
        let (last, this) = crate::crossyear::split_example(example);
        let kb = Knowledge::builtin("fazhi-annual").unwrap();
        let base = last.map(|l| crate::crossyear::Baseline::new("去年.txt", l, kb, Default::default()));
        run_with(rule, this, base.as_ref())
    }

    /// `f` of the context the rules see for `text` (the built-in profile).
    pub fn with_context<T>(
        text: &str,
        baseline: Option<&crate::crossyear::Baseline>,
        f: impl FnOnce(&Context) -> T,
    ) -> T {
        let doc = outline::parse(text);
        let kb = Knowledge::builtin("fazhi-annual").unwrap();
        let facts = Facts::analyse(&doc, kb, None);
        f(&Context {
            doc: &doc,
            facts: &facts,
            kb,
            baseline,
        })
    }

    /// The texts of the repository's own fixture reports (`tests/fixtures/*.txt`).
    pub fn fixture_texts() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert!(!texts.is_empty());
        texts.sort();
        texts
    }

    pub fn run_with(rule: &dyn Rule, text: &str, baseline: Option<&crate::crossyear::Baseline>) -> Vec<Finding> {
        let mut out = Vec::new();
        with_context(text, baseline, |cx| rule.check(cx, &mut out));
        out.sort_by_key(|f| (f.span.start, f.span.end));
        for f in &out {
            assert_eq!(f.rule, rule.meta().id);
            assert!(
                f.span.end <= text.len() && text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end)
            );
        }
        out
    }

    /// The 1-based lines of the findings.
    pub fn lines(text: &str, findings: &[Finding]) -> Vec<usize> {
        let idx = crate::source::LineIndex::new(text);
        findings.iter().map(|f| idx.line_of(f.span.start) + 1).collect()
    }

    /// A complete, correct report that no structure rule may flag.
    pub const GOOD: &str = "某市交通运输局\n关于2024年法治政府建设情况的报告\n\n市委、市政府：\n2024年，我局深入推进依法行政，现将有关情况报告如下。\n一、主要举措和成效\n（一）健全依法行政制度体系。全年制定规范性文件3件，均经合法性审核，备案率100%。\n（二）严格规范公正文明执法。一是推行行政执法三项制度，二是开展案卷评查，三是加强执法培训。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法，主持召开专题会议研究法治政府建设工作4次，带头述法。\n三、存在的不足和原因\n一是执法队伍专业力量不足，主要原因是编制紧张、培训投入有限。二是普法形式较为单一，原因在于创新意识不强。\n四、2025年工作安排\n（一）加强执法队伍建设。开展执法人员轮训，提升办案能力。\n（二）创新普法方式。运用新媒体开展以案释法，增强普法实效。\n\n某市交通运输局\n2025年1月20日\n";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            let m = r.meta();
            assert!(seen.insert(m.id), "duplicate id {}", m.id);
            assert!(m.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", m.id);
            assert!(
                !PLANNED.contains(&m.id),
                "{} is implemented but still listed as planned",
                m.id
            );
            for (name, text) in [
                ("summary", m.summary),
                ("what", m.docs.what),
                ("why", m.docs.why),
                ("bad", m.docs.bad),
                ("good", m.docs.good),
                ("basis", m.docs.basis),
            ] {
                assert!(text.chars().count() >= 6, "{}: {name} is missing", m.id);
            }
            assert_ne!(m.docs.bad, m.docs.good, "{}", m.id);
        }
    }

    #[test]
    fn the_good_report_passes_every_rule() {
        for r in RULES {
            let found = testing::run(*r, testing::GOOD);
            assert!(
                found.is_empty(),
                "{} fired on the good report: {:?}",
                r.meta().id,
                found
            );
        }
    }

    #[test]
    fn each_bad_example_fails_and_each_good_example_passes_its_rule() {
        for r in RULES {
            let m = r.meta();
            let bad = testing::run_example(*r, m.docs.bad);
            assert!(!bad.is_empty(), "{}: the bad example raises nothing", m.id);
            let good = testing::run_example(*r, m.docs.good);
            assert!(good.is_empty(), "{}: the good example raises {:?}", m.id, good);
        }
    }
}
