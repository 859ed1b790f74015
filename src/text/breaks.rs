//! Break opportunities: UAX #14 (unicode-linebreak, default strict rules) with the
//! tailorings dubao adds on top — T0 (the kinsoku tables are enforced outright: no break
//! before a no-start or after a no-end character, e.g. `平|%` which UAX #14 allows), T1 (no break before `·～〜—―⸺⸻`), T2 (no break right after
//! a paragraph's leading U+3000 run) and T3 (a run of printable ASCII — word, number, URL —
//! is never broken inside), T4 (a number keeps the measure word after it: `24日`) and T5 (a
//! break before `“` after an ideograph, and after `”` before one: UAX #14 LB19 forbids both,
//! clreq allows them). The result is a stream of unbreakable units covering the text.

use unicode_linebreak::linebreaks;

use super::kinsoku::{is_ascii_token, is_no_end, is_no_start, no_break_before};

/// Byte ranges of the unbreakable units of `text`, in order, covering it exactly. A unit
/// carries its trailing spaces (UAX #14 breaks after spaces). One pass, O(n).
pub fn break_units(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let lead = text.len() - text.trim_start_matches('\u{3000}').len();
    let mut start = 0;
    // T4: the end of a number + measure word that is being kept together.
    let mut glued_to = 0;
    linebreaks(text)
        .filter_map(move |(pos, _)| {
            if pos <= start || pos < glued_to {
                return None;
            }
            if pos < text.len() {
                if let Some(len) = measure_word_after_number(text, pos) {
                    glued_to = pos + len;
                    return None;
                }
                if suppressed(text, pos, lead) {
                    return None;
                }
            }
            let unit = (start, pos);
            start = pos;
            Some(unit)
        })
        .flat_map(move |(s, e)| QuoteSplits::new(text, s, e))
}

/// T5: inside a UAX #14 unit, the extra break opportunities CJK allows around quotation marks
/// (UAX #14 LB19 glues `“` to whatever precedes it; clreq allows a break before an opening
/// quote that follows an ideograph or CJK punctuation, and after a closing quote that an
/// ideograph follows). Yields `s..e` cut at those points.
struct QuoteSplits<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

impl<'a> QuoteSplits<'a> {
    fn new(text: &'a str, start: usize, end: usize) -> Self {
        QuoteSplits { text, start, end }
    }
}

impl Iterator for QuoteSplits<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.start >= self.end {
            return None;
        }
        let s = self.start;
        let cut = quote_break(self.text, s, self.end).unwrap_or(self.end);
        self.start = cut;
        Some((s, cut))
    }
}

/// The first T5 opportunity strictly inside `s..e`. Quotes are E2 80 98/99/9C/9D; units
/// without an E2 byte are skipped on bytes.
fn quote_break(text: &str, s: usize, e: usize) -> Option<usize> {
    let bytes = &text.as_bytes()[s..e];
    if bytes.len() < 4 || memchr::memchr(0xE2, bytes).is_none() {
        return None;
    }
    let unit = &text[s..e];
    let mut prev: Option<char> = None;
    for (i, c) in unit.char_indices() {
        let at = s + i;
        match c {
            '“' | '‘' if i > 0 && prev.is_some_and(opens_after) => return Some(at),
            '”' | '’' => {
                let after = at + c.len_utf8();
                if after < e && text[after..].chars().next().is_some_and(closes_before) {
                    return Some(after);
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
    None
}

/// May an opening quote start a new line after `c`? After an ideograph or CJK punctuation
/// that may end a line.
fn opens_after(c: char) -> bool {
    !is_no_end(c) && (is_cjk_letter(c) || is_cjk_punct(c) || matches!(c, '”' | '’' | '…' | '—'))
}

/// May a line start with `c` right after a closing quote? An ideograph, or CJK punctuation
/// that may start a line (an opening bracket).
fn closes_before(c: char) -> bool {
    !is_no_start(c) && (is_cjk_letter(c) || is_cjk_punct(c))
}

fn is_cjk_letter(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3001..=0x303F | 0xFF01..=0xFF60)
}

/// T4 (house rule): Arabic digits and the measure word or unit right after them stay on one
/// line (`24日`, `6厘米`, `1小时`, `123.5万元`): the length in bytes of that word when `pos`
/// sits between the last digit and it.
fn measure_word_after_number(text: &str, pos: usize) -> Option<usize> {
    let before = *text.as_bytes().get(pos.checked_sub(1)?)?;
    if !before.is_ascii_digit() {
        return None;
    }
    let rest = &text[pos..];
    MEASURE_WORDS
        .iter()
        .find(|w| rest.starts_with(*w))
        .map(|w| w.len())
}

/// Where a unit glued by T4 may still be broken: the byte offset, inside `unit`, of the first
/// measure word that follows a digit. The breaker uses it when keeping the number with its
/// word would leave a line too short ("when the line has room").
pub(super) fn number_word_split(unit: &str) -> Option<usize> {
    let b = unit.as_bytes();
    (1..b.len())
        .filter(|&p| b[p - 1].is_ascii_digit() && unit.is_char_boundary(p))
        .find(|&p| measure_word_after_number(unit, p).is_some())
}

/// Units and measure words kept with a preceding number, longest first where one is the
/// prefix of another.
const MEASURE_WORDS: &[&str] = &[
    "万人次",
    "平方米",
    "平方公里",
    "万元",
    "亿元",
    "万人",
    "人次",
    "小时",
    "分钟",
    "厘米",
    "毫米",
    "公里",
    "公斤",
    "千米",
    "千克",
    "周年",
    "个月",
    "多万",
    "余万",
    "万",
    "亿",
    "年",
    "月",
    "日",
    "号",
    "时",
    "分",
    "秒",
    "天",
    "岁",
    "个",
    "人",
    "名",
    "位",
    "元",
    "米",
    "克",
    "吨",
    "斤",
    "亩",
    "次",
    "家",
    "辆",
    "条",
    "件",
    "项",
    "例",
    "对",
    "所",
    "座",
    "台",
    "户",
    "批",
    "期",
    "届",
    "版",
    "倍",
    "度",
    "层",
    "栋",
    "场",
    "篇",
    "本",
    "块",
    "张",
    "余",
    "多",
];

/// True when the UAX #14 opportunity at byte `pos` is removed by a tailoring.
fn suppressed(text: &str, pos: usize, lead: usize) -> bool {
    if pos == lead {
        return true; // T2
    }
    if between_ideographs(text.as_bytes(), pos) {
        return false; // the common case in Chinese text; no tailoring concerns U+4000–U+9FFF
    }
    // The break follows any spaces: an opening mark before them still may not end the line.
    let shown = text[..pos].trim_end_matches(' ').chars().next_back();
    if text
        .as_bytes()
        .get(pos)
        .is_some_and(|b| (0xe4..=0xe9).contains(b))
    {
        // An ideograph after: only T0's no-end side can apply.
        return shown.is_some_and(is_no_end);
    }
    let (Some(before), Some(after)) = (text[..pos].chars().next_back(), text[pos..].chars().next())
    else {
        return false;
    };
    no_break_before(after)
        || is_no_start(after)
        || shown.is_some_and(is_no_end)
        || (is_ascii_token(before) && is_ascii_token(after))
}

/// True when the characters on both sides of `pos` lie in U+4000–U+9FFF (UTF-8 lead bytes
/// E4–E9, three bytes long): decided on bytes, without decoding.
#[inline]
fn between_ideographs(bytes: &[u8], pos: usize) -> bool {
    let ideograph_lead = |b: u8| (0xE4..=0xE9).contains(&b);
    pos >= 3
        && bytes.get(pos).copied().is_some_and(ideograph_lead)
        && ideograph_lead(bytes[pos - 3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        break_units(s).map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn uax14_units_with_tailorings() {
        assert_eq!(split("响，我市"), ["响，", "我", "市"]);
        // T5: UAX #14 alone gives `行“保`.
        assert_eq!(split("行“保驾"), ["行", "“保", "驾"]);
        assert_eq!(
            split("间、“城中村”改造"),
            ["间、", "“城", "中", "村”", "改", "造"]
        );
        assert_eq!(split("（“保”）"), ["（“保”）"]);
        assert_eq!(split("He said “hi”"), ["He ", "said ", "“hi”"]);
        // T4
        assert_eq!(split("处罚123.5万元"), ["处", "罚", "123.5万元"]);
        assert_eq!(split("最快1小时47分钟"), ["最", "快", "1小时", "47分钟"]);
        assert_eq!(split("24日上午"), ["24日", "上", "午"]);
        // T1
        assert_eq!(split("比尔·盖茨"), ["比", "尔·", "盖", "茨"]);
        assert_eq!(split("说——安"), ["说——", "安"]);
        // T2
        assert_eq!(
            split("\u{3000}\u{3000}本报讯"),
            ["\u{3000}\u{3000}本", "报", "讯"]
        );
        // T3
        assert_eq!(
            split("见http://a.cn/b/c的"),
            ["见", "http://a.cn/b/c", "的"]
        );
        assert_eq!(split("well-known word"), ["well-known ", "word"]);
    }

    #[test]
    fn units_cover_the_text() {
        for s in [
            "",
            "a",
            "  lead",
            "平",
            "a\u{1b}[1mb 平。",
            "\u{3000}",
            "1日",
            "“”“",
            "3",
        ] {
            assert_eq!(split(s).concat(), s);
        }
    }
}
