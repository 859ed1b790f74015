//! The scan on two threads, hits still newest first.
//!
//! The issues to search are cut into runs (consecutive issues of one segment, up to
//! [`CHUNK`] bytes, newest first) and the workers take runs in order. A count only adds up
//! what each run found. A search streams: hits of the oldest run not yet finished go to the
//! sink as they are found; hits of a later run wait until the runs before it are done, and a
//! worker may not start a run more than [`AHEAD`] past it, so what waits stays small. The
//! sink's back-pressure (a reader not taking hits) stops the workers; a cancel, a stop from
//! the sink or an error ends them all.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::super::backend::{Flow, Hit, Summary};
use super::super::manifest::{IssueRecord, read_range, segment_path};
use super::super::query::Query;
use super::super::{CancelToken, SearchError};
use super::issue::{IssueScan, Matcher, Tally};

/// Bytes read and scanned at a time.
pub const CHUNK: u64 = 8 << 20;
/// Scanning threads (the scan is bound by memory bandwidth: more do not help).
const WORKERS: usize = 2;
/// While streaming hits, runs a worker may be ahead of the oldest unfinished one.
const AHEAD: usize = 2;
/// Hits in flight from the workers.
const IN_FLIGHT: usize = 256;

/// Consecutive issues whose text is contiguous in one segment, up to [`CHUNK`] bytes each.
pub(super) fn runs<'a>(issues: &[&'a IssueRecord]) -> Vec<Vec<&'a IssueRecord>> {
    let mut out: Vec<Vec<&IssueRecord>> = Vec::new();
    for &issue in issues {
        match out.last_mut() {
            Some(run)
                if run[0].segment == issue.segment
                    && run[run.len() - 1].text[1] == issue.text[0]
                    && issue.text[1] - run[0].text[0] <= CHUNK =>
            {
                run.push(issue);
            }
            _ => out.push(vec![issue]),
        }
    }
    out
}

enum Msg {
    Hit(usize, Box<Hit>),
    Done(usize, RunEnd),
}

/// What a worker found in one run besides hits.
#[derive(Default)]
struct RunEnd {
    tally: Tally,
    bytes: u64,
    damaged: Vec<String>,
}

struct Shared<'a> {
    dir: &'a Path,
    runs: &'a [Vec<&'a IssueRecord>],
    matcher: &'a Matcher<'a>,
    query: &'a Query,
    cancel: &'a CancelToken,
    next: AtomicUsize,
    stop: AtomicBool,
    /// The oldest run whose hits are not all delivered (streaming only).
    gate: (Mutex<usize>, Condvar),
    streaming: bool,
}

/// Scan `runs` on up to [`WORKERS`] threads; counts into `summary`, or streams hits to
/// `sink` in run order.
pub(super) fn scan_runs(
    dir: &Path,
    runs: &[Vec<&IssueRecord>],
    matcher: &Matcher,
    query: &Query,
    cancel: &CancelToken,
    summary: &mut Summary,
    mut sink: Option<&mut dyn FnMut(Hit) -> Flow>,
) -> Result<(), SearchError> {
    let shared = Shared {
        dir,
        runs,
        matcher,
        query,
        cancel,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        gate: (Mutex::new(0), Condvar::new()),
        streaming: sink.is_some(),
    };
    let workers = runs.len().min(WORKERS);
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel::<Msg>(IN_FLIGHT);
        let mut started = 0;
        for _ in 0..workers {
            let tx = tx.clone();
            let shared = &shared;
            let spawned = std::thread::Builder::new()
                .name("dubao-search-scan".into())
                .spawn_scoped(s, move || worker(shared, &tx));
            started += usize::from(spawned.is_ok());
        }
        drop(tx);
        if started == 0 && workers > 0 {
            return Err(SearchError::Io("cannot start a scan thread".into()));
        }
        let mut held: HashMap<usize, (Vec<Hit>, Option<RunEnd>)> = HashMap::new();
        let mut oldest = 0;
        let mut stopped = false;
        for msg in rx.iter() {
            match msg {
                Msg::Hit(r, hit) if r == oldest => {
                    stopped = deliver(summary, &mut sink, *hit, cancel);
                }
                Msg::Hit(r, hit) => held.entry(r).or_default().0.push(*hit),
                Msg::Done(r, end) => {
                    held.entry(r).or_default().1 = Some(end);
                    // Finish every run that is complete, oldest first.
                    while held.get(&oldest).is_some_and(|h| h.1.is_some()) {
                        let Some((hits, Some(end))) = held.remove(&oldest) else {
                            break;
                        };
                        for hit in hits {
                            if !stopped {
                                stopped = deliver(summary, &mut sink, hit, cancel);
                            }
                        }
                        if stopped {
                            break;
                        }
                        finish(summary, end, shared.streaming);
                        oldest += 1;
                        *shared.gate.0.lock().unwrap_or_else(PoisonError::into_inner) = oldest;
                        shared.gate.1.notify_all();
                    }
                    // The oldest run's hits so far, held while it was not the oldest.
                    if let Some((hits, None)) = held.get_mut(&oldest) {
                        for hit in std::mem::take(hits) {
                            if !stopped {
                                stopped = deliver(summary, &mut sink, hit, cancel);
                            }
                        }
                    }
                }
            }
            if stopped || cancel.is_cancelled() {
                break;
            }
        }
        shared.stop.store(true, Ordering::Relaxed);
        shared.gate.1.notify_all();
        drop(rx);
        summary.cancelled = cancel.is_cancelled();
        Ok(())
    })
}

/// Give `hit` to the sink; true when the scan should stop.
fn deliver(
    summary: &mut Summary,
    sink: &mut Option<&mut dyn FnMut(Hit) -> Flow>,
    hit: Hit,
    cancel: &CancelToken,
) -> bool {
    let Some(sink) = sink.as_deref_mut() else {
        return false;
    };
    if cancel.is_cancelled() {
        return true;
    }
    summary.articles += 1;
    summary.hits += hit.positions.len();
    sink(hit) == Flow::Stop
}

fn finish(summary: &mut Summary, end: RunEnd, streaming: bool) {
    if !streaming {
        summary.articles += end.tally.articles;
        summary.hits += end.tally.hits;
    }
    summary.bytes += end.bytes;
    summary.damaged.extend(end.damaged);
}

/// Take runs in order and scan each, until none is left or the scan is stopped.
fn worker(shared: &Shared, tx: &SyncSender<Msg>) {
    let mut files: HashMap<(u32, bool), Option<File>> = HashMap::new();
    let mut buf = Vec::new();
    let mut idx_buf = Vec::new();
    loop {
        let r = shared.next.fetch_add(1, Ordering::Relaxed);
        if r >= shared.runs.len() || !wait_for_turn(shared, r) {
            return;
        }
        let run = &shared.runs[r];
        let mut end = RunEnd::default();
        let first = run[0];
        let range = [first.text[0], run[run.len() - 1].text[1]];
        let read = open(&mut files, shared.dir, first.segment, false)
            .and_then(|f| read_range(f, range, &mut buf).ok());
        if read.is_none() {
            end.damaged.extend(run.iter().map(|i| i.id.clone()));
        } else {
            end.bytes = buf.len() as u64;
            for issue in run {
                if shared.cancel.is_cancelled() || shared.stop.load(Ordering::Relaxed) {
                    return;
                }
                let start = (issue.text[0] - range[0]) as usize;
                let stop = (issue.text[1] - range[0]) as usize;
                let idx_file = open(&mut files, shared.dir, issue.segment, true);
                let mut scan = IssueScan::new(issue, &buf[start..stop], idx_file, &mut idx_buf);
                let mut emit = |hit: Hit| {
                    if shared.stop.load(Ordering::Relaxed)
                        || tx.send(Msg::Hit(r, Box::new(hit))).is_err()
                    {
                        Flow::Stop
                    } else {
                        Flow::Continue
                    }
                };
                let emit: Option<&mut dyn FnMut(Hit) -> Flow> = if shared.streaming {
                    Some(&mut emit)
                } else {
                    None
                };
                match scan.scan(shared.matcher, shared.query, &mut end.tally, emit) {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Stop) => return,
                    Err(_) => end.damaged.push(issue.id.clone()),
                }
            }
        }
        if tx.send(Msg::Done(r, end)).is_err() {
            return;
        }
    }
}

/// Streaming: wait until run `r` is within [`AHEAD`] of the oldest unfinished one. False
/// when the scan ends instead.
fn wait_for_turn(shared: &Shared, r: usize) -> bool {
    let mut oldest = shared.gate.0.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if shared.stop.load(Ordering::Relaxed) || shared.cancel.is_cancelled() {
            return false;
        }
        if !shared.streaming || r < *oldest + AHEAD {
            return true;
        }
        oldest = shared
            .gate
            .1
            .wait_timeout(oldest, Duration::from_millis(20))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

fn open<'f>(
    files: &'f mut HashMap<(u32, bool), Option<File>>,
    dir: &Path,
    segment: u32,
    idx: bool,
) -> Option<&'f mut File> {
    files
        .entry((segment, idx))
        .or_insert_with(|| {
            File::open(segment_path(dir, segment, if idx { "idx" } else { "txt" })).ok()
        })
        .as_mut()
}
