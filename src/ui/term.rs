//! What the reader asks of, and tells, the terminal beyond drawing: one start-up probe (are
//! East Asian Ambiguous characters drawn wide, does the terminal answer cursor position
//! queries — frames are paced by them — and does it support left/right margins), whether
//! the locale can show box drawing, and OSC 52 clipboard writes (which travel over SSH and
//! through tmux with `set-clipboard on`).

use std::time::Duration;

use super::input::Reply;
use crate::text::AmbiguousWidth;

/// The probe, written in one go so that it costs one round trip: print `平“` at the
/// top-left corner and ask where the cursor is (column 5 when `“` is drawn wide, 4 when
/// narrow), ask whether DECLRMM (mode 69, left/right margins) is known (DECRQM), and ask
/// for the device attributes, which every terminal answers, and answers last.
pub const PROBE_QUERY: &str = "\u{1b}[H\u{1b}[2K平“\u{1b}[6n\u{1b}[?69$p\u{1b}[c";

/// How long the start-up probe waits for the device attributes before drawing anyway.
/// Replies that arrive later are dropped, never read as keys.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

/// What the probe found out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermCaps {
    pub amb: AmbiguousWidth,
    /// The terminal answered the cursor query: frames can be paced.
    pub cursor_reports: bool,
    /// Left/right margins (DECLRMM) are supported: the body can scroll beside the list.
    pub margins: bool,
}

impl TermCaps {
    /// A terminal nothing is known of: narrow, unpaced, no margins.
    pub const UNKNOWN: TermCaps = TermCaps {
        amb: AmbiguousWidth::Narrow,
        cursor_reports: false,
        margins: false,
    };
}

/// The replies to [`PROBE_QUERY`] gathered so far.
#[derive(Debug, Clone, Default)]
pub struct Probe {
    column: Option<u16>,
    margins: Option<bool>,
}

impl Probe {
    /// Take one reply; true when the probe is complete (the device attributes came, and
    /// they come last).
    pub fn take(&mut self, reply: Reply) -> bool {
        match reply {
            Reply::Cursor { col, .. } => {
                self.column.get_or_insert(col);
                false
            }
            Reply::Mode { mode: 69, value } => {
                self.margins = Some(matches!(value, 1 | 2));
                false
            }
            Reply::Mode { .. } => false,
            Reply::DeviceAttributes => true,
        }
    }

    /// What the replies say (a missing reply says no; an odd column says narrow).
    pub fn caps(&self) -> TermCaps {
        TermCaps {
            amb: if self.column == Some(5) {
                AmbiguousWidth::Wide
            } else {
                AmbiguousWidth::Narrow
            },
            cursor_reports: self.column.is_some(),
            margins: self.margins == Some(true),
        }
    }
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
    fn the_probe_reads_width_pacing_and_margins_from_the_replies() {
        let mut p = Probe::default();
        assert_eq!(p.caps(), TermCaps::UNKNOWN);
        assert!(!p.take(Reply::Cursor { row: 1, col: 5 }));
        assert!(!p.take(Reply::Mode { mode: 69, value: 2 }));
        assert!(p.take(Reply::DeviceAttributes));
        let caps = p.caps();
        assert_eq!(caps.amb, AmbiguousWidth::Wide);
        assert!(caps.cursor_reports && caps.margins);
        let mut narrow = Probe::default();
        narrow.take(Reply::Cursor { row: 1, col: 4 });
        narrow.take(Reply::Mode { mode: 69, value: 0 });
        let caps = narrow.caps();
        assert_eq!(caps.amb, AmbiguousWidth::Narrow);
        assert!(caps.cursor_reports && !caps.margins);
    }

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
