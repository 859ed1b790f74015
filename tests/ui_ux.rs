//! The rough edges a new user meets (issue 14), as update tests and render snapshots: help
//! that scrolls and closes with `q`, the bookmark list (readable places, selection, order,
//! `q`), focus that always lands on a pane on screen, `? help` in a narrow status line,
//! pages that cannot be read or were read with a warning, start-up warnings read whole
//! (`!`), and the read mark of an article whose title was corrected.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::model::{Issue, TextPos};
use dubao::state::Store;
use dubao::ui::app::{Overlay, Row};
use dubao::ui::{Action, App, Effect, Options, Pane};
use ui_support::*;

use Action::*;

fn help_top(app: &App) -> Option<usize> {
    match app.overlay {
        Some(Overlay::Help { top }) => Some(top),
        _ => None,
    }
}

fn bookmark_sel(app: &App) -> Option<usize> {
    match app.overlay {
        Some(Overlay::Bookmarks { sel, .. }) => Some(sel),
        _ => None,
    }
}

fn screen(app: &App) -> String {
    screen_lines(&render(app)).join("\n")
}

#[test]
fn help_scrolls_to_its_last_row_at_40x12_and_q_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 40, 12);
    let rows = app.keymap.help_rows();
    let last = rows.last().unwrap().1;
    app.update(ToggleHelp);
    assert!(
        !screen(&app).contains(last),
        "{} rows do not fit in 9",
        rows.len()
    );
    let title = format!("keys 1–9 of {}", rows.len());
    assert!(screen(&app).contains(&title), "{}", screen(&app));
    app.update(LineDown);
    assert_eq!(help_top(&app), Some(1));
    app.update(ReadOn);
    assert_eq!(help_top(&app), Some(9), "Space pages (9 rows, one kept)");
    // Page down until it stops: the top is clamped to the last page.
    for _ in 0..rows.len() / 8 + 1 {
        app.update(PageDown);
    }
    let max = rows.len() - 9;
    assert_eq!(help_top(&app), Some(max), "clamped at the last page");
    // The description may be cut at 40 columns: its start is enough.
    let start: String = last.chars().take(12).collect();
    assert!(screen(&app).contains(&start), "{}", screen(&app));
    app.update(LineUp);
    assert_eq!(help_top(&app), Some(max - 1), "moves back at once");
    app.update(Top);
    assert_eq!(help_top(&app), Some(0));
    assert_eq!(app.update(Quit), None, "q closes help, it does not quit");
    assert_eq!(app.overlay, None);
    app.update(ToggleHelp);
    app.update(Back);
    assert_eq!(app.overlay, None, "Esc closes");
    app.update(ToggleHelp);
    app.update(ToggleHelp);
    assert_eq!(app.overlay, None, "? again closes");
    assert_eq!(
        app.update(Quit),
        Some(Effect::Quit),
        "q quits from the reader"
    );
}

#[test]
fn help_at_40x12_scrolled_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 40, 12);
    apply(&mut app, &[ToggleHelp, Bottom]);
    insta::assert_snapshot!("help_end_40x12", screen(&app));
}

#[test]
fn the_status_line_shows_help_below_80_columns() {
    for (w, h) in [(40, 12), (60, 20), (79, 24)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), w, h);
        apply(&mut app, &[FocusRight, FocusRight, LineDown]);
        let s = screen(&app);
        let status = s.lines().last().unwrap();
        assert!(status.contains("? help"), "{w}x{h}: {status:?}");
    }
}

/// Bookmarks on the lead (newest issue), then the older issue's first article, then the
/// newest issue's third article, in that order.
fn three_bookmarks(app: &mut App) {
    apply(app, &[FocusRight, FocusRight]);
    apply(
        app,
        &[LineDown, LineDown, LineDown, LineDown, LineDown, LineDown],
    );
    app.update(ToggleBookmark);
    std::thread::sleep(std::time::Duration::from_millis(2));
    apply(app, &[OlderIssue, ToggleBookmark]);
    std::thread::sleep(std::time::Duration::from_millis(2));
    apply(app, &[NewerIssue, NextArticle, NextArticle, ToggleBookmark]);
}

#[test]
fn the_bookmark_list_is_newest_first_and_opens_on_the_open_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    three_bookmarks(&mut app);
    let titles: Vec<String> = dubao::ui::bookmarks::bookmark_list(&app.store)
        .iter()
        .map(|b| b.title.clone())
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(titles[0].starts_with("危险"), "newest first: {titles:?}");
    assert_eq!(titles[1], "平城区全方位提升人才干事创业激情");
    assert_eq!(
        titles[2], "公证服务入基层 普法宣传润人心",
        "older issue last"
    );
    // The open article is the hostile one (newest): the list opens on it.
    app.update(ShowBookmarks);
    assert_eq!(bookmark_sel(&app), Some(0));
    app.update(Back);
    app.update(PrevArticle);
    app.update(PrevArticle);
    app.update(ShowBookmarks);
    assert_eq!(bookmark_sel(&app), Some(1), "the lead's bookmark");
    assert_eq!(
        app.update(Quit),
        None,
        "q closes the list, it does not quit"
    );
    assert_eq!(app.overlay, None);
}

#[test]
fn deleting_the_last_row_selects_the_new_last_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    three_bookmarks(&mut app);
    apply(&mut app, &[ShowBookmarks, Bottom]);
    assert_eq!(bookmark_sel(&app), Some(2));
    assert_eq!(app.update(DeleteBookmark), Some(Effect::Save));
    assert_eq!(bookmark_sel(&app), Some(1));
    let s = screen(&app);
    assert!(s.contains("危险"), "the first row is still listed:\n{s}");
    assert!(s.contains("2 bookmark(s)"), "{s}");
    // Deleting a middle row keeps the cursor on the row that moved up.
    app.update(Top);
    app.update(DeleteBookmark);
    assert_eq!(bookmark_sel(&app), Some(0));
    app.update(DeleteBookmark);
    app.update(DeleteBookmark);
    assert_eq!(bookmark_sel(&app), Some(0));
    assert!(app.store.bookmarks().is_empty());
}

#[test]
fn bookmark_places_read_as_page_paragraph_and_first_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    three_bookmarks(&mut app);
    let list = dubao::ui::bookmarks::bookmark_list(&app.store);
    let places: Vec<String> = list.iter().map(|b| app.bookmark_place(b)).collect();
    let issues: Vec<String> = list.iter().map(|b| app.bookmark_issue(b)).collect();
    assert_eq!(places[0], "p.1 top");
    assert!(places[1].starts_with("p.1 ¶1 “今年以来"), "{places:?}");
    assert_eq!(places[2], "p.1 top", "older issue, loaded in the fixture");
    assert_eq!(issues[0], "平城日报 2026-11-28", "publication and date");
    assert_eq!(issues[2], "2026-11-27", "no publication: the date");
    insta::assert_snapshot!("bookmarks_readable_60x20", {
        app.update(Resize {
            width: 60,
            height: 20,
        });
        app.update(ShowBookmarks);
        screen(&app)
    });
}

#[test]
fn a_bookmark_whose_issue_is_not_loaded_still_names_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    three_bookmarks(&mut app);
    // As after eviction: the issue is known by name only.
    app.issues[1].issue = None;
    let list = dubao::ui::bookmarks::bookmark_list(&app.store);
    let older = list.iter().find(|b| b.issue == "2026-11-27").unwrap();
    assert_eq!(app.bookmark_place(older), "01.txt top");
}

#[test]
fn a_bookmark_keeps_its_first_words_for_when_its_issue_is_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    three_bookmarks(&mut app);
    let loaded = {
        let list = dubao::ui::bookmarks::bookmark_list(&app.store);
        app.bookmark_place(list[1])
    };
    app.issues[0].issue = None;
    let list = dubao::ui::bookmarks::bookmark_list(&app.store);
    assert_eq!(
        list[1].excerpt.as_deref(),
        Some("今年以来，平城区坚持把人…")
    );
    let place = app.bookmark_place(list[1]);
    assert!(place.ends_with(" “今年以来，平城区坚持把人…”"), "{place}");
    assert!(!place.contains("block"), "{place}");
    assert!(
        loaded.ends_with(&place[place.find(' ').unwrap()..]),
        "{loaded} / {place}"
    );
    // A bookmark stored before the words were kept still names its block.
    let mut old = list[1].clone();
    old.excerpt = None;
    assert!(
        app.bookmark_place(&old).ends_with(" block 2"),
        "{}",
        app.bookmark_place(&old)
    );
}

#[test]
fn every_focus_move_lands_on_a_pane_on_screen() {
    let moves = [
        FocusNext, FocusPrev, FocusLeft, FocusRight, Back, Open, ToggleZoom,
    ];
    let dir = tempfile::tempdir().unwrap();
    for w in (40..=160).step_by(4) {
        for start in moves {
            let mut app = app(dir.path(), w, 30);
            app.update(start);
            for m in moves {
                for _ in 0..3 {
                    app.update(m);
                    assert!(
                        app.geometry().pane(app.focus).is_some(),
                        "{w} columns, {start:?} then {m:?}: focus {:?} is hidden",
                        app.focus
                    );
                }
            }
        }
    }
}

#[test]
fn tab_at_100_columns_walks_the_panes_in_order_and_shows_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    let mut seen = vec![app.focus];
    for _ in 0..3 {
        app.update(FocusNext);
        let g = app.geometry();
        assert!(g.pane(app.focus).is_some());
        seen.push(app.focus);
    }
    assert_eq!(
        seen,
        [Pane::Issues, Pane::Headlines, Pane::Body, Pane::Issues]
    );
}

/// A reader over `issue` (in place of the newest fixture issue) and the older one, started.
fn started(issue: Issue, store: Store, width: u16, height: u16) -> App {
    let mut app = App::with_issues(vec![issue, issue_b()], store, Options::default());
    app.update(Resize { width, height });
    app.start();
    app
}

fn error_row(app: &App) -> usize {
    app.rows
        .iter()
        .position(|r| matches!(r, Row::Error(_)))
        .unwrap()
}

#[test]
fn a_page_that_cannot_be_read_shows_its_reason_whole_and_the_path_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut issue = issue_a();
    issue.errors[0].message = "2026-11-28/03.txt: not a text page (binary data: NUL bytes in \
         more than one character in a hundred, which no page of text has)"
        .into();
    let mut app = started(issue, store(dir.path()), 40, 12);
    app.update(FocusRight);
    let row = error_row(&app);
    while app.head_sel != row {
        app.update(LineDown);
    }
    app.update(Open);
    let Some(Overlay::Notice { text, .. }) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert_eq!(text.matches("2026-11-28/03.txt").count(), 1, "{text}");
    let s = screen(&app);
    assert_eq!(s.matches("03.txt").count(), 1, "the path once:\n{s}");
    assert!(s.contains("has)"), "the reason whole, wrapped:\n{s}");
    insta::assert_snapshot!("page_error_40x12", s);
    app.update(LineDown);
    assert_eq!(app.overlay, None, "any key closes it");
}

#[test]
fn a_page_read_with_a_warning_says_so_once_on_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let mut issue = issue_a();
    let warning = "no byte-order mark: read as UTF-16LE from its NUL bytes";
    issue.pages[1].warnings = vec![warning.into()];
    let mut app = started(issue, store(dir.path()), 100, 30);
    // The issue has an unreadable page: that error shows first.
    app.update(NextArticle);
    assert!(
        app.message
            .as_ref()
            .is_none_or(|m| !m.text.contains(warning))
    );
    app.update(NextArticle);
    app.update(NextArticle);
    assert_eq!(
        app.articles[app.open.unwrap()].page,
        1,
        "on the second page"
    );
    let m = app.message.clone().expect("a warning");
    assert!(m.error);
    assert_eq!(m.text, format!("02.txt: {warning}"));
    app.update(NextArticle);
    assert!(app.message.is_none() || !app.message.as_ref().unwrap().text.contains(warning));
}

#[test]
fn a_corrected_title_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), 100, 30);
    // Read the Latin article (short: its end is on screen at once) to the end.
    let to_latin = [NextArticle, NextArticle, NextArticle, NextArticle];
    apply(&mut app, &[FocusRight, FocusRight]);
    apply(&mut app, &to_latin);
    let id = app.open_id().unwrap().clone();
    assert!(app.store.article(&id).unwrap().read);
    app.checkpoint(1);
    let store = std::mem::take(&mut app.store);
    let mut fixed = issue_a();
    fixed.pages[1].articles[1].title_lines = vec!["A Latin headline for mixed page".into()];
    let mut again = started(fixed, store, 100, 30);
    let latin = again.articles.len() - 1;
    let new_id = again.articles[latin].id.clone();
    assert_ne!(new_id, id);
    let title = again.article(latin).unwrap().title();
    assert!(again.is_read(&new_id, &title), "read under its old title");
    let unread_before = again.unread_count(0);
    apply(&mut again, &to_latin);
    assert_eq!(again.open, Some(latin));
    assert_eq!(
        again.unread_count(0),
        unread_before,
        "opening it changes nothing"
    );
    assert!(again.store.article(&new_id).unwrap().read, "the mark moved");
    assert_eq!(again.body.anchor, TextPos::default());
}

/// Start-up warnings as the reader gets them: the config's, each at its line.
fn config_warnings() -> Vec<String> {
    let f = "/home/u/.config/dubao/config.toml";
    vec![
        format!("{f}:3:1: key `keys.fly`: unknown action `fly`"),
        format!("{f}:4:14: key `keys.quit`: cannot read key `Hyper-x`"),
        format!("{f}:7:1: key `colors.title`: cannot read colour `reddish`"),
    ]
}

/// An app with no message showing (the fixture issue's unreadable page says so at start;
/// a message showing would be counted with the warnings).
fn quiet_app(dir: &std::path::Path, w: u16, h: u16) -> App {
    let mut app = app(dir, w, h);
    app.message = None;
    app
}

fn notice_top(app: &App) -> Option<usize> {
    match app.overlay {
        Some(Overlay::Notice { top, .. }) => Some(top),
        _ => None,
    }
}

#[test]
fn a_warning_that_fits_is_shown_whole_in_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = quiet_app(dir.path(), 100, 30);
    let short = "config.toml:3:1: key `keys.fly`: unknown action `fly`".to_string();
    app.notify(vec![short.clone()]);
    assert_eq!(app.message.as_ref().unwrap().text, short);
    assert!(screen(&app).lines().last().unwrap().contains(&short));
    // `!` shows it whole too, and any key closes the box that fits.
    app.update(ShowMessages);
    assert_eq!(notice_top(&app), Some(0));
    app.update(LineDown);
    assert_eq!(app.overlay, None);
}

#[test]
fn warnings_that_do_not_fit_are_counted_and_shown_whole_with_bang() {
    for (w, h) in [(80, 24), (40, 12)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = quiet_app(dir.path(), w, h);
        app.notify(config_warnings());
        let status = screen(&app).lines().last().unwrap().to_string();
        assert!(
            status.contains("3 warnings — ! to read"),
            "{w}x{h}: {status}"
        );
        app.update(ShowMessages);
        let s = screen(&app);
        insta::assert_snapshot!(format!("warnings_{w}x{h}"), &s);
        if w == 80 {
            for needle in ["`fly`", "`Hyper-x`", "`reddish`"] {
                assert!(s.contains(needle), "all whole at 80x24:\n{s}");
            }
        } else {
            // Scrolled to its end, the last warning reads whole.
            assert!(!s.contains("`reddish`"), "40x12 shows a part:\n{s}");
            app.update(Bottom);
            let s = screen(&app);
            assert!(notice_top(&app).unwrap() > 0, "40x12 scrolls");
            assert!(s.contains("`reddish`"), "{s}");
            insta::assert_snapshot!("warnings_end_40x12", &s);
        }
        // q closes it, it does not quit.
        assert_eq!(app.update(Quit), None);
        assert_eq!(app.overlay, None);
    }
}

#[test]
fn one_warning_wider_than_the_status_line_is_counted_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = quiet_app(dir.path(), 40, 12);
    app.notify(config_warnings()[1..2].to_vec());
    let status = screen(&app).lines().last().unwrap().to_string();
    assert!(status.contains("1 warning — ! to read"), "{status}");
    // Later warnings join the ones kept; none is lost.
    app.notify(vec!["saving failed: disk full".into()]);
    assert_eq!(app.warnings.len(), 2);
    app.update(ShowMessages);
    assert!(screen(&app).contains("disk full"));
}
