//! Stable identity: the keys reading state is stored under, the same whichever folder the
//! archive is opened from (the library, a publication folder, one issue, a page), through
//! a symlink, or after the archive has moved.
//!
//! - A dated issue is `publication/date`, plus `~edition` when its folder name carries more
//!   than the date (`2026-11-28-晚刊` → `大同日报/2026-11-28~晚刊`). The publication is the
//!   nearest folder above the issue that is not a date or a year/month folder, read from the
//!   *canonical* path, so it is found even when only the issue folder was given.
//! - An undated issue is its path from its publication folder down (`大同日报/第0001期`): the
//!   publication folder is the nearest library root that every way of opening it shares.
//!   An undated page opened on its own is the issue `folder key/page name`.
//! - A page is the issue key, `/`, and its path inside the issue folder (`…/2026-11-28/01.txt`).
//!   An issue that takes its date from its page names (`20261128_01.txt` in an undated
//!   folder) is the folder as publication plus that date.
//!
//! [`stabilize`] re-keys a scanned index in place (one `canonicalize` per root given, string
//! work per issue); [`migrate_page_key`] maps a page key of the old, root-relative scheme
//! (state format 1) to this one from the string alone.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::dates::{date_in_name, date_span_in_name};
use super::issues::{sort_issues, unique_ids};
use super::paths::{date_of_folder, publication_of};
use super::scan::is_page_name;
use super::{IssueEntry, LibraryIndex, PageSource};
use crate::model::Date;

/// Key of the bundled sample library's place.
pub const BUNDLED_LIBRARY: &str = "(samples)";

/// Start of the place key of pages opened on their own (`dubao one-page.txt`): they keep a
/// place of their own, and never the most recent place that a library without a place of
/// its own may start at.
pub const PAGES_PLACE: &str = "page:";

/// A path component as a string that loses nothing: UTF-8 as it is, except `%` as `%25`;
/// a name that is not UTF-8 (GBK names of old archives) with every byte outside ASCII as
/// `%XX` — not only the invalid ones, since GBK bytes that happen to form UTF-8 would key
/// the name with stray accents and marks. Two different names never give one string.
pub fn escape_component(name: &OsStr) -> String {
    match name.to_str() {
        Some(s) if !s.contains('%') => s.to_string(),
        Some(s) => s.replace('%', "%25"),
        None => escape_bytes(name),
    }
}

#[cfg(unix)]
fn escape_bytes(name: &OsStr) -> String {
    use std::fmt::Write;
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in name.as_bytes() {
        if b == b'%' {
            out.push_str("%25");
        } else if b.is_ascii() {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(not(unix))]
fn escape_bytes(name: &OsStr) -> String {
    name.to_string_lossy().replace('%', "%25")
}

/// The components of `path` as escaped strings (the root and `.` dropped).
fn components(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(escape_component(n)),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

/// The key of the place kept for a library: its roots, canonical and sorted (the paths
/// given, else the configured library folders, else the bundled samples). When every root
/// is a file, the key starts with [`PAGES_PLACE`]: pages opened on their own keep their own
/// place and never take over a library's.
pub fn library_key(given: &[PathBuf], configured: &[PathBuf]) -> Option<String> {
    let roots = if given.is_empty() { configured } else { given };
    if roots.is_empty() {
        return Some(BUNDLED_LIBRARY.into());
    }
    let pages = roots.iter().all(|r| r.is_file());
    let mut keys: Vec<String> = roots
        .iter()
        .map(|r| {
            let c = std::fs::canonicalize(r).unwrap_or_else(|_| r.clone());
            format!("/{}", components(&c).join("/"))
        })
        .collect();
    keys.sort();
    keys.dedup();
    let key = keys.join(" + ");
    Some(if pages {
        format!("{PAGES_PLACE}{key}")
    } else {
        key
    })
}

/// Where a root given on the command line really is.
struct Root {
    given: PathBuf,
    canonical: Vec<String>,
    is_file: bool,
}

/// Re-key every issue and page of `index` (scanned from `roots`) by publication and date.
pub(super) fn stabilize(index: &mut LibraryIndex, roots: &[PathBuf]) {
    let roots: Vec<Root> = roots
        .iter()
        .map(|r| {
            let canonical = std::fs::canonicalize(r).ok();
            Root {
                given: r.clone(),
                canonical: components(canonical.as_deref().unwrap_or(r)),
                is_file: canonical.as_deref().unwrap_or(r).is_file(),
            }
        })
        .collect();
    let mut memo = ParentMemo::default();
    let mut moved = false;
    for entry in &mut index.issues {
        let before = entry.publication.clone();
        if !rekey_dated_folder(entry, &roots, &mut memo) {
            rekey(entry, &roots);
        }
        moved |= entry.publication != before;
    }
    unique_ids(&mut index.issues);
    // The scan sorted by publication already; only a paper found under another name
    // (a symlinked root, an issue given on its own) can change the order.
    if moved {
        sort_issues(&mut index.issues);
    }
}

/// Publications of the dated folders in a folder, by that folder: ten years of a daily are
/// 3,650 dated folders in one or a few folders, which need one look each. The folder of
/// the issue before is checked first: issues of one folder come together, and comparing
/// two paths costs less than hashing one.
#[derive(Default)]
struct ParentMemo {
    last: Option<(PathBuf, Option<Arc<str>>)>,
    all: HashMap<PathBuf, Option<Arc<str>>>,
}

impl ParentMemo {
    fn get(&mut self, parent: &Path) -> Option<&Option<Arc<str>>> {
        if self.last.as_ref().is_none_or(|(p, _)| p != parent) {
            let found = self.all.get(parent)?.clone();
            self.last = Some((parent.to_path_buf(), found));
        }
        self.last.as_ref().map(|(_, p)| p)
    }

    fn insert(&mut self, parent: &Path, publication: Option<Arc<str>>) {
        self.all.insert(parent.to_path_buf(), publication.clone());
        self.last = Some((parent.to_path_buf(), publication));
    }
}

/// The common case, cheaply: a folder named exactly by its date (`2026-11-28`) below a root,
/// not listed yet. False when `entry` is anything else (then [`rekey`] does it).
fn rekey_dated_folder(entry: &mut IssueEntry, roots: &[Root], memo: &mut ParentMemo) -> bool {
    let (Some(date), [first]) = (entry.date, entry.pages.as_slice()) else {
        return false;
    };
    let PageSource::File(path) = &first.source else {
        return false;
    };
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    if first.rel != entry.id || name.to_str().is_none_or(|n| !is_date_text(n, date)) {
        return false;
    }
    if memo.get(parent).is_none() {
        let Some(root) = roots
            .iter()
            .filter(|r| {
                !r.is_file
                    && path
                        .strip_prefix(&r.given)
                        .is_ok_and(|t| t.components().count() > 0)
            })
            .max_by_key(|r| r.given.components().count())
        else {
            return false;
        };
        let Ok(tail) = parent.strip_prefix(&root.given) else {
            return false;
        };
        let mut logical = root.canonical.clone();
        logical.extend(components(tail));
        logical.push(date.to_string());
        memo.insert(parent, publication_of(&logical.join("/")).map(Arc::from));
    }
    let Some(publication) = memo.get(parent) else {
        return false;
    };
    let mut key = String::with_capacity(publication.as_ref().map_or(0, |p| p.len() + 1) + 10);
    if let Some(p) = publication {
        key.push_str(p);
        key.push('/');
    }
    push_date(&mut key, date);
    if publication.is_some() && entry.publication != *publication {
        entry.publication.clone_from(publication);
    }
    if let Some(page) = entry.pages.first_mut() {
        page.rel = key.as_str().into();
    }
    entry.id = key.into();
    true
}

/// `date` as `YYYY-MM-DD` (as `date.to_string()` writes it, without the formatting
/// machinery: this runs once per issue at start-up).
fn push_date(out: &mut String, date: Date) {
    let parts = [
        (u32::from(date.year), 4),
        (u32::from(date.month), 2),
        (u32::from(date.day), 2),
    ];
    for (k, (n, width)) in parts.into_iter().enumerate() {
        if k > 0 {
            out.push('-');
        }
        for i in (0..width).rev() {
            out.push(char::from_digit((n / 10u32.pow(i)) % 10, 10).unwrap_or('0'));
        }
    }
}

/// True when `name` is exactly `date` as `YYYY-MM-DD` (what `date.to_string()` gives),
/// without making that string.
fn is_date_text(name: &str, date: Date) -> bool {
    let b = name.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && num(0..4) == Some(u32::from(date.year))
        && num(5..7) == Some(u32::from(date.month))
        && num(8..10) == Some(u32::from(date.day))
}

fn rekey(entry: &mut IssueEntry, roots: &[Root]) {
    let Some(first) = entry.pages.first() else {
        return;
    };
    let PageSource::File(path) = &first.source else {
        return;
    };
    let Some((root, tail)) = roots
        .iter()
        .filter_map(|r| Some((r, path.strip_prefix(&r.given).ok()?)))
        .max_by_key(|(r, _)| r.given.components().count())
    else {
        return;
    };
    let mut logical = root.canonical.clone();
    logical.extend(components(tail));
    // The issue folder, and each page's path inside it.
    let (folder, within): (Vec<String>, Vec<String>) = if root.is_file {
        let name = logical.pop().unwrap_or_default();
        (logical, vec![name])
    } else if entry.pages.len() == 1 && first.rel == entry.id && !is_page_name(&first.rel) {
        // A dated folder not listed yet: its pages are named when it is opened.
        (logical, vec![String::new()])
    } else {
        logical.pop();
        let folder_rel = first.rel.rsplit_once('/').map_or("", |(f, _)| f);
        let within = entry
            .pages
            .iter()
            .map(|p| {
                p.rel
                    .strip_prefix(folder_rel)
                    .map_or(p.rel.as_str(), |r| r.trim_start_matches('/'))
                    .to_string()
            })
            .collect();
        (logical, within)
    };
    let (mut key, publication) = issue_key(&folder, entry.date);
    let mut within = within;
    if root.is_file && entry.date.is_none() {
        // An undated page on its own is an issue by itself: keyed as that page is inside
        // its folder's issue, so both share its reading state.
        key = format!("{key}/{}", within[0]);
        within[0].clear();
    }
    for (page, w) in entry.pages.iter_mut().zip(within) {
        page.rel = if w.is_empty() {
            key.as_str().into()
        } else {
            compact_str::format_compact!("{key}/{w}")
        };
    }
    entry.id = key.into();
    // A dated issue shows the paper its canonical path names (also when only the issue was
    // given); an undated one only when the scan saw a paper's folder inside the library
    // (the real name of a symlinked root, not the folder the library sits in).
    if publication.is_some() && (entry.date.is_some() || entry.publication.is_some()) {
        entry.publication = publication.map(Arc::from);
    }
}

/// The key of the issue in `folder` (path components) dated `date`, and its publication.
pub fn issue_key(folder: &[String], date: Option<Date>) -> (String, Option<String>) {
    let joined = folder.join("/");
    let Some(date) = date else {
        // Undated: the path from the publication folder down.
        let publication = publication_of(&joined);
        let from = publication
            .as_ref()
            .and_then(|p| {
                folder[..folder.len().saturating_sub(1)]
                    .iter()
                    .rposition(|c| c == p)
            })
            .unwrap_or(folder.len().saturating_sub(1));
        return (folder[from..].join("/"), publication);
    };
    let folder_dated = date_of_folder(&joined).is_some();
    let publication = if folder_dated {
        publication_of(&joined)
    } else {
        // The date comes from the page names: the folder itself may be the publication.
        publication_of(&format!("{joined}/{date}"))
    };
    let name = folder.last().map(String::as_str).unwrap_or_default();
    let edition = folder_dated
        .then(|| edition_of(name, publication.as_deref()))
        .flatten();
    let mut key = match &publication {
        Some(p) => format!("{p}/{date}"),
        None => date.to_string(),
    };
    if let Some(e) = edition {
        key.push('~');
        key.push_str(&e);
    }
    (key, publication)
}

/// What a dated folder's name says besides the date and the paper's name: `2026-11-28-晚刊`
/// → `晚刊`, `大同日报20261128` → nothing.
fn edition_of(name: &str, publication: Option<&str>) -> Option<String> {
    let (_, span) = date_span_in_name(name)?;
    let chars: Vec<char> = name.chars().collect();
    let seps: &[char] = &['-', '_', '.', ' ', '\u{3000}'];
    let parts: Vec<String> = [&chars[..span.start], &chars[span.end..]]
        .iter()
        .map(|p| p.iter().collect::<String>().trim_matches(seps).to_string())
        .filter(|p| !p.is_empty() && Some(p.as_str()) != publication)
        .collect();
    (!parts.is_empty()).then(|| parts.join("-"))
}

/// A page key of state format 1 (relative to the parent of whatever path was given) in the
/// scheme above, from the string alone: the last folder that spells a date is the issue
/// (its publication is read above it); else a page name with a date makes its folder the
/// publication; else the page's folder is an undated issue. A key without a publication
/// in it (an issue folder opened on its own) keeps its date as the key.
pub fn migrate_page_key(old: &str) -> String {
    let parts: Vec<String> = old.split('/').map(str::to_string).collect();
    let n = parts.len();
    for j in (0..n.saturating_sub(1)).rev() {
        if let Some(date) = date_of_folder(&parts[..=j].join("/")) {
            let (key, _) = issue_key(&parts[..=j], Some(date));
            return format!("{key}/{}", parts[j + 1..].join("/"));
        }
    }
    let file = &parts[n - 1];
    let folder = &parts[..n - 1];
    if let Some(date) = date_in_name(file) {
        let (key, _) = issue_key(folder, Some(date));
        return format!("{key}/{file}");
    }
    if folder.is_empty() {
        return old.to_string();
    }
    let (key, _) = issue_key(folder, None);
    format!("{key}/{file}")
}

/// An issue key of format 1 in the new scheme (see [`migrate_page_key`]).
pub fn migrate_issue_key(old: &str) -> String {
    let migrated = migrate_page_key(&format!("{old}/-"));
    migrated
        .strip_suffix("/-")
        .map_or(migrated.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_written_and_read_as_to_string_does() {
        for (y, m, d) in [(2026, 11, 28), (1800, 1, 1), (2199, 12, 31), (2016, 2, 9)] {
            let date = Date {
                year: y,
                month: m,
                day: d,
            };
            let mut key = String::new();
            push_date(&mut key, date);
            assert_eq!(key, date.to_string());
            assert!(is_date_text(&key, date));
        }
        let date = Date {
            year: 2026,
            month: 11,
            day: 28,
        };
        for other in [
            "2026-11-27",
            "2026-11-28-晚刊",
            "20261128",
            "2026_11_28",
            "2026-1-28x",
        ] {
            assert!(!is_date_text(other, date), "{other}");
        }
    }

    #[test]
    fn old_keys_migrate_from_any_root() {
        for old in [
            "papers/大同日报/2026-11-28/01.txt",
            "大同日报/2026-11-28/01.txt",
            "x/papers/大同日报/2026/2026-11-28/01.txt",
        ] {
            assert_eq!(migrate_page_key(old), "大同日报/2026-11-28/01.txt", "{old}");
        }
        assert_eq!(
            migrate_page_key("news/晚报/2016/12/01/A/01.txt"),
            "晚报/2016-12-01/A/01.txt"
        );
        assert_eq!(
            migrate_page_key("lib/大同日报/20261127_01.txt"),
            "大同日报/2026-11-27/20261127_01.txt"
        );
        assert_eq!(
            migrate_page_key("lib/大同日报/第0001期/01.txt"),
            "大同日报/第0001期/01.txt"
        );
        assert_eq!(migrate_page_key("2026-11-28/01.txt"), "2026-11-28/01.txt");
        assert_eq!(migrate_page_key("page.txt"), "page.txt");
        assert_eq!(
            migrate_issue_key("papers/大同日报/2026-11-28"),
            "大同日报/2026-11-28"
        );
    }

    #[test]
    fn editions_and_publication_names() {
        let f = |p: &[&str]| {
            p.iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        let date = date_in_name("2026-11-28");
        assert_eq!(
            issue_key(&f(&["home", "大同日报", "2026-11-28-晚刊"]), date).0,
            "大同日报/2026-11-28~晚刊"
        );
        assert_eq!(
            issue_key(&f(&["home", "大同日报", "大同日报20261128"]), date).0,
            "大同日报/2026-11-28"
        );
        assert_eq!(
            issue_key(&f(&["home", "大同日报", "2026年11月28日"]), date).0,
            "大同日报/2026-11-28"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_escape_losslessly() {
        use std::os::unix::ffi::OsStrExt;
        let a = escape_component(OsStr::from_bytes(b"\xb4\xf3\xff\xfe%"));
        let b = escape_component(OsStr::from_bytes(b"%B4\xf3\xff\xfe%"));
        assert_eq!(a, "%B4%F3%FF%FE%25");
        assert_ne!(a, b);
        assert_eq!(escape_component(OsStr::new("100%")), "100%25");
        assert_eq!(escape_component(OsStr::new("大同日报")), "大同日报");
    }
}
