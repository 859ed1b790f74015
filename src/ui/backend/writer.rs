//! Writing one frame: cursor moves, attribute changes, blank tails, scrolls, and the
//! shadow of the screen kept in step with every byte sent.

use std::fmt::Write as _;

use ratatui::buffer::{Cell, CellWidth};

use super::cost::width;
use super::hashes::Changed;
use super::scroll;
use super::{PLAIN, Sgr, digits, push_sgr};

/// One frame being written: the output, the shadow it updates, the cursor and attributes.
pub(crate) struct Writer<'s> {
    pub(crate) out: String,
    pub(crate) shadow: &'s mut Vec<Vec<Cell>>,
    pub(crate) cursor: Option<(u16, u16)>,
    pub(crate) sgr: Sgr,
    /// The spans of shadow cells changed, in place (a whole row: to `usize::MAX`).
    pub(crate) changed: Vec<Changed>,
    /// Rows were removed from the shadow.
    pub(crate) reshaped: bool,
}

/// Set a cell in a row of the new frame as ratatui's buffer holds it: the cells a wide
/// character covers are reset (the diff never lists them).
pub(crate) fn put_cell(row: &mut [Cell], x: usize, cell: &Cell) {
    let w = width(cell);
    if let Some(slot) = row.get_mut(x) {
        *slot = cell.clone();
    }
    for c in row.iter_mut().skip(x + 1).take(w - 1) {
        *c = Cell::EMPTY;
    }
}

fn is_blank(c: &Cell) -> bool {
    c.symbol() == " " && (c.fg, c.bg, c.modifier) == PLAIN
}

impl Writer<'_> {
    /// The changed cells of one row, left to right.
    pub(crate) fn row(&mut self, cells: &[(u16, u16, &Cell)], cols: Option<u16>) {
        let y = cells[0].1;
        let tail = cols.and_then(|cols| self.blank_tail(cells, cols));
        for (i, &(x, _, cell)) in cells.iter().enumerate() {
            match tail {
                Some(t) if x >= t => break,
                _ => {
                    // A column the next write (or the tail's clear) paints anyway.
                    let next = cells.get(i + 1).map(|c| c.0);
                    let painted = move |c: u16| next == Some(c) || tail.is_some_and(|t| c >= t);
                    self.cell(x, y, cell, painted);
                }
            }
        }
        if let (Some(t), Some(cols)) = (tail, cols) {
            self.move_to(t, y);
            self.set_sgr(PLAIN);
            self.out.push_str("\u{1b}[K");
            let row = self.row_mut(y, cols);
            for c in row.iter_mut().skip(usize::from(t)) {
                *c = Cell::EMPTY;
            }
            self.changed
                .push((usize::from(y), usize::from(t), usize::MAX));
        }
    }

    /// Where the row's new content is blank to the end, if clearing from there with `CSI K`
    /// replaces at least three cell writes.
    pub(crate) fn blank_tail(&mut self, cells: &[(u16, u16, &Cell)], cols: u16) -> Option<u16> {
        let y = cells[0].1;
        // The shadow's row is a full row from here on, whatever the answer.
        self.row_mut(y, cols);
        // The clear replaces only written cells right of its start, where the row is blank:
        // cells that are blank themselves. Fewer than three, and there is nothing to gain.
        if cells.iter().filter(|(_, _, c)| is_blank(c)).count() < 3 {
            return None;
        }
        let mut row = self.row_mut(y, cols).to_vec();
        for &(x, _, c) in cells {
            put_cell(&mut row, usize::from(x), c);
        }
        // The first column from which every cell is blank and not covered by a wide one.
        let mut start = usize::from(cols);
        let mut covered = 0;
        for (x, c) in row.iter().enumerate() {
            if x < covered || !is_blank(c) {
                start = usize::from(cols);
            } else if start == usize::from(cols) {
                start = x;
            }
            covered = covered.max(x + width(c));
        }
        let start = u16::try_from(start).ok()?;
        let replaced = cells.iter().filter(|(x, _, _)| *x >= start).count();
        (replaced >= 3).then_some(start)
    }

    /// Make the shadow exactly `rows` rows of `cols` cells (missing cells are blank).
    pub(crate) fn fit(&mut self, cols: usize, rows: usize) {
        self.reshaped |= self.shadow.len() > rows;
        self.shadow.resize(rows, Vec::new());
        for (y, row) in self.shadow.iter_mut().enumerate() {
            if row.len() != cols {
                row.resize(cols, Cell::EMPTY);
                self.changed.push((y, 0, usize::MAX));
            }
        }
    }

    /// Let the terminal move rows: a scroll region, line feeds at its bottom (or reverse
    /// index at its top), and the region reset. Scrolled-in rows are blank, in plain
    /// attributes. Line feed and reverse index work on every terminal dubao targets.
    pub(crate) fn scroll(&mut self, s: &scroll::Scroll, cols: usize) {
        let (top, bottom) = s.region();
        self.set_sgr(PLAIN);
        if s.left > 0 {
            // DECLRMM on, the left/right margins: the rows move right of `left` only.
            let _ = write!(self.out, "\u{1b}[?69h\u{1b}[{};{}s", s.left + 1, cols);
        }
        let _ = write!(self.out, "\u{1b}[{};{}r", top + 1, bottom);
        let x = s.left + 1;
        if s.up {
            let _ = write!(self.out, "\u{1b}[{bottom};{x}H");
            (0..s.k).for_each(|_| self.out.push('\n'));
        } else {
            let _ = write!(self.out, "\u{1b}[{};{x}H", top + 1);
            (0..s.k).for_each(|_| self.out.push_str("\u{1b}M"));
        }
        self.out.push_str("\u{1b}[r");
        if s.left > 0 {
            // Resetting the mode resets the left/right margins too.
            self.out.push_str("\u{1b}[?69l");
        }
        self.cursor = None;
        s.apply(self.shadow, cols);
    }

    pub(crate) fn row_mut(&mut self, y: u16, cols: u16) -> &mut Vec<Cell> {
        let y = usize::from(y);
        if self.shadow.len() <= y {
            let from = self.shadow.len();
            self.shadow.resize(y + 1, Vec::new());
            self.changed.extend((from..=y).map(|r| (r, 0, usize::MAX)));
        }
        let row = &mut self.shadow[y];
        if row.len() < usize::from(cols) {
            row.resize(usize::from(cols), Cell::EMPTY);
            self.changed.push((y, 0, usize::MAX));
        }
        row
    }

    pub(crate) fn set_sgr(&mut self, want: Sgr) {
        if want != self.sgr {
            push_sgr(&mut self.out, self.sgr, want);
            self.sgr = want;
        }
    }

    /// Write one cell and note what the terminal now shows, including the half of a wide
    /// character it blanked as a side effect (repainted plain when that blank would show
    /// the current attributes).
    pub(crate) fn cell(&mut self, x: u16, y: u16, cell: &Cell, painted: impl Fn(u16) -> bool) {
        self.move_to(x, y);
        // A plain blank looks the same in any attributes that do not show on a space.
        if !(is_blank(cell) && super::blank_in(self.sgr)) {
            self.set_sgr((cell.fg, cell.bg, cell.modifier));
        }
        self.out.push_str(cell.symbol());
        let w = cell.cell_width().max(1);
        self.cursor = Some((x.saturating_add(w), y));
        let (xu, wu) = (usize::from(x), usize::from(w));
        let row = self.row_mut(y, x.saturating_add(w).saturating_add(1));
        let old_last_wide = row[xu + wu - 1].cell_width() > 1;
        let mut span = (usize::from(y), xu, xu + wu + usize::from(old_last_wide));
        if xu > 0 && row[xu - 1].cell_width() > 1 {
            // Our cell overwrote the right half of a wide character: it is gone.
            row[xu - 1] = Cell::EMPTY;
            span.1 = xu - 1;
        }
        row[xu] = cell.clone();
        for c in row.iter_mut().take(xu + wu).skip(xu + 1) {
            *c = Cell::EMPTY;
        }
        if old_last_wide {
            row[xu + wu] = Cell::EMPTY;
        }
        self.changed.push(span);
        if old_last_wide {
            let cx = x.saturating_add(w);
            // Terminals blank that half themselves, with the current attributes; some
            // emulators keep an orphan half instead. Either way, say what it is: blank.
            if !painted(cx) {
                // (A space in attributes that do not show on it is a plain blank.)
                if !super::blank_in(self.sgr) {
                    self.set_sgr(PLAIN);
                }
                self.move_to(cx, y);
                self.out.push(' ');
                self.cursor = Some((cx + 1, y));
            }
        }
    }

    /// Move the cursor to (x, y) the cheapest way: not at all, by printing up to three
    /// unchanged narrow cells again, by `CSI n C`, or by an absolute move.
    pub(crate) fn move_to(&mut self, x: u16, y: u16) {
        match self.cursor {
            Some((cx, cy)) if cy == y && cx == x => return,
            Some((cx, cy)) if cy == y && x > cx => {
                if x - cx <= 3 && self.reprint(cx, x, y) {
                    return;
                }
                if digits(x - cx) + 3 < 4 + digits(y + 1) + digits(x + 1) {
                    let _ = write!(self.out, "\u{1b}[{}C", x - cx);
                    self.cursor = Some((x, y));
                    return;
                }
            }
            _ => {}
        }
        let _ = write!(self.out, "\u{1b}[{};{}H", y + 1, x + 1);
        self.cursor = Some((x, y));
    }

    /// Print the shadow's cells from..to again if they are plain narrow ASCII in the current
    /// attributes (so the screen does not change); false when they are not.
    pub(crate) fn reprint(&mut self, from: u16, to: u16, y: u16) -> bool {
        let Some(row) = self.shadow.get(usize::from(y)) else {
            return false;
        };
        let (a, b) = (usize::from(from), usize::from(to));
        let ok = (a..b).all(|k| {
            let covered = k > 0 && row.get(k - 1).is_some_and(|p| p.cell_width() > 1);
            row.get(k).is_some_and(|c| {
                !covered
                    && c.symbol().len() == 1
                    && c.cell_width() == 1
                    && ((c.fg, c.bg, c.modifier) == self.sgr
                        || (is_blank(c) && super::blank_in(self.sgr)))
            })
        });
        if ok {
            for c in &row[a..b] {
                self.out.push_str(c.symbol());
            }
            self.cursor = Some((to, y));
        }
        ok
    }
}
