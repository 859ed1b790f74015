//! `App::update`: one action in, state changed, at most one effect out. No I/O here: loading
//! an issue, saving state, copying and quitting are effects the event loop performs.

use crate::model::{ArticleId, Issue, TextPos};

use super::action::{Action, Effect};
use super::app::{App, ArticleRef, Overlay, Pane, Row};

/// Parsed issues kept in memory at once.
pub const KEEP_ISSUES: usize = 12;

impl App {
    /// The first effect after construction: load the last-open issue (or the first one).
    pub fn start(&mut self) -> Option<Effect> {
        let effect = self.start_issue();
        self.sync();
        effect
    }

    fn start_issue(&mut self) -> Option<Effect> {
        if self.issues.is_empty() {
            self.warn("no issues: run `dubao PATH...` with page files or folders");
            return None;
        }
        let last = self.store.last().clone();
        let idx = last
            .issue
            .as_ref()
            .and_then(|id| self.issues.iter().position(|s| &s.entry.id == id));
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
            slot.issue = Some(issue);
        }
        if self.wanted == Some(index) {
            self.show_issue(index);
        }
        self.sync();
    }

    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if !matches!(action, Action::Resize { .. }) {
            self.message = None;
        }
        let effect = match self.overlay {
            Some(Overlay::Help { .. }) => self.update_help(action),
            Some(Overlay::Bookmarks { .. }) => self.update_bookmarks(action),
            None => self.update_main(action),
        };
        self.sync();
        effect
    }

    fn update_main(&mut self, action: Action) -> Option<Effect> {
        let page = self.body_height().saturating_sub(1).max(1) as isize;
        let half = (self.body_height() / 2).max(1) as isize;
        match action {
            Action::LineDown => self.step(self.focus, 1),
            Action::LineUp => self.step(self.focus, -1),
            Action::HalfPageDown => self.step(self.focus, half),
            Action::HalfPageUp => self.step(self.focus, -half),
            Action::PageDown => self.step(self.focus, self.pane_page(page)),
            Action::PageUp => self.step(self.focus, -self.pane_page(page)),
            Action::Top => self.step(self.focus, isize::MIN / 2),
            Action::Bottom => self.step(self.focus, isize::MAX / 2),
            Action::ReadOn => {
                if self.focus == Pane::Body && self.at_end() {
                    return self.next_article(1);
                }
                self.step(self.focus, self.pane_page(page));
            }
            Action::Open => return self.open_selected(),
            Action::FocusNext => self.set_focus(match self.focus {
                Pane::Issues => Pane::Headlines,
                Pane::Headlines => Pane::Body,
                Pane::Body => Pane::Issues,
            }),
            Action::FocusPrev => self.set_focus(match self.focus {
                Pane::Issues => Pane::Body,
                Pane::Headlines => Pane::Issues,
                Pane::Body => Pane::Headlines,
            }),
            Action::FocusLeft => self.focus_left(),
            Action::FocusRight => self.set_focus(match self.focus {
                Pane::Issues => Pane::Headlines,
                _ => Pane::Body,
            }),
            Action::Back => {
                if self.zoom {
                    self.zoom = false;
                } else {
                    self.focus_left();
                }
            }
            Action::NextArticle => return self.next_article(1),
            Action::PrevArticle => return self.next_article(-1),
            Action::OlderIssue => return self.switch_issue(1),
            Action::NewerIssue => return self.switch_issue(-1),
            Action::ToggleZoom => {
                self.zoom = !self.zoom;
                if self.zoom {
                    self.focus = Pane::Body;
                }
            }
            Action::ToggleHelp => self.overlay = Some(Overlay::Help { top: 0 }),
            Action::ShowBookmarks => {
                self.overlay = Some(Overlay::Bookmarks { sel: 0, edit: None });
            }
            Action::ToggleBookmark => return self.toggle_bookmark(),
            Action::CopyArticle => return self.copy_article(),
            Action::Quit => return Some(Effect::Quit),
            Action::Wheel { x, y, lines } => {
                if let Some(p) = self.geometry().pane_at(x, y) {
                    self.step(p, isize::from(lines));
                }
            }
            Action::Click { x, y } => return self.click(x, y),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::DeleteBookmark | Action::EditNote => {}
            Action::EditInsert(_)
            | Action::EditBackspace
            | Action::EditDelete
            | Action::EditLeft
            | Action::EditRight
            | Action::EditHome
            | Action::EditEnd
            | Action::EditConfirm
            | Action::EditCancel => {}
        }
        None
    }

    fn update_help(&mut self, action: Action) -> Option<Effect> {
        let rows = self.keymap.help_rows().len();
        let Some(Overlay::Help { top }) = &mut self.overlay else {
            return None;
        };
        match action {
            Action::LineDown | Action::PageDown | Action::ReadOn | Action::HalfPageDown => {
                *top = (*top + 1).min(rows.saturating_sub(1));
            }
            Action::LineUp | Action::PageUp | Action::HalfPageUp => *top = top.saturating_sub(1),
            Action::Top => *top = 0,
            Action::Quit => return Some(Effect::Quit),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::Wheel { .. } | Action::Click { .. } => {}
            _ => self.overlay = None,
        }
        None
    }

    /// Move the cursor of a list pane, or scroll the body, by `n` (clamped).
    pub(crate) fn step(&mut self, pane: Pane, n: isize) {
        match pane {
            Pane::Issues => {
                let len = self.issues.len();
                self.issue_sel = clamp_add(self.issue_sel, n, len);
            }
            Pane::Headlines => {
                let len = self.rows.len();
                let target = clamp_add(self.head_sel, n, len);
                self.head_sel = self.selectable_near(target, n >= 0);
            }
            Pane::Body => {
                let max = self.max_top();
                let top = clamp_add(self.body.top, n, max + 1);
                if top != self.body.top {
                    self.body.top = top;
                    self.body.anchor = self.body.layout.pos_at(top);
                }
            }
        }
    }

    fn pane_page(&self, page: isize) -> isize {
        match self.focus {
            Pane::Body => page,
            p => self
                .geometry()
                .content(p)
                .map_or(1, |r| (r.height.saturating_sub(1) as isize).max(1)),
        }
    }

    /// The nearest row at or after (`forward`) / before `i` that is not a page separator.
    fn selectable_near(&self, i: usize, forward: bool) -> usize {
        let ok = |k: usize| !matches!(self.rows.get(k), Some(Row::Page(_)));
        let mut order: Vec<usize> = if forward {
            (i..self.rows.len()).chain((0..i).rev()).collect()
        } else {
            (0..=i.min(self.rows.len().saturating_sub(1)))
                .rev()
                .chain(i + 1..self.rows.len())
                .collect()
        };
        order.retain(|k| ok(*k));
        order.first().copied().unwrap_or(0)
    }

    pub(crate) fn max_top(&self) -> usize {
        self.body
            .layout
            .lines
            .len()
            .saturating_sub(self.body_height())
    }

    fn at_end(&self) -> bool {
        self.body.top >= self.max_top()
    }

    fn set_focus(&mut self, p: Pane) {
        if p != Pane::Body {
            self.zoom = false;
        }
        self.focus = p;
    }

    fn focus_left(&mut self) {
        self.set_focus(match self.focus {
            Pane::Body => Pane::Headlines,
            _ => Pane::Issues,
        });
    }

    fn open_selected(&mut self) -> Option<Effect> {
        match self.focus {
            Pane::Issues => {
                let effect = self.want_issue(self.issue_sel);
                self.focus = Pane::Headlines;
                effect
            }
            Pane::Headlines => {
                match self.rows.get(self.head_sel).copied() {
                    Some(Row::Article(a)) => {
                        self.open_at(a, None);
                        self.focus = Pane::Body;
                    }
                    Some(Row::Error(e)) => {
                        if let Some(err) = self.current_issue().and_then(|i| i.errors.get(e)) {
                            let text = format!("{}: {}", err.source, err.message);
                            self.warn(text);
                        }
                    }
                    _ => {}
                }
                None
            }
            Pane::Body => None,
        }
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

    fn switch_issue(&mut self, delta: isize) -> Option<Effect> {
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
        self.issue_sel = to as usize;
        self.want_issue(to as usize)
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
    fn evict_issues(&mut self, showing: usize) {
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

    fn open_first(&mut self) {
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
        let saved = self.store.article(&r.id).map(|s| s.anchor);
        let id = r.id.clone();
        if let Some(title) = self.article(a).map(|x| x.title()) {
            self.store.set_title(&id, &title);
        }
        self.open = Some(a);
        self.stash_layout();
        self.body = Default::default();
        self.body.anchor = anchor.or(saved).unwrap_or_default();
        if let Some(row) = self.rows.iter().position(|r| *r == Row::Article(a)) {
            self.head_sel = row;
        }
    }

    fn next_article(&mut self, delta: isize) -> Option<Effect> {
        let cur = self.open?;
        let to = cur as isize + delta;
        if to < 0 {
            self.say("this is the first article of the issue");
        } else if to as usize >= self.articles.len() {
            self.say("this is the last article of the issue; ] opens the next issue");
        } else {
            self.open_at(to as usize, Some(TextPos::default()));
        }
        None
    }

    /// After every change: lay out the open article if the cache is stale, keep the top
    /// paragraph in view, keep list cursors on screen, and record the reading position.
    pub(crate) fn sync(&mut self) {
        if let (Some(i), Some(a), Some(opts)) = (self.current, self.open, self.layout_options()) {
            let key = super::app::LayoutKey {
                issue: i,
                article: a,
                opts,
            };
            if self.body.key != Some(key) {
                self.stash_layout();
                self.body.layout = self.take_layout(key);
                self.body.key = Some(key);
                self.body.top = self.line_for(self.body.anchor);
            }
        }
        self.body.top = self.body.top.min(self.max_top());
        self.issue_top = keep_visible(
            self.issue_sel,
            self.issue_top,
            self.list_height(Pane::Issues),
        );
        self.head_top = keep_visible(
            self.head_sel,
            self.head_top,
            self.list_height(Pane::Headlines),
        );
        self.record_position();
    }

    /// The first screen line showing `pos` (several lines can start at the same position:
    /// a headline group and the blank line after it).
    fn line_for(&self, pos: TextPos) -> usize {
        let lines = &self.body.layout.lines;
        let mut l = self.body.layout.line_of(pos);
        while l > 0 && lines.get(l - 1).map(|x| x.pos) == lines.get(l).map(|x| x.pos) {
            l -= 1;
        }
        l
    }

    fn list_height(&self, p: Pane) -> usize {
        self.geometry()
            .content(p)
            .map_or(1, |r| usize::from(r.height).max(1))
    }
}

/// `i + n`, clamped to `0..len`.
fn clamp_add(i: usize, n: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (i as isize).saturating_add(n).clamp(0, len as isize - 1) as usize
}

/// The list offset that keeps `sel` inside a window of `h` rows, moving as little as possible.
fn keep_visible(sel: usize, top: usize, h: usize) -> usize {
    if sel < top {
        sel
    } else if sel >= top + h {
        sel + 1 - h
    } else {
        top
    }
}
