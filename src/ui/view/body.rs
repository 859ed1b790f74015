//! The article body: the screen lines the layout engine produced (cached by `update`),
//! drawn cell by cell with one or two cells of margin, in a column no wider than the measure
//! (the rest of a wide pane stays blank), styled by what each line is.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::cells;
use crate::ui::app::{App, Pane};

pub fn draw(app: &App, r: Rect, buf: &mut Buffer) {
    let title = match (app.open, app.open_article()) {
        (Some(a), Some(article)) => {
            let page = super::headlines::page_label(app, app.articles[a].page);
            let name = if article.title().is_empty() {
                "(untitled)".to_string()
            } else {
                article.title()
            };
            format!("{page} · {}/{} · {name}", a + 1, app.articles.len())
        }
        _ => "Article".to_string(),
    };
    super::header(app, Pane::Body, r, &title, buf);
    let Some(content) = app.geometry().content(Pane::Body) else {
        return;
    };
    let amb = app.opts.amb;
    let lines = &app.body.layout.lines;
    let margin = app.body_margin();
    // The text column: lines never reach past it (the measure), wide terminal or not.
    let right = app.layout_options().map_or(content.right(), |o| {
        (content.x + margin)
            .saturating_add(o.width)
            .min(content.right())
    });
    for (row, line) in lines
        .iter()
        .skip(app.body.top)
        .take(usize::from(content.height))
        .enumerate()
    {
        let y = content.y + row as u16;
        let x = content.x + margin + line.indent;
        let max = right.saturating_sub(x);
        cells::put(buf, x, y, max, &line.text, app.theme.line(line.style), amb);
        super::search::highlight(app, line, x, y, max, buf);
    }
    if app.open.is_none() && content.height > 0 {
        let text = if app.issues.is_empty() {
            "No issues to read. Run `dubao PATH...` with page files or folders."
        } else {
            "Select a headline and press Enter."
        };
        cells::put(
            buf,
            content.x + 1,
            content.y,
            content.width.saturating_sub(1),
            text,
            app.theme.get("note"),
            amb,
        );
    }
}
