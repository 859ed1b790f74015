//! Archive-wide search from the reader's side: `S` opens a query line over a results pane;
//! every edit of a query that reads starts a search (cancelling the running one), hits
//! stream in newest first, Enter on a result opens its article at the hit (its paragraph
//! at the top, the hit highlighted through a [`Find`]), Esc there comes back to the
//! results, which stay until the next search. Also the one dispatch point for the find
//! prompt and `n`/`N` (`find.rs`).
//!
//! No I/O here: the session runs the search ([`Effect::Search`]) and feeds its events and
//! the cache builder's progress back through [`App::search_event`] and friends
//! (`search_feed.rs`).

use std::sync::Arc;

use crate::model::TextPos;
use crate::search::{Coverage, Folder, Hit, Progress, Summary};

use super::action::{Action, Effect};
use super::app::{App, LineEdit, Pane};
use super::find::Find;

/// Results kept in memory; the count goes on past it.
pub const MAX_KEPT: usize = 5000;

/// Whether the reader can search the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// No cache for this run (pages opened on their own, tests): the reason.
    Off(String),
    /// The cache is opened soon: once the first screen is out and every issue counted
    /// (the session's `background_if_due`), or when `S` or `/` opens its line
    /// ([`crate::ui::Effect::StartSearch`]).
    Waiting,
    /// The cache and its folding table are being opened.
    Starting,
    Ready,
}

/// What a prompt line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Find,
    Archive,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub edit: LineEdit,
}

/// One archive search and what has come back so far.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub query: String,
    /// Which search of this session (events of older ones are dropped).
    pub generation: u64,
    /// Folded terms, to highlight them in an opened article.
    pub terms: Vec<String>,
    pub hits: Vec<Hit>,
    /// Articles found so far (goes on past [`MAX_KEPT`]).
    pub found: usize,
    /// What the cache covered when the search started.
    pub coverage: Option<Coverage>,
    pub done: Option<Summary>,
    pub error: Option<String>,
    pub sel: usize,
    /// Listed most relevant first (headline hits, then density) instead of newest first.
    pub relevance: bool,
}

impl Results {
    /// Put the hits in the order asked for (hits arrive newest first; a relevance order
    /// is made again from what has arrived).
    pub fn order(&mut self) {
        if self.relevance {
            crate::search::sort_by_relevance(&mut self.hits);
        } else {
            self.hits.sort_by(|a, b| {
                b.date
                    .cmp(&a.date)
                    .then_with(|| a.issue.cmp(&b.issue))
                    .then(a.page_number.cmp(&b.page_number))
                    .then(a.article.index.cmp(&b.article.index))
            });
        }
    }
}

/// The reader's search state.
#[derive(Debug, Clone)]
pub struct SearchUi {
    /// Folding for `/` (the session puts the cache's table here when it has loaded).
    pub folder: Arc<Folder>,
    pub backend: Backend,
    pub prompt: Option<Prompt>,
    pub find: Option<Find>,
    pub results: Option<Results>,
    /// The query of `results` run again over a cache that has grown since
    /// ([`App::search_refresh_due`]): streamed here and put in their place when done, so
    /// the list neither empties nor loses its selection meanwhile.
    pub refresh: Option<Results>,
    /// The build's progress (issues cached, done) when the last refresh started: one run
    /// per step of the build at most, whatever the query, so a cache that never covers
    /// what the build counts (an issue dropped as damaged) does not run a query again and
    /// again, nor every new query twice.
    pub(crate) refreshed: Option<(usize, bool)>,
    /// The results pane is on screen.
    pub shown: bool,
    /// The open article came from the results: Esc goes back to them.
    pub from_results: bool,
    /// The cache builder's latest progress.
    pub progress: Option<Progress>,
    /// A hit to scroll to once its article is laid out.
    pub(crate) reveal: bool,
    pub(super) generation: u64,
}

impl Default for SearchUi {
    fn default() -> Self {
        SearchUi {
            folder: Arc::new(Folder::from_pairs(&[])),
            backend: Backend::Off("archive search is not set up for this run".into()),
            prompt: None,
            find: None,
            results: None,
            refresh: None,
            refreshed: None,
            shown: false,
            from_results: false,
            progress: None,
            reveal: false,
            generation: 0,
        }
    }
}

impl LineEdit {
    /// Apply an editing action ([`LineEdit::apply`]); true when the text changed (a cursor
    /// move or anything else does not start a new search).
    pub(crate) fn apply_changed(&mut self, action: Action) -> bool {
        let before = self.text.clone();
        self.apply(action) && self.text != before
    }
}

impl App {
    /// Search's share of `update`: `Some(effect)` when it took the action (a prompt, the
    /// results pane, the find keys), `None` to let the reader handle it.
    pub(crate) fn update_search(&mut self, action: Action) -> Option<Option<Effect>> {
        if let Action::Resize { width, height } = action {
            self.width = width;
            self.height = height;
            return None;
        }
        if self.search.prompt.is_some() {
            return Some(self.update_prompt(action));
        }
        if self.overlay.is_some() {
            return None;
        }
        if self.search.shown {
            return self.update_results(action);
        }
        match action {
            Action::FindInArticle => {
                if self.open.is_none() {
                    self.say("open an article to find in it");
                } else {
                    self.open_prompt(PromptKind::Find, String::new());
                    return Some(self.search_wanted());
                }
            }
            Action::SearchArchive => return Some(self.open_search()),
            Action::NextArticle if self.active_find().is_some() => self.step_find(true),
            Action::SearchOrder => {
                let key = self.keymap.hint(Action::SearchArchive).unwrap_or_default();
                self.say(format!("the order is for search results: {key} shows them"));
            }
            Action::FindPrev => {
                if self.active_find().is_some() {
                    self.step_find(false);
                } else {
                    let key = self.keymap.hint(Action::FindInArticle).unwrap_or_default();
                    self.say(format!("no find is on: {key} finds in the article"));
                }
            }
            Action::Back if self.search.find.is_some() => {
                self.end_find();
                if std::mem::take(&mut self.search.from_results) && self.search.results.is_some() {
                    self.search.shown = true;
                }
            }
            _ => return None,
        }
        Some(None)
    }

    fn open_prompt(&mut self, kind: PromptKind, text: String) {
        let cursor = text.chars().count();
        self.search.prompt = Some(Prompt {
            kind,
            edit: LineEdit { text, cursor },
        });
    }

    /// `S`: the query line over the results (the last query, ready to be edited).
    fn open_search(&mut self) -> Option<Effect> {
        if let Backend::Off(why) = &self.search.backend {
            let why = why.clone();
            self.warn(why);
            return None;
        }
        self.search.shown = true;
        let text = self
            .search
            .results
            .as_ref()
            .map(|r| r.query.clone())
            .unwrap_or_default();
        self.open_prompt(PromptKind::Archive, text);
        self.search_wanted()
    }

    /// Ask for the search cache (and its folding table) when it still waits to be opened.
    fn search_wanted(&self) -> Option<Effect> {
        (self.search.backend == Backend::Waiting).then_some(Effect::StartSearch)
    }

    fn update_prompt(&mut self, action: Action) -> Option<Effect> {
        let prompt = self.search.prompt.as_mut()?;
        let kind = prompt.kind;
        match action {
            Action::EditConfirm => {
                let text = prompt.edit.text.clone();
                self.search.prompt = None;
                match kind {
                    PromptKind::Find => self.start_find(&text),
                    // Nothing asked: nothing to list.
                    PromptKind::Archive if text.trim().is_empty() => self.search.shown = false,
                    PromptKind::Archive => {}
                }
                None
            }
            Action::EditCancel => {
                self.search.prompt = None;
                if kind == PromptKind::Archive {
                    self.search.shown = false;
                }
                None
            }
            Action::Quit => Some(Effect::Quit),
            other => {
                let changed = prompt.edit.apply_changed(other);
                let text = prompt.edit.text.clone();
                if changed && kind == PromptKind::Archive {
                    // Every keystroke is a new search: the running one is cancelled.
                    return self.new_search(&text);
                }
                None
            }
        }
    }

    /// Replace the results with a search for `text` (none for an empty line).
    fn new_search(&mut self, text: &str) -> Option<Effect> {
        self.search.refresh = None;
        if text.trim().is_empty() {
            self.search.results = None;
            return Some(Effect::CancelSearch);
        }
        self.search.generation += 1;
        let generation = self.search.generation;
        let relevance = self.search.results.as_ref().is_some_and(|r| r.relevance);
        self.search.results = Some(Results {
            query: text.to_string(),
            generation,
            relevance,
            ..Results::default()
        });
        Some(Effect::Search(generation, text.to_string()))
    }

    fn update_results(&mut self, action: Action) -> Option<Option<Effect>> {
        let rows = self.results_rows().max(1) as isize;
        let len = self.search.results.as_ref().map_or(0, |r| r.hits.len());
        let Some(res) = self.search.results.as_mut() else {
            // Shown with nothing in it: only the query line makes sense.
            if matches!(action, Action::Back) {
                self.search.shown = false;
            } else if !matches!(action, Action::Quit | Action::ToggleHelp) {
                self.open_search();
            }
            return (!matches!(action, Action::Quit | Action::ToggleHelp)).then_some(None);
        };
        let mv = |sel: usize, n: isize| {
            (sel as isize)
                .saturating_add(n)
                .clamp(0, len.saturating_sub(1) as isize) as usize
        };
        match action {
            Action::LineDown => res.sel = mv(res.sel, 1),
            Action::LineUp => res.sel = mv(res.sel, -1),
            Action::PageDown | Action::ReadOn => res.sel = mv(res.sel, rows),
            Action::PageUp => res.sel = mv(res.sel, -rows),
            Action::HalfPageDown => res.sel = mv(res.sel, rows / 2),
            Action::HalfPageUp => res.sel = mv(res.sel, -rows / 2),
            Action::Top => res.sel = 0,
            Action::Bottom => res.sel = len.saturating_sub(1),
            Action::Wheel { lines, .. } => res.sel = mv(res.sel, isize::from(lines)),
            Action::Open => return Some(self.open_hit()),
            Action::Back => self.search.shown = false,
            Action::SearchOrder => {
                res.relevance = !res.relevance;
                res.order();
                res.sel = 0;
                let text = if res.relevance {
                    "most relevant first: headline hits, then the most hits per character"
                } else {
                    "newest first"
                };
                self.say(text);
            }
            Action::SearchArchive | Action::FindInArticle => {
                let text = res.query.clone();
                self.open_prompt(PromptKind::Archive, text);
            }
            Action::Quit | Action::ToggleHelp => return None,
            _ => {}
        }
        Some(None)
    }

    /// Rows of the results list on screen (as the view draws it).
    pub fn results_rows(&self) -> usize {
        let per = if self.width >= super::view::search::WIDE {
            1
        } else {
            2
        };
        usize::from(self.height.saturating_sub(3)) / per
    }

    /// Enter on a result: open its article at the hit, with the search's terms found in it.
    fn open_hit(&mut self) -> Option<Effect> {
        let res = self.search.results.as_ref()?;
        let hit = res.hits.get(res.sel)?.clone();
        let terms = res.terms.clone();
        let label = res.query.clone();
        let Some(i) = self.entries.iter().position(|e| e.id == hit.issue) else {
            self.warn(format!("{}: no longer in this library", hit.issue));
            return None;
        };
        self.search.shown = false;
        self.search.from_results = true;
        let at = hit.open_at();
        self.search.find = Some(Find {
            article: Some(hit.article.clone()),
            current: None,
            ..Find::new(&label, terms)
        });
        self.search.reveal = true;
        // The paragraph's start: a saved position may not move it, and sync scrolls on.
        let anchor = TextPos {
            block: at.block,
            offset: 0,
        };
        self.issue_sel = i;
        if self.current == Some(i) {
            match self.find_article(&hit.article) {
                Some(a) => {
                    self.open_at(a, Some(anchor));
                    self.focus = Pane::Body;
                }
                None => self.warn(format!("“{}” is missing from its issue", hit.title)),
            }
            return None;
        }
        self.pending = Some((hit.article, Some(anchor), Pane::Body));
        self.want_issue(i)
    }

    /// After every update (from `sync`): a find whose article is no longer open ends; a
    /// find waiting for its article computes its hits and scrolls to the reader's hit.
    pub(crate) fn sync_search(&mut self) {
        let Some(find) = &self.search.find else {
            return;
        };
        if self.pending.is_some() || self.wanted.is_some() {
            return;
        }
        if self.search.reveal && self.open.is_some() {
            // The article the hit named, as the issue now has it (its id may have been
            // matched loosely: a title corrected since the cache was built).
            let open = self.open_id().cloned();
            if let Some(f) = &mut self.search.find {
                f.article = open;
            }
        } else if find.article.as_ref() != self.open_id() {
            self.search.find = None;
            self.search.from_results = false;
            self.search.reveal = false;
            return;
        }
        if !self.search.reveal || self.body.key.is_none() {
            return;
        }
        self.search.reveal = false;
        let target = self
            .search
            .results
            .as_ref()
            .and_then(|r| r.hits.get(r.sel))
            .map(Hit::open_at);
        let terms = self
            .search
            .find
            .as_ref()
            .map(|f| f.terms.clone())
            .unwrap_or_default();
        let (Some(article), Some(target)) = (self.open_article(), target) else {
            return;
        };
        let hits = super::find::find_hits(article, &terms, &self.search.folder);
        let first = hits
            .iter()
            .position(|h| h.field == crate::search::Field::Body && h.pos >= target)
            .or((!hits.is_empty()).then_some(0));
        let title_hit = target == TextPos::default();
        if let Some(f) = &mut self.search.find {
            f.hits = hits;
            f.current = if title_hit { Some(0) } else { first };
        }
        // To the hit the result named, even if the find has no hit there (an article
        // changed since it was cached, a query of filters only).
        self.go_to_pos(!title_hit, target, true);
        let rule = self.find_rule();
        let note = self.active_find().map(Find::note).unwrap_or_default();
        self.say(format!("{note} · {rule}"));
    }
}
