//! Which panes are visible and where: a pure function of the terminal size, the focus and
//! zoom, so that `update` (scrolling, clicks) and the views always agree. Three panes from
//! 120 columns, two from 80 (issues + headlines while the issue list has the focus,
//! otherwise headlines + body), one below; the status line is the last row.

use ratatui::layout::Rect;

use crate::text::LayoutOptions;

use super::app::{App, Pane};

/// Where each visible pane is; `None` for a hidden pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Geometry {
    pub issues: Option<Rect>,
    pub headlines: Option<Rect>,
    pub body: Option<Rect>,
    pub status: Rect,
}

impl Geometry {
    pub fn pane(&self, p: Pane) -> Option<Rect> {
        match p {
            Pane::Issues => self.issues,
            Pane::Headlines => self.headlines,
            Pane::Body => self.body,
        }
    }
    /// Rows below a pane's one-line header.
    pub fn content(&self, p: Pane) -> Option<Rect> {
        self.pane(p).map(|r| Rect {
            y: r.y + 1.min(r.height),
            height: r.height.saturating_sub(1),
            ..r
        })
    }
    /// The pane under a screen cell.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        [Pane::Issues, Pane::Headlines, Pane::Body]
            .into_iter()
            .find(|p| self.pane(*p).is_some_and(|r| r.contains((x, y).into())))
    }
}

impl App {
    /// Panes and their places for the current size, focus and zoom.
    pub fn geometry(&self) -> Geometry {
        let (w, h) = (self.width, self.height);
        let status = Rect::new(0, h.saturating_sub(1), w, 1.min(h));
        let main_h = h.saturating_sub(1);
        let mut g = Geometry {
            status,
            ..Geometry::default()
        };
        let panes: Vec<Pane> = if self.zoom {
            vec![Pane::Body]
        } else if w >= 120 {
            vec![Pane::Issues, Pane::Headlines, Pane::Body]
        } else if w >= 80 {
            match self.focus {
                Pane::Issues => vec![Pane::Issues, Pane::Headlines],
                _ => vec![Pane::Headlines, Pane::Body],
            }
        } else {
            vec![self.focus]
        };
        let widths: Vec<u16> = match panes.as_slice() {
            [_, _, _] => {
                let iw = (w * 18 / 100).clamp(16, 28);
                let hw = (w * 30 / 100).clamp(28, 44);
                vec![iw, hw, w - iw - hw - 2]
            }
            [Pane::Issues, _] => {
                let iw = (w * 40 / 100).clamp(20, 36);
                vec![iw, w - iw - 1]
            }
            [_, _] => {
                let hw = (w * 36 / 100).clamp(24, 40);
                vec![hw, w - hw - 1]
            }
            _ => vec![w],
        };
        let mut x = 0;
        for (p, pw) in panes.iter().zip(widths) {
            let r = Some(Rect::new(x, 0, pw, main_h));
            match p {
                Pane::Issues => g.issues = r,
                Pane::Headlines => g.headlines = r,
                Pane::Body => g.body = r,
            }
            x += pw + 1;
        }
        g
    }

    /// Layout options for the body at the current geometry: an even width, so that a line
    /// of ideographs fills it exactly. Up to the measure (`Options::measure`) that is the
    /// pane's width less a left margin of one or two cells, and the text ends at the body's
    /// right edge (the terminal's edge: the body is the rightmost pane); on wider panes the
    /// text is the measure wide, from the same left margin, and the rest of the pane is blank.
    pub fn layout_options(&self) -> Option<LayoutOptions> {
        let r = self.geometry().content(Pane::Body)?;
        let mut width = full_width(r.width);
        if self.opts.measure > 0 {
            width = width.min((self.opts.measure & !1).max(2));
        }
        Some(LayoutOptions {
            width,
            amb: self.opts.amb,
            indent: self.opts.indent,
            hang: self.opts.hang,
        })
    }

    /// Cells between the body pane's left edge and its text.
    pub fn body_margin(&self) -> u16 {
        match self.geometry().content(Pane::Body) {
            Some(r) => r.width.saturating_sub(full_width(r.width)),
            None => 1,
        }
    }

    /// Screen lines the body shows at once (or would show, while it is hidden).
    pub fn body_height(&self) -> usize {
        let rows = match self.geometry().content(Pane::Body) {
            Some(r) => r.height,
            None => self.height.saturating_sub(2),
        };
        usize::from(rows).max(1)
    }
}

/// The widest even text width a body pane of `pane` cells holds, one or two cells of left
/// margin left over.
fn full_width(pane: u16) -> u16 {
    (pane.saturating_sub(1) & !1).max(2)
}
