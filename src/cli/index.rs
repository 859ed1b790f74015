//! `dubao index [LIBRARY…]`: build or update the search cache of a library from the command
//! line (the reader does the same in the background). A progress bar shows on stderr when it
//! is a terminal; the last line says what the cache now holds.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;

use crate::config::Config;
use crate::search::{Folder, LocalScan, SearchBackend};

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Library folders or page files (default: the configured library, else the samples).
    #[arg(value_name = "LIBRARY")]
    pub paths: Vec<PathBuf>,
    /// Cache folder (default: $XDG_CACHE_HOME/dubao).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

pub fn run(args: &IndexArgs, cfg: &Config) -> anyhow::Result<i32> {
    let start = Instant::now();
    let folder = Arc::new(Folder::new()?);
    let (index, roots) = super::search::library(&args.paths, cfg);
    for e in &index.errors {
        eprintln!("dubao index: {e}");
    }
    let (dir, p) =
        super::search::update_cache(&index, &roots, args.cache_dir.as_deref(), &folder, cfg)?;
    let cov = LocalScan::open(dir.clone(), folder).coverage();
    let text = format!(
        "{} of {} issues cached ({} read now), {} articles, {:.1} MB of text, in {:.1} s\n{}\n",
        p.cached,
        p.issues,
        p.read,
        cov.articles,
        cov.bytes as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        dir.display()
    );
    super::write_stdout(&text)
}
