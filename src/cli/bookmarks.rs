//! `dubao bookmarks [--json|--markdown]`: every bookmark across all issues, grouped by
//! issue (oldest first within an issue), from `--state-dir` or the default state directory.
//! Plain text by default; `--json` is the stored records; `--markdown` is for notes files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::Args;

use super::GlobalArgs;
use crate::state::time::format_utc;
use crate::state::{Bookmark, Store};

#[derive(Debug, Args)]
pub struct BookmarksArgs {
    /// Print the bookmark records as JSON.
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print a Markdown list, one section per issue.
    #[arg(long)]
    pub markdown: bool,
}

pub fn run(args: &BookmarksArgs, global: &GlobalArgs) -> anyhow::Result<i32> {
    let dir = global
        .state_dir
        .clone()
        .or_else(Store::default_dir)
        .ok_or_else(|| anyhow::anyhow!("no state directory; pass --state-dir"))?;
    // Only reading: a bad state file is reported and left for the reader to move aside.
    let store = Store::open_read_only(&dir).map_err(|e| anyhow::anyhow!(e))?;
    let out = if args.json {
        serde_json::to_string_pretty(store.bookmarks())? + "\n"
    } else if args.markdown {
        markdown(store.bookmarks())
    } else {
        plain(store.bookmarks())
    };
    super::write_stdout(&out)
}

fn by_issue(bookmarks: &[Bookmark]) -> BTreeMap<&str, Vec<&Bookmark>> {
    let mut m: BTreeMap<&str, Vec<&Bookmark>> = BTreeMap::new();
    for b in bookmarks {
        m.entry(b.issue.as_str()).or_default().push(b);
    }
    m
}

fn title(b: &Bookmark) -> String {
    if b.title.trim().is_empty() {
        "(untitled)".into()
    } else {
        one_line(&b.title)
    }
}

/// Page text (titles, notes) on one line with control characters shown, never sent raw:
/// a hostile page must not reach the terminal through a bookmark.
fn one_line(s: &str) -> String {
    crate::text::display_safe(&s.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

fn plain(bookmarks: &[Bookmark]) -> String {
    if bookmarks.is_empty() {
        return "No bookmarks.\n".into();
    }
    let mut out = String::new();
    for (issue, list) in by_issue(bookmarks) {
        let _ = writeln!(out, "{}", one_line(issue));
        for b in list {
            let _ = writeln!(
                out,
                "  {}  [block {}, char {}]  {}  ({})",
                title(b),
                b.anchor.block,
                b.anchor.offset,
                format_utc(b.created_ms),
                one_line(&b.article.page)
            );
            if let Some(n) = &b.note {
                let _ = writeln!(out, "    note: {}", one_line(n));
            }
        }
    }
    out
}

fn markdown(bookmarks: &[Bookmark]) -> String {
    let mut out = String::from("# Bookmarks\n");
    if bookmarks.is_empty() {
        out.push_str("\nNo bookmarks.\n");
    }
    for (issue, list) in by_issue(bookmarks) {
        let _ = writeln!(out, "\n## {}\n", one_line(issue));
        for b in list {
            let _ = writeln!(
                out,
                "- **{}** — block {}, char {} — {} — `{}`",
                title(b),
                b.anchor.block,
                b.anchor.offset,
                format_utc(b.created_ms),
                one_line(&b.article.page)
            );
            if let Some(n) = &b.note {
                let _ = writeln!(out, "  > {}", one_line(n));
            }
        }
    }
    out
}
