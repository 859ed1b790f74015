//! Listing one folder: its page files and subfolders by raw name, and whether each subfolder
//! is reached through a symlink (those are walked last, see the scan's notes).

use std::ffi::OsString;
use std::fs;
use std::path::Path;

use super::super::ScanError;
use super::super::paths::escape_name;
use super::is_page_name;

/// A name as the system gives it, and as it is shown and joined into ids.
pub(super) struct Name {
    pub shown: String,
    pub raw: OsString,
}

impl Name {
    pub fn new(raw: OsString) -> Name {
        Name {
            shown: escape_name(&raw).into_owned(),
            raw,
        }
    }
}

/// A folder's entries, split by kind.
#[derive(Default)]
pub(super) struct Listing {
    pub pages: Vec<Name>,
    /// Subfolders, and whether each is reached through a symlink.
    pub dirs: Vec<(Name, bool)>,
}

/// The entries of `dir` that matter: page files and folders (hidden ones skipped), each
/// with its raw name. Problems with single entries go to `errors`; the rest is listed.
pub(super) fn list(dir: &Path, errors: &mut Vec<ScanError>) -> Option<Listing> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            error(errors, dir, &e);
            return None;
        }
    };
    let mut listing = Listing::default();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                error(errors, dir, &e);
                continue;
            }
        };
        let name = Name::new(entry.file_name());
        if name.shown.starts_with('.') {
            continue;
        }
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                error(errors, &entry.path(), &e);
                continue;
            }
        };
        let linked = file_type.is_symlink();
        let is_dir = if linked {
            match fs::metadata(entry.path()) {
                Ok(m) => m.is_dir(),
                Err(e) => {
                    error(errors, &entry.path(), &e);
                    continue;
                }
            }
        } else {
            file_type.is_dir()
        };
        if is_dir {
            listing.dirs.push((name, linked));
        } else if is_page_name(&name.shown) {
            listing.pages.push(name);
        }
    }
    Some(listing)
}

fn error(errors: &mut Vec<ScanError>, path: &Path, e: &std::io::Error) {
    errors.push(ScanError {
        path: path.display().to_string(),
        message: e.to_string(),
    });
}
