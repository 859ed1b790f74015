//! Hostile archives: things named like pages that are not pages (a FIFO, a device, a huge
//! sparse file), names that are not UTF-8, folders linked into themselves. Each must end in a
//! clear error or a bounded listing, never a hang or a blow-up.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use dubao::library::{self, PageSource};
use dubao::parse::{self, ParseOptions};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn page(title: &str) -> String {
    format!("# {title}\n\n　　本报讯 {title}的正文。\n")
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(ok.success());
}

/// Run `f` on a thread; a hang fails the test after 20 s instead of hanging it.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("{what} hung"))
}

/// The binary with these arguments, killed if it has not finished within 20 s.
fn dubao(args: &[&OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dubao"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dubao");
    for _ in 0..400 {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("dubao {args:?} hung");
}

#[test]
fn a_fifo_named_like_a_page_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("2026-11-28");
    write(&issue.join("01.txt"), &page("好"));
    mkfifo(&issue.join("02.txt"));
    let index = library::scan(&[issue]);
    let entry = index.issues[0].clone();
    let loaded = within("loading an issue with a FIFO page", move || {
        library::load_issue(&entry, &ParseOptions::default())
    });
    assert_eq!(loaded.pages.len(), 1, "the good page still loads");
    assert_eq!(loaded.errors.len(), 1);
    let msg = &loaded.errors[0].message;
    assert!(msg.contains("02.txt") && msg.contains("FIFO"), "{msg}");
}

#[test]
fn parse_and_cat_refuse_a_fifo_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("01.txt");
    mkfifo(&fifo);
    for cmd in ["parse", "cat"] {
        let out = dubao(&[OsStr::new(cmd), fifo.as_os_str()]);
        assert!(!out.status.success(), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("01.txt") && err.contains("FIFO"),
            "{cmd}: {err}"
        );
    }
}

#[test]
fn a_link_to_dev_zero_and_a_huge_sparse_file_are_refused_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zero = dir.path().join("01.txt");
    symlink("/dev/zero", &zero).expect("symlink");
    let opts = ParseOptions::default();
    let msg = within("reading /dev/zero", move || {
        parse::read_page(&zero, "01.txt", &opts).map(|_| ())
    })
    .expect_err("a device is not a page")
    .to_string();
    assert!(
        msg.contains("01.txt") && msg.contains("character device"),
        "{msg}"
    );

    // 2 GB that cost nothing on disk: refused by its size, before a byte is read.
    let sparse = dir.path().join("02.txt");
    fs::File::create(&sparse)
        .and_then(|f| f.set_len(2 << 30))
        .expect("sparse file");
    let msg = parse::read_page(&sparse, "02.txt", &ParseOptions::default())
        .expect_err("over the limit")
        .to_string();
    assert!(
        msg.contains("2048 MB") && msg.contains("limit of 16 MB") && msg.contains("max_page_mb"),
        "{msg}"
    );
    // The limit is the config's.
    let small = ParseOptions {
        max_page_bytes: 10,
        ..ParseOptions::default()
    };
    let tiny = dir.path().join("03.txt");
    write(&tiny, &page("好"));
    assert!(parse::read_page(&tiny, "03.txt", &small).is_err());
    assert!(parse::read_page(&tiny, "03.txt", &ParseOptions::default()).is_ok());
}

#[test]
fn gbk_names_are_listed_escaped_and_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 大同日报 / 第一版.txt, both in GBK.
    let folder = OsStr::from_bytes(b"\xB4\xF3\xCD\xAC\xC8\xD5\xB1\xA8");
    let file = OsStr::from_bytes(b"\xB5\xDA\xD2\xBB\xB0\xE6.txt");
    let issue = dir.path().join("lib").join(folder).join("2026-11-28");
    write(&issue.join(file), &page("好"));
    write(&dir.path().join("lib/misc").join(file), &page("也好"));
    let index = library::scan(&[dir.path().join("lib")]);
    assert!(index.errors.is_empty(), "{:?}", index.errors);
    let ids: Vec<&str> = index.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            // Keyed as publication/date (library::escape_component), shown with
            // library::escape_name: every byte outside ASCII escaped.
            "%B4%F3%CD%AC%C8%D5%B1%A8/2026-11-28",
            "lib/misc"
        ]
    );
    assert_eq!(
        index.issues[0].publication.as_deref(),
        Some("%B4%F3%CD%AC%C8%D5%B1%A8")
    );
    for entry in &index.issues {
        let loaded = library::load_issue(entry, &ParseOptions::default());
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        assert_eq!(loaded.pages.len(), 1);
        let (listed, _) = library::list_pages(entry);
        let page = &listed.pages[0];
        assert!(
            page.rel.ends_with(r"\xB5\xDA\xD2\xBB\xB0\xE6.txt"),
            "{}",
            page.rel
        );
        // The raw name opens the file.
        let PageSource::File(path) = &page.source else {
            panic!("a file page")
        };
        assert_eq!(path.file_name(), Some(file));
    }
}

/// `n0` … `n19`, each with a page and two links to the next: the scan must list each folder
/// once (20 issues), not 2^19 times, under names that do not depend on threads.
#[test]
fn two_links_per_level_list_each_folder_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    for n in 0..20 {
        let folder = store.join(format!("n{n}"));
        write(&folder.join("01.txt"), &page("好"));
        if n < 19 {
            for link in ["a", "b"] {
                symlink(format!("../n{}", n + 1), folder.join(link)).expect("symlink");
            }
        }
    }
    let roots: Vec<PathBuf> = vec![store.join("n0")];
    // The walk itself, before issues are re-keyed by publication and date.
    let index = within("scanning", move || library::scan_paths(&roots));
    assert_eq!(index.issues.len(), 20);
    let mut want = vec!["n0".to_string()];
    for _ in 1..20 {
        let last = want.last().expect("one").clone();
        want.push(format!("{last}/a"));
    }
    let ids: Vec<&str> = index.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, want);
    // Each `b` is the same folder as its `a`: said once per level.
    assert_eq!(index.errors.len(), 19, "{:?}", index.errors);
    assert!(
        index
            .errors
            .iter()
            .all(|e| e.message.contains("listed once"))
    );
}

/// A link inside an issue to the issue itself and to a sibling folder of pages: every page
/// is listed once.
#[test]
fn links_inside_an_issue_do_not_repeat_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let issue = dir.path().join("lib/2026-11-28");
    write(&issue.join("01.txt"), &page("甲"));
    write(&issue.join("A/02.txt"), &page("乙"));
    symlink(".", issue.join("self")).expect("symlink");
    symlink("A", issue.join("also-A")).expect("symlink");
    symlink("A", issue.join("B")).expect("symlink");
    let index = library::scan(&[dir.path().join("lib")]);
    let (listed, errors) = library::list_pages(&index.issues[0]);
    let rels: Vec<&str> = listed.pages.iter().map(|p| p.rel.as_str()).collect();
    assert_eq!(rels, ["lib/2026-11-28/01.txt", "lib/2026-11-28/A/02.txt"]);
    assert_eq!(errors.len(), 3, "{errors:?}");
}
