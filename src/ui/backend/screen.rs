//! One frame buffer and the backend, in place of ratatui's `Terminal`.
//!
//! `Terminal` keeps two buffers, the frame being drawn and the previous one, and hands the
//! backend their difference. This backend already keeps what the terminal shows (its
//! shadow), so the previous buffer was a third copy of the screen: 230 KB at 120×40, a
//! few percent of the reader's memory. A `Screen` renders into its one buffer and diffs it
//! against the shadow, by the rules of ratatui's diff (wide characters, `ForcedWidth`,
//! skipped cells, the trailing cells of a wide character whose style shows on blanks).
//! Diffing against what is on the screen rather than against the previous frame also
//! leaves out cells whose new attributes do not show (a dim blank where a plain one was).

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Widget;

use super::{TermBackend, looks_blank};

/// A style that shows on the blank cells a narrower character leaves (ratatui's rule).
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

pub struct Screen<W: Write> {
    backend: TermBackend<W>,
    buffer: Buffer,
    /// The cursor was hidden by a frame: shown again when the screen is dropped.
    hidden: bool,
}

impl<W: Write> Screen<W> {
    /// A screen of `width`×`height`: nothing is written until the first frame.
    pub fn new(backend: TermBackend<W>, width: u16, height: u16) -> Screen<W> {
        Screen {
            backend,
            buffer: Buffer::empty(Rect::new(0, 0, width, height)),
            hidden: false,
        }
    }

    pub fn backend(&self) -> &TermBackend<W> {
        &self.backend
    }

    pub fn backend_mut(&mut self) -> &mut TermBackend<W> {
        &mut self.backend
    }

    /// The screen is now `width`×`height` and blank: cleared as ratatui clears a fixed
    /// viewport (the whole screen when it got narrower, then from the top-left corner
    /// down), and the next frame is drawn whole. (Always at the origin: the shadow is
    /// the whole terminal's.)
    pub fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        let area = Rect::new(0, 0, width, height);
        if area.width < self.buffer.area.width {
            self.backend.clear_region(ClearType::All)?;
        }
        self.buffer.resize(area);
        if area.is_empty() {
            return Ok(());
        }
        let size = self.backend.size()?;
        if area.x == 0 && area.width == size.width && area.bottom() == size.height {
            self.backend.set_cursor_position(area.as_position())?;
            self.backend.clear_region(ClearType::AfterCursor)
        } else if area.x == 0 && area.width == size.width {
            for y in area.top()..area.bottom() {
                self.backend.set_cursor_position((0, y))?;
                self.backend.clear_region(ClearType::CurrentLine)?;
            }
            Ok(())
        } else {
            let blank = Cell::default();
            self.backend
                .draw(area.positions().map(|p| (p.x, p.y, &blank)))
        }
    }

    /// Draw a frame: render `widget` over the whole screen, write what differs from what
    /// the terminal shows, hide the cursor, flush.
    pub fn draw(&mut self, widget: impl Widget) -> io::Result<()> {
        self.buffer.reset();
        let area = self.buffer.area;
        widget.render(area, &mut self.buffer);
        let cells = diff(&self.backend.shadow, &self.buffer);
        self.backend.draw(cells.into_iter())?;
        self.backend.hide_cursor()?;
        self.hidden = true;
        Backend::flush(&mut self.backend)
    }
}

impl<W: Write> Drop for Screen<W> {
    fn drop(&mut self) {
        if self.hidden {
            // (Never fails: a terminal that is gone has no cursor to show.)
            let _ = self.backend.show_cursor();
        }
    }
}

/// A cell as the shadow keeps it: a blank that looks blank is a plain one.
fn as_shown(c: &Cell) -> &Cell {
    if looks_blank(c) { &Cell::EMPTY } else { c }
}

/// A cell a widget asked the diff to leave alone (ratatui's rule, with the field it
/// deprecated but still honours).
#[allow(deprecated)]
fn is_skip(c: &Cell) -> bool {
    matches!(c.diff_option, CellDiffOption::Skip)
        || (c.skip && matches!(c.diff_option, CellDiffOption::None))
}

/// The cells of `next` to write over `shown` (the shadow: rows of cells, missing ones
/// blank), in ratatui's order and by its rules.
pub(crate) fn diff<'a>(shown: &[Vec<Cell>], next: &'a Buffer) -> Vec<(u16, u16, &'a Cell)> {
    let width = usize::from(next.area.width);
    let mut out = Vec::new();
    if width == 0 {
        return out;
    }
    for (y, row) in next.content.chunks(width).enumerate() {
        let old = shown.get(y).map_or(&[][..], Vec::as_slice);
        let prev = |x: usize| old.get(x).unwrap_or(&Cell::EMPTY);
        let at = |x: usize| (x as u16 + next.area.x, y as u16 + next.area.y);
        let mut x = 0;
        while x < width {
            let (i, current, previous) = (x, &row[x], prev(x));
            x += 1;
            if is_skip(current) {
                continue;
            }
            let same = as_shown(current) == previous;
            if let CellDiffOption::ForcedWidth(w) = current.diff_option {
                x += usize::from(w.get()) - 1;
                if !same {
                    out.push((at(i).0, at(i).1, current));
                }
                continue;
            }
            let w = usize::from(current.cell_width());
            if matches!(current.diff_option, CellDiffOption::None) && same {
                x += w.saturating_sub(1);
                continue;
            }
            out.push((at(i).0, at(i).1, current));
            let pw = usize::from(previous.cell_width());
            // The cells after this one that must be written too: a wide emoji's (some
            // terminals leave its trailing cell), or all the cells of a wider character
            // whose style shows on the blanks it leaves.
            let trailing = if w > 1 && current.symbol().contains('\u{FE0F}') {
                Some((i + w, false))
            } else if w > 1 {
                x += w - 1;
                None
            } else if pw > w
                && (previous.bg != Color::Reset || previous.modifier.intersects(VISIBLE_ON_BLANK))
            {
                Some((i + pw, true))
            } else {
                None
            };
            if let Some((end, force)) = trailing {
                let mut end = end.min(width);
                let mut j = i + 1;
                while j < end {
                    let k = j;
                    j += usize::from(row[k].cell_width().max(1));
                    end = end.max(j).min(width);
                    if !is_skip(&row[k]) && (force || prev(k).symbol() != row[k].symbol()) {
                        out.push((at(k).0, at(k).1, &row[k]));
                    }
                }
                x = end;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(s: &str, width: u16) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, width, 1));
        b.set_string(0, 0, s, ratatui::style::Style::default());
        b
    }

    fn shown(b: &Buffer) -> Vec<Vec<Cell>> {
        let w = usize::from(b.area.width);
        b.content
            .chunks(w)
            .map(|r| r.iter().map(|c| as_shown(c).clone()).collect())
            .collect()
    }

    fn cols(d: &[(u16, u16, &Cell)]) -> Vec<(u16, String)> {
        d.iter()
            .map(|(x, _, c)| (*x, c.symbol().to_string()))
            .collect()
    }

    /// The diff against the shadow is ratatui's diff against the previous frame whenever
    /// the shadow holds that frame.
    #[test]
    fn same_cells_as_ratatui_against_the_previous_frame() {
        let cases = [
            ("コ", "aa"),
            ("a ", "コ"),
            ("aaa", "aコ"),
            ("平平平", "平a平"),
            ("abc", "abc"),
            ("", "中文，好"),
            ("中文，好", ""),
        ];
        for (before, after) in cases {
            let (p, n) = (row(before, 6), row(after, 6));
            let want = cols(&p.diff(&n));
            assert_eq!(cols(&diff(&shown(&p), &n)), want, "{before:?} → {after:?}");
        }
    }

    #[test]
    fn a_blank_whose_style_does_not_show_is_not_written_again() {
        let plain = row("  ", 2);
        let mut dim = row("  ", 2);
        dim.set_style(Rect::new(0, 0, 2, 1), Modifier::DIM);
        assert!(!plain.diff(&dim).is_empty(), "ratatui writes them");
        assert!(diff(&shown(&plain), &dim).is_empty());
    }

    #[test]
    fn a_missing_shadow_is_a_blank_screen() {
        let n = row("ab", 4);
        assert_eq!(cols(&diff(&[], &n)), vec![(0, "a".into()), (1, "b".into())]);
    }

    #[test]
    fn the_blanks_of_a_reversed_wide_character_are_written_plain() {
        let mut p = row("中", 3);
        p.set_style(Rect::new(0, 0, 2, 1), Modifier::REVERSED);
        let n = row("a", 3);
        let want = cols(&p.diff(&n));
        assert_eq!(want.len(), 2, "{want:?}");
        assert_eq!(cols(&diff(&shown(&p), &n)), want);
    }
}
