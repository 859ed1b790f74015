//! Reading a page file without trusting what the name points at.
//!
//! A page is a few kilobytes of text in a regular file. Anything else named like a page must
//! not hang or exhaust the reader: a FIFO or `/dev/tty` would block `open(2)` or `read(2)`
//! forever, `/dev/zero` (or a symlink to it) never ends, and a 2 GB sparse file costs its size
//! in memory. So: the file type is checked (following symlinks) before opening, the file is
//! opened with `O_NONBLOCK` (an open never waits for a writer), its type and size are checked
//! again on the open file (the name may have been swapped in between), and at most the limit
//! is read even if the file grows meanwhile.

use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

use super::ParseError;

/// The default page size limit: pages are 3–20 KB, so this only stops what is not a page.
pub const DEFAULT_MAX_PAGE_BYTES: u64 = 16 << 20;

/// The bytes of the page file at `path`, at most `limit` of them.
pub fn read_page_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ParseError> {
    let shown = || path.display().to_string();
    let io = |source| ParseError::Io {
        path: shown(),
        source,
    };
    check(path, &std::fs::metadata(path).map_err(io)?, limit)?;
    let mut file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    check(path, &meta, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // One byte over the limit tells a file that grew past it since the check.
    (&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn check(path: &Path, meta: &Metadata, limit: u64) -> Result<(), ParseError> {
    if !meta.is_file() {
        return Err(ParseError::NotRegular {
            path: path.display().to_string(),
            kind: file_kind(meta),
        });
    }
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    Ok(())
}

fn too_large(path: &Path, size: u64, limit: u64) -> ParseError {
    ParseError::TooLarge {
        path: path.display().to_string(),
        size: megabytes(size),
        limit: megabytes(limit),
    }
}

/// `16 MB`, `0.5 MB`: what the messages say.
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / f64::from(1 << 20);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// What a non-regular file is, for the message.
fn file_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
    // It changes nothing for a regular file, which is all that is read after the check.
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_messages() {
        assert_eq!(megabytes(16 << 20), "16 MB");
        assert_eq!(megabytes(1 << 19), "0.5 MB");
        assert_eq!(megabytes(3 << 30), "3072 MB");
    }

    #[test]
    fn a_page_over_the_limit_is_refused_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let page = dir.path().join("01.txt");
        std::fs::write(&page, "平城".repeat(100)).expect("write");
        let err = read_page_bytes(&page, 100).expect_err("over the limit");
        let msg = err.to_string();
        assert!(msg.contains("01.txt") && msg.contains("limit"), "{msg}");
        assert_eq!(read_page_bytes(&page, 600).expect("fits").len(), 600);
    }

    #[test]
    fn a_folder_is_not_a_page() {
        let dir = tempfile::tempdir().expect("tempdir");
        let msg = read_page_bytes(dir.path(), 100)
            .expect_err("folder")
            .to_string();
        assert!(msg.contains("a folder"), "{msg}");
    }
}
