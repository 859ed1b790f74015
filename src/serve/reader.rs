//! One reader on an SSH channel: a [`Session`] on a thread of its own (the session is
//! synchronous, and a slow one must not hold up the others), fed one message at a time down
//! a channel, as the local driver (`ui::tty`) is fed by its tty.
//!
//! The thread sets the client's terminal up (alternate screen, paste, mouse), waits for the
//! next message or the session's deadline or the idle limit, and at the end always saves
//! the reading state first; then, if the client is still there, gives its terminal back
//! with a line saying why, and ends the channel.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::ui::input::TermInput;
use crate::ui::{Flow, Input, Session, Setup};

use super::output::Output;

/// Mouse reporting (presses and the wheel, SGR) and bracketed paste, as the local driver
/// asks for them: no motion reports, which would cross the network for nothing.
const SCREEN_ON: &str = "\u{1b}[?1049h\u{1b}[?2004h";
const MOUSE_ON: &str = "\u{1b}[?1000h\u{1b}[?1006h";
/// Everything undone, and the cursor shown, whatever was on.
const SCREEN_OFF: &str = "\u{1b}[?1006l\u{1b}[?1000l\u{1b}[?2004l\u{1b}[0m\u{1b}[?1049l\u{1b}[?25h";

/// Inputs waiting for a session beyond which keys are dropped (a paste flood, a stuck
/// session): the user retypes, the server does not queue without bound.
pub const MAX_PENDING_INPUTS: usize = 256;

/// What a session thread is told.
#[derive(Debug)]
pub enum Msg {
    /// Input from the client's terminal, counted against [`MAX_PENDING_INPUTS`] until the
    /// session takes it.
    Term(TermInput),
    /// Anything else for the session (a resize, the reader's own threads' news, a timeout).
    Input(Input),
    /// Dropped bytes must be drawn again (the client caught up).
    Redraw,
    /// The client is gone: save, nothing more to write.
    Gone,
    /// The server is stopping: save, say so, close.
    Shutdown,
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Quit,
    Idle,
    Gone,
    Shutdown,
    Failed,
}

impl End {
    pub fn label(self) -> &'static str {
        match self {
            End::Quit => "quit",
            End::Idle => "idle",
            End::Gone => "dropped",
            End::Shutdown => "shutdown",
            End::Failed => "error",
        }
    }
}

/// The connection's side of a session thread: sends it inputs, with a bound.
#[derive(Debug, Clone)]
pub struct ReaderTx {
    tx: mpsc::Sender<Msg>,
    pending: Arc<AtomicUsize>,
}

impl ReaderTx {
    /// Parsed terminal input; dropped when too many wait.
    pub fn input(&self, input: TermInput) {
        if self.pending.fetch_add(1, Ordering::AcqRel) >= MAX_PENDING_INPUTS {
            self.pending.fetch_sub(1, Ordering::AcqRel);
            return;
        }
        if self.tx.send(Msg::Term(input)).is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
        }
    }

    /// A message that must arrive (resize, gone, shutdown, redraw): never dropped.
    pub fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }
}

/// What a session thread is started with.
pub struct Start {
    pub setup: Setup,
    pub size: (u16, u16),
    pub idle: Option<Duration>,
    pub out: Output,
}

/// Start a session thread; `done` runs on it once the state is saved (before the goodbye).
pub fn spawn(start: Start, done: impl FnOnce(End) + Send + 'static) -> std::io::Result<ReaderTx> {
    let (tx, rx) = mpsc::channel();
    let reader = ReaderTx {
        tx: tx.clone(),
        pending: Arc::default(),
    };
    let pending = Arc::clone(&reader.pending);
    std::thread::Builder::new()
        .name("dubao-serve-session".into())
        .spawn(move || run(start, &rx, &tx, &pending, done))?;
    Ok(reader)
}

fn run(
    start: Start,
    rx: &mpsc::Receiver<Msg>,
    tx: &mpsc::Sender<Msg>,
    pending: &AtomicUsize,
    done: impl FnOnce(End),
) {
    let Start {
        setup,
        size,
        idle,
        out,
    } = start;
    let mut own = out.clone();
    let _ = own.write_all(SCREEN_ON.as_bytes());
    if setup.opts.mouse {
        let _ = own.write_all(MOUSE_ON.as_bytes());
    }
    let _ = own.flush();
    let to = tx.clone();
    let mut session = match Session::new(setup, out, size, move || {
        let _ = to.send(Msg::Input(Input::Loaded));
    }) {
        Ok(s) => s,
        Err(e) => {
            done(End::Failed);
            goodbye(
                &mut own,
                &format!("dubao: the reader could not start: {e}"),
                1,
            );
            return;
        }
    };
    let to = tx.clone();
    session.start_search(move || {
        let _ = to.send(Msg::Input(Input::Search));
    });
    // A panic in the session (a bug) ends this reader, not the server, and is still saved.
    let end = panic::catch_unwind(AssertUnwindSafe(|| drive(&mut session, rx, pending, idle)))
        .unwrap_or(Ok(End::Failed))
        .unwrap_or(End::Failed);
    // State first: whatever happens to the client, the reader's place is kept.
    let saved = panic::catch_unwind(AssertUnwindSafe(|| session.finish()))
        .unwrap_or_else(|_| Err(std::io::Error::other("saving failed on a bug")));
    let _ = session.flush();
    drop(session);
    let note = match (end, &saved) {
        (_, Err(e)) => format!("dubao: could not save the reading state: {e}"),
        (End::Idle, _) => "dubao: closed after being idle; your place is saved".to_string(),
        (End::Shutdown, _) => "dubao: the server is stopping; your place is saved".to_string(),
        (End::Failed, _) => {
            "dubao: the reader stopped on an error; your place is saved".to_string()
        }
        _ => String::new(),
    };
    done(end);
    if end != End::Gone {
        goodbye(
            &mut own,
            &note,
            u32::from(end == End::Failed || saved.is_err()),
        );
    }
}

fn drive(
    session: &mut Session<Output>,
    rx: &mpsc::Receiver<Msg>,
    pending: &AtomicUsize,
    idle: Option<Duration>,
) -> std::io::Result<End> {
    let mut flow = session.start(true, Instant::now())?;
    let mut last_input = Instant::now();
    loop {
        if let Flow::Quit(_) = flow {
            return Ok(End::Quit);
        }
        let idle_at = idle.map(|d| last_input + d);
        let wake = match (session.deadline(), idle_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let msg = match wake {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => Msg::Input(Input::Timeout),
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(End::Gone),
            },
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => return Ok(End::Gone),
            },
        };
        let now = Instant::now();
        // The limit is the user's silence: the reader's own news (an issue loaded, search
        // progress) and the terminal's replies do not restart it. It ends the session only
        // at a timeout, i.e. with nothing queued: a key, the client leaving or the server
        // stopping that is already waiting is taken first.
        let user = matches!(
            msg,
            Msg::Term(TermInput::Key(_) | TermInput::Mouse(_) | TermInput::Paste(_))
                | Msg::Input(Input::Resize { .. })
        );
        flow = match msg {
            Msg::Input(Input::Timeout) => {
                if idle_at.is_some_and(|at| now >= at) {
                    return Ok(End::Idle);
                }
                session.handle(Input::Timeout, now)?
            }
            Msg::Term(input) => {
                pending.fetch_sub(1, Ordering::AcqRel);
                if user {
                    last_input = now;
                }
                session.handle(input.into(), now)?
            }
            Msg::Input(input) => {
                if user {
                    last_input = now;
                }
                session.handle(input, now)?
            }
            Msg::Redraw => {
                session.redraw(now)?;
                Flow::Continue
            }
            Msg::Gone => return Ok(End::Gone),
            Msg::Shutdown => return Ok(End::Shutdown),
        };
        // No suspending over SSH: Ctrl-Z is a byte, and the reader stays.
        if flow == Flow::Suspend {
            session.redraw(now)?;
            flow = Flow::Continue;
        }
    }
}

/// Give the client's terminal back, say why (lines end in CR LF: no line discipline on a
/// channel), and end the channel.
fn goodbye(out: &mut Output, note: &str, status: u32) {
    let _ = out.write_all(SCREEN_OFF.as_bytes());
    if !note.is_empty() {
        let _ = write!(out, "{note}\r\n");
    }
    out.end(status);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::ui::input::Reply;
    use crate::ui::keymap::Keymap;
    use crate::ui::view::theme::Theme;

    fn key(c: char) -> TermInput {
        TermInput::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    fn wait(what: impl Fn() -> bool) -> bool {
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until {
            if what() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }

    /// Every kind of terminal input is counted down when the session takes it: after a
    /// burst of keys, pastes and replies the count is back to zero and keys still arrive.
    #[test]
    fn the_pending_count_returns_to_zero_for_every_kind_of_terminal_input() {
        let dir = tempfile::tempdir().unwrap();
        let setup = Setup {
            index: crate::library::bundled(),
            state_dir: dir.path().to_path_buf(),
            keymap: Keymap::default(),
            theme: Theme::new(true, &Default::default()).0,
            opts: crate::ui::Options::default(),
            amb: None,
            parse: crate::parse::ParseOptions::default(),
            library: None,
            local_terminal: false,
            warnings: Vec::new(),
            search_cache: None,
        };
        let (out, _forwarder) = super::super::output::channel(1 << 20);
        let (done_tx, done_rx) = mpsc::channel();
        let start = Start {
            setup,
            size: (80, 24),
            idle: None,
            out,
        };
        let reader = spawn(start, move |end| {
            let _ = done_tx.send(end);
        })
        .unwrap();
        // The probe's answers, then a burst of every kind.
        reader.input(TermInput::Reply(Reply::Cursor { row: 1, col: 4 }));
        reader.input(TermInput::Reply(Reply::DeviceAttributes));
        for i in 0..50 {
            reader.input(key(if i % 2 == 0 { 'j' } else { 'k' }));
            reader.input(TermInput::Paste("粘贴".into()));
            reader.input(TermInput::Reply(Reply::Mode { mode: 69, value: 0 }));
        }
        let pending = Arc::clone(&reader.pending);
        assert!(
            wait(|| pending.load(Ordering::Acquire) == 0),
            "still pending: {}",
            pending.load(Ordering::Acquire)
        );
        reader.input(key('q'));
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(10)).unwrap(),
            End::Quit
        );
    }
}
