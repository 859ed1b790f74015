//! The library: a folder tree → issues. Start-up lists folders and names only ([`scan`]);
//! an issue's pages are read and parsed when it is selected ([`load_issue`], or in the
//! background with a [`Loader`]); the reader keeps a bounded number of the parsed issues
//! (`ui::update::KEEP_ISSUES`), so memory does not grow with the number of issues visited.
//! [`bundled`] gives the sample issues compiled into the binary.
//!
//! Parts: `dates` (dates in names), `date_query` (the go-to-date prompt), `natural` (page
//! order), `paths` (what a folder path says), `scan` (discovery), `identity` (the stable keys
//! of issues and pages: publication + date), `summary` (article counts of every issue on a
//! background thread, cached), `bundled`, `loader`. The API is described for the
//! reader in `doc/library.md`.

use std::path::PathBuf;
use std::sync::Arc;

use compact_str::CompactString;

use crate::model::{Date, Issue, PageError};
use crate::parse::{self, ParseOptions};

mod bundled;
mod date_query;
mod dates;
mod identity;
mod issues;
mod loader;
mod natural;
mod paths;
mod scan;
mod summary;

pub use bundled::{BUNDLED_PREFIX, bundled, sample_pages};
pub use date_query::{DateQuery, nearest_on_or_before, parse_date_query, today_utc, weekday_zh};
pub use dates::{date_in_name, date_span_in_name, valid_date};
pub use identity::{
    BUNDLED_LIBRARY, PAGES_PLACE, escape_component, issue_key, library_key, migrate_issue_key,
    migrate_page_key,
};
pub use loader::{LOADER_THREAD, Loader};
pub use natural::natural_cmp;
pub use paths::escape_name;
pub use scan::{PAGE_EXTENSIONS, is_page_name, list_pages};
pub use summary::{Counts, SUMMARY_FILE, SUMMARY_THREAD, read_cache, spawn_summaries};

/// Discover the issues under `paths` (see [`scan::scan`]) and key them by publication and
/// date, so that reading state is the same whichever folder of the archive was given.
pub fn scan(paths: &[PathBuf]) -> LibraryIndex {
    let mut index = scan::scan(paths);
    identity::stabilize(&mut index, paths);
    index
}

/// The scan without re-keying: ids are paths relative to the parent of each path given
/// (what state format 1 stored).
pub fn scan_paths(paths: &[PathBuf]) -> LibraryIndex {
    scan::scan(paths)
}

/// Where a page's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageSource {
    File(PathBuf),
    /// A sample page compiled into the binary.
    Bundled(&'static [u8]),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// Library-relative path (the page's identity in state).
    pub rel: CompactString,
    pub source: PageSource,
}

/// An issue as discovered: names only, nothing parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    /// Library-relative path of the folder (or file): the issue's identity in state.
    /// (Inline up to 24 bytes, as most are: `大同日报/2026-11-28` is 23.)
    pub id: CompactString,
    /// Shown in the issue list: the folder name, or a lone file's stem.
    pub name: CompactString,
    /// The nearest folder above the issue that is not a date or a year/month folder: one
    /// string shared by all the issues of a publication (ten years of a daily: 3,650).
    pub publication: Option<Arc<str>>,
    pub date: Option<Date>,
    /// In natural order of their file names (`2.txt` before `10.txt`). For a date-named
    /// folder found below a given path, one ref to the folder itself until [`list_pages`]
    /// (or [`load_issue`]) lists it: start-up does not open issue folders.
    pub pages: Vec<PageRef>,
}

/// A folder or path the scan could not read. The rest of the library is still listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The discovered library: issues grouped by publication, newest first within a group,
/// undated issues after the dated ones in discovery order.
#[derive(Debug, Clone, Default)]
pub struct LibraryIndex {
    pub issues: Vec<IssueEntry>,
    /// Unreadable folders, broken links, missing paths: shown to the user, never fatal.
    pub errors: Vec<ScanError>,
}

impl LibraryIndex {
    /// Pages listed so far (a deferred issue folder counts as one).
    pub fn page_count(&self) -> usize {
        self.issues.iter().map(|i| i.pages.len()).sum()
    }

    /// Issue `i`'s publication (`None` for an issue outside any paper's folder).
    pub fn publication(&self, i: usize) -> Option<&str> {
        self.issues.get(i)?.publication.as_deref()
    }

    /// Publications in list order (issues without one are not counted).
    pub fn publications(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in self.issues.iter().filter_map(|i| i.publication.as_deref()) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// Read and parse every page of an issue (listing a deferred folder first, see
/// [`list_pages`]). Bad pages become `errors`, never a failure.
pub fn load_issue(entry: &IssueEntry, opts: &ParseOptions) -> Issue {
    let (listed, mut errors) = list_pages(entry);
    let mut pages = Vec::new();
    for p in &listed.pages {
        let res = match &p.source {
            PageSource::File(path) => parse::read_page(path, &p.rel, opts),
            PageSource::Bundled(bytes) => parse::parse_bytes(&p.rel, bytes, opts),
        };
        match res {
            Ok(page) => pages.push(page),
            Err(e) => errors.push(PageError {
                source: p.rel.to_string(),
                message: e.to_string(),
            }),
        }
    }
    Issue {
        id: entry.id.to_string(),
        name: entry.name.to_string(),
        publication: entry.publication.as_deref().map(str::to_string),
        date: entry.date,
        pages,
        errors,
    }
}
