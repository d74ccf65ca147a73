use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::numbers::{NumberRules, Numbers, Quantity};
use crate::rules::consistency::{is_sentence_end, show, text_units};
use crate::rules::{Category, Context, Docs, Rule, RuleMeta};
use crate::source::Span;

pub struct RateMismatch;

static META: RuleMeta = RuleMeta {
    id: "rate-mismatch",
    category: Category::Consistency,
    severity: Severity::Error,
    fixable: false,
    summary: "百分比与同一句中据以计算的数字不符（如“904户中384户……覆盖率42.48%”）",
    docs: Docs {
        what: "当一句话写明了百分比所依据的两个数字时，按这两个数字重新计算并与所写的百分比比较，允许四舍五入（或截尾）的误差。只在关系明确时检查：一是“完成904户公共场所经营单位中384户的监督检查（覆盖率42.48%）”这类“A中B”的写法；二是“××率”与紧挨在前的同名动作数字（“出庭应诉3次”之于“出庭应诉率”，“办结1498件”之于“办结率”），且句中只有一个同单位的数字可作分母。约数、多个可能的分母、跨句的数字都不检查。",
        why: "百分比与原始数字对不上，读者无从判断哪个数字是真的；这类错误常见于改了数字却忘了重算比率，公开后容易被质疑数据造假。",
        bad: "（一）强化监督检查。完成904户公共场所经营单位中384户的监督检查（覆盖率46.48%），妥善处理投诉31件次。\n",
        good: "（一）强化监督检查。完成904户公共场所经营单位中384户的监督检查（覆盖率42.48%），妥善处理投诉31件次。\n",
        basis: "《党政机关公文处理工作条例》（中办发〔2012〕14号）第十九条：公文起草应当“一切从实际出发，分析问题实事求是”，做到“表述准确”；参照《中华人民共和国统计法》第一条保障统计资料真实性、准确性的要求。",
    },
};

impl Rule for RateMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let doc = cx.doc;
        let rules = NumberRules::builtin();
        let numbers = doc.numbers();
        for unit in text_units(cx) {
            for s in percent_sentences(&doc.text, numbers, unit) {
                let qs = numbers.within(s);
                let mut prev_pct = s.start;
                for (k, pct) in qs.iter().enumerate() {
                    if !pct.is_percent() {
                        continue;
                    }
                    let window_start = prev_pct;
                    prev_pct = pct.span.end;
                    if !pct.exact() || pct.value <= 0.0 || pct.value > 100.0 {
                        continue;
                    }
                    let Some(rate) = rate_word(doc, rules, pct, s.start) else {
                        continue;
                    };
                    // The 200 characters before the percentage are the context (bounded: linear).
                    let from = doc.text[s.start..pct.span.start]
                        .char_indices()
                        .rev()
                        .take(200)
                        .last()
                        .map_or(pct.span.start, |(k, _)| s.start + k);
                    let sentence = doc.slice(Span::new(from, pct.span.start));
                    if rules.rate_exclude.iter().any(|w| rate.ends_with(w.as_str()))
                        || rules.comparison_words.iter().any(|w| sentence.contains(w.as_str()))
                    {
                        continue;
                    }
                    let before: Vec<&Quantity> = qs[k.saturating_sub(30)..k]
                        .iter()
                        .filter(|q| q.span.start >= window_start && q.countable() && q.int().is_some())
                        .collect();
                    let pair = of_pair(doc, &before)
                        .filter(|(num, _)| plainly_next(doc, num, pct, &rate))
                        .or_else(|| stem_pair(doc, &before, &rate, s.start));
                    let Some((num, den)) = pair else { continue };
                    if let Some(f) = judge(doc, pct, num, den, &rate) {
                        out.push(f);
                    }
                }
            }
        }
    }
}

/// The sentences of `unit` (as [`sentences`] splits it) that hold a
/// percentage, in order: only they have anything to check. Each is found
/// around its first percentage (no quantity holds a sentence end).
///
/// [`sentences`]: crate::rules::consistency::sentences
fn percent_sentences<'a>(text: &'a str, numbers: &'a Numbers, unit: Span) -> impl Iterator<Item = Span> + 'a {
    let mut percents = numbers.within(unit).iter().filter(|q| q.is_percent());
    let mut done = unit.start;
    std::iter::from_fn(move || {
        let q = percents.find(|q| q.span.start >= done)?;
        let s = sentence_of(text, Span::new(done, unit.end), q.span);
        done = s.end;
        Some(s)
    })
}

/// The sentence of `span` among the sentences of `unit`, which holds it.
fn sentence_of(text: &str, unit: Span, span: Span) -> Span {
    let start = text[unit.start..span.start]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_sentence_end(c))
        .map_or(unit.start, |(k, c)| unit.start + k + c.len_utf8());
    let end = text[span.start..unit.end]
        .char_indices()
        .find(|&(_, c)| is_sentence_end(c))
        .map_or(unit.end, |(k, c)| span.start + k + c.len_utf8());
    Span::new(start, end)
}

/// The rate word in front of a percentage: `覆盖率`, `出庭应诉率达`, `占比`.
/// Returns the word (…率) or `None` when the percentage is not a stated rate.
fn rate_word(doc: &Document, rules: &NumberRules, pct: &Quantity, sentence_start: usize) -> Option<String> {
    let mut before = &doc.text[sentence_start..pct.span.start];
    // Verbs between the rate word and the number.
    for _ in 0..3 {
        let t = before.trim_end();
        let mut cut = None;
        for w in [
            "均达到",
            "均达",
            "均为",
            "达到",
            "保持",
            "高达",
            "约为",
            "为",
            "达",
            "是",
            "均",
            "了",
            "在",
        ] {
            if t.ends_with(w) {
                cut = Some(t.len() - w.len());
                break;
            }
        }
        match cut {
            Some(c) => before = &t[..c],
            None => {
                before = t;
                break;
            }
        }
    }
    if let Some(w) = rules.rate_words.iter().find(|w| before.ends_with(w.as_str())) {
        return Some(w.clone());
    }
    if !before.ends_with('率') {
        return None;
    }
    let chars: Vec<char> = before.chars().rev().take(7).collect();
    let word: String = chars
        .iter()
        .take_while(|c| is_cjk(**c) && !matches!(c, '、' | '，'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (word.chars().count() >= 2).then_some(word)
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// `904户…中384户`: the last pair A, B of the same unit joined by a short
/// stretch of words ending in 中 (no punctuation between).
fn of_pair<'a>(doc: &Document, before: &[&'a Quantity]) -> Option<(&'a Quantity, &'a Quantity)> {
    for w in before.windows(2).rev() {
        let (a, b) = (w[0], w[1]);
        if a.unit != b.unit || b.value > a.value || a.value == 0.0 {
            continue;
        }
        let between = &doc.text[a.span.end..b.span.start];
        let between = between.trim_end();
        if (between.ends_with('中') || between.ends_with("中的"))
            && between.chars().count() <= 24
            && !between.contains(['，', '。', '；', '、', ',', ';', '：'])
        {
            return Some((b, a));
        }
    }
    None
}

/// The rate follows the `A中B` pair in the same clause (`中384户的监督检查（覆盖率42.48%）`),
/// or right after one comma with a bare rate word (`中384户，覆盖率42.48%`); a
/// qualified rate after a comma (`，村级覆盖率100%`) may be about something else.
fn plainly_next(doc: &Document, num: &Quantity, pct: &Quantity, rate: &str) -> bool {
    let between = &doc.text[num.span.end..pct.span.start];
    match between.matches(['，', ',']).count() {
        0 => true,
        1 => rate.chars().count() == 3,
        _ => false,
    }
}

/// `出庭应诉3次 … 出庭应诉率100%`: the numerator is the quantity right after
/// the rate's action word (its last two characters before 率), the denominator
/// the only other quantity of the same unit before it.
fn stem_pair<'a>(
    doc: &Document,
    before: &[&'a Quantity],
    rate: &str,
    sentence_start: usize,
) -> Option<(&'a Quantity, &'a Quantity)> {
    let stem: String = {
        let chars: Vec<char> = rate.trim_end_matches('率').chars().collect();
        if chars.len() < 2 {
            return None;
        }
        chars[chars.len() - 2..].iter().collect()
    };
    let (ni, num) = before.iter().enumerate().rev().find(|(_, q)| {
        let lead = &doc.text[sentence_start..q.span.start];
        let lead: String = lead
            .chars()
            .rev()
            .take(stem.chars().count() + 2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        lead.contains(stem.as_str())
    })?;
    let dens: Vec<&&Quantity> = before[..ni].iter().filter(|q| q.unit == num.unit).collect();
    match dens.as_slice() {
        [den] if num.value <= den.value && den.value > 0.0 => Some((num, den)),
        _ => None,
    }
}

fn judge(doc: &Document, pct: &Quantity, num: &Quantity, den: &Quantity, rate: &str) -> Option<Finding> {
    let ratio = 100.0 * num.value / den.value;
    let step = 10f64.powi(-(pct.decimals as i32));
    let fits = |r: f64| r >= pct.value - 0.5 * step - 1e-9 && r < pct.value + step - 1e-9;
    // The complement (未覆盖率) is a reading we cannot rule out: stay silent.
    if fits(ratio) || fits(100.0 - ratio) {
        return None;
    }
    let stated = doc.slice(pct.number);
    let (n, d) = (doc.slice(num.number), doc.slice(den.number));
    let expected = show((ratio / step).round() * step, pct.decimals);
    let unit = &num.unit;
    let message = format!("{rate}{stated}%与所依据的数字不符：{n}{unit}÷{d}{unit}＝{expected}%");
    Some(
        Finding::new(META.id, META.severity, pct.span, message)
            .label(format!("按{n}÷{d}应为{expected}%"))
            .with_label(num.span, "分子")
            .with_label(den.span, "分母")
            .help("核对百分比与分子、分母，按相同的保留位数四舍五入后改正；若比率另有口径，请写明计算依据"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::consistency::corpus;
    use crate::rules::testing::run;

    fn messages(text: &str) -> Vec<String> {
        run(&RateMismatch, text).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn a_of_b_with_a_rate() {
        assert_eq!(
            messages(META.docs.bad),
            vec!["覆盖率46.48%与所依据的数字不符：384户÷904户＝42.48%"]
        );
        assert!(messages(META.docs.good).is_empty());
        assert!(messages("全县86所中小学中84所达到标准，达标率97.67%。").is_empty());
        assert!(messages("全县86所中小学中84所达到标准，达标率97.7%。").is_empty());
        assert!(messages("全县86所中小学中84所达到标准，达标率98%。").is_empty());
        assert_eq!(messages("全县86所中小学中84所达到标准，达标率92.5%。").len(), 1);
        assert_eq!(messages("完成904户中384户的监督检查，覆盖率46.48%。").len(), 1);
    }

    #[test]
    fn the_action_word_names_the_numerator() {
        assert!(messages("行政诉讼3件，负责人出庭应诉3件，出庭应诉率100%。").is_empty());
        assert_eq!(
            messages("行政诉讼4件，负责人出庭应诉3件，出庭应诉率100%。"),
            vec!["出庭应诉率100%与所依据的数字不符：3件÷4件＝75%"]
        );
        assert!(messages("受理信访投诉1,530件，办结1,498件，办结率97.91%。").is_empty());
        assert_eq!(messages("受理信访投诉1,530件，办结1,498件，办结率99.91%。").len(), 1);
    }

    #[test]
    fn unclear_relations_are_left_alone() {
        for t in [
            // The numerator is not the action's own number.
            "开展抽查共2503单任务，完成监督检测任务142单，完成率达100%。",
            // No numerator.
            "共处理医疗纠纷6件，均调解解决，调解率100%。",
            "组织57名执法人员参加考试，参考率合格率均100%。",
            // Two possible denominators.
            "检查企业120家、学校80家，合格100家，合格率83.33%。",
            // Approximate numbers.
            "参与学生3.2万人次，参与率约95%。",
            "对900余户中384户开展检查（覆盖率42.48%）。",
            // Across sentences.
            "行政诉讼4件。出庭应诉3件，出庭应诉率100%。",
            // The complement.
            "904户中384户未检查，覆盖率57.52%。",
            // A percentage of something else.
            "轻微违法不予处罚31件，占全部案件的18.45%。",
            // A qualified rate after the pair is about something else.
            "全市12个乡镇中8个乡镇建成示范点，村级覆盖率100%。",
            // Rates against last year.
            "受理案件30件，同比增长3件，增长率11.1%。",
            "受理案件30件，较上年增加3件，办结30件，办结率90%。",
        ] {
            assert!(messages(t).is_empty(), "{t}: {:?}", messages(t));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_sentences_with_a_percentage_are_those_of_the_plain_split(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "。", "；", ";", "！", "!", "？", "?", "，", "覆盖率", "12%", "3.5％", "约5%", "8件", "中", "甲", "a", " ",
                ]),
                0..30,
            ),
            cut in 0usize..4,
        ) {
            let text = parts.concat();
            let numbers = crate::numbers::Numbers::parse(&text);
            // The whole text, and the text without its first characters.
            let start = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
            let unit = Span::new(start, text.len());
            let plain: Vec<Span> = crate::rules::consistency::sentences(&text, unit)
                .into_iter()
                .filter(|s| numbers.within(*s).iter().any(|q| q.is_percent()))
                .collect();
            let visited: Vec<Span> = percent_sentences(&text, &numbers, unit).collect();
            proptest::prop_assert_eq!(visited, plain, "{:?}", text);
        }
    }

    #[test]
    fn reports_of_other_departments_pass() {
        for text in corpus::ALL {
            assert!(messages(text).is_empty(), "{:?}", messages(text));
        }
    }
}
