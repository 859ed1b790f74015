//! The config file: defaults, the commented default text, and errors that point at the line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;

use dubao::config::{self, Config, ConfigError, DEFAULT_TOML};

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml(text, Path::new("/home/u/.config/dubao/config.toml"))
}

fn err(text: &str) -> String {
    parse(text).expect_err("should be rejected").to_string()
}

#[test]
fn the_commented_default_is_the_default() {
    assert_eq!(
        parse(DEFAULT_TOML).expect("default parses"),
        Config::default()
    );
}

#[test]
fn every_commented_example_in_the_default_parses() {
    // Uncomment the `# key = value` lines; keep the explicit defaults they replace out.
    let mut out = String::new();
    let mut set = std::collections::HashSet::new();
    for line in DEFAULT_TOML.lines() {
        let example = line
            .strip_prefix("# ")
            .filter(|l| l.contains(" = ") && !l.contains("  "));
        if let Some(l) = example {
            set.insert(l.split(" = ").next().unwrap_or_default().to_string());
            out.push_str(l);
        } else if !line.contains(" = ") || line.starts_with('#') {
            out.push_str(line);
        }
        out.push('\n');
    }
    let cfg = parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(set.len() >= 10, "{set:?}");
    assert_eq!(cfg.ambiguous_width, Some(2));
    assert_eq!(cfg.keys["next_article"], ["n"]);
    assert_eq!(cfg.keys["half_page_down"], ["C-d"]);
    assert_eq!(cfg.colors["section"], "245");
    assert_eq!(cfg.library.len(), 2);
    assert_ne!(cfg, Config::default());
}

#[test]
fn a_full_config() {
    let cfg = parse(
        r##"
library = ["~/news"]
ambiguous_width = 1
indent = true
hang = false
mouse = false
ascii = true
measure = 80
section_labels = ["平城新语"]
[keys]
quit = "x"
next_issue = ["J", "C-n"]
[colors]
title = "#ffaa00"
"##,
    )
    .expect("parses");
    assert_eq!(cfg.amb(), Some(dubao::text::AmbiguousWidth::Narrow));
    assert!(cfg.indent);
    assert_eq!(cfg.measure, Some(80));
    assert_eq!(cfg.keys["quit"], ["x"]);
    assert_eq!(cfg.keys["next_issue"], ["J", "C-n"]);
    assert_eq!(cfg.section_labels, ["平城新语"]);
    let paths = cfg.library_paths();
    assert!(!paths[0].starts_with("~"), "{paths:?}");
    assert!(paths[0].ends_with("news"));
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let e = err("indent = true\n\nindnet = false\n");
    assert!(
        e.starts_with("/home/u/.config/dubao/config.toml:3:1: "),
        "{e}"
    );
    assert!(e.contains("indnet"), "{e}");
}

#[test]
fn wrong_value_names_the_dotted_key() {
    let e = err("indent = true\n[keys]\nquit = [\"q\", 3]\n");
    assert!(e.contains(":3:"), "{e}");
    assert!(e.contains("key `keys.quit`"), "{e}");
    let e = err("# comment\nambiguous_width = 3\n");
    assert!(e.contains(":2:"), "{e}");
    assert!(e.contains("key `ambiguous_width`"), "{e}");
    assert!(e.contains("1 or 2"), "{e}");
    let e = err("indent = \"yes\"\n");
    assert!(e.contains(":1:") && e.contains("key `indent`"), "{e}");
}

#[test]
fn measure_is_zero_or_a_usable_width() {
    assert_eq!(Config::default().measure, None);
    assert_eq!(parse("measure = 0\n").expect("0 = no cap").measure, Some(0));
    assert_eq!(parse("measure = 64\n").expect("64").measure, Some(64));
    let e = err("indent = true\nmeasure = 12\n");
    assert!(e.contains("config.toml:2:"), "{e}");
    assert!(e.contains("key `measure`"), "{e}");
    assert!(e.contains("at least 20"), "{e}");
    let e = err("measure = -1\n");
    assert!(e.contains(":1:") && e.contains("key `measure`"), "{e}");
}

#[test]
fn syntax_error_names_the_line() {
    let e = err("indent = true\nlibrary = [\"a\"\nmouse = true\n");
    assert!(e.contains("config.toml:"), "{e}");
    assert!(e.contains(":2:") || e.contains(":3:"), "{e}");
}

#[test]
fn unknown_table_is_named() {
    let e = err("[colours]\ntitle = \"red\"\n");
    assert!(e.contains(":1:") && e.contains("colours"), "{e}");
}

#[test]
fn missing_file_is_default_unreadable_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("config.toml");
    assert_eq!(config::load(&missing).expect("default"), Config::default());
    // A folder where the file should be cannot be read as a file.
    std::fs::create_dir(&missing).expect("mkdir");
    let e = config::load(&missing).expect_err("unreadable").to_string();
    assert!(e.contains("config.toml"), "{e}");
    let file = dir.path().join("other.toml");
    std::fs::write(&file, "mouse = 1\n").expect("write");
    let e = config::load(&file).expect_err("bad value").to_string();
    assert!(e.contains("other.toml:1:") && e.contains("mouse"), "{e}");
}

#[test]
fn default_path_is_under_the_config_dir() {
    if let Some(p) = config::default_path() {
        assert!(p.ends_with("dubao/config.toml"), "{}", p.display());
    }
}

/// `dubao config` on a file: (exit code, stdout, stderr).
fn check_file(text: &str) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().expect("tempdir");
    let path = home.path().join("config.toml");
    std::fs::write(&path, text).expect("write");
    check_file_at(&path)
}

fn check_file_at(path: &Path) -> (Option<i32>, String, String) {
    let home = path.parent().expect("a folder");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(["config", "--config"])
        .arg(path)
        .env("XDG_CONFIG_HOME", home)
        .env("HOME", home)
        .output()
        .expect("run dubao");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_keymap_without_a_quit_or_help_key_is_rejected() {
    for text in [
        "[keys]\nquit = []\n",
        "[keys]\nline_down = [\"q\", \"C-c\"]\n",
        "[keys]\nhelp = []\n",
    ] {
        let (code, out, err) = check_file(text);
        assert_eq!(code, Some(1), "{text}: {out} {err}");
        assert!(out.contains("invalid"), "{out}");
        assert!(err.contains("must keep a key"), "{text}: {err}");
    }
    let (code, out, _) = check_file("[keys]\nquit = [\"x\"]\nline_down = [\"q\"]\n");
    assert_eq!(code, Some(0), "{out}");
    let (code, _, err) = check_file("[keys]\nfly = [\"x\"]\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("unknown action `fly`"), "{err}");
}

/// What the reader says of a config at start-up: its warnings, or the problems it stops on.
fn reader_complaints(path: &Path) -> Vec<String> {
    use clap::Parser;
    let state = tempfile::tempdir().expect("tempdir");
    let state = state.path().to_str().expect("utf-8 temp path");
    let cli = dubao::cli::Cli::parse_from(["dubao", "--state-dir", state]);
    let file = config::read(path).expect("readable");
    match dubao::cli::reader::setup_with_file(&cli.reader, &cli.global, &file, |_| None) {
        Ok(setup) => setup.warnings,
        Err(e) => e.to_string().lines().map(str::to_string).collect(),
    }
}

const BAD: &[&str] = &[
    // The reader goes on with warnings for these…
    "[keys]\nfly = \"x\"\nnext_article = [\"j\", \"Hyper-x\"]\n[colors]\ntitle = \"reddish\"\n",
    "[keys]\nline_down = [\"x\"]\nnext_article = [\"y\", \"x\"]\nprev_article = \"y\"\n",
    "[keys]\nquit = []\nhelp = \"x\"\n[colors]\ntitel = \"red\"\n",
    // …and stops on these, naming every problem.
    "indnet = true\nmeasure = 5\n[keys]\nfly = \"x\"\nquit = 3\n[colours]\na = 1\n",
    "library = [\"a\"\nmouse = yes\n[keys]\nline_down = \"Hyper-j\"\n",
];

#[test]
fn dubao_config_reports_exactly_what_the_reader_complains_of() {
    for text in BAD {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).expect("write");
        let (code, out, err) = check_file_at(&path);
        assert_eq!(code, Some(1), "{text}: {out}");
        let reported: Vec<String> = err.lines().map(str::to_string).collect();
        assert!(
            reported.len() >= 2,
            "{text}: every problem, not the first: {err}"
        );
        assert!(
            out.contains(&format!("invalid ({} problems)", reported.len())),
            "{out}"
        );
        let p = path.display().to_string();
        for line in &reported {
            assert!(line.starts_with(&format!("{p}:")), "{line}");
            let place = line[p.len() + 1..].split(':').take(2);
            assert!(place.map(str::parse::<usize>).all(|n| n.is_ok()), "{line}");
        }
        assert_eq!(reader_complaints(&path), reported, "{text}");
    }
}

#[test]
fn a_config_from_elsewhere_names_the_key() {
    let mut cfg = Config::default();
    cfg.keys.insert("fly".into(), vec!["x".into()]);
    let cli = {
        use clap::Parser;
        dubao::cli::Cli::parse_from(["dubao", "--state-dir", "/nonexistent"])
    };
    let setup = dubao::cli::reader::setup(&cli.reader, &cli.global, &cfg, |_| None).unwrap();
    assert_eq!(
        setup.warnings,
        ["config: key `keys.fly`: unknown action `fly`"]
    );
}

#[test]
fn every_problem_is_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        "measure = 5\n[keys]\nfly = \"x\"\nquit = [\"q\", \"Hyper-x\"]\nnext_article = \"q\"\n[colors]\ntitle = \"reddish\"\n",
    )
    .expect("write");
    let (_, _, err) = check_file_at(&path);
    let p = path.display().to_string();
    let got: Vec<&str> = err.lines().map(|l| &l[p.len()..]).collect();
    assert_eq!(
        got,
        [
            ":1:11: key `measure`: measure must be 0 (no limit) or at least 20 cells, not 5",
            ":3:1: key `keys.fly`: unknown action `fly`",
            ":4:14: key `keys.quit`: cannot read key `Hyper-x`",
            ":5:16: key `keys.next_article`: `q` is already bound to `quit`; this binding is ignored",
            ":7:1: key `colors.title`: cannot read colour `reddish`",
        ]
    );
}
