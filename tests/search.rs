//! Archive-wide search end to end on small libraries written to a temp folder: what is found
//! (column breaks, GB18030 and UTF-16 pages, full-width and traditional forms), where the hit
//! is (`TextPos`), in what order, with which filters, and how the cache copes with changed
//! pages and damage.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod search_support;

use dubao::model::TextPos;
use dubao::search::{Field, Query};
use search_support::{Lib, article};

fn gb18030(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[test]
fn a_word_cut_by_a_column_break_is_found_at_its_position() {
    let lib = Lib::new();
    lib.page(
        "日报/2026-11-28/01.txt",
        "## 园林部门排查危树\n\n为防止树木倾倒。\n\n同时，加大对主次干\n\n道、管护公园等路段的巡查力度。\n",
    );
    lib.build();
    let hits = lib.search("主次干道");
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h.title, "园林部门排查危树");
    assert_eq!(h.positions.len(), 1);
    assert_eq!(h.positions[0].field, Field::Body);
    assert_eq!(
        h.positions[0].pos,
        TextPos {
            block: 1,
            offset: 6
        }
    );
    assert_eq!(h.positions[0].len, 4);
    assert_eq!(
        h.open_at(),
        TextPos {
            block: 1,
            offset: 6
        }
    );
    assert_eq!(
        h.snippet.text,
        "同时，加大对主次干道、管护公园等路段的巡查力度。"
    );
    assert_eq!(h.snippet.hit, [6, 10]);
}

#[test]
fn gb18030_and_utf16_pages_are_found() {
    let lib = Lib::new();
    lib.page(
        "日报/2026-11-27/01.txt",
        gb18030(&article("旧报新读", &["档案里的雪景。"])),
    );
    lib.page(
        "日报/2026-11-28/01.txt",
        utf16le(&article("冬日", &["今年第一场雪来了。"])),
    );
    lib.page("日报/2026-11-28/02.txt", article("无关", &["今天晴。"]));
    lib.build();
    assert_eq!(lib.titles("雪"), ["2026-11-28 冬日", "2026-11-27 旧报新读"]);
}

#[test]
fn full_width_case_and_traditional_forms_are_found_as_printed() {
    let lib = Lib::new();
    lib.page(
        "日报/2026-11-28/01.txt",
        article("國際新聞", &["ＣＯＶＩＤ－１９疫情後，經濟發展。"]),
    );
    lib.build();
    let hits = lib.search("covid-19 经济发展");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "國際新聞");
    assert_eq!(hits[0].snippet.text, "ＣＯＶＩＤ－１９疫情後，經濟發展。");
    let pos: Vec<(usize, usize)> = hits[0]
        .positions
        .iter()
        .map(|p| (p.pos.offset, p.len))
        .collect();
    assert_eq!(pos, [(0, 8), (12, 4)]);
    assert_eq!(lib.titles("国际 in:title"), ["2026-11-28 國際新聞"]);
}

#[test]
fn results_are_newest_first_across_issues_and_in_page_order_within_one() {
    let lib = Lib::new();
    for (date, title) in [
        ("2024-01-02", "甲"),
        ("2026-05-01", "乙"),
        ("2025-12-31", "丙"),
    ] {
        lib.page(
            &format!("日报/{date}/01.txt"),
            article(title, &["消防安全检查。"]),
        );
    }
    lib.page("日报/2026-05-01/02.txt", article("丁", &["安全生产。"]));
    lib.build();
    assert_eq!(
        lib.titles("安全"),
        [
            "2026-05-01 乙",
            "2026-05-01 丁",
            "2025-12-31 丙",
            "2024-01-02 甲"
        ]
    );
}

fn filtered_library() -> Lib {
    let lib = Lib::new();
    lib.page(
        "日报/2021-05-03/01.txt",
        "## 安全生产月启动\n\n本报讯（记者 孙露）全市安全生产月活动今天启动。\n",
    );
    lib.page(
        "日报/2021-05-03/02.txt",
        article("校园安全", &["学校开展安全演练。"]),
    );
    lib.page(
        "晚报/2020-03-15/01.txt",
        article("食品检查", &["食品安全抽检合格。"]),
    );
    lib.page(
        "晚报/2020-07-01/01.txt",
        article("夏季防汛", &["防汛安全不松懈，隐患排查。"]),
    );
    lib.build();
    lib
}

#[test]
fn filters_narrow_the_results() {
    let lib = filtered_library();
    let t = |q: &str| lib.titles(q);
    assert_eq!(t("安全").len(), 4);
    assert_eq!(
        t("安全 date:2021"),
        ["2021-05-03 安全生产月启动", "2021-05-03 校园安全"]
    );
    assert_eq!(t("安全 date:2020-03..2020-06"), ["2020-03-15 食品检查"]);
    assert_eq!(t("安全 date:2020-07"), ["2020-07-01 夏季防汛"]);
    assert_eq!(t("安全 date:..2020-12-31").len(), 2);
    assert_eq!(t("安全 pub:晚报").len(), 2);
    assert_eq!(t("安全 page:2"), ["2021-05-03 校园安全"]);
    assert_eq!(
        t("安全 in:title"),
        ["2021-05-03 安全生产月启动", "2021-05-03 校园安全"]
    );
    assert_eq!(t("by:孙露"), ["2021-05-03 安全生产月启动"]);
    assert_eq!(t("安全 -隐患 -食品").len(), 2);
    assert_eq!(t("安全 隐患"), ["2020-07-01 夏季防汛"]);
    assert_eq!(t("\"安全 隐患\"").len(), 0);
    assert_eq!(t("防汛安全不"), ["2020-07-01 夏季防汛"]);
}

#[test]
fn counting_agrees_with_the_hits_reported() {
    use dubao::search::SearchBackend;
    let lib = filtered_library();
    for q in [
        "安全",
        "安全 page:2",
        "安全 in:title",
        "by:孙露",
        "安全 -隐患",
        "安全 date:2020",
    ] {
        let hits = lib.search(q);
        let query = Query::parse(q, &lib.folder).unwrap();
        let count = lib.scan().count(&query, &Default::default()).unwrap();
        let occurrences: usize = hits.iter().map(|h| h.positions.len()).sum();
        assert_eq!(
            (count.articles, count.hits),
            (hits.len(), occurrences),
            "{q}"
        );
    }
}

#[test]
fn a_changed_page_is_read_again_and_a_new_issue_added() {
    let lib = Lib::new();
    let page = lib.page("日报/2026-11-27/01.txt", article("旧题", &["原来的文字。"]));
    let first = lib.build();
    assert_eq!((first.to_read, first.cached), (1, 1));
    assert_eq!(lib.titles("原来").len(), 1);
    std::fs::write(&page, article("新题", &["改过以后的文字，更长一些。"])).unwrap();
    lib.page(
        "日报/2026-11-28/01.txt",
        article("次日", &["改过的第二天。"]),
    );
    let second = lib.build();
    assert_eq!((second.to_read, second.cached, second.issues), (2, 2, 2));
    assert!(lib.titles("原来").is_empty());
    assert_eq!(lib.titles("改过"), ["2026-11-28 次日", "2026-11-27 新题"]);
    // Nothing changed: nothing is read.
    assert_eq!(lib.build().to_read, 0);
}

#[test]
fn a_damaged_manifest_or_segment_is_rebuilt_not_fatal() {
    let lib = Lib::new();
    lib.page(
        "日报/2026-11-28/01.txt",
        article("冬日", &["今年第一场雪。"]),
    );
    lib.page("日报/2026-11-27/01.txt", article("前日", &["雪后初晴。"]));
    lib.build();
    std::fs::write(lib.dir().join("manifest.log"), b"{not json").unwrap();
    // A scan over a damaged cache finds nothing, and says nothing is covered.
    assert!(lib.search("雪").is_empty());
    assert_eq!(lib.build().to_read, 2);
    assert_eq!(lib.titles("雪").len(), 2);
    // A truncated segment: the issues whose bytes are gone are read again.
    let seg = lib.dir().join("seg-000001.txt");
    let len = std::fs::metadata(&seg).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&seg)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    assert!(lib.build().to_read >= 1);
    assert_eq!(lib.titles("雪").len(), 2);
    // Garbage in place of the records: the issue is reported damaged, not a failure.
    std::fs::write(lib.dir().join("seg-000001.idx"), vec![0xEE; 64]).unwrap();
    let query = Query::parse("雪", &lib.folder).unwrap();
    let summary =
        dubao::search::SearchBackend::search(&lib.scan(), &query, &Default::default(), &mut |_| {
            dubao::search::Flow::Continue
        })
        .unwrap();
    assert!(!summary.damaged.is_empty());
}

#[test]
fn an_old_format_or_fold_table_is_rebuilt() {
    let lib = Lib::new();
    lib.page(
        "日报/2026-11-28/01.txt",
        article("冬日", &["今年第一场雪。"]),
    );
    lib.build();
    let path = lib.dir().join("manifest.log");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("{\"format\":2,"));
    std::fs::write(&path, text.replacen("\"format\":2", "\"format\":1", 1)).unwrap();
    assert!(lib.search("雪").is_empty());
    assert_eq!(lib.build().to_read, 1);
    assert_eq!(lib.titles("雪").len(), 1);
}

fn many_articles() -> Lib {
    search_support::snowy_days(30, false, |_, k| format!("第{k}篇"))
}

#[test]
fn a_new_query_cancels_the_running_one() {
    use dubao::search::Searcher;
    let lib = many_articles();
    let mut searcher = Searcher::with_capacity(std::sync::Arc::new(lib.scan()), 8);
    // Nobody reads the first search's hits, so it cannot finish on its own (300 > 8).
    let first = searcher.start(Query::parse("雪", &lib.folder).unwrap());
    let second = searcher.start(Query::parse("篇 date:2026-11-10", &lib.folder).unwrap());
    assert_eq!(search_support::drain(second), (30, false));
    let (hits, cancelled) = search_support::drain(first);
    assert!(cancelled);
    assert!(hits <= 8, "{hits} hits");
}

#[test]
fn a_cancelled_scan_stops_at_the_next_article() {
    use dubao::search::{CancelToken, Flow, SearchBackend};
    let lib = many_articles();
    let token = CancelToken::default();
    let mut hits = 0;
    let summary = lib
        .scan()
        .search(
            &Query::parse("雪", &lib.folder).unwrap(),
            &token,
            &mut |_| {
                hits += 1;
                token.cancel();
                Flow::Continue
            },
        )
        .unwrap();
    assert_eq!(hits, 1);
    assert!(summary.cancelled);
    assert_eq!(summary.coverage.issues, 10);
}

#[test]
fn the_background_builder_reports_progress_and_ends_done() {
    let lib = many_articles();
    lib.page(
        "日报/2026-11-29/01.txt",
        article("新的一期", &["又下雪了。"]),
    );
    let index = dubao::library::scan(&[lib.root.path().join("lib")]);
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = dubao::search::build::spawn(
        lib.dir(),
        index.issues.into(),
        std::sync::Arc::clone(&lib.folder),
        Default::default(),
        move |p| {
            let _ = tx.send(p.clone());
        },
    );
    let last = handle.join().unwrap();
    let seen: Vec<_> = rx.iter().collect();
    assert_eq!(seen.last(), Some(&last));
    assert!(last.done);
    assert_eq!(
        (last.issues, last.cached, last.to_read, last.read),
        (11, 11, 1, 1)
    );
    assert_eq!(lib.titles("又下雪"), ["2026-11-29 新的一期"]);
}

#[test]
fn relevance_puts_headline_hits_first_then_density() {
    let lib = Lib::new();
    lib.page("日报/2026-11-28/01.txt", article("今日天气", &["雪。"]));
    lib.page(
        "日报/2026-11-27/01.txt",
        article("雪景", &["很长的一段文字，写了很多别的事情。"]),
    );
    lib.page(
        "日报/2026-11-26/01.txt",
        article("旧闻", &["一段很长很长的文字里只有一个雪字。"]),
    );
    lib.build();
    let mut hits = lib.search("雪");
    dubao::search::sort_by_relevance(&mut hits);
    let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["雪景", "今日天气", "旧闻"]);
}

/// Two issues, one of them ~2 MB long, cached: its page path and text, for a rewrite that
/// leaves the cache mostly dead bytes.
fn long_and_short() -> (Lib, std::path::PathBuf, String) {
    let lib = Lib::new();
    let long = "今年冬天的第一场雪来得比往年早一些。".repeat(40_000);
    let page = lib.page("日报/2026-11-27/01.txt", article("长文", &[&long]));
    lib.page("日报/2026-11-28/01.txt", article("冬日", &["雪后初晴。"]));
    lib.build();
    (lib, page, long)
}

#[test]
fn mostly_dead_segments_are_compacted_and_still_searched() {
    let (lib, page, long) = long_and_short();
    assert!(lib.dir().join("seg-000001.txt").exists());
    // The long page changes: its old 2 MB are dead, over 30 % of the segment.
    std::fs::write(&page, article("长文改", &[&long])).unwrap();
    assert_eq!(lib.build().to_read, 1);
    assert!(!lib.dir().join("seg-000001.txt").exists());
    assert!(lib.dir().join("seg-000002.txt").exists());
    assert_eq!(lib.titles("雪"), ["2026-11-28 冬日", "2026-11-27 长文改"]);
}

#[test]
fn a_builder_sharing_the_scans_journal_is_seen_by_it_even_when_the_cache_vanishes() {
    use dubao::search::SearchBackend;
    let lib = Lib::new();
    lib.page("日报/2026-11-28/01.txt", article("今日天气", &["下雪。"]));
    // The scan opens before any cache exists: its journal is empty.
    let scan = lib.scan();
    assert_eq!(scan.coverage().issues, 0);
    let opts = dubao::search::BuildOptions {
        journal: scan.journal(),
        ..Default::default()
    };
    let pass = |lib: &Lib| {
        let index = dubao::library::scan(&[lib.root.path().join("lib")]);
        dubao::search::build::build(
            &lib.dir(),
            &index.issues,
            &lib.folder,
            &opts,
            &dubao::search::CancelToken::default(),
            &mut |_| {},
        )
        .unwrap()
    };
    assert_eq!(pass(&lib).read, 1);
    scan.refresh().unwrap();
    assert_eq!(
        scan.coverage().issues,
        1,
        "the builder's journal is the scan's"
    );
    // Someone deletes the cache folder; the scan lets its journal go, the builder makes a
    // new cache and the scan sees it.
    std::fs::remove_dir_all(lib.dir()).unwrap();
    scan.refresh().unwrap();
    assert_eq!(scan.coverage().issues, 0);
    lib.page("日报/2026-11-29/01.txt", article("又一天", &["又下雪。"]));
    assert_eq!(pass(&lib).read, 2);
    scan.refresh().unwrap();
    assert_eq!(scan.coverage().issues, 2);
    let hits: Vec<String> = lib.titles("下雪");
    assert_eq!(hits, ["2026-11-29 又一天", "2026-11-28 今日天气"]);
}

#[test]
fn a_searcher_keeping_the_first_hits_counts_the_rest_without_building_them() {
    use dubao::search::{SearchEvent, Searcher};
    let lib = many_articles();
    let mut searcher = Searcher::new(std::sync::Arc::new(lib.scan())).keeping(25);
    let events: Vec<SearchEvent> = searcher
        .start(Query::parse("雪", &lib.folder).unwrap())
        .iter()
        .collect();
    let hits: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            SearchEvent::Hit(h) => Some(format!("{} {}", h.date.unwrap(), h.title)),
            _ => None,
        })
        .collect();
    // The newest 25 of 300, built and sent in order…
    assert_eq!(hits.len(), 25);
    assert_eq!(hits[0], "2026-11-10 第0篇");
    assert_eq!(hits[24], "2026-11-10 第24篇");
    // …and the end carries the whole count, not a cancelled partial one.
    match events.last() {
        Some(SearchEvent::Done(s)) => assert_eq!((s.articles, s.cancelled), (300, false)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn compaction_writes_past_a_segment_left_by_a_failed_commit() {
    let (lib, page, long) = long_and_short();
    // A commit that appended a new segment and then failed (disk full, a crash): the file
    // is there, the manifest does not know it, its number is the manifest's next one.
    std::fs::write(lib.dir().join("seg-000002.txt"), "残").unwrap();
    std::fs::write(lib.dir().join("seg-000002.idx"), "残").unwrap();
    std::fs::write(&page, article("长文改", &[&long])).unwrap();
    assert_eq!(lib.build().to_read, 1);
    // The compaction wrote a segment of its own, past the leftover, and kept it.
    assert!(lib.dir().join("seg-000003.txt").exists());
    assert_eq!(lib.titles("雪"), ["2026-11-28 冬日", "2026-11-27 长文改"]);
}
