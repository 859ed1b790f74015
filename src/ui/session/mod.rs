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

mod effects;
mod probe;
mod setup;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use self::probe::Probing;
use self::setup::drawn_size;
pub use self::setup::{Flow, Input, MAX_SIZE, Setup};
use super::action::Action;
use super::app::App;
use super::backend::{Screen, TermBackend};
use super::input::Reply;
use super::pacing::Pacer;
use super::search_link::SearchLink;
use super::translate;
use crate::library::{self, Loader};
use crate::parse::ParseOptions;
use crate::state::Store;
use crate::text::AmbiguousWidth;

pub struct Session<W: Write> {
    app: App,
    screen: Screen<W>,
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
    /// Archive search asked for and not started yet: it starts once the first screen is
    /// out (see [`Session::start_search`]).
    search_waiting: Option<Arc<dyn Fn() + Send + Sync>>,
    /// The probe is over and the first frame drawn.
    begun: bool,
    /// The first screen has been out (begun, and the issue shown at start parsed): kept,
    /// so a key while a later issue loads is not taken for one before the first screen.
    screen_out: bool,
}

type StartSummaries = Box<
    dyn FnOnce(Arc<[library::IssueEntry]>) -> io::Result<mpsc::Receiver<library::Counts>> + Send,
>;

impl<W: Write> Session<W> {
    /// A session for a terminal of `width`×`height` written through `out`. `notify` runs on
    /// the loader's thread when an issue is parsed: it must get [`Input::Loaded`] to this
    /// session. The setup is the session's own (the app takes its issue list: a library of
    /// ten years holds it once, not once more for a setup kept beside the session).
    pub fn new(
        setup: Setup,
        out: W,
        (width, height): (u16, u16),
        notify: impl Fn() + Send + 'static,
    ) -> io::Result<Session<W>> {
        let (store, mut warnings) = Store::open(&setup.state_dir);
        warnings.extend(setup.warnings.iter().cloned());
        let ((width, height), clamped) = drawn_size(width, height);
        warnings.extend(clamped);
        let several = setup.index.issues.len() > 1;
        let mut app = App::new(setup.index, store, setup.keymap, setup.opts);
        app.theme = setup.theme;
        app.library = setup.library;
        app.width = width;
        app.height = height;
        if setup.search_cache.is_none() {
            app.search_off("archive search needs a library folder (pages opened on their own have no search cache)");
        }
        let backend = TermBackend::with_size(out, width, height);
        let screen = Screen::new(backend, width, height);
        // The loader and the summary thread wake the driver the same way: both are drained
        // on Input::Loaded.
        // (A Mutex: the callback is Send, not Sync, and two threads now hold it.)
        let notify = Arc::new(Mutex::new(notify));
        let wake = Arc::clone(&notify);
        // One issue is counted when it is shown: no thread for it.
        let start_summaries = several.then(|| {
            let parse = setup.parse.clone();
            // The counts are the library's, not this reader's: kept beside its search
            // cache when it has one, so every reader of it (every SSH session of a
            // server, whatever its state folder) counts once.
            let dir = setup
                .search_cache
                .clone()
                .unwrap_or_else(|| setup.state_dir.clone());
            let start: StartSummaries = Box::new(move |entries| {
                library::spawn_summaries(entries, parse, Some(dir), move || call(&wake))
            });
            start
        });
        Ok(Session {
            app,
            screen,
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
            search_waiting: None,
            begun: false,
            screen_out: false,
        })
    }

    /// Open the archive search cache and bring it up to date in the background (a
    /// low-priority thread, newest issues first). `notify` runs on other threads when there
    /// is news: it must get [`Input::Search`] to this session. Without a cache folder in
    /// the setup, archive search stays off.
    ///
    /// It starts once the first screen is out (the probe over, the issue shown at start
    /// parsed and drawn), or at the first key, click or paste before that, so that key finds
    /// search as it would have: opening the cache reads the manifest of the whole archive,
    /// work that would otherwise delay the probe and compete with the first issue's parse.
    pub fn start_search(&mut self, notify: impl Fn() + Send + Sync + 'static) {
        if self.search_cache.is_none() || self.search.is_started() {
            return;
        }
        self.search_waiting = Some(Arc::new(notify));
        self.app.search_waiting();
        self.background_if_due(false);
    }

    /// Start the background work that waits for the first screen to be out: the unread
    /// counts of every issue (on a first start they parse the whole archive on every
    /// core, which delayed the first issue's parse and frame by ~10 ms), then the waiting
    /// search — at once when `user` (an input from the user is about to be applied) comes
    /// before the first screen, so that input finds search as it would have.
    ///
    /// The search's cache build parses the whole archive too on a first start: it waits
    /// for the counts, so its threads reuse the memory of theirs instead of adding to it
    /// (a first start's peak 9.7 → 8.8 MB on ten years; the counts take a few hundred
    /// milliseconds, from their cache a few). A search asked for meanwhile starts it
    /// ([`Session::start_waiting_search`]).
    pub(super) fn background_if_due(&mut self, user: bool) {
        self.screen_out |= self.begun && self.app.wanted.is_none();
        let first_screen_out = self.screen_out;
        if first_screen_out && let Some(start) = self.start_summaries.take() {
            match start(Arc::clone(&self.app.entries)) {
                Ok(rx) => self.summaries = Some(rx),
                Err(e) => {
                    self.app.warn(format!("unread counts are off: {e}"));
                    self.dirty = true;
                }
            }
        }
        let counted = self.start_summaries.is_none() && self.summaries.is_none();
        if (user && !first_screen_out) || (first_screen_out && counted) {
            self.start_waiting_search();
        }
    }

    /// Start the search that [`Session::start_search`] left waiting, if it still waits.
    pub(super) fn start_waiting_search(&mut self) {
        let (Some(notify), Some(dir)) = (self.search_waiting.take(), self.search_cache.clone())
        else {
            return;
        };
        let issues = Arc::clone(&self.app.entries);
        if self.search.start(dir, issues, self.parse.clone(), notify) {
            self.app.search_starting();
        } else {
            self.app
                .search_off("archive search is off: cannot start its thread");
        }
        self.dirty = true;
    }

    /// When the driver must call `handle(Input::Timeout)` if nothing else came by then.
    pub fn deadline(&self) -> Option<Instant> {
        match &self.probing {
            Some(p) => Some(p.deadline()),
            None => self.pacer.deadline(self.dirty),
        }
    }

    /// Take one input: apply it, perform what it asks, draw when the terminal is ready.
    pub fn handle(&mut self, input: Input, now: Instant) -> io::Result<Flow> {
        if matches!(input, Input::Key(_) | Input::Mouse(_) | Input::Paste(_)) {
            self.background_if_due(true);
        }
        if self.probing.is_some() {
            return self.probe_input(input, now);
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
        self.background_if_due(false);
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
                self.screen.backend_mut().set_size(width, height);
                self.screen.resize(width, height)?;
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

    fn draw_if_due(&mut self, now: Instant) -> io::Result<()> {
        if !self.dirty || !self.pacer.may_draw(now) {
            return Ok(());
        }
        self.dirty = false;
        let app = &self.app;
        let before = self.screen.backend().written();
        self.screen.draw(app)?;
        let bytes = self.screen.backend().written() - before;
        // A frame that changed nothing on the screen (a prefetched issue arrived, a count
        // came in) wrote nothing: there is nothing to pace, and a query for it would only
        // hold back the next real frame until the terminal answers.
        if bytes == 0 {
            return Ok(());
        }
        if let Some(query) = self.pacer.drawn(now, bytes) {
            let w = self.screen.backend_mut();
            w.write_all(query.as_bytes())?;
            Write::flush(w)?;
        }
        Ok(())
    }

    /// Draw the whole screen again (the terminal was given back after a suspend); the
    /// frame is drawn at once, paced or not.
    pub fn redraw(&mut self, now: Instant) -> io::Result<()> {
        let (width, height) = (self.app.width, self.app.height);
        self.screen.resize(width, height)?;
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
        Write::flush(self.screen.backend_mut())
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
