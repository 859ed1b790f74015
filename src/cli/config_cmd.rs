//! `dubao config` (where the config file is, and whether it is valid), `dubao config
//! --default` (the commented default config) and `dubao completions SHELL`.

use std::path::Path;

use clap::Args;

use super::write_stdout;

use crate::config;
use crate::ui::keymap::Keymap;

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
    match config::load(path) {
        Ok(cfg) => {
            // A `[keys]` table the reader would have to fix up (no quit key, an unknown
            // action) is an error here, where it can be mended before the reader starts.
            let problems = Keymap::check(&cfg.keys);
            if problems.is_empty() {
                println!("exists: valid");
                return Ok(0);
            }
            println!("exists: invalid");
            for p in problems {
                eprintln!("dubao: {}", crate::text::display_safe(&p));
            }
            Ok(1)
        }
        Err(e) => {
            println!("exists: invalid");
            eprintln!("dubao: {e}");
            Ok(1)
        }
    }
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
