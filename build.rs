//! Parses the built-in tables `rules/*.toml` once, at build time, into a
//! static tree of Rust constants (`$OUT_DIR/builtin_tables.rs`), each value
//! with its byte span in the file. `crate::tables` deserializes the loaders'
//! own types from that tree, so start-up skips TOML parsing while every
//! check the loaders make, and every span an error would name, stay the same.
//! Users' tables (fzlint.toml `tables`) are still parsed as TOML.
//!
//! It also computes the guard of each pattern of these tables
//! (`$OUT_DIR/builtin_guards.rs`, see `src/lazy_regex/literals.rs`), so that
//! a pattern is not even parsed before a text holds its literals.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt::{self, Write as _};
use toml::Spanned;

#[path = "src/lazy_regex/literals.rs"]
mod literals;

/// The keys whose values (a string or a list of strings) are patterns.
const PATTERN_KEYS: &[&str] = &[
    "heading",
    "heading_other_year",
    "exclude",
    "inline",
    "causes",
    "topics",
    "endings",
    "continued_by",
    "pattern",
    "patterns",
    "skip_issuer",
    "except",
    "no_fix_where",
    "ellipsis",
    "doc_number",
];

/// The patterns of a table, as the loaders compile them.
fn patterns(node: &Node, out: &mut Vec<String>) {
    let strings = |n: &Node| -> Vec<String> {
        match n {
            Node::Str(s) => vec![s.clone()],
            Node::Arr(items) => items
                .iter()
                .filter_map(|x| match x.get_ref() {
                    Node::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    match node {
        Node::Arr(items) => items.iter().for_each(|x| patterns(x.get_ref(), out)),
        Node::Table(entries) => {
            for (k, v) in entries {
                if PATTERN_KEYS.contains(&k.as_str()) {
                    for p in strings(v.get_ref()) {
                        // Title endings are anchored at the end of the line (knowledge.rs).
                        out.push(if k == "endings" { format!("(?:{p})\\s*$") } else { p });
                    }
                }
                patterns(v.get_ref(), out);
            }
        }
        _ => {}
    }
}

/// The built-in tables. `crate::knowledge::parse_toml` (which
/// `crate::reference` uses too) takes the tree of a file whose name and text
/// are these; other callers may switch to it to skip parsing.
const FILES: &[&str] = &[
    "rules/profile-fazhi-annual.toml",
    "rules/title.toml",
    "rules/debris.toml",
    "rules/typography.toml",
    "rules/laws.toml",
    "rules/events.toml",
    "rules/formulations.toml",
    "rules/numbers.toml",
    "rules/crossyear.toml",
];

enum Node {
    Str(String),
    Int(i64),
    Bool(bool),
    Arr(Vec<Spanned<Node>>),
    Table(Vec<(String, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                i64::try_from(v).map(Node::Int).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
                // None in the tables; such a file is left to the TOML parser.
                Err(E::custom("floats are not supported"))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
                Ok(Node::Bool(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = a.next_element()? {
                    out.push(x);
                }
                Ok(Node::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, Spanned<Node>>()? {
                    // Dates and times are not used in the tables (they are strings).
                    assert!(!k.starts_with("$__"), "unsupported TOML value {k}");
                    out.push((k, v));
                }
                Ok(Node::Table(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn emit(out: &mut String, item: &Spanned<Node>) {
    let span = item.span();
    write!(out, "Item{{start:{},end:{},node:", span.start, span.end).unwrap();
    match item.get_ref() {
        Node::Str(s) => write!(out, "Node::Str({s:?})").unwrap(),
        Node::Int(i) => write!(out, "Node::Int({i})").unwrap(),
        Node::Bool(b) => write!(out, "Node::Bool({b})").unwrap(),
        Node::Arr(items) => {
            out.push_str("Node::Arr(&[");
            for x in items {
                emit(out, x);
                out.push(',');
            }
            out.push_str("])");
        }
        Node::Table(entries) => {
            out.push_str("Node::Table(&[");
            for (k, v) in entries {
                write!(out, "({k:?},").unwrap();
                emit(out, v);
                out.push_str("),");
            }
            out.push_str("])");
        }
    }
    out.push('}');
}

fn main() {
    let mut all_patterns = Vec::new();
    let mut out =
        String::from("/// (file name, its text, its tree).\npub static BUILTIN: &[(&str, &str, Item)] = &[\n");
    for file in FILES {
        println!("cargo:rerun-if-changed={file}");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Invalid TOML (or a float) is left to the loaders' TOML parser at run
        // time, whose error names the line.
        let Ok(tree) = toml::from_str::<Node>(&text) else {
            continue;
        };
        patterns(&tree, &mut all_patterns);
        let tree = Spanned::new(0..text.len(), tree);
        write!(
            out,
            "({file:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{file}\")), "
        )
        .unwrap();
        emit(&mut out, &tree);
        out.push_str("),\n");
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/builtin_tables.rs"), out).expect("write builtin_tables.rs");

    all_patterns.sort();
    all_patterns.dedup();
    let mut out = String::from(
        "#[allow(clippy::type_complexity)]\npub static BUILTIN_GUARDS: &[(&str, Option<&[&[u8]]>, bool, &[&[u8]], &[Option<&str>])] = &[\n",
    );
    for p in &all_patterns {
        let Ok(hir) = regex_syntax::Parser::new().parse(p) else {
            continue;
        };
        let g = literals::Guard::of(&hir);
        let needles = match &g.needles {
            Some(list) => format!(
                "Some(&[{}])",
                list.iter().map(|l| format!("&{l:?}")).collect::<Vec<_>>().join(",")
            ),
            None => "None".to_string(),
        };
        let inner = g.inner.iter().map(|l| format!("&{l:?}")).collect::<Vec<_>>().join(",");
        let names = g.names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(",");
        writeln!(out, "({p:?}, {needles}, {}, &[{inner}], &[{names}]),", g.at_start).unwrap();
    }
    out.push_str("];\n");
    std::fs::write(format!("{dir}/builtin_guards.rs"), out).expect("write builtin_guards.rs");
    println!("cargo:rerun-if-changed=src/lazy_regex/literals.rs");
    println!("cargo:rerun-if-changed=build.rs");
}
