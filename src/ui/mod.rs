//! The three-pane reader. The only module that imports ratatui or crossterm.
//!
//! Key → [`action::Action`] (through [`keymap::Keymap`]) → `App::update` → [`action::Effect`]
//! → draw. [`app`] holds the state, `update`/`bookmarks` change it without I/O, [`view`]
//! draws it without changing it, and [`run`] owns the terminal: set-up and restore, the
//! blocking event loop (no timer: nothing is drawn unless input or a resize arrives),
//! signals, and the effects (loading issues, saving state, OSC 52).

pub mod action;
pub mod app;
pub mod backend;
pub mod bookmarks;
pub mod keymap;
pub mod run;
mod scroll;
pub mod term;
pub mod update;
pub mod view;

pub use action::{Action, Effect};
pub use app::{App, Options, Pane};
pub use run::run;
