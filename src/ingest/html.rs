//! A web page saved from a government site to text: the report body is
//! found, and the page around it (scripts, styles, navigation, the index
//! metadata table, footers) is dropped without a word: it belongs to the
//! page, not to the report. Debris inside the body is kept, so the rules
//! still report it.
//!
//! The body is the first of the content containers common CMSs use (TRS
//! `TRS_Editor`, `#zoom`, `.article`, …) that holds Chinese text, else the
//! element with the most text in paragraphs directly under it. Block
//! elements (p, div, br, li, h1–h6, tr, …) become lines; table cells of a
//! row are separated by a tab. The page's title (`<h1>`, `ArticleTitle`,
//! `<title>`) is put first when the body does not begin with it, because
//! CMSs show the report's title above the editor container.
//!
//! Parsing is html5ever's (through `scraper`), and every walk over the tree
//! is iterative, so deep or broken markup costs no stack.

use super::{decode, is_cjk, Decoded, InputError, SourceFormat};
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

/// Containers of the article body in common government CMSs, most specific first.
const BODY_SELECTORS: &[&str] = &[
    ".TRS_Editor",
    ".TRS_UEDITOR",
    "#zoom",
    "#UCAP-CONTENT",
    ".pages_content",
    "#fontzoom",
    ".article-content",
    ".article_content",
    ".news_content",
    ".content_text",
    ".wzcon",
    ".article",
    "article",
    "#content",
    ".content",
];

/// Title candidates outside the body, in order.
const TITLE_SELECTORS: &[&str] = &[
    "meta[name=\"ArticleTitle\"]",
    "h1",
    ".article-title",
    ".title",
    "#title",
    "h2",
    "title",
];

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "svg", "head", "select", "button", "input",
    "textarea",
];

const BLOCK: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "tbody",
    "thead",
    "section",
    "article",
    "main",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "pre",
    "center",
    "header",
    "footer",
    "form",
    "hr",
    "address",
    "figure",
    "figcaption",
    "caption",
];

/// Children whose text counts as the parent's own paragraphs when scoring.
const PARAGRAPHISH: &[&str] = &[
    "p", "span", "font", "strong", "b", "em", "i", "u", "br", "h1", "h2", "h3", "h4", "h5", "h6", "center",
];

/// Deepest tag nesting accepted (html5ever's tree building slows down with
/// depth; real pages stay far below this).
pub const MAX_NESTING: usize = 2048;

pub fn read(bytes: &[u8]) -> Result<Decoded, InputError> {
    let decoded = decode(bytes)?;
    if nesting(&decoded.text) > MAX_NESTING {
        return Err(InputError::HtmlNoBody(format!(
            "标签嵌套超过 {MAX_NESTING} 层，网页结构异常"
        )));
    }
    let page = Html::parse_document(&decoded.text);
    let body = find_body(&page).ok_or_else(|| InputError::HtmlNoBody("页面里没有成段的中文文字".into()))?;
    let mut lines = render(body);
    if let Some(title) = page_title(&page, body) {
        let head: Vec<&String> = lines.iter().filter(|l| !l.is_empty()).take(5).collect();
        if !head
            .iter()
            .any(|l| l.contains(&title) || title.contains(l.as_str()) && l.chars().count() > 6)
        {
            lines.insert(0, String::new());
            lines.insert(0, title);
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    if text.trim().is_empty() {
        return Err(InputError::HtmlNoBody("正文为空".into()));
    }
    Ok(Decoded {
        text,
        encoding: decoded.encoding,
        format: SourceFormat::Html,
        writable: false,
        source_map: None,
    })
}

/// An upper estimate of tag nesting, from a scan of the markup: opening
/// tags count up and closing tags down, except void elements and the ones
/// HTML closes by itself (p, li, td, …).
fn nesting(html: &str) -> usize {
    const SELF_CLOSING: &[&str] = &[
        "p", "li", "td", "th", "tr", "dt", "dd", "option", "br", "img", "hr", "meta", "link", "input", "area", "base",
        "col", "embed", "source", "track", "wbr", "param",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'<') {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            i = super::find(&bytes[i..], b"-->").map_or(bytes.len(), |n| i + n);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| start + n);
        if end == start {
            continue;
        }
        let name = html[start..end].to_ascii_lowercase();
        if !closing && (name == "script" || name == "style") {
            // Their text is not markup: `a<b` in a script is no tag.
            let mut j = end;
            i = loop {
                match super::find(&bytes[j..], b"</") {
                    Some(n)
                        if bytes[j + n + 2..].len() >= name.len()
                            && bytes[j + n + 2..j + n + 2 + name.len()].eq_ignore_ascii_case(name.as_bytes()) =>
                    {
                        break j + n
                    }
                    Some(n) => j += n + 2,
                    None => break bytes.len(),
                }
            };
            continue;
        }
        if SELF_CLOSING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if bytes[end..]
            .iter()
            .take_while(|&&b| b != b'>')
            .last()
            .is_none_or(|&b| b != b'/')
        {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

fn cjk_count(s: &str) -> usize {
    s.chars().filter(|&c| is_cjk(c)).count()
}

fn find_body(page: &Html) -> Option<ElementRef<'_>> {
    // A container counts only when it holds at least half the text of the
    // largest text block: `.content` or `.article` may also name a sidebar.
    let fallback = largest_block(page);
    let floor = fallback.map_or(0, visible_cjk) / 2;
    for sel in BODY_SELECTORS {
        let Ok(selector) = Selector::parse(sel) else { continue };
        let best = page
            .select(&selector)
            .map(|e| (visible_cjk(e), e))
            .max_by_key(|(n, _)| *n);
        if let Some((n, e)) = best {
            if n >= 20 && n >= floor {
                return Some(e);
            }
        }
    }
    fallback
}

/// Chinese characters in `e` outside scripts and styles.
fn visible_cjk(e: ElementRef<'_>) -> usize {
    let mut skip = 0usize;
    let mut n = 0usize;
    for edge in e.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) if skip > 0 || SKIP.contains(&el.name()) => skip += 1,
                Node::Text(t) if skip == 0 => n += cjk_count(t),
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().is_element() && skip > 0 {
                    skip -= 1;
                }
            }
        }
    }
    n
}

/// The element whose direct paragraphs hold the most Chinese text.
fn largest_block(page: &Html) -> Option<ElementRef<'_>> {
    let mut best: Option<(usize, ElementRef<'_>)> = None;
    for node in page.tree.root().descendants() {
        let Some(e) = ElementRef::wrap(node) else { continue };
        if !matches!(e.value().name(), "div" | "td" | "article" | "section" | "main" | "body") {
            continue;
        }
        let mut score = 0usize;
        for child in node.children() {
            match child.value() {
                Node::Text(t) => score += cjk_count(t),
                Node::Element(el) if PARAGRAPHISH.contains(&el.name()) => {
                    score += ElementRef::wrap(child).map_or(0, visible_cjk);
                }
                _ => {}
            }
        }
        if score > best.map_or(0, |(s, _)| s) {
            best = Some((score, e));
        }
    }
    best.filter(|(s, _)| *s >= 20).map(|(_, e)| e)
}

/// The lines of `body`: blocks as lines, whitespace collapsed, no empty lines.
fn render(body: ElementRef<'_>) -> Vec<String> {
    let mut raw: Vec<String> = vec![String::new()];
    let mut skip = 0usize;
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if skip > 0 || SKIP.contains(&name) {
                        skip += 1;
                    } else if name == "br" || BLOCK.contains(&name) {
                        raw.push(String::new());
                    } else if matches!(name, "td" | "th") {
                        let line = raw.last_mut().expect("never empty");
                        if !line.trim().is_empty() {
                            line.push('\t');
                        }
                    }
                }
                Node::Text(t) if skip == 0 => {
                    let line = raw.last_mut().expect("never empty");
                    for c in t.chars() {
                        if c.is_ascii_whitespace() || c == '\u{a0}' {
                            if !line.ends_with(' ') && !line.ends_with('\t') {
                                line.push(' ');
                            }
                        } else {
                            line.push(c);
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                    } else if BLOCK.contains(&el.name()) {
                        raw.push(String::new());
                    }
                }
            }
        }
    }
    // Indentation (full-width spaces, &nbsp;) is layout; empty blocks
    // (`<p>&nbsp;</p>`) are spacing.
    raw.into_iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The report's title shown by the page outside the body, if any.
fn page_title(page: &Html, body: ElementRef<'_>) -> Option<String> {
    for sel in TITLE_SELECTORS {
        let Ok(selector) = Selector::parse(sel) else { continue };
        for e in page.select(&selector) {
            if body.descendent_elements().any(|d| d.id() == e.id()) {
                continue;
            }
            let text = match e.value().name() {
                "meta" => e.attr("content").unwrap_or_default().to_string(),
                _ => e.text().collect::<String>(),
            };
            let mut title = text.split_whitespace().collect::<Vec<_>>().join("");
            if e.value().name() == "title" {
                // "报告标题_某某区人民政府" / "报告标题-某某网": keep the first part.
                if let Some(i) = title.find(['_', '|']) {
                    title.truncate(i);
                }
            }
            if title.contains("报告") && cjk_count(&title) >= 6 && title.chars().count() <= 80 {
                return Some(title);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8">
<title>某县司法局关于2024年法治政府建设情况的报告_某县人民政府</title>
<meta name="ArticleTitle" content="某县司法局关于2024年法治政府建设情况的报告">
<style>.x{color:red}</style><script>var a = "一、不是正文";</script></head>
<body><div class="nav"><ul><li><a href="/">首页</a></li><li><a>政务公开</a></li><li><a>法治政府建设年度报告</a></li></ul></div>
<table class="xxgk"><tr><td>索引号</td><td>11500111MB1501/2025-00005</td></tr><tr><td>发布机构</td><td>某县司法局</td></tr></table>
<h1>某县司法局关于2024年法治政府建设情况的报告</h1>
<div class="TRS_Editor"><p>　　2024年，我局坚持以习近平法治思想为指导，全面推进依法行政。</p>
<p><strong>一、主要举措和成效</strong></p><p>（一）依法全面履行职能。<br>全年办理行政许可120件。</p>
<table><tr><td>项目</td><td>数量</td></tr></table><p>&nbsp;</p><script>ignored()</script>
<p>点击量：123</p></div><div class="footer">版权所有：某县人民政府 主办单位</div></body></html>"#;

    #[test]
    fn body_and_title_are_found_page_is_dropped() {
        let d = read(PAGE.as_bytes()).unwrap();
        assert_eq!(
            d.text,
            "某县司法局关于2024年法治政府建设情况的报告\n\n2024年，我局坚持以习近平法治思想为指导，全面推进依法行政。\n一、主要举措和成效\n（一）依法全面履行职能。\n全年办理行政许可120件。\n项目\t数量\n点击量：123\n"
        );
        assert!(!d.writable);
        assert_eq!(d.format, SourceFormat::Html);
    }

    #[test]
    fn largest_text_block_without_a_known_container() {
        let page = "<html><body><div id=nav><a>首页</a><a>新闻中心</a></div><div id=main><div class=x>\
            <p>一、主要举措和成效</p><p>我局认真贯彻落实法治政府建设实施纲要，依法全面履行职能。</p></div></div>\
            <div id=foot>网站标识码：1234 主办单位：某县人民政府办公室</div></body></html>";
        let d = read(page.as_bytes()).unwrap();
        assert_eq!(
            d.text,
            "一、主要举措和成效\n我局认真贯彻落实法治政府建设实施纲要，依法全面履行职能。\n"
        );
    }

    #[test]
    fn a_sidebar_named_like_a_container_does_not_win() {
        let page = "<html><body><div class=article><p>热点推荐：关于开展法治宣传月活动的通知公告</p></div>\
            <div id=main><p>一、主要举措和成效</p><p>我局认真贯彻落实法治政府建设实施纲要，依法全面履行职能，\
            全面推行行政执法三项制度，全年办理行政许可一百二十件。</p></div></body></html>";
        let d = read(page.as_bytes()).unwrap();
        assert!(d.text.starts_with("一、主要举措和成效\n"), "{}", d.text);
    }

    #[test]
    fn a_page_without_text_is_refused_and_deep_nesting_is_fine() {
        assert!(matches!(
            read(b"<html><body><img src=x></body></html>"),
            Err(InputError::HtmlNoBody(_))
        ));
        let deep = format!(
            "{}<p>一、主要举措和成效。我局认真贯彻落实法治政府建设实施纲要。</p>",
            "<div>".repeat(500)
        );
        assert!(read(deep.as_bytes()).is_ok());
    }
}
