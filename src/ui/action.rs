//! What the user means (actions) and what the loop must do about it (effects).
//!
//! Keys and mouse events become [`Action`]s through the keymap; `App::update` turns an action
//! into a state change and at most one [`Effect`], which the event loop performs (it is the
//! only place with I/O). Actions are named for intent, never for keys. [`ACTIONS`] is the one
//! table of what a user can bind: config name, default keys, help text and status hint.

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
    /// Give the terminal back and stop (Ctrl-Z); `fg` resumes.
    Suspend,
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
    // Search (issue 12): bindable, in the table's last block.
    /// Find in the open article (a prompt; then `n`/`N` move between its hits).
    FindInArticle,
    /// The previous hit of the find (the next one is `next_article`'s key while a find is on).
    FindPrev,
    /// Search the whole archive: the query line and its results pane.
    SearchArchive,
    /// Results newest first, or most relevant first (headline hits, then hit density).
    SearchOrder,
    // Moving through an archive (issue 13; `archive.rs`).
    /// Open the date prompt (Enter goes to the nearest issue on or before the date).
    GotoDate,
    NextPublication,
    PrevPublication,
    NextUnread,
    MarkIssueRead,
    MarkIssueUnread,
    /// Open the other part of a story continued on another page.
    FollowContinuation,
    /// The list of the issue's pages (版面).
    ShowPages,
    /// The issue list: grouped by paper, or all papers' issues of a day together.
    ToggleByDate,
    /// The warnings so far (start-up, saving), whole, in a box: the status line cuts them.
    ShowMessages,
}

/// One bindable action, everything about it in one row: the name a user writes in the
/// config's `[keys]` table, the keys it has by default, its line in the help overlay, and
/// its label in the status line's hints (with the hint's place there), if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    pub action: Action,
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub help: &'static str,
    pub hint: Option<(u8, &'static str)>,
}

const fn spec(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    help: &'static str,
) -> ActionSpec {
    ActionSpec {
        action,
        name,
        keys,
        help,
        hint: None,
    }
}

const fn hinted(spec: ActionSpec, place: u8, label: &'static str) -> ActionSpec {
    ActionSpec {
        hint: Some((place, label)),
        ..spec
    }
}

/// Every action a user can bind, in help order. Adding one: a variant of [`Action`], a row
/// here, and its case in `App::update` (the compiler asks for that one).
pub const ACTIONS: &[ActionSpec] = &[
    spec(
        Action::LineDown,
        "line_down",
        &["j", "Down"],
        "down one line / next item",
    ),
    spec(
        Action::LineUp,
        "line_up",
        &["k", "Up"],
        "up one line / previous item",
    ),
    spec(Action::Top, "top", &["g", "Home"], "go to the top"),
    spec(Action::Bottom, "bottom", &["G", "End"], "go to the bottom"),
    spec(
        Action::HalfPageDown,
        "half_page_down",
        &["C-d"],
        "half a page down",
    ),
    spec(
        Action::HalfPageUp,
        "half_page_up",
        &["C-u"],
        "half a page up",
    ),
    spec(
        Action::ReadOn,
        "read_on",
        &["Space"],
        "page down; next article at the end",
    ),
    spec(
        Action::PageDown,
        "page_down",
        &["PageDown", "C-f"],
        "page down",
    ),
    spec(Action::PageUp, "page_up", &["PageUp", "C-b"], "page up"),
    spec(Action::Open, "open", &["Enter"], "open issue / article"),
    spec(Action::FocusNext, "focus_next", &["Tab"], "next pane"),
    spec(Action::FocusPrev, "focus_prev", &["S-Tab"], "previous pane"),
    spec(
        Action::FocusLeft,
        "focus_left",
        &["h", "Left"],
        "pane to the left",
    ),
    spec(
        Action::FocusRight,
        "focus_right",
        &["l", "Right"],
        "pane to the right",
    ),
    spec(Action::Back, "back", &["Esc", "Backspace"], "back / close"),
    hinted(
        spec(Action::NextArticle, "next_article", &["n"], "next article"),
        1,
        "next",
    ),
    spec(
        Action::PrevArticle,
        "prev_article",
        &["p"],
        "previous article",
    ),
    spec(
        Action::OlderIssue,
        "next_issue",
        &["]"],
        "next (older) issue",
    ),
    spec(
        Action::NewerIssue,
        "prev_issue",
        &["["],
        "previous (newer) issue",
    ),
    spec(
        Action::ToggleZoom,
        "toggle_zoom",
        &["z"],
        "zoom the body to full width",
    ),
    hinted(
        spec(Action::ToggleHelp, "help", &["?", "F1"], "this help"),
        0,
        "help",
    ),
    spec(
        Action::ToggleBookmark,
        "toggle_bookmark",
        &["b"],
        "bookmark here / remove",
    ),
    hinted(
        spec(Action::ShowBookmarks, "bookmarks", &["B"], "list bookmarks"),
        2,
        "marks",
    ),
    spec(
        Action::DeleteBookmark,
        "delete_bookmark",
        &["d"],
        "delete bookmark (list)",
    ),
    spec(
        Action::EditNote,
        "edit_note",
        &["e"],
        "edit bookmark note (list)",
    ),
    spec(
        Action::CopyArticle,
        "copy_article",
        &["y"],
        "copy article (OSC 52)",
    ),
    hinted(spec(Action::Quit, "quit", &["q", "C-c"], "quit"), 3, "quit"),
    spec(
        Action::Suspend,
        "suspend",
        &["C-z"],
        "suspend (the shell's fg resumes)",
    ),
    // Search (issue 12).
    spec(
        Action::FindInArticle,
        "find",
        &["/"],
        "find in the article (n/N: next/previous hit, Esc ends)",
    ),
    spec(
        Action::FindPrev,
        "find_prev",
        &["N"],
        "previous hit of the find",
    ),
    spec(
        Action::SearchArchive,
        "search",
        &["S"],
        "search the whole archive",
    ),
    spec(
        Action::SearchOrder,
        "search_order",
        &["R"],
        "search results: newest / most relevant first",
    ),
    // Moving through an archive (issue 13).
    spec(
        Action::GotoDate,
        "goto_date",
        &[":"],
        "go to a date (2026-11-28, 11-28, 28, -7)",
    ),
    spec(
        Action::NextPublication,
        "next_paper",
        &["}"],
        "next paper (publication)",
    ),
    spec(
        Action::PrevPublication,
        "prev_paper",
        &["{"],
        "previous paper (publication)",
    ),
    spec(
        Action::NextUnread,
        "next_unread",
        &["u"],
        "next unread article",
    ),
    spec(
        Action::MarkIssueRead,
        "mark_issue_read",
        &["m"],
        "mark the issue read",
    ),
    spec(
        Action::MarkIssueUnread,
        "mark_issue_unread",
        &["M"],
        "mark the issue unread",
    ),
    spec(
        Action::FollowContinuation,
        "follow_continuation",
        &["c"],
        "follow a story to its continuation (下转/上接)",
    ),
    spec(
        Action::ShowPages,
        "pages",
        &["P"],
        "list the issue's pages (版面)",
    ),
    spec(
        Action::ToggleByDate,
        "issues_by_date",
        &["D"],
        "issue list: by paper / by date",
    ),
    spec(Action::ShowMessages, "messages", &["!"], "warnings, whole"),
];

/// Actions a keymap must always keep a key for: without them a reader cannot be left, or
/// its keys cannot be looked up.
pub const REQUIRED: &[Action] = &[Action::Quit, Action::ToggleHelp];

impl Action {
    /// This action's row of [`ACTIONS`], if it is bindable.
    pub fn spec(self) -> Option<&'static ActionSpec> {
        ACTIONS.iter().find(|s| s.action == self)
    }
    /// The config name of a bindable action.
    pub fn name(self) -> Option<&'static str> {
        self.spec().map(|s| s.name)
    }
    /// The action a config name stands for (`older_issue`/`newer_issue` are accepted for
    /// `next_issue`/`prev_issue`).
    pub fn from_name(name: &str) -> Option<Action> {
        let name = match name {
            "older_issue" => "next_issue",
            "newer_issue" => "prev_issue",
            n => n,
        };
        ACTIONS.iter().find(|s| s.name == name).map(|s| s.action)
    }
    pub fn description(self) -> &'static str {
        self.spec().map_or("", |s| s.help)
    }
}

/// Work for the session: the only things `App::update` cannot do itself.
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
    /// Give the terminal back and stop until resumed (a local terminal; others ignore it).
    Suspend,
    /// Start archive search number `.0` for the query typed as `.1`, cancelling the
    /// running one (the session parses it with the cache's folding table).
    Search(u64, String),
    /// Stop the running archive search.
    CancelSearch,
    /// Open the search cache now if it is still waiting (`Backend::Waiting`): a find or a
    /// query is being typed and wants its folding table.
    StartSearch,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keymap::Key;

    #[test]
    fn every_default_key_reads_and_belongs_to_one_action() {
        let mut seen: Vec<(Key, &str)> = Vec::new();
        for s in ACTIONS {
            for spec in s.keys {
                let key = Key::parse(spec)
                    .unwrap_or_else(|| panic!("{}: cannot read default key `{spec}`", s.name));
                if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                    panic!("`{spec}` is a default of both {other} and {}", s.name);
                }
                seen.push((key, s.name));
            }
        }
    }

    #[test]
    fn names_and_hint_places_are_unique_and_round_trip() {
        for (i, s) in ACTIONS.iter().enumerate() {
            assert_eq!(Action::from_name(s.name), Some(s.action));
            assert_eq!(s.action.name(), Some(s.name));
            assert!(!s.help.is_empty() && !s.keys.is_empty(), "{}", s.name);
            for t in &ACTIONS[i + 1..] {
                assert_ne!(s.action, t.action);
                assert_ne!(s.name, t.name);
                if let (Some((a, _)), Some((b, _))) = (s.hint, t.hint) {
                    assert_ne!(a, b, "{} and {} share a hint place", s.name, t.name);
                }
            }
        }
        for a in REQUIRED {
            assert!(a.spec().is_some());
        }
    }
}
