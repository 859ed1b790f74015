//! dubao (读报): a terminal reader for digitized newspaper archives.
//!
//! Architecture, from the bottom up:
//!
//! - [`model`]: Library → Issue → Page → Article → Block, plus furniture; serde types whose
//!   field names are the `dubao parse --json` contract.
//! - [`parse`]: bytes → text (UTF-8/UTF-16/GB18030) → lines → headline groups and blocks,
//!   with column breaks rejoined. Total: odd input becomes a warning, not an error.
//! - [`text`]: the one width function, the UAX #14 + kinsoku line breaker, and the article
//!   layout whose screen lines map back to logical [`model::TextPos`] positions.
//! - [`state`]: reading positions, read flags and bookmarks; versioned JSON, atomic writes,
//!   lock + merge for two readers at once.
//! - [`library`]: a folder tree → dated issues, lazily parsed, small LRU; the bundled samples.
//! - [`search`]: archive-wide search: a folded text cache of every article, built in the
//!   background, scanned with `memchr::memmem`; the query language and the backend trait.
//! - [`config`]: the TOML config file.
//! - [`ui`]: the ratatui reader (the only module that knows about terminals).
//! - [`cli`]: clap arguments → the subcommand or the reader.
//! - `serve`: the reader behind its own SSH server (feature `serve`).

#[cfg(feature = "tui")]
pub mod cli;
pub mod config;
pub mod library;
pub mod model;
pub mod parse;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod state;
pub mod text;
#[cfg(feature = "tui")]
pub mod ui;
