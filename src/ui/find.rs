//! Find in the open article: `/` types a string, its occurrences are highlighted, and while
//! the find is on `n` (the next-article key) and `N` go to the next and previous hit, as in
//! less and vim. The rule the status line states: a find lasts while its article is open —
//! Esc, or opening another article, ends it, and `n` is next-article again.
//!
//! Matching folds text and pattern with the search cache's [`Folder`] (full-width, case,
//! 繁→简), one character for one, so a hit's character offset is its [`TextPos`] offset.
//! Hits in body blocks are kept as positions (and drawn through each screen line's
//! position); headline, table and image lines are matched line by line when drawn, since
//! their screen lines do not map characters back to the text one for one.

use crate::model::{Article, TextPos};
use crate::search::{Field, Folder, HitPos};
use crate::text::{LineStyle, ScreenLine};

use super::action::Action;
use super::app::App;

/// A find: its folded terms and where they occur in the open article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// What was typed (or the archive query), for the status line.
    pub label: String,
    /// Folded strings to find (one for `/`, the query's terms for a search hit).
    pub terms: Vec<String>,
    /// The article the hits were computed for; `None` until it is open.
    pub article: Option<crate::model::ArticleId>,
    /// Every occurrence, headline first, then body in text order.
    pub hits: Vec<HitPos>,
    /// The hit the reader is on.
    pub current: Option<usize>,
}

impl Find {
    pub fn new(label: &str, terms: Vec<String>) -> Find {
        Find {
            label: label.to_string(),
            terms: terms.into_iter().filter(|t| !t.is_empty()).collect(),
            ..Find::default()
        }
    }

    /// "“甲” 3/12" for the status line.
    pub fn note(&self) -> String {
        let at = self.current.map_or(0, |c| c + 1);
        format!("“{}” {at}/{}", self.label, self.hits.len())
    }
}

/// Every occurrence of `terms` in `article`, folded: headline fields first, then blocks.
pub fn find_hits(article: &Article, terms: &[String], folder: &Folder) -> Vec<HitPos> {
    let mut hits = Vec::new();
    let title = article.title();
    let head = [
        (Field::Section, article.section.as_deref().unwrap_or("")),
        (Field::Kicker, article.kicker.as_deref().unwrap_or("")),
        (Field::Title, title.as_str()),
        (Field::Subtitle, article.subtitle.as_deref().unwrap_or("")),
    ];
    for (field, text) in head {
        for (offset, len) in occurrences(&folder.fold(text), terms) {
            let pos = TextPos { block: 0, offset };
            hits.push(HitPos { field, pos, len });
        }
    }
    for (block, b) in article.blocks.iter().enumerate() {
        for (offset, len) in occurrences(&folder.fold(&b.text), terms) {
            let pos = TextPos { block, offset };
            hits.push(HitPos {
                field: Field::Body,
                pos,
                len,
            });
        }
    }
    hits
}

/// Character (offset, length) of every occurrence of any term in `folded`, in order.
pub fn occurrences(folded: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for term in terms.iter().filter(|t| !t.is_empty()) {
        let len = term.chars().count();
        for (byte, _) in folded.match_indices(term.as_str()) {
            out.push((folded[..byte].chars().count(), len));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Lines whose characters are the block's characters from the line's position on.
fn maps_text(style: LineStyle) -> bool {
    matches!(
        style,
        LineStyle::Paragraph
            | LineStyle::Byline
            | LineStyle::Caption
            | LineStyle::Credit
            | LineStyle::Continuation
    )
}

/// Character ranges of `line.text` to highlight, and whether each is the current hit.
pub fn line_spans(find: &Find, line: &ScreenLine, folder: &Folder) -> Vec<(usize, usize, bool)> {
    let n = line.text.chars().count();
    if maps_text(line.style) {
        let (start, end) = (line.pos.offset, line.pos.offset + n);
        return find
            .hits
            .iter()
            .enumerate()
            .filter(|(_, h)| h.field == Field::Body && h.pos.block == line.pos.block)
            .filter(|(_, h)| h.pos.offset < end && h.pos.offset + h.len > start)
            .map(|(k, h)| {
                let a = h.pos.offset.max(start) - start;
                let b = (h.pos.offset + h.len).min(end) - start;
                (a, b, find.current == Some(k))
            })
            .collect();
    }
    if matches!(line.style, LineStyle::Note | LineStyle::Blank) {
        return Vec::new();
    }
    occurrences(&folder.fold(&line.text), &find.terms)
        .into_iter()
        .map(|(a, len)| (a, (a + len).min(n), false))
        .collect()
}

impl App {
    /// The find that `n`/`N` move through, if one is on in the open article.
    pub fn active_find(&self) -> Option<&Find> {
        self.search
            .find
            .as_ref()
            .filter(|f| f.article.is_some() && f.article.as_ref() == self.open_id())
    }

    /// Start finding `typed` in the open article; go to the first hit at or after the top
    /// of the screen.
    pub(crate) fn start_find(&mut self, typed: &str) {
        let typed = typed.trim();
        if typed.is_empty() {
            return;
        }
        let Some(article) = self.open_article() else {
            self.say("open an article to find in it");
            return;
        };
        let term = self.search.folder.fold(typed);
        let hits = find_hits(article, std::slice::from_ref(&term), &self.search.folder);
        if hits.is_empty() {
            self.warn(format!("“{typed}” is not in this article"));
            return;
        }
        // The first hit from the top of the screen on (the headline's when it shows).
        let top = self.body.anchor;
        let first = if self.body.top == 0 {
            0
        } else {
            hits.iter()
                .position(|h| h.field == Field::Body && h.pos >= top)
                .unwrap_or(0)
        };
        self.search.from_results = false;
        self.search.find = Some(Find {
            article: self.open_id().cloned(),
            hits,
            current: Some(first),
            ..Find::new(typed, vec![term])
        });
        self.go_to_hit(first, false);
        self.say_find();
    }

    /// `n` (forward) or `N` while a find is on.
    pub(crate) fn step_find(&mut self, forward: bool) {
        let Some(find) = self.active_find() else {
            return;
        };
        let n = find.hits.len();
        if n == 0 {
            return;
        }
        let cur = find.current;
        let next = match (cur, forward) {
            (None, _) => 0,
            (Some(c), true) => (c + 1) % n,
            (Some(c), false) => (c + n - 1) % n,
        };
        let wrapped = cur.is_some_and(|c| (forward && next <= c) || (!forward && next >= c));
        if let Some(f) = &mut self.search.find {
            f.current = Some(next);
        }
        self.go_to_hit(next, false);
        self.say_find();
        if wrapped && n > 1 {
            let text = if forward {
                "wrapped to the first hit"
            } else {
                "wrapped to the last hit"
            };
            self.say(format!("{text} · {}", self.find_rule()));
        }
    }

    /// End the find: highlights go, `n` is next-article again.
    pub(crate) fn end_find(&mut self) {
        if self.search.find.take().is_some() {
            let key = self.keymap.hint(Action::NextArticle).unwrap_or_default();
            self.say(format!("find ended; {key} is next article again"));
        }
    }

    /// Scroll the body so hit `k` shows: when it is off screen, its line goes near the top
    /// (`paragraph`: its paragraph's first line at the top, if the hit is then on screen).
    pub(crate) fn go_to_hit(&mut self, k: usize, paragraph: bool) {
        let Some(hit) = self
            .search
            .find
            .as_ref()
            .and_then(|f| f.hits.get(k))
            .copied()
        else {
            return;
        };
        self.go_to_pos(hit.field == Field::Body, hit.pos, paragraph);
    }

    /// Scroll the body so `pos` shows (see [`App::go_to_hit`]); a headline position is the
    /// top of the article.
    pub(crate) fn go_to_pos(&mut self, body: bool, pos: TextPos, paragraph: bool) {
        let h = self.body_height().max(1);
        let line = if body {
            self.body.layout.line_of(pos)
        } else {
            0
        };
        let top = if paragraph {
            let start = self.line_for(TextPos {
                block: pos.block,
                offset: 0,
            });
            if body && line < start + h {
                start
            } else {
                line
            }
        } else if line >= self.body.top && line < self.body.top + h {
            return;
        } else {
            line.saturating_sub((h / 3).min(2))
        };
        self.body.top = top.min(self.max_top());
        self.body.anchor = self.body.layout.pos_at(self.body.top);
    }

    fn say_find(&mut self) {
        let text = match self.active_find() {
            Some(f) => format!("{} · {}", f.note(), self.find_rule()),
            None => return,
        };
        self.say(text);
    }

    /// How `n` behaves now, in the keys the keymap has.
    pub(crate) fn find_rule(&self) -> String {
        let next = self.keymap.hint(Action::NextArticle).unwrap_or_default();
        let prev = self.keymap.hint(Action::FindPrev).unwrap_or_default();
        let back = self.keymap.hint(Action::Back).unwrap_or_default();
        format!("{next}/{prev} next/previous hit · {back} ends the find ({next}: next article)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(style: LineStyle, text: &str, block: usize, offset: usize) -> ScreenLine {
        ScreenLine {
            style,
            indent: 0,
            text: text.into(),
            pos: TextPos { block, offset },
            bold: Vec::new(),
        }
    }

    #[test]
    fn occurrences_are_character_offsets_of_every_term_in_order() {
        let terms = ["湖".to_string(), "ab".to_string()];
        assert_eq!(occurrences("莲花湖ab湖", &terms), [(2, 1), (3, 2), (5, 1)]);
        assert!(occurrences("莲花", &["".to_string()]).is_empty());
    }

    #[test]
    fn a_hit_cut_by_a_line_break_is_lit_on_both_lines() {
        let folder = Folder::from_pairs(&[('國', '国')]);
        let article = Article {
            title_lines: vec!["國家".into()],
            blocks: vec![crate::model::Block::new(
                crate::model::BlockKind::Paragraph,
                "一二国家三",
            )],
            ..Article::default()
        };
        let hits = find_hits(&article, &["国家".to_string()], &folder);
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert_eq!(hits[0].field, Field::Title);
        assert_eq!(
            hits[1].pos,
            TextPos {
                block: 0,
                offset: 2
            }
        );
        let find = Find {
            article: None,
            hits,
            current: Some(1),
            ..Find::new("国家", vec!["国家".into()])
        };
        let first = line(LineStyle::Paragraph, "一二国", 0, 0);
        let second = line(LineStyle::Paragraph, "家三", 0, 3);
        assert_eq!(line_spans(&find, &first, &folder), [(2, 3, true)]);
        assert_eq!(line_spans(&find, &second, &folder), [(0, 1, true)]);
        // The headline is matched on its own line (its characters have no positions).
        let title = line(LineStyle::Title, "國家", 0, 0);
        assert_eq!(line_spans(&find, &title, &folder), [(0, 2, false)]);
    }
}
