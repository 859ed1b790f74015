//! Writing to the cache folder, always under its lock: opening (or resetting) the manifest
//! log, appending a batch of issues to the open segment, and recording it with one commit.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use super::SearchError;
use super::journal::Journal;
use super::manifest::{self, IssueRecord, Unusable, segment_path};
use super::reading::ReadIssue;

/// A segment is closed once it holds this much text.
pub(super) const SEGMENT_BYTES: u64 = 64 << 20;

/// Issues read and folded, not yet written.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) text: Vec<u8>,
    pub(super) idx: Vec<u8>,
    /// Records with ranges relative to this batch's buffers.
    pub(super) issues: Vec<IssueRecord>,
}

impl Batch {
    /// An empty batch with room for `text` bytes of text (and the index that goes with
    /// them), so filling it never copies it to a buffer twice its size.
    pub(super) fn with_capacity(text: usize) -> Batch {
        Batch {
            text: Vec::with_capacity(text),
            idx: Vec::with_capacity(text / 4),
            issues: Vec::new(),
        }
    }

    /// Empty it, keeping its buffers for the next batch.
    fn clear(&mut self) {
        self.text.clear();
        self.idx.clear();
        self.issues.clear();
    }

    pub(super) fn add(&mut self, read: ReadIssue) {
        let (t, i) = (self.text.len() as u64, self.idx.len() as u64);
        let mut r = read.record;
        r.text = [r.text[0] + t, r.text[1] + t];
        r.idx = [r.idx[0] + i, r.idx[1] + i];
        self.text.extend_from_slice(&read.text);
        self.idx.extend_from_slice(&read.idx);
        self.issues.push(r);
    }
}

pub(super) fn io_error(path: &Path, e: &io::Error) -> SearchError {
    SearchError::Io(format!("{}: {e}", path.display()))
}

/// Bring `slot` to the manifest of `dir` as it is now (loaded, or caught up when it holds
/// one), or to a fresh empty cache when there is none or it cannot be used (damaged, old
/// format, other fold table). Issues whose bytes are missing from their segment (a
/// truncated file) are dropped, so they are read again.
pub(super) fn open_or_reset<'s>(
    dir: &Path,
    fold: &str,
    slot: &'s mut Option<Journal>,
) -> Result<&'s mut Journal, SearchError> {
    let err = |e: io::Error| io_error(dir, &e);
    let _lock = crate::state::file::lock(dir).map_err(err)?;
    let read = match slot.take() {
        Some(mut j) => j.with_records(dir).map(|_| j),
        None => Journal::load(dir, fold),
    };
    let journal = match read {
        Ok(j) => slot.insert(j),
        Err(Unusable::Io(e)) => return Err(err(e)),
        Err(Unusable::Missing | Unusable::Stale(_)) => {
            reset(dir).map_err(err)?;
            return Ok(slot.insert(Journal::create(dir, fold).map_err(err)?));
        }
    };
    let mut lens: HashMap<(u32, &str), u64> = HashMap::new();
    let m = std::sync::Arc::clone(journal.manifest());
    let torn: Vec<String> = m
        .issues
        .iter()
        .filter(|r| {
            let mut len = |ext: &'static str| {
                *lens.entry((r.segment, ext)).or_insert_with(|| {
                    fs::metadata(segment_path(dir, r.segment, ext)).map_or(0, |md| md.len())
                })
            };
            r.text[1] > len("txt") || r.idx[1] > len("idx")
        })
        .map(|r| r.id.clone())
        .collect();
    if !torn.is_empty() {
        journal
            .commit(dir, Vec::new(), torn, m.next_segment)
            .map_err(err)?;
    }
    Ok(journal)
}

/// Delete every segment of `dir` and the manifest: the start of a rebuild.
pub(super) fn reset(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if manifest::is_segment_name(&name)
            || name == manifest::MANIFEST
            || name == manifest::OLD_MANIFEST
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Append `batch` to the open segment and commit it, with `drops` (issues gone from the
/// library), under the lock. The journal first takes in what another process committed
/// meanwhile, so both keep their work; a cache reset meanwhile is started again. The
/// batch is left empty, its buffers kept for the next one.
pub(super) fn commit(
    dir: &Path,
    journal: &mut Journal,
    batch: &mut Batch,
    drops: Vec<String>,
) -> Result<(), SearchError> {
    let err = |e: io::Error| io_error(dir, &e);
    let _lock = crate::state::file::lock(dir).map_err(err)?;
    let fold = journal.manifest().fold.clone();
    match journal.catch_up(dir) {
        Ok(_) => {}
        Err(Unusable::Io(e)) => return Err(err(e)),
        Err(_) => {
            reset(dir).map_err(err)?;
            *journal = Journal::create(dir, &fold).map_err(err)?;
        }
    }
    let mut next_segment = journal.manifest().next_segment;
    let mut puts = Vec::new();
    if !batch.issues.is_empty() {
        let segment = open_segment(dir, &mut next_segment);
        let text_at = append(&segment_path(dir, segment, "txt"), &batch.text).map_err(err)?;
        let idx_at = append(&segment_path(dir, segment, "idx"), &batch.idx).map_err(err)?;
        for mut r in batch.issues.drain(..) {
            r.segment = segment;
            r.text = [r.text[0] + text_at, r.text[1] + text_at];
            r.idx = [r.idx[0] + idx_at, r.idx[1] + idx_at];
            puts.push(r);
        }
    }
    batch.clear();
    journal.commit(dir, puts, drops, next_segment).map_err(err)
}

/// The segment to append to: the newest one while it is small enough, else a new one.
fn open_segment(dir: &Path, next_segment: &mut u32) -> u32 {
    let last = next_segment.saturating_sub(1);
    if last > 0 {
        let len = fs::metadata(segment_path(dir, last, "txt")).map_or(0, |md| md.len());
        if len < SEGMENT_BYTES {
            return last;
        }
    }
    *next_segment = (*next_segment).max(1) + 1;
    *next_segment - 1
}

/// Append `bytes` to `path`, synced; returns the offset they start at.
pub(super) fn append(path: &Path, bytes: &[u8]) -> io::Result<u64> {
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let at = f.metadata()?.len();
    f.write_all(bytes)?;
    f.sync_data()?;
    Ok(at)
}
