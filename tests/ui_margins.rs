//! Line scrolls beside the headline list on a terminal with left/right margins (DECLRMM):
//! only the body's rectangle moves, the list is not repainted. vt100 has no margins, so a
//! small emulator of the few sequences the backend writes plays the terminal here (text
//! only; the colours are checked by `ui_screen.rs` on the path without margins).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::ui::Action::{self, *};
use dubao::ui::backend::{Screen, TermBackend};
use ui_support::*;
use unicode_width::UnicodeWidthChar;

/// A text-only terminal with scroll regions and left/right margins.
struct LrTerm {
    w: usize,
    h: usize,
    /// Each cell's text; "" for the right half of a wide character.
    cells: Vec<Vec<String>>,
    x: usize,
    y: usize,
    top: usize,
    bottom: usize,
    left: usize,
    right: usize,
    lrmm: bool,
}

impl LrTerm {
    fn new(w: usize, h: usize) -> LrTerm {
        LrTerm {
            w,
            h,
            cells: vec![vec![" ".to_string(); w]; h],
            x: 0,
            y: 0,
            top: 0,
            bottom: h,
            left: 0,
            right: w,
            lrmm: false,
        }
    }

    fn rows(&self) -> Vec<String> {
        self.cells.iter().map(|r| r.concat()).collect()
    }

    fn process(&mut self, bytes: &[u8]) {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\u{1b}' => match chars.next() {
                    Some('[') => {
                        let mut params = String::new();
                        let mut fin = ' ';
                        for c in chars.by_ref() {
                            if c.is_ascii_alphabetic() || c == '@' {
                                fin = c;
                                break;
                            }
                            params.push(c);
                        }
                        self.csi(&params, fin);
                    }
                    Some('M') => self.reverse_index(),
                    other => panic!("unexpected ESC {other:?}"),
                },
                '\n' => self.line_feed(),
                '\r' => self.x = 0,
                c => self.print(c),
            }
        }
    }

    fn csi(&mut self, params: &str, fin: char) {
        let private = params.starts_with('?');
        let nums: Vec<usize> = params
            .trim_start_matches('?')
            .split(';')
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        let n = |i: usize, d: usize| nums.get(i).copied().filter(|&v| v > 0).unwrap_or(d);
        match (private, fin) {
            (true, 'h' | 'l') => {
                if nums[0] == 69 {
                    self.lrmm = fin == 'h';
                    self.left = 0;
                    self.right = self.w;
                }
            }
            (false, 'H') => {
                self.y = n(0, 1) - 1;
                self.x = n(1, 1) - 1;
            }
            (false, 'C') => self.x = (self.x + n(0, 1)).min(self.w - 1),
            (false, 'K') => {
                assert_eq!(nums[0], 0, "only CSI K");
                for x in self.x..self.w {
                    self.cells[self.y][x] = " ".into();
                }
            }
            (false, 'J') => {
                let from = if nums[0] == 2 { 0 } else { self.y };
                for y in from..self.h {
                    let x0 = if y == self.y && nums[0] != 2 {
                        self.x
                    } else {
                        0
                    };
                    for x in x0..self.w {
                        self.cells[y][x] = " ".into();
                    }
                }
            }
            (false, 'm') => {}
            (false, 'r') => {
                self.top = n(0, 1) - 1;
                self.bottom = n(1, self.h);
                (self.x, self.y) = (0, 0);
            }
            (false, 's') if self.lrmm => {
                self.left = n(0, 1) - 1;
                self.right = n(1, self.w);
                (self.x, self.y) = (0, 0);
            }
            (true, _) => {}
            other => panic!("unexpected CSI {params} {other:?}"),
        }
    }

    fn in_margins(&self) -> bool {
        (self.left..self.right).contains(&self.x)
    }

    fn line_feed(&mut self) {
        if self.y + 1 == self.bottom && self.in_margins() {
            for y in self.top..self.bottom - 1 {
                for x in self.left..self.right {
                    self.cells[y][x] = self.cells[y + 1][x].clone();
                }
            }
            for x in self.left..self.right {
                self.cells[self.bottom - 1][x] = " ".into();
            }
        } else if self.y + 1 < self.h {
            self.y += 1;
        }
    }

    fn reverse_index(&mut self) {
        if self.y == self.top && self.in_margins() {
            for y in (self.top + 1..self.bottom).rev() {
                for x in self.left..self.right {
                    self.cells[y][x] = self.cells[y - 1][x].clone();
                }
            }
            for x in self.left..self.right {
                self.cells[self.top][x] = " ".into();
            }
        } else if self.y > 0 {
            self.y -= 1;
        }
    }

    fn print(&mut self, c: char) {
        let width = c.width().unwrap_or(0);
        if width == 0 {
            if let Some(cell) = self.x.checked_sub(1).map(|x| &mut self.cells[self.y][x]) {
                cell.push(c);
            }
            return;
        }
        let row = &mut self.cells[self.y];
        let (x, w) = (self.x, width);
        if x + w > self.w {
            return;
        }
        // Overwriting half of a wide character blanks its other half.
        if row[x].is_empty() && x > 0 {
            row[x - 1] = " ".into();
        }
        let end = x + w;
        if end < self.w && row[end].is_empty() {
            row[end] = " ".into();
        }
        row[x] = c.to_string();
        if w == 2 {
            row[x + 1] = String::new();
        }
        self.x = end;
    }
}

/// The text rows a fresh draw of the app shows.
fn want(app: &dubao::ui::App) -> Vec<String> {
    screen_lines(&render(app))
}

/// Read with `steps`; every frame, the margin terminal's text must be the app's. Returns
/// the bytes of each step.
fn read(w: u16, h: u16, setup: &[Action], steps: &[Action], margins: bool) -> Vec<usize> {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), w, h);
    apply(&mut app, setup);
    let sink = Sink::default();
    let mut backend = TermBackend::with_size(sink.clone(), w, h);
    backend.set_margins(margins);
    let mut t = Screen::new(backend, w, h);
    let mut term = LrTerm::new(usize::from(w), usize::from(h));
    t.draw(&app).unwrap();
    term.process(&sink.take());
    let mut sizes = Vec::new();
    for (n, a) in steps.iter().enumerate() {
        app.update(*a);
        t.draw(&app).unwrap();
        let bytes = sink.take();
        sizes.push(bytes.len());
        let used = String::from_utf8_lossy(&bytes).contains("\u{1b}[?69h");
        assert!(margins || !used, "no margins unless the terminal has them");
        term.process(&bytes);
        let (got, want) = (term.rows(), want(&app));
        assert_eq!(got, want, "{w}x{h} step {n} ({a:?}), margins {margins}");
    }
    sizes
}

const LINES: &[Action] = &[
    LineDown, LineDown, LineDown, LineDown, LineUp, LineUp, LineDown, LineDown,
];

#[test]
fn a_line_down_beside_the_list_moves_only_the_body_where_margins_exist() {
    for (w, h) in [(100, 30), (140, 40), (80, 24)] {
        let with = read(w, h, &[FocusRight, FocusRight], LINES, true);
        let without = read(w, h, &[FocusRight, FocusRight], LINES, false);
        eprintln!("{w}x{h} bytes per line, margins: {with:?}; without: {without:?}");
        let (a, b): (usize, usize) = (with.iter().sum(), without.iter().sum());
        assert!(a * 2 < b, "{w}x{h}: margins {with:?} vs {without:?}");
    }
}

#[test]
fn reading_with_margins_matches_a_fresh_draw() {
    let reading = [
        LineDown,
        PageDown,
        HalfPageDown,
        LineUp,
        ToggleHelp,
        Back,
        LineDown,
        NextArticle,
        LineDown,
        PrevArticle,
        Bottom,
        LineUp,
        Top,
        ToggleZoom,
        LineDown,
        ToggleZoom,
        LineDown,
        FocusLeft,
        LineDown,
        FocusRight,
        LineDown,
    ];
    for (w, h) in [(100, 30), (140, 40), (61, 20)] {
        read(w, h, &[FocusRight, FocusRight], &reading, true);
    }
}
