//! Opening things: the first issue at start-up (this library's place, or `--date`), issues
//! as they come back from the loader, an issue at the article last open in it, an article
//! at a saved or given anchor, the next and previous article. Also the bound on parsed
//! issues kept in memory.

use crate::model::{ArticleId, Issue, TextPos};

use super::action::{Action, Effect};
use super::app::{App, ArticleRef, Pane, Row};

/// Parsed issues kept in memory at once.
pub const KEEP_ISSUES: usize = 12;

impl App {
    /// The first effect after construction: load the last-open issue (or the first one).
    pub fn start(&mut self) -> Option<Effect> {
        let effect = self.start_issue();
        self.sync();
        effect
    }

    pub(crate) fn start_issue(&mut self) -> Option<Effect> {
        if self.issues.is_empty() {
            self.warn("no issues: run `dubao PATH...` with page files or folders");
            return None;
        }
        if let Some(q) = self.opts.date {
            return self.goto_query(q);
        }
        // This library's place; else the latest place of any library when its issue is in
        // this one (a state from before places were kept per library).
        let position = |id: &String| self.entries.iter().position(|e| e.id == id);
        let own = self.library.as_ref().and_then(|k| self.store.place(k));
        let last = match own {
            Some(p) => p.clone(),
            None if self.library.is_some() => self.store.last().clone(),
            None => Default::default(),
        };
        let idx = last.issue.as_ref().and_then(position);
        match idx {
            Some(i) => {
                let pane = last
                    .pane
                    .as_deref()
                    .and_then(Pane::from_name)
                    .unwrap_or(Pane::Issues);
                if let Some(article) = last.article {
                    self.pending = Some((article, None, pane));
                } else {
                    self.focus = pane;
                }
                self.issue_sel = i;
                self.want_issue(i)
            }
            None => self.want_issue(0),
        }
    }

    /// An issue the loop has read and parsed.
    pub fn issue_loaded(&mut self, index: usize, issue: Issue) {
        if let Some(slot) = self.issues.get_mut(index) {
            slot.articles = Some(issue.pages.iter().map(|p| p.articles.len()).sum());
            slot.issue = Some(Box::new(issue));
        }
        if self.wanted == Some(index) {
            self.show_issue(index);
        }
        self.sync();
    }

    /// Show issue `i`, loading it first when needed.
    pub(crate) fn want_issue(&mut self, i: usize) -> Option<Effect> {
        if i >= self.issues.len() {
            return None;
        }
        self.wanted = Some(i);
        if self.issues[i].issue.is_some() {
            self.show_issue(i);
            None
        } else {
            Some(Effect::LoadIssue(i))
        }
    }

    pub(crate) fn switch_issue(&mut self, delta: isize) -> Option<Effect> {
        let from = self.current.unwrap_or(self.issue_sel);
        let to = from as isize + delta;
        if to < 0 || to as usize >= self.issues.len() {
            self.say(if delta > 0 {
                "this is the oldest issue"
            } else {
                "this is the newest issue"
            });
            return None;
        }
        let to = to as usize;
        let (a, b) = (self.publication_of(from), self.publication_of(to));
        if a != b {
            let name = |p: Option<&str>| p.unwrap_or("(no paper)").to_string();
            let text = format!("{} → {}", name(a), name(b));
            self.say(text);
        }
        self.enter_issue(to, self.focus)
    }

    /// Show issue `i` at the article last open in it (its first article if never opened),
    /// with `focus`.
    pub(crate) fn enter_issue(&mut self, i: usize, focus: Pane) -> Option<Effect> {
        let place = self
            .entries
            .get(i)
            .and_then(|e| self.store.issue_place(&e.id))
            .map(|p| p.article.clone());
        self.issue_sel = i;
        match place {
            Some(article) => self.pending = Some((article, None, focus)),
            None => {
                self.pending = None;
                self.focus = focus;
            }
        }
        self.want_issue(i)
    }

    /// Make loaded issue `i` current: list its headlines and open an article.
    pub(crate) fn show_issue(&mut self, i: usize) {
        self.record_position();
        self.wanted = None;
        self.current = Some(i);
        self.issue_sel = i;
        self.evict_issues(i);
        self.stash_layout();
        self.layouts.clear();
        self.articles.clear();
        self.rows.clear();
        self.open = None;
        self.body = Default::default();
        self.head_sel = 0;
        self.head_top = 0;
        let Some(issue) = self.slot_issue(i) else {
            return;
        };
        let mut articles = Vec::new();
        let mut rows = Vec::new();
        for (p, page) in issue.pages.iter().enumerate() {
            rows.push(Row::Page(p));
            for (k, a) in page.articles.iter().enumerate() {
                rows.push(Row::Article(articles.len()));
                articles.push(ArticleRef {
                    page: p,
                    index: k,
                    id: ArticleId::new(&page.source, a, k),
                });
            }
        }
        rows.extend((0..issue.errors.len()).map(Row::Error));
        let errors = issue.errors.len();
        self.articles = articles;
        self.rows = rows;
        if errors > 0 {
            self.warn(format!(
                "{errors} page(s) of this issue could not be read (✗)"
            ));
        }
        if std::mem::take(&mut self.pending_unread)
            && let Some(a) =
                (0..self.articles.len()).find(|&a| !self.store.is_read(&self.articles[a].id))
        {
            self.pending = None;
            self.open_at(a, None);
            return;
        }
        match self.pending.take() {
            Some((id, anchor, focus)) => {
                match self.find_article(&id) {
                    Some(a) => self.open_at(a, anchor),
                    None => {
                        self.warn("the saved article is no longer in this issue");
                        self.open_first();
                    }
                }
                self.focus = focus;
            }
            None => self.open_first(),
        }
    }

    /// Keep at most [`KEEP_ISSUES`] parsed issues: drop the ones shown longest ago, so
    /// memory does not grow with the number of issues visited. The library can reload them.
    pub(crate) fn evict_issues(&mut self, showing: usize) {
        self.recent.retain(|&k| k != showing);
        self.recent.push(showing);
        let loaded: Vec<usize> = (0..self.issues.len())
            .filter(|&k| self.issues[k].issue.is_some())
            .collect();
        let mut excess = loaded.len().saturating_sub(KEEP_ISSUES);
        for k in loaded {
            if excess == 0 {
                break;
            }
            if k != showing
                && !self.recent[self.recent.len().saturating_sub(KEEP_ISSUES)..].contains(&k)
            {
                self.issues[k].issue = None;
                excess -= 1;
            }
        }
    }

    pub(crate) fn open_first(&mut self) {
        if !self.articles.is_empty() {
            self.open_at(0, None);
        } else {
            self.head_sel = self.selectable_near(0, true);
        }
    }

    /// The article of the current issue with this id: exact, else same page and index.
    pub(crate) fn find_article(&self, id: &ArticleId) -> Option<usize> {
        let same = |r: &ArticleRef| r.id.page == id.page && r.id.title_hash == id.title_hash;
        self.articles
            .iter()
            .position(|r| same(r) && r.id.index == id.index)
            .or_else(|| self.articles.iter().position(same))
            .or_else(|| {
                self.articles
                    .iter()
                    .position(|r| r.id.page == id.page && r.id.index == id.index)
            })
    }

    /// Open article `a` at `anchor`, else where the reader left it, else at the top.
    pub(crate) fn open_at(&mut self, a: usize, anchor: Option<TextPos>) {
        self.record_position();
        let Some(r) = self.articles.get(a) else {
            return;
        };
        let id = r.id.clone();
        let title = self
            .article(a)
            .map(super::super::model::Article::title)
            .unwrap_or_default();
        // Exact id, else the store's fallback match (a title corrected since, same page);
        // the read mark moves to the new id with the position.
        let found = self
            .store
            .find(&id, &title)
            .map(|(_, s)| (s.anchor, s.read));
        if let Some((at, true)) = found {
            self.store.set_position(&id, at, true);
        }
        let saved = found.map(|(at, _)| at);
        self.store.set_title(&id, &title);
        if let Some(issue) = self.current.and_then(|i| self.entries.get(i)) {
            let key = issue.id.clone();
            self.store.set_issue_place(&key, &id);
        }
        self.open = Some(a);
        self.stash_layout();
        self.body = Default::default();
        self.body.anchor = anchor.or(saved).unwrap_or_default();
        if let Some(row) = self.rows.iter().position(|r| *r == Row::Article(a)) {
            self.head_sel = row;
        }
    }

    pub(crate) fn next_article(&mut self, delta: isize) -> Option<Effect> {
        let cur = self.open?;
        let to = cur as isize + delta;
        if to < 0 {
            self.say("this is the first article of the issue");
        } else if to as usize >= self.articles.len() {
            let text = match self.keymap.hint(Action::OlderIssue) {
                Some(k) => {
                    format!("this is the last article of the issue; {k} opens the next issue")
                }
                None => "this is the last article of the issue".to_string(),
            };
            self.say(text);
        } else {
            self.open_at(to as usize, Some(TextPos::default()));
        }
        None
    }
}
