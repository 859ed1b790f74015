//! `dubao search` and `dubao index` on the bundled sample issues: the exact `--json` and
//! plain output, exit codes, and messages for a bad query.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;
use std::process::{Command, Output};

fn dubao(dir: &Path, args: &[&str]) -> Output {
    let config = dir.join("config.toml");
    std::fs::write(&config, "").expect("write config");
    Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(args)
        .arg("--config")
        .arg(&config)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .output()
        .expect("run dubao")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// What a successful search printed.
fn found(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dubao(dir.path(), args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    stdout(&out)
}

#[test]
fn search_json_on_the_samples() {
    insta::assert_snapshot!(found(&["search", "安全", "--json"]));
}

#[test]
fn search_lines_on_the_samples() {
    insta::assert_snapshot!(found(&["search", "雪 -降雪", "--limit", "3"]));
}

#[test]
fn nothing_found_is_exit_1_and_a_bad_query_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let none = dubao(dir.path(), &["search", "御河东路"]);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(stdout(&none), "");
    let bad = dubao(dir.path(), &["search", "雪 page:x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "dubao search: page:x: not a page number (use page:1 for the first page of an issue)\n"
    );
}

#[test]
fn index_reports_what_the_cache_holds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dubao(dir.path(), &["index"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("3 of 3 issues cached (3 read now), 29 articles"),
        "{text}"
    );
    let again = stdout(&dubao(dir.path(), &["index"]));
    assert!(
        again.starts_with("3 of 3 issues cached (0 read now)"),
        "{again}"
    );
}
