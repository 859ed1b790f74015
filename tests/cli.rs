//! The real binary: version, help, completions, and the config command and its errors.

use std::path::Path;
use std::process::{Command, Output};

fn dubao(args: &[&str], config_home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(args)
        .env("XDG_CONFIG_HOME", config_home)
        .env("HOME", config_home)
        .output()
        .expect("runs dubao")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn version_and_help() {
    let home = tempfile::tempdir().expect("tempdir");
    let v = dubao(&["--version"], home.path());
    assert!(v.status.success());
    assert_eq!(
        stdout(&v).trim(),
        format!("dubao {}", env!("CARGO_PKG_VERSION"))
    );
    let h = dubao(&["--help"], home.path());
    assert!(h.status.success());
    let text = stdout(&h);
    for word in [
        "Usage: dubao",
        "parse",
        "cat",
        "bookmarks",
        "config",
        "completions",
        "--config",
    ] {
        assert!(text.contains(word), "{word} missing from help:\n{text}");
    }
}

#[test]
fn completions_for_each_shell() {
    let home = tempfile::tempdir().expect("tempdir");
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef dubao"),
        ("fish", "complete -c dubao"),
    ] {
        let o = dubao(&["completions", shell], home.path());
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        assert!(script.contains("bookmarks"), "{shell}: subcommands listed");
    }
    let bad = dubao(&["completions", "cmd.exe"], home.path());
    assert!(!bad.status.success());
}

#[test]
fn config_default_prints_a_config_that_loads() {
    let home = tempfile::tempdir().expect("tempdir");
    let o = dubao(&["config", "--default"], home.path());
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text, dubao::config::DEFAULT_TOML);
    let path = home.path().join("dubao/config.toml");
    std::fs::create_dir_all(home.path().join("dubao")).expect("mkdir");
    std::fs::write(&path, &text).expect("write");
    let check = dubao(&["config"], home.path());
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stdout(&check).contains("exists: valid"),
        "{}",
        stdout(&check)
    );
    assert!(stdout(&check).contains(&path.display().to_string()));
}

#[test]
fn config_reports_a_missing_file() {
    let home = tempfile::tempdir().expect("tempdir");
    let o = dubao(&["config"], home.path());
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("dubao/config.toml"), "{text}");
    assert!(text.contains("not found"), "{text}");
}

#[test]
fn a_bad_config_names_file_line_and_key() {
    let home = tempfile::tempdir().expect("tempdir");
    let path = home.path().join("mine.toml");
    std::fs::write(&path, "indent = true\n[keys]\nquit = 7\n").expect("write");
    let p = path.to_str().expect("utf-8 temp path");
    let check = dubao(&["config", "--config", p], home.path());
    assert_eq!(check.status.code(), Some(1));
    let err = stderr(&check);
    assert!(err.contains(&format!("{p}:3:")), "{err}");
    assert!(err.contains("keys.quit"), "{err}");
    // Any command that needs the config stops with the same message and status 1.
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/2026-11-28/01.txt");
    let parse = dubao(
        &["parse", "--config", p, page.to_str().expect("utf-8 path")],
        home.path(),
    );
    assert_eq!(parse.status.code(), Some(1));
    assert!(
        stderr(&parse).contains(&format!("{p}:3:")),
        "{}",
        stderr(&parse)
    );
}
