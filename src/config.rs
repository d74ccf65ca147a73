//! `fzlint.toml`: rule severities, the profile and the report year. Strict:
//! unknown keys and bad values are errors that name the file, line and key.
//! Layers: built-in defaults, then the file, then command-line flags.

use crate::finding::Severity;
use crate::knowledge::PROFILES;
use crate::rules;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    profile: Option<Spanned<String>>,
    year: Option<Spanned<u32>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
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
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 0,
            message: format!("无法读取配置文件：{e}"),
        })?;
        Config::parse(&path.display().to_string(), &text)
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
