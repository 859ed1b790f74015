//! Library discovery and loading on temporary folder trees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dubao::library::{self, Loader, PageSource};
use dubao::parse::ParseOptions;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn page(title: &str) -> String {
    format!("# {title}\n\n　　本报讯 {title}的正文。\n")
}

fn ids(index: &library::LibraryIndex) -> Vec<&str> {
    index.issues.iter().map(|i| i.id.as_str()).collect()
}

/// The temporary folder's own name: the publication of issues given on their own inside it.
fn tmp_name(dir: &tempfile::TempDir) -> String {
    let real = fs::canonicalize(dir.path()).expect("canonical");
    real.file_name()
        .expect("named")
        .to_string_lossy()
        .into_owned()
}

fn date(i: &library::IssueEntry) -> String {
    i.date.map_or_else(|| "-".to_string(), |d| d.to_string())
}

#[test]
fn dates_from_each_naming_style_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lib = dir.path().join("lib");
    for name in [
        "2026-11-20",
        "20261121",
        "2026年11月22日",
        "2026_11_23",
        "2026.11.24",
        "报纸 2026年 11月 25日",
        "misc",
    ] {
        write(&lib, &format!("{name}/01.txt"), &page(name));
    }
    let index = library::scan(&[lib]);
    assert!(index.errors.is_empty(), "{:?}", index.errors);
    let dates: Vec<String> = index.issues.iter().map(date).collect();
    assert_eq!(
        dates,
        [
            "2026-11-25",
            "2026-11-24",
            "2026-11-23",
            "2026-11-22",
            "2026-11-21",
            "2026-11-20",
            "-"
        ]
    );
    // Publication + date, and what the name says besides them (an edition).
    assert_eq!(index.issues[0].id, "lib/2026-11-25~报纸");
    assert_eq!(index.issues[1].id, "lib/2026-11-24");
    assert_eq!(index.issues[6].name, "misc");
}

#[test]
fn pages_in_natural_order_with_library_relative_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("2026-11-28");
    for n in ["10", "2", "01", "3"] {
        write(&issue, &format!("{n}.txt"), &page(n));
    }
    write(&issue, "notes.jpg", "not a page");
    write(&issue, ".hidden.txt", "not a page");
    let index = library::scan(std::slice::from_ref(&issue));
    let t = tmp_name(&dir);
    assert_eq!(ids(&index), [format!("{t}/2026-11-28")]);
    let rels: Vec<&str> = index.issues[0]
        .pages
        .iter()
        .map(|p| p.rel.as_str())
        .collect();
    assert_eq!(
        rels,
        ["01.txt", "2.txt", "3.txt", "10.txt"].map(|n| format!("{t}/2026-11-28/{n}"))
    );
    assert_eq!(
        index.issues[0].pages[3].source,
        PageSource::File(issue.join("10.txt"))
    );
}

#[test]
fn grouped_by_publication_through_year_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("news");
    write(&root, "README.md", "about this archive");
    write(&root, "大同日报/2025/2025-12-31/01.txt", &page("a"));
    write(&root, "大同日报/2026/2026-01-02/01.txt", &page("b"));
    write(&root, "晚报/2026-01-01/01.md", &page("c"));
    write(&root, "晚报/2026/01/03/01.md", &page("d"));
    let index = library::scan(&[root]);
    let got: Vec<(Option<&str>, String)> = index
        .issues
        .iter()
        .map(|i| (i.publication.as_deref(), date(i)))
        .collect();
    assert_eq!(
        got,
        [
            (None, "-".to_string()),
            (Some("大同日报"), "2026-01-02".into()),
            (Some("大同日报"), "2025-12-31".into()),
            (Some("晚报"), "2026-01-03".into()),
            (Some("晚报"), "2026-01-01".into()),
        ]
    );
    assert_eq!(
        index.issues[0].id,
        format!("{}/news", tmp_name(&dir)),
        "a root with a stray page is an issue too"
    );
    assert_eq!(index.issues[1].id, "大同日报/2026-01-02");
    assert_eq!(index.issues[3].id, "晚报/2026-01-03");
    assert_eq!(index.issues[3].name, "2026-01-03");
    let mut publications: Vec<&str> = Vec::new();
    for p in index.issues.iter().filter_map(|i| i.publication.as_deref()) {
        if !publications.contains(&p) {
            publications.push(p);
        }
    }
    assert_eq!(publications, ["大同日报", "晚报"], "grouped, in order");
}

#[test]
fn lone_files_and_several_roots() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "b/第2版.txt", &page("x"));
    write(dir.path(), "2026-11-28/01.txt", &page("y"));
    write(dir.path(), "a/2026-11-27/01.txt", &page("z"));
    let paths: Vec<PathBuf> = ["b/第2版.txt", "2026-11-28/01.txt", "a", "missing"]
        .iter()
        .map(|p| dir.path().join(p))
        .collect();
    let index = library::scan(&paths);
    // A lone dated page is keyed as in its issue (its folder's folder is the paper); a lone
    // undated page is its folder's key and its name. Then the group of publication `a`.
    let t = tmp_name(&dir);
    assert_eq!(
        ids(&index),
        [
            format!("{t}/2026-11-28"),
            format!("{t}/b/第2版.txt"),
            "a/2026-11-27".into()
        ]
    );
    assert_eq!(
        index.issues[0].pages[0].rel,
        format!("{t}/2026-11-28/01.txt")
    );
    assert_eq!(date(&index.issues[0]), "2026-11-28");
    assert_eq!(index.issues[1].name, "第2版");
    assert_eq!(index.issues[2].publication.as_deref(), Some("a"));
    assert_eq!(index.errors.len(), 1);
    assert!(
        index.errors[0].path.ends_with("missing"),
        "{:?}",
        index.errors
    );
}

#[test]
fn undated_issues_keep_command_line_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "z.txt", &page("z"));
    write(dir.path(), "a.txt", &page("a"));
    let index = library::scan(&[dir.path().join("z.txt"), dir.path().join("a.txt")]);
    let t = tmp_name(&dir);
    let keys: Vec<String> = ids(&index)
        .iter()
        .map(|id| id.rsplit('/').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(keys, [format!("z.txt {t}"), format!("a.txt {t}")]);
}

#[test]
fn a_folder_of_dated_files_splits_by_date_and_ids_stay_unique() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Two folders of the same name under different parents.
    let (one, two) = (dir.path().join("a/flat"), dir.path().join("b/flat"));
    for flat in [&one, &two] {
        write(flat, "20261127_01.txt", &page("a"));
        write(flat, "20261127_02.txt", &page("b"));
        write(flat, "20261128_01.txt", &page("c"));
    }
    let index = library::scan(&[one.clone(), two]);
    assert_eq!(
        ids(&index),
        [
            "flat/2026-11-28",
            "flat/2026-11-28#2",
            "flat/2026-11-27",
            "flat/2026-11-27#2"
        ]
    );
    assert_eq!(index.issues[2].pages.len(), 2);
    // The same folder given twice is one folder: listed once, and said so.
    let index = library::scan(&[one.clone(), one]);
    assert_eq!(ids(&index), ["flat/2026-11-28", "flat/2026-11-27"]);
    assert_eq!(index.errors.len(), 1, "{:?}", index.errors);
    assert!(index.errors[0].message.contains("listed once"));
}

#[test]
fn bad_pages_are_marked_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("2026-11-28");
    write(&issue, "01.txt", &page("好"));
    fs::write(issue.join("02.txt"), [0xc3, 0x28, 0x00, 0xff, 0xfe, 0x00]).expect("write");
    write(&issue, "03.txt", &page("也好"));
    let index = library::scan(&[issue]);
    let entry = &index.issues[0];
    assert_eq!(entry.pages.len(), 3);
    fs::remove_file(dir.path().join("2026-11-28/03.txt")).expect("rm");
    let loaded = library::load_issue(entry, &ParseOptions::default());
    assert_eq!(loaded.pages.len(), 1);
    let sources: Vec<&str> = loaded.errors.iter().map(|e| e.source.as_str()).collect();
    let t = tmp_name(&dir);
    assert_eq!(
        sources,
        [
            format!("{t}/2026-11-28/02.txt"),
            format!("{t}/2026-11-28/03.txt")
        ]
    );
    assert!(loaded.errors.iter().all(|e| !e.message.is_empty()));
}

#[cfg(unix)]
#[test]
fn unreadable_folders_are_listed_as_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("lib");
    write(&root, "first/01.txt", &page("a"));
    write(&root, "second/01.txt", &page("b"));
    write(&root, "2026-11-28/01.txt", &page("c"));
    let locked = root.join("second");
    let locked_issue = root.join("2026-11-28");
    for path in [&locked, &locked_issue] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o000)).expect("chmod");
    }
    let as_root = fs::read_dir(&locked).is_ok();
    let index = library::scan(std::slice::from_ref(&root));
    let loaded = library::load_issue(&index.issues[0], &ParseOptions::default());
    for path in [&locked, &locked_issue] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod back");
    }
    if as_root {
        // Root ignores permissions: everything is simply read.
        assert_eq!(index.issues.len(), 3);
        assert!(loaded.errors.is_empty());
    } else {
        // The dated folder is listed by name; its error shows when it is loaded.
        assert_eq!(ids(&index), ["lib/2026-11-28", "lib/first"]);
        assert_eq!(index.errors.len(), 1, "{:?}", index.errors);
        assert!(index.errors[0].path.ends_with("second"));
        assert_eq!(loaded.pages.len(), 0);
        assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    }
}

#[test]
fn dated_folders_are_listed_on_load_with_pages_below_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("lib");
    write(&root, "2026-11-28/B/02.txt", &page("b2"));
    write(&root, "2026-11-28/A/10.txt", &page("a10"));
    write(&root, "2026-11-28/A/2.txt", &page("a2"));
    fs::create_dir_all(root.join("2026-11-27")).expect("an empty dated folder");
    let index = library::scan(std::slice::from_ref(&root));
    assert_eq!(ids(&index), ["lib/2026-11-28", "lib/2026-11-27"]);
    let (listed, errors) = library::list_pages(&index.issues[0]);
    assert!(errors.is_empty(), "{errors:?}");
    let rels: Vec<&str> = listed.pages.iter().map(|p| p.rel.as_str()).collect();
    assert_eq!(
        rels,
        [
            "lib/2026-11-28/A/2.txt",
            "lib/2026-11-28/A/10.txt",
            "lib/2026-11-28/B/02.txt"
        ]
    );
    let loaded = library::load_issue(&index.issues[0], &ParseOptions::default());
    assert_eq!(loaded.pages.len(), 3);
    assert_eq!(loaded.pages[0].source, "lib/2026-11-28/A/2.txt");
    let empty = library::load_issue(&index.issues[1], &ParseOptions::default());
    assert!(empty.pages.is_empty());
    assert_eq!(empty.errors.len(), 1);
    assert_eq!(empty.errors[0].source, "lib/2026-11-27");
    assert!(
        empty.errors[0].message.contains("no page files"),
        "{:?}",
        empty.errors
    );
    // Listing an entry that is already listed changes nothing.
    assert_eq!(library::list_pages(&listed).0, listed);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_cut_and_pages_listed_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("lib");
    // A dated issue (listed on load) with a link to itself and one to the library root.
    write(&root, "2026-11-28/01.txt", &page("a"));
    write(&root, "2026-11-28/02.txt", &page("b"));
    symlink(".", root.join("2026-11-28/again")).expect("symlink");
    symlink("..", root.join("2026-11-28/up")).expect("symlink");
    // Undated issues (listed by the scan) under a publication, one linking to its parent.
    write(&root, "news/front/01.txt", &page("c"));
    write(&root, "news/sport/01.txt", &page("d"));
    symlink("..", root.join("news/front/up")).expect("symlink");
    let index = library::scan(std::slice::from_ref(&root));
    // Undated issues are keyed from their publication folder down.
    assert_eq!(ids(&index), ["lib/2026-11-28", "news/front", "news/sport"]);
    assert_eq!(index.issues[1].pages.len(), 1);
    // `front/up` leads back to `news`, which the scan is inside of.
    assert_eq!(index.errors.len(), 1, "{:?}", index.errors);
    assert!(index.errors[0].path.ends_with("front/up"));
    assert!(index.errors[0].message.contains("loop"));

    let (listed, errors) = library::list_pages(&index.issues[0]);
    let rels: Vec<&str> = listed.pages.iter().map(|p| p.rel.as_str()).collect();
    // Through `up` the listing sees the library root once: the other issues' pages, and
    // not this issue again (`up/2026-11-28` and `again` are loops).
    assert_eq!(
        rels,
        [
            "lib/2026-11-28/01.txt",
            "lib/2026-11-28/02.txt",
            "lib/2026-11-28/up/news/front/01.txt",
            "lib/2026-11-28/up/news/sport/01.txt",
        ]
    );
    let looped: Vec<&str> = errors.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(looped.len(), 3, "{errors:?}");
    assert!(looped[0].ends_with("2026-11-28/again"), "{looped:?}");
    assert!(errors.iter().all(|e| e.message.contains("loop")));
}

/// A folder wide enough to be scanned on several threads (on a machine with more than one
/// core) cuts a loop the same way.
#[cfg(unix)]
#[test]
fn symlink_loops_are_cut_in_a_wide_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("lib");
    for n in 0..80 {
        write(&root, &format!("wide/issue{n}/01.txt"), &page("a"));
    }
    std::os::unix::fs::symlink("../..", root.join("wide/issue7/top")).expect("symlink");
    let index = library::scan(std::slice::from_ref(&root));
    assert_eq!(index.issues.len(), 80, "{:?}", ids(&index));
    assert_eq!(index.errors.len(), 1, "{:?}", index.errors);
    assert!(index.errors[0].path.ends_with("issue7/top"));
}

#[test]
fn scan_lists_names_only() {
    // A folder named like a page is not a page; pages are listed without being opened.
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("2026-11-28");
    fs::create_dir_all(issue.join("01.txt")).expect("a folder named like a page");
    write(&issue, "02.txt", &page("b"));
    let index = library::scan(&[issue]);
    assert_eq!(ids(&index), [format!("{}/2026-11-28", tmp_name(&dir))]);
    assert_eq!(index.issues[0].pages.len(), 1);
}

#[test]
fn bundled_samples_load() {
    let index = library::bundled();
    assert_eq!(index.issues.len(), 3);
    let issue = library::load_issue(&index.issues[0], &ParseOptions::default());
    assert_eq!(issue.id, "samples/2026-11-28");
    assert_eq!(issue.pages.len(), 2, "{:?}", issue.errors);
}

#[test]
fn loader_delivers_every_prefetch() {
    let index = library::bundled();
    let mut loader = Loader::new(ParseOptions::default());
    for entry in &index.issues {
        assert!(loader.prefetch(entry));
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        let issue = loader
            .recv_timeout(Duration::from_secs(10))
            .expect("the loader delivers");
        got.push(issue.id.clone());
    }
    got.sort();
    assert_eq!(
        got,
        [
            "samples/2026-11-26",
            "samples/2026-11-27",
            "samples/2026-11-28"
        ]
    );
    assert!(!loader.is_pending(&index.issues[2].id));
    assert!(loader.try_recv().is_none());
}

#[test]
fn loader_notifies_after_delivery() {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut loader = Loader::with_notify(ParseOptions::default(), move || {
        let _ = tx.send(());
    });
    let index = library::bundled();
    loader.request(&index.issues[1]);
    rx.recv_timeout(Duration::from_secs(10))
        .expect("notified after delivery");
    let issue = loader.try_recv().expect("delivered before the notice");
    assert_eq!(issue.id, "samples/2026-11-27");
    assert!(loader.try_recv().is_none());
}

#[test]
fn an_urgent_request_drops_queued_prefetches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("lib");
    for day in 1..=28 {
        write(
            &root,
            &format!("2026-02-{day:02}/01.txt"),
            &page("x").repeat(200),
        );
    }
    let index = library::scan(&[root]);
    let mut loader = Loader::new(ParseOptions::default());
    for entry in &index.issues[1..] {
        loader.prefetch(entry);
    }
    loader.request(&index.issues[0]);
    let mut seen = Vec::new();
    while index.issues.iter().any(|i| loader.is_pending(&i.id)) {
        let issue = loader
            .recv_timeout(Duration::from_secs(10))
            .expect("pending issues are delivered or dropped");
        seen.push(issue.id.clone());
    }
    assert!(
        seen.contains(&index.issues[0].id.to_string()),
        "the urgent issue arrives"
    );
}

/// The keys of every page reachable from `root`, issue by issue (listing deferred folders).
fn page_keys(root: &Path) -> Vec<(String, Vec<String>)> {
    let index = library::scan(&[root.to_path_buf()]);
    index
        .issues
        .iter()
        .map(|e| {
            let (listed, _) = library::list_pages(e);
            let pages = listed.pages.iter().map(|p| p.rel.to_string()).collect();
            (e.id.to_string(), pages)
        })
        .collect()
}

/// Issue 13: reading state is keyed by publication and date, so the library, a paper's
/// folder, one issue folder, a symlink to the paper and a page on its own all name the same
/// issue and page the same way — and so does the archive after it has moved.
#[test]
fn one_archive_has_the_same_keys_from_any_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let papers = dir.path().join("papers");
    write(&papers, "大同日报/2026/2026-11-28/01.txt", &page("a"));
    write(&papers, "大同日报/2026/2026-11-28/02.txt", &page("b"));
    write(&papers, "大同日报/2026/2026-11-27/01.txt", &page("c"));
    write(&papers, "大同日报/第0001期/01.txt", &page("d"));
    write(&papers, "晚报/2026-11-28/01.txt", &page("e"));
    let all = page_keys(&papers);
    let issue = |id: &str| all.iter().find(|(k, _)| k == id).cloned().expect(id);
    let day = issue("大同日报/2026-11-28");
    assert_eq!(
        day.1,
        ["大同日报/2026-11-28/01.txt", "大同日报/2026-11-28/02.txt"]
    );
    issue("晚报/2026-11-28");
    issue("大同日报/第0001期");
    // The paper's folder: the same issues, minus the other paper.
    let paper = page_keys(&papers.join("大同日报"));
    assert_eq!(paper.len(), 3);
    assert!(paper.iter().all(|k| all.contains(k)), "{paper:?}");
    // One issue folder, and one page of it.
    assert_eq!(
        page_keys(&papers.join("大同日报/2026/2026-11-28")),
        std::slice::from_ref(&day)
    );
    let one = library::scan(&[papers.join("大同日报/2026/2026-11-28/02.txt")]);
    assert_eq!(one.issues[0].id, "大同日报/2026-11-28");
    assert_eq!(one.issues[0].pages[0].rel, "大同日报/2026-11-28/02.txt");
    // Through a symlink with another name, and after moving the archive.
    #[cfg(unix)]
    {
        let link = dir.path().join("dt");
        std::os::unix::fs::symlink(papers.join("大同日报"), &link).expect("symlink");
        assert_eq!(page_keys(&link), paper);
        let index = library::scan(&[link]);
        assert_eq!(index.publications(), ["大同日报"]);
    }
    let moved = dir.path().join("elsewhere/old-papers");
    fs::create_dir_all(moved.parent().expect("parent")).expect("mkdir");
    fs::rename(&papers, &moved).expect("move");
    assert_eq!(page_keys(&moved.join("大同日报")), paper);
}

#[test]
fn library_keys_are_canonical_and_pages_have_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let papers = dir.path().join("papers");
    write(&papers, "大同日报/2026-11-28/01.txt", &page("a"));
    let a = library::library_key(std::slice::from_ref(&papers), &[]);
    let b = library::library_key(&[papers.join("../papers/.")], &[]);
    assert!(a.is_some());
    assert_eq!(a, b);
    assert_eq!(
        library::library_key(&[], &[]).as_deref(),
        Some(library::BUNDLED_LIBRARY)
    );
    let page_only = [papers.join("大同日报/2026-11-28/01.txt")];
    let key = library::library_key(&page_only, &[]).expect("a key");
    assert!(key.starts_with(library::PAGES_PLACE), "{key}");
}

/// Collect every batch until the counting thread is done, by issue key (a count names its
/// issue by its index in the entries given).
fn all_counts(
    entries: &[library::IssueEntry],
    rx: std::sync::mpsc::Receiver<library::Counts>,
) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = rx
        .iter()
        .flatten()
        .map(|(i, n)| (entries[i].id.to_string(), n))
        .collect();
    out.sort();
    out
}

/// Count every issue of `index` on the background thread, with its cache in `cache`.
fn count_with_cache(index: &library::LibraryIndex, cache: &Path) -> Vec<(String, usize)> {
    let rx = library::spawn_summaries(
        index.issues.clone().into(),
        ParseOptions::default(),
        Some(cache.to_path_buf()),
        || {},
    )
    .expect("thread");
    all_counts(&index.issues, rx)
}

#[test]
fn issue_counts_come_from_a_background_thread_and_a_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("daily");
    for day in 1..=9 {
        let body: String = (0..day).map(|k| page(&format!("第{k}条新闻"))).collect();
        write(&root, &format!("2026-11-0{day}/01.txt"), &body);
    }
    let index = library::scan(std::slice::from_ref(&root));
    let want: Vec<(String, usize)> = {
        let mut v: Vec<(String, usize)> = (1..=9)
            .map(|d| (format!("daily/2026-11-0{d}"), d))
            .collect();
        v.sort();
        v
    };
    let run = || count_with_cache(&index, state.path());
    assert_eq!(run(), want);
    assert_eq!(library::read_cache(state.path()).len(), 9);
    // The second start reads the cache: a changed page is not recounted.
    fs::remove_dir_all(root.join("2026-11-09")).expect("rm");
    assert_eq!(run(), want);
}

#[test]
fn cached_counts_are_read_whether_or_not_their_keys_hold_escapes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("daily");
    write(&root, "2026-11-01/01.txt", &page("一条新闻"));
    write(&root, "2026-11-02/01.txt", &page("另一条新闻"));
    // What the cache says, not what the pages hold: the counts come from it. One key
    // written with escapes (`\/`, `\u0031` for 1), one plain.
    fs::write(
        state.path().join(library::SUMMARY_FILE),
        r#"{"version":1,"counts":{"daily\/2026-11-0\u0031":41,"daily/2026-11-02":42}}"#,
    )
    .expect("write cache");
    let index = library::scan(std::slice::from_ref(&root));
    assert_eq!(
        count_with_cache(&index, state.path()),
        [
            ("daily/2026-11-01".to_string(), 41),
            ("daily/2026-11-02".to_string(), 42)
        ]
    );
}
