//! `dubao cat FILE`: a page's articles laid out at a width, as plain text.

use std::path::PathBuf;

use clap::Args;

use crate::config::Config;
use crate::parse::{self, ParseOptions};
use crate::text::{self, LayoutOptions};

#[derive(Debug, Args)]
pub struct CatArgs {
    pub file: PathBuf,
    /// Columns (default: the terminal's width, else 80).
    #[arg(long)]
    pub width: Option<u16>,
    /// Only article K (1-based).
    #[arg(long)]
    pub article: Option<usize>,
    #[arg(long, value_parser = ["1", "2"])]
    pub ambiguous_width: Option<String>,
    /// Indent paragraphs by two ideographs.
    #[arg(long)]
    pub indent: bool,
}

pub fn run(args: &CatArgs, cfg: &Config) -> anyhow::Result<i32> {
    let opts = ParseOptions {
        extra_section_labels: cfg.section_labels.clone(),
    };
    let page = parse::read_page(&args.file, &args.file.display().to_string(), &opts)?;
    let lopts = LayoutOptions {
        width: args.width.unwrap_or(80),
        indent: args.indent,
        ..LayoutOptions::default()
    };
    for a in &page.articles {
        for l in text::layout_article(a, &lopts).lines {
            println!("{}{}", " ".repeat(l.indent.into()), l.text);
        }
    }
    Ok(0)
}
