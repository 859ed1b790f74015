//! The session's link to archive search: opens the cache (the folding table takes tens of
//! milliseconds, so on a thread), starts the background cache builder (lowest priority,
//! newest issues first), runs one search at a time through a [`Searcher`], and brings
//! everything they report back to the session's thread as [`super::Input::Search`]: each
//! message goes into a channel and wakes the driver once until the session has drained it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use crate::library::IssueEntry;
use crate::parse::ParseOptions;
use crate::search::{
    self, BuildOptions, CancelToken, Folder, LocalScan, Progress, Query, SearchBackend,
    SearchEvent, Searcher,
};

use super::app::App;
use super::search::MAX_KEPT;

enum Msg {
    Ready(Arc<Folder>, Arc<LocalScan>),
    Off(String),
    Event(u64, SearchEvent),
    Progress(Progress),
    /// The builder stopped on an error (a cache folder that cannot be written).
    BuildFailed(String),
}

/// Sends messages to the session and wakes its driver, once per drain.
#[derive(Clone)]
struct Wake {
    tx: Sender<Msg>,
    pending: Arc<AtomicBool>,
    notify: Arc<dyn Fn() + Send + Sync>,
}

impl Wake {
    fn send(&self, msg: Msg) -> bool {
        if self.tx.send(msg).is_err() {
            return false;
        }
        if !self.pending.swap(true, Ordering::AcqRel) {
            (self.notify)();
        }
        true
    }
}

struct Ready {
    folder: Arc<Folder>,
    searcher: Searcher,
}

#[derive(Default)]
pub(crate) struct SearchLink {
    wake: Option<Wake>,
    rx: Option<Receiver<Msg>>,
    ready: Option<Ready>,
    /// Stops the cache build (when the session ends).
    builder: Option<CancelToken>,
    scan: Option<Arc<LocalScan>>,
    /// A search asked for before the cache was open.
    queued: Option<(u64, String)>,
}

impl SearchLink {
    /// Open the cache in `dir` on a thread of its own, then bring the cache up to date on
    /// that same thread at the lowest priority (one thread, not an opener, a builder and a
    /// third waiting for the builder's error); `notify` must get [`super::Input::Search`]
    /// to the session. False when no thread could be started.
    pub(crate) fn start(
        &mut self,
        dir: PathBuf,
        issues: Arc<[IssueEntry]>,
        parse: ParseOptions,
        notify: Arc<dyn Fn() + Send + Sync>,
    ) -> bool {
        let (tx, rx) = mpsc::channel();
        let wake = Wake {
            tx,
            pending: Arc::new(AtomicBool::new(false)),
            notify,
        };
        self.rx = Some(rx);
        self.wake = Some(wake.clone());
        let cancel = CancelToken::default();
        self.builder = Some(cancel.clone());
        let spawned = std::thread::Builder::new()
            .name(search::build::BUILDER_THREAD.into())
            .spawn(move || {
                let folder = match Folder::new() {
                    Ok(folder) => Arc::new(folder),
                    Err(e) => {
                        wake.send(Msg::Off(format!("archive search is off: {e}")));
                        return;
                    }
                };
                let scan = Arc::new(LocalScan::open(dir.clone(), Arc::clone(&folder)));
                if !wake.send(Msg::Ready(Arc::clone(&folder), Arc::clone(&scan))) {
                    return;
                }
                // Searches can run now; the cache is brought up to date behind them.
                let _ = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                );
                let opts = BuildOptions {
                    parse,
                    journal: scan.journal(),
                    low_priority: true,
                };
                let built =
                    search::build::build(&dir, &issues, &folder, &opts, &cancel, &mut |p| {
                        // The batch is committed: searches from now on see it (a scan
                        // that has not searched yet reads the manifest when it does).
                        let _ = scan.refresh_if_read();
                        wake.send(Msg::Progress(p.clone()));
                    });
                // A failed build reports no last progress: say why instead of "indexing"
                // forever.
                if let Err(e) = built {
                    wake.send(Msg::BuildFailed(e.to_string()));
                }
            });
        if spawned.is_err() {
            self.wake = None;
            self.rx = None;
            self.builder = None;
            return false;
        }
        true
    }

    pub(crate) fn is_started(&self) -> bool {
        self.wake.is_some()
    }

    /// Start search `generation` for `text` (cancelling the running one), or keep it until
    /// the cache is open.
    pub(crate) fn search(&mut self, app: &mut App, generation: u64, text: String) {
        let (Some(ready), Some(wake)) = (&mut self.ready, &self.wake) else {
            self.queued = Some((generation, text));
            return;
        };
        let query = match Query::parse(&text, &ready.folder) {
            Ok(q) => q,
            Err(e) => {
                ready.searcher.cancel();
                app.search_failed(generation, e.to_string());
                return;
            }
        };
        let terms = query.terms.clone();
        let rx = ready.searcher.start(query);
        let wake = wake.clone();
        let forward = move || {
            // Until the search's last event, or the session is gone. The searcher sends at
            // most the hits the list keeps (`keeping`) and counts the rest.
            while let Ok(event) = rx.recv() {
                let last = !matches!(event, SearchEvent::Hit(_));
                if !wake.send(Msg::Event(generation, event)) || last {
                    return;
                }
            }
        };
        if std::thread::Builder::new()
            .name("dubao-search-feed".into())
            .spawn(forward)
            .is_err()
        {
            app.search_failed(generation, "cannot start a search thread".into());
            return;
        }
        // The coverage the scan will use (its manifest is refreshed by the builder), when
        // it has been read; a first search reads it, and its summary says.
        app.search_started(generation, self.scan_coverage(), terms);
    }

    fn scan_coverage(&self) -> Option<search::Coverage> {
        self.scan.as_ref().and_then(|s| s.coverage_if_read())
    }

    pub(crate) fn cancel(&mut self) {
        self.queued = None;
        if let Some(r) = &mut self.ready {
            r.searcher.cancel();
        }
    }

    /// Everything that came since the last call, into the app.
    pub(crate) fn drain(&mut self, app: &mut App) {
        if let Some(w) = &self.wake {
            w.pending.store(false, Ordering::Release);
        }
        let mut msgs = Vec::new();
        if let Some(rx) = &self.rx {
            msgs.extend(rx.try_iter());
        }
        for msg in msgs {
            match msg {
                Msg::Ready(folder, scan) => self.ready(app, folder, scan),
                Msg::Off(why) => app.search_off(why),
                Msg::Event(generation, event) => app.search_event(generation, event),
                Msg::Progress(p) => app.search_progress(p),
                Msg::BuildFailed(why) => app.search_build_failed(why),
            }
        }
        app.search_settle();
        if let Some((generation, text)) = app.search_refresh_due() {
            self.search(app, generation, text);
        }
    }

    fn ready(&mut self, app: &mut App, folder: Arc<Folder>, scan: Arc<LocalScan>) {
        app.search_ready(Arc::clone(&folder));
        let backend: Arc<dyn SearchBackend> = scan.clone();
        self.ready = Some(Ready {
            folder: Arc::clone(&folder),
            searcher: Searcher::new(backend).keeping(MAX_KEPT),
        });
        self.scan = Some(scan);
        if let Some((generation, text)) = self.queued.take() {
            self.search(app, generation, text);
        }
    }
}

impl Drop for SearchLink {
    fn drop(&mut self) {
        // What was committed stays; the rest is read on the next start.
        if let Some(b) = &self.builder {
            b.cancel();
        }
        self.cancel();
    }
}
