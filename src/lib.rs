//! fzlint: a linter for 法治政府建设年度报告.
//!
//! Layers point one way: `ingest` (bytes → text) → `outline` (pest → typed
//! `Document`) → `facts` (title, year, mandated parts) → `rules` (findings) →
//! `report` (human, JSON). The library never prints.

pub mod config;
pub mod crossyear;
pub mod discover;
pub mod document;
pub mod facts;
pub mod finding;
pub mod fix;
pub mod ingest;
pub mod knowledge;
pub mod lazy_regex;
pub mod lint;
pub mod numbers;
pub mod numerals;
pub mod outline;
pub mod reference;
pub mod report;
pub mod rules;
pub mod serve;
pub mod source;
