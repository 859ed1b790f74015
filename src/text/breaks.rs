//! Break opportunities: UAX #14 (unicode-linebreak, default strict rules) with the
//! tailorings dubao adds on top — T0 (the kinsoku tables are enforced outright: no break
//! before a no-start or after a no-end character, e.g. `平|%` which UAX #14 allows), T1 (no break before `·～〜—―⸺⸻`), T2 (no break right after
//! a paragraph's leading U+3000 run) and T3 (a run of printable ASCII — word, number, URL —
//! is never broken inside). The result is a stream of unbreakable units covering the text.

use unicode_linebreak::linebreaks;

use super::kinsoku::{is_ascii_token, is_no_end, is_no_start, no_break_before};

/// Byte ranges of the unbreakable units of `text`, in order, covering it exactly. A unit
/// carries its trailing spaces (UAX #14 breaks after spaces). One pass, O(n).
pub fn break_units(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let lead = text.len() - text.trim_start_matches('\u{3000}').len();
    let mut start = 0;
    linebreaks(text).filter_map(move |(pos, _)| {
        if pos <= start || (pos < text.len() && suppressed(text, pos, lead)) {
            return None;
        }
        let unit = (start, pos);
        start = pos;
        Some(unit)
    })
}

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
        assert_eq!(split("行“保驾"), ["行“保", "驾"]);
        assert_eq!(split("处罚123.5万元"), ["处", "罚", "123.5", "万", "元"]);
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
        for s in ["", "a", "  lead", "平", "a\u{1b}[1mb 平。", "\u{3000}"] {
            assert_eq!(split(s).concat(), s);
        }
    }
}
