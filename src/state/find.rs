//! Looking state up the way the reader needs it: by page or issue (unread counts, marks in
//! the headline list), and the fallback match for an article whose title changed slightly.
//!
//! An [`ArticleId`] is page + title hash + index, so a corrected OCR character in a title
//! gives a new id. The fallback ([`match_articles`]) pairs the stored states of a page with
//! the page's current articles: exact ids first; then, among what is left on both sides,
//! pairs whose titles are similar (Dice coefficient of character bigrams, ignoring spaces
//! and punctuation) — at least [`SIMILAR`], or [`SIMILAR_SAME_INDEX`] when the index is also
//! unchanged — best score first, then same index, then nearest index. An article that already
//! has its exact state never takes another's, and a stored state is given to one article
//! at most. A stored state without a title (never opened with `set_title`) is only matched
//! exactly.

use std::collections::HashMap;

use super::model::ArticleState;
use super::store::Store;
use crate::model::ArticleId;

/// Minimum title similarity for a fallback match.
pub const SIMILAR: f64 = 0.6;
/// Minimum title similarity when the article index on the page is unchanged too.
pub const SIMILAR_SAME_INDEX: f64 = 0.4;

impl Store {
    /// Article states on `page` (a library-relative page path).
    pub fn articles_on_page<'a>(
        &'a self,
        page: &'a str,
    ) -> impl Iterator<Item = (&'a ArticleId, &'a ArticleState)> + 'a {
        self.articles()
            .range(range_start(page)..)
            .take_while(move |(id, _)| id.page == page)
    }

    /// Article states of issue `issue_id`: pages equal to it (a one-file issue) or under
    /// `issue_id/`. An empty id means the whole library.
    pub fn articles_in_issue<'a>(
        &'a self,
        issue_id: &'a str,
    ) -> impl Iterator<Item = (&'a ArticleId, &'a ArticleState)> + 'a {
        self.articles()
            .range(range_start(issue_id)..)
            .take_while(move |(id, _)| id.page.starts_with(issue_id))
            .filter(move |(id, _)| {
                issue_id.is_empty()
                    || id.page.len() == issue_id.len()
                    || id.page[issue_id.len()..].starts_with('/')
            })
    }

    /// How many articles of `issue_id` are marked read (unread = the issue's article count
    /// minus this; states of articles that vanished from the issue are counted too).
    pub fn read_in_issue(&self, issue_id: &str) -> usize {
        self.articles_in_issue(issue_id)
            .filter(|(_, s)| s.read)
            .count()
    }

    /// The state for `id` (whose current title is `title`): exact, else the best fallback
    /// match on the same page. Prefer [`Store::resolve_page`] when the whole page is at hand:
    /// it keeps two similar articles from sharing one state.
    pub fn find(&self, id: &ArticleId, title: &str) -> Option<(ArticleId, &ArticleState)> {
        if let Some(s) = self.article(id) {
            return Some((id.clone(), s));
        }
        let stored: Vec<(&ArticleId, &str)> = self
            .articles_on_page(&id.page)
            .map(|(k, s)| (k, s.title.as_str()))
            .collect();
        let j = match_articles(&stored, &[(id, title)])[0]?;
        let k = stored[j].0;
        self.article(k).map(|s| (k.clone(), s))
    }

    /// For each current article of `page` (id and current title), the id whose stored state
    /// applies to it, if any (see the module notes).
    pub fn resolve_page(
        &self,
        page: &str,
        current: &[(ArticleId, &str)],
    ) -> Vec<Option<ArticleId>> {
        let stored: Vec<(&ArticleId, &str)> = self
            .articles_on_page(page)
            .map(|(k, s)| (k, s.title.as_str()))
            .collect();
        let cur: Vec<(&ArticleId, &str)> = current.iter().map(|(id, t)| (id, *t)).collect();
        match_articles(&stored, &cur)
            .into_iter()
            .map(|m| m.map(|j| stored[j].0.clone()))
            .collect()
    }
}

fn range_start(page: &str) -> ArticleId {
    ArticleId {
        page: page.to_string(),
        title_hash: String::new(),
        index: 0,
    }
}

/// Pair `current` articles with `stored` ones (ids and titles, all of one page): for each
/// current article, the index in `stored` of its state. Also usable for bookmarks (stored =
/// the page's bookmarks with their titles).
pub fn match_articles(
    stored: &[(&ArticleId, &str)],
    current: &[(&ArticleId, &str)],
) -> Vec<Option<usize>> {
    let mut out = vec![None; current.len()];
    let mut used = vec![false; stored.len()];
    let exact: HashMap<&ArticleId, usize> = stored
        .iter()
        .enumerate()
        .map(|(j, (id, _))| (*id, j))
        .collect();
    for (i, (id, _)) in current.iter().enumerate() {
        if let Some(&j) = exact.get(id) {
            out[i] = Some(j);
            used[j] = true;
        }
    }
    let mut pairs: Vec<(f64, bool, usize, usize, usize)> = Vec::new();
    for (i, (cid, ctitle)) in current.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        for (j, (sid, stitle)) in stored.iter().enumerate() {
            if used[j] || stitle.is_empty() || sid.page != cid.page {
                continue;
            }
            let score = title_similarity(ctitle, stitle);
            let same_index = sid.index == cid.index;
            let needed = if same_index {
                SIMILAR_SAME_INDEX
            } else {
                SIMILAR
            };
            if score >= needed {
                pairs.push((score, same_index, sid.index.abs_diff(cid.index), i, j));
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then((a.3, a.4).cmp(&(b.3, b.4)))
    });
    for (_, _, _, i, j) in pairs {
        if out[i].is_none() && !used[j] {
            out[i] = Some(j);
            used[j] = true;
        }
    }
    out
}

/// Dice coefficient of the character bigrams of `a` and `b` (0..=1), over letters and
/// digits only; single-character titles compare by equality.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let ca: Vec<char> = a.chars().filter(|c| c.is_alphanumeric()).collect();
    let cb: Vec<char> = b.chars().filter(|c| c.is_alphanumeric()).collect();
    if ca.is_empty() || cb.is_empty() {
        return 0.0;
    }
    if ca.len() < 2 || cb.len() < 2 {
        return if ca == cb { 1.0 } else { 0.0 };
    }
    let mut grams: HashMap<(char, char), i32> = HashMap::new();
    for w in ca.windows(2) {
        *grams.entry((w[0], w[1])).or_default() += 1;
    }
    let mut shared = 0;
    for w in cb.windows(2) {
        if let Some(n) = grams.get_mut(&(w[0], w[1]))
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    2.0 * f64::from(shared) / (ca.len() + cb.len() - 2) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(page: &str, title: &str, index: usize) -> ArticleId {
        ArticleId {
            page: page.into(),
            title_hash: crate::model::title_hash(title),
            index,
        }
    }

    #[test]
    fn similarity_tolerates_one_changed_character() {
        assert!(title_similarity("平城召开经济工作会议", "平城召开经济工作会仪") > SIMILAR);
        assert!(title_similarity("平城召开经济工作会议", "春节期间交通安排") < 0.2);
        assert_eq!(title_similarity("要闻", "要闻"), 1.0);
        assert_eq!(title_similarity("", "要闻"), 0.0);
    }

    #[test]
    fn exact_ids_win_and_states_are_not_shared() {
        let a = id("p1", "平城召开经济工作会议", 0);
        let b = id("p1", "春节期间交通安排", 1);
        let stored = [(&a, "平城召开经济工作会议"), (&b, "春节期间交通安排")];
        // Article 0 keeps its exact state; a new article 2 with a title close to article 0's
        // must not take it, while article 1 whose title was corrected gets b's.
        let a2 = id("p1", "平城召开经济工作会议（续）", 2);
        let b1 = id("p1", "春节期间交通安徘", 1);
        let cur = [
            (&a, "平城召开经济工作会议"),
            (&b1, "春节期间交通安徘"),
            (&a2, "平城召开经济工作会议（续）"),
        ];
        assert_eq!(match_articles(&stored, &cur), vec![Some(0), Some(1), None]);
    }

    #[test]
    fn untitled_states_match_only_exactly() {
        let a = id("p1", "x", 0);
        let stored = [(&a, "")];
        let c = id("p1", "y", 0);
        assert_eq!(match_articles(&stored, &[(&c, "y")]), vec![None]);
    }
}
