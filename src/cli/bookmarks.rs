//! `dubao bookmarks [--json|--markdown]`.

use clap::Args;

use super::GlobalArgs;
use crate::state::Store;

#[derive(Debug, Args)]
pub struct BookmarksArgs {
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    #[arg(long)]
    pub markdown: bool,
}

pub fn run(_args: &BookmarksArgs, global: &GlobalArgs) -> anyhow::Result<i32> {
    let dir = global
        .state_dir
        .clone()
        .or_else(Store::default_dir)
        .ok_or_else(|| anyhow::anyhow!("no state directory"))?;
    let (store, _) = Store::open(&dir);
    for b in store.bookmarks() {
        println!("{}\t{}", b.issue, b.title);
    }
    Ok(0)
}
