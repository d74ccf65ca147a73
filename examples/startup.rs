//! Where one report's start-up time goes (development aid).
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let r = fzlint::reference::Reference::builtin().unwrap();
    println!("reference      {:?} ({} laws)", t.elapsed(), r.laws.len());
    let t = Instant::now();
    let kb = fzlint::knowledge::Knowledge::builtin("fazhi-annual").unwrap();
    println!("knowledge      {:?}", t.elapsed());
    let t = Instant::now();
    let _ = fzlint::numbers::NumberRules::builtin();
    println!("numbers        {:?}", t.elapsed());
    let text = std::fs::read_to_string(std::env::args().nth(1).expect("file")).unwrap();
    let t = Instant::now();
    let doc = fzlint::outline::parse(&text);
    println!("parse          {:?}", t.elapsed());
    let t = Instant::now();
    let facts = fzlint::facts::Facts::analyse(&doc, kb, None);
    println!("facts          {:?}", t.elapsed());
    let cx = fzlint::rules::Context {
        doc: &doc,
        facts: &facts,
        kb,
        baseline: None,
    };
    for r in fzlint::rules::RULES {
        let t = Instant::now();
        let mut out = Vec::new();
        r.check(&cx, &mut out);
        println!("{:<22} {:?}", r.meta().id, t.elapsed());
    }
    let t = Instant::now();
    for r in fzlint::rules::RULES {
        let mut out = Vec::new();
        r.check(&cx, &mut out);
    }
    println!("all rules again {:?}", t.elapsed());
}
