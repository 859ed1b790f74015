//! The cache builder: brings the search cache up to date with the library, newest issues
//! first, in batches, so a search can use what is cached while the rest is read.
//!
//! One pass, in three rounds ([`super::signature`]):
//!
//! 1. issues whose id the manifest does not know are read first, before anything else is
//!    looked at — a new day's issue is searchable after milliseconds, not after a walk over
//!    every page of the archive;
//! 2. each other issue's *stamp* (one `stat` of an issue folder) is compared with the
//!    manifest, and the issues whose folder changed (a page added, removed, renamed) read;
//! 3. the rest have their pages listed and every page's name, size and modification time
//!    compared, and the issues with a page rewritten in place are read.
//!
//! Issues are parsed and folded on two threads ([`super::reading`]) and appended newest first
//! in batches of a few megabytes, each committed under the lock to the manifest log (which
//! first takes in what another dubao committed, so two processes building at once both keep
//! their work). Issues no longer in the library are dropped from the manifest. At the end,
//! segments that are mostly dead bytes are compacted.
//!
//! [`spawn`] runs a pass on a background thread at the lowest scheduling priority, with
//! progress through a callback and a [`CancelToken`]; [`build`] runs it on the caller's
//! thread (`dubao index`, `dubao search`).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crate::library::{self, IssueEntry};
use crate::model::Date;
use crate::parse::ParseOptions;

use super::fold::Folder;
use super::journal::{Journal, SharedJournal};
use super::reading::{Todo, read_in_order};
use super::signature::signature;
use super::store::{self, Batch, io_error};
use super::survey::Survey;
use super::{CancelToken, SearchError};

/// A round's first batch is committed when its text reaches this size or it has been
/// collecting for this long, so the newest issues are soon searchable…
const FIRST_BATCH: (usize, u128) = (512 << 10, 300);
/// …and later ones at this size or age (a status line updated every second or two is
/// enough). The batch is held in memory until it is committed, so its size is most of what
/// a build adds to the reader's memory: `dubao index` of the 47 MB ten-year archive took
/// 0.31–0.39 s with 1 MB batches, 0.37–0.40 s with 512 KB and 0.41–0.45 s with 256 KB (two
/// synced appends per batch), and a first start's peak is 0.8 MB lower with 512 KB than
/// with 1 MB (4 MB batches were slower still and took 4.4 MB more).
const LATER_BATCH: (usize, u128) = (512 << 10, 2000);
/// Room for the issue that takes a batch past its size (a larger one grows the buffer).
const BATCH_SLACK: usize = 256 << 10;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub parse: ParseOptions,
    /// The manifest journal to work on: a reader passes its scan's
    /// ([`super::LocalScan::journal`]), so the log is read and held once; by default the
    /// pass reads one of its own.
    pub journal: SharedJournal,
    /// Parse at the lowest scheduling priority (a reader's background pass: its keys
    /// matter more than the cache). [`spawn`] always does.
    pub low_priority: bool,
}

/// How far a build pass has come.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Issues in the library, and how many of them are cached and current.
    pub issues: usize,
    pub cached: usize,
    /// Issues this pass has to read, and has read.
    pub to_read: usize,
    pub read: usize,
    /// Bytes of folded text written by this pass.
    pub bytes: u64,
    /// Date of the oldest issue read so far (issues are read newest first).
    pub reached: Option<Date>,
    /// The pass has ended (finished, or cancelled).
    pub done: bool,
}

/// A build running on its own thread.
pub struct BuildHandle {
    pub cancel: CancelToken,
    thread: Option<JoinHandle<Result<Progress, SearchError>>>,
}

impl BuildHandle {
    /// Stop the build after the issue it is reading (what was committed stays).
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Wait for the thread; its last progress, or why it failed.
    pub fn join(mut self) -> Result<Progress, SearchError> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) => Err(SearchError::Io("the search cache builder failed".into())),
            None => Ok(Progress::default()),
        }
    }
}

/// Name of the builder thread.
pub const BUILDER_THREAD: &str = "dubao-search-index";

/// Start a build pass on a low-priority background thread. `progress` runs on that thread
/// after every committed batch and once at the end (`done`).
pub fn spawn(
    dir: PathBuf,
    issues: Arc<[IssueEntry]>,
    folder: Arc<Folder>,
    mut opts: BuildOptions,
    mut progress: impl FnMut(&Progress) + Send + 'static,
) -> BuildHandle {
    opts.low_priority = true;
    let cancel = CancelToken::default();
    let token = cancel.clone();
    let thread = std::thread::Builder::new()
        .name(BUILDER_THREAD.into())
        .spawn(move || {
            // The reader's key→frame time matters more than the cache: run when it is idle.
            let _ =
                thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
            Pass {
                dir: &dir,
                folder: &folder,
                opts: &opts,
                cancel: &token,
                thin: std::cell::Cell::new(None),
            }
            .run(&issues, &mut progress)
        })
        .ok();
    BuildHandle { cancel, thread }
}

/// Run one build pass on this thread (see the module notes).
pub fn build(
    dir: &Path,
    issues: &[IssueEntry],
    folder: &Folder,
    opts: &BuildOptions,
    cancel: &CancelToken,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Progress, SearchError> {
    Pass {
        dir,
        folder,
        opts,
        cancel,
        thin: std::cell::Cell::new(None),
    }
    .run(issues, progress)
}

struct Pass<'a> {
    dir: &'a Path,
    folder: &'a Folder,
    /// Also the journal (shared with the reader's scan when there is one) and whether the
    /// parsing threads run at the lowest priority.
    opts: &'a BuildOptions,
    cancel: &'a CancelToken,
    /// After a [`Survey`] of the log: the thin journal it made, for committing without
    /// reading the log again or holding its records ([`Journal::thin_from`]).
    thin: std::cell::Cell<Option<Journal>>,
}

impl Pass<'_> {
    fn run(
        &self,
        issues: &[IssueEntry],
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Progress, SearchError> {
        let dir = self.dir;
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let survey = self.survey(issues)?;
        // Newest first across publications: recent years become searchable first.
        let mut entries: Vec<&IssueEntry> = issues.iter().collect();
        entries.sort_by_key(|e| (e.date.is_none(), std::cmp::Reverse(e.date)));
        fn stamped<'e>(entry: &&'e IssueEntry) -> Todo<'e> {
            Todo {
                entry,
                stamp: signature(entry),
            }
        }
        let (new, old): (Vec<&IssueEntry>, Vec<&IssueEntry>) = entries
            .into_iter()
            .partition(|e| survey.known(&e.id).is_none());
        let new: Vec<Todo> = new.iter().map(stamped).collect();
        // Everything counts as cached until `read` takes it.
        let mut state = Progress {
            issues: new.len() + old.len(),
            cached: new.len() + old.len(),
            ..Progress::default()
        };
        // Round 1: issues the cache has never seen, before anything else is looked at.
        self.read(&new, &mut state, progress)?;
        // Round 2: one stat per issue folder, for pages added, removed or renamed.
        let (refiled, same): (Vec<Todo>, Vec<Todo>) = old
            .iter()
            .take_while(|_| !self.cancel.is_cancelled())
            .map(stamped)
            .partition(|t| survey.known(&t.entry.id).is_none_or(|k| k.stamp != t.stamp));
        self.read(&refiled, &mut state, progress)?;
        // Round 3: every page of the rest, for pages rewritten in place.
        let changed: Vec<Todo> = same
            .into_iter()
            .take_while(|_| !self.cancel.is_cancelled())
            .filter(|t| {
                let (listed, _) = library::list_pages(t.entry);
                survey
                    .known(&t.entry.id)
                    .is_none_or(|k| k.signature != signature(&listed))
            })
            .collect();
        self.read(&changed, &mut state, progress)?;
        if !self.cancel.is_cancelled() {
            let mut dropped = 0;
            // Issues the library no longer lists, as the survey found them (dropping one
            // another dubao dropped meanwhile changes nothing).
            let gone = survey.unlisted_ids();
            if !gone.is_empty() {
                self.with_journal(|j| store::commit(dir, j, &mut Batch::default(), gone))?;
                dropped = survey.unlisted_bytes();
            }
            // What is live now, from the survey and this pass (the old text of the issues
            // read again and of those dropped is dead): the segments' sizes say whether a
            // compaction is worth loading the records for.
            let replaced: u64 = refiled
                .iter()
                .chain(&changed)
                .map(|t| survey.bytes(&t.entry.id))
                .sum();
            let live = (survey.live_bytes() + state.bytes).saturating_sub(replaced + dropped);
            if super::compact::worth_it(dir, live).map_err(|e| io_error(dir, &e))? {
                self.with_journal(|j| super::compact::compact_if_worth_it(dir, j))?;
            }
        }
        state.done = true;
        progress(&state);
        Ok(state)
    }

    /// What the manifest knows of each issue. Read from the log without holding its
    /// records when the journal is not loaded yet ([`Survey::read`]); when that cannot
    /// be trusted (no usable log, a torn record), the journal is loaded (or the cache
    /// reset) as before, and the survey taken from it.
    fn survey<'e>(&self, issues: &'e [IssueEntry]) -> Result<Survey<'e>, SearchError> {
        let fold = self.folder.version();
        let loaded = self
            .opts
            .journal
            .lock()
            .as_ref()
            .is_some_and(Journal::holds_records);
        if !loaded && let Ok(mut survey) = Survey::read(self.dir, fold, issues) {
            self.thin.set(survey.take_journal());
            return Ok(survey);
        }
        let mut slot = self.opts.journal.lock();
        let journal = store::open_or_reset(self.dir, fold, &mut slot)?;
        Ok(Survey::of(journal.manifest(), issues))
    }

    /// Run `f` on the journal, under its lock (short: a commit). Loaded again when the
    /// scan sharing it found the cache gone or reset meanwhile and let it go.
    fn with_journal<R>(
        &self,
        f: impl FnOnce(&mut Journal) -> Result<R, SearchError>,
    ) -> Result<R, SearchError> {
        let mut slot = self.opts.journal.lock();
        // After a survey, a commit needs no record: the survey's thin journal appends.
        if slot.is_none() {
            *slot = self.thin.take();
        }
        if slot.is_none() {
            store::open_or_reset(self.dir, self.folder.version(), &mut slot)?;
        }
        match slot.as_mut() {
            Some(j) => f(j),
            None => Err(SearchError::Io(format!(
                "{}: the manifest could not be opened",
                self.dir.display()
            ))),
        }
    }

    /// Read `todo` (newest first) and commit it in batches, reporting after each.
    fn read(
        &self,
        todo: &[Todo],
        state: &mut Progress,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), SearchError> {
        if todo.is_empty() {
            return Ok(());
        }
        state.to_read += todo.len();
        state.cached -= todo.len();
        let mut batch = Batch::with_capacity(LATER_BATCH.0 + BATCH_SLACK);
        let mut started = Instant::now();
        let mut limits = FIRST_BATCH;
        let mut in_batch = 0;
        let mut commit = |batch: &mut Batch, n: &mut usize, state: &mut Progress| {
            state.bytes += batch.text.len() as u64;
            self.with_journal(|j| store::commit(self.dir, j, batch, Vec::new()))?;
            state.cached += std::mem::take(n);
            progress(state);
            Ok::<(), SearchError>(())
        };
        read_in_order(
            todo,
            self.folder,
            &self.opts.parse,
            self.cancel,
            self.opts.low_priority,
            &mut |issue| {
                state.read += 1;
                state.reached = issue.record.date.or(state.reached);
                batch.add(issue);
                in_batch += 1;
                if batch.text.len() >= limits.0 || started.elapsed().as_millis() >= limits.1 {
                    commit(&mut batch, &mut in_batch, state)?;
                    started = Instant::now();
                    limits = LATER_BATCH;
                }
                Ok(())
            },
        )?;
        if !batch.issues.is_empty() {
            commit(&mut batch, &mut in_batch, state)?;
        }
        Ok(())
    }
}
