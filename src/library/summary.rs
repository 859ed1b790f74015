//! Article counts of every issue, for unread counts across the archive without parsing it
//! at start: a background thread reads a small cache (`issues.json`: issue key → article
//! count; the reader keeps it in the library's search cache folder, so every reader of the
//! library shares it, else in its state folder), sends what it knows, parses the issues it does not (newest
//! first, as listed, on up to four threads), sends those in batches, and writes the cache
//! back when it is done.
//!
//! Unread = count − read articles stored under the issue's key (`Store::read_in_issue`), so
//! only a number per issue is kept in memory (3,650 issues: a few hundred KB), not every
//! article's id. An issue whose pages change after it was counted keeps its old count until
//! it is parsed again (opening it recounts it).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::thread;

use super::{IssueEntry, load_issue};
use crate::parse::ParseOptions;

/// The cache file in the state folder.
pub const SUMMARY_FILE: &str = "issues.json";

/// Name of the counting thread.
pub const SUMMARY_THREAD: &str = "dubao-summaries";

/// Issues sent in one message (one wake-up of the event loop).
const BATCH: usize = 64;

/// At most this many parsing threads.
const MAX_WORKERS: usize = 4;

/// (index into the entries counted, number of articles): the reader's list is the same
/// shared slice, so no issue key is copied to say which issue a count is for.
pub type Counts = Vec<(usize, usize)>;

/// Start counting `entries` on a thread; batches of counts arrive on the returned channel
/// (cached ones first), and `notify` is called after each. Dropping the receiver stops the
/// thread after the issue it is parsing. `cache_dir`: where `issues.json` is read and written
/// (`None`: no cache).
pub fn spawn_summaries(
    entries: Arc<[IssueEntry]>,
    opts: ParseOptions,
    cache_dir: Option<PathBuf>,
    notify: impl Fn() + Send + Sync + 'static,
) -> std::io::Result<mpsc::Receiver<Counts>> {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name(SUMMARY_THREAD.into())
        .spawn(move || count_all(&entries, &opts, cache_dir.as_deref(), &tx, &notify))?;
    Ok(rx)
}

fn count_all(
    entries: &[IssueEntry],
    opts: &ParseOptions,
    cache_dir: Option<&Path>,
    tx: &mpsc::Sender<Counts>,
    notify: &(dyn Fn() + Sync),
) {
    // Keys borrowed from the file's bytes: every later start reads ten years of keys only
    // to look them up.
    let bytes = cache_dir
        .and_then(|d| std::fs::read(d.join(SUMMARY_FILE)).ok())
        .unwrap_or_default();
    let mut cache = parse_cache(&bytes);
    let mut missing: Vec<usize> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH * 16);
    for (i, e) in entries.iter().enumerate() {
        match cache.get(e.id.as_str()) {
            Some(&n) => batch.push((i, n)),
            None => missing.push(i),
        }
        if batch.len() == BATCH * 16 {
            if tx.send(std::mem::take(&mut batch)).is_err() {
                return;
            }
            notify();
        }
    }
    if !batch.is_empty() {
        if tx.send(batch).is_err() {
            return;
        }
        notify();
    }
    if missing.is_empty() {
        return;
    }
    // Parsing is the cost (a first start over ten years: thousands of issues), and it
    // spreads over cores; each worker takes every n-th issue so the newest come first.
    let workers = thread::available_parallelism().map_or(1, |n| n.get().clamp(1, MAX_WORKERS));
    let counted: Vec<Counts> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<usize> = missing.iter().skip(w).step_by(workers).copied().collect();
                let tx = tx.clone();
                scope.spawn(move || count_some(entries, &mine, opts, &tx, notify))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    cache.extend(
        counted
            .into_iter()
            .flatten()
            .map(|(i, n)| (Key(Cow::Borrowed(entries[i].id.as_str())), n)),
    );
    if let Some(dir) = cache_dir {
        // A cache: when it cannot be written, the next start counts again.
        let _ = write_file(
            dir,
            &CacheFile {
                version: 1,
                counts: cache,
            },
        );
    }
}

/// Parse and count `entries[i]` for each of `mine`, sending batches; what was counted (for
/// the cache).
fn count_some(
    entries: &[IssueEntry],
    mine: &[usize],
    opts: &ParseOptions,
    tx: &mpsc::Sender<Counts>,
    notify: &(dyn Fn() + Sync),
) -> Counts {
    let mut all = Vec::with_capacity(mine.len());
    let mut batch = Vec::new();
    for &i in mine {
        let issue = load_issue(&entries[i], opts);
        let n = issue.pages.iter().map(|p| p.articles.len()).sum();
        all.push((i, n));
        batch.push((i, n));
        if batch.len() == BATCH {
            if tx.send(std::mem::take(&mut batch)).is_err() {
                return all;
            }
            notify();
        }
    }
    if !batch.is_empty() && tx.send(batch).is_ok() {
        notify();
    }
    all
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheFile<'a> {
    version: u32,
    #[serde(borrow)]
    counts: BTreeMap<Key<'a>, usize>,
}

/// An issue key, borrowed from the file's bytes unless it holds an escape (serde's own
/// `Cow` always copies inside a map).
#[derive(PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
struct Key<'a>(Cow<'a, str>);

impl std::borrow::Borrow<str> for Key<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Key<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key<'a>, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an issue key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_str(Visit)
    }
}

/// The counts of a cache file's bytes (empty when unreadable: it is only a cache).
fn parse_cache(bytes: &[u8]) -> BTreeMap<Key<'_>, usize> {
    serde_json::from_slice::<CacheFile>(bytes)
        .ok()
        .filter(|f| f.version == 1)
        .map(|f| f.counts)
        .unwrap_or_default()
}

/// The cached counts in `dir` (empty when missing or unreadable: it is only a cache).
pub fn read_cache(dir: &Path) -> BTreeMap<String, usize> {
    let bytes = std::fs::read(dir.join(SUMMARY_FILE)).unwrap_or_default();
    parse_cache(&bytes)
        .into_iter()
        .map(|(k, n)| (k.0.into_owned(), n))
        .collect()
}

/// Write the counts to `dir/issues.json` through a temporary file and a rename, so that a
/// reader never sees half a file.
fn write_file(dir: &Path, file: &CacheFile) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(file)?;
    std::fs::create_dir_all(dir)?;
    // Per process and thread: two sessions of one server may write at once.
    let tmp = dir.join(format!(
        "{SUMMARY_FILE}.tmp-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, dir.join(SUMMARY_FILE))
}
