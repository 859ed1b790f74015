//! The archive's overlays: the `P` list of the issue's pages (版面: number, section label,
//! article count; the open article's page marked) and the `:` date prompt, drawn over the
//! status line with its cursor and, after a refusal, the reason.

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells::Painter;
use crate::ui::app::{App, LineEdit};

pub fn draw(app: &App, sel: usize, area: Rect, p: &mut Painter<'_>) {
    let rows = app.page_rows();
    let title = match app.current {
        Some(i) => format!("{} · pages · Enter open · Esc close", app.issue_label(i)),
        None => "pages".to_string(),
    };
    let inner = super::help::frame(
        app,
        area,
        area.width.saturating_sub(4).min(60),
        rows.len().max(1) as u16 + 2,
        &title,
        p,
    );
    if inner.height == 0 {
        return;
    }
    let sym = p.sym;
    let here = app.open.and_then(|a| app.articles.get(a)).map(|r| r.page);
    let h = usize::from(inner.height);
    let first = (sel + 1).saturating_sub(h);
    for (n, row) in rows.iter().enumerate().skip(first).take(h) {
        let y = inner.y + (n - first) as u16;
        let style = if n == sel {
            app.theme.get("selection")
        } else {
            Style::default()
        };
        if n == sel {
            p.paint(Rect::new(inner.x, y, inner.width, 1), style);
        }
        let mark = if Some(row.page) == here {
            sym.current
        } else {
            " "
        };
        let count = format!("{} articles", row.articles);
        let text = format!("{mark} 第{}版  {}", row.number, row.label);
        let cw = count.len() as u16;
        let tw = inner.width.saturating_sub(cw + 1);
        p.put_cut(inner.x, y, tw, &text, style);
        let note = style.patch(app.theme.get("note"));
        p.put(inner.right().saturating_sub(cw), y, cw, &count, note);
    }
}

/// The date prompt on the status line: `go to date: 11-28▏`, then the reason a date was
/// refused, or the forms it takes.
pub fn draw_prompt(app: &App, ed: &LineEdit, r: Rect, p: &mut Painter<'_>) {
    if r.height == 0 {
        return;
    }
    let style = app.theme.get("status");
    p.clear(r);
    p.paint(r, style);
    let label = " go to date: ";
    let x = r.x + p.put(r.x, r.y, r.width, label, style);
    let x = x + p.line_edit(x, r.y, r.right().saturating_sub(x), ed, style);
    let (tail, tail_style) = match &app.message {
        Some(m) if m.error => (m.text.clone(), style.patch(app.theme.get("error"))),
        _ => (
            "2026-11-28 · 20261128 · 11-28 · 28 · 11月28日 · -7 · Esc cancels".to_string(),
            style.patch(app.theme.get("note")),
        ),
    };
    let x = x + 2;
    let w = r.right().saturating_sub(x);
    p.put_cut(x, r.y, w, &tail, tail_style);
}
