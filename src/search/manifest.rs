//! The search cache on disk: where it lives, its manifest, and reading its segments.
//!
//! `<cache dir>/search/<key>/` holds, for one library (the key hashes its root paths):
//!
//! - `seg-NNNNNN.txt`: folded article texts ([`super::doc`]), appended issue after issue;
//! - `seg-NNNNNN.idx`: the matching [`super::doc::ArticleRecord`]s;
//! - `manifest.log`: the format and fold-table versions, and per issue its page names, two
//!   signatures of the pages (a quick one of what the library scan lists, a full one of every
//!   page's name, size and modification time), its segment and the byte ranges of its text
//!   and records; kept as an append-only log ([`super::journal`]).
//!
//! Segments are only ever appended to; an issue that changed is appended again and its old
//! bytes are dead until a compaction rewrites the live ones. Every change happens under the
//! `state.lock` lock of the folder (the same lock as the state file,
//! [`crate::state::file::lock`]) and ends with a commit line appended to the manifest log
//! after the segments are synced, so a reader sees the manifest before the commit or after
//! it, and every range a manifest names is complete.
//! A manifest that cannot be read, or was written by another format or fold table, means
//! the cache is rebuilt: it is a cache, never needed to read.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Date;

/// Bumped when the layout of segments, records or manifest changes.
pub const FORMAT_VERSION: u32 = 2;
pub const MANIFEST: &str = "manifest.log";
/// The manifest of format 1, deleted when the cache is rebuilt.
pub const OLD_MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    pub format: u32,
    /// [`super::fold::Folder::version`] of the table the text was folded with.
    pub fold: String,
    /// Issues, newest first (undated last).
    pub issues: Vec<Arc<IssueRecord>>,
    /// Next segment number to create.
    pub next_segment: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueRecord {
    pub id: String,
    /// Written `2026-11-28` (the log is read at every start: short lines parse faster).
    #[serde(with = "date_text")]
    pub date: Option<Date>,
    pub publication: Option<String>,
    /// Library-relative page paths, in page order (a record's `page` indexes this). A page
    /// inside the issue's folder may be written `/01.txt`, short for `<id>/01.txt`: that is
    /// how the manifest log keeps them, on disk and in memory (the folder is most of each
    /// path). Read them through [`IssueRecord::page`].
    pub pages: Pages,
    /// Hash of page names, sizes and modification times when the issue was read (written
    /// as 16 hex digits; a number in memory: ten years of records are held at once).
    #[serde(with = "hex64")]
    pub signature: u64,
    /// Hash of the issue as the library scan lists it (an issue folder: the folder's own
    /// modification time, which changes when a page is added, removed or renamed): one
    /// `stat` per issue tells a new or re-filed issue from one to check page by page.
    #[serde(default, with = "hex64")]
    pub stamp: u64,
    pub segment: u32,
    /// Byte ranges `[start, end)` in the segment's `.txt` and `.idx` files.
    pub text: [u64; 2],
    pub idx: [u64; 2],
    pub articles: u32,
}

impl IssueRecord {
    /// The library-relative path of page `i` (`None`: no such page).
    pub fn page(&self, i: usize) -> Option<String> {
        let p = self.pages.get(i)?;
        Some(match p.strip_prefix('/') {
            Some(rest) => format!("{}/{rest}", self.id),
            None => p.to_string(),
        })
    }
}

/// An issue's page paths as one string, NUL between them (a path never holds a NUL): one
/// allocation per issue instead of one per page, written as a list of strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pages(Box<str>);

impl Pages {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (!self.0.is_empty())
            .then(|| self.0.split('\0'))
            .into_iter()
            .flatten()
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Pages {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Pages {
        let mut joined = String::new();
        for (i, p) in iter.into_iter().enumerate() {
            if i > 0 {
                joined.push('\0');
            }
            joined.push_str(p.as_ref());
        }
        Pages(joined.into_boxed_str())
    }
}

impl Serialize for Pages {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Pages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pages, D::Error> {
        let pages: Vec<std::borrow::Cow<'de, str>> = Vec::deserialize(d)?;
        if pages.iter().any(|p| p.contains('\0')) {
            return Err(serde::de::Error::custom("a page path holds a NUL"));
        }
        Ok(pages.iter().collect())
    }
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

/// `Option<Date>` as `"2026-11-28"` or null.
mod date_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::model::Date;

    pub(super) fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| {
            crate::library::date_in_name(&t)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date: {t}")))
        })
        .transpose()
    }
}

/// A `u64` hash as 16 hex digits, the form [`crate::model::title_hash`] writes (an empty
/// string, from a log older than stamps, reads as 0: no stamp matches it).
mod hex64 {
    use serde::{Deserializer, Serializer, de};

    pub(super) fn serialize<S: Serializer>(h: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{h:016x}"))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_str(Hex)
    }

    /// Parsed from the text as it lies in the line: no string is made for it (two per
    /// record, every record of the log at every start).
    struct Hex;

    impl de::Visitor<'_> for Hex {
        type Value = u64;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("16 hex digits")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<u64, E> {
            if text.is_empty() {
                return Ok(0);
            }
            u64::from_str_radix(text, 16).map_err(|_| E::custom(format!("not a hash: {text}")))
        }
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

pub fn segment_path(dir: &Path, segment: u32, ext: &str) -> PathBuf {
    dir.join(format!("seg-{segment:06}.{ext}"))
}

/// True for the file names this module creates (segments), for a reset.
pub fn is_segment_name(name: &str) -> bool {
    name.starts_with("seg-") && (name.ends_with(".txt") || name.ends_with(".idx"))
}

/// Read `[start, end)` of `file` into `buf` (replacing its contents). The buffer is not
/// zeroed first (`read_to_end` reads into its spare room): for a scan that reads hundreds
/// of megabytes, a `resize` would be one more pass over all of them.
pub fn read_range(file: &mut File, range: [u64; 2], buf: &mut Vec<u8>) -> io::Result<()> {
    let len = range[1].saturating_sub(range[0]);
    buf.clear();
    buf.reserve(usize::try_from(len).map_err(io::Error::other)?);
    file.seek(SeekFrom::Start(range[0]))?;
    file.take(len).read_to_end(buf)?;
    if buf.len() as u64 == len {
        Ok(())
    } else {
        Err(io::Error::from(io::ErrorKind::UnexpectedEof))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A `put` line as the log has always written it.
    const LINE: &str = r#"{"id":"报/2026-11-28","date":"2026-11-28","publication":"报","pages":["/01.txt","other/02.txt"],"signature":"d51a4f29a2b01316","stamp":"00000000000000ff","segment":1,"text":[0,10],"idx":[0,4],"articles":2}"#;

    #[test]
    fn a_record_reads_and_writes_the_logs_text_unchanged() {
        let r: IssueRecord = serde_json::from_str(LINE).unwrap();
        assert_eq!(r.signature, 0xd51a_4f29_a2b0_1316);
        assert_eq!(r.stamp, 0xff);
        assert_eq!(r.pages.len(), 2);
        assert_eq!(r.page(0).as_deref(), Some("报/2026-11-28/01.txt"));
        assert_eq!(r.page(1).as_deref(), Some("other/02.txt"));
        assert_eq!(r.page(2), None);
        assert_eq!(serde_json::to_string(&r).unwrap(), LINE);
    }

    #[test]
    fn a_record_without_a_stamp_or_pages_reads_as_none_of_either() {
        let old = LINE
            .replace(r#""stamp":"00000000000000ff","#, "")
            .replace(r#"["/01.txt","other/02.txt"]"#, "[]");
        let r: IssueRecord = serde_json::from_str(&old).unwrap();
        assert_eq!(r.stamp, 0);
        assert!(r.pages.is_empty());
        assert_eq!(r.pages.iter().count(), 0);
        assert_eq!(r.page(0), None);
        let empty: IssueRecord =
            serde_json::from_str(&LINE.replace("00000000000000ff", "")).unwrap();
        assert_eq!(empty.stamp, 0);
    }

    #[test]
    fn a_damaged_hash_or_a_nul_in_a_page_is_an_error_not_a_record() {
        assert!(serde_json::from_str::<IssueRecord>(&LINE.replace("d51a4f29", "zz")).is_err());
        assert!(
            serde_json::from_str::<IssueRecord>(&LINE.replace("/01.txt", "/0\\u00001.txt"))
                .is_err()
        );
    }
}
