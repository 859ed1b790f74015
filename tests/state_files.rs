//! `state.json` on a hostile or untidy disk: a symlinked state file stays a symlink, a planted
//! symlink under the temp file's name is never written through, and temp files left by a
//! writer killed mid-save are swept at start.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use dubao::state::file::{self, STATE_FILE};
use dubao::state::{StateData, Store};

fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn temps(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

#[test]
fn a_symlinked_state_file_stays_a_symlink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (state, synced) = (dir.path().join("state"), dir.path().join("synced"));
    fs::create_dir_all(&state).expect("mkdir");
    fs::create_dir_all(&synced).expect("mkdir");
    symlink("../synced/dubao.json", state.join(STATE_FILE)).expect("symlink");

    let mut data = StateData::default();
    let mut known = None;
    file::save_merged(&state, &mut data, &mut known).expect("first save");
    file::save_merged(&state, &mut data, &mut known).expect("second save");

    let link = state.join(STATE_FILE);
    assert!(
        fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::metadata(synced.join("dubao.json"))
            .expect("target")
            .is_file()
    );
    let (_, warnings) = file::load(&state).expect("loads through the link");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(temps(&state).is_empty() && temps(&synced).is_empty());
}

#[test]
fn a_planted_symlink_at_the_temp_name_is_never_written_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim");
    fs::write(&victim, "keep me").expect("write");
    let state = dir.path().join("state");
    fs::create_dir_all(&state).expect("mkdir");
    // Every name this process could pick first points at the victim.
    let pid = std::process::id();
    for n in 0..3 {
        let planted = state.join(format!(".{STATE_FILE}.tmp-{pid}-{n}"));
        symlink(&victim, planted).expect("plant");
    }
    file::write_atomic(&state, STATE_FILE, b"{}\n").expect("written beside the traps");
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "keep me");
    assert_eq!(
        fs::read_to_string(state.join(STATE_FILE)).expect("state"),
        "{}\n"
    );
    assert!(
        !fs::symlink_metadata(state.join(STATE_FILE))
            .expect("state")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn temp_files_of_dead_writers_are_swept_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    fs::create_dir_all(&state).expect("mkdir");
    // A pid above any pid_max: that writer is gone. A live one (a child that sleeps) and
    // this process keep theirs.
    let mut live = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .expect("sleep");
    let dead = format!(".{STATE_FILE}.tmp-999999999-0");
    let alive = format!(".{STATE_FILE}.tmp-{}-0", live.id());
    let own = format!(".{STATE_FILE}.tmp-{}-7", std::process::id());
    for name in [&dead, &alive, &own] {
        fs::write(state.join(name), vec![b'x'; 1 << 16]).expect("temp");
    }
    let (_store, warnings) = Store::open(&state);
    let _ = live.kill();
    let _ = live.wait();
    assert!(warnings.is_empty(), "{warnings:?}");
    let left = temps(&state);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!left.contains(&dead), "{left:?}");
}

#[test]
fn a_fifo_as_state_file_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ok = std::process::Command::new("mkfifo")
        .arg(dir.path().join(STATE_FILE))
        .status()
        .expect("mkfifo");
    assert!(ok.success());
    let err = file::load(dir.path()).expect_err("a FIFO is not a state file");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}
