//! What `y` writes to the terminal and what it may honestly say about it.
//!
//! The article goes to the clipboard as an OSC 52 sequence, which the terminal (or tmux)
//! acts on or silently ignores: no answer comes back, so the reader can never say "copied",
//! only what it sent and, when it knows, why it may not have worked. Inside tmux (`$TMUX`
//! set: the tmux server runs on this machine, so its options can be asked) the sequence is
//! dropped unless `set-clipboard` is `on`; tmux's default, `external`, only forwards copies
//! made in tmux's own copy mode. In that case the sequence is also sent wrapped for tmux's
//! passthrough (it reaches the outer terminal when `allow-passthrough` is on, and is dropped
//! harmlessly otherwise) and the message says how to enable it. Over SSH from a local tmux,
//! `$TMUX` is not set on the server and nothing can be detected: the message says so.
//!
//! [`plan`] is pure (tested below); [`tmux_now`] is the one place that looks at the
//! environment and runs `tmux show`, for the event loop that performs the copy.

use super::term::osc52;

/// What is known about tmux around the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tmux {
    /// `$TMUX` is not set: a terminal directly, or an SSH session (perhaps from a tmux
    /// elsewhere, which cannot be seen from here).
    Absent,
    /// Inside tmux, with the value of its global `set-clipboard` option (`on`, `external`,
    /// `off`), or `None` when asking tmux failed.
    Inside { set_clipboard: Option<String> },
}

/// The bytes to write and the status-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyPlan {
    pub sequence: String,
    pub message: String,
    /// False when the copy is likely lost (show the message as a warning).
    pub likely: bool,
}

/// The sequence and the message for copying `text` of `chars` characters.
pub fn plan(text: &str, tmux: &Tmux) -> CopyPlan {
    let chars = text.chars().count();
    let direct = osc52(text);
    match tmux {
        Tmux::Absent => CopyPlan {
            sequence: direct,
            message: format!(
                "sent {chars} characters to the terminal's clipboard (OSC 52; \
                 terminals that do not allow it ignore it)"
            ),
            likely: true,
        },
        Tmux::Inside { set_clipboard } if set_clipboard.as_deref() == Some("on") => CopyPlan {
            sequence: direct,
            message: format!("sent {chars} characters to tmux's clipboard (set-clipboard on)"),
            likely: true,
        },
        Tmux::Inside { .. } => CopyPlan {
            sequence: format!("{direct}{}", tmux_passthrough(&direct)),
            message: format!(
                "tmux may drop the copy ({chars} characters): add `set -g set-clipboard on` \
                 to ~/.tmux.conf"
            ),
            likely: false,
        },
    }
}

/// `seq` wrapped in tmux's DCS passthrough: `ESC P tmux;` + the sequence with every ESC
/// doubled + `ESC \`.
pub fn tmux_passthrough(seq: &str) -> String {
    format!(
        "\u{1b}Ptmux;{}\u{1b}\\",
        seq.replace('\u{1b}', "\u{1b}\u{1b}")
    )
}

/// Look at `$TMUX` and, inside tmux, ask it for `set-clipboard` (one short process; only
/// when `y` is pressed).
pub fn tmux_now() -> Tmux {
    if std::env::var_os("TMUX").is_none_or(|v| v.is_empty()) {
        return Tmux::Absent;
    }
    let set_clipboard = std::process::Command::new("tmux")
        .args(["show-options", "-gv", "set-clipboard"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    Tmux::Inside { set_clipboard }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(v: Option<&str>) -> Tmux {
        Tmux::Inside {
            set_clipboard: v.map(str::to_string),
        }
    }

    #[test]
    fn a_terminal_gets_osc52_and_no_claim_of_success() {
        let p = plan("平城", &Tmux::Absent);
        assert_eq!(p.sequence, "\u{1b}]52;c;5bmz5Z+O\u{7}");
        assert!(p.likely);
        assert!(p.message.starts_with("sent 2 characters"), "{}", p.message);
        assert!(!p.message.contains("copied"));
    }

    #[test]
    fn tmux_with_set_clipboard_on_takes_it_as_is() {
        let p = plan("foo", &inside(Some("on")));
        assert_eq!(p.sequence, "\u{1b}]52;c;Zm9v\u{7}");
        assert!(p.likely);
        assert_eq!(
            p.message,
            "sent 3 characters to tmux's clipboard (set-clipboard on)"
        );
    }

    #[test]
    fn tmux_default_or_unknown_says_how_to_enable_and_tries_passthrough() {
        for v in [Some("external"), Some("off"), None] {
            let p = plan("foo", &inside(v));
            assert!(!p.likely, "{v:?}");
            assert_eq!(
                p.sequence,
                "\u{1b}]52;c;Zm9v\u{7}\u{1b}Ptmux;\u{1b}\u{1b}]52;c;Zm9v\u{7}\u{1b}\\"
            );
            assert!(
                p.message.contains("set -g set-clipboard on"),
                "{}",
                p.message
            );
            assert!(!p.message.contains("copied"));
        }
    }
}
