//! State format 1 → 2: keys relative to the path given on the command line become stable
//! keys (publication + date, see `library::identity`), from the strings alone.
//!
//! A format-1 state holds the same article under two keys when the archive was opened from
//! two folder levels (`papers/大同日报/2026-11-28/01.txt#…` and `大同日报/2026-11-28/01.txt#…`);
//! both become one key, and their records merge by the usual rules (newest anchor, sticky
//! read, newest bookmark), so neither reading is lost. The old file is kept beside the new
//! one as `state.json.v1` (see `Store::open`).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::io::Read;
use std::path::Path;

use super::model::{LastOpen, StateData, Tie, merge_article, merge_bookmark};
use crate::library::{migrate_issue_key, migrate_page_key};
use crate::model::ArticleId;

/// `data` as read from a format-1 file, with every key migrated.
pub(super) fn from_v1(data: StateData) -> StateData {
    // Pages repeat (five articles a page): migrate each page string once.
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut id = |old: ArticleId| -> ArticleId {
        let page = pages
            .entry(old.page)
            .or_insert_with_key(|k| migrate_page_key(k))
            .clone();
        ArticleId { page, ..old }
    };
    let mut out = StateData::default();
    for (k, st) in data.articles {
        match out.articles.entry(id(k)) {
            Entry::Vacant(e) => {
                e.insert(st);
            }
            Entry::Occupied(mut e) => merge_article(e.get_mut(), st, Tie::KeepBase),
        }
    }
    for (k, mut b) in data.bookmarks {
        let k = id(k);
        b.article = k.clone();
        b.issue = migrate_issue_key(&b.issue);
        match out.bookmarks.entry(k) {
            Entry::Vacant(e) => {
                e.insert(b);
            }
            Entry::Occupied(mut e) => merge_bookmark(e.get_mut(), b, Tie::KeepBase),
        }
    }
    for (k, ms) in data.deleted {
        let e = out.deleted.entry(id(k)).or_insert(0);
        *e = (*e).max(ms);
    }
    let deleted = &out.deleted;
    out.bookmarks
        .retain(|k, b| deleted.get(k).is_none_or(|&d| b.created_ms > d));
    out.last = LastOpen {
        issue: data.last.issue.as_deref().map(migrate_issue_key),
        article: data.last.article.map(&mut id),
        ..data.last
    };
    out
}

/// Name of the copy of a format-1 state file kept when it is first read by this version.
pub const BACKUP_V1: &str = "state.json.v1";

/// Before a format-1 `state.json` is read (and later rewritten as format 2), copy it to
/// [`BACKUP_V1`] unless that exists already. Reads only the head of the file for its
/// version. The error is a warning for the status line; the state still loads.
pub(super) fn back_up_old_format(dir: &Path) -> Result<(), String> {
    let path = dir.join(super::file::STATE_FILE);
    let mut head = [0u8; 64];
    let Ok(n) = std::fs::File::open(&path).and_then(|mut f| f.read(&mut head)) else {
        return Ok(());
    };
    if version_in_head(&head[..n]) != Some(1) {
        return Ok(());
    }
    let backup = dir.join(BACKUP_V1);
    if backup.exists() {
        return Ok(());
    }
    std::fs::copy(&path, &backup)
        .map(|_| ())
        .map_err(|e| format!("could not keep a copy of the old state file: {e}"))
}

/// The `"version": N` at the head of a state file.
fn version_in_head(head: &[u8]) -> Option<u32> {
    let at = memchr::memmem::find(head, b"\"version\":")? + 10;
    let digits: String = head[at..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TextPos;
    use crate::state::model::ArticleState;

    fn st(block: usize, ms: u64, read: bool) -> ArticleState {
        ArticleState {
            anchor: TextPos { block, offset: 0 },
            read,
            updated_ms: ms,
            ..ArticleState::default()
        }
    }

    #[test]
    fn version_from_the_head() {
        assert_eq!(version_in_head(b"{\n  \"version\": 1,\n"), Some(1));
        assert_eq!(version_in_head(b"{\"version\":12}"), Some(12));
        assert_eq!(version_in_head(b"{ not json"), None);
    }

    #[test]
    fn two_roots_of_one_archive_become_one_key() {
        let mut v1 = StateData::default();
        let old = |page: &str| ArticleId {
            page: page.into(),
            title_hash: "h".into(),
            index: 0,
        };
        v1.articles
            .insert(old("papers/大同日报/2026-11-28/01.txt"), st(1, 10, true));
        v1.articles
            .insert(old("大同日报/2026-11-28/01.txt"), st(5, 20, false));
        v1.last.issue = Some("papers/大同日报/2026-11-28".into());
        let v2 = from_v1(v1);
        assert_eq!(v2.articles.len(), 1);
        let (k, s) = v2.articles.iter().next().unwrap();
        assert_eq!(k.page, "大同日报/2026-11-28/01.txt");
        assert_eq!(
            (s.anchor.block, s.read),
            (5, true),
            "newest anchor, sticky read"
        );
        assert_eq!(v2.last.issue.as_deref(), Some("大同日报/2026-11-28"));
    }
}
