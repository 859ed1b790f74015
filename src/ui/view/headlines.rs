//! The headline list of the current issue: a rule per page, then one row per article with
//! its read (✓) and bookmark (★) marks, the title bright and section · kicker dimmed after
//! it; pages that could not be read are listed at the end with an error mark.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells;
use crate::ui::app::{App, Pane, Row};

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

pub fn draw(app: &App, r: Rect, buf: &mut Buffer) {
    let title = match (app.current, app.wanted) {
        (_, Some(w)) => format!("loading {}…", app.issues[w].entry.name),
        (Some(i), None) => format!(
            "{} · {} articles",
            app.issues[i].entry.name,
            app.articles.len()
        ),
        (None, None) => "Headlines".to_string(),
    };
    super::header(app, Pane::Headlines, r, &title, buf);
    let Some(content) = app.geometry().content(Pane::Headlines) else {
        return;
    };
    let sym = app.symbols();
    let amb = app.opts.amb;
    let focused = app.focus == Pane::Headlines;
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
            cells::paint(buf, Rect::new(content.x, y, content.width, 1), base);
        }
        let mut x = content.x;
        let right = content.right();
        match *row {
            Row::Page(p) => {
                let style = app.theme.get("page");
                x += cells::put(buf, x, y, 2, &sym.hline.repeat(2), style, amb);
                x += cells::put_cut(
                    buf,
                    x,
                    y,
                    right - x,
                    &format!(" {} ", page_label(app, p)),
                    style,
                    amb,
                    sym.ellipsis,
                );
                while x < right {
                    x += cells::put(buf, x, y, right - x, sym.hline, style, amb).max(1);
                }
            }
            Row::Article(a) => {
                let Some(article) = app.article(a) else {
                    continue;
                };
                let id = &app.articles[a].id;
                let read = app.is_read(id, &article.title());
                let marked = app.store.is_bookmarked(id);
                let is_open = app.open == Some(a);
                let read_mark = if read { sym.read } else { " " };
                x += cells::put(
                    buf,
                    x,
                    y,
                    1,
                    read_mark,
                    base.patch(app.theme.get("read")),
                    amb,
                );
                let bm = if marked { sym.bookmark } else { " " };
                x += cells::put(buf, x, y, 1, bm, base.patch(app.theme.get("bookmark")), amb);
                x += cells::put(buf, x, y, 1, " ", base, amb);
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
                if is_open && !(selected && focused) {
                    title_style = title_style.add_modifier(ratatui::style::Modifier::UNDERLINED);
                }
                x += cells::put_cut(buf, x, y, right - x, &title, title_style, amb, sym.ellipsis);
                let dim: Vec<&str> = [&article.section, &article.kicker]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if !dim.is_empty() && x + 3 < right {
                    let text = format!("  {}", dim.join(" · "));
                    let style = base.patch(app.theme.get("kicker"));
                    cells::put_cut(buf, x, y, right - x, &text, style, amb, sym.ellipsis);
                }
            }
            Row::Error(e) => {
                let Some(err) = app.current_issue().and_then(|i| i.errors.get(e)) else {
                    continue;
                };
                let style = base.patch(app.theme.get("error"));
                let reason = crate::ui::notice::page_error_reason(err);
                let text = format!("{} {}: {reason}", sym.error, err.source);
                cells::put_cut(buf, x, y, right - x, &text, style, amb, sym.ellipsis);
            }
        }
    }
    if app.rows.is_empty() && app.current.is_some() && content.height > 0 {
        cells::put(
            buf,
            content.x,
            content.y,
            content.width,
            "(no articles)",
            app.theme.get("note"),
            amb,
        );
    }
}
