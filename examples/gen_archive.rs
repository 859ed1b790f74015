//! A deterministic synthetic archive for benchmarks: the bundled sample pages recombined into
//! dated issue folders, one per day going back from a fixed date.
//!
//! ```sh
//! cargo run --release --example gen_archive -- /tmp/archive --issues 3650 --pages 4
//! # → /tmp/archive/dubao-daily/2026-11-28/01.txt … 04.txt, 2026-11-27/…, back to 2016-12-01
//! cargo run --release --example gen_archive -- /tmp/archive --scan-only   # time the scan
//! cargo run --release --example gen_archive -- /tmp/nested --nested        # 2016/12/01/01.txt
//! cargo run --release --example gen_archive -- /tmp/numbered --numbered    # 第0001期/01.txt
//! cargo run --release --example gen_archive -- /tmp/varied --pages 12 --varied  # search bench
//! ```
//!
//! `--varied` writes text that does not repeat (for the search bench, where recombined sample
//! stories would make every term occur on every page): see [`generate_varied`].
//!
//! Each page takes the head (text before the first heading) of one sample page, with the
//! sample's date rewritten to the issue's, then stories (a headline group and its text) drawn
//! from all samples by a fixed-seed PRNG, with their paragraphs rotated, so pages differ while
//! staying real page text. The same arguments always give the same bytes. `benches/library.rs`
//! includes this file to build its archive.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use dubao::model::Date;

#[derive(Debug, Clone, Parser)]
#[command(about = "Generate a deterministic dated archive from the bundled sample pages")]
pub struct Spec {
    /// Output folder (created; existing pages are overwritten).
    pub dir: PathBuf,
    /// Number of daily issues.
    #[arg(long, default_value_t = 3650)]
    pub issues: usize,
    /// Pages per issue.
    #[arg(long, default_value_t = 4)]
    pub pages: usize,
    /// Date of the newest issue (YYYY-MM-DD).
    #[arg(long, default_value = "2026-11-28")]
    pub newest: String,
    /// Publication folder between DIR and the issue folders.
    #[arg(long, default_value = "dubao-daily")]
    pub publication: String,
    #[arg(long, default_value_t = 0x00d0_ba00)]
    pub seed: u64,
    /// Year/month/day folders (`2016/12/01/`) instead of dated folder names.
    #[arg(long, conflicts_with = "numbered")]
    pub nested: bool,
    /// Undated issue folders named by number (`第0001期/`, oldest first): dubao must open
    /// every one at start-up to find its pages (the slow case).
    #[arg(long)]
    pub numbered: bool,
    /// Do not generate; scan DIR with dubao's library scan and print the time.
    #[arg(long)]
    pub scan_only: bool,
    /// After generating, scan DIR and print the time.
    #[arg(long)]
    pub scan: bool,
    /// With --scan/--scan-only: then visit this many issues as the reader does (background
    /// loader, as many parsed issues kept as the reader keeps) and print the per-issue time
    /// and the process memory.
    #[arg(long, default_value_t = 0)]
    pub visit: usize,
}

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub issues: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// A sample page cut into its head and its stories.
struct Sample {
    date: Date,
    head: String,
    stories: Vec<Vec<String>>,
}

/// splitmix64: tiny, fast, and fixed forever (a `rand` upgrade cannot change the archive).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }
}

/// Write the archive described by `spec`.
pub fn generate(spec: &Spec) -> io::Result<Summary> {
    let newest = dubao::library::date_in_name(&spec.newest)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "--newest: not a date"))?;
    let samples = samples();
    let pool: Vec<(Date, &Vec<String>)> = samples
        .iter()
        .flat_map(|s| s.stories.iter().map(|story| (s.date, story)))
        .collect();
    let base = spec.dir.join(&spec.publication);
    let mut summary = Summary::default();
    for n in 0..spec.issues {
        let date = days_to_date(date_to_days(newest) - n as i64);
        let folder = if spec.numbered {
            base.join(format!("第{:04}期", spec.issues - n))
        } else if spec.nested {
            base.join(format!(
                "{:04}/{:02}/{:02}",
                date.year, date.month, date.day
            ))
        } else {
            base.join(date.to_string())
        };
        fs::create_dir_all(&folder)?;
        for p in 0..spec.pages {
            let mut rng = Rng(spec.seed ^ ((n as u64) << 20) ^ p as u64);
            let sample = &samples[(n + p) % samples.len()];
            let text = page_text(sample, &pool, date, &mut rng);
            fs::write(folder.join(format!("{:02}.txt", p + 1)), &text)?;
            summary.pages += 1;
            summary.bytes += text.len() as u64;
        }
        summary.issues += 1;
    }
    Ok(summary)
}

fn page_text(sample: &Sample, pool: &[(Date, &Vec<String>)], date: Date, rng: &mut Rng) -> String {
    let mut out = rewrite_date(&sample.head, sample.date, date);
    // One to two more stories than the sample page had, so pages differ in length too.
    let count = sample.stories.len().max(1) + rng.below(2);
    for _ in 0..count {
        let Some(&(story_date, story)) = pool.get(rng.below(pool.len())) else {
            break;
        };
        // Keep the headline group first; rotate the body paragraphs.
        let heads = story.iter().take_while(|b| b.starts_with('#')).count();
        let body = &story[heads..];
        let shift = rng.below(body.len().max(1));
        let blocks = story[..heads]
            .iter()
            .chain(body[shift..].iter())
            .chain(body[..shift].iter());
        for block in blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&rewrite_date(block, story_date, date));
        }
    }
    out.push('\n');
    out
}

/// The sample pages cut into heads and stories. A story starts at a heading line that
/// follows text (a run of heading lines is one headline group).
fn samples() -> Vec<Sample> {
    dubao::library::sample_pages()
        .into_iter()
        .map(|(folder, _, text)| {
            let text = text.replace("\r\n", "\n");
            let mut head = Vec::new();
            let mut stories: Vec<Vec<String>> = Vec::new();
            let mut last_was_heading = false;
            for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
                let heading = block.starts_with('#');
                if heading && !last_was_heading {
                    stories.push(Vec::new());
                }
                match stories.last_mut() {
                    Some(story) => story.push(block.to_string()),
                    None => head.push(block.to_string()),
                }
                last_was_heading = heading;
            }
            Sample {
                date: dubao::library::date_in_name(folder).unwrap_or(Date {
                    year: 2026,
                    month: 11,
                    day: 28,
                }),
                head: head.join("\n\n"),
                stories,
            }
        })
        .collect()
}

/// Replace the sample's date, in the forms pages print it, by the issue's date.
fn rewrite_date(text: &str, from: Date, to: Date) -> String {
    let forms = |d: Date| {
        [
            format!("{}年{}月{}日", d.year, d.month, d.day),
            format!("{d}"),
            format!("{:04}{:02}{:02}", d.year, d.month, d.day),
        ]
    };
    let mut out = text.to_string();
    for (a, b) in forms(from).iter().zip(forms(to).iter()) {
        out = out.replace(a.as_str(), b);
    }
    out
}

/// Sentence and character pools for varied text, from the sample pages.
struct Pools {
    sentences: Vec<Vec<char>>,
    /// Every Han character of the samples, with repetition (so frequencies stay realistic).
    han: Vec<char>,
}

fn pools() -> Pools {
    let mut sentences = Vec::new();
    let mut han = Vec::new();
    for (_, _, text) in dubao::library::sample_pages() {
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut cur = Vec::new();
            for c in line.trim().chars() {
                if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                    han.push(c);
                }
                cur.push(c);
                if matches!(c, '。' | '！' | '？') {
                    sentences.push(std::mem::take(&mut cur));
                }
            }
            if cur.len() > 8 {
                cur.push('。');
                sentences.push(cur);
            }
        }
    }
    Pools { sentences, han }
}

/// Traditional forms mixed into varied text (one story in ten), and full-width words.
const TRADITIONAL: [(char, char); 8] = [
    ('国', '國'),
    ('发', '發'),
    ('经', '經'),
    ('济', '濟'),
    ('东', '東'),
    ('会', '會'),
    ('们', '們'),
    ('学', '學'),
];

fn varied_sentence(p: &Pools, rng: &mut Rng, traditional: bool) -> String {
    let base = &p.sentences[rng.below(p.sentences.len())];
    let mut out = String::new();
    for &c in base {
        let han = ('\u{4e00}'..='\u{9fff}').contains(&c);
        let mut c = if han && rng.below(3) == 0 {
            p.han[rng.below(p.han.len())]
        } else {
            c
        };
        if traditional && let Some(&(_, t)) = TRADITIONAL.iter().find(|(s, _)| *s == c) {
            c = t;
        }
        out.push(c);
    }
    match rng.below(200) {
        0 => out.insert_str(0, "ＣＯＶＩＤ－１９"),
        1 => out.insert_str(0, "COVID-19"),
        _ => {}
    }
    out
}

fn varied_page(sample: &Sample, p: &Pools, date: Date, rng: &mut Rng) -> String {
    let mut out = rewrite_date(&sample.head, sample.date, date);
    while out.len() < 9_000 {
        let traditional = rng.below(10) == 0;
        let title: String = varied_sentence(p, rng, traditional)
            .chars()
            .filter(|c| !matches!(c, '。' | '！' | '？' | '，'))
            .take(8 + rng.below(10))
            .collect();
        out.push_str(&format!("\n\n## {title}\n\n"));
        for k in 0..3 + rng.below(6) {
            if k > 0 {
                out.push_str("\n\n");
            }
            let mut para = String::from("　　");
            while para.chars().count() < 60 + rng.below(240) {
                para.push_str(&varied_sentence(p, rng, traditional));
            }
            // One paragraph in four is cut by a column break mid-word.
            if rng.below(4) == 0 {
                let chars: Vec<char> = para.chars().collect();
                let mut cut = 10 + rng.below(chars.len() - 20);
                while cut < chars.len() - 1 && !('\u{4e00}'..='\u{9fff}').contains(&chars[cut - 1])
                {
                    cut += 1;
                }
                para = format!(
                    "{}\n\n{}",
                    chars[..cut].iter().collect::<String>(),
                    chars[cut..].iter().collect::<String>()
                );
            }
            out.push_str(&para);
        }
    }
    out.push('\n');
    out
}

/// Like [`generate`], with varied text (see `--varied`). Issue 20, 40, … has its second page
/// in GB18030, as older archives do.
pub fn generate_varied(spec: &Spec) -> io::Result<Summary> {
    let newest = dubao::library::date_in_name(&spec.newest)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "--newest: not a date"))?;
    let samples = samples();
    let pools = pools();
    let base = spec.dir.join(&spec.publication);
    let mut summary = Summary::default();
    for n in 0..spec.issues {
        let date = days_to_date(date_to_days(newest) - n as i64);
        let folder = base.join(date.to_string());
        fs::create_dir_all(&folder)?;
        for p in 0..spec.pages {
            let mut rng = Rng(spec.seed ^ ((n as u64) << 20) ^ p as u64);
            let text = varied_page(&samples[(n + p) % samples.len()], &pools, date, &mut rng);
            let bytes = if n % 20 == 19 && p == 1 {
                encoding_rs::GB18030.encode(&text).0.into_owned()
            } else {
                text.into_bytes()
            };
            fs::write(folder.join(format!("{:02}.txt", p + 1)), &bytes)?;
            summary.pages += 1;
            summary.bytes += bytes.len() as u64;
        }
        summary.issues += 1;
    }
    Ok(summary)
}

/// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
pub fn date_to_days(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month), i64::from(d.day));
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn days_to_date(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: year as u16,
        month: month as u8,
        day: day as u8,
    }
}

fn scan_and_report(dir: &Path, visit: usize) {
    let start = Instant::now();
    let index = dubao::library::scan(&[dir.to_path_buf()]);
    let elapsed = start.elapsed();
    println!(
        "scan: {} issues, {} pages, {} errors in {:.1} ms",
        index.issues.len(),
        index.page_count(),
        index.errors.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    if visit == 0 {
        return;
    }
    println!("memory after scan: {}", memory());
    let mut loader = dubao::library::Loader::new(Default::default());
    // As many parsed issues as the reader keeps (`ui::update::KEEP_ISSUES`; not imported:
    // this example also builds without the reader), the oldest dropped first.
    let keep = 12;
    let mut cache = std::collections::VecDeque::new();
    let mut times = Vec::new();
    for entry in index.issues.iter().take(visit) {
        let t = Instant::now();
        loader.request(entry);
        if let Some(issue) = loader.recv_timeout(std::time::Duration::from_secs(10)) {
            cache.push_back(issue);
            if cache.len() > keep {
                cache.pop_front();
            }
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    println!(
        "visited {} issues: switch median {median:.2} ms, max {max:.2} ms; cache {} issues",
        times.len(),
        cache.len()
    );
    println!("memory after visiting: {}", memory());
}

/// Current and peak resident memory of this process (Linux), as `VmRSS … VmHWM …`.
fn memory() -> String {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "n/a".into())
    };
    format!("VmRSS {}, VmHWM {}", field("VmRSS:"), field("VmHWM:"))
}

/// The command line: a [`Spec`] plus the choice of text.
#[derive(Debug, Parser)]
struct Cli {
    #[command(flatten)]
    spec: Spec,
    /// Varied text (sample sentences with a third of their characters redrawn, a GB18030 page
    /// in every 20th issue, some traditional and full-width forms, column breaks): about 9 KB
    /// a page, for the search bench.
    #[arg(long)]
    varied: bool,
}

fn main() -> io::Result<()> {
    let cli = Cli::parse();
    let spec = cli.spec;
    if !spec.scan_only {
        let start = Instant::now();
        let s = if cli.varied {
            generate_varied(&spec)?
        } else {
            generate(&spec)?
        };
        println!(
            "wrote {} issues, {} pages, {:.1} MB to {} in {:.2} s",
            s.issues,
            s.pages,
            s.bytes as f64 / 1e6,
            spec.dir.display(),
            start.elapsed().as_secs_f64()
        );
    }
    if spec.scan || spec.scan_only {
        scan_and_report(&spec.dir, spec.visit);
    }
    Ok(())
}
