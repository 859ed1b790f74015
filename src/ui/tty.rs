//! The local-terminal driver: one [`Session`] on this process's own tty.
//!
//! Set-up: raw mode, alternate screen, bracketed paste, optional mouse reporting, and a
//! guard that restores the terminal whatever happens (normal exit, early `?`, unwinding; the
//! process-level panic hook does it for a panic). Input bytes are read on a thread and
//! parsed (`input.rs`); they go down one channel together with the signals (`process.rs`)
//! and the loader's wake-ups, so the loop blocks on one `recv` — no timer, no polling, zero
//! CPU while idle — and a dropped SSH connection saves state and leaves promptly without
//! `process::exit`. The only timeout is the session's own deadline (its start-up probe, or
//! a frame's unanswered cursor query).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::os::fd::AsFd;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Instant;

use anyhow::Context;
use ratatui::crossterm::{
    cursor::Show,
    execute, terminal,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGTSTP, SIGWINCH};

use super::input::InputParser;
use super::process::Process;
use super::session::{Flow, Input, Session, Setup};

/// What the loop waits for.
enum Msg {
    Input(Input),
    Signal(i32),
    Lost(io::Error),
}

/// Mouse reporting: button presses and the wheel only (mode 1000), in SGR encoding (1006).
/// Not crossterm's `EnableMouseCapture`, which also asks for every motion (1002, 1003):
/// over SSH each mouse movement would cross the network and wake the reader for nothing.
const MOUSE_ON: &str = "\u{1b}[?1000h\u{1b}[?1006h";
const MOUSE_OFF: &str = "\u{1b}[?1006l\u{1b}[?1000l";
const PASTE_ON: &str = "\u{1b}[?2004h";
const PASTE_OFF: &str = "\u{1b}[?2004l";

/// Restores the terminal when dropped.
struct TtyGuard {
    mouse: bool,
}

impl TtyGuard {
    fn enter(mouse: bool) -> io::Result<TtyGuard> {
        enable_raw_mode()?;
        let guard = TtyGuard { mouse };
        guard.resume()?;
        Ok(guard)
    }

    /// Raw mode, the alternate screen, paste and mouse modes (again, after a suspend).
    fn resume(&self) -> io::Result<()> {
        enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen)?;
        out.write_all(PASTE_ON.as_bytes())?;
        if self.mouse {
            out.write_all(MOUSE_ON.as_bytes())?;
        }
        out.flush()
    }
}

impl Drop for TtyGuard {
    fn drop(&mut self) {
        restore(self.mouse);
    }
}

/// Undo the set-up; every step is tried even if one fails (the tty may be gone).
fn restore(mouse: bool) {
    let mut out = io::stdout();
    if mouse {
        let _ = out.write_all(MOUSE_OFF.as_bytes());
    }
    let _ = out.write_all(PASTE_OFF.as_bytes());
    let _ = out.flush();
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// The terminal's output without `Stdout`'s line buffering: a frame that scrolls has line
/// feeds in it, and `Stdout` would write it as two pieces (up to the last line feed, then
/// the rest at the flush) — two packets over SSH for one frame. The session's own
/// `BufWriter` decides when bytes go out: once per frame.
fn unbuffered_stdout() -> io::Result<File> {
    Ok(File::from(io::stdout().as_fd().try_clone_to_owned()?))
}

/// Refuse a terminal that cannot show the reader, with the reason on one line.
pub fn check_terminal(term: Option<&str>, tty: bool) -> anyhow::Result<()> {
    if !tty {
        anyhow::bail!("the reader needs a terminal; `dubao cat FILE` prints a page instead");
    }
    if term == Some("dumb") {
        anyhow::bail!(
            "this terminal (TERM=dumb) cannot show the reader; `dubao cat FILE` prints a page instead"
        );
    }
    Ok(())
}

/// Run the reader on this process's terminal until the user quits; returns the exit code.
/// The setup becomes the session's (its issue list is held once).
pub fn run(setup: Setup) -> anyhow::Result<i32> {
    let mouse = setup.opts.mouse;
    let tty = io::stdout().is_terminal() && io::stdin().is_terminal();
    check_terminal(std::env::var("TERM").ok().as_deref(), tty)?;
    // Signals first: a hang-up from now on ends the reader through the loop (saving state
    // and restoring the terminal), never by the default action.
    let process = Process::start()?;
    let (tx, rx) = mpsc::channel();
    let to = tx.clone();
    process.subscribe(move |sig| {
        let _ = to.send(Msg::Signal(sig));
    });
    process.on_panic(move || restore(mouse));
    let guard = TtyGuard::enter(mouse)?;
    process.set_screen_live(true);
    let size = terminal::size()?;
    let out = BufWriter::with_capacity(1 << 16, unbuffered_stdout()?);
    let to = tx.clone();
    let mut session = Session::new(setup, out, size, move || {
        let _ = to.send(Msg::Input(Input::Loaded));
    })?;
    let to = tx.clone();
    // Started by the session once the first screen is out.
    session.start_search(move || {
        let _ = to.send(Msg::Input(Input::Search));
    });
    spawn_input(tx);
    let outcome = drive(&mut session, &rx, &guard);
    let saved = session.finish();
    let _ = session.flush();
    process.close();
    drop(session);
    drop(guard);
    process.set_screen_live(false);
    process.forget_panic();
    saved.context("could not save reading state")?;
    outcome
}

fn drive(
    session: &mut Session<BufWriter<File>>,
    rx: &mpsc::Receiver<Msg>,
    guard: &TtyGuard,
) -> anyhow::Result<i32> {
    let mut flow = session.start(true, Instant::now())?;
    loop {
        match flow {
            Flow::Quit(code) => return Ok(code),
            Flow::Suspend => suspend(session, guard)?,
            Flow::Continue => {}
        }
        let msg = match session.deadline() {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => Msg::Input(Input::Timeout),
                Err(RecvTimeoutError::Disconnected) => return Ok(1),
            },
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => return Ok(1),
            },
        };
        let now = Instant::now();
        flow = match msg {
            Msg::Input(input) => session.handle(input, now)?,
            Msg::Signal(SIGWINCH) => {
                let (width, height) = terminal::size()?;
                session.handle(Input::Resize { width, height }, now)?
            }
            Msg::Signal(SIGTSTP) => {
                suspend(session, guard)?;
                Flow::Continue
            }
            Msg::Signal(SIGCONT) => {
                guard.resume()?;
                session.redraw(now)?;
                Flow::Continue
            }
            Msg::Signal(SIGHUP) => return Ok(129),
            Msg::Signal(sig) => return Ok(128 + sig),
            Msg::Lost(err) => return Err(err).context("terminal input lost"),
        };
    }
}

/// Give the terminal back and stop (as SIGTSTP would); on `fg`, take it again and redraw.
fn suspend(session: &mut Session<BufWriter<File>>, guard: &TtyGuard) -> anyhow::Result<()> {
    session.flush()?;
    restore(guard.mouse);
    signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    // Running again (SIGCONT): its own message redraws once more, which costs one frame.
    guard.resume()?;
    session.redraw(Instant::now())?;
    Ok(())
}

/// Read the terminal on a thread: bytes → parsed inputs down the channel.
fn spawn_input(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        let mut parser = InputParser::default();
        let mut buf = [0u8; 4096];
        let mut parsed = Vec::new();
        let mut stdin = io::stdin();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => {
                    let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "the terminal closed");
                    let _ = tx.send(Msg::Lost(eof));
                    return;
                }
                Ok(n) => {
                    parser.feed(&buf[..n], &mut parsed);
                    for i in parsed.drain(..) {
                        if tx.send(Msg::Input(i.into())).is_err() {
                            return;
                        }
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Msg::Lost(e));
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dumb_or_missing_terminal_is_refused_with_a_pointer_to_cat() {
        let dumb = check_terminal(Some("dumb"), true).unwrap_err().to_string();
        assert!(
            dumb.contains("TERM=dumb") && dumb.contains("dubao cat"),
            "{dumb}"
        );
        let none = check_terminal(None, false).unwrap_err().to_string();
        assert!(none.contains("dubao cat"), "{none}");
        assert!(check_terminal(Some("xterm-256color"), true).is_ok());
        assert!(check_terminal(None, true).is_ok());
    }
}
