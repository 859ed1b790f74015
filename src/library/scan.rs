//! Discovery: folders and files named on the command line (or in the config) → issues.
//!
//! Only names are read here, never file contents: one `read_dir` per folder, and the entry's
//! own file type (no `stat` per file; only symlinks are followed with a `metadata` call).
//! A folder with page files directly inside is an issue; every folder is also searched for
//! more issues below it, so a library root, a publication folder, a year folder and an issue
//! folder can all be given. A file given directly is an issue of one page, whatever its
//! extension. Problems (unreadable folder, broken link, missing path) are collected in
//! [`LibraryIndex::errors`] and never stop the scan.
//!
//! Symlinked folders are followed, but never into a folder that is being walked already
//! (one `stat` per folder opened gives its device and inode): a link back to the folder
//! itself or to one above it is a loop, reported as an error and not followed, so an issue's
//! pages are never repeated. The same folder reached under two names that do not loop (a
//! `latest` link beside the folder) is still walked under each name.
//!
//! Below a given path, a folder whose name is a date (`2026-11-28`), or whose path spells
//! one (`2016/12/01`), is taken as an issue without being opened: its entry holds one
//! [`PageRef`] for the folder itself, listed by [`list_pages`] (which `load_issue` calls)
//! when the issue is selected. Ten years of a daily then cost two `read_dir` calls at
//! start-up instead of 3,651. The pages of such an issue are all page files in the folder
//! and below it.

use std::fs;
use std::path::{Path, PathBuf};

use super::dates::date_in_name;
use super::issues::{folder_issues, sort_issues, unique_ids};
use super::natural::natural_cmp;
use super::paths::{DirKey, date_of_folder, dir_key, join_rel, publication_of, root_name};
use super::{IssueEntry, LibraryIndex, PageRef, PageSource, ScanError};
use crate::model::PageError;

/// Extensions of page files found inside folders (compared case-insensitively).
pub const PAGE_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// How deep below a root the scan goes (loops are cut before: see the module notes).
const MAX_DEPTH: usize = 24;

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
                source: page.rel.clone(),
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

#[derive(Default)]
struct Scanner {
    issues: Vec<IssueEntry>,
    errors: Vec<ScanError>,
    /// Threads this scanner may use for a wide folder (1: scan in this thread only).
    threads: usize,
    /// Take date-named subfolders as issues without listing them.
    defer_dated: bool,
    /// The folders being walked, from the root down to the current one.
    ancestors: Vec<DirKey>,
}

/// A folder's entries, split by kind.
#[derive(Default)]
struct Listing {
    pages: Vec<String>,
    dirs: Vec<String>,
}

impl Scanner {
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
                    .and_then(|p| date_in_name(&p.to_string_lossy()))
            });
            let stem = Path::new(&name)
                .file_stem()
                .map_or_else(|| name.clone(), |s| s.to_string_lossy().into_owned());
            self.push(IssueEntry {
                id: name.clone(),
                name: stem,
                publication: None,
                date,
                pages: vec![PageRef {
                    rel: name,
                    source: PageSource::File(root.to_path_buf()),
                }],
            });
        }
    }

    /// `rel` is the folder's library-relative path (its id if it holds pages). A folder that
    /// is one of its own ancestors (reached through a symlink) is a loop: not walked again.
    fn folder(&mut self, dir: &Path, rel: &str, depth: usize) {
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
        self.ancestors.push(key);
        self.walk(dir, rel, depth);
        self.ancestors.pop();
    }

    fn walk(&mut self, dir: &Path, rel: &str, depth: usize) {
        let Some(mut listing) = self.list(dir) else {
            return;
        };
        listing.pages.sort_by(|a, b| natural_cmp(a, b));
        listing.dirs.sort_by(|a, b| natural_cmp(a, b));
        if !listing.pages.is_empty() {
            self.issues.extend(folder_issues(dir, rel, &listing.pages));
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
        // Threads pay off only for folders that will be read (dated ones are deferred).
        let to_read = if self.defer_dated {
            listing
                .dirs
                .iter()
                .filter(|d| date_of_folder(&join_rel(rel, d)).is_none())
                .count()
        } else {
            listing.dirs.len()
        };
        if self.threads > 1 && to_read >= PARALLEL_FROM {
            return self.folders_in_parallel(dir, rel, &listing.dirs, depth + 1);
        }
        for sub in &listing.dirs {
            self.subfolder(dir, rel, sub, depth + 1);
        }
    }

    fn subfolder(&mut self, parent: &Path, parent_rel: &str, name: &str, depth: usize) {
        let rel = join_rel(parent_rel, name);
        let dated = self.defer_dated.then(|| date_of_folder(&rel)).flatten();
        match dated {
            Some(date) => self.push(IssueEntry {
                id: rel.clone(),
                // `2016/12/01` is named by its date, `2026-11-28` by itself.
                name: if date_in_name(name).is_some() {
                    name.to_string()
                } else {
                    date.to_string()
                },
                publication: publication_of(&rel),
                date: Some(date),
                pages: vec![PageRef {
                    rel,
                    source: PageSource::File(parent.join(name)),
                }],
            }),
            None => self.folder(&parent.join(name), &rel, depth),
        }
    }

    /// Scan `subs` on `self.threads` threads, each taking a contiguous run, and append their
    /// results in order: the outcome is the same as a sequential scan.
    fn folders_in_parallel(&mut self, dir: &Path, rel: &str, subs: &[String], depth: usize) {
        let per_thread = subs.len().div_ceil(self.threads);
        let self_defer = self.defer_dated;
        let ancestors = &self.ancestors;
        let parts: Vec<std::thread::Result<Scanner>> = std::thread::scope(|scope| {
            let handles: Vec<_> = subs
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut part = Scanner {
                            threads: 1,
                            defer_dated: self_defer,
                            ancestors: ancestors.clone(),
                            ..Scanner::default()
                        };
                        for sub in chunk {
                            part.subfolder(dir, rel, sub, depth);
                        }
                        part
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join()).collect()
        });
        for part in parts {
            match part {
                Ok(part) => {
                    self.issues.extend(part.issues);
                    self.errors.extend(part.errors);
                }
                Err(_) => self.errors.push(ScanError {
                    path: dir.display().to_string(),
                    message: "a scan thread failed; some issues may be missing".into(),
                }),
            }
        }
    }

    fn list(&mut self, dir: &Path) -> Option<Listing> {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.error(dir, &e);
                return None;
            }
        };
        let mut listing = Listing::default();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.error(dir, &e);
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    self.error(&entry.path(), &e);
                    continue;
                }
            };
            let is_dir = if file_type.is_symlink() {
                match fs::metadata(entry.path()) {
                    Ok(m) => m.is_dir(),
                    Err(e) => {
                        self.error(&entry.path(), &e);
                        continue;
                    }
                }
            } else {
                file_type.is_dir()
            };
            if is_dir {
                listing.dirs.push(name);
            } else if is_page_name(&name) {
                listing.pages.push(name);
            }
        }
        Some(listing)
    }

    fn push(&mut self, issue: IssueEntry) {
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
}
