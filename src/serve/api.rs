//! The JSON API of `fzlint serve`.

use super::AppState;
use crate::fix;
use crate::ingest::{self, Decoded, InputError};
use crate::lint::{lint_text, LintOptions, Linted};
use crate::report::{json, FileResult};
use crate::rules::RULES;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::time::{timeout_at, Instant};

type Shared = Arc<AppState>;

/// An error answer: `{"error": "<one line in Chinese>", "code": "too-large", "status": 413}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("文件过大：上传上限为 {}，请压缩图片或拆分文件后再试", human_size(limit)),
        )
    }

    fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "检查时程序内部出错，本次结果不可用；请把这个文件发给维护人员",
        )
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    code: &'a str,
    status: u16,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&ErrorBody {
            error: &self.message,
            code: self.code,
            status: self.status.as_u16(),
        })
        .unwrap_or_default();
        json_response(self.status, body)
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `20 MB`, `512 KB`, `100 字节`.
pub(crate) fn human_size(n: usize) -> String {
    const MB: usize = 1024 * 1024;
    if n >= MB && n % MB == 0 {
        format!("{} MB", n / MB)
    } else if n >= MB {
        format!("{:.1} MB", n as f64 / MB as f64)
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} 字节")
    }
}

/// Limits every API request: waits for a request slot, then answers within
/// the time limit (body upload included) or gives up with 504.
pub(crate) async fn guard(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let secs = state.config.timeout.as_secs_f64();
    let deadline = Instant::now() + state.config.timeout;
    let permit = match timeout_at(deadline, state.in_flight.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "服务繁忙：同时提交的检查太多，请稍后再试",
            )
            .into_response()
        }
    };
    let res = match timeout_at(deadline, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            format!("处理超时：{secs:.0} 秒内没有完成（文件太大或网络太慢），请拆分文件后再试"),
        )
        .into_response(),
    };
    drop(permit);
    res
}

/// The answer to a panic caught by the tower layer: JSON, no details.
pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal().into_response()
}

pub(crate) async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "not-found", "没有这个接口").into_response()
}

/// What a request submitted: a file's name and bytes.
struct Upload {
    name: String,
    bytes: Bytes,
}

impl Upload {
    fn ext(&self) -> Option<String> {
        let (_, ext) = self.name.rsplit_once('.')?;
        (!ext.is_empty() && ext.len() <= 10).then(|| ext.to_ascii_lowercase())
    }

    fn stem(&self) -> &str {
        match self.name.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => &self.name,
        }
    }
}

#[derive(Deserialize)]
struct JsonInput {
    #[serde(default)]
    name: Option<String>,
    text: String,
}

/// A file name from a client: its last path component, without control
/// characters, at most 200 characters. Used only as a label and for its
/// extension, never as a path.
fn clean_name(raw: &str, fallback: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    let name = name.trim();
    if name.is_empty() || name == "." || name == ".." {
        fallback.to_string()
    } else {
        name.to_string()
    }
}

/// Read the submitted file from a multipart form (field `file`) or a JSON
/// body (`{"name", "text"}`), within the size limit.
async fn read_upload(state: &Shared, req: Request) -> Result<Upload, ApiError> {
    let limit = state.config.max_upload_bytes;
    let too_large = || ApiError::too_large(limit);
    let headers: &HeaderMap = req.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (limit + super::MULTIPART_SLACK) as u64) {
        return Err(too_large());
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut form = Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad-request", format!("表单格式有误：{e}")))?;
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(e) => {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "bad-request",
                        format!("表单格式有误：{}", e.body_text()),
                    ))
                }
            };
            if field.name() != Some("file") {
                continue;
            }
            let name = clean_name(field.file_name().unwrap_or_default(), "upload");
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
                Err(e) => {
                    return Err(ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "bad-request",
                        format!("上传中断或表单有误：{}", e.body_text()),
                    ))
                }
            };
            if bytes.len() > limit {
                return Err(too_large());
            }
            return Ok(Upload { name, bytes });
        }
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no-file",
            "表单中没有名为 file 的文件字段",
        ))
    } else if content_type.starts_with("application/json") {
        let body = Bytes::from_request(req, &()).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "bad-request", "请求内容读取失败")
            }
        })?;
        let input: JsonInput = serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad-json",
                format!("请求不是有效的 JSON（应为 {{\"name\": \"report.txt\", \"text\": \"…\"}}）：{e}"),
            )
        })?;
        if input.text.len() > limit {
            return Err(too_large());
        }
        Ok(Upload {
            name: clean_name(input.name.as_deref().unwrap_or_default(), "report.txt"),
            bytes: Bytes::from(input.text.into_bytes()),
        })
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "请用 multipart/form-data（字段 file）或 application/json（{\"name\", \"text\"}）提交",
        ))
    }
}

/// Run CPU-bound work on the blocking pool, one of `jobs` at a time. A panic
/// there becomes a 500 answer.
async fn blocking<T: Send + 'static>(state: &Shared, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let permit = state
        .jobs
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())?;
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|_| ApiError::internal())
}

/// Decode and lint one upload, as `fzlint check` does for one file.
fn lint_upload(upload: &Upload, profile: &str, options: &LintOptions) -> (Result<Decoded, InputError>, FileResult) {
    let decoded = ingest::read_bytes(&upload.bytes, upload.ext().as_deref());
    let outcome = match &decoded {
        Ok(d) => Ok(lint_text(&d.text, options)),
        Err(e) => Err(e.clone()),
    };
    let outcome = match outcome {
        Ok(Some(l)) => Ok(l),
        Ok(None) => Err(InputError::Io(format!("未知的 profile “{profile}”"))),
        Err(e) => Err(e),
    };
    let result = FileResult {
        source_map: decoded.as_ref().ok().and_then(|d| d.source_map.clone()),
        path: upload.name.clone(),
        profile: profile.to_string(),
        outcome,
    };
    (decoded, result)
}

fn status_of(result: &FileResult) -> StatusCode {
    if result.outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// `POST /api/check`: the JSON document of `--format json` for one file.
pub(crate) async fn check(State(state): State<Shared>, req: Request) -> Result<Response, ApiError> {
    let upload = read_upload(&state, req).await?;
    let st = state.clone();
    let (status, body) = blocking(&state, move || {
        let (_, result) = lint_upload(&upload, &st.config.profile, &st.config.options);
        let results = [result];
        (status_of(&results[0]), json::render(&results))
    })
    .await?;
    Ok(json_response(status, body))
}

/// `POST /api/analyze`: what the page needs, the report of `/api/check`
/// and the text it was computed on.
pub(crate) async fn analyze(State(state): State<Shared>, req: Request) -> Result<Response, ApiError> {
    let upload = read_upload(&state, req).await?;
    let st = state.clone();
    let (status, body) = blocking(&state, move || {
        let (decoded, result) = lint_upload(&upload, &st.config.profile, &st.config.options);
        let results = [result];
        let status = status_of(&results[0]);
        let report = json::render(&results);
        let extra = match &decoded {
            Ok(d) => serde_json::to_string(&Analyzed::of(d, &results[0].outcome)),
            Err(_) => serde_json::to_string(&Analyzed::default()),
        }
        .unwrap_or_else(|_| "{}".into());
        // `{"report": <the §5 document as /api/check prints it>, …extra}`.
        let mut body = String::with_capacity(report.len() + extra.len() + 16);
        body.push_str("{\"report\":");
        body.push_str(report.trim_end());
        if extra.len() > 2 {
            body.push(',');
            body.push_str(&extra[1..]);
        } else {
            body.push('}');
        }
        (status, body)
    })
    .await?;
    Ok(json_response(status, body))
}

#[derive(Serialize, Default)]
struct Analyzed<'a> {
    /// The decoded text the offsets point into.
    text: Option<&'a str>,
    /// `text`, `docx`, `pdf`, `html`, `markdown`.
    format: Option<&'static str>,
    format_label: Option<&'static str>,
    /// Whether `--fix` would rewrite such a file (text and Markdown without
    /// heading marks); Word, PDF and web pages are only diffed.
    writable: bool,
    /// Per line of `text`, where it came from in the original (`第3段`,
    /// `第2页`), for Word and PDF.
    origins: Option<Vec<String>>,
    /// How many of the findings carry an automatic fix.
    fixable: usize,
}

impl<'a> Analyzed<'a> {
    fn of(d: &'a Decoded, outcome: &Result<Linted, InputError>) -> Analyzed<'a> {
        let origins = d.source_map.as_ref().map(|m| {
            (1..=m.len())
                .map(|line| m.origin(line).map(|o| o.to_string()).unwrap_or_default())
                .collect()
        });
        let fixable = match outcome {
            Ok(l) => fix::select(&d.text, &l.findings).len(),
            Err(_) => 0,
        };
        Analyzed {
            text: Some(&d.text),
            format: Some(d.format.name()),
            format_label: Some(d.format.label().trim()),
            writable: d.writable,
            origins,
            fixable,
        }
    }
}

#[derive(Serialize)]
struct FixAnswer {
    path: String,
    format: &'static str,
    /// Whether `fzlint check --fix` would rewrite such a file in place.
    writable: bool,
    /// Edits applied (over all passes) and passes made.
    applied: usize,
    passes: usize,
    changed: bool,
    /// The fixed text (UTF-8).
    text: String,
    /// Unified diff of the decoded text → the fixed text; empty if unchanged.
    diff: String,
    /// A name to save the fixed text under.
    download_name: String,
}

/// `POST /api/fix`: the safe fixes applied, as `--fix`/`--diff` would.
pub(crate) async fn fix(State(state): State<Shared>, req: Request) -> Result<Response, ApiError> {
    let upload = read_upload(&state, req).await?;
    let st = state.clone();
    let answer = blocking(&state, move || -> Result<FixAnswer, ApiError> {
        let d = ingest::read_bytes(&upload.bytes, upload.ext().as_deref())
            .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unreadable", e.to_string()))?;
        let fixed = fix::fix_text(&d.text, &st.config.options).ok_or_else(ApiError::internal)?;
        let diff = fix::unified_diff(&upload.name, &d.text, &fixed.text);
        let ext = match upload.ext() {
            Some(e) if d.writable && matches!(e.as_str(), "txt" | "text" | "md" | "markdown") => e,
            _ => "txt".to_string(),
        };
        Ok(FixAnswer {
            download_name: format!("{}-已修复.{ext}", upload.stem()),
            path: upload.name.clone(),
            format: d.format.name(),
            writable: d.writable,
            applied: fixed.applied,
            passes: fixed.passes,
            changed: fixed.changed(),
            text: fixed.text,
            diff,
        })
    })
    .await??;
    let body = serde_json::to_string(&answer).map_err(|_| ApiError::internal())?;
    Ok(json_response(StatusCode::OK, body))
}

#[derive(Serialize)]
struct Info {
    name: &'static str,
    version: &'static str,
    profile: String,
    max_upload_bytes: usize,
    max_upload: String,
    timeout_secs: u64,
    extensions: &'static [&'static str],
}

/// `GET /api/info`.
pub(crate) async fn info(State(state): State<Shared>) -> Response {
    let c = &state.config;
    let body = serde_json::to_string(&Info {
        name: "fzlint",
        version: env!("CARGO_PKG_VERSION"),
        profile: c.profile.clone(),
        max_upload_bytes: c.max_upload_bytes,
        max_upload: human_size(c.max_upload_bytes),
        timeout_secs: c.timeout.as_secs(),
        extensions: ingest::TEXT_EXTENSIONS,
    })
    .unwrap_or_default();
    json_response(StatusCode::OK, body)
}

#[derive(Serialize)]
struct RuleEntry {
    id: &'static str,
    category: &'static str,
    category_label: &'static str,
    severity: &'static str,
    severity_label: &'static str,
    fixable: bool,
    summary: &'static str,
    docs: RuleDocs,
}

#[derive(Serialize)]
struct RuleDocs {
    what: &'static str,
    why: &'static str,
    bad: &'static str,
    good: &'static str,
    basis: &'static str,
}

/// `GET /api/rules`: the catalog of `fzlint rules --format json`, each with
/// the explanation of `fzlint explain`.
pub(crate) async fn rules(State(state): State<Shared>) -> Response {
    let entries: Vec<RuleEntry> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            // The severity in force here (configuration applied).
            let severity = match state.config.options.severities.get(m.id) {
                Some(Some(s)) => *s,
                _ => m.severity,
            };
            RuleEntry {
                id: m.id,
                category: m.category.as_str(),
                category_label: m.category.label_zh(),
                severity: severity.as_str(),
                severity_label: severity.label_zh(),
                fixable: m.fixable,
                summary: m.summary,
                docs: RuleDocs {
                    what: m.docs.what,
                    why: m.docs.why,
                    bad: m.docs.bad,
                    good: m.docs.good,
                    basis: m.docs.basis,
                },
            }
        })
        .collect();
    json_response(StatusCode::OK, serde_json::to_string(&entries).unwrap_or_default())
}

/// Testing only: a panic on the blocking pool.
pub(crate) async fn panic_blocking(State(state): State<Shared>) -> Result<Response, ApiError> {
    blocking(&state, || -> Response { panic!("test panic on the blocking pool") }).await
}

/// Testing only: a panic in the handler itself.
pub(crate) async fn panic_async() -> Response {
    panic!("test panic in a handler")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_labels_not_paths() {
        assert_eq!(clean_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\报告.docx", "x"), "报告.docx");
        assert_eq!(clean_name("..", "x"), "x");
        assert_eq!(clean_name("a\u{0}b\nc.txt", "x"), "abc.txt");
        assert_eq!(clean_name("", "report.txt"), "report.txt");
        let u = Upload {
            name: "报告.DOCX".into(),
            bytes: Bytes::new(),
        };
        assert_eq!(u.ext().as_deref(), Some("docx"));
        assert_eq!(u.stem(), "报告");
        let u = Upload {
            name: "README".into(),
            bytes: Bytes::new(),
        };
        assert_eq!(u.ext(), None);
        assert_eq!(u.stem(), "README");
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(human_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(10), "10 字节");
    }
}
