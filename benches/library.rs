//! Library at archive scale: scanning ten years of a daily (3,650 issues × 4 pages) and
//! switching issue (read + parse one issue's pages). Dated issue folders (`2026-11-28/`,
//! `2016/12/01/`) are listed on selection, so the scan reads a handful of folders; the
//! `numbered` layout (`第0001期/`) shows the cost when every issue folder must be opened.
//!
//! The archive is generated in a temporary folder by `examples/gen_archive.rs`. Under
//! `cargo bench` it is the full 3,650 × 4; under `cargo test` (criterion runs each bench
//! once) it is scaled down to 100 issues so CI stays fast.

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
        b.iter(|| black_box(library::scan(&roots)))
    });

    let index = library::scan(&roots);
    assert_eq!(index.issues.len(), issues);
    let opts = ParseOptions::default();
    let middle = &index.issues[issues / 2];
    group.bench_function("switch_issue_load_parse_4_pages", |b| {
        b.iter(|| black_box(library::load_issue(middle, &opts)))
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
        })
    });
    group.finish();
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
            b.iter(|| black_box(library::scan(&roots)))
        });
    }
    group.finish();
}

criterion_group!(benches, library);
criterion_main!(benches);
