//! The status line: paper · date · page · article n/m (`App::status_label`) · percent
//! read, then either the latest message (errors in red) or key hints from the keymap table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::cells;
use crate::ui::app::App;

pub fn draw(app: &App, r: Rect, buf: &mut Buffer) {
    if r.height == 0 {
        return;
    }
    let style = app.theme.get("status");
    cells::paint(buf, r, style);
    let amb = app.opts.amb;
    let sym = app.symbols();
    let mut left = Vec::new();
    if app.current.is_some() {
        left.push(app.status_label());
    }
    if app.open.is_some()
        && let Some(p) = app.percent()
    {
        left.push(format!("{p}%"));
    }
    let left = format!(" {}", left.join(" · "));
    let (right, right_style) = match &app.message {
        Some(m) if m.error => (m.text.clone(), style.patch(app.theme.get("error"))),
        Some(m) => (m.text.clone(), style),
        None => (hints(app), style),
    };
    let rw = u16::try_from(crate::text::width(&crate::text::display_safe(&right), amb))
        .unwrap_or(u16::MAX);
    let lw = u16::try_from(crate::text::width(&left, amb)).unwrap_or(u16::MAX);
    if app.message.is_some() {
        // A message matters more than the position: it gets the room it needs.
        let mw = rw.min(r.width.saturating_sub(1));
        let lw_room = r.width.saturating_sub(mw + 1);
        cells::put_cut(buf, r.x, r.y, lw_room, &left, style, amb, sym.ellipsis);
        let mx = r.right().saturating_sub(mw + 1);
        cells::put_cut(buf, mx, r.y, mw, &right, right_style, amb, sym.ellipsis);
    } else {
        cells::put_cut(buf, r.x, r.y, r.width, &left, style, amb, sym.ellipsis);
        if lw.saturating_add(rw).saturating_add(2) <= r.width {
            cells::put(buf, r.right() - rw - 1, r.y, rw, &right, right_style, amb);
        }
    }
}

/// `? help  n next  B marks  q quit`: from the same table the keys are looked up in.
fn hints(app: &App) -> String {
    let hints: Vec<String> = app
        .keymap
        .status_hints()
        .into_iter()
        .map(|(k, label)| format!("{k} {label}"))
        .collect();
    hints.join("  ")
}
