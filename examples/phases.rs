//! Rough per-phase timing over a directory of reports (development aid).
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).expect("dir");
    let texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    let kb = fzlint::knowledge::Knowledge::builtin("fazhi-annual").unwrap();
    let t = Instant::now();
    let docs: Vec<_> = texts.iter().map(|t| fzlint::outline::parse(t)).collect();
    println!("parse  {:?}", t.elapsed());
    let t = Instant::now();
    let facts: Vec<_> = docs
        .iter()
        .map(|d| fzlint::facts::Facts::analyse(d, kb, None))
        .collect();
    println!("facts  {:?}", t.elapsed());
    let t = Instant::now();
    let mut n = 0;
    for (d, f) in docs.iter().zip(&facts) {
        let cx = fzlint::rules::Context {
            doc: d,
            facts: f,
            kb,
            baseline: None,
        };
        for r in fzlint::rules::RULES {
            let mut out = Vec::new();
            r.check(&cx, &mut out);
            n += out.len();
        }
    }
    println!("rules  {:?} ({n})", t.elapsed());
    for r in fzlint::rules::RULES {
        let t = Instant::now();
        for (d, f) in docs.iter().zip(&facts) {
            let cx = fzlint::rules::Context {
                doc: d,
                facts: f,
                kb,
                baseline: None,
            };
            let mut out = Vec::new();
            r.check(&cx, &mut out);
        }
        println!("  {:<22} {:?}", r.meta().id, t.elapsed());
    }
}
