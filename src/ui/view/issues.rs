//! The issue list: newest first, with unread counts for issues already loaded and a mark on
//! issues with pages that could not be read.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::cells;
use crate::ui::app::{App, Pane};

pub fn draw(app: &App, r: Rect, buf: &mut Buffer) {
    let title = format!("Issues ({})", app.issues.len());
    super::header(app, Pane::Issues, r, &title, buf);
    let Some(content) = app.geometry().content(Pane::Issues) else {
        return;
    };
    let sym = app.symbols();
    let amb = app.opts.amb;
    for (row, i) in (app.issue_top..app.issues.len())
        .take(usize::from(content.height))
        .enumerate()
    {
        let y = content.y + row as u16;
        let slot = &app.issues[i];
        let selected = i == app.issue_sel;
        let mut style = if selected && app.focus == Pane::Issues {
            app.theme.get("selection")
        } else {
            ratatui::style::Style::default()
        };
        if Some(i) == app.current {
            style = style.patch(app.theme.get("header"));
        }
        if selected {
            cells::paint(buf, Rect::new(content.x, y, content.width, 1), style);
        }
        let mark = if Some(i) == app.current {
            sym.current
        } else {
            " "
        };
        let mut x = content.x;
        x += cells::put(buf, x, y, 1, mark, style, amb);
        let errors = slot.issue.as_ref().is_some_and(|s| !s.errors.is_empty());
        let tail = match app.unread_count(i) {
            Some(n) if n > 0 => format!(" {n}"),
            _ => String::new(),
        };
        let tail_w = tail.len() as u16 + if errors { 2 } else { 0 };
        let name_w = content.right().saturating_sub(x).saturating_sub(tail_w);
        let name = match slot.entry.date {
            Some(d) if !slot.entry.name.contains(&d.to_string()) => {
                format!("{d} {}", slot.entry.name)
            }
            _ => slot.entry.name.clone(),
        };
        cells::put_cut(buf, x, y, name_w, &name, style, amb, sym.ellipsis);
        let mut tx = content.right().saturating_sub(tail_w);
        if errors {
            tx += cells::put(
                buf,
                tx,
                y,
                2,
                &format!(" {}", sym.error),
                app.theme.get("error"),
                amb,
            );
        }
        cells::put(
            buf,
            tx,
            y,
            tail_w,
            &tail,
            style.patch(app.theme.get("bookmark")),
            amb,
        );
    }
}
