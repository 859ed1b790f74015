//! `dubao parse FILE --json`.

use std::path::PathBuf;

use clap::Args;

use crate::config::Config;
use crate::parse::{self, ParseOptions};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The page file.
    pub file: PathBuf,
    /// Print the model as JSON (the only format for now).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ParseArgs, cfg: &Config) -> anyhow::Result<i32> {
    let opts = ParseOptions {
        extra_section_labels: cfg.section_labels.clone(),
    };
    let page = parse::read_page(&args.file, &args.file.display().to_string(), &opts)?;
    println!("{}", serde_json::to_string_pretty(&page)?);
    Ok(0)
}
