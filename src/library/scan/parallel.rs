//! A wide folder scanned on several threads, with the same outcome as a sequential scan.

use std::collections::HashMap;
use std::path::Path;

use super::super::paths::DirKey;
use super::super::{IssueEntry, ScanError};
use super::listing::Name;
use super::{Link, Scanner};

/// What one thread found: issues, errors, links to follow later, folders walked.
type Part = (
    Vec<IssueEntry>,
    Vec<ScanError>,
    Vec<Link>,
    HashMap<DirKey, String>,
);

impl Scanner<'_> {
    /// Scan `subs` on `self.threads` threads, each taking a contiguous run, and append their
    /// results in order: the outcome is the same as a sequential scan (the folders are
    /// real ones, so no two threads can meet the same folder; links wait for later).
    pub(super) fn folders_in_parallel(
        &mut self,
        dir: &Path,
        rel: &str,
        subs: &[Name],
        depth: usize,
    ) {
        let per_thread = subs.len().div_ceil(self.threads);
        let defer_dated = self.defer_dated;
        let ancestors = &self.ancestors;
        let visited = &self.visited;
        let max_issues = self.max_issues.saturating_sub(self.issues.len());
        let parts: Vec<std::thread::Result<Part>> = std::thread::scope(|scope| {
            let handles: Vec<_> = subs
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        let mut part = Scanner {
                            defer_dated,
                            ancestors: ancestors.clone(),
                            outer: Some(visited),
                            max_issues,
                            ..Scanner::default()
                        };
                        for sub in chunk {
                            part.subfolder(dir, rel, sub, depth);
                        }
                        (part.issues, part.errors, part.links, part.visited)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(std::thread::ScopedJoinHandle::join)
                .collect()
        });
        for part in parts {
            match part {
                Ok((issues, errors, links, visited)) => {
                    for issue in issues {
                        self.push(issue);
                    }
                    self.errors.extend(errors);
                    self.links.extend(links);
                    self.visited.extend(visited);
                }
                Err(_) => self.errors.push(ScanError {
                    path: dir.display().to_string(),
                    message: "a scan thread failed; some issues may be missing".into(),
                }),
            }
        }
    }
}
