//! Library at archive scale: scanning ten years of a daily (3,650 issues × 4 pages) and
//! switching issue (read + parse one issue's pages). Dated issue folders (`2026-11-28/`,
//! `2016/12/01/`) are listed on selection, so the scan reads a handful of folders; the
//! `numbered` layout (`第0001期/`) shows the cost when every issue folder must be opened.
//!
//! Issue 13 adds going to a date over the whole list (`goto_date_{issues}`: parse the
//! prompt, find the nearest issue on or before it, ask for it to be loaded), and the
//! background article counts of every issue, printed once: cold (every issue parsed) and
//! warm (from the `issues.json` cache).
//!
//! The archive is generated in a temporary folder by `examples/gen_archive.rs`. Under
//! `cargo bench` it is the full 3,650 × 4; under `cargo test` (criterion runs each bench
//! once) it is scaled down to 100 issues so CI stays fast.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

#[allow(dead_code)]
#[path = "../examples/gen_archive.rs"]
mod gen_archive;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dubao::library::{self, Loader};
use dubao::parse::ParseOptions;

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn library(c: &mut Criterion) {
    let issues = if bench_mode() { 3650 } else { 100 };
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = gen_archive::Spec {
        dir: dir.path().to_path_buf(),
        issues,
        pages: 4,
        newest: "2026-11-28".into(),
        publication: "dubao-daily".into(),
        seed: 0x00d0_ba00,
        scan_only: false,
        scan: false,
        visit: 0,
        nested: false,
        numbered: false,
    };
    gen_archive::generate(&spec).expect("generate the archive");
    let roots = [dir.path().to_path_buf()];

    let mut group = c.benchmark_group("library");
    group.sample_size(20);
    group.bench_function(format!("scan_{issues}x4"), |b| {
        b.iter(|| black_box(library::scan(&roots)));
    });
    // The scan without re-keying by publication and date (issue 13): what the keys cost.
    group.bench_function(format!("scan_paths_{issues}x4"), |b| {
        b.iter(|| black_box(library::scan_paths(&roots)));
    });

    let index = library::scan(&roots);
    assert_eq!(index.issues.len(), issues);
    let opts = ParseOptions::default();
    let middle = &index.issues[issues / 2];
    group.bench_function("switch_issue_load_parse_4_pages", |b| {
        b.iter(|| black_box(library::load_issue(middle, &opts)));
    });

    // The reader's path: the next issue comes from the background loader.
    group.bench_function("switch_issue_via_loader", |b| {
        let mut loader = Loader::new(opts.clone());
        let mut n = 0;
        b.iter(|| {
            n = (n + 1) % index.issues.len();
            loader.request(&index.issues[n]);
            let issue = loader
                .recv_timeout(std::time::Duration::from_secs(5))
                .expect("loaded");
            black_box(issue)
        });
    });
    // Go to a date: alternate between two far-apart dates so each call moves.
    group.bench_function(format!("goto_date_{issues}"), |b| {
        let store = dubao::state::Store::default();
        let keymap = dubao::ui::keymap::Keymap::default();
        let mut app = dubao::ui::App::new(index.clone(), store, keymap, Default::default());
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            let effect = app.goto_date(if flip { "2020-06-15" } else { "2026-11-27" });
            black_box(effect)
        });
    });
    group.finish();
    count_all_issues(&index, issues);
    drop(dir);

    // Two more layouts: year/month/day folders (deferred like dated names), and undated
    // numbered folders, each of which must be opened at start-up (the slow case).
    let mut group = c.benchmark_group("library");
    group.sample_size(10);
    for (label, nested, numbered) in [
        ("nested_yyyy_mm_dd", true, false),
        ("numbered", false, true),
    ] {
        let tree = tempfile::tempdir().expect("tempdir");
        let spec = gen_archive::Spec {
            dir: tree.path().to_path_buf(),
            nested,
            numbered,
            ..spec.clone()
        };
        gen_archive::generate(&spec).expect("generate the archive");
        let roots = [tree.path().to_path_buf()];
        group.bench_function(format!("scan_{issues}x4_{label}"), |b| {
            b.iter(|| black_box(library::scan(&roots)));
        });
    }
    group.finish();
}

/// The background counts of every issue, timed once cold and once from the cache.
fn count_all_issues(index: &library::LibraryIndex, issues: usize) {
    let state = tempfile::tempdir().expect("tempdir");
    for pass in ["cold", "warm"] {
        let t0 = std::time::Instant::now();
        let rx = library::spawn_summaries(
            index.issues.clone().into(),
            ParseOptions::default(),
            Some(state.path().to_path_buf()),
            || {},
        )
        .expect("thread");
        let n: usize = rx.iter().map(|b| b.len()).sum();
        assert_eq!(n, issues);
        eprintln!(
            "library/summaries_{issues}x4_{pass}: all {n} issue counts in {:.1} ms",
            t0.elapsed().as_secs_f64() * 1000.0
        );
    }
}

criterion_group!(benches, library);
criterion_main!(benches);
