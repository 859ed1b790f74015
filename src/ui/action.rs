//! What the user means (actions) and what the loop must do about it (effects).
//!
//! Keys and mouse events become [`Action`]s through the keymap; `App::update` turns an action
//! into a state change and at most one [`Effect`], which the event loop performs (it is the
//! only place with I/O). Actions are named for intent, never for keys, and their names are
//! the ones a user writes in the config's `[keys]` table.

/// A user intent. Every variant that a key can trigger has a stable config name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the cursor (lists) or scroll the body one line.
    LineDown,
    LineUp,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    /// Page down; at the end of an article, open the next one (Space).
    ReadOn,
    PageDown,
    PageUp,
    /// Issue → its headlines; headline → its article.
    Open,
    FocusNext,
    FocusPrev,
    FocusLeft,
    FocusRight,
    /// One pane back (narrow terminals, overlays).
    Back,
    NextArticle,
    PrevArticle,
    OlderIssue,
    NewerIssue,
    ToggleZoom,
    ToggleHelp,
    ToggleBookmark,
    ShowBookmarks,
    DeleteBookmark,
    EditNote,
    CopyArticle,
    Quit,
    // Below: not bound by name; produced by the loop from mouse, resize and the line editor.
    /// Scroll the pane under (x, y) by n lines (negative: up).
    Wheel {
        x: u16,
        y: u16,
        lines: i16,
    },
    /// Click at (x, y): focus that pane and select the row.
    Click {
        x: u16,
        y: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Line editor (bookmark note): insert a character, edit, confirm, cancel.
    EditInsert(char),
    EditBackspace,
    EditDelete,
    EditLeft,
    EditRight,
    EditHome,
    EditEnd,
    EditConfirm,
    EditCancel,
}

/// The actions a user can bind, with their config names and help text, in help order.
pub const NAMED: &[(Action, &str, &str)] = &[
    (Action::LineDown, "line_down", "down one line / next item"),
    (Action::LineUp, "line_up", "up one line / previous item"),
    (Action::Top, "top", "go to the top"),
    (Action::Bottom, "bottom", "go to the bottom"),
    (Action::HalfPageDown, "half_page_down", "half a page down"),
    (Action::HalfPageUp, "half_page_up", "half a page up"),
    (
        Action::ReadOn,
        "read_on",
        "page down; next article at the end",
    ),
    (Action::PageDown, "page_down", "page down"),
    (Action::PageUp, "page_up", "page up"),
    (Action::Open, "open", "open issue / article"),
    (Action::FocusNext, "focus_next", "next pane"),
    (Action::FocusPrev, "focus_prev", "previous pane"),
    (Action::FocusLeft, "focus_left", "pane to the left"),
    (Action::FocusRight, "focus_right", "pane to the right"),
    (Action::Back, "back", "back / close"),
    (Action::NextArticle, "next_article", "next article"),
    (Action::PrevArticle, "prev_article", "previous article"),
    (Action::OlderIssue, "next_issue", "next (older) issue"),
    (Action::NewerIssue, "prev_issue", "previous (newer) issue"),
    (
        Action::ToggleZoom,
        "toggle_zoom",
        "zoom the body to full width",
    ),
    (Action::ToggleHelp, "help", "this help"),
    (
        Action::ToggleBookmark,
        "toggle_bookmark",
        "bookmark here / remove",
    ),
    (Action::ShowBookmarks, "bookmarks", "list bookmarks"),
    (
        Action::DeleteBookmark,
        "delete_bookmark",
        "delete bookmark (list)",
    ),
    (Action::EditNote, "edit_note", "edit bookmark note (list)"),
    (Action::CopyArticle, "copy_article", "copy article (OSC 52)"),
    (Action::Quit, "quit", "quit"),
];

impl Action {
    /// The config name of a bindable action.
    pub fn name(self) -> Option<&'static str> {
        NAMED
            .iter()
            .find(|(a, _, _)| *a == self)
            .map(|(_, n, _)| *n)
    }
    /// The action a config name stands for (`older_issue`/`newer_issue` are accepted for
    /// `next_issue`/`prev_issue`).
    pub fn from_name(name: &str) -> Option<Action> {
        let name = match name {
            "older_issue" => "next_issue",
            "newer_issue" => "prev_issue",
            n => n,
        };
        NAMED
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(a, _, _)| *a)
    }
    pub fn description(self) -> &'static str {
        NAMED
            .iter()
            .find(|(a, _, _)| *a == self)
            .map(|(_, _, d)| *d)
            .unwrap_or("")
    }
}

/// Work for the event loop: the only things `App::update` cannot do itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Save state and leave the loop.
    Quit,
    /// Write the state store now (bookmarks changed: never risk losing them).
    Save,
    /// Read and parse issue `n` of the library, then call `App::issue_loaded`.
    LoadIssue(usize),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
}
