//! Find in the article and archive search from the reader's side: `/` highlights and
//! `n`/`N` move between hits while the find is on, Esc hands `n` back to next-article;
//! `S` streams results from a real cache, Enter opens the hit with its paragraph at the top
//! and the hit highlighted, Esc comes back to the results, which stay until the next
//! search, and a newer query makes the older one's late events count for nothing. Render
//! snapshots mark highlighted cells below the screen. A session test drives the whole
//! thing through `Input::Search`, the background builder included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod search_support;
mod ui_support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use dubao::library::{self, LibraryIndex};
use dubao::model::TextPos;
use dubao::parse::ParseOptions;
use dubao::search::{CancelToken, Flow, Query, SearchBackend, SearchEvent};
use dubao::ui::keymap::Keymap;
use dubao::ui::view::theme::Theme;
use dubao::ui::{Action, App, Effect, Input, Options, Pane, Session, Setup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use search_support::Lib;
use ui_support::*;

use Action::*;

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .filter_map(|c| app.update(EditInsert(c)))
        .collect()
}

/// The screen, then the runs of highlighted cells (reversed: hits and bars; current: the
/// find's current hit), the status row left out. A hit inside a selected (reversed) bar is
/// the gap in that bar's run.
fn marked(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = screen_lines(t);
    out.push("--- highlighted ---".into());
    for y in 0..buf.area.height.saturating_sub(1) {
        for (name, m) in [
            ("reversed", Modifier::REVERSED),
            ("current", Modifier::REVERSED | Modifier::UNDERLINED),
        ] {
            let mut run = String::new();
            let mut x = 0;
            while x <= buf.area.width {
                // The second cell of a wide character belongs to the first.
                let tail = x > 0
                    && x < buf.area.width
                    && ratatui::buffer::CellWidth::cell_width(&buf[(x - 1, y)]) > 1;
                if tail {
                    x += 1;
                    continue;
                }
                let on = x < buf.area.width && buf[(x, y)].modifier.contains(m);
                if on {
                    run.push_str(buf[(x, y)].symbol());
                } else if !run.trim().is_empty() {
                    out.push(format!("row {y} {name}: {}", run.trim_end()));
                    run.clear();
                } else {
                    run.clear();
                }
                x += 1;
            }
        }
    }
    out.join("\n")
}

fn status(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

// --- find in the article -------------------------------------------------------------

/// The lead story of the fixture issue, open in the body.
fn reading(w: u16, h: u16) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), w, h);
    apply(&mut app, &[FocusRight, FocusRight]);
    assert_eq!(app.focus, Pane::Body);
    (dir, app)
}

#[test]
fn slash_finds_highlights_and_n_goes_to_the_next_hit_until_esc() {
    let (_d, mut app) = reading(100, 30);
    app.update(FindInArticle);
    assert!(app.editing(), "the prompt takes the keys");
    assert!(typed(&mut app, "人才").is_empty());
    app.update(EditConfirm);
    let find = app.active_find().expect("a find is on").clone();
    assert!(find.hits.len() > 3, "{}", find.hits.len());
    assert_eq!(
        find.current,
        Some(0),
        "the headline shows: its hit is the first"
    );
    // The status line says the rule.
    assert!(
        status(&app).contains("n/N next/previous hit"),
        "{}",
        status(&app)
    );
    assert!(
        status(&app).contains("Esc ends the find"),
        "{}",
        status(&app)
    );
    let open = app.open;
    app.update(NextArticle);
    assert_eq!(app.open, open, "n is the next hit while the find is on");
    assert_eq!(app.active_find().unwrap().current, Some(1));
    // Far into the article, n scrolls the hit into view.
    for _ in 0..find.hits.len() - 2 {
        app.update(NextArticle);
    }
    let last = find.hits.len() - 1;
    assert_eq!(app.active_find().unwrap().current, Some(last));
    let hit = find.hits[last];
    let line = app.body.layout.line_of(hit.pos);
    assert!(
        line >= app.body.top && line < app.body.top + app.body_height(),
        "hit line {line} on screen from {}",
        app.body.top
    );
    app.update(NextArticle);
    assert_eq!(app.active_find().unwrap().current, Some(0));
    assert!(status(&app).contains("wrapped"), "{}", status(&app));
    app.update(FindPrev);
    assert_eq!(
        app.active_find().unwrap().current,
        Some(last),
        "N goes back"
    );
    // Esc ends the find; n is next-article again.
    app.update(Back);
    assert!(app.active_find().is_none());
    assert!(
        status(&app).contains("n is next article again"),
        "{}",
        status(&app)
    );
    assert_eq!(app.focus, Pane::Body, "that Esc only ended the find");
    app.update(NextArticle);
    assert_eq!(app.open, open.map(|a| a + 1));
}

#[test]
fn a_find_ends_with_its_article_and_a_miss_says_so() {
    let (_d, mut app) = reading(100, 30);
    app.update(FindInArticle);
    typed(&mut app, "不存在的词");
    app.update(EditConfirm);
    assert!(app.active_find().is_none());
    assert!(
        status(&app).contains("is not in this article"),
        "{}",
        status(&app)
    );
    app.update(FindPrev);
    assert!(
        status(&app).contains("/ finds in the article"),
        "{}",
        status(&app)
    );
    app.update(FindInArticle);
    typed(&mut app, "人才");
    app.update(EditConfirm);
    assert!(app.active_find().is_some());
    app.update(Bottom);
    app.update(ReadOn);
    assert_eq!(app.open, Some(1), "Space at the end read on");
    assert!(
        app.active_find().is_none(),
        "opening another article ended it"
    );
    // Esc in the prompt leaves things as they were.
    app.update(FindInArticle);
    typed(&mut app, "人");
    app.update(EditCancel);
    assert!(!app.editing() && app.active_find().is_none());
}

#[test]
fn render_body_with_highlighted_hits() {
    let (_d, mut app) = reading(100, 30);
    app.update(FindInArticle);
    typed(&mut app, "人才");
    app.update(EditConfirm);
    app.update(NextArticle);
    app.update(NextArticle);
    insta::assert_snapshot!("find_body_100x30", marked(&render(&app)));
    let (_d, mut app) = reading(40, 12);
    app.update(FindInArticle);
    typed(&mut app, "人才");
    insta::assert_snapshot!("find_prompt_40x12", marked(&render(&app)));
}

// --- archive search --------------------------------------------------------------------

/// Three issues of one paper; the 28th's lead story names 莲花湖 in its fifth paragraph
/// of nine, far below the first screen.
fn library() -> Lib {
    let lib = Lib::new();
    let mut lead = String::from("# 平城区推进湖区治理\n\n");
    for k in 0..4 {
        lead.push_str(&format!("　　{}\n\n", long_cjk(k, 6)));
    }
    lead.push_str("　　今年春天，莲花湖周边新建了三处湿地公园，市民休闲有了好去处。\n\n");
    for k in 0..4 {
        lead.push_str(&format!("　　{}\n\n", long_cjk(k + 1, 6)));
    }
    lead.push_str("## 短讯一则\n\n　　短讯正文。\n");
    lib.page("平城日报/2026-11-28/01.txt", lead);
    lib.page(
        "平城日报/2026-11-27/01.txt",
        "# 莲花湖清淤工程完工\n\n　　经过三个月施工，莲花湖清淤工程日前完工。\n",
    );
    lib.page(
        "平城日报/2026-11-26/01.txt",
        "# 冬季供暖准备就绪\n\n　　全市供暖设施检修完毕。\n",
    );
    lib.build();
    lib
}

fn index(lib: &Lib) -> LibraryIndex {
    library::scan(&[lib.root.path().join("lib")])
}

/// Perform effects as the session would: load issues here, run searches on the cache
/// synchronously and feed their events back.
fn perform(app: &mut App, lib: &Lib, effect: Option<Effect>) {
    match effect {
        Some(Effect::LoadIssue(i)) => {
            let issue = library::load_issue(&app.entries[i], &ParseOptions::default());
            app.issue_loaded(i, issue);
        }
        Some(Effect::Search(generation, text)) => {
            let query = Query::parse(&text, &lib.folder).unwrap();
            app.search_started(generation, Some(lib.scan().coverage()), query.terms);
            for event in run_search(lib, &text) {
                app.search_event(generation, event);
            }
        }
        _ => {}
    }
}

/// Every event a search sends: hits newest first, then `Done`.
fn run_search(lib: &Lib, text: &str) -> Vec<SearchEvent> {
    let query = Query::parse(text, &lib.folder).unwrap();
    let mut events = Vec::new();
    let summary = lib
        .scan()
        .search(&query, &CancelToken::default(), &mut |h| {
            events.push(SearchEvent::Hit(Box::new(h)));
            Flow::Continue
        })
        .unwrap();
    events.push(SearchEvent::Done(summary));
    events
}

fn search_app(lib: &Lib, state: &std::path::Path, w: u16, h: u16) -> App {
    let mut app = App::new(
        index(lib),
        store(state),
        Keymap::default(),
        Options::default(),
    );
    app.update(Resize {
        width: w,
        height: h,
    });
    let e = app.start();
    perform(&mut app, lib, e);
    app.search_ready(std::sync::Arc::clone(&lib.folder));
    app
}

fn search(app: &mut App, lib: &Lib, query: &str) {
    let e = app.update(SearchArchive);
    perform(app, lib, e);
    for c in query.chars() {
        let e = app.update(EditInsert(c));
        perform(app, lib, e);
    }
}

#[test]
fn results_stream_in_and_enter_opens_the_hit_with_its_paragraph_at_the_top() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    search(&mut app, &lib, "莲花湖");
    let res = app.search.results.clone().expect("results");
    assert_eq!(res.found, 2);
    let dates: Vec<String> = res
        .hits
        .iter()
        .map(|h| h.date.unwrap().to_string())
        .collect();
    assert_eq!(dates, ["2026-11-28", "2026-11-27"], "newest first");
    app.update(EditConfirm);
    assert!(
        !app.editing() && app.search.shown,
        "Enter: from the line to the list"
    );
    let e = app.update(Open);
    perform(&mut app, &lib, e);
    assert!(!app.search.shown);
    assert_eq!(app.focus, Pane::Body);
    let hit = &res.hits[0];
    assert_eq!(app.open_id(), Some(&hit.article));
    let at = hit.open_at();
    assert_eq!(at.block, 4, "the fifth paragraph");
    let top = app.body.layout.lines[app.body.top].pos;
    assert_eq!(
        top,
        TextPos {
            block: 4,
            offset: 0
        },
        "its paragraph is at the top"
    );
    let find = app.active_find().expect("the hit is highlighted");
    assert_eq!(find.hits[find.current.unwrap()].pos, at);
    // Esc: back to the results, which are still there, still on the same row.
    app.update(Back);
    assert!(app.search.shown && app.active_find().is_none());
    assert_eq!(app.search.results.as_ref().unwrap().hits.len(), 2);
    app.update(LineDown);
    let e = app.update(Open);
    perform(&mut app, &lib, e);
    assert_eq!(app.open_id(), Some(&res.hits[1].article));
    // A title hit opens at the top.
    assert_eq!(app.body.top, 0);
    // Leaving the results with Esc and coming back with S: they stayed.
    app.update(Back);
    app.update(Back);
    assert!(!app.search.shown);
    app.update(SearchArchive);
    assert_eq!(app.search.prompt.as_ref().unwrap().edit.text, "莲花湖");
    assert_eq!(app.search.results.as_ref().unwrap().found, 2);
}

#[test]
fn a_new_keystroke_starts_a_new_search_and_the_old_one_counts_for_nothing() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    app.update(SearchArchive);
    let first = app.update(EditInsert('湖'));
    let Some(Effect::Search(g1, t1)) = first else {
        panic!("{first:?}")
    };
    assert_eq!(t1, "湖");
    let second = app.update(EditInsert('区'));
    let Some(Effect::Search(g2, t2)) = second else {
        panic!("{second:?}")
    };
    assert!(g2 > g1);
    assert_eq!(t2, "湖区");
    // The first search's events come late: they are not this search's.
    for event in run_search(&lib, "湖") {
        app.search_event(g1, event);
    }
    assert_eq!(app.search.results.as_ref().unwrap().found, 0);
    for event in run_search(&lib, "湖区") {
        app.search_event(g2, event);
    }
    assert_eq!(app.search.results.as_ref().unwrap().found, 1);
    let screen = screen_lines(&render(&app)).join("\n");
    assert!(
        screen.contains("1 article") && !screen.contains("1 articles"),
        "{screen}"
    );
    // Emptying the line cancels the running search.
    app.update(EditBackspace);
    assert_eq!(app.update(EditBackspace), Some(Effect::CancelSearch));
    assert!(app.search.results.is_none());
}

/// `query` searched in an app whose cache held only part of the library: of the events a
/// full search sends, the hits `kept` lets through, then `Done` counting them over as many
/// issues as their issues. The app, the search's generation, and every event of the full
/// search.
fn searched_partly(
    lib: &Lib,
    state: &std::path::Path,
    query: &str,
    kept: impl Fn(&SearchEvent) -> bool,
) -> (App, u64, Vec<SearchEvent>) {
    let mut app = search_app(lib, state, 100, 30);
    app.update(SearchArchive);
    let effects = typed(&mut app, query);
    let Some(Effect::Search(generation, _)) = effects.last().cloned() else {
        panic!("{effects:?}")
    };
    let all = run_search(lib, query);
    let mut issues = std::collections::BTreeSet::new();
    for e in all.iter().filter(|e| kept(e)) {
        if let SearchEvent::Hit(h) = e {
            issues.insert(h.issue.clone());
        }
        app.search_event(generation, e.clone());
    }
    let Some(SearchEvent::Done(mut partial)) = all.last().cloned() else {
        panic!("no Done")
    };
    partial.articles = all.iter().filter(|e| kept(e)).count();
    partial.coverage.issues = issues.len();
    app.search_event(generation, SearchEvent::Done(partial));
    (app, generation, all)
}

#[test]
fn a_search_made_while_the_cache_is_built_fills_in_as_it_grows() {
    use dubao::search::Progress;
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    // The cache held one issue when it ran (11-27: a hit that is not the newest, so its
    // place in the list changes when the rest comes).
    let in_issue =
        |e: &SearchEvent, day: &str| matches!(e, SearchEvent::Hit(h) if h.issue.ends_with(day));
    let (mut app, g1, all) =
        searched_partly(&lib, state.path(), "莲花湖", |e| in_issue(e, "11-27"));
    assert!(all.iter().any(|e| in_issue(e, "11-28")) && all.iter().any(|e| in_issue(e, "11-27")));
    let shown = |app: &App| {
        let r = app.search.results.as_ref().unwrap();
        (r.found, r.hits[r.sel].issue.clone(), r.done.is_some())
    };
    assert_eq!(shown(&app).0, 1);
    let progress = |cached, done| Progress {
        issues: 3,
        cached,
        done,
        ..Progress::default()
    };
    // Not yet: the cache has not doubled and is not done…
    app.search_progress(progress(2, false));
    assert_eq!(app.search_refresh_due(), None);
    // …now it is done: the same query again.
    app.search_progress(progress(3, true));
    let Some((g2, text)) = app.search_refresh_due() else {
        panic!("no refresh")
    };
    assert!(g2 > g1);
    assert_eq!(text, "莲花湖");
    // One at a time.
    assert_eq!(app.search_refresh_due(), None);
    // While it streams, the list shown stays as it was…
    for e in &all[..all.len() - 1] {
        app.search_event(g2, e.clone());
    }
    assert_eq!(shown(&app).0, 1);
    // …and when it ends it takes its place, the same hit selected.
    let before = shown(&app).1;
    app.search_event(g2, all.last().cloned().unwrap());
    let (found, selected, done) = shown(&app);
    assert_eq!(found, all.len() - 1);
    assert!(found > 1 && done);
    assert_eq!(selected, before);
    assert!(app.search.results.as_ref().unwrap().sel > 0);
    // Everything is covered now: nothing more to run.
    assert_eq!(app.search_refresh_due(), None);
    // Nor when the cache covers fewer issues than the build counted (one dropped as
    // damaged, say): once per step of the build, not again and again.
    let Some((g3, _)) = ({
        app.search_progress(progress(4, true));
        app.search_refresh_due()
    }) else {
        panic!("no refresh")
    };
    for e in all.iter().cloned() {
        app.search_event(g3, e);
    }
    assert!(app.search.refresh.is_none());
    assert_eq!(app.search_refresh_due(), None);
}

#[test]
fn the_order_chosen_while_a_refresh_runs_is_kept() {
    use dubao::search::Progress;
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let newest = |e: &SearchEvent| matches!(e, SearchEvent::Hit(h) if h.issue.ends_with("11-28"));
    let (mut app, _, all) = searched_partly(&lib, state.path(), "莲花湖", newest);
    app.search_progress(Progress {
        issues: 3,
        cached: 3,
        done: true,
        ..Progress::default()
    });
    let (g2, _) = app.search_refresh_due().expect("refresh");
    app.update(EditConfirm);
    app.update(SearchOrder);
    assert!(app.search.refresh.is_some());
    for e in all {
        app.search_event(g2, e);
    }
    let r = app.search.results.as_ref().unwrap();
    let titles: Vec<&str> = r.hits.iter().map(|h| h.title.as_str()).collect();
    assert!(r.relevance);
    assert_eq!(titles, ["莲花湖清淤工程完工", "平城区推进湖区治理"]);
    assert!(status(&app).contains("most relevant first"));
}

#[test]
fn a_new_query_drops_a_refresh_under_way() {
    use dubao::search::Progress;
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let (mut app, _, all) = searched_partly(&lib, state.path(), "莲花", |_| false);
    app.search_progress(Progress {
        issues: 3,
        cached: 1,
        ..Progress::default()
    });
    let (g2, _) = app.search_refresh_due().expect("refresh");
    let Some(Effect::Search(g3, t3)) = app.update(EditInsert('湖')) else {
        panic!("no search")
    };
    assert!(g3 > g2);
    assert_eq!(t3, "莲花湖");
    assert!(app.search.refresh.is_none());
    // The dropped refresh's events count for nothing.
    for e in all {
        app.search_event(g2, e);
    }
    let r = app.search.results.as_ref().unwrap();
    assert_eq!(
        (r.found, r.query.as_str(), r.done.is_some()),
        (0, "莲花湖", false)
    );
}

#[test]
fn r_orders_the_results_by_relevance_and_back() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    search(&mut app, &lib, "莲花湖");
    app.update(EditConfirm);
    let titles = |app: &App| -> Vec<String> {
        let r = app.search.results.as_ref().unwrap();
        r.hits.iter().map(|h| h.title.clone()).collect()
    };
    assert_eq!(titles(&app), ["平城区推进湖区治理", "莲花湖清淤工程完工"]);
    app.update(SearchOrder);
    assert_eq!(
        titles(&app),
        ["莲花湖清淤工程完工", "平城区推进湖区治理"],
        "the headline hit first"
    );
    assert!(status(&app).contains("most relevant first"));
    app.update(SearchOrder);
    assert_eq!(titles(&app), ["平城区推进湖区治理", "莲花湖清淤工程完工"]);
}

#[test]
fn the_list_keeps_the_first_hits_and_the_count_goes_on() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    app.update(SearchArchive);
    let Some(Effect::Search(g, _)) = app.update(EditInsert('湖')) else {
        panic!()
    };
    let SearchEvent::Hit(hit) = run_search(&lib, "湖").remove(0) else {
        panic!()
    };
    for _ in 0..dubao::ui::search::MAX_KEPT + 2 {
        app.search_event(g, SearchEvent::Hit(hit.clone()));
    }
    // The searcher stops building hits at what the list keeps and counts the rest: its
    // end carries the whole count.
    let mut events = run_search(&lib, "湖");
    let Some(SearchEvent::Done(mut summary)) = events.pop() else {
        panic!()
    };
    summary.articles = dubao::ui::search::MAX_KEPT + 3;
    app.search_event(g, SearchEvent::Done(summary));
    let res = app.search.results.as_ref().unwrap();
    assert_eq!(res.hits.len(), dubao::ui::search::MAX_KEPT);
    assert_eq!(res.found, dubao::ui::search::MAX_KEPT + 3);
    let screen = screen_lines(&render(&app)).join("\n");
    assert!(
        screen.contains("5003 articles (the newest 5000 listed)"),
        "{screen}"
    );
}

#[test]
fn a_bad_query_says_what_to_type() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 60, 20);
    let e = app.update(SearchArchive);
    assert_eq!(e, None);
    let e = typed(&mut app, "date:");
    let Some(Effect::Search(g, _)) = e.last().cloned() else {
        panic!()
    };
    app.search_failed(g, "date: needs a value".into());
    let screen = screen_lines(&render(&app)).join("\n");
    assert!(screen.contains("date: needs a value"), "{screen}");
}

#[test]
fn without_a_cache_s_says_why() {
    let (_d, mut app) = reading(100, 30);
    app.search_off("archive search needs a library folder");
    app.update(SearchArchive);
    assert!(!app.search.shown);
    assert!(status(&app).contains("needs a library folder"));
}

#[test]
fn render_results_at_40x12_and_100x30() {
    let lib = library();
    for (w, h) in [(40, 12), (100, 30)] {
        let state = tempfile::tempdir().unwrap();
        let mut app = search_app(&lib, state.path(), w, h);
        search(&mut app, &lib, "莲花湖");
        app.update(EditConfirm);
        insta::assert_snapshot!(format!("search_results_{w}x{h}"), marked(&render(&app)));
    }
    // Partly cached, still searching: the coverage is said.
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    app.update(SearchArchive);
    let e = app.update(EditInsert('湖'));
    let Some(Effect::Search(g, _)) = e else {
        panic!()
    };
    let mut coverage = lib.scan().coverage();
    coverage.issues = 2;
    app.search_started(g, Some(coverage), vec!["湖".into()]);
    let mut events = run_search(&lib, "湖");
    events.pop();
    app.search_event(g, events.remove(0));
    let screen = screen_lines(&render(&app)).join("\n");
    assert!(screen.contains("1 so far · searching…"), "{screen}");
    assert!(screen.contains("searched 2 of 3 issues"), "{screen}");
}

#[test]
fn render_an_opened_hit() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let mut app = search_app(&lib, state.path(), 100, 30);
    search(&mut app, &lib, "莲花湖");
    app.update(EditConfirm);
    let e = app.update(Open);
    perform(&mut app, &lib, e);
    insta::assert_snapshot!("search_opened_hit_100x30", marked(&render(&app)));
}

// --- the session: Input::Search, the builder, streaming ------------------------------

/// A session's setup for the test library, its state and search cache in these folders.
fn session_setup(lib: &Lib, state: &std::path::Path, cache: &std::path::Path) -> Setup {
    Setup {
        index: index(lib),
        state_dir: state.to_path_buf(),
        keymap: Keymap::default(),
        theme: Theme::new(true, &Default::default()).0,
        opts: Options::default(),
        amb: None,
        parse: ParseOptions::default(),
        library: None,
        local_terminal: false,
        warnings: Vec::new(),
        search_cache: Some(cache.join("search")),
    }
}

#[test]
fn search_starts_once_the_first_screen_is_out_or_at_a_key_before_it() {
    use dubao::ui::search::Backend;
    let lib = library();
    let cache = tempfile::tempdir().unwrap();
    let session = |keys: &str| {
        let state = tempfile::tempdir().unwrap();
        let setup = session_setup(&lib, state.path(), cache.path());
        let (tx, rx) = mpsc::channel();
        let mut s = Session::new(setup, Sink::default(), (100, 30), move || {
            let _ = tx.send(Input::Loaded);
        })
        .unwrap();
        s.start_search(|| {});
        let before = matches!(s.app().search.backend, Backend::Starting);
        // Probing: the terminal has not answered yet.
        s.start(true, Instant::now()).unwrap();
        for key in keys.chars() {
            let k = ratatui::crossterm::event::KeyEvent::from(
                ratatui::crossterm::event::KeyCode::Char(key),
            );
            s.handle(Input::Key(k), Instant::now()).unwrap();
        }
        let during = matches!(s.app().search.backend, Backend::Starting);
        (before, during, s, rx, state)
    };
    // Nothing typed: not while the probe waits…
    let (before, during, mut s, rx, _state) = session("");
    assert!(!before && !during);
    s.handle(Input::Timeout, Instant::now() + Duration::from_secs(5))
        .unwrap();
    // …nor while the issue shown at start is being parsed (its `Loaded` not taken yet)…
    assert!(s.app().current.is_none());
    assert!(!matches!(s.app().search.backend, Backend::Starting));
    while s.app().current.is_none() {
        let input = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the issue loads");
        s.handle(input, Instant::now()).unwrap();
    }
    // …then once every issue is counted (the counts parse the archive too; the cache
    // build's threads take over their memory instead of adding to it): by then every
    // issue has its article count.
    let counted = |s: &Session<Sink>| s.app().issues.iter().all(|i| i.articles.is_some());
    while !matches!(s.app().search.backend, Backend::Starting) {
        assert!(matches!(s.app().search.backend, Backend::Waiting));
        let input = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the counts finish and the search starts");
        s.handle(input, Instant::now()).unwrap();
    }
    assert!(counted(&s));
    // A key typed before the first screen starts it, so that key finds search.
    let (before, during, ..) = session("S");
    assert!(!before && during);
    // After the first screen, while the counts run: `S` asks for it, so the query typed
    // next finds it opening…
    let press = |s: &mut Session<Sink>, keys: &str| {
        for key in keys.chars() {
            let k = ratatui::crossterm::event::KeyEvent::from(
                ratatui::crossterm::event::KeyCode::Char(key),
            );
            s.handle(Input::Key(k), Instant::now()).unwrap();
        }
    };
    let after_first_screen = || {
        let (_, _, mut s, rx, state) = session("");
        s.handle(Input::Timeout, Instant::now() + Duration::from_secs(5))
            .unwrap();
        while s.app().current.is_none() {
            let input = rx.recv_timeout(Duration::from_secs(30)).expect("loads");
            s.handle(input, Instant::now()).unwrap();
        }
        assert!(matches!(s.app().search.backend, Backend::Waiting));
        (s, rx, state)
    };
    let (mut s, _rx, _state) = after_first_screen();
    press(&mut s, "S");
    assert!(matches!(s.app().search.backend, Backend::Starting));
    press(&mut s, "莲花");
    assert!(matches!(s.app().search.backend, Backend::Starting));
    // …and so does `/`: the find folds with the cache's table.
    let (mut s, _rx, _state) = after_first_screen();
    assert!(s.app().open.is_some());
    press(&mut s, "/");
    assert!(s.app().search.prompt.is_some());
    assert!(matches!(s.app().search.backend, Backend::Starting));
}

#[test]
fn a_session_builds_the_cache_in_the_background_and_streams_results() {
    let lib = library();
    let state = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let setup = session_setup(&lib, state.path(), cache.path());
    let sink = Sink::default();
    let (tx, rx) = mpsc::channel();
    let loaded = tx.clone();
    let mut s = Session::new(setup.clone(), sink.clone(), (100, 30), move || {
        let _ = loaded.send(Input::Loaded);
    })
    .unwrap();
    s.start_search(move || {
        let _ = tx.send(Input::Search);
    });
    s.start(false, Instant::now()).unwrap();
    let pump = |s: &mut Session<Sink>, until: &dyn Fn(&App) -> bool| {
        let end = Instant::now() + Duration::from_secs(60);
        while !until(s.app()) {
            let left = end.saturating_duration_since(Instant::now());
            let input = rx
                .recv_timeout(left)
                .expect("the session hears back in time");
            s.handle(input, Instant::now()).unwrap();
        }
    };
    pump(&mut s, &|a| a.current.is_some());
    // The builder reports progress and ends; the status line is free again.
    pump(&mut s, &|a| {
        a.search.progress.as_ref().is_some_and(|p| p.done)
    });
    assert_eq!(s.app().search.progress.as_ref().unwrap().cached, 3);
    for key in "S莲花".chars() {
        let k = ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Char(key),
        );
        s.handle(Input::Key(k), Instant::now()).unwrap();
    }
    pump(&mut s, &|a| {
        a.search
            .results
            .as_ref()
            .is_some_and(|r| r.query == "莲花" && r.done.is_some())
    });
    let res = s.app().search.results.as_ref().unwrap();
    assert_eq!(res.found, 2);
    assert_eq!(res.done.as_ref().unwrap().coverage.issues, 3);
    assert!(!res.done.as_ref().unwrap().cancelled);
    // Drawn: both results on the screen.
    let mut screen = vt100::Parser::new(30, 100, 0);
    screen.process(&sink.take());
    let text = screen.screen().contents();
    assert!(text.contains("莲花湖清淤工程完工"), "{text}");
    assert!(text.contains("2 articles"), "{text}");
    // The article counts are the library's: written beside its search cache, not in this
    // reader's state folder, so another reader of the library (an SSH session with a
    // state folder of its own) reads them instead of counting again.
    let dir = cache.path().join("search");
    let end = Instant::now() + Duration::from_secs(30);
    while dubao::library::read_cache(&dir).len() < 3 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(dubao::library::read_cache(&dir).len(), 3);
    assert!(dubao::library::read_cache(state.path()).is_empty());
}
