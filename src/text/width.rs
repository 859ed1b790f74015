//! Display width: the one width function of the program, per-character widths, the East
//! Asian Ambiguous test the reader needs for wide mode, and the display-safe mapping that
//! turns control characters into visible placeholders.
//!
//! Widths come from unicode-width 0.2 (the version ratatui uses). Control characters are
//! measured as the placeholder [`display_safe`] draws for them (one cell each), except `'\n'`,
//! which is a line break and never measured (0 cells; layout never puts one in a line).

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::AmbiguousWidth;

/// Placeholder for C1 controls (U+0080–U+009F), which have no Control Picture of their own.
const C1_PLACEHOLDER: char = '\u{2426}'; // ␦
/// Placeholder for DEL.
const DEL_PLACEHOLDER: char = '\u{2421}'; // ␡
/// Placeholder for a newline that reaches `display_safe` (layout never lets one through).
const NEWLINE_PLACEHOLDER: char = '\u{2424}'; // ␤

/// True for characters a page must never send to the terminal raw: C0 (tab and newline
/// included), DEL and C1.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The visible stand-in for one character: control characters become a Control Picture
/// (ESC → ␛, DEL → ␡, C1 → ␦), tab becomes a space; everything else is itself.
pub fn placeholder(c: char) -> char {
    match c {
        '\t' => ' ',
        '\n' => NEWLINE_PLACEHOLDER,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or(C1_PLACEHOLDER),
        '\u{7f}' => DEL_PLACEHOLDER,
        '\u{80}'..='\u{9f}' => C1_PLACEHOLDER,
        _ => c,
    }
}

/// Byte pre-check: C0 and DEL are single bytes, C1 is `C2 80`–`C2 9F`; no control can hide
/// elsewhere in UTF-8. Vectorises, unlike decoding.
fn may_have_control(s: &str) -> bool {
    s.bytes().fold(false, |seen, b| {
        seen | (b < 0x20) | (b == 0x7f) | (b == 0xc2)
    })
}

/// `s` with every control character replaced by its placeholder: one char for one char, so
/// character offsets into the original stay valid. Borrows when there is nothing to replace.
pub fn display_safe(s: &str) -> Cow<'_, str> {
    if may_have_control(s) && s.chars().any(is_control) {
        Cow::Owned(s.chars().map(placeholder).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Display width of `s` in terminal cells. The one width function of the program.
pub fn width(s: &str, amb: AmbiguousWidth) -> usize {
    // Fast path for the characters that make up nearly all of a Chinese page, whose width
    // unicode-width gives without context; anything else measures the whole string.
    let mut sum = 0;
    for c in s.chars() {
        match simple_width(c) {
            Some(w) => sum += w,
            None => return full_width(s, amb),
        }
    }
    sum
}

/// Width of characters that are never ambiguous, never controls and never part of a
/// multi-character width sequence (printable ASCII, CJK ideographs, CJK and full-width
/// punctuation).
fn simple_width(c: char) -> Option<usize> {
    match c {
        ' '..='~' => Some(1),
        '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{3029}' | '\u{ff01}'..='\u{ff60}' => Some(2),
        _ => None,
    }
}

fn full_width(s: &str, amb: AmbiguousWidth) -> usize {
    if may_have_control(s) && s.chars().any(is_control) {
        let safe: String = s.chars().filter(|&c| c != '\n').map(placeholder).collect();
        return plain_width(&safe, amb);
    }
    plain_width(s, amb)
}

fn plain_width(s: &str, amb: AmbiguousWidth) -> usize {
    match amb {
        AmbiguousWidth::Narrow => s.width(),
        AmbiguousWidth::Wide => s.width_cjk(),
    }
}

/// Width of one character as drawn on its own (controls as their placeholder, `'\n'` as 0).
pub fn char_width(c: char, amb: AmbiguousWidth) -> usize {
    if c == '\n' {
        return 0;
    }
    let c = placeholder(c);
    match amb {
        AmbiguousWidth::Narrow => c.width(),
        AmbiguousWidth::Wide => c.width_cjk(),
    }
    .unwrap_or(0)
}

/// True for East Asian Ambiguous characters (“ ” ‘ ’ … — · ° ①): the ones whose width
/// depends on the terminal. The reader draws them with a forced width of 2 in wide mode.
pub fn is_ambiguous(c: char) -> bool {
    c.width() != c.width_cjk()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    #[test]
    fn ambiguous_quotes_follow_the_setting() {
        assert_eq!(width("“保驾护航”", Narrow), 10);
        assert_eq!(width("“保驾护航”", Wide), 12);
        assert!(is_ambiguous('“') && is_ambiguous('…') && is_ambiguous('·'));
        assert!(!is_ambiguous('平') && !is_ambiguous('，') && !is_ambiguous('a'));
        assert_eq!(char_width('—', Wide), 2);
        assert_eq!(char_width('—', Narrow), 1);
    }

    #[test]
    fn controls_are_measured_as_their_placeholders() {
        assert_eq!(display_safe("a\u{1b}[31mb"), "a\u{241b}[31mb");
        assert_eq!(display_safe("x\u{7f}\u{9b}\t"), "x\u{2421}\u{2426} ");
        assert!(matches!(display_safe("平城"), Cow::Borrowed(_)));
        for c in ['\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\t'] {
            let p = placeholder(c);
            assert!(!is_control(p), "{c:?} -> {p:?}");
            assert_eq!(char_width(c, Narrow), 1);
            assert_eq!(
                char_width(c, Wide),
                1,
                "{c:?} placeholder must not be ambiguous"
            );
            assert_eq!(width(&c.to_string(), Wide), 1);
        }
        assert_eq!(width("平\n城", Narrow), 4);
        assert_eq!(char_width('\n', Narrow), 0);
    }

    #[test]
    fn fast_path_agrees_with_unicode_width() {
        for c in (' '..='~')
            .chain('\u{3000}'..='\u{3029}')
            .chain('\u{4e00}'..='\u{9fff}')
            .chain('\u{ff01}'..='\u{ff60}')
        {
            let s = c.to_string();
            assert_eq!(simple_width(c), Some(plain_width(&s, Narrow)), "{c:?}");
            assert_eq!(simple_width(c), Some(plain_width(&s, Wide)), "{c:?}");
        }
    }

    #[test]
    fn one_char_per_char() {
        let s = "a\u{0}b\u{1b}c\u{9b}d\u{7f}\n";
        assert_eq!(display_safe(s).chars().count(), s.chars().count());
    }
}
