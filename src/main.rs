//! The `fzlint` binary: arguments, configuration, input discovery, the
//! reporter and the exit code. Everything else lives in the library.

use clap::{Parser, Subcommand, ValueEnum};
use fzlint::config::{Config, ConfigError};
use fzlint::finding::Severity;
use fzlint::ingest::{self, InputError, TEXT_EXTENSIONS};
use fzlint::knowledge::PROFILES;
use fzlint::lint::{lint_text, LintOptions};
use fzlint::report::{human, json, FileResult, Summary};
use fzlint::rules::{self, RULES};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "fzlint",
    version,
    about = "法治政府建设年度报告检查工具 (linter for annual rule-of-law government reports)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports: files, directories (recursed), or - for stdin
    Check(CheckArgs),
    /// List the rules
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Explain one rule: what it finds, why, examples and basis
    Explain {
        /// Rule id, e.g. heading-sequence
        rule: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files, directories or - (stdin)
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Rule profile
    #[arg(long)]
    profile: Option<String>,
    /// Report year, overriding detection
    #[arg(long, value_parser = clap::value_parser!(u32).range(1990..=2100))]
    year: Option<u32>,
    /// Configuration file (default: nearest fzlint.toml upwards from the current directory)
    #[arg(long)]
    config: Option<PathBuf>,
    /// Exit 1 on findings at or above this level (default: error)
    #[arg(long, value_enum)]
    deny: Option<DenyLevel>,
    /// Colour in human output (default: auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DenyLevel {
    Errors,
    Warnings,
    Infos,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => {
            let text = match format {
                ListFormat::Json => json::render_rules(),
                ListFormat::Human => rules_table(),
            };
            print(&text)
        }
        Command::Explain { rule } => explain(&rule),
    };
    ExitCode::from(code)
}

fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`fzlint … | head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    0
}

fn usage_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("fzlint: 错误：{message}");
    2
}

fn check(args: CheckArgs) -> u8 {
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir().ok().and_then(|d| Config::discover(&d)),
    };
    let config = match config_path.as_deref().map(Config::load) {
        Some(Ok(c)) => c,
        Some(Err(e)) => return config_error(&e),
        None => Config::default(),
    };
    let profile = args
        .profile
        .or(config.profile)
        .unwrap_or_else(|| "fazhi-annual".to_string());
    if !PROFILES.contains(&profile.as_str()) {
        return usage_error(format!("未知的 profile “{profile}”，可用：{}", PROFILES.join("、")));
    }
    let options = LintOptions {
        profile: profile.clone(),
        year: args.year.or(config.year),
        severities: config.rules,
    };

    let mut inputs: Vec<Input> = Vec::new();
    let mut missing = false;
    for p in &args.paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            eprintln!("fzlint: 错误：{}：文件不存在", p.display());
            missing = true;
        }
    }

    let mut results = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let (path, decoded) = match input {
            Input::Stdin => ("<stdin>".to_string(), read_stdin()),
            Input::File(p) => (p.display().to_string(), ingest::read_path(p, ingest::DEFAULT_MAX_BYTES)),
        };
        let outcome = decoded.map(|d| lint_text(&d.text, &options).expect("profile was validated"));
        if let Err(e) = &outcome {
            eprintln!("fzlint: 错误：{path}：{e}");
        }
        results.push(FileResult {
            path,
            profile: profile.clone(),
            outcome,
        });
    }

    let text = match args.format {
        Format::Json => json::render(&results),
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .unwrap_or(100);
            human::render(&results, human::HumanOptions { color, width })
        }
    };
    print(&text);

    let summary = Summary::of(&results);
    let deny = match args.deny {
        Some(DenyLevel::Warnings) => Severity::Warning,
        Some(DenyLevel::Infos) => Severity::Info,
        _ => Severity::Error,
    };
    if missing || summary.unreadable > 0 {
        2
    } else if summary.denies(deny) {
        1
    } else {
        0
    }
}

fn config_error(e: &ConfigError) -> u8 {
    usage_error(format!("配置文件有误：{e}"))
}

enum Input {
    Stdin,
    File(PathBuf),
}

fn read_stdin() -> Result<ingest::Decoded, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(ingest::DEFAULT_MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io(e.to_string()))?;
    if bytes.len() as u64 > ingest::DEFAULT_MAX_BYTES {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: ingest::DEFAULT_MAX_BYTES,
        });
    }
    ingest::read_bytes(&bytes, None)
}

/// Readable files below `dir`, skipping hidden entries and Word's `~$` lock files.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
        if hidden {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if t.is_file() => {
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if ext.is_some_and(|e| TEXT_EXTENSIONS.contains(&e.as_str())) {
                    out.push(path);
                }
            }
            _ => {}
        }
    }
}

fn rules_table() -> String {
    let mut out = String::new();
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "{:<22} {:<8} {:<12} {}{}\n",
            m.id,
            m.severity.as_str(),
            m.category.as_str(),
            m.summary,
            if m.fixable { "（可自动修复）" } else { "" }
        ));
    }
    out
}

fn explain(id: &str) -> u8 {
    let Some(rule) = rules::find(id) else {
        let hint = if rules::PLANNED.contains(&id) {
            "（该规则尚未实现）"
        } else {
            "（用 fzlint rules 查看全部规则）"
        };
        return usage_error(format!("未知规则 “{id}”{hint}"));
    };
    let m = rule.meta();
    let d = &m.docs;
    let indent = |s: &str| s.lines().map(|l| format!("    {l}\n")).collect::<String>();
    let text = format!(
        "{id}（{cat}，默认级别：{sev}{fix}）\n{summary}\n\n规则说明\n{what}\n\n为什么\n{why}\n\n错误示例\n{bad}\n正确示例\n{good}\n依据\n{basis}\n",
        id = m.id,
        cat = m.category.label_zh(),
        sev = m.severity.label_zh(),
        fix = if m.fixable { "，可自动修复" } else { "" },
        summary = m.summary,
        what = d.what,
        why = d.why,
        bad = indent(d.bad),
        good = indent(d.good),
        basis = d.basis,
    );
    print(&text)
}
