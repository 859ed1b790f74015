//! What a terminal emulator shows: the reader's real backend writes incremental frames into
//! a vt100 screen while a CJK body is scrolled, overlays open and close and articles change;
//! after every step that screen must equal a fresh full draw of the same state. This is
//! where stale half-glyphs would show (ratatui #2526, #2738).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::ui::backend::{Screen, TermBackend};
use dubao::ui::{Action, App};
use ui_support::*;

use Action::*;

fn terminal(w: u16, h: u16) -> (Screen<Sink>, Sink) {
    let sink = Sink::default();
    let t = Screen::new(TermBackend::with_size(sink.clone(), w, h), w, h);
    (t, sink)
}

/// The screen a fresh terminal shows after one full draw of `app`.
fn fresh(app: &App) -> vt100::Parser {
    let (mut t, sink) = terminal(app.width, app.height);
    t.draw(app).unwrap();
    let mut p = vt100::Parser::new(app.height, app.width, 0);
    p.process(&sink.take());
    p
}

/// What one cell looks like: its text (a blank and a never-written cell look the same),
/// whether it is the second half of a wide character, and its colours and attributes.
type Look = (String, bool, bool, vt100::Color, vt100::Color, [bool; 5]);

fn look(s: &vt100::Screen, row: u16, col: u16) -> Look {
    let c = s.cell(row, col).expect("cell in range");
    let text = if c.has_contents() {
        c.contents().to_string()
    } else {
        " ".to_string()
    };
    let inverse = c.inverse();
    // Background colour only matters where it shows; a blank's foreground never does.
    let fg = if text == " " && !inverse {
        vt100::Color::Default
    } else {
        c.fgcolor()
    };
    let attrs = [c.bold(), c.dim(), c.italic(), c.underline(), inverse];
    let attrs = if text == " " {
        [false, false, false, c.underline(), inverse]
    } else {
        attrs
    };
    (
        text,
        c.is_wide(),
        c.is_wide_continuation(),
        fg,
        c.bgcolor(),
        attrs,
    )
}

fn differences(
    got: &vt100::Screen,
    want: &vt100::Screen,
    w: u16,
    h: u16,
) -> Vec<(u16, u16, Look, Look)> {
    let mut out = Vec::new();
    for row in 0..h {
        for col in 0..w {
            let (a, b) = (look(got, row, col), look(want, row, col));
            if a != b {
                out.push((row, col, a, b));
            }
        }
    }
    out
}

fn check(w: u16, h: u16, setup: &[Action], steps: &[Action]) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), w, h);
    apply(&mut app, setup);
    let (mut t, sink) = terminal(w, h);
    let mut screen = vt100::Parser::new(h, w, 0);
    for (n, step) in std::iter::once(None)
        .chain(steps.iter().map(Some))
        .enumerate()
    {
        if let Some(a) = step {
            app.update(*a);
        }
        t.draw(&app).unwrap();
        screen.process(&sink.take());
        let want = fresh(&app);
        let diffs = differences(screen.screen(), want.screen(), w, h);
        assert!(
            diffs.is_empty(),
            "{w}x{h}, step {n} ({step:?}): {} cells differ: {:?}\n--- incremental ---\n{}\n--- fresh ---\n{}",
            diffs.len(),
            &diffs[..diffs.len().min(8)],
            screen.screen().contents(),
            want.screen().contents()
        );
    }
}

const READING: &[Action] = &[
    LineDown,
    LineDown,
    LineDown,
    PageDown,
    HalfPageDown,
    LineUp,
    PageDown,
    ToggleHelp,
    Back,
    PageDown,
    ShowBookmarks,
    Back,
    LineDown,
    ToggleBookmark,
    ShowBookmarks,
    Back,
    NextArticle,
    PrevArticle,
    Bottom,
    PageUp,
    Top,
    ToggleHelp,
    LineDown,
    Back,
    LineDown,
    FocusLeft,
    LineDown,
    Open,
    OlderIssue,
    NewerIssue,
];

#[test]
fn scrolling_cjk_matches_a_fresh_draw_in_two_and_three_panes() {
    check(140, 40, &[FocusRight, FocusRight], READING);
    check(100, 30, &[FocusRight, FocusRight], READING);
    check(101, 30, &[FocusRight, FocusRight], READING);
    // Wider than the measure: the body's text column is narrower than its pane.
    check(200, 50, &[FocusRight, FocusRight], READING);
}

#[test]
fn scrolling_cjk_matches_a_fresh_draw_zoomed_and_small() {
    // Zoomed, the help box's left edge cuts an ideograph in half.
    check(100, 30, &[FocusRight, FocusRight, ToggleZoom], READING);
    check(160, 40, &[FocusRight, FocusRight, ToggleZoom], READING);
    check(60, 20, &[FocusRight, FocusRight], READING);
    check(40, 12, &[FocusRight, FocusRight], READING);
    check(21, 6, &[FocusRight, FocusRight], READING);
    check(81, 10, &[FocusRight, FocusRight], READING);
}

#[test]
fn backend_bytes_per_step_are_small() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    apply(&mut app, &[FocusRight, FocusRight]);
    let (mut t, sink) = terminal(100, 30);
    t.draw(&app).unwrap();
    let full = sink.take().len();
    app.update(PageDown);
    t.draw(&app).unwrap();
    let page = sink.take().len();
    app.update(NextArticle);
    t.draw(&app).unwrap();
    let next = sink.take().len();
    eprintln!("bytes at 100x30: first frame {full}, page down {page}, next article {next}");
    assert!(page < full, "a page down costs less than a full frame");
    // Nothing changes → nothing is written.
    t.draw(&app).unwrap();
    assert_eq!(sink.take().len(), 0);
}

#[test]
fn a_line_down_in_one_pane_scrolls_instead_of_repainting() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 60, 20);
    apply(&mut app, &[FocusRight, FocusRight, LineDown]);
    let (mut t, sink) = terminal(60, 20);
    t.draw(&app).unwrap();
    let first = sink.take();
    let full = first.len();
    let mut screen = vt100::Parser::new(20, 60, 0);
    screen.process(&first);
    let mut sizes = Vec::new();
    for a in [LineDown, LineDown, LineUp, HalfPageDown, HalfPageUp] {
        app.update(a);
        t.draw(&app).unwrap();
        let bytes = sink.take();
        screen.process(&bytes);
        sizes.push(bytes.len());
        let want = fresh(&app);
        let diffs = differences(screen.screen(), want.screen(), 60, 20);
        assert!(
            diffs.is_empty(),
            "after {a:?}: {:?}",
            &diffs[..diffs.len().min(4)]
        );
    }
    eprintln!("60x20: full frame {full} B; j, j, k, C-d, C-u: {sizes:?}");
    assert!(
        sizes[0] * 4 < full,
        "a line down costs a fraction of a frame: {sizes:?}"
    );
    assert!(sizes[2] * 4 < full, "a line up too: {sizes:?}");
}
