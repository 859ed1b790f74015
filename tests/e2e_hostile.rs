//! The real binary in a pseudo-terminal on an issue whose second page is a FIFO (which would
//! block `open(2)` forever): the reader shows the good page and a ✗ naming the FIFO, `q`
//! quits at once, and so does SIGTERM. A hang fails the test after 20 s, not never.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Reader {
    screen: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Reader {
    fn start(issue: &Path, state: &Path) -> Reader {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dubao"));
        cmd.arg(issue);
        // A fixed width: no start-up probe to answer.
        cmd.args(["--ambiguous-width", "1", "--state-dir"]);
        cmd.arg(state);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        let child = pair.slave.spawn_command(cmd).expect("spawn dubao");
        drop(pair.slave);
        let mut out = pair.master.try_clone_reader().expect("reader");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Reader {
            screen: vt100::Parser::new(24, 100, 0),
            output: rx,
            keys: pair.master.take_writer().expect("writer"),
            child,
            _master: pair.master,
        }
    }

    fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !done(&self.screen.screen().contents()) {
            assert!(
                Instant::now() < deadline,
                "no {what}; screen:\n{}",
                self.screen.screen().contents()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(50)) {
                self.screen.process(&bytes);
            }
        }
    }

    /// How long the process took to end after `since`; fails after 20 s.
    fn exit_after(&mut self, since: Instant) -> (portable_pty::ExitStatus, Duration) {
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                let took = since.elapsed();
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                    self.screen.process(&bytes);
                }
                return (status, took);
            }
            assert!(since.elapsed() < Duration::from_secs(20), "dubao hung");
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(10)) {
                self.screen.process(&bytes);
            }
        }
    }
}

/// An issue folder: a good first page, and a FIFO as its second.
fn issue_with_a_fifo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("2026-11-28");
    std::fs::create_dir_all(&issue).expect("mkdir");
    std::fs::write(
        issue.join("01.txt"),
        "# 平城区全方位提升人才干事创业激情\n\n　　今年以来，平城区坚持把人才工作摆在重要位置。\n",
    )
    .expect("write");
    let ok = std::process::Command::new("mkfifo")
        .arg(issue.join("02.txt"))
        .status()
        .expect("mkfifo");
    assert!(ok.success());
    (dir, issue)
}

#[test]
fn a_fifo_page_is_an_error_and_q_quits_at_once() {
    let (dir, issue) = issue_with_a_fifo();
    let mut reader = Reader::start(&issue, &dir.path().join("state"));
    reader.wait_for("the good page", |s| s.contains("平城区全方位提升人才"));
    // The status line reports the page that could not be read.
    reader.wait_for("the error", |s| s.contains("FIFO") || s.contains('✗'));
    reader.keys.write_all(b"q").expect("q");
    reader.keys.flush().expect("flush");
    let (status, took) = reader.exit_after(Instant::now());
    assert!(status.success(), "{status:?}");
    assert!(!reader.screen.screen().alternate_screen());
    eprintln!("quit took {took:?}");
}

#[test]
fn sigterm_with_a_fifo_page_ends_the_reader() {
    let (dir, issue) = issue_with_a_fifo();
    let mut reader = Reader::start(&issue, &dir.path().join("state"));
    reader.wait_for("the good page", |s| s.contains("平城区全方位提升人才"));
    let pid = reader.child.process_id().expect("pid");
    let sent = Instant::now();
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
    let (status, took) = reader.exit_after(sent);
    assert_eq!(status.exit_code(), 128 + 15, "{status:?}");
    assert!(!reader.screen.screen().alternate_screen());
    eprintln!("SIGTERM to exit took {took:?}");
}
