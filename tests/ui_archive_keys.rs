//! The archive from the keyboard (issue 13) on a two-paper library: the `:` date prompt
//! (every accepted form, the nearest earlier issue, bad input, Esc), the issue list with a
//! header per paper and by date, `{`/`}`, the status line, `u`/`m`/`M`, continuations by
//! `c` and Enter, and the `P` page list. Screens are insta snapshots of the whole frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use dubao::model::{Article, Furniture, FurnitureKind, Issue, Page};
use dubao::state::Store;
use dubao::ui::app::Overlay;
use dubao::ui::{Action, App, Options, Pane};
use ui_support::{apply, long_cjk, para, render, screen_lines};

use Action::*;

fn story(title: &str, paras: usize) -> Article {
    Article {
        title_lines: [title.to_string()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect(),
        blocks: (0..paras).map(|k| para(&long_cjk(k + 3, 5))).collect(),
        ..Article::default()
    }
}

fn page(source: String, label: &str, articles: Vec<Article>) -> Page {
    Page {
        source,
        encoding: "UTF-8".into(),
        articles,
        furniture: vec![Furniture {
            kind: FurnitureKind::Label,
            text: label.into(),
        }],
        warnings: vec![],
    }
}

/// `paper`'s issue of `day`: page 1 要闻 (a head continued on page 2, a short item), page 2
/// 平城新闻 (a photo story, then the untitled continuation).
fn issue(paper: &str, day: &str) -> Issue {
    let id = format!("{paper}/{day}");
    let mut head = story(&format!("{paper}头条"), 5);
    head.continues_to = Some(2);
    let mut rest = story("", 2);
    rest.continues_from = Some(1);
    Issue {
        id: id.clone(),
        name: day.into(),
        publication: Some(paper.into()),
        date: dubao::library::date_in_name(day),
        pages: vec![
            page(format!("{id}/01.txt"), "要闻", vec![head, story("短讯", 2)]),
            page(
                format!("{id}/02.txt"),
                "平城新闻",
                vec![story("图片新闻", 2), rest],
            ),
        ],
        errors: vec![],
    }
}

fn app_in(dir: &std::path::Path) -> App {
    let issues = vec![
        issue("大同日报", "2026-11-28"),
        issue("大同日报", "2026-11-27"),
        issue("大同日报", "2026-11-25"),
        issue("晚报", "2026-11-28"),
        issue("晚报", "2026-11-26"),
    ];
    let mut app = App::with_issues(issues, Store::open(dir).0, Options::default());
    app.library = Some("/papers".into());
    app.today = dubao::library::date_in_name("2026-12-01").unwrap();
    app.update(Resize {
        width: 100,
        height: 20,
    });
    app.start();
    app
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn typed(s: &str) -> Vec<Action> {
    s.chars().map(EditInsert).collect()
}

fn screen(app: &App) -> String {
    screen_lines(&render(app)).join("\n")
}

fn status(app: &App) -> String {
    screen_lines(&render(app)).pop().unwrap_or_default()
}

#[test]
fn the_date_prompt_takes_every_form_and_goes_there() {
    let dir = tempfile::tempdir().unwrap();
    for form in [
        "2026-11-27",
        "20261127",
        "11-27",
        "27",
        "2026年11月27日",
        "11月27日",
        "-1",
    ] {
        let mut app = app_in(dir.path());
        app.update(GotoDate);
        assert!(app.editing(), "the prompt has the keyboard");
        apply(&mut app, &typed(form));
        app.update(EditConfirm);
        assert_eq!(app.current, Some(1), "{form}");
        assert_eq!(app.overlay, None, "{form}: a jump closes the prompt");
        assert_eq!(message(&app), "大同日报 · 2026-11-27 周五", "{form}");
    }
}

#[test]
fn the_date_prompt_on_screen_then_nearest_earlier_bad_input_and_esc() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    app.update(GotoDate);
    apply(&mut app, &typed("11-2x"));
    app.update(EditBackspace);
    app.update(EditInsert('6'));
    insta::assert_snapshot!("date_prompt", screen(&app));
    // No 大同日报 on the 26th: the 25th, and it says so.
    app.update(EditConfirm);
    assert_eq!(app.current, Some(2));
    assert_eq!(
        message(&app),
        "no issue on 2026-11-26; the nearest before: 大同日报 · 2026-11-25 周三"
    );
    // Bad input: the prompt stays, with the reason, and nothing moves.
    app.update(GotoDate);
    apply(&mut app, &typed("昨天"));
    app.update(EditConfirm);
    assert_eq!(app.current, Some(2));
    assert!(matches!(app.overlay, Some(Overlay::GotoDate(_))));
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    insta::assert_snapshot!("date_prompt_refused", status(&app));
    // Esc (the editor's cancel) closes it where it was.
    app.update(EditCancel);
    assert_eq!((app.overlay.clone(), app.current), (None, Some(2)));
}

#[test]
fn the_issue_list_has_a_header_per_paper_and_a_by_date_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    app.update(FocusLeft);
    app.update(FocusLeft);
    assert_eq!(app.focus, Pane::Issues);
    insta::assert_snapshot!("issues_by_paper", screen(&app));
    // The cursor skips the 晚报 header.
    apply(&mut app, &[LineDown, LineDown, LineDown]);
    assert_eq!(app.issue_sel, 3);
    app.update(ToggleByDate);
    assert!(app.by_date);
    insta::assert_snapshot!("issues_by_date", screen(&app));
    // By date, the 28th of both papers are neighbours.
    app.update(Top);
    assert_eq!(app.issue_sel, 0);
    app.update(LineDown);
    assert_eq!(app.issue_sel, 3);
    app.update(LineDown);
    assert_eq!(app.issue_sel, 1);
    app.update(Open);
    assert_eq!(app.current, Some(1));
    app.update(ToggleByDate);
    assert!(!app.by_date);
    assert_eq!(app.issue_sel, 1, "the cursor keeps its issue");
}

#[test]
fn one_paper_has_no_header() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::with_issues(
        vec![issue("晚报", "2026-11-28"), issue("晚报", "2026-11-26")],
        Store::open(dir.path()).0,
        Options::default(),
    );
    app.update(Resize {
        width: 100,
        height: 20,
    });
    app.start();
    let lines = screen_lines(&render(&app));
    assert!(lines[1].contains("2026-11-28"), "{lines:#?}");
    assert!(lines[2].contains("2026-11-26"), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("晚报 ─")), "{lines:#?}");
    app.update(ToggleByDate);
    assert!(!app.by_date);
}

#[test]
fn braces_switch_papers_and_the_status_line_names_paper_date_page_and_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert!(
        status(&app).contains("大同日报 · 2026-11-28 周六 · 第1版 · 1/4"),
        "{}",
        status(&app)
    );
    app.update(NextPublication);
    assert_eq!(app.current, Some(3));
    assert!(status(&app).contains("晚报 · 2026-11-28 周六 · 第1版 · 1/4"));
    assert!(status(&app).contains("大同日报 → 晚报"));
    app.update(PrevPublication);
    assert_eq!(app.current, Some(0));
    app.update(FollowContinuation);
    assert!(
        status(&app).contains("大同日报 · 2026-11-28 周六 · 第2版 · 4/4"),
        "{}",
        status(&app)
    );
}

#[test]
fn m_marks_the_issue_and_u_finds_the_next_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(app.update(MarkIssueRead), Some(dubao::ui::Effect::Save));
    assert_eq!(app.unread_count(0), Some(0));
    assert!(message(&app).ends_with("4 articles marked read"));
    app.update(NextUnread);
    assert_eq!((app.current, app.open), (Some(1), Some(0)));
    assert_eq!(message(&app), "next unread: 大同日报 · 2026-11-27 周五");
    // The list's cursor marks the issue under it.
    apply(&mut app, &[FocusLeft, FocusLeft, Top, MarkIssueUnread]);
    assert_eq!(app.unread_count(0), Some(4));
    let lines = screen_lines(&render(&app));
    let row = lines[2].split('│').next().unwrap_or("");
    assert!(
        row.contains("2026-11-28") && row.trim_end().ends_with('4'),
        "the count is back: {lines:#?}"
    );
}

#[test]
fn c_and_enter_follow_a_story_across_pages_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    assert_eq!(app.open, Some(0));
    app.update(FollowContinuation);
    assert_eq!(app.open, Some(3));
    assert_eq!(message(&app), "continued on 第2版");
    // The article pane's title names the piece after its head, as the list does.
    app.update(Resize {
        width: 160,
        height: 20,
    });
    let top = screen_lines(&render(&app)).remove(0);
    assert!(top.contains("4/4 · （续）大同日报头条"), "{top}");
    app.update(FollowContinuation);
    assert_eq!(app.open, Some(0));
    assert_eq!(message(&app), "back to the head of the story on 第1版");
    // Enter in the body with the story's end on screen follows it too.
    apply(&mut app, &[FocusRight, FocusRight, Bottom]);
    assert_eq!(app.focus, Pane::Body);
    app.update(Open);
    assert_eq!(app.open, Some(3));
    // The continued piece is titled after its head in the headline list.
    assert!(screen(&app).contains("（续）大同日报头条"));
    app.update(Bottom);
    app.update(Open);
    assert_eq!(app.open, Some(0));
}

#[test]
fn p_lists_the_pages_and_enter_opens_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(dir.path());
    app.update(ShowPages);
    assert!(matches!(app.overlay, Some(Overlay::Pages { sel: 0 })));
    insta::assert_snapshot!("pages", screen(&app));
    apply(&mut app, &[LineDown, Open]);
    assert_eq!(app.overlay, None);
    assert_eq!((app.open, app.focus), (Some(2), Pane::Body));
    assert_eq!(message(&app), "第2版");
    app.update(ShowPages);
    assert!(matches!(app.overlay, Some(Overlay::Pages { sel: 1 })));
    app.update(Back);
    assert_eq!(app.overlay, None);
    // q closes the list like help and the bookmark list; it does not quit the reader.
    app.update(ShowPages);
    assert_eq!(app.update(Quit), None);
    assert_eq!(app.overlay, None);
}

#[test]
fn the_new_keys_are_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let rows = app.keymap.help_rows();
    for (key, what) in [
        (":", "go to a date"),
        ("}", "next paper"),
        ("{", "previous paper"),
        ("u", "next unread"),
        ("m", "mark the issue read"),
        ("M", "mark the issue unread"),
        ("c", "continuation"),
        ("P", "pages"),
        ("D", "by date"),
    ] {
        assert!(
            rows.iter().any(|(k, d)| k == key && d.contains(what)),
            "{key}: {rows:?}"
        );
    }
}

#[test]
fn page_numbers_come_from_file_names_but_never_from_their_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = issue("晚报", "2026-11-28");
    let names = [
        "2026-11-28.txt",
        "20261128_02.txt",
        "2026-11-28-03.txt",
        "第4版.txt",
        "A05.md",
        "2026年11月28日.txt",
    ];
    one.pages = names
        .iter()
        .map(|n| page(format!("晚报/2026-11-28/{n}"), "", vec![story("短讯", 1)]))
        .collect();
    let mut app = App::with_issues(vec![one], Store::open(dir.path()).0, Options::default());
    app.start();
    let numbers: Vec<u32> = (0..names.len()).map(|p| app.page_number(p)).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
}
