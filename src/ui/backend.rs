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
//! It also keeps a model of which terminal cells hold wide characters. Overwriting the left
//! half of a wide character makes the terminal blank its right half, with the *current*
//! attributes; ratatui's diff does not resend that unchanged cell, so a reversed or coloured
//! blank would be left behind (a stale half-glyph). When that happens the backend resends
//! the cell as a plain blank, which is what the buffer holds there.

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

pub struct TermBackend<W: Write> {
    inner: CrosstermBackend<W>,
    out: String,
    /// Per row, per column: 2 where a wide character starts, 0 on its right half, else 1.
    widths: Vec<Vec<u8>>,
}

impl<W: Write> TermBackend<W> {
    pub fn new(writer: W) -> Self {
        TermBackend {
            inner: CrosstermBackend::new(writer),
            out: String::with_capacity(1 << 14),
            widths: Vec::new(),
        }
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
        let out = &mut self.out;
        out.clear();
        let mut cursor: Option<(u16, u16)> = None;
        let mut sgr = PLAIN;
        let mut content = content.peekable();
        while let Some((x, y, cell)) = content.next() {
            move_to(out, cursor, x, y);
            let want = (cell.fg, cell.bg, cell.modifier);
            if want != sgr {
                push_sgr(out, sgr, want);
                sgr = want;
            }
            out.push_str(cell.symbol());
            let w = cell.cell_width().max(1);
            cursor = Some((x.saturating_add(w), y));
            let collateral = record(&mut self.widths, x, y, w);
            if let Some(cx) = collateral
                && sgr != PLAIN
                && content
                    .peek()
                    .is_none_or(|(nx, ny, _)| (*nx, *ny) != (cx, y))
            {
                push_sgr(out, sgr, PLAIN);
                sgr = PLAIN;
                move_to(out, cursor, cx, y);
                out.push(' ');
                cursor = Some((cx + 1, y));
            }
        }
        if sgr != PLAIN {
            out.push_str("\u{1b}[0m");
        }
        self.inner.write_all(out.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.widths.clear();
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// Move the cursor from `cursor` to (x, y) with the shortest sequence (none if it is there).
fn move_to(out: &mut String, cursor: Option<(u16, u16)>, x: u16, y: u16) {
    match cursor {
        Some((cx, cy)) if cy == y && cx == x => {}
        Some((cx, cy))
            if cy == y && x > cx && digits(x - cx) + 3 < 4 + digits(y + 1) + digits(x + 1) =>
        {
            let _ = write!(out, "\u{1b}[{}C", x - cx);
        }
        _ => {
            let _ = write!(out, "\u{1b}[{};{}H", y + 1, x + 1);
        }
    }
}

/// Note a `w`-cell character written at (x, y). Returns the column the terminal blanked as
/// a side effect: the right half of a wide character whose left half was overwritten.
fn record(widths: &mut Vec<Vec<u8>>, x: u16, y: u16, w: u16) -> Option<u16> {
    let (x, y, w) = (usize::from(x), usize::from(y), usize::from(w));
    if widths.len() <= y {
        widths.resize(y + 1, Vec::new());
    }
    let row = &mut widths[y];
    if row.len() < x + w + 1 {
        row.resize(x + w + 1, 1);
    }
    let last = x + w - 1;
    let collateral = (row[last] == 2).then_some(x + w);
    if row[x] == 0 && x > 0 {
        row[x - 1] = 1;
    }
    row[x] = if w >= 2 { 2 } else { 1 };
    for c in row.iter_mut().take(x + w).skip(x + 1) {
        *c = 0;
    }
    if let Some(c) = collateral {
        row[c] = 1;
    }
    collateral.and_then(|c| u16::try_from(c).ok())
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
