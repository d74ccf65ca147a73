//! PDF to text, through `pdf-extract` (text in reading order from glyph
//! positions, fonts' `ToUnicode` maps and encodings) on `lopdf`.
//!
//! A PDF's text layer is only as good as its fonts' maps to Unicode. Rather
//! than lint garbage, the reader refuses a PDF when
//! - there is no text layer (a scan, or images of text): [`InputError::PdfNoText`];
//! - a composite (CID) font maps glyphs through `Identity-H/V` with no
//!   `ToUnicode` map, so glyph ids would come out as arbitrary characters;
//! - the extracted text holds private-use or replacement characters, or no
//!   Chinese at all: [`InputError::PdfGarbled`].
//!
//! Layout leftovers are cleaned: the space PDF writers put between Chinese
//! and Latin/digit runs (`关于 2024 年` → `关于2024年`), and page-number lines
//! (`- 3 -`, `第3页`, `3/12`) at the top or bottom of a page, and blank
//! lines (vertical gaps are layout, and split paragraphs). Each line is
//! mapped to its page (第N页). Lines broken by the page width are joined
//! back (see `unwrap_lines`), so paragraphs and headings read as written.

use super::{is_cjk, is_cjk_punct, Decoded, InputError, Origin, SourceFormat, SourceMap};
use pdf_extract::{Document, Object, PlainTextOutput};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Most pages read.
pub const MAX_PAGES: usize = 2000;

pub fn read(bytes: &[u8]) -> Result<Decoded, InputError> {
    let pages =
        quietly(|| extract(bytes)).unwrap_or_else(|| Err(InputError::CorruptPdf("解析时出现内部错误".into())))?;
    let mut lines: Vec<(String, u32)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        lines.extend(clean_page(page).into_iter().map(|l| (l, i as u32 + 1)));
    }
    let mut text = String::new();
    let mut map = SourceMap::default();
    for (line, page) in unwrap_lines(lines) {
        text.push_str(&line);
        text.push('\n');
        map.push(Origin::Page(page));
    }
    check_faithful(&text)?;
    Decoded::extracted(text, SourceFormat::Pdf, map)
}

fn extract(bytes: &[u8]) -> Result<Vec<String>, InputError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| InputError::CorruptPdf(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(InputError::EncryptedPdf);
    }
    let page_ids: Vec<_> = doc.get_pages().into_iter().collect();
    if page_ids.is_empty() {
        return Err(InputError::CorruptPdf("没有页面".into()));
    }
    if page_ids.len() > MAX_PAGES {
        return Err(InputError::CorruptPdf(format!(
            "页数 {} 超过上限 {MAX_PAGES}",
            page_ids.len()
        )));
    }
    for (_, id) in &page_ids {
        if let Some(name) = unmapped_cid_font(&doc, *id) {
            return Err(InputError::PdfGarbled(format!("字体“{name}”没有到 Unicode 的映射")));
        }
    }
    let mut pages = Vec::with_capacity(page_ids.len());
    for (number, _) in page_ids {
        let mut s = String::new();
        {
            let mut out = PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(&doc, &mut out, number).map_err(|e| InputError::CorruptPdf(e.to_string()))?;
        }
        pages.push(s);
    }
    Ok(pages)
}

/// A Type0 font on the page whose glyph ids cannot be turned into text:
/// `Identity-H`/`Identity-V` encoding (or an embedded CMap stream) and no
/// `ToUnicode`. Fonts using a predefined Unicode CMap (`UniGB-UCS2-H`) are fine.
fn unmapped_cid_font(doc: &Document, page: pdf_extract::ObjectId) -> Option<String> {
    let fonts = doc.get_page_fonts(page).ok()?;
    for (name, font) in fonts {
        let subtype = font.get(b"Subtype").ok().and_then(|o| o.as_name().ok());
        if subtype != Some(b"Type0".as_slice()) || font.has(b"ToUnicode") {
            continue;
        }
        let identity = match font.get(b"Encoding") {
            Ok(Object::Name(enc)) => enc.starts_with(b"Identity"),
            Ok(_) => true,
            Err(_) => true,
        };
        if identity {
            let base = font
                .get(b"BaseFont")
                .ok()
                .and_then(|o| o.as_name().ok())
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_else(|| String::from_utf8_lossy(&name).into_owned());
            return Some(base);
        }
    }
    None
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, turning a panic inside the PDF libraries into `None` without
/// printing the panic message (a hostile PDF is an input error, not a crash).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.ok()
}

/// Lines of one page: trailing spaces and page-number lines removed, the
/// layout space between Chinese and Latin runs dropped.
fn clean_page(page: &str) -> Vec<String> {
    let mut lines: Vec<String> = page.lines().map(|l| join_runs(l.trim_end())).collect();
    // Page numbers sit in the first or last non-empty line of a page.
    for from_end in [false, true] {
        let idx = if from_end {
            lines.iter().rposition(|l| !l.trim().is_empty())
        } else {
            lines.iter().position(|l| !l.trim().is_empty())
        };
        if let Some(i) = idx {
            if is_page_number(lines[i].trim()) {
                lines.remove(i);
            }
        }
    }
    // Blank lines come from vertical gaps, which are layout: paragraph
    // spacing, but also a line whose digits sit in another font a little
    // lower. Inside a paragraph they would split it, so none are kept.
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// Width in half-width units: a Chinese character counts 2, ASCII 1.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Join lines the page width broke: a line as wide as the text (less three
/// characters of slack for first-line indents, narrow digits and line-start
/// punctuation rules) goes on with the next one, unless the next begins an
/// outline heading, or the line ends a sentence and the next is short (a
/// signature or a date). Chinese wraps anywhere, so a full line is a wrapped
/// line; the rules then see paragraphs as written, and a heading keeps its
/// whole title. A joined line keeps the page it started on.
fn unwrap_lines(lines: Vec<(String, u32)>) -> Vec<(String, u32)> {
    // Most lines of a report are wrapped body lines: the 80th percentile of
    // widths is the text width, robust to a few wide lines of Latin text.
    let mut widths: Vec<usize> = lines.iter().map(|(l, _)| width(l)).collect();
    widths.sort_unstable();
    let full = widths.get(widths.len() * 4 / 5).copied().unwrap_or(0);
    if full < 40 {
        return lines;
    }
    let mut out: Vec<(String, u32)> = Vec::with_capacity(lines.len());
    let mut open = false;
    let mut ends_sentence = false;
    for (line, page) in lines {
        // After a sentence end, a short line is a line of its own (the
        // signature, a date), not the tail of the paragraph.
        let own_line = ends_sentence && width(&line) * 2 < full;
        match out.last_mut() {
            Some((prev, _)) if open && !own_line && !starts_heading(&line) => prev.push_str(&line),
            _ => out.push((line.clone(), page)),
        }
        ends_sentence = line.trim_end().ends_with(['。', '！', '？', '；', '：']);
        open = width(&line) + 6 >= full;
    }
    out
}

/// Whether a line begins with an outline marker: 一、 （一） 1. （1）.
fn starts_heading(line: &str) -> bool {
    let t = line.trim_start();
    let cn = |c: char| "一二三四五六七八九十".contains(c);
    let mut chars = t.chars();
    match chars.next() {
        Some(c) if cn(c) => {
            let rest = t.trim_start_matches(cn);
            rest.starts_with('、')
        }
        Some('（' | '(') => {
            let inner = chars.as_str().trim_start_matches(|c: char| cn(c) || c.is_ascii_digit());
            inner.len() < chars.as_str().len() && inner.starts_with(['）', ')'])
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
            let mut after = rest.chars();
            matches!(after.next(), Some('.' | '．' | '、')) && !after.as_str().starts_with(|c: char| c.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_page_number(s: &str) -> bool {
    let inner = s.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | ' ' | '　'));
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if digits(inner) {
        return true;
    }
    if let Some((a, b)) = inner.split_once('/') {
        return digits(a.trim()) && digits(b.trim());
    }
    let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(rest) = compact.strip_prefix('第') {
        if let Some((n, tail)) = rest.split_once('页') {
            return digits(n)
                && (tail.is_empty()
                    || tail
                        .strip_prefix('共')
                        .and_then(|t| t.strip_suffix('页'))
                        .is_some_and(digits));
        }
    }
    false
}

/// Drop a single space between a Chinese character (or full-width
/// punctuation) and a Latin letter, digit or `%`: PDF writers place Chinese
/// and Latin runs apart and extraction turns the gap into a space.
fn join_runs(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            let wide = |c: char| is_cjk(c) || is_cjk_punct(c);
            let narrow = |c: char| c.is_ascii_alphanumeric() || matches!(c, '%' | '.' | '(' | ')');
            if (wide(a) && narrow(b)) || (narrow(a) && wide(b)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Refuse text that is not what the page shows.
fn check_faithful(text: &str) -> Result<(), InputError> {
    let mut meaningful = 0usize;
    let mut cjk = 0usize;
    let mut bad = 0usize;
    let mut total = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        total += 1;
        if is_cjk(c) {
            cjk += 1;
        }
        if is_cjk(c) || c.is_alphanumeric() {
            meaningful += 1;
        }
        if matches!(c, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}' | '\u{fffd}') || c.is_control() {
            bad += 1;
        }
    }
    if meaningful < 20 {
        return Err(InputError::PdfNoText);
    }
    if bad * 100 > total {
        return Err(InputError::PdfGarbled(format!(
            "{bad} 个字符是私用区或替换字符，字体缺少 Unicode 映射"
        )));
    }
    if cjk == 0 {
        return Err(InputError::PdfGarbled("提取出的文字中没有汉字".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_and_run_gaps() {
        for s in ["- 3 -", "— 12 —", "3", "第3页", "第 3 页 共 12 页", "3/12", "－ 5 －"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2024年", "第三页", "一、总体情况", "3.加强执法"] {
            assert!(!is_page_number(s), "{s}");
        }
        assert_eq!(join_runs("关于 2024 年法治政府"), "关于2024年法治政府");
        assert_eq!(join_runs("答复率 100% 。"), "答复率100%。");
        assert_eq!(join_runs("Hello world 你好"), "Hello world你好");
        let page = "\n\n一、总体情况\n正文 3 次。\n\n继续。\n\n- 1 -\n";
        assert_eq!(clean_page(page), vec!["一、总体情况", "正文3次。", "继续。"]);
    }

    #[test]
    fn wrapped_lines_are_joined() {
        let full = "县市场监督管理局坚持以习近平新时代中国特色社会主义思想为指导，深入学习领会";
        let lines = vec![
            ("关于2024年法治政府建设情况的报告".to_string(), 1),
            (full.to_string(), 1),
            ("贯彻习近平法治思想。".to_string(), 1),
            (
                "5.自觉接受人大监督和政协民主监督，办理人大代表建议6件、政协委员提案4件，答复率".to_string(),
                1,
            ),
            ("100%。".to_string(), 2),
            (full.to_string(), 2),
            ("（二）严格规范公正文明执法".to_string(), 2),
            (format!("{full}。"), 2),
            ("某县市场监督管理局".to_string(), 2),
        ];
        let out = unwrap_lines(lines);
        let texts: Vec<&str> = out.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(texts[1], format!("{full}贯彻习近平法治思想。"));
        assert_eq!(
            texts[2],
            "5.自觉接受人大监督和政协民主监督，办理人大代表建议6件、政协委员提案4件，答复率100%。"
        );
        assert_eq!(out[2].1, 1, "a joined line keeps the page it started on");
        assert_eq!(texts[4], "（二）严格规范公正文明执法");
        assert_eq!(texts[6], "某县市场监督管理局");
        assert!(starts_heading("一、总体情况") && starts_heading("（十二）其他") && starts_heading("3.加强"));
        assert!(!starts_heading("2024年") && !starts_heading("3.5亿元") && !starts_heading("一是加强"));
        assert!(
            starts_heading("3．加强") && starts_heading("3、加强") && !starts_heading("3") && !starts_heading("（")
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(check_faithful("   \n 1 \n"), Err(InputError::PdfNoText));
        let pua: String = "\u{e001}\u{e002}\u{e003}一二".repeat(10);
        assert!(matches!(check_faithful(&pua), Err(InputError::PdfGarbled(_))));
        let latin = "Annual report on the rule of law government".repeat(2);
        assert!(matches!(check_faithful(&latin), Err(InputError::PdfGarbled(_))));
        assert_eq!(
            check_faithful("一、总体情况\n今年以来，我局认真贯彻落实法治政府建设实施纲要。"),
            Ok(())
        );
    }
}
