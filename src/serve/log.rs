//! The connection log: one line per connection when it ends (or is turned away), to
//! standard error or a file: when, from where, as whom, for how long, how many bytes, and
//! how it ended. What a client chose (its user name, TERM) is never logged raw: control
//! characters could rewrite the terminal of whoever reads the log.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::state::time::{file_stamp, now_ms};

/// Where the lines go.
#[derive(Debug, Default)]
pub struct ConnLog {
    file: Option<Mutex<File>>,
}

/// One finished connection.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub peer: SocketAddr,
    /// `SHA256:…`, `anonymous`, or `-` (never logged in).
    pub who: &'a str,
    pub duration: Duration,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Frames dropped for a client that did not read (`output.rs`).
    pub dropped: u64,
    /// `quit`, `idle`, `dropped`, `shutdown`, `refused: …`.
    pub end: &'a str,
}

impl ConnLog {
    /// Lines to standard error.
    pub fn stderr() -> ConnLog {
        ConnLog { file: None }
    }

    /// Lines appended to `path`.
    pub fn file(path: &Path) -> std::io::Result<ConnLog> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(ConnLog {
            file: Some(Mutex::new(file)),
        })
    }

    pub fn connection(&self, e: &Entry<'_>) {
        self.line(&format_entry(e, now_ms()));
    }

    /// A line of its own (start, shutdown).
    pub fn line(&self, text: &str) {
        match &self.file {
            Some(f) => {
                let mut f = f.lock().unwrap_or_else(PoisonError::into_inner);
                let _ = writeln!(f, "{text}");
            }
            None => eprintln!("{text}"),
        }
    }
}

fn format_entry(e: &Entry<'_>, now: u64) -> String {
    format!(
        "{} {} {} {:.1}s in={} out={} skipped={} {}",
        file_stamp(now),
        e.peer,
        clean(e.who),
        e.duration.as_secs_f64(),
        e.bytes_in,
        e.bytes_out,
        e.dropped,
        clean(e.end)
    )
}

/// Text from a client, safe to print: control characters escaped.
pub fn clean(text: &str) -> String {
    text.chars().flat_map(char::escape_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_one_line_with_control_characters_escaped() {
        let e = Entry {
            peer: "127.0.0.1:5000".parse().unwrap(),
            who: "SHA256:abc",
            duration: Duration::from_millis(12_340),
            bytes_in: 10,
            bytes_out: 2048,
            dropped: 0,
            end: "quit\u{1b}]0;x",
        };
        let line = format_entry(&e, 0);
        assert_eq!(
            line,
            "19700101T000000Z 127.0.0.1:5000 SHA256:abc 12.3s in=10 out=2048 skipped=0 quit\\u{1b}]0;x"
        );
    }
}
