//! `dubao cat` end to end on small pages (plain `## title` + paragraphs): width, blank lines
//! between blocks, flags and config, no escape codes in a pipe. Assertions are about layout,
//! not about what the parser makes of the headline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;
use std::process::{Command, Output};

use dubao::text::{AmbiguousWidth, width};

const PAGE: &str = "## 园林部门排查危树除隐患\n\n本报讯（记者 尚丽）受冷空气影响，我市气温骤降，大风天气频繁，为防止树木倾倒、树枝伤人，平城区园林绿化中心启动应急预案。\n\n为群众安全出行“保驾护航”。连日来，确保隐患整治“零漏洞”、安全责任“零缺位”。\n\n危险\u{1b}[2J字符\u{202e}。\n";

fn cat(dir: &Path, args: &[&str]) -> Output {
    let page = dir.join("page.txt");
    std::fs::write(&page, PAGE).expect("write page");
    let config = dir.join("config.toml");
    if !config.exists() {
        std::fs::write(&config, "").expect("write config");
    }
    Command::new(env!("CARGO_BIN_EXE_dubao"))
        .arg("cat")
        .arg(&page)
        .arg("--config")
        .arg(&config)
        .args(args)
        .output()
        .expect("run dubao")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn han(s: &str) -> String {
    s.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect()
}

#[test]
fn lines_fit_the_width_and_no_text_is_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    for w in ["12", "20", "33", "40", "41", "80"] {
        let out = stdout(&cat(dir.path(), &["--width", w]));
        let w: usize = w.parse().expect("number");
        for line in out.lines() {
            assert!(
                width(line, AmbiguousWidth::Narrow) <= w,
                "{line:?} wider than {w}"
            );
        }
        assert_eq!(han(&out), han(PAGE), "text lost or reordered at {w}");
        assert!(
            out.lines().any(str::is_empty),
            "no blank line between blocks"
        );
    }
}

#[test]
fn no_escape_codes_reach_a_pipe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = stdout(&cat(dir.path(), &["--width", "30"]));
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'));
    assert!(out.contains("危险␛[2J字符␦。"));
}

#[test]
fn default_width_in_a_pipe_is_80() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = stdout(&cat(dir.path(), &[]));
    let widest = out.lines().map(|l| width(l, AmbiguousWidth::Narrow)).max();
    assert!(widest.is_some_and(|w| w > 60 && w <= 80), "{widest:?}");
}

#[test]
fn ambiguous_width_and_indent_from_flags_and_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    let narrow = stdout(&cat(dir.path(), &["--width", "24"]));
    let wide = stdout(&cat(
        dir.path(),
        &["--width", "24", "--ambiguous-width", "2"],
    ));
    for line in wide.lines() {
        assert!(width(line, AmbiguousWidth::Wide) <= 24, "{line:?}");
    }
    let differs = (14..30).any(|w| {
        let w = w.to_string();
        stdout(&cat(dir.path(), &["--width", &w]))
            != stdout(&cat(dir.path(), &["--width", &w, "--ambiguous-width", "2"]))
    });
    assert!(differs, "quotes measured the same in both modes");
    let indented = stdout(&cat(dir.path(), &["--width", "24", "--indent"]));
    assert!(indented.lines().any(|l| l.starts_with("    本报讯")));
    assert!(!narrow.lines().any(|l| l.starts_with(' ')));

    std::fs::write(
        dir.path().join("config.toml"),
        "ambiguous_width = 2\nindent = true\n",
    )
    .expect("write config");
    let from_config = stdout(&cat(dir.path(), &["--width", "24"]));
    assert!(from_config.lines().any(|l| l.starts_with("    本报讯")));
    for line in from_config.lines() {
        assert!(width(line, AmbiguousWidth::Wide) <= 24, "{line:?}");
    }
    let flag_wins = stdout(&cat(
        dir.path(),
        &["--width", "24", "--ambiguous-width", "1"],
    ));
    assert_eq!(
        flag_wins, indented,
        "--ambiguous-width 1 must override the config"
    );
}

#[test]
fn article_out_of_range_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = cat(dir.path(), &["--article", "99"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no article 99"));
    assert!(cat(dir.path(), &["--article", "1"]).status.success());
}

/// Bold (the dateline lead-in here) is written with SGR only when asked: `--color always`;
/// `never` and a pipe (the default `auto`) get plain text.
#[test]
fn bold_escape_codes_only_with_color_always() {
    let dir = tempfile::tempdir().unwrap();
    let always = stdout(&cat(dir.path(), &["--color", "always"]));
    assert!(
        always.contains("\u{1b}[1m本报讯（记者 尚丽）\u{1b}[22m受冷空气影响"),
        "{always}"
    );
    // Nothing else is an escape code: the page's own ESC is still a placeholder.
    assert_eq!(always.matches('\u{1b}').count(), 2, "{always}");
    for args in [&["--color", "never"][..], &[]] {
        assert!(!stdout(&cat(dir.path(), args)).contains('\u{1b}'));
    }
}
