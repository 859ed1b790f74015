//! `dubao config` (where the config file is, and whether it is valid), `dubao config
//! --default` (the commented default config) and `dubao completions SHELL`.

use std::path::Path;

use clap::Args;

use super::write_stdout;

use super::reader;
use crate::config;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print a commented default config.
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

/// Prints the path and its state; exits 1 when the file exists but is not a valid config, so
/// `dubao config` doubles as a check after editing.
pub fn run(args: &ConfigArgs, path: Option<&Path>) -> anyhow::Result<i32> {
    if args.default {
        return write_stdout(config::DEFAULT_TOML);
    }
    let Some(path) = path else {
        println!("no config directory (no home folder?): using the default config");
        return Ok(0);
    };
    if !path.exists() {
        println!("{}", path.display());
        println!("not found: using the default config");
        println!(
            "create it with: dubao config --default > {}",
            shell_quote(&path.display().to_string())
        );
        return Ok(0);
    }
    println!("{}", path.display());
    // Every problem, the file's own and those the reader would warn of (an unknown action,
    // a key bound twice, a bad colour), so it can be mended before the reader starts.
    let problems = reader::config_report(&config::read(path)?);
    if problems.is_empty() {
        println!("exists: valid");
        return Ok(0);
    }
    println!(
        "exists: invalid ({} problem{})",
        problems.len(),
        plural(problems.len())
    );
    for p in problems {
        eprintln!("{p}");
    }
    Ok(1)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn shell_quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    let mut cmd = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "dubao", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))
}
