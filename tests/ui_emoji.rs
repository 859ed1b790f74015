//! Emoji sequences terminals disagree on (family ZWJ, skin tones, flags, VS16, keycaps) in
//! headlines, issue names and body text: the reader's real backend writes frames into a vt100
//! screen while the selection moves over them, and every pane border must stay in its
//! column on every row. The screen must also equal a fresh draw after each step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::model::{Article, Issue, Page};
use dubao::ui::backend::{Screen, TermBackend};
use dubao::ui::{Action, App, Options};
use ui_support::{Sink, para, store};

const FAMILY: &str = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}";
const THUMBS: &str = "\u{1f44d}\u{1f3fd}";
const FLAG: &str = "\u{1f1e8}\u{1f1f3}";
const HEART: &str = "\u{2764}\u{fe0f}";
const KEYCAP: &str = "1\u{fe0f}\u{20e3}";
const RAINBOW: &str = "\u{1f3f3}\u{fe0f}\u{200d}\u{1f308}";

fn article(title: String, body: String) -> Article {
    Article {
        title_lines: vec![title],
        blocks: vec![para(&body)],
        ..Article::default()
    }
}

fn issue() -> Issue {
    let all = [FAMILY, THUMBS, FLAG, HEART, KEYCAP, RAINBOW];
    let articles = all
        .iter()
        .enumerate()
        .map(|(k, e)| {
            article(
                format!("第{k}篇{e}家庭{e}报道"),
                format!("正文{e}开始。{}", all.join("平")).repeat(6),
            )
        })
        .collect();
    Issue {
        id: "emoji".into(),
        name: format!("表情{FAMILY}{FLAG}"),
        publication: None,
        date: None,
        pages: vec![Page {
            source: "emoji/01.txt".into(),
            encoding: "UTF-8".into(),
            articles,
            furniture: vec![],
            warnings: vec![],
        }],
        errors: vec![],
    }
}

/// Columns holding a vertical border on each row (rows without one are left out).
fn border_columns(screen: &vt100::Screen, w: u16, h: u16) -> Vec<(u16, Vec<u16>)> {
    (0..h)
        .map(|row| {
            let cols = (0..w)
                .filter(|&col| screen.cell(row, col).is_some_and(|c| c.contents() == "│"))
                .collect::<Vec<_>>();
            (row, cols)
        })
        .filter(|(_, cols)| !cols.is_empty())
        .collect()
}

fn terminal(w: u16, h: u16) -> (Screen<Sink>, Sink) {
    let sink = Sink::default();
    let t = Screen::new(TermBackend::with_size(sink.clone(), w, h), w, h);
    (t, sink)
}

/// The screen's text, rows without trailing blanks (a written blank and a never-written
/// cell look the same).
fn text(screen: &vt100::Screen) -> String {
    let contents = screen.contents();
    let rows: Vec<&str> = contents.lines().map(str::trim_end).collect();
    rows.join("\n")
}

fn fresh(app: &App) -> String {
    let (mut t, sink) = terminal(app.width, app.height);
    t.draw(app).expect("draw");
    let mut p = vt100::Parser::new(app.height, app.width, 0);
    p.process(&sink.take());
    text(p.screen())
}

#[test]
fn borders_stay_put_over_emoji_sequences() {
    use Action::*;
    let (w, h) = (100, 24);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = App::with_issues(vec![issue()], store(dir.path()), Options::default());
    app.update(Resize {
        width: w,
        height: h,
    });
    app.start();
    let (mut t, sink) = terminal(w, h);
    let mut screen = vt100::Parser::new(h, w, 0);
    let steps = [
        None,
        Some(FocusNext),
        Some(LineDown),
        Some(LineDown),
        Some(LineDown),
        Some(Open),
        Some(LineDown),
        Some(PageDown),
        Some(NextArticle),
        Some(NextArticle),
        Some(Back),
        Some(LineUp),
    ];
    let mut want: Option<Vec<u16>> = None;
    for step in steps {
        if let Some(a) = step {
            app.update(a);
        }
        t.draw(&app).expect("draw");
        screen.process(&sink.take());
        let borders = border_columns(screen.screen(), w, h);
        assert!(!borders.is_empty(), "no borders at all");
        for (row, cols) in &borders {
            let want = want.get_or_insert_with(|| cols.clone());
            assert_eq!(
                cols,
                want,
                "{step:?}: row {row} has borders at {cols:?}:\n{}",
                screen.screen().contents()
            );
        }
        assert_eq!(
            text(screen.screen()),
            fresh(&app),
            "{step:?}: the incremental screen differs from a fresh draw"
        );
    }
}
