//! `dubao-serve`: the reader behind its own SSH server. `dubao serve ARGS…` runs this
//! binary, installed beside `dubao`, with the same arguments (see `dubao::cli::serve`);
//! a binary of its own keeps russh, tokio and ring out of the reader's.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "dubao-serve",
    version,
    about = "Serve the reader over SSH (its own server; no shell accounts needed)"
)]
struct Cli {
    #[command(flatten)]
    serve: dubao::cli::serve::ServeCommand,
}

fn main() {
    let cli = Cli::parse();
    std::process::exit(dubao::cli::exit_code(dubao::cli::serve::run_command(
        &cli.serve,
    )));
}
