//! Display width: the one width function of the program, per-character widths, the East
//! Asian Ambiguous test the reader needs for wide mode, and the display-safe mapping that
//! turns control characters into visible placeholders.
//!
//! Widths come from unicode-width 0.2 (the version ratatui uses). Control characters are
//! measured as the placeholder [`display_safe`] draws for them (one cell each), except `'\n'`,
//! which is a line break and never measured (0 cells; layout never puts one in a line).
//! Bidirectional formatting characters (U+202E and kin) and the other format characters count
//! as controls here: sent raw they let a page reorder what the terminal shows around them, or
//! hide text. Emoji sequences whose width terminals disagree on are measured as what is drawn
//! for them ([`stand_in`]).

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::AmbiguousWidth;

/// Placeholder for C1 controls (U+0080–U+009F) and format characters, which have no Control
/// Picture of their own.
const C1_PLACEHOLDER: char = '\u{2426}'; // ␦
/// Placeholder for DEL.
const DEL_PLACEHOLDER: char = '\u{2421}'; // ␡
/// Placeholder for a newline that reaches `display_safe` (layout never lets one through).
const NEWLINE_PLACEHOLDER: char = '\u{2424}'; // ␤

/// True for characters a page must never send to the terminal raw: C0 (tab and newline
/// included), DEL, C1 and the format characters ([`is_format_control`]).
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}') || is_format_control(c)
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

/// The format characters (general category Cf, Unicode 16) but the joiners ZWJ and ZWNJ,
/// which emoji sequences and scripts need: the bidi controls, and invisible ones a terminal
/// may draw as nothing, as a box or as a cell (soft hyphen, zero-width space, word joiner,
/// BOM, interlinear annotation marks, tag characters that can hide text). Shown, they are
/// one placeholder cell everywhere.
pub fn is_format_control(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206a}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// The visible stand-in for one character: control characters become a Control Picture
/// (ESC → ␛, DEL → ␡, C1 and format characters → ␦), tab becomes a space; everything else is
/// itself.
pub fn placeholder(c: char) -> char {
    match c {
        '\t' => ' ',
        '\n' => NEWLINE_PLACEHOLDER,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or(C1_PLACEHOLDER),
        '\u{7f}' => DEL_PLACEHOLDER,
        '\u{80}'..='\u{9f}' => C1_PLACEHOLDER,
        c if is_format_control(c) => C1_PLACEHOLDER,
        _ => c,
    }
}

/// Byte pre-check: true whenever `s` may hold a control. C0 and DEL are single bytes; C1 and
/// the soft hyphen start with `C2`; the Arabic and Syriac format characters with `D8`, `DB`,
/// `DC`, those of U+0800–U+1FFF with `E0`/`E1` (scripts a Chinese page rarely holds). The
/// rest are matched on their first three bytes, because `E2 80` also starts the curly quotes,
/// dashes and ellipsis of nearly every Chinese line and `EF` the full-width punctuation:
/// `E2 80 8B`–`8F`, `E2 80 AA`–`AE`, `E2 81 A0`–`AF`, `EF BB BF`, `EF BF B9`–`BB`, and the
/// four-byte ones by their planes (`F0 91`, `F0 93`, `F0 9B`, `F0 9D`, `F3`). Vectorises,
/// unlike decoding.
fn may_have_control(s: &str) -> bool {
    let b = s.as_bytes();
    let single = b.iter().fold(false, |seen, &x| {
        seen | (x < 0x20)
            | (x == 0x7f)
            | (x == 0xc2)
            | (x == 0xd8)
            | (x == 0xdb)
            | (x == 0xdc)
            | (x == 0xe0)
            | (x == 0xe1)
            | (x == 0xf3)
    });
    single || may_have_wide_control(b)
}

/// The multi-byte controls of [`may_have_control`], told by up to three bytes.
fn may_have_wide_control(b: &[u8]) -> bool {
    let (Some(b1), Some(b2)) = (b.get(1..), b.get(2..)) else {
        return false;
    };
    b.iter()
        .zip(b1)
        .zip(b2)
        .fold(false, |seen, ((&x, &y), &z)| {
            let marks = (y == 0x80) & ((0x8b..=0x8f).contains(&z) | (0xaa..=0xae).contains(&z));
            let words = (y == 0x81) & (0xa0..=0xaf).contains(&z);
            let bom = (y == 0xbb) & (z == 0xbf);
            let annotation = (y == 0xbf) & (0xb9..=0xbb).contains(&z);
            let planes = (y == 0x91) | (y == 0x93) | (y == 0x9b) | (y == 0x9d);
            seen | ((x == 0xe2) & (marks | words))
                | ((x == 0xef) & (bom | annotation))
                | ((x == 0xf0) & planes)
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
    let safe = if may_have_control(s) && s.chars().any(is_control) {
        Cow::Owned(s.chars().filter(|&c| c != '\n').map(placeholder).collect())
    } else {
        Cow::Borrowed(s)
    };
    if safe.chars().any(is_cluster_mark) {
        return safe
            .graphemes(true)
            .map(|g| plain_width(stand_in(g), amb))
            .sum();
    }
    plain_width(&safe, amb)
}

/// Drawn for a flag: GETA MARK, the typesetter's sign for a character that cannot be set;
/// two cells wide in every terminal.
const FLAG_STAND_IN: &str = "\u{3013}"; // 〓

/// Characters that make a grapheme cluster's width differ between terminals: ZWJ (family
/// and profession sequences), VS16 (emoji presentation), the keycap mark, skin-tone
/// modifiers, and regional indicators (flags, one of which alone is drawn in one cell or two).
fn is_cluster_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200d}' | '\u{fe0f}' | '\u{20e3}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{1f1e6}'..='\u{1f1ff}'
    )
}

/// What is drawn for a grapheme cluster (of display-safe text), so that every terminal
/// advances the cursor as far as [`width`] says: the cluster itself when its width is
/// certain; else its first character alone (👨‍👩‍👧 → 👨, 👍🏽 → 👍, ❤️ → ❤), or 〓 for a
/// flag. A terminal that draws 👨‍👩‍👧 as one glyph of two cells and one that draws three
/// glyphs of six would otherwise shift the rest of the row, borders included, differently.
pub fn stand_in(g: &str) -> &str {
    let mut chars = g.chars();
    let Some(first) = chars.next() else {
        return g;
    };
    if ('\u{1f1e6}'..='\u{1f1ff}').contains(&first) {
        return FLAG_STAND_IN;
    }
    if chars.any(is_cluster_mark) {
        &g[..first.len_utf8()]
    } else {
        g
    }
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
    fn invisible_format_characters_become_placeholders() {
        // Soft hyphen, zero-width space, word joiner, BOM, annotation, a tag character.
        let s = "平\u{ad}城\u{200b}区\u{2060}教\u{feff}育\u{fff9}局\u{e0041}";
        assert_eq!(display_safe(s), "平␦城␦区␦教␦育␦局␦");
        assert_eq!(width(s, Narrow), 12 + 6);
        assert_eq!(width(s, Wide), 12 + 6);
        // The joiners stay: emoji sequences and scripts need them.
        assert!(matches!(
            display_safe("a\u{200c}b\u{200d}c"),
            Cow::Borrowed(_)
        ));
        // Full-width punctuation (`EF BC ..`) does not wake the slow path.
        assert!(!may_have_control("平城，区。（教）"));
    }

    #[test]
    fn uncertain_clusters_are_measured_as_what_is_drawn() {
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
        let thumbs = "\u{1f44d}\u{1f3fd}";
        let flag = "\u{1f1e8}\u{1f1f3}";
        let heart = "\u{2764}\u{fe0f}";
        let keycap = "1\u{fe0f}\u{20e3}";
        assert_eq!(stand_in(family), "\u{1f468}");
        assert_eq!(stand_in(thumbs), "\u{1f44d}");
        assert_eq!(stand_in(flag), "〓");
        assert_eq!(stand_in("\u{1f1e8}"), "〓");
        assert_eq!(stand_in(heart), "\u{2764}");
        assert_eq!(stand_in(keycap), "1");
        assert_eq!(stand_in("平"), "平");
        assert_eq!(stand_in("e\u{301}"), "e\u{301}");
        for amb in [Narrow, Wide] {
            for g in [family, thumbs, flag, heart, keycap] {
                assert_eq!(width(g, amb), width(stand_in(g), amb), "{g:?}");
                let line = format!("平{g}城");
                assert_eq!(width(&line, amb), 4 + width(stand_in(g), amb), "{g:?}");
            }
        }
    }

    #[test]
    fn one_char_per_char() {
        let s = "a\u{0}b\u{1b}c\u{9b}d\u{7f}\n";
        assert_eq!(display_safe(s).chars().count(), s.chars().count());
    }
}
