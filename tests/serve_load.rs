//! A short load test of `fzlint serve` on loopback: the real binary on a free
//! port of 127.0.0.1, 50 uploads at once (Word, PDF, text and a few large
//! texts), each over its own connection. Every request must be answered
//! with the CLI's findings, within a bounded time, and the server's peak
//! memory must stay bounded. Traffic goes only to 127.0.0.1; the loop is
//! bounded in count (50) and time (each socket times out, the whole test
//! has a deadline).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const UPLOADS: usize = 50;
const DEADLINE: Duration = Duration::from_secs(120);
/// Peak resident memory allowed to the server, in KiB.
const MAX_RSS_KIB: u64 = 600 * 1024;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> (Server, SocketAddr) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("fzlint"))
        .args(["serve", "--addr", "127.0.0.1:0", "--timeout", "60"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("fzlint serve starts");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let at = line.find("http://").expect("the address is printed") + "http://".len();
    let addr: SocketAddr = line[at..].split('/').next().unwrap().parse().unwrap();
    assert!(addr.ip().is_loopback());
    (Server(child), addr)
}

fn upload(addr: SocketAddr, name: &str, bytes: &[u8]) -> (u16, String) {
    const B: &str = "----fzlint-load-boundary";
    let mut body = Vec::with_capacity(bytes.len() + 256);
    write!(
        body,
        "--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{B}--\r\n").unwrap();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(90))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(90))).unwrap();
    write!(
        s,
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={B}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let status: u16 = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn diagnostics_of(json: &str) -> usize {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON answer");
    v["files"][0]["diagnostics"].as_array().map_or(0, |a| a.len())
}

#[test]
fn fifty_concurrent_uploads_are_all_answered() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let big = std::fs::read_to_string(fixtures.join("broken_report.txt"))
        .unwrap()
        .repeat(100);
    let inputs: Vec<(String, Vec<u8>)> = vec![
        (
            "good_report.docx".into(),
            std::fs::read(fixtures.join("good_report.docx")).unwrap(),
        ),
        (
            "good_report.pdf".into(),
            std::fs::read(fixtures.join("good_report.pdf")).unwrap(),
        ),
        (
            "broken_report.txt".into(),
            std::fs::read(fixtures.join("broken_report.txt")).unwrap(),
        ),
        (
            "typography_report.txt".into(),
            std::fs::read(fixtures.join("typography_report.txt")).unwrap(),
        ),
        ("big.txt".into(), big.into_bytes()),
    ];
    // What each input gets when checked alone.
    let (server, addr) = start();
    let expected: Vec<usize> = inputs
        .iter()
        .map(|(name, bytes)| {
            let (status, body) = upload(addr, name, bytes);
            assert_eq!(status, 200, "{name}: {body}");
            diagnostics_of(&body)
        })
        .collect();
    let pid = server.0.id();
    let baseline = peak_rss_kib(pid);

    let started = Instant::now();
    let inputs = std::sync::Arc::new(inputs);
    let handles: Vec<_> = (0..UPLOADS)
        .map(|i| {
            let inputs = inputs.clone();
            std::thread::spawn(move || {
                let k = i % inputs.len();
                let (name, bytes) = &inputs[k];
                let t = Instant::now();
                let (status, body) = upload(addr, name, bytes);
                (k, status, body, t.elapsed())
            })
        })
        .collect();
    let mut slowest = Duration::ZERO;
    for h in handles {
        let (k, status, body, took) = h.join().expect("upload thread");
        assert_eq!(status, 200, "{}: {body}", inputs[k].0);
        assert_eq!(
            diagnostics_of(&body),
            expected[k],
            "{}: findings differ under load",
            inputs[k].0
        );
        slowest = slowest.max(took);
    }
    let elapsed = started.elapsed();
    let peak = peak_rss_kib(pid);
    eprintln!(
        "load: {UPLOADS} concurrent uploads answered in {:.2} s (slowest {:.2} s); server peak RSS {} MiB (before: {} MiB)",
        elapsed.as_secs_f64(),
        slowest.as_secs_f64(),
        peak / 1024,
        baseline / 1024
    );
    assert!(elapsed < DEADLINE, "took {elapsed:?}");
    if peak > 0 {
        assert!(peak < MAX_RSS_KIB, "server peak RSS {peak} KiB");
    }
    // Still serving afterwards.
    let (status, _) = upload(addr, &inputs[2].0, &inputs[2].1);
    assert_eq!(status, 200);
}
