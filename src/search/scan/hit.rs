//! Building a [`Hit`] for a matching article: where each occurrence is (field, block,
//! character offset), the title as printed, and a snippet around the first occurrence.

use crate::model::{ArticleId, TextPos, title_hash};

use super::super::backend::{Hit, HitPos, Snippet};
use super::super::doc::{ArticleRecord, Field, HEAD_FIELDS};
use super::super::manifest::IssueRecord;
use super::super::query::Query;
use super::issue::{Matcher, Parts};

/// Characters of context before the hit in a snippet, and the snippet's length.
const SNIPPET_BEFORE: usize = 12;
const SNIPPET_CHARS: usize = 48;

/// The hit for article `rec` of `issue`, whose folded text is `text` (already accepted).
/// `None` when the text is not UTF-8 (a damaged segment).
pub(super) fn build_hit(
    issue: &IssueRecord,
    rec: &ArticleRecord,
    m: &Matcher,
    q: &Query,
    text: &[u8],
    p: &Parts,
) -> Option<Hit> {
    let text = simdutf8::basic::from_utf8(text).ok()?;
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
    let page = issue.page(rec.page as usize).unwrap_or_default();
    Some(Hit {
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
    })
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
