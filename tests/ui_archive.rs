//! Moving through an archive (issue 13) on a two-paper library built from the model: go
//! to a date, next/previous paper, the status label, next unread, marking an issue,
//! continuations, and the place kept per issue and per library.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::library::{DateQuery, parse_date_query};
use dubao::model::{Article, Date, Issue, Page, TextPos};
use dubao::state::Store;
use dubao::ui::{Action, App, Options};
use ui_support::{apply, long_cjk, para};

use Action::*;

fn date(s: &str) -> Date {
    dubao::library::date_in_name(s).expect(s)
}

fn story(title: &str, paras: usize) -> Article {
    Article {
        title_lines: if title.is_empty() {
            vec![]
        } else {
            vec![title.to_string()]
        },
        blocks: (0..paras).map(|k| para(&long_cjk(k, 6))).collect(),
        ..Article::default()
    }
}

fn page(source: String, articles: Vec<Article>) -> Page {
    Page {
        source,
        encoding: "UTF-8".into(),
        articles,
        furniture: vec![],
        warnings: vec![],
    }
}

/// An issue of `paper` on `day` with two pages: page 1 has a head continued on page 2
/// (`（下转第2版）`) and a short story; page 2 the untitled continuation and one more.
fn issue(paper: &str, day: &str) -> Issue {
    let id = format!("{paper}/{day}");
    let mut head = story(&format!("{paper}{day}要闻"), 6);
    head.continues_to = Some(2);
    let mut rest = story("", 2);
    rest.continues_from = Some(1);
    Issue {
        id: id.clone(),
        name: day.into(),
        publication: Some(paper.into()),
        date: Some(date(day)),
        pages: vec![
            page(format!("{id}/01.txt"), vec![head, story("短讯", 4)]),
            page(format!("{id}/02.txt"), vec![story("图片新闻", 4), rest]),
        ],
        errors: vec![],
    }
}

/// 大同日报 (28, 27, 25 November) then 晚报 (28, 26), as the scan lists them.
fn library() -> Vec<Issue> {
    vec![
        issue("大同日报", "2026-11-28"),
        issue("大同日报", "2026-11-27"),
        issue("大同日报", "2026-11-25"),
        issue("晚报", "2026-11-28"),
        issue("晚报", "2026-11-26"),
    ]
}

fn app_in(dir: &std::path::Path) -> App {
    let mut app = App::with_issues(library(), Store::open(dir).0, Options::default());
    app.library = Some("/papers".into());
    app.today = date("2026-12-01");
    app.update(Resize {
        width: 80,
        height: 24,
    });
    assert_eq!(app.start(), None);
    app
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn every_date_form_parses() {
    let today = date("2026-12-01");
    let on = |s: &str| {
        parse_date_query(s)
            .and_then(|q| q.resolve(today))
            .map(|d| d.map(|d| d.to_string()))
    };
    for s in [
        "2026-11-28",
        "20261128",
        "2026年11月28日",
        " 2026/11/28 ",
        "2026.11.28",
        "１１-２８",
        "11-28",
        "11/28",
        "1128",
        "11月28日",
        "11月28",
    ] {
        assert_eq!(on(s), Ok(Some("2026-11-28".to_string())), "{s}");
    }
    // A day not yet come this month is last month's.
    assert_eq!(on("28"), Ok(Some("2026-11-28".into())));
    assert_eq!(on("1日"), Ok(Some("2026-12-01".into())));
    // A month-day after today is last year's; 02-29 the last leap year's.
    assert_eq!(on("12-25"), Ok(Some("2025-12-25".into())));
    assert_eq!(on("02-29"), Ok(Some("2024-02-29".into())));
    assert_eq!(parse_date_query("-7"), Ok(DateQuery::Back(7)));
    assert_eq!(parse_date_query("+2"), Ok(DateQuery::Back(-2)));
    for bad in [
        "",
        "abc",
        "2026-13-01",
        "2026-02-30",
        "13-01",
        "32",
        "0",
        "-",
        "-x",
        "11-28-",
        "x2026-11-28",
        "123",
    ] {
        assert!(parse_date_query(bad).is_err(), "{bad:?}");
    }
    assert!(
        parse_date_query("abc")
            .unwrap_err()
            .contains("try 2026-11-28")
    );
}

#[test]
fn go_to_a_date_in_the_current_paper() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(app.current, Some(0));
    assert_eq!(app.goto_date("2026-11-27"), None);
    assert_eq!(app.current, Some(1));
    assert_eq!(message(&app), "大同日报 · 2026-11-27 周五");
    // 26 November has no 大同日报: the nearest before, said so (晚报's 26th is not taken).
    app.goto_date("11-26");
    assert_eq!(app.current, Some(2));
    assert_eq!(
        message(&app),
        "no issue on 2026-11-26; the nearest before: 大同日报 · 2026-11-25 周三"
    );
    // Back and forward by issues, within the paper.
    app.goto_date("-1");
    assert_eq!(app.current, Some(2), "nothing older in this paper");
    app.goto_date("+2");
    assert_eq!(app.current, Some(0));
    // Bad input and dates before the archive: a message, no jump.
    app.goto_date("yesterday");
    assert_eq!(app.current, Some(0));
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    app.goto_date("1999-01-01");
    assert_eq!(app.current, Some(0));
    assert_eq!(message(&app), "no issue on or before 1999-01-01");
}

#[test]
fn date_given_at_start_wins_over_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        date: Some(parse_date_query("2026-11-26").unwrap()),
        ..Options::default()
    };
    let mut app = App::with_issues(library(), Store::open(dir.path()).0, opts);
    app.today = date("2026-12-01");
    app.start();
    assert_eq!(app.current, Some(2));
}

#[test]
fn papers_are_a_level_and_the_label_tells_them_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(
        app.status_label(),
        "大同日报 · 2026-11-28 周六 · 第1版 · 1/4"
    );
    app.goto_date("11-27");
    app.next_publication(1);
    assert_eq!(
        app.current,
        Some(3),
        "晚报 was never read: its newest issue"
    );
    assert_eq!(message(&app), "大同日报 → 晚报");
    assert_eq!(app.status_label(), "晚报 · 2026-11-28 周六 · 第1版 · 1/4");
    app.next_publication(1);
    assert_eq!(app.current, Some(3));
    assert_eq!(message(&app), "this is the last paper");
    app.next_publication(-1);
    assert_eq!(app.current, Some(1), "back to the 大同日报 issue read last");
    // `]` across the papers' border says so.
    app.goto_date("25");
    app.update(OlderIssue);
    assert_eq!(app.current, Some(3));
    assert_eq!(message(&app), "大同日报 → 晚报");
}

#[test]
fn each_issue_reopens_at_its_last_article_after_brackets_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    apply(
        &mut app,
        &[FocusRight, FocusRight, NextArticle, NextArticle],
    );
    assert_eq!(app.open, Some(2));
    apply(&mut app, &[PageDown, LineDown]);
    let anchor = app.body.anchor;
    assert_ne!(anchor, TextPos::default());
    app.update(OlderIssue);
    assert_eq!(
        (app.current, app.open),
        (Some(1), Some(0)),
        "never opened: first"
    );
    app.update(NextArticle);
    app.update(NewerIssue);
    assert_eq!((app.current, app.open), (Some(0), Some(2)));
    assert_eq!(app.body.anchor, anchor, "where it was left in the article");
    // From the issue list too.
    apply(&mut app, &[FocusLeft, FocusLeft, LineDown, Open]);
    assert_eq!((app.current, app.open), (Some(1), Some(1)));
    app.checkpoint(1);
    app.store.save().unwrap();
    // A restart: this library's place is issue 1, and issue 0 still has its own.
    let mut again = app_in(dir.path());
    assert_eq!((again.current, again.open), (Some(1), Some(1)));
    again.update(NewerIssue);
    assert_eq!((again.current, again.open), (Some(0), Some(2)));
    assert_eq!(again.body.anchor, anchor);
}

#[test]
fn a_page_on_its_own_leaves_the_library_place_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    app.goto_date("11-27");
    app.checkpoint(1);
    app.store.save().unwrap();
    let place = app.store.place("/papers").cloned().unwrap();
    assert_eq!(place.issue.as_deref(), Some("大同日报/2026-11-27"));
    drop(app);
    // `dubao one-page.txt`: a place of its own, and the latest place untouched.
    let last = Store::open(dir.path()).0.last().clone();
    let mut one = App::with_issues(
        vec![issue("晚报", "2026-11-26")],
        Store::open(dir.path()).0,
        Options::default(),
    );
    one.library = Some("page:/papers/晚报/2026-11-26/01.txt".into());
    one.start();
    assert_eq!(one.current, Some(0));
    one.update(NextArticle);
    assert!(one.record_last(2));
    one.checkpoint(3);
    one.store.save().unwrap();
    assert_eq!(one.store.last(), &last);
    let page_place = one
        .store
        .place("page:/papers/晚报/2026-11-26/01.txt")
        .unwrap();
    assert_eq!(page_place.issue.as_deref(), Some("晚报/2026-11-26"));
    // An empty folder: nothing shown, nothing recorded.
    let mut empty = App::with_issues(vec![], Store::open(dir.path()).0, Options::default());
    empty.start();
    assert!(!empty.record_last(4));
    let again = app_in(dir.path());
    assert_eq!(again.store.place("/papers"), Some(&place));
    assert_eq!(again.store.last(), &last);
    assert_eq!(again.current, Some(1));
}

#[test]
fn next_unread_crosses_issues_and_marks_follow_the_issue() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(app.unread_count(0), Some(4));
    app.mark_issue(0, true);
    assert_eq!(app.unread_count(0), Some(0));
    assert!(
        message(&app).ends_with("4 articles marked read"),
        "{}",
        message(&app)
    );
    app.update(OlderIssue);
    app.mark_issue(1, true);
    app.update(NewerIssue);
    // Everything in 0 and 1 is read: the next unread is the first of issue 2.
    app.next_unread();
    assert_eq!((app.current, app.open), (Some(2), Some(0)));
    assert_eq!(message(&app), "next unread: 大同日报 · 2026-11-25 周三");
    app.next_unread();
    assert_eq!((app.current, app.open), (Some(2), Some(1)));
    // Unread again: counted, and the open article is not marked read behind its back.
    app.update(NewerIssue);
    app.update(NewerIssue);
    assert_eq!(app.current, Some(0));
    app.mark_issue(0, false);
    app.update(LineDown);
    assert_eq!(app.unread_count(0), Some(4));
    // An issue not parsed in this run is counted from its summary (its article count)
    // less the read articles stored under its key.
    app.mark_issue(4, true);
    app.issues[4].articles = None;
    app.issues[4].issue = None;
    assert_eq!(app.unread_count(4), None);
    assert_eq!(app.entries[4].id, "晚报/2026-11-26");
    app.summaries_loaded(vec![(4, 6)]);
    assert_eq!(app.unread_count(4), Some(2));
    app.mark_issue(4, false);
    assert!(
        app.message.as_ref().is_some_and(|m| m.error),
        "not parsed: no ids"
    );
}

#[test]
fn continuations_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(app.open, Some(0));
    // The untitled piece on page 2 is named after its head.
    assert_eq!(app.headline_title(3), "（续）大同日报2026-11-28要闻");
    assert_eq!(app.headline_title(2), "图片新闻");
    app.follow_continuation();
    assert_eq!(app.open, Some(3));
    assert_eq!(
        app.status_label(),
        "大同日报 · 2026-11-28 周六 · 第2版 · 4/4"
    );
    assert_eq!(message(&app), "continued on 第2版");
    app.follow_continuation();
    assert_eq!(app.open, Some(0));
    assert_eq!(message(&app), "back to the head of the story on 第1版");
    app.update(NextArticle);
    app.follow_continuation();
    assert_eq!(app.open, Some(1));
    assert_eq!(
        message(&app),
        "this story does not continue on another page"
    );
}

/// Space reads a story across pages: the head, its continuation, then back to the page.
#[test]
fn space_follows_a_story_to_its_continuation_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    app.update(FocusRight);
    app.update(FocusRight);
    let read_to_the_end = |app: &mut App| {
        let start = app.open;
        let mut guard = 0;
        while app.open == start {
            app.update(ReadOn);
            guard += 1;
            assert!(guard < 200);
        }
    };
    read_to_the_end(&mut app);
    assert_eq!(app.open, Some(3), "the continuation on page 2");
    read_to_the_end(&mut app);
    assert_eq!(app.open, Some(1), "back to the article after the head");
    assert_eq!(message(&app), "back to 第1版 after the story's head");
    read_to_the_end(&mut app);
    assert_eq!(app.open, Some(2));
}
