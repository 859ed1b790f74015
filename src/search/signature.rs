//! Signatures that tell the builder which issues to read again without parsing anything.
//!
//! [`signature`] of an issue as the library scan lists it is its quick *stamp*: for an issue
//! folder (which the scan does not open) it is one `stat` of the folder, whose modification
//! time changes when a page is added, removed or renamed — enough to find a re-filed issue
//! among thousands in milliseconds (a new one needs no stat: the manifest does not know it). The same function over the issue with its pages
//! listed ([`crate::library::list_pages`]) is the full signature: every page's name, size
//! and modification time, which also catches a page rewritten in place.

use std::fs;
use std::time::UNIX_EPOCH;

use crate::library::{IssueEntry, PageSource};

/// A hash of the entry's page names, sizes and modification times (bundled pages: their
/// bytes).
pub(super) fn signature(entry: &IssueEntry) -> u64 {
    let mut key = String::new();
    for p in &entry.pages {
        key.push_str(&p.rel);
        match &p.source {
            PageSource::File(path) => match fs::metadata(path) {
                Ok(m) => {
                    let mtime = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos());
                    key.push_str(&format!("\t{}\t{mtime}\n", m.len()));
                }
                Err(_) => key.push_str("\tmissing\n"),
            },
            PageSource::Bundled(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                key.push_str(&format!(
                    "\t{}\t{}\n",
                    bytes.len(),
                    crate::model::title_hash(&text)
                ));
            }
        }
    }
    crate::model::hash64(&key)
}
