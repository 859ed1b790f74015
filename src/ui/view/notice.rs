//! A notice box: a title and a text too long for the status line (why a page cannot be
//! read), wrapped by the program's line breaker to the box's width, each `\n` a new line.
//! Any key closes it (the title says Esc, the key people try first).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::cells;
use crate::text::{WrapOptions, display_safe, wrap_str};
use crate::ui::app::App;

/// The widest the box gets: short lines read better than a terminal-wide one.
const MAX_WIDTH: u16 = 72;

pub fn draw(app: &App, title: &str, text: &str, area: Rect, buf: &mut Buffer) {
    let w = area.width.saturating_sub(4).clamp(3, MAX_WIDTH);
    let lines = wrapped(app, text, usize::from(w.saturating_sub(4)));
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let title = format!("{title} · Esc");
    let inner = super::help::frame(app, area, w, h, &title, buf);
    let amb = app.opts.amb;
    let sym = app.symbols();
    let shown = usize::from(inner.height);
    for (n, line) in lines.iter().take(shown).enumerate() {
        let y = inner.y + n as u16;
        // The last row that fits ends in an ellipsis when lines are left over.
        let cut = n + 1 == shown && lines.len() > shown;
        let text = if cut {
            format!("{line}{}", sym.ellipsis)
        } else {
            line.clone()
        };
        cells::put_cut(
            buf,
            inner.x,
            y,
            inner.width,
            &text,
            Default::default(),
            amb,
            sym.ellipsis,
        );
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
