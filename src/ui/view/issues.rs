//! The issue list: newest first, under a header row per paper when there are several (or,
//! toggled, a header per day with every paper's issue of it), with unread counts (from the
//! parsed issue or its background summary) and a mark on issues with unreadable pages.

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells::Painter;
use crate::library::weekday_zh;
use crate::ui::app::{App, Pane};
use crate::ui::issue_list::IssueRow;

pub fn draw(app: &App, r: Rect, p: &mut Painter<'_>) {
    let title = if app.by_date {
        format!("Issues ({}) by date", app.issues.len())
    } else {
        format!("Issues ({})", app.issues.len())
    };
    super::header(app, Pane::Issues, r, &title, p);
    let Some(content) = app.geometry().content(Pane::Issues) else {
        return;
    };
    let sym = p.sym;
    for (row, item) in app
        .issue_rows
        .iter()
        .enumerate()
        .skip(app.issue_top)
        .take(usize::from(content.height))
    {
        let y = content.y + (row - app.issue_top) as u16;
        let line = Rect::new(content.x, y, content.width, 1);
        // A header names the group of the issue below it.
        let below = || app.issue_at_row(row + 1).and_then(|i| app.entries.get(i));
        let i = match *item {
            IssueRow::Issue(i) => i as usize,
            IssueRow::Paper => {
                let paper = below().and_then(|e| e.publication.as_deref());
                group_header(app, line, paper.unwrap_or("(no paper)"), p);
                continue;
            }
            IssueRow::Day => {
                let text = below()
                    .and_then(|e| e.date)
                    .map_or("(no date)".to_string(), |d| {
                        format!("{d} {}", weekday_zh(d))
                    });
                group_header(app, line, &text, p);
                continue;
            }
        };
        let slot = &app.issues[i];
        let selected = i == app.issue_sel;
        let mut style = if selected && app.focus == Pane::Issues {
            app.theme.get("selection")
        } else {
            Style::default()
        };
        if Some(i) == app.current {
            style = style.patch(app.theme.get("header"));
        }
        if selected {
            p.paint(line, style);
        }
        let mark = if Some(i) == app.current {
            sym.current
        } else {
            " "
        };
        let mut x = content.x;
        x += p.put(x, y, 1, mark, style);
        let errors = slot.issue.as_ref().is_some_and(|s| !s.errors.is_empty());
        let tail = match app.unread_count(i) {
            Some(n) if n > 0 => format!(" {n}"),
            _ => String::new(),
        };
        let tail_w = tail.len() as u16 + if errors { 2 } else { 0 };
        let name_w = content.right().saturating_sub(x).saturating_sub(tail_w);
        p.put_cut(x, y, name_w, &row_name(app, i), style);
        let mut tx = content.right().saturating_sub(tail_w);
        if errors {
            let err = format!(" {}", sym.error);
            tx += p.put(tx, y, 2, &err, app.theme.get("error"));
        }
        let count_style = style.patch(app.theme.get("bookmark"));
        p.put(tx, y, tail_w, &tail, count_style);
    }
}

/// An issue's row: under a paper header its date (and name when the name says more); by
/// date, its paper; with one paper, as before.
fn row_name(app: &App, i: usize) -> String {
    let e = &app.entries[i];
    let dated = match e.date {
        Some(d) if !e.name.contains(&d.to_string()) => format!("{d} {}", e.name),
        _ => e.name.to_string(),
    };
    if app.by_date {
        match &e.publication {
            Some(p) => format!("{p} {}", e.name),
            None => dated,
        }
    } else {
        dated
    }
}

fn group_header(app: &App, line: Rect, text: &str, p: &mut Painter<'_>) {
    let style = app.theme.get("page");
    let sym = p.sym;
    let mut x = line.x;
    x += p.put_cut(x, line.y, line.width, text, style);
    x += p.put(x, line.y, 1, " ", style);
    while x < line.right() {
        x += p.put(x, line.y, line.right() - x, sym.hline, style).max(1);
    }
}
