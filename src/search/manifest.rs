//! The search cache on disk: where it lives, its manifest, and reading its segments.
//!
//! `<cache dir>/search/<key>/` holds, for one library (the key hashes its root paths):
//!
//! - `seg-NNNNNN.txt`: folded article texts ([`super::doc`]), appended issue after issue;
//! - `seg-NNNNNN.idx`: the matching [`super::doc::ArticleRecord`]s;
//! - `manifest.json`: the format and fold-table versions, and per issue its page names, a
//!   signature of the pages (a hash of names, sizes and modification times), its segment and
//!   the byte ranges of its text and records. Issues are listed newest first.
//!
//! Segments are only ever appended to; an issue that changed is appended again and its old
//! bytes are dead until a compaction rewrites the live ones. Every change happens under the
//! `state.lock` lock of the folder (the same lock as the state file,
//! [`crate::state::file::lock`]) and ends with an atomic rename of the manifest, so a reader
//! sees either the old manifest or the new one, and every range a manifest names is complete.
//! A manifest that cannot be read, or was written by another format or fold table, means
//! the cache is rebuilt: it is a cache, never needed to read.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Date;

/// Bumped when the layout of segments, records or manifest changes.
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// [`super::fold::Folder::version`] of the table the text was folded with.
    pub fold: String,
    /// Issues, newest first (undated last).
    pub issues: Vec<IssueRecord>,
    /// Next segment number to create.
    pub next_segment: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueRecord {
    pub id: String,
    pub date: Option<Date>,
    pub publication: Option<String>,
    /// Library-relative page paths, in page order (a record's `page` indexes this).
    pub pages: Vec<String>,
    /// Hash of page names, sizes and modification times when the issue was read.
    pub signature: String,
    pub segment: u32,
    /// Byte ranges `[start, end)` in the segment's `.txt` and `.idx` files.
    pub text: [u64; 2],
    pub idx: [u64; 2],
    pub articles: u32,
}

impl Manifest {
    pub fn empty(fold: &str) -> Manifest {
        Manifest {
            format: FORMAT_VERSION,
            fold: fold.to_string(),
            issues: Vec::new(),
            next_segment: 1,
        }
    }

    /// Newest first, undated last, then by id: the order a scan reports hits in.
    pub fn sort(&mut self) {
        self.issues.sort_by(|a, b| {
            (a.date.is_none(), std::cmp::Reverse(a.date), &a.id).cmp(&(
                b.date.is_none(),
                std::cmp::Reverse(b.date),
                &b.id,
            ))
        });
    }

    /// Bytes of text the manifest refers to.
    pub fn live_bytes(&self) -> u64 {
        self.issues.iter().map(|i| i.text[1] - i.text[0]).sum()
    }
}

/// Why a manifest was not used.
#[derive(Debug)]
pub enum Unusable {
    Missing,
    /// Damaged, or written by another format or fold table: rebuild.
    Stale(String),
    Io(io::Error),
}

/// Read the manifest of `dir`, checking it was written for this format and `fold` table.
pub fn load(dir: &Path, fold: &str) -> Result<Manifest, Unusable> {
    let bytes = match fs::read(dir.join(MANIFEST)) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Io(e)),
    };
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Unusable::Stale(format!("damaged manifest: {e}")))?;
    if m.format != FORMAT_VERSION {
        return Err(Unusable::Stale(format!("cache format {}", m.format)));
    }
    if m.fold != fold {
        return Err(Unusable::Stale("another folding table".into()));
    }
    Ok(m)
}

/// Write the manifest atomically (the caller holds the lock).
pub fn save(dir: &Path, m: &Manifest) -> io::Result<()> {
    let bytes = serde_json::to_vec(m).map_err(io::Error::other)?;
    crate::state::file::write_atomic(dir, MANIFEST, &bytes)
}

pub fn segment_path(dir: &Path, segment: u32, ext: &str) -> PathBuf {
    dir.join(format!("seg-{segment:06}.{ext}"))
}

/// True for the file names this module creates (segments), for a reset.
pub fn is_segment_name(name: &str) -> bool {
    name.starts_with("seg-") && (name.ends_with(".txt") || name.ends_with(".idx"))
}

/// Read `[start, end)` of `file` into `buf` (replacing its contents).
pub fn read_range(file: &mut File, range: [u64; 2], buf: &mut Vec<u8>) -> io::Result<()> {
    let len = usize::try_from(range[1].saturating_sub(range[0])).map_err(io::Error::other)?;
    buf.clear();
    buf.resize(len, 0);
    file.seek(SeekFrom::Start(range[0]))?;
    file.read_exact(buf)
}

/// The folder of the cache for a library given by `roots` (the bundled samples: no roots)
/// under `base`, by default the user's cache dir (`$XDG_CACHE_HOME/dubao`).
pub fn cache_dir(base: Option<&Path>, roots: &[PathBuf]) -> Option<PathBuf> {
    let base = match base {
        Some(b) => b.to_path_buf(),
        None => directories::ProjectDirs::from("", "", "dubao")?
            .cache_dir()
            .to_path_buf(),
    };
    let mut key = String::new();
    for r in roots {
        let abs = fs::canonicalize(r).unwrap_or_else(|_| r.clone());
        key.push_str(&abs.to_string_lossy());
        key.push('\n');
    }
    let name = if roots.is_empty() {
        "samples".to_string()
    } else {
        crate::model::title_hash(&key)
    };
    Some(base.join("search").join(name))
}
