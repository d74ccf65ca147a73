//! Input formats: Word (LibreOffice-made fixture and packages built here for
//! tricky numbering), PDF, HTML, Markdown, stdin, and hostile files, through
//! the library reader and through the binary.

use assert_cmd::Command;
use fzlint::ingest::{self, InputError, Origin, SourceFormat};
use pdf_extract::dictionary;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn fzlint() -> Command {
    let mut c = Command::cargo_bin("fzlint").unwrap();
    c.env_remove("COLUMNS").env("NO_COLOR", "1");
    c
}

fn json_of(path: &Path) -> (Value, i32) {
    let out = fzlint()
        .args(["check", "--format", "json", path.to_str().unwrap()])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (v, out.status.code().unwrap())
}

/// A zip package from (name, content) parts.
fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn docx(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let numbering = numbering.map(|n| format!(r#"<?xml version="1.0"?><w:numbering {W}>{n}</w:numbering>"#));
    let styles = styles.map(|s| format!(r#"<?xml version="1.0"?><w:styles {W}>{s}</w:styles>"#));
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", document.as_bytes())];
    if let Some(n) = &numbering {
        parts.push(("word/numbering.xml", n.as_bytes()));
    }
    if let Some(s) = &styles {
        parts.push(("word/styles.xml", s.as_bytes()));
    }
    package(&parts)
}

/// A paragraph, numbered (numId, ilvl) when given.
fn p(num: Option<(u32, u32)>, text: &str) -> String {
    let ppr = num.map_or(String::new(), |(id, l)| {
        format!(r#"<w:pPr><w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="{id}"/></w:numPr></w:pPr>"#)
    });
    format!("<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn lvl(ilvl: u32, fmt: &str, text: &str, extra: &str) -> String {
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>{extra}<w:suff w:val="tab"/></w:lvl>"#
    )
}

fn outline_numbering() -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="0">{}{}{}{}</w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
        <w:num w:numId="5"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
        lvl(0, "chineseCounting", "%1、", ""),
        lvl(1, "chineseCountingThousand", "（%2）", ""),
        lvl(2, "decimal", "%3.", r#"<w:lvlRestart w:val="1"/>"#),
        lvl(3, "decimal", "%1.%2.%4", "<w:isLgl/>"),
    )
}

fn read(bytes: &[u8]) -> Result<ingest::Decoded, InputError> {
    ingest::read_bytes(bytes, Some("docx"))
}

#[test]
fn docx_numbering_levels_restarts_and_overrides() {
    let body = [
        p(None, "关于2024年法治政府建设情况的报告"),
        p(Some((1, 0)), "主要举措和成效"),
        p(Some((1, 1)), "依法全面履行职能"),
        p(Some((1, 2)), "深化改革。"),
        p(Some((1, 1)), "严格规范执法"),
        // lvlRestart 1: level 3 restarts only after level 1, so it goes on.
        p(Some((1, 2)), "落实三项制度。"),
        p(Some((1, 3)), "法律顾问"),
        p(Some((1, 0)), "第一责任人职责"),
        p(Some((1, 1)), "带头学法"),
        p(Some((1, 2)), "集中学法。"),
        // A new num on the same abstractNum with startOverride 3 restarts level 0 at 三.
        p(Some((2, 0)), "存在的不足和原因"),
        // numId 1 again continues the shared list: 四.
        p(Some((1, 0)), "工作安排"),
        p(Some((1, 1)), "加强队伍建设"),
        p(Some((5, 1)), "重新编号"),
        p(Some((0, 0)), "numId 0 不编号"),
        p(Some((9, 0)), "未定义的编号"),
    ]
    .concat();
    let d = read(&docx(&body, Some(&outline_numbering()), None)).unwrap();
    assert_eq!(d.format, SourceFormat::Docx);
    assert!(!d.writable, "extracted Word text must never be written back");
    let lines: Vec<&str> = d.text.lines().collect();
    assert_eq!(
        lines,
        [
            "关于2024年法治政府建设情况的报告",
            "一、主要举措和成效",
            "（一）依法全面履行职能",
            "1.深化改革。",
            "（二）严格规范执法",
            "2.落实三项制度。",
            "1.2.1法律顾问",
            "二、第一责任人职责",
            "（一）带头学法",
            "1.集中学法。",
            "三、存在的不足和原因",
            "四、工作安排",
            "（一）加强队伍建设",
            "（一）重新编号",
            "numId 0 不编号",
            "未定义的编号",
        ]
    );
    let map = d.source_map.as_ref().unwrap();
    assert_eq!(map.paragraph_of_line(11), Some(11));
    assert_eq!(map.origin(1), Some(Origin::Paragraph(1)));
}

#[test]
fn docx_style_numbering_tables_breaks_and_hidden_text() {
    let numbering = format!(
        r#"<w:abstractNum w:abstractNumId="7">{}{}</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>"#,
        r#"<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:pStyle w:val="H1"/><w:lvlText w:val="%1、"/></w:lvl>"#,
        r#"<w:lvl w:ilvl="1"><w:start w:val="2"/><w:numFmt w:val="decimalEnclosedCircle"/><w:pStyle w:val="H2"/><w:lvlText w:val="%2"/></w:lvl>"#,
    );
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
        <w:style w:type="paragraph" w:styleId="H1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="H1Child"><w:basedOn w:val="H1"/></w:style>"#;
    let styled = |style: &str, text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        styled("H1", "总体情况"),
        styled("H2", "学法"),
        styled("H1Child", "主要举措"),
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>数量</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#.to_string(),
        r#"<w:p><w:r><w:t xml:space="preserve">第一行 &amp; </w:t><w:br/><w:t>第二行</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"#.to_string(),
        r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:instrText>PAGE</w:instrText><w:t>完</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    let d = read(&docx(&body, Some(&numbering), Some(styles))).unwrap();
    assert_eq!(
        d.text,
        "甲、总体情况\n②学法\n乙、主要举措\n指标\n数量\n第一行 & \n第二行插入\n框内\n完\n"
    );
    let map = d.source_map.unwrap();
    assert_eq!(map.paragraph_of_line(6), Some(6));
    assert_eq!(map.paragraph_of_line(7), Some(6), "a line break stays in its paragraph");
    assert_eq!(
        map.paragraph_of_line(8),
        Some(7),
        "a text box's paragraph comes before the one holding it"
    );
    assert_eq!(map.paragraph_of_line(9), Some(8));
}

#[test]
fn libreoffice_docx_reads_like_the_text_it_was_made_from() {
    // good_report.docx was made by LibreOffice from good_report.txt with the
    // outline markers as automatic list numbering (tests/fixtures/tools).
    let d = ingest::read_path(&fixture("good_report.docx"), ingest::DEFAULT_MAX_BYTES).unwrap();
    assert!(d
        .text
        .contains("\n一、推进法治政府建设的主要举措和成效\n（一）依法全面履行市场监管职能\n1.深化"));
    assert!(d.text.contains("\n3.落实行政执法"), "startOverride continues the level");
    let (docx, code) = json_of(&fixture("good_report.docx"));
    let (txt, _) = json_of(&fixture("good_report.txt"));
    assert_eq!(code, 0);
    let (a, b) = (&docx["files"][0], &txt["files"][0]);
    for key in ["outline", "sections", "title", "report_year", "diagnostics"] {
        assert_eq!(a[key], b[key], "{key}");
    }
}

#[test]
fn libreoffice_pdf_keeps_chinese_text_and_headings() {
    let d = ingest::read_path(&fixture("good_report.pdf"), ingest::DEFAULT_MAX_BYTES).unwrap();
    assert_eq!(d.format, SourceFormat::Pdf);
    assert!(d.text.contains("关于2024年法治政府建设情况的报告\n"));
    assert!(d.text.contains("\n（二）严格规范公正文明执法\n"));
    assert_eq!(d.source_map.unwrap().origin(1), Some(Origin::Page(1)));
    let (pdf, code) = json_of(&fixture("good_report.pdf"));
    let (txt, _) = json_of(&fixture("good_report.txt"));
    assert_eq!(code, 0, "{}", pdf);
    let (a, b) = (&pdf["files"][0], &txt["files"][0]);
    assert_eq!(a["report_year"], b["report_year"]);
    assert_eq!(a["title"]["text"], b["title"]["text"]);
    // Same headings with whole titles (a wrapped line is joined back); only
    // line numbers differ, since blank lines are not kept.
    let headings = |v: &Value| -> Vec<(Value, Value, Value)> {
        let outline = v["outline"].as_array().unwrap();
        outline
            .iter()
            .map(|h| (h["level"].clone(), h["marker"].clone(), h["title"].clone()))
            .collect()
    };
    assert_eq!(headings(a), headings(b));
    assert_eq!(a["diagnostics"], b["diagnostics"]);
    for key in ["measures", "first-responsible", "shortcomings", "next-year-plan"] {
        assert_eq!(a["sections"][key]["label"], b["sections"][key]["label"], "{key}");
    }
}

#[test]
fn html_page_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let report = std::fs::read_to_string(fixture("good_report.txt")).unwrap();
    let mut lines = report.lines();
    let (org, title) = (lines.next().unwrap(), lines.next().unwrap());
    let body: String = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<p>　　{l}</p>\n"))
        .collect();
    let page = format!(
        "<html><head><title>{title}_某县人民政府</title><script>var x='一、脚本';</script></head><body>\
         <div class=nav><a>首页</a> &gt; <a>政务公开</a></div><table><tr><td>索引号</td><td>001/2025-1</td></tr></table>\
         <h1>{org}{title}</h1><div class=\"TRS_Editor\">{body}</div><div class=foot>主办单位：某县人民政府</div></body></html>"
    );
    let path = dir.path().join("report.html");
    std::fs::write(&path, &page).unwrap();
    let (v, code) = json_of(&path);
    assert_eq!(code, 0, "{v}");
    let f = &v["files"][0];
    assert_eq!(f["report_year"], 2024);
    for key in ["measures", "first-responsible", "shortcomings", "next-year-plan"] {
        assert_eq!(f["sections"][key]["as_heading"], true, "{key}");
    }
    // The same page on stdin is recognised as HTML.
    let out = fzlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(page)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn markdown_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let report = std::fs::read_to_string(fixture("good_report.txt")).unwrap();
    let md = report.replace("\n一、", "\n## 一、").replace("\n二、", "\n## 二、");
    let path = dir.path().join("report.md");
    std::fs::write(&path, md).unwrap();
    let (v, code) = json_of(&path);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["files"][0]["sections"]["measures"]["as_heading"], true);
}

#[test]
fn directories_pick_up_every_readable_format() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["good_report.docx", "good_report.pdf", "good_report.txt"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("~$od_report.docx"), b"lock").unwrap();
    let out = fzlint()
        .args(["check", "--format", "json", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 3);
    assert_eq!(out.status.code(), Some(0));
}

/// Each hostile input: one line on stderr naming the file, exit 2, no panic.
fn refused(name: &str, bytes: &[u8], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = fzlint().args(["check", path.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
    assert!(stderr.contains(expect), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
}

#[test]
fn zip_bomb_is_refused_within_the_cap() {
    // 64 MiB of spaces deflate to about 64 KiB.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("word/document.xml", SimpleFileOptions::default()).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        w.write_all(&chunk).unwrap();
    }
    let bytes = w.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20);
    assert!(matches!(read(&bytes), Err(InputError::Bomb { .. })));
    refused("bomb.docx", &bytes, "疑似压缩炸弹");
}

#[test]
fn hostile_word_files() {
    let deep = format!("{}{}", "<w:sdt>".repeat(400), "</w:sdt>".repeat(400));
    let bytes = docx(&deep, None, None);
    assert_eq!(read(&bytes).unwrap_err(), InputError::TooDeep(256));
    refused("deep.docx", &bytes, "嵌套超过 256 层");

    let good = std::fs::read(fixture("good_report.docx")).unwrap();
    refused("truncated.docx", &good[..good.len() / 2], "Word 文档已损坏或不完整");

    // Zip-level encryption: set the "encrypted" flag of the entries.
    let mut enc = docx(&p(None, "正文"), None, None);
    for (sig, off) in [(b"PK\x03\x04", 6), (b"PK\x01\x02", 8)] {
        let mut i = 0;
        while let Some(at) = enc[i..].windows(4).position(|w| w == sig) {
            enc[i + at + off] |= 1;
            i += at + 4;
        }
    }
    refused("zipcrypto.docx", &enc, "已加密");

    // Office encryption wraps the package in an OLE container.
    let mut ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    ole.resize(512, 0);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(2048, 0);
    refused("encrypted.docx", &ole, "已加密");
    let mut legacy = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    legacy.resize(2048, 0);
    refused("old.docx", &legacy, "旧版 Word");

    refused(
        "text.docx",
        "一、主要举措和成效".as_bytes(),
        "内容不是 Word（.docx）文档（看起来是纯文本）",
    );
    let xlsx = package(&[
        ("xl/workbook.xml", b"<workbook/>"),
        ("[Content_Types].xml", b"<Types/>"),
    ]);
    refused("sheet.docx", &xlsx, "看起来是Excel 表格");
    let broken_xml = package(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    refused("badxml.docx", &broken_xml, "不是有效的 XML");
}

#[test]
fn hostile_and_unreadable_pdfs() {
    refused(
        "text.pdf",
        "一、主要举措和成效".as_bytes(),
        "内容不是 PDF 文件（看起来是纯文本）",
    );
    refused("broken.pdf", b"%PDF-1.7\n1 0 obj <<", "PDF 文件已损坏");
    let good = std::fs::read(fixture("good_report.pdf")).unwrap();
    refused("truncated.pdf", &good[..good.len() / 3], "PDF");
    refused("scan.pdf", &pdf_with(b"0 0 m 100 100 l S", None), "没有可提取的文字层");
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "SimSun",
        "Encoding" => "Identity-H",
    };
    refused(
        "nomap.pdf",
        &pdf_with(b"BT /F1 12 Tf 72 700 Td <00010002> Tj ET", Some(font)),
        "没有到 Unicode 的映射",
    );
}

/// A one-page PDF with `content` and an optional font /F1.
fn pdf_with(content: &[u8], font: Option<pdf_extract::Dictionary>) -> Vec<u8> {
    use pdf_extract::{Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut resources = dictionary! {};
    if let Some(font) = font {
        let font_id = doc.add_object(font);
        resources.set("Font", dictionary! { "F1" => font_id });
    }
    let resources_id = doc.add_object(resources);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn outline_rules_see_word_numbering() {
    // Word's "set numbering value" to 三 right after 一: the reader sees 一、 then 三、.
    let report = std::fs::read_to_string(fixture("good_report.txt")).unwrap();
    let body: String = report
        .lines()
        .map(|l| {
            if let Some(rest) = l.strip_prefix("一、") {
                p(Some((1, 0)), rest)
            } else if let Some(rest) = l.strip_prefix("二、") {
                p(Some((2, 0)), rest)
            } else if l.starts_with("三、") || l.starts_with("四、") {
                p(Some((1, 0)), &l[6..])
            } else {
                p(None, l)
            }
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("skipped.docx");
    std::fs::write(&path, docx(&body, Some(&outline_numbering()), None)).unwrap();
    let (v, code) = json_of(&path);
    assert_eq!(code, 1, "{v}");
    let markers: Vec<&str> = v["files"][0]["outline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["level"] == 1)
        .map(|h| h["marker"].as_str().unwrap())
        .collect();
    assert_eq!(markers, ["一、", "三、", "四、", "五、"]);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["rule"] == "heading-sequence" && d["line"] == 17),
        "{diags:?}"
    );
}

#[test]
fn word_findings_name_the_paragraph_and_fix_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let body = [
        p(None, "关于2024年法治政府建设情况的报告"),
        p(None, ""),
        p(None, "一、主要举措和成效"),
        p(None, "全年开展执法检查120次,发现问题均已整改。"),
    ]
    .concat();
    let path = dir.path().join("report.docx");
    let bytes = docx(&body, None, None);
    std::fs::write(&path, &bytes).unwrap();
    let out = fzlint().args(["check", path.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // The half-width comma stands in the fourth Word paragraph.
    assert!(text.contains("（原文第4段）"), "{text}");

    let out = fzlint()
        .args(["check", "--fix", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("不会被改写"), "{stderr}");
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("+全年开展执法检查120次，"));
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the .docx must not change");
}
