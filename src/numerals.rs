//! Chinese and Arabic numerals as they appear in outline markers, enumeration
//! markers and dates: 一 … 九十九, 〇/零 digit strings for years, 1–99.

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn digit_value(c: char) -> Option<u32> {
    match c {
        '〇' | '○' | 'O' | '零' => Some(0),
        '两' => Some(2),
        _ => DIGITS.iter().position(|&d| d == c).map(|p| p as u32),
    }
}

/// Value of a small Chinese numeral (一 … 九十九). `None` when it is not one.
pub fn parse_cn(s: &str) -> Option<u32> {
    // At most three characters: read four, with nothing allocated.
    let mut it = s.chars();
    let mut chars = ['\0'; 4];
    let mut n = 0;
    for slot in &mut chars {
        match it.next() {
            Some(c) => {
                *slot = c;
                n += 1;
            }
            None => break,
        }
    }
    small_value(&chars[..n])
}

/// The value of a small numeral given as its characters.
fn small_value(chars: &[char]) -> Option<u32> {
    match chars {
        [] => None,
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit_value(*u).filter(|&v| v > 0)?),
        [t, '十'] => Some(digit_value(*t).filter(|&v| v > 1)? * 10),
        [t, '十', u] => Some(digit_value(*t).filter(|&v| v > 1)? * 10 + digit_value(*u).filter(|&v| v > 0)?),
        [d] => digit_value(*d).filter(|&v| v > 0),
        _ => None,
    }
}

/// Value of a digit-by-digit Chinese year (二〇二三) or an Arabic number.
pub fn parse_year(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    s.chars().try_fold(0u32, |acc, c| Some(acc * 10 + digit_value(c)?))
}

/// Value of a month or day written in Arabic or Chinese numerals.
pub fn parse_small(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        s.parse().ok()
    } else {
        parse_cn(s)
    }
}

/// The Chinese numeral for 1–99, as used in 一、 and （一）.
pub fn to_cn(n: u32) -> String {
    let d = |v: u32| DIGITS[v as usize];
    match n {
        0 => "零".into(),
        1..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n % 10)),
        20..=99 if n % 10 == 0 => format!("{}十", d(n / 10)),
        20..=99 => format!("{}十{}", d(n / 10), d(n % 10)),
        _ => n.to_string(),
    }
}

/// Value of a circled number ① … ⑳.
pub fn parse_circled(c: char) -> Option<u32> {
    let v = c as u32;
    (0x2460..=0x2473).contains(&v).then(|| v - 0x2460 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numerals() {
        for n in 1..=99 {
            assert_eq!(parse_cn(&to_cn(n)), Some(n), "{}", to_cn(n));
        }
        assert_eq!(parse_cn("一十"), None);
        assert_eq!(parse_cn("零"), None);
        assert_eq!(parse_cn("两"), Some(2));
    }

    /// `parse_cn` as first written: every character collected, then matched.
    fn parse_cn_plain(s: &str) -> Option<u32> {
        small_value(&s.chars().collect::<Vec<char>>())
    }

    #[test]
    fn small_numerals_read_as_the_plain_match_on_every_short_string() {
        let alphabet: Vec<char> = "一二三九十零两〇百a".chars().collect();
        let mut strings = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = strings
                .iter()
                .filter(|s| s.chars().count() == strings.last().map_or(0, |l| l.chars().count()))
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(longer);
        }
        for s in &strings {
            assert_eq!(parse_cn(s), parse_cn_plain(s), "{s}");
        }
    }

    #[test]
    fn years_and_circled() {
        assert_eq!(parse_year("二〇二三"), Some(2023));
        assert_eq!(parse_year("2024"), Some(2024));
        assert_eq!(parse_circled('③'), Some(3));
        assert_eq!(parse_small("十二"), Some(12));
    }
}
