//! The state store through its public API, with temp dirs: round trips, bad files moved
//! aside, merges between two stores on one dir, the background saver, missing pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::fs;
use std::time::Duration;

use dubao::model::{ArticleId, TextPos, title_hash};
use dubao::state::{LastOpen, Store};

fn id(page: &str, title: &str, index: usize) -> ArticleId {
    ArticleId {
        page: page.into(),
        title_hash: title_hash(title),
        index,
    }
}

fn pos(block: usize, offset: usize) -> TextPos {
    TextPos { block, offset }
}

fn bad_files(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("state.json.bad-"))
        .collect();
    v.sort();
    v
}

#[test]
fn round_trip_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let a = id("2024-01-01/p1#x.txt", "平城召开经济工作会议", 2);
    let b = id("2024-01-02/p3.txt", "", 0);
    {
        let (mut s, w) = Store::open(dir.path());
        assert!(w.is_empty());
        s.set_position(&a, pos(3, 40), false);
        s.set_title(&a, "平城召开经济工作会议");
        s.set_position(&b, pos(1, 0), true);
        assert!(s.toggle_bookmark(&a, "2024-01-01", "平城召开经济工作会议", pos(3, 41)));
        assert!(s.set_note(&a, Some("重读".into())));
        s.set_last(LastOpen {
            issue: Some("2024-01-01".into()),
            article: Some(a.clone()),
            pane: Some("body".into()),
            updated_ms: 0,
        });
        s.save().unwrap();
    }
    let (s, w) = Store::open(dir.path());
    assert!(w.is_empty(), "{w:?}");
    let sa = s.article(&a).unwrap();
    assert_eq!((sa.anchor, sa.read), (pos(3, 40), false));
    assert_eq!(sa.title, "平城召开经济工作会议");
    assert!(sa.last_read_ms > 0 && sa.updated_ms > 0);
    assert!(s.article(&b).unwrap().read);
    assert!(s.is_bookmarked(&a) && !s.is_bookmarked(&b));
    let bm = &s.bookmarks()[0];
    assert_eq!((bm.anchor, bm.note.as_deref()), (pos(3, 41), Some("重读")));
    assert_eq!(s.last().article.as_ref(), Some(&a));
    assert_eq!(s.last().pane.as_deref(), Some("body"));
    // Human-readable: one record per line, string keys.
    let text = fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(text.contains("\"version\": 2"), "{text}");
    let row = format!(
        "\"2024-01-01/p1#x.txt#{}#2\": [3,40,false,{},{},\"平城召开经济工作会议\"]",
        a.title_hash, sa.updated_ms, sa.last_read_ms
    );
    assert!(text.contains(&row), "{text}");
}

#[test]
fn corrupt_file_is_moved_aside_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, b"{\"version\": 1, \"articles\": {\"oops\"").unwrap();
    let (mut s, w) = Store::open(dir.path());
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("moved aside to state.json.bad-"), "{w:?}");
    assert!(s.articles().is_empty() && s.bookmarks().is_empty());
    let bad = bad_files(dir.path());
    assert_eq!(bad.len(), 1);
    // The bad file is kept byte for byte, and saving writes a new file next to it.
    let kept = fs::read(dir.path().join(&bad[0])).unwrap();
    assert_eq!(kept, b"{\"version\": 1, \"articles\": {\"oops\"");
    s.set_position(&id("p", "t", 0), pos(1, 1), false);
    s.save().unwrap();
    assert_eq!(bad_files(dir.path()), bad);
    assert!(Store::open(dir.path()).1.is_empty());
}

#[test]
fn newer_version_is_moved_aside_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let future = br#"{"version": 7, "articles": {}, "everything": "different"}"#;
    fs::write(dir.path().join("state.json"), future).unwrap();
    let (mut s, w) = Store::open(dir.path());
    assert!(w[0].contains("version 7"), "{w:?}");
    s.save().unwrap();
    let bad = bad_files(dir.path());
    assert_eq!(bad.len(), 1);
    assert_eq!(fs::read(dir.path().join(&bad[0])).unwrap(), future);
    // A second bad file gets its own name.
    fs::write(dir.path().join("state.json"), b"garbage").unwrap();
    let (_s, w) = Store::open(dir.path());
    assert_eq!(w.len(), 1);
    assert_eq!(bad_files(dir.path()).len(), 2);
}

#[test]
fn newest_position_wins_and_read_is_sticky() {
    let dir = tempfile::tempdir().unwrap();
    let a = id("p1.txt", "A", 0);
    let (mut one, _) = Store::open(dir.path());
    let (mut two, _) = Store::open(dir.path());
    one.set_position(&a, pos(1, 0), true);
    std::thread::sleep(Duration::from_millis(3));
    two.set_position(&a, pos(5, 7), false);
    // Whatever the order of the saves, the later change wins; `read` from `one` survives.
    two.save().unwrap();
    one.save().unwrap();
    for s in [&one, &Store::open(dir.path()).0] {
        let st = s.article(&a).unwrap();
        assert_eq!((st.anchor, st.read), (pos(5, 7), true));
    }
    // An untouched, older copy saving again changes nothing.
    two.save().unwrap();
    assert_eq!(
        Store::open(dir.path()).0.article(&a).unwrap().anchor,
        pos(5, 7)
    );
}

#[test]
fn deletions_survive_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let a = id("p1.txt", "A", 0);
    let b = id("p1.txt", "B", 1);
    let (mut one, _) = Store::open(dir.path());
    one.toggle_bookmark(&a, "i", "A", pos(0, 0));
    one.toggle_bookmark(&b, "i", "B", pos(0, 0));
    one.save().unwrap();
    // `two` loads both, then deletes A; `one` still holds A in memory and saves later.
    let (mut two, _) = Store::open(dir.path());
    assert!(two.delete_bookmark(&a));
    two.save().unwrap();
    one.set_note(&b, Some("note from one".into()));
    one.save().unwrap();
    let (s, _) = Store::open(dir.path());
    assert!(!s.is_bookmarked(&a), "deleted bookmark came back");
    assert_eq!(
        s.bookmark(&b).unwrap().note.as_deref(),
        Some("note from one")
    );
    assert!(
        !one.is_bookmarked(&a),
        "the sync save takes in the other's deletion"
    );
    // Re-bookmarking after the deletion works, and the old note does not come back.
    let (mut three, _) = Store::open(dir.path());
    assert!(three.toggle_bookmark(&a, "i", "A", pos(2, 0)));
    three.save().unwrap();
    two.save().unwrap();
    let (s, _) = Store::open(dir.path());
    assert_eq!(s.bookmark(&a).unwrap().anchor, pos(2, 0));
}

#[test]
fn notes_newest_wins() {
    let dir = tempfile::tempdir().unwrap();
    let a = id("p1.txt", "A", 0);
    let (mut one, _) = Store::open(dir.path());
    one.toggle_bookmark(&a, "i", "A", pos(0, 0));
    one.save().unwrap();
    let (mut two, _) = Store::open(dir.path());
    one.set_note(&a, Some("first".into()));
    std::thread::sleep(Duration::from_millis(3));
    two.set_note(&a, Some("second".into()));
    two.save().unwrap();
    one.save().unwrap();
    assert_eq!(
        Store::open(dir.path())
            .0
            .bookmark(&a)
            .unwrap()
            .note
            .as_deref(),
        Some("second")
    );
}

#[test]
fn saver_writes_in_the_background_and_flush_waits() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::open(dir.path());
    s.start_saver(Duration::from_millis(20)).unwrap();
    let a = id("p1.txt", "A", 0);
    for i in 0..50 {
        s.set_position(&a, pos(i, i), false);
        s.save_soon();
    }
    // Without flush the debounced write still lands.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (on_disk, _) = Store::open(dir.path());
        if on_disk.article(&a).map(|x| x.anchor) == Some(pos(49, 49)) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "saver never wrote");
        std::thread::sleep(Duration::from_millis(10));
    }
    s.toggle_bookmark(&a, "i", "A", pos(9, 9));
    s.set_position(&a, pos(60, 0), true);
    s.flush().unwrap();
    let (on_disk, _) = Store::open(dir.path());
    assert_eq!(on_disk.article(&a).unwrap().anchor, pos(60, 0));
    assert!(on_disk.is_bookmarked(&a));
    assert!(!s.has_unsaved());
    assert!(s.take_warnings().is_empty());
}

#[test]
fn dropping_the_store_writes_pending_changes() {
    let dir = tempfile::tempdir().unwrap();
    let a = id("p1.txt", "A", 0);
    {
        let (mut s, _) = Store::open(dir.path());
        s.start_saver(Duration::from_secs(3600)).unwrap();
        s.set_position(&a, pos(1, 0), false);
        s.save_soon();
        s.set_position(&a, pos(2, 0), false);
        s.save_soon();
    }
    assert_eq!(
        Store::open(dir.path()).0.article(&a).unwrap().anchor,
        pos(2, 0)
    );
}

#[test]
fn saver_rewrites_a_state_file_deleted_while_running() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (id("p1.txt", "A", 0), id("p1.txt", "B", 1));
    let (mut s, _) = Store::open(dir.path());
    s.toggle_bookmark(&a, "i", "A", pos(0, 0));
    s.flush().unwrap();
    fs::remove_file(dir.path().join("state.json")).unwrap();
    s.set_position(&b, pos(1, 0), false);
    s.save_soon();
    s.flush().unwrap();
    let (on_disk, _) = Store::open(dir.path());
    assert!(on_disk.is_bookmarked(&a) && on_disk.article(&b).is_some());
}

#[test]
fn states_of_vanished_pages_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let gone = id("1999-12-31/p9.txt", "旧闻", 4);
    let (mut s, _) = Store::open(dir.path());
    s.set_position(&gone, pos(2, 2), true);
    s.toggle_bookmark(&gone, "1999-12-31", "旧闻", pos(2, 2));
    s.save().unwrap();
    // Saving many times from other stores that never saw that page keeps it.
    for i in 0..3 {
        let (mut other, _) = Store::open(dir.path());
        other.set_position(&id("2024/p1.txt", "x", i), pos(0, i), false);
        other.save().unwrap();
    }
    let (s, _) = Store::open(dir.path());
    assert_eq!(s.article(&gone).unwrap().anchor, pos(2, 2));
    assert_eq!(s.bookmarks().len(), 1);
    assert_eq!(s.bookmarks()[0].title, "旧闻");
}

#[test]
fn issue_and_page_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::open(dir.path());
    s.set_position(&id("2024-01-01/p1.txt", "a", 0), pos(0, 0), true);
    s.set_position(&id("2024-01-01/p2.txt", "b", 0), pos(0, 0), true);
    s.set_position(&id("2024-01-01/p2.txt", "c", 1), pos(3, 0), false);
    s.set_position(&id("2024-01-010/p1.txt", "d", 0), pos(0, 0), true);
    s.set_position(&id("lone.txt", "e", 0), pos(0, 0), true);
    assert_eq!(s.read_in_issue("2024-01-01"), 2);
    assert_eq!(s.articles_in_issue("2024-01-01").count(), 3);
    assert_eq!(s.read_in_issue("lone.txt"), 1);
    assert_eq!(s.read_in_issue(""), 4);
    assert_eq!(s.articles_on_page("2024-01-01/p2.txt").count(), 2);
}

#[test]
fn a_slightly_changed_title_finds_its_old_state() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::open(dir.path());
    let old = id("p1.txt", "平城召开经济工作会议", 3);
    s.set_title(&old, "平城召开经济工作会议");
    s.set_position(&old, pos(4, 12), false);
    s.set_position(&id("p1.txt", "", 0), pos(1, 0), false);
    let new = id("p1.txt", "平城召开经济工作会仪", 3);
    let (found, st) = s.find(&new, "平城召开经济工作会仪").unwrap();
    assert_eq!((found, st.anchor), (old.clone(), pos(4, 12)));
    // Different article, same page: nothing.
    assert!(s.find(&id("p1.txt", "春节交通", 3), "春节交通").is_none());
    let resolved = s.resolve_page("p1.txt", &[(new.clone(), "平城召开经济工作会仪")]);
    assert_eq!(resolved, vec![Some(old)]);
}

#[test]
fn a_reader_with_a_saver_takes_in_another_readers_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        id("p1.txt", "A", 0),
        id("p1.txt", "B", 1),
        id("p1.txt", "C", 2),
    );
    let (mut one, _) = Store::open(dir.path());
    one.start_saver(Duration::from_millis(5)).unwrap();
    one.set_position(&a, pos(1, 0), false);
    one.save_soon();
    one.flush().unwrap();
    // Another reader bookmarks B and reads C.
    let (mut two, _) = Store::open(dir.path());
    two.toggle_bookmark(&b, "i", "B", pos(0, 0));
    two.set_position(&c, pos(7, 0), true);
    two.save().unwrap();
    // `one` changes A again (not yet written) and then writes something else.
    one.set_position(&a, pos(2, 0), false);
    one.flush().unwrap();
    one.set_position(&a, pos(3, 0), false);
    assert!(
        one.is_bookmarked(&b),
        "bookmark from the other reader not taken in"
    );
    assert_eq!(
        one.article(&c).map(|s| (s.anchor, s.read)),
        Some((pos(7, 0), true))
    );
    assert_eq!(
        one.article(&a).unwrap().anchor,
        pos(3, 0),
        "own change lost"
    );
    assert_eq!(one.bookmarks().len(), 1);
    one.flush().unwrap();
    let (disk, _) = Store::open(dir.path());
    assert_eq!(disk.article(&a).unwrap().anchor, pos(3, 0));
    assert!(disk.is_bookmarked(&b));
}

#[test]
fn a_failing_save_is_reported_once_and_retried_without_losing_changes() {
    let dir = tempfile::tempdir().unwrap();
    // The state dir's path is taken by a plain file: every save fails (even as root).
    let sub = dir.path().join("state");
    fs::write(&sub, b"not a dir").unwrap();
    let a = id("p1.txt", "A", 0);
    let (mut s, w) = Store::open(&sub);
    assert_eq!(w.len(), 1, "{w:?}"); // it cannot be read either
    s.start_saver(Duration::from_millis(5)).unwrap();
    s.set_position(&a, pos(4, 0), false);
    s.save_soon();
    assert!(s.flush().is_err());
    assert!(s.flush().is_err());
    std::thread::sleep(Duration::from_millis(50));
    let w = s.take_warnings();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("could not save reading state"), "{w:?}");
    fs::remove_file(&sub).unwrap();
    s.flush().unwrap();
    assert_eq!(Store::open(&sub).0.article(&a).unwrap().anchor, pos(4, 0));
}
