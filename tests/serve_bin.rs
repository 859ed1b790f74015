//! `dubao serve` as a user runs it: `dubao` parses the command line and becomes the
//! `dubao-serve` installed beside it (the SSH server's own binary), which keeps the process,
//! its signals and its exit status. The server itself is tested in `serve.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;
use std::process::{Command, Output};

fn dubao_at(exe: &Path, args: &[&str], home: &Path) -> Output {
    Command::new(exe)
        .args(args)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("HOME", home)
        .output()
        .expect("runs dubao")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn serve_help_and_completions_still_list_the_server_options() {
    let home = tempfile::tempdir().unwrap();
    let exe = Path::new(env!("CARGO_BIN_EXE_dubao"));
    let o = dubao_at(exe, &["serve", "--help"], home.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let help = text(&o.stdout);
    for option in [
        "Usage: dubao serve [OPTIONS] [LIBRARY]...",
        "--listen <ADDR>",
        "--authorized-keys <FILE>",
        "--anonymous",
        "--host-key <PATH>",
        "--max-sessions <N>",
        "--max-per-ip <N>",
        "--idle-timeout <TIME>",
        "--log <FILE>",
        "--config <FILE>",
        "--state-dir <DIR>",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    let bash = dubao_at(exe, &["completions", "bash"], home.path());
    assert!(text(&bash.stdout).contains("--authorized-keys"));
    // A bad value is still dubao's own usage error, before any server is looked for.
    let bad = dubao_at(exe, &["serve", "--max-sessions", "many"], home.path());
    assert_eq!(bad.status.code(), Some(2));
    let err = text(&bad.stderr);
    assert!(
        err.contains("invalid value 'many' for '--max-sessions <N>'"),
        "{err}"
    );
}

#[test]
fn without_dubao_serve_beside_it_serve_says_where_it_looked_and_how_to_get_it() {
    let home = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let alone = bin.path().join("dubao");
    std::fs::copy(env!("CARGO_BIN_EXE_dubao"), &alone).unwrap();
    let o = dubao_at(&alone, &["serve", "--anonymous"], home.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout), "");
    let looked_for = bin.path().join("dubao-serve");
    let expected = format!(
        "dubao: `dubao serve` runs the SSH server {}, which is not there: install both binaries \
         side by side (`cargo install --path .` installs both, `cargo build --release` builds \
         both into target/release)\n",
        looked_for.display()
    );
    assert_eq!(text(&o.stderr), expected);
}

#[cfg(feature = "serve")]
mod with_the_server {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    const WAIT: Duration = Duration::from_secs(30);

    #[test]
    fn serve_becomes_dubao_serve_with_the_options_given_before_it_and_sigterm_ends_it_with_0() {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let log = home.path().join("connections.log");
        let config = home.path().join("config.toml");
        std::fs::write(&config, format!("[serve]\nlog = {:?}\n", log)).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dubao"))
            .arg("--config")
            .arg(&config)
            .arg("--state-dir")
            .arg(&data)
            .args(["serve", "--anonymous", "--listen", "127.0.0.1:0"])
            .env("XDG_CONFIG_HOME", home.path())
            .env("XDG_DATA_HOME", home.path())
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            let mut line = String::new();
            while stderr.read_line(&mut line).unwrap_or(0) > 0 {
                let _ = tx.send(std::mem::take(&mut line));
            }
        });
        let first = rx.recv_timeout(WAIT).expect("the server starts");
        assert!(
            first.starts_with("dubao serve: listening on 127.0.0.1:"),
            "{first}"
        );
        // The same process, now the server's binary: a service manager's signal reaches it.
        #[cfg(target_os = "linux")]
        assert_eq!(
            std::fs::read_to_string(format!("/proc/{}/comm", child.id()))
                .unwrap()
                .trim(),
            "dubao-serve"
        );
        // `--state-dir` and `--config` given before `serve` were passed on.
        assert!(data.join("host_key_ed25519").is_file());
        assert!(log.is_file());
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        let said: String = rx.iter().collect();
        assert_eq!(status.code(), Some(0), "{said}");
        assert!(
            said.ends_with("dubao serve: stopped; every session saved\n"),
            "{said}"
        );
    }

    #[test]
    fn a_refusal_to_start_is_the_server_s_error_and_exit_code() {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let o = dubao_at(
            Path::new(env!("CARGO_BIN_EXE_dubao")),
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--state-dir",
                data.to_str().unwrap(),
            ],
            home.path(),
        );
        assert_eq!(o.status.code(), Some(1));
        let err = text(&o.stderr);
        assert!(err.starts_with("dubao: "), "{err}");
        assert!(
            err.contains("--authorized-keys") && err.contains("--anonymous"),
            "{err}"
        );
    }

    #[test]
    fn dubao_serve_runs_on_its_own_too() {
        let home = tempfile::tempdir().unwrap();
        let o = dubao_at(
            Path::new(env!("CARGO_BIN_EXE_dubao-serve")),
            &["--help"],
            home.path(),
        );
        assert!(o.status.success());
        let help = text(&o.stdout);
        assert!(
            help.contains("Usage: dubao-serve [OPTIONS] [LIBRARY]..."),
            "{help}"
        );
        assert!(help.contains("--authorized-keys <FILE>"), "{help}");
    }
}
