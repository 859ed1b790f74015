//! The three-pane reader. The only module that imports ratatui or crossterm.
//!
//! Key → [`action::Action`] (through [`keymap::Keymap`]) → `App::update` → [`action::Effect`]
//! → draw. [`app`] holds the state (`geometry` says where the panes are), [`update`],
//! `open`, `notice` and [`bookmarks`] change it without I/O, [`view`] draws it without changing it.
//!
//! [`session::Session`] is one reader on any link: it takes one input at a time (a key, a
//! mouse event, a resize, a loaded issue, a terminal reply), performs the effects (loading
//! issues, saving state, OSC 52) and writes frames, paced by the terminal's answers
//! ([`pacing`]). [`input`] parses a terminal's bytes into those inputs. [`tty`] drives one
//! session on the process's own terminal (raw mode, alternate screen, the input thread);
//! [`process`] holds what is process-wide (signals, the panic hook). [`backend`] writes
//! frames in few bytes; [`term`] probes the terminal and builds OSC 52; [`clipboard`] says
//! what a copy can claim.

pub mod action;
pub mod app;
mod archive;
pub mod backend;
pub mod bookmarks;
pub mod clipboard;
pub mod find;
mod geometry;
pub mod input;
pub mod issue_list;
pub mod keymap;
mod notice;
mod open;
pub mod pacing;
pub mod process;
mod prompt;
pub mod search;
mod search_feed;
mod search_link;
pub mod session;
pub mod term;
mod translate;
pub mod tty;
pub mod update;
pub mod view;

pub use action::{Action, Effect};
pub use app::{App, Options, Pane};
pub use session::{Flow, Input, Session, Setup};
