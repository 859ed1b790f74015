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

use cells::Painter;

use super::app::{App, Overlay, Pane};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let p = &mut Painter::new(self, buf);
        let g = self.geometry();
        if let Some(r) = g.issues {
            issues::draw(self, r, p);
        }
        if let Some(r) = g.headlines {
            headlines::draw(self, r, p);
        }
        if let Some(r) = g.body {
            body::draw(self, r, p);
        }
        separators(self, p);
        status::draw(self, g.status, p);
        search::draw(self, area, p);
        match &self.overlay {
            Some(Overlay::Help { top }) => help::draw(self, *top, area, p),
            Some(Overlay::Bookmarks { sel, edit }) => {
                bookmarks::draw(self, *sel, edit.as_ref(), area, p);
            }
            Some(Overlay::Notice { title, text, top }) => {
                notice::draw(self, title, text, *top, area, p);
            }
            Some(Overlay::GotoDate(ed)) => pages::draw_prompt(self, ed, g.status, p),
            Some(Overlay::Pages { sel }) => pages::draw(self, *sel, area, p),
            None => {}
        }
    }
}

/// Vertical rules between visible panes.
fn separators(app: &App, p: &mut Painter<'_>) {
    let g = app.geometry();
    let style = app.theme.get("note");
    let panes: Vec<Rect> = [Pane::Issues, Pane::Headlines, Pane::Body]
        .into_iter()
        .filter_map(|pane| g.pane(pane))
        .collect();
    for r in panes.iter().take(panes.len().saturating_sub(1)) {
        let x = r.right();
        for y in r.top()..r.bottom() {
            p.put(x, y, 1, p.sym.vline, style);
        }
    }
}

/// A pane's one-line header: its name, highlighted when focused.
pub(crate) fn header(app: &App, pane: Pane, r: Rect, text: &str, p: &mut Painter<'_>) {
    let style = if app.focus == pane && app.overlay.is_none() {
        app.theme.get("selection").patch(app.theme.get("header"))
    } else {
        app.theme.get("header")
    };
    let row = Rect { height: 1, ..r };
    p.paint(row, style);
    p.put_cut(r.x, r.y, r.width, text, style);
}
