//! `dubao cat FILE`: a page's articles (not its furniture) laid out at a width, as plain
//! text: headline lines first, a blank line between blocks, a rule of blank lines between
//! articles. Text is display-safe (control characters shown as placeholders) and no escape
//! codes are written, so the output is the same on a terminal and in a pipe.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::config::Config;
use crate::parse;
use crate::text::{self, AmbiguousWidth, LayoutOptions};

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
    let opts = cfg.parse_options();
    let page = parse::read_page(&args.file, &args.file.display().to_string(), &opts)?;
    let lopts = layout_options(args, cfg);
    let articles: Vec<_> = match args.article {
        None => page.articles.iter().collect(),
        Some(k) if (1..=page.articles.len()).contains(&k) => vec![&page.articles[k - 1]],
        Some(k) => bail!(
            "{}: no article {k} (the page has {})",
            args.file.display(),
            page.articles.len()
        ),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match write_articles(&mut out, &articles, &lopts).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        // `dubao cat page | head` is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// Flags first, then the config, then defaults (terminal width or 80, narrow, no indent).
fn layout_options(args: &CatArgs, cfg: &Config) -> LayoutOptions {
    let amb = match args.ambiguous_width.as_deref() {
        Some("2") => AmbiguousWidth::Wide,
        Some(_) => AmbiguousWidth::Narrow,
        None => cfg.amb().unwrap_or_default(),
    };
    LayoutOptions {
        width: args.width.unwrap_or_else(terminal_width),
        amb,
        indent: args.indent || cfg.indent,
        hang: cfg.hang.unwrap_or(true),
    }
}

fn terminal_width() -> u16 {
    if io::stdout().is_terminal()
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return cols;
    }
    80
}

fn write_articles(
    out: &mut impl Write,
    articles: &[&crate::model::Article],
    opts: &LayoutOptions,
) -> io::Result<()> {
    for (k, article) in articles.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
            writeln!(out)?;
        }
        for line in text::layout_article(article, opts).lines {
            let pad = " ".repeat(usize::from(line.indent));
            writeln!(out, "{pad}{}", line.text)?;
        }
    }
    Ok(())
}
