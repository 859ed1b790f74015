//! From page names to issue entries: the issue (or issues, one per date) a folder of pages
//! makes, then the ids and order of the whole list. Names only; no file is opened here.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::dates::date_in_name;
use super::paths::{date_of_folder, join_rel, publication_of};
use super::{IssueEntry, PageRef, PageSource};
use crate::model::Date;

/// One issue for the folder, or one per date when an undated folder holds pages of
/// several dates (`20261127_01.txt`, `20261128_01.txt` side by side).
pub(super) fn folder_issues(dir: &Path, rel: &str, pages: &[String]) -> Vec<IssueEntry> {
    let folder_name = rel.rsplit('/').next().unwrap_or(rel).to_string();
    let publication: Option<Arc<str>> = publication_of(rel).map(Arc::from);
    let page_ref = |p: &String| PageRef {
        rel: join_rel(rel, p).into(),
        source: PageSource::File(dir.join(p)),
    };
    if let Some(date) = date_of_folder(rel) {
        let name = if date_in_name(&folder_name).is_some() {
            folder_name
        } else {
            date.to_string()
        };
        return vec![IssueEntry {
            id: rel.into(),
            name: name.into(),
            publication,
            date: Some(date),
            pages: pages.iter().map(page_ref).collect(),
        }];
    }
    let mut by_date: Vec<(Option<Date>, Vec<PageRef>)> = Vec::new();
    for p in pages {
        let date = date_in_name(p);
        match by_date.iter_mut().find(|(d, _)| *d == date) {
            Some((_, refs)) => refs.push(page_ref(p)),
            None => by_date.push((date, vec![page_ref(p)])),
        }
    }
    let dated = by_date.iter().filter(|(d, _)| d.is_some()).count();
    if dated <= 1 {
        let date = by_date.iter().find_map(|(d, _)| *d);
        return vec![IssueEntry {
            id: rel.into(),
            name: folder_name.into(),
            publication,
            date,
            pages: pages.iter().map(page_ref).collect(),
        }];
    }
    by_date
        .into_iter()
        .map(|(date, refs)| {
            let (id, name) = match date {
                Some(d) => (join_rel(rel, &d.to_string()), d.to_string()),
                None => (rel.to_string(), folder_name.clone()),
            };
            IssueEntry {
                id: id.into(),
                name: name.into(),
                publication: publication.clone(),
                date,
                pages: refs,
            }
        })
        .collect()
}

/// Ids must be unique (they key the state store): a clash (the same folder name under two
/// roots) gets a `#2`, `#3` suffix in discovery order.
pub(super) fn unique_ids(issues: &mut [IssueEntry]) {
    // Clashes are rare: look first without copying a single id. Sorting borrowed ids
    // costs less than hashing them, as they come nearly in order (the scan's natural
    // order, or newest first).
    let mut sorted: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
    sorted.sort_unstable();
    if sorted.windows(2).all(|w| w[0] != w[1]) {
        return;
    }
    let mut ids: HashSet<String> = HashSet::with_capacity(issues.len());
    for issue in issues {
        if !ids.insert(issue.id.to_string()) {
            let mut n = 2;
            while !ids.insert(format!("{}#{n}", issue.id)) {
                n += 1;
            }
            issue.id = compact_str::format_compact!("{}#{n}", issue.id);
        }
    }
}

/// Publications in order of first appearance, then newest first, undated last in discovery
/// order (which is natural name order inside a folder, command-line order across roots).
pub(super) fn sort_issues(issues: &mut Vec<IssueEntry>) {
    // Each issue's key is worked out once (a publication looked up per comparison was
    // most of the cost at 3,650 issues), then the issues are moved into their places.
    let mut groups: HashMap<Option<&str>, usize> = HashMap::new();
    let mut last: Option<(Option<&str>, usize)> = None;
    let mut keys: Vec<_> = issues
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let p = i.publication.as_deref();
            let group = match last {
                // Issues of one paper come together: most need no lookup.
                Some((q, g)) if q == p => g,
                _ => {
                    let next = groups.len();
                    let g = *groups.entry(p).or_insert(next);
                    last = Some((p, g));
                    g
                }
            };
            (group, i.date.is_none(), std::cmp::Reverse(i.date), n)
        })
        .collect();
    // The position breaks ties: the order of a stable sort.
    keys.sort_unstable();
    let mut slots: Vec<Option<IssueEntry>> = std::mem::take(issues).into_iter().map(Some).collect();
    issues.extend(keys.iter().filter_map(|k| slots[k.3].take()));
}
