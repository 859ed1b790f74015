//! What a search backend offers the reader and the command line, independent of how it
//! finds things: [`SearchBackend`] (search with a streaming sink, coverage, refresh), the
//! [`Hit`]s it reports, and [`Searcher`], which runs one search at a time on a thread and
//! cancels the running one when a new query starts.
//!
//! [`super::LocalScan`] is the one implementation. A remote one (OpenSearch, Quickwit) would
//! index an export of the same folded documents with dubao's ids, so its hits map back to
//! the same [`HitPos`] (see `doc/search.md`).

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::time::Duration;

use serde::Serialize;

use crate::model::{ArticleId, Date, TextPos};

use super::doc::Field;
use super::query::Query;
use super::{CancelToken, SearchError};

/// Whether the sink wants more hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

pub trait SearchBackend: Send + Sync {
    /// Report every article matching `query` to `sink`, newest first, as they are found.
    /// Returns early (with `cancelled`) when `cancel` is set, or when the sink says stop.
    fn search(
        &self,
        query: &Query,
        cancel: &CancelToken,
        sink: &mut dyn FnMut(Hit) -> Flow,
    ) -> Result<Summary, SearchError>;

    /// How many articles match, and how many occurrences they hold, without reporting them
    /// (the count a results pane shows while its first screen streams in).
    fn count(&self, query: &Query, cancel: &CancelToken) -> Result<Summary, SearchError> {
        self.search(query, cancel, &mut |_| Flow::Continue)
    }

    /// What part of the library the backend can search now.
    fn coverage(&self) -> Coverage;

    /// Take in what a builder (or a remote indexer) has added since the last call.
    fn refresh(&self) -> Result<(), SearchError>;
}

/// One occurrence of a query term in an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HitPos {
    pub field: Field,
    /// For [`Field::Body`], the block and character offset in it. For a headline field,
    /// block 0 and the character offset inside that field (the layout puts the headline at
    /// `TextPos::default()`).
    pub pos: TextPos,
    /// Length in characters.
    pub len: usize,
}

/// A stretch of the article around the first hit, as printed (not folded), on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    /// Character range of the hit inside `text`.
    pub hit: [usize; 2],
}

/// An article that matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub issue: String,
    pub date: Option<Date>,
    pub publication: Option<String>,
    /// 1-based page number within the issue.
    pub page_number: usize,
    pub article: ArticleId,
    pub title: String,
    pub snippet: Snippet,
    /// Every occurrence of every term, in text order (headline first).
    pub positions: Vec<HitPos>,
    /// Characters of searchable text in the article, for hit density.
    #[serde(skip)]
    pub chars: usize,
}

impl Hit {
    /// A term occurs in the headline.
    pub fn title_hit(&self) -> bool {
        self.positions.iter().any(|p| p.field.is_headline())
    }

    /// Occurrences per thousand characters.
    pub fn density(&self) -> f64 {
        self.positions.len() as f64 * 1000.0 / self.chars.max(1) as f64
    }

    /// Where to open the article: the first body hit's position (a headline hit opens at the
    /// top).
    pub fn open_at(&self) -> TextPos {
        self.positions
            .iter()
            .find(|p| p.field == Field::Body)
            .filter(|_| !self.title_hit())
            .map_or_else(TextPos::default, |p| p.pos)
    }
}

/// Relevance order: articles with a headline hit first, then by hit density, then newest.
/// (Hits stream newest first; the reader sorts what has arrived when asked.)
pub fn sort_by_relevance(hits: &mut [Hit]) {
    hits.sort_by(|a, b| {
        b.title_hit()
            .cmp(&a.title_hit())
            .then(b.density().total_cmp(&a.density()))
            .then(b.date.cmp(&a.date))
    });
}

/// What the backend covers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Issues searchable now.
    pub issues: usize,
    pub articles: usize,
    pub bytes: u64,
    pub newest: Option<Date>,
    pub oldest: Option<Date>,
}

/// How a search ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Articles reported, and term occurrences in them.
    pub articles: usize,
    pub hits: usize,
    /// Bytes of cached text scanned.
    pub bytes: u64,
    pub cancelled: bool,
    /// Issues skipped because their cached bytes could not be read (rebuilt next time).
    pub damaged: Vec<String>,
    pub coverage: Coverage,
}

/// What a [`Searcher`] sends.
#[derive(Debug, Clone)]
pub enum SearchEvent {
    Hit(Box<Hit>),
    Done(Summary),
    Failed(SearchError),
}

/// Runs searches on a thread, one at a time: starting a new one cancels the running one.
/// Results arrive on the receiver [`Searcher::start`] returns, first hits before the scan
/// ends; the last event is `Done` or `Failed`.
pub struct Searcher {
    backend: Arc<dyn SearchBackend>,
    running: Option<CancelToken>,
    capacity: usize,
    /// Hits built and sent at most; past them the rest is only counted.
    keep: Option<usize>,
}

/// Hits buffered per search before the scan waits for the reader to take them.
pub const DEFAULT_CAPACITY: usize = 1024;

impl Searcher {
    pub fn new(backend: Arc<dyn SearchBackend>) -> Self {
        Self::with_capacity(backend, DEFAULT_CAPACITY)
    }

    pub fn with_capacity(backend: Arc<dyn SearchBackend>, capacity: usize) -> Self {
        Searcher {
            backend,
            running: None,
            capacity: capacity.max(1),
            keep: None,
        }
    }

    /// Build and send only the first `keep` hits of each search (newest first); the rest
    /// are counted without being built, and `Done`'s `articles` is the whole count. A
    /// reader that lists the newest thousands need not build a hundred thousand snippets
    /// (a one-character query over ten years: seconds, against a count's tens of ms).
    pub fn keeping(mut self, keep: usize) -> Self {
        self.keep = Some(keep.max(1));
        self
    }

    /// Cancel the running search (if any) and start `query`.
    pub fn start(&mut self, query: Query) -> Receiver<SearchEvent> {
        self.cancel();
        let token = CancelToken::default();
        self.running = Some(token.clone());
        let (tx, rx) = mpsc::sync_channel(self.capacity);
        let backend = Arc::clone(&self.backend);
        let keep = self.keep;
        let spawned = std::thread::Builder::new()
            .name("dubao-search".into())
            .spawn({
                let tx = tx.clone();
                move || run(backend.as_ref(), &query, &token, keep, &tx)
            });
        if let Err(e) = spawned {
            let _ = tx.try_send(SearchEvent::Failed(SearchError::Io(e.to_string())));
        }
        rx
    }

    /// Stop the running search; its receiver gets `Done` with `cancelled` soon.
    pub fn cancel(&mut self) {
        if let Some(t) = self.running.take() {
            t.cancel();
        }
    }
}

impl Drop for Searcher {
    fn drop(&mut self) {
        self.cancel();
    }
}

fn run(
    backend: &dyn SearchBackend,
    query: &Query,
    token: &CancelToken,
    keep: Option<usize>,
    tx: &SyncSender<SearchEvent>,
) {
    let mut sent = 0;
    let mut stopped = false;
    let mut sink = |hit: Hit| {
        if keep.is_some_and(|k| sent >= k) {
            stopped = true;
            return Flow::Stop;
        }
        sent += 1;
        send(tx, token, SearchEvent::Hit(Box::new(hit)))
    };
    let mut result = backend.search(query, token, &mut sink);
    // Stopped at `keep` (a hit past it came), not cancelled: the whole count, without
    // building the rest.
    if stopped && !token.is_cancelled() && result.is_ok() {
        result = backend.count(query, token);
    }
    let end = match result {
        Ok(summary) => SearchEvent::Done(summary),
        Err(e) => SearchEvent::Failed(e),
    };
    // The last event waits for room even when cancelled: the reader must see the end.
    let _ = tx.send(end);
}

/// Send without blocking a cancelled search: while the channel is full, wait a little and
/// look at the token again.
fn send(tx: &SyncSender<SearchEvent>, token: &CancelToken, mut event: SearchEvent) -> Flow {
    loop {
        if token.is_cancelled() {
            return Flow::Stop;
        }
        match tx.try_send(event) {
            Ok(()) => return Flow::Continue,
            Err(TrySendError::Disconnected(_)) => return Flow::Stop,
            Err(TrySendError::Full(back)) => {
                event = back;
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
}
