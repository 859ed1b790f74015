//! The search cache kept up to date cheaply, and scanned on several threads without losing
//! the newest-first order: a new issue is committed by the quick round before every page is
//! checked, a commit appends to the manifest log instead of rewriting it, a torn commit is
//! ignored, issues parsed in parallel are still written newest first, and hits from many runs
//! arrive in order, stop when asked and cancel.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod search_support;

use std::sync::Arc;

use dubao::search::{
    BuildOptions, CancelToken, Flow, Progress, Query, SearchBackend, Searcher, SharedJournal, build,
};
use search_support::{Lib, article, drain};

/// Ten issues, each built by its own pass (so each is its own run in the scan), five
/// articles with 雪 in each.
fn built_day_by_day() -> Lib {
    search_support::snowy_days(5, true, |day, k| format!("{day}日第{k}篇"))
}

#[test]
fn hits_from_many_runs_arrive_newest_first_and_stop_when_asked() {
    let lib = built_day_by_day();
    let titles = lib.titles("雪");
    let expected: Vec<String> = (1..=10)
        .rev()
        .flat_map(|day| (0..5).map(move |k| format!("2026-11-{day:02} {day}日第{k}篇")))
        .collect();
    assert_eq!(titles, expected);
    let query = Query::parse("雪", &lib.folder).unwrap();
    let count = lib.scan().count(&query, &CancelToken::default()).unwrap();
    assert_eq!((count.articles, count.hits), (50, 50));
    // A sink that has enough after 7 gets the first 7, and the summary says 7.
    let mut seen = Vec::new();
    let summary = lib
        .scan()
        .search(&query, &CancelToken::default(), &mut |h| {
            seen.push(h.title);
            if seen.len() == 7 {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
        .unwrap();
    assert_eq!(summary.articles, 7);
    assert_eq!(seen.len(), 7);
    assert_eq!(seen[6], "9日第1篇");
}

#[test]
fn a_new_query_cancels_a_search_over_many_runs() {
    let lib = built_day_by_day();
    let mut searcher = Searcher::with_capacity(Arc::new(lib.scan()), 4);
    // Nobody reads the first search's hits, so it waits (50 > 4) until it is cancelled.
    let first = searcher.start(Query::parse("雪", &lib.folder).unwrap());
    let second = searcher.start(Query::parse("篇 date:2026-11-03", &lib.folder).unwrap());
    assert_eq!(drain(second), (5, false));
    let (hits, cancelled) = drain(first);
    assert!(cancelled);
    assert!(hits < 50, "{hits}");
}

#[test]
fn a_new_issue_is_searchable_after_the_quick_round_before_pages_are_checked() {
    let lib = Lib::new();
    let old = lib.page("日报/2026-11-27/01.txt", article("旧题", &["原来的文字。"]));
    lib.page("日报/2026-11-26/01.txt", article("前日", &["别的文字。"]));
    lib.build();
    // A page rewritten in place (its folder does not change) and a new issue.
    std::fs::write(&old, article("新题", &["改过的文字。"])).unwrap();
    lib.page("日报/2026-11-28/01.txt", article("次日", &["新的一期。"]));
    let scan = lib.scan();
    let index = dubao::library::scan(&[lib.root.path().join("lib")]);
    let mut reports = Vec::new();
    let last = build::build(
        &lib.dir(),
        &index.issues,
        &lib.folder,
        &Default::default(),
        &CancelToken::default(),
        &mut |p| {
            scan.refresh().unwrap();
            let found = |q: &str| {
                let query = Query::parse(q, &lib.folder).unwrap();
                scan.count(&query, &CancelToken::default())
                    .unwrap()
                    .articles
            };
            reports.push((p.to_read, p.read, found("新的一期"), found("改过")));
        },
    )
    .unwrap();
    // First the new issue alone, then the rewritten page found by the full round.
    assert_eq!(reports[0], (1, 1, 1, 0));
    assert_eq!(reports.last(), Some(&(2, 2, 1, 1)));
    assert_eq!((last.issues, last.cached), (3, 3));
}

#[test]
fn one_new_issue_appends_a_commit_to_the_manifest_log() {
    let lib = built_day_by_day();
    let log = lib.dir().join("manifest.log");
    let before = std::fs::read_to_string(&log).unwrap();
    let scan = lib.scan();
    lib.page("日报/2026-11-11/01.txt", article("十一日", &["又下雪了。"]));
    assert_eq!(lib.build().to_read, 1);
    let after = std::fs::read_to_string(&log).unwrap();
    assert!(after.starts_with(&before), "the log was rewritten");
    let added = &after[before.len()..];
    assert_eq!(added.lines().count(), 2, "{added}"); // the issue, the commit
    assert!(added.lines().last().unwrap().starts_with("{\"commit\""));
    // A scan opened before takes the commit in on refresh.
    scan.refresh().unwrap();
    assert_eq!(scan.coverage().issues, 11);
}

#[test]
fn a_torn_commit_is_ignored_then_cut_off() {
    let lib = built_day_by_day();
    let log = lib.dir().join("manifest.log");
    let good = std::fs::read_to_string(&log).unwrap();
    // A writer that died mid-commit: an issue line without its commit, and half a line.
    let mut torn = good.clone();
    torn.push_str("{\"drop\":\"日报/2026-11-10\"}\n{\"put\":{\"id\":\"x");
    std::fs::write(&log, &torn).unwrap();
    assert_eq!(lib.search("雪").len(), 50);
    lib.page("日报/2026-11-11/01.txt", article("十一日", &["又下雪了。"]));
    assert_eq!(lib.build().to_read, 1);
    let after = std::fs::read_to_string(&log).unwrap();
    assert!(after.starts_with(&good));
    assert!(!after.contains("{\"drop\""));
    assert_eq!(lib.search("雪").len(), 51);
}

#[test]
fn issues_parsed_in_parallel_are_written_newest_first() {
    let lib = Lib::new();
    for day in 1..=30 {
        for p in 1..=3 {
            let body = "雪".repeat(day * 10 + p);
            lib.page(
                &format!("日报/2026-11-{day:02}/{p:02}.txt"),
                article(&format!("{day}日{p}版"), &[&body]),
            );
        }
    }
    assert_eq!(lib.build().read, 30);
    let log = std::fs::read_to_string(lib.dir().join("manifest.log")).unwrap();
    let puts: Vec<(String, u64)> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let r = v.get("put")?;
            Some((r["date"].as_str()?.to_string(), r["text"][0].as_u64()?))
        })
        .collect();
    assert_eq!(puts.len(), 30);
    for pair in puts.windows(2) {
        assert!(pair[0].0 > pair[1].0 && pair[0].1 < pair[1].1, "{pair:?}");
    }
    let titles = lib.titles("雪");
    assert_eq!(titles.len(), 90);
    assert_eq!(titles[0], "2026-11-30 30日1版");
    assert_eq!(titles[89], "2026-11-01 1日3版");
}

/// A pass that shares `journal` (as a reader's builder shares its scan's).
fn build_sharing(lib: &Lib, journal: &SharedJournal) -> Progress {
    let index = dubao::library::scan(&[lib.root.path().join("lib")]);
    build::build(
        &lib.dir(),
        &index.issues,
        &lib.folder,
        &BuildOptions {
            journal: journal.clone(),
            ..BuildOptions::default()
        },
        &CancelToken::default(),
        &mut |_| {},
    )
    .expect("build")
}

#[test]
fn a_pass_with_nothing_to_read_never_holds_the_manifest() {
    let lib = built_day_by_day();
    let journal = SharedJournal::default();
    let progress = build_sharing(&lib, &journal);
    assert_eq!(
        (progress.to_read, progress.cached, progress.issues),
        (0, 10, 10)
    );
    assert!(!journal.is_loaded(), "the records were loaded for nothing");
    // A new issue is committed by appending to the log: still no record held.
    lib.page("日报/2026-11-11/01.txt", article("十一日", &["又下雪了。"]));
    assert_eq!(build_sharing(&lib, &journal).to_read, 1);
    assert!(journal.is_loaded() && !journal.holds_records());
    assert_eq!(lib.search("雪").len(), 51);
}

#[test]
fn a_scan_sharing_the_builders_thin_journal_reads_the_records_at_its_first_search() {
    let lib = built_day_by_day();
    // As the reader does: the builder works on the scan's journal.
    let scan = lib.scan();
    lib.page("日报/2026-11-11/01.txt", article("十一日", &["又下雪了。"]));
    assert_eq!(build_sharing(&lib, &scan.journal()).to_read, 1);
    assert!(!scan.journal().holds_records());
    let query = Query::parse("雪", &lib.folder).unwrap();
    assert_eq!(
        scan.count(&query, &CancelToken::default())
            .unwrap()
            .articles,
        51
    );
    assert!(scan.journal().holds_records());
    // And one more issue after that: the scan's refresh takes its commit in.
    lib.page("日报/2026-11-12/01.txt", article("十二日", &["雪停了。"]));
    assert_eq!(build_sharing(&lib, &scan.journal()).to_read, 1);
    scan.refresh().unwrap();
    assert_eq!(
        scan.count(&query, &CancelToken::default())
            .unwrap()
            .articles,
        52
    );
}

#[test]
fn a_log_grown_past_its_live_issues_is_rewritten_from_a_thin_journal_too() {
    let lib = built_day_by_day();
    let log = lib.dir().join("manifest.log");
    // Day after day, one page changed and read again: each pass appends a put and a commit.
    let page = lib.root.path().join("lib/日报/2026-11-05/01.txt");
    let mut rewritten = None;
    for n in 0..600 {
        let before = std::fs::read_to_string(&log).unwrap();
        std::fs::write(&page, article(&format!("五日第{n}版"), &["又下雪了。"])).unwrap();
        let journal = SharedJournal::default();
        assert_eq!(build_sharing(&lib, &journal).to_read, 1, "pass {n}");
        let after = std::fs::read_to_string(&log).unwrap();
        if !after.starts_with(&before) {
            // Rewritten whole: one line per live issue, a header and a commit.
            assert_eq!(after.lines().count(), 12, "pass {n}");
            assert!(journal.holds_records());
            rewritten = Some(n);
            break;
        }
        assert!(!journal.holds_records(), "pass {n}");
    }
    let n = rewritten.expect("the log was never rewritten");
    assert_eq!(lib.search("雪").len(), 46);
    assert_eq!(lib.titles("五日"), [format!("2026-11-05 五日第{n}版")]);
}

#[test]
fn an_issue_gone_from_the_library_is_dropped_from_the_cache() {
    let lib = built_day_by_day();
    std::fs::remove_dir_all(lib.root.path().join("lib/日报/2026-11-03")).unwrap();
    let journal = SharedJournal::default();
    let progress = build_sharing(&lib, &journal);
    assert_eq!((progress.to_read, progress.issues), (0, 9));
    let log = std::fs::read_to_string(lib.dir().join("manifest.log")).unwrap();
    assert!(log.contains("{\"drop\":\"日报/2026-11-03\"}"), "{log}");
    assert_eq!(lib.search("雪").len(), 45);
    assert!(!lib.titles("雪").iter().any(|t| t.starts_with("2026-11-03")));
    // Dropped once: the next pass has nothing to do and loads nothing.
    let again = SharedJournal::default();
    build_sharing(&lib, &again);
    assert!(!again.is_loaded());
}

#[test]
fn dead_bytes_left_by_an_earlier_pass_are_compacted_by_a_pass_that_reads_nothing() {
    let lib = built_day_by_day();
    // What a pass cancelled before its compaction leaves: segment bytes no record names.
    let seg = lib.dir().join("seg-000001.txt");
    let live = std::fs::metadata(&seg).unwrap().len();
    let mut f = std::fs::OpenOptions::new().append(true).open(&seg).unwrap();
    std::io::Write::write_all(&mut f, &vec![0u8; 2 << 20]).unwrap();
    drop(f);
    assert_eq!(lib.build().to_read, 0);
    let total: u64 = std::fs::read_dir(lib.dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".txt"))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    assert_eq!(total, live, "the dead bytes are still there");
    assert_eq!(lib.search("雪").len(), 50);
}

#[test]
fn a_scan_reads_its_manifest_at_the_first_search_not_when_opened() {
    let lib = built_day_by_day();
    let scan = lib.scan();
    assert!(!scan.journal().is_loaded());
    assert_eq!(scan.coverage_if_read(), None);
    let query = Query::parse("雪", &lib.folder).unwrap();
    let summary = scan.count(&query, &CancelToken::default()).unwrap();
    assert_eq!(summary.articles, 50);
    assert!(scan.journal().is_loaded());
    assert_eq!(scan.coverage_if_read().map(|c| c.issues), Some(10));
}
