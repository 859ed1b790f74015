//! Bookmarks from the reader's side: `b` toggles one at the current position, `B` opens the
//! list across all issues (Enter jumps to the exact position, `d` deletes, `e` edits the
//! note in a small line editor). The store keeps them; this only drives it.

use crate::model::TextPos;
use crate::state::{Bookmark, Store};

use super::action::{Action, Effect};
use super::app::{App, LineEdit, Overlay, Pane};

impl App {
    pub(crate) fn toggle_bookmark(&mut self) -> Option<Effect> {
        let (Some(id), Some(i)) = (self.open_id().cloned(), self.current) else {
            self.say("open an article to bookmark it");
            return None;
        };
        let title = self.open_article().map(|a| a.title()).unwrap_or_default();
        let issue = self.issues[i].entry.id.clone();
        let on = self
            .store
            .toggle_bookmark(&id, &issue, &title, self.body.anchor);
        let text = match (on, self.keymap.hint(Action::ShowBookmarks)) {
            (true, Some(k)) => format!("bookmarked ({k} lists bookmarks)"),
            (true, None) => "bookmarked".to_string(),
            (false, _) => "bookmark removed".to_string(),
        };
        self.say(text);
        Some(Effect::Save)
    }

    pub(crate) fn update_bookmarks(&mut self, action: Action) -> Option<Effect> {
        let len = bookmark_list(&self.store).len();
        let Some(Overlay::Bookmarks { sel, edit }) = &mut self.overlay else {
            return None;
        };
        *sel = (*sel).min(len.saturating_sub(1));
        if let Some(ed) = edit {
            if ed.apply(action) {
                return None;
            }
            match action {
                Action::EditCancel => *edit = None,
                Action::EditConfirm => {
                    let note = ed.text.trim().to_string();
                    let sel = *sel;
                    *edit = None;
                    return self.save_note(sel, note);
                }
                Action::Resize { width, height } => {
                    self.width = width;
                    self.height = height;
                }
                _ => {}
            }
            return None;
        }
        match action {
            Action::LineDown => *sel = (*sel + 1).min(len.saturating_sub(1)),
            Action::LineUp => *sel = sel.saturating_sub(1),
            Action::Top => *sel = 0,
            Action::Bottom => *sel = len.saturating_sub(1),
            Action::EditNote => {
                if let Some(b) = bookmark_list(&self.store).get(*sel).copied() {
                    let text = b.note.clone().unwrap_or_default();
                    let cursor = text.chars().count();
                    *edit = Some(LineEdit { text, cursor });
                }
            }
            Action::DeleteBookmark => {
                let b = bookmark_list(&self.store).get(*sel).copied().cloned()?;
                self.store.delete_bookmark(&b.article);
                self.say(format!("bookmark deleted: {}", b.title));
                return Some(Effect::Save);
            }
            Action::Open => {
                let b = bookmark_list(&self.store).get(*sel).copied().cloned()?;
                self.overlay = None;
                return self.jump_to(&b);
            }
            Action::Quit => return Some(Effect::Quit),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::Back | Action::ShowBookmarks | Action::ToggleHelp => self.overlay = None,
            _ => {}
        }
        None
    }

    /// Open a bookmark's article at its anchor, loading its issue first if needed.
    pub(crate) fn jump_to(&mut self, b: &Bookmark) -> Option<Effect> {
        let Some(i) = self.issues.iter().position(|s| s.entry.id == b.issue) else {
            self.warn(format!("“{}”: its issue is not in this library", b.title));
            return None;
        };
        self.issue_sel = i;
        if self.current == Some(i) {
            match self.find_article(&b.article) {
                Some(a) => {
                    self.open_at(a, Some(b.anchor));
                    self.focus = Pane::Body;
                }
                None => self.warn(format!("“{}” is missing from its issue", b.title)),
            }
            return None;
        }
        self.pending = Some((b.article.clone(), Some(b.anchor), Pane::Body));
        self.want_issue(i)
    }

    fn save_note(&mut self, sel: usize, note: String) -> Option<Effect> {
        let id = bookmark_list(&self.store)
            .get(sel)
            .copied()?
            .article
            .clone();
        let note = (!note.is_empty()).then_some(note);
        if self.store.set_note(&id, note) {
            self.say("note saved");
            Some(Effect::Save)
        } else {
            self.warn("that bookmark is gone");
            None
        }
    }

    /// The text `y` puts on the clipboard: title, subtitle, authors, then the blocks.
    pub(crate) fn copy_article(&mut self) -> Option<Effect> {
        let Some(a) = self.open_article() else {
            self.say("no article open");
            return None;
        };
        let mut out = String::new();
        for s in [&a.kicker, &Some(a.title()), &a.subtitle]
            .into_iter()
            .flatten()
        {
            if !s.is_empty() {
                out.push_str(s);
                out.push('\n');
            }
        }
        if !a.authors.is_empty() {
            out.push_str(&a.authors.join(" "));
            out.push('\n');
        }
        for b in &a.blocks {
            out.push('\n');
            out.push_str(&b.text);
            out.push('\n');
        }
        let chars = out.chars().count();
        self.say(format!(
            "copied the article ({chars} characters) to the clipboard with OSC 52"
        ));
        Some(Effect::Copy(out))
    }

    /// A mouse click: focus the pane under it and pick the row (issue or headline).
    pub(crate) fn click(&mut self, x: u16, y: u16) -> Option<Effect> {
        let g = self.geometry();
        let pane = g.pane_at(x, y)?;
        self.focus = pane;
        let content = g.content(pane)?;
        if y < content.y {
            return None;
        }
        let row = usize::from(y - content.y);
        match pane {
            Pane::Issues => {
                self.issue_sel = self.issue_at_row(self.issue_top + row)?;
                self.want_issue(self.issue_sel)
            }
            Pane::Headlines => {
                if let Some(super::app::Row::Article(a)) = self.rows.get(self.head_top + row) {
                    let a = *a;
                    self.open_at(a, None);
                }
                None
            }
            _ => None,
        }
    }

    /// The anchor of a bookmark, for display: block and offset.
    pub fn bookmark_place(anchor: TextPos) -> String {
        format!("¶{} +{}", anchor.block + 1, anchor.offset)
    }
}

/// Bookmarks as the list shows them: by issue, newest issue id first (ids are usually
/// dated paths), then in page and article order. Deterministic, unlike creation times,
/// which two quick toggles can share.
pub fn bookmark_list(store: &Store) -> Vec<&Bookmark> {
    let mut list: Vec<&Bookmark> = store.bookmarks().iter().collect();
    list.sort_by(|a, b| {
        b.issue
            .cmp(&a.issue)
            .then_with(|| a.article.page.cmp(&b.article.page))
            .then_with(|| a.article.index.cmp(&b.article.index))
            .then_with(|| a.article.title_hash.cmp(&b.article.title_hash))
    });
    list
}
