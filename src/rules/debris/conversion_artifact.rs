use crate::finding::{Finding, Severity};
use crate::rules::typography::scan::Prefilter;
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock, RwLock};

pub struct ConversionArtifact;

static META: RuleMeta = RuleMeta {
    id: "conversion-artifact",
    category: Category::Typography,
    severity: Severity::Error,
    fixable: false,
    summary: "Word 或网页转换残留：书签标记、网页导航和索引信息、控制字符等",
    docs: Docs {
        what: "查找不属于报告正文的残留内容：Word 书签“[bookmark: _GoBack]”、域代码、网页的导航栏和“索引号/发布机构”等索引元数据、“扫一扫在手机打开当前页”、HTML 标签和实体、控制字符与零宽字符。网页页面的导航和元数据按块报告一次。",
        why: "这些内容是从 Word 或政府网站复制时带入的，公开出去会显得粗糙；它们还会干扰标题、编号的识别。",
        bad: "关于2024年法治政府建设情况的报告\n[bookmark: _GoBack]（三）加强重点领域监管。\n扫一扫在手机打开当前页\n",
        good: "关于2024年法治政府建设情况的报告\n（三）加强重点领域监管。\n",
        basis: "GB/T 9704-2012《党政机关公文格式》对公文版面的要求；政府信息公开应发布规范的正式文本。",
    },
};

impl Rule for ConversionArtifact {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        for block in &cx.facts.chrome {
            let n = block.lines.len();
            let message = if n > 1 {
                format!("网页残留内容（{}），共 {} 行", block.what.join("、"), n)
            } else {
                format!("网页残留内容（{}）", block.what.join("、"))
            };
            out.push(
                Finding::new(META.id, META.severity, block.span, message)
                    .label("不属于报告正文")
                    .help("删除从网页复制带入的导航、索引信息和页面提示，只保留报告正文"),
            );
        }
        // Inline debris: each pattern runs once over the whole text, unless
        // the text holds none of the bytes its matches start with.
        let mut hits: Vec<(Span, &str, &str)> = Vec::new();
        for p in &cx.kb.debris.inline {
            let spans = match prefilter(p.regex.as_str()).as_deref() {
                Some(Prefilter::FirstBytes(b)) if !b.any_in(doc.text.as_bytes()) => continue,
                Some(Prefilter::OneOf(one)) => one.find(&doc.text),
                _ => None,
            };
            if let Some(spans) = spans {
                for (start, end) in spans {
                    let span = Span::new(start, end);
                    if !cx.facts.is_chrome(doc.line_of(span.start)) {
                        hits.push((span, p.what.as_str(), doc.slice(span)));
                    }
                }
                continue;
            }
            for m in p.regex.find_iter(&doc.text) {
                let span = Span::new(m.start(), m.end());
                if !cx.facts.is_chrome(doc.line_of(span.start)) {
                    hits.push((span, p.what.as_str(), m.as_str()));
                }
            }
        }
        for line in &doc.lines {
            for &d in &line.debris {
                hits.push((d, "方括号标记", doc.slice(d)));
            }
        }
        hits.sort_by_key(|h| (h.0.start, std::cmp::Reverse(h.0.end)));
        let mut last_end = 0;
        for (span, what, matched) in hits {
            if span.start < last_end {
                continue; // overlaps a hit already reported
            }
            last_end = span.end;
            out.push(
                Finding::new(
                    META.id,
                    META.severity,
                    span,
                    format!("转换残留：{}“{}”", what, shown(matched)),
                )
                .label("残留内容")
                .help("删除这段残留内容"),
            );
        }
    }
}

/// The prefilter of `pattern` (see [`Prefilter::of`]), worked out once per
/// pattern.
fn prefilter(pattern: &str) -> Option<Arc<Prefilter>> {
    type Cache = RwLock<FxHashMap<String, Option<Arc<Prefilter>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(known) = cache.read().ok().and_then(|c| c.get(pattern).cloned()) {
        return known;
    }
    let made = Prefilter::of(pattern).map(Arc::new);
    if let Ok(mut c) = cache.write() {
        c.insert(pattern.to_string(), made.clone());
    }
    made
}

/// Invisible and control characters are shown escaped; other debris as written.
fn shown(matched: &str) -> String {
    let invisible =
        |c: char| c.is_control() || ('\u{200b}'..='\u{2060}').contains(&c) || c == '\u{fffc}' || c == '\u{fffd}';
    if matched.chars().all(invisible) {
        matched.chars().flat_map(char::escape_default).take(40).collect()
    } else {
        matched.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{lines, run};

    #[test]
    fn bookmark_and_page_hint() {
        let f = run(&ConversionArtifact, META.docs.bad);
        assert_eq!(lines(META.docs.bad, &f), vec![2, 3]);
        assert!(f[0].message.contains("书签"), "{}", f[0].message);
    }

    #[test]
    fn web_header_is_one_block() {
        let text = "中国政府网 | 某市人民政府网 区政府 网站专栏\n| 无障碍 | | 注册 网站支持IPv6\n首页 政务公开 互动交流\n\n您当前位置: 首页>部门>法治政府建设年度报告\n[ 索引号 ] 1150/2026-00005 [ 发文字号 ]\n[ 发布机构 ] 某区卫生健康委\n\n关于2025年法治政府建设情况的报告\n";
        let f = run(&ConversionArtifact, text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("7 行"), "{}", f[0].message);
    }

    #[test]
    fn control_characters_and_entities() {
        let text = "关于2024年法治政府建设情况的报告\n全年检查\u{200b}120次&nbsp;。\n";
        assert_eq!(run(&ConversionArtifact, text).len(), 2);
    }

    #[test]
    fn ordinary_brackets_are_not_debris() {
        let text = "关于2024年法治政府建设情况的报告\n依据《行政处罚法》[2021]和“三项制度”开展执法。\n";
        assert!(run(&ConversionArtifact, text).is_empty());
    }
}
