//! Drawing: `impl Widget for &App`. Views only read the state (layouts are cached by
//! `update`, never built here) and write cells through [`cells`], which keeps page text
//! display-safe and wide characters consistent with the terminal.

pub mod body;
pub mod bookmarks;
pub mod cells;
pub mod headlines;
pub mod help;
pub mod issues;
pub mod notice;
pub mod pages;
pub mod search;
pub mod status;
pub mod theme;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::app::{App, Overlay, Pane};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let g = self.geometry();
        if let Some(r) = g.issues {
            issues::draw(self, r, buf);
        }
        if let Some(r) = g.headlines {
            headlines::draw(self, r, buf);
        }
        if let Some(r) = g.body {
            body::draw(self, r, buf);
        }
        separators(self, buf);
        status::draw(self, g.status, buf);
        search::draw(self, area, buf);
        match &self.overlay {
            Some(Overlay::Help { top }) => help::draw(self, *top, area, buf),
            Some(Overlay::Bookmarks { sel, edit }) => {
                bookmarks::draw(self, *sel, edit.as_ref(), area, buf);
            }
            Some(Overlay::Notice { title, text, top }) => {
                notice::draw(self, title, text, *top, area, buf);
            }
            Some(Overlay::GotoDate(ed)) => pages::draw_prompt(self, ed, g.status, buf),
            Some(Overlay::Pages { sel }) => pages::draw(self, *sel, area, buf),
            None => {}
        }
    }
}

/// Vertical rules between visible panes.
fn separators(app: &App, buf: &mut Buffer) {
    let g = app.geometry();
    let sym = app.symbols();
    let style = app.theme.get("note");
    let panes: Vec<Rect> = [Pane::Issues, Pane::Headlines, Pane::Body]
        .into_iter()
        .filter_map(|p| g.pane(p))
        .collect();
    for r in panes.iter().take(panes.len().saturating_sub(1)) {
        let x = r.right();
        for y in r.top()..r.bottom() {
            cells::put(buf, x, y, 1, sym.vline, style, app.opts.amb);
        }
    }
}

/// A pane's one-line header: its name, highlighted when focused.
pub(crate) fn header(app: &App, pane: Pane, r: Rect, text: &str, buf: &mut Buffer) {
    let style = if app.focus == pane && app.overlay.is_none() {
        app.theme.get("selection").patch(app.theme.get("header"))
    } else {
        app.theme.get("header")
    };
    let row = Rect { height: 1, ..r };
    cells::paint(buf, row, style);
    let sym = app.symbols();
    cells::put_cut(
        buf,
        r.x,
        r.y,
        r.width,
        text,
        style,
        app.opts.amb,
        sym.ellipsis,
    );
}
