//! Word's automatic numbering (`word/numbering.xml`), rendered as the text a
//! reader sees: `一、`, `（一）`, `1.`, `（1）`.
//!
//! The model follows WordprocessingML (ECMA-376 Part 1, §17.9) and what Word
//! and LibreOffice do with it:
//! - an `abstractNum` defines up to nine levels (`start`, `numFmt`, `lvlText`
//!   with `%1`…`%9` placeholders, `lvlRestart`, `isLgl`);
//! - a `num` points to an `abstractNum` and may override levels
//!   (`lvlOverride` with `startOverride` and/or a whole `lvl`);
//! - `num`s sharing an `abstractNum` share its counters (the list goes on),
//!   except that a `startOverride` restarts its level the first time that
//!   `num` is used at that level (this is how "restart at 1" and "continue
//!   from 3" are saved by Word and by LibreOffice);
//! - numbering a paragraph at level L restarts the deeper levels, unless a
//!   level's `lvlRestart` says otherwise (0: never restart).

use std::collections::{HashMap, HashSet};

pub const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
pub struct Level {
    pub start: Option<i64>,
    pub num_fmt: Option<String>,
    pub lvl_text: Option<String>,
    /// `lvlRestart`: 0 never restarts; n restarts after a level ≤ n (1-based) is used.
    pub restart: Option<u32>,
    pub is_lgl: bool,
    /// `pStyle`: the paragraph style bound to this level.
    pub p_style: Option<String>,
}

impl Level {
    fn start(&self) -> i64 {
        // ECMA-376 §17.9.26: when `start` is omitted the first number is 0;
        // Word and LibreOffice always write it.
        self.start.unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default)]
pub struct AbstractNum {
    pub levels: [Option<Level>; LEVELS],
    /// `numStyleLink`: the levels live in the list of a numbering style.
    pub num_style_link: Option<String>,
    /// `styleLink`: this definition is the one for that numbering style.
    pub style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Num {
    pub abstract_id: String,
    pub start_overrides: HashMap<usize, i64>,
    pub level_overrides: HashMap<usize, Level>,
}

#[derive(Debug, Clone, Default)]
pub struct Numbering {
    pub abstracts: HashMap<String, AbstractNum>,
    pub nums: HashMap<String, Num>,
    /// Numbering style id → its `numId` (from styles.xml), for `numStyleLink`.
    pub style_nums: HashMap<String, String>,
}

impl Numbering {
    /// The abstract definition a `num` uses, following one `numStyleLink`.
    fn abstract_of(&self, num: &Num) -> Option<(&str, &AbstractNum)> {
        let (id, a) = self.abstracts.get_key_value(&num.abstract_id)?;
        if let Some(style) = &a.num_style_link {
            let linked = self
                .style_nums
                .get(style)
                .and_then(|n| self.nums.get(n))
                .and_then(|n| self.abstracts.get_key_value(&n.abstract_id))
                .or_else(|| {
                    self.abstracts
                        .iter()
                        .find(|(_, b)| b.style_link.as_deref() == Some(style.as_str()))
                });
            if let Some((lid, la)) = linked {
                return Some((lid.as_str(), la));
            }
        }
        Some((id.as_str(), a))
    }

    /// The level of a paragraph whose style `style` carries numbering
    /// without an `ilvl`: the level bound to that style, else 0.
    pub fn level_for_style(&self, num_id: &str, style: &str) -> usize {
        let found = self
            .nums
            .get(num_id)
            .and_then(|n| self.abstract_of(n))
            .and_then(|(_, a)| {
                a.levels
                    .iter()
                    .position(|l| l.as_ref().and_then(|l| l.p_style.as_deref()) == Some(style))
            });
        found.unwrap_or(0)
    }
}

/// Running counters while paragraphs are read in document order.
#[derive(Debug, Default)]
pub struct Counters {
    /// abstractNum id → counter per level (`None`: not used since its restart).
    values: HashMap<String, [Option<i64>; LEVELS]>,
    /// (numId, level) whose `startOverride` has been applied.
    applied: HashSet<(String, usize)>,
}

impl Counters {
    /// Advance the counters for a paragraph numbered `num_id` at `ilvl` and
    /// return the text of its number (`None` when the numbering is absent
    /// or shows nothing).
    pub fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: usize) -> Option<String> {
        let num = numbering.nums.get(num_id)?;
        let (abstract_id, abs) = numbering.abstract_of(num)?;
        let ilvl = ilvl.min(LEVELS - 1);
        let level_def = |l: usize| -> Option<&Level> { num.level_overrides.get(&l).or(abs.levels[l].as_ref()) };
        let start_of = |l: usize| -> i64 {
            num.start_overrides
                .get(&l)
                .copied()
                .unwrap_or_else(|| level_def(l).map_or(1, Level::start))
        };
        let values = self.values.entry(abstract_id.to_string()).or_default();
        let fresh_override = num.start_overrides.contains_key(&ilvl) && self.applied.insert((num_id.to_string(), ilvl));
        values[ilvl] = Some(match values[ilvl] {
            Some(v) if !fresh_override => v.saturating_add(1),
            _ => start_of(ilvl),
        });
        for (deeper, value) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = level_def(deeper).and_then(|l| l.restart);
            // lvlRestart n (1-based): restart when a level at or above n is used.
            if restart.is_none_or(|r| r != 0 && ilvl < r as usize) {
                *value = None;
            }
        }
        let level = level_def(ilvl)?;
        let fmt = level.num_fmt.as_deref().unwrap_or("decimal");
        if fmt == "bullet" || fmt == "none" {
            // A bullet is layout, not text: it carries no number to check.
            return None;
        }
        let template = level.lvl_text.as_deref()?;
        let mut out = String::new();
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars
                    .peek()
                    .and_then(|d| d.to_digit(10))
                    .filter(|d| (1..=9).contains(d))
                {
                    chars.next();
                    let l = d as usize - 1;
                    let value = values[l].unwrap_or_else(|| start_of(l));
                    let f = if level.is_lgl {
                        "decimal"
                    } else {
                        level_def(l).and_then(|d| d.num_fmt.as_deref()).unwrap_or("decimal")
                    };
                    out.push_str(&format_number(value, f));
                    continue;
                }
            }
            out.push(c);
        }
        (!out.is_empty()).then_some(out)
    }
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Render `n` in the number format `fmt` (ST_NumberFormat).
pub fn format_number(n: i64, fmt: &str) -> String {
    let decimal = || n.to_string();
    if n < 0 {
        return decimal();
    }
    let u = n as u64;
    match fmt {
        "decimalZero" if u < 10 => format!("0{u}"),
        "upperRoman" => roman(u).unwrap_or_else(decimal),
        "lowerRoman" => roman(u).map(|s| s.to_lowercase()).unwrap_or_else(decimal),
        "upperLetter" => letters(u, b'A').unwrap_or_else(decimal),
        "lowerLetter" => letters(u, b'a').unwrap_or_else(decimal),
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting"
        | "koreanCounting" => {
            let digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
            chinese_with(u, &digits, &['十', '百', '千'], true).unwrap_or_else(decimal)
        }
        "chineseLegalSimplified" => {
            let digits = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
            chinese_with(u, &digits, &['拾', '佰', '仟'], false).unwrap_or_else(decimal)
        }
        "ideographLegalTraditional" => {
            let digits = ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
            chinese_with(u, &digits, &['拾', '佰', '仟'], false).unwrap_or_else(decimal)
        }
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => u
            .to_string()
            .chars()
            .map(|c| CN_DIGITS[c as usize - '0' as usize])
            .collect(),
        "ideographTraditional" => cycle(u, "甲乙丙丁戊己庚辛壬癸").unwrap_or_else(decimal),
        "ideographZodiac" => cycle(u, "子丑寅卯辰巳午未申酉戌亥").unwrap_or_else(decimal),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle" => {
            offset_char(u, 1..=20, 0x2460).unwrap_or_else(decimal)
        }
        "decimalEnclosedParen" => offset_char(u, 1..=20, 0x2474).unwrap_or_else(decimal),
        "decimalEnclosedFullstop" => offset_char(u, 1..=20, 0x2488).unwrap_or_else(decimal),
        "decimalFullWidth" | "decimalFullWidth2" => u
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "none" | "bullet" => String::new(),
        _ => decimal(),
    }
}

/// 1–9999 in Chinese counting: 十一 (not 一十一) when `short_ten`, 一百零五.
fn chinese_with(u: u64, digits: &[char; 10], units: &[char; 3], short_ten: bool) -> Option<String> {
    if u == 0 {
        return Some(digits[0].to_string());
    }
    if u > 9999 {
        return None;
    }
    let parts = [u / 1000, u / 100 % 10, u / 10 % 10, u % 10];
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, &d) in parts.iter().enumerate() {
        if d == 0 {
            if !out.is_empty() {
                pending_zero = true;
            }
            continue;
        }
        if pending_zero {
            out.push(digits[0]);
            pending_zero = false;
        }
        let unit = match i {
            0 => Some(units[2]),
            1 => Some(units[1]),
            2 => Some(units[0]),
            _ => None,
        };
        if !(short_ten && i == 2 && d == 1 && out.is_empty()) {
            out.push(digits[d as usize]);
        }
        if let Some(unit) = unit {
            out.push(unit);
        }
    }
    Some(out)
}

fn roman(u: u64) -> Option<String> {
    if u == 0 || u > 3999 {
        return None;
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = u;
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

/// Word's letters: A … Z, AA … ZZ, AAA …
fn letters(u: u64, base: u8) -> Option<String> {
    if u == 0 || u > 780 {
        return None;
    }
    let letter = (base + ((u - 1) % 26) as u8) as char;
    Some(std::iter::repeat_n(letter, ((u - 1) / 26 + 1) as usize).collect())
}

fn cycle(u: u64, set: &str) -> Option<String> {
    let chars: Vec<char> = set.chars().collect();
    if u == 0 {
        return None;
    }
    Some(chars[((u - 1) % chars.len() as u64) as usize].to_string())
}

fn offset_char(u: u64, range: std::ops::RangeInclusive<u64>, base: u32) -> Option<String> {
    range
        .contains(&u)
        .then(|| char::from_u32(base + (u - 1) as u32))
        .flatten()
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting() {
        let f = |n| format_number(n, "chineseCounting");
        assert_eq!(f(1), "一");
        assert_eq!(f(10), "十");
        assert_eq!(f(11), "十一");
        assert_eq!(f(20), "二十");
        assert_eq!(f(23), "二十三");
        assert_eq!(f(100), "一百");
        assert_eq!(f(105), "一百零五");
        assert_eq!(f(110), "一百一十");
        assert_eq!(format_number(12, "taiwaneseCountingThousand"), "十二");
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
        assert_eq!(format_number(11, "chineseLegalSimplified"), "壹拾壹");
        assert_eq!(format_number(2024, "ideographDigital"), "二〇二四");
        for n in 1..=99u32 {
            assert_eq!(
                format_number(n as i64, "chineseCountingThousand"),
                crate::numerals::to_cn(n)
            );
        }
    }

    #[test]
    fn other_formats() {
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(3, "decimalZero"), "03");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(3, "ideographTraditional"), "丙");
        assert_eq!(format_number(11, "ideographTraditional"), "甲");
        assert_eq!(format_number(2, "ideographZodiac"), "丑");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(5, "unknownFormat"), "5");
        assert_eq!(format_number(-1, "chineseCounting"), "-1");
    }
}
