//! Reading positions, read flags and bookmarks, stored as versioned JSON in the data
//! directory; atomic writes, file lock + merge for two readers at once.
//!
//! - [`model`]: the records ([`ArticleState`], [`Bookmark`], [`LastOpen`]) and the merge
//!   rules that make two readers' copies converge (newest wins per record, bookmarks are a
//!   union with timed tombstones).
//! - [`format`](mod@format): the versioned `state.json` layout (one record per line, article rows).
//! - [`file`](mod@file): loading (a corrupt or newer-version file is moved aside), the `state.lock`
//!   lock, the atomic write, and the locked read-merge-write of a save.
//! - `migrate`: format 1 (keys relative to the path given) → format 2 (stable keys).
//! - `rows`: the fast reader for the `articles` rows (steps aside to serde for anything else).
//! - [`store`]: [`Store`], what the UI thread calls — all in memory, cheap.
//! - [`saver`]: the background thread behind [`Store::save_soon`] and [`Store::flush`].
//! - [`find`]: per-page and per-issue lookups and the fallback match for changed titles.
//! - [`time`]: timestamps and UTC formatting.
//!
//! See `doc/state.md` for how the reader is meant to call it.

pub mod file;
pub mod find;
pub mod format;
pub mod migrate;
pub mod model;
mod rows;
pub mod saver;
pub mod store;
pub mod time;

pub use find::{match_articles, title_similarity};
pub use model::{ArticleState, Bookmark, IssuePlace, LastOpen, StateData, Tie};
pub use store::Store;
