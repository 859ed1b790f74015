//! The cache builder: brings the search cache up to date with the library, newest issues
//! first, in batches, so a search can use what is cached while the rest is read.
//!
//! One pass: compare each issue's signature (page names, sizes, modification times) with the
//! manifest; parse the new and changed issues with the library's own loader; append their
//! folded text in batches of a few megabytes, each committed under the lock with an atomic
//! manifest write (re-read under the lock first, so two dubao processes building at once
//! both keep their work). Issues no longer in the library are dropped from the manifest.
//! At the end, segments that are mostly dead bytes are compacted.
//!
//! [`spawn`] runs a pass on a background thread at the lowest scheduling priority, with
//! progress through a callback and a [`CancelToken`]; [`build`] runs it on the caller's
//! thread (`dubao index`, `dubao search`).

use std::collections::{HashMap, HashSet};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::library::{self, IssueEntry, PageSource};
use crate::model::Date;
use crate::parse::ParseOptions;

use super::doc::append_article;
use super::fold::Folder;
use super::manifest::{self, IssueRecord, Manifest, Unusable, segment_path};
use super::{CancelToken, SearchError};

/// A segment is closed once it holds this much text.
pub(super) const SEGMENT_BYTES: u64 = 64 << 20;
/// A batch is committed when its text reaches this size…
const BATCH_BYTES: usize = 4 << 20;
/// …or when it has been collecting for this long (so the first issues are soon searchable).
const BATCH_MILLIS: u128 = 300;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub parse: ParseOptions,
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
    issues: Vec<IssueEntry>,
    folder: Arc<Folder>,
    opts: BuildOptions,
    mut progress: impl FnMut(&Progress) + Send + 'static,
) -> BuildHandle {
    let cancel = CancelToken::default();
    let token = cancel.clone();
    let thread = std::thread::Builder::new()
        .name(BUILDER_THREAD.into())
        .spawn(move || {
            // The reader's key→frame time matters more than the cache: run when it is idle.
            let _ =
                thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
            build(&dir, &issues, &folder, &opts, &token, &mut progress)
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
    fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let mut manifest = open_or_reset(dir, folder.version())?;
    // Newest first across publications: recent years become searchable first.
    let mut listed: Vec<(IssueEntry, String)> = issues
        .iter()
        .map(|e| {
            let (listed, _) = library::list_pages(e);
            let sig = signature(&listed);
            (listed, sig)
        })
        .collect();
    listed.sort_by_key(|(e, _)| (e.date.is_none(), std::cmp::Reverse(e.date)));
    let known: HashMap<&str, &str> = manifest
        .issues
        .iter()
        .map(|r| (r.id.as_str(), r.signature.as_str()))
        .collect();
    let todo: Vec<&(IssueEntry, String)> = listed
        .iter()
        .filter(|(e, sig)| known.get(e.id.as_str()) != Some(&sig.as_str()))
        .collect();
    let keep: HashSet<String> = listed.iter().map(|(e, _)| e.id.clone()).collect();
    let mut state = Progress {
        issues: listed.len(),
        cached: listed.len() - todo.len(),
        to_read: todo.len(),
        ..Progress::default()
    };
    let mut batch = Batch::default();
    let mut started = Instant::now();
    for (entry, sig) in todo {
        if cancel.is_cancelled() {
            break;
        }
        batch.add(entry, sig, folder, &opts.parse);
        state.read += 1;
        state.reached = entry.date.or(state.reached);
        if batch.text.len() >= BATCH_BYTES || started.elapsed().as_millis() >= BATCH_MILLIS {
            state.bytes += batch.text.len() as u64;
            manifest = commit(dir, folder.version(), std::mem::take(&mut batch), &keep)?;
            state.cached = cached_count(&manifest, &listed);
            progress(&state);
            started = Instant::now();
        }
    }
    state.bytes += batch.text.len() as u64;
    manifest = commit(dir, folder.version(), batch, &keep)?;
    state.cached = cached_count(&manifest, &listed);
    super::compact::compact_if_worth_it(dir, folder.version())?;
    state.done = true;
    progress(&state);
    Ok(state)
}

fn cached_count(m: &Manifest, listed: &[(IssueEntry, String)]) -> usize {
    let sigs: HashMap<&str, &str> = m
        .issues
        .iter()
        .map(|r| (r.id.as_str(), r.signature.as_str()))
        .collect();
    listed
        .iter()
        .filter(|(e, s)| sigs.get(e.id.as_str()) == Some(&s.as_str()))
        .count()
}

pub(super) fn io_error(path: &Path, e: &io::Error) -> SearchError {
    SearchError::Io(format!("{}: {e}", path.display()))
}

/// The manifest of `dir`, or a fresh empty cache when there is none or it cannot be used
/// (damaged, old format, other fold table). Issues whose bytes are missing from their
/// segment (a truncated file) are dropped, so they are read again.
fn open_or_reset(dir: &Path, fold: &str) -> Result<Manifest, SearchError> {
    let _lock = crate::state::file::lock(dir).map_err(|e| io_error(dir, &e))?;
    let mut m = match manifest::load(dir, fold) {
        Ok(m) => m,
        Err(Unusable::Io(e)) => return Err(io_error(dir, &e)),
        Err(Unusable::Missing | Unusable::Stale(_)) => {
            reset(dir).map_err(|e| io_error(dir, &e))?;
            let m = Manifest::empty(fold);
            manifest::save(dir, &m).map_err(|e| io_error(dir, &e))?;
            return Ok(m);
        }
    };
    let mut lens: HashMap<(u32, &str), u64> = HashMap::new();
    let before = m.issues.len();
    m.issues.retain(|r| {
        let mut len = |ext: &'static str| {
            *lens.entry((r.segment, ext)).or_insert_with(|| {
                fs::metadata(segment_path(dir, r.segment, ext)).map_or(0, |md| md.len())
            })
        };
        r.text[1] <= len("txt") && r.idx[1] <= len("idx")
    });
    if m.issues.len() != before {
        manifest::save(dir, &m).map_err(|e| io_error(dir, &e))?;
    }
    Ok(m)
}

/// Delete every segment of `dir` (and the manifest): the start of a rebuild.
fn reset(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if manifest::is_segment_name(&name) || name == manifest::MANIFEST {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// A hash of the page names, sizes and modification times (bundled pages: their bytes).
fn signature(entry: &IssueEntry) -> String {
    let mut key = String::new();
    for p in &entry.pages {
        key.push_str(&p.rel);
        match &p.source {
            PageSource::File(path) => match fs::metadata(path) {
                Ok(m) => {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    key.push_str(&format!("\t{}\t{mtime}\n", m.len()));
                }
                Err(_) => key.push_str("\tmissing\n"),
            },
            PageSource::Bundled(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                key.push_str(&format!(
                    "\t{}\t{}\n",
                    bytes.len(),
                    crate::model::title_hash(&text)
                ));
            }
        }
    }
    crate::model::title_hash(&key)
}

/// Issues read and folded, not yet written.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) text: Vec<u8>,
    pub(super) idx: Vec<u8>,
    /// Records with ranges relative to this batch's buffers.
    pub(super) issues: Vec<IssueRecord>,
}

impl Batch {
    fn add(&mut self, entry: &IssueEntry, sig: &str, folder: &Folder, opts: &ParseOptions) {
        let issue = library::load_issue(entry, opts);
        let (t0, i0) = (self.text.len() as u64, self.idx.len() as u64);
        let mut articles = 0;
        for (p, page) in issue.pages.iter().enumerate() {
            for (k, article) in page.articles.iter().enumerate() {
                append_article(folder, article, p, k, &mut self.text, &mut self.idx);
                articles += 1;
            }
        }
        self.issues.push(IssueRecord {
            id: entry.id.clone(),
            date: entry.date,
            publication: entry.publication.clone(),
            pages: issue.pages.iter().map(|p| p.source.clone()).collect(),
            signature: sig.to_string(),
            segment: 0,
            text: [t0, self.text.len() as u64],
            idx: [i0, self.idx.len() as u64],
            articles,
        });
    }
}

/// Append `batch` to the open segment and record it in the manifest, under the lock; the
/// manifest is re-read first, so another process's commits are kept. Returns the manifest
/// as written.
fn commit(
    dir: &Path,
    fold: &str,
    batch: Batch,
    keep: &HashSet<String>,
) -> Result<Manifest, SearchError> {
    let err = |e: io::Error| io_error(dir, &e);
    let _lock = crate::state::file::lock(dir).map_err(err)?;
    let mut m = match manifest::load(dir, fold) {
        Ok(m) => m,
        // Another process reset the cache meanwhile, or it was damaged: start it again.
        Err(_) => {
            reset(dir).map_err(err)?;
            Manifest::empty(fold)
        }
    };
    if !batch.issues.is_empty() {
        let segment = open_segment(dir, &mut m).map_err(err)?;
        let text_at = append(&segment_path(dir, segment, "txt"), &batch.text).map_err(err)?;
        let idx_at = append(&segment_path(dir, segment, "idx"), &batch.idx).map_err(err)?;
        let fresh: HashSet<&str> = batch.issues.iter().map(|r| r.id.as_str()).collect();
        m.issues.retain(|r| !fresh.contains(r.id.as_str()));
        for mut r in batch.issues {
            r.segment = segment;
            r.text = [r.text[0] + text_at, r.text[1] + text_at];
            r.idx = [r.idx[0] + idx_at, r.idx[1] + idx_at];
            m.issues.push(r);
        }
    }
    m.issues.retain(|r| keep.contains(&r.id));
    m.sort();
    manifest::save(dir, &m).map_err(err)?;
    Ok(m)
}

/// The segment to append to: the newest one while it is small enough, else a new one.
fn open_segment(dir: &Path, m: &mut Manifest) -> io::Result<u32> {
    let last = m.next_segment.saturating_sub(1);
    if last > 0 {
        let len = fs::metadata(segment_path(dir, last, "txt")).map_or(0, |md| md.len());
        if len < SEGMENT_BYTES {
            return Ok(last);
        }
    }
    m.next_segment = m.next_segment.max(1) + 1;
    Ok(m.next_segment - 1)
}

/// Append `bytes` to `path`, synced; returns the offset they start at.
pub(super) fn append(path: &Path, bytes: &[u8]) -> io::Result<u64> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let at = f.metadata()?.len();
    f.write_all(bytes)?;
    f.sync_data()?;
    Ok(at)
}

/// Modification time of the manifest, to tell whether a reader should reload it.
pub fn manifest_stamp(dir: &Path) -> Option<(SystemTime, u64)> {
    let m = fs::metadata(dir.join(manifest::MANIFEST)).ok()?;
    Some((m.modified().ok()?, m.len()))
}
