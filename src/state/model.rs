//! The state's data types and the merge that lets two readers share one file.
//!
//! Every record carries the time of its last change, and [`StateData::merge`] combines two
//! copies field by field so that the result does not depend on who saved first:
//!
//! - article: anchor (and title) from the newer `updated_ms`; `read` is sticky (OR);
//!   `last_read_ms` is the later one; an empty title is filled from the other copy;
//! - bookmarks: a union keyed by article; the newer `created_ms` gives anchor, issue and
//!   title, the newer `note_ms` gives the note; a deletion is a tombstone with its time, and a
//!   bookmark lives only while `created_ms > deleted_ms`, so a deletion in one process is not
//!   undone by a merge with another that still had the bookmark;
//! - last open issue/article/pane, the place kept per library and the last article of each
//!   issue: the newer `updated_ms`, key by key.
//!
//! On a tie the [`Tie`] policy decides, so merging stays deterministic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{ArticleId, TextPos};

/// Per-article reading state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleState {
    pub anchor: TextPos,
    #[serde(default, skip_serializing_if = "is_false")]
    pub read: bool,
    /// Unix milliseconds of the last change to the anchor (merge: newest wins).
    pub updated_ms: u64,
    /// Unix milliseconds of the last time the reader showed this article (0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_read_ms: u64,
    /// The title when last seen, for the fallback match when its hash no longer matches.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
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
    /// Unix milliseconds of the last note edit (merge: newest note wins); never below
    /// `created_ms`, so a note from before a delete + re-bookmark does not come back.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub note_ms: u64,
    /// The first words of the paragraph at `anchor` when bookmarked, so the list can say
    /// where it is before its issue is loaded. Absent in bookmarks made before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
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

/// The article last open in an issue (the place `]`, `[` and the issue list return to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuePlace {
    pub article: ArticleId,
    pub updated_ms: u64,
}

/// Who wins when both copies carry the same timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tie {
    KeepBase,
    TakeOther,
}

/// Everything the store keeps, in memory. Also used for a batch of changes (a delta).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateData {
    pub articles: BTreeMap<ArticleId, ArticleState>,
    pub bookmarks: BTreeMap<ArticleId, Bookmark>,
    /// Bookmark tombstones: article → time of deletion.
    pub deleted: BTreeMap<ArticleId, u64>,
    /// The most recent place in any library (a library without a place of its own may
    /// start there when that issue is in it).
    pub last: LastOpen,
    /// The place kept per library, by library key (its roots, see `library::library_key`).
    pub places: BTreeMap<String, LastOpen>,
    /// The last article open in each issue, by issue key.
    pub issue_places: BTreeMap<String, IssuePlace>,
    /// Articles marked unread, with the time: `read` is sticky in a merge, so an article
    /// stays unread while its mark is at least as new as its `last_read_ms` (reading it to
    /// the end later makes it read again).
    pub unread: BTreeMap<ArticleId, u64>,
}

impl StateData {
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
            && self.bookmarks.is_empty()
            && self.deleted.is_empty()
            && self.last == LastOpen::default()
            && self.places.is_empty()
            && self.issue_places.is_empty()
            && self.unread.is_empty()
    }

    /// Merge `other` into `self` (see the module notes for the rules).
    pub fn merge(&mut self, other: StateData, tie: Tie) {
        merge_articles(&mut self.articles, other.articles, tie);
        for (id, ms) in other.deleted {
            let e = self.deleted.entry(id).or_insert(0);
            *e = (*e).max(ms);
        }
        for (id, theirs) in other.bookmarks {
            match self.bookmarks.entry(id) {
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(theirs);
                }
                std::collections::btree_map::Entry::Occupied(mut e) => {
                    merge_bookmark(e.get_mut(), theirs, tie);
                }
            }
        }
        let deleted = &self.deleted;
        self.bookmarks
            .retain(|id, b| deleted.get(id).is_none_or(|&d| b.created_ms > d));
        if wins(other.last.updated_ms, self.last.updated_ms, tie) {
            self.last = other.last;
        }
        for (id, ms) in other.unread {
            let e = self.unread.entry(id).or_insert(0);
            *e = (*e).max(ms);
        }
        self.apply_unread_marks();
        merge_newest(&mut self.places, other.places, tie, |p| p.updated_ms);
        merge_newest(&mut self.issue_places, other.issue_places, tie, |p| {
            p.updated_ms
        });
    }

    /// Clear `read` on every article whose unread mark is not older than its last reading.
    pub fn apply_unread_marks(&mut self) {
        for (id, &ms) in &self.unread {
            if let Some(a) = self.articles.get_mut(id)
                && a.read
                && a.last_read_ms <= ms
            {
                a.read = false;
            }
        }
    }

    /// Forget bookmark tombstones older than `cutoff_ms` (a copy that still holds a bookmark
    /// deleted before then could bring it back; months is far beyond any reader session).
    pub fn prune_tombstones(&mut self, cutoff_ms: u64) {
        self.deleted.retain(|_, &mut ms| ms >= cutoff_ms);
    }
}

/// Merge article maps: entry by entry for a small delta, a linear merge-join of the two
/// sorted maps when `other` is a whole file (O(n) instead of O(n log n) string compares).
fn merge_articles(
    base: &mut BTreeMap<ArticleId, ArticleState>,
    other: BTreeMap<ArticleId, ArticleState>,
    tie: Tie,
) {
    use std::cmp::Ordering;
    use std::collections::btree_map::Entry;
    if other.len() < 256 || other.len() < base.len() / 16 {
        for (id, theirs) in other {
            match base.entry(id) {
                Entry::Vacant(e) => {
                    e.insert(theirs);
                }
                Entry::Occupied(mut e) => merge_article(e.get_mut(), theirs, tie),
            }
        }
        return;
    }
    let mut out = Vec::with_capacity(base.len().max(other.len()));
    let mut a = std::mem::take(base).into_iter().peekable();
    let mut b = other.into_iter().peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (Some((ka, _)), Some((kb, _))) => ka.cmp(kb),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        match order {
            Ordering::Less => out.extend(a.next()),
            Ordering::Greater => out.extend(b.next()),
            Ordering::Equal => {
                if let (Some((k, mut mine)), Some((_, theirs))) = (a.next(), b.next()) {
                    merge_article(&mut mine, theirs, tie);
                    out.push((k, mine));
                }
            }
        }
    }
    // Already sorted: a linear bulk build.
    *base = out.into_iter().collect();
}

/// Key by key, the record with the newer stamp.
fn merge_newest<T>(
    base: &mut BTreeMap<String, T>,
    other: BTreeMap<String, T>,
    tie: Tie,
    stamp: impl Fn(&T) -> u64,
) {
    for (k, theirs) in other {
        match base.get_mut(&k) {
            Some(mine) if !wins(stamp(&theirs), stamp(mine), tie) => {}
            Some(mine) => *mine = theirs,
            None => {
                base.insert(k, theirs);
            }
        }
    }
}

/// Does a record stamped `theirs` replace one stamped `mine`?
fn wins(theirs: u64, mine: u64, tie: Tie) -> bool {
    theirs > mine || (theirs == mine && tie == Tie::TakeOther)
}

pub(super) fn merge_article(mine: &mut ArticleState, theirs: ArticleState, tie: Tie) {
    let read = mine.read || theirs.read;
    let last_read_ms = mine.last_read_ms.max(theirs.last_read_ms);
    if wins(theirs.updated_ms, mine.updated_ms, tie) {
        let my_title = std::mem::take(&mut mine.title);
        *mine = theirs;
        if mine.title.is_empty() {
            mine.title = my_title;
        }
    } else if mine.title.is_empty() {
        mine.title = theirs.title;
    }
    mine.read = read;
    mine.last_read_ms = last_read_ms;
}

pub(super) fn merge_bookmark(mine: &mut Bookmark, theirs: Bookmark, tie: Tie) {
    let take_note = wins(theirs.note_ms, mine.note_ms, tie);
    let (note, note_ms) = if take_note {
        (theirs.note.clone(), theirs.note_ms)
    } else {
        (mine.note.take(), mine.note_ms)
    };
    if wins(theirs.created_ms, mine.created_ms, tie) {
        *mine = theirs;
    }
    // A note older than this incarnation of the bookmark belongs to a deleted one.
    if note_ms >= mine.created_ms {
        mine.note = note;
        mine.note_ms = note_ms;
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(block: usize, updated_ms: u64, read: bool) -> ArticleState {
        ArticleState {
            anchor: TextPos { block, offset: 0 },
            read,
            updated_ms,
            ..ArticleState::default()
        }
    }

    fn id(i: usize) -> ArticleId {
        ArticleId {
            page: format!("p{}", i % 7),
            title_hash: format!("{i:016x}"),
            index: i,
        }
    }

    /// The merge-join (big maps) and the entry-by-entry merge (small deltas) agree.
    #[test]
    fn both_article_merges_agree() {
        let make = |n: usize, shift: u64| -> StateData {
            let mut d = StateData::default();
            for i in (0..n).filter(|i| i % 3 != shift as usize) {
                d.articles
                    .insert(id(i), st(i, (i as u64 * 7 + shift) % 11, i % 5 == 0));
            }
            d
        };
        for (na, nb) in [(1000, 1000), (1000, 10), (10, 1000)] {
            let (a, b) = (make(na, 1), make(nb, 2));
            let mut joined = a.clone();
            joined.merge(b.clone(), Tie::TakeOther);
            let mut by_entry = a.clone();
            for (k, v) in b.articles {
                let mut one = StateData::default();
                one.articles.insert(k, v);
                by_entry.merge(one, Tie::TakeOther);
            }
            assert_eq!(joined, by_entry, "{na} {nb}");
            assert_eq!(
                joined.articles.len(),
                (0..na.max(nb))
                    .filter(|i| { (i % 3 != 1 && *i < na) || (i % 3 != 2 && *i < nb) })
                    .count()
            );
        }
    }

    #[test]
    fn read_is_sticky_and_newest_anchor_wins() {
        let mut a = StateData::default();
        a.articles.insert(id(1), st(1, 10, true));
        let mut b = StateData::default();
        b.articles.insert(id(1), st(2, 20, false));
        a.merge(b, Tie::KeepBase);
        let m = &a.articles[&id(1)];
        assert_eq!((m.anchor.block, m.read, m.updated_ms), (2, true, 20));
    }
}
