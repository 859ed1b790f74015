//! What a session is made of and what it takes: the [`Setup`] resolved by `cli`, one
//! [`Input`] at a time, the [`Flow`] a driver follows, and the largest size drawn.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::library::LibraryIndex;
use crate::parse::ParseOptions;
use crate::text::AmbiguousWidth;
use crate::ui::app::Options;
use crate::ui::input::{Reply, TermInput};
use crate::ui::keymap::Keymap;
use crate::ui::view::theme::Theme;

/// Everything a session is built from, resolved from the command line and the config (by
/// `cli`); one setup serves any number of sessions.
#[derive(Debug, Clone)]
pub struct Setup {
    pub index: LibraryIndex,
    pub state_dir: PathBuf,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Display options; `opts.amb` is replaced by `amb` or the probe's answer.
    pub opts: Options,
    /// The ambiguous width asked for; `None`: as the probe finds.
    pub amb: Option<AmbiguousWidth>,
    pub parse: ParseOptions,
    /// Which library this is, for its own last place (`library::library_key`); `None` for a
    /// run that keeps no library place (a single page, an empty folder).
    pub library: Option<String>,
    /// The session draws on this process's own terminal: `y` may ask the tmux around it
    /// (an SSH channel's client is elsewhere and cannot be asked).
    pub local_terminal: bool,
    /// Shown in the status line when the reader starts (config, scan).
    pub warnings: Vec<String>,
    /// The archive search cache's folder (`search::manifest::cache_dir`); `None`: no
    /// archive search in this run (pages opened on their own).
    pub search_cache: Option<PathBuf>,
}

/// One input for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// Background work has results: the loader has parsed an issue, or the summary thread
    /// has counted a batch of issues (the session's notify callback fired).
    Loaded,
    /// Archive search has news: hits, the end of a search, the cache builder's progress
    /// (the notify given to [`Session::start_search`] fired).
    Search,
    Reply(Reply),
    /// The driver's wait reached [`Session::deadline`].
    Timeout,
}

impl From<TermInput> for Input {
    fn from(i: TermInput) -> Input {
        match i {
            TermInput::Key(k) => Input::Key(k),
            TermInput::Mouse(m) => Input::Mouse(m),
            TermInput::Paste(p) => Input::Paste(p),
            TermInput::Reply(r) => Input::Reply(r),
        }
    }
}

/// What the driver does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The user quit: call [`Session::finish`], then end the session with this exit code.
    Quit(i32),
    /// The user asked to suspend (Ctrl-Z): a driver that can gives the terminal back and
    /// stops, then calls [`Session::redraw`]; others go on as with `Continue`.
    Suspend,
}

/// The largest terminal drawn, in cells: beyond it the top-left part is drawn and the
/// status line says so (a 10000×10000 window would need gigabytes of cells).
pub const MAX_SIZE: (u16, u16) = (1000, 500);

/// The size to draw for a terminal of `width`×`height`, and a message when it is clamped.
pub(super) fn drawn_size(width: u16, height: u16) -> ((u16, u16), Option<String>) {
    let size = (width.min(MAX_SIZE.0), height.min(MAX_SIZE.1));
    let msg = (size != (width, height)).then(|| {
        format!(
            "the window is {width}×{height}; only {}×{} of it is drawn",
            size.0, size.1
        )
    });
    (size, msg)
}
