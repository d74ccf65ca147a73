//! Inputs to text. Reports arrive as plain text (UTF-8, GB18030, UTF-16),
//! Markdown, Word `.docx`, PDF and web pages saved from government sites.
//! Each reader turns its format into the one thing the linter reads: lines
//! of text. Readers of formats that are not text keep a [`SourceMap`] from
//! extracted line to the place in the original (第N段 of a Word file, 第N页
//! of a PDF) and mark the input as not writable, so that `--fix` never
//! writes extracted text over a Word or PDF file.
//!
//! The format is chosen by the file's first bytes where they say what it is
//! (`PK` zip with `word/document.xml`, `%PDF-`, an OLE container), and by
//! the extension otherwise. A file whose extension promises a format its
//! bytes do not hold is refused with one clear line.

pub mod docx;
mod docx_numbering;
pub mod html;
pub mod pdf;
mod text;
mod zipread;

pub use text::{decode, is_cjk, is_cjk_punct, SourceEncoding};

use std::path::Path;
use thiserror::Error;

/// Inputs larger than this are refused rather than linted slowly.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Extensions picked up when a directory is walked.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text", "docx", "pdf", "html", "htm"];

/// What was wrong with an input that could not be linted.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum InputError {
    #[error("无法读取文件：{0}")]
    Io(String),
    #[error("文件为空")]
    Empty,
    #[error("不是文本文件（含有二进制数据），无法检查")]
    Binary,
    #[error("文件编码无法识别：既不是 UTF-8，也不是 GB18030/GBK（第 {0} 字节起无法解码）")]
    Undecodable(usize),
    #[error("文件过大（{size} 字节，上限 {limit} 字节）：可用 --max-size 或 fzlint.toml 中的 max_size 调高上限")]
    TooLarge { size: u64, limit: u64 },
    #[error("不支持的文件类型“.{0}”：请先另存为 .docx、.pdf 或 .txt（UTF-8）再检查")]
    Unsupported(String),
    /// The extension promises a format the bytes do not hold.
    #[error("文件扩展名是 .{ext}，但内容不是{expected}（看起来是{actual}）")]
    WrongContent {
        ext: String,
        expected: &'static str,
        actual: &'static str,
    },
    #[error("Word 文档已加密（设有打开密码），无法读取：请去掉密码后另存再检查")]
    Encrypted,
    #[error("旧版 Word（.doc/.wps）二进制格式无法读取：请另存为 .docx 再检查")]
    LegacyWord,
    #[error("Word 文档已损坏或不完整：{0}")]
    CorruptDocx(String),
    #[error("Word 文档解压后过大（{part} 超过 {limit} 字节），疑似压缩炸弹，拒绝读取")]
    Bomb { part: String, limit: u64 },
    #[error("文档结构异常：XML 嵌套超过 {0} 层，拒绝读取")]
    TooDeep(usize),
    #[error("PDF 文件已损坏或无法解析：{0}")]
    CorruptPdf(String),
    #[error("PDF 已加密，无法提取文字：请提供未加密的版本")]
    EncryptedPdf,
    #[error("PDF 没有可提取的文字层（可能是扫描件或图片），无法检查：请提供可复制文字的版本")]
    PdfNoText,
    #[error("PDF 文字无法可靠提取（{0}），为避免误报不予检查：请提供 .docx 或 .txt 版本")]
    PdfGarbled(String),
    #[error("网页中找不到正文：{0}")]
    HtmlNoBody(String),
}

/// The format an input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Text,
    Markdown,
    Docx,
    Pdf,
    Html,
}

impl SourceFormat {
    /// How the format is named to users, e.g. `Word（.docx）`.
    pub fn label(&self) -> &'static str {
        match self {
            SourceFormat::Text => "文本",
            SourceFormat::Markdown => "Markdown ",
            SourceFormat::Docx => "Word（.docx）",
            SourceFormat::Pdf => "PDF ",
            SourceFormat::Html => "网页（HTML）",
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Markdown => "markdown",
            SourceFormat::Docx => "docx",
            SourceFormat::Pdf => "pdf",
            SourceFormat::Html => "html",
        }
    }
}

/// Where one extracted line came from in the original document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// 1-based paragraph of a Word document (body paragraphs in document
    /// order, table cells' paragraphs included, empty ones counted).
    Paragraph(u32),
    /// 1-based page of a PDF.
    Page(u32),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Paragraph(n) => write!(f, "第{n}段"),
            Origin::Page(n) => write!(f, "第{n}页"),
        }
    }
}

/// Extracted line (1-based, as in diagnostics) → place in the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    lines: Vec<Origin>,
}

impl SourceMap {
    /// Record the origin of the next extracted line.
    pub fn push(&mut self, origin: Origin) {
        self.lines.push(origin);
    }

    /// Origin of 1-based extracted line `line`.
    pub fn origin(&self, line: usize) -> Option<Origin> {
        line.checked_sub(1).and_then(|i| self.lines.get(i)).copied()
    }

    /// The Word paragraph number (第N段) of 1-based extracted line `line`.
    pub fn paragraph_of_line(&self, line: usize) -> Option<u32> {
        match self.origin(line)? {
            Origin::Paragraph(n) => Some(n),
            _ => None,
        }
    }

    /// Number of mapped lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// A decoded input.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The encoding of a text input; extracted text (Word, PDF, HTML) is
    /// reported as UTF-8 but is never written back (see `writable`).
    pub encoding: SourceEncoding,
    pub format: SourceFormat,
    /// `false` when `text` is not the file's own bytes decoded (Word, PDF,
    /// HTML, Markdown with stripped heading marks): `--fix` must then show
    /// the diff and leave the file alone.
    pub writable: bool,
    /// Extracted line → paragraph/page, for formats that have one.
    pub source_map: Option<SourceMap>,
}

impl Decoded {
    fn extracted(text: String, format: SourceFormat, source_map: SourceMap) -> Result<Decoded, InputError> {
        if text.trim().is_empty() {
            return Err(InputError::Empty);
        }
        Ok(Decoded {
            text,
            encoding: SourceEncoding::Utf8 { bom: false },
            format,
            writable: false,
            source_map: Some(source_map),
        })
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    Zip,
    Pdf,
    /// OLE compound file: legacy .doc/.wps, or an encrypted OOXML package.
    Ole,
    Image,
    Archive,
    Html,
    Unknown,
}

fn sniff(bytes: &[u8]) -> Magic {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Magic::Zip
    } else if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Magic::Ole
    } else if find(head, b"%PDF-").is_some_and(|i| i < 1024) {
        Magic::Pdf
    } else if head.starts_with(b"\x89PNG") || head.starts_with(b"\xFF\xD8\xFF") || head.starts_with(b"GIF8") {
        Magic::Image
    } else if head.starts_with(b"Rar!") || head.starts_with(b"7z\xBC\xAF") || head.starts_with(b"\x1F\x8B") {
        Magic::Archive
    } else if looks_like_html(head) {
        Magic::Html
    } else {
        Magic::Unknown
    }
}

fn looks_like_html(head: &[u8]) -> bool {
    // Each form below starts with `<`; most texts hold none.
    if memchr::memchr(b'<', head).is_none() {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    t.starts_with("<!doctype html") || t.starts_with("<html") || (t.starts_with("<?xml") && t.contains("<html"))
}

fn describe(magic: Magic, bytes: &[u8]) -> &'static str {
    match magic {
        Magic::Zip => "ZIP 压缩包",
        Magic::Pdf => " PDF 文件",
        Magic::Ole => "旧版 Office 二进制文档",
        Magic::Image => "图片",
        Magic::Archive => "压缩包",
        Magic::Html => "网页（HTML）",
        Magic::Unknown => {
            if decode(bytes).is_ok() {
                "纯文本"
            } else {
                "无法识别的二进制数据"
            }
        }
    }
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Read and decode one file, applying the size limit.
///
/// One open and one `fstat` on the handle; the read itself stops one byte
/// past the limit, so a file that grows while read, or a device or FIFO
/// whose size `fstat` does not know, cannot take more than the limit.
pub fn read_path(path: &Path, max_bytes: u64) -> Result<Decoded, InputError> {
    use std::io::Read;
    let io = |e: std::io::Error| InputError::Io(io_reason(&e));
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(InputError::Io("这是一个目录".into()));
    }
    let too_large = |size: u64| InputError::TooLarge { size, limit: max_bytes };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()));
    }
    // One byte more than the size, so that the read that meets the end
    // need not grow the buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).map_or(0, |n| n.saturating_add(1)));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    read_bytes(&bytes, ext.as_deref())
}

/// Decode raw bytes whose file extension (lowercase, without the dot) is
/// `ext`; `None` for stdin. The bytes' own signature wins over the
/// extension where it names a format we read.
pub fn read_bytes(bytes: &[u8], ext: Option<&str>) -> Result<Decoded, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    let magic = sniff(bytes);
    let wrong = |expected: &'static str| InputError::WrongContent {
        ext: ext.unwrap_or_default().to_string(),
        expected,
        actual: describe(magic, bytes),
    };
    match (magic, ext) {
        (Magic::Zip, Some("docx" | "docm" | "dotx")) => docx::read(bytes),
        (Magic::Zip, _) if docx::is_word_package(bytes) => docx::read(bytes),
        (Magic::Zip, Some(e @ ("pdf" | "txt" | "text" | "md" | "markdown" | "html" | "htm"))) => {
            Err(wrong(expected_of(e)))
        }
        (Magic::Pdf, _) => pdf::read(bytes),
        (Magic::Ole, Some("doc" | "wps" | "docx" | "docm" | "dotx")) | (Magic::Ole, None) => {
            Err(docx::ole_error(bytes))
        }
        (_, Some(e @ ("docx" | "docm" | "dotx"))) => Err(wrong(expected_of(e))),
        (_, Some("pdf")) => Err(wrong(expected_of("pdf"))),
        (_, Some(e)) if UNSUPPORTED_EXTENSIONS.contains(&e) => Err(InputError::Unsupported(e.to_string())),
        (Magic::Html, None) | (_, Some("html" | "htm" | "xhtml" | "shtml")) => html::read(bytes),
        (_, Some("md" | "markdown")) => markdown(bytes),
        _ => decode(bytes),
    }
}

fn expected_of(ext: &str) -> &'static str {
    match ext {
        "pdf" => " PDF 文件",
        "docx" | "docm" | "dotx" => " Word（.docx）文档",
        "html" | "htm" => "网页",
        _ => "文本",
    }
}

/// Markdown is read as text, except that ATX heading marks (`# `, `## `…)
/// are dropped: a report's outline is carried by its own markers (一、
/// （一）), and `## 一、总体情况` should be checked as `一、总体情况`.
/// Everything else (emphasis, lists) is left as written. When a mark was
/// dropped the text is no longer the file's bytes, so it is not writable.
fn markdown(bytes: &[u8]) -> Result<Decoded, InputError> {
    let mut d = decode(bytes)?;
    d.format = SourceFormat::Markdown;
    let mut out = String::with_capacity(d.text.len());
    let mut changed = false;
    for line in d.text.split_inclusive('\n') {
        match strip_atx(line) {
            Some(rest) => {
                out.push_str(rest);
                changed = true;
            }
            None => out.push_str(line),
        }
    }
    if changed {
        d.text = out;
        d.writable = false;
    }
    Ok(d)
}

fn strip_atx(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    (trimmed.len() < rest.len()).then_some(trimmed)
}

/// Extensions that are never read: refused with a pointer to what to do.
const UNSUPPORTED_EXTENSIONS: &[&str] = &[
    "doc", "wps", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z", "png", "jpg", "jpeg", "gif", "ofd", "odt", "rtf",
];

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_heading_marks_are_dropped() {
        let d = read_bytes(
            "# 关于2024年法治政府建设情况的报告\n## 一、主要举措\n正文#号\n".as_bytes(),
            Some("md"),
        )
        .unwrap();
        assert_eq!(d.text, "关于2024年法治政府建设情况的报告\n一、主要举措\n正文#号\n");
        assert_eq!(d.format, SourceFormat::Markdown);
        assert!(!d.writable);
        let d = read_bytes("一、主要举措\n#话题#\n".as_bytes(), Some("md")).unwrap();
        assert_eq!(d.text, "一、主要举措\n#话题#\n");
        assert!(d.writable);
    }

    #[test]
    fn extension_and_content_disagree() {
        let e = read_bytes("一、主要举措".as_bytes(), Some("docx")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "文件扩展名是 .docx，但内容不是 Word（.docx）文档（看起来是纯文本）"
        );
        let e = read_bytes(b"\x89PNG\r\n\x1a\n\0\0", Some("pdf")).unwrap_err();
        assert_eq!(e.to_string(), "文件扩展名是 .pdf，但内容不是 PDF 文件（看起来是图片）");
        assert!(matches!(
            read_bytes(b"x", Some("xlsx")),
            Err(InputError::Unsupported(_))
        ));
    }

    #[test]
    fn html_on_stdin_is_sniffed() {
        let page =
            "<!DOCTYPE html><html><body><div class=\"TRS_Editor\"><p>一、主要举措和成效</p><p>我局认真贯彻落实法治政府建设实施纲要。</p></div></body></html>";
        let d = read_bytes(page.as_bytes(), None).unwrap();
        assert_eq!(d.format, SourceFormat::Html);
    }

    #[test]
    fn origins_display_in_chinese() {
        assert_eq!(Origin::Paragraph(12).to_string(), "第12段");
        assert_eq!(Origin::Page(3).to_string(), "第3页");
        let mut m = SourceMap::default();
        m.push(Origin::Paragraph(1));
        m.push(Origin::Paragraph(1));
        assert_eq!(m.paragraph_of_line(2), Some(1));
        assert_eq!(m.paragraph_of_line(3), None);
        assert_eq!(m.paragraph_of_line(0), None);
    }
}
