//! The end of a run, for both binaries (`dubao`, `dubao-serve`): an error becomes
//! `dubao: …` lines on standard error and exit code 1.

use std::io::Write;

/// The exit code of `result`, its error (if any) written to standard error.
pub fn exit_code(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            // Not eprintln!: over a dropped SSH connection stderr is gone, and a failed
            // write must not turn an error exit into a panic.
            for line in one_line(&e).lines() {
                let _ = writeln!(std::io::stderr(), "dubao: {line}");
            }
            1
        }
    }
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
    let lines: Vec<_> = msg.lines().map(crate::text::display_safe).collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use anyhow::Context;

    use super::*;

    #[test]
    fn causes_join_on_one_line_without_repeating_themselves() {
        let io = std::io::Error::other("disk full");
        let e = Err::<(), _>(io)
            .context("cannot write state.json: disk full")
            .context("saving")
            .unwrap_err();
        assert_eq!(one_line(&e), "saving: cannot write state.json: disk full");
        let bell = anyhow::anyhow!("bad key \u{7}x\nsecond line");
        assert_eq!(
            one_line(&bell),
            format!(
                "bad key {}x\nsecond line",
                crate::text::display_safe("\u{7}")
            )
        );
    }
}
