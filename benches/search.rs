//! The search at archive scale, as figures (not a criterion bench: building a 400 MB cache
//! is not something to repeat a hundred times). On the varied generated archive
//! (`gen_archive --varied`, 3,650 issues × 12 pages under `cargo bench`, 20 × 3 under
//! `cargo test`) it prints:
//!
//! - cache build: seconds, MB/s of page bytes and of folded text;
//! - per query (1-, 2-, 4-character terms, a full-width one, an AND, an absent one): time to
//!   the first 20 articles and to the full count (median of 5), articles and occurrences;
//! - recall: the scan's article count against a brute-force pass over the parsed model;
//! - extra memory while searching (peak RSS growth, Linux);
//! - time until a new issue is searchable (refresh of the whole library + search);
//! - `rg` on the same raw files, when it is installed, for the ratio.
//!
//! `SEARCH_ARCHIVE=DIR` reuses an archive already generated (scripts/search_bench.sh does).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

#[allow(dead_code)]
#[path = "../examples/gen_archive.rs"]
mod gen_archive;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dubao::library;
use dubao::search::build::build;
use dubao::search::{
    BuildOptions, CancelToken, Flow, Folder, LocalScan, Query, SearchBackend, Summary,
};

const QUERIES: [&str; 6] = [
    "雪",
    "安全",
    "安全生产",
    "covid-19",
    "安全 隐患",
    "御河东路",
];

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn status(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// CPU time of the whole process so far (every thread, finished ones included), in ms
/// (Linux, in clock ticks of 10 ms: take differences over several runs; 0 elsewhere).
fn process_cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    f.get(11)
        .zip(f.get(12))
        .map_or(0.0, |(u, s)| (u + s) * 10.0)
}

/// Peak resident memory (kB) of this process while `f` runs, sampled every millisecond.
fn peak_rss_during(f: impl FnOnce()) -> u64 {
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let watcher = s.spawn(|| {
            let mut peak = status("VmRSS:");
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(status("VmRSS:"));
                std::thread::sleep(Duration::from_millis(1));
            }
            peak.max(status("VmRSS:"))
        });
        f();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        watcher.join().unwrap_or(0)
    })
}

fn count(scan: &LocalScan, q: &Query) -> (Duration, Summary) {
    let t = Instant::now();
    let s = scan.count(q, &CancelToken::default()).expect("count");
    (t.elapsed(), s)
}

fn run(scan: &LocalScan, q: &Query, stop_after: usize) -> (Duration, Summary) {
    let t = Instant::now();
    let mut n = 0;
    let summary = scan
        .search(q, &CancelToken::default(), &mut |_| {
            n += 1;
            if n >= stop_after {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
        .expect("search");
    (t.elapsed(), summary)
}

fn spec(dir: &Path, issues: usize, pages: usize) -> gen_archive::Spec {
    gen_archive::Spec {
        dir: dir.to_path_buf(),
        issues,
        pages,
        newest: "2026-11-28".into(),
        publication: "dubao-daily".into(),
        seed: 0x00d0_ba00,
        nested: false,
        numbered: false,
        scan_only: false,
        scan: false,
        visit: 0,
    }
}

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let archive = match std::env::var_os("SEARCH_ARCHIVE") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let (issues, pages) = if bench_mode() { (3650, 12) } else { (20, 3) };
            let dir = tmp.path().join("archive");
            gen_archive::generate_varied(&spec(&dir, issues, pages)).expect("generate");
            dir
        }
    };
    let cache = tmp.path().join("cache");
    let folder = Arc::new(Folder::new().expect("fold table"));
    let index = library::scan(std::slice::from_ref(&archive));
    let raw: u64 = walk_bytes(&archive);
    println!(
        "archive: {} issues, {:.1} MB of page files",
        index.issues.len(),
        raw as f64 / 1e6
    );

    let (t, cpu) = (Instant::now(), process_cpu_ms());
    let opts = BuildOptions::default();
    let p = build(
        &cache,
        &index.issues,
        &folder,
        &opts,
        &CancelToken::default(),
        &mut |_| {},
    )
    .expect("build");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "cache build: {:.1} s ({:.1} s CPU) for {} issues; {:.1} MB/s of pages, {:.1} MB/s of folded text ({:.1} MB)",
        secs,
        (process_cpu_ms() - cpu) / 1000.0,
        p.read,
        raw as f64 / 1e6 / secs,
        p.bytes as f64 / 1e6 / secs,
        p.bytes as f64 / 1e6
    );

    if only_new_issue() {
        new_issue(&archive, &cache, &folder);
        return;
    }
    let scan = LocalScan::open(cache.clone(), Arc::clone(&folder));
    let queries: Vec<Query> = QUERIES
        .iter()
        .map(|q| Query::parse(q, &folder).expect("query"))
        .collect();
    let mut counts = Vec::new();
    println!(
        "query          first 20 (ms)  count (ms)  count CPU, all threads (ms)  every hit built (ms)  articles  occurrences"
    );
    for (text, q) in QUERIES.iter().zip(&queries) {
        count(&scan, q); // warm the page cache
        let first: Vec<Duration> = (0..5).map(|_| run(&scan, q, 20).0).collect();
        let cpu = process_cpu_ms();
        let counted: Vec<(Duration, Summary)> = (0..5).map(|_| count(&scan, q)).collect();
        let cpu = (process_cpu_ms() - cpu) / 5.0;
        let all: Vec<Duration> = (0..3).map(|_| run(&scan, q, usize::MAX).0).collect();
        let s = counted[0].1.clone();
        println!(
            "{:<14} {:>13.1} {:>11.1} {:>28.0} {:>21.1} {:>9} {:>12}",
            text,
            median(first),
            median(counted.iter().map(|c| c.0).collect()),
            cpu,
            median(all),
            s.articles,
            s.hits,
        );
        counts.push(s.articles);
    }
    println!(
        "(each query scans {:.1} MB of folded text)",
        scan.coverage().bytes as f64 / 1e6
    );

    // Peak memory while searching (every hit built), over what the process held before.
    let before = status("VmRSS:");
    let peak = peak_rss_during(|| {
        run(&scan, &queries[0], usize::MAX);
    });
    println!(
        "memory: {} kB resident before the search, peak {} kB during it: +{:.1} MB",
        before,
        peak,
        peak.saturating_sub(before) as f64 / 1024.0
    );
    let t = Instant::now();
    let _ = Folder::new();
    println!(
        "fold table built in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    recall(&index.issues, &folder, &counts);
    new_issue(&archive, &cache, &folder);
    ripgrep(&archive);
}

/// `SEARCH_BENCH_PART=new`: only the build and the new issue (to look at one figure again).
fn only_new_issue() -> bool {
    std::env::var("SEARCH_BENCH_PART").is_ok_and(|p| p == "new")
}

/// Articles containing each query's terms (and none of its exclusions), counted over the
/// parsed model with plain `str::contains` on each folded field.
fn recall(issues: &[library::IssueEntry], folder: &Folder, counts: &[usize]) {
    let t = Instant::now();
    let queries: Vec<Query> = QUERIES
        .iter()
        .map(|q| Query::parse(q, folder).expect("query"))
        .collect();
    let mut truth = vec![0usize; QUERIES.len()];
    for entry in issues {
        let issue = library::load_issue(entry, &Default::default());
        for page in &issue.pages {
            for a in &page.articles {
                let mut fields: Vec<String> = vec![
                    a.section.clone().unwrap_or_default(),
                    a.kicker.clone().unwrap_or_default(),
                    a.title(),
                    a.subtitle.clone().unwrap_or_default(),
                ];
                fields.extend(a.blocks.iter().map(|b| b.text.clone()));
                let folded: Vec<String> = fields.iter().map(|f| folder.fold(f)).collect();
                let has = |t: &String| folded.iter().any(|f| f.contains(t.as_str()));
                for (k, q) in queries.iter().enumerate() {
                    if q.terms.iter().all(has) && !q.exclude.iter().any(has) {
                        truth[k] += 1;
                    }
                }
            }
        }
    }
    for (k, q) in QUERIES.iter().enumerate() {
        let pct = if truth[k] == 0 {
            100.0
        } else {
            counts[k] as f64 * 100.0 / truth[k] as f64
        };
        println!(
            "recall {q}: scan {} / brute force {} articles = {pct:.1} %",
            counts[k], truth[k]
        );
    }
    println!(
        "(brute force over the parsed model took {:.1} s)",
        t.elapsed().as_secs_f64()
    );
}

/// Add one issue (newer than all) and time until a search finds it, as the reader does: a
/// scan already open, the library scanned again (reported apart: the reader does that at
/// start anyway), the builder's pass, whose first round commits the new issue, then
/// `refresh` (the log's tail) and a search until its first hit. Three new issues, one after
/// another; the median is the figure.
fn new_issue(archive: &Path, cache: &Path, folder: &Arc<Folder>) {
    let t = Instant::now();
    let scan = LocalScan::open(cache.to_path_buf(), Arc::clone(folder));
    println!(
        "(reading the whole manifest log, {:.2} MB: {:.1} ms)",
        std::fs::metadata(cache.join("manifest.log")).map_or(0, |m| m.len()) as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    let mut dirs = Vec::new();
    for day in ["2026-11-29", "2026-11-30", "2026-12-01"] {
        let dir = archive.join("dubao-daily").join(day);
        let _ = std::fs::create_dir_all(&dir);
        let word = format!("晋风雅韵{}", &day[8..]);
        for p in 1..=12 {
            let text = format!("## 新刊第{p}版\n\n本期新增栏目“{word}”今日与读者见面。\n");
            let _ = std::fs::write(dir.join(format!("{p:02}.txt")), text);
        }
        dirs.push(dir);
        let q = Query::parse(&word, folder).expect("query");
        let t = Instant::now();
        let index = library::scan(&[archive.to_path_buf()]);
        let scan_ms = t.elapsed().as_secs_f64() * 1000.0;
        let (t, cpu) = (Instant::now(), process_cpu_ms());
        // (ms at the commit, at the end of refresh, at the first hit; process CPU; articles)
        let mut found: Option<([f64; 4], usize)> = None;
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let p = build(
            cache,
            &index.issues,
            folder,
            &BuildOptions::default(),
            &CancelToken::default(),
            &mut |_| {
                if found.is_none() {
                    let committed = ms(t);
                    scan.refresh().expect("refresh");
                    let refreshed = ms(t);
                    let (_, s) = run(&scan, &q, 1);
                    if s.articles > 0 {
                        let used = process_cpu_ms() - cpu;
                        found = Some(([committed, refreshed, ms(t), used], s.articles));
                    }
                }
            },
        )
        .expect("build");
        let pass_ms = ms(t);
        let ([committed, refreshed, hit, used], articles) = found.unwrap_or(([f64::NAN; 4], 0));
        println!(
            "new issue {day} searchable after {hit:.0} ms ({used:.0} ms CPU): committed by the builder's first \
             round at {committed:.0} ms, refresh done at {refreshed:.0} ms, first hit at {hit:.0} ms ({articles} \
             article found; the library scan before it {scan_ms:.0} ms; the whole pass, with the stamp and \
             full-signature rounds, {pass_ms:.0} ms; {} issue read)",
            p.read,
        );
        if hit.is_finite() {
            times.push(Duration::from_secs_f64(hit / 1000.0));
        }
    }
    if !times.is_empty() {
        println!("new issue searchable: median {:.0} ms", median(times));
    }
    for dir in dirs {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn ripgrep(archive: &Path) {
    for q in ["雪", "安全", "安全生产", "covid-19", "御河东路"] {
        let t = Instant::now();
        let out = Command::new("rg")
            .args(["--count-matches", "--no-messages", "-i", q])
            .arg(archive)
            .output();
        let Ok(out) = out else {
            println!("rg: not installed");
            return;
        };
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let hits: u64 = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.rsplit(':').next()?.parse::<u64>().ok())
            .sum();
        println!("rg -i {q}: {ms:.0} ms, {hits} occurrences in the raw files");
    }
}

fn walk_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                total += walk_bytes(&p);
            } else if let Ok(m) = e.metadata() {
                total += m.len();
            }
        }
    }
    total
}
