//! Parser throughput. `large`: the bundled sample pages repeated to about 4 MB (MB/s is the
//! figure in doc/parse.md); and two pathological pages that must stay linear: one 7 MB
//! paragraph, and a page of 100,000 headings (each with a line of text), plus 100,000
//! headings in a row (one huge headline group).
//!
//! `large_4MB` times the parse alone (the returned page is dropped outside the timed loop);
//! `large_4MB_with_drop` times parsing and freeing the page together; `pages_4MB_with_drop`
//! parses and frees the same 4 MB as the ~3 KB sample pages they are made of, one at a time.
//!
//! Run: `cargo bench --bench parse -- --warm-up-time 1 --measurement-time 3`, or
//! `scripts/parse_bench.sh` for several runs and the median of their medians.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dubao::parse::{ParseOptions, parse_bytes};

const SAMPLES: [&str; 6] = [
    include_str!("../assets/samples/2026-11-26/01.txt"),
    include_str!("../assets/samples/2026-11-26/02.txt"),
    include_str!("../assets/samples/2026-11-27/01.txt"),
    include_str!("../assets/samples/2026-11-27/02.txt"),
    include_str!("../assets/samples/2026-11-28/01.txt"),
    include_str!("../assets/samples/2026-11-28/02.txt"),
];

fn large_page(target: usize) -> String {
    let mut out = String::with_capacity(target + 8192);
    while out.len() < target {
        for page in SAMPLES {
            out.push_str(page);
            out.push_str("\n\n");
        }
    }
    out
}

/// One paragraph: soft-wrapped lines, no blank line, no sentence end anywhere.
fn single_paragraph(target: usize) -> String {
    let line =
        "平城区多措并举消除事故隐患提升全区安全生产工作整体水平确保了全区安全生产形势的稳定\n";
    line.repeat(target / line.len() + 1)
}

fn many_headings(n: usize, with_text: bool) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&format!("## 第{i}条新闻标题\n\n"));
        if with_text {
            out.push_str("本报讯（记者 孙露）正文一句。\n\n");
        }
    }
    out
}

/// Whether freeing the returned page is timed with the parse.
#[derive(Clone, Copy, PartialEq)]
enum Free {
    /// The parse alone: the page is dropped outside the timed loop.
    Untimed,
    /// The parse and freeing the page (what a reader pays to open a page and let it go).
    Timed,
}

fn bench(c: &mut Criterion, name: &str, input: &str, free: Free) {
    let opts = ParseOptions::default();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    let parse = || parse_bytes("bench", black_box(input.as_bytes()), &opts);
    group.bench_function(name, |b| match free {
        Free::Untimed => b.iter_with_large_drop(parse),
        Free::Timed => b.iter(parse),
    });
    group.finish();
}

/// The same 4 MB as `large_4MB`, as the page files it is made of (a few KB each, like the
/// pages a reader opens): each page parsed and freed in turn, freeing timed.
fn bench_pages(c: &mut Criterion, name: &str, target: usize) {
    let opts = ParseOptions::default();
    let mut pages = Vec::new();
    let mut total = 0;
    while total < target {
        for page in SAMPLES {
            pages.push(page.as_bytes());
            total += page.len();
        }
    }
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| {
            for bytes in &pages {
                black_box(parse_bytes("bench", black_box(bytes), &opts)).ok();
            }
        });
    });
    group.finish();
}

fn parse_benches(c: &mut Criterion) {
    let large = large_page(4 << 20);
    bench(c, "large_4MB", &large, Free::Untimed);
    bench(c, "large_4MB_with_drop", &large, Free::Timed);
    bench_pages(c, "pages_4MB_with_drop", 4 << 20);
    bench(
        c,
        "single_paragraph_7MB",
        &single_paragraph(7 << 20),
        Free::Untimed,
    );
    bench(
        c,
        "headings_100k_with_text",
        &many_headings(100_000, true),
        Free::Untimed,
    );
    bench(
        c,
        "headings_100k_in_a_row",
        &many_headings(100_000, false),
        Free::Untimed,
    );
}

criterion_group!(benches, parse_benches);
criterion_main!(benches);
