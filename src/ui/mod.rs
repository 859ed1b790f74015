//! The three-pane reader. The only module that imports ratatui or crossterm.
//!
//! Key → [`action::Action`] (through [`keymap::Keymap`]) → `App::update` → [`action::Effect`]
//! → draw. [`app`] holds the state (`geometry` says where the panes are), [`update`],
//! `open`, `notice` and [`bookmarks`] change it without I/O, [`view`] draws it without changing it,
//! [`run`] owns the terminal: set-up and restore, the blocking event loop (no timer:
//! nothing is drawn unless input, a resize or a loaded issue arrives), signals, and the
//! effects (loading issues, saving state, OSC 52). [`backend`] writes frames in few bytes;
//! [`term`] probes the terminal and builds OSC 52; [`clipboard`] says what a copy can claim.

pub mod action;
pub mod app;
pub mod backend;
pub mod bookmarks;
pub mod clipboard;
mod geometry;
pub mod keymap;
mod notice;
mod open;
pub mod run;
pub mod term;
pub mod update;
pub mod view;

pub use action::{Action, Effect};
pub use app::{App, Options, Pane};
pub use run::run;
