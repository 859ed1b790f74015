//! Compaction: when dead bytes (issues appended again after a change, issues gone from the
//! library, appends torn by a crash) are a large share of the segments, the live issues are
//! copied, newest first, into fresh segments and the old files deleted — under the lock, with
//! one atomic manifest write, so a reader sees the old cache or the new one.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use super::SearchError;
use super::journal::Journal;
use super::manifest::{self, Unusable, segment_path};
use super::store::{Batch, SEGMENT_BYTES, append, io_error};

/// Compact when dead bytes exceed this share of the segments (and this many bytes).
const DEAD_SHARE: f64 = 0.3;
const DEAD_MIN: u64 = 1 << 20;

/// Rewrite the live issues into fresh segments, newest first, when dead bytes (changed
/// issues appended again, removed issues, torn appends) are a large share of the files.
pub(super) fn compact_if_worth_it(dir: &Path, journal: &mut Journal) -> Result<(), SearchError> {
    let err = |e: io::Error| io_error(dir, &e);
    let _lock = crate::state::file::lock(dir).map_err(err)?;
    match journal.catch_up(dir) {
        Ok(_) => {}
        Err(Unusable::Io(e)) => return Err(err(e)),
        // Reset by another process meanwhile: nothing to compact.
        Err(_) => return Ok(()),
    }
    let m = std::sync::Arc::clone(journal.manifest());
    let mut old: Vec<u32> = Vec::new();
    let mut total = 0;
    for entry in fs::read_dir(dir).map_err(err)? {
        let name = entry
            .map_err(err)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(n) = name
            .strip_prefix("seg-")
            .and_then(|s| s.strip_suffix(".txt"))
            .and_then(|n| n.parse::<u32>().ok())
        {
            total += fs::metadata(segment_path(dir, n, "txt")).map_or(0, |md| md.len());
            old.push(n);
        }
    }
    let dead = total.saturating_sub(m.live_bytes());
    if dead < DEAD_MIN || (dead as f64) < DEAD_SHARE * total as f64 {
        return Ok(());
    }
    let mut files: HashMap<(u32, &str), fs::File> = HashMap::new();
    let mut buf = Vec::new();
    let mut batch = Batch::default();
    let mut issues = Vec::new();
    let mut next_segment = m.next_segment;
    // Each batch goes to its own new segment as soon as it is full, so memory holds one
    // segment's worth, not the cache; the journal's `replace` below is the one commit.
    let mut write = |part: Batch| -> Result<(), SearchError> {
        let segment = next_segment.max(1);
        next_segment = segment + 1;
        append(&segment_path(dir, segment, "txt"), &part.text).map_err(err)?;
        append(&segment_path(dir, segment, "idx"), &part.idx).map_err(err)?;
        issues.extend(part.issues.into_iter().map(|mut r| {
            r.segment = segment;
            r
        }));
        Ok(())
    };
    for r in &m.issues {
        let mut copy = manifest::IssueRecord::clone(r);
        for (ext, range) in [("txt", r.text), ("idx", r.idx)] {
            let file = match files.entry((r.segment, ext)) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(fs::File::open(segment_path(dir, r.segment, ext)).map_err(err)?)
                }
            };
            manifest::read_range(file, range, &mut buf).map_err(err)?;
            let out = if ext == "txt" {
                &mut batch.text
            } else {
                &mut batch.idx
            };
            let at = out.len() as u64;
            out.extend_from_slice(&buf);
            let new = [at, out.len() as u64];
            if ext == "txt" {
                copy.text = new;
            } else {
                copy.idx = new;
            }
        }
        batch.issues.push(copy);
        if batch.text.len() as u64 >= SEGMENT_BYTES {
            write(std::mem::take(&mut batch))?;
        }
    }
    write(batch)?;
    journal.replace(dir, issues, next_segment).map_err(err)?;
    // Readers that still hold an old manifest keep their open files (or find a segment gone
    // and report those issues as not cached): never wrong, at worst incomplete.
    for n in old {
        let _ = fs::remove_file(segment_path(dir, n, "txt"));
        let _ = fs::remove_file(segment_path(dir, n, "idx"));
    }
    Ok(())
}
