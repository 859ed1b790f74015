//! The search views: the results pane (`S`: the query line, the count and coverage, then
//! one row per article — date · publication · page · headline · snippet with the hit
//! highlighted; two rows per article below [`WIDE`] columns), the find prompt on the
//! status row, and the highlighting of a find's hits in the body's lines.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::cells::Painter;
use crate::search::Hit;
use crate::text::ScreenLine;
use crate::ui::action::Action;
use crate::ui::app::{App, LineEdit};
use crate::ui::search::{Backend, MAX_KEPT, PromptKind, Results};

/// From this width a result takes one row; below, two (heading, then snippet).
pub const WIDE: u16 = 100;

fn hit_style() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

fn current_style() -> Style {
    hit_style().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// A hit inside a row styled `style`: reversed, or on a reversed bar (the selected row)
/// bold and underlined instead, so it still stands out.
fn on_bar(style: Style) -> Style {
    if style.add_modifier.contains(Modifier::REVERSED) {
        style
            .remove_modifier(Modifier::REVERSED)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        style.patch(hit_style())
    }
}

/// The results pane when it is shown, and the find prompt when it is open.
pub fn draw(app: &App, area: Rect, p: &mut Painter<'_>) {
    let prompt = app.search.prompt.as_ref();
    if app.search.shown {
        let pane = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        let edit = prompt.filter(|q| q.kind == PromptKind::Archive);
        results(app, pane, edit.map(|q| &q.edit), p);
    }
    if let Some(find) = prompt.filter(|q| q.kind == PromptKind::Find)
        && area.height > 0
    {
        let row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        line_edit(app, row, "/", &find.edit, p);
    }
}

/// `label` then the text being edited, its cursor shown, the tail kept in view.
fn line_edit(app: &App, r: Rect, label: &str, ed: &LineEdit, p: &mut Painter<'_>) {
    let style = app.theme.get("status");
    p.clear(r);
    p.paint(r, style);
    let x = r.x + p.put(r.x, r.y, r.width, label, style);
    p.line_edit(x, r.y, r.right().saturating_sub(x), ed, style);
}

fn results(app: &App, r: Rect, edit: Option<&LineEdit>, p: &mut Painter<'_>) {
    p.clear(r);
    if r.height == 0 {
        return;
    }
    let header = app.theme.get("header");
    let row0 = Rect { height: 1, ..r };
    match edit {
        Some(ed) => line_edit(app, row0, "search: ", ed, p),
        None => {
            p.paint(row0, header);
            let query = app.search.results.as_ref().map_or("", |x| x.query.as_str());
            let key = |a| app.keymap.hint(a).unwrap_or_default();
            let text = format!(
                "search: {query} · {} open · {} edit · {} order · {} back",
                key(Action::Open),
                key(Action::SearchArchive),
                key(Action::SearchOrder),
                key(Action::Back)
            );
            p.put_cut(r.x, r.y, r.width, &text, header);
        }
    }
    if r.height < 2 {
        return;
    }
    let (text, style) = count_line(app);
    p.put_cut(r.x, r.y + 1, r.width, &text, style);
    let Some(res) = app.search.results.as_ref() else {
        return;
    };
    let per: u16 = if r.width >= WIDE { 1 } else { 2 };
    let list = Rect::new(r.x, r.y + 2, r.width, r.height.saturating_sub(2));
    let rows = usize::from(list.height / per).max(1);
    let first = (res.sel + 1).saturating_sub(rows);
    for (n, (k, hit)) in res
        .hits
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let y = list.y + n as u16 * per;
        let sel = k == res.sel && edit.is_none();
        let style = if sel {
            app.theme.get("selection")
        } else {
            Style::default()
        };
        if sel {
            p.paint(Rect::new(list.x, y, list.width, per), style);
        }
        let head = heading(hit);
        if per == 1 {
            // Date, publication, page and a headline of at most half the row, then the snippet.
            let room = list.width.saturating_sub(1);
            let cut = (room / 2).max(12);
            let used = p.put_cut(list.x, y, cut, &head, style);
            let x = list.x + used + 2;
            snippet(hit, x, y, list.right().saturating_sub(x), style, p);
        } else {
            p.put_cut(list.x, y, list.width, &head, style);
            let x = list.x + 2;
            snippet(hit, x, y + 1, list.width.saturating_sub(2), style, p);
        }
    }
}

/// `2021-05-03 · 人民日报 · p.2 · headline`.
fn heading(hit: &Hit) -> String {
    let date = hit
        .date
        .map_or_else(|| "----------".to_string(), |d| d.to_string());
    let mut parts = vec![date];
    if let Some(p) = &hit.publication {
        parts.push(p.clone());
    }
    parts.push(format!("p.{}", hit.page_number));
    let title = hit.title.split_whitespace().collect::<Vec<_>>().join(" ");
    parts.push(if title.is_empty() {
        "(untitled)".to_string()
    } else {
        title
    });
    parts.join(" · ")
}

/// The snippet on one row, the hit highlighted and shown even when the row is short.
fn snippet(hit: &Hit, x: u16, y: u16, w: u16, style: Style, p: &mut Painter<'_>) {
    let amb = p.amb;
    let chars: Vec<char> = hit
        .snippet
        .text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let [a, b] = hit.snippet.hit;
    let (a, b) = (a.min(chars.len()), b.min(chars.len()));
    // Drop context before the hit until the hit starts in the first third of the row.
    let mut skip = 0;
    let width = |s: &[char]| crate::text::width(&s.iter().collect::<String>(), amb);
    while skip < a && width(&chars[skip..a]) > usize::from(w / 3) {
        skip += 1;
    }
    let parts = [
        (&chars[skip..a], style),
        (&chars[a..b], on_bar(style)),
        (&chars[b..], style),
    ];
    let mut cx = x;
    let right = x.saturating_add(w);
    for (part, st) in parts {
        let text: String = part.iter().collect();
        cx += p.put(cx, y, right.saturating_sub(cx), &text, st);
    }
}

/// The second row: how many so far, whether it is still searching, and what the cache
/// covers when it is not the whole library yet.
fn count_line(app: &App) -> (String, Style) {
    let note = app.theme.get("note");
    let res: Option<&Results> = app.search.results.as_ref();
    let Some(res) = res else {
        let text = match &app.search.backend {
            Backend::Starting => "opening the search cache…",
            _ => {
                "words (any length) · \"a phrase\" · -word · date:2021 pub:NAME page:N in:title by:NAME"
            }
        };
        return (text.to_string(), note);
    };
    if let Some(e) = &res.error {
        return (e.clone(), app.theme.get("error"));
    }
    let mut text = match &res.done {
        Some(_) if res.found > MAX_KEPT => {
            format!("{} articles (the newest {MAX_KEPT} listed)", res.found)
        }
        Some(_) if res.found == 1 => "1 article".into(),
        Some(_) => format!("{} articles", res.found),
        None if app.search.backend == Backend::Starting => "opening the search cache…".into(),
        None => format!("{} so far · searching…", res.found),
    };
    let coverage = res
        .done
        .as_ref()
        .map(|d| &d.coverage)
        .or(res.coverage.as_ref());
    let total = app.issues.len();
    if let Some(c) = coverage.filter(|c| c.issues < total) {
        text.push_str(&format!(" · searched {} of {total} issues", c.issues));
        if let Some(oldest) = c.oldest {
            text.push_str(&format!(" (back to {oldest})"));
        }
        if app.search.progress.as_ref().is_some_and(|p| !p.done) {
            text.push_str(", indexing the rest");
        }
    }
    if res.relevance {
        text.push_str(" · most relevant first");
    }
    if let Some(d) = res.done.as_ref().filter(|d| !d.damaged.is_empty()) {
        text.push_str(&format!(
            " · {} issue(s) skipped (cache damaged)",
            d.damaged.len()
        ));
    }
    (text, note)
}

/// Restyle the cells of a body line that show a hit of the active find.
pub fn highlight(app: &App, line: &ScreenLine, x: u16, y: u16, max: u16, p: &mut Painter<'_>) {
    let Some(find) = app.active_find() else {
        return;
    };
    let amb = p.amb;
    let spans = crate::ui::find::line_spans(find, line, &app.search.folder);
    if spans.is_empty() {
        return;
    }
    let chars: Vec<char> = line.text.chars().collect();
    let right = x.saturating_add(max).min(p.buf.area.right());
    for (a, b, current) in spans {
        let before: String = chars[..a.min(chars.len())].iter().collect();
        let hit: String = chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect();
        let x0 = x.saturating_add(u16::try_from(crate::text::width(&before, amb)).unwrap_or(0));
        let w = u16::try_from(crate::text::width(&hit, amb)).unwrap_or(0);
        let style = if current {
            current_style()
        } else {
            hit_style()
        };
        for cx in x0..x0.saturating_add(w).min(right) {
            if y < p.buf.area.bottom() {
                let cell = &mut p.buf[(cx, y)];
                cell.set_style(cell.style().patch(style));
            }
        }
    }
}
