use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::numbers::{NumberRules, Quantity};
use crate::rules::consistency::{is_sentence_end, show, text_units};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct SumMismatch;

static META: RuleMeta = RuleMeta {
    id: "sum-mismatch",
    category: Category::Consistency,
    severity: Severity::Error,
    fixable: false,
    summary: "合计数与分项数矛盾：分项之和超过合计，或括号内的完整分项加起来不等于合计",
    docs: Docs {
        what: "核对两种写法的合计与分项：一是紧跟在数字后的括号分项（“培训5次（线下2次、线上3次）”），括号内逐项列全时各项之和必须等于合计；二是“共检查2107户次，其中公共场所529户次、……”这类“其中”分项，分项之和不得超过合计（“其中”只列了一部分、加起来小于合计是正常的）。只比较单位相同的精确数字，带“余”“约”“以上”等的约数不参与核对。",
        why: "合计与分项对不上，说明统计口径混乱或数字录入有误；法治政府建设年度报告要向社会公开，前后矛盾的数字会直接损害报告的可信度。",
        bad: "（一）加强执法培训。全年开展执法人员培训5次（线下3次、线上3次），累计参训370人次。\n",
        good: "（一）加强执法培训。全年开展执法人员培训5次（线下2次、线上3次），累计参训370人次。\n",
        basis: "《党政机关公文处理工作条例》（中办发〔2012〕14号）第十九条：公文起草应当“一切从实际出发，分析问题实事求是”，做到“表述准确”；参照《中华人民共和国统计法》第一条保障统计资料真实性、准确性的要求。",
    },
};

impl Rule for SumMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let rules = NumberRules::builtin();
        let numbers = doc.numbers();
        for unit in text_units(cx) {
            let qs = numbers.within(unit);
            for total in qs {
                if !total.countable() {
                    continue;
                }
                let mut after = &doc.text[total.span.end..unit.end];
                if after.starts_with('（') || after.starts_with('(') {
                    if let Some(f) = parenthetical(doc, rules, total, unit.end) {
                        out.push(f);
                        continue;
                    }
                    // `28起（1起正在办理中），其中…`: the breakdown may follow the brackets.
                    match after.find(['）', ')']) {
                        Some(k) if !after[..k].contains(is_sentence_end) => {
                            after = &after[k + after[k..].chars().next().map_or(1, char::len_utf8)..];
                        }
                        _ => continue,
                    }
                }
                if let Some(rest) = after
                    .strip_prefix('，')
                    .or_else(|| after.strip_prefix(','))
                    .and_then(|r| r.strip_prefix("其中"))
                {
                    let start = unit.end - rest.len();
                    // To the sentence end, 300 characters at most (bounded: linear).
                    let end = rest
                        .char_indices()
                        .take(300)
                        .find(|(_, c)| is_sentence_end(*c))
                        .map_or_else(
                            || rest.char_indices().nth(300).map_or(unit.end, |(k, _)| start + k),
                            |(k, _)| start + k,
                        );
                    if let Some(f) = breakdown(doc, rules, total, Span::new(start, end)) {
                        out.push(f);
                    }
                }
            }
        }
    }
}

/// A part of a breakdown: the first quantity of a segment with the total's unit.
struct Part<'a> {
    q: &'a Quantity,
}

/// Segments of `span` split at 、，,；; outside brackets: (span, separator after it).
fn segments(text: &str, span: Span) -> Vec<(Span, Option<char>)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = span.start;
    for (k, c) in text[span.start..span.end].char_indices() {
        let at = span.start + k;
        match c {
            '（' | '(' | '“' | '《' | '〔' | '【' => depth += 1,
            '）' | ')' | '”' | '》' | '〕' | '】' => depth -= 1,
            '、' | '，' | ',' | '；' | ';' if depth <= 0 => {
                out.push((Span::new(start, at), Some(c)));
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((Span::new(start, span.end), None));
    out
}

/// The first quantity of a segment with the total's unit (at bracket depth 0).
fn part_in<'a>(doc: &'a Document, total: &Quantity, seg: Span) -> Option<&'a Quantity> {
    doc.numbers().within(seg).iter().find(|q| {
        q.unit == total.unit
            && matches!(
                q.kind,
                crate::numbers::UnitKind::Count | crate::numbers::UnitKind::Money
            )
    })
}

fn contains_any(s: &str, words: &[String]) -> bool {
    words.iter().any(|w| s.contains(w.as_str()))
}

fn starts_with_any(s: &str, words: &[String]) -> bool {
    let s = s.trim_start();
    words.iter().any(|w| s.starts_with(w.as_str()))
}

/// `培训5次（线下2次、线上3次）`: a full breakdown must add up, a partial one
/// (其中/含/…等) must not exceed the total.
fn parenthetical(doc: &Document, rules: &NumberRules, total: &Quantity, limit: usize) -> Option<Finding> {
    let text = &doc.text;
    let open = total.span.end;
    let inner_start = open + text[open..].chars().next()?.len_utf8();
    let close = text[inner_start..limit]
        .char_indices()
        .find(|(_, c)| matches!(c, '）' | ')' | '（' | '(' | '。'))
        .filter(|(_, c)| matches!(c, '）' | ')'))
        .map(|(k, _)| inner_start + k)?;
    let inner = Span::new(inner_start, close);
    let inner_text = doc.slice(inner);
    if contains_any(inner_text, &rules.not_a_part) {
        return None;
    }
    let partial = starts_with_any(inner_text, &rules.partial_markers)
        || inner_text.trim_end().ends_with('等')
        || inner_text.contains("其中");
    let segs = segments(text, inner);
    let seps: Vec<char> = segs.iter().filter_map(|s| s.1).collect();
    let uniform = seps.windows(2).all(|w| w[0] == w[1]);
    let mut parts = Vec::new();
    let mut all_parts = true;
    let mut after_comma = false;
    for (seg, sep) in &segs {
        let seg_text = doc.slice(*seg);
        if after_comma && !parts.is_empty() && starts_with_any(seg_text, &rules.sum_break_words) {
            all_parts = false;
            break;
        }
        after_comma = matches!(sep, Some('，' | ',' | '；' | ';'));
        match part_in(doc, total, *seg) {
            Some(q) => parts.push(Part { q }),
            None => all_parts = false,
        }
    }
    let full = !partial && all_parts && uniform && parts.len() >= 2 && parts.iter().all(|p| p.q.exact());
    judge(doc, total, &parts, full, inner)
}

/// `检查2107户次，其中公共场所529户次、…`: the parts after 其中 must not
/// exceed the total. The breakdown ends at the sentence end, at a nested
/// 其中, or at a comma that starts another dimension (办结, 合格 …).
fn breakdown(doc: &Document, rules: &NumberRules, total: &Quantity, span: Span) -> Option<Finding> {
    let mut parts = Vec::new();
    let mut after_comma = false;
    for (seg, sep) in segments(&doc.text, span) {
        let seg_text = doc.slice(seg);
        // Parts joined by 、 belong together; after a comma a new dimension may start.
        if seg_text.contains("其中")
            || contains_any(seg_text, &rules.not_a_part)
            || (after_comma && !parts.is_empty() && starts_with_any(seg_text, &rules.sum_break_words))
        {
            break;
        }
        after_comma = matches!(sep, Some('，' | ',' | '；' | ';'));
        if let Some(q) = part_in(doc, total, seg) {
            parts.push(Part { q });
        }
    }
    judge(doc, total, &parts, false, span)
}

fn judge(doc: &Document, total: &Quantity, parts: &[Part], full: bool, region: Span) -> Option<Finding> {
    if parts.is_empty() {
        return None;
    }
    // A part equal to the total (其中网上办理3245件、即办件1200件) means the
    // breakdown runs along several dimensions: nothing to add up.
    if !full && parts.len() >= 2 && parts.iter().any(|p| p.q.value == total.value) {
        return None;
    }
    let decimals = parts
        .iter()
        .map(|p| p.q.decimals)
        .chain([total.decimals])
        .max()
        .unwrap_or(0);
    let unit_scale = 10f64.powi(decimals as i32);
    // Sum in units of the smallest decimal written, so that 0.1 + 0.2 is exact.
    let scaled = |v: f64| (v * unit_scale).round();
    let sum: f64 = parts.iter().map(|p| scaled(p.q.value)).sum();
    let t = scaled(total.value);
    let exceeds = sum > t;
    let differs = full && sum != t;
    if !exceeds && !differs {
        return None;
    }
    let unit = &total.unit;
    let terms: Vec<String> = parts.iter().map(|p| show(p.q.value, p.q.decimals)).collect();
    let sum_shown = show(sum / unit_scale, decimals);
    let total_shown = doc.slice(total.number).to_string();
    let approx = if parts.iter().any(|p| !p.q.exact()) {
        "至少"
    } else {
        ""
    };
    let message = if exceeds && !full {
        format!(
            "分项之和超过合计：合计{total_shown}{unit}，分项相加{approx}为{sum_shown}{unit}（{}）",
            terms.join("+")
        )
    } else {
        format!(
            "分项与合计不符：合计{total_shown}{unit}，逐项列出的分项相加为{sum_shown}{unit}（{}）",
            terms.join("+")
        )
    };
    let mut f = Finding::new(META.id, META.severity, total.span, message)
        .label(format!("合计{total_shown}{unit}"))
        .help("核对合计数和各分项数，改正录入错误；若分项只列了一部分，请用“其中”并确保分项之和不超过合计");
    if let (Some(first), Some(last)) = (parts.first(), parts.last()) {
        let span = Span::new(first.q.span.start, last.q.span.end.max(first.q.span.end));
        let span = if span.end <= region.end { span } else { first.q.span };
        f = f.with_label(span, format!("分项相加为{sum_shown}{unit}"));
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::consistency::corpus;
    use crate::rules::testing::run;

    fn messages(text: &str) -> Vec<String> {
        run(&SumMismatch, text).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn parenthetical_breakdowns() {
        assert_eq!(
            messages(META.docs.bad),
            vec!["分项与合计不符：合计5次，逐项列出的分项相加为6次（3+3）"]
        );
        assert!(messages(META.docs.good).is_empty());
        assert_eq!(
            messages("开展培训10次（线下2次、线上3次）。"),
            vec!["分项与合计不符：合计10次，逐项列出的分项相加为5次（2+3）"]
        );
        // A partial list in brackets may sum to less, never to more.
        assert!(messages("开展检查50次（其中联合检查20次、夜查10次）。").is_empty());
        assert_eq!(messages("开展检查50次（其中联合检查40次、夜查20次）。").len(), 1);
        assert!(messages("开展培训5次（累计参训370人次）。").is_empty());
        assert!(messages("监督医疗卫生机构866户（完成率100%）。").is_empty());
        assert!(messages("行政处罚28起（1起正在办理中）。").is_empty());
        assert!(messages("全年立案30件（较上年减少45件）。").is_empty());
        assert!(messages("本年培训5次（累计培训30次）。").is_empty());
        assert!(messages("受理案件100件，其中行政许可60件、较上年增加50件。").is_empty());
        assert_eq!(
            messages("发生行政复议案件2件（维持1件、终止2件），行政诉讼1件。").len(),
            1
        );
        assert!(messages("发生行政复议案件2件（维持1件、终止1件），行政诉讼1件。").is_empty());
    }

    #[test]
    fn breakdowns_after_qizhong() {
        let ok = "共计监督检查被监管单位2107户次，其中公共场所529户次、生活饮用水38户次、职业卫生134户次、放射诊疗17户次、学校卫生104户次、医疗卫生632户次、传染病防治635户次、妇幼健康18户次、监督覆盖率93%。";
        assert!(messages(ok).is_empty());
        let bad = ok.replace("134户次", "139户次");
        assert_eq!(
            messages(&bad),
            vec!["分项之和超过合计：合计2107户次，分项相加为2112户次（529+38+139+17+104+632+635+18）"]
        );
        assert!(messages("主动公开各类信息5548条，其中行政许可3706条，行政处罚259条。").is_empty());
        assert_eq!(
            messages("主动公开各类信息5548条，其中行政许可5290条，行政处罚259条。").len(),
            1
        );
        assert_eq!(messages("上报聚集性事件7起，其中突发公共卫生事件10起。").len(), 1);
        // Money with decimals.
        assert!(messages("罚没款共计326.5万元，其中罚款300.2万元、没收违法所得26.3万元。").is_empty());
        assert_eq!(
            messages("罚没款共计326.5万元，其中罚款300.2万元、没收违法所得26.4万元。").len(),
            1
        );
    }

    #[test]
    fn other_units_other_dimensions_and_approximations_pass() {
        for t in [
            "引进各类人才110人，其中硕士研究生学历45名、高级职称专家5人。",
            "办理事项212件，其中公共场所卫生许可证111件、医疗机构审批、校验换证56件、诊所备案3所、放射诊疗许可证4件、老年优待证19个、生活饮用水卫生许可证8件，独生子女证补办11件。",
            "受理投诉50件，其中医疗纠纷30件、服务态度20件，办结50件，办结率100%。",
            "审结126件，其中维持78件、撤销12件，均在法定期限内审结126件。",
            "开展活动100余场，其中线上60场、线下50场。",
            "全年下达行政处罚决定310件，罚没118.49万元。其中非法行医9件，结案4件，罚没收入52.11万元。",
            "检查100户次，其中发现问题80户次，已整改80户次。",
            "受理行政许可3245件，其中网上办理3245件、即办件1200件。",
            "行政处罚28起（1起正在办理中），其中普通程序11起、简易程序 17起，没收违法所得 0.261万元。",
        ] {
            assert!(messages(t).is_empty(), "{t}: {:?}", messages(t));
        }
        // Lower bounds of approximate parts still exceed.
        assert_eq!(messages("开展活动100场，其中线上60余场、线下50余场。").len(), 1);
    }

    #[test]
    fn reports_of_other_departments_pass() {
        for text in corpus::ALL {
            assert!(messages(text).is_empty(), "{:?}", messages(text));
        }
    }
}
