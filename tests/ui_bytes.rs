//! The bytes the reader's backend sends over a 27-key reading session (line and page
//! scrolls, help, article and issue changes, the headline pane) at 200×60, 200×50, 140×40,
//! 100×30 (and zoomed), 60×20 and 40×12: per-step counts and a checksum of every byte, as
//! an insta snapshot. Work on the backend that is meant to be invisible to the terminal
//! (speed, caches) must leave this snapshot exactly as it is; a change that sends
//! different bytes shows here, step by step, and is accepted on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::ui::Action::*;
use dubao::ui::backend::{Screen, TermBackend};
use ui_support::*;

/// FNV-1a over the bytes: stable across Rust versions, unlike std's hasher.
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn a_reading_session_sends_the_same_bytes() {
    let steps = [
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
        NextArticle,
        PrevArticle,
        Bottom,
        PageUp,
        Top,
        LineDown,
        LineDown,
        LineUp,
        LineDown,
        FocusLeft,
        LineDown,
        Open,
        OlderIssue,
        NewerIssue,
        PageDown,
        LineDown,
        LineDown,
    ];
    let sizes = [
        (200u16, 60u16, false),
        (200, 50, false),
        (140, 40, false),
        (100, 30, false),
        (100, 30, true),
        (60, 20, false),
        (40, 12, false),
    ];
    let mut report = String::new();
    for (w, h, zoom) in sizes {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), w, h);
        apply(&mut app, &[FocusRight, FocusRight]);
        if zoom {
            apply(&mut app, &[ToggleZoom]);
        }
        let sink = Sink::default();
        let mut t = Screen::new(TermBackend::with_size(sink.clone(), w, h), w, h);
        t.draw(&app).unwrap();
        let first = sink.take();
        let (mut counts, mut sum) = (vec![first.len()], fnv(0xcbf2_9ce4_8422_2325, &first));
        for a in steps {
            app.update(a);
            t.draw(&app).unwrap();
            let b = sink.take();
            counts.push(b.len());
            sum = fnv(sum, &b);
        }
        let total: usize = counts.iter().sum();
        let zoom = if zoom { " zoomed" } else { "" };
        report += &format!("{w}x{h}{zoom}: {total} B, fnv {sum:016x}\n  {counts:?}\n");
    }
    insta::assert_snapshot!("session_bytes", report);
}
