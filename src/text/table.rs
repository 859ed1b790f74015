//! Tables (cells separated by tabs, rows by newlines) as an aligned grid measured in display
//! columns. Too wide for the width: columns are capped (widest first) and their cells wrapped
//! inside the column, balanced like headings, but never narrower than the widest number in
//! the column (a number is never split inside a cell); too narrow even for that: each row is
//! listed cell by cell. No line is ever wider than the width. Each line maps to the
//! character offset of its row (grid) or cell (list) in the block text, and knows which of
//! its bytes are bold (a markdown cell's `**bold**`).

use super::heading::balanced_lines;
use std::ops::Range;

use super::{AmbiguousWidth, display_safe, width};

/// Cells between two columns.
const GAP: usize = 2;
/// Narrowest column of a wrapped grid: one wide character.
const MIN_COL: usize = 2;

struct Cell {
    text: String,
    /// Character offset of the cell in the block text.
    offset: usize,
    width: usize,
    /// The block's bold spans inside this cell: byte ranges of `text`.
    bold: Vec<Range<usize>>,
}

/// One line of a laid-out table.
pub struct TableLine {
    /// Character offset of the line's row (grid) or cell (list) in the block text.
    pub offset: usize,
    pub text: String,
    /// Bold byte ranges of `text` (the source's `**bold**` in markdown cells).
    pub bold: Vec<Range<usize>>,
}

impl TableLine {
    fn new(offset: usize) -> Self {
        TableLine {
            offset,
            text: String::new(),
            bold: Vec::new(),
        }
    }

    /// Append `piece`, a slice of `cell.text` found at or after `*from`, with its bold.
    fn push_piece(&mut self, cell: &Cell, piece: &str, from: &mut usize) {
        let at = cell.text[*from..].find(piece).map_or(*from, |p| p + *from);
        let (start, end) = (at, at + piece.len());
        let base = self.text.len();
        for r in &cell.bold {
            let (a, b) = (r.start.max(start), r.end.min(end));
            if a < b {
                self.bold.push(a - start + base..b - start + base);
            }
        }
        self.text.push_str(piece);
        *from = end;
    }

    /// Trailing padding removed (bold never reaches into it).
    fn finish(mut self) -> Self {
        let len = self.text.trim_end().len();
        self.text.truncate(len);
        for r in &mut self.bold {
            r.end = r.end.min(len);
        }
        self.bold.retain(|r| r.start < r.end);
        self
    }
}

/// Lay out table text at `total` columns, with the block's bold spans (bytes of `text`).
pub fn layout_table(
    text: &str,
    bold: &[[usize; 2]],
    total: usize,
    amb: AmbiguousWidth,
) -> Vec<TableLine> {
    let rows = parse_rows(text, bold, amb);
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut natural = vec![0; ncols];
    let mut least = vec![0; ncols];
    for row in &rows {
        for (c, cell) in row.iter().enumerate() {
            natural[c] = natural[c].max(cell.width);
            least[c] = least[c].max(widest_number(&cell.text, amb).max(MIN_COL.min(cell.width)));
        }
    }
    let gaps = GAP * ncols.saturating_sub(1);
    let avail = total.saturating_sub(gaps);
    if avail < least.iter().sum::<usize>() {
        return list_rows(&rows, total, amb);
    }
    let cols = fit_columns(&natural, &least, avail);
    let mut out = Vec::new();
    for row in &rows {
        let wrapped: Vec<Vec<String>> = row
            .iter()
            .zip(&cols)
            .map(|(cell, &w)| wrap_cell(&cell.text, w, amb))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(0);
        let offset = row.first().map_or(0, |c| c.offset);
        let mut from = vec![0; row.len()];
        for k in 0..height {
            let mut line = TableLine::new(offset);
            for (c, lines) in wrapped.iter().enumerate() {
                let piece = lines.get(k).map_or("", String::as_str);
                if c > 0 {
                    line.text.push_str(&" ".repeat(GAP));
                }
                line.push_piece(&row[c], piece, &mut from[c]);
                line.text
                    .push_str(&" ".repeat(cols[c].saturating_sub(width(piece, amb))));
            }
            out.push(line.finish());
        }
    }
    out
}

fn parse_rows(text: &str, bold: &[[usize; 2]], amb: AmbiguousWidth) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let (mut offset, mut byte) = (0, 0);
    for row in text.split('\n') {
        let mut cells = Vec::new();
        for cell in row.split('\t') {
            let raw = cell.trim();
            let shown = display_safe(raw).into_owned();
            let lead = cell.chars().take_while(|c| c.is_whitespace()).count();
            let start = byte + (cell.len() - cell.trim_start().len());
            cells.push(Cell {
                width: width(&shown, amb),
                bold: super::article::line_bold(bold, start..start + raw.len(), raw, &shown),
                text: shown,
                offset: offset + lead,
            });
            offset += cell.chars().count() + 1;
            byte += cell.len() + 1;
        }
        if cells.iter().any(|c| !c.text.is_empty()) {
            rows.push(cells);
        }
    }
    rows
}

/// The widest number (digits with their `.`, `,`, `%` and a unit glued by the breaker) in a
/// cell: the narrowest the cell's column may be.
fn widest_number(text: &str, amb: AmbiguousWidth) -> usize {
    super::break_units(text)
        .map(|(s, e)| text[s..e].trim_end())
        .filter(|u| u.chars().any(|c| c.is_ascii_digit()))
        .map(|u| width(u, amb))
        .max()
        .unwrap_or(0)
}

/// Column widths: natural widths, the widest capped at a common limit so the sum fits; no
/// column narrower than its `least` (which the caller made sure fits in `avail`).
fn fit_columns(natural: &[usize], least: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let capped = |cap: usize| {
        natural
            .iter()
            .zip(least)
            .map(move |(&w, &l)| w.min(cap.max(l)))
    };
    let fits = |cap: usize| capped(cap).sum::<usize>() <= avail;
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(0));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    let mut cols: Vec<usize> = capped(lo).collect();
    let mut spare = avail.saturating_sub(cols.iter().sum());
    for (c, w) in cols.iter_mut().enumerate() {
        if spare > 0 && natural[c] > *w {
            *w += 1;
            spare -= 1;
        }
    }
    cols
}

/// A cell's lines, balanced like a heading (`食品` / `类别`, not `食品类` / `别`).
fn wrap_cell(text: &str, w: usize, amb: AmbiguousWidth) -> Vec<String> {
    balanced_lines(text, w, amb)
}

/// Fallback for widths too narrow for a grid: every cell on its own lines, the cells after a
/// row's first indented by two cells when there is room.
fn list_rows(rows: &[Vec<Cell>], total: usize, amb: AmbiguousWidth) -> Vec<TableLine> {
    let indent = if total >= 6 { GAP } else { 0 };
    let mut out = Vec::new();
    for row in rows {
        for (c, cell) in row.iter().enumerate().filter(|(_, c)| !c.text.is_empty()) {
            let pad = if c == 0 { 0 } else { indent };
            let mut from = 0;
            for piece in wrap_cell(&cell.text, total - pad, amb) {
                let mut line = TableLine::new(cell.offset);
                line.text.push_str(&" ".repeat(pad));
                line.push_piece(cell, &piece, &mut from);
                out.push(line.finish());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::Narrow;

    /// `(offset, text)` of each line of a table without bold.
    fn grid(text: &str, total: usize, amb: AmbiguousWidth) -> Vec<(usize, String)> {
        layout_table(text, &[], total, amb)
            .into_iter()
            .map(|l| (l.offset, l.text))
            .collect()
    }

    #[test]
    fn grid_aligns_in_display_columns() {
        let t = "项目\t数量\n隐患排查\t1807\n罚款\t21.7万元";
        let lines = grid(t, 40, Narrow);
        let texts: Vec<&str> = lines.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            texts,
            ["项目      数量", "隐患排查  1807", "罚款      21.7万元"]
        );
        assert_eq!(lines[1].0, 6);
    }

    #[test]
    fn a_one_cell_column_before_capped_columns_stays_inside_the_width() {
        // Issue 16 item 10: the 1-cell column was widened to 2 after the cap was chosen.
        let t =
            "#\t说明文字很长很长很长\t备注也很长很长很长\n1\t平城区全方位提升人才\t干事创业激情";
        for w in 8..40 {
            for (_, line) in grid(t, w, Narrow) {
                assert!(width(&line, Narrow) <= w, "{w}: {line:?}");
            }
        }
        let first: Vec<String> = grid(t, 21, Narrow).into_iter().map(|(_, s)| s).collect();
        // The capped cell breaks before 也 (a phrase opens there), not after it.
        assert_eq!(first[0], "#  说明文字  备注");
    }

    #[test]
    fn numbers_are_never_split_inside_a_cell() {
        let t = "指标\t1—10月\t同比\n地区生产总值\t1286.4亿元\t5.8%\n粮食加工\t120\t99.2%";
        for w in [20, 24, 33] {
            let all: Vec<String> = grid(t, w, Narrow).into_iter().map(|(_, s)| s).collect();
            let text = all.join("\n");
            for n in ["1286.4亿元", "5.8%", "99.2%", "120"] {
                assert!(text.contains(n), "{w}: {n} split in\n{text}");
            }
            assert!(all.iter().all(|l| width(l, Narrow) <= w), "{w}: {all:?}");
        }
    }

    #[test]
    fn narrow_grid_wraps_cells_and_never_overflows() {
        let t = "地区\t说明\n平城区\t全区各部门共出动检查组887次，检查单位4251家";
        for w in 1..30 {
            for (_, line) in grid(t, w, Narrow) {
                assert!(width(&line, Narrow) <= w.max(2), "{w}: {line:?}");
            }
        }
        let all: String = grid(t, 20, Narrow).into_iter().map(|(_, s)| s).collect();
        assert!(all.contains("4251"));
    }

    #[test]
    fn bold_cells_stay_bold_in_the_grid_and_in_the_list() {
        let t = "城区\t良\n郊区\t优";
        let at = t.find('良').unwrap();
        let bold = [[at, at + '良'.len_utf8()]];
        for w in [40, 4] {
            let lines = layout_table(t, &bold, w, Narrow);
            let shown: Vec<&str> = lines
                .iter()
                .flat_map(|l| l.bold.iter().map(|r| &l.text[r.clone()]))
                .collect();
            assert_eq!(shown, ["良"], "at {w}");
        }
    }
}
