//! Print the text fzlint extracts from an input, each line with its origin
//! (第N段 / 第N页): `cargo run --example extract -- report.docx`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: extract FILE");
        std::process::exit(2);
    };
    match fzlint::ingest::read_path(std::path::Path::new(&path), fzlint::ingest::DEFAULT_MAX_BYTES) {
        Ok(d) => {
            println!("# format: {}, writable: {}", d.format.name(), d.writable);
            for (i, line) in d.text.lines().enumerate() {
                let origin = d.source_map.as_ref().and_then(|m| m.origin(i + 1));
                let origin = origin.map(|o| o.to_string()).unwrap_or_default();
                println!("{:>4} {:<7} {line}", i + 1, origin);
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
