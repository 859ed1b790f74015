//! [`Store`]: the state as the reader's UI thread sees it. Every query and change is an
//! in-memory map operation; changes are also recorded in a small delta that
//! [`Store::save_soon`] hands to the background [`Saver`] (or that [`Store::save`] merges
//! and writes right away when no saver runs).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::file;
use super::model::{ArticleState, Bookmark, IssuePlace, LastOpen, StateData, Tie};
use super::saver::{self, Saver};
use super::time::{next_ms, now_ms};
use crate::model::{ArticleId, TextPos};

/// How long [`Store::flush`] waits for the saver (covers a lock held by another reader).
pub const FLUSH_TIMEOUT: Duration = Duration::from_secs(15);
/// A position update that moves nothing still refreshes `last_read_ms` after this long.
const LAST_READ_REFRESH_MS: u64 = 60_000;

/// The in-memory state and where it lives.
#[derive(Debug, Default)]
pub struct Store {
    dir: PathBuf,
    data: StateData,
    /// Changes not yet handed to the saver or written.
    delta: StateData,
    /// Bookmarks ordered by creation time (what [`Store::bookmarks`] returns).
    bookmark_list: Vec<Bookmark>,
    saver: Option<Saver>,
    warnings: Vec<String>,
    /// The file the last synchronous save wrote (lets the next one skip the re-read).
    written: Option<file::FileId>,
    /// Deltas handed to the saver, by generation, until a write covers them (re-applied
    /// when adopting the saver's merged state).
    inflight: Vec<(u64, StateData)>,
}

impl Store {
    /// The default state directory (`$XDG_DATA_HOME/dubao`).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "dubao").map(|d| d.data_dir().to_path_buf())
    }

    /// Open (or start) the state in `dir`. Warnings (a corrupt file moved aside) are returned
    /// for the status line; opening never fails the reader.
    pub fn open(dir: &Path) -> (Store, Vec<String>) {
        let mut backup_warning = super::migrate::back_up_old_format(dir).err();
        let (data, mut warnings) = match file::load(dir) {
            Ok(x) => x,
            Err(e) => (
                StateData::default(),
                vec![format!(
                    "{e}; saves will fail until it can be read (it is never overwritten)"
                )],
            ),
        };
        warnings.extend(backup_warning.take());
        let mut store = Store {
            dir: dir.to_path_buf(),
            data,
            ..Store::default()
        };
        store.rebuild_bookmark_list();
        (store, warnings)
    }

    /// Open the state in `dir` only to read it: nothing is moved aside, locked or written.
    pub fn open_read_only(dir: &Path) -> Result<Store, String> {
        let data = file::load_untouched(dir)?;
        let mut store = Store {
            dir: dir.to_path_buf(),
            data,
            ..Store::default()
        };
        store.rebuild_bookmark_list();
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn article(&self, id: &ArticleId) -> Option<&ArticleState> {
        self.data.articles.get(id)
    }

    /// All article states, ordered by page then title hash then index.
    pub fn articles(&self) -> &BTreeMap<ArticleId, ArticleState> {
        &self.data.articles
    }

    /// Record the reading position (top visible line) of `id`; `read` marks it read (the
    /// end has been shown; a read article stays read). Also refreshes `last_read_ms`.
    pub fn set_position(&mut self, id: &ArticleId, anchor: TextPos, read: bool) {
        let now = now_ms();
        if let Some(e) = self.data.articles.get(id)
            && e.anchor == anchor
            && (e.read || !read)
            && now.saturating_sub(e.last_read_ms) < LAST_READ_REFRESH_MS
        {
            return;
        }
        let e = self.data.articles.entry(id.clone()).or_default();
        e.anchor = anchor;
        e.read |= read;
        e.updated_ms = next_ms(e.updated_ms);
        e.last_read_ms = now.max(e.last_read_ms);
        self.delta.articles.insert(id.clone(), e.clone());
    }

    /// Remember the title of `id` (used by the fallback match when the title later changes
    /// and its hash no longer matches). Cheap when nothing changes; call it when an article
    /// is opened.
    pub fn set_title(&mut self, id: &ArticleId, title: &str) {
        if self.data.articles.get(id).is_some_and(|e| e.title == title) {
            return;
        }
        let e = self.data.articles.entry(id.clone()).or_default();
        e.title = title.to_string();
        self.delta.articles.insert(id.clone(), e.clone());
    }

    /// Toggle a bookmark on `id` at `anchor`; returns true when the article is now bookmarked.
    pub fn toggle_bookmark(
        &mut self,
        id: &ArticleId,
        issue: &str,
        title: &str,
        anchor: TextPos,
    ) -> bool {
        self.toggle_bookmark_with(id, issue, title, anchor, None)
    }

    /// [`Store::toggle_bookmark`], keeping the first words of the paragraph at `anchor`.
    pub fn toggle_bookmark_with(
        &mut self,
        id: &ArticleId,
        issue: &str,
        title: &str,
        anchor: TextPos,
        excerpt: Option<String>,
    ) -> bool {
        if self.delete_bookmark(id) {
            return false;
        }
        let after = self.data.deleted.get(id).copied().unwrap_or(0);
        let created_ms = next_ms(after);
        let b = Bookmark {
            article: id.clone(),
            issue: issue.into(),
            title: title.into(),
            anchor,
            created_ms,
            note: None,
            note_ms: created_ms,
            excerpt,
        };
        self.data.bookmarks.insert(id.clone(), b.clone());
        self.delta.bookmarks.insert(id.clone(), b);
        self.rebuild_bookmark_list();
        true
    }

    /// Delete the bookmark on `id` (recorded as a tombstone so another reader's copy does not
    /// bring it back). Returns false when there was none.
    pub fn delete_bookmark(&mut self, id: &ArticleId) -> bool {
        let Some(b) = self.data.bookmarks.remove(id) else {
            return false;
        };
        let ms = next_ms(b.created_ms.max(b.note_ms));
        self.data.deleted.insert(id.clone(), ms);
        self.delta.bookmarks.remove(id);
        self.delta.deleted.insert(id.clone(), ms);
        self.rebuild_bookmark_list();
        true
    }

    /// Set or clear (`None` or empty) the note of the bookmark on `id`. Returns false when
    /// `id` is not bookmarked.
    pub fn set_note(&mut self, id: &ArticleId, note: Option<String>) -> bool {
        let Some(b) = self.data.bookmarks.get_mut(id) else {
            return false;
        };
        b.note = note.filter(|n| !n.trim().is_empty());
        b.note_ms = next_ms(b.note_ms.max(b.created_ms));
        let b = b.clone();
        self.delta.bookmarks.insert(id.clone(), b);
        self.rebuild_bookmark_list();
        true
    }

    pub fn is_bookmarked(&self, id: &ArticleId) -> bool {
        self.data.bookmarks.contains_key(id)
    }

    pub fn bookmark(&self, id: &ArticleId) -> Option<&Bookmark> {
        self.data.bookmarks.get(id)
    }

    /// All bookmarks, oldest first.
    pub fn bookmarks(&self) -> &[Bookmark] {
        &self.bookmark_list
    }

    pub fn last(&self) -> &LastOpen {
        &self.data.last
    }

    /// Record where the reader is (its `updated_ms` is set to now).
    pub fn set_last(&mut self, mut last: LastOpen) {
        last.updated_ms = next_ms(self.data.last.updated_ms).max(last.updated_ms);
        self.delta.last = last.clone();
        self.data.last = last;
    }

    /// The place kept for library `key` (see `library::library_key`).
    pub fn place(&self, key: &str) -> Option<&LastOpen> {
        self.data.places.get(key)
    }

    /// Record where the reader is in library `key` (its `updated_ms` is set to now). The
    /// most recent place of all ([`Store::last`]) is the caller's to set as well.
    pub fn set_place(&mut self, key: &str, mut place: LastOpen) {
        let before = self.data.places.get(key).map_or(0, |p| p.updated_ms);
        place.updated_ms = next_ms(before).max(place.updated_ms);
        self.delta.places.insert(key.to_string(), place.clone());
        self.data.places.insert(key.to_string(), place);
    }

    /// The article last open in issue `issue` (an issue key).
    pub fn issue_place(&self, issue: &str) -> Option<&IssuePlace> {
        self.data.issue_places.get(issue)
    }

    /// All issue places, by issue key.
    pub fn issue_places(&self) -> &BTreeMap<String, IssuePlace> {
        &self.data.issue_places
    }

    /// Remember `article` as the place of issue `issue` (a no-op when it already is).
    pub fn set_issue_place(&mut self, issue: &str, article: &ArticleId) {
        let before = match self.data.issue_places.get(issue) {
            Some(p) if &p.article == article => return,
            Some(p) => p.updated_ms,
            None => 0,
        };
        let place = IssuePlace {
            article: article.clone(),
            updated_ms: next_ms(before),
        };
        self.delta
            .issue_places
            .insert(issue.to_string(), place.clone());
        self.data.issue_places.insert(issue.to_string(), place);
    }

    /// True when `id` is marked read.
    pub fn is_read(&self, id: &ArticleId) -> bool {
        self.data.articles.get(id).is_some_and(|s| s.read)
    }

    /// Mark articles read or unread (an issue at once). Unread is recorded as a timed mark
    /// so that another reader's copy, where they are still read, does not undo it.
    pub fn mark_read(&mut self, ids: &[ArticleId], read: bool) {
        let now = now_ms();
        for id in ids {
            let e = self.data.articles.entry(id.clone()).or_default();
            if e.read == read {
                continue;
            }
            e.read = read;
            e.updated_ms = next_ms(e.updated_ms);
            let e = e.clone();
            if read {
                // Read again now: newer than any unread mark.
                let e = self.data.articles.entry(id.clone()).or_default();
                e.last_read_ms = next_ms(e.last_read_ms.max(now));
                self.delta.articles.insert(id.clone(), e.clone());
            } else {
                let ms = next_ms(e.last_read_ms.max(now));
                self.data.unread.insert(id.clone(), ms);
                self.delta.unread.insert(id.clone(), ms);
                self.delta.articles.insert(id.clone(), e);
            }
        }
    }

    /// Write now: lock, merge with what is on disk, write atomically. With a saver running
    /// this is [`Store::flush`]. Without one, the in-memory state also takes in what other
    /// readers saved.
    pub fn save(&mut self) -> io::Result<()> {
        if self.saver.is_some() {
            return self.flush();
        }
        let result = file::save_merged(&self.dir, &mut self.data, &mut self.written);
        match result {
            Ok(saved) => {
                self.warnings.extend(saved.warnings);
                self.delta = StateData::default();
                self.rebuild_bookmark_list();
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Schedule a write without blocking: hands the changes made since the last call to the
    /// background saver (started on first use), which writes at most every 500 ms.
    pub fn save_soon(&mut self) {
        if self.delta.is_empty() {
            return;
        }
        if self.saver.is_none() && self.start_saver(saver::DEFAULT_INTERVAL).is_err() {
            // No thread: write in place rather than lose the change.
            if let Err(e) = self.save() {
                self.warnings
                    .push(format!("could not save reading state: {e}"));
            }
            return;
        }
        self.refresh();
        if let Some(s) = &self.saver {
            let delta = std::mem::take(&mut self.delta);
            let gen_ = s.submit(delta.clone(), false);
            self.inflight.push((gen_, delta));
        }
    }

    /// Take in what other readers saved, as merged by the background saver (cheap: a swap
    /// plus re-applying this reader's not yet written changes). Returns true when the state
    /// changed. [`Store::save_soon`], [`Store::flush`] and [`Store::take_warnings`] call it.
    pub fn refresh(&mut self) -> bool {
        let Some(s) = &self.saver else {
            return false;
        };
        match s.take_snapshot() {
            (Some((gen_, merged)), _) => {
                let old = std::mem::replace(&mut self.data, merged);
                s.discard(old);
                self.inflight.retain(|(g, _)| *g > gen_);
                for (_, d) in &self.inflight {
                    self.data.merge(d.clone(), Tie::TakeOther);
                }
                self.data.merge(self.delta.clone(), Tie::TakeOther);
                self.rebuild_bookmark_list();
                true
            }
            (None, completed) => {
                self.inflight.retain(|(g, _)| *g > completed);
                false
            }
        }
    }

    /// Block until every change so far is on disk (quit, SIGHUP, SIGTERM). Waits at most
    /// [`FLUSH_TIMEOUT`].
    pub fn flush(&mut self) -> io::Result<()> {
        match &self.saver {
            Some(s) => {
                let delta = std::mem::take(&mut self.delta);
                let gen_ = s.submit(delta.clone(), true);
                self.inflight.push((gen_, delta));
                let result = s.wait(gen_, FLUSH_TIMEOUT);
                self.refresh();
                result
            }
            None => self.save(),
        }
    }

    /// Start the background saver with a minimum of `interval` between writes (the default
    /// is 500 ms; [`Store::save_soon`] starts it on its own). Idempotent.
    pub fn start_saver(&mut self, interval: Duration) -> io::Result<()> {
        if self.saver.is_none() {
            self.saver = Some(Saver::start(self.dir.clone(), self.data.clone(), interval)?);
        }
        Ok(())
    }

    /// Warnings gathered since the last call (a bad file moved aside during a save, a write
    /// that failed and will be retried), for the status line.
    pub fn take_warnings(&mut self) -> Vec<String> {
        self.refresh();
        let mut w = std::mem::take(&mut self.warnings);
        if let Some(s) = &self.saver {
            w.extend(s.take_warnings());
        }
        w
    }

    /// True when changes are waiting for [`Store::save_soon`] or [`Store::save`].
    pub fn has_unsaved(&self) -> bool {
        !self.delta.is_empty()
    }

    fn rebuild_bookmark_list(&mut self) {
        self.bookmark_list = self.data.bookmarks.values().cloned().collect();
        self.bookmark_list
            .sort_by(|a, b| (a.created_ms, &a.article).cmp(&(b.created_ms, &b.article)));
    }
}
