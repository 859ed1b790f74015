use clap::Parser;

fn main() {
    let cli = dubao::cli::Cli::parse();
    let code = match dubao::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: over a dropped SSH connection stderr is gone, and a failed
            // write must not turn an error exit into a panic.
            use std::io::Write;
            for line in one_line(&e).lines() {
                let _ = writeln!(std::io::stderr(), "dubao: {line}");
            }
            1
        }
    };
    std::process::exit(code);
}

/// The error and its causes on one line, leaving out a cause whose text the message
/// already carries (our errors name the file and include their I/O cause). Control
/// characters (from a file name, a config key) are shown, never sent to the terminal. A
/// list (every problem of a config file) keeps its lines.
fn one_line(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !msg.contains(&text) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&text);
        }
    }
    let lines: Vec<_> = msg.lines().map(dubao::text::display_safe).collect();
    lines.join("\n")
}
