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

/// Read the state in `dir`, first sweeping temp files of dead writers
/// ([`sweep_stale_temps`]). A missing file is an empty state. A corrupt or newer-version
/// file is renamed to `state.json.bad-TIMESTAMP` and reported in the warnings (the state
/// starts empty). Any other I/O error is returned: the caller must not overwrite a file it
/// could not read.
pub fn load(dir: &Path) -> Result<(StateData, Vec<String>), LoadError> {
    let path = dir.join(STATE_FILE);
    sweep_stale_temps(dir, STATE_FILE);
    // Through a symlink, temp files are written next to its target.
    if let Ok(target) = resolve_link(&path)
        && target != path
        && let (Some(folder), Some(name)) = (target.parent(), target.file_name())
    {
        sweep_stale_temps(folder, &name.to_string_lossy());
    }
    let bytes = match read_regular(&path) {
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
    match read_regular(&path) {
        Ok(bytes) => format::parse(&bytes).map_err(|why| format!("{}: {why}", path.display())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(StateData::default()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The bytes of `path` if it is a regular file (through symlinks): a FIFO or a device in
/// its place would block the reader's start or never end.
fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    if !fs::metadata(path)?.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    fs::read(path)
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

/// Write `bytes` to `dir/name` atomically: temp file next to the file, fsync, rename, fsync
/// the directory. A crash leaves either the old file or the new one.
///
/// When `dir/name` is a symlink (a state file kept in a synced folder), the link stays and
/// the file it points to is replaced, atomically, by a temp file in the target's folder.
/// The temp file is created with `O_EXCL | O_NOFOLLOW`: a planted symlink or a leftover file
/// under its name is never written through, only stepped around.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_link(&dir.join(name))?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map_or_else(|| name.into(), |n| n.to_string_lossy().into_owned());
    let (tmp, file) = create_temp(&folder, &file_name)?;
    let result = (|| {
        let mut w = BufWriter::new(file);
        w.write_all(bytes)?;
        let f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.sync_all()?;
        fs::rename(&tmp, &target)?;
        File::open(&folder)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Where a write to `path` must go: `path` itself, or the file a symlink chain ends at (a
/// dangling link's target is created). Gives up on a chain of more than 16 links (a loop).
fn resolve_link(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..16 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(parent) => parent.join(next),
                    None => next,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// The temp-file prefix for `name`: `.state.json.tmp-` followed by `PID-N`.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.tmp-")
}

/// A fresh temp file for `name` in `folder`, never following or reusing what is there.
fn create_temp(folder: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let prefix = temp_prefix(name);
    let pid = std::process::id();
    let mut last = None;
    for n in 0..64 {
        let tmp = folder.join(format!("{prefix}{pid}-{n}"));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_NOFOLLOW).mode(0o600);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temp file name")))
}

/// Remove temp files left in `folder` by writers of `name` that died mid-save (a `kill -9`):
/// those whose process is gone, or, where that cannot be told, older than a day. A live
/// writer's temp file is never touched. Returns how many were removed.
pub fn sweep_stale_temps(folder: &Path, name: &str) -> usize {
    let prefix = temp_prefix(name);
    let Ok(entries) = fs::read_dir(folder) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) => match process_alive(pid) {
                Some(alive) => !alive,
                None => older_than_a_day(&entry.path()),
            },
            None => older_than_a_day(&entry.path()),
        };
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` exists, where the system says (`/proc`); `None` elsewhere.
fn process_alive(pid: u32) -> Option<bool> {
    let proc = Path::new("/proc");
    proc.join("self")
        .exists()
        .then(|| proc.join(pid.to_string()).exists())
}

fn older_than_a_day(path: &Path) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > Duration::from_secs(24 * 3600))
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
