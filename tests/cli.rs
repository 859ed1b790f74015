//! The real binary: version, help, completions, and the config command and its errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

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
    // Far more JSON than a pipe buffer holds, so the writer really meets the hang-up.
    let home = tempfile::tempdir().expect("tempdir");
    let page = home.path().join("long.txt");
    let para = "本报讯（记者 王明）这是一段足够长的测试文字，用来填满管道缓冲区。\n\n";
    std::fs::write(&page, format!("## 标题\n\n{}", para.repeat(4000))).expect("write page");
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

#[test]
fn global_options_before_a_subcommand_apply_to_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let state = home.path().join("state");
    let o = dubao(
        &[
            "--state-dir",
            state.to_str().expect("utf-8 path"),
            "bookmarks",
        ],
        home.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("No bookmarks"), "{}", stdout(&o));
}

#[test]
fn a_missing_file_is_one_line_naming_it_once() {
    let home = tempfile::tempdir().expect("tempdir");
    let o = dubao(&["parse", "/no/such/page.txt", "--json"], home.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("dubao: /no/such/page.txt: "), "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
}

#[test]
fn parse_into_a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more JSON than a pipe buffer holds, so the writer really meets the hang-up.
    let home = tempfile::tempdir().expect("tempdir");
    let page = home.path().join("long.txt");
    let para = "本报讯（记者 王明）这是一段足够长的测试文字，用来填满管道缓冲区。\n\n";
    std::fs::write(&page, format!("## 标题\n\n{}", para.repeat(4000))).expect("write page");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(["parse", page.to_str().expect("utf-8 path"), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs dubao");
    // Read one byte and hang up, as `| head -c1` does.
    let mut out = child.stdout.take().expect("stdout");
    let mut one = [0u8; 1];
    out.read_exact(&mut one).expect("some output");
    drop(out);
    let status = child.wait().expect("exits");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr text");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        status.success() || status.code() == Some(0),
        "{status:?} {err}"
    );
}

#[test]
fn cat_width_below_two_is_an_error_naming_the_option() {
    let home = tempfile::tempdir().expect("tempdir");
    let page = home.path().join("page.txt");
    std::fs::write(&page, "## 标题\n\n正文。\n").expect("write page");
    let page = page.to_str().expect("utf-8 path");
    for w in ["0", "1"] {
        let o = dubao(&["cat", page, "--width", w], home.path());
        assert_eq!(o.status.code(), Some(2), "{w}: a usage error");
        let err = stderr(&o);
        assert!(err.contains("--width"), "{err}");
        assert!(err.contains("2.."), "says what is allowed: {err}");
    }
    let o = dubao(&["cat", page, "--width", "2"], home.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn bookmarks_are_listed_newest_first_as_in_the_reader() {
    use dubao::model::{ArticleId, TextPos, title_hash};
    let home = tempfile::tempdir().expect("tempdir");
    let state = home.path().join("state");
    let (mut s, _) = dubao::state::Store::open(&state);
    let id = |page: &str, title: &str| ArticleId {
        page: page.into(),
        title_hash: title_hash(title),
        index: 0,
    };
    // Made in this order, a millisecond apart: old issue, new issue, old issue again.
    for (issue, page, title) in [
        ("2024-01-01", "2024-01-01/1.txt", "一"),
        ("2024-01-02", "2024-01-02/1.txt", "二"),
        ("2024-01-01", "2024-01-01/2.txt", "三"),
    ] {
        s.toggle_bookmark(&id(page, title), issue, title, TextPos::default());
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    s.save().expect("save");
    let reader: Vec<String> = dubao::ui::bookmarks::bookmark_list(&s)
        .iter()
        .map(|b| b.title.clone())
        .collect();
    assert_eq!(
        reader,
        ["三", "一", "二"],
        "the newest bookmark's issue first"
    );
    let state = state.to_str().expect("utf-8 path");
    let o = dubao(&["bookmarks", "--state-dir", state], home.path());
    let out = stdout(&o);
    let titles: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split("  ").next())
        .collect();
    assert_eq!(titles, reader, "{out}");
    let o = dubao(&["bookmarks", "--json", "--state-dir", state], home.path());
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let json: Vec<&str> = json
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|b| b["title"].as_str())
        .collect();
    assert_eq!(json, reader);
}

#[test]
fn each_subcommand_help_lists_only_the_options_it_uses() {
    let home = tempfile::tempdir().expect("tempdir");
    for (cmd, has, lacks) in [
        ("parse", &["--config"][..], &["--state-dir"][..]),
        ("cat", &["--config"], &["--state-dir"]),
        ("bookmarks", &["--state-dir"], &["--config"]),
        ("config", &["--config"], &["--state-dir"]),
        ("completions", &[], &["--config", "--state-dir"]),
    ] {
        let out = stdout(&dubao(&[cmd, "--help"], home.path()));
        for o in has {
            assert!(out.contains(o), "{cmd} --help lacks {o}:\n{out}");
        }
        for o in lacks {
            assert!(
                !out.contains(o),
                "{cmd} --help shows {o}, which it ignores:\n{out}"
            );
        }
    }
}
