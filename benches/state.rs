//! State store: load and save of a state with 100,000 article entries (issue 5 asks for a
//! load under 50 ms). `save` is the full path a write takes: lock, read + merge the file,
//! serialise, write a temp file, fsync, rename, fsync the directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dubao::model::{ArticleId, TextPos, title_hash};
use dubao::state::{Store, file};

/// `cargo bench` measures 100,000 entries; `cargo test --all-targets` runs each bench once
/// on 10,000 to stay quick.
fn entries() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        100_000
    } else {
        10_000
    }
}

/// 100,000 articles over ~10 years of 8-page daily issues, with short Chinese titles,
/// half of them read, plus 200 bookmarks.
fn build(dir: &std::path::Path, entries: usize) {
    let (mut s, _) = Store::open(dir);
    for i in 0..entries {
        let (day, page, index) = (i / 40, i / 5 % 8, i % 5);
        let title = format!("平城要闻第{i}号");
        let id = ArticleId {
            page: format!("{}/{:02}/p{page}.txt", 2015 + day / 365, day % 365),
            title_hash: title_hash(&title),
            index,
        };
        s.set_title(&id, &title);
        s.set_position(
            &id,
            TextPos {
                block: i % 13,
                offset: i % 97,
            },
            i % 2 == 0,
        );
        if i % 500 == 0 {
            s.toggle_bookmark(&id, "issue", &title, TextPos::default());
        }
    }
    s.save().unwrap();
}

fn bench(c: &mut Criterion) {
    let entries = entries();
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), entries);
    let bytes = std::fs::read(dir.path().join(file::STATE_FILE)).unwrap();
    eprintln!(
        "state.json: {entries} articles, {:.1} MB",
        bytes.len() as f64 / 1e6
    );
    let mut g = c.benchmark_group("state");
    g.sample_size(10);
    g.bench_function("load_100k", |b| {
        b.iter_with_large_drop(|| {
            let (s, w) = Store::open(black_box(dir.path()));
            assert!(w.is_empty());
            s
        });
    });
    g.bench_function("parse_100k", |b| {
        b.iter_with_large_drop(|| file::parse(black_box(&bytes)));
    });
    // The floor for any JSON of this size: scanning it without building anything.
    g.bench_function("scan_json_100k", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&bytes)).unwrap());
    });
    // A save by a process whose last write is still the file (no re-read needed), and one
    // that must re-read and merge the file first (another reader wrote in between).
    let (mut store, _) = Store::open(dir.path());
    store.save().unwrap();
    g.bench_function("save_100k", |b| b.iter(|| store.save().unwrap()));
    let (mut other, _) = Store::open(dir.path());
    g.bench_function("save_merge_100k", |b| {
        b.iter_batched(
            || other.save().unwrap(),
            |()| store.save().unwrap(),
            BatchSize::PerIteration,
        );
    });
    g.finish();
    if entries == 100_000 {
        report_cpu_time(dir.path(), &mut store);
    }
}

/// Wall time depends on how busy the machine is; on Linux, also report the median time the
/// thread actually spent on a CPU (`/proc/thread-self/schedstat`) for a load and a save.
fn report_cpu_time(dir: &std::path::Path, store: &mut Store) {
    fn on_cpu_ns() -> Option<u64> {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        s.split_whitespace().next()?.parse().ok()
    }
    fn median_ms<T>(mut f: impl FnMut() -> T) -> Option<f64> {
        let mut v = Vec::new();
        for _ in 0..9 {
            let t0 = on_cpu_ns()?;
            let out = black_box(f());
            v.push((on_cpu_ns()? - t0) as f64 / 1e6);
            drop(out);
        }
        v.sort_by(f64::total_cmp);
        Some(v[v.len() / 2])
    }
    let load = median_ms(|| Store::open(dir));
    let save = median_ms(|| store.save().unwrap());
    if let (Some(load), Some(save)) = (load, save) {
        eprintln!("on-CPU median: load_100k {load:.1} ms, save_100k {save:.1} ms");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
