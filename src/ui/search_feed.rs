//! What the session feeds the reader's search state: the cache opened (or not), a search
//! started over some coverage, its hits and end, the cache builder's progress or failure;
//! and the status line's note built from them. Events of a search that a newer one has
//! replaced are dropped here, so a late hit of a cancelled scan never shows.

use std::sync::Arc;

use crate::search::{Coverage, Folder, Progress, SearchEvent};

use super::app::App;
use super::search::{Backend, MAX_KEPT, Results};

impl App {
    /// The session has opened the cache (or found it cannot).
    pub fn search_ready(&mut self, folder: Arc<Folder>) {
        self.search.folder = folder;
        self.search.backend = Backend::Ready;
    }

    pub fn search_off(&mut self, why: impl Into<String>) {
        self.search.backend = Backend::Off(why.into());
    }

    pub fn search_waiting(&mut self) {
        self.search.backend = Backend::Waiting;
    }

    pub fn search_starting(&mut self) {
        self.search.backend = Backend::Starting;
    }

    /// Search `generation` has started over this much of the library.
    pub fn search_started(
        &mut self,
        generation: u64,
        coverage: Option<Coverage>,
        terms: Vec<String>,
    ) {
        if let Some(r) = self.results_for(generation) {
            r.coverage = coverage;
            r.terms = terms;
        }
    }

    /// The query of search `generation` could not be read, or the search failed.
    pub fn search_failed(&mut self, generation: u64, why: String) {
        if let Some(r) = self.results_for(generation) {
            r.error = Some(why);
        }
        self.finish_refresh();
    }

    /// The search to run again, when the results shown were found in a cache that has
    /// grown since: a search made while the cache is being built (a first start) fills in
    /// as it grows instead of keeping "0 articles". Due when the build is done, and
    /// before that each time the issues cached have doubled (a dozen runs at most over
    /// ten years), one at a time. Returns its generation and query, for the session to
    /// start; its results go to [`SearchUi::refresh`] until they are complete.
    pub fn search_refresh_due(&mut self) -> Option<(u64, String)> {
        let s = &mut self.search;
        let progress = s.progress.as_ref()?;
        let shown = s.results.as_ref()?;
        let done = shown.done.as_ref()?;
        let covered = done.coverage.issues;
        let grown = progress.cached > covered && (progress.done || progress.cached > 2 * covered);
        let step = Some((progress.cached, progress.done));
        if s.refresh.is_some()
            || shown.error.is_some()
            || done.cancelled
            || !grown
            || s.refreshed == step
        {
            return None;
        }
        s.refreshed = step;
        s.generation += 1;
        let query = shown.query.clone();
        s.refresh = Some(Results {
            query: query.clone(),
            generation: s.generation,
            relevance: shown.relevance,
            ..Results::default()
        });
        Some((s.generation, query))
    }

    /// A refresh that has ended takes the place of the results shown (the same hit kept
    /// selected); one that failed is dropped, and the results shown stay.
    fn finish_refresh(&mut self) {
        let s = &mut self.search;
        let Some(mut new) = s.refresh.take_if(|r| r.done.is_some() || r.error.is_some()) else {
            return;
        };
        if new.error.is_some() {
            return;
        }
        if let Some(old) = s.results.as_ref() {
            // The order may have been changed while it ran.
            new.relevance = old.relevance;
        }
        new.order();
        if let Some(old) = s.results.as_ref() {
            let kept = old.hits.get(old.sel).and_then(|h| {
                new.hits
                    .iter()
                    .position(|n| n.issue == h.issue && n.article == h.article)
            });
            new.sel = kept.unwrap_or(old.sel.min(new.hits.len().saturating_sub(1)));
        }
        s.results = Some(new);
    }

    pub fn search_event(&mut self, generation: u64, event: SearchEvent) {
        let Some(r) = self.results_for(generation) else {
            return;
        };
        match event {
            SearchEvent::Hit(hit) => {
                r.found += 1;
                if r.hits.len() < MAX_KEPT {
                    r.hits.push(*hit);
                }
            }
            SearchEvent::Done(summary) => {
                // Past the hits kept, the searcher only counts: its total is the count.
                r.found = r.found.max(summary.articles);
                r.done = Some(summary);
            }
            SearchEvent::Failed(e) => r.error = Some(e.to_string()),
        }
        self.finish_refresh();
    }

    /// After a batch of events: a relevance order takes in the hits that came.
    pub fn search_settle(&mut self) {
        if let Some(r) = self.search.results.as_mut().filter(|r| r.relevance) {
            r.order();
        }
    }

    /// The cache builder stopped on an error: searches go on over what is cached.
    pub fn search_build_failed(&mut self, why: String) {
        self.search.progress = None;
        self.warn(format!("search cache not updated: {why}"));
    }

    pub fn search_progress(&mut self, progress: Progress) {
        self.search.progress = Some(progress);
    }

    fn results_for(&mut self, generation: u64) -> Option<&mut Results> {
        let s = &mut self.search;
        if s.refresh
            .as_ref()
            .is_some_and(|r| r.generation == generation)
        {
            return s.refresh.as_mut();
        }
        s.results.as_mut().filter(|r| r.generation == generation)
    }

    /// The left part of the status line's search notes: the find, the cache build.
    pub fn search_note(&self) -> Option<String> {
        let mut notes = Vec::new();
        // While a message shows, it starts with the find's note (the left part is cut
        // first on a narrow status line).
        if let Some(f) = self.active_find().filter(|_| self.message.is_none()) {
            notes.push(f.note());
        }
        if let Some(p) = self.search.progress.as_ref().filter(|p| !p.done) {
            let pct = (p.cached * 100).checked_div(p.issues).unwrap_or(100);
            notes.push(format!("indexing {pct}%"));
        }
        (!notes.is_empty()).then(|| notes.join(" · "))
    }
}
