//! `state.json` on disk: loading (a bad file is moved aside, never overwritten), the
//! `state.lock` lock, the atomic write, and [`save_merged`] which puts them together.
//! The layout itself is in [`super::format`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::format;
use super::model::{StateData, Tie};
use super::time;

pub const STATE_FILE: &str = "state.json";
pub const LOCK_FILE: &str = "state.lock";
/// How long a save waits for another process's lock before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// Bookmark tombstones are kept this long (180 days).
const TOMBSTONE_KEEP_MS: u64 = 180 * 24 * 3600 * 1000;

pub use format::parse;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Which file `state.json` is: every write renames a new file into place, so when the
/// identity is still the one we wrote last, nobody else has written since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId {
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        let m = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let inode = 0;
        Some(FileId {
            inode,
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
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
    match format::parse(&bytes) {
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

/// Read the state in `dir` without changing anything, for commands that only look
/// (`dubao bookmarks`): a bad or newer file is an error naming it, and it stays where it
/// is for the reader (which holds the lock when it moves a file aside) to deal with.
pub fn load_untouched(dir: &Path) -> Result<StateData, String> {
    let path = dir.join(STATE_FILE);
    match fs::read(&path) {
        Ok(bytes) => format::parse(&bytes).map_err(|why| format!("{}: {why}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(StateData::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
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

/// Hold the exclusive `state.lock` of `dir` for the life of the returned file. Gives up
/// after [`LOCK_TIMEOUT`] rather than hang a quitting reader.
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
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "state is locked by another dubao",
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
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
/// unlock. On success `data` is exactly what the file now holds. `known` is the identity of
/// the file this `data` last wrote (updated here): when the file is still that one, nobody
/// else wrote and the re-read is skipped.
pub fn save_merged(
    dir: &Path,
    data: &mut StateData,
    known: &mut Option<FileId>,
) -> io::Result<Saved> {
    let lock = lock(dir)?;
    let path = dir.join(STATE_FILE);
    let mut saved = Saved::default();
    if known.is_none() || FileId::of(&path) != *known {
        let (disk, w) = load(dir).map_err(|e| io::Error::other(e.to_string()))?;
        data.merge(disk, Tie::TakeOther);
        saved = Saved {
            warnings: w,
            reread: true,
        };
    }
    data.prune_tombstones(time::now_ms().saturating_sub(TOMBSTONE_KEEP_MS));
    let bytes = format::to_bytes(data)?;
    *known = None;
    write_atomic(dir, STATE_FILE, &bytes)?;
    *known = FileId::of(&path);
    drop(lock);
    Ok(saved)
}

/// What [`save_merged`] reports besides success.
#[derive(Debug, Default)]
pub struct Saved {
    /// A bad file was moved aside.
    pub warnings: Vec<String>,
    /// The file had to be re-read (another process wrote, or first save): `data` may now
    /// hold changes the caller had not seen.
    pub reread: bool,
}
