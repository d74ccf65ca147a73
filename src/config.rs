//! `fzlint.toml`: rule severities, the profile, the report year and the
//! user's own knowledge tables (`tables = ["my-laws.toml"]`). Strict:
//! unknown keys and bad values are errors that name the file, line and key.
//! Layers: built-in defaults, then the file, then command-line flags.

use crate::finding::Severity;
use crate::knowledge::{Knowledge, PROFILES};
use crate::rules;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

pub const FILE_NAME: &str = "fzlint.toml";

#[derive(Debug, Error, PartialEq, Eq)]
#[error("{file}:{line}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Config {
    pub profile: Option<String>,
    pub year: Option<u32>,
    /// `None` means the rule is off.
    pub rules: BTreeMap<String, Option<Severity>>,
    /// Globs of files to skip when walking directories.
    pub exclude: Vec<String>,
    /// Globs of files to check when walking directories (default: all supported).
    pub include: Vec<String>,
    /// The user's own reference tables (laws, events, formulations), relative
    /// to the configuration file once loaded.
    pub tables: Vec<TableRef>,
    /// `[copied-text]`: thresholds of the cross-year comparison.
    pub copied_text: crate::crossyear::CopiedTextSettings,
    /// `max_size`: inputs larger than this many bytes are refused.
    pub max_size: Option<u64>,
}

/// A table file named in the configuration, with the line that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    pub path: PathBuf,
    pub config_file: String,
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    profile: Option<Spanned<String>>,
    year: Option<Spanned<u32>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    tables: Vec<Spanned<String>>,
    #[serde(rename = "copied-text")]
    copied_text: Option<RawCopiedText>,
    /// Largest input accepted: bytes, or a string such as "64MB", "512KB".
    max_size: Option<Spanned<toml::Value>>,
}

/// Parse a size such as `1048576`, `512K`, `512KB`, `64MB`, `1GB`
/// (binary multiples; case-insensitive). `None` when it is not a size.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let mult: u64 = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&v| v > 0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCopiedText {
    threshold: Option<Spanned<f64>>,
    min_chars: Option<Spanned<i64>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Config {
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let err = |offset: usize, message: String| ConfigError {
            file: file.into(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| err(e.span().map_or(0, |s| s.start), e.message().trim().to_string()))?;
        let mut config = Config::default();
        if let Some(p) = raw.profile {
            if !PROFILES.contains(&p.get_ref().as_str()) {
                return Err(err(
                    p.span().start,
                    format!("未知的 profile “{}”，可用：{}", p.get_ref(), PROFILES.join("、")),
                ));
            }
            config.profile = Some(p.into_inner());
        }
        if let Some(y) = raw.year {
            if !(1990..=2100).contains(y.get_ref()) {
                return Err(err(y.span().start, format!("year 的值 {} 不是有效的年份", y.get_ref())));
            }
            config.year = Some(y.into_inner());
        }
        for (list, target) in [(&raw.exclude, &mut config.exclude), (&raw.include, &mut config.include)] {
            for g in list {
                if let Err(e) = globset::Glob::new(g.get_ref()) {
                    return Err(err(
                        g.span().start,
                        format!("无效的通配符“{}”：{}", g.get_ref(), e.kind()),
                    ));
                }
                target.push(g.get_ref().clone());
            }
        }
        for (id, level) in raw.rules {
            let known = rules::find(id.get_ref()).is_some() || rules::PLANNED.contains(&id.get_ref().as_str());
            if !known {
                return Err(err(
                    id.span().start,
                    format!("rules 中的未知规则 “{}”（用 fzlint rules 查看全部规则）", id.get_ref()),
                ));
            }
            let value = match level.get_ref().as_str() {
                "off" => None,
                s => match Severity::parse(s) {
                    Some(sev) => Some(sev),
                    None => {
                        return Err(err(
                            level.span().start,
                            format!(
                                "规则 “{}” 的级别 “{}” 无效，应为 off、info、warning 或 error",
                                id.get_ref(),
                                s
                            ),
                        ))
                    }
                },
            };
            config.rules.insert(id.into_inner(), value);
        }
        if let Some(c) = raw.copied_text {
            if let Some(t) = c.threshold {
                let v = *t.get_ref();
                if !(0.5..=1.0).contains(&v) {
                    return Err(err(
                        t.span().start,
                        format!("[copied-text] threshold 的值 {v} 无效，应在 0.5 到 1.0 之间（相似度）"),
                    ));
                }
                config.copied_text.threshold = v as f32;
            }
            if let Some(m) = c.min_chars {
                let v = *m.get_ref();
                if !(5..=10_000).contains(&v) {
                    return Err(err(
                        m.span().start,
                        format!("[copied-text] min_chars 的值 {v} 无效，应在 5 到 10000 之间（字数）"),
                    ));
                }
                config.copied_text.min_chars = v as usize;
            }
        }
        if let Some(m) = raw.max_size {
            let size = match m.get_ref() {
                toml::Value::Integer(n) => u64::try_from(*n).ok().filter(|&v| v > 0),
                toml::Value::String(s) => parse_size(s),
                _ => None,
            };
            match size {
                Some(v) => config.max_size = Some(v),
                None => {
                    return Err(err(
                        m.span().start,
                        format!(
                            "max_size 的值 {} 无效，应为正整数字节数或如 \"64MB\" 的大小",
                            m.get_ref()
                        ),
                    ))
                }
            }
        }
        for table in raw.tables {
            config.tables.push(TableRef {
                path: PathBuf::from(table.get_ref()),
                config_file: file.into(),
                line: line_of(text, table.span().start),
            });
        }
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 0,
            message: format!("无法读取配置文件：{e}"),
        })?;
        let mut config = Config::parse(&path.display().to_string(), &text)?;
        let dir = path.parent().unwrap_or(Path::new(""));
        for t in &mut config.tables {
            if t.path.is_relative() {
                t.path = dir.join(&t.path);
            }
        }
        Ok(config)
    }

    /// The profile's knowledge with the configured tables added; `None` when
    /// the configuration names no tables (the built-in knowledge applies).
    pub fn knowledge(&self, profile: &str) -> Result<Option<Arc<Knowledge>>, ConfigError> {
        if self.tables.is_empty() {
            return Ok(None);
        }
        let Some(builtin) = Knowledge::builtin(profile) else {
            return Ok(None);
        };
        let mut texts = Vec::new();
        for t in &self.tables {
            let text = std::fs::read_to_string(&t.path).map_err(|e| ConfigError {
                file: t.config_file.clone(),
                line: t.line,
                message: format!("无法读取知识表 {}：{e}", t.path.display()),
            })?;
            texts.push((t.path.display().to_string(), text));
        }
        let k = builtin.with_tables(&texts).map_err(|e| ConfigError {
            file: e.file,
            line: e.line,
            message: format!("知识表有误：{}", e.message),
        })?;
        Ok(Some(Arc::new(k)))
    }

    /// The commented default written by `fzlint init`.
    pub fn default_text() -> String {
        let mut rules = String::new();
        for r in rules::RULES {
            let m = r.meta();
            rules.push_str(&format!(
                "# {} = \"{}\"    # {}\n",
                m.id,
                m.severity.as_str(),
                m.summary
            ));
        }
        format!(
            "# fzlint 配置文件（fzlint.toml）。fzlint 从当前目录向上查找它，也可用 --config 指定。\n\
             \n\
             # 规则配置（profile）：fazhi-annual = 《法治政府建设与责任落实督察工作规定》要求的年度报告\n\
             profile = \"fazhi-annual\"\n\
             \n\
             # 报告年度；不写则从标题或正文识别\n\
             # year = 2024\n\
             \n\
             # 检查目录时跳过的文件（通配符，相对于所检查的目录）\n\
             exclude = []\n\
             # 检查目录时只检查这些文件（为空则检查全部支持的文件）\n\
             include = []\n\
             \n\
             # 各规则的级别：off（关闭）、info、warning、error。下面是默认值。\n\
             [rules]\n{rules}\n\
             # 与去年报告（--baseline）比较时的阈值：相似度（0.5–1.0）与参与比较的最少字数\n\
             [copied-text]\n\
             # threshold = 0.85\n\
             # min_chars = 20\n"
        )
    }

    /// The nearest `fzlint.toml` in `dir` or its ancestors.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_size_takes_bytes_or_units() {
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("512KB"), Some(512 << 10));
        assert_eq!(parse_size("64m"), Some(64 << 20));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("ten"), None);
        assert_eq!(
            Config::parse("f.toml", "max_size = \"2MB\"\n").unwrap().max_size,
            Some(2 << 20)
        );
        assert_eq!(
            Config::parse("f.toml", "max_size = 4096\n").unwrap().max_size,
            Some(4096)
        );
        let e = Config::parse("f.toml", "year = 2024\nmax_size = \"big\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("max_size"), "{}", e.message);
    }

    #[test]
    fn parses_levels_and_off() {
        let c = Config::parse(
            "f.toml",
            "profile = \"fazhi-annual\"\nyear = 2024\n[rules]\nheading-style = \"off\"\nmissing-title = \"error\"\n",
        )
        .unwrap();
        assert_eq!(c.year, Some(2024));
        assert_eq!(c.rules["heading-style"], None);
        assert_eq!(c.rules["missing-title"], Some(Severity::Error));
    }

    #[test]
    fn the_default_file_parses_and_lists_every_rule() {
        let text = Config::default_text();
        let c = Config::parse("fzlint.toml", &text).unwrap();
        assert_eq!(c.profile.as_deref(), Some("fazhi-annual"));
        assert!(c.rules.is_empty());
        for r in rules::RULES {
            assert!(text.contains(&format!("# {} = ", r.meta().id)));
        }
        let uncommented = text.replace("# heading-style = \"warning\"", "heading-style = \"warning\"");
        let c = Config::parse("fzlint.toml", &uncommented).unwrap();
        assert_eq!(c.rules["heading-style"], Some(Severity::Warning));
    }

    #[test]
    fn copied_text_thresholds_are_validated() {
        let c = Config::parse("f.toml", "[copied-text]\nthreshold = 0.9\nmin_chars = 30\n").unwrap();
        assert_eq!(c.copied_text.threshold, 0.9);
        assert_eq!(c.copied_text.min_chars, 30);
        let e = Config::parse("f.toml", "[copied-text]\n\nthreshold = 1.5\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("1.5"), "{e}");
        let e = Config::parse("f.toml", "[copied-text]\nmin_chars = 0\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Config::parse("f.toml", "[copied-text]\nratio = 0.9\n").unwrap_err();
        assert!(e.message.contains("ratio"), "{e}");
    }

    #[test]
    fn globs_are_validated() {
        let c = Config::parse("f.toml", "exclude = [\"drafts/**\"]\n").unwrap();
        assert_eq!(c.exclude, vec!["drafts/**".to_string()]);
        let e = Config::parse("f.toml", "\nexclude = [\"a[\"]\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn user_tables_extend_the_knowledge() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/my-laws.toml"),
            "[[law]]\nname = \"某某管理办法\"\nreplaced_by = \"某某管理条例\"\nobsolete_from = \"2023-01-01\"\nstatus = \"V\"\nsource = \"本地\"\n",
        )
        .unwrap();
        let cfg = dir.path().join(FILE_NAME);
        std::fs::write(&cfg, "year = 2024\ntables = [\"data/my-laws.toml\"]\n").unwrap();
        let c = Config::load(&cfg).unwrap();
        assert_eq!(c.tables[0].path, dir.path().join("data/my-laws.toml"));
        let k = c.knowledge("fazhi-annual").unwrap().unwrap();
        assert!(k.reference.laws.iter().any(|l| l.name == "某某管理办法"));
        assert!(k.reference.laws.iter().any(|l| l.name == "执业医师法"));

        std::fs::write(
            dir.path().join("data/my-laws.toml"),
            "[[law]]\nname = \"甲法\"\nadopted = \"2023-02-30\"\nstatus = \"V\"\nsource = \"x\"\n",
        )
        .unwrap();
        let e = Config::load(&cfg).unwrap().knowledge("fazhi-annual").unwrap_err();
        assert!(e.file.ends_with("my-laws.toml") && e.line == 3, "{e}");

        std::fs::write(&cfg, "\ntables = [\"nope.toml\"]\n").unwrap();
        let e = Config::load(&cfg).unwrap().knowledge("fazhi-annual").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("nope.toml"), "{e}");
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = Config::parse("f.toml", "year = 2024\n[rules]\nno-such-rule = \"off\"\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("f.toml", 3));
        assert!(e.message.contains("no-such-rule"));
        let e = Config::parse("f.toml", "[rules]\nheading-style = \"loud\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("loud"));
        let e = Config::parse("f.toml", "\ncolour = true\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("colour"), "{}", e.message);
    }
}
