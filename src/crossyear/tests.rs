use super::*;

const LAST: &str = include_str!("../../tests/fixtures/baseline/eco_2023.txt");
const THIS: &str = include_str!("../../tests/fixtures/baseline/eco_2024.txt");

fn kb() -> &'static Knowledge {
    Knowledge::builtin("fazhi-annual").unwrap()
}

#[test]
fn normalisation_drops_punctuation_and_folds_numbers() {
    let a: String = normalise("全年办理案件86件，罚没款420万元。").into_iter().collect();
    let b: String = normalise("全年办理案件 74 件；罚没款365.5万元").into_iter().collect();
    assert_eq!(a, "全年办理案件#件罚没款#万元");
    assert_eq!(b, "全年办理案件#件罚没款#.#万元".replace('.', ""));
}

#[test]
fn the_data_file_is_valid_and_errors_name_the_line() {
    let d = CrossYearData::builtin();
    assert!(d.stock.iter().any(|w| w == "进一步"));
    // Longest first, so that 进一步 is cut before 进.
    assert!(d.stock.windows(2).all(|w| w[0].chars().count() >= w[1].chars().count()));
    let e = CrossYearData::parse("x.toml", "stock = [\"进一步\",\n\"进\"]\nproblem = []\n").unwrap_err();
    assert_eq!(e.line, 2);
    let e = CrossYearData::parse("x.toml", "stock = []\nproblem = []\nextra = 1\n").unwrap_err();
    assert!(e.message.contains("extra"), "{}", e.message);
}

#[test]
fn plan_items_are_the_sub_headings() {
    let b = Baseline::new("eco_2023.txt", LAST, kb(), CopiedTextSettings::default());
    let cores: Vec<_> = b.plan.iter().map(|i| i.core.slice(LAST)).collect();
    assert_eq!(cores.len(), 3, "{cores:?}");
    assert!(cores[1].starts_with("推进企业环境信用评价"));
}

#[test]
fn shortcomings_are_the_enumerated_segments() {
    let doc = outline::parse(THIS);
    let facts = Facts::analyse(&doc, kb(), None);
    let items = part_items(&doc, &facts, "shortcomings");
    assert_eq!(items.len(), 2);
    assert!(items[0].core.slice(THIS).starts_with("执法队伍专业力量不足"));
    assert!(items[1].span.slice(THIS).starts_with("二是行政复议"));
}

#[test]
fn stock_words_are_cut_before_bigrams() {
    let data = CrossYearData::builtin();
    let b = content_bigrams("进一步加强执法队伍建设", &[&data.stock]);
    assert!(b.contains(&['执', '法']) && b.contains(&['队', '伍']));
    assert!(!b.contains(&['加', '强']) && !b.contains(&['强', '执']));
}

#[test]
fn one_pass_over_the_words_cuts_what_cutting_word_by_word_cuts() {
    let data = CrossYearData::builtin();
    let words: Vec<&String> = data.stock.iter().chain(&data.problem).collect();
    let mut texts = vec![
        "进一步加强执法队伍建设".to_string(),
        "行政复议应诉能力不强，原因在于人员不足".to_string(),
        String::new(),
    ];
    // Words run into one another and overlap.
    for (k, w) in words.iter().enumerate() {
        let next = words[(k * 7 + 3) % words.len()];
        texts.push(format!("{w}{next}执法{w}"));
        let cut = w.char_indices().nth(1).map_or(w.len(), |(i, _)| i);
        texts.push(format!("甲{}{next}乙", &w[cut..]));
    }
    for t in &texts {
        for problem_words in [false, true] {
            let lists: Vec<&[String]> = if problem_words {
                vec![&data.stock, &data.problem]
            } else {
                vec![&data.stock]
            };
            assert_eq!(
                content_bigrams_of(t, data, problem_words),
                content_bigrams(t, &lists),
                "{t}"
            );
        }
    }
}

#[test]
fn the_most_similar_paragraph_is_found_through_the_index() {
    let b = Baseline::new("eco_2023.txt", LAST, kb(), CopiedTextSettings::default());
    let q = normalise("对重点排污单位开展帮扶指导，编制执法正面清单，对轻微违法行为依法不予处罚12件。");
    let (p, r) = b.most_similar(&q).unwrap();
    assert!(r > 0.95);
    assert!(p.span.slice(LAST).contains("重点排污单位"));
    let q = normalise("（四）优化营商环境。制定涉企行政检查计划，推行“综合查一次”，减少入企检查频次三成以上。");
    assert!(b.most_similar(&q).is_none());
}

#[test]
fn a_big_baseline_stays_fast() {
    // 3000 distinct paragraphs: the trigram prefilter keeps `similar` off most of them.
    let mut big = String::from("关于2023年法治政府建设情况的报告\n一、主要举措和成效\n");
    for i in 0..3000u32 {
        let a = char::from_u32(0x4E00 + (i * 7) % 20000).unwrap();
        let c = char::from_u32(0x4E00 + (i * 13 + 5) % 20000).unwrap();
        big.push_str(&format!(
            "{a}{c}第{i}项工作，围绕{c}{a}开展专项检查，形成整改清单并督促落实到位。\n"
        ));
    }
    let b = Baseline::new("big.txt", &big, kb(), CopiedTextSettings::default());
    assert!(b.paragraphs.len() >= 3000);
    let t = std::time::Instant::now();
    let q = normalise("完全不同的一段话，讲的是行政复议应诉能力建设和庭审旁听活动。");
    for _ in 0..100 {
        let _ = b.most_similar(&q);
    }
    // Generous: this guards against a quadratic regression, not speed.
    assert!(t.elapsed().as_secs() < 20);
}

#[test]
fn examples_split_into_the_two_years() {
    let (last, this) = split_example("去年报告：\n甲\n今年报告：\n乙\n");
    assert_eq!((last, this), (Some("甲\n"), "乙\n"));
    assert_eq!(split_example("乙\n"), (None, "乙\n"));
}

#[test]
fn inline_diff_marks_changes() {
    let d = inline_diff("全年办理案件86件", "全年办理案件74件", 100);
    assert_eq!(d, "全年办理案件[-86-]{+74+}件");
}

/// The bigrams of a text as a plain hash set: every pair of neighbouring
/// Han characters.
fn bigram_model(text: &str) -> HashSet<[char; 2]> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .filter(|w| is_han(w[0]) && is_han(w[1]))
        .map(|w| [w[0], w[1]])
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
    /// The sorted bigram sets hold, find and share what hash sets would.
    #[test]
    fn sorted_bigrams_behave_as_sets(a in "[执法队伍建设强加，a 一]{0,30}", b in "[执法队伍设备强化。b一]{0,30}") {
        let (sa, sb) = (bigrams(&a), bigrams(&b));
        let (ma, mb) = (bigram_model(&a), bigram_model(&b));
        proptest::prop_assert_eq!(sa.len(), ma.len());
        proptest::prop_assert!(sa.iter().all(|x| ma.contains(&x)));
        proptest::prop_assert!(ma.iter().all(|x| sa.contains(x)));
        proptest::prop_assert!(!sa.contains(&['甲', '乙']));
        proptest::prop_assert_eq!(sa.shared_with(&sb), ma.intersection(&mb).count());
        proptest::prop_assert_eq!(coverage(&sa, &sb).0, ma.intersection(&mb).count());
        let both = Bigrams::of_texts([a.as_str(), b.as_str()]);
        let union: HashSet<[char; 2]> = ma.union(&mb).copied().collect();
        proptest::prop_assert_eq!(both.len(), union.len());
        proptest::prop_assert!(both.iter().all(|x| union.contains(&x)));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// One search for 原因 cuts where the earliest of 主要原因 and 原因 would.
    #[test]
    fn without_causes_cuts_at_the_earliest_cause(s in "[主要原因不强，, ：]{0,14}") {
        let cut = ["主要原因", "原因"].iter().filter_map(|m| s.find(m)).min().unwrap_or(s.len());
        let kept = s[..cut].trim_end_matches(['，', ',', '；', ';', '：', ':', ' ', '　']);
        let want = if kept.is_empty() { s.len() } else { kept.len() };
        let text = format!("前文{s}");
        let got = without_causes(&text, Span::new("前文".len(), text.len()));
        proptest::prop_assert_eq!(got, Span::new("前文".len(), "前文".len() + want));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]
    /// Finding the words by their first two characters cuts what cutting
    /// the lists word by word cuts, words running into one another.
    #[test]
    fn the_word_index_cuts_what_cutting_word_by_word_cuts(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "进一步", "进一", "步加", "加强", "强化", "执法", "队伍", "建设", "不强", "不足", "不到位", "不到",
                "存在", "在问", "问题", "题", "有待", "待加", "，", "|", "a", " ", "能力", "一定", "定期",
            ]),
            0..16,
        ),
        problem_words in proptest::bool::ANY,
    ) {
        let data = CrossYearData::builtin();
        let t = pieces.concat();
        let lists: Vec<&[String]> = if problem_words {
            vec![&data.stock, &data.problem]
        } else {
            vec![&data.stock]
        };
        proptest::prop_assert_eq!(content_bigrams_of(&t, data, problem_words), content_bigrams(&t, &lists));
    }
}
