use clap::Parser;

fn main() {
    let cli = dubao::cli::Cli::parse();
    std::process::exit(dubao::cli::exit_code(dubao::cli::run(cli)));
}
