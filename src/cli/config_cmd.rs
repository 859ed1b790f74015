//! `dubao config` and `dubao completions`.

use std::path::Path;

use clap::Args;

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

pub fn run(_args: &ConfigArgs, path: Option<&Path>) -> anyhow::Result<i32> {
    if let Some(p) = path {
        println!("{}", p.display());
    }
    Ok(0)
}

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    let mut cmd = super::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "dubao", &mut std::io::stdout());
    Ok(0)
}
