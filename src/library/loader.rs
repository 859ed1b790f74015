//! A background loader: one std thread that reads and parses issues on request, so the
//! reader never waits on a neighbour's pages. No async runtime.
//!
//! The reader asks for the issue it shows with [`Loader::request`] (goes first, and drops
//! queued prefetches, which belong to the issue the user just left) and for its neighbours
//! with [`Loader::prefetch`]; parsed issues come back through [`Loader::try_recv`]
//! (non-blocking; the reader keeps them in its issue list, at most `ui::update::KEEP_ISSUES`).
//! An optional `notify` callback runs on the worker after each delivery, to wake an event
//! loop that is blocked elsewhere.
//!
//! Dropping the loader (or [`Loader::abandon`]) never waits for the worker: whatever it is
//! reading, quitting is immediate, and the thread ends with the process.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{IssueEntry, load_issue};
use crate::model::{Issue, PageError};
use crate::parse::ParseOptions;

type Notify = Box<dyn Fn() + Send + 'static>;

struct Request {
    entry: IssueEntry,
    urgent: bool,
}

enum Reply {
    Loaded(Arc<Issue>),
    /// A queued prefetch was dropped by a newer `request`.
    Dropped(String),
}

/// The worker thread's name. It catches a panic while parsing and reports it as the issue's
/// error, so the reader's panic hook need not print it over the screen.
pub const LOADER_THREAD: &str = "dubao-loader";

pub struct Loader {
    requests: Option<Sender<Request>>,
    replies: Receiver<Reply>,
    worker: Option<JoinHandle<()>>,
    /// Ids asked for and not yet delivered or dropped.
    pending: HashSet<String>,
}

impl Loader {
    /// Start the worker thread.
    pub fn new(opts: ParseOptions) -> Self {
        Self::spawn(opts, None)
    }

    /// Start the worker thread; `notify` runs on it after each parsed issue is sent.
    pub fn with_notify(opts: ParseOptions, notify: impl Fn() + Send + 'static) -> Self {
        Self::spawn(opts, Some(Box::new(notify)))
    }

    fn spawn(opts: ParseOptions, notify: Option<Notify>) -> Self {
        let (req_tx, req_rx) = mpsc::channel();
        let (rep_tx, rep_rx) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name(LOADER_THREAD.into())
            .spawn(move || work(&req_rx, &rep_tx, &opts, notify.as_deref()))
            .ok();
        Loader {
            requests: worker.is_some().then_some(req_tx),
            replies: rep_rx,
            worker,
            pending: HashSet::new(),
        }
    }

    /// Load this issue next, ahead of any prefetch; queued prefetches are dropped.
    /// Returns false if the worker is gone (the caller can fall back to [`load_issue`]).
    pub fn request(&mut self, entry: &IssueEntry) -> bool {
        self.send(entry, true)
    }

    /// Load this issue when nothing more urgent is queued. Asking again for an id that is
    /// already pending does nothing.
    pub fn prefetch(&mut self, entry: &IssueEntry) -> bool {
        if self.pending.contains(entry.id.as_str()) {
            return true;
        }
        self.send(entry, false)
    }

    fn send(&mut self, entry: &IssueEntry, urgent: bool) -> bool {
        let Some(tx) = &self.requests else {
            return false;
        };
        let req = Request {
            entry: entry.clone(),
            urgent,
        };
        if tx.send(req).is_err() {
            return false;
        }
        self.pending.insert(entry.id.to_string());
        true
    }

    /// True while an issue is asked for and not yet delivered.
    pub fn is_pending(&self, id: &str) -> bool {
        self.pending.contains(id)
    }

    /// A parsed issue, if one is ready. Never blocks.
    pub fn try_recv(&mut self) -> Option<Arc<Issue>> {
        loop {
            match self.replies.try_recv() {
                Ok(reply) => {
                    if let Some(issue) = self.settle(reply) {
                        return Some(issue);
                    }
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return None,
            }
        }
    }

    /// Wait up to `timeout` for a parsed issue; `None` at once when nothing is pending.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Arc<Issue>> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if self.pending.is_empty() {
                return None;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(reply) => {
                    if let Some(issue) = self.settle(reply) {
                        return Some(issue);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn settle(&mut self, reply: Reply) -> Option<Arc<Issue>> {
        match reply {
            Reply::Loaded(issue) => {
                self.pending.remove(&issue.id);
                Some(issue)
            }
            Reply::Dropped(id) => {
                self.pending.remove(&id);
                None
            }
        }
    }
}

impl Loader {
    /// Stop taking requests and let the worker go without waiting for it: it ends after
    /// the issue it is reading, or with the process. Quitting must never wait on a page
    /// (a slow disk, a dead network mount). Dropping the loader does the same.
    pub fn abandon(&mut self) {
        self.requests = None;
        self.pending.clear();
        // Detached: nothing it holds needs cleaning up, and a send to a dropped
        // receiver just ends it.
        self.worker = None;
    }
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.abandon();
    }
}

fn work(
    requests: &Receiver<Request>,
    replies: &Sender<Reply>,
    opts: &ParseOptions,
    notify: Option<&(dyn Fn() + Send)>,
) {
    let mut queue: VecDeque<IssueEntry> = VecDeque::new();
    loop {
        if queue.is_empty() {
            match requests.recv() {
                Ok(req) => enqueue(&mut queue, req, replies),
                Err(_) => return,
            }
        }
        loop {
            match requests.try_recv() {
                Ok(req) => enqueue(&mut queue, req, replies),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return,
            }
        }
        let Some(entry) = queue.pop_front() else {
            continue;
        };
        // A parser bug on one issue must not take the loader (and every later issue) down:
        // the issue comes back with the failure as its error instead.
        let loaded =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| load_issue(&entry, opts)));
        let issue = Arc::new(loaded.unwrap_or_else(|_| failed_issue(&entry)));
        if replies.send(Reply::Loaded(issue)).is_err() {
            return;
        }
        if let Some(notify) = notify {
            notify();
        }
    }
}

/// The issue as it stands when parsing it panicked: no pages, one error naming its folder.
fn failed_issue(entry: &IssueEntry) -> Issue {
    Issue {
        id: entry.id.to_string(),
        name: entry.name.to_string(),
        publication: entry.publication.as_deref().map(str::to_string),
        date: entry.date,
        pages: Vec::new(),
        errors: vec![PageError {
            source: entry.id.to_string(),
            message: "internal error while parsing this issue (please report it)".into(),
        }],
    }
}

fn enqueue(queue: &mut VecDeque<IssueEntry>, req: Request, replies: &Sender<Reply>) {
    if req.urgent {
        for dropped in queue.drain(..) {
            if dropped.id != req.entry.id {
                // The client may be gone already; nothing to tell then.
                let _ = replies.send(Reply::Dropped(dropped.id.into()));
            }
        }
        queue.push_front(req.entry);
    } else if !queue.iter().any(|e| e.id == req.entry.id) {
        // An id already queued is delivered once: the client counted it once.
        queue.push_back(req.entry);
    }
}
