//! The status line: paper · date · page · article n/m (`App::status_label`) · percent
//! read (`|` between them in wide mode), then either the latest message (errors in red) or
//! key hints from the keymap table.

use ratatui::layout::Rect;

use super::cells::Painter;
use crate::ui::app::App;

pub fn draw(app: &App, r: Rect, p: &mut Painter<'_>) {
    if r.height == 0 {
        return;
    }
    let style = app.theme.get("status");
    p.paint(r, style);
    let amb = p.amb;
    let sym = p.sym;
    let mut left = Vec::new();
    if app.current.is_some() {
        left.push(app.status_label());
    }
    if app.open.is_some()
        && let Some(p) = app.percent()
    {
        left.push(format!("{p}%"));
    }
    left.extend(app.search_note());
    let left = format!(" {}", left.join(sym.sep));
    let (right, right_style) = match &app.message {
        Some(m) if m.error => (m.text.clone(), style.patch(app.theme.get("error"))),
        Some(m) => (m.text.clone(), style),
        None => (String::new(), style),
    };
    let rw = u16::try_from(crate::text::width(&crate::text::display_safe(&right), amb))
        .unwrap_or(u16::MAX);
    let lw = u16::try_from(crate::text::width(&left, amb)).unwrap_or(u16::MAX);
    if app.message.is_some() {
        // A message matters more than the position: it gets the room it needs.
        let mw = rw.min(r.width.saturating_sub(1));
        let lw_room = r.width.saturating_sub(mw + 1);
        p.put_cut(r.x, r.y, lw_room, &left, style);
        let mx = r.right().saturating_sub(mw + 1);
        p.put_cut(mx, r.y, mw, &right, right_style);
    } else {
        // The hints that fit beside the position, and `? help` always: the position is cut
        // for it, so a narrow terminal still says how to find the keys.
        let right = hints(app, r.width.saturating_sub(lw + 2));
        let rw = u16::try_from(crate::text::width(&right, amb)).unwrap_or(u16::MAX);
        let room = r.width.saturating_sub(rw + 2);
        p.put_cut(r.x, r.y, room, &left, style);
        let rw = rw.min(r.width.saturating_sub(1));
        let x = r.right().saturating_sub(rw + 1);
        p.put(x, r.y, rw, &right, right_style);
    }
}

/// `? help  n next  B marks  q quit`, as many as fit in `room` cells but the first (help)
/// always: from the same table the keys are looked up in.
fn hints(app: &App, room: u16) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut used = 0;
    for (k, label) in app.keymap.status_hints() {
        let more = format!("{k} {label}");
        let w = more.chars().count() + if out.is_empty() { 0 } else { 2 };
        if !out.is_empty() && used + w > usize::from(room) {
            break;
        }
        used += w;
        out.push(more);
    }
    out.join("  ")
}
