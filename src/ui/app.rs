//! The reader's state: the library, the open issue and article, focus, scroll positions,
//! overlays and the status message. `update.rs` changes it in response to actions; the
//! views only read it. Geometry (which panes are visible, and where) is a pure function of
//! the terminal size, focus and zoom, so that update and draw always agree.

use std::sync::Arc;

use crate::library::{DateQuery, IssueEntry, LibraryIndex};
use crate::model::{Article, ArticleId, Date, Issue, TextPos};
use crate::state::{LastOpen, Store};
use crate::text::{AmbiguousWidth, ArticleLayout, LayoutOptions};

pub use super::geometry::Geometry;

use super::action::Action;
use super::keymap::Keymap;
use super::view::theme::{Symbols, Theme};

/// The three panes, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Issues,
    Headlines,
    Body,
}

impl Pane {
    pub fn name(self) -> &'static str {
        match self {
            Pane::Issues => "issues",
            Pane::Headlines => "headlines",
            Pane::Body => "body",
        }
    }
    pub fn from_name(name: &str) -> Option<Pane> {
        [Pane::Issues, Pane::Headlines, Pane::Body]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// Display options resolved from the command line, config, locale and terminal probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub amb: AmbiguousWidth,
    pub indent: bool,
    pub hang: bool,
    pub mouse: bool,
    pub ascii: bool,
    pub color: bool,
    /// Widest text column of the body in cells (the measure); 0 = the pane's width.
    pub measure: u16,
    /// Start at this date (`--date`) instead of the library's place.
    pub date: Option<DateQuery>,
}

/// The body's measure when the config does not set one: 72 cells, 36 ideographs a line.
pub const DEFAULT_MEASURE: u16 = 72;

impl Default for Options {
    fn default() -> Self {
        Options {
            amb: AmbiguousWidth::Narrow,
            indent: false,
            hang: true,
            mouse: true,
            ascii: false,
            color: true,
            measure: DEFAULT_MEASURE,
            date: None,
        }
    }
}

/// An issue of the library: what the scan found, and its parsed pages once loaded.
#[derive(Debug, Clone, Default)]
pub struct IssueSlot {
    /// Boxed: most of ten years of slots hold none, and an empty slot should cost a pointer.
    pub issue: Option<Box<Issue>>,
    /// Its article count once known, for its unread count: from parsing it in this run, else
    /// from the background summaries.
    pub articles: Option<usize>,
}

/// An article of the current issue, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    pub page: usize,
    pub index: usize,
    pub id: ArticleId,
}

/// A row of the headline list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Separator before page n.
    Page(usize),
    /// Article n of `App::articles`.
    Article(usize),
    /// Page error n of the issue (a page that failed to load).
    Error(usize),
}

/// What the layout cache was built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LayoutKey {
    pub issue: usize,
    pub article: usize,
    pub opts: LayoutOptions,
}

/// The article body: its cached layout and where the reader is in it.
#[derive(Debug, Clone, Default)]
pub struct BodyView {
    pub(crate) key: Option<LayoutKey>,
    pub layout: ArticleLayout,
    /// First screen line shown.
    pub top: usize,
    /// Logical position of the top line: what is saved, and what a resize keeps in view.
    pub anchor: TextPos,
}

/// Move an overlay's list cursor over `len` rows for `action` (a row up or down, or to
/// either end); false for any other action.
pub(crate) fn move_list_cursor(sel: &mut usize, len: usize, action: Action) -> bool {
    let last = len.saturating_sub(1);
    match action {
        Action::LineDown => *sel = (*sel + 1).min(last),
        Action::LineUp => *sel = sel.saturating_sub(1),
        Action::Top => *sel = 0,
        Action::Bottom => *sel = last,
        _ => return false,
    }
    true
}

/// A one-line text editor (bookmark notes). `cursor` counts characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    pub text: String,
    pub cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        top: usize,
    },
    Bookmarks {
        sel: usize,
        edit: Option<LineEdit>,
    },
    /// A text too long for the status line (why a page cannot be read, the warnings),
    /// wrapped in a box, scrolled to its line `top` when it does not fit.
    Notice {
        title: String,
        text: String,
        top: usize,
    },
    /// The date prompt (`:`): what is typed so far.
    GotoDate(LineEdit),
    /// The list of the current issue's pages, with the cursor on `sel`.
    Pages {
        sel: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// The whole reader state.
#[derive(Debug)]
pub struct App {
    /// The library's issues as scanned: shared, never copied, with the background passes
    /// (counts, search).
    pub entries: Arc<[IssueEntry]>,
    /// What this run knows of each issue of `entries` (same index).
    pub issues: Vec<IssueSlot>,
    pub store: Store,
    pub keymap: Keymap,
    pub opts: Options,
    pub theme: Theme,
    pub width: u16,
    pub height: u16,
    pub focus: Pane,
    pub zoom: bool,
    /// Cursor in the issue list (an index into `issues`).
    pub issue_sel: usize,
    /// First row of `issue_rows` shown.
    pub issue_top: usize,
    /// The issue list as shown: paper (or date) headers and issues (`issue_list.rs`).
    pub issue_rows: Vec<super::issue_list::IssueRow>,
    /// Row of `issue_rows` of each issue.
    pub(crate) issue_row_of: Vec<u32>,
    /// The issue list interleaves all papers' issues of a day instead of grouping by paper.
    pub by_date: bool,
    /// The issue whose headlines are listed (once loaded).
    pub current: Option<usize>,
    /// The issue being loaded and shown next.
    pub(crate) wanted: Option<usize>,
    pub articles: Vec<ArticleRef>,
    pub rows: Vec<Row>,
    pub head_sel: usize,
    /// First headline row shown.
    pub head_top: usize,
    /// Article open in the body (index into `articles`).
    pub open: Option<usize>,
    pub body: BodyView,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    /// Every warning told so far, whole (`!` shows them; the status line may only count them).
    pub warnings: Vec<String>,
    /// A jump waiting for its issue to load: article, anchor, focus.
    pub(crate) pending: Option<(ArticleId, Option<TextPos>, Pane)>,
    /// Last (article, anchor, read) written to the store, to skip no-op writes.
    pub(crate) recorded: Option<(ArticleId, TextPos, bool)>,
    /// Recently used layouts besides the open one (n/p back and forth costs no re-layout).
    pub(crate) layouts: Vec<(LayoutKey, ArticleLayout)>,
    /// Issues in the order they were last shown (oldest first), for eviction.
    pub(crate) recent: Vec<usize>,
    /// Key of this library's place in the store (`library::library_key`; pages opened on
    /// their own have a `page:` key); `None` records no place at all.
    pub library: Option<String>,
    /// Today's date, for the date prompt's `28` and `11-28` (set from the clock at start).
    pub today: Date,
    /// The issue being loaded should open at its first unread article.
    pub(crate) pending_unread: bool,
    /// The page (issue, page) whose read warnings were last told (once per arrival).
    pub(crate) page_warned: Option<(usize, usize)>,
    /// Find in the article, archive search and its results (`search.rs`).
    pub search: super::search::SearchUi,
}

/// How many layouts besides the open one are kept.
const LAYOUT_CACHE: usize = 8;

impl App {
    /// A reader over a discovered library (nothing loaded yet: call [`App::start`]).
    pub fn new(index: LibraryIndex, store: Store, keymap: Keymap, opts: Options) -> App {
        let mut app = App {
            issues: index.issues.iter().map(|_| IssueSlot::default()).collect(),
            entries: index.issues.into(),
            store,
            keymap,
            opts,
            theme: Theme::new(opts.color, &Default::default()).0,
            width: 80,
            height: 24,
            focus: Pane::Issues,
            zoom: false,
            issue_sel: 0,
            issue_top: 0,
            issue_rows: Vec::new(),
            issue_row_of: Vec::new(),
            by_date: false,
            current: None,
            wanted: None,
            articles: Vec::new(),
            rows: Vec::new(),
            head_sel: 0,
            head_top: 0,
            open: None,
            warnings: Vec::new(),
            body: BodyView::default(),
            overlay: None,
            message: None,
            pending: None,
            recorded: None,
            layouts: Vec::new(),
            recent: Vec::new(),
            library: Some(String::new()),
            today: crate::library::today_utc(),
            pending_unread: false,
            page_warned: None,
            search: Default::default(),
        };
        app.build_issue_rows();
        app
    }

    /// A reader over issues already parsed (tests, benches): every slot is loaded.
    pub fn with_issues(issues: Vec<Issue>, store: Store, opts: Options) -> App {
        let entries = issues
            .iter()
            .map(|i| IssueEntry {
                id: i.id.as_str().into(),
                name: i.name.as_str().into(),
                publication: i.publication.as_deref().map(std::sync::Arc::from),
                date: i.date,
                pages: Vec::new(),
            })
            .collect();
        // The library work adds fields to the index (scan errors); none apply here.
        #[allow(clippy::needless_update)]
        let index = LibraryIndex {
            issues: entries,
            ..LibraryIndex::default()
        };
        let mut app = App::new(index, store, Keymap::default(), opts);
        for (slot, issue) in app.issues.iter_mut().zip(issues) {
            slot.issue = Some(Box::new(issue));
        }
        app
    }

    /// Border and mark symbols: ASCII when asked, or when ambiguous characters are wide.
    pub fn symbols(&self) -> Symbols {
        Symbols::for_terminal(self.opts.ascii, self.opts.amb)
    }

    pub fn current_issue(&self) -> Option<&Issue> {
        self.slot_issue(self.current?)
    }

    pub(crate) fn slot_issue(&self, i: usize) -> Option<&Issue> {
        self.issues.get(i)?.issue.as_deref()
    }

    /// The article `a` of the current issue.
    pub fn article(&self, a: usize) -> Option<&Article> {
        let r = self.articles.get(a)?;
        self.current_issue()?
            .pages
            .get(r.page)?
            .articles
            .get(r.index)
    }

    pub fn open_article(&self) -> Option<&Article> {
        self.article(self.open?)
    }

    pub fn open_id(&self) -> Option<&ArticleId> {
        Some(&self.articles.get(self.open?)?.id)
    }

    /// Articles of an issue not yet marked read: counted on the parsed issue, else on its
    /// summary; `None` while neither is known.
    pub fn unread_count(&self, i: usize) -> Option<usize> {
        let Some(issue) = self.slot_issue(i) else {
            let count = self.issues.get(i)?.articles?;
            let key = &self.entries.get(i)?.id;
            return Some(count.saturating_sub(self.store.read_in_issue(key)));
        };
        let mut n = 0;
        for page in &issue.pages {
            for (k, a) in page.articles.iter().enumerate() {
                let id = ArticleId::new(&page.source, a, k);
                if !self.is_read(&id, &a.title()) {
                    n += 1;
                }
            }
        }
        Some(n)
    }

    /// Whether an article counts as read: its state found the way opening it finds its
    /// position (exact id, else the same page's state under its earlier title), so a
    /// corrected title neither loses the position nor shows a read article as unread.
    pub fn is_read(&self, id: &ArticleId, title: &str) -> bool {
        self.store.find(id, title).is_some_and(|(_, s)| s.read)
    }

    /// Percent of the open article shown so far (bottom of the screen); `None` while the
    /// body is not laid out (hidden in a narrow terminal).
    pub fn percent(&self) -> Option<usize> {
        self.body.key?;
        let len = self.body.layout.lines.len();
        if len == 0 {
            return Some(100);
        }
        Some(((self.body.top + self.body_height()).min(len) * 100) / len)
    }

    /// Move the open layout into the cache (before the body is reset or re-laid out).
    pub(crate) fn stash_layout(&mut self) {
        if let Some(key) = self.body.key.take() {
            let layout = std::mem::take(&mut self.body.layout);
            self.layouts.retain(|(k, _)| *k != key);
            self.layouts.push((key, layout));
            if self.layouts.len() > LAYOUT_CACHE {
                self.layouts.remove(0);
            }
        }
    }

    /// The layout for `key`: from the cache, else built now.
    pub(crate) fn take_layout(&mut self, key: LayoutKey) -> ArticleLayout {
        if let Some(i) = self.layouts.iter().position(|(k, _)| *k == key) {
            return self.layouts.remove(i).1;
        }
        match self.article(key.article) {
            Some(article) => crate::text::layout_article(article, &key.opts),
            None => ArticleLayout::default(),
        }
    }

    /// True while a line editor (a bookmark note, the date prompt, the find or search
    /// prompt) has the keyboard.
    pub fn editing(&self) -> bool {
        matches!(
            &self.overlay,
            Some(Overlay::Bookmarks { edit: Some(_), .. } | Overlay::GotoDate(_))
        ) || self.search.prompt.is_some()
    }

    /// Write where the reader is (position and this library's place) into the store,
    /// before it is saved.
    pub fn checkpoint(&mut self, now_ms: u64) {
        self.record_position();
        if let Some(key) = self.place_key() {
            let last = self.last_open(now_ms);
            self.set_place(&key, last);
        }
    }

    /// Tell the store this library's place (issue, article, pane) when it changed (so that
    /// even a killed reader reopens where it was). True when something was recorded. A page
    /// opened on its own keeps a place of its own (never the latest place a library
    /// without one may start at); a library with no issues records nothing.
    pub fn record_last(&mut self, now_ms: u64) -> bool {
        let Some(key) = self.place_key() else {
            return false;
        };
        let last = self.last_open(now_ms);
        if let Some(known) = self.store.place(&key)
            && known.issue == last.issue
            && known.article == last.article
            && known.pane == last.pane
        {
            return false;
        }
        self.set_place(&key, last);
        true
    }

    fn set_place(&mut self, key: &str, last: LastOpen) {
        if !key.starts_with(crate::library::PAGES_PLACE) {
            self.store.set_last(last.clone());
        }
        self.store.set_place(key, last);
    }

    /// The key this run's place is kept under, when it keeps one.
    fn place_key(&self) -> Option<String> {
        self.current?;
        self.library.clone()
    }

    fn last_open(&self, now_ms: u64) -> LastOpen {
        let issue = self
            .current
            .and_then(|i| self.entries.get(i))
            .map(|e| e.id.to_string());
        LastOpen {
            issue,
            article: self.open_id().cloned(),
            pane: Some(self.focus.name().to_string()),
            updated_ms: now_ms,
        }
    }

    /// Tell the store the open article's anchor and read flag when they changed.
    pub(crate) fn record_position(&mut self) {
        let Some(now) = self.position_now() else {
            return;
        };
        if self.recorded.as_ref() != Some(&now) {
            self.store.set_position(&now.0, now.1, now.2);
            self.recorded = Some(now);
        }
    }

    /// The open article, its anchor, and whether its end is on screen.
    pub(crate) fn position_now(&self) -> Option<(ArticleId, TextPos, bool)> {
        let id = self.open_id()?.clone();
        let len = self.body.layout.lines.len();
        // Read means the end has been on screen: a hidden body shows nothing.
        let shown = self.geometry().body.is_some() && self.body.key.is_some();
        let read = shown && self.body.top + self.body_height() >= len;
        Some((id, self.body.anchor, read))
    }

    /// Warnings from outside (the config, the library scan, the store's saver): kept whole
    /// for the messages box; the status line shows one that fits, or counts them.
    pub fn notify(&mut self, warnings: Vec<String>) {
        self.tell_warnings(warnings);
    }

    pub(crate) fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub(crate) fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}
