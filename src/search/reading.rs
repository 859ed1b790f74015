//! Reading issues for the builder on two threads: each worker lists, parses and folds whole
//! issues, and the builder's thread takes them back in the order it asked for (newest
//! first), so the cache's segments stay in date order and what is committed first is the
//! newest. Parsing is the cost of a build (the appender only copies bytes), so two workers
//! nearly double its speed on two cores; they run at the builder's priority.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::library::{self, IssueEntry};
use crate::parse::ParseOptions;

use super::doc::append_article;
use super::fold::Folder;
use super::manifest::IssueRecord;
use super::signature::signature;
use super::{CancelToken, SearchError};

/// Parsing threads.
const WORKERS: usize = 2;
/// How far past the next issue to deliver a worker may read: enough to keep parsing while
/// the builder's thread commits a batch, and a bound on what waits in memory (each issue
/// read holds its text and index). 8 against 32: `dubao index` of the ten-year archive
/// 0.37–0.40 s against 0.31–0.39 (with 512 KB batches), 0.5 MB less at its peak.
const AHEAD: usize = 8;

/// One issue read and folded: its text and records, and its manifest entry with ranges
/// relative to them.
pub(super) struct ReadIssue {
    pub(super) text: Vec<u8>,
    pub(super) idx: Vec<u8>,
    pub(super) record: IssueRecord,
}

/// An issue to read and the quick stamp it had when the pass began.
pub(super) struct Todo<'a> {
    pub(super) entry: &'a IssueEntry,
    pub(super) stamp: u64,
}

/// Read `todo` on [`WORKERS`] threads and hand each issue to `deliver` in `todo`'s order.
/// Stops early when `cancel` is set or `deliver` fails (its error is returned).
pub(super) fn read_in_order(
    todo: &[Todo],
    folder: &Folder,
    opts: &ParseOptions,
    cancel: &CancelToken,
    low_priority: bool,
    deliver: &mut dyn FnMut(ReadIssue) -> Result<(), SearchError>,
) -> Result<(), SearchError> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // The index of the next issue to deliver, for the workers' look-ahead limit.
    let gate = (Mutex::new(0usize), Condvar::new());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, WORKERS));
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<(usize, ReadIssue)>(AHEAD);
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop, gate) = (&next, &stop, &gate);
            s.spawn(move || {
                if low_priority {
                    let _ = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    );
                }
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= todo.len() || !wait_for_turn(gate, i, stop, cancel) {
                        return;
                    }
                    let issue = read_issue(&todo[i], folder, opts);
                    if tx.send((i, issue)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, ReadIssue> = BTreeMap::new();
        let mut want = 0;
        let mut result = Ok(());
        'recv: for (i, issue) in rx.iter() {
            waiting.insert(i, issue);
            while let Some(issue) = waiting.remove(&want) {
                if cancel.is_cancelled() {
                    break 'recv;
                }
                if let Err(e) = deliver(issue) {
                    result = Err(e);
                    break 'recv;
                }
                want += 1;
                *gate.0.lock().unwrap_or_else(PoisonError::into_inner) = want;
                gate.1.notify_all();
            }
        }
        // Workers waiting for their turn or to send see this and end.
        stop.store(true, Ordering::Relaxed);
        gate.1.notify_all();
        drop(rx);
        result
    })
}

/// Wait until issue `i` is within [`AHEAD`] of the next to deliver; false when the read
/// should end instead.
fn wait_for_turn(
    gate: &(Mutex<usize>, Condvar),
    i: usize,
    stop: &AtomicBool,
    cancel: &CancelToken,
) -> bool {
    let mut delivered = gate.0.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if stop.load(Ordering::Relaxed) || cancel.is_cancelled() {
            return false;
        }
        if i < *delivered + AHEAD {
            return true;
        }
        delivered = gate
            .1
            .wait_timeout(delivered, Duration::from_millis(50))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// List, parse and fold one issue (with the library's own loader: what the reader shows).
fn read_issue(todo: &Todo, folder: &Folder, opts: &ParseOptions) -> ReadIssue {
    let (listed, _) = library::list_pages(todo.entry);
    let sig = signature(&listed);
    let issue = library::load_issue(&listed, opts);
    let (mut text, mut idx) = (Vec::new(), Vec::new());
    let mut articles = 0;
    for (p, page) in issue.pages.iter().enumerate() {
        for (k, article) in page.articles.iter().enumerate() {
            append_article(folder, article, p, k, &mut text, &mut idx);
            articles += 1;
        }
    }
    let record = IssueRecord {
        id: todo.entry.id.to_string(),
        date: todo.entry.date,
        publication: todo.entry.publication.as_deref().map(str::to_string),
        pages: issue.pages.iter().map(|p| p.source.clone()).collect(),
        signature: sig,
        stamp: todo.stamp,
        segment: 0,
        text: [0, text.len() as u64],
        idx: [0, idx.len() as u64],
        articles,
    };
    ReadIssue { text, idx, record }
}
