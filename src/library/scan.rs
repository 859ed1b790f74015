//! Discovery: folders and files named on the command line (or in the config) → issues.
//!
//! Only names are read here, never file contents: one `read_dir` per folder, and the entry's
//! own file type (no `stat` per file; only symlinks are followed with a `metadata` call).
//! A folder with page files directly inside is an issue; every folder is also searched for
//! more issues below it, so a library root, a publication folder, a year folder and an issue
//! folder can all be given. A file given directly is an issue of one page, whatever its
//! extension. Problems (unreadable folder, broken link, missing path) are collected in
//! [`LibraryIndex::errors`] and never stop the scan. Names are kept as the system gives them
//! (`OsString`): a name that is not UTF-8 (GBK names in old archives) is listed under its
//! escaped form ([`escape_name`]) and opened by its raw bytes.
//!
//! Every folder is walked once, however it is reached (one `stat` per folder opened gives its
//! device and inode). Real folders are walked first, then the symlinked folders met on the
//! way, in the order they were met: a link to a folder already walked (a `latest` link beside
//! it, two links to one folder) is reported and not followed, and a link to a folder that
//! contains it is a loop, reported as one. Because links wait for the real tree, which name a
//! folder is listed under never depends on thread scheduling or on where the link sorts.
//! Depth and the number of issues are bounded, with a message past either bound.
//!
//! Below a given path, a folder whose name is a date (`2026-11-28`), or whose path spells
//! one (`2016/12/01`), is taken as an issue without being opened: its entry holds one
//! [`PageRef`] for the folder itself, listed by [`list_pages`] (which `load_issue` calls)
//! when the issue is selected. Ten years of a daily then cost two `read_dir` calls at
//! start-up instead of 3,651. The pages of such an issue are all page files in the folder
//! and below it.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dates::date_in_name;
use super::issues::{folder_issues, sort_issues, unique_ids};
use super::natural::sort_natural;
use super::paths::{
    DirKey, date_of_subfolder, dir_key, escape_name, join_path, join_rel, publication_below,
    root_name,
};
use super::{IssueEntry, LibraryIndex, PageRef, PageSource, ScanError};
use crate::model::PageError;
use listing::Name;

mod listing;
mod parallel;

/// Extensions of page files found inside folders (compared case-insensitively).
pub const PAGE_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// How deep below a root the scan goes.
const MAX_DEPTH: usize = 24;

/// How many issues one scan lists at most: ten dailies over fifty years stay below it, and
/// a tree that multiplies itself stops here with a message instead of filling memory.
pub const MAX_ISSUES: usize = 200_000;

/// A folder with at least this many subfolders is scanned on several threads: listing
/// folders is mostly system-call time, which spreads well over cores.
const PARALLEL_FROM: usize = 64;

/// At most this many scan threads.
const MAX_THREADS: usize = 4;

/// True for a name the scan takes as a page file: a known extension, not hidden.
pub fn is_page_name(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAGE_EXTENSIONS.iter().any(|p| e.eq_ignore_ascii_case(p)))
}

/// Discover the issues under `paths`, newest first within each publication.
pub fn scan(paths: &[PathBuf]) -> LibraryIndex {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_THREADS));
    let mut scanner = Scanner {
        threads,
        defer_dated: true,
        ..Scanner::default()
    };
    for root in paths {
        scanner.root(root);
    }
    scanner.follow_links();
    let mut index = LibraryIndex {
        issues: scanner.issues,
        errors: scanner.errors,
    };
    unique_ids(&mut index.issues);
    sort_issues(&mut index.issues);
    index
}

/// The entry with every deferred folder (see the module notes) replaced by the page files in
/// it and below it, in natural order. Costs one `read_dir` per folder; the reader may call it
/// on selection to show page names before the pages are parsed. A folder that holds no pages
/// is an error with the folder's id as `source`; one that cannot be read, with its path.
pub fn list_pages(entry: &IssueEntry) -> (IssueEntry, Vec<PageError>) {
    let mut listed = entry.clone();
    let mut errors = Vec::new();
    if !entry.pages.iter().any(is_deferred) {
        return (listed, errors);
    }
    listed.pages.clear();
    for page in &entry.pages {
        let PageSource::File(dir) = &page.source else {
            listed.pages.push(page.clone());
            continue;
        };
        if !is_deferred(page) {
            listed.pages.push(page.clone());
            continue;
        }
        let mut scanner = Scanner {
            threads: 1,
            ..Scanner::default()
        };
        scanner.folder(dir, &page.rel, 0);
        scanner.follow_links();
        let before = listed.pages.len();
        for issue in scanner.issues {
            listed.pages.extend(issue.pages);
        }
        errors.extend(scanner.errors.into_iter().map(|e| PageError {
            source: e.path,
            message: e.message,
        }));
        if listed.pages.len() == before && errors.is_empty() {
            errors.push(PageError {
                source: page.rel.to_string(),
                message: format!(
                    "no page files ({}) in this folder",
                    PAGE_EXTENSIONS.join(", ")
                ),
            });
        }
    }
    (listed, errors)
}

/// A page ref that stands for a folder still to be listed: judged by the name first, so
/// listed pages cost no `stat`.
fn is_deferred(page: &PageRef) -> bool {
    let name = page.rel.rsplit('/').next().unwrap_or(&page.rel);
    match &page.source {
        PageSource::File(path) => !is_page_name(name) && path.is_dir(),
        PageSource::Bundled(_) => false,
    }
}

struct Scanner<'a> {
    issues: Vec<IssueEntry>,
    errors: Vec<ScanError>,
    /// Threads this scanner may use for a wide folder (1: scan in this thread only).
    threads: usize,
    /// Take date-named subfolders as issues without listing them.
    defer_dated: bool,
    /// The folders being walked, from the root down to the current one.
    ancestors: Vec<DirKey>,
    /// Every folder walked so far, with the path it was listed under.
    visited: HashMap<DirKey, String>,
    /// The scanner's own `visited` when this one scans part of a wide folder for it.
    outer: Option<&'a HashMap<DirKey, String>>,
    /// Symlinked folders met and not walked yet: they wait for the real tree.
    links: Vec<Link>,
    max_issues: usize,
    /// Set once `max_issues` is reached: nothing more is walked.
    full: bool,
    /// The last folder whose dated subfolders were listed, and their publication.
    publication_memo: Option<(String, Option<Arc<str>>)>,
}

impl Default for Scanner<'_> {
    fn default() -> Self {
        Scanner {
            issues: Vec::new(),
            errors: Vec::new(),
            threads: 1,
            defer_dated: false,
            ancestors: Vec::new(),
            visited: HashMap::new(),
            outer: None,
            links: Vec::new(),
            max_issues: MAX_ISSUES,
            full: false,
            publication_memo: None,
        }
    }
}

/// A symlinked folder met during the walk, to be walked after the real tree.
struct Link {
    path: PathBuf,
    rel: String,
    depth: usize,
    /// The folders the link sits in: following it into one of them is a loop.
    ancestors: Vec<DirKey>,
}

impl Scanner<'_> {
    fn root(&mut self, root: &Path) {
        let meta = match fs::metadata(root) {
            Ok(m) => m,
            Err(e) => return self.error(root, &e),
        };
        let name = root_name(root);
        if meta.is_dir() {
            self.folder(root, &name, 0);
        } else {
            // `2026-11-28/01.txt`: a page file named by number takes its folder's date.
            let date = date_in_name(&name).or_else(|| {
                root.parent()
                    .and_then(Path::file_name)
                    .and_then(|p| date_in_name(&escape_name(p)))
            });
            let stem = Path::new(&name)
                .file_stem()
                .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
            self.push(IssueEntry {
                id: name.as_str().into(),
                name: stem.into(),
                publication: None,
                date,
                pages: vec![PageRef {
                    rel: name.into(),
                    source: PageSource::File(root.to_path_buf()),
                }],
            });
        }
    }

    /// Where the folder with this key was listed, if it was.
    fn seen(&self, key: &DirKey) -> Option<&String> {
        self.visited
            .get(key)
            .or_else(|| self.outer.and_then(|o| o.get(key)))
    }

    /// `rel` is the folder's library-relative path (its id if it holds pages). A folder
    /// walked already is not walked again (see the module notes).
    fn folder(&mut self, dir: &Path, rel: &str, depth: usize) {
        if self.full {
            return;
        }
        let key = match dir_key(dir) {
            Ok(k) => k,
            Err(e) => return self.error(dir, &e),
        };
        if self.ancestors.contains(&key) {
            return self.errors.push(ScanError {
                path: dir.display().to_string(),
                message: "a link back to a folder that contains it (a loop): not followed".into(),
            });
        }
        if let Some(first) = self.seen(&key) {
            let message = format!("the same folder as {first}: listed once, there");
            return self.errors.push(ScanError {
                path: dir.display().to_string(),
                message,
            });
        }
        // A `PathBuf` off unix, so not `Copy` everywhere.
        #[allow(clippy::clone_on_copy)]
        self.visited.insert(key.clone(), rel.to_string());
        self.ancestors.push(key);
        self.walk(dir, rel, depth);
        self.ancestors.pop();
    }

    /// Walk the symlinked folders met so far, and those met while walking them, in order.
    fn follow_links(&mut self) {
        let mut next = 0;
        while next < self.links.len() && !self.full {
            let Link {
                path,
                rel,
                depth,
                ancestors,
            } = std::mem::replace(
                &mut self.links[next],
                Link {
                    path: PathBuf::new(),
                    rel: String::new(),
                    depth: 0,
                    ancestors: Vec::new(),
                },
            );
            next += 1;
            self.ancestors = ancestors;
            self.folder(&path, &rel, depth);
        }
        self.ancestors.clear();
        self.links.clear();
    }

    fn walk(&mut self, dir: &Path, rel: &str, depth: usize) {
        let Some(mut listing) = listing::list(dir, &mut self.errors) else {
            return;
        };
        // Unstable is enough: names in one folder differ, and `natural_cmp` is total.
        sort_natural(&mut listing.pages, |n| &n.shown);
        sort_natural(&mut listing.dirs, |(n, _)| &n.shown);
        if !listing.pages.is_empty() {
            self.add_folder_issues(dir, rel, &listing.pages);
        }
        if depth >= MAX_DEPTH {
            if !listing.dirs.is_empty() {
                self.errors.push(ScanError {
                    path: dir.display().to_string(),
                    message: format!("folders nested deeper than {MAX_DEPTH} levels skipped"),
                });
            }
            return;
        }
        let mut real = Vec::with_capacity(listing.dirs.len());
        for (name, linked) in listing.dirs {
            let dated = self.defer_dated && date_of_subfolder(rel, &name.shown).is_some();
            if linked && !dated {
                self.links.push(Link {
                    path: dir.join(&name.raw),
                    rel: join_rel(rel, &name.shown),
                    depth: depth + 1,
                    ancestors: self.ancestors.clone(),
                });
            } else {
                real.push((name, dated));
            }
        }
        // Threads pay off only for folders that will be read (dated ones are deferred).
        let to_read = real.iter().filter(|(_, dated)| !dated).count();
        let subs: Vec<Name> = real.into_iter().map(|(name, _)| name).collect();
        if self.threads > 1 && to_read >= PARALLEL_FROM {
            return self.folders_in_parallel(dir, rel, &subs, depth + 1);
        }
        self.issues.reserve(subs.len() - to_read);
        for sub in &subs {
            self.subfolder(dir, rel, sub, depth + 1);
        }
    }

    /// The issues of a folder's pages, each page opened by its raw name (an escaped one
    /// names it in ids only).
    fn add_folder_issues(&mut self, dir: &Path, rel: &str, pages: &[Name]) {
        let shown: Vec<String> = pages.iter().map(|p| p.shown.clone()).collect();
        let mut issues = folder_issues(dir, rel, &shown);
        let escaped: HashMap<&str, &OsString> = pages
            .iter()
            .filter(|p| p.raw.to_str() != Some(p.shown.as_str()))
            .map(|p| (p.shown.as_str(), &p.raw))
            .collect();
        if !escaped.is_empty() {
            for page in issues.iter_mut().flat_map(|i| i.pages.iter_mut()) {
                let name = page.rel.rsplit('/').next().unwrap_or(&page.rel);
                if let Some(raw) = escaped.get(name) {
                    page.source = PageSource::File(dir.join(raw));
                }
            }
        }
        for issue in issues {
            self.push(issue);
        }
    }

    fn subfolder(&mut self, parent: &Path, parent_rel: &str, name: &Name, depth: usize) {
        let rel = join_rel(parent_rel, &name.shown);
        let dated = if self.defer_dated {
            date_of_subfolder(parent_rel, &name.shown)
        } else {
            None
        };
        match dated {
            Some((date, named)) => {
                let publication = self.publication_below(parent_rel);
                self.push(IssueEntry {
                    id: rel.as_str().into(),
                    // `2016/12/01` is named by its date, `2026-11-28` by itself.
                    name: if named {
                        name.shown.as_str().into()
                    } else {
                        compact_str::ToCompactString::to_compact_string(&date)
                    },
                    publication,
                    date: Some(date),
                    pages: vec![PageRef {
                        rel: rel.into(),
                        source: PageSource::File(join_path(parent, &name.raw)),
                    }],
                });
            }
            None => self.folder(&parent.join(&name.raw), &rel, depth),
        }
    }

    /// The publication of the issue folders inside `parent_rel`, worked out once for all
    /// of them (ten years of a daily are 3,650 subfolders of one folder).
    fn publication_below(&mut self, parent_rel: &str) -> Option<Arc<str>> {
        match &self.publication_memo {
            Some((rel, publication)) if rel == parent_rel => publication.clone(),
            _ => {
                let publication = publication_below(parent_rel).map(Arc::from);
                self.publication_memo = Some((parent_rel.to_string(), publication.clone()));
                publication
            }
        }
    }

    fn push(&mut self, issue: IssueEntry) {
        if self.full {
            return;
        }
        if self.issues.len() >= self.max_issues {
            self.full = true;
            return self.errors.push(ScanError {
                path: issue.id.into(),
                message: format!(
                    "more than {} issues: the scan stopped here (is a folder linked into itself?)",
                    self.max_issues
                ),
            });
        }
        self.issues.push(issue);
    }

    fn error(&mut self, path: &Path, e: &std::io::Error) {
        self.errors.push(ScanError {
            path: path.display().to_string(),
            message: e.to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names() {
        assert!(is_page_name("01.txt"));
        assert!(is_page_name("A01.MD"));
        assert!(is_page_name("p.markdown"));
        assert!(!is_page_name(".01.txt"));
        assert!(!is_page_name("01.jpg"));
        assert!(!is_page_name("txt"));
    }

    #[test]
    fn the_issue_count_is_bounded_with_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        for n in 0..5 {
            let issue = dir.path().join(format!("lib/issue{n}"));
            fs::create_dir_all(&issue).expect("mkdir");
            fs::write(issue.join("01.txt"), "# 标题\n").expect("write");
        }
        let mut scanner = Scanner {
            max_issues: 3,
            ..Scanner::default()
        };
        scanner.root(&dir.path().join("lib"));
        assert_eq!(scanner.issues.len(), 3);
        assert_eq!(scanner.errors.len(), 1);
        assert!(scanner.errors[0].message.contains("more than 3 issues"));
    }
}
