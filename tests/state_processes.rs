//! Two reader processes on one state dir at the same time: nobody loses anybody's
//! bookmarks or positions. The test binary spawns itself twice; each child runs
//! `child_writer` (ignored in normal runs) with `DUBAO_STATE_CHILD` telling it what to do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dubao::model::{ArticleId, TextPos, title_hash};
use dubao::state::Store;

const N: usize = 100;
const ENV: &str = "DUBAO_STATE_CHILD";

fn id(who: &str, i: usize) -> ArticleId {
    let title = format!("{who} 第{i}篇");
    ArticleId {
        page: format!("{who}/p{}.txt", i % 7),
        title_hash: title_hash(&title),
        index: i,
    }
}

fn shared() -> ArticleId {
    id("shared", 0)
}

/// Run by the children: `DIR|WHO|MODE`, MODE `sync` (save after each change) or `saver`
/// (save_soon after each change through a fast background saver, flush at the end).
#[test]
#[ignore = "child process of the two-process tests"]
fn child_writer() {
    let Ok(spec) = std::env::var(ENV) else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let (dir, who, mode) = (Path::new(parts[0]), parts[1], parts[2]);
    // Start together: wait for the parent's go file.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !dir.join("go").exists() {
        assert!(Instant::now() < deadline, "no go signal");
        std::thread::sleep(Duration::from_millis(1));
    }
    let (mut store, warnings) = Store::open(dir);
    assert!(warnings.is_empty(), "{warnings:?}");
    if mode == "saver" {
        store.start_saver(Duration::from_millis(2)).unwrap();
    }
    for i in 0..N {
        let a = id(who, i);
        assert!(store.toggle_bookmark(&a, who, &format!("{who} 第{i}篇"), TextPos::default()));
        store.set_position(
            &a,
            TextPos {
                block: i,
                offset: 1,
            },
            i % 2 == 0,
        );
        // Both children also bookmark and unbookmark one shared article.
        if i % 10 == 0 {
            store.toggle_bookmark(&shared(), "shared", "shared", TextPos::default());
        }
        match mode {
            "sync" => store.save().unwrap(),
            _ => {
                store.save_soon();
                // Let the saver write (and the other child's writes be adopted) mid-loop.
                std::thread::sleep(Duration::from_micros(500));
            }
        }
        // Whatever was adopted from the other child, this child's own changes stay.
        for j in 0..=i {
            assert!(
                store.is_bookmarked(&id(who, j)),
                "{who} lost own bookmark {j} at {i}"
            );
        }
    }
    store.flush().unwrap();
    assert!(store.take_warnings().is_empty());
    // Adopting the other child's merged writes never loses this child's own changes.
    for i in 0..N {
        let a = id(who, i);
        assert!(
            store.is_bookmarked(&a),
            "{who} lost own bookmark {i} in memory"
        );
        assert_eq!(store.article(&a).map(|s| s.anchor.block), Some(i));
    }
}

fn run_two(mode: &str) {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = ["alice", "bob"]
        .iter()
        .map(|who| {
            Command::new(&exe)
                .args(["--ignored", "--exact", "child_writer", "--nocapture"])
                .env(ENV, format!("{}|{who}|{mode}", dir.path().display()))
                .spawn()
                .unwrap()
        })
        .collect();
    std::fs::write(dir.path().join("go"), b"").unwrap();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child failed");
    }
    let (store, warnings) = Store::open(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    for who in ["alice", "bob"] {
        for i in 0..N {
            let a = id(who, i);
            assert!(store.is_bookmarked(&a), "{who} bookmark {i} lost ({mode})");
            let st = store
                .article(&a)
                .unwrap_or_else(|| panic!("{who} position {i} lost"));
            assert_eq!(
                st.anchor,
                TextPos {
                    block: i,
                    offset: 1
                }
            );
            assert_eq!(st.read, i % 2 == 0);
        }
    }
    // Each child toggled the shared bookmark 10 times (ending unbookmarked in its own
    // view); whatever the interleaving, the result is one consistent answer, and the
    // two hundred others are all there.
    let others = store
        .bookmarks()
        .iter()
        .filter(|b| b.issue != "shared")
        .count();
    assert_eq!(others, 2 * N);
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        name.contains(".tmp-") || name.contains(".bad-")
    }));
}

#[test]
fn two_processes_saving_after_each_toggle_keep_all_200() {
    run_two("sync");
}

#[test]
fn two_processes_with_background_savers_keep_all_200() {
    run_two("saver");
}
