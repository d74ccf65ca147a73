//! Criterion benches for the pipeline stages — decode, parse, lint (facts +
//! every rule), render (JSON and human) — on a typical report and on a
//! 10 MB report built from the same fixtures. Run: `cargo bench --bench pipeline`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use fzlint::ingest::read_bytes;
use fzlint::lint::{lint_text, LintOptions};
use fzlint::report::{human, json, FileResult};
use std::hint::black_box;

const TYPICAL: &str = include_str!("../tests/fixtures/good_report.txt");
const OTHERS: [&str; 4] = [
    include_str!("../tests/fixtures/clean_2022_report.txt"),
    include_str!("../tests/fixtures/clean_2025_report.txt"),
    include_str!("../tests/fixtures/typography_report.txt"),
    include_str!("../examples/report.txt"),
];

/// About `mb` megabytes: the fixtures one after another.
fn big(mb: usize) -> String {
    let mut s = String::new();
    let all: Vec<&str> = std::iter::once(TYPICAL).chain(OTHERS).collect();
    let mut i = 0;
    while s.len() < mb * 1024 * 1024 {
        s.push_str(all[i % all.len()]);
        s.push('\n');
        i += 1;
    }
    s
}

fn stages(c: &mut Criterion) {
    let options = LintOptions::default();
    // Compile the knowledge's regexes once, outside the measurements.
    let _ = lint_text(TYPICAL, &options);
    let inputs = [("typical", TYPICAL.to_string()), ("10MB", big(10))];
    for (name, text) in &inputs {
        let mut g = c.benchmark_group(format!("stages/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        if *name == "10MB" {
            g.sample_size(10);
        }
        let bytes = text.as_bytes();
        g.bench_function(BenchmarkId::new("decode", name), |b| {
            b.iter(|| read_bytes(black_box(bytes), Some("txt")).unwrap())
        });
        g.bench_function(BenchmarkId::new("parse", name), |b| {
            b.iter(|| fzlint::outline::parse(black_box(text)))
        });
        g.bench_function(BenchmarkId::new("lint", name), |b| {
            b.iter(|| lint_text(black_box(text), &options).unwrap())
        });
        let results = vec![FileResult {
            source_map: None,
            path: "r.txt".into(),
            profile: "fazhi-annual".into(),
            outcome: Ok(lint_text(text, &options).unwrap()),
        }];
        g.bench_function(BenchmarkId::new("render-json", name), |b| {
            b.iter(|| json::render(black_box(&results)))
        });
        g.bench_function(BenchmarkId::new("render-human", name), |b| {
            b.iter(|| {
                human::render(
                    black_box(&results),
                    human::HumanOptions {
                        color: false,
                        width: 100,
                    },
                )
            })
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
