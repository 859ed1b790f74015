//! The `B` overlay: bookmarks across all issues, newest first, two rows each: the title,
//! then where it is (publication and date, page, paragraph and its first words) and the
//! note; bookmarks whose issue is not in the library say so. While a note is being edited
//! its line editor sits at the bottom with a visible cursor.

use ratatui::layout::Rect;
use ratatui::style::Style;

use super::cells::Painter;
use crate::ui::app::{App, LineEdit};

/// Screen rows per bookmark: its title, then its place and note.
const ROWS: usize = 2;

pub fn draw(app: &App, sel: usize, edit: Option<&LineEdit>, area: Rect, p: &mut Painter<'_>) {
    let marks = crate::ui::bookmarks::bookmark_list(&app.store);
    let want_h = (marks.len().max(1) * ROWS) as u16 + 4;
    let w = area.width.saturating_sub(4).min(100);
    // The keys in the title, in as many words as the box has room for.
    let title = if w >= 60 {
        "bookmarks · Enter open · d delete · e note · Esc close"
    } else {
        "bookmarks · Enter d e Esc"
    };
    let inner = super::help::frame(app, area, w, want_h, title, p);
    if inner.height == 0 {
        return;
    }
    let list_h = (usize::from(inner.height.saturating_sub(2)) / ROWS).max(1);
    if marks.is_empty() {
        let text = "no bookmarks yet: b bookmarks the open article";
        p.put_cut(inner.x, inner.y, inner.width, text, app.theme.get("note"));
    }
    let sel = sel.min(marks.len().saturating_sub(1));
    let first = (sel + 1).saturating_sub(list_h);
    for (n, (k, b)) in marks
        .iter()
        .enumerate()
        .skip(first)
        .take(list_h)
        .enumerate()
    {
        let y = inner.y + (n * ROWS) as u16;
        let (title_style, place_style) = if k == sel {
            let s = app.theme.get("selection");
            p.paint(Rect::new(inner.x, y, inner.width, ROWS as u16), s);
            (s, s)
        } else {
            (app.theme.get("title"), app.theme.get("note"))
        };
        let title = if b.title.trim().is_empty() {
            "(untitled)"
        } else {
            b.title.as_str()
        };
        let mut place = format!("  {} · {}", app.bookmark_issue(b), app.bookmark_place(b));
        if let Some(note) = &b.note {
            place.push_str(&format!("  — {note}"));
        }
        for (dy, text, style) in [(0, title, title_style), (1, place.as_str(), place_style)] {
            let w = inner.width;
            p.put_cut(inner.x, y + dy, w, text, style);
        }
    }
    let y = inner.bottom() - 1;
    match edit {
        Some(ed) => {
            let label = "note: ";
            let x = inner.x + p.put(inner.x, y, inner.width, label, app.theme.get("header"));
            let w = inner.right().saturating_sub(x);
            p.line_edit(x, y, w, ed, Style::default());
        }
        None => {
            let text = format!("{} bookmark(s)", marks.len());
            p.put(inner.x, y, inner.width, &text, app.theme.get("note"));
        }
    }
}
