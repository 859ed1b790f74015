//! Scrolling for the terminal backend: when a band of rows of the new frame is the old
//! screen moved up or down (reading line by line), let the terminal move those rows — a
//! scroll region and a few line feeds, about 20 bytes — and repaint only what is new,
//! instead of every cell of every row, whenever that is cheaper.
//!
//! Pure functions over the backend's shadow (`old`) and the new frame (`new`), both as
//! rows of cells; the backend writes the escape sequences.

use std::hash::{DefaultHasher, Hash, Hasher};

use ratatui::buffer::{Cell, CellWidth};
use ratatui::style::{Color, Modifier};

/// Rows `a..b` of the new frame are the old rows `a+k..b+k` (`up`) or `a-k..b-k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    pub a: usize,
    pub b: usize,
    pub k: usize,
    pub up: bool,
}

impl Scroll {
    /// The terminal rows the scroll region spans, `top..bottom`.
    pub fn region(&self) -> (usize, usize) {
        if self.up {
            (self.a, self.b + self.k)
        } else {
            (self.a - self.k, self.b)
        }
    }

    /// Move the rows of `shadow` as the terminal will; rows scrolled in are blank.
    pub fn apply(&self, shadow: &mut [Vec<Cell>], cols: usize) {
        let (top, bottom) = self.region();
        let band = &mut shadow[top..bottom];
        let blank = || vec![Cell::EMPTY; cols];
        if self.up {
            band.rotate_left(self.k);
            let n = band.len();
            band[n - self.k..].iter_mut().for_each(|r| *r = blank());
        } else {
            band.rotate_right(self.k);
            band[..self.k].iter_mut().for_each(|r| *r = blank());
        }
    }
}

fn row_hash(row: &[Cell]) -> u64 {
    let mut h = DefaultHasher::new();
    row.hash(&mut h);
    h.finish()
}

/// What turning one old row into one new row costs, as `cost` counts it, with the style of
/// its first and last changed cell, so that rows can be chained: an attribute change is
/// charged when a row's first style differs from the last style of the row before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowCost {
    bytes: usize,
    first: Sgr,
    last: Sgr,
}

type Sgr = (Color, Color, Modifier);

/// The scroll that makes the frame cheapest to send, if one beats repainting.
///
/// Candidates come from rows that match the old screen shifted by `k` — whole rows, or
/// only right of a pane separator (reading in the body while the headline list stays put:
/// the rows scroll whole and the list is repainted, which is still cheaper when the body
/// is the bigger part). Each candidate is costed by the bytes its remaining diff would
/// take, against the diff without scrolling. The costs are chained from per-row costs:
/// each row of the frame is costed once against the old row in its place and at most once
/// against a blank row; inside a candidate's band only the rows that moved are costed
/// again (nothing, when their full-row hashes match), so no candidate copies or diffs the
/// whole screen.
pub fn detect(old: &[Vec<Cell>], new: &[Vec<Cell>], cols: usize) -> Option<Scroll> {
    let rows = new.len().min(old.len());
    let mut candidates: Vec<(usize, Scroll)> = Vec::new();
    let mut full: Option<(Vec<u64>, Vec<u64>)> = None;
    for split in splits(new, cols) {
        let ho: Vec<u64> = old
            .iter()
            .take(rows)
            .map(|r| row_hash(&r[split..]))
            .collect();
        let hn: Vec<u64> = new
            .iter()
            .take(rows)
            .map(|r| row_hash(&r[split..]))
            .collect();
        let blank = row_hash(&vec![Cell::EMPTY; cols - split]);
        let worth: Vec<bool> = (0..rows)
            .map(|y| hn[y] != ho[y] && hn[y] != blank)
            .collect();
        for k in 1..=rows / 2 {
            for up in [true, false] {
                let matches = |y: usize| {
                    if up {
                        y + k < rows && hn[y] == ho[y + k]
                    } else {
                        y >= k && hn[y] == ho[y - k]
                    }
                };
                let mut y = 0;
                while y < rows {
                    if !matches(y) {
                        y += 1;
                        continue;
                    }
                    let a = y;
                    let mut score = 0;
                    while y < rows && matches(y) {
                        score += usize::from(worth[y]);
                        y += 1;
                    }
                    if score >= 2 {
                        candidates.push((score, Scroll { a, b: y, k, up }));
                    }
                }
            }
        }
        if split == 0 {
            full = Some((ho, hn));
        }
    }
    if candidates.is_empty() {
        return None;
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    candidates.truncate(16);
    let (ho, hn) = full?;
    // Each row against the old row in its place: the frame without scrolling.
    let stay: Vec<Option<RowCost>> = (0..rows).map(|y| row_cost(&old[y], &new[y])).collect();
    let base = chain(stay.iter().copied());
    let blank_row = vec![Cell::EMPTY; cols];
    let mut blank: Vec<Option<Option<RowCost>>> = vec![None; rows];
    // A scroll costs its escape sequences (about 20 bytes) besides what is left to paint.
    let mut best: Option<(usize, Scroll)> = None;
    let mut moved: Vec<Option<RowCost>> = Vec::with_capacity(rows);
    for (_, s) in candidates {
        let (top, bottom) = s.region();
        moved.clear();
        moved.extend_from_slice(&stay);
        for (y, slot) in moved.iter_mut().enumerate().take(bottom).skip(top) {
            // The old row the terminal brings to row y, or none: a row scrolled in blank.
            let src = if s.up {
                (y + s.k < bottom).then(|| y + s.k)
            } else {
                (y >= top + s.k).then(|| y - s.k)
            };
            *slot = match src {
                Some(o) if ho[o] == hn[y] => None,
                Some(o) => row_cost(&old[o], &new[y]),
                None => *blank[y].get_or_insert_with(|| row_cost(&blank_row, &new[y])),
            };
        }
        let c = chain(moved.iter().copied()) + 24 + s.k;
        if c < base && best.is_none_or(|(bc, _)| c < bc) {
            best = Some((c, s));
        }
    }
    best.map(|(_, s)| s)
}

/// Columns where matching may start: 0, and just right of a vertical separator that runs
/// down most of the screen (the panes' borders).
fn splits(new: &[Vec<Cell>], cols: usize) -> Vec<usize> {
    let mut out = vec![0];
    let rows = new.len();
    for x in 0..cols.saturating_sub(1) {
        let seps = new
            .iter()
            .filter(|r| matches!(r.get(x).map(Cell::symbol), Some("│") | Some("|")))
            .count();
        if rows > 0 && seps * 10 >= rows * 7 {
            out.push(x + 1);
        }
    }
    out
}

/// The bytes a frame costs, chained from its rows' costs in screen order: the changed
/// cells' text, a cursor move per jump (8 bytes to start a row, 4 within it), an attribute
/// change (6) whenever the style changes, also from one row to the next.
fn chain(rows: impl Iterator<Item = Option<RowCost>>) -> usize {
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
fn row_cost(o: &[Cell], n: &[Cell]) -> Option<RowCost> {
    let mut out: Option<RowCost> = None;
    let mut at: Option<u16> = None;
    let mut x = 0;
    while x < n.len() {
        let c = &n[x];
        let w = usize::from(c.cell_width().max(1));
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

/// The cells of `new` that differ from `old`, in screen order, as ratatui's own diff gives
/// them (the right half of a wide character is never listed).
pub fn diff<'a>(old: &[Vec<Cell>], new: &'a [Vec<Cell>]) -> Vec<(u16, u16, &'a Cell)> {
    let mut out = Vec::new();
    for (y, (o, n)) in old.iter().zip(new).enumerate() {
        let mut x = 0;
        while x < n.len() {
            let c = &n[x];
            if o.get(x) != Some(c) {
                out.push((x as u16, y as u16, c));
            }
            x += usize::from(c.cell_width().max(1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<Vec<Cell>> {
        lines
            .iter()
            .map(|l| {
                l.chars()
                    .map(|c| {
                        Cell::new(match c {
                            'a' => "a",
                            'b' => "b",
                            'c' => "c",
                            'd' => "d",
                            'h' => "h",
                            's' => "s",
                            _ => " ",
                        })
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_a_scroll_up_by_one() {
        let wide = |c: &str| c.repeat(30);
        let (h, a, b, c, d, t) = (
            wide("h"),
            wide("a"),
            wide("b"),
            wide("c"),
            wide("d"),
            wide("s"),
        );
        let old = rows(&[&h, &a, &b, &c, &t]);
        let new = rows(&[&h, &b, &c, &d, &t]);
        let s = detect(&old, &new, 30).unwrap();
        assert_eq!(
            s,
            Scroll {
                a: 1,
                b: 3,
                k: 1,
                up: true
            }
        );
        let mut shadow = old.clone();
        s.apply(&mut shadow, 30);
        assert_eq!(shadow[1], new[1]);
        assert_eq!(shadow[2], new[2]);
        assert_eq!(diff(&shadow, &new).len(), 30, "only the new row is painted");
    }

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
                    let s = Scroll { a: 2, b: 6, k, up };
                    let mut moved = old.clone();
                    s.apply(&mut moved, 12);
                    assert_eq!(rows(&moved), whole_screen_cost(&moved, &new), "seed {seed}");
                }
            }
        }
    }

    #[test]
    fn a_short_move_is_not_worth_a_scroll() {
        let old = rows(&["hh", "aa", "bb", "cc", "ss"]);
        let new = rows(&["hh", "bb", "cc", "dd", "ss"]);
        assert_eq!(detect(&old, &new, 2), None);
    }

    #[test]
    fn no_scroll_when_nothing_moved() {
        let old = rows(&["aa", "bb", "cc"]);
        assert_eq!(detect(&old, &old, 2), None);
    }
}
