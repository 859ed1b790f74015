//! [`LocalScan`]: the search backend that scans the cache's folded text with
//! `memchr::memmem`, newest issues first.
//!
//! The manifest lists issues newest first, and an issue's text is contiguous in its segment,
//! so consecutive issues of one segment are read as one run of up to [`CHUNK`] bytes (one
//! read; the text is never held whole, so memory stays flat however large the archive).
//! Inside a run each issue is scanned forward for the query's longest term; at a hit the
//! article is cut out between its NULs, checked against the other terms, exclusions and
//! filters, reported, and the scan continues after that article. Only a matching article's
//! issue has its records read, to map the hit to page, article and [`TextPos`].

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use memchr::memmem::Finder;

use crate::model::{ArticleId, TextPos, title_hash};

use super::backend::{Coverage, Flow, Hit, HitPos, SearchBackend, Snippet, Summary};
use super::doc::{ARTICLE_END, ArticleRecord, Field, HEAD_FIELDS};
use super::fold::Folder;
use super::manifest::{self, IssueRecord, Manifest, read_range, segment_path};
use super::query::Query;
use super::{CancelToken, SearchError};

/// Bytes read and scanned at a time.
pub const CHUNK: u64 = 8 << 20;
/// Characters of context before the hit in a snippet, and the snippet's length.
const SNIPPET_BEFORE: usize = 12;
const SNIPPET_CHARS: usize = 48;

pub struct LocalScan {
    dir: PathBuf,
    folder: Arc<Folder>,
    snap: Mutex<Snap>,
}

#[derive(Default)]
struct Snap {
    manifest: Arc<Manifest>,
    stamp: Option<(SystemTime, u64)>,
}

impl LocalScan {
    /// The cache in `dir` as its manifest says now (empty when there is none yet).
    pub fn open(dir: PathBuf, folder: Arc<Folder>) -> LocalScan {
        let scan = LocalScan {
            dir,
            folder,
            snap: Mutex::new(Snap::default()),
        };
        let _ = scan.refresh();
        scan
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn folder(&self) -> &Arc<Folder> {
        &self.folder
    }

    fn manifest(&self) -> Arc<Manifest> {
        Arc::clone(
            &self
                .snap
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .manifest,
        )
    }
}

impl LocalScan {
    /// The scan behind [`SearchBackend::search`] (with a sink) and
    /// [`SearchBackend::count`] (without: no hit is built, only counted).
    fn run(
        &self,
        query: &Query,
        cancel: &CancelToken,
        mut sink: Option<&mut dyn FnMut(Hit) -> Flow>,
    ) -> Result<Summary, SearchError> {
        let m = self.manifest();
        let matcher = Matcher::new(query);
        let mut summary = Summary {
            coverage: coverage(&m),
            ..Summary::default()
        };
        let issues: Vec<&IssueRecord> = m
            .issues
            .iter()
            .filter(|i| query.date_matches(i.date))
            .filter(|i| {
                let folded = i.publication.as_deref().map(|p| self.folder.fold(p));
                query.publication_matches(folded.as_deref())
            })
            .collect();
        let mut files: HashMap<(u32, bool), Option<File>> = HashMap::new();
        let mut buf = Vec::new();
        let mut idx_buf = Vec::new();
        for run in runs(&issues) {
            if cancel.is_cancelled() {
                summary.cancelled = true;
                return Ok(summary);
            }
            let first = run[0];
            let range = [first.text[0], run[run.len() - 1].text[1]];
            let read = open(&mut files, &self.dir, first.segment, false)
                .and_then(|f| read_range(f, range, &mut buf).ok());
            if read.is_none() {
                summary.damaged.extend(run.iter().map(|i| i.id.clone()));
                continue;
            }
            summary.bytes += buf.len() as u64;
            for issue in run {
                let start = (issue.text[0] - range[0]) as usize;
                let end = (issue.text[1] - range[0]) as usize;
                let mut ctx = IssueScan {
                    issue,
                    text: &buf[start..end],
                    records: None,
                    idx_file: open(&mut files, &self.dir, issue.segment, true),
                    idx_buf: &mut idx_buf,
                };
                match ctx.scan(&matcher, query, cancel, &mut summary, &mut sink) {
                    Ok(Flow::Continue) => {}
                    Ok(Flow::Stop) => return Ok(summary),
                    Err(Damaged) => summary.damaged.push(issue.id.clone()),
                }
            }
        }
        summary.cancelled = cancel.is_cancelled();
        Ok(summary)
    }
}

impl SearchBackend for LocalScan {
    fn search(
        &self,
        query: &Query,
        cancel: &CancelToken,
        sink: &mut dyn FnMut(Hit) -> Flow,
    ) -> Result<Summary, SearchError> {
        self.run(query, cancel, Some(sink))
    }

    fn count(&self, query: &Query, cancel: &CancelToken) -> Result<Summary, SearchError> {
        self.run(query, cancel, None)
    }

    fn coverage(&self) -> Coverage {
        coverage(&self.manifest())
    }

    fn refresh(&self) -> Result<(), SearchError> {
        let stamp = super::build::manifest_stamp(&self.dir);
        let mut snap = self.snap.lock().unwrap_or_else(PoisonError::into_inner);
        if stamp.is_some() && stamp == snap.stamp {
            return Ok(());
        }
        let manifest = match manifest::load(&self.dir, self.folder.version()) {
            Ok(m) => m,
            Err(manifest::Unusable::Io(e)) => {
                return Err(SearchError::Io(format!("{}: {e}", self.dir.display())));
            }
            // Nothing usable yet: a builder will make it.
            Err(_) => Manifest::empty(self.folder.version()),
        };
        snap.manifest = Arc::new(manifest);
        snap.stamp = stamp;
        Ok(())
    }
}

fn coverage(m: &Manifest) -> Coverage {
    Coverage {
        issues: m.issues.len(),
        articles: m.issues.iter().map(|i| i.articles as usize).sum(),
        bytes: m.live_bytes(),
        newest: m.issues.iter().filter_map(|i| i.date).max(),
        oldest: m.issues.iter().filter_map(|i| i.date).min(),
    }
}

/// Consecutive issues whose text is contiguous in one segment, up to [`CHUNK`] bytes each.
fn runs<'a>(issues: &[&'a IssueRecord]) -> Vec<Vec<&'a IssueRecord>> {
    let mut out: Vec<Vec<&IssueRecord>> = Vec::new();
    for &issue in issues {
        match out.last_mut() {
            Some(run)
                if run[0].segment == issue.segment
                    && run[run.len() - 1].text[1] == issue.text[0]
                    && issue.text[1] - run[0].text[0] <= CHUNK =>
            {
                run.push(issue);
            }
            _ => out.push(vec![issue]),
        }
    }
    out
}

fn open<'f>(
    files: &'f mut HashMap<(u32, bool), Option<File>>,
    dir: &Path,
    segment: u32,
    idx: bool,
) -> Option<&'f mut File> {
    files
        .entry((segment, idx))
        .or_insert_with(|| {
            File::open(segment_path(dir, segment, if idx { "idx" } else { "txt" })).ok()
        })
        .as_mut()
}

/// The query's terms as searchers.
struct Matcher<'q> {
    /// The term the scan looks for first (the longest: fewest false starts).
    lead: Finder<'q>,
    terms: Vec<Finder<'q>>,
    exclude: Vec<Finder<'q>>,
    authors: Vec<Finder<'q>>,
}

impl<'q> Matcher<'q> {
    fn new(q: &'q Query) -> Matcher<'q> {
        let lead = q
            .terms
            .iter()
            .max_by_key(|t| t.len())
            .or(q.authors.first())
            .map_or("", String::as_str);
        let finders = |v: &'q [String]| v.iter().map(|t| Finder::new(t.as_bytes())).collect();
        Matcher {
            lead: Finder::new(lead.as_bytes()),
            terms: finders(&q.terms),
            exclude: finders(&q.exclude),
            authors: finders(&q.authors),
        }
    }
}

/// An article's folded text cut into its headline, authors and body.
struct Parts<'a> {
    headline: &'a [u8],
    authors: &'a [u8],
    body: &'a [u8],
    body_at: usize,
}

fn parts(art: &[u8]) -> Parts<'_> {
    let mut nl = memchr::memchr_iter(b'\n', art);
    let mut nth = |_| nl.next();
    let (Some(_), Some(_), Some(_), Some(n3)) = (nth(0), nth(1), nth(2), nth(3)) else {
        return Parts {
            headline: art,
            authors: &[],
            body: &[],
            body_at: art.len(),
        };
    };
    let n4 = nth(4);
    let body_at = n4.map_or(art.len(), |n| n + 1);
    Parts {
        headline: &art[..n3],
        authors: &art[n3 + 1..n4.unwrap_or(art.len())],
        body: &art[body_at..],
        body_at,
    }
}

/// The cached bytes of an issue could not be used.
struct Damaged;

struct IssueScan<'a, 'b> {
    issue: &'a IssueRecord,
    text: &'a [u8],
    records: Option<(Vec<ArticleRecord>, Vec<usize>)>,
    idx_file: Option<&'b mut File>,
    idx_buf: &'b mut Vec<u8>,
}

impl IssueScan<'_, '_> {
    fn scan(
        &mut self,
        m: &Matcher,
        q: &Query,
        cancel: &CancelToken,
        summary: &mut Summary,
        sink: &mut Option<&mut dyn FnMut(Hit) -> Flow>,
    ) -> Result<Flow, Damaged> {
        let text = self.text;
        let mut pos = 0;
        while let Some(i) = m.lead.find(&text[pos..]) {
            let at = pos + i;
            let start = memchr::memrchr(ARTICLE_END, &text[..at]).map_or(0, |p| p + 1);
            let end = memchr::memchr(ARTICLE_END, &text[at..]).map_or(text.len(), |p| at + p);
            pos = (end + 1).min(text.len());
            let art = &text[start..end];
            let p = parts(art);
            if !accepts(m, q, &p) {
                continue;
            }
            let Some(sink) = sink.as_deref_mut() else {
                if let Some(n) = q.page {
                    let (recs, starts) = self.records()?;
                    let k = starts.binary_search(&start).map_err(|_| Damaged)?;
                    if recs[k].page as usize + 1 != n {
                        continue;
                    }
                }
                summary.articles += 1;
                summary.hits += occurrences(m, q, &p);
                continue;
            };
            let Some(hit) = self.hit(m, q, start, art, &p)? else {
                continue;
            };
            summary.articles += 1;
            summary.hits += hit.positions.len();
            if cancel.is_cancelled() {
                summary.cancelled = true;
                return Ok(Flow::Stop);
            }
            if sink(hit) == Flow::Stop {
                summary.cancelled = cancel.is_cancelled();
                return Ok(Flow::Stop);
            }
        }
        Ok(Flow::Continue)
    }

    fn records(&mut self) -> Result<&(Vec<ArticleRecord>, Vec<usize>), Damaged> {
        if self.records.is_none() {
            let file = self.idx_file.as_deref_mut().ok_or(Damaged)?;
            read_range(file, self.issue.idx, self.idx_buf).map_err(|_| Damaged)?;
            let recs = ArticleRecord::decode_all(self.idx_buf).ok_or(Damaged)?;
            let mut starts = Vec::with_capacity(recs.len());
            let mut at = 0;
            for r in &recs {
                starts.push(at);
                at += r.len as usize + 1;
            }
            if at != self.text.len() {
                return Err(Damaged);
            }
            self.records = Some((recs, starts));
        }
        self.records.as_ref().ok_or(Damaged)
    }

    /// The hit for the matching article at `start`, or `None` when a record-level filter
    /// (`page:`) rejects it.
    fn hit(
        &mut self,
        m: &Matcher,
        q: &Query,
        start: usize,
        art: &[u8],
        p: &Parts,
    ) -> Result<Option<Hit>, Damaged> {
        let issue = self.issue;
        let (recs, starts) = self.records()?;
        let k = starts.binary_search(&start).map_err(|_| Damaged)?;
        let rec = &recs[k];
        if q.page.is_some_and(|n| rec.page as usize + 1 != n) {
            return Ok(None);
        }
        let text = simdutf8::basic::from_utf8(art).map_err(|_| Damaged)?;
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (finder, term) in m.terms.iter().zip(&q.terms) {
            found.extend(finder.find_iter(p.headline).map(|a| (a, term.len())));
            if !q.in_title {
                found.extend(
                    finder
                        .find_iter(p.body)
                        .map(|a| (p.body_at + a, term.len())),
                );
            }
        }
        if found.is_empty() {
            // Only `by:` was given: point at the top of the article.
            found.push((0, 0));
        }
        found.sort_unstable();
        let positions = positions(rec, text, &found);
        let title = rec.unfold(text, rec.field_range(2));
        let page = issue
            .pages
            .get(rec.page as usize)
            .cloned()
            .unwrap_or_default();
        Ok(Some(Hit {
            issue: issue.id.clone(),
            date: issue.date,
            publication: issue.publication.clone(),
            page_number: rec.page as usize + 1,
            article: ArticleId {
                page,
                title_hash: title_hash(&title),
                index: rec.index as usize,
            },
            title,
            snippet: snippet(rec, text, found[0]),
            positions,
            chars: text.chars().count(),
        }))
    }
}

/// The article passes the terms, exclusions and `by:` names.
fn accepts(m: &Matcher, q: &Query, p: &Parts) -> bool {
    let has =
        |f: &Finder| f.find(p.headline).is_some() || (!q.in_title && f.find(p.body).is_some());
    m.terms.iter().all(has)
        && !m
            .exclude
            .iter()
            .any(|f| f.find(p.headline).is_some() || f.find(p.body).is_some())
        && m.authors.iter().all(|f| f.find(p.authors).is_some())
}

/// Occurrences of the terms in an accepted article, as [`IssueScan::hit`] lists them.
fn occurrences(m: &Matcher, q: &Query, p: &Parts) -> usize {
    let n: usize = m
        .terms
        .iter()
        .map(|f| {
            f.find_iter(p.headline).count()
                + if q.in_title {
                    0
                } else {
                    f.find_iter(p.body).count()
                }
        })
        .sum();
    n.max(1)
}

/// Byte offsets (sorted) → positions, counting characters in one walk over the article.
fn positions(rec: &ArticleRecord, text: &str, found: &[(usize, usize)]) -> Vec<HitPos> {
    let bytes = text.as_bytes();
    let chars = |s: &[u8]| s.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
    let mut out = Vec::with_capacity(found.len());
    let mut field = usize::MAX;
    let (mut walked, mut offset) = (0usize, 0usize);
    for &(at, len) in found {
        let (f, k, start) = rec.field_at(at as u32);
        if k != field {
            field = k;
            walked = start as usize;
            offset = 0;
        }
        offset += chars(&bytes[walked.min(at)..at]);
        walked = at;
        let block = if f == Field::Body { k - HEAD_FIELDS } else { 0 };
        out.push(HitPos {
            field: f,
            pos: TextPos { block, offset },
            len: chars(&bytes[at..(at + len).min(bytes.len())]),
        });
    }
    out
}

/// The original text around the hit at `(at, len)`, on one line.
fn snippet(rec: &ArticleRecord, text: &str, (at, len): (usize, usize)) -> Snippet {
    let (_, k, _) = rec.field_at(at as u32);
    let field = rec.field_range(k);
    let before: Vec<usize> = text[field.start..at]
        .char_indices()
        .map(|(i, _)| field.start + i)
        .collect();
    let from = before.len().saturating_sub(SNIPPET_BEFORE);
    let start = before.get(from).copied().unwrap_or(at);
    let lead = before.len() - from;
    let end = text[start..field.end]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(field.end, |(i, _)| start + i);
    let hit_chars = text[at..(at + len).min(field.end)].chars().count();
    let shown: String = rec
        .unfold(text, start..end)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    Snippet {
        text: shown,
        hit: [lead, lead + hit_chars],
    }
}
