//! Reading positions, read flags and bookmarks, stored as versioned JSON in the data
//! directory; atomic writes, file lock + merge for two readers at once.
//!
//! SKELETON: replaced by the state work (issue 5). Signatures are the contract.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{ArticleId, TextPos};

/// Per-article reading state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleState {
    pub anchor: TextPos,
    pub read: bool,
    /// Unix milliseconds of the last change (merge: newest wins).
    pub updated_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub article: ArticleId,
    /// Issue id the article belongs to, and its title when bookmarked (shown when missing).
    pub issue: String,
    pub title: String,
    pub anchor: TextPos,
    pub created_ms: u64,
    pub note: Option<String>,
}

/// Where the reader was when it last quit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastOpen {
    pub issue: Option<String>,
    pub article: Option<ArticleId>,
    /// Focused pane name: `issues`, `headlines` or `body`.
    pub pane: Option<String>,
    pub updated_ms: u64,
}

/// The in-memory state and where it lives.
#[derive(Debug, Default)]
pub struct Store {
    dir: PathBuf,
    articles: BTreeMap<ArticleId, ArticleState>,
    bookmarks: Vec<Bookmark>,
    last: LastOpen,
}

impl Store {
    /// The default state directory (`$XDG_DATA_HOME/dubao`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "dubao").map(|d| d.data_dir().to_path_buf())
    }
    /// Open (or start) the state in `dir`. Warnings (a corrupt file moved aside) are returned
    /// for the status line; opening never fails the reader.
    pub fn open(dir: &Path) -> (Store, Vec<String>) {
        (
            Store {
                dir: dir.to_path_buf(),
                ..Store::default()
            },
            vec![],
        )
    }
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn article(&self, id: &ArticleId) -> Option<&ArticleState> {
        self.articles.get(id)
    }
    pub fn set_position(&mut self, id: &ArticleId, anchor: TextPos, read: bool) {
        let e = self.articles.entry(id.clone()).or_default();
        e.anchor = anchor;
        e.read |= read;
    }
    /// Toggle a bookmark on `id` at `anchor`; returns true when the article is now bookmarked.
    pub fn toggle_bookmark(
        &mut self,
        id: &ArticleId,
        issue: &str,
        title: &str,
        anchor: TextPos,
    ) -> bool {
        if let Some(i) = self.bookmarks.iter().position(|b| &b.article == id) {
            self.bookmarks.remove(i);
            false
        } else {
            self.bookmarks.push(Bookmark {
                article: id.clone(),
                issue: issue.into(),
                title: title.into(),
                anchor,
                created_ms: 0,
                note: None,
            });
            true
        }
    }
    pub fn is_bookmarked(&self, id: &ArticleId) -> bool {
        self.bookmarks.iter().any(|b| &b.article == id)
    }
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmarks
    }
    pub fn last(&self) -> &LastOpen {
        &self.last
    }
    pub fn set_last(&mut self, last: LastOpen) {
        self.last = last;
    }
    /// Write now: lock, merge with what is on disk, write atomically.
    pub fn save(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
