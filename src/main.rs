//! The `fzlint` binary: arguments, configuration, input discovery, the
//! reporter and the exit code. Everything else lives in the library.

use clap::{Parser, Subcommand, ValueEnum};
use fzlint::config::{Config, ConfigError};
use fzlint::discover::{discover, Filters, Input};
use fzlint::finding::Severity;
use fzlint::fix;
use fzlint::ingest::{self, InputError, TEXT_EXTENSIONS};
use fzlint::knowledge::PROFILES;
use fzlint::lint::{lint_text, lint_texts, LintOptions, RuleOrder};
use fzlint::report::{html, human, json, stream, FileResult, Summary};
use fzlint::rules::{self, RULES};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

// Linting allocates many small, short-lived vectors on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Write a commented default fzlint.toml into the current directory
    Init {
        /// Overwrite an existing fzlint.toml
        #[arg(long)]
        force: bool,
    },
    /// Serve the local web page for drafters (and its JSON API)
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on; anything but loopback is reachable from other machines
    #[arg(long, default_value = fzlint::serve::DEFAULT_ADDR)]
    addr: String,
    /// Largest upload accepted, in MB
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1024))]
    max_upload_mb: u32,
    /// Time limit of one request, in seconds
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Rule profile
    #[arg(long)]
    profile: Option<String>,
    /// Configuration file, read once at start (default: nearest fzlint.toml upwards)
    #[arg(long)]
    config: Option<PathBuf>,
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
    /// When walking directories, check only files matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// When walking directories, skip files matching this glob (repeatable)
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Do not print the closing table of a batch run
    #[arg(long)]
    no_summary: bool,
    /// Apply the safe fixes in place (stdin: print the fixed text); report what remains
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Print the fixes as a unified diff instead of the report; change nothing
    #[arg(long)]
    diff: bool,
    /// Last year's report (any supported format), for copied-text and plan-not-followed
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Refuse inputs larger than this (bytes, or e.g. 512KB, 64MB; default 64MB)
    #[arg(long, value_name = "SIZE", value_parser = parse_max_size)]
    max_size: Option<u64>,
}

fn parse_max_size(s: &str) -> Result<u64, String> {
    fzlint::config::parse_size(s).ok_or_else(|| format!("“{s}”不是有效的大小（例如 1048576、512KB、64MB）"))
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions workflow commands (pull-request annotations)
    Github,
    /// reviewdog diagnostic format
    Rdjson,
    /// One self-contained HTML review page for the batch
    Html,
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
        Command::Init { force } => init(force),
        Command::Serve(args) => serve(args),
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

/// The configuration file, the profile and its knowledge, shared by `check` and `serve`.
struct Settings {
    config: Config,
    profile: String,
    knowledge: Option<std::sync::Arc<fzlint::knowledge::Knowledge>>,
}

impl Settings {
    /// Load `--config` (or the nearest fzlint.toml) and resolve the profile;
    /// on failure, the error is printed and the exit code returned.
    fn load(config: Option<&std::path::Path>, profile: Option<String>) -> Result<Settings, u8> {
        let config_path = match config {
            Some(p) => Some(p.to_path_buf()),
            None => std::env::current_dir().ok().and_then(|d| Config::discover(&d)),
        };
        let config = match config_path.as_deref().map(Config::load) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return Err(config_error(&e)),
            None => Config::default(),
        };
        let profile = profile
            .or(config.profile.clone())
            .unwrap_or_else(|| "fazhi-annual".to_string());
        if !PROFILES.contains(&profile.as_str()) {
            return Err(usage_error(format!(
                "未知的 profile “{profile}”，可用：{}",
                PROFILES.join("、")
            )));
        }
        let knowledge = config.knowledge(&profile).map_err(|e| config_error(&e))?;
        Ok(Settings {
            config,
            profile,
            knowledge,
        })
    }
}

fn check(args: CheckArgs) -> u8 {
    let Settings {
        config,
        profile,
        knowledge,
    } = match Settings::load(args.config.as_deref(), args.profile.clone()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let baseline = match &args.baseline {
        Some(p) => match ingest::read_path(p, ingest::DEFAULT_MAX_BYTES) {
            Ok(d) => {
                let kb = knowledge
                    .as_deref()
                    .or_else(|| fzlint::knowledge::Knowledge::builtin(&profile))
                    .expect("profile was validated");
                Some(std::sync::Arc::new(fzlint::crossyear::Baseline::new(
                    &p.display().to_string(),
                    &d.text,
                    kb,
                    config.copied_text,
                )))
            }
            Err(e) => return usage_error(format!("{}：无法读取去年的报告（--baseline）：{e}", p.display())),
        },
        None => None,
    };
    let options = LintOptions {
        profile: profile.clone(),
        year: args.year.or(config.year),
        severities: config.rules,
        knowledge,
        baseline,
    };

    let mut include = config.include.clone();
    include.extend(args.include.iter().cloned());
    let mut exclude = config.exclude.clone();
    exclude.extend(args.exclude.iter().cloned());
    let filters = match Filters::new(&include, &exclude) {
        Ok(f) => f,
        Err(e) => return usage_error(e),
    };
    let found = discover(&args.paths, &filters, TEXT_EXTENSIONS);
    for p in &found.missing {
        eprintln!("fzlint: 错误：{}：文件不存在", p.display());
    }
    let missing = !found.missing.is_empty();

    let max_bytes = args.max_size.or(config.max_size).unwrap_or(ingest::DEFAULT_MAX_BYTES);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    let streamed = match args.format {
        Format::Human => Some(stream::Format::Human {
            opts: human::HumanOptions { color, width },
            table: !args.no_summary,
        }),
        Format::Json => Some(stream::Format::Json),
        Format::Sarif => Some(stream::Format::Sarif),
        Format::Github => Some(stream::Format::Github),
        Format::Rdjson => Some(stream::Format::Rdjson),
        Format::Html => None,
    };
    // What is kept of each file: its piece of the output, or (for the HTML
    // page, which needs every text) the whole result.
    let keep = |r: FileResult| -> Kept {
        match streamed {
            Some(f) => Kept::Piece(f.piece(&r), r.path),
            None => Kept::Whole(r),
        }
    };
    let mut fixing = Fixing::default();
    let mut kept = Vec::new();
    let mut printer = None;
    let mut whole = Vec::new();
    let mut summary = Summary::default();
    if args.fix || args.diff {
        // Fixing writes files and collects one diff: done in order.
        for input in &found.inputs {
            let (path, decoded) = read_input(input, max_bytes);
            let decoded = match decoded {
                Ok(d) => match fixing.run(input, &path, d, &options, args.fix) {
                    Some(d) => Ok(d),
                    None => continue,
                },
                Err(e) => Err(e),
            };
            let source_map = decoded.as_ref().ok().and_then(|d| d.source_map.clone());
            let outcome = decoded.map(|d| lint_text(&d.text, &options).expect("profile was validated"));
            let r = FileResult {
                source_map,
                path,
                profile: profile.clone(),
                outcome,
            };
            if let Err(e) = &r.outcome {
                eprintln!("fzlint: 错误：{}：{e}", r.path);
            }
            kept.push(keep(r));
        }
        if args.diff {
            print(&fixing.diff);
            let unreadable = kept.iter().any(Kept::unreadable);
            return if missing || unreadable || fixing.failed {
                2
            } else {
                u8::from(fixing.changed)
            };
        }
        // stdin's fixed text was printed instead of a report.
        if !(kept.is_empty() && fixing.stdin_printed) {
            let mut p = streamed.map(|f| stream::Printer::new(f, stdout_writer()));
            for k in kept {
                take(k, &mut p, &mut whole);
            }
            printer = p;
        }
    } else {
        let mut p = streamed.map(|f| stream::Printer::new(f, stdout_writer()));
        let progress = progress_bar(found.inputs.len());
        let threads = stream::threads();
        // Every other batch runs the rules backwards (see `RuleOrder`).
        let batches: Vec<(&[Input], RuleOrder)> = found
            .inputs
            .chunks(batch_len(found.inputs.len(), threads))
            .zip([RuleOrder::Forward, RuleOrder::Backward].into_iter().cycle())
            .collect();
        stream::ordered(
            &batches,
            threads,
            |&(batch, order)| check_batch(batch, order, &profile, &options, max_bytes, &keep),
            |batch| {
                for k in batch {
                    if let Some(pb) = &progress {
                        pb.inc(1);
                    }
                    if let Some(e) = k.error() {
                        if let Some(pb) = &progress {
                            pb.suspend(|| eprintln!("fzlint: 错误：{e}"));
                        } else {
                            eprintln!("fzlint: 错误：{e}");
                        }
                    }
                    take(k, &mut p, &mut whole);
                }
            },
        );
        if let Some(pb) = progress {
            pb.finish_and_clear();
        }
        printer = p;
    }
    if let Some(p) = printer {
        summary = p.finish().summary;
    } else if streamed.is_none() {
        print(&html::render(&whole));
        summary = Summary::of(&whole);
    }

    let deny = match args.deny {
        Some(DenyLevel::Warnings) => Severity::Warning,
        Some(DenyLevel::Infos) => Severity::Info,
        _ => Severity::Error,
    };
    if missing || summary.unreadable > 0 || fixing.failed {
        2
    } else if summary.denies(deny) {
        1
    } else {
        0
    }
}

/// What `check` keeps of one file (a few at a time are in flight).
#[allow(clippy::large_enum_variant)]
enum Kept {
    /// Its piece of a streamed output, and its path.
    Piece(stream::Piece, String),
    Whole(FileResult),
}

impl Kept {
    fn unreadable(&self) -> bool {
        match self {
            Kept::Piece(p, _) => p.unreadable.is_some(),
            Kept::Whole(r) => r.outcome.is_err(),
        }
    }

    /// `path：why` when the file could not be checked.
    fn error(&self) -> Option<String> {
        match self {
            Kept::Piece(p, path) => p.unreadable.as_ref().map(|e| format!("{path}：{e}")),
            Kept::Whole(r) => r.outcome.as_ref().err().map(|e| format!("{}：{e}", r.path)),
        }
    }
}

/// Print a kept piece at once, or hold a whole result for the HTML page.
fn take<W: Write>(k: Kept, printer: &mut Option<stream::Printer<W>>, whole: &mut Vec<FileResult>) {
    match k {
        Kept::Piece(p, _) => {
            if let Some(printer) = printer {
                printer.push(p);
            }
        }
        Kept::Whole(r) => whole.push(r),
    }
}

fn config_error(e: &ConfigError) -> u8 {
    usage_error(format!("配置文件有误：{e}"))
}

fn read_input(input: &Input, max_bytes: u64) -> (String, Result<ingest::Decoded, InputError>) {
    match input {
        Input::Stdin => ("<stdin>".to_string(), read_stdin(max_bytes)),
        Input::File(p) => (p.display().to_string(), ingest::read_path(p, max_bytes)),
    }
}

/// The most files a thread takes at a time, and the most text it lints in
/// one `lint_texts` call: batches of short reports save a quarter to a third
/// of the CPU time, and the limit on text keeps a thread's memory to a few
/// megabytes of reports (and their indexes) at a time.
const BATCH_FILES: usize = 64;
const BATCH_TEXT_BYTES: usize = 512 * 1024;

/// Files per batch: up to `BATCH_FILES`, and few enough that each thread
/// gets about four batches, so no thread is left with a long last one.
fn batch_len(files: usize, threads: usize) -> usize {
    files.div_ceil(threads.max(1) * 4).clamp(1, BATCH_FILES)
}

/// Read and lint a run of files in order: the texts read are linted
/// together whenever they reach `BATCH_TEXT_BYTES`, and at the end.
fn check_batch(
    inputs: &[Input],
    order: RuleOrder,
    profile: &str,
    options: &LintOptions,
    max_bytes: u64,
    keep: &(impl Fn(FileResult) -> Kept + ?Sized),
) -> Vec<Kept> {
    let mut kept = Vec::with_capacity(inputs.len());
    let mut read = Vec::new();
    let mut text_bytes = 0;
    for (i, input) in inputs.iter().enumerate() {
        let (path, decoded) = read_input(input, max_bytes);
        text_bytes += decoded.as_ref().map_or(0, |d| d.text.len());
        read.push((path, decoded));
        if text_bytes < BATCH_TEXT_BYTES && i + 1 < inputs.len() {
            continue;
        }
        let texts: Vec<&str> = read
            .iter()
            .filter_map(|(_, d)| Some(d.as_ref().ok()?.text.as_str()))
            .collect();
        let mut linted = lint_texts(&texts, options, order)
            .expect("profile was validated")
            .into_iter();
        for (path, decoded) in read.drain(..) {
            let (source_map, outcome) = match decoded {
                Ok(d) => (d.source_map, Ok(linted.next().expect("one result per text"))),
                Err(e) => (None, Err(e)),
            };
            kept.push(keep(FileResult {
                source_map,
                path,
                profile: profile.to_string(),
                outcome,
            }));
        }
        text_bytes = 0;
    }
    kept
}

/// A progress bar on stderr for long runs at a terminal.
fn progress_bar(total: usize) -> Option<indicatif::ProgressBar> {
    if total < 50 || !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 份报告 {elapsed}") {
        pb.set_style(style);
    }
    Some(pb)
}

/// `--fix` and `--diff` over the inputs of one run.
#[derive(Default)]
struct Fixing {
    diff: String,
    changed: bool,
    failed: bool,
    stdin_printed: bool,
}

impl Fixing {
    /// Fix one decoded input. With `write`, a file is rewritten in place and
    /// stdin's fixed text is printed (then `None`: stdin is not reported);
    /// otherwise the diff is collected. Returns the text to report on.
    fn run(
        &mut self,
        input: &Input,
        path: &str,
        d: ingest::Decoded,
        options: &LintOptions,
        write: bool,
    ) -> Option<ingest::Decoded> {
        let fixed = fix::fix_text(&d.text, options).expect("profile was validated");
        self.changed |= fixed.changed();
        if !write {
            self.diff.push_str(&fix::unified_diff(path, &d.text, &fixed.text));
            return Some(d);
        }
        if !d.writable {
            // Word, PDF and web pages are not rewritten: show what would change.
            if fixed.changed() {
                eprintln!(
                    "fzlint: {path}：{}文件不会被改写，以下是可自动修复之处的差异，请在原文件中修改",
                    d.format.label()
                );
                print(&fix::unified_diff(path, &d.text, &fixed.text));
            }
            return Some(d);
        }
        match input {
            Input::Stdin => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(&d.encoding.encode(&fixed.text)).and_then(|_| out.flush());
                self.stdin_printed = true;
                None
            }
            Input::File(p) if fixed.changed() => match fix::write_atomic(p, &fixed.text, d.encoding) {
                Ok(()) => {
                    eprintln!("fzlint: {path}：已自动修复 {} 处", fixed.applied);
                    Some(ingest::Decoded { text: fixed.text, ..d })
                }
                Err(e) => {
                    eprintln!("fzlint: 错误：{path}：无法写回修复结果：{e}");
                    self.failed = true;
                    Some(d)
                }
            },
            Input::File(_) => Some(d),
        }
    }
}

/// Standard output behind a buffer large enough that a batch of reports
/// goes out in few writes (stdout's own buffer flushes at every line).
fn stdout_writer() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn read_stdin(max_bytes: u64) -> Result<ingest::Decoded, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    ingest::read_bytes(&bytes, None)
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

fn init(force: bool) -> u8 {
    let path = PathBuf::from(fzlint::config::FILE_NAME);
    if path.exists() && !force {
        return usage_error("当前目录已有 fzlint.toml；用 --force 覆盖");
    }
    match std::fs::write(&path, Config::default_text()) {
        Ok(()) => {
            eprintln!("已写入 {}", path.display());
            0
        }
        Err(e) => usage_error(format!("无法写入 {}：{e}", path.display())),
    }
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

fn serve(args: ServeArgs) -> u8 {
    use fzlint::serve;
    let addr = match serve::parse_addr(&args.addr) {
        Ok(a) => a,
        Err(e) => return usage_error(e),
    };
    let Settings {
        config,
        profile,
        knowledge,
    } = match Settings::load(args.config.as_deref(), args.profile.clone()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let cfg = serve::ServeConfig {
        max_upload_bytes: args.max_upload_mb as usize * 1024 * 1024,
        timeout: std::time::Duration::from_secs(args.timeout),
        options: LintOptions {
            profile: profile.clone(),
            year: config.year,
            severities: config.rules,
            knowledge,
            baseline: None,
        },
        profile,
        ..serve::ServeConfig::default()
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cfg.jobs.max(2) * 2)
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage_error(format!("无法启动服务：{e}")),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return usage_error(format!("地址 {addr} 已被占用：fzlint serve 可能已在运行，或换一个端口（--addr 127.0.0.1:8701）"))
            }
            Err(e) => return usage_error(format!("无法监听 {addr}：{e}")),
        };
        let bound = listener.local_addr().unwrap_or(addr);
        if !serve::is_loopback(&bound) {
            eprintln!(
                "fzlint: 警告：正在监听 {bound}，不只是本机：同一网络中的其他计算机也能打开此页面并提交文件；本服务没有登录验证，只应在可信的内部网络中这样使用"
            );
        }
        let host = if bound.ip().is_unspecified() {
            format!("127.0.0.1:{}", bound.port())
        } else {
            bound.to_string()
        };
        eprintln!("fzlint serve：请在浏览器中打开 http://{host}/ （按 Ctrl+C 停止）");
        match serve::serve(listener, serve::router(cfg)).await {
            Ok(()) => 0,
            Err(e) => usage_error(format!("服务异常退出：{e}")),
        }
    })
}
