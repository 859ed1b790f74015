//! [`LocalScan`]: the search backend that scans the cache's folded text with
//! `memchr::memmem`, newest issues first.
//!
//! The manifest lists issues newest first, and an issue's text is contiguous in its segment,
//! so consecutive issues of one segment are read as one run of up to [`CHUNK`] bytes (one
//! read; the text is never held whole, so memory stays flat however large the archive).
//! Two threads scan runs ([`parallel`]); inside a run each issue is scanned forward for the
//! query's longest term ([`issue`]); at a hit the article is cut out between its NULs,
//! checked against the other terms, exclusions and filters, counted or reported
//! ([`hit`]), and the scan continues after that article. `date:` and `pub:` are decided per
//! issue from the manifest before anything is read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

mod hit;
mod issue;
mod parallel;

pub use parallel::CHUNK;

use super::backend::{Coverage, Flow, Hit, SearchBackend, Summary};
use super::fold::Folder;
use super::journal::{Journal, SharedJournal};
use super::manifest::{IssueRecord, Manifest, Unusable};
use super::query::Query;
use super::{CancelToken, SearchError};
use issue::Matcher;

pub struct LocalScan {
    dir: PathBuf,
    folder: Arc<Folder>,
    /// The manifest as of the last refresh: what a search scans.
    manifest: Mutex<Arc<Manifest>>,
    /// The manifest log as read so far (`None` inside: none usable yet); shared with the
    /// cache builder of the same reader.
    journal: SharedJournal,
    /// Whether the manifest has been read yet (by a search, [`SearchBackend::coverage`] or
    /// [`SearchBackend::refresh`]).
    read: AtomicBool,
}

impl LocalScan {
    /// The cache in `dir`. Its manifest is read at the first search (or `coverage`, or
    /// `refresh`), not here: a reader that never searches never holds it (ten years of
    /// records are most of a megabyte; reading them takes ~15 ms).
    pub fn open(dir: PathBuf, folder: Arc<Folder>) -> LocalScan {
        LocalScan {
            dir,
            folder,
            manifest: Mutex::default(),
            journal: SharedJournal::default(),
            read: AtomicBool::new(false),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn folder(&self) -> &Arc<Folder> {
        &self.folder
    }

    /// The journal this scan reads, for a cache builder to share (`BuildOptions::journal`).
    pub fn journal(&self) -> SharedJournal {
        self.journal.clone()
    }

    /// The manifest as of the last refresh; read first if it never was.
    fn manifest(&self) -> Result<Arc<Manifest>, SearchError> {
        if !self.read.load(Ordering::Acquire) {
            match self.journal.try_lock() {
                Some(slot) => self.refresh_with(slot)?,
                // A builder holds the journal (a commit, a compaction): read the log
                // aside rather than wait for it; its next commit refreshes this scan.
                None => self.read_aside()?,
            }
        }
        Ok(Arc::clone(
            &self.manifest.lock().unwrap_or_else(PoisonError::into_inner),
        ))
    }

    fn read_aside(&self) -> Result<(), SearchError> {
        let fold = self.folder.version();
        let now = match self.usable(Journal::load(&self.dir, fold))? {
            Some(j) => Arc::clone(j.manifest()),
            None => Arc::new(Manifest::empty(fold)),
        };
        let mut m = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
        // A refresh that came meanwhile stored a manifest at least as new.
        if !self.read.load(Ordering::Acquire) {
            *m = now;
            self.read.store(true, Ordering::Release);
        }
        Ok(())
    }

    /// A read of the log: `None` when there is nothing usable yet (no cache, or one for
    /// another folding table: a builder will make it); an I/O error names the cache.
    fn usable<T>(&self, read: Result<T, Unusable>) -> Result<Option<T>, SearchError> {
        match read {
            Ok(t) => Ok(Some(t)),
            Err(Unusable::Io(e)) => Err(SearchError::Io(format!("{}: {e}", self.dir.display()))),
            Err(Unusable::Missing | Unusable::Stale(_)) => Ok(None),
        }
    }

    /// [`SearchBackend::refresh`] with the journal already held.
    fn refresh_with(
        &self,
        mut slot: std::sync::MutexGuard<'_, Option<Journal>>,
    ) -> Result<(), SearchError> {
        let fold = self.folder.version();
        let read = match slot.as_mut() {
            // A builder's thin journal (it only appended) is read whole for searching.
            Some(j) => j.with_records(&self.dir).map(|_| ()),
            None => Journal::load(&self.dir, fold).map(|j| *slot = Some(j)),
        };
        if self.usable(read)?.is_none() {
            *slot = None;
        }
        let now = match slot.as_ref() {
            Some(j) => Arc::clone(j.manifest()),
            None => Arc::new(Manifest::empty(fold)),
        };
        // Stored while the journal is held, so two refreshes cannot store out of order.
        let mut m = self.manifest.lock().unwrap_or_else(PoisonError::into_inner);
        *m = now;
        self.read.store(true, Ordering::Release);
        drop(m);
        drop(slot);
        Ok(())
    }

    /// Take in a commit, if the manifest has been read (else the first search reads it
    /// whole): what a builder calls after each batch.
    pub fn refresh_if_read(&self) -> Result<(), SearchError> {
        if self.read.load(Ordering::Acquire) {
            self.refresh()?;
        }
        Ok(())
    }

    /// What the scan covers, if its manifest has been read (never reads it: for a reader
    /// that must not wait on the disk).
    pub fn coverage_if_read(&self) -> Option<Coverage> {
        self.read
            .load(Ordering::Acquire)
            .then(|| coverage(&self.manifest.lock().unwrap_or_else(PoisonError::into_inner)))
    }

    /// The scan behind [`SearchBackend::search`] (with a sink) and
    /// [`SearchBackend::count`] (without: no hit is built, only counted).
    fn run(
        &self,
        query: &Query,
        cancel: &CancelToken,
        sink: Option<&mut dyn FnMut(Hit) -> Flow>,
    ) -> Result<Summary, SearchError> {
        let m = self.manifest()?;
        let matcher = Matcher::new(query);
        let mut summary = Summary {
            coverage: coverage(&m),
            ..Summary::default()
        };
        // Publications are few: fold each once per query, not once per issue.
        let mut publications: HashMap<&str, bool> = HashMap::new();
        let issues: Vec<&IssueRecord> = m
            .issues
            .iter()
            .map(AsRef::as_ref)
            .filter(|i| query.date_matches(i.date))
            .filter(|i| match i.publication.as_deref() {
                None => query.publication_matches(None),
                Some(p) => *publications
                    .entry(p)
                    .or_insert_with(|| query.publication_matches(Some(&self.folder.fold(p)))),
            })
            .collect();
        let runs = parallel::runs(&issues);
        parallel::scan_runs(
            &self.dir,
            &runs,
            &matcher,
            query,
            cancel,
            &mut summary,
            sink,
        )?;
        Ok(summary)
    }
}

impl SearchBackend for LocalScan {
    fn search(
        &self,
        query: &Query,
        cancel: &CancelToken,
        sink: &mut dyn FnMut(Hit) -> Flow,
    ) -> Result<Summary, SearchError> {
        self.run(query, cancel, Some(sink))
    }

    fn count(&self, query: &Query, cancel: &CancelToken) -> Result<Summary, SearchError> {
        self.run(query, cancel, None)
    }

    fn coverage(&self) -> Coverage {
        match self.manifest() {
            Ok(m) => coverage(&m),
            Err(_) => coverage(&Manifest::empty(self.folder.version())),
        }
    }

    /// Reads only what was committed since the last call (the manifest is a log), or the
    /// whole log when it was rewritten.
    fn refresh(&self) -> Result<(), SearchError> {
        self.refresh_with(self.journal.lock())
    }
}

fn coverage(m: &Manifest) -> Coverage {
    Coverage {
        issues: m.issues.len(),
        articles: m.issues.iter().map(|i| i.articles as usize).sum(),
        bytes: m.live_bytes(),
        newest: m.issues.iter().filter_map(|i| i.date).max(),
        oldest: m.issues.iter().filter_map(|i| i.date).min(),
    }
}
