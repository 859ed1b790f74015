//! The background saver: a thread that writes the state so the UI thread never waits on
//! the disk or on another process's lock.
//!
//! The UI thread hands over small deltas (only what changed since the last hand-over);
//! the saver folds them into its own full copy (the "shadow"), and at most once per
//! interval locks, merges with the file, and writes atomically. Keeping a full shadow means
//! a state file deleted or moved aside while the reader runs is rewritten in full. A failed
//! write is retried; `flush` waits for everything handed over so far to be on disk.
//!
//! When a write had to re-read the file (another reader saved in between), the saver also
//! publishes a copy of the merged state, tagged with the last generation it contains; the
//! UI adopts it and re-applies what it handed over since ([`super::Store::refresh`]). While
//! a published copy waits to be adopted, every later write replaces it, so the copy waiting
//! is always as new as the last completed write. The UI's old copy is handed back here to
//! be freed, off the UI thread.
//!
//! A panic during a write (a bug in the merge or the serialiser) must not stop the saving
//! while the user goes on reading: it is caught, reported like a failed write (the status
//! line's warning, [`Saver::wait`]'s error), and the write is retried like one; the next
//! write re-reads the file, in case the panic left the shadow half merged with it.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use std::{io, mem, thread};

use super::file::{self, FileId, Saved};
use super::model::{StateData, Tie};

/// The thread's name. It catches a panic while writing and reports it as a failed write,
/// so the reader's panic hook need not print it over the screen.
pub const SAVER_THREAD: &str = "dubao-state-saver";
/// Default minimum time between two writes.
pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(500);
/// Delay before retrying a failed write.
const RETRY_DELAY: Duration = Duration::from_secs(2);

#[derive(Default)]
struct Inner {
    pending: StateData,
    /// Generation of the last hand-over, and of the last one written (or failed).
    requested: u64,
    completed: u64,
    urgent: bool,
    shutdown: bool,
    failed: Option<String>,
    warnings: Vec<String>,
    /// Merged state for the UI to adopt, with the generation it contains.
    snapshot: Option<(u64, StateData)>,
    /// An old copy from the UI, to be dropped on this thread.
    garbage: Option<StateData>,
}

struct Shared {
    inner: Mutex<Inner>,
    wake: Condvar,
    done: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub struct Saver {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Saver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Saver").finish_non_exhaustive()
    }
}

impl Saver {
    /// Start the thread; `shadow` is the full state as the UI knows it.
    pub fn start(dir: PathBuf, shadow: StateData, interval: Duration) -> io::Result<Saver> {
        let save = move |data: &mut StateData, known: &mut Option<FileId>| {
            file::save_merged(&dir, data, known)
        };
        Saver::start_with(save, shadow, interval)
    }

    /// [`Saver::start`] with the write given: [`file::save_merged`] into the state folder,
    /// or in tests one that fails or panics.
    fn start_with<F>(save: F, shadow: StateData, interval: Duration) -> io::Result<Saver>
    where
        F: FnMut(&mut StateData, &mut Option<FileId>) -> io::Result<Saved> + Send + 'static,
    {
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner::default()),
            wake: Condvar::new(),
            done: Condvar::new(),
        });
        let for_thread = Arc::clone(&shared);
        let thread = thread::Builder::new()
            .name(SAVER_THREAD.into())
            .spawn(move || run(&for_thread, save, shadow, interval))?;
        Ok(Saver {
            shared,
            thread: Some(thread),
        })
    }

    /// Hand over a delta; returns its generation. `urgent` skips the debounce.
    pub fn submit(&self, delta: StateData, urgent: bool) -> u64 {
        let mut g = self.shared.lock();
        if !delta.is_empty() || urgent {
            g.pending.merge(delta, Tie::TakeOther);
            g.requested += 1;
        }
        g.urgent |= urgent;
        let gen_ = g.requested;
        drop(g);
        self.shared.wake.notify_one();
        gen_
    }

    /// Wait until generation `gen_` has been written; the error of the write if it failed.
    pub fn wait(&self, gen_: u64, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        let mut g = self.shared.lock();
        while g.completed < gen_ {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "timed out waiting for the state to be saved",
                ));
            }
            g = self
                .shared
                .done
                .wait_timeout(g, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        match &g.failed {
            Some(e) => Err(io::Error::other(e.clone())),
            None => Ok(()),
        }
    }

    /// The merged state waiting to be adopted (with the last generation it contains), and
    /// the last completed generation.
    pub fn take_snapshot(&self) -> (Option<(u64, StateData)>, u64) {
        let mut g = self.shared.lock();
        (g.snapshot.take(), g.completed)
    }

    /// Hand an old copy of the state to the thread to free.
    pub fn discard(&self, old: StateData) {
        self.shared.lock().garbage = Some(old);
        self.shared.wake.notify_one();
    }

    /// Warnings collected by the thread since the last call (bad file moved aside, write
    /// errors), for the status line.
    pub fn take_warnings(&self) -> Vec<String> {
        mem::take(&mut self.shared.lock().warnings)
    }
}

impl Drop for Saver {
    /// Write whatever is pending, then stop the thread.
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_one();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run<F>(shared: &Shared, mut save: F, mut shadow: StateData, interval: Duration)
where
    F: FnMut(&mut StateData, &mut Option<FileId>) -> io::Result<Saved>,
{
    let mut last_write: Option<Instant> = None;
    let mut retry = false;
    let mut known = None;
    loop {
        let (delta, gen_, shutdown) = {
            let mut g = shared.lock();
            loop {
                if let Some(old) = g.garbage.take() {
                    drop(g);
                    drop(old);
                    g = shared.lock();
                    continue;
                }
                let work = g.requested > g.completed || retry;
                if !work && g.shutdown {
                    return;
                }
                if work {
                    let gap = if retry { RETRY_DELAY } else { interval };
                    let due = last_write.map_or_else(Instant::now, |t| t + gap);
                    let now = Instant::now();
                    if g.urgent || g.shutdown || now >= due {
                        break;
                    }
                    g = shared
                        .wake
                        .wait_timeout(g, due - now)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                } else {
                    g = shared.wake.wait(g).unwrap_or_else(PoisonError::into_inner);
                }
            }
            g.urgent = false;
            (mem::take(&mut g.pending), g.requested, g.shutdown)
        };
        let attempt = panic::catch_unwind(AssertUnwindSafe(|| {
            shadow.merge(delta, Tie::TakeOther);
            save(&mut shadow, &mut known)
        }));
        let result = attempt.unwrap_or_else(|payload| {
            // Whatever the panic left half done, the next write starts from the file.
            known = None;
            Err(io::Error::other(format!(
                "internal error (please report it): {}",
                panic_message(payload.as_ref())
            )))
        });
        last_write = Some(Instant::now());
        let publish = matches!(&result, Ok(s) if s.reread) || shared.lock().snapshot.is_some();
        let copy = (publish && result.is_ok()).then(|| shadow.clone());
        let mut g = shared.lock();
        g.completed = gen_;
        match result {
            Ok(saved) => {
                retry = false;
                g.failed = None;
                g.warnings.extend(saved.warnings);
                if let Some(copy) = copy {
                    g.snapshot = Some((gen_, copy));
                }
            }
            Err(e) => {
                // The shadow still holds every change: the next attempt writes them.
                retry = !shutdown;
                let msg = e.to_string();
                // Retries of the same failure are not repeated on the status line.
                if g.failed.as_deref() != Some(msg.as_str()) {
                    g.warnings
                        .push(format!("could not save reading state: {msg}"));
                }
                g.failed = Some(msg);
            }
        }
        drop(g);
        shared.done.notify_all();
    }
}

/// The message a panic was raised with (`panic!("…")` carries a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic")
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;
    use crate::model::ArticleId;

    /// A delta that deletes the bookmark of the article on `page` (any change would do).
    fn delta(page: &str) -> StateData {
        let mut d = StateData::default();
        let id = ArticleId {
            page: page.into(),
            title_hash: String::new(),
            index: 0,
        };
        d.deleted.insert(id, crate::state::time::now_ms());
        d
    }

    #[test]
    fn a_panicking_write_is_reported_and_the_next_write_still_happens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state_dir = dir.path().to_path_buf();
        let (entered, entries) = mpsc::channel();
        let mut calls = 0;
        // The real write, except that the second one panics half-way.
        let save = move |data: &mut StateData, known: &mut Option<FileId>| {
            calls += 1;
            entered.send(known.is_some()).ok();
            if calls == 2 {
                panic!("boom in the serialiser");
            }
            file::save_merged(&state_dir, data, known)
        };
        let saver =
            Saver::start_with(save, StateData::default(), Duration::ZERO).expect("thread starts");
        let wait = |gen_| saver.wait(gen_, Duration::from_secs(30));
        wait(saver.submit(delta("a.txt"), true)).expect("first write");
        let err = wait(saver.submit(delta("b.txt"), true)).expect_err("the panic is an error");
        assert!(err.to_string().contains("boom in the serialiser"), "{err}");
        let warnings = saver.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("could not save reading state: internal error"),
            "{warnings:?}"
        );

        wait(saver.submit(delta("c.txt"), true)).expect("the thread is still there and writes");
        assert!(saver.take_warnings().is_empty());
        let known_on_entry: Vec<bool> = entries.try_iter().collect();
        assert_eq!(known_on_entry.len(), 3, "{known_on_entry:?}");
        assert!(
            !known_on_entry[2],
            "the write after a panic re-reads the file"
        );
        // Nothing handed over before the panic is lost.
        let (on_disk, _) = file::load(dir.path()).expect("state file");
        let pages: Vec<&str> = on_disk.deleted.keys().map(|id| id.page.as_str()).collect();
        assert_eq!(pages, ["a.txt", "b.txt", "c.txt"]);
    }

    #[test]
    fn panic_messages_are_kept() {
        let text: Box<dyn Any + Send> = Box::new("static");
        let owned: Box<dyn Any + Send> = Box::new(String::from("formatted 7"));
        let other: Box<dyn Any + Send> = Box::new(7_u8);
        assert_eq!(panic_message(text.as_ref()), "static");
        assert_eq!(panic_message(owned.as_ref()), "formatted 7");
        assert_eq!(panic_message(other.as_ref()), "panic");
    }
}
