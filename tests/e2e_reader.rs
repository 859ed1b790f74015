//! The real binary in a pseudo-terminal, driven as a user would: start on a page with four
//! stories, open the third headline, read its text off the screen (a vt100 emulator plays
//! the terminal, and answers the start-up cursor-position probe), resize, quit, exit 0.
//! Then SIGHUP: the reader must leave promptly and restore the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::time::{Duration, Instant};

mod pty_support;
use pty_support::Tty;

const PAGE: &str = "\
# 平城区全方位提升人才干事创业激情

本报记者 孙露

　　今年以来，平城区坚持把人才工作摆在发展全局的重要位置，先后出台了十二条具体措施。

## 确保“双减”工作落地落实

　　区教育局召开专题会议，部署课后服务和作业管理工作，要求各校建立台账。

## 公园绿地巡查力度加大

　　银杏大道落叶清扫完毕，园林部门加强了对主次干道、公园绿地等重点区域的巡查力度。

## 安全防线背后的安全共识

　　燃气安全宣传进社区活动持续开展，居民参与热情很高。
";

fn setup() -> (tempfile::TempDir, String, String) {
    setup_with(PAGE)
}

fn setup_with(text: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("2026-11-28.txt");
    std::fs::write(&page, text).unwrap();
    let state = dir.path().join("state");
    (dir, page.display().to_string(), state.display().to_string())
}

#[test]
fn open_third_headline_read_resize_quit() {
    let (_dir, page, state) = setup();
    let mut tty = Tty::start(&[&page, "--state-dir", &state], 30, 100);
    tty.wait_for("the headline list", |s| s.contains("公园绿地巡查力度加大"));
    // Focus the headlines (the first story is selected), two down, open.
    tty.keys("\tjj\r");
    tty.wait_for("the third story's text", |s| {
        s.lines()
            .any(|l| l.contains("│ 银杏大道落叶清扫完毕") || l.starts_with(" 银杏大道落叶清扫完毕"))
    });
    let screen = tty.parser.screen().contents();
    assert!(
        screen.contains("3/4"),
        "status line says article 3 of 4:\n{screen}"
    );
    tty.resize(20, 60);
    tty.wait_for("the same story after the resize", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.contains("公园绿地巡查力度加大"))
            && s.contains("银杏大道落叶")
    });
    tty.keys("q");
    let status = tty.finish();
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !tty.parser.screen().alternate_screen(),
        "alternate screen left"
    );
}

#[test]
fn sighup_saves_and_leaves_promptly() {
    let (_dir, page, state) = setup();
    let mut tty = Tty::start(
        &[&page, "--state-dir", &state, "--ambiguous-width", "1"],
        24,
        80,
    );
    tty.wait_for("the reader", |s| {
        s.contains("平城区全方位提升人才干事创业激情")
    });
    let pid = tty.child.process_id().expect("pid");
    let ok = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = tty.finish();
    assert_eq!(status.exit_code(), 129, "128 + SIGHUP: {status:?}");
    assert!(
        !tty.parser.screen().alternate_screen(),
        "alternate screen left"
    );
}

/// Paragraph markers: every line of paragraph k holds only MARKS[k] and punctuation, so the
/// paragraph at the top of the body can be read off the screen at any width.
const MARKS: [char; 8] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'];

fn long_page() -> String {
    let mut page = String::from(
        "# 第一篇报道\n\n　　第一篇的正文很短。\n\n## 第二篇报道\n\n　　第二篇的正文也很短。\n\n## 第三篇长文\n\n",
    );
    for m in MARKS {
        let clause: String = std::iter::repeat_n(m, 7).collect();
        let para: Vec<String> = (0..9).map(|_| clause.clone()).collect();
        page.push_str(&format!("　　{}。\n\n", para.join("，")));
    }
    page
}

/// The marker of the first body line that has one (the body is the right-most text on
/// each row below the header).
fn top_paragraph(screen: &str) -> Option<char> {
    screen
        .lines()
        .skip(1)
        .map(|l| l.rsplit('│').next().unwrap_or(l))
        .find_map(|l| l.chars().find(|c| MARKS.contains(c)))
}

/// Read into the middle of the third article at 100x30, leave with `leave`, restart at
/// 60x20: the same article, the same paragraph at the top.
fn position_survives(leave: &str) {
    let (_dir, page, state) = setup_with(&long_page());
    let mut tty = Tty::start(
        &[&page, "--state-dir", &state, "--ambiguous-width", "1"],
        30,
        100,
    );
    tty.wait_for("the headlines", |s| s.contains("第三篇长文"));
    tty.keys("\tjj\r");
    tty.wait_for("the long article", |s| top_paragraph(s) == Some('甲'));
    tty.keys(&"j".repeat(40));
    tty.wait_for("scrolled into a later paragraph", |s| {
        top_paragraph(s).is_some_and(|m| m != '甲' && m != MARKS[7])
    });
    // Let the last key's frame arrive before reading the place.
    tty.keys("?");
    // The help box's title: `keys (Esc closes)`, or `keys 1–21 of 28 (j k, Esc)` when it
    // does not fit.
    tty.wait_for("help", |s| s.contains("─ keys "));
    tty.keys("\x1b");
    tty.wait_for("help closed", |s| !s.contains("─ keys "));
    let before = top_paragraph(&tty.parser.screen().contents()).unwrap();
    if leave == "q" {
        tty.keys("q");
        assert!(tty.finish().success());
    } else {
        let pid = tty.child.process_id().expect("pid").to_string();
        let sig = format!("-{leave}");
        let sent = std::process::Command::new("kill")
            .args([sig.as_str(), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let code = if leave == "HUP" { 129 } else { 143 };
        assert_eq!(tty.finish().exit_code(), code);
        assert!(
            !tty.parser.screen().alternate_screen(),
            "terminal restored after SIG{leave}"
        );
    }
    let mut again = Tty::start(
        &[&page, "--state-dir", &state, "--ambiguous-width", "1"],
        20,
        60,
    );
    again.wait_for("the same paragraph after the restart", |s| {
        s.lines().next().is_some_and(|l| l.contains("第三篇长文"))
            && top_paragraph(s) == Some(before)
    });
    again.keys("q");
    assert!(again.finish().success());
}

#[test]
fn quit_and_restart_at_another_width_keeps_the_paragraph() {
    position_survives("q");
}

#[test]
fn sighup_while_reading_then_restart_keeps_the_paragraph() {
    position_survives("HUP");
}

#[test]
fn sigterm_while_reading_then_restart_keeps_the_paragraph() {
    position_survives("TERM");
}

#[test]
fn mouse_click_opens_a_headline_and_the_wheel_scrolls() {
    let (_dir, page, state) = setup_with(&long_page());
    let mut tty = Tty::start(
        &[&page, "--state-dir", &state, "--ambiguous-width", "1"],
        30,
        100,
    );
    tty.wait_for("the headlines", |s| s.contains("第三篇长文"));
    // The third headline's row: header, page rule, then one row per story.
    let screen = tty.parser.screen().contents();
    let row = screen
        .lines()
        .position(|l| l.contains("第三篇长文"))
        .expect("row");
    let x = 45; // inside the headline pane (it starts after the 36-column issue list)
    tty.keys(&format!(
        "\x1b[<0;{};{}M\x1b[<0;{};{}m",
        x,
        row + 1,
        x,
        row + 1
    ));
    tty.wait_for("the third story in the body", |s| {
        top_paragraph(s) == Some('甲')
    });
    // Wheel down over the body (right half of the screen), three times three lines.
    tty.keys("\x1b[<65;80;15M\x1b[<65;80;15M\x1b[<65;80;15M\x1b[<65;80;15M\x1b[<65;80;15M");
    tty.wait_for("the body scrolled", |s| {
        top_paragraph(s).is_some_and(|m| m != '甲')
    });
    tty.keys("q");
    assert!(tty.finish().success());
}

#[test]
fn without_a_terminal_it_says_so_and_fails() {
    let (_dir, page, state) = setup();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args([&page, "--state-dir", &state])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn runs_under_the_terminal_types_of_ssh_users() {
    for term in [
        "screen-256color",
        "tmux-256color",
        "linux",
        "xterm-256color",
    ] {
        let (_dir, page, state) = setup();
        let mut tty = Tty::start_with(&[&page, "--state-dir", &state], 24, 80, term);
        tty.wait_for(term, |s| s.contains("公园绿地巡查力度加大"));
        tty.keys("q");
        assert!(tty.finish().success(), "{term}");
        assert!(
            !tty.parser.screen().alternate_screen(),
            "{term}: terminal restored"
        );
    }
}

#[test]
fn no_color_and_a_non_utf8_locale_are_honoured() {
    let (_dir, page, state) = setup();
    let env = [("NO_COLOR", "1"), ("LC_ALL", "C")];
    let mut tty = Tty::start_env(&[&page, "--state-dir", &state], 24, 100, &env);
    tty.wait_for("the reader", |s| s.contains("公园绿地巡查力度加大"));
    let screen = tty.parser.screen();
    for row in 0..24 {
        for col in 0..100 {
            let cell = screen.cell(row, col).unwrap();
            assert_eq!(
                cell.fgcolor(),
                vt100::Color::Default,
                "colour at {row},{col}"
            );
            assert_eq!(
                cell.bgcolor(),
                vt100::Color::Default,
                "colour at {row},{col}"
            );
        }
    }
    let text = screen.contents();
    assert!(
        text.contains('|') && !text.contains('│'),
        "ASCII borders:\n{text}"
    );
    tty.keys("q");
    assert!(tty.finish().success());
}

#[test]
fn the_start_up_probe_finds_a_terminal_with_wide_ambiguous_characters() {
    // A terminal that answers “ two columns on: the reader must switch to wide mode, where
    // box drawing (ambiguous too) gives way to ASCII and quotes take two cells.
    let (_dir, page, state) = setup();
    let mut tty = Tty::start(&[&page, "--state-dir", &state], 24, 100);
    tty.amb_wide = true;
    tty.wait_for("the reader", |s| s.contains("公园绿地巡查力度加大"));
    // One cursor query for the width (the first), then one after each frame (pacing).
    assert!(tty.asked >= 2, "asked {}", tty.asked);
    let text = tty.parser.screen().contents();
    assert!(
        text.contains('|') && !text.contains('│'),
        "wide mode borders:\n{text}"
    );
    tty.keys("q");
    assert!(tty.finish().success());

    // The same terminal answering narrow: box drawing.
    let (_dir2, page2, state2) = setup();
    let mut narrow = Tty::start(&[&page2, "--state-dir", &state2], 24, 100);
    narrow.wait_for("the reader", |s| s.contains("公园绿地巡查力度加大"));
    assert!(narrow.asked >= 2);
    assert!(narrow.parser.screen().contents().contains('│'));
    narrow.keys("q");
    assert!(narrow.finish().success());
}

#[test]
fn a_bookmark_with_a_note_survives_a_restart_and_jumps_back() {
    let (_dir, page, state) = setup_with(&long_page());
    let args = [
        page.as_str(),
        "--state-dir",
        &state,
        "--ambiguous-width",
        "1",
    ];
    let mut tty = Tty::start(&args, 30, 100);
    tty.wait_for("the headlines", |s| s.contains("第三篇长文"));
    tty.keys("\tjj\r");
    tty.wait_for("the long article", |s| top_paragraph(s) == Some('甲'));
    tty.keys(&"j".repeat(30));
    tty.wait_for("scrolled", |s| top_paragraph(s).is_some_and(|m| m != '甲'));
    tty.keys("b");
    tty.wait_for("bookmarked", |s| s.contains("bookmarked"));
    let place = top_paragraph(&tty.parser.screen().contents()).unwrap();
    // Note it: B, e, type, Enter.
    tty.keys("Be好文\r");
    tty.wait_for("note saved", |s| s.contains("note saved"));
    // q closes the list (it no longer quits from inside it), g goes to the top, q quits.
    tty.keys("qgq");
    assert!(tty.finish().success());

    let mut again = Tty::start(&args, 24, 80);
    again.wait_for("the reader", |s| s.contains("第三篇长文"));
    // Elsewhere first: the top of the first article.
    again.keys("\t\tgg");
    again.keys("B");
    again.wait_for("the list with the note", |s| {
        s.contains("第三篇长文") && s.contains("— 好文")
    });
    again.keys("\r");
    again.wait_for("the bookmarked paragraph", |s| {
        top_paragraph(s) == Some(place)
    });
    again.keys("q");
    assert!(again.finish().success());

    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(["bookmarks", "--state-dir", &state])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.contains("第三篇长文") && text.contains("好文"),
        "dubao bookmarks:\n{text}"
    );
}

#[test]
fn a_corrupt_state_file_is_moved_aside_and_the_reader_starts_and_says_so() {
    let (_dir, page, state) = setup();
    std::fs::create_dir_all(&state).unwrap();
    let bad = std::path::Path::new(&state).join("state.json");
    std::fs::write(&bad, b"{\"version\": 1, \"articles\": {\"x\": [1, 2").unwrap();
    let mut tty = Tty::start(
        &[&page, "--state-dir", &state, "--ambiguous-width", "1"],
        24,
        100,
    );
    // The message names the file moved aside, wider than the status line: it is counted
    // there, and `!` shows it whole.
    tty.wait_for("the reader with the warning counted", |s| {
        s.contains("平城区全方位提升人才干事创业激情") && s.contains("1 warning — ! to read")
    });
    tty.keys("!");
    tty.wait_for("the warning whole", |s| s.contains("moved aside"));
    // q closes the box, then quits.
    tty.keys("q");
    tty.wait_for("the box closed", |s| !s.contains("moved aside"));
    let aside: Vec<String> = std::fs::read_dir(&state)
        .unwrap()
        .filter_map(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("state.json.bad-"))
        .collect();
    assert_eq!(aside.len(), 1, "one file moved aside: {aside:?}");
    let kept = std::fs::read(std::path::Path::new(&state).join(&aside[0])).unwrap();
    assert_eq!(
        kept, b"{\"version\": 1, \"articles\": {\"x\": [1, 2",
        "kept as it was"
    );
    tty.keys("q");
    let status = tty.finish();
    assert!(status.success(), "exit status {status:?}");
}

/// The process state letter from /proc (T: stopped).
fn proc_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(')')
        .next()
        .and_then(|r| r.trim_start().chars().next())
        .unwrap_or('?')
}

fn wait_state(pid: u32, want: char) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while proc_state(pid) != want {
        assert!(
            Instant::now() < deadline,
            "state {} not {want}",
            proc_state(pid)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_z_and_sigtstp_give_the_terminal_back_and_sigcont_redraws() {
    let (_dir, page, state) = setup();
    let mut tty = Tty::start(&[&page, "--state-dir", &state], 24, 80);
    tty.wait_for("the reader", |s| s.contains("公园绿地巡查力度加大"));
    let pid = tty.child.process_id().expect("pid");
    for stop in ["\x1a", "TSTP"] {
        if stop == "TSTP" {
            let sent = std::process::Command::new("kill")
                .args(["-TSTP", &pid.to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
        } else {
            tty.keys(stop);
        }
        wait_state(pid, 'T');
        while let Ok(bytes) = tty.rx.recv_timeout(Duration::from_millis(200)) {
            tty.feed(&bytes);
        }
        assert!(
            !tty.parser.screen().alternate_screen(),
            "{stop:?}: the terminal is given back before stopping"
        );
        // Scribble on the main screen, as the shell would.
        tty.parser.process(b"\x1b[2J$ ");
        let sent = std::process::Command::new("kill")
            .args(["-CONT", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        tty.wait_for("the reader again", |s| s.contains("公园绿地巡查力度加大"));
        assert!(tty.parser.screen().alternate_screen());
    }
    // Raw mode again: a key is read as soon as it is typed.
    tty.keys("?");
    tty.wait_for("help", |s| s.contains("─ keys "));
    // q closes the help, a second q quits.
    tty.keys("q");
    tty.wait_for("help closed", |s| !s.contains("─ keys "));
    tty.keys("q");
    assert!(tty.finish().success());
}
