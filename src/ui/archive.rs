//! Moving through an archive (issue 13): go to a date, to the next or previous paper, to
//! the next unread article across issues, across a story's continuation to another page;
//! marking an issue read or unread; the status line's paper · date · page · n/m label and
//! the title of a continued piece. Pure state changes like `update.rs`: loading an issue
//! is an [`Effect`] for the loop, and the message to show is left in `App::message`.

use crate::library::{DateQuery, nearest_on_or_before, parse_date_query, weekday_zh};
use crate::model::{ArticleId, TextPos};

use super::action::Effect;
use super::app::App;

impl App {
    /// Go to what was typed at the date prompt (see `library::parse_date_query`): the
    /// nearest issue of the current paper on or before the date. The message (exact, the
    /// nearest earlier, or why not) is left in `self.message`.
    pub fn goto_date(&mut self, input: &str) -> Option<Effect> {
        match parse_date_query(input) {
            Ok(q) => self.goto_query(q),
            Err(why) => {
                self.warn(why);
                None
            }
        }
    }

    /// [`App::goto_date`] for a parsed query (`--date` at start).
    pub fn goto_query(&mut self, q: DateQuery) -> Option<Effect> {
        let from = self.current.unwrap_or(self.issue_sel);
        let paper = self.publication_of(from).map(str::to_string);
        let same_paper = |app: &App, i: usize| app.publication_of(i) == paper.as_deref();
        let target = match q.resolve(self.today) {
            Err(why) => {
                self.warn(why);
                return None;
            }
            Ok(Some(date)) => {
                let dated = (0..self.issues.len())
                    .filter(|&i| same_paper(self, i))
                    .map(|i| (i, self.entries[i].date));
                let Some((i, exact)) = nearest_on_or_before(dated, date) else {
                    self.warn(format!("no issue on or before {date}"));
                    return None;
                };
                let found = self.issue_label(i);
                if exact {
                    self.say(found);
                } else {
                    self.say(format!("no issue on {date}; the nearest before: {found}"));
                }
                i
            }
            Ok(None) => {
                let DateQuery::Back(n) = q else {
                    return None;
                };
                // The list is newest first within a paper: back is down the list.
                let step = if n > 0 { 1 } else { -1 };
                let mut i = from;
                for _ in 0..n.unsigned_abs() {
                    let next = i as isize + step;
                    if next < 0
                        || next as usize >= self.issues.len()
                        || !same_paper(self, next as usize)
                    {
                        break;
                    }
                    i = next as usize;
                }
                if i == from {
                    self.say("no issue that far in this paper");
                    return None;
                }
                let found = self.issue_label(i);
                self.say(found);
                i
            }
        };
        self.enter_issue(target, self.focus)
    }

    /// Issue `i`'s paper (publication), if it has one.
    pub fn publication_of(&self, i: usize) -> Option<&str> {
        self.entries.get(i)?.publication.as_deref()
    }

    /// Go to the next (`delta` 1) or previous (-1) paper of the library, at the issue of it
    /// read last (its newest issue if none was).
    pub fn next_publication(&mut self, delta: isize) -> Option<Effect> {
        let from = self.current.unwrap_or(self.issue_sel);
        let mut papers: Vec<Option<&str>> = Vec::new();
        for i in 0..self.issues.len() {
            let p = self.publication_of(i);
            if !papers.contains(&p) {
                papers.push(p);
            }
        }
        let here = self.publication_of(from);
        let k = papers.iter().position(|p| *p == here).unwrap_or(0) as isize + delta;
        let Some(&there) = usize::try_from(k).ok().and_then(|k| papers.get(k)) else {
            self.say(if papers.len() < 2 {
                "this library has one paper"
            } else if delta > 0 {
                "this is the last paper"
            } else {
                "this is the first paper"
            });
            return None;
        };
        let places = self.store.issue_places();
        let issues = (0..self.issues.len()).filter(|&i| self.publication_of(i) == there);
        let last_read = issues
            .clone()
            .filter_map(|i| Some((places.get(self.entries[i].id.as_str())?.updated_ms, i)))
            .max()
            .map(|(_, i)| i);
        let to = last_read.or_else(|| issues.clone().next())?;
        self.say(format!(
            "{} → {}",
            here.unwrap_or("(no paper)"),
            there.unwrap_or("(no paper)")
        ));
        self.enter_issue(to, self.focus)
    }

    /// `大同日报 · 2026-11-28 周六` for issue `i` (its name when undated, no paper when it
    /// has none): what tells two papers' issues of a day apart.
    pub fn issue_label(&self, i: usize) -> String {
        let Some(e) = self.entries.get(i) else {
            return String::new();
        };
        let date = match e.date {
            Some(d) => format!("{d} {}", weekday_zh(d)),
            None => e.name.to_string(),
        };
        // `·` is East Asian Ambiguous: in wide mode the chrome separates with `|`.
        match &e.publication {
            Some(p) => format!("{p}{}{date}", self.symbols().sep),
            None => date,
        }
    }

    /// The status line's place: `大同日报 · 2026-11-28 周六 · 第2版 · 3/17` (paper, date and
    /// weekday, page, article n of the issue's m).
    pub fn status_label(&self) -> String {
        let Some(i) = self.current else {
            return String::new();
        };
        let mut out = self.issue_label(i);
        if let Some(a) = self.open
            && let Some(r) = self.articles.get(a)
        {
            let sep = self.symbols().sep;
            out.push_str(&format!("{sep}第{}版", self.page_number(r.page)));
            out.push_str(&format!("{sep}{}/{}", a + 1, self.articles.len()));
        }
        out
    }

    /// The number of page `p` of the current issue: the first number in its file name
    /// after any date (`01.txt`, `第2版.txt`, `A03.md`, `20261127_02.txt`,
    /// `2026-11-27-03.txt`), else its place in the issue (`2026-11-28.txt`).
    pub fn page_number(&self, p: usize) -> u32 {
        let name = self
            .current_issue()
            .and_then(|i| i.pages.get(p))
            .map(|pg| pg.source.rsplit(['/', '\\']).next().unwrap_or(&pg.source))
            .unwrap_or("");
        let runs: Vec<&str> = name
            .split(|c: char| !c.is_ascii_digit())
            .filter(|r| !r.is_empty())
            .collect();
        // A date's digits are not a page number: `20261127`, or `2026` `11` `27`.
        let skip = match runs.first() {
            Some(r) if r.len() >= 8 => 1,
            Some(r) if r.len() == 4 && crate::library::date_in_name(name).is_some() => 3,
            _ => 0,
        };
        runs.get(skip)
            .filter(|r| r.len() <= 3)
            .and_then(|r| r.parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(p as u32 + 1)
    }

    /// The title of article `a` as lists show it: a continued piece without a title of
    /// its own is named after its head, `（续）平城召开经济工作会议`.
    pub fn headline_title(&self, a: usize) -> String {
        let Some(article) = self.article(a) else {
            return String::new();
        };
        // As set on screen: title lines joined where they fit (`text::joined_title`).
        let title = crate::text::joined_title(&article.title_lines);
        if !title.is_empty() {
            return title;
        }
        match self.continuation(a) {
            Some(head) if article.continues_from.is_some() => {
                let head_title = self
                    .article(head)
                    .map(|h| crate::text::joined_title(&h.title_lines))
                    .unwrap_or_default();
                if head_title.is_empty() {
                    title
                } else {
                    format!("（续）{head_title}")
                }
            }
            _ => title,
        }
    }

    /// The other part of article `a`'s story: for a head marked `（下转第N版）`, the article
    /// on page N that continues from `a`'s page (`（上接第M版）`); for a continued piece,
    /// its head on page M. The first such article of the page when several match.
    pub fn continuation(&self, a: usize) -> Option<usize> {
        let article = self.article(a)?;
        let here = self.page_number(self.articles.get(a)?.page);
        let (to_page, backwards) = match (article.continues_to, article.continues_from) {
            (Some(n), _) => (n, false),
            (None, Some(n)) => (n, true),
            (None, None) => return None,
        };
        let candidates = (0..self.articles.len())
            .filter(|&b| self.page_number(self.articles[b].page) == to_page);
        let mut first = None;
        for b in candidates {
            let other = self.article(b)?;
            let link = if backwards {
                other.continues_to
            } else {
                other.continues_from
            };
            if link == Some(here) {
                return Some(b);
            }
            first = first.or(Some(b));
        }
        // No article on that page names this page back: the page's first article is the
        // nearest guess only for a continued piece; a head goes nowhere.
        first.filter(|_| backwards)
    }

    /// Open the other part of the open article's story (see [`App::continuation`]): the
    /// continuation at its top, or back to the head where it was left.
    pub fn follow_continuation(&mut self) -> Option<Effect> {
        let a = self.open?;
        let Some(b) = self.continuation(a) else {
            self.say("this story does not continue on another page");
            return None;
        };
        let backwards = self.article(a).is_some_and(|x| x.continues_to.is_none());
        let page = self.page_number(self.articles[b].page);
        if backwards {
            self.open_at(b, None);
            self.say(format!("back to the head of the story on 第{page}版"));
        } else {
            self.open_at(b, Some(TextPos::default()));
            self.say(format!("continued on 第{page}版"));
        }
        None
    }

    /// Space at the end of an article: a head continued on a later page goes on to its
    /// continuation; the end of that continuation comes back to the article after the head,
    /// so the page is read in order; anything else goes to the next article.
    pub(crate) fn read_on_at_end(&mut self) -> Option<Effect> {
        if let Some(a) = self.open
            && let Some(b) = self.continuation(a)
            && let Some(article) = self.article(a)
        {
            if article.continues_to.is_some() && b > a {
                return self.follow_continuation();
            }
            if article.continues_from.is_some() && b + 1 < a {
                let page = self.page_number(self.articles[b].page);
                self.open_at(b + 1, Some(TextPos::default()));
                self.say(format!("back to 第{page}版 after the story's head"));
                return None;
            }
        }
        self.next_article(1)
    }

    /// Open the next unread article: after the open one in this issue, else in the issues
    /// below it in the list (parsed, summarised, or loaded to find out).
    pub fn next_unread(&mut self) -> Option<Effect> {
        let unread = |app: &App, a: usize| !app.store.is_read(&app.articles[a].id);
        let after = self.open.map_or(0, |a| a + 1);
        if let Some(a) = (after..self.articles.len()).find(|&a| unread(self, a)) {
            self.open_at(a, None);
            return None;
        }
        let from = self.current.unwrap_or(self.issue_sel);
        for i in from + 1..self.issues.len() {
            match self.unread_count(i) {
                Some(0) => continue,
                Some(_) | None => {
                    let found = self.issue_label(i);
                    self.say(format!("next unread: {found}"));
                    self.issue_sel = i;
                    self.pending = None;
                    self.pending_unread = true;
                    return self.want_issue(i);
                }
            }
        }
        self.say("no unread articles below this one");
        None
    }

    /// Mark every article of issue `i` read or unread (it must be parsed: the summaries
    /// keep counts, not ids). Says how many.
    pub fn mark_issue(&mut self, i: usize, read: bool) {
        let ids: Vec<ArticleId> = if Some(i) == self.current {
            self.articles.iter().map(|r| r.id.clone()).collect()
        } else if let Some(issue) = self.slot_issue(i) {
            issue_ids(issue)
        } else {
            self.warn("this issue is not loaded yet: open it first");
            return;
        };
        self.store.mark_read(&ids, read);
        // Marked unread with its end on screen, the open article must not be marked read
        // again by the next sync: only a move from here records it.
        self.recorded = self.position_now();
        let label = self.issue_label(i);
        let state = if read { "read" } else { "unread" };
        self.say(format!("{label}: {} articles marked {state}", ids.len()));
    }

    /// Article counts from the background summaries (`library::spawn_summaries`), for
    /// unread counts of issues not parsed in this run.
    /// A count from parsing the issue in this run is newer than the cache's: it stays.
    pub fn summaries_loaded(&mut self, counts: crate::library::Counts) {
        for (i, n) in counts {
            if let Some(slot) = self.issues.get_mut(i) {
                slot.articles.get_or_insert(n);
            }
        }
    }
}

/// The ids of every article of a parsed issue, in reading order.
pub fn issue_ids(issue: &crate::model::Issue) -> Vec<ArticleId> {
    issue
        .pages
        .iter()
        .flat_map(|p| {
            p.articles
                .iter()
                .enumerate()
                .map(|(k, a)| ArticleId::new(&p.source, a, k))
        })
        .collect()
}
