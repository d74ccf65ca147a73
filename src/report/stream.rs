//! Streaming output for a batch: each file's result is turned into its share
//! of the output as soon as it is linted (on the worker that linted it), and
//! only that text and a few counts are kept; the [`Printer`] writes the shares
//! in input order. The formats that wrap everything in one JSON document are
//! written piece by piece and stay byte-identical to serialising the whole
//! document at once (serde_json's pretty printer indents a nested value exactly
//! as it indents the same value alone, shifted by its depth).

use super::{github, human, json, rdjson, sarif, table, FileResult, Summary};
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The formats that can be written file by file.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// The human report; with `table`, the closing table of a batch (more than one file).
    Human {
        opts: human::HumanOptions,
        table: bool,
    },
    Json,
    Sarif,
    Github,
    Rdjson,
}

/// One file's share of the output and what the closing parts need of it.
#[derive(Debug, Default)]
pub struct Piece {
    /// The text; for the JSON formats, the file's array elements, indented
    /// for their depth and joined by `,\n` (empty when there are none).
    /// Bytes, not a `String`: the JSON is UTF-8 as serde_json writes it, and
    /// checking that again cost more than writing it.
    pub text: Vec<u8>,
    /// The file's counts.
    pub counts: Summary,
    /// Why the file could not be checked.
    pub unreadable: Option<String>,
    /// The file's row in the closing table.
    pub row: Option<[String; 6]>,
    /// SARIF: the tool notification of an unreadable file.
    pub notification: Option<serde_json::Value>,
}

/// serde_json's pretty form of `value` (two-space indent) with every line
/// indented by `depth` spaces (every line of `to_string_pretty` padded),
/// written in one pass.
pub(crate) fn pretty_at<T: serde::Serialize + ?Sized>(value: &T, depth: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend(std::iter::repeat_n(b' ', depth));
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Nested {
            depth,
            level: 0,
            has_value: false,
        },
    );
    value.serialize(&mut ser).expect("JSON output serialises");
    out
}

/// serde_json's `PrettyFormatter` with every new line starting `depth` spaces in.
struct Nested {
    depth: usize,
    level: usize,
    has_value: bool,
}

impl Nested {
    fn new_line<W: ?Sized + io::Write>(&self, w: &mut W, prefix: &[u8]) -> io::Result<()> {
        const SPACES: &[u8; 64] = b"                                                                ";
        w.write_all(prefix)?;
        let mut n = self.depth + 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl Nested {
    // Arrays and objects are laid out alike: an opening mark, each element or
    // key on its own line, the closing mark on a line of its own.
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, mark: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(mark)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, mark: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w, b"\n")?;
        }
        w.write_all(mark)
    }

    fn element<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.element(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// A document serialised with an empty array at `marker`, cut around the
/// array: (text before `[`, text after `]`, indentation of the marker's line).
fn cut(doc: &str, marker: &str) -> (String, String, usize) {
    let at = doc.find(marker).expect("the marker is in the document");
    let head = &doc[..at + marker.len() - 1];
    let line_start = doc[..at].rfind('\n').map_or(0, |i| i + 1);
    let depth = doc[line_start..at].len() - doc[line_start..at].trim_start().len();
    (head.to_string(), doc[at + marker.len()..].to_string(), depth)
}

/// Depth (in spaces) of the array elements of each wrapped format.
const JSON_ELEMENT: usize = 4;
const SARIF_ELEMENT: usize = 8;
const RDJSON_ELEMENT: usize = 4;

impl Format {
    /// What this format keeps of one result (runs on the worker threads).
    pub fn piece(&self, r: &FileResult) -> Piece {
        let mut p = Piece {
            counts: Summary::of_file(r),
            unreadable: r.outcome.as_ref().err().map(|e| e.to_string()),
            ..Piece::default()
        };
        match self {
            Format::Human {
                opts,
                table: with_table,
            } => {
                p.text = human::render_one(r, *opts).into_bytes();
                if *with_table {
                    p.row = Some(table::row(r));
                }
            }
            Format::Json => {
                // What `pretty_at(&json::file(r), JSON_ELEMENT)` writes.
                p.text = Vec::with_capacity(4096);
                json::write_file(&mut p.text, r, JSON_ELEMENT);
            }
            Format::Sarif => {
                let (results, notification) = sarif::file(r);
                p.text = elements(&results, SARIF_ELEMENT);
                p.notification = notification;
            }
            Format::Github => p.text = github::render_one(r).into_bytes(),
            Format::Rdjson => p.text = elements(&rdjson::file(r), RDJSON_ELEMENT),
        }
        p
    }
}

fn elements(values: &[serde_json::Value], depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend(pretty_at(v, depth));
    }
    out
}

/// Writes the pieces of a run in order, and the parts that close it.
pub struct Printer<W: Write> {
    format: Format,
    out: W,
    /// The first write error (a closed pipe): nothing more is written.
    failed: Option<io::Error>,
    summary: Summary,
    rows: Vec<[String; 6]>,
    /// Whether an array element has been written.
    elements: bool,
    /// SARIF: the results, written after the invocations that depend on every file.
    spill: Option<io::BufWriter<std::fs::File>>,
    notifications: Vec<serde_json::Value>,
}

impl<W: Write> Printer<W> {
    pub fn new(format: Format, out: W) -> Printer<W> {
        let mut p = Printer {
            format,
            out,
            failed: None,
            summary: Summary::default(),
            rows: Vec::new(),
            elements: false,
            spill: None,
            notifications: Vec::new(),
        };
        match format {
            Format::Json => {
                let (head, _, _) = cut(&json::document(Summary::default()), JSON_MARKER);
                p.write(head.as_bytes());
            }
            Format::Rdjson => {
                let (head, _, _) = cut(&rdjson::document(), RDJSON_MARKER);
                p.write(head.as_bytes());
            }
            _ => {}
        }
        p
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_all(bytes) {
                self.failed = Some(e);
            }
        }
    }

    /// What has been counted so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Write one file's piece.
    pub fn push(&mut self, piece: Piece) {
        self.summary.add(&piece.counts);
        if let Some(row) = piece.row {
            self.rows.push(row);
        }
        if let Some(n) = piece.notification {
            self.notifications.push(n);
        }
        match self.format {
            Format::Human { .. } | Format::Github => self.write(&piece.text),
            Format::Json | Format::Rdjson => {
                if !piece.text.is_empty() {
                    let sep: &[u8] = if self.elements { b",\n" } else { b"\n" };
                    self.write(sep);
                    self.write(&piece.text);
                    self.elements = true;
                }
            }
            Format::Sarif => {
                if !piece.text.is_empty() {
                    if self.spill.is_none() {
                        match tempfile::tempfile() {
                            Ok(f) => self.spill = Some(io::BufWriter::new(f)),
                            Err(e) => {
                                self.failed.get_or_insert(e);
                                return;
                            }
                        }
                    }
                    let sep: &[u8] = if self.elements { b",\n" } else { b"" };
                    let spill = self.spill.as_mut().expect("just made");
                    if let Err(e) = spill.write_all(sep).and_then(|_| spill.write_all(&piece.text)) {
                        self.failed.get_or_insert(e);
                    }
                    self.elements = true;
                }
            }
        }
    }

    /// Write the closing parts and flush.
    pub fn finish(mut self) -> Finished<W> {
        let s = self.summary;
        match self.format {
            Format::Human { table: with_table, .. } => {
                let mut text = human::closing(&s);
                if with_table && s.files > 1 {
                    text.push('\n');
                    text.push_str(&table::render_rows(&self.rows));
                }
                self.write(text.as_bytes());
            }
            Format::Github => {}
            Format::Json => {
                let (_, tail, depth) = cut(&json::document(s), JSON_MARKER);
                self.close_array(depth, &tail);
            }
            Format::Rdjson => {
                let (_, tail, depth) = cut(&rdjson::document(), RDJSON_MARKER);
                self.close_array(depth, &tail);
            }
            Format::Sarif => {
                let notifications = std::mem::take(&mut self.notifications);
                let (head, tail, depth) = cut(&sarif::document(Vec::new(), notifications), SARIF_MARKER);
                self.write(head.as_bytes());
                if let Some(spill) = self.spill.take() {
                    self.write(b"\n");
                    match spill.into_inner().map_err(|e| e.into_error()) {
                        Ok(mut f) => {
                            if let Err(e) = self.copy(&mut f) {
                                self.failed.get_or_insert(e);
                            }
                        }
                        Err(e) => {
                            self.failed.get_or_insert(e);
                        }
                    }
                }
                self.close_array(depth, &tail);
            }
        }
        if self.failed.is_none() {
            if let Err(e) = self.out.flush() {
                self.failed = Some(e);
            }
        }
        Finished {
            summary: s,
            error: self.failed,
            out: self.out,
        }
    }

    fn copy(&mut self, f: &mut std::fs::File) -> io::Result<()> {
        f.seek(io::SeekFrom::Start(0))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            self.write(&buf[..n]);
        }
    }

    fn close_array(&mut self, depth: usize, tail: &str) {
        if self.elements {
            let close = format!("\n{}]", " ".repeat(depth));
            self.write(close.as_bytes());
        } else {
            self.write(b"]");
        }
        self.write(tail.as_bytes());
    }
}

const JSON_MARKER: &str = "\"files\": []";
const SARIF_MARKER: &str = "\"results\": []";
const RDJSON_MARKER: &str = "\"diagnostics\": []";

/// Render whole results with a streaming format (for the library's `render` functions).
pub fn render(format: Format, results: &[FileResult]) -> String {
    let mut printer = Printer::new(format, Vec::new());
    for r in results {
        printer.push(format.piece(r));
    }
    let done = printer.finish();
    String::from_utf8(done.out).expect("reports are UTF-8")
}

/// What [`Printer::finish`] hands back.
pub struct Finished<W> {
    pub summary: Summary,
    /// The first write error (e.g. a closed pipe), after which nothing was written.
    pub error: Option<io::Error>,
    pub out: W,
}

/// The number of worker threads: `RAYON_NUM_THREADS` if set, else the cores.
pub fn threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Run `work` over `items` on up to `threads` threads and hand each result to
/// `sink` in input order, as soon as it and every earlier one are done.
/// The calling thread is one of the workers: it takes items too and hands
/// on the finished results between them (a thread that only waited for
/// results would be woken once per file, taking a core from the workers).
/// Items are taken in order and the channel holds at most `64 × threads`
/// results, so few wait at a time; the room keeps the other workers going
/// while the calling thread works on an item.
/// With one thread or one item everything runs on the calling thread.
pub fn ordered<T, R, W, S>(items: &[T], threads: usize, work: W, mut sink: S)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    S: FnMut(R),
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        for item in items {
            sink(work(item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, R)>(threads * 64);
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                if tx.send((i, work(item))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        let mut hand_on = |waiting: &mut BTreeMap<usize, R>| {
            while let Some(r) = waiting.remove(&due) {
                sink(r);
                due += 1;
            }
        };
        loop {
            waiting.extend(rx.try_iter());
            hand_on(&mut waiting);
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            waiting.insert(i, work(item));
            hand_on(&mut waiting);
        }
        for (i, r) in rx {
            waiting.insert(i, r);
            hand_on(&mut waiting);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::InputError;
    use crate::lint::{lint_text, LintOptions};

    fn results() -> Vec<FileResult> {
        let ok = |path: &str, text: &str| FileResult {
            path: path.into(),
            profile: "fazhi-annual".into(),
            outcome: Ok(lint_text(text, &LintOptions::default()).unwrap()),
            source_map: None,
        };
        vec![
            ok("a.txt", "（2）甲\n一是乙，三是丙。\n"),
            FileResult {
                path: "b.txt".into(),
                profile: "fazhi-annual".into(),
                outcome: Err(InputError::Io("坏".into())),
                source_map: None,
            },
            ok("c.txt", crate::rules::testing::GOOD),
            ok("d.txt", "一、甲\n二、乙\n"),
        ]
    }

    #[test]
    fn wrapped_formats_are_what_serde_prints_for_the_whole_document() {
        let rs = results();
        for format in [Format::Sarif, Format::Rdjson] {
            let text = render(format, &rs);
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            // Keys of json! documents are sorted, so a round trip is the identity.
            assert_eq!(serde_json::to_string_pretty(&v).unwrap() + "\n", text);
            assert_eq!(render(format, &[]), {
                let v: serde_json::Value = serde_json::from_str(&render(format, &[])).unwrap();
                serde_json::to_string_pretty(&v).unwrap() + "\n"
            });
        }
        let text = render(Format::Json, &rs);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["files"].as_array().unwrap().len(), 4);
        assert!(v["files"][1]["error"].as_str().unwrap().contains("坏"));
        assert!(text.starts_with("{\n  \"version\": 1,\n  \"tool\": {"));
        let empty = render(Format::Json, &[]);
        assert!(
            empty.contains("\"files\": [],\n  \"summary\": {\n    \"files\": 0,"),
            "{empty}"
        );
    }

    /// `text` with every line indented by `n` spaces (JSON strings hold no raw newline).
    fn indent(text: &str, n: usize) -> String {
        let pad = " ".repeat(n);
        text.split('\n')
            .map(|l| format!("{pad}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn pretty_at_is_the_pretty_form_indented() {
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([[], {}, [1, [2, {"a": []}]]]),
            serde_json::json!({"rule": "年份", "span": {"start": 1, "end": 2}, "labels": [{"text": "甲\n乙"}], "fix": null}),
        ];
        for v in &values {
            for depth in [0, 4, 8, 70] {
                let plain = indent(&serde_json::to_string_pretty(v).unwrap(), depth);
                assert_eq!(String::from_utf8(pretty_at(v, depth)).unwrap(), plain, "{v} at {depth}");
            }
        }
    }

    #[test]
    fn results_come_in_input_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 7] {
            let mut seen = Vec::new();
            ordered(
                &items,
                threads,
                |i| {
                    std::thread::sleep(std::time::Duration::from_micros((i * 37) % 200));
                    i * 2
                },
                |r| seen.push(r),
            );
            assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
