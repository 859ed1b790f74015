//! Command line: clap arguments → resolved config → the subcommand or the reader.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};

mod bookmarks;
mod cat;
mod config_cmd;
mod parse_cmd;

#[derive(Debug, Parser)]
#[command(
    name = "dubao",
    version,
    about = "读报 — read digitized newspaper archives in the terminal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub reader: ReaderArgs,
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every subcommand shares.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Config file (default: $XDG_CONFIG_HOME/dubao/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where reading positions and bookmarks live (default: $XDG_DATA_HOME/dubao).
    #[arg(long, global = true, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// The reader: `dubao [PATH...]`.
#[derive(Debug, Clone, Args)]
pub struct ReaderArgs {
    /// Page files or issue/library folders to open (default: the configured library, else the
    /// bundled sample issues).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Width of East Asian Ambiguous characters (“ ” … —): 1, 2, or detect from the terminal.
    #[arg(long, value_enum)]
    pub ambiguous_width: Option<AmbArg>,
    /// Print-style paragraphs: a two-ideograph first-line indent, no blank line between.
    #[arg(long)]
    pub indent: bool,
    /// Do not capture the mouse.
    #[arg(long)]
    pub no_mouse: bool,
    /// Draw borders with ASCII characters.
    #[arg(long)]
    pub ascii: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AmbArg {
    #[value(name = "1")]
    One,
    #[value(name = "2")]
    Two,
    #[value(name = "auto")]
    Auto,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse one page file and print the model.
    Parse(parse_cmd::ParseArgs),
    /// Print a page's articles laid out for the terminal.
    Cat(cat::CatArgs),
    /// Print bookmarks.
    Bookmarks(bookmarks::BookmarksArgs),
    /// Print the default config or the config file's path.
    Config(config_cmd::ConfigArgs),
    /// Print shell completions.
    Completions(config_cmd::CompletionsArgs),
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let config_path = cli.global.config.clone().or_else(config::default_path);
    let load_config = || -> anyhow::Result<Config> {
        match &config_path {
            Some(p) => Ok(config::load(p)?),
            None => Ok(Config::default()),
        }
    };
    match cli.command {
        Some(Command::Parse(a)) => parse_cmd::run(&a, &load_config()?),
        Some(Command::Cat(a)) => cat::run(&a, &load_config()?),
        Some(Command::Bookmarks(a)) => bookmarks::run(&a, &cli.global),
        Some(Command::Config(a)) => config_cmd::run(&a, config_path.as_deref()),
        Some(Command::Completions(a)) => config_cmd::completions(&a),
        None => crate::ui::run(&cli.reader, &cli.global, &load_config()?),
    }
}

/// Write to stdout; a closed pipe (`dubao config --default | head`) is not an error.
pub(crate) fn write_stdout(text: &str) -> anyhow::Result<i32> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
    }
}
