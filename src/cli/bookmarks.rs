//! `dubao bookmarks [--json|--markdown]`: every bookmark across all issues, grouped by
//! issue (oldest first within an issue), from `--state-dir` or the default state directory.
//! Plain text by default; `--json` is the stored records; `--markdown` is for notes files.

use std::collections::BTreeMap;

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

/// How a listing is laid out: the same walk over issues and bookmarks, two shapes of line.
struct Shape {
    head: &'static str,
    empty: &'static str,
    issue: fn(&str) -> String,
    entry: fn(&str, &Bookmark, &str) -> String,
    note: fn(&str) -> String,
}

const PLAIN: Shape = Shape {
    head: "",
    empty: "No bookmarks.\n",
    issue: |issue| format!("{issue}\n"),
    entry: |title, b, when| {
        format!(
            "  {title}  [block {}, char {}]  {when}  ({})\n",
            b.anchor.block,
            b.anchor.offset,
            one_line(&b.article.page)
        )
    },
    note: |note| format!("    note: {note}\n"),
};

const MARKDOWN: Shape = Shape {
    head: "# Bookmarks\n",
    empty: "\nNo bookmarks.\n",
    issue: |issue| format!("\n## {issue}\n\n"),
    entry: |title, b, when| {
        format!(
            "- **{title}** — block {}, char {} — {when} — `{}`\n",
            b.anchor.block,
            b.anchor.offset,
            one_line(&b.article.page)
        )
    },
    note: |note| format!("  > {note}\n"),
};

fn plain(bookmarks: &[Bookmark]) -> String {
    listing(bookmarks, &PLAIN)
}

fn markdown(bookmarks: &[Bookmark]) -> String {
    listing(bookmarks, &MARKDOWN)
}

fn listing(bookmarks: &[Bookmark], shape: &Shape) -> String {
    let mut out = String::from(shape.head);
    if bookmarks.is_empty() {
        out.push_str(shape.empty);
    }
    for (issue, list) in by_issue(bookmarks) {
        out.push_str(&(shape.issue)(&one_line(issue)));
        for b in list {
            out.push_str(&(shape.entry)(&title(b), b, &format_utc(b.created_ms)));
            if let Some(n) = &b.note {
                out.push_str(&(shape.note)(&one_line(n)));
            }
        }
    }
    out
}
