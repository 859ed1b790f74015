//! Bookmarks from the reader's side: `b` toggles one at the current position, `B` opens the
//! list across all issues (Enter jumps to the exact position, `d` deletes, `e` edits the
//! note in a small line editor, `q` or Esc closes it). The store keeps them; this only
//! drives it, and says where each one is in words a reader knows (page, paragraph, its
//! first words) rather than the stored block and character offset.

use std::collections::HashMap;

use crate::library::IssueEntry;
use crate::model::{Article, BlockKind, TextPos, title_hash};
use crate::state::{Bookmark, Store};

use super::action::{Action, Effect};
use super::app::{App, LineEdit, Overlay, Pane, move_list_cursor};

impl App {
    pub(crate) fn toggle_bookmark(&mut self) -> Option<Effect> {
        let (Some(id), Some(i)) = (self.open_id().cloned(), self.current) else {
            self.say("open an article to bookmark it");
            return None;
        };
        let title = self
            .open_article()
            .map(super::super::model::Article::title)
            .unwrap_or_default();
        let issue = self.entries[i].id.clone();
        // Kept with the bookmark: the list can then say where it is before its issue loads.
        let excerpt = self
            .open_article()
            .and_then(|a| a.blocks.get(self.body.anchor.block))
            .map(|b| first_words(&b.text))
            .filter(|w| !w.is_empty());
        let on = self
            .store
            .toggle_bookmark_with(&id, &issue, &title, self.body.anchor, excerpt);
        let text = match (on, self.keymap.hint(Action::ShowBookmarks)) {
            (true, Some(k)) => format!("bookmarked ({k} lists bookmarks)"),
            (true, None) => "bookmarked".to_string(),
            (false, _) => "bookmark removed".to_string(),
        };
        self.say(text);
        Some(Effect::Save)
    }

    /// Open the list on the open article's bookmark (else the newest one).
    pub(crate) fn show_bookmarks(&mut self) {
        let sel = self
            .open_id()
            .and_then(|id| {
                bookmark_list(&self.store)
                    .iter()
                    .position(|b| &b.article == id)
            })
            .unwrap_or(0);
        self.overlay = Some(Overlay::Bookmarks { sel, edit: None });
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
        if move_list_cursor(sel, len, action) {
            return None;
        }
        match action {
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
                // The row below moves up into the cursor; after the last row, the new last.
                *sel = (*sel).min(len.saturating_sub(2));
                self.say(format!("bookmark deleted: {}", b.title));
                return Some(Effect::Save);
            }
            Action::Open => {
                let b = bookmark_list(&self.store).get(*sel).copied().cloned()?;
                self.overlay = None;
                return self.jump_to(&b);
            }
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            // `q` closes the list like Esc: quitting from inside it is never what was meant.
            Action::Quit | Action::Back | Action::ShowBookmarks | Action::ToggleHelp => {
                self.overlay = None;
            }
            _ => {}
        }
        None
    }

    /// Open a bookmark's article at its anchor, loading its issue first if needed.
    pub(crate) fn jump_to(&mut self, b: &Bookmark) -> Option<Effect> {
        let Some(i) = self.entries.iter().position(|e| e.id == b.issue) else {
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
        // Only what was sent: the terminal never says whether it copied (see `clipboard`).
        let chars = out.chars().count();
        self.say(format!(
            "sent the article ({chars} characters) to the clipboard with OSC 52"
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

    /// Where a bookmark points, in a reader's words: `p.2 ¶3 “first words…”` when its issue
    /// is loaded; before that `p.2 “first words…”` from the words kept when it was made
    /// (a bookmark made before they were kept gives its block).
    pub fn bookmark_place(&self, b: &Bookmark) -> String {
        let at = self.entries.iter().position(|e| e.id == b.issue);
        let loaded = at.and_then(|i| self.slot_issue(i));
        let page = loaded
            .and_then(|i| i.pages.iter().position(|p| p.source == b.article.page))
            .or_else(|| {
                let e = &self.entries[at?];
                e.pages.iter().position(|p| p.rel == b.article.page)
            });
        let mut out = match page {
            Some(n) => format!("p.{}", n + 1),
            None => file_name(&b.article.page).to_string(),
        };
        let article = loaded.and_then(|i| {
            let page = i.pages.iter().find(|p| p.source == b.article.page)?;
            let same = |a: &&Article| title_hash(&a.title()) == b.article.title_hash;
            (page.articles.get(b.article.index).filter(same))
                .or_else(|| page.articles.iter().find(same))
        });
        match (article, &b.excerpt) {
            (Some(a), _) => out.push_str(&paragraph_place(a, b.anchor)),
            (None, _) if b.anchor == TextPos::default() => out.push_str(" top"),
            (None, Some(words)) => out.push_str(&format!(" “{words}”")),
            (None, None) => out.push_str(&format!(" block {}", b.anchor.block + 1)),
        }
        out
    }

    /// The issue of a bookmark as a reader names it: publication and date when the library
    /// knows them, else the issue's name; the stored id when it is not in this library.
    pub fn bookmark_issue(&self, b: &Bookmark) -> String {
        match self.entries.iter().find(|e| e.id == b.issue) {
            Some(e) => issue_label(e),
            None => format!("{} (not in this library)", b.issue),
        }
    }
}

/// `平城日报 2026-11-28`, or whichever of the two is known, else the folder name.
fn issue_label(entry: &IssueEntry) -> String {
    match (&entry.publication, entry.date) {
        (Some(p), Some(d)) => format!("{p} {d}"),
        (None, Some(d)) => d.to_string(),
        _ => entry.name.to_string(),
    }
}

/// ` ¶3 “first words…”` for a position in an article: paragraphs counted from 1 as a reader
/// counts them (bylines, pictures and captions are not paragraphs), and the opening words of
/// the block the position is in.
fn paragraph_place(a: &Article, anchor: TextPos) -> String {
    if anchor == TextPos::default() {
        return " top".to_string();
    }
    let Some(block) = a.blocks.get(anchor.block) else {
        return " end".to_string();
    };
    let before = a.blocks[..anchor.block]
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .count();
    let mut out = match block.kind {
        BlockKind::Paragraph => format!(" ¶{}", before + 1),
        _ => format!(" after ¶{before}"),
    };
    let words = first_words(&block.text);
    if !words.is_empty() {
        out.push_str(&format!(" “{words}”"));
    }
    out
}

/// The opening words of a paragraph, `…` when there is more: enough to know it again.
pub fn first_words(text: &str) -> String {
    const WORDS: usize = 12;
    let words: String = text.chars().take(WORDS).collect();
    let more = if text.chars().nth(WORDS).is_some() {
        "…"
    } else {
        ""
    };
    format!("{}{more}", words.trim())
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Bookmarks as the list and `dubao bookmarks` show them: grouped by issue, the issue with
/// the newest bookmark first, newest first inside it. Ties (two quick toggles can share a
/// millisecond) go by article id, so the order is the same on every run.
pub fn bookmark_list(store: &Store) -> Vec<&Bookmark> {
    newest_first(store.bookmarks())
}

/// The order of [`bookmark_list`] for any slice of bookmarks (`dubao bookmarks` reads them
/// without a reader).
pub fn newest_first(bookmarks: &[Bookmark]) -> Vec<&Bookmark> {
    let mut latest: HashMap<&str, u64> = HashMap::new();
    for b in bookmarks {
        let t = latest.entry(b.issue.as_str()).or_insert(0);
        *t = (*t).max(b.created_ms);
    }
    let newest = |b: &Bookmark| latest.get(b.issue.as_str()).copied().unwrap_or(0);
    let mut list: Vec<&Bookmark> = bookmarks.iter().collect();
    list.sort_by(|a, b| {
        newest(b)
            .cmp(&newest(a))
            .then_with(|| b.issue.cmp(&a.issue))
            .then_with(|| b.created_ms.cmp(&a.created_ms))
            .then_with(|| a.article.cmp(&b.article))
    });
    list
}
