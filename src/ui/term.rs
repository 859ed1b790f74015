//! What the reader asks of, and tells, the terminal beyond drawing: whether East Asian
//! Ambiguous characters are drawn wide (a cursor-position probe at start-up), whether the
//! locale can show box drawing, and OSC 52 clipboard writes (which travel over SSH and
//! through tmux with `set-clipboard on`).

use std::io::{self, Write};

use ratatui::crossterm::{
    cursor::{MoveTo, position},
    execute,
    style::Print,
    terminal::{Clear, ClearType},
};

use crate::text::AmbiguousWidth;

/// Print `平` then `“` at the top-left corner and read back the cursor column each time.
/// Must run in raw mode, before anything else reads terminal input. A terminal that does not
/// answer (crossterm gives up after 2 s), or answers oddly, counts as narrow.
pub fn probe_ambiguous_width(out: &mut impl Write) -> AmbiguousWidth {
    let mut column = |s: &str| -> io::Result<u16> {
        execute!(out, MoveTo(0, 0), Clear(ClearType::CurrentLine), Print(s))?;
        Ok(position()?.0)
    };
    let result = match (column("平"), column("“")) {
        (Ok(2), Ok(2)) => AmbiguousWidth::Wide,
        _ => AmbiguousWidth::Narrow,
    };
    let _ = execute!(out, MoveTo(0, 0), Clear(ClearType::CurrentLine));
    result
}

/// True when the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`: the first one set) names
/// UTF-8. An unset locale is POSIX, which is not.
pub fn locale_is_utf8(var: impl Fn(&str) -> Option<String>) -> bool {
    let value = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|k| var(k))
        .find(|v| !v.is_empty());
    value.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

/// The OSC 52 sequence that puts `text` on the system clipboard.
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", base64(text.as_bytes()))
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64("平".as_bytes()), "5bmz");
    }

    #[test]
    fn osc52_wraps_base64() {
        assert_eq!(osc52("foo"), "\u{1b}]52;c;Zm9v\u{7}");
    }

    #[test]
    fn locale_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(locale_is_utf8(env(&[("LANG", "zh_CN.UTF-8")])));
        assert!(locale_is_utf8(env(&[("LC_ALL", "C.utf8"), ("LANG", "C")])));
        assert!(!locale_is_utf8(env(&[
            ("LC_ALL", "C"),
            ("LANG", "en_US.UTF-8")
        ])));
        assert!(!locale_is_utf8(env(&[])));
        assert!(locale_is_utf8(env(&[
            ("LC_ALL", ""),
            ("LANG", "en_US.UTF-8")
        ])));
    }
}
