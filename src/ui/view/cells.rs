//! Writing text into the buffer cell by cell: the only way any view puts text on screen.
//! Views draw through a [`Painter`]: the buffer with the ambiguous width and the symbols
//! every write needs, so a call says only where, how wide, what and in which style.
//!
//! Two guarantees live here. Page text is untrusted, so every control character (C0, DEL,
//! C1, and so any ESC that could start a sequence) becomes a visible placeholder (`␛`)
//! before it reaches a cell. And every grapheme is measured with the program's one width
//! function: when that disagrees with ratatui's (ambiguous characters in wide mode), the cell
//! gets `CellDiffOption::ForcedWidth` and the cells it covers are reset, so ratatui's diff
//! agrees with what the terminal draws.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use super::theme::Symbols;
use crate::text::{self, AmbiguousWidth};
use crate::ui::app::{App, LineEdit};

/// The buffer a frame is drawn into, with how the terminal measures ambiguous characters
/// and the symbols (box, marks, ellipsis) it can show.
pub struct Painter<'b> {
    pub buf: &'b mut Buffer,
    pub amb: AmbiguousWidth,
    pub sym: Symbols,
}

impl<'b> Painter<'b> {
    pub fn new(app: &App, buf: &'b mut Buffer) -> Painter<'b> {
        Painter {
            buf,
            amb: app.opts.amb,
            sym: app.symbols(),
        }
    }

    /// [`put`]: `text` at (x, y) in at most `max` cells; returns the cells used.
    pub fn put(&mut self, x: u16, y: u16, max: u16, text: &str, style: Style) -> u16 {
        put(self.buf, x, y, max, text, style, self.amb)
    }

    /// [`put_cut`]: like `put`, ending in the ellipsis when the text is cut.
    pub fn put_cut(&mut self, x: u16, y: u16, max: u16, text: &str, style: Style) -> u16 {
        put_cut(
            self.buf,
            x,
            y,
            max,
            text,
            style,
            self.amb,
            self.sym.ellipsis,
        )
    }

    /// [`clear`] a rectangle before drawing over it.
    pub fn clear(&mut self, r: Rect) {
        clear(self.buf, r);
    }

    /// [`paint`] a rectangle's style, symbols kept.
    pub fn paint(&mut self, r: Rect, style: Style) {
        paint(self.buf, r, style);
    }

    /// [`line_edit`]: a prompt's text with its cursor.
    pub fn line_edit(&mut self, x: u16, y: u16, w: u16, ed: &LineEdit, style: Style) -> u16 {
        line_edit(self.buf, x, y, w, ed, style, self.amb)
    }

    /// The cells `text` takes as drawn (control characters as their placeholders).
    pub fn width(&self, text: &str) -> u16 {
        u16::try_from(text::width(&text::display_safe(text), self.amb)).unwrap_or(u16::MAX)
    }
}

/// Write `text` at (x, y), at most `max` cells wide; returns the cells used. Graphemes that
/// do not fit are left out whole (never half a wide character).
pub fn put(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    max: u16,
    text: &str,
    style: Style,
    amb: AmbiguousWidth,
) -> u16 {
    let area = buf.area;
    if y < area.y || y >= area.bottom() || x < area.x {
        return 0;
    }
    let right = x.saturating_add(max).min(area.right());
    let safe = text::display_safe(text);
    let mut cx = x;
    for g in safe.graphemes(true) {
        // An emoji sequence terminals disagree on is drawn as its certain part.
        let g = text::stand_in(g);
        let w = u16::try_from(text::width(g, amb)).unwrap_or(u16::MAX);
        if w == 0 {
            continue;
        }
        if cx.saturating_add(w) > right {
            break;
        }
        let cell = &mut buf[(cx, y)];
        cell.set_symbol(g).set_style(style);
        let option = match NonZeroU16::new(w) {
            Some(nz) if g.cell_width() != w => CellDiffOption::ForcedWidth(nz),
            _ => CellDiffOption::None,
        };
        cell.set_diff_option(option);
        for k in 1..w {
            buf[(cx + k, y)].reset();
        }
        cx += w;
    }
    cx - x
}

/// Like [`put`], but ends with `ellipsis` when the text is cut.
#[allow(clippy::too_many_arguments)]
pub fn put_cut(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    max: u16,
    text: &str,
    style: Style,
    amb: AmbiguousWidth,
    ellipsis: &str,
) -> u16 {
    let full = u16::try_from(text::width(&text::display_safe(text), amb)).unwrap_or(u16::MAX);
    if full <= max {
        return put(buf, x, y, max, text, style, amb);
    }
    let ew = u16::try_from(text::width(ellipsis, amb)).unwrap_or(1);
    let used = put(buf, x, y, max.saturating_sub(ew), text, style, amb);
    used + put(buf, x + used, y, max - used, ellipsis, style, amb)
}

/// Blank a rectangle before drawing over it. A wide character that starts just left of the
/// rectangle and reaches into it is blanked too: the terminal erases it whole when its right
/// half is overwritten, so ratatui must not believe it is still there (ratatui #2526).
pub fn clear(buf: &mut Buffer, r: Rect) {
    let r = r.intersection(buf.area);
    for y in r.top()..r.bottom() {
        if r.x > buf.area.x && buf[(r.x - 1, y)].cell_width() > 1 {
            buf[(r.x - 1, y)] = Cell::new(" ");
        }
        for x in r.left()..r.right() {
            buf[(x, y)].reset();
        }
    }
}

/// Fill a row segment with a style (status bar, selection bar) without changing symbols.
pub fn paint(buf: &mut Buffer, r: Rect, style: Style) {
    buf.set_style(r.intersection(buf.area), style);
}

/// A line editor's text at (`x`, `y`) in `w` cells, scrolled so that the cursor stays in
/// view (a long text shows its part around the cursor), the cursor's cell reversed. Every
/// prompt draws through this: the bookmark note, the date prompt, find and search. Returns
/// the cells used, the cursor's cell at the end included.
pub fn line_edit(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    w: u16,
    ed: &LineEdit,
    style: Style,
    amb: AmbiguousWidth,
) -> u16 {
    let before: String = ed.text.chars().take(ed.cursor).collect();
    let skip = before
        .chars()
        .count()
        .saturating_sub(usize::from(w.saturating_sub(2)) / 2);
    let shown: String = ed.text.chars().skip(skip).collect();
    let used: String = before.chars().skip(skip).collect();
    let drawn = put(buf, x, y, w, &shown, style, amb);
    let at = u16::try_from(text::width(&text::display_safe(&used), amb)).unwrap_or(u16::MAX);
    if at < w {
        buf[(x + at, y)].set_style(style.add_modifier(Modifier::REVERSED));
    }
    drawn.max(at.saturating_add(1)).min(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn escapes_become_placeholders() {
        assert_eq!(text::display_safe("a\u{1b}]52;c;x\u{7}b"), "a␛]52;c;x␇b");
        assert_eq!(text::display_safe("\u{9b}2J"), "\u{2426}2J");
        assert!(matches!(text::display_safe("平城"), Cow::Borrowed(_)));
    }

    #[test]
    fn wide_ambiguous_cells_are_forced() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let n = put(
            &mut buf,
            0,
            0,
            6,
            "“a”",
            Style::default(),
            AmbiguousWidth::Wide,
        );
        assert_eq!(n, 5);
        assert_eq!(
            buf[(0, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap())
        );
        assert_eq!(buf[(2, 0)].symbol(), "a");
        let n = put(
            &mut buf,
            0,
            0,
            3,
            "平平",
            Style::default(),
            AmbiguousWidth::Narrow,
        );
        assert_eq!(
            n, 2,
            "the second ideograph does not fit and is left out whole"
        );
    }
}
