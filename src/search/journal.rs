//! The manifest on disk: an append-only log, so that committing one new issue writes a few
//! hundred bytes instead of rewriting every issue's entry, and a reader takes in a commit by
//! reading only the bytes after the last one it saw.
//!
//! `manifest.log` is JSON lines. The first is the header: format, fold-table version and a
//! generation (a name for this file, new on every rewrite). Then operations: `{"put":
//! IssueRecord}` (add or replace an issue), `{"drop": id}`, and `{"commit": {"next_segment":
//! N}}`, which makes the operations before it count. A reader applies operations only up to
//! the last commit, so the lines of a commit being appended, or torn by a crash, are never
//! used; the next writer (under the lock) cuts them off before appending its own.
//!
//! When the log holds many more operations than live issues (issues read again after a
//! change, or a compaction of the segments), it is rewritten whole, atomically, with a new
//! generation; a reader that finds another generation loads the file again.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::manifest::{FORMAT_VERSION, IssueRecord, MANIFEST, Manifest, Unusable};

#[derive(Serialize, Deserialize)]
pub(super) struct Header {
    pub format: u32,
    pub fold: String,
    pub generation: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Line {
    Put(IssueRecord),
    Drop(String),
    Commit { next_segment: u32 },
}

/// Operations beyond twice the live issues plus this many make a commit rewrite the log.
const SLACK_OPS: usize = 1024;

/// The manifest as read from the log, and where in the log it was read up to.
pub struct Journal {
    manifest: Arc<Manifest>,
    live: HashSet<Live>,
    /// A thin journal ([`Journal::thin_from`]) holds no records: `manifest` lists no issues
    /// and `live` is empty; the live issues are counted by the hashes of their ids (for
    /// deciding when to rewrite). [`Journal::fill`] makes it whole.
    thin: Option<HashSet<u64>>,
    generation: String,
    /// End of the last commit applied.
    offset: u64,
    /// Operation lines up to `offset` (for deciding when to rewrite).
    ops: usize,
    /// Modification time and length of the file when last read.
    stamp: Option<(SystemTime, u64)>,
}

/// A live record, found in the set by its id (kept once, in the record).
struct Live(Arc<IssueRecord>);

impl Borrow<str> for Live {
    fn borrow(&self) -> &str {
        &self.0.id
    }
}

impl Hash for Live {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.id.as_str().hash(h);
    }
}

impl PartialEq for Live {
    fn eq(&self, other: &Live) -> bool {
        self.0.id == other.0.id
    }
}

impl Eq for Live {}

/// One journal shared by a reader's scan and its cache builder, so the log is read and
/// held once, not once by each (a megabyte of log and a few of records over ten years).
/// `None` until one of them has read a usable log.
#[derive(Clone, Default)]
pub struct SharedJournal(Arc<Mutex<Option<Journal>>>);

impl std::fmt::Debug for SharedJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedJournal")
    }
}

impl SharedJournal {
    /// Whether a log has been read into it (by a scan's first search, or a builder that
    /// had to commit or look at every record).
    pub fn is_loaded(&self) -> bool {
        self.lock().is_some()
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Option<Journal>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the journal read holds its records (not only a thin one a builder
    /// appended with, [`Journal::thin_from`]).
    pub fn holds_records(&self) -> bool {
        self.lock().as_ref().is_some_and(Journal::holds_records)
    }

    /// The journal, unless another thread holds it (a builder committing or compacting).
    pub(super) fn try_lock(&self) -> Option<MutexGuard<'_, Option<Journal>>> {
        match self.0.try_lock() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }
}

impl Journal {
    /// The manifest as of the last commit read.
    pub fn manifest(&self) -> &Arc<Manifest> {
        &self.manifest
    }

    /// Read the log of `dir`, checking it was written for this format and `fold` table.
    /// Read line by line: the log of ten years is a megabyte, never held whole.
    pub fn load(dir: &Path, fold: &str) -> Result<Journal, Unusable> {
        Journal::read(dir, fold, false)
    }

    /// Whether the journal holds its records ([`Journal::manifest`] lists the issues).
    pub fn holds_records(&self) -> bool {
        self.thin.is_none()
    }

    /// Read the records of a thin journal (the log again, whole); nothing for a full one.
    pub fn fill(&mut self, dir: &Path) -> Result<(), Unusable> {
        if self.thin.is_some() {
            *self = Journal::load(dir, &self.manifest.fold)?;
        }
        Ok(())
    }

    /// With every record, as the log has them now: [`Journal::fill`], then
    /// [`Journal::catch_up`] (whether the manifest changed). What a reader of the records
    /// (a search, a compaction) needs; a commit only catches up.
    pub fn with_records(&mut self, dir: &Path) -> Result<bool, Unusable> {
        self.fill(dir)?;
        self.catch_up(dir)
    }

    /// A thin journal, for appending only: where the log's last commit ends, its
    /// generation and how many issues are live, without any record (ten years of records
    /// are most of a megabyte; a pass that adds the day's issue needs none of them).
    /// Made from what a survey read of the log ([`super::survey::Survey`]), so the log is
    /// not read again; whatever needs the records calls [`Journal::fill`] first.
    /// `offset` is the end of the last commit, `ops` the operation lines before it, `live`
    /// the [`id_hash`]es of the live issues.
    pub(super) fn thin_from(
        header: Header,
        offset: u64,
        ops: usize,
        live: HashSet<u64>,
        next_segment: u32,
        stamp: Option<(SystemTime, u64)>,
    ) -> Journal {
        let mut manifest = Manifest::empty(&header.fold);
        manifest.next_segment = next_segment;
        Journal {
            manifest: Arc::new(manifest),
            live: HashSet::new(),
            thin: Some(live),
            generation: header.generation,
            offset,
            ops,
            stamp,
        }
    }

    /// Where it stands in the log: offset, operations, live issues, next segment, thin.
    #[cfg(test)]
    pub(super) fn position(&self) -> (u64, usize, usize, u32, bool) {
        let m = &self.manifest;
        (
            self.offset,
            self.ops,
            self.live_count(),
            m.next_segment,
            self.thin.is_some(),
        )
    }

    fn live_count(&self) -> usize {
        self.thin.as_ref().map_or(self.live.len(), HashSet::len)
    }

    fn read(dir: &Path, fold: &str, thin: bool) -> Result<Journal, Unusable> {
        let file = match File::open(dir.join(MANIFEST)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(Unusable::Io(e)),
        };
        // Of the file opened (a rewrite may rename another into place meanwhile), and
        // before reading: a commit appended meanwhile changes it, and the next `catch_up`
        // reads it.
        let before = file
            .metadata()
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut reader = BufReader::with_capacity(64 << 10, file);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(Unusable::Io)?;
        let Some(header) = line.strip_suffix(b"\n") else {
            return Err(Unusable::Stale("damaged manifest: no header".into()));
        };
        let header: Header = serde_json::from_slice(header)
            .map_err(|e| Unusable::Stale(format!("damaged manifest: {e}")))?;
        if header.format != FORMAT_VERSION {
            return Err(Unusable::Stale(format!("cache format {}", header.format)));
        }
        if header.fold != fold {
            return Err(Unusable::Stale("another folding table".into()));
        }
        let mut j = Journal {
            manifest: Arc::new(Manifest::empty(fold)),
            live: HashSet::new(),
            thin: thin.then(HashSet::new),
            generation: header.generation,
            offset: line.len() as u64,
            ops: 0,
            stamp: before,
        };
        let mut replay = j.replay_start();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).map_err(Unusable::Io)? == 0
                || !j.feed(&mut replay, &line)
            {
                break;
            }
        }
        j.replay_end(replay);
        Ok(j)
    }

    /// Start a new, empty log in `dir` (the caller holds the lock). The journal is thin
    /// ([`Journal::thin_from`]): a builder that fills a new cache appends ten years of
    /// records it never looks at (0.7 MB held through a first start otherwise); whatever
    /// needs them reads the log ([`Journal::fill`]).
    pub fn create(dir: &Path, fold: &str) -> io::Result<Journal> {
        let mut j = Journal {
            manifest: Arc::new(Manifest::empty(fold)),
            live: HashSet::new(),
            thin: None,
            generation: String::new(),
            offset: 0,
            ops: 0,
            stamp: None,
        };
        j.rewrite(dir)?;
        j.thin = Some(HashSet::new());
        Ok(j)
    }

    /// Take in what other writers committed since this journal was read. Returns whether
    /// the manifest changed. A log replaced by a rewrite is loaded again.
    pub fn catch_up(&mut self, dir: &Path) -> Result<bool, Unusable> {
        let now = stamp(dir);
        if now.is_some() && now == self.stamp {
            return Ok(false);
        }
        let fold = self.manifest.fold.clone();
        let mut file = match File::open(dir.join(MANIFEST)) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unusable::Missing),
            Err(e) => return Err(Unusable::Io(e)),
        };
        let mut head = vec![0; 512];
        let n = read_up_to(&mut file, &mut head).map_err(Unusable::Io)?;
        let same = split_header(&head[..n])
            .and_then(|(h, _)| serde_json::from_slice::<Header>(h).ok())
            .is_some_and(|h| h.generation == self.generation);
        let len = file.metadata().map_err(Unusable::Io)?.len();
        if !same || len < self.offset {
            *self = Journal::read(dir, &fold, self.thin.is_some())?;
            return Ok(true);
        }
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(self.offset))
            .map_err(Unusable::Io)?;
        file.read_to_end(&mut tail).map_err(Unusable::Io)?;
        self.stamp = now;
        let before = self.offset;
        self.replay(&tail);
        Ok(self.offset != before)
    }

    /// Append `puts` and `drops` and a commit (the caller holds the lock and has caught up).
    /// Rewrites the whole log instead when it has grown far past the live issues.
    pub fn commit(
        &mut self,
        dir: &Path,
        puts: Vec<IssueRecord>,
        drops: Vec<String>,
        next_segment: u32,
    ) -> io::Result<()> {
        let mut lines = Vec::new();
        for r in puts {
            push_line(&mut lines, Line::Put(r))?;
        }
        for id in drops {
            push_line(&mut lines, Line::Drop(id))?;
        }
        push_line(&mut lines, Line::Commit { next_segment })?;
        let path = dir.join(MANIFEST);
        let mut file = OpenOptions::new().write(true).open(&path)?;
        // Lines past the last commit were torn by a crashed writer: never used, cut off.
        if file.metadata()?.len() > self.offset {
            file.set_len(self.offset)?;
        }
        file.seek(SeekFrom::Start(self.offset))?;
        // Not synced: the segments it names were (by the caller, before), and a commit a
        // crash loses only means its issues are read again.
        file.write_all(&lines)?;
        drop(file);
        self.stamp = stamp(dir);
        self.replay(&lines);
        // A rewrite writes every record: a thin journal reads them first (under the
        // caller's lock, with this commit in the log). The commit stands either way: when
        // they cannot be read, the next commit tries again.
        if self.ops > 2 * self.live_count() + SLACK_OPS && self.fill(dir).is_ok() {
            self.rewrite(dir)?;
        }
        Ok(())
    }

    /// Replace every issue (a compaction moved them all), rewriting the log.
    pub fn replace(
        &mut self,
        dir: &Path,
        issues: Vec<IssueRecord>,
        next_segment: u32,
    ) -> io::Result<()> {
        let mut m = Manifest::empty(&self.manifest.fold);
        m.next_segment = next_segment;
        m.issues = issues.into_iter().map(Arc::new).collect();
        m.sort();
        self.manifest = Arc::new(m);
        self.rewrite(dir)
    }

    /// Write the live issues as a fresh log with a new generation, atomically.
    pub fn rewrite(&mut self, dir: &Path) -> io::Result<()> {
        // Every live record is written: a thin journal has none to write.
        if !self.holds_records() {
            return Err(io::Error::other("the manifest's records are not read"));
        }
        let header = Header {
            format: FORMAT_VERSION,
            fold: self.manifest.fold.clone(),
            generation: generation(),
        };
        let mut bytes = serde_json::to_vec(&header).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let start = bytes.len() as u64;
        let mut body = Vec::new();
        for r in &self.manifest.issues {
            push_line(&mut body, Line::Put(IssueRecord::clone(r)))?;
        }
        let next_segment = self.manifest.next_segment;
        push_line(&mut body, Line::Commit { next_segment })?;
        bytes.extend_from_slice(&body);
        crate::state::file::write_atomic(dir, MANIFEST, &bytes)?;
        // Only now: a failed write leaves the journal as it was, on the log as it was.
        self.generation = header.generation;
        self.live.clear();
        self.ops = 0;
        self.offset = start;
        self.replay(&body);
        self.stamp = stamp(dir);
        Ok(())
    }

    /// Apply the complete commits in `bytes` (which start at `self.offset`).
    fn replay(&mut self, bytes: &[u8]) {
        let mut replay = self.replay_start();
        self.feed(&mut replay, bytes);
        self.replay_end(replay);
    }

    fn replay_start(&self) -> Replay {
        Replay {
            pending: Vec::new(),
            at: 0,
            changed: false,
            next_segment: self.manifest.next_segment,
        }
    }

    /// Apply the lines of `bytes` (the next bytes of the log, after those fed before)
    /// commit by commit. False once a line is torn or does not parse: that ends what is
    /// usable, and nothing after it is applied.
    fn feed(&mut self, r: &mut Replay, bytes: &[u8]) -> bool {
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            if line.last() != Some(&b'\n') {
                return false;
            }
            let Ok(op) = serde_json::from_slice::<Line>(line) else {
                return false;
            };
            r.at += line.len();
            match op {
                Line::Commit { next_segment: n } => {
                    r.next_segment = r.next_segment.max(n);
                    self.ops += r.pending.len() + 1;
                    for op in r.pending.drain(..) {
                        match op {
                            Pending::Put(rec) => {
                                self.live.replace(Live(rec));
                            }
                            Pending::Drop(id) => {
                                self.live.remove(id.as_str());
                            }
                            Pending::PutId(h) => {
                                if let Some(live) = &mut self.thin {
                                    live.insert(h);
                                }
                            }
                            Pending::DropId(h) => {
                                if let Some(live) = &mut self.thin {
                                    live.remove(&h);
                                }
                            }
                        }
                    }
                    self.offset += r.at as u64;
                    r.at = 0;
                    r.changed = true;
                }
                Line::Put(rec) if self.thin.is_some() => {
                    r.pending.push(Pending::PutId(id_hash(&rec.id)));
                }
                Line::Drop(id) if self.thin.is_some() => {
                    r.pending.push(Pending::DropId(id_hash(&id)));
                }
                // Boxed in its final place at once: a log of ten years is one commit.
                Line::Put(rec) => r.pending.push(Pending::Put(Arc::new(rec))),
                Line::Drop(id) => r.pending.push(Pending::Drop(id)),
            }
        }
        true
    }

    /// The manifest after the commits fed (operations after the last commit are dropped).
    fn replay_end(&mut self, r: Replay) {
        if r.changed {
            let mut m = Manifest::empty(&self.manifest.fold);
            m.next_segment = r.next_segment;
            m.issues = self.live.iter().map(|l| Arc::clone(&l.0)).collect();
            m.sort();
            self.manifest = Arc::new(m);
        }
    }
}

/// A replay under way: the operations read since the last commit, not applied yet.
struct Replay {
    pending: Vec<Pending>,
    /// Bytes read since the last commit.
    at: usize,
    changed: bool,
    next_segment: u32,
}

enum Pending {
    Put(Arc<IssueRecord>),
    Drop(String),
    /// The same, for a thin journal: the id's hash only.
    PutId(u64),
    DropId(u64),
}

/// An id's hash, for counting a thin journal's live issues (a collision only makes a
/// rewrite come a little early).
pub(super) fn id_hash(id: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

fn split_header(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let nl = memchr::memchr(b'\n', bytes)?;
    Some((&bytes[..nl], &bytes[nl + 1..]))
}

fn push_line(out: &mut Vec<u8>, mut line: Line) -> io::Result<()> {
    if let Line::Put(r) = &mut line {
        shorten_pages(r);
    }
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::other)?;
    out.push(b'\n');
    Ok(())
}

/// A page inside its issue's folder is written `/01.txt` (a library-relative path never
/// starts with `/`): the log is read at every start, and the folder is most of each path.
/// The records replayed from the log keep that form in memory too
/// ([`IssueRecord::page`] gives the whole path).
fn shorten_pages(r: &mut IssueRecord) {
    let prefix = format!("{}/", r.id);
    r.pages = r
        .pages
        .iter()
        .map(|p| match p.strip_prefix(&prefix) {
            Some(rest) => format!("/{rest}"),
            None => p.to_string(),
        })
        .collect();
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Modification time and length of the log, to tell cheaply whether it changed.
pub fn stamp(dir: &Path) -> Option<(SystemTime, u64)> {
    let m = fs::metadata(dir.join(MANIFEST)).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// A name for a new log file: the time and the process, enough to tell two rewrites apart.
fn generation() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}-{:x}", std::process::id())
}
