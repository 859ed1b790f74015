//! Render snapshots (ratatui TestBackend + insta) at 140×40, 100×30, 60×20 and 40×12, and
//! checks that hold at every size: nothing drawn past a pane's edge, CJK lines that end
//! exactly at the body's edge (or at the measure, on a wider body), and page text never
//! reaching the screen raw.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::text::AmbiguousWidth;
use dubao::ui::{Action, Options, Pane};
use ui_support::*;

use Action::*;

const SIZES: &[(u16, u16)] = &[(140, 40), (100, 30), (60, 20), (40, 12)];

fn snap(name: &str, w: u16, h: u16, actions: &[Action], opts: Options) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), w, h, opts);
    apply(&mut app, actions);
    let t = render(&app);
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen_lines(&t).join("\n"));
}

#[test]
fn first_start() {
    for &(w, h) in SIZES {
        snap("first_start", w, h, &[], Options::default());
    }
}

#[test]
fn reading_cjk_article() {
    for &(w, h) in SIZES {
        snap(
            "reading",
            w,
            h,
            &[FocusRight, FocusRight, LineDown, LineDown],
            Options::default(),
        );
    }
}

#[test]
fn headlines_with_marks() {
    for &(w, h) in SIZES {
        let actions = [
            FocusRight,
            FocusRight,
            Bottom,
            ToggleBookmark,
            FocusLeft,
            LineDown,
        ];
        snap("headlines", w, h, &actions, Options::default());
    }
}

#[test]
fn help_overlay() {
    for &(w, h) in SIZES {
        snap(
            "help",
            w,
            h,
            &[FocusRight, FocusRight, ToggleHelp],
            Options::default(),
        );
    }
}

#[test]
fn bookmarks_overlay() {
    for &(w, h) in SIZES {
        let actions = [
            FocusRight,
            FocusRight,
            ToggleBookmark,
            NextArticle,
            ToggleBookmark,
            ShowBookmarks,
        ];
        snap("bookmarks", w, h, &actions, Options::default());
    }
}

#[test]
fn ascii_and_wide_ambiguous() {
    let opts = Options {
        ascii: true,
        amb: AmbiguousWidth::Wide,
        ..Options::default()
    };
    snap(
        "ascii_wide",
        100,
        30,
        &[FocusRight, Open, LineDown, Open],
        opts,
    );
}

#[test]
fn cjk_lines_end_at_the_pane_edge() {
    for hang in [false, true] {
        for &(w, h) in SIZES {
            let dir = tempfile::tempdir().unwrap();
            let opts = Options {
                hang,
                ..Options::default()
            };
            let mut app = app_with(dir.path(), w, h, opts);
            apply(&mut app, &[FocusRight, FocusRight, LineDown, LineDown]);
            let t = render(&app);
            let buf = t.backend().buffer();
            let body = app.geometry().content(Pane::Body).unwrap();
            assert_eq!(body.right(), w, "the body is the rightmost pane");
            let mut at_edge = 0;
            for y in body.top()..body.bottom() {
                // The last two cells hold one ideograph, or nothing: never a cut glyph.
                let lead = &buf[(w - 2, y)];
                let tail = &buf[(w - 1, y)];
                let wide = unicode_width::UnicodeWidthStr::width(lead.symbol()) == 2;
                if wide {
                    at_edge += 1;
                    assert_eq!(tail.symbol(), " ", "{w}x{h} row {y}: trailing half reset");
                } else {
                    assert!(
                        unicode_width::UnicodeWidthStr::width(tail.symbol()) < 2,
                        "{w}x{h} row {y}"
                    );
                }
            }
            if !hang {
                assert!(
                    at_edge >= 3,
                    "{w}x{h}: {at_edge} CJK lines end at the pane edge"
                );
            }
        }
    }
}

/// The body at `w`×`h` (three panes, or zoomed): where its text starts, the pane's right
/// edge, and for each row the column just right of its last non-blank character.
fn body_extent(w: u16, h: u16, zoom: bool, opts: Options) -> (u16, u16, Vec<u16>) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), w, h, opts);
    apply(&mut app, &[FocusRight, FocusRight, LineDown, LineDown]);
    if zoom {
        apply(&mut app, &[ToggleZoom]);
    }
    let t = render(&app);
    let buf = t.backend().buffer();
    let body = app.geometry().content(Pane::Body).unwrap();
    let left = body.x + app.body_margin();
    let rows = (body.top()..body.bottom())
        .map(|y| {
            (body.left()..body.right())
                .rev()
                .find(|&x| buf[(x, y)].symbol() != " ")
                .map_or(0, |x| {
                    x + unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol()) as u16
                })
        })
        .collect();
    (left, body.right(), rows)
}

#[test]
fn a_wide_body_keeps_the_measure() {
    for zoom in [false, true] {
        let (left, right, rows) = body_extent(200, 50, zoom, Options::default());
        assert!(right - left > 100, "a wide body: {left}..{right}");
        let column = left + 72;
        assert!(
            rows.iter().all(|&last| last <= column),
            "zoom {zoom}: no text right of the 72-cell column at {column}: {rows:?}"
        );
        // Full lines: 36 ideographs, or 35 and room for a hanging mark.
        let full = rows.iter().filter(|&&last| last + 2 >= column).count();
        assert!(full >= 5, "zoom {zoom}: {full} lines fill the column");
        // Without a measure the text runs to the pane's edge.
        let opts = Options {
            measure: 0,
            ..Options::default()
        };
        let (_, right, rows) = body_extent(200, 50, zoom, opts);
        let wide = rows.iter().filter(|&&last| last + 2 >= right).count();
        assert!(
            wide >= 5,
            "zoom {zoom}, measure 0: {wide} lines reach the edge"
        );
    }
    // An odd measure is rounded down to whole ideographs.
    let opts = Options {
        measure: 41,
        ..Options::default()
    };
    let (left, _, rows) = body_extent(200, 50, false, opts);
    assert!(rows.iter().all(|&last| last <= left + 40), "{rows:?}");
    assert!(rows.iter().any(|&last| last + 2 >= left + 40), "{rows:?}");
}

#[test]
fn page_text_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    apply(&mut app, &[FocusRight, LineDown, LineDown, Open]);
    assert!(app.open_article().unwrap().title().contains('\u{1b}'));
    let t = render(&app);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "{:?}",
            cell.symbol()
        );
    }
    let text = screen_lines(&t).join("\n");
    assert!(text.contains("危险␛]52;c;aGk=␇标题␛[2J"), "{text}");
    assert!(text.contains("转义␛[2J清屏"), "{text}");
    // And the bytes a real terminal would get: no OSC, no clear-screen from the page.
    let bytes = crossterm_bytes(&app);
    let s = String::from_utf8_lossy(&bytes);
    assert!(!s.contains("\u{1b}]"), "an OSC sequence was written");
    assert!(!s.contains("\u{1b}[2J"), "a clear-screen was written");
    assert!(!s.contains('\u{9b}'), "a C1 CSI was written");
}

/// Draw once through the crossterm backend and return the bytes.
fn crossterm_bytes(app: &dubao::ui::App) -> Vec<u8> {
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use ratatui::{Terminal, TerminalOptions, Viewport};
    let sink = ui_support::Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let area = Rect::new(0, 0, app.width, app.height);
    let mut t = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    t.draw(|f| f.render_widget(app, f.area())).unwrap();
    sink.take()
}

#[test]
fn wide_ambiguous_quotes_take_two_cells_and_the_diff_knows() {
    use ratatui::buffer::CellDiffOption;
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        amb: AmbiguousWidth::Wide,
        ..Options::default()
    };
    let mut app = app_with(dir.path(), 100, 30, opts);
    apply(&mut app, &[FocusRight, LineDown, Open]);
    assert!(app.open_article().unwrap().title().contains('“'));
    let t = render(&app);
    let buf = t.backend().buffer();
    let mut quotes = 0;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width - 1 {
            if buf[(x, y)].symbol() == "“" {
                quotes += 1;
                assert!(
                    matches!(buf[(x, y)].diff_option, CellDiffOption::ForcedWidth(w) if w.get() == 2),
                    "“ at {x},{y} is forced to two cells"
                );
                assert_eq!(buf[(x + 1, y)].symbol(), " ", "the cell it covers is reset");
            }
        }
    }
    assert!(quotes >= 2, "{quotes} quotes seen");
    // No box drawing in wide mode: │ ─ are ambiguous too.
    assert!(!screen_lines(&t).join("").contains('│'));
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let actions = [
        FocusRight,
        FocusRight,
        LineDown,
        PageDown,
        ReadOn,
        NextArticle,
        ToggleHelp,
        LineDown,
        Back,
        ShowBookmarks,
        Back,
        ToggleBookmark,
        ShowBookmarks,
        EditNote,
        Action::EditInsert('注'),
        Action::EditConfirm,
        Back,
        ToggleZoom,
        Bottom,
        PrevArticle,
        FocusLeft,
        FocusLeft,
        Open,
        OlderIssue,
        NewerIssue,
    ];
    for (w, h) in [
        (0, 0),
        (0, 10),
        (10, 0),
        (1, 1),
        (2, 2),
        (5, 3),
        (10, 4),
        (20, 5),
        (39, 11),
        (79, 23),
        (81, 3),
        (119, 2),
        (121, 50),
        (300, 100),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), w, h);
        for a in actions {
            app.update(a);
            let _ = render(&app);
        }
        let opts = Options {
            amb: AmbiguousWidth::Wide,
            ascii: true,
            ..Options::default()
        };
        let mut wide = app_with(dir.path(), w, h, opts);
        for a in actions {
            wide.update(a);
            let _ = render(&wide);
        }
    }
}

/// The bundled sample issues, parsed, newest first (as the reader opens them).
fn sample_issues() -> Vec<dubao::model::Issue> {
    use dubao::model::{Date, Issue};
    use dubao::parse::{ParseOptions, read_page};
    let mut issues = Vec::new();
    for day in ["2026-11-28", "2026-11-27", "2026-11-26"] {
        let dir = std::path::Path::new("assets/samples").join(day);
        let pages = ["01.txt", "02.txt"]
            .iter()
            .map(|p| {
                let source = format!("{day}/{p}");
                read_page(&dir.join(p), &source, &ParseOptions::default()).unwrap()
            })
            .collect();
        let d: Vec<u16> = day.split('-').map(|x| x.parse().unwrap()).collect();
        issues.push(Issue {
            id: day.to_string(),
            name: day.to_string(),
            publication: None,
            date: Some(Date {
                year: d[0],
                month: d[1] as u8,
                day: d[2] as u8,
            }),
            pages,
            errors: vec![],
        });
    }
    issues
}

/// A reader over the bundled samples at `w`×`h`, started on the newest issue.
fn sample_app(dir: &std::path::Path, w: u16, h: u16, opts: Options) -> dubao::ui::App {
    let mut app = dubao::ui::App::with_issues(sample_issues(), store(dir), opts);
    app.update(Action::Resize {
        width: w,
        height: h,
    });
    assert_eq!(app.start(), None, "sample issues are loaded already");
    app
}

/// The sample reader as a user without colour sees it: titles kept at their source lines,
/// labels in brackets, nothing italic, the title still bold.
#[test]
fn sample_reader_without_colour() {
    use ratatui::style::Modifier;
    for (w, h) in [(80, 24), (40, 20)] {
        for (name, actions) in [
            ("first", vec![FocusRight, FocusRight]),
            ("second", vec![FocusRight, FocusRight, NextArticle]),
            (
                "english",
                vec![
                    FocusRight,
                    FocusRight,
                    NextArticle,
                    NextArticle,
                    NextArticle,
                    NextArticle,
                    NextArticle,
                ],
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let opts = Options {
                color: false,
                ..Options::default()
            };
            let mut app = sample_app(dir.path(), w, h, opts);
            apply(&mut app, &actions);
            let t = render(&app);
            let buf = t.backend().buffer();
            for cell in buf.content() {
                assert!(cell.fg == ratatui::style::Color::Reset, "no colour");
                assert!(!cell.modifier.contains(Modifier::ITALIC), "nothing italic");
            }
            if name == "first" {
                // The dateline lead-in 本报讯（记者 孟一帆） is bold, the text after it not.
                let lines = screen_lines(&t);
                let y = lines.iter().position(|l| l.contains("本报讯")).unwrap() as u16;
                let x = (0..w).find(|&x| buf[(x, y)].symbol() == "本").unwrap();
                let close = (x..w).find(|&x| buf[(x, y)].symbol() == "）").unwrap();
                assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
                assert!(buf[(close, y)].modifier.contains(Modifier::BOLD));
                assert!(!buf[(close + 2, y)].modifier.contains(Modifier::BOLD));
            }
            insta::assert_snapshot!(
                format!("sample_{name}_{w}x{h}"),
                screen_lines(&t).join("\n")
            );
        }
    }
}

/// Wide ambiguous mode without `--ascii`: the chrome has no `·` (xterm leaves a stale cell
/// after a wide one) and truncates with a two-cell `…`, never `~` (read as the range mark).
#[test]
fn wide_ambiguous_chrome() {
    use ratatui::buffer::CellDiffOption;
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        amb: AmbiguousWidth::Wide,
        ..Options::default()
    };
    let mut app = sample_app(dir.path(), 80, 24, opts);
    apply(&mut app, &[FocusRight, FocusRight]);
    let t = render(&app);
    let lines = screen_lines(&t);
    let (header, status) = (&lines[0], &lines[lines.len() - 1]);
    for row in [header, status] {
        assert!(!row.contains('·') && !row.contains('~'), "{row}");
    }
    assert!(header.contains(" | "), "{header}");
    let buf = t.backend().buffer();
    let x = (0..80)
        .find(|&x| buf[(x, 0)].symbol() == "…")
        .expect("a cut title");
    assert!(matches!(buf[(x, 0)].diff_option, CellDiffOption::ForcedWidth(w) if w.get() == 2));
    insta::assert_snapshot!("wide_chrome_80x24", lines.join("\n"));
}

/// The source's `**预约转诊绿色通道**` (sample 2026-11-28/01, third story) is drawn bold in
/// the body, the words around it not.
#[test]
fn source_bold_is_drawn_bold() {
    use ratatui::style::Modifier;
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        color: false,
        ..Options::default()
    };
    let mut app = sample_app(dir.path(), 80, 24, opts);
    apply(
        &mut app,
        &[FocusRight, FocusRight, NextArticle, NextArticle],
    );
    for _ in 0..10 {
        let t = render(&app);
        let lines = screen_lines(&t);
        if let Some(y) = lines.iter().position(|l| l.contains("预约转诊")) {
            let buf = t.backend().buffer();
            let y = y as u16;
            let x = (0..80).find(|&x| buf[(x, y)].symbol() == "预").unwrap();
            let bold = |x: u16| buf[(x, y)].modifier.contains(Modifier::BOLD);
            assert!(bold(x) && bold(x + 2), "预约 bold");
            assert!(!bold(x - 2), "开通 not bold");
            return;
        }
        apply(&mut app, &[PageDown]);
    }
    panic!("the bold phrase never came into view");
}
