//! The real binary in a pseudo-terminal on a two-paper archive (issue 13): go to a date
//! with the `:` prompt, read into a long story, quit, start again from the paper's folder
//! instead of the library's, and find the same paragraph at the top. A vt100 emulator plays
//! the terminal and answers the start-up probe (the harness of `e2e_reader.rs`, trimmed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Tty {
    parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tty {
    fn start(args: &[&str], rows: u16, cols: u16) -> Tty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dubao"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn dubao");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Tty {
            parser: vt100::Parser::new(rows, cols, 0),
            rx,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Feed output to the emulator (answering its queries) until `done` holds.
    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            if let Ok(bytes) = self.rx.recv_timeout(Duration::from_millis(50)) {
                self.feed(&bytes);
            }
        }
    }

    /// Draw, answering each cursor query with where the bytes before it left the cursor
    /// and each device-attributes query, in order.
    fn feed(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        loop {
            let cpr = rest.windows(4).position(|w| w == b"\x1b[6n");
            let da = rest.windows(3).position(|w| w == b"\x1b[c");
            let (at, len, is_cpr) = match (cpr, da) {
                (Some(c), Some(d)) if d < c => (d, 3, false),
                (Some(c), _) => (c, 4, true),
                (None, Some(d)) => (d, 3, false),
                (None, None) => break,
            };
            self.parser.process(&rest[..at]);
            let answer = if is_cpr {
                let (row, col) = self.parser.screen().cursor_position();
                format!("\x1b[{};{}R", row + 1, col + 1)
            } else {
                "\x1b[?62;22c".to_string()
            };
            self.writer.write_all(answer.as_bytes()).unwrap();
            rest = &rest[at + len..];
        }
        self.parser.process(rest);
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn finish(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(bytes) = self.rx.recv_timeout(Duration::from_millis(100)) {
                    self.feed(&bytes);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "dubao did not exit");
            if let Ok(bytes) = self.rx.recv_timeout(Duration::from_millis(50)) {
                self.feed(&bytes);
            }
        }
    }
}

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
