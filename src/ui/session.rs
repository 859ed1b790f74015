//! One reader session, on any link: the `App`, its loader and store, and a terminal backend
//! writing to any `Write` with an explicit size. A driver (the local tty in `tty.rs`, an SSH
//! channel, a test) hands it one [`Input`] at a time and it writes bytes; it never reads a
//! terminal, a clock or a signal itself, so sessions run side by side in one process.
//!
//! The session performs the effects `App::update` asks for (load an issue, save, copy),
//! prefetches the neighbouring issues, hands positions to the store's background saver, and
//! paces its frames by the terminal's answers (`pacing.rs`). It starts with one probe round
//! trip (`term.rs`): ambiguous width, cursor reports and margins; inputs that arrive during
//! it wait, and are applied when it is over.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::action::{Action, Effect};
use super::app::{App, Options};
use super::backend::TermBackend;
use super::clipboard;
use super::input::{Reply, TermInput};
use super::keymap::Keymap;
use super::pacing::Pacer;
use super::search_link::SearchLink;
use super::term::{PROBE_QUERY, PROBE_TIMEOUT, Probe, TermCaps};
use super::translate;
use super::view::theme::Theme;
use crate::library::{self, LibraryIndex, Loader};
use crate::parse::ParseOptions;
use crate::state::Store;
use crate::text::AmbiguousWidth;

/// Everything a session is built from, resolved from the command line and the config (by
/// `cli`); one setup serves any number of sessions.
#[derive(Debug, Clone)]
pub struct Setup {
    pub index: LibraryIndex,
    pub state_dir: PathBuf,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Display options; `opts.amb` is replaced by `amb` or the probe's answer.
    pub opts: Options,
    /// The ambiguous width asked for; `None`: as the probe finds.
    pub amb: Option<AmbiguousWidth>,
    pub parse: ParseOptions,
    /// Which library this is, for its own last place (`library::library_key`); `None` for a
    /// run that keeps no library place (a single page, an empty folder).
    pub library: Option<String>,
    /// The session draws on this process's own terminal: `y` may ask the tmux around it
    /// (an SSH channel's client is elsewhere and cannot be asked).
    pub local_terminal: bool,
    /// Shown in the status line when the reader starts (config, scan).
    pub warnings: Vec<String>,
    /// The archive search cache's folder (`search::manifest::cache_dir`); `None`: no
    /// archive search in this run (pages opened on their own).
    pub search_cache: Option<PathBuf>,
}

/// One input for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// Background work has results: the loader has parsed an issue, or the summary thread
    /// has counted a batch of issues (the session's notify callback fired).
    Loaded,
    /// Archive search has news: hits, the end of a search, the cache builder's progress
    /// (the notify given to [`Session::start_search`] fired).
    Search,
    Reply(Reply),
    /// The driver's wait reached [`Session::deadline`].
    Timeout,
}

impl From<TermInput> for Input {
    fn from(i: TermInput) -> Input {
        match i {
            TermInput::Key(k) => Input::Key(k),
            TermInput::Mouse(m) => Input::Mouse(m),
            TermInput::Paste(p) => Input::Paste(p),
            TermInput::Reply(r) => Input::Reply(r),
        }
    }
}

/// What the driver does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The user quit: call [`Session::finish`], then end the session with this exit code.
    Quit(i32),
    /// The user asked to suspend (Ctrl-Z): a driver that can gives the terminal back and
    /// stops, then calls [`Session::redraw`]; others go on as with `Continue`.
    Suspend,
}

/// The largest terminal drawn, in cells: beyond it the top-left part is drawn and the
/// status line says so (a 10000×10000 window would need gigabytes of cells).
pub const MAX_SIZE: (u16, u16) = (1000, 500);

/// The size to draw for a terminal of `width`×`height`, and a message when it is clamped.
fn drawn_size(width: u16, height: u16) -> ((u16, u16), Option<String>) {
    let size = (width.min(MAX_SIZE.0), height.min(MAX_SIZE.1));
    let msg = (size != (width, height)).then(|| {
        format!(
            "the window is {width}×{height}; only {}×{} of it is drawn",
            size.0, size.1
        )
    });
    (size, msg)
}

/// The start-up probe, while it waits for its replies.
struct Probing {
    probe: Probe,
    sent: Instant,
    /// When the cursor answer came: the round trip, for the pacer.
    answered: Option<Instant>,
    deadline: Instant,
    /// Inputs that came meanwhile, applied once the probe is over.
    queued: Vec<Input>,
}

pub struct Session<W: Write> {
    app: App,
    terminal: Terminal<TermBackend<W>>,
    loader: Loader,
    parse: ParseOptions,
    amb: Option<AmbiguousWidth>,
    pacer: Pacer,
    probing: Option<Probing>,
    /// Warnings for the status line once the first frame is drawn.
    warnings: Vec<String>,
    /// The app changed since the last frame.
    dirty: bool,
    local_terminal: bool,
    search: SearchLink,
    search_cache: Option<PathBuf>,
    /// Article counts of every issue, from the summary thread started with the session.
    summaries: Option<mpsc::Receiver<library::Counts>>,
    /// Starts the summary thread: after the first frame, so it does not compete with it.
    start_summaries: Option<StartSummaries>,
}

type StartSummaries = Box<dyn FnOnce() -> io::Result<mpsc::Receiver<library::Counts>> + Send>;

impl<W: Write> Session<W> {
    /// A session for a terminal of `width`×`height` written through `out`. `notify` runs on
    /// the loader's thread when an issue is parsed: it must get [`Input::Loaded`] to this
    /// session.
    pub fn new(
        setup: &Setup,
        out: W,
        (width, height): (u16, u16),
        notify: impl Fn() + Send + 'static,
    ) -> io::Result<Session<W>> {
        let (store, mut warnings) = Store::open(&setup.state_dir);
        warnings.extend(setup.warnings.iter().cloned());
        let ((width, height), clamped) = drawn_size(width, height);
        warnings.extend(clamped);
        let mut app = App::new(setup.index.clone(), store, setup.keymap.clone(), setup.opts);
        app.theme = setup.theme.clone();
        app.library = setup.library.clone();
        app.width = width;
        app.height = height;
        if setup.search_cache.is_none() {
            app.search_off("archive search needs a library folder (pages opened on their own have no search cache)");
        }
        let backend = TermBackend::with_size(out, width, height);
        let terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )?;
        // The loader and the summary thread wake the driver the same way: both are drained
        // on Input::Loaded.
        // (A Mutex: the callback is Send, not Sync, and two threads now hold it.)
        let notify = Arc::new(Mutex::new(notify));
        let wake = Arc::clone(&notify);
        // One issue is counted when it is shown: no thread for it.
        let start_summaries = (setup.index.issues.len() > 1).then(|| {
            let (entries, parse) = (setup.index.issues.clone(), setup.parse.clone());
            let dir = setup.state_dir.clone();
            let start: StartSummaries = Box::new(move || {
                library::spawn_summaries(entries, parse, Some(dir), move || call(&wake))
            });
            start
        });
        Ok(Session {
            app,
            terminal,
            loader: Loader::with_notify(setup.parse.clone(), move || call(&notify)),
            parse: setup.parse.clone(),
            amb: setup.amb,
            pacer: Pacer::new(false),
            probing: None,
            warnings,
            dirty: true,
            local_terminal: setup.local_terminal,
            search: SearchLink::default(),
            search_cache: setup.search_cache.clone(),
            summaries: None,
            start_summaries,
        })
    }

    /// Open the archive search cache and bring it up to date in the background (a
    /// low-priority thread, newest issues first). `notify` runs on other threads when there
    /// is news: it must get [`Input::Search`] to this session. Without a cache folder in
    /// the setup, archive search stays off.
    pub fn start_search(&mut self, notify: impl Fn() + Send + Sync + 'static) {
        let Some(dir) = self.search_cache.clone() else {
            return;
        };
        if self.search.is_started() {
            return;
        }
        let issues = self.app.issues.iter().map(|s| s.entry.clone()).collect();
        if self
            .search
            .start(dir, issues, self.parse.clone(), Arc::new(notify))
        {
            self.app.search_starting();
        } else {
            self.app
                .search_off("archive search is off: cannot start its thread");
        }
    }

    /// Start: with `probe`, ask the terminal what it can do and draw the first frame when it
    /// has answered (or [`PROBE_TIMEOUT`] passed); without, draw now for a terminal that
    /// is not asked anything (narrow unless set, unpaced, no margins).
    pub fn start(&mut self, probe: bool, now: Instant) -> io::Result<Flow> {
        if !probe {
            return self.begin(TermCaps::UNKNOWN, Vec::new(), now);
        }
        let w = self.terminal.backend_mut();
        w.write_all(PROBE_QUERY.as_bytes())?;
        Write::flush(w)?;
        self.probing = Some(Probing {
            probe: Probe::default(),
            sent: now,
            answered: None,
            deadline: now + PROBE_TIMEOUT,
            queued: Vec::new(),
        });
        Ok(Flow::Continue)
    }

    /// The probe is over: set up with what it found, and draw the first frame.
    fn begin(&mut self, caps: TermCaps, queued: Vec<Input>, now: Instant) -> io::Result<Flow> {
        self.app.opts.amb = self.amb.unwrap_or(caps.amb);
        if self.pacer.paced() != caps.cursor_reports {
            self.pacer = Pacer::new(caps.cursor_reports);
        }
        self.terminal.backend_mut().set_margins(caps.margins);
        let (width, height) = (self.app.width, self.app.height);
        self.terminal.resize(Rect::new(0, 0, width, height))?;
        self.app.update(Action::Resize { width, height });
        let first = self.app.start();
        self.app.notify(std::mem::take(&mut self.warnings));
        if let Flow::Quit(code) = self.perform(first)? {
            return Ok(Flow::Quit(code));
        }
        for input in queued {
            if let Flow::Quit(code) = self.apply(input)? {
                return Ok(Flow::Quit(code));
            }
        }
        self.dirty = true;
        self.draw_if_due(now)?;
        if let Some(start) = self.start_summaries.take() {
            match start() {
                Ok(rx) => self.summaries = Some(rx),
                Err(e) => {
                    self.app.warn(format!("unread counts are off: {e}"));
                    self.dirty = true;
                }
            }
        }
        Ok(Flow::Continue)
    }

    /// When the driver must call `handle(Input::Timeout)` if nothing else came by then.
    pub fn deadline(&self) -> Option<Instant> {
        match &self.probing {
            Some(p) => Some(p.deadline),
            None => self.pacer.deadline(self.dirty),
        }
    }

    /// Take one input: apply it, perform what it asks, draw when the terminal is ready.
    pub fn handle(&mut self, input: Input, now: Instant) -> io::Result<Flow> {
        if let Some(p) = &mut self.probing {
            let done = match &input {
                Input::Reply(r) => {
                    if matches!(r, Reply::Cursor { .. }) {
                        p.answered.get_or_insert(now);
                    }
                    p.probe.take(*r)
                }
                Input::Timeout => now >= p.deadline,
                _ => {
                    p.queued.push(input);
                    false
                }
            };
            if !done {
                return Ok(Flow::Continue);
            }
            let Some(p) = self.probing.take() else {
                return Ok(Flow::Continue);
            };
            let caps = p.probe.caps();
            self.pacer = Pacer::new(caps.cursor_reports);
            if let Some(at) = p.answered {
                self.pacer.sample(p.sent, PROBE_QUERY.len(), at);
            }
            return self.begin(caps, p.queued, now);
        }
        match input {
            Input::Reply(Reply::Cursor { .. }) => {
                // Not awaited: late, or one too many. Either way not a key.
                if !self.pacer.answered(now) {
                    return Ok(Flow::Continue);
                }
            }
            Input::Reply(_) => return Ok(Flow::Continue),
            Input::Timeout => {
                self.pacer.expire(now);
            }
            other => match self.apply(other)? {
                Flow::Continue => {}
                // Suspending: the frame is drawn on resume.
                stop => return Ok(stop),
            },
        }
        self.draw_if_due(now)?;
        Ok(Flow::Continue)
    }

    /// Apply an input to the app and perform its effects; no drawing.
    fn apply(&mut self, input: Input) -> io::Result<Flow> {
        let actions = match input {
            Input::Key(k) => translate::key_action(&self.app, &k).into_iter().collect(),
            Input::Mouse(m) => translate::mouse_action(&self.app, &m).into_iter().collect(),
            Input::Paste(text) => translate::paste_actions(&self.app, &text),
            Input::Resize { width, height } => vec![Action::Resize { width, height }],
            Input::Loaded => {
                self.take_loaded();
                Vec::new()
            }
            Input::Search => {
                self.search.drain(&mut self.app);
                self.dirty = true;
                Vec::new()
            }
            Input::Reply(_) | Input::Timeout => Vec::new(),
        };
        for mut action in actions {
            let mut clamped = None;
            if let Action::Resize { width, height } = action {
                let ((width, height), msg) = drawn_size(width, height);
                self.terminal.backend_mut().set_size(width, height);
                self.terminal.resize(Rect::new(0, 0, width, height))?;
                action = Action::Resize { width, height };
                clamped = msg;
            }
            let effect = self.app.update(action);
            if let Some(msg) = clamped {
                self.app.notify(vec![msg]);
            }
            match self.perform(effect)? {
                Flow::Continue => {}
                stop => return Ok(stop),
            }
        }
        self.housekeeping();
        Ok(Flow::Continue)
    }

    fn take_loaded(&mut self) {
        if let Some(rx) = &self.summaries {
            loop {
                match rx.try_recv() {
                    Ok(counts) => self.app.summaries_loaded(counts),
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        self.summaries = None;
                        break;
                    }
                }
            }
        }
        while let Some(issue) = self.loader.try_recv() {
            let slot = self.app.issues.iter().position(|s| s.entry.id == issue.id);
            if let Some(i) = slot {
                self.app.issue_loaded(i, Arc::unwrap_or_clone(issue));
            }
        }
        self.dirty = true;
    }

    /// Perform an effect (and those it leads to).
    fn perform(&mut self, effect: Option<Effect>) -> io::Result<Flow> {
        self.dirty = true;
        let mut effect = effect;
        while let Some(e) = effect.take() {
            match e {
                Effect::Quit => return Ok(Flow::Quit(0)),
                Effect::Suspend => return Ok(Flow::Suspend),
                Effect::Save => {
                    // Bookmarks: on disk before the next key, not just soon.
                    self.app.checkpoint(now_ms());
                    if let Err(err) = self.app.store.save() {
                        self.app.warn(format!("could not save state: {err}"));
                    }
                }
                Effect::LoadIssue(i) => {
                    if let Some(slot) = self.app.issues.get(i)
                        && !self.loader.request(&slot.entry)
                    {
                        // No worker thread: load here.
                        let issue = library::load_issue(&slot.entry, &self.parse);
                        self.app.issue_loaded(i, issue);
                    }
                }
                Effect::Copy(text) => {
                    let tmux = if self.local_terminal {
                        clipboard::tmux_now()
                    } else {
                        clipboard::Tmux::Absent
                    };
                    let plan = clipboard::plan(&text, &tmux);
                    let w = self.terminal.backend_mut();
                    w.write_all(plan.sequence.as_bytes())?;
                    Write::flush(w)?;
                    if plan.likely {
                        self.app.say(plan.message);
                    } else {
                        self.app.warn(plan.message);
                    }
                    self.dirty = true;
                }
                Effect::Search(generation, text) => {
                    self.search.search(&mut self.app, generation, text);
                }
                Effect::CancelSearch => self.search.cancel(),
            }
        }
        Ok(Flow::Continue)
    }

    /// After every applied input: prefetch, hand positions to the background saver (which
    /// never blocks), and take its warnings for the status line.
    fn housekeeping(&mut self) {
        self.prefetch_neighbours();
        if self.app.current.is_some() {
            self.app.record_last(now_ms());
        }
        if self.app.store.has_unsaved() {
            self.app.store.save_soon();
        }
        let warnings = self.app.store.take_warnings();
        self.app.notify(warnings);
    }

    /// Parse the issues next to the one shown in the background, so `]` and `[` do not wait.
    fn prefetch_neighbours(&mut self) {
        let Some(c) = self.app.current else {
            return;
        };
        for n in [c + 1, c.wrapping_sub(1)] {
            if let Some(slot) = self.app.issues.get(n)
                && slot.issue.is_none()
                && !self.loader.is_pending(&slot.entry.id)
            {
                self.loader.prefetch(&slot.entry);
            }
        }
    }

    fn draw_if_due(&mut self, now: Instant) -> io::Result<()> {
        if !self.dirty || !self.pacer.may_draw(now) {
            return Ok(());
        }
        self.dirty = false;
        let app = &self.app;
        let before = self.terminal.backend().written();
        self.terminal.draw(|f| f.render_widget(app, f.area()))?;
        let bytes = self.terminal.backend().written() - before;
        if let Some(query) = self.pacer.drawn(now, bytes) {
            let w = self.terminal.backend_mut();
            w.write_all(query.as_bytes())?;
            Write::flush(w)?;
        }
        Ok(())
    }

    /// Draw the whole screen again (the terminal was given back after a suspend); the
    /// frame is drawn at once, paced or not.
    pub fn redraw(&mut self, now: Instant) -> io::Result<()> {
        let (width, height) = (self.app.width, self.app.height);
        self.terminal.resize(Rect::new(0, 0, width, height))?;
        if self.probing.is_none() {
            self.pacer.forget();
            self.dirty = true;
            self.draw_if_due(now)?;
        }
        Ok(())
    }

    /// Save where the reader is (quit, hang-up, a signal): blocks until it is on disk.
    pub fn finish(&mut self) -> io::Result<()> {
        self.app.checkpoint(now_ms());
        self.app.store.save()
    }

    /// The state the session draws (tests, and drivers that need the size or options).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Push out whatever is buffered (before the driver writes to the terminal itself).
    pub fn flush(&mut self) -> io::Result<()> {
        Write::flush(self.terminal.backend_mut())
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Run a shared wake-up callback (a poisoned lock: a callback panicked once; call it anyway).
fn call(f: &Mutex<impl Fn()>) {
    match f.lock() {
        Ok(f) => f(),
        Err(poisoned) => (poisoned.into_inner())(),
    }
}
