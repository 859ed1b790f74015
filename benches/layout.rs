//! Layout throughput: a large article (many paragraphs, width 80, hanging on) in MB/s, and a
//! 7 MB single paragraph at width 40 — the linear-time check of the line breaker.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dubao::model::{Article, Block, BlockKind};
use dubao::text::{AmbiguousWidth, LayoutOptions, layout_article};

const PHRASES: &[&str] = &[
    "受冷空气影响，",
    "我市气温骤降，",
    "为群众安全出行“保驾护航”。",
    "发现一般隐患1807项，",
    "行政处罚123.5万元，",
    "深入开展“三年专项整治”“百日攻坚”",
    "修订了《平城区小学作息时间表(试行)》，",
    "访问www.dtnews.cn了解详情。",
    "非常感谢巡察组……”",
    "积极探索实践“党建引领+新就业群体”治理模式，",
    "COVID-19 iPhone 5G ",
    "全力以赴守好红线、筑牢防线。",
];

/// Deterministic text of about `bytes` bytes from the phrases (a small LCG picks them).
fn text(bytes: usize, mut seed: u64) -> String {
    let mut out = String::with_capacity(bytes + 64);
    while out.len() < bytes {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push_str(PHRASES[(seed >> 33) as usize % PHRASES.len()]);
    }
    out
}

fn article(paragraphs: usize, bytes_each: usize) -> Article {
    Article {
        title_lines: vec!["平城区多措并举全面筑牢安全生产防线".into()],
        blocks: (0..paragraphs)
            .map(|k| Block::new(BlockKind::Paragraph, text(bytes_each, k as u64)))
            .collect(),
        ..Article::default()
    }
}

fn bytes_of(a: &Article) -> u64 {
    a.blocks.iter().map(|b| b.text.len() as u64).sum()
}

fn bench_layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);

    let big = article(2000, 1000);
    group.throughput(Throughput::Bytes(bytes_of(&big)));
    let o80 = LayoutOptions {
        width: 80,
        amb: AmbiguousWidth::Narrow,
        indent: true,
        hang: true,
    };
    group.bench_function("article_2MB_w80", |b| {
        b.iter(|| layout_article(black_box(&big), &o80));
    });

    let one = article(1, 7 * 1024 * 1024);
    group.throughput(Throughput::Bytes(bytes_of(&one)));
    let o40 = LayoutOptions { width: 40, ..o80 };
    group.bench_function("paragraph_7MB_w40", |b| {
        b.iter(|| layout_article(black_box(&one), &o40));
    });
    group.finish();
}

criterion_group!(benches, bench_layout);
criterion_main!(benches);
