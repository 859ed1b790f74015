//! `dubao bookmarks` through the real binary, on a state dir written by the store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::process::Command;

use dubao::model::{ArticleId, TextPos, title_hash};
use dubao::state::Store;

fn bookmarks(dir: &std::path::Path, flags: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .arg("bookmarks")
        .arg("--state-dir")
        .arg(dir)
        .args(flags)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fill(dir: &std::path::Path) {
    let (mut s, _) = Store::open(dir);
    let a = ArticleId {
        page: "2024-01-01/p1.txt".into(),
        title_hash: title_hash("平城召开经济工作会议"),
        index: 2,
    };
    let b = ArticleId {
        page: "2024-01-02/p3.txt".into(),
        title_hash: title_hash("春节交通"),
        index: 0,
    };
    let anchor = TextPos {
        block: 3,
        offset: 40,
    };
    s.toggle_bookmark(&b, "2024-01-02", "春节交通", TextPos::default());
    // Listed newest first: `a` is made a millisecond later, so it comes first.
    std::thread::sleep(std::time::Duration::from_millis(2));
    s.toggle_bookmark(&a, "2024-01-01", "平城召开经济工作会议", anchor);
    s.set_note(&a, Some("重读\n第三段".into()));
    s.save().unwrap();
}

#[test]
fn a_bookmark_with_its_first_words_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::open(dir.path());
    let id = ArticleId {
        page: "2024-01-01/p1.txt".into(),
        title_hash: title_hash("平城召开经济工作会议"),
        index: 2,
    };
    let at = TextPos {
        block: 3,
        offset: 40,
    };
    let words = Some("会议指出，要坚持稳中求进…".to_string());
    s.toggle_bookmark_with(&id, "2024-01-01", "平城召开经济工作会议", at, words);
    s.save().unwrap();
    let (out, _) = bookmarks(dir.path(), &[]);
    assert!(
        out.contains("  平城召开经济工作会议  “会议指出，要坚持稳中求进…”  "),
        "{out}"
    );
    let (json, _) = bookmarks(dir.path(), &["--json"]);
    assert!(
        json.contains("\"excerpt\": \"会议指出，要坚持稳中求进…\""),
        "{json}"
    );
}

#[test]
fn plain_listing_groups_by_issue() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let (out, err) = bookmarks(dir.path(), &[]);
    assert!(err.is_empty(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "2024-01-01");
    assert!(
        lines[1].starts_with("  平城召开经济工作会议  [block 3, char 40]  "),
        "{out}"
    );
    assert!(lines[1].ends_with(" UTC  (2024-01-01/p1.txt)"), "{out}");
    assert_eq!(lines[2], "    note: 重读 第三段");
    assert_eq!(lines[3], "2024-01-02");
    assert_eq!(lines.len(), 5, "{out}");
}

#[test]
fn json_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let (out, _) = bookmarks(dir.path(), &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let a = list
        .iter()
        .find(|b| b["title"] == "平城召开经济工作会议")
        .unwrap();
    assert_eq!(a["anchor"]["offset"], 40);
    assert_eq!(a["article"]["page"], "2024-01-01/p1.txt");
    assert_eq!(a["note"], "重读\n第三段");
    let (md, _) = bookmarks(dir.path(), &["--markdown"]);
    assert!(
        md.starts_with(
            "# Bookmarks\n\n## 2024-01-01\n\n- **平城召开经济工作会议** — block 3, char 40 — "
        ),
        "{md}"
    );
    assert!(md.contains("\n  > 重读 第三段\n"), "{md}");
}

#[test]
fn empty_and_corrupt_states() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(bookmarks(dir.path(), &[]).0, "No bookmarks.\n");
    assert_eq!(bookmarks(dir.path(), &["--json"]).0, "[]\n");
    std::fs::write(dir.path().join("state.json"), b"\x00garbage").unwrap();
    // Only looking: the bad file is named and left in place for the reader to move aside.
    let o = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .arg("--state-dir")
        .arg(dir.path())
        .arg("bookmarks")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let (out, err) = (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    );
    assert_eq!(out, "");
    assert!(err.contains("state.json"), "{err}");
    assert!(err.contains("unreadable state file"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(dir.path().join("state.json").exists());
}

#[test]
fn page_text_in_bookmarks_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let title = "标题\u{1b}[2J\u{202e}";
    let note = "n\u{1b}]0;PWNED\u{7}\u{1b}[31mred";
    {
        let (mut store, _) = dubao::state::Store::open(dir.path());
        let id = dubao::model::ArticleId {
            page: "p/01.txt".into(),
            title_hash: dubao::model::title_hash(title),
            index: 0,
        };
        store.toggle_bookmark(&id, "p", title, dubao::model::TextPos::default());
        store.set_note(&id, Some(note.to_string()));
        store.save().unwrap();
    }
    for flags in [&[][..], &["--markdown"][..], &["--json"][..]] {
        let (out, _) = bookmarks(dir.path(), flags);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{flags:?}: {out:?}"
        );
        assert!(out.contains("标题"), "{out}");
        // JSON is for programs: serde_json escapes C0 only, so bidi is checked on text.
        if flags != ["--json"] {
            assert!(!out.contains('\u{202e}'), "{flags:?}: {out:?}");
        }
    }
}
