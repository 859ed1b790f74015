//! The real binary in a pseudo-terminal: a vt100 emulator plays the terminal, draws what the
//! reader writes and answers its cursor-position and device-attributes queries (the start-up
//! probe and frame pacing). Shared by the end-to-end tests.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Tty {
    pub parser: vt100::Parser,
    pub rx: mpsc::Receiver<Vec<u8>>,
    pub writer: Box<dyn Write + Send>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Play a terminal that draws East Asian Ambiguous characters two cells wide: the
    /// answer to the second cursor-position request (after `“`) is one column further.
    pub amb_wide: bool,
    pub asked: usize,
}

impl Tty {
    pub fn start(args: &[&str], rows: u16, cols: u16) -> Tty {
        Tty::start_with(args, rows, cols, "xterm-256color")
    }

    pub fn start_with(args: &[&str], rows: u16, cols: u16, term: &str) -> Tty {
        Tty::start_env(args, rows, cols, &[("TERM", term)])
    }

    pub fn start_env(args: &[&str], rows: u16, cols: u16, env: &[(&str, &str)]) -> Tty {
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
        for (k, v) in env {
            cmd.env(k, v);
        }
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
            amb_wide: false,
            asked: 0,
        }
    }

    /// Feed output to the emulator (answering cursor-position requests) until `done` holds.
    pub fn wait_for(&mut self, what: &str, done: impl Fn(&str) -> bool) {
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

    /// Play the terminal: draw, and answer each cursor query (with the cursor where the
    /// bytes before it left it) and each device-attributes query, in order.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((at, len, cpr)) = next_query(rest) {
            self.parser.process(&rest[..at]);
            let answer = if cpr {
                self.asked += 1;
                let (row, col) = self.parser.screen().cursor_position();
                // The start-up probe's query follows `平“`: one column more when wide.
                let col = col + u16::from(self.amb_wide && self.asked == 1);
                format!("\x1b[{};{}R", row + 1, col + 1)
            } else {
                "\x1b[?62;22c".to_string()
            };
            self.writer.write_all(answer.as_bytes()).unwrap();
            rest = &rest[at + len..];
        }
        self.parser.process(rest);
    }

    /// What the emulated terminal shows now.
    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn resize(&mut self, rows: u16, cols: u16) {
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
    pub fn finish(&mut self) -> portable_pty::ExitStatus {
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

/// The first cursor (`CSI 6n`) or device-attributes (`CSI c`) query in `bytes`: where it
/// starts, its length, and whether it is the cursor query.
pub fn next_query(bytes: &[u8]) -> Option<(usize, usize, bool)> {
    let cpr = bytes.windows(4).position(|w| w == b"\x1b[6n");
    let da = bytes.windows(3).position(|w| w == b"\x1b[c");
    match (cpr, da) {
        (Some(c), Some(d)) if d < c => Some((d, 3, false)),
        (Some(c), _) => Some((c, 4, true)),
        (None, Some(d)) => Some((d, 3, false)),
        (None, None) => None,
    }
}
