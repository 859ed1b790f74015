//! The `?` overlay: every bound action with its keys, generated from the keymap table (so a
//! remapped key shows as remapped), scrolled by `update_help` when it does not fit. Also the
//! framed-box helper the overlays share.

use ratatui::layout::Rect;

use super::cells::Painter;
use crate::ui::action::Action;
use crate::ui::app::App;

/// Clear a centred box of at most `w`×`h` and draw its frame and title; returns the inside.
pub(crate) fn frame(
    app: &App,
    area: Rect,
    w: u16,
    h: u16,
    title: &str,
    p: &mut Painter<'_>,
) -> Rect {
    let area = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    p.clear(r);
    if w < 3 || h < 3 {
        return r;
    }
    let sym = p.sym;
    let style = app.theme.get("header");
    for x in r.left()..r.right() {
        let [top, bottom] = if x == r.left() {
            [sym.corners[0], sym.corners[2]]
        } else if x + 1 == r.right() {
            [sym.corners[1], sym.corners[3]]
        } else {
            [sym.hline, sym.hline]
        };
        p.put(x, r.top(), 1, top, style);
        p.put(x, r.bottom() - 1, 1, bottom, style);
    }
    for y in r.top() + 1..r.bottom() - 1 {
        p.put(r.left(), y, 1, sym.vline, style);
        p.put(r.right() - 1, y, 1, sym.vline, style);
    }
    p.put_cut(
        r.x + 2,
        r.y,
        w.saturating_sub(4),
        &format!(" {title} "),
        style,
    );
    Rect::new(r.x + 2, r.y + 1, w.saturating_sub(4), h - 2)
}

/// Rows of the key table the help box shows on a terminal `height` rows high: the box is
/// as tall as the table and its frame, above the status line, and no taller than the screen.
pub(crate) fn visible_rows(height: u16, rows: usize) -> usize {
    let room = usize::from(height.saturating_sub(1));
    (rows + 2).min(room).saturating_sub(2)
}

pub fn draw(app: &App, top: usize, area: Rect, p: &mut Painter<'_>) {
    let rows = app.keymap.help_rows();
    let shown = visible_rows(area.height, rows.len());
    let top = top.min(rows.len().saturating_sub(shown));
    // When the table does not fit, the title says which part is on screen and how to move.
    // The key that closes it, as the live keymap has it (help itself always has one).
    let close = app
        .keymap
        .hint(Action::Back)
        .or_else(|| app.keymap.hint(Action::ToggleHelp))
        .unwrap_or_default();
    let title = if shown >= rows.len() {
        format!("keys ({close} closes)")
    } else {
        format!(
            "keys {}–{} of {} (j k, {close})",
            top + 1,
            top + shown,
            rows.len()
        )
    };
    let inner = frame(app, area, 64, rows.len() as u16 + 2, &title, p);
    // A third of a narrow box for the keys at most: the descriptions need the room more.
    let keys_w = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0).min(16) as u16;
    let keys_w = keys_w.min(inner.width / 3);
    for (n, (keys, desc)) in rows
        .iter()
        .skip(top)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + n as u16;
        p.put_cut(inner.x, y, keys_w, keys, app.theme.get("bookmark"));
        let x = inner.x + keys_w + 2;
        p.put_cut(
            x,
            y,
            inner.right().saturating_sub(x),
            desc,
            Default::default(),
        );
    }
}
