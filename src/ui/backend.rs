//! A terminal backend that writes fewer bytes than ratatui's stock crossterm one, for SSH.
//!
//! The stock backend sends a cursor move before every cell that does not directly follow
//! the previous one. After a wide character the next cell is two columns on, so a line of
//! Chinese costs a `MoveTo` (about 8 bytes) per 3-byte ideograph. This backend tracks where
//! the terminal's cursor really is after each print (advancing by the cell's width, which
//! honours `ForcedWidth`), moves only when needed and then by the shorter of an absolute
//! move and a relative `CSI n C`, and changes SGR attributes only when they change. All
//! other calls go to the crossterm backend.
//!
//! It keeps a shadow of what the terminal shows (the cells it wrote), which buys three
//! things. A row whose new tail is blank is cleared with one `CSI K` instead of a blank per
//! cell (the body is the rightmost pane, so paging leaves such tails on every short line).
//! A gap of up to three unchanged narrow cells is crossed by printing them again, cheaper
//! than a cursor move. And overwriting the left half of a wide character makes the terminal
//! blank its right half with the *current* attributes, which ratatui's diff never resends:
//! a reversed or coloured blank would be left behind (a stale half-glyph), so the backend
//! repaints that cell plain, which is what the buffer holds there.
//!
//! Like ratatui, it assumes the terminal starts blank (the loop clears it first).

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

use super::scroll;

pub struct TermBackend<W: Write> {
    inner: CrosstermBackend<W>,
    out: String,
    /// What the terminal shows, row by row; missing cells are blank.
    shadow: Vec<Vec<Cell>>,
    /// Terminal size (columns, rows), when known (from `size()` or `with_size`): needed for
    /// `CSI K` and for scrolling.
    size: std::cell::Cell<Option<(u16, u16)>>,
    /// The cursor is known to be hidden (ratatui hides it again after every frame).
    hidden: bool,
}

impl<W: Write> TermBackend<W> {
    pub fn new(writer: W) -> Self {
        TermBackend {
            inner: CrosstermBackend::new(writer),
            out: String::with_capacity(1 << 14),
            shadow: Vec::new(),
            size: std::cell::Cell::new(None),
            hidden: false,
        }
    }

    /// A backend for a terminal known to be `cols`×`rows` (tests write into a `Vec`).
    pub fn with_size(writer: W, cols: u16, rows: u16) -> Self {
        let b = TermBackend::new(writer);
        b.size.set(Some((cols, rows)));
        b
    }
}

impl<W: Write> Write for TermBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

type Sgr = (Color, Color, Modifier);
const PLAIN: Sgr = (Color::Reset, Color::Reset, Modifier::empty());

impl<W: Write> Backend for TermBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let size = self.size.get();
        let mut w = Writer {
            out: std::mem::take(&mut self.out),
            shadow: &mut self.shadow,
            cursor: None,
            sgr: PLAIN,
        };
        w.out.clear();
        let cols = size.map(|s| s.0);
        // Many rows changed: maybe the screen moved. Build the new frame (the shadow is
        // the previous one) and let the terminal scroll what it can.
        let rows_touched = cells.windows(2).filter(|p| p[0].1 != p[1].1).count() + 1;
        let mut frame: Option<Vec<Vec<Cell>>> = None;
        if let Some((c, r)) = size
            && rows_touched >= 3
        {
            let (c, r) = (usize::from(c), usize::from(r));
            w.fit(c, r);
            let mut new: Vec<Vec<Cell>> = w.shadow.clone();
            for &(x, y, cell) in &cells {
                if let Some(row) = new.get_mut(usize::from(y)) {
                    put_cell(row, usize::from(x), cell);
                }
            }
            let found = scroll::detect(w.shadow, &new, c);
            if let Some(s) = found {
                w.scroll(&s, c);
                frame = Some(new);
            }
        }
        let rescan;
        let cells = match &frame {
            Some(new) => {
                rescan = scroll::diff(w.shadow, new);
                &rescan
            }
            None => &cells,
        };
        let mut i = 0;
        while i < cells.len() {
            let y = cells[i].1;
            let end = cells[i..]
                .iter()
                .position(|c| c.1 != y)
                .map_or(cells.len(), |n| i + n);
            w.row(&cells[i..end], cols);
            i = end;
        }
        if w.sgr != PLAIN {
            w.out.push_str("\u{1b}[0m");
        }
        let out = w.out;
        let result = self.inner.write_all(out.as_bytes());
        self.out = out;
        result
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.hidden {
            return Ok(());
        }
        self.hidden = true;
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.hidden = false;
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.shadow.clear();
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // ratatui resets its previous buffer with every clear and takes the screen as blank;
        // the shadow does the same.
        self.shadow.clear();
        self.inner.clear_region(clear_type)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn size(&self) -> io::Result<Size> {
        let size = self.inner.size()?;
        self.size.set(Some((size.width, size.height)));
        Ok(size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// One frame being written: the output, the shadow it updates, the cursor and attributes.
struct Writer<'s> {
    out: String,
    shadow: &'s mut Vec<Vec<Cell>>,
    cursor: Option<(u16, u16)>,
    sgr: Sgr,
}

/// Set a cell in a row of the new frame as ratatui's buffer holds it: the cells a wide
/// character covers are reset (the diff never lists them).
fn put_cell(row: &mut [Cell], x: usize, cell: &Cell) {
    let w = usize::from(cell.cell_width().max(1));
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
    fn row(&mut self, cells: &[(u16, u16, &Cell)], cols: Option<u16>) {
        let y = cells[0].1;
        let tail = cols.and_then(|cols| self.blank_tail(cells, cols));
        for &(x, _, cell) in cells {
            match tail {
                Some(t) if x >= t => break,
                _ => self.cell(x, y, cell),
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
        }
    }

    /// Where the row's new content is blank to the end, if clearing from there with `CSI K`
    /// replaces at least three cell writes.
    fn blank_tail(&mut self, cells: &[(u16, u16, &Cell)], cols: u16) -> Option<u16> {
        let y = cells[0].1;
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
            covered = covered.max(x + usize::from(c.cell_width().max(1)));
        }
        let start = u16::try_from(start).ok()?;
        let replaced = cells.iter().filter(|(x, _, _)| *x >= start).count();
        (replaced >= 3).then_some(start)
    }

    /// Make the shadow exactly `rows` rows of `cols` cells (missing cells are blank).
    fn fit(&mut self, cols: usize, rows: usize) {
        self.shadow.resize(rows, Vec::new());
        for row in self.shadow.iter_mut() {
            row.resize(cols, Cell::EMPTY);
        }
    }

    /// Let the terminal move rows: a scroll region, line feeds at its bottom (or reverse
    /// index at its top), and the region reset. Scrolled-in rows are blank, in plain
    /// attributes. Line feed and reverse index work on every terminal dubao targets.
    fn scroll(&mut self, s: &scroll::Scroll, cols: usize) {
        let (top, bottom) = s.region();
        self.set_sgr(PLAIN);
        let _ = write!(self.out, "\u{1b}[{};{}r", top + 1, bottom);
        if s.up {
            let _ = write!(self.out, "\u{1b}[{bottom};1H");
            (0..s.k).for_each(|_| self.out.push('\n'));
        } else {
            let _ = write!(self.out, "\u{1b}[{};1H", top + 1);
            (0..s.k).for_each(|_| self.out.push_str("\u{1b}M"));
        }
        self.out.push_str("\u{1b}[r");
        self.cursor = None;
        s.apply(self.shadow, cols);
    }

    fn row_mut(&mut self, y: u16, cols: u16) -> &mut Vec<Cell> {
        let y = usize::from(y);
        if self.shadow.len() <= y {
            self.shadow.resize(y + 1, Vec::new());
        }
        let row = &mut self.shadow[y];
        if row.len() < usize::from(cols) {
            row.resize(usize::from(cols), Cell::EMPTY);
        }
        row
    }

    fn set_sgr(&mut self, want: Sgr) {
        if want != self.sgr {
            push_sgr(&mut self.out, self.sgr, want);
            self.sgr = want;
        }
    }

    /// Write one cell and note what the terminal now shows, including the half of a wide
    /// character it blanked as a side effect (repainted plain when that blank would show
    /// the current attributes).
    fn cell(&mut self, x: u16, y: u16, cell: &Cell) {
        self.move_to(x, y);
        self.set_sgr((cell.fg, cell.bg, cell.modifier));
        self.out.push_str(cell.symbol());
        let w = cell.cell_width().max(1);
        self.cursor = Some((x.saturating_add(w), y));
        let (xu, wu) = (usize::from(x), usize::from(w));
        let row = self.row_mut(y, x.saturating_add(w).saturating_add(1));
        let old_last_wide = row[xu + wu - 1].cell_width() > 1;
        if xu > 0 && row[xu - 1].cell_width() > 1 {
            // Our cell overwrote the right half of a wide character: it is gone.
            row[xu - 1] = Cell::EMPTY;
        }
        row[xu] = cell.clone();
        for c in row.iter_mut().take(xu + wu).skip(xu + 1) {
            *c = Cell::EMPTY;
        }
        if old_last_wide {
            let cx = x.saturating_add(w);
            row[xu + wu] = Cell::EMPTY;
            if self.sgr != PLAIN {
                self.set_sgr(PLAIN);
                self.move_to(cx, y);
                self.out.push(' ');
                self.cursor = Some((cx + 1, y));
            }
        }
    }

    /// Move the cursor to (x, y) the cheapest way: not at all, by printing up to three
    /// unchanged narrow cells again, by `CSI n C`, or by an absolute move.
    fn move_to(&mut self, x: u16, y: u16) {
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
    fn reprint(&mut self, from: u16, to: u16, y: u16) -> bool {
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
                    && (c.fg, c.bg, c.modifier) == self.sgr
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

fn digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// Append the SGR sequence that turns attributes `from` into `to`: a reset only when an
/// attribute must be removed, otherwise just what is added or changed.
fn push_sgr(out: &mut String, mut from: Sgr, to: Sgr) {
    let mut params: Vec<String> = Vec::new();
    if !(from.2 - to.2).is_empty() {
        params.push("0".into());
        from = PLAIN;
    }
    const CODES: &[(Modifier, &str)] = &[
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ];
    let added = to.2 - from.2;
    for (m, code) in CODES {
        if added.contains(*m) {
            params.push((*code).into());
        }
    }
    if to.0 != from.0 {
        params.push(color_code(to.0, false));
    }
    if to.1 != from.1 {
        params.push(color_code(to.1, true));
    }
    if !params.is_empty() {
        let _ = write!(out, "\u{1b}[{}m", params.join(";"));
    }
}

fn color_code(c: Color, bg: bool) -> String {
    let base = if bg { 40 } else { 30 };
    let (normal, bright) = match c {
        Color::Reset => return (base + 9).to_string(),
        Color::Black => (0, false),
        Color::Red => (1, false),
        Color::Green => (2, false),
        Color::Yellow => (3, false),
        Color::Blue => (4, false),
        Color::Magenta => (5, false),
        Color::Cyan => (6, false),
        Color::Gray => (7, false),
        Color::DarkGray => (0, true),
        Color::LightRed => (1, true),
        Color::LightGreen => (2, true),
        Color::LightYellow => (3, true),
        Color::LightBlue => (4, true),
        Color::LightMagenta => (5, true),
        Color::LightCyan => (6, true),
        Color::White => (7, true),
        Color::Indexed(n) => return format!("{};5;{n}", base + 8),
        Color::Rgb(r, g, b) => return format!("{};2;{r};{g};{b}", base + 8),
    };
    (if bright {
        base + 60 + normal
    } else {
        base + normal
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgr_adds_and_resets_minimally() {
        let mut s = String::new();
        push_sgr(&mut s, PLAIN, (Color::Yellow, Color::Reset, Modifier::BOLD));
        assert_eq!(s, "\u{1b}[1;33m");
        s.clear();
        push_sgr(
            &mut s,
            (Color::Yellow, Color::Reset, Modifier::BOLD),
            (Color::Reset, Color::Reset, Modifier::DIM),
        );
        assert_eq!(s, "\u{1b}[0;2m");
        s.clear();
        push_sgr(
            &mut s,
            PLAIN,
            (Color::Indexed(245), Color::White, Modifier::empty()),
        );
        assert_eq!(s, "\u{1b}[38;5;245;107m");
    }
}
