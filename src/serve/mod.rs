//! `fzlint serve`: a local web page for drafters and a small JSON API.
//!
//! The page (HTML, CSS and JavaScript embedded in the binary, no external
//! assets) lets a drafter paste a report or upload a Word, PDF, web page,
//! Markdown or text file and shows the findings in the text. The API is the
//! CLI's JSON: `POST /api/check` answers exactly what `fzlint check
//! --format json` prints for that one file.
//!
//! Safety: a request never touches the file system (uploads are read from
//! memory, nothing is written); bodies are limited in size (413) and requests
//! in time (504); requests wait for one of a bounded number of slots (503
//! when none frees in time), and linting, which is CPU-bound, runs on the
//! blocking pool behind a semaphore sized to the cores; a panic in a request
//! becomes a 500 JSON answer, never a dead server or a stack trace.
//!
//! Routes:
//! - `GET /` the page; `GET /assets/app.css`, `GET /assets/app.js`
//! - `GET /api/info` version, profile and limits
//! - `GET /api/rules` the catalog with each rule's explanation
//! - `POST /api/check` the JSON document of SPEC §5 for one file (422 with
//!   the file's `error` set when it cannot be read)
//! - `POST /api/analyze` for the page: `{"report": <§5>, "text", "format", …}`
//! - `POST /api/fix` the fixed text and the unified diff
//!
//! Every POST takes either `multipart/form-data` with a field `file`, or
//! `application/json` `{"name": "report.txt", "text": "…"}`.

mod api;

use crate::lint::LintOptions;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8700";
/// Default upload limit.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Default time limit of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Room for multipart headers and boundaries above the upload limit.
const MULTIPART_SLACK: usize = 64 * 1024;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Largest file (or JSON `text`) accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Time limit of one API request, from arrival to answer.
    pub timeout: Duration,
    /// Profile name and lint options, fixed at start (configuration is read
    /// once then, never by a request).
    pub profile: String,
    pub options: LintOptions,
    /// Linting jobs run at once (CPU-bound; default: the cores).
    pub jobs: usize,
    /// API requests handled at once, bodies included; others wait.
    pub in_flight: usize,
    /// Testing only: adds `POST /api/_panic` (panics on the blocking pool)
    /// and `POST /api/_panic_async` (panics in the handler).
    #[doc(hidden)]
    pub panic_routes: bool,
}

impl Default for ServeConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeConfig {
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            timeout: DEFAULT_TIMEOUT,
            profile: "fazhi-annual".into(),
            options: LintOptions::default(),
            jobs: cores.max(1),
            in_flight: 16,
            panic_routes: false,
        }
    }
}

/// Shared state of the handlers.
pub(crate) struct AppState {
    pub config: ServeConfig,
    /// Linting slots (CPU).
    pub jobs: Arc<Semaphore>,
    /// Request slots (memory: bodies in flight).
    pub in_flight: Arc<Semaphore>,
}

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_CSS: &str = include_str!("assets/app.css");
const APP_JS: &str = include_str!("assets/app.js");

/// The page's Content-Security-Policy: nothing from outside, no inline
/// script, requests only to this server.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The application: page, assets and API.
pub fn router(config: ServeConfig) -> Router {
    let body_limit = config.max_upload_bytes.saturating_add(MULTIPART_SLACK);
    let state = Arc::new(AppState {
        jobs: Arc::new(Semaphore::new(config.jobs.max(1))),
        in_flight: Arc::new(Semaphore::new(config.in_flight.max(1))),
        config,
    });
    let mut api = Router::new()
        .route("/api/info", get(api::info))
        .route("/api/rules", get(api::rules))
        .route("/api/check", post(api::check))
        .route("/api/analyze", post(api::analyze))
        .route("/api/fix", post(api::fix));
    if state.config.panic_routes {
        api = api
            .route("/api/_panic", post(api::panic_blocking))
            .route("/api/_panic_async", post(api::panic_async));
    }
    let api = api
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), api::guard))
        .with_state(state);
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/assets/app.css", get(css))
        .route("/assets/app.js", get(js))
        .merge(api)
        .fallback(page_not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::map_response(common_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(api::panic_response))
}

async fn common_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

async fn js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn page_not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return api::not_found().await;
    }
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404：没有这个页面。检查页面在 /\n",
    )
        .into_response()
}

/// Whether `addr` can only be reached from this machine.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Parse `--addr`: `IP:PORT`, `[IPv6]:PORT`, or `localhost:PORT`.
pub fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    if let Some(port) = s.strip_prefix("localhost:") {
        if let Ok(p) = port.parse::<u16>() {
            return Ok(SocketAddr::from(([127, 0, 0, 1], p)));
        }
    }
    Err(format!(
        "地址“{s}”无效：应为 IP:端口，例如 127.0.0.1:8700 或 localhost:8700"
    ))
}

/// Serve `router` on `listener` until Ctrl+C.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(parse_addr("127.0.0.1:8700").unwrap().port(), 8700);
        assert!(is_loopback(&parse_addr("localhost:9000").unwrap()));
        assert!(is_loopback(&parse_addr("[::1]:80").unwrap()));
        assert!(!is_loopback(&parse_addr("0.0.0.0:8700").unwrap()));
        assert!(parse_addr("8700").unwrap_err().contains("无效"));
        assert!(parse_addr("example.org:80").is_err());
    }

    #[test]
    fn the_page_loads_nothing_from_outside() {
        for asset in [INDEX_HTML, APP_CSS, APP_JS] {
            assert!(
                !asset.contains("http://") && !asset.contains("https://"),
                "external URL in an asset"
            );
            assert!(!asset.contains("//cdn"), "CDN in an asset");
        }
        assert!(INDEX_HTML.contains("lang=\"zh-CN\""));
        assert!(
            !INDEX_HTML.contains("<script>"),
            "inline scripts are blocked by the CSP"
        );
    }
}
