//! Key → `App::update` → render at 200×60 into a TestBackend: what one key press costs the
//! reader, without the terminal. Median target: under 2 ms. Then the same through the
//! reader's own terminal backend (diff, scroll detection, escape sequences) into a sink,
//! with the default measure (the body's text 72 cells wide), and a line down with the body
//! using the whole pane (`measure = 0`).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dubao::model::{Article, Block, BlockKind, Issue, Page};
use dubao::ui::backend::TermBackend;
use dubao::ui::{Action, App, Options};
use ratatui::backend::TestBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};

const SENTENCES: &[&str] = &[
    "今年以来，平城区坚持把人才工作摆在发展全局的重要位置。",
    "区里先后出台了十二条具体措施，涉及住房、子女入学和医疗保障。",
    "“我们要让每一位来到这里的年轻人都能安心干事。”区人才办负责人说。",
    "截至十月底，全区累计引进各类人才三百余人，其中博士二十一人。",
    "下一步，该区将继续优化服务流程，推动政策落地见效……",
    "园林部门加强了对主次干道、公园绿地等重点区域的巡查力度。",
];

fn issue(blocks: usize) -> Issue {
    let articles = (0..12)
        .map(|a| Article {
            title_lines: vec![format!("第{a}篇 平城区全方位提升人才干事创业激情")],
            kicker: Some("平城区教育局".into()),
            blocks: (0..blocks)
                .map(|b| {
                    let text: String = (0..6)
                        .map(|k| SENTENCES[(a + b + k) % SENTENCES.len()])
                        .collect();
                    Block::new(BlockKind::Paragraph, text)
                })
                .collect(),
            ..Article::default()
        })
        .collect();
    Issue {
        id: "bench".into(),
        name: "bench".into(),
        publication: None,
        date: None,
        pages: vec![Page {
            source: "bench/01.txt".into(),
            encoding: "UTF-8".into(),
            articles,
            furniture: vec![],
            warnings: vec![],
        }],
        errors: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("dubao-bench-{}", std::process::id()));
    let store = dubao::state::Store::open(&dir).0;
    let mut app = App::with_issues(vec![issue(12)], store, Options::default());
    app.update(Action::Resize {
        width: 200,
        height: 60,
    });
    app.start();
    app.update(Action::FocusRight);
    app.update(Action::FocusRight);
    let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut g = c.benchmark_group("render");
    let mut down = true;
    g.bench_function("page_200x60", |b| {
        b.iter(|| {
            let a = if down {
                Action::PageDown
            } else {
                Action::PageUp
            };
            down = !down;
            black_box(app.update(a));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    let mut next = true;
    g.bench_function("next_article_200x60", |b| {
        b.iter(|| {
            let a = if next {
                Action::NextArticle
            } else {
                Action::PrevArticle
            };
            next = !next;
            black_box(app.update(a));
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    // The same key through the real backend into memory: diff, scroll detection, escapes.
    let area = ratatui::layout::Rect::new(0, 0, 200, 60);
    let mut real = Terminal::with_options(
        TermBackend::with_size(std::io::sink(), 200, 60),
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .expect("terminal");
    let mut down = true;
    g.bench_function("page_200x60_term_backend", |b| {
        b.iter(|| {
            let a = if down {
                Action::PageDown
            } else {
                Action::PageUp
            };
            down = !down;
            black_box(app.update(a));
            real.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    let mut down = true;
    g.bench_function("line_200x60_term_backend", |b| {
        b.iter(|| {
            let a = if down {
                Action::LineDown
            } else {
                Action::LineUp
            };
            down = !down;
            black_box(app.update(a));
            real.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
    // Without the measure the 12-paragraph articles fit the 124-cell body at 200x60, and a
    // line or page down changes nothing: the whole-pane case needs longer articles.
    let mut wide = App::with_issues(
        vec![issue(40)],
        dubao::state::Store::open(&dir.join("wide")).0,
        Options {
            measure: 0,
            ..Options::default()
        },
    );
    wide.update(Action::Resize {
        width: 200,
        height: 60,
    });
    wide.start();
    wide.update(Action::FocusRight);
    wide.update(Action::FocusRight);
    let mut down = true;
    g.bench_function("line_200x60_term_backend_whole_pane", |b| {
        b.iter(|| {
            let a = if down {
                Action::LineDown
            } else {
                Action::LineUp
            };
            down = !down;
            black_box(wide.update(a));
            real.draw(|f| f.render_widget(&wide, f.area()))
                .expect("draw");
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
