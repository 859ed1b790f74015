//! The headline list of the current issue: a rule per page, then one row per article with
//! its read (✓) and bookmark (★) marks, the title bright (two-line titles joined with a
//! full-width space) and its label (section, else kicker) dimmed in a column of its own at
//! the right. A label is shown whole or not at all, and the column is left out when the pane
//! is too narrow for it; pages that could not be read are listed at the end with an error
//! mark.

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells::Painter;
use crate::model::Article;
use crate::text::{AmbiguousWidth, width};
use crate::ui::app::{App, Pane, Row};

/// The label column is at most this share of the row (1/3), and at most this many cells.
const LABEL_MAX: u16 = 16;
/// Fewest cells left to titles (15 ideographs) before the label column is dropped: a title
/// matters more than its label.
const TITLE_MIN: u16 = 30;
/// Cells between a title and the label column.
const LABEL_GAP: u16 = 2;

/// The label shown in the list: the section (栏目), else the kicker (引题).
fn label(article: &Article) -> Option<&str> {
    [&article.section, &article.kicker]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
}

/// Width of the label column for `labels` in a row of `row` cells (0: no column). Labels
/// wider than the cap are not shown; they do not widen the column.
fn label_column<'a>(labels: impl Iterator<Item = &'a str>, row: u16, amb: AmbiguousWidth) -> u16 {
    let cap = LABEL_MAX.min(row / 3);
    let col = labels
        .map(|l| u16::try_from(width(l, amb)).unwrap_or(u16::MAX))
        .filter(|&w| w <= cap)
        .max()
        .unwrap_or(0);
    if col == 0 || row < col + LABEL_GAP + TITLE_MIN {
        0
    } else {
        col
    }
}

/// The page label shown in separators and the status line: `p.2 name`.
pub fn page_label(app: &App, p: usize) -> String {
    let source = app
        .current_issue()
        .and_then(|i| i.pages.get(p))
        .map(|pg| pg.source.as_str())
        .unwrap_or("");
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    format!("p.{} {}", p + 1, name)
}

pub fn draw(app: &App, r: Rect, p: &mut Painter<'_>) {
    let title = match (app.current, app.wanted) {
        (_, Some(w)) => format!("loading {}…", app.entries[w].name),
        (Some(i), None) => format!(
            "{}{}{} articles",
            app.entries[i].name,
            app.symbols().sep,
            app.articles.len()
        ),
        (None, None) => "Headlines".to_string(),
    };
    super::header(app, Pane::Headlines, r, &title, p);
    let Some(content) = app.geometry().content(Pane::Headlines) else {
        return;
    };
    let amb = p.amb;
    let focused = app.focus == Pane::Headlines;
    let labels = app.rows.iter().filter_map(|row| match *row {
        Row::Article(a) => app.article(a).and_then(label),
        _ => None,
    });
    // Marks take 3 cells.
    let label_w = label_column(labels, content.width.saturating_sub(3), amb);
    for (k, row) in app
        .rows
        .iter()
        .enumerate()
        .skip(app.head_top)
        .take(usize::from(content.height))
    {
        let y = content.y + (k - app.head_top) as u16;
        let selected = k == app.head_sel;
        let base = if selected && focused {
            app.theme.get("selection")
        } else {
            Style::default()
        };
        if selected && focused {
            p.paint(Rect::new(content.x, y, content.width, 1), base);
        }
        let line = Rect::new(content.x, y, content.width, 1);
        match *row {
            Row::Page(page) => page_row(app, page, line, p),
            Row::Article(a) => {
                let cursor = selected && focused;
                article_row(app, a, line, RowLook { base, cursor }, label_w, p);
            }
            Row::Error(e) => {
                let Some(err) = app.current_issue().and_then(|i| i.errors.get(e)) else {
                    continue;
                };
                let style = base.patch(app.theme.get("error"));
                let reason = crate::ui::notice::page_error_reason(err);
                let text = format!("{} {}: {reason}", p.sym.error, err.source);
                p.put_cut(line.x, y, line.width, &text, style);
            }
        }
    }
    if app.rows.is_empty() && app.current.is_some() && content.height > 0 {
        p.put(
            content.x,
            content.y,
            content.width,
            "(no articles)",
            app.theme.get("note"),
        );
    }
}

/// A page's rule: `── p.2 02.txt ─────`.
fn page_row(app: &App, page: usize, line: Rect, p: &mut Painter<'_>) {
    let (y, right) = (line.y, line.right());
    let style = app.theme.get("page");
    let hline = p.sym.hline;
    let mut x = line.x;
    x += p.put(x, y, 2, &hline.repeat(2), style);
    x += p.put_cut(
        x,
        y,
        right - x,
        &format!(" {} ", page_label(app, page)),
        style,
    );
    while x < right {
        x += p.put(x, y, right - x, hline, style).max(1);
    }
}

/// How a headline row is drawn: its base style (the selection bar, or none) and whether
/// the cursor is on it.
struct RowLook {
    base: Style,
    cursor: bool,
}

/// An article's row: read and bookmark marks, the title (underlined when it is the open
/// article and the cursor is elsewhere), its label in the label column.
fn article_row(app: &App, a: usize, line: Rect, look: RowLook, label_w: u16, p: &mut Painter<'_>) {
    let Some(article) = app.article(a) else {
        return;
    };
    let (y, right, base) = (line.y, line.right(), look.base);
    let sym = p.sym;
    let id = &app.articles[a].id;
    let read = app.is_read(id, &article.title());
    let marked = app.store.is_bookmarked(id);
    let is_open = app.open == Some(a);
    let mut x = line.x;
    let read_mark = if read { sym.read } else { " " };
    x += p.put(x, y, 1, read_mark, base.patch(app.theme.get("read")));
    let bm = if marked { sym.bookmark } else { " " };
    x += p.put(x, y, 1, bm, base.patch(app.theme.get("bookmark")));
    x += p.put(x, y, 1, " ", base);
    let mut title = app.headline_title(a);
    let mut title_style = base.patch(app.theme.get("title"));
    if title.is_empty() {
        title = article
            .blocks
            .first()
            .map(|b| b.text.clone())
            .unwrap_or_default();
        title_style = base.patch(app.theme.get("note"));
    }
    if is_open && !look.cursor {
        title_style = title_style.add_modifier(ratatui::style::Modifier::UNDERLINED);
    }
    let label_x = right.saturating_sub(label_w);
    let title_end = if label_w > 0 {
        label_x - LABEL_GAP
    } else {
        right
    };
    let room = title_end.saturating_sub(x);
    p.put_cut(x, y, room, &title, title_style);
    if let Some(l) = label(article).filter(|_| label_w > 0) {
        let style = base.patch(app.theme.get("kicker"));
        // Whole or not at all: a cut label is noise.
        if width(l, p.amb) <= usize::from(label_w) {
            p.put(label_x, y, label_w, l, style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_column_fits_the_labels_or_goes() {
        let amb = AmbiguousWidth::Narrow;
        let labels = ["平城头条", "云州时评", "市第一人民医院"];
        assert_eq!(label_column(labels.into_iter(), 80, amb), 14);
        // At 45 cells the cap is 15: the 14-cell label sets the width; at 43 the cap is 14
        // but 14 + 2 leaves titles less than 30 cells.
        assert_eq!(label_column(labels.into_iter(), 46, amb), 14);
        assert_eq!(label_column(labels.into_iter(), 43, amb), 0);
        // At 40 the cap is 13: the 14-cell label is left out, the others set the width.
        assert_eq!(label_column(labels.into_iter(), 40, amb), 8);
        assert_eq!(label_column(labels.into_iter(), 38, amb), 0);
        assert_eq!(label_column([].into_iter(), 80, amb), 0);
    }
}
