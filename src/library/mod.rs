//! A folder tree → issues. Start-up lists folders and names only; an issue's pages are read
//! and parsed when it is selected (neighbours in the background), kept in a small LRU.
//!
//! SKELETON: replaced by the library work (issue 6). Signatures are the contract.

use std::path::PathBuf;

use crate::model::{Date, Issue, PageError};
use crate::parse::{self, ParseOptions};

/// Where a page's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageSource {
    File(PathBuf),
    /// A sample page compiled into the binary.
    Bundled(&'static [u8]),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRef {
    /// Library-relative path (the page's identity in state).
    pub rel: String,
    pub source: PageSource,
}

/// An issue as discovered: names only, nothing parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    pub id: String,
    pub name: String,
    pub publication: Option<String>,
    pub date: Option<Date>,
    pub pages: Vec<PageRef>,
}

/// The discovered library, issues newest first.
#[derive(Debug, Clone, Default)]
pub struct LibraryIndex {
    pub issues: Vec<IssueEntry>,
}

/// Read and parse every page of an issue. Bad pages become `errors`, never a failure.
pub fn load_issue(entry: &IssueEntry, opts: &ParseOptions) -> Issue {
    let mut pages = Vec::new();
    let mut errors = Vec::new();
    for p in &entry.pages {
        let res = match &p.source {
            PageSource::File(path) => parse::read_page(path, &p.rel, opts),
            PageSource::Bundled(bytes) => parse::parse_bytes(&p.rel, bytes, opts),
        };
        match res {
            Ok(page) => pages.push(page),
            Err(e) => errors.push(PageError {
                source: p.rel.clone(),
                message: e.to_string(),
            }),
        }
    }
    Issue {
        id: entry.id.clone(),
        name: entry.name.clone(),
        publication: entry.publication.clone(),
        date: entry.date,
        pages,
        errors,
    }
}

/// Discover issues in the given paths (folders and files). One file = one issue for now.
pub fn scan(paths: &[PathBuf]) -> LibraryIndex {
    let issues = paths
        .iter()
        .map(|p| {
            let rel = p.display().to_string();
            IssueEntry {
                id: rel.clone(),
                name: rel.clone(),
                publication: None,
                date: None,
                pages: vec![PageRef {
                    rel,
                    source: PageSource::File(p.clone()),
                }],
            }
        })
        .collect();
    LibraryIndex { issues }
}

/// The sample issues bundled in the binary.
pub fn bundled() -> LibraryIndex {
    LibraryIndex::default()
}
