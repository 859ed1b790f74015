//! Command line: clap arguments → resolved config → the subcommand or the reader.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};

mod bookmarks;
mod cat;
mod config_cmd;
mod index;
mod parse_cmd;
pub mod reader;
mod report;
mod search;
pub mod serve;

pub use report::exit_code;

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

/// The reader's files; also accepted before a subcommand (`dubao --config F config`).
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// Config file (default: $XDG_CONFIG_HOME/dubao/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where reading positions and bookmarks live (default: $XDG_DATA_HOME/dubao).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// `--config FILE` for the subcommands that read the config (and only those: `--help`
/// lists what a command uses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct ConfigArg {
    /// Config file (default: $XDG_CONFIG_HOME/dubao/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `--state-dir DIR` for the subcommands that read reading state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct StateDirArg {
    /// Where reading positions and bookmarks live (default: $XDG_DATA_HOME/dubao).
    #[arg(long, value_name = "DIR")]
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
    /// Open the issue of this date, or the nearest before it: 2026-11-28, 20261128, 11-28,
    /// 28 (this month), 2026年11月28日, -7 (seven issues back).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true, value_parser = crate::library::parse_date_query)]
    pub date: Option<crate::library::DateQuery>,
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
    Parse {
        #[command(flatten)]
        args: parse_cmd::ParseArgs,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print a page's articles laid out for the terminal.
    Cat {
        #[command(flatten)]
        args: cat::CatArgs,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print bookmarks.
    Bookmarks {
        #[command(flatten)]
        args: bookmarks::BookmarksArgs,
        #[command(flatten)]
        state: StateDirArg,
    },
    /// Check the config file (exit 1 if it is not valid), or print the default config.
    Config {
        #[command(flatten)]
        args: config_cmd::ConfigArgs,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print shell completions.
    Completions(config_cmd::CompletionsArgs),
    /// Search every article of the library (newest first).
    Search {
        #[command(flatten)]
        args: search::SearchArgs,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Build or update the search cache.
    Index {
        #[command(flatten)]
        args: index::IndexArgs,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Serve the reader over SSH (its own server; no shell accounts needed).
    // Parsed here for --help, errors and completions; run by `dubao-serve` (cli::serve).
    Serve(serve::ServeCommand),
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    // A subcommand's own option wins over the same option given before it.
    let global = cli.global;
    let config_path = |own: ConfigArg| {
        own.config
            .or_else(|| global.config.clone())
            .or_else(config::default_path)
    };
    match cli.command {
        Some(Command::Parse { args, config }) => {
            parse_cmd::run(&args, &load_config(config_path(config))?)
        }
        Some(Command::Cat { args, config }) => cat::run(&args, &load_config(config_path(config))?),
        Some(Command::Bookmarks { args, state }) => {
            let state_dir = state.state_dir.or_else(|| global.state_dir.clone());
            bookmarks::run(
                &args,
                &GlobalArgs {
                    config: None,
                    state_dir,
                },
            )
        }
        Some(Command::Config { args, config }) => {
            config_cmd::run(&args, config_path(config).as_deref())
        }
        Some(Command::Completions(a)) => config_cmd::completions(&a),
        Some(Command::Search { args, config }) => {
            search::run(&args, &load_config(config_path(config))?)
        }
        Some(Command::Index { args, config }) => {
            index::run(&args, &load_config(config_path(config))?)
        }
        Some(Command::Serve(mut cmd)) => {
            // The options given before `serve` go along; the default config file is
            // dubao-serve's to find, as dubao's would be.
            cmd.config.config = cmd.config.config.or_else(|| global.config.clone());
            cmd.state.state_dir = cmd.state.state_dir.or_else(|| global.state_dir.clone());
            serve::exec(&cmd)
        }
        None => {
            let file = match config_path(ConfigArg::default()) {
                Some(p) => config::read(&p)?,
                None => config::ConfigFile::default(),
            };
            reader::run(&cli.reader, &global, &file)
        }
    }
}

/// The config at `path`, or the defaults when there is no path at all.
pub(crate) fn load_config(path: Option<PathBuf>) -> anyhow::Result<Config> {
    match &path {
        Some(p) => Ok(config::load(p)?),
        None => Ok(Config::default()),
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
