//! The three-pane reader. The only module that imports ratatui or crossterm.
//!
//! SKELETON: replaced by the reader work (issue 4).

use crate::cli::{GlobalArgs, ReaderArgs};
use crate::config::Config;

/// Run the reader until the user quits; returns the exit code.
pub fn run(_args: &ReaderArgs, _global: &GlobalArgs, _cfg: &Config) -> anyhow::Result<i32> {
    anyhow::bail!("the reader is not built yet")
}
