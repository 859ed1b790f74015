//! The event loop and the terminal it owns.
//!
//! Set-up: raw mode, alternate screen, optional mouse capture, a chained panic hook and a
//! guard that restore the terminal whatever happens. Input is read on a thread and sent down
//! a channel together with SIGHUP/SIGTERM/SIGINT from a signal thread, so the loop blocks on
//! one `recv` — no timer, no polling, zero CPU while idle — and a dropped SSH connection
//! saves state and leaves promptly without `process::exit`.

use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use ratatui::Terminal;
use ratatui::crossterm::{
    cursor::Show,
    event::{self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind},
    execute,
    terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode},
};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::action::{Action, Effect};
use super::app::{App, DEFAULT_MEASURE, Options};
use super::backend::TermBackend;
use super::keymap::{Key, Keymap};
use super::term;
use super::view::theme::Theme;
use crate::cli::{AmbArg, GlobalArgs, ReaderArgs};
use crate::config::Config;
use crate::library::{self, LOADER_THREAD, Loader};
use crate::parse::ParseOptions;
use crate::state::Store;
use crate::state::saver::SAVER_THREAD;
use crate::text::AmbiguousWidth;

type Backend = TermBackend<BufWriter<Stdout>>;

/// What the loop waits for.
enum Input {
    Event(Event),
    Signal(i32),
    Lost(io::Error),
    /// The background loader has a parsed issue ready.
    Loaded,
}

/// Mouse reporting: button presses and the wheel only (mode 1000), in SGR encoding (1006).
/// Not crossterm's `EnableMouseCapture`, which also asks for every motion (1002, 1003):
/// over SSH each mouse movement would cross the network and wake the reader for nothing.
const MOUSE_ON: &str = "\u{1b}[?1000h\u{1b}[?1006h";
const MOUSE_OFF: &str = "\u{1b}[?1006l\u{1b}[?1000l";

/// Restores the terminal when dropped (normal exit, early `?`, or unwinding).
struct Session {
    mouse: bool,
    /// True while the reader owns the screen (cleared on drop and by a UI-thread panic).
    live: Arc<AtomicBool>,
}

impl Session {
    fn enter(mouse: bool) -> io::Result<Session> {
        let hook = std::panic::take_hook();
        let live = Arc::new(AtomicBool::new(true));
        let in_hook = Arc::clone(&live);
        let stderr_on_screen = io::stderr().is_terminal();
        // Only a panic on the UI thread ends the reader; a worker thread's must not pull the
        // terminal out from under a reader that goes on. The loader and the state saver
        // catch theirs and report them (the issue's error, the status line), so their
        // message is not written over the screen either, where it is garbage gone on exit;
        // a redirected stderr (a log) still gets it.
        let ui_thread = std::thread::current().id();
        std::panic::set_hook(Box::new(move |info| {
            let current = std::thread::current();
            if current.id() == ui_thread {
                in_hook.store(false, Ordering::Relaxed);
                restore(mouse);
            } else if stderr_on_screen
                && in_hook.load(Ordering::Relaxed)
                && matches!(current.name(), Some(LOADER_THREAD | SAVER_THREAD))
            {
                return;
            }
            hook(info);
        }));
        if let Err(e) = enable_raw_mode() {
            live.store(false, Ordering::Relaxed);
            return Err(e);
        }
        let session = Session { mouse, live };
        execute!(io::stdout(), EnterAlternateScreen)?;
        if mouse {
            let mut out = io::stdout();
            out.write_all(MOUSE_ON.as_bytes())?;
            out.flush()?;
        }
        Ok(session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.live.store(false, Ordering::Relaxed);
        restore(self.mouse);
    }
}

/// Undo the set-up; every step is tried even if one fails (the tty may be gone).
fn restore(mouse: bool) {
    let mut out = io::stdout();
    if mouse {
        let _ = out.write_all(MOUSE_OFF.as_bytes());
        let _ = out.flush();
    }
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Run the reader until the user quits; returns the exit code.
pub fn run(args: &ReaderArgs, global: &GlobalArgs, cfg: &Config) -> anyhow::Result<i32> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        anyhow::bail!("the reader needs a terminal; `dubao cat FILE` prints a page instead");
    }
    let index = if !args.paths.is_empty() {
        library::scan(&args.paths)
    } else if !cfg.library.is_empty() {
        library::scan(&cfg.library_paths())
    } else {
        library::bundled()
    };
    let dir = global
        .state_dir
        .clone()
        .or_else(Store::default_dir)
        .context("no state directory: pass --state-dir")?;
    let (store, mut warnings) = Store::open(&dir);
    warnings.extend(index.errors.iter().map(|e| e.to_string()));
    let (keymap, kw) = Keymap::new(&cfg.keys);
    warnings.extend(kw);
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let (theme, tw) = Theme::new(color, &cfg.colors);
    warnings.extend(tw);
    let utf8 = term::locale_is_utf8(|k| std::env::var(k).ok());
    let requested = match args.ambiguous_width {
        Some(AmbArg::One) => Some(AmbiguousWidth::Narrow),
        Some(AmbArg::Two) => Some(AmbiguousWidth::Wide),
        Some(AmbArg::Auto) => None,
        None => cfg.amb(),
    };
    let mouse = !args.no_mouse && cfg.mouse.unwrap_or(true);
    let parse_opts = cfg.parse_options();

    // Signals first: a hang-up from now on ends the reader through the loop (saving state
    // and restoring the terminal), never by the default action.
    let (tx, rx) = mpsc::channel();
    let signals = spawn_signals(tx.clone())?;
    let session = Session::enter(mouse)?;
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout());
    let amb = requested.unwrap_or_else(|| term::probe_ambiguous_width(&mut out));
    let opts = Options {
        amb,
        indent: args.indent || cfg.indent,
        hang: cfg.hang.unwrap_or(true),
        mouse,
        ascii: args.ascii || cfg.ascii.unwrap_or(false) || !utf8,
        color,
        measure: cfg.measure.unwrap_or(DEFAULT_MEASURE),
    };
    let mut terminal = Terminal::new(TermBackend::new(out))?;
    // Not `terminal.clear()`: it asks the terminal for the cursor position (a round trip).
    ratatui::backend::Backend::clear(terminal.backend_mut())?;
    let mut app = App::new(index, store, keymap, opts);
    app.theme = theme;
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });

    spawn_input(tx.clone());
    let mut loader = Loader::with_notify(parse_opts.clone(), move || {
        let _ = tx.send(Input::Loaded);
    });
    let first = app.start();
    app.notify(warnings);
    let outcome = event_loop(
        &mut app,
        &mut terminal,
        &rx,
        first,
        &mut loader,
        &parse_opts,
    );

    app.checkpoint(now_ms());
    let saved = app.store.save();
    signals.close();
    drop(terminal);
    drop(session);
    saved.context("could not save reading state")?;
    outcome
}

fn event_loop(
    app: &mut App,
    terminal: &mut Terminal<Backend>,
    rx: &mpsc::Receiver<Input>,
    first: Option<Effect>,
    loader: &mut Loader,
    parse_opts: &ParseOptions,
) -> anyhow::Result<i32> {
    let mut effect = first;
    loop {
        while let Some(e) = effect.take() {
            match e {
                Effect::Quit => return Ok(0),
                Effect::Save => {
                    // Bookmarks: on disk before the next key, not just soon.
                    app.checkpoint(now_ms());
                    if let Err(err) = app.store.save() {
                        app.warn(format!("could not save state: {err}"));
                    }
                }
                Effect::LoadIssue(i) => {
                    if let Some(slot) = app.issues.get(i)
                        && !loader.request(&slot.entry)
                    {
                        // No worker thread: load here.
                        let issue = library::load_issue(&slot.entry, parse_opts);
                        app.issue_loaded(i, issue);
                    }
                }
                Effect::Copy(text) => {
                    let w = terminal.backend_mut();
                    w.write_all(term::osc52(&text).as_bytes())?;
                    w.flush()?;
                }
            }
        }
        prefetch_neighbours(app, loader);
        // Positions and read flags: handed to the store's background saver (debounced,
        // never blocks); its warnings come back to the status line.
        if app.current.is_some() {
            app.record_last(now_ms());
        }
        if app.store.has_unsaved() {
            app.store.save_soon();
        }
        let warnings = app.store.take_warnings();
        app.notify(warnings);
        terminal.draw(|f| f.render_widget(&*app, f.area()))?;
        // Block until something the reader must answer arrives; ignore the rest (mouse
        // motion, key releases) without drawing.
        loop {
            match rx.recv() {
                Ok(Input::Event(ev)) => {
                    if let Some(a) = translate(app, &ev) {
                        effect = app.update(a);
                        break;
                    }
                }
                Ok(Input::Loaded) => {
                    while let Some(issue) = loader.try_recv() {
                        if let Some(i) = app.issues.iter().position(|s| s.entry.id == issue.id) {
                            app.issue_loaded(i, Arc::unwrap_or_clone(issue));
                        }
                    }
                    break;
                }
                Ok(Input::Signal(SIGHUP)) => return Ok(129),
                Ok(Input::Signal(sig)) => return Ok(128 + sig),
                Ok(Input::Lost(err)) => return Err(err).context("terminal input lost"),
                Err(_) => return Ok(1),
            }
        }
    }
}

/// Parse the issues next to the one shown in the background, so `]` and `[` do not wait.
fn prefetch_neighbours(app: &App, loader: &mut Loader) {
    let Some(c) = app.current else {
        return;
    };
    for n in [c + 1, c.wrapping_sub(1)] {
        if let Some(slot) = app.issues.get(n)
            && slot.issue.is_none()
            && !loader.is_pending(&slot.entry.id)
        {
            loader.prefetch(&slot.entry);
        }
    }
}

fn spawn_input(tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(ev) => Input::Event(ev),
                Err(err) => Input::Lost(err),
            };
            let lost = matches!(msg, Input::Lost(_));
            if tx.send(msg).is_err() || lost {
                break;
            }
        }
    });
}

fn spawn_signals(tx: mpsc::Sender<Input>) -> io::Result<signal_hook::iterator::Handle> {
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])?;
    let handle = signals.handle();
    std::thread::spawn(move || {
        for sig in signals.forever() {
            if tx.send(Input::Signal(sig)).is_err() {
                break;
            }
        }
    });
    Ok(handle)
}

/// A terminal event → the action it means now (the note editor takes raw keys).
pub fn translate(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if app.editing() {
                let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
                return Some(match k.code {
                    KeyCode::Char('c') if ctrl => Action::EditCancel,
                    KeyCode::Char(c) if !ctrl => Action::EditInsert(c),
                    KeyCode::Backspace => Action::EditBackspace,
                    KeyCode::Delete => Action::EditDelete,
                    KeyCode::Left => Action::EditLeft,
                    KeyCode::Right => Action::EditRight,
                    KeyCode::Home => Action::EditHome,
                    KeyCode::End => Action::EditEnd,
                    KeyCode::Enter => Action::EditConfirm,
                    KeyCode::Esc => Action::EditCancel,
                    _ => return None,
                });
            }
            app.keymap.action(Key::from_event(k))
        }
        Event::Mouse(m) if app.opts.mouse => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                x: m.column,
                y: m.row,
                lines: 3,
            }),
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                x: m.column,
                y: m.row,
                lines: -3,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                x: m.column,
                y: m.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize {
            width: *width,
            height: *height,
        }),
        _ => None,
    }
}
