//! Rules about a report agreeing with itself and with the calendar: stated
//! counts and the items listed after them, totals and their breakdowns,
//! percentages and the numbers they are computed from, years, dates,
//! deadlines, laws, events and fixed expressions.
//!
//! The number rules read the number layer (`Document::numbers`, data in
//! `rules/numbers.toml`) and only judge a relation that the wording makes
//! unambiguous: approximate quantities (余, 约, 以上 …) and unclear relations
//! are left alone.

pub mod anachronism;
pub mod date_invalid;
pub mod deadline;
pub mod formulation;
pub mod missing_signature;
pub mod obsolete_law;
pub mod rate_mismatch;
pub mod report_year;
pub mod scan;
pub mod sum_mismatch;
pub mod vague_time;

use crate::source::Span;

/// The stretches of running text in the body: paragraphs and heading titles
/// (a heading may state numbers: `（五）办理行政复议案件2件（维持1件、终止1件）`).
pub(crate) fn text_units(cx: &crate::rules::Context) -> Vec<Span> {
    let doc = cx.doc;
    let mut out: Vec<Span> = doc
        .headings
        .iter()
        .filter(|h| cx.facts.in_body(h.line))
        .map(|h| h.title)
        .collect();
    out.extend(
        doc.paragraphs
            .iter()
            .filter(|p| cx.facts.in_body(p.first_line))
            .map(|p| p.span),
    );
    out
}

/// Sentence-ending punctuation: a relation between numbers never crosses it.
pub(crate) fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '!' | '？' | '?')
}

/// The sentences of `span` in `text` (split at 。；！？ and their ASCII forms).
/// rate-mismatch finds only the sentences it needs; this is its plain reference.
#[cfg(test)]
pub(crate) fn sentences(text: &str, span: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = span.start;
    for (k, c) in text[span.start..span.end].char_indices() {
        if is_sentence_end(c) {
            let end = span.start + k + c.len_utf8();
            if end > start {
                out.push(Span::new(start, end));
            }
            start = end;
        }
    }
    if start < span.end {
        out.push(Span::new(start, span.end));
    }
    out
}

/// Whether `at` stands inside “…” or 《…》 that opened within the 40
/// characters before it (and after `from`). Bounded, so the scan stays linear.
pub(crate) fn inside_quotes(text: &str, from: usize, at: usize) -> bool {
    let before = &text[from..at];
    if before.ends_with('"') || before.ends_with('\'') {
        return true;
    }
    for c in before.chars().rev().take(40) {
        match c {
            '“' | '「' | '《' => return true,
            '”' | '」' | '》' => return false,
            _ => {}
        }
    }
    false
}

/// `s` cut to at most `n` characters, with … when cut.
pub(crate) fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// A number as written in messages: integers without a decimal point, others
/// with up to `decimals` digits.
pub(crate) fn show(v: f64, decimals: u8) -> String {
    if decimals == 0 && v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.prec$}", prec = decimals.max(1) as usize);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

#[cfg(test)]
pub(crate) mod corpus {
    //! Realistic reports of other departments with correct numbers: no
    //! consistency rule may fire on them.

    pub const TRANSPORT: &str = "某市交通运输局2024年法治政府建设情况报告\n\n2024年，市交通运输局坚持以习近平法治思想为指导，现将有关情况报告如下。\n一、主要举措和成效\n（一）严格规范公正文明执法。全年共开展路面执法检查1260次（日常检查980次、专项检查280次），检查车辆35,420辆次，查处违法超限运输车辆412辆，其中货车398辆、客车14辆。办理行政处罚案件856件，其中适用简易程序312件、普通程序544件，罚没款共计326.5万元。完成全市1200家道路运输企业中960家的信用评价（覆盖率80%）。\n（二）深化“放管服”改革。围绕道路运输、水路运输、工程建设三大领域，梳理政务服务事项187项，其中即办件105项、承诺件82项，网上可办率100%。全年受理行政许可申请4,365件，办结4365件，按时办结率100%。\n（三）化解行政争议。全年发生行政复议案件6件，其中维持4件、撤销1件、终止1件；行政诉讼案件3件，负责人出庭应诉3件，出庭应诉率100%。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n局主要负责人主持召开党组会专题研究法治工作4次，带头讲法治课2次，做到重要工作亲自部署、重大问题亲自过问。\n三、存在的不足和原因\n对照上级要求，仍存在三方面不足：\n1.执法人员结构不优，年龄偏大，原因是近年新进人员较少。\n2.非现场执法手段应用不足，原因是设备投入有限。\n3.普法针对性不强，原因在于对群众需求调研不够。\n四、2025年工作安排\n2025年，重点抓好以下三项工作：一是加强执法队伍建设；二是推进非现场执法；三是创新普法方式。\n";

    pub const MARKET: &str = "某区市场监督管理局关于2023年法治政府建设情况的报告\n\n一、主要举措和成效\n（一）全面履行市场监管职能。全年新登记市场主体8,216户，其中企业2,105户、个体工商户6,111户。聚焦食品安全、特种设备、产品质量、价格监管等重点领域开展专项整治12次，检查经营主体3,860户次，发现问题隐患215处，已整改215处，整改率100%。\n（二）落实行政执法“三项制度”。全年立案查处各类违法案件327件（一般程序198件、简易程序129件），罚没款合计186.32万元。通过“双随机、一公开”抽查企业1,520户，抽查覆盖率约20%。对全区480家重点食品生产企业中456家开展了风险分级评定（评定率95%）。\n（三）推进信用监管。归集涉企信息12万余条，对企业开展信用修复84户次。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n局主要负责人切实做到“四个亲自”，全年主持召开法治建设专题会议3次，组织领导班子集中学法6次。\n三、存在的不足和原因\n一是执法办案能力与新业态监管要求不相适应；二是基层所执法力量薄弱，原因是人员编制有限。\n四、下一年度主要工作安排\n下一步，我局将做好以下四个方面工作：（一）强化执法能力建设；（二）推进智慧监管；（三）深化信用监管；（四）加强普法宣传。\n\n某区市场监督管理局\n2024年1月25日\n";

    pub const JUSTICE: &str = "某县司法局2024年法治政府建设年度报告\n\n一、2024年推进法治政府建设的主要举措和成效\n（一）加强行政复议工作。全年收到行政复议申请152件，受理138件，不予受理14件；审结126件，其中维持78件、撤销12件、确认违法6件、调解和解30件，综合纠错率14.29%。\n（二）推进公共法律服务。建成村（社区）法律顾问全覆盖，全县236个村（社区）中236个配备法律顾问（配备率100%）。全年办理法律援助案件1,045件（刑事案件412件、民事案件598件、行政案件35件），提供法律咨询1.2万余人次。\n（三）深化普法依法治理。落实“谁执法谁普法”普法责任制，开展“宪法进万家”等主题活动86场，覆盖群众5万余人次。培育“法治带头人”“法律明白人”1,860名。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n局主要负责人带头学法，做到“三个亲自”，主持召开局党组会研究法治政府建设工作5次。\n三、存在的不足和原因\n主要存在两方面问题：一是行政复议人员力量不足，原因是编制未随案件量增加；二是基层法律服务资源分布不均，原因是乡镇律师资源少。\n四、2025年主要工作安排\n（一）提升行政复议质效。（二）优化公共法律服务。（三）深化八五普法。\n";

    pub const ECOLOGY: &str = "某市生态环境局2023年法治政府建设情况报告\n\n一、主要举措和成效\n（一）严格生态环境执法。全年出动执法人员6,820人次，检查企业2,940家次，立案查处环境违法案件168件，罚款1,236.8万元。其中适用《环境保护法》配套办法案件23件，移送公安机关行政拘留案件9件、涉嫌环境污染犯罪案件4件。\n（二）推行包容审慎监管。对轻微违法行为依法不予处罚31件，占全部案件的18.45%。\n（三）规范行政决策。全年制定行政规范性文件4件，全部经过合法性审核，审核率100%；重大行政决策事项2项，均履行公众参与、专家论证、风险评估、合法性审查、集体讨论决定五项法定程序。\n（四）推进环境信访化解。受理信访投诉1,530件，办结1,498件，办结率97.91%。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人认真履行第一责任人职责，坚持“两个维护”，切实践行“四个意识”，全年讲授法治课2次。\n三、存在的不足和原因\n存在以下三个方面的不足：\n（一）执法能力有待提升。\n（二）部门协同机制不够健全。\n（三）普法宣传覆盖面不广。\n四、下一年度主要工作安排\n2024年，我局将围绕十四五规划目标，落实八五普法规划，重点做好五项工作：执法能力建设、监管方式创新、信访源头治理、普法宣传教育、法治队伍培养。\n";

    pub const EDUCATION: &str = "某县教育局2024年法治政府建设工作报告\n\n一、主要举措和成效\n（一）推进依法治校。全县86所中小学中84所达到依法治校示范校标准，达标率97.67%。聘任法治副校长86名，实现学校全覆盖。\n（二）开展法治教育。组织“宪法卫士”学习活动，参与学生3.2万人次，参与率约95%。开展“法治进校园”巡回宣讲120余场。全年组织教师法治培训3期（线上2期、线下1期），培训教师2,450人次。\n（三）规范行政行为。办理行政许可42件（民办学校设立8件、变更34件），按时办结率100%。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n局党组书记、局长切实履行第一责任人职责，落实“一岗双责”，主持研究法治工作4次。\n三、存在的不足和原因\n一是部分学校法治教育形式单一；二是校园安全风险防控制度需进一步完善。原因主要是法治教育师资不足。\n四、2025年工作安排\n2025年，重点抓好三个方面：一是深化依法治校；二是提升法治教育实效；三是健全校园安全风险防控体系。\n";

    pub const EMERGENCY: &str = "某县应急管理局2024年法治政府建设情况报告\n一、主要举措和成效\n（一）强化安全生产执法。全年检查生产经营单位1,286家次，发现隐患3,412项，整改3,398项，整改率99.59%；立案查处违法行为96起，罚款金额213.6万元，其中对企业主要负责人处罚28起、罚款41.2万元。\n（二）推进“三项制度”落实。执法公示信息1,032条，全过程记录执法活动986次，重大执法决定法制审核21件，审核率100%。\n（三）开展普法宣传。围绕“安全生产月”“防灾减灾日”“119消防宣传月”三大主题，开展宣传活动152场，发放宣传资料3.6万份，受众8万余人次。\n（四）化解行政争议。发生行政复议案件2件（维持1件、终止1件），行政诉讼1件，负责人出庭应诉1件，出庭应诉率100%。\n（五）推进依法决策。制定规范性文件2件，均按程序报备，报备率、及时率、规范率均为100%。聘请法律顾问2名，审查合同37份，提出法律意见52条。\n（六）加强执法队伍建设。全局在编执法人员48名，持证率100%。组织执法培训6期（专题培训4期、跟班学习2期），培训312人次。全年组织考试2次，参考率、合格率均达100%。开展“送法进企业”活动23次，覆盖企业420余家。\n（七）深化“放管服”改革。全年办理行政许可事项168件，网上办理率100%，平均办理时限压缩至3个工作日。对全县215家危化品经营单位中的198家完成了标准化复评（完成率92.09%）。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人全年主持召开党委会研究法治工作5次，听取执法工作汇报4次，讲法治课1次，做到“四个亲自”。\n三、存在的不足和原因\n对照法治政府建设要求，还存在以下两个方面不足：一是执法人员专业化水平不高，原因是近年来新进人员多为非专业人员；二是部分企业主体责任落实不到位，原因是宣传教育覆盖面不够。\n四、2025年工作安排\n2025年，我局将围绕“十五五”规划谋篇布局，重点抓好以下三方面工作：\n（一）提升执法规范化水平。\n（二）深化普法宣传教育。\n（三）强化法治队伍建设。\n全年计划开展执法检查1,300家次以上，培训执法人员300人次以上。\n";

    /// Correct numbers in the shapes that look like defects to a careless check.
    pub const TRICKY: &str = "某区住房和城乡建设局2024年法治政府建设情况报告\n一、主要举措和成效\n（一）坚持“两个确立”、做到“两个维护”，落实“第一议题”制度，全年学习习近平法治思想12次。落实“三重一大”决策制度和“一岗双责”要求。\n（二）规范执法行为。全年立案30件（较上年减少12件），结案28件，结案率93.33%。本年组织培训5次（累计培训30次），每次半天。开展检查120次（市级40次、区级80次）。检查在建工地186个，其中房建工地124个、市政工地62个，发现隐患问题412条，已全部整改。\n（三）推进政务服务。全年办理建筑工程施工许可152件（同比增长8.6%），其中网上办理152件、容缺受理23件。全市12个街道中10个街道建成便民服务站，社区覆盖率100%。受理投诉举报1,126件，按期办结1,126件，按期办结率100%；群众满意率98.6%。\n（四）化解矛盾纠纷。调处物业纠纷315起（其中调解成功298起），调解成功率94.6%。行政复议案件5件，行政诉讼案件3件，负责人出庭应诉3件，出庭应诉率100%。\n（五）开展普法。围绕《民法典》《建筑法》《城乡规划法》三部法律开展宣传，结合“3·15”“12·4”等节点开展活动20余场，发放资料5,000余份，覆盖群众约1.2万人次。建立区、街道、社区三级普法网络。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人做到重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办，主持召开专题会议4次。\n三、存在的不足和原因\n主要存在以下问题：一是执法力量不足；二是普法形式单一。原因主要是人员编制有限、创新意识不强。\n四、2025年工作安排\n围绕十四五规划收官和十五五规划谋篇，做好以下工作：\n（一）深化执法规范化建设。\n（二）提升政务服务水平。\n";

    pub const ALL: [&str; 7] = [TRANSPORT, MARKET, JUSTICE, ECOLOGY, EDUCATION, EMERGENCY, TRICKY];

    /// `EMERGENCY` with defects planted: (find, replace, rule, 1-based line).
    pub const PLANTED: &[(&str, &str, &str, usize)] = &[
        ("整改率99.59%", "整改率96.59%", "rate-mismatch", 3),
        ("（维持1件、终止1件）", "（维持1件、终止2件）", "sum-mismatch", 6),
        ("培训6期（专题培训4期", "培训6期（专题培训3期", "sum-mismatch", 8),
        ("完成率92.09%", "完成率90.09%", "rate-mismatch", 9),
        ("以下两个方面不足", "以下三个方面不足", "declared-count", 13),
        ("以下三方面工作", "以下四方面工作", "declared-count", 15),
        (
            "其中对企业主要负责人处罚28起、罚款41.2万元",
            "其中对企业主要负责人处罚28起、罚款241.2万元",
            "sum-mismatch",
            3,
        ),
    ];
}

#[cfg(test)]
mod tests {
    use super::corpus;
    use crate::rules::testing::{lines, run};
    use crate::rules::RULES;

    #[test]
    fn each_planted_defect_is_found_alone_at_its_line() {
        for &(find, replace, rule, line) in corpus::PLANTED {
            assert!(corpus::EMERGENCY.contains(find), "{find}");
            let text = corpus::EMERGENCY.replacen(find, replace, 1);
            for r in RULES
                .iter()
                .filter(|r| ["declared-count", "sum-mismatch", "rate-mismatch"].contains(&r.meta().id))
            {
                let found = run(*r, &text);
                if r.meta().id == rule {
                    assert_eq!(lines(&text, &found), vec![line], "{rule}: {replace}");
                } else {
                    assert!(found.is_empty(), "{} fired on {replace}: {:?}", r.meta().id, found);
                }
            }
        }
    }

    #[test]
    fn no_panic_on_random_number_soup() {
        // A small deterministic generator over the characters these rules react to.
        const ALPHABET: &[&str] = &[
            "0",
            "1",
            "2",
            "9",
            ",",
            ".",
            "．",
            "%",
            "％",
            "-",
            "～",
            "，",
            "。",
            "、",
            "；",
            "：",
            ":",
            "（",
            "）",
            "(",
            ")",
            "“",
            "”",
            "《",
            "》",
            "一",
            "二",
            "三",
            "十",
            "百",
            "万",
            "两",
            "零",
            "余",
            "多",
            "约",
            "以上",
            "件",
            "户次",
            "万元",
            "方面",
            "项",
            "大",
            "等",
            "其中",
            "中",
            "率",
            "覆盖率",
            "办结",
            "一是",
            "二是",
            "\n",
            "（一）",
            "1.",
            "①",
            " ",
            "是",
            "第",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let rules: Vec<_> = RULES
            .iter()
            .filter(|r| ["declared-count", "sum-mismatch", "rate-mismatch"].contains(&r.meta().id))
            .collect();
        assert_eq!(rules.len(), 3);
        for _ in 0..600 {
            let len = (next() % 80) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let _ = crate::numbers::Numbers::parse(&text);
            for r in &rules {
                let _ = run(**r, &text);
            }
        }
    }
}
