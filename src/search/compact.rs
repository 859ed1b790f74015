//! Compaction: when dead bytes (issues appended again after a change, issues gone from the
//! library, appends torn by a crash) are a large share of the segments, the live issues are
//! copied, newest first, into fresh segments and the old files deleted — under the lock, with
//! one atomic manifest write, so a reader sees the old cache or the new one.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::SearchError;
use super::journal::Journal;
use super::manifest::{self, Unusable, segment_path};
use super::store::{SEGMENT_BYTES, io_error};

/// Compact when dead bytes exceed this share of the segments (and this many bytes).
const DEAD_SHARE: f64 = 0.3;
const DEAD_MIN: u64 = 1 << 20;

/// Whether a cache whose manifest refers to `live` bytes of text has enough dead bytes to
/// be compacted (what [`compact_if_worth_it`] decides first, for a pass that has not
/// loaded the journal).
pub(super) fn worth_it(dir: &Path, live: u64) -> io::Result<bool> {
    Ok(dead_enough(segments(dir)?.1, live))
}

fn dead_enough(total: u64, live: u64) -> bool {
    let dead = total.saturating_sub(live);
    dead >= DEAD_MIN && (dead as f64) >= DEAD_SHARE * total as f64
}

/// The text segments in `dir` and their bytes together.
fn segments(dir: &Path) -> io::Result<(Vec<u32>, u64)> {
    let mut old: Vec<u32> = Vec::new();
    let mut total = 0;
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(n) = name
            .strip_prefix("seg-")
            .and_then(|s| s.strip_suffix(".txt"))
            .and_then(|n| n.parse::<u32>().ok())
        {
            total += fs::metadata(segment_path(dir, n, "txt")).map_or(0, |md| md.len());
            old.push(n);
        }
    }
    Ok((old, total))
}

/// Rewrite the live issues into fresh segments, newest first, when dead bytes (changed
/// issues appended again, removed issues, torn appends) are a large share of the files.
pub(super) fn compact_if_worth_it(dir: &Path, journal: &mut Journal) -> Result<(), SearchError> {
    let err = |e: io::Error| io_error(dir, &e);
    let _lock = crate::state::file::lock(dir).map_err(err)?;
    match journal.with_records(dir) {
        Ok(_) => {}
        Err(Unusable::Io(e)) => return Err(err(e)),
        // Reset by another process meanwhile: nothing to compact.
        Err(_) => return Ok(()),
    }
    let m = std::sync::Arc::clone(journal.manifest());
    let (old, total) = segments(dir).map_err(err)?;
    if !dead_enough(total, m.live_bytes()) {
        return Ok(());
    }
    let mut files: HashMap<(u32, &str), fs::File> = HashMap::new();
    let mut buf = Vec::new();
    let mut issues = Vec::new();
    // Past every segment on disk, not only those the manifest knows: a segment appended by
    // a commit that then failed is on disk under `next_segment`, and must not be taken
    // for a new one (written into, then deleted below as old).
    let mut next_segment = old.iter().map(|n| n + 1).fold(m.next_segment, u32::max);
    // Each live issue's bytes go straight to the new segment being written: memory holds
    // one issue, not a segment's worth; the journal's `replace` below is the one commit.
    let mut out: Option<Out> = None;
    for r in &m.issues {
        if out.as_ref().is_none_or(|o| o.text.1 >= SEGMENT_BYTES) {
            if let Some(done) = out.take() {
                done.finish().map_err(err)?;
            }
            let segment = next_segment.max(1);
            next_segment = segment + 1;
            out = Some(Out::create(dir, segment).map_err(err)?);
        }
        let Some(o) = out.as_mut() else {
            continue;
        };
        let mut copy = manifest::IssueRecord::clone(r);
        copy.segment = o.segment;
        for (ext, range) in [("txt", r.text), ("idx", r.idx)] {
            let file = match files.entry((r.segment, ext)) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(fs::File::open(segment_path(dir, r.segment, ext)).map_err(err)?)
                }
            };
            manifest::read_range(file, range, &mut buf).map_err(err)?;
            let (w, at) = if ext == "txt" {
                (&mut o.text.0, &mut o.text.1)
            } else {
                (&mut o.idx.0, &mut o.idx.1)
            };
            w.write_all(&buf).map_err(err)?;
            let new = [*at, *at + buf.len() as u64];
            *at = new[1];
            if ext == "txt" {
                copy.text = new;
            } else {
                copy.idx = new;
            }
        }
        issues.push(copy);
    }
    if let Some(done) = out.take() {
        done.finish().map_err(err)?;
    }
    journal.replace(dir, issues, next_segment).map_err(err)?;
    // Readers that still hold an old manifest keep their open files (or find a segment gone
    // and report those issues as not cached): never wrong, at worst incomplete.
    for n in old {
        let _ = fs::remove_file(segment_path(dir, n, "txt"));
        let _ = fs::remove_file(segment_path(dir, n, "idx"));
    }
    Ok(())
}

/// A new segment being written by a compaction: its two files and how much each holds.
struct Out {
    segment: u32,
    text: (io::BufWriter<fs::File>, u64),
    idx: (io::BufWriter<fs::File>, u64),
}

impl Out {
    fn create(dir: &Path, segment: u32) -> io::Result<Out> {
        let open = |ext| -> io::Result<(io::BufWriter<fs::File>, u64)> {
            let f = fs::File::create(segment_path(dir, segment, ext))?;
            Ok((io::BufWriter::with_capacity(1 << 18, f), 0))
        };
        Ok(Out {
            segment,
            text: open("txt")?,
            idx: open("idx")?,
        })
    }

    /// Everything written and synced: the manifest may name it.
    fn finish(self) -> io::Result<()> {
        for (w, _) in [self.text, self.idx] {
            w.into_inner()
                .map_err(io::IntoInnerError::into_error)?
                .sync_data()?;
        }
        Ok(())
    }
}
