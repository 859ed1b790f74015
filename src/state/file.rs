//! `state.json` on disk: the versioned JSON layout, loading (a bad file is moved aside,
//! never overwritten), the `state.lock` lock, and the atomic write.
//!
//! Layout (version 1), one record per line so it stays readable and diffable:
//!
//! ```text
//! {
//!   "version": 1,
//!   "last": {"issue":…,"article":…,"pane":"body","updated_ms":…},
//!   "bookmarks": [
//!     {"article":{"page":…,"title_hash":…,"index":2},"issue":…,"title":…,"anchor":…,…}
//!   ],
//!   "deleted_bookmarks": [ {"article":{…},"deleted_ms":…} ],
//!   "articles": {
//!     "2024-01-01/p1.txt#a1b2c3d4e5f60718#2": {"anchor":{"block":3,"offset":40},…}
//!   }
//! }
//! ```
//!
//! Article keys are `page#title_hash#index`; they are split from the right, so a `#` in a
//! page path is fine.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::model::{ArticleState, Bookmark, LastOpen, StateData, Tie};
use super::time;
use crate::model::ArticleId;

/// The format version this build writes. Files with a larger number are moved aside.
pub const VERSION: u32 = 1;
pub const STATE_FILE: &str = "state.json";
pub const LOCK_FILE: &str = "state.lock";
/// How long a save waits for another process's lock before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// Bookmark tombstones are kept this long (180 days).
const TOMBSTONE_KEEP_MS: u64 = 180 * 24 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Bad(String),
}

#[derive(Serialize, Deserialize)]
struct Tombstone {
    article: ArticleId,
    deleted_ms: u64,
}

#[derive(Deserialize)]
struct FileV1 {
    version: u32,
    #[serde(default)]
    last: LastOpen,
    #[serde(default)]
    bookmarks: Vec<Bookmark>,
    #[serde(default)]
    deleted_bookmarks: Vec<Tombstone>,
    #[serde(default, deserialize_with = "de_articles")]
    articles: BTreeMap<ArticleId, ArticleState>,
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// `page#title_hash#index`.
pub fn article_key(id: &ArticleId) -> String {
    format!("{}#{}#{}", id.page, id.title_hash, id.index)
}

/// The inverse of [`article_key`].
pub fn parse_article_key(key: &str) -> Option<ArticleId> {
    let mut it = key.rsplitn(3, '#');
    let index = it.next()?.parse().ok()?;
    let title_hash = it.next()?.to_string();
    let page = it.next()?.to_string();
    Some(ArticleId {
        page,
        title_hash,
        index,
    })
}

fn de_articles<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<ArticleId, ArticleState>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = BTreeMap<ArticleId, ArticleState>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of \"page#hash#index\" keys to article states")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                let id = parse_article_key(&key)
                    .ok_or_else(|| serde::de::Error::custom(format!("bad article key {key:?}")))?;
                out.insert(id, map.next_value()?);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// Parse the bytes of a state file.
pub fn parse(bytes: &[u8]) -> Result<StateData, String> {
    match serde_json::from_slice::<FileV1>(bytes) {
        Ok(f) if f.version > VERSION => Err(newer(f.version)),
        Ok(f) => Ok(StateData {
            articles: f.articles,
            bookmarks: f
                .bookmarks
                .into_iter()
                .map(|b| (b.article.clone(), b))
                .collect(),
            deleted: f
                .deleted_bookmarks
                .into_iter()
                .map(|t| (t.article, t.deleted_ms))
                .collect(),
            last: f.last,
        }),
        Err(e) => match serde_json::from_slice::<VersionProbe>(bytes) {
            Ok(p) if p.version > VERSION => Err(newer(p.version)),
            _ => Err(format!("unreadable state file ({e})")),
        },
    }
}

fn newer(v: u32) -> String {
    format!("state file is version {v}, newer than this dubao understands ({VERSION})")
}

/// Serialise `data` in the layout described above.
pub fn to_bytes(data: &StateData) -> io::Result<Vec<u8>> {
    let mut w = Vec::with_capacity(64 + data.articles.len() * 128);
    write_json(&mut w, data)?;
    Ok(w)
}

fn write_json<W: Write>(w: &mut W, data: &StateData) -> io::Result<()> {
    write!(w, "{{\n  \"version\": {VERSION},\n  \"last\": ")?;
    serde_json::to_writer(&mut *w, &data.last)?;
    w.write_all(b",\n  \"bookmarks\": [")?;
    let mut bookmarks: Vec<&Bookmark> = data.bookmarks.values().collect();
    bookmarks.sort_by_key(|b| b.created_ms);
    for (i, b) in bookmarks.into_iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, b)?;
    }
    w.write_all(b"\n  ],\n  \"deleted_bookmarks\": [")?;
    for (i, (article, &deleted_ms)) in data.deleted.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let t = Tombstone {
            article: article.clone(),
            deleted_ms,
        };
        serde_json::to_writer(&mut *w, &t)?;
    }
    w.write_all(b"\n  ],\n  \"articles\": {")?;
    for (i, (id, st)) in data.articles.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, &article_key(id))?;
        w.write_all(b": ")?;
        serde_json::to_writer(&mut *w, st)?;
    }
    w.write_all(b"\n  }\n}\n")
}

/// Read the state in `dir`. A missing file is an empty state. A corrupt or newer-version
/// file is renamed to `state.json.bad-TIMESTAMP` and reported in the warnings (the state
/// starts empty). Any other I/O error is returned: the caller must not overwrite a file it
/// could not read.
pub fn load(dir: &Path) -> Result<(StateData, Vec<String>), LoadError> {
    let path = dir.join(STATE_FILE);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(source) => return Err(LoadError::Io { path, source }),
    };
    match parse(&bytes) {
        Ok(data) => Ok((data, vec![])),
        Err(why) => {
            let aside = move_aside(&path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let name = aside.file_name().map_or_else(
                || aside.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok((
                StateData::default(),
                vec![format!("{why}; moved aside to {name}, starting fresh")],
            ))
        }
    }
}

/// Rename a bad file to a fresh `NAME.bad-TIMESTAMP[-N]` next to it (never overwriting).
fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = time::file_stamp(time::now_ms());
    let base = format!("{}.bad-{stamp}", path.display());
    let mut target = PathBuf::from(&base);
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = PathBuf::from(format!("{base}-{n}"));
    }
    fs::rename(path, &target)?;
    Ok(target)
}

/// Hold the exclusive `state.lock` of `dir` for the life of the returned file.
pub fn lock(dir: &Path) -> io::Result<File> {
    fs::create_dir_all(dir)?;
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))?;
    let start = Instant::now();
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "state is locked by another dubao",
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Write `bytes` to `dir/name` atomically: temp file in the same directory, fsync, rename,
/// fsync the directory. A crash leaves either the old file or the new one.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp)?);
        w.write_all(bytes)?;
        let f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.sync_all()?;
        fs::rename(&tmp, dir.join(name))?;
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Lock, merge what is on disk into `data` (disk wins ties), write the result atomically,
/// unlock. On success `data` is exactly what the file now holds. Returns warnings (a bad
/// file moved aside).
pub fn save_merged(dir: &Path, data: &mut StateData) -> io::Result<Vec<String>> {
    let lock = lock(dir)?;
    let (disk, warnings) = load(dir).map_err(|e| io::Error::other(e.to_string()))?;
    data.merge(disk, Tie::TakeOther);
    data.prune_tombstones(time::now_ms().saturating_sub(TOMBSTONE_KEEP_MS));
    let bytes = to_bytes(data)?;
    write_atomic(dir, STATE_FILE, &bytes)?;
    drop(lock);
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_from_the_right() {
        let id = ArticleId {
            page: "a#b/c.txt".into(),
            title_hash: "0123456789abcdef".into(),
            index: 12,
        };
        assert_eq!(article_key(&id), "a#b/c.txt#0123456789abcdef#12");
        assert_eq!(parse_article_key(&article_key(&id)), Some(id));
        assert_eq!(parse_article_key("nohash"), None);
        assert_eq!(parse_article_key("p#h#x"), None);
    }

    #[test]
    fn newer_version_is_reported_as_newer() {
        let err = parse(br#"{"version": 99, "articles": {"x": 1}}"#).unwrap_err();
        assert!(err.contains("version 99"), "{err}");
        let err = parse(b"{ not json").unwrap_err();
        assert!(err.contains("unreadable"), "{err}");
    }
}
