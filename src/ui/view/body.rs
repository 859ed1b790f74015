//! The article body: the screen lines the layout engine produced (cached by `update`),
//! drawn cell by cell with one or two cells of margin, in a column no wider than the measure
//! (the rest of a wide pane stays blank), styled by what each line is; the source's bold and
//! a paragraph's dateline lead-in (`本报讯（记者 尚丽）`) in bold.

use ratatui::layout::Rect;

use super::cells::Painter;
use ratatui::style::Modifier;

use crate::ui::app::{App, Pane};

pub fn draw(app: &App, r: Rect, p: &mut Painter<'_>) {
    let title = match (app.open, app.open_article()) {
        (Some(a), Some(article)) => {
            let page = super::headlines::page_label(app, app.articles[a].page);
            // As the headline list names it: a continued piece after its head; with
            // no title at all, its first words.
            let mut name = app.headline_title(a);
            if name.is_empty() {
                name = article.blocks.first().map_or_else(
                    || "(untitled)".to_string(),
                    |b| b.text.chars().take(40).collect(),
                );
            }
            let sep = app.symbols().sep;
            format!("{page}{sep}{}/{}{sep}{name}", a + 1, app.articles.len())
        }
        _ => "Article".to_string(),
    };
    super::header(app, Pane::Body, r, &title, p);
    let Some(content) = app.geometry().content(Pane::Body) else {
        return;
    };
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
        let mut x = content.x + margin + line.indent;
        let (start, max) = (x, right.saturating_sub(x));
        let style = app.theme.line(line.style);
        // The source's **bold** and the dateline lead-in (本报讯（记者 尚丽）), as print sets them.
        for (run, bold) in line.runs() {
            let s = if bold {
                style.add_modifier(Modifier::BOLD)
            } else {
                style
            };
            x += p.put(x, y, right.saturating_sub(x), run, s);
        }
        super::search::highlight(app, line, start, y, max, p);
    }
    if app.open.is_none() && content.height > 0 {
        let text = if app.issues.is_empty() {
            "No issues to read. Run `dubao PATH...` with page files or folders."
        } else {
            "Select a headline and press Enter."
        };
        p.put(
            content.x + 1,
            content.y,
            content.width.saturating_sub(1),
            text,
            app.theme.get("note"),
        );
    }
}
