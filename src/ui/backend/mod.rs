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

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

mod cost;
mod hashes;
mod screen;
mod scroll;
mod writer;

pub use screen::Screen;

use hashes::ShadowHashes;
use writer::{Writer, put_cell};

pub struct TermBackend<W: Write> {
    inner: CrosstermBackend<W>,
    out: String,
    /// What the terminal shows, row by row; missing cells are blank.
    shadow: Vec<Vec<Cell>>,
    /// The shadow's row hashes, for the next frame's scroll detection.
    hashes: ShadowHashes,
    /// Terminal size (columns, rows), when known (from `size()` or `with_size`): needed for
    /// `CSI K` and for scrolling.
    size: std::cell::Cell<Option<(u16, u16)>>,
    /// The size is the one given (`with_size`, `set_size`), never asked of the process's tty:
    /// the terminal may be at the other end of an SSH channel.
    fixed: bool,
    /// The terminal supports left/right margins (DECLRMM): a scroll can move a rectangle.
    margins: bool,
    /// The cursor is known to be hidden (ratatui hides it again after every frame).
    hidden: bool,
    /// Bytes of frames and direct writes so far (frame pacing measures the link with it).
    written: usize,
}

impl<W: Write> TermBackend<W> {
    pub fn new(writer: W) -> Self {
        TermBackend {
            inner: CrosstermBackend::new(writer),
            out: String::with_capacity(1 << 14),
            shadow: Vec::new(),
            hashes: ShadowHashes::default(),
            size: std::cell::Cell::new(None),
            fixed: false,
            margins: false,
            hidden: false,
            written: 0,
        }
    }

    /// A backend for a terminal known to be `cols`×`rows`, whatever the process's own tty
    /// is (a session's, or a test's `Vec`).
    pub fn with_size(writer: W, cols: u16, rows: u16) -> Self {
        let mut b = TermBackend::new(writer);
        b.set_size(cols, rows);
        b
    }

    /// The terminal is now `cols`×`rows` (a resize the driver was told of).
    pub fn set_size(&mut self, cols: u16, rows: u16) {
        self.size.set(Some((cols, rows)));
        self.fixed = true;
    }

    /// Bytes written so far by frames and through `Write`.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Whether the terminal supports left/right margins (found by the start-up probe).
    pub fn set_margins(&mut self, margins: bool) {
        self.margins = margins;
    }
}

impl<W: Write> Write for TermBackend<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

pub(crate) type Sgr = (Color, Color, Modifier);

/// The attributes that show on a space: a background, reversed video, a line through or
/// under it. Without them a space looks the same whatever its colour, bold or dim.
const SHOWS_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::CROSSED_OUT);

/// A space that looks like a plain blank (no background, nothing drawn through it): the
/// backend writes and compares it as one, so the unread column's styled blanks or a dim
/// gap cost no attribute changes and match the blank rows a scroll brings in.
fn looks_blank(c: &Cell) -> bool {
    c.symbol() == " "
        && blank_in((c.fg, c.bg, c.modifier))
        && c.diff_option == ratatui::buffer::CellDiffOption::None
}

/// A space written in these attributes looks like a plain blank.
pub(crate) fn blank_in((_, bg, modifier): Sgr) -> bool {
    bg == Color::Reset && !modifier.intersects(SHOWS_ON_BLANK)
}

pub(crate) const PLAIN: Sgr = (Color::Reset, Color::Reset, Modifier::empty());

impl<W: Write> Backend for TermBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // Blanks that look blank are written, compared and kept as plain blanks.
        // (Borrowed otherwise: no copy of every changed cell per frame.)
        let owned: Vec<(u16, u16, Cow<'a, Cell>)> = content
            .map(|(x, y, c)| {
                let c = if looks_blank(c) {
                    Cow::Owned(Cell::EMPTY)
                } else {
                    Cow::Borrowed(c)
                };
                (x, y, c)
            })
            .collect();
        let cells: Vec<(u16, u16, &Cell)> = owned.iter().map(|(x, y, c)| (*x, *y, &**c)).collect();
        let size = self.size.get();
        let mut w = Writer {
            out: std::mem::take(&mut self.out),
            shadow: &mut self.shadow,
            cursor: None,
            sgr: PLAIN,
            changed: Vec::new(),
            reshaped: false,
        };
        w.out.clear();
        let cols = size.map(|s| s.0);
        // Many rows changed: maybe the screen moved. Build the new frame (the shadow is
        // the previous one) and let the terminal scroll what it can.
        let rows_touched = cells.windows(2).filter(|p| p[0].1 != p[1].1).count() + 1;
        let mut frame: Option<Vec<Vec<Cell>>> = None;
        // (Not on a blank screen — the first frame, or after a clear: nothing to move.)
        if let Some((c, r)) = size
            && rows_touched >= 3
            && !w.shadow.is_empty()
        {
            let (c, r) = (usize::from(c), usize::from(r));
            w.fit(c, r);
            self.hashes.forget(&w.changed, w.reshaped);
            w.changed.clear();
            w.reshaped = false;
            // The new frame: the shadow's rows, copied only where this frame writes (not
            // a copy of the whole screen per frame: 230 KB at 120×40).
            let mut new: Vec<Cow<[Cell]>> =
                w.shadow.iter().map(|row| Cow::Borrowed(&row[..])).collect();
            // The columns written in each row: outside them `new` is the shadow's cells.
            let mut spans: Vec<Option<(usize, usize)>> = vec![None; r];
            for &(x, y, cell) in &cells {
                let (x, y) = (usize::from(x), usize::from(y));
                if let (Some(row), Some(span)) = (new.get_mut(y), spans.get_mut(y)) {
                    put_cell(row.to_mut(), x, cell);
                    let end = x + cost::width(cell);
                    *span = Some(span.map_or((x, end), |(lo, hi)| (lo.min(x), hi.max(end))));
                }
            }
            let splits = scroll::splits(&new, c);
            let so = self.hashes.refresh(w.shadow, &splits);
            let found = scroll::detect((w.shadow, &so), &new, c, &spans, &splits, self.margins);
            if let Some(s) = found {
                // The frame is compared whole with the scrolled shadow below.
                let new: Vec<Vec<Cell>> = new.into_iter().map(Cow::into_owned).collect();
                w.scroll(&s, c);
                self.hashes.scroll(&s, r);
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
        self.hashes.forget(&w.changed, w.reshaped);
        let out = w.out;
        self.written += out.len();
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
        // A terminal that is gone (SSH dropped: EIO) cannot show a cursor, and a report of
        // the failure (ratatui's `Terminal::drop` uses `eprintln!`) panics on that dead
        // tty. Nothing is left to show it on, so the error is not one.
        let _ = self.inner.show_cursor();
        Ok(())
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.shadow.clear();
        self.hashes.clear();
        self.hidden = false;
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // After a clear the screen is blank: so is the shadow, and the next frame, diffed
        // against it, is drawn whole. The cursor is hidden again after the next frame (a
        // terminal given back after a suspend shows it).
        self.shadow.clear();
        self.hashes.clear();
        self.hidden = false;
        self.inner.clear_region(clear_type)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn size(&self) -> io::Result<Size> {
        if let (true, Some((width, height))) = (self.fixed, self.size.get()) {
            return Ok(Size { width, height });
        }
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

pub(crate) fn digits(n: u16) -> usize {
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
pub(crate) fn push_sgr(out: &mut String, mut from: Sgr, to: Sgr) {
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

    /// A terminal that keeps what it is sent (shared with the other backend tests).
    #[derive(Clone, Default)]
    pub(super) struct Sink(pub(super) std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl Sink {
        pub(super) fn take_bytes(&self) -> Vec<u8> {
            std::mem::take(&mut *self.0.borrow_mut())
        }
    }

    #[test]
    fn the_other_half_of_an_overwritten_wide_char_is_written_blank() {
        let sink = Sink::default();
        let mut b = TermBackend::with_size(sink.clone(), 6, 1);
        let wide = Cell::new("平");
        b.draw([(0u16, 0u16, &wide)].into_iter()).unwrap();
        sink.0.borrow_mut().clear();
        // ratatui's diff lists only cell 0: cell 1 was the trailing half, blank before and after.
        let narrow = Cell::new("a");
        b.draw([(0u16, 0u16, &narrow)].into_iter()).unwrap();
        let out = String::from_utf8(sink.0.borrow().clone()).unwrap();
        assert!(out.ends_with("a "), "{out:?}");
    }
}
