//! A small least-recently-used cache of parsed issues, keyed by issue id.
//!
//! The reader keeps the current issue and its neighbours here; visiting hundreds of issues
//! never holds more than `capacity` of them. Issues are shared as `Arc<Issue>`, so the one on
//! screen stays alive while the cache moves on, and an evicted issue is freed as soon as
//! nothing else holds it.

use std::sync::Arc;

use crate::model::Issue;

/// Default number of parsed issues kept: the current one, neighbours both ways, and a few
/// recently visited.
pub const DEFAULT_CAPACITY: usize = 8;

#[derive(Debug)]
pub struct IssueCache {
    capacity: usize,
    /// Most recently used last. A `Vec` beats a linked map at these sizes.
    entries: Vec<Arc<Issue>>,
}

impl Default for IssueCache {
    fn default() -> Self {
        IssueCache::new(DEFAULT_CAPACITY)
    }
}

impl IssueCache {
    /// A cache holding at most `capacity` issues (at least one).
    pub fn new(capacity: usize) -> Self {
        IssueCache {
            capacity: capacity.max(1),
            entries: Vec::new(),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The issue with this id, marked as just used.
    pub fn get(&mut self, id: &str) -> Option<Arc<Issue>> {
        let i = self.entries.iter().position(|e| e.id == id)?;
        let issue = self.entries.remove(i);
        self.entries.push(Arc::clone(&issue));
        Some(issue)
    }

    /// True if the issue is cached; does not change its recency.
    pub fn contains(&self, id: &str) -> bool {
        self.entries.iter().any(|e| e.id == id)
    }

    /// Add (or replace) an issue as the most recently used; returns the issue evicted to
    /// make room, if any.
    pub fn insert(&mut self, issue: Arc<Issue>) -> Option<Arc<Issue>> {
        self.entries.retain(|e| e.id != issue.id);
        self.entries.push(issue);
        (self.entries.len() > self.capacity).then(|| self.entries.remove(0))
    }

    /// Ids from least to most recently used.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.id.as_str())
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(id: &str) -> Arc<Issue> {
        Arc::new(Issue {
            id: id.to_string(),
            name: id.to_string(),
            publication: None,
            date: None,
            pages: vec![],
            errors: vec![],
        })
    }

    #[test]
    fn evicts_least_recently_used() {
        let mut c = IssueCache::new(2);
        assert!(c.insert(issue("a")).is_none());
        assert!(c.insert(issue("b")).is_none());
        assert!(c.get("a").is_some());
        let evicted = c.insert(issue("c")).map(|i| i.id.clone());
        assert_eq!(evicted.as_deref(), Some("b"));
        assert_eq!(c.ids().collect::<Vec<_>>(), ["a", "c"]);
        assert!(c.get("b").is_none());
    }

    #[test]
    fn reinserting_replaces_without_growth() {
        let mut c = IssueCache::new(3);
        c.insert(issue("a"));
        c.insert(issue("a"));
        assert_eq!(c.len(), 1);
        assert!(c.contains("a"));
        assert_eq!(IssueCache::new(0).capacity(), 1);
    }

    #[test]
    fn never_grows_past_capacity() {
        let mut c = IssueCache::new(8);
        for n in 0..500 {
            c.insert(issue(&n.to_string()));
            assert!(c.len() <= 8);
        }
        assert_eq!(c.ids().next(), Some("492"));
    }
}
