//! What belongs to the process, not to one session: signals and the panic hook.
//!
//! One signal thread turns SIGHUP, SIGTERM, SIGINT, SIGWINCH, SIGTSTP and SIGCONT into
//! calls to every subscriber (each session's driver sends them down its own channel), so a
//! hang-up or a `kill` ends every session through its loop — saving its state and restoring
//! its terminal — and never by the default action or `process::exit`.
//!
//! The panic hook is chained to the previous one. A thread that registered a restore (a
//! driver's UI thread) gets its terminal back before the message is printed. While a local
//! screen is live, the loader's and the saver's panics (which they catch and report in the
//! status line) are not printed over it; a redirected stderr (a log) still gets them.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;

use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP, SIGWINCH};

use crate::library::{LOADER_THREAD, SUMMARY_THREAD};
use crate::state::saver::SAVER_THREAD;

type Listener = Box<dyn Fn(i32) + Send>;
type Restore = Box<dyn Fn() + Send>;

/// The signals the reader handles.
pub const SIGNALS: [i32; 6] = [SIGHUP, SIGTERM, SIGINT, SIGWINCH, SIGTSTP, SIGCONT];

pub struct Process {
    listeners: Arc<Mutex<Vec<Listener>>>,
    restores: Arc<Mutex<Vec<(ThreadId, Restore)>>>,
    /// True while a local screen is live: workers' panic messages would land on it.
    screen_live: Arc<AtomicBool>,
    signals: signal_hook::iterator::Handle,
}

impl Process {
    /// Start the signal thread and install the panic hook.
    pub fn start() -> io::Result<Process> {
        let listeners: Arc<Mutex<Vec<Listener>>> = Arc::default();
        let mut signals = signal_hook::iterator::Signals::new(SIGNALS)?;
        let handle = signals.handle();
        let to = Arc::clone(&listeners);
        std::thread::spawn(move || {
            for sig in signals.forever() {
                for f in to.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                    f(sig);
                }
            }
        });
        let restores: Arc<Mutex<Vec<(ThreadId, Restore)>>> = Arc::default();
        let screen_live = Arc::new(AtomicBool::new(false));
        install_hook(Arc::clone(&restores), Arc::clone(&screen_live));
        Ok(Process {
            listeners,
            restores,
            screen_live,
            signals: handle,
        })
    }

    /// Call `f` with every signal from now on (on the signal thread).
    pub fn subscribe(&self, f: impl Fn(i32) + Send + 'static) {
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Box::new(f));
    }

    /// Run `restore` if the current thread panics (before the message is printed).
    pub fn on_panic(&self, restore: impl Fn() + Send + 'static) {
        let id = std::thread::current().id();
        self.restores
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, Box::new(restore)));
    }

    /// The current thread's terminal is restored: its panics need no restore any more.
    pub fn forget_panic(&self) {
        let id = std::thread::current().id();
        self.restores
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(t, _)| *t != id);
    }

    /// A local screen is live (or no longer): see the module doc.
    pub fn set_screen_live(&self, live: bool) {
        self.screen_live.store(live, Ordering::Relaxed);
    }

    /// Stop the signal thread (the default actions do not come back: the process is ending).
    pub fn close(&self) {
        self.signals.close();
    }
}

fn install_hook(restores: Arc<Mutex<Vec<(ThreadId, Restore)>>>, screen_live: Arc<AtomicBool>) {
    let previous = std::panic::take_hook();
    let stderr_on_screen = io::stderr().is_terminal();
    std::panic::set_hook(Box::new(move |info| {
        let current = std::thread::current();
        let mut restored = false;
        // `try_lock`: a panic while the list is held must not deadlock the hook.
        if let Ok(mut list) = restores.try_lock()
            && let Some(at) = list.iter().position(|(t, _)| *t == current.id())
        {
            let (_, restore) = list.remove(at);
            restore();
            restored = true;
            screen_live.store(false, Ordering::Relaxed);
        }
        if !restored
            && stderr_on_screen
            && screen_live.load(Ordering::Relaxed)
            && matches!(
                current.name(),
                Some(LOADER_THREAD | SAVER_THREAD | SUMMARY_THREAD)
            )
        {
            return;
        }
        previous(info);
    }));
}
