//! `fzlint serve`'s HTTP API, in process (tower's `oneshot` on the router):
//! status codes, the JSON document compared with the CLI's `--format json`
//! for the same input, limits (413, 422, 415, 504) and hostile uploads.

use assert_cmd::Command;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use fzlint::serve::{router, ServeConfig};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tower::ServiceExt;
use zip::write::SimpleFileOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn app() -> Router {
    router(ServeConfig::default())
}

const BOUNDARY: &str = "----fzlint-test-boundary-7MA4YWxkTrZu0gW";

fn multipart(field: &str, filename: &str, bytes: &[u8]) -> Request<Body> {
    let mut body = Vec::new();
    write!(
        body,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{BOUNDARY}--\r\n").unwrap();
    Request::post("/api/check")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn json_request(uri: &str, value: Value) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(value.to_string()))
        .unwrap()
}

async fn send(app: Router, req: Request<Body>) -> (StatusCode, String, String) {
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 256 << 20).await.unwrap();
    (status, ct, String::from_utf8(body.to_vec()).unwrap())
}

fn with_uri(mut req: Request<Body>, uri: &str) -> Request<Body> {
    *req.uri_mut() = uri.parse().unwrap();
    req
}

/// `fzlint check --format json NAME` run in the fixtures directory.
fn cli_json(name: &str) -> String {
    let out = Command::cargo_bin("fzlint")
        .unwrap()
        .current_dir(fixture(""))
        .args(["check", "--format", "json", name])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn error_of(body: &str) -> String {
    let v: Value = serde_json::from_str(body).expect("error body is JSON");
    v["error"].as_str().expect("error is a string").to_string()
}

#[tokio::test]
async fn check_answers_exactly_the_cli_json_for_every_format() {
    for name in [
        "good_report.docx",
        "good_report.pdf",
        "broken_report.txt",
        "typography_report.txt",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let (status, ct, body) = send(app(), multipart("file", name, &bytes)).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert!(ct.starts_with("application/json"), "{ct}");
        assert_eq!(body, cli_json(name), "{name}: the API and the CLI differ");
    }
}

#[tokio::test]
async fn json_body_is_checked_like_a_file_of_that_name() {
    let text = std::fs::read_to_string(fixture("broken_report.txt")).unwrap();
    let req = json_request(
        "/api/check",
        serde_json::json!({"name": "broken_report.txt", "text": text}),
    );
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, cli_json("broken_report.txt"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["version"], 1);
    assert!(v["files"][0]["diagnostics"].as_array().unwrap().len() > 5);
    assert_eq!(v["files"][0]["sections"]["shortcomings"], Value::Null);
    // Without a name: report.txt.
    let req = json_request("/api/check", serde_json::json!({"text": "一、主要举措\n"}));
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"path\": \"report.txt\""));
}

#[tokio::test]
async fn analyze_carries_the_check_report_and_the_text() {
    let bytes = std::fs::read(fixture("good_report.docx")).unwrap();
    let (status, _, body) = send(
        app(),
        with_uri(multipart("file", "good_report.docx", &bytes), "/api/analyze"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    let cli: Value = serde_json::from_str(&cli_json("good_report.docx")).unwrap();
    assert_eq!(v["report"], cli);
    assert_eq!(v["format"], "docx");
    assert_eq!(v["writable"], false);
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("关于2024年法治政府建设情况的报告"));
    assert_eq!(v["origins"][1], "第2段");
}

#[tokio::test]
async fn fix_returns_the_fixed_text_and_the_diff() {
    let text = std::fs::read_to_string(fixture("typography_report.txt")).unwrap();
    let req = json_request(
        "/api/fix",
        serde_json::json!({"name": "typography_report.txt", "text": text}),
    );
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["changed"], true);
    assert!(v["applied"].as_u64().unwrap() > 5);
    assert_eq!(v["download_name"], "typography_report-已修复.txt");
    assert!(v["diff"]
        .as_str()
        .unwrap()
        .starts_with("--- typography_report.txt\n+++ typography_report.txt\n"));
    let fixed = Command::cargo_bin("fzlint")
        .unwrap()
        .args(["check", "--fix", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(v["text"].as_str().unwrap(), String::from_utf8(fixed.stdout).unwrap());
}

#[tokio::test]
async fn rules_and_info() {
    let (status, _, body) = send(app(), Request::get("/api/rules").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    let rules = v.as_array().unwrap();
    assert_eq!(rules.len(), fzlint::rules::RULES.len());
    for r in rules {
        for part in ["what", "why", "bad", "good", "basis"] {
            assert!(!r["docs"][part].as_str().unwrap().is_empty(), "{}", r["id"]);
        }
    }
    let (status, _, body) = send(app(), Request::get("/api/info").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["max_upload_bytes"], 20 * 1024 * 1024);
    assert_eq!(v["max_upload"], "20 MB");
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    for (uri, ct) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let res = app()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with(ct));
        let csp = res.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"));
        assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    let (status, _, body) = send(app(), Request::get("/api/nope").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!error_of(&body).is_empty());
    let (status, _, _) = send(app(), Request::get("/etc/passwd").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn too_large_uploads_get_413_json() {
    let config = ServeConfig {
        max_upload_bytes: 100 * 1024,
        ..ServeConfig::default()
    };
    let big = "关于2024年法治政府建设情况的报告\n".repeat(10_000);
    // Multipart body over the limit.
    let (status, ct, body) = send(router(config.clone()), multipart("file", "big.txt", big.as_bytes())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(ct.starts_with("application/json"));
    let msg = error_of(&body);
    assert!(msg.contains("文件过大") && msg.contains("100 KB"), "{msg}");
    // A file just over the limit inside the multipart slack.
    let just_over = vec![b'a'; 100 * 1024 + 10];
    let (status, _, body) = send(router(config.clone()), multipart("file", "a.txt", &just_over)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    // JSON.
    let req = json_request("/api/check", serde_json::json!({"name": "big.txt", "text": big}));
    let (status, _, body) = send(router(config.clone()), req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_of(&body).contains("文件过大"));
    // A declared length over the limit is refused before the body is read.
    let req = Request::post("/api/check")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "999999999")
        .body(Body::empty())
        .unwrap();
    let (status, _, _) = send(router(config), req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn unreadable_files_get_422_with_the_cli_error() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("binary.txt", (0..=255u8).cycle().take(5000).collect(), "二进制"),
        ("report.docx", b"not a zip at all".to_vec(), "Word"),
        ("report.pdf", b"\x89PNG\r\n\x1a\n\0\0\0\0".to_vec(), "PDF"),
        ("empty.txt", Vec::new(), "文件为空"),
        ("old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(), ".docx"),
        ("table.xlsx", b"PK\x03\x04junk".to_vec(), "不支持"),
        ("bomb.docx", zip_bomb(), "压缩炸弹"),
        (
            "truncated.docx",
            std::fs::read(fixture("good_report.docx")).unwrap()[..3000].to_vec(),
            "Word",
        ),
    ];
    for (name, bytes, expect) in cases {
        let (status, ct, body) = send(app(), multipart("file", name, &bytes)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        assert!(ct.starts_with("application/json"));
        let v: Value = serde_json::from_str(&body).unwrap();
        let err = v["files"][0]["error"].as_str().unwrap();
        assert!(err.contains(expect), "{name}: {err}");
        assert!(!err.contains('\n') && !err.contains("panicked"), "{name}: {err}");
        assert_eq!(v["files"][0]["diagnostics"], serde_json::json!([]));
        // The page's endpoint says the same.
        let (status, _, body) = send(app(), with_uri(multipart("file", name, &bytes), "/api/analyze")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["report"]["files"][0]["error"].as_str().unwrap(), err);
        let (status, _, body) = send(app(), with_uri(multipart("file", name, &bytes), "/api/fix")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error_of(&body), err);
    }
}

/// 64 MiB of spaces in `word/document.xml`, deflated to about 64 KiB.
fn zip_bomb() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("word/document.xml", SimpleFileOptions::default()).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let req = Request::post("/api/check")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("一、主要举措"))
        .unwrap();
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(error_of(&body).contains("multipart/form-data"));
    let req = Request::post("/api/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\": 1"))
        .unwrap();
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_of(&body).contains("JSON"));
    let (status, _, body) = send(app(), multipart("document", "a.txt", b"x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_of(&body).contains("file"));
    // A multipart body cut off in the middle.
    let req = Request::post("/api/check")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n一、"
        )))
        .unwrap();
    let (status, _, body) = send(app(), req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // A file name is a label, never a path.
    let (status, _, body) = send(
        app(),
        multipart("file", "../../../../etc/passwd.txt", "一、主要举措\n".as_bytes()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"path\": \"passwd.txt\""), "{body}");
}

#[tokio::test]
async fn a_panic_is_a_500_json_answer_and_the_server_goes_on() {
    let app = router(ServeConfig {
        panic_routes: true,
        ..ServeConfig::default()
    });
    for uri in ["/api/_panic", "/api/_panic_async"] {
        let (status, ct, body) = send(app.clone(), Request::post(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{uri}");
        assert!(ct.starts_with("application/json"));
        let msg = error_of(&body);
        assert!(!msg.contains("panic") && !msg.contains("src/"), "{msg}");
    }
    let (status, _, _) = send(app, json_request("/api/check", serde_json::json!({"text": "一、甲\n"}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_slow_upload_times_out_with_504_json() {
    let app = router(ServeConfig {
        timeout: Duration::from_millis(300),
        ..ServeConfig::default()
    });
    // A body that never ends.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let stream = ReceiverStream(rx);
    let req = Request::post("/api/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .unwrap();
    tx.send(Ok(axum::body::Bytes::from_static(b"{\"text\": \"")))
        .await
        .unwrap();
    let (status, _, body) = send(app, req).await;
    drop(tx);
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(error_of(&body).contains("超时"));
}

/// The channel's items as a body stream.
struct ReceiverStream<T>(tokio::sync::mpsc::Receiver<T>);

impl<T> futures_core::Stream for ReceiverStream<T> {
    type Item = T;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<T>> {
        self.0.poll_recv(cx)
    }
}
