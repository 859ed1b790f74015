//! Archive-wide search: every article of the library, found by exact substring in
//! milliseconds, without word segmentation.
//!
//! - [`fold`]: the 1:1 character folding (full-width, case, 繁→简) applied to text and queries,
//!   so a hit's character offset is a [`crate::model::TextPos`] offset.
//! - [`query`]: the query language (terms, `"phrases"`, `-exclusions`, `date:` `pub:`
//!   `page:` `in:title` `by:` filters).
//! - [`doc`]: one article as the cache stores it, and the record mapping offsets back.
//! - [`manifest`]: the cache folder, its segments and manifest (kept as an append-only log,
//!   `journal`).
//! - [`build`]: the builder that brings the cache up to date (background thread, newest
//!   issues first, a quick round for new issues then a full one, issues parsed on two
//!   threads, progress callback, cancellable).
//! - [`backend`]: the [`SearchBackend`] trait, hits and the streaming [`Searcher`].
//! - [`scan`]: [`LocalScan`], the backend that scans the cache with `memchr::memmem`.
//!
//! How the reader uses it is described in `doc/search.md`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod backend;
pub mod build;
mod compact;
pub mod doc;
pub mod fold;
mod journal;
pub mod manifest;
pub mod query;
mod reading;
pub mod scan;
mod signature;
mod store;
mod survey;

pub use backend::{
    Coverage, Flow, Hit, HitPos, SearchBackend, SearchEvent, Searcher, Snippet, Summary,
    sort_by_relevance,
};
pub use build::{BuildHandle, BuildOptions, Progress};
pub use doc::Field;
pub use fold::Folder;
pub use journal::SharedJournal;
pub use query::{Query, QueryError};
pub use scan::LocalScan;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("search cache: {0}")]
    Io(String),
    #[error("{0}")]
    Fold(String),
}

impl From<fold::FoldTableError> for SearchError {
    fn from(e: fold::FoldTableError) -> Self {
        SearchError::Fold(e.to_string())
    }
}

/// Shared flag that stops a running search or build: set by a newer query, Esc, or quit.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
