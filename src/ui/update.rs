//! `App::update`: one action in, state changed, at most one effect out. No I/O here: loading
//! an issue, saving state, copying and quitting are effects the event loop performs. This
//! file moves cursors, scrolls and focus, and re-syncs the layout cache after every change;
//! `open.rs` opens issues and articles.

use crate::model::TextPos;

use super::action::{Action, Effect};
use super::app::{App, Overlay, Pane, Row};

pub use super::open::KEEP_ISSUES;

impl App {
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if !matches!(action, Action::Resize { .. }) {
            self.message = None;
        }
        let effect = match (self.update_search(action), &self.overlay) {
            (Some(handled), _) => handled,
            (None, Some(Overlay::Help { .. })) => self.update_help(action),
            (None, Some(Overlay::Bookmarks { .. })) => self.update_bookmarks(action),
            (None, Some(Overlay::Notice { .. })) => self.update_notice(action),
            (None, Some(Overlay::GotoDate(_))) => self.update_date_prompt(action),
            (None, Some(Overlay::Pages { .. })) => self.update_pages(action),
            (None, None) => self.update_main(action),
        };
        self.sync();
        effect
    }

    pub(crate) fn update_main(&mut self, action: Action) -> Option<Effect> {
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
                    return self.read_on_at_end();
                }
                self.step(self.focus, self.pane_page(page));
            }
            Action::Open if self.focus == Pane::Body && self.at_end() => {
                // Enter with the story's `（下转第N版）` end on screen follows it.
                if self.open.and_then(|a| self.continuation(a)).is_some() {
                    return self.follow_continuation();
                }
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
            Action::ShowBookmarks => self.show_bookmarks(),
            Action::ToggleBookmark => return self.toggle_bookmark(),
            Action::CopyArticle => return self.copy_article(),
            Action::Quit => return Some(Effect::Quit),
            Action::Suspend => return Some(Effect::Suspend),
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
            // Taken by `update_search` before they get here.
            Action::FindInArticle
            | Action::FindPrev
            | Action::SearchArchive
            | Action::SearchOrder => {}
            Action::EditInsert(_)
            | Action::EditBackspace
            | Action::EditDelete
            | Action::EditLeft
            | Action::EditRight
            | Action::EditHome
            | Action::EditEnd
            | Action::EditConfirm
            | Action::EditCancel => {}
            Action::GotoDate => self.overlay = Some(Overlay::GotoDate(Default::default())),
            Action::NextPublication => return self.next_publication(1),
            Action::PrevPublication => return self.next_publication(-1),
            Action::NextUnread => return self.next_unread(),
            Action::MarkIssueRead | Action::MarkIssueUnread => {
                let i = match self.focus {
                    Pane::Issues => self.issue_sel,
                    _ => self.current.unwrap_or(self.issue_sel),
                };
                self.mark_issue(i, action == Action::MarkIssueRead);
                return Some(Effect::Save);
            }
            Action::FollowContinuation => return self.follow_continuation(),
            Action::ShowPages => self.show_pages(),
            Action::ToggleByDate => self.toggle_by_date(),
            Action::ShowMessages => self.show_messages(),
        }
        None
    }

    /// The help overlay: the scroll keys move it (when it does not fit the screen), `q`,
    /// Esc and `?` close it, and so does any other key, so nothing is ever trapped in it.
    pub(crate) fn update_help(&mut self, action: Action) -> Option<Effect> {
        let rows = self.keymap.help_rows().len();
        let shown = super::view::help::visible_rows(self.height, rows).max(1);
        let Some(Overlay::Help { top }) = &mut self.overlay else {
            return None;
        };
        let page = shown.saturating_sub(1).max(1) as isize;
        let by = match action {
            Action::LineDown => 1,
            Action::LineUp => -1,
            Action::PageDown | Action::ReadOn => page,
            Action::PageUp => -page,
            Action::HalfPageDown => (shown / 2).max(1) as isize,
            Action::HalfPageUp => -((shown / 2).max(1) as isize),
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            Action::Wheel { lines, .. } => isize::from(lines),
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                0
            }
            Action::Click { .. } => 0,
            _ => {
                self.overlay = None;
                return None;
            }
        };
        let max_top = rows.saturating_sub(super::view::help::visible_rows(self.height, rows));
        *top = (*top as isize)
            .saturating_add(by)
            .clamp(0, max_top as isize) as usize;
        None
    }

    /// Move the cursor of a list pane, or scroll the body, by `n` (clamped).
    pub(crate) fn step(&mut self, pane: Pane, n: isize) {
        match pane {
            Pane::Issues => self.step_issues(n),
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

    pub(crate) fn pane_page(&self, page: isize) -> isize {
        match self.focus {
            Pane::Body => page,
            p => self
                .geometry()
                .content(p)
                .map_or(1, |r| (r.height.saturating_sub(1) as isize).max(1)),
        }
    }

    /// The nearest row at or after (`forward`) / before `i` that is not a page separator.
    pub(crate) fn selectable_near(&self, i: usize, forward: bool) -> usize {
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

    pub(crate) fn at_end(&self) -> bool {
        self.body.top >= self.max_top()
    }

    pub(crate) fn set_focus(&mut self, p: Pane) {
        if p != Pane::Body {
            self.zoom = false;
        }
        self.focus = p;
    }

    pub(crate) fn focus_left(&mut self) {
        self.set_focus(match self.focus {
            Pane::Body => Pane::Headlines,
            _ => Pane::Issues,
        });
    }

    pub(crate) fn open_selected(&mut self) -> Option<Effect> {
        match self.focus {
            Pane::Issues => self.enter_issue(self.issue_sel, Pane::Headlines),
            Pane::Headlines => {
                match self.rows.get(self.head_sel).copied() {
                    Some(Row::Article(a)) => {
                        self.open_at(a, None);
                        self.focus = Pane::Body;
                    }
                    Some(Row::Error(e)) => self.show_page_error(e),
                    _ => {}
                }
                None
            }
            Pane::Body => None,
        }
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
        self.issue_top = self.issue_list_top(self.list_height(Pane::Issues));
        self.head_top = keep_visible(
            self.head_sel,
            self.head_top,
            self.list_height(Pane::Headlines),
            self.rows.len(),
        );
        self.sync_search();
        self.record_position();
        self.note_page_warnings();
    }

    /// The first screen line showing `pos` (several lines can start at the same position:
    /// a headline group and the blank line after it).
    pub(crate) fn line_for(&self, pos: TextPos) -> usize {
        let lines = &self.body.layout.lines;
        let mut l = self.body.layout.line_of(pos);
        while l > 0 && lines.get(l - 1).map(|x| x.pos) == lines.get(l).map(|x| x.pos) {
            l -= 1;
        }
        l
    }

    pub(crate) fn list_height(&self, p: Pane) -> usize {
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
/// The first row to show of a list of `len` rows in `h` rows of screen, so that `sel` is
/// visible, the list moves as little as possible, and no screen rows are left empty below
/// the list's end while rows above are hidden (after the pane grew, say).
fn keep_visible(sel: usize, top: usize, h: usize, len: usize) -> usize {
    let top = top.min(len.saturating_sub(h));
    if sel < top {
        sel
    } else if sel >= top + h {
        sel + 1 - h
    } else {
        top
    }
}
