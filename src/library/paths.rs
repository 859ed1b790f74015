//! What a library-relative path says about an issue: its date when the folders spell it
//! (`2016/01/05`), its publication (the nearest folder above that is not a date or a
//! year/month folder), how ids are joined, and how a name that is not UTF-8 is written in
//! one.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{fs, io};

use super::dates::{date_in_name, is_period_name};
use crate::model::Date;

/// A file or folder name as ids and the screen show it: itself when it is UTF-8, else its
/// ASCII with every other byte escaped as `\xHH` (`\xB4\xF3\xCD\xAC.txt` for a GBK
/// name). Display-safe (only ASCII is added) and the same on every run, so it can key
/// reading state; the file itself is opened by its raw name ([`PageSource::File`] holds it).
///
/// [`PageSource::File`]: super::PageSource::File
pub fn escape_name(name: &OsStr) -> Cow<'_, str> {
    if let Some(s) = name.to_str() {
        return Cow::Borrowed(s);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // Every byte outside ASCII, not only the invalid ones: GBK bytes that happen to
        // form UTF-8 would show as stray accents and marks.
        let mut out = String::with_capacity(name.len() * 4);
        for &b in name.as_bytes() {
            if b.is_ascii() {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        Cow::Owned(out)
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy()
    }
}

/// The name a root contributes to ids: its last component, resolved for `.` and `..`.
pub(super) fn root_name(root: &Path) -> String {
    let named = |p: &Path| p.file_name().map(|n| escape_name(n).into_owned());
    named(root)
        .or_else(|| fs::canonicalize(root).ok().and_then(|p| named(&p)))
        .unwrap_or_default()
}

/// What identifies a folder however it is reached (directly or through symlinks): device and
/// inode on unix, the canonical path elsewhere.
#[cfg(unix)]
pub(super) type DirKey = (u64, u64);
#[cfg(not(unix))]
pub(super) type DirKey = std::path::PathBuf;

/// The [`DirKey`] of `dir`, following symlinks: one `stat`.
#[cfg(unix)]
pub(super) fn dir_key(dir: &Path) -> io::Result<DirKey> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(dir)?;
    Ok((meta.dev(), meta.ino()))
}

/// The [`DirKey`] of `dir`, following symlinks.
#[cfg(not(unix))]
pub(super) fn dir_key(dir: &Path) -> io::Result<DirKey> {
    fs::canonicalize(dir)
}

pub(super) fn join_rel(rel: &str, name: &str) -> String {
    if rel.is_empty() {
        return name.to_string();
    }
    let mut joined = String::with_capacity(rel.len() + 1 + name.len());
    joined.push_str(rel);
    joined.push('/');
    joined.push_str(name);
    joined
}

/// `dir.join(name)` in one allocation (`join` copies `dir`, then grows the copy for
/// `name`): the scan makes one per issue folder.
pub(super) fn join_path(dir: &Path, name: &OsStr) -> PathBuf {
    let mut path = PathBuf::with_capacity(dir.as_os_str().len() + 1 + name.len());
    path.push(dir);
    path.push(name);
    path
}

/// [`date_of_folder`] of `parent_rel/name` without joining them first (the scan asks it of
/// every subfolder), and whether the date is in `name` itself (`2026-11-28`, not the `05`
/// of `2016/01/05`).
pub(super) fn date_of_subfolder(parent_rel: &str, name: &str) -> Option<(Date, bool)> {
    if let Some(d) = date_in_name(name) {
        return Some((d, true));
    }
    if !short_number(name) {
        return None;
    }
    date_of_folder(&join_rel(parent_rel, name)).map(|d| (d, false))
}

/// One or two digits: a month or day folder.
fn short_number(s: &str) -> bool {
    (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// The folder's own date, or one spread over its last folders (`2016/01/05`, `2016-01/05`).
pub(super) fn date_of_folder(rel: &str) -> Option<Date> {
    let last = rel.rsplit('/').next()?;
    if let Some(d) = date_in_name(last) {
        return Some(d);
    }
    if !short_number(last) {
        return None;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let n = parts.len();
    if n >= 3
        && short_number(parts[n - 2])
        && let Some(d) = date_in_name(&parts[n - 3..].join("-"))
    {
        return Some(d);
    }
    (n >= 2)
        .then(|| date_in_name(&parts[n - 2..].join("-")))
        .flatten()
}

/// The nearest folder above the issue that is neither a date nor a period (`2016`, `2016-01`):
/// `archive/dubao-daily/2016/2016-01-05` → `dubao-daily`.
pub(super) fn publication_of(rel: &str) -> Option<String> {
    rel.rsplit('/')
        .skip(1)
        .find(|p| is_publication_name(p))
        .map(str::to_string)
}

/// [`publication_of`] any issue folder directly inside the folder `rel`: the same for all
/// of its subfolders, so the scan asks once per folder.
pub(super) fn publication_below(rel: &str) -> Option<String> {
    if rel.is_empty() {
        return None;
    }
    rel.rsplit('/')
        .find(|p| is_publication_name(p))
        .map(str::to_string)
}

/// Neither a date nor a period (`2016`, `2016-01`) nor a number.
fn is_publication_name(p: &str) -> bool {
    !is_period_name(p) && date_in_name(p).is_none() && !p.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_paths() {
        for (dir, name) in [
            ("/a/b", "c"),
            ("/a/b/", "c"),
            ("a", "2026-11-28"),
            ("", "x"),
        ] {
            assert_eq!(
                join_path(Path::new(dir), OsStr::new(name)),
                Path::new(dir).join(name)
            );
        }
    }

    #[test]
    fn folder_dates() {
        let s = |r: &str| date_of_folder(r).map(|d| d.to_string());
        assert_eq!(s("lib/2026-11-28").as_deref(), Some("2026-11-28"));
        assert_eq!(s("lib/2016/01/05").as_deref(), Some("2016-01-05"));
        assert_eq!(s("lib/2016-01/05").as_deref(), Some("2016-01-05"));
        assert_eq!(s("lib/misc").as_deref(), None);
        assert_eq!(s("05").as_deref(), None);
        for (parent, name) in [
            ("lib", "2026-11-28"),
            ("lib/2016/01", "05"),
            ("lib/2016-01", "05"),
            ("lib", "misc"),
            ("", "05"),
            ("", "2026-11-28"),
            ("lib/2016/01", "5x"),
        ] {
            assert_eq!(
                date_of_subfolder(parent, name).map(|(d, _)| d),
                date_of_folder(&join_rel(parent, name)),
                "{parent} {name}"
            );
        }
        assert_eq!(
            date_of_subfolder("lib", "2026-11-28").map(|x| x.1),
            Some(true)
        );
        assert_eq!(
            date_of_subfolder("lib/2016/01", "05").map(|x| x.1),
            Some(false)
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        // 大同 in GBK, then `.txt`.
        let gbk = OsStr::from_bytes(b"\xB4\xF3\xCD\xAC.txt");
        assert_eq!(escape_name(gbk), "\\xB4\\xF3\\xCD\\xAC.txt");
        assert_eq!(escape_name(OsStr::new("大同.txt")), "大同.txt");
        // 大 then a stray byte: not UTF-8, so every byte outside ASCII is escaped.
        let mixed = OsStr::from_bytes(b"\xE5\xA4\xA7\xFF-1");
        assert_eq!(escape_name(mixed), "\\xE5\\xA4\\xA7\\xFF-1");
    }

    #[test]
    fn publications() {
        assert_eq!(
            publication_of("news/dubao-daily/2016/2016-01-05").as_deref(),
            Some("dubao-daily")
        );
        assert_eq!(
            publication_of("dubao-daily/2016-01-05").as_deref(),
            Some("dubao-daily")
        );
        assert_eq!(publication_of("2016-01-05"), None);
        assert_eq!(publication_of("2016/01/05"), None);
        for parent in ["news/dubao-daily/2016", "dubao-daily", "", "2016/01", "a/b"] {
            assert_eq!(
                publication_below(parent),
                publication_of(&join_rel(parent, "2016-01-05")),
                "{parent}"
            );
        }
    }
}
