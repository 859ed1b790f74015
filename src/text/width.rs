//! Display width: the one width function of the program, per-character widths, the East
//! Asian Ambiguous test the reader needs for wide mode, and the display-safe mapping that
//! turns control characters into visible placeholders.
//!
//! Widths come from unicode-width 0.2 (the version ratatui uses). Control characters are
//! measured as the placeholder [`display_safe`] draws for them (one cell each), except `'\n'`,
//! which is a line break and never measured (0 cells; layout never puts one in a line).
//! Bidirectional formatting characters (U+202E and kin) count as controls here: sent raw they
//! let a page reorder what the terminal shows around them.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::AmbiguousWidth;

/// Placeholder for C1 controls (U+0080–U+009F) and bidi formatting characters, which have no
/// Control Picture of their own.
const C1_PLACEHOLDER: char = '\u{2426}'; // ␦
/// Placeholder for DEL.
const DEL_PLACEHOLDER: char = '\u{2421}'; // ␡
/// Placeholder for a newline that reaches `display_safe` (layout never lets one through).
const NEWLINE_PLACEHOLDER: char = '\u{2424}'; // ␤

/// True for characters a page must never send to the terminal raw: C0 (tab and newline
/// included), DEL, C1 and the bidi formatting characters ([`is_bidi_control`]).
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}') || is_bidi_control(c)
}

/// The Unicode bidi formatting characters: embeddings and overrides (U+202A–U+202E),
/// isolates (U+2066–U+2069) and the marks LRM, RLM (U+200E, U+200F) and ALM (U+061C). A
/// terminal that applies the bidi algorithm reorders text around them ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// The visible stand-in for one character: control characters become a Control Picture
/// (ESC → ␛, DEL → ␡, C1 and bidi → ␦), tab becomes a space; everything else is itself.
pub fn placeholder(c: char) -> char {
    match c {
        '\t' => ' ',
        '\n' => NEWLINE_PLACEHOLDER,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or(C1_PLACEHOLDER),
        '\u{7f}' => DEL_PLACEHOLDER,
        '\u{80}'..='\u{9f}' => C1_PLACEHOLDER,
        c if is_bidi_control(c) => C1_PLACEHOLDER,
        _ => c,
    }
}

/// Byte pre-check: C0 and DEL are single bytes, C1 is `C2 80`–`C2 9F`, ALM is `D8 9C`; the
/// other bidi controls are `E2 80 8E`/`8F`, `E2 80 AA`–`AE` and `E2 81 A6`–`A9`, matched on
/// all three bytes because `E2 80` also starts the curly quotes, dashes and ellipsis of
/// nearly every Chinese line. No control can hide elsewhere in UTF-8. Vectorises, unlike
/// decoding.
fn may_have_control(s: &str) -> bool {
    let b = s.as_bytes();
    let single = b.iter().fold(false, |seen, &x| {
        seen | (x < 0x20) | (x == 0x7f) | (x == 0xc2) | (x == 0xd8)
    });
    single || may_have_bidi(b)
}

/// The three-byte bidi controls of [`may_have_control`].
fn may_have_bidi(b: &[u8]) -> bool {
    let (Some(b1), Some(b2)) = (b.get(1..), b.get(2..)) else {
        return false;
    };
    b.iter()
        .zip(b1)
        .zip(b2)
        .fold(false, |seen, ((&x, &y), &z)| {
            let marks = (y == 0x80) & ((z == 0x8e) | (z == 0x8f) | ((0xaa..=0xae).contains(&z)));
            let isolates = (y == 0x81) & (0xa6..=0xa9).contains(&z);
            seen | ((x == 0xe2) & (marks | isolates))
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
    fn bidi_controls_become_placeholders() {
        let trojan = "平城\u{202e}区\u{202c}安\u{2066}全\u{2069}\u{200e}\u{200f}\u{61c}";
        assert_eq!(display_safe(trojan), "平城␦区␦安␦全␦␦␦␦");
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{61c}',
        ] {
            assert!(is_control(c), "{c:?}");
            let s = format!("a{c}“b”");
            assert_eq!(
                display_safe(&s).chars().nth(1),
                Some(C1_PLACEHOLDER),
                "{c:?}"
            );
            // Measured as drawn: the placeholder's one cell, in both settings.
            assert_eq!(char_width(c, Narrow), 1);
            assert_eq!(char_width(c, Wide), 1);
            assert_eq!(width(&s, Narrow), width(&display_safe(&s), Narrow));
            assert_eq!(width(&s, Wide), width(&display_safe(&s), Wide));
        }
        // Neighbours that are not controls stay: ZWJ, the ellipsis `E2 80 A6`, `E2 81 A5`.
        for s in ["a\u{200d}b", "“平”……——", "\u{2065}\u{2070}\u{202f}\u{200d}"] {
            assert!(matches!(display_safe(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    /// The byte gate must let every control through, at every position in a string.
    #[test]
    fn byte_gate_never_misses_a_control() {
        let controls = ('\u{0}'..='\u{10ffff}').filter(|&c| is_control(c));
        for c in controls {
            for s in [
                c.to_string(),
                format!("平{c}"),
                format!("{c}平"),
                format!("a{c}b"),
            ] {
                assert!(may_have_control(&s), "{c:?} in {s:?}");
            }
        }
    }

    #[test]
    fn one_char_per_char() {
        let s = "a\u{0}b\u{1b}c\u{9b}d\u{7f}\n";
        assert_eq!(display_safe(s).chars().count(), s.chars().count());
    }
}
