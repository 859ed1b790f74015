//! Reading state across ways of opening one archive (issue 13): the library, a paper's
//! folder, one issue folder and a symlink give the same read marks, positions and
//! bookmarks; a state file of format 1 is migrated and kept as `state.json.v1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::fs;
use std::path::{Path, PathBuf};

use dubao::library::{self, load_issue};
use dubao::model::{ArticleId, TextPos};
use dubao::parse::ParseOptions;
use dubao::state::{LastOpen, Store};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn page(titles: &[&str]) -> String {
    titles
        .iter()
        .map(|t| format!("# {t}\n\n　　本报讯 {t}的正文。第二句也在这里。\n\n"))
        .collect()
}

/// Two papers, a year folder, an undated special issue.
fn archive(dir: &Path) -> PathBuf {
    let papers = dir.join("papers");
    write(
        &papers,
        "大同日报/2026/2026-11-28/01.txt",
        &page(&["平城召开经济工作会议", "春节期间交通安排"]),
    );
    write(
        &papers,
        "大同日报/2026/2026-11-28/02.txt",
        &page(&["市民文化节开幕"]),
    );
    write(
        &papers,
        "大同日报/2026/2026-11-27/01.txt",
        &page(&["城区道路改造完工"]),
    );
    write(&papers, "晚报/2026-11-28/01.txt", &page(&["夜市重新开放"]));
    papers
}

/// Every article id of the 大同日报 issue of 28 November as the archive opened at `root`
/// names it, by title.
fn ids_from(root: &Path) -> Vec<(String, ArticleId)> {
    let index = library::scan(&[root.to_path_buf()]);
    let entry = index
        .issues
        .iter()
        .find(|e| e.date.is_some_and(|d| d.to_string() == "2026-11-28"))
        .filter(|e| e.publication.as_deref() == Some("大同日报"))
        .unwrap_or_else(|| panic!("no 大同日报 of the 28th from {}", root.display()));
    let issue = load_issue(entry, &ParseOptions::default());
    assert!(issue.errors.is_empty(), "{:?}", issue.errors);
    let mut out = Vec::new();
    for p in &issue.pages {
        for (k, a) in p.articles.iter().enumerate() {
            out.push((a.title(), ArticleId::new(&p.source, a, k)));
        }
    }
    out
}

fn id_of<'a>(ids: &'a [(String, ArticleId)], title: &str) -> &'a ArticleId {
    &ids.iter().find(|(t, _)| t == title).expect(title).1
}

#[test]
fn one_archive_from_three_roots_and_a_symlink_shares_its_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let papers = archive(dir.path());
    // Read at the library level: one article read, one half-read, one bookmarked.
    let lib = ids_from(&papers);
    {
        let (mut s, _) = Store::open(state.path());
        s.set_position(
            id_of(&lib, "平城召开经济工作会议"),
            TextPos {
                block: 1,
                offset: 0,
            },
            true,
        );
        s.set_position(
            id_of(&lib, "市民文化节开幕"),
            TextPos {
                block: 0,
                offset: 7,
            },
            false,
        );
        s.toggle_bookmark(
            id_of(&lib, "春节期间交通安排"),
            "大同日报/2026-11-28",
            "春节期间交通安排",
            TextPos {
                block: 0,
                offset: 3,
            },
        );
        s.save().unwrap();
    }
    let link = dir.path().join("daily");
    #[cfg(unix)]
    std::os::unix::fs::symlink(papers.join("大同日报"), &link).unwrap();
    #[cfg(not(unix))]
    let link = papers.join("大同日报");
    let roots = [
        papers.join("大同日报"),
        papers.join("大同日报/2026/2026-11-28"),
        link,
    ];
    let (s, w) = Store::open(state.path());
    assert!(w.is_empty(), "{w:?}");
    for root in roots {
        let ids = ids_from(&root);
        assert_eq!(ids, lib, "{}", root.display());
        let head = s
            .article(id_of(&ids, "平城召开经济工作会议"))
            .expect("read state");
        assert!(head.read);
        let second = s.article(id_of(&ids, "市民文化节开幕")).expect("position");
        assert_eq!(
            second.anchor,
            TextPos {
                block: 0,
                offset: 7
            }
        );
        assert!(!second.read);
        assert!(
            s.is_bookmarked(id_of(&ids, "春节期间交通安排")),
            "{}",
            root.display()
        );
        assert_eq!(s.read_in_issue("大同日报/2026-11-28"), 1);
    }
    // One page on its own, too.
    let one = library::scan(&[papers.join("大同日报/2026/2026-11-28/02.txt")]);
    let issue = load_issue(&one.issues[0], &ParseOptions::default());
    let id = ArticleId::new(&issue.pages[0].source, &issue.pages[0].articles[0], 0);
    assert_eq!(&id, id_of(&lib, "市民文化节开幕"));
}

#[test]
fn a_format_1_state_is_migrated_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let papers = archive(dir.path());
    let lib = ids_from(&papers);
    let head = id_of(&lib, "平城召开经济工作会议");
    let short = id_of(&lib, "春节期间交通安排");
    // As the previous version wrote it after `dubao ~/papers` and `dubao ~/papers/大同日报`:
    // keys relative to the parent of the path given.
    let old_page = |root: &str, p: &str| format!("{root}大同日报/2026/2026-11-28/{p}");
    let v1 = format!(
        r#"{{
  "version": 1,
  "last": {{"issue":"papers/大同日报/2026/2026-11-28","article":{{"page":"{p1}","title_hash":"{h}","index":0}},"pane":"body","updated_ms":5}},
  "bookmarks": [
    {{"article":{{"page":"{p2}","title_hash":"{hs}","index":1}},"issue":"大同日报/2026/2026-11-28","title":"春节期间交通安排","anchor":{{"block":0,"offset":2}},"created_ms":7,"note":"重读","note_ms":7}}
  ],
  "deleted_bookmarks": [],
  "articles": {{
    "{p2}#{h}#0": [0,9,false,20,20,"平城召开经济工作会议"],
    "{p1}#{h}#0": [2,0,true,10,10,"平城召开经济工作会议"]
  }}
}}
"#,
        p1 = old_page("papers/", "01.txt"),
        p2 = old_page("", "01.txt"),
        h = head.title_hash,
        hs = short.title_hash,
    );
    fs::write(dir.path().join("state.json"), &v1).unwrap();
    let (mut s, w) = Store::open(dir.path());
    assert!(w.is_empty(), "{w:?}");
    // The two old keys of one article are one now: newest anchor, read kept.
    let st = s.article(head).expect("migrated");
    assert_eq!(
        (st.anchor, st.read),
        (
            TextPos {
                block: 0,
                offset: 9
            },
            true
        )
    );
    assert_eq!(s.articles().len(), 1);
    let b = s.bookmark(short).expect("bookmark migrated");
    assert_eq!(b.issue, "大同日报/2026-11-28");
    assert_eq!(b.note.as_deref(), Some("重读"));
    assert_eq!(s.last().issue.as_deref(), Some("大同日报/2026-11-28"));
    assert_eq!(s.last().article.as_ref(), Some(head));
    // The old file is kept byte for byte; the next save writes format 2.
    let backup = dir.path().join("state.json.v1");
    assert_eq!(fs::read_to_string(&backup).unwrap(), v1);
    s.set_place(
        "/papers",
        LastOpen {
            issue: Some("大同日报/2026-11-28".into()),
            ..LastOpen::default()
        },
    );
    s.save().unwrap();
    let text = fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(text.contains("\"version\": 2"), "{text}");
    assert!(text.contains("\"大同日报/2026-11-28/01.txt#"), "{text}");
    let (again, _) = Store::open(dir.path());
    assert_eq!(again.article(head), s.article(head));
    assert_eq!(
        fs::read_to_string(&backup).unwrap(),
        v1,
        "never overwritten"
    );
}

#[test]
fn unread_marks_survive_a_merge_with_a_copy_where_it_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let papers = archive(dir.path());
    let lib = ids_from(&papers);
    let head = id_of(&lib, "平城召开经济工作会议").clone();
    let (mut a, _) = Store::open(dir.path());
    a.set_position(&head, TextPos::default(), true);
    a.save().unwrap();
    // A second reader still holding the read copy, and this one marking it unread.
    let (mut b, _) = Store::open(dir.path());
    a.mark_read(std::slice::from_ref(&head), false);
    a.save().unwrap();
    b.set_position(&lib[1].1, TextPos::default(), true);
    b.save().unwrap();
    let (c, _) = Store::open(dir.path());
    assert!(
        !c.is_read(&head),
        "the unread mark is newer than the reading"
    );
    assert!(c.is_read(&lib[1].1));
    // Reading it to the end again makes it read.
    let (mut d, _) = Store::open(dir.path());
    std::thread::sleep(std::time::Duration::from_millis(3));
    d.set_position(
        &head,
        TextPos {
            block: 1,
            offset: 0,
        },
        true,
    );
    d.save().unwrap();
    assert!(Store::open(dir.path()).0.is_read(&head));
}
