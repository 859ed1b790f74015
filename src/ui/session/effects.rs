//! Effects: what `App::update` asks the session to do (load, save, copy, search), the
//! loader's and the summary thread's results, and the housekeeping after every input
//! (prefetch, background saves).

use std::io::{self, Write};
use std::sync::{Arc, mpsc};

use super::{Flow, Session, now_ms};
use crate::library;
use crate::ui::action::Effect;
use crate::ui::clipboard;
use crate::ui::search::Backend;

impl<W: Write> Session<W> {
    pub(super) fn take_loaded(&mut self) {
        if let Some(rx) = &self.summaries {
            loop {
                match rx.try_recv() {
                    Ok(counts) => self.app.summaries_loaded(counts),
                    Err(mpsc::TryRecvError::Empty) => break,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        self.summaries = None;
                        // Every issue counted: the search waiting for it may start.
                        self.background_if_due(false);
                        break;
                    }
                }
            }
        }
        while let Some(issue) = self.loader.try_recv() {
            let slot = self.app.entries.iter().position(|e| e.id == issue.id);
            if let Some(i) = slot {
                self.app.issue_loaded(i, Arc::unwrap_or_clone(issue));
            }
        }
        self.dirty = true;
    }

    /// Perform an effect (and those it leads to).
    pub(super) fn perform(&mut self, effect: Option<Effect>) -> io::Result<Flow> {
        self.dirty = true;
        let mut effect = effect;
        while let Some(e) = effect.take() {
            match e {
                Effect::Quit => return Ok(Flow::Quit(0)),
                Effect::Suspend => return Ok(Flow::Suspend),
                Effect::Save => {
                    // Bookmarks: on disk before the next key, not just soon.
                    self.app.checkpoint(now_ms());
                    if let Err(err) = self.app.store.save() {
                        self.app.warn(format!("could not save state: {err}"));
                    }
                }
                Effect::LoadIssue(i) => {
                    if let Some(entry) = self.app.entries.get(i)
                        && !self.loader.request(entry)
                    {
                        // No worker thread: load here.
                        let issue = library::load_issue(entry, &self.parse);
                        self.app.issue_loaded(i, issue);
                    }
                }
                Effect::Copy(text) => {
                    let tmux = if self.local_terminal {
                        clipboard::tmux_now()
                    } else {
                        clipboard::Tmux::Absent
                    };
                    let plan = clipboard::plan(&text, &tmux);
                    let w = self.screen.backend_mut();
                    w.write_all(plan.sequence.as_bytes())?;
                    Write::flush(w)?;
                    if plan.likely {
                        self.app.say(plan.message);
                    } else {
                        self.app.warn(plan.message);
                    }
                    self.dirty = true;
                }
                Effect::Search(generation, text) => {
                    // Its line asked for the search already (StartSearch); when its thread
                    // could not start, the reason goes to the results, not "searching…"
                    // for ever.
                    self.start_waiting_search();
                    if let Backend::Off(why) = &self.app.search.backend {
                        let why = why.clone();
                        self.app.search_failed(generation, why);
                    } else {
                        self.search.search(&mut self.app, generation, text);
                    }
                }
                Effect::CancelSearch => self.search.cancel(),
                Effect::StartSearch => self.start_waiting_search(),
            }
        }
        Ok(Flow::Continue)
    }

    /// After every applied input: prefetch, hand positions to the background saver (which
    /// never blocks), and take its warnings for the status line.
    pub(super) fn housekeeping(&mut self) {
        self.prefetch_neighbours();
        if self.app.current.is_some() {
            self.app.record_last(now_ms());
        }
        if self.app.store.has_unsaved() {
            self.app.store.save_soon();
        }
        let warnings = self.app.store.take_warnings();
        self.app.notify(warnings);
    }

    /// Parse the issues next to the one shown in the background, so `]` and `[` do not wait.
    pub(super) fn prefetch_neighbours(&mut self) {
        let Some(c) = self.app.current else {
            return;
        };
        for n in [c + 1, c.wrapping_sub(1)] {
            if let (Some(slot), Some(entry)) = (self.app.issues.get(n), self.app.entries.get(n))
                && slot.issue.is_none()
                && !self.loader.is_pending(&entry.id)
            {
                self.loader.prefetch(entry);
            }
        }
    }
}
