use clap::Parser;

fn main() {
    let cli = dubao::cli::Cli::parse();
    let code = match dubao::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dubao: {e:#}");
            1
        }
    };
    std::process::exit(code);
}
