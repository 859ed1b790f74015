//! The real binary in a pseudo-terminal on a two-paper archive (issue 13): go to a date
//! with the `:` prompt, read into a long story, quit, start again from the paper's folder
//! instead of the library's, and find the same paragraph at the top. A vt100 emulator plays
//! the terminal and answers the start-up probe (`pty_support`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;

mod pty_support;
use pty_support::Tty;

/// Paragraph markers: every line of paragraph k of the long story holds only MARKS[k] and
/// punctuation, so the paragraph at the top can be read off the screen.
const MARKS: [char; 8] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'];

fn page(paper: &str, day: &str, long: bool) -> String {
    let mut page = format!(
        "# {paper}要闻\n\n　　{day}，正文很短。\n\n## {paper}短讯\n\n　　短讯也很短。\n\n## {paper}长文\n\n"
    );
    if long {
        for m in MARKS {
            let clause: String = std::iter::repeat_n(m, 7).collect();
            let para: Vec<String> = (0..9).map(|_| clause.clone()).collect();
            page.push_str(&format!("　　{}。\n\n", para.join("，")));
        }
    } else {
        page.push_str("　　长文不长。\n");
    }
    page
}

/// papers/大同日报/{2026-11-28,27,25} and papers/晚报/{2026-11-28,26}, one page each; the
/// 27th of 大同日报 has the long story.
fn archive(root: &Path) {
    for (paper, day) in [
        ("大同日报", "2026-11-28"),
        ("大同日报", "2026-11-27"),
        ("大同日报", "2026-11-25"),
        ("晚报", "2026-11-28"),
        ("晚报", "2026-11-26"),
    ] {
        let dir = root.join("papers").join(paper).join(day);
        std::fs::create_dir_all(&dir).unwrap();
        let long = paper == "大同日报" && day == "2026-11-27";
        std::fs::write(dir.join("01.txt"), page(paper, day, long)).unwrap();
    }
}

fn top_paragraph(screen: &str) -> Option<char> {
    screen
        .lines()
        .skip(1)
        .map(|l| l.rsplit('│').next().unwrap_or(l))
        .find_map(|l| l.chars().find(|c| MARKS.contains(c)))
}

fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

#[test]
fn go_to_a_date_read_quit_and_restart_from_the_paper_folder() {
    let dir = tempfile::tempdir().unwrap();
    archive(dir.path());
    let papers = dir.path().join("papers").display().to_string();
    let paper = dir.path().join("papers/大同日报").display().to_string();
    let state = dir.path().join("state").display().to_string();
    let args = |root: &str| vec![root.to_string(), "--state-dir".into(), state.clone()];
    let run = |root: &str, rows, cols| {
        let a = args(root);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        Tty::start(&a, rows, cols)
    };

    let mut tty = run(&papers, 30, 100);
    tty.wait_for("both papers in the issue list", |s| {
        s.contains("大同日报") && s.contains("晚报") && s.contains("2026-11-28 周六")
    });
    // Unread counts for all five issues, though only the first was opened: the summary
    // thread counted the others (three stories each).
    tty.wait_for("unread counts on every issue", |s| {
        let counted = s.lines().filter(|l| {
            let list = l.split('│').next().unwrap_or("");
            list.contains("2026-11-2") && list.trim_end().ends_with(" 3")
        });
        counted.count() == 5
    });
    tty.keys(":");
    tty.wait_for("the date prompt", |s| status(s).contains("go to date:"));
    tty.keys("11-27\r");
    tty.wait_for("the 27th of 大同日报", |s| {
        status(s).contains("大同日报 · 2026-11-27 周五") && s.contains("大同日报长文")
    });
    // The headlines, the third story, into it.
    tty.keys("\tjj\r");
    tty.wait_for("the long story", |s| top_paragraph(s) == Some('甲'));
    tty.keys(&"j".repeat(40));
    tty.wait_for("a later paragraph", |s| {
        top_paragraph(s).is_some_and(|m| m != '甲' && m != MARKS[7])
    });
    // A round trip through the help makes sure the last key's frame is on screen.
    tty.keys("?");
    tty.wait_for("help", |s| s.contains("─ keys "));
    tty.keys("\x1b");
    tty.wait_for("help closed", |s| !s.contains("─ keys "));
    let before = top_paragraph(&tty.screen()).unwrap();
    tty.keys("q");
    assert!(tty.finish().success());

    // From the paper's folder: another library key, the same issue ids and positions.
    let mut again = run(&paper, 20, 60);
    again.wait_for("the same paragraph of the same story", |s| {
        status(s).contains("2026-11-27") && top_paragraph(s) == Some(before)
    });
    again.keys("q");
    assert!(again.finish().success());
}
