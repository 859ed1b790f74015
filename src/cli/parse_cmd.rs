//! `dubao parse FILE --json`: one page file → the model as JSON (the field names are the
//! contract in doc/format.md). On a file that cannot be read or decoded it fails with one line
//! naming the file.

use std::path::PathBuf;

use clap::Args;

use crate::config::Config;
use crate::parse;

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The page file.
    pub file: PathBuf,
    /// Print the model as JSON (the only format for now).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ParseArgs, cfg: &Config) -> anyhow::Result<i32> {
    let opts = cfg.parse_options();
    // The error already names the file and its cause; flatten it so that `main` prints one
    // line rather than repeating the I/O cause.
    let page = parse::read_page(&args.file, &args.file.display().to_string(), &opts)
        .map_err(|e| anyhow::anyhow!("{}", e.to_string().replace('\n', " ")))?;
    let mut json = serde_json::to_string_pretty(&page)?;
    json.push('\n');
    super::write_stdout(&json)
}
