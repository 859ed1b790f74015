//! The real binary in a pseudo-terminal, driven as a user would: start on a page with four
//! stories, open the third headline, read its text off the screen (a vt100 emulator plays
//! the terminal, and answers the start-up cursor-position probe), resize, quit, exit 0.
//! Then SIGHUP: the reader must leave promptly and restore the terminal.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

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

struct Tty {
    parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
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
            master: pair.master,
            child,
        }
    }

    /// Feed output to the emulator (answering cursor-position requests) until `done` holds.
    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.parser.screen().contents();
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

    fn feed(&mut self, bytes: &[u8]) {
        let asks = bytes.windows(4).filter(|w| w == b"\x1b[6n").count();
        self.parser.process(bytes);
        for _ in 0..asks {
            let (row, col) = self.parser.screen().cursor_position();
            let answer = format!("\x1b[{};{}R", row + 1, col + 1);
            self.writer.write_all(answer.as_bytes()).unwrap();
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser.screen_mut().set_size(rows, cols);
    }

    /// Wait for the process to end, draining its output; returns its exit status.
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

fn setup() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("2026-11-28.txt");
    std::fs::write(&page, PAGE).unwrap();
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
