//! Key → `App::update` → render at 200×60 into a TestBackend: what one key press costs the
//! reader, without the terminal. Median target: under 2 ms. Then the same through the
//! reader's own terminal backend (diff, scroll detection, escape sequences) into a sink,
//! with the default measure (the body's text 72 cells wide), and a line down with the body
//! using the whole pane (`measure = 0`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

#[path = "support/render_fixture.rs"]
mod render_fixture;

use std::hint::black_box;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use dubao::ui::app::DEFAULT_MEASURE;
use dubao::ui::backend::TermBackend;
use dubao::ui::{Action, App};
use ratatui::backend::{Backend, TestBackend};
use ratatui::{Terminal, TerminalOptions, Viewport};
use render_fixture::reader;

/// Time one key of `pair` after the other (down, up, down…: the view never runs out) through
/// `App::update` and a draw into `term`.
fn keys<B: Backend>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    app: &mut App,
    term: &mut Terminal<B>,
    pair: [Action; 2],
) {
    let mut n = 0usize;
    g.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            black_box(app.update(pair[n % 2]));
            term.draw(|f| f.render_widget(&*app, f.area()))
                .expect("draw");
        });
    });
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("dubao-bench-{}", std::process::id()));
    let mut app = reader(&dir, 12, DEFAULT_MEASURE);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut g = c.benchmark_group("render");
    let page = [Action::PageUp, Action::PageDown];
    let line = [Action::LineUp, Action::LineDown];
    let next = [Action::PrevArticle, Action::NextArticle];
    keys(&mut g, "page_200x60", &mut app, &mut term, page);
    keys(&mut g, "next_article_200x60", &mut app, &mut term, next);
    // The same key through the real backend into memory: diff, scroll detection, escapes.
    let area = ratatui::layout::Rect::new(0, 0, 200, 60);
    let mut real = Terminal::with_options(
        TermBackend::with_size(std::io::sink(), 200, 60),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("terminal");
    keys(
        &mut g,
        "page_200x60_term_backend",
        &mut app,
        &mut real,
        page,
    );
    keys(
        &mut g,
        "line_200x60_term_backend",
        &mut app,
        &mut real,
        line,
    );
    // Without the measure the 12-paragraph articles fit the 124-cell body at 200x60, and a
    // line or page down changes nothing: the whole-pane case needs longer articles.
    let mut wide = reader(&dir.join("wide"), 40, 0);
    keys(
        &mut g,
        "line_200x60_term_backend_whole_pane",
        &mut wide,
        &mut real,
        line,
    );
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
