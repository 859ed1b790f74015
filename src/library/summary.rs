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
/// (cached ones first), and `notify` is called after each, and once more when the thread
/// is done and the channel closed. Dropping the receiver stops the thread after the issue
/// it is parsing. `cache_dir`: where `issues.json` is read and written (`None`: no cache).
pub fn spawn_summaries(
    entries: Arc<[IssueEntry]>,
    opts: ParseOptions,
    cache_dir: Option<PathBuf>,
    notify: impl Fn() + Send + Sync + 'static,
) -> std::io::Result<mpsc::Receiver<Counts>> {
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name(SUMMARY_THREAD.into())
        .spawn(move || {
            // Once more with the channel closed, so the receiver learns that every issue
            // is counted (a reader starts its search cache build only then), even if the
            // counting panicked: the guard is dropped after `tx`.
            let end = OnDrop(&notify);
            let tx = tx;
            count_all(&entries, &opts, cache_dir.as_deref(), &tx, end.0);
        })?;
    Ok(rx)
}

/// Calls its function when dropped.
struct OnDrop<'a>(&'a (dyn Fn() + Sync));

impl Drop for OnDrop<'_> {
    fn drop(&mut self) {
        (self.0)();
    }
}

fn count_all(
    entries: &[IssueEntry],
    opts: &ParseOptions,
    cache_dir: Option<&Path>,
    tx: &mpsc::Sender<Counts>,
    notify: &(dyn Fn() + Sync),
) {
    // Every later start reads ten years of keys only to look them up: each is looked up as
    // the file is read, in the entries sorted by key, without a map of them all.
    let bytes = cache_dir
        .and_then(|d| std::fs::read(d.join(SUMMARY_FILE)).ok())
        .unwrap_or_default();
    let cached = cached_counts(entries, &bytes);
    let mut missing: Vec<usize> = Vec::new();
    let mut batch = Vec::with_capacity(BATCH * 16);
    for (i, &n) in cached.iter().enumerate() {
        match n {
            NOT_CACHED => missing.push(i),
            n => batch.push((i, n as usize)),
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
    // Written back whole, with the keys of issues this library does not list (another
    // library sharing the folder may): only now, after a start that had to count.
    let mut cache = parse_cache(&bytes);
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

/// `cached_counts`' mark of an issue the cache does not know.
const NOT_CACHED: u32 = u32::MAX;

/// The cached article count of each of `entries` (same index; [`NOT_CACHED`] when the
/// cache file's `bytes` have none, or are not a version-1 cache). The keys are read one at
/// a time and looked up in the entries' ids (4 bytes an issue), so a later start holds no
/// map of ten years of keys.
fn cached_counts(entries: &[IssueEntry], bytes: &[u8]) -> Vec<u32> {
    let mut counts = vec![NOT_CACHED; entries.len()];
    if bytes.is_empty() {
        return counts;
    }
    let mut by_key: Vec<u32> = (0..entries.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    by_key.sort_unstable_by(|&a, &b| entries[a as usize].id.cmp(&entries[b as usize].id));
    let key_of = |i: u32| entries[i as usize].id.as_str();
    let mut found = |key: &str, n: usize| {
        // Every entry of that key (two folders may name the same issue).
        let from = by_key.partition_point(|&i| key_of(i) < key);
        for &i in by_key[from..].iter().take_while(|&&i| key_of(i) == key) {
            counts[i as usize] = u32::try_from(n).unwrap_or(NOT_CACHED - 1);
        }
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = serde::de::DeserializeSeed::deserialize(CacheSeed(&mut found), &mut de)
        .and_then(|version| de.end().map(|()| version));
    if read.ok() != Some(1) {
        counts.fill(NOT_CACHED);
    }
    counts
}

/// Reads a cache file, handing each (key, count) to the closure; its value is the file's
/// version.
struct CacheSeed<'f, F>(&'f mut F);

impl<'de, F: FnMut(&str, usize)> serde::de::DeserializeSeed<'de> for CacheSeed<'_, F> {
    type Value = u32;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<u32, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(&str, usize)> serde::de::Visitor<'de> for CacheSeed<'_, F> {
    type Value = u32;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an article count cache")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        let mut version = None;
        while let Some(field) = map.next_key::<Key<'de>>()? {
            match &*field.0 {
                "version" => version = Some(map.next_value::<u32>()?),
                "counts" => map.next_value_seed(CountsSeed(&mut *self.0))?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        version.ok_or_else(|| serde::de::Error::missing_field("version"))
    }
}

/// The `counts` map of a cache file, one entry at a time.
struct CountsSeed<'f, F>(&'f mut F);

impl<'de, F: FnMut(&str, usize)> serde::de::DeserializeSeed<'de> for CountsSeed<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(&str, usize)> serde::de::Visitor<'de> for CountsSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("issue keys and article counts")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let n = map.next_value::<usize>()?;
            (self.0)(&key.0, n);
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn entry(id: &str) -> IssueEntry {
        IssueEntry {
            id: id.into(),
            name: id.into(),
            publication: None,
            date: None,
            pages: Vec::new(),
        }
    }

    #[test]
    fn cached_counts_looks_each_key_up_as_it_is_read() {
        let entries: Vec<IssueEntry> = ["b/2", "a/1", "c/3", "b/2", "d/4"]
            .into_iter()
            .map(entry)
            .collect();
        // A key this library does not list, an escaped key, a duplicate entry.
        let file = br#"{"version":1,"counts":{"a/1":7,"b/2":9,"c\/3":4,"z/9":1}}"#;
        let n = NOT_CACHED;
        assert_eq!(cached_counts(&entries, file), [9, 7, 4, 9, n]);
        // The fields in the other order.
        let file = br#"{"counts":{"d/4":2},"version":1}"#;
        assert_eq!(cached_counts(&entries, file), [n, n, n, n, 2]);
    }

    #[test]
    fn cached_counts_of_an_unusable_file_are_none() {
        let entries = vec![entry("a/1")];
        for file in [
            &b""[..],
            br#"{"version":2,"counts":{"a/1":7}}"#,
            br#"{"counts":{"a/1":7}}"#,
            br#"{"version":1,"counts":{"a/1":7}"#,
            br#"{"version":1,"counts":{"a/1":"seven"}}"#,
            br#"{"version":1,"counts":{"a/1":7}} trailing"#,
        ] {
            assert_eq!(cached_counts(&entries, file), [NOT_CACHED], "{file:?}");
        }
        // The same file, written whole, is what the reader writes back.
        let file = br#"{"version":1,"counts":{"a/1":7}}"#;
        assert_eq!(cached_counts(&entries, file), [7]);
        assert_eq!(parse_cache(file).len(), 1);
    }
}
