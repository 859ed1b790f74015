//! A notice box: a title and a text too long for the status line (why a page cannot be
//! read, the warnings), wrapped by the program's line breaker to the box's width, each `\n`
//! a new line; scrolled from line `top` when it does not fit (the title then says which
//! lines show). Any other key closes it (the title says Esc, the key people try first).

use ratatui::layout::Rect;

use super::cells::Painter;
use crate::text::{WrapOptions, display_safe, wrap_str};
use crate::ui::app::App;

/// The widest the box gets: short lines read better than a terminal-wide one.
const MAX_WIDTH: u16 = 72;

/// The box's width and its text's lines, wrapped to it, on a screen `area` wide.
fn layout(app: &App, text: &str, area: Rect) -> (u16, Vec<String>) {
    let w = area.width.saturating_sub(4).clamp(3, MAX_WIDTH);
    (w, wrapped(app, text, usize::from(w.saturating_sub(4))))
}

/// How many lines the text has and how many the box shows on the app's screen (for
/// scrolling it in `update_notice`).
pub(crate) fn extent(app: &App, text: &str) -> (usize, usize) {
    let (_, lines) = layout(app, text, Rect::new(0, 0, app.width, app.height));
    let room = usize::from(app.height.saturating_sub(1)).saturating_sub(2);
    (lines.len(), lines.len().min(room))
}

pub fn draw(app: &App, title: &str, text: &str, top: usize, area: Rect, p: &mut Painter<'_>) {
    let (w, lines) = layout(app, text, area);
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let room = usize::from(area.height.saturating_sub(1)).saturating_sub(2);
    let shown = lines.len().min(room);
    let top = top.min(lines.len().saturating_sub(shown));
    // When the text does not fit, the title says which part is on screen and how to move.
    let title = if shown >= lines.len() {
        format!("{title} · Esc")
    } else {
        format!(
            "{title} {}–{}/{} (j k, Esc)",
            top + 1,
            top + shown,
            lines.len()
        )
    };
    let inner = super::help::frame(app, area, w, h, &title, p);
    let sym = p.sym;
    let shown = usize::from(inner.height);
    for (n, line) in lines.iter().skip(top).take(shown).enumerate() {
        let y = inner.y + n as u16;
        // The last row that fits ends in an ellipsis when lines are left below.
        let cut = n + 1 == shown && lines.len() > top + shown;
        let text = if cut {
            format!("{line}{}", sym.ellipsis)
        } else {
            line.clone()
        };
        p.put_cut(inner.x, y, inner.width, &text, Default::default());
    }
}

/// The text's lines at `width` cells (display-safe: a page's path is page data too).
fn wrapped(app: &App, text: &str, width: usize) -> Vec<String> {
    let opts = WrapOptions::new(width.max(2), app.opts.amb);
    text.split('\n')
        .flat_map(|para| {
            let para = display_safe(para);
            if para.is_empty() {
                vec![String::new()]
            } else {
                wrap_str(&para, &opts)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            }
        })
        .collect()
}
