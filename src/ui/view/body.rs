//! The article body: the screen lines the layout engine produced (cached by `update`),
//! drawn cell by cell with one or two cells of margin, in a column no wider than the measure
//! (the rest of a wide pane stays blank), styled by what each line is; a paragraph's dateline
//! lead-in (`本报讯（记者 尚丽）`) in bold.

use ratatui::layout::Rect;

use super::cells::Painter;
use ratatui::style::Modifier;

use crate::text::{LineStyle, dateline_lead, joined_title};
use crate::ui::app::{App, Pane};

pub fn draw(app: &App, r: Rect, p: &mut Painter<'_>) {
    let title = match (app.open, app.open_article()) {
        (Some(a), Some(article)) => {
            let page = super::headlines::page_label(app, app.articles[a].page);
            let joined = joined_title(&article.title_lines);
            let name = if joined.is_empty() {
                "(untitled)".to_string()
            } else {
                joined
            };
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
        let mut text = line.text.as_str();
        // The dateline lead-in (本报讯（记者 尚丽）) is set off in bold, as print does.
        if line.style == LineStyle::Paragraph && line.pos.offset == 0 {
            let (lead, rest) = text.split_at(dateline_lead(text));
            let bold = style.add_modifier(Modifier::BOLD);
            x += p.put(x, y, right.saturating_sub(x), lead, bold);
            text = rest;
        }
        p.put(x, y, right.saturating_sub(x), text, style);
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
