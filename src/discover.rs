//! Which files a run checks: explicit paths as given, directories walked
//! recursively for the supported extensions, with include/exclude globs
//! matched against the path relative to the directory walked. The order is
//! stable (sorted), so batch output is reproducible.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Paths named on the command line that do not exist.
    pub missing: Vec<PathBuf>,
}

/// Include and exclude globs for directory walks.
#[derive(Debug, Clone)]
pub struct Filters {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            include: None,
            exclude: GlobSet::empty(),
        }
    }
}

impl Filters {
    /// Build from glob strings; an invalid glob is an error naming it.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filters, String> {
        let build = |globs: &[String]| -> Result<GlobSet, String> {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|e| format!("无效的通配符“{g}”：{e}"))?);
            }
            b.build().map_err(|e| e.to_string())
        };
        Ok(Filters {
            include: if include.is_empty() {
                None
            } else {
                Some(build(include)?)
            },
            exclude: build(exclude)?,
        })
    }

    fn accepts(&self, relative: &Path) -> bool {
        if self.exclude.is_match(relative) {
            return false;
        }
        self.include.as_ref().is_none_or(|inc| inc.is_match(relative))
    }

    fn prunes_dir(&self, relative: &Path) -> bool {
        self.exclude.is_match(relative)
    }
}

/// Resolve command-line paths into inputs.
pub fn discover(paths: &[PathBuf], filters: &Filters, extensions: &[&str]) -> Discovery {
    let mut d = Discovery::default();
    for p in paths {
        if p.as_os_str() == "-" {
            d.inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            // Sorted as paths compare (component by component): each
            // directory's entries are walked in name order.
            walk(p, p, filters, extensions, &mut found);
            d.inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            d.inputs.push(Input::File(p.clone()));
        } else {
            d.missing.push(p.clone());
        }
    }
    d
}

fn walk(root: &Path, dir: &Path, filters: &Filters, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| (e.file_name(), e)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, entry) in entries {
        let path = entry.path();
        // Hidden entries, and the `~$` lock files Word leaves beside open documents.
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
        if hidden {
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        match entry.file_type() {
            Ok(t) if t.is_dir() && !filters.prunes_dir(relative) => walk(root, &path, filters, extensions, out),
            Ok(t) if t.is_file() => {
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if ext.is_some_and(|e| extensions.contains(&e.as_str())) && filters.accepts(relative) {
                    out.push(path);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_with_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.txt",
            "a.txt",
            "sub/c.md",
            "drafts/d.txt",
            "e.json",
            ".hidden/f.txt",
            "~$a.txt",
            "sub/old.bak.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let filters = Filters::new(&[], &["drafts/**".into(), "drafts".into(), "*.bak.txt".into()]).unwrap();
        let d = discover(&[root.to_path_buf()], &filters, &["txt", "md"]);
        let names: Vec<String> = d
            .inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, vec!["a.txt", "b.txt", "sub/c.md"]);

        let only_md = Filters::new(&["**/*.md".into()], &[]).unwrap();
        let d = discover(
            &[root.to_path_buf(), PathBuf::from("-"), root.join("nope.txt")],
            &only_md,
            &["txt", "md"],
        );
        assert_eq!(d.inputs.len(), 2);
        assert_eq!(d.inputs[1], Input::Stdin);
        assert_eq!(d.missing.len(), 1);
        assert!(Filters::new(&["a[".into()], &[]).is_err());
    }

    #[test]
    fn the_walk_is_in_the_order_paths_sort_in() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "a.txt",
            "a/z.txt",
            "a-b/y.txt",
            "a/b/x.txt",
            "a/b.txt",
            "B.txt",
            "年度/报告.txt",
            "10.txt",
            "9.txt",
            "a b.txt",
            "a/a/a/a.txt",
            "ab.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let d = discover(&[root.to_path_buf()], &Filters::new(&[], &[]).unwrap(), &["txt"]);
        let walked: Vec<PathBuf> = d
            .inputs
            .into_iter()
            .map(|i| match i {
                Input::File(p) => p,
                Input::Stdin => unreachable!(),
            })
            .collect();
        let mut sorted = walked.clone();
        sorted.sort();
        assert_eq!(walked.len(), 12);
        assert_eq!(walked, sorted);
    }
}
