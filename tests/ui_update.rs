//! `App::update` on fixtures: sequences of actions, assertions on state, no terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::model::TextPos;
use dubao::ui::app::{Overlay, Row};
use dubao::ui::{Action, App, Effect, Options, Pane};
use ui_support::*;

use Action::*;

fn top_pos(app: &App) -> TextPos {
    app.body.anchor
}

#[test]
fn first_start_selects_first_issue_and_lists_headlines() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path(), 140, 40);
    assert_eq!(app.current, Some(0));
    assert_eq!(app.focus, Pane::Issues);
    assert_eq!(app.articles.len(), 5);
    // page rule, 3 articles, page rule, 2 articles, 1 error row
    assert_eq!(app.rows.len(), 8);
    assert_eq!(app.rows[0], Row::Page(0));
    assert_eq!(app.rows[7], Row::Error(0));
    assert_eq!(app.open, Some(0), "the first article is shown");
    assert!(
        app.message.as_ref().is_some_and(|m| m.error),
        "bad page reported"
    );
}

#[test]
fn open_third_headline_then_read_and_move_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(&mut app, &[Open, LineDown, LineDown, Open]);
    assert_eq!(app.focus, Pane::Body);
    assert_eq!(app.open, Some(2));
    assert!(app.open_article().unwrap().title().contains("危险"));
    apply(&mut app, &[NextArticle]);
    assert_eq!(app.open, Some(3));
    assert_eq!(app.focus, Pane::Body, "n does not leave the body");
    apply(&mut app, &[PrevArticle, PrevArticle]);
    assert_eq!(app.open, Some(1));
    assert_eq!(
        app.rows[app.head_sel],
        Row::Article(1),
        "headline cursor follows"
    );
}

#[test]
fn headline_cursor_skips_page_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(&mut app, &[FocusRight, Top]);
    assert_eq!(app.rows[app.head_sel], Row::Article(0));
    apply(&mut app, &[LineDown, LineDown, LineDown]);
    assert_eq!(app.rows[app.head_sel], Row::Article(3));
    apply(&mut app, &[LineUp]);
    assert_eq!(app.rows[app.head_sel], Row::Article(2));
    apply(&mut app, &[Bottom, Open]);
    assert_eq!(app.rows[app.head_sel], Row::Error(0));
    let Some(Overlay::Notice { text, .. }) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert!(text.contains("03.txt"), "{text}");
}

#[test]
fn space_pages_then_opens_next_article_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 60, 20);
    apply(&mut app, &[FocusNext, Open]);
    assert_eq!(app.focus, Pane::Body);
    let h = app.body_height();
    let len = app.body.layout.lines.len();
    assert!(len > 2 * h, "fixture article is several screens long");
    app.update(ReadOn);
    assert_eq!(app.body.top, h - 1, "one line of overlap");
    let mut guard = 0;
    while app.open == Some(0) {
        app.update(ReadOn);
        guard += 1;
        assert!(guard < 100);
    }
    assert_eq!(app.open, Some(1));
    assert_eq!(app.body.top, 0);
    let first = app.articles[0].id.clone();
    assert!(app.store.article(&first).unwrap().read, "end shown → read");
    assert!(
        !app.store
            .article(&app.articles[2].id.clone())
            .is_some_and(|s| s.read)
    );
}

#[test]
fn page_down_stops_at_end_and_half_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 60, 20);
    apply(&mut app, &[FocusRight, FocusRight]);
    assert_eq!(app.focus, Pane::Body);
    app.update(HalfPageDown);
    assert_eq!(app.body.top, app.body_height() / 2);
    app.update(HalfPageUp);
    assert_eq!(app.body.top, 0);
    apply(&mut app, &[Bottom]);
    let end = app.body.top;
    apply(&mut app, &[PageDown, LineDown]);
    assert_eq!(app.body.top, end);
    assert_eq!(app.open, Some(0), "PageDown never changes article");
    assert_eq!(app.percent(), Some(100));
    apply(&mut app, &[Top]);
    assert_eq!(app.body.top, 0);
}

#[test]
fn resize_keeps_the_top_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(
        &mut app,
        &[
            FocusRight, FocusRight, LineDown, LineDown, LineDown, LineDown, LineDown,
        ],
    );
    let before = top_pos(&app);
    assert!(before.block >= 1, "scrolled into the body: {before:?}");
    for (w, h) in [(60, 20), (100, 30), (40, 12), (140, 40)] {
        app.update(Resize {
            width: w,
            height: h,
        });
        let line = &app.body.layout.lines[app.body.top];
        assert_eq!(line.pos.block, before.block, "at {w}x{h}");
        assert!(
            line.pos <= before,
            "top line shows the saved position at {w}x{h}"
        );
    }
    assert_eq!(top_pos(&app), before, "resizes never move the anchor");
}

#[test]
fn the_measure_caps_the_body_and_resizes_above_it_keep_the_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 200, 50);
    apply(
        &mut app,
        &[FocusRight, FocusRight, LineDown, LineDown, LineDown],
    );
    let opts = app.layout_options().expect("a body");
    assert_eq!(opts.width, 72, "the default measure");
    let (lines, top, before) = (app.body.layout.lines.clone(), app.body.top, top_pos(&app));
    for (w, h) in [(240, 50), (180, 50), (200, 50)] {
        app.update(Resize {
            width: w,
            height: h,
        });
        assert_eq!(app.layout_options().map(|o| o.width), Some(72), "{w}x{h}");
        assert_eq!(app.body.layout.lines, lines, "{w}x{h}: nothing re-wrapped");
        assert_eq!(app.body.top, top, "{w}x{h}");
    }
    // Below the measure the body re-wraps, and the top paragraph stays in view both ways.
    for (w, h) in [(100, 30), (60, 20), (200, 50)] {
        app.update(Resize {
            width: w,
            height: h,
        });
        let line = &app.body.layout.lines[app.body.top];
        assert_eq!(line.pos.block, before.block, "at {w}x{h}");
        assert!(line.pos <= before, "at {w}x{h}");
    }
    assert_eq!(top_pos(&app), before);
    // Measure 0: the whole pane, less its margin.
    let mut wide = app_with(
        dir.path(),
        200,
        50,
        Options {
            measure: 0,
            ..Options::default()
        },
    );
    apply(&mut wide, &[FocusRight, FocusRight]);
    let body = wide.geometry().content(Pane::Body).expect("a body");
    let o = wide.layout_options().expect("a body");
    assert!(
        o.width > 100 && body.width - o.width <= 2,
        "{} of {}",
        o.width,
        body.width
    );
}

#[test]
fn issues_switch_with_brackets_and_enter() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(&mut app, &[OlderIssue]);
    assert_eq!(app.current, Some(1));
    assert_eq!(app.articles.len(), 2);
    apply(&mut app, &[OlderIssue]);
    assert_eq!(app.current, Some(1));
    assert!(app.message.as_ref().unwrap().text.contains("oldest"));
    apply(&mut app, &[NewerIssue]);
    assert_eq!(app.current, Some(0));
    apply(&mut app, &[LineDown, Open]);
    assert_eq!(app.current, Some(1));
    assert_eq!(app.focus, Pane::Headlines);
}

#[test]
fn responsive_panes_follow_width_and_focus() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    let g = app.geometry();
    assert!(g.issues.is_some() && g.headlines.is_some() && g.body.is_some());
    app.update(Resize {
        width: 100,
        height: 30,
    });
    let g = app.geometry();
    assert!(g.issues.is_some() && g.headlines.is_some() && g.body.is_none());
    app.update(FocusRight);
    app.update(FocusRight);
    let g = app.geometry();
    assert!(g.issues.is_none() && g.headlines.is_some() && g.body.is_some());
    app.update(Resize {
        width: 60,
        height: 20,
    });
    let g = app.geometry();
    assert!(g.headlines.is_none() && g.body.is_some());
    app.update(Back);
    assert_eq!(app.focus, Pane::Headlines);
    assert!(app.geometry().headlines.is_some() && app.geometry().body.is_none());
    apply(&mut app, &[ToggleZoom]);
    assert_eq!(app.focus, Pane::Body);
    app.update(Resize {
        width: 140,
        height: 40,
    });
    let g = app.geometry();
    assert!(g.issues.is_none() && g.headlines.is_none());
    assert_eq!(g.body.unwrap().width, 140);
    app.update(Back);
    assert!(!app.zoom);
}

#[test]
fn bookmarks_toggle_list_jump_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(&mut app, &[FocusRight, Open, LineDown, LineDown, LineDown]);
    let anchor = app.body.anchor;
    assert_eq!(app.update(ToggleBookmark), Some(Effect::Save));
    let id = app.open_id().unwrap().clone();
    assert!(app.store.is_bookmarked(&id));
    // go elsewhere, then jump back through the list
    apply(&mut app, &[OlderIssue]);
    assert_eq!(app.current, Some(1));
    apply(&mut app, &[ShowBookmarks]);
    assert!(matches!(app.overlay, Some(Overlay::Bookmarks { .. })));
    app.update(Open);
    assert_eq!(app.overlay, None);
    assert_eq!(app.current, Some(0));
    assert_eq!(app.open_id(), Some(&id));
    assert_eq!(app.body.anchor, anchor, "exact position");
    assert_eq!(app.focus, Pane::Body);
    apply(&mut app, &[ShowBookmarks]);
    assert_eq!(app.update(DeleteBookmark), Some(Effect::Save));
    assert!(app.store.bookmarks().is_empty());
    apply(&mut app, &[Back]);
    assert_eq!(app.overlay, None);
}

#[test]
fn note_editor_edits_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    apply(&mut app, &[ToggleBookmark, ShowBookmarks, EditNote]);
    assert!(app.editing());
    apply(
        &mut app,
        &[
            EditInsert('好'),
            EditInsert('文'),
            EditLeft,
            EditInsert('x'),
            EditEnd,
            EditBackspace,
        ],
    );
    match &app.overlay {
        Some(Overlay::Bookmarks { edit: Some(ed), .. }) => {
            assert_eq!(ed.text, "好x");
            assert_eq!(ed.cursor, 2);
        }
        other => panic!("{other:?}"),
    }
    apply(&mut app, &[EditCancel]);
    assert!(!app.editing());
    assert!(matches!(app.overlay, Some(Overlay::Bookmarks { .. })));
}

#[test]
fn help_overlay_opens_and_closes_and_quit_quits() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 60);
    app.update(ToggleHelp);
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    app.update(LineDown);
    // Every row fits in 60: nothing to scroll (tests/ui_ux.rs scrolls it at 40×12).
    assert!(matches!(app.overlay, Some(Overlay::Help { top: 0 })));
    app.update(Back);
    assert_eq!(app.overlay, None);
    assert_eq!(app.update(Quit), Some(Effect::Quit));
}

#[test]
fn copy_puts_title_and_text_in_the_effect() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    match app.update(CopyArticle) {
        Some(Effect::Copy(text)) => {
            assert!(text.starts_with("平城区全方位提升人才干事创业激情\n孙露\n"));
            assert!(text.contains("本报记者 孙露"));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.message.as_ref().unwrap().text.contains("OSC 52"));
}

#[test]
fn mouse_wheel_and_click() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    let body = app.geometry().body.unwrap();
    app.update(Wheel {
        x: body.x + 3,
        y: body.y + 3,
        lines: 3,
    });
    assert_eq!(app.body.top, 3);
    let heads = app.geometry().headlines.unwrap();
    // row 0 is the page rule, row 1 the first article, row 3 the third
    app.update(Click {
        x: heads.x + 2,
        y: heads.y + 1 + 3,
    });
    assert_eq!(app.focus, Pane::Headlines);
    assert_eq!(app.open, Some(2));
    let issues = app.geometry().issues.unwrap();
    // Rows: 平城日报's header, its issue, the header of issues without a paper, issue 1.
    app.update(Click {
        x: issues.x + 1,
        y: issues.y + 4,
    });
    assert_eq!(app.current, Some(1));
}

#[test]
fn state_restores_issue_article_and_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    apply(
        &mut app,
        &[
            OlderIssue,
            FocusRight,
            FocusRight,
            NextArticle,
            LineDown,
            LineDown,
        ],
    );
    let anchor = app.body.anchor;
    let id = app.open_id().unwrap().clone();
    app.checkpoint(1);
    let last = app.store.last().clone();
    assert_eq!(last.issue.as_deref(), Some("2026-11-27"));
    assert_eq!(last.article.as_ref(), Some(&id));
    assert_eq!(last.pane.as_deref(), Some("body"));
    // A new App over the same store contents (as a restart would load them).
    let store = std::mem::take(&mut app.store);
    let mut again = App::with_issues(vec![issue_a(), issue_b()], store, Default::default());
    again.update(Resize {
        width: 60,
        height: 20,
    });
    assert_eq!(again.start(), None);
    assert_eq!(again.current, Some(1));
    assert_eq!(again.open_id(), Some(&id));
    assert_eq!(again.focus, Pane::Body);
    assert_eq!(again.body.anchor, anchor);
}

#[test]
fn empty_library_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::with_issues(vec![], store(dir.path()), Default::default());
    assert_eq!(app.start(), None);
    assert!(app.message.is_some());
    for a in [
        LineDown,
        Open,
        NextArticle,
        OlderIssue,
        ToggleBookmark,
        CopyArticle,
        ReadOn,
        Bottom,
    ] {
        app.update(a);
    }
    let t = render(&app);
    assert!(screen_lines(&t).iter().any(|l| l.contains("No issues")));
}

#[test]
fn parsed_issues_are_bounded_and_reloaded_on_demand() {
    let dir = tempfile::tempdir().unwrap();
    let n = dubao::ui::update::KEEP_ISSUES + 5;
    let issues: Vec<_> = (0..n)
        .map(|k| {
            let mut i = issue_b();
            i.id = format!("issue-{k}");
            i.name = i.id.clone();
            i
        })
        .collect();
    let mut app = App::with_issues(issues.clone(), store(dir.path()), Default::default());
    app.update(Resize {
        width: 100,
        height: 30,
    });
    // What the event loop does with a LoadIssue effect.
    let step = |app: &mut App, a: Action| {
        if let Some(Effect::LoadIssue(k)) = app.update(a) {
            app.issue_loaded(k, issues[k].clone());
        }
    };
    app.start();
    for _ in 0..n - 1 {
        step(&mut app, OlderIssue);
        let loaded = app.issues.iter().filter(|s| s.issue.is_some()).count();
        assert!(
            loaded <= dubao::ui::update::KEEP_ISSUES,
            "{loaded} issues kept"
        );
    }
    assert_eq!(app.current, Some(n - 1));
    assert!(app.issues[0].issue.is_none(), "the first issue was dropped");
    for _ in 0..n - 1 {
        step(&mut app, NewerIssue);
    }
    assert_eq!(app.current, Some(0), "and loaded again when wanted");
    assert_eq!(app.articles.len(), 2);
}

#[test]
fn a_corrected_title_keeps_its_reading_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    apply(
        &mut app,
        &[
            FocusRight, FocusRight, LineDown, LineDown, LineDown, LineDown,
        ],
    );
    let anchor = app.body.anchor;
    assert_ne!(anchor, TextPos::default());
    app.checkpoint(1);
    let store = std::mem::take(&mut app.store);
    // The OCR of the lead's title was fixed: its id (title hash) changes.
    let mut fixed = issue_a();
    fixed.pages[0].articles[0].title_lines = vec!["平城区全方位提升人才干事创业的激情".into()];
    let mut again = App::with_issues(vec![fixed, issue_b()], store, Default::default());
    again.update(Resize {
        width: 100,
        height: 30,
    });
    again.start();
    assert_eq!(again.open, Some(0));
    assert_eq!(
        again.body.anchor, anchor,
        "found through the store's fallback match"
    );
}

#[test]
fn lists_fill_their_pane_again_after_it_grows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 140, 40);
    // A short window: selecting the last headline scrolls the list.
    app.update(Resize {
        width: 140,
        height: 6,
    });
    apply(&mut app, &[FocusRight, Bottom]);
    assert!(app.head_top > 0, "scrolled in a short pane");
    // Tall again: all 8 rows fit, so none stays hidden above a blank tail.
    app.update(Resize {
        width: 140,
        height: 40,
    });
    assert_eq!(app.head_top, 0);
    assert_eq!(app.head_sel, app.rows.len() - 1);
}
