//! The scan of one issue's folded text: find the query's lead term with a `memmem`
//! [`Finder`] (built once per query), cut the article around each occurrence out between
//! its NULs, check the other terms, exclusions and filters on its parts, and count it or
//! build its [`Hit`]. Nothing is allocated per article while counting; an issue's records
//! are read only when a filter or a hit needs them.

use std::fs::File;

use memchr::memmem::Finder;

use super::super::backend::{Flow, Hit};
use super::super::doc::{ARTICLE_END, ArticleRecord};
use super::super::manifest::{IssueRecord, read_range};
use super::super::query::Query;
use super::hit::build_hit;

/// The query's terms as searchers.
pub(super) struct Matcher<'q> {
    /// The term the scan looks for first (the longest: fewest false starts).
    lead: Finder<'q>,
    /// Which of `terms` the lead is (`None`: the lead is a `by:` name).
    lead_term: Option<usize>,
    pub(super) terms: Vec<Finder<'q>>,
    exclude: Vec<Finder<'q>>,
    authors: Vec<Finder<'q>>,
}

impl<'q> Matcher<'q> {
    pub(super) fn new(q: &'q Query) -> Matcher<'q> {
        let lead_term = (0..q.terms.len()).max_by_key(|&k| q.terms[k].len());
        let lead = lead_term
            .map(|k| q.terms[k].as_str())
            .or(q.authors.first().map(String::as_str))
            .unwrap_or("");
        let finders = |v: &'q [String]| v.iter().map(|t| Finder::new(t.as_bytes())).collect();
        Matcher {
            lead: Finder::new(lead.as_bytes()),
            lead_term,
            terms: finders(&q.terms),
            exclude: finders(&q.exclude),
            authors: finders(&q.authors),
        }
    }
}

/// An article's folded text cut into its headline, authors and body.
pub(super) struct Parts<'a> {
    pub(super) headline: &'a [u8],
    authors: &'a [u8],
    pub(super) body: &'a [u8],
    pub(super) body_at: usize,
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
pub(super) struct Damaged;

/// Articles and occurrences counted.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) articles: usize,
    pub(super) hits: usize,
}

pub(super) struct IssueScan<'a> {
    pub(super) issue: &'a IssueRecord,
    pub(super) text: &'a [u8],
    pub(super) idx_file: Option<&'a mut File>,
    pub(super) idx_buf: &'a mut Vec<u8>,
    records: Option<(Vec<ArticleRecord>, Vec<usize>)>,
}

impl<'a> IssueScan<'a> {
    pub(super) fn new(
        issue: &'a IssueRecord,
        text: &'a [u8],
        idx_file: Option<&'a mut File>,
        idx_buf: &'a mut Vec<u8>,
    ) -> Self {
        IssueScan {
            issue,
            text,
            idx_file,
            idx_buf,
            records: None,
        }
    }

    /// Count the matching articles into `tally`, or, with `emit`, build and report each.
    pub(super) fn scan(
        &mut self,
        m: &Matcher,
        q: &Query,
        tally: &mut Tally,
        mut emit: Option<&mut dyn FnMut(Hit) -> Flow>,
    ) -> Result<Flow, Damaged> {
        let (text, issue) = (self.text, self.issue);
        let mut pos = 0;
        while let Some(i) = m.lead.find(&text[pos..]) {
            let at = pos + i;
            let start = memchr::memrchr(ARTICLE_END, &text[pos..at]).map_or(pos, |p| pos + p + 1);
            let end = memchr::memchr(ARTICLE_END, &text[at..]).map_or(text.len(), |p| at + p);
            pos = (end + 1).min(text.len());
            let art = &text[start..end];
            let p = parts(art);
            if !accepts(m, q, &p, at - start) {
                continue;
            }
            if q.page.is_some() || emit.is_some() {
                let (recs, starts) = self.records()?;
                let k = starts.binary_search(&start).map_err(|_| Damaged)?;
                if q.page.is_some_and(|n| recs[k].page as usize + 1 != n) {
                    continue;
                }
                if let Some(emit) = emit.as_deref_mut() {
                    let hit = build_hit(issue, &recs[k], m, q, art, &p).ok_or(Damaged)?;
                    tally.articles += 1;
                    tally.hits += hit.positions.len();
                    if emit(hit) == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                    continue;
                }
            }
            tally.articles += 1;
            tally.hits += occurrences(m, q, &p, at - start);
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
}

/// The lead term's first occurrence, at `lead_at` in the article, is in a searched field
/// (the headline, or the body unless `in:title`), so it need not be looked for again.
fn lead_counts(q: &Query, p: &Parts, lead_at: usize) -> bool {
    lead_at < p.headline.len() || (!q.in_title && lead_at >= p.body_at)
}

/// The article passes the terms, exclusions and `by:` names.
fn accepts(m: &Matcher, q: &Query, p: &Parts, lead_at: usize) -> bool {
    let lead_ok = lead_counts(q, p, lead_at);
    let has =
        |f: &Finder| f.find(p.headline).is_some() || (!q.in_title && f.find(p.body).is_some());
    m.terms
        .iter()
        .enumerate()
        .all(|(k, f)| (lead_ok && m.lead_term == Some(k)) || has(f))
        && !m
            .exclude
            .iter()
            .any(|f| f.find(p.headline).is_some() || f.find(p.body).is_some())
        && m.authors.iter().all(|f| f.find(p.authors).is_some())
}

/// Occurrences of the terms in an accepted article, as a hit lists them. The lead term
/// does not occur before `lead_at`, so its count starts there.
fn occurrences(m: &Matcher, q: &Query, p: &Parts, lead_at: usize) -> usize {
    let n: usize = m
        .terms
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let skip = if m.lead_term == Some(k) { lead_at } else { 0 };
            let head = &p.headline[skip.min(p.headline.len())..];
            let body = &p.body[skip.saturating_sub(p.body_at).min(p.body.len())..];
            f.find_iter(head).count()
                + if q.in_title {
                    0
                } else {
                    f.find_iter(body).count()
                }
        })
        .sum();
    n.max(1)
}
