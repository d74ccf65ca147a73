//! Reporters: each turns the results of a run into text. They never decide
//! anything about the findings; the JSON reporter serialises what the rules
//! found, the human reporter hands each finding to miette.

pub mod excerpt;
pub mod github;
pub mod graphical;
pub mod html;
pub mod human;
pub mod json;
pub mod jsonw;
pub mod rdjson;
pub mod sarif;
pub mod stream;
pub mod table;

use crate::finding::Severity;
use crate::ingest::InputError;
use crate::lint::Linted;

/// The outcome for one input.
pub struct FileResult {
    /// The path as the user named it (`-` is shown as `<stdin>`).
    pub path: String,
    pub profile: String,
    pub outcome: Result<Linted, InputError>,
    /// Where extracted lines come from in a Word or PDF file (第N段/第N页).
    pub source_map: Option<crate::ingest::SourceMap>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unreadable: usize,
}

impl Summary {
    pub fn of(results: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            s.add(&Summary::of_file(r));
        }
        s
    }

    /// The counts of one file.
    pub fn of_file(r: &FileResult) -> Summary {
        let mut s = Summary {
            files: 1,
            ..Summary::default()
        };
        match &r.outcome {
            Ok(l) => {
                for f in &l.findings {
                    match f.severity {
                        Severity::Error => s.errors += 1,
                        Severity::Warning => s.warnings += 1,
                        Severity::Info => s.infos += 1,
                    }
                }
            }
            Err(_) => s.unreadable = 1,
        }
        s
    }

    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.unreadable += other.unreadable;
    }

    /// Whether any finding is at or above `deny`.
    pub fn denies(&self, deny: Severity) -> bool {
        match deny {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.errors + self.warnings + self.infos > 0,
        }
    }
}
