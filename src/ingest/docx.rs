//! Word `.docx` (WordprocessingML) to text: every paragraph of the main
//! document in document order, table cells' paragraphs included, becomes one
//! line, prefixed with its automatic number as Word shows it (see
//! `docx_numbering`). A line break inside a paragraph (Shift+Enter) starts a
//! new line of the same paragraph. Deleted and moved-away revisions, hidden
//! text, field instructions and the fallback copies of drawings are left
//! out; headers, footers and footnotes are not part of the report body and
//! are not read. Empty paragraphs stay as empty lines, so that extracted line
//! N is usually paragraph N; the [`SourceMap`] says so for every line.
//!
//! Parts are read through `zipread` (capped decompression) and parsed as a
//! stream with `quick-xml` with an element depth cap, so hostile packages
//! cost bounded memory and time.

use super::docx_numbering::{Counters, Level, Num, Numbering, LEVELS};
use super::zipread::Package;
use super::{Decoded, InputError, Origin, SourceFormat, SourceMap};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::HashMap;

/// Deepest element nesting accepted in a part.
pub const MAX_DEPTH: usize = 256;
/// Largest extracted text.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

const W_NS: &[&[u8]] = &[
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Whether `bytes` is a zip package holding a Word main document.
pub fn is_word_package(bytes: &[u8]) -> bool {
    Package::open(bytes).is_ok_and(|p| p.has("word/document.xml"))
}

/// The error for an OLE compound file given as a Word document: an
/// encrypted `.docx` (Office wraps those in OLE) or a legacy `.doc`/`.wps`.
pub fn ole_error(bytes: &[u8]) -> InputError {
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    if super::find(bytes, &utf16("EncryptionInfo")).is_some()
        || super::find(bytes, &utf16("EncryptedPackage")).is_some()
    {
        InputError::Encrypted
    } else {
        InputError::LegacyWord
    }
}

/// Read a `.docx` file's bytes.
pub fn read(bytes: &[u8]) -> Result<Decoded, InputError> {
    let mut pkg = Package::open(bytes)?;
    let Some(document) = pkg.part("word/document.xml")? else {
        return Err(InputError::WrongContent {
            ext: "docx".into(),
            expected: " Word（.docx）文档",
            actual: other_package(&pkg),
        });
    };
    let mut numbering = match pkg.part("word/numbering.xml")? {
        Some(xml) => parse_numbering(&xml)?,
        None => Numbering::default(),
    };
    let styles = match pkg.part("word/styles.xml")? {
        Some(xml) => parse_styles(&xml)?,
        None => Styles::default(),
    };
    numbering.style_nums = styles.numbering_styles.clone();
    let (text, map) = parse_document(&document, &numbering, &styles)?;
    Decoded::extracted(text, SourceFormat::Docx, map)
}

fn other_package(pkg: &Package) -> &'static str {
    if pkg.has("xl/workbook.xml") {
        "Excel 表格"
    } else if pkg.has("ppt/presentation.xml") {
        "PowerPoint 演示文稿"
    } else if pkg.has("content.xml") && pkg.has("mimetype") {
        " OpenDocument 文档"
    } else if pkg.has("OFD.xml") {
        " OFD 版式文档"
    } else {
        "普通 ZIP 压缩包"
    }
}

/// One XML node as the parsers below see it: element names are local names,
/// flagged when they are in the WordprocessingML namespace; attributes are
/// (local name, unescaped value). Empty elements come as Open then Close.
enum Node {
    Open {
        name: Vec<u8>,
        w: bool,
        mc: bool,
        attrs: Vec<(Vec<u8>, String)>,
    },
    Close {
        name: Vec<u8>,
        w: bool,
    },
    Text(String),
}

struct Xml<'a> {
    reader: NsReader<&'a [u8]>,
    buf: Vec<u8>,
    depth: usize,
    pending_close: Option<(Vec<u8>, bool)>,
    part: &'static str,
}

impl<'a> Xml<'a> {
    fn new(bytes: &'a [u8], part: &'static str) -> Self {
        let mut reader = NsReader::from_reader(bytes);
        reader.config_mut().expand_empty_elements = false;
        Xml {
            reader,
            buf: Vec::new(),
            depth: 0,
            pending_close: None,
            part,
        }
    }

    fn next(&mut self) -> Result<Option<Node>, InputError> {
        if let Some((name, w)) = self.pending_close.take() {
            return Ok(Some(Node::Close { name, w }));
        }
        loop {
            self.buf.clear();
            let part = self.part;
            let (ns, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok(x) => x,
                Err(e) => return Err(corrupt(part, e)),
            };
            let (w, mc) = match ns {
                ResolveResult::Bound(ns) => (W_NS.contains(&ns.as_ref()), ns.as_ref() == MC_NS),
                _ => (false, false),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    if !empty {
                        self.depth += 1;
                        if self.depth > MAX_DEPTH {
                            return Err(InputError::TooDeep(MAX_DEPTH));
                        }
                    }
                    let name = e.local_name().as_ref().to_vec();
                    let mut attrs = Vec::new();
                    for a in e.attributes().flatten() {
                        let value = match a.unescape_value() {
                            Ok(v) => v.into_owned(),
                            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
                        };
                        attrs.push((a.key.local_name().as_ref().to_vec(), value));
                    }
                    if empty {
                        self.pending_close = Some((name.clone(), w));
                    }
                    return Ok(Some(Node::Open { name, w, mc, attrs }));
                }
                Event::End(ref e) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(Some(Node::Close {
                        name: e.local_name().as_ref().to_vec(),
                        w,
                    }));
                }
                Event::Text(ref t) => {
                    let s = t.decode().map_err(|e| corrupt(part, e))?;
                    return Ok(Some(Node::Text(s.into_owned())));
                }
                Event::CData(ref t) => {
                    let s = t.decode().map_err(|e| corrupt(part, e))?;
                    return Ok(Some(Node::Text(s.into_owned())));
                }
                Event::GeneralRef(ref r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c.to_string()),
                        Ok(None) => r
                            .decode()
                            .ok()
                            .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                            .map(str::to_string),
                        Err(_) => None,
                    };
                    if let Some(s) = resolved {
                        return Ok(Some(Node::Text(s)));
                    }
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }
}

fn corrupt(part: &str, e: impl std::fmt::Display) -> InputError {
    InputError::CorruptDocx(format!("{part} 不是有效的 XML（{e}）"))
}

fn attr<'x>(attrs: &'x [(Vec<u8>, String)], name: &[u8]) -> Option<&'x str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `w:val` of an on/off property: absent, `true`, `1`, `on` mean on.
fn on(attrs: &[(Vec<u8>, String)]) -> bool {
    !matches!(attr(attrs, b"val"), Some("false" | "0" | "off" | "none"))
}

#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

#[derive(Debug, Default)]
struct Styles {
    paragraph: HashMap<String, Style>,
    default_paragraph: Option<String>,
    /// Numbering style id → numId.
    numbering_styles: HashMap<String, String>,
}

impl Styles {
    /// (numId, ilvl, style that carried the numId) along the `basedOn` chain.
    fn numbering_of(&self, style: &str) -> (Option<String>, Option<usize>, Option<String>) {
        let (mut num, mut lvl, mut owner) = (None, None, None);
        let mut current = Some(style.to_string());
        for _ in 0..32 {
            let Some(id) = current.take() else { break };
            let Some(s) = self.paragraph.get(&id) else { break };
            if num.is_none() && s.num_id.is_some() {
                num = s.num_id.clone();
                owner = Some(id.clone());
            }
            if lvl.is_none() {
                lvl = s.ilvl;
            }
            current = s.based_on.clone();
        }
        (num, lvl, owner)
    }
}

fn parse_styles(xml: &[u8]) -> Result<Styles, InputError> {
    let mut x = Xml::new(xml, "word/styles.xml");
    let mut styles = Styles::default();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut current: Option<(String, String, Style)> = None;
    let mut skip = 0usize;
    while let Some(node) = x.next()? {
        match node {
            Node::Open { name, w, mc, attrs } => {
                if skip > 0 || (mc && name == b"Choice") {
                    skip += 1;
                    stack.push(name);
                    continue;
                }
                if w {
                    match name.as_slice() {
                        b"style" => {
                            let kind = attr(&attrs, b"type").unwrap_or("paragraph").to_string();
                            let id = attr(&attrs, b"styleId").unwrap_or_default().to_string();
                            if kind == "paragraph" && attr(&attrs, b"default").is_some_and(|v| v == "1" || v == "true")
                            {
                                styles.default_paragraph = Some(id.clone());
                            }
                            current = Some((kind, id, Style::default()));
                        }
                        b"basedOn" => {
                            if let Some((_, _, s)) = current.as_mut() {
                                s.based_on = attr(&attrs, b"val").map(str::to_string);
                            }
                        }
                        b"numId" | b"ilvl" if stack.last().is_some_and(|p| p == b"numPr") => {
                            if let Some((_, _, s)) = current.as_mut() {
                                let v = attr(&attrs, b"val").unwrap_or_default();
                                if name == b"numId" {
                                    s.num_id = Some(v.to_string());
                                } else {
                                    s.ilvl = v.parse().ok();
                                }
                            }
                        }
                        _ => {}
                    }
                }
                stack.push(name);
            }
            Node::Close { name, w } => {
                stack.pop();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if w && name == b"style" {
                    if let Some((kind, id, s)) = current.take() {
                        match kind.as_str() {
                            "paragraph" => {
                                styles.paragraph.insert(id, s);
                            }
                            "numbering" => {
                                if let Some(n) = s.num_id {
                                    styles.numbering_styles.insert(id, n);
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            Node::Text(_) => {}
        }
    }
    Ok(styles)
}

fn parse_numbering(xml: &[u8]) -> Result<Numbering, InputError> {
    let mut x = Xml::new(xml, "word/numbering.xml");
    let mut numbering = Numbering::default();
    let mut skip = 0usize;
    // The definition being read.
    let mut abs: Option<(String, super::docx_numbering::AbstractNum)> = None;
    let mut num: Option<(String, Num)> = None;
    // The level being read: (index, level, inside a lvlOverride).
    let mut level: Option<(usize, Level)> = None;
    let mut override_lvl: Option<usize> = None;
    while let Some(node) = x.next()? {
        match node {
            Node::Open { name, w, mc, attrs } => {
                // Word puts formats it cannot express in older versions in
                // mc:Choice with a standard fallback: read the fallback.
                if skip > 0 || (mc && name == b"Choice") {
                    skip += 1;
                    continue;
                }
                if !w {
                    continue;
                }
                let val = attr(&attrs, b"val");
                match name.as_slice() {
                    b"abstractNum" => {
                        let id = attr(&attrs, b"abstractNumId").unwrap_or_default().to_string();
                        abs = Some((id, Default::default()));
                    }
                    b"num" => {
                        let id = attr(&attrs, b"numId").unwrap_or_default().to_string();
                        num = Some((id, Num::default()));
                    }
                    b"abstractNumId" => {
                        if let (Some((_, n)), Some(v)) = (num.as_mut(), val) {
                            n.abstract_id = v.to_string();
                        }
                    }
                    b"lvlOverride" => override_lvl = attr(&attrs, b"ilvl").and_then(|v| v.parse().ok()),
                    b"startOverride" => {
                        if let (Some((_, n)), Some(l), Some(v)) =
                            (num.as_mut(), override_lvl, val.and_then(|v| v.parse().ok()))
                        {
                            if l < LEVELS {
                                n.start_overrides.insert(l, v);
                            }
                        }
                    }
                    b"lvl" => {
                        let i = attr(&attrs, b"ilvl").and_then(|v| v.parse().ok()).or(override_lvl);
                        level = i.filter(|&i| i < LEVELS).map(|i| (i, Level::default()));
                    }
                    b"start" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.start = val.and_then(|v| v.parse().ok());
                        }
                    }
                    b"numFmt" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.num_fmt = val.map(str::to_string);
                        }
                    }
                    b"lvlText" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.lvl_text = val.map(str::to_string);
                        }
                    }
                    b"lvlRestart" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.restart = val.and_then(|v| v.parse().ok());
                        }
                    }
                    b"isLgl" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.is_lgl = on(&attrs);
                        }
                    }
                    b"pStyle" => {
                        if let Some((_, l)) = level.as_mut() {
                            l.p_style = val.map(str::to_string);
                        }
                    }
                    b"numStyleLink" => {
                        if let Some((_, a)) = abs.as_mut() {
                            a.num_style_link = val.map(str::to_string);
                        }
                    }
                    b"styleLink" => {
                        if let Some((_, a)) = abs.as_mut() {
                            a.style_link = val.map(str::to_string);
                        }
                    }
                    _ => {}
                }
            }
            Node::Close { name, w } => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if !w {
                    continue;
                }
                match name.as_slice() {
                    b"lvl" => {
                        if let Some((i, l)) = level.take() {
                            if let Some((_, n)) = num.as_mut() {
                                n.level_overrides.insert(i, l);
                            } else if let Some((_, a)) = abs.as_mut() {
                                a.levels[i] = Some(l);
                            }
                        }
                    }
                    b"lvlOverride" => override_lvl = None,
                    b"abstractNum" => {
                        if let Some((id, a)) = abs.take() {
                            numbering.abstracts.insert(id, a);
                        }
                    }
                    b"num" => {
                        if let Some((id, n)) = num.take() {
                            numbering.nums.insert(id, n);
                        }
                    }
                    _ => {}
                }
            }
            Node::Text(_) => {}
        }
    }
    Ok(numbering)
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

/// Elements whose content is not what the reader sees.
const SKIPPED: &[&[u8]] = &[
    b"pPrChange",
    b"rPrChange",
    b"sectPrChange",
    b"tblPrChange",
    b"trPrChange",
    b"tcPrChange",
    b"moveFrom",
    b"del",
    b"delText",
    b"instrText",
    b"delInstrText",
    b"sectPr",
];

fn parse_document(xml: &[u8], numbering: &Numbering, styles: &Styles) -> Result<(String, SourceMap), InputError> {
    let mut x = Xml::new(xml, "word/document.xml");
    let mut out = String::new();
    let mut map = SourceMap::default();
    let mut counters = Counters::default();
    let mut paragraphs = 0u32;
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut paras: Vec<Para> = Vec::new();
    let mut skip = 0usize;
    let mut in_t = false;
    let mut hidden = false;
    while let Some(node) = x.next()? {
        match node {
            Node::Open { name, w, mc, attrs } => {
                if skip > 0 || (mc && name == b"Fallback") || (w && SKIPPED.contains(&name.as_slice())) {
                    skip += 1;
                    stack.push(name);
                    continue;
                }
                let parent = stack.last().map(Vec::as_slice);
                if w {
                    match name.as_slice() {
                        b"p" => paras.push(Para::default()),
                        b"r" => hidden = false,
                        b"vanish" | b"specVanish" if parent == Some(b"rPr") && in_run(&stack) => {
                            hidden = on(&attrs);
                        }
                        b"pStyle" if parent == Some(b"pPr") => {
                            if let Some(p) = paras.last_mut() {
                                p.style = attr(&attrs, b"val").map(str::to_string);
                            }
                        }
                        b"numId" | b"ilvl" if parent == Some(b"numPr") => {
                            if let Some(p) = paras.last_mut() {
                                let v = attr(&attrs, b"val").unwrap_or_default();
                                if name == b"numId" {
                                    p.num_id = Some(v.to_string());
                                } else {
                                    p.ilvl = v.parse().ok();
                                }
                            }
                        }
                        b"t" if parent == Some(b"r") => in_t = true,
                        b"tab" | b"ptab" if parent == Some(b"r") => push_run(&mut paras, hidden, "\t"),
                        // Page and column breaks are layout, not line breaks.
                        b"br" if parent == Some(b"r") && !matches!(attr(&attrs, b"type"), Some("page" | "column")) => {
                            push_run(&mut paras, hidden, "\n")
                        }
                        b"cr" if parent == Some(b"r") => push_run(&mut paras, hidden, "\n"),
                        b"noBreakHyphen" if parent == Some(b"r") => push_run(&mut paras, hidden, "-"),
                        _ => {}
                    }
                }
                stack.push(name);
            }
            Node::Close { name, w } => {
                stack.pop();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if !w {
                    continue;
                }
                match name.as_slice() {
                    b"t" => in_t = false,
                    b"p" => {
                        if let Some(p) = paras.pop() {
                            paragraphs += 1;
                            let label = number_label(&p, numbering, styles, &mut counters);
                            emit(&mut out, &mut map, paragraphs, label.as_deref(), &p.text);
                            if out.len() > MAX_TEXT_BYTES {
                                return Err(InputError::Bomb {
                                    part: "word/document.xml".into(),
                                    limit: MAX_TEXT_BYTES as u64,
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            Node::Text(t) => {
                if in_t && skip == 0 {
                    push_run(&mut paras, hidden, &t);
                }
            }
        }
    }
    Ok((out, map))
}

fn in_run(stack: &[Vec<u8>]) -> bool {
    stack.len() >= 2 && stack[stack.len() - 2] == b"r"
}

fn push_run(paras: &mut [Para], hidden: bool, s: &str) {
    if hidden {
        return;
    }
    if let Some(p) = paras.last_mut() {
        p.text.extend(s.chars().filter(|&c| c != '\r' && c != '\u{00ad}'));
    }
}

fn number_label(p: &Para, numbering: &Numbering, styles: &Styles, counters: &mut Counters) -> Option<String> {
    let style = p.style.clone().or_else(|| styles.default_paragraph.clone());
    let (style_num, style_lvl, owner) = match &style {
        Some(s) => styles.numbering_of(s),
        None => (None, None, None),
    };
    let num_id = p.num_id.clone().or(style_num)?;
    if num_id == "0" {
        return None;
    }
    let ilvl = p.ilvl.or(style_lvl).unwrap_or_else(|| match owner.as_deref() {
        Some(owner) => numbering.level_for_style(&num_id, owner),
        None => 0,
    });
    counters.next(numbering, &num_id, ilvl)
}

fn emit(out: &mut String, map: &mut SourceMap, paragraph: u32, label: Option<&str>, text: &str) {
    let mut first = true;
    for line in text.split('\n') {
        if first {
            if let Some(label) = label {
                out.push_str(label);
            }
            first = false;
        }
        out.push_str(line);
        out.push('\n');
        map.push(Origin::Paragraph(paragraph));
    }
}
