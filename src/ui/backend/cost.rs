//! What a frame costs to send, row by row, and cheap row hashes: what the scroll detection
//! (`scroll.rs`) weighs its candidates with.
//!
//! A row's cost is the bytes its changed cells take (text, cursor moves, attribute changes);
//! costs chain in screen order with the one piece of state that crosses rows, the current
//! attributes, so a frame's cost is the sum over its rows whatever old row each is compared
//! with. Rows are compared by a hash of their cells: an FxHash-style multiply-rotate, far
//! cheaper than std's SipHash, which is all this needs — a collision could only mislead the
//! cost estimate, never the screen, since the cells written come from a real diff.

use std::hash::{Hash, Hasher};

use ratatui::buffer::{Cell, CellDiffOption, CellWidth};

use super::Sgr;

/// What turning one old row into one new row costs, as `cost` counts it, with the style of
/// its first and last changed cell, so that rows can be chained: an attribute change is
/// charged when a row's first style differs from the last style of the row before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowCost {
    bytes: usize,
    first: Sgr,
    last: Sgr,
}

impl RowCost {
    /// The row's bytes without the attribute change that may start it: a lower bound.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }
}

/// The bytes a frame costs, chained from its rows' costs in screen order: the changed
/// cells' text, a cursor move per jump (8 bytes to start a row, 4 within it), an attribute
/// change (6) whenever the style changes, also from one row to the next.
pub(crate) fn chain(rows: impl Iterator<Item = Option<RowCost>>) -> usize {
    let mut total = 0;
    let mut style = None;
    for r in rows.flatten() {
        total += r.bytes;
        if style != Some(r.first) {
            total += 6;
        }
        style = Some(r.last);
    }
    total
}

/// Roughly the bytes needed to turn the old row `o` into `n`, the first attribute change
/// left out (see `chain`); `None` when nothing changes.
pub(crate) fn row_cost(o: &[Cell], n: &[Cell]) -> Option<RowCost> {
    row_cost_within(o, n, 0, n.len())
}

/// `row_cost` when the rows can only differ in columns `lo..hi` (the span a frame wrote
/// into a copy of the old row): the same answer, but cells left of `lo` are only stepped
/// over (a wide one can still cover `lo`) and nothing right of `hi` is looked at.
pub(crate) fn row_cost_within(o: &[Cell], n: &[Cell], lo: usize, hi: usize) -> Option<RowCost> {
    let mut out: Option<RowCost> = None;
    let mut at: Option<u16> = None;
    let mut x = 0;
    while x < lo.min(n.len()) {
        x += width(&n[x]);
    }
    while x < hi.min(n.len()) {
        let c = &n[x];
        let w = width(c);
        if o.get(x) != Some(c) {
            let st = (c.fg, c.bg, c.modifier);
            let r = out.get_or_insert(RowCost {
                bytes: 0,
                first: st,
                last: st,
            });
            if at != Some(x as u16) {
                r.bytes += if at.is_some() { 4 } else { 8 };
            }
            if r.last != st {
                r.bytes += 6;
                r.last = st;
            }
            r.bytes += c.symbol().len();
            at = Some((x + w) as u16);
        }
        x += w;
    }
    out
}

/// A cell's width as ratatui's `cell_width` gives it (at least 1), without its Unicode
/// table lookup for the commonest cell in a newspaper: one ideograph of the CJK Unified
/// Ideographs block (U+4E00–U+9FFF), all of it wide (a test checks every code point
/// against `cell_width`). Walks over rows take this once per cell, several times a frame.
pub(crate) fn width(c: &Cell) -> usize {
    if !matches!(c.diff_option, CellDiffOption::ForcedWidth(_)) {
        let s = c.symbol();
        if s.len() == 1 {
            return 1;
        }
        let mut chars = s.chars();
        if let (Some(ch), None) = (chars.next(), chars.next())
            && ('\u{4E00}'..='\u{9FFF}').contains(&ch)
        {
            return 2;
        }
    }
    usize::from(c.cell_width().max(1))
}

/// A multiply-rotate hasher (FxHash's), for row hashes.
#[derive(Default)]
struct RowHasher(u64);

impl RowHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for RowHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// For each row, a hash of each segment between consecutive `splits` (the last one runs to
/// the row's end): every cell is hashed once, whichever split a suffix starts at.
pub(crate) fn segment_hashes(rows: &[Vec<Cell>], splits: &[usize]) -> Vec<Vec<u64>> {
    rows.iter()
        .map(|r| {
            (0..splits.len())
                .map(|i| segment_hash(r, splits, i))
                .collect()
        })
        .collect()
}

/// `segment_hashes` of a frame made by writing into a copy of the frame hashed as `before`:
/// a segment no write reached (`spans[y]`, the columns written in row y) has the hash it
/// had before, and only the others are hashed again.
pub(crate) fn segment_hashes_after<R: std::ops::Deref<Target = [Cell]>>(
    rows: &[R],
    splits: &[usize],
    before: &[Vec<u64>],
    spans: &[Option<(usize, usize)>],
) -> Vec<Vec<u64>> {
    rows.iter()
        .zip(before)
        .enumerate()
        .map(|(y, (r, prev))| {
            (0..splits.len())
                .map(|i| {
                    let (a, b) = segment(r, splits, i);
                    match spans.get(y).copied().flatten() {
                        Some((lo, hi)) if lo < b && a < hi => segment_hash(r, splits, i),
                        _ => prev[i],
                    }
                })
                .collect()
        })
        .collect()
}

/// The columns of segment `i` of row `r`.
fn segment(r: &[Cell], splits: &[usize], i: usize) -> (usize, usize) {
    let b = splits.get(i + 1).copied().unwrap_or(r.len()).min(r.len());
    (splits[i].min(b), b)
}

pub(crate) fn segment_hash(r: &[Cell], splits: &[usize], i: usize) -> u64 {
    let (a, b) = segment(r, splits, i);
    let mut h = RowHasher::default();
    r[a..b].hash(&mut h);
    h.finish()
}

/// The hash of a row from split `i` to its end, from its segment hashes.
pub(crate) fn suffix_hash(segments: &[u64], i: usize) -> u64 {
    let mut h = RowHasher::default();
    segments[i..].iter().for_each(|&s| h.add(s));
    h.finish()
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier};

    use super::*;
    use crate::ui::backend::scroll::{Scroll, diff};

    /// The whole-screen cost the backend used before per-row costs: the reference that
    /// `chain` of `row_cost` must reproduce exactly, cross-row attribute state included.
    fn whole_screen_cost(old: &[Vec<Cell>], new: &[Vec<Cell>]) -> usize {
        let mut total = 0;
        let mut at: Option<(u16, u16)> = None;
        let mut style = None;
        for (x, y, c) in diff(old, new) {
            if at != Some((x, y)) {
                total += if at.is_some_and(|(_, ay)| ay == y) {
                    4
                } else {
                    8
                };
            }
            let st = (c.fg, c.bg, c.modifier);
            if style != Some(st) {
                total += 6;
                style = Some(st);
            }
            total += c.symbol().len();
            at = Some((x + c.cell_width().max(1), y));
        }
        total
    }

    #[test]
    fn row_costs_chain_to_the_whole_screen_cost() {
        use ratatui::style::Style;
        // Rows with gaps, wide characters and styles that change within and across rows.
        let make = |seed: usize| -> Vec<Vec<Cell>> {
            (0..8)
                .map(|y| {
                    let mut row = vec![Cell::EMPTY; 12];
                    let mut x = 0;
                    while x < 12 {
                        let v = (seed * 7 + y * 13 + x * 5) % 11;
                        if v < 3 {
                            x += 1;
                            continue;
                        }
                        let mut c = Cell::EMPTY;
                        if v < 6 && x + 1 < 12 {
                            c.set_symbol("平");
                        } else {
                            c.set_symbol(["a", "b", "c"][v % 3]);
                        }
                        if v.is_multiple_of(4) {
                            c.set_style(Style::default().fg(Color::Yellow));
                        } else if v.is_multiple_of(5) {
                            c.set_style(Style::default().add_modifier(Modifier::BOLD));
                        }
                        let w = usize::from(c.cell_width().max(1));
                        row[x] = c;
                        x += w;
                    }
                    row
                })
                .collect()
        };
        for seed in 0..20 {
            let (old, new) = (make(seed), make(seed + 3));
            let rows = |o: &[Vec<Cell>]| chain((0..new.len()).map(|y| row_cost(&o[y], &new[y])));
            assert_eq!(rows(&old), whole_screen_cost(&old, &new), "seed {seed}");
            assert!(rows(&old) > 0);
            for k in 1..3 {
                for up in [true, false] {
                    let s = Scroll {
                        a: 2,
                        b: 6,
                        k,
                        up,
                        left: 0,
                    };
                    let mut moved = old.clone();
                    s.apply(&mut moved, 12);
                    assert_eq!(rows(&moved), whole_screen_cost(&moved, &new), "seed {seed}");
                }
            }
        }
    }

    #[test]
    fn the_width_shortcut_agrees_with_ratatui() {
        use std::num::NonZeroU16;
        let mut cells: Vec<Cell> = ('\u{4DF0}'..='\u{A00F}')
            .chain(['a', ' ', '，', '「', '—', '…', '\u{FF9E}', 'ｱ', '\u{301}'])
            .map(|ch| {
                let mut c = Cell::EMPTY;
                c.set_char(ch);
                c
            })
            .collect();
        let mut forced = Cell::new("“");
        forced.set_diff_option(CellDiffOption::ForcedWidth(
            NonZeroU16::MIN.saturating_add(1),
        ));
        cells.push(forced);
        cells.push(Cell::new("e\u{301}"));
        for c in &cells {
            assert_eq!(
                width(c),
                usize::from(c.cell_width().max(1)),
                "{:?}",
                c.symbol()
            );
        }
    }

    #[test]
    fn suffix_hashes_tell_rows_apart_from_the_split_on() {
        let row = |s: &str| -> Vec<Cell> {
            s.chars()
                .map(|c| {
                    let mut cell = Cell::EMPTY;
                    cell.set_char(c);
                    cell
                })
                .collect()
        };
        let rows = vec![
            row("ab│cdef"),
            row("xy│cdef"),
            row("ab│cdeg"),
            row("ab│cdef"),
        ];
        let seg = segment_hashes(&rows, &[0, 3]);
        assert_eq!(suffix_hash(&seg[0], 1), suffix_hash(&seg[1], 1));
        assert_ne!(suffix_hash(&seg[0], 0), suffix_hash(&seg[1], 0));
        assert_ne!(suffix_hash(&seg[0], 1), suffix_hash(&seg[2], 1));
        assert_eq!(suffix_hash(&seg[0], 0), suffix_hash(&seg[3], 0));
    }
}
