//! `dubao search QUERY [LIBRARY…] [--json] [--limit N]`: the archive-wide search from the
//! command line. The search cache is brought up to date first (new and changed issues are
//! read; a progress bar shows when stderr is a terminal), then hits stream out newest first
//! as they are found: one line per article, `date  publication  page  headline  snippet`,
//! display-safe (control characters shown as placeholders, no escape codes), or with
//! `--json` one JSON object per line with the ids and the `TextPos` of every hit. A closed
//! pipe ends the search quietly. Exit code 0 when something was found, 1 when nothing was
//! (as grep), 2 for a query that cannot be understood.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use serde::Serialize;

use crate::config::Config;
use crate::library::{self, LibraryIndex};
use crate::model::ArticleId;

use crate::search::{
    self, BuildOptions, CancelToken, Flow, Folder, Hit, HitPos, LocalScan, Query, SearchBackend,
    Snippet,
};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words that must all occur (any length, no segmentation), "a phrase", -word to exclude,
    /// filters date:2021 date:2020-03..2020-06 pub:NAME page:N in:title by:NAME.
    pub query: String,
    /// Library folders or page files (default: the configured library, else the samples).
    #[arg(value_name = "LIBRARY")]
    pub paths: Vec<PathBuf>,
    /// One JSON object per matching article, with ids and hit positions.
    #[arg(long)]
    pub json: bool,
    /// Stop after N articles.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Articles with the words in the headline first, then by hit density (default: newest
    /// first, streamed).
    #[arg(long)]
    pub relevance: bool,
    /// Cache folder (default: $XDG_CACHE_HOME/dubao).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// The library the command works on, and the roots that name its cache.
pub(super) fn library(paths: &[PathBuf], cfg: &Config) -> (LibraryIndex, Vec<PathBuf>) {
    if !paths.is_empty() {
        (library::scan(paths), paths.to_vec())
    } else if !cfg.library.is_empty() {
        let roots = cfg.library_paths();
        (library::scan(&roots), roots)
    } else {
        (library::bundled(), Vec::new())
    }
}

/// Bring the cache for `roots` up to date (a progress bar on a terminal); returns its folder.
pub(super) fn update_cache(
    index: &LibraryIndex,
    roots: &[PathBuf],
    cache_dir: Option<&std::path::Path>,
    folder: &Folder,
    cfg: &Config,
) -> anyhow::Result<(PathBuf, search::Progress)> {
    let dir = search::manifest::cache_dir(cache_dir, roots)
        .ok_or_else(|| anyhow::anyhow!("no cache folder; pass --cache-dir"))?;
    let opts = BuildOptions {
        parse: cfg.parse_options(),
        ..BuildOptions::default()
    };
    let bar = io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} issues read  {msg}  {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut show = |p: &search::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.to_read as u64);
            bar.set_position(p.read as u64);
            if let Some(d) = p.reached {
                bar.set_message(format!("back to {d}"));
            }
        }
    };
    let progress = search::build::build(
        &dir,
        &index.issues,
        folder,
        &opts,
        &CancelToken::default(),
        &mut show,
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok((dir, progress))
}

pub fn run(args: &SearchArgs, cfg: &Config) -> anyhow::Result<i32> {
    let folder = Arc::new(Folder::new()?);
    let query = match Query::parse(&args.query, &folder) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("dubao search: {e}");
            return Ok(2);
        }
    };
    let (index, roots) = library(&args.paths, cfg);
    for e in &index.errors {
        eprintln!("dubao search: {e}");
    }
    let (dir, _) = update_cache(&index, &roots, args.cache_dir.as_deref(), &folder, cfg)?;
    let scan = LocalScan::open(dir, folder);
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut found = 0;
    let mut broken = false;
    let mut kept: Vec<Hit> = Vec::new();
    let write = |out: &mut io::BufWriter<io::StdoutLock>, hit: &Hit| -> io::Result<()> {
        if args.json {
            serde_json::to_writer(&mut *out, &JsonHit::from(hit))?;
            writeln!(out)
        } else {
            writeln!(out, "{}", line(hit))
        }
    };
    let summary = scan.search(&query, &CancelToken::default(), &mut |hit| {
        if limit == 0 {
            return Flow::Stop;
        }
        found += 1;
        if args.relevance {
            kept.push(hit);
            return Flow::Continue;
        }
        // Flushed per article: a reader of the pipe sees the first hits at once.
        if write(&mut out, &hit).and_then(|()| out.flush()).is_err() {
            broken = true;
            return Flow::Stop;
        }
        if found >= limit {
            Flow::Stop
        } else {
            Flow::Continue
        }
    })?;
    if args.relevance {
        search::sort_by_relevance(&mut kept);
        for hit in kept.iter().take(limit) {
            if write(&mut out, hit).is_err() {
                broken = true;
                break;
            }
        }
        broken |= out.flush().is_err();
    }
    for id in &summary.damaged {
        eprintln!("dubao search: {id}: cached text damaged, skipped (re-read next time)");
    }
    if broken {
        return Ok(0);
    }
    Ok(if found > 0 { 0 } else { 1 })
}

/// `date  publication  page  headline  snippet`, one line, display-safe.
fn line(hit: &Hit) -> String {
    let date = hit
        .date
        .map_or_else(|| "----------".to_string(), |d| d.to_string());
    let publication = hit.publication.as_deref().unwrap_or("-");
    let title = if hit.title.trim().is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    format!(
        "{date}  {}  {}  {}  {}",
        one_line(publication),
        hit.page_number,
        one_line(title),
        one_line(&hit.snippet.text)
    )
}

/// Whitespace runs to one space, control characters to visible placeholders.
fn one_line(s: &str) -> String {
    crate::text::display_safe(&s.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// The `--json` line: ids first, then what a script shows, then every hit's position.
#[derive(Serialize)]
struct JsonHit<'a> {
    issue: &'a str,
    date: Option<String>,
    publication: Option<&'a str>,
    page_number: usize,
    article: &'a ArticleId,
    title: &'a str,
    snippet: &'a Snippet,
    positions: &'a [HitPos],
}

impl<'a> From<&'a Hit> for JsonHit<'a> {
    fn from(h: &'a Hit) -> Self {
        JsonHit {
            issue: &h.issue,
            date: h.date.map(|d| d.to_string()),
            publication: h.publication.as_deref(),
            page_number: h.page_number,
            article: &h.article,
            title: &h.title,
            snippet: &h.snippet,
            positions: &h.positions,
        }
    }
}
