//! `dubao bookmarks [--json|--markdown]`: every bookmark across all issues, from
//! `--state-dir` or the default state directory, in the reader's `B` list order: grouped
//! by issue, the issue with the newest bookmark first, newest first inside it. Plain text by
//! default; `--json` is the stored records (in the same order); `--markdown` is for notes
//! files.

use clap::Args;

use super::GlobalArgs;
use crate::state::time::format_utc;
use crate::state::{Bookmark, Store};
use crate::ui::bookmarks::newest_first;

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
    let list = newest_first(store.bookmarks());
    let out = if args.json {
        serde_json::to_string_pretty(&list)? + "\n"
    } else if args.markdown {
        listing(&list, &MARKDOWN)
    } else {
        listing(&list, &PLAIN)
    };
    super::write_stdout(&out)
}

/// Runs of bookmarks of one issue, in list order (the order keeps an issue's together).
fn by_issue<'a>(bookmarks: &[&'a Bookmark]) -> Vec<(&'a str, Vec<&'a Bookmark>)> {
    let mut out: Vec<(&str, Vec<&Bookmark>)> = Vec::new();
    for b in bookmarks {
        match out.last_mut() {
            Some((issue, list)) if *issue == b.issue => list.push(b),
            _ => out.push((b.issue.as_str(), vec![b])),
        }
    }
    out
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

/// Where in the article: the first words of its paragraph, kept when it was made; the
/// stored block and character for a bookmark made before they were kept.
fn place(b: &Bookmark, bracket: bool) -> String {
    match &b.excerpt {
        _ if b.anchor == crate::model::TextPos::default() => "top".to_string(),
        Some(words) => format!("“{}”", one_line(words)),
        None if bracket => format!("[block {}, char {}]", b.anchor.block, b.anchor.offset),
        None => format!("block {}, char {}", b.anchor.block, b.anchor.offset),
    }
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
            "  {title}  {}  {when}  ({})\n",
            place(b, true),
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
            "- **{title}** — {} — {when} — `{}`\n",
            place(b, false),
            one_line(&b.article.page)
        )
    },
    note: |note| format!("  > {note}\n"),
};

fn listing(bookmarks: &[&Bookmark], shape: &Shape) -> String {
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
