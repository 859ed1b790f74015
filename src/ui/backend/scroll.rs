//! Scrolling for the terminal backend: when a band of rows of the new frame is the old
//! screen moved up or down (reading line by line), let the terminal move those rows — a
//! scroll region and a few line feeds, about 20 bytes — and repaint only what is new,
//! instead of every cell of every row, whenever that is cheaper.
//!
//! Pure functions over the backend's shadow (`old`) and the new frame (`new`), both as
//! rows of cells; the backend writes the escape sequences. A row of `new` is anything that
//! derefs to cells: the backend lends the shadow's rows the frame did not write to (no
//! copy of the whole screen per frame), and tests pass plain vectors.

use std::ops::Deref;

use ratatui::buffer::Cell;

use super::cost::{
    RowCost, chain, row_cost, row_cost_within, segment_hashes, segment_hashes_after, suffix_hash,
    width,
};

/// Rows `a..b` of the new frame are the old rows `a+k..b+k` (`up`) or `a-k..b-k`; from
/// column `left` on only (a rectangle, where the terminal has left/right margins), or whole
/// rows (`left` 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    pub a: usize,
    pub b: usize,
    pub k: usize,
    pub up: bool,
    pub left: usize,
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
        if self.left > 0 {
            return self.apply_rect(band);
        }
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

impl Scroll {
    /// `apply` for a rectangle: only the cells from `left` on move.
    fn apply_rect(&self, band: &mut [Vec<Cell>]) {
        let (n, k, left) = (band.len(), self.k, self.left);
        let order: Vec<usize> = if self.up {
            (0..n).collect()
        } else {
            (0..n).rev().collect()
        };
        for y in order {
            let src = if self.up {
                (y + k < n).then(|| y + k)
            } else {
                (y >= k).then(|| y - k)
            };
            let moved: Vec<Cell> = match src {
                Some(o) => band[o].get(left..).unwrap_or(&[]).to_vec(),
                None => vec![Cell::EMPTY; band[y].len().saturating_sub(left)],
            };
            if let Some(dst) = band[y].get_mut(left..) {
                for (d, m) in dst.iter_mut().zip(moved) {
                    *d = m;
                }
            }
        }
    }
}

/// True when column `left - 1` holds a narrow character not covered by a wide one, in every
/// row of `rows`: a rectangle from `left` on can move without cutting a character in two.
fn clean_edge<R: Deref<Target = [Cell]>>(rows: &[R], left: usize) -> bool {
    rows.iter().all(|r| {
        let narrow = |x: usize| r.get(x).is_none_or(|c| width(c) == 1);
        left == 0 || (narrow(left - 1) && (left < 2 || narrow(left - 2)))
    })
}

/// The scroll that makes the frame cheapest to send, if one beats repainting.
///
/// Candidates come from rows that match the old screen shifted by `k` — whole rows, or
/// only right of a pane separator (reading in the body while the headline list stays put:
/// the rows scroll whole and the list is repainted, which is still cheaper when the body
/// is the bigger part). Each candidate is costed by the bytes its remaining diff would
/// take, against the diff without scrolling. The costs are chained from per-row costs:
/// each row of the frame is costed once against the old row in its place and at most once
/// against a blank row; inside a candidate's band only the rows that moved are costed
/// again, and only left of the split they match from (nothing, when their full-row hashes
/// match), so no candidate copies or diffs the whole screen.
///
/// `new` is `old` with this frame's cells written in: `spans[y]` is the columns written in
/// row y (none: the row is the old one). Outside them the frames are the same cells, so
/// only the written segments of `new` are hashed and a row is costed only within its span.
/// The rows are matched from `splits` (see `splits`), and `so` is the segment hashes of
/// `old` for them (kept from the frame before, `hashes.rs`).
pub fn detect<R: Deref<Target = [Cell]>>(
    (old, so): (&[Vec<Cell>], &[Vec<u64>]),
    new: &[R],
    cols: usize,
    spans: &[Option<(usize, usize)>],
    splits: &[usize],
    margins: bool,
) -> Option<Scroll> {
    let rows = new.len().min(old.len());
    // (score, the split its rows match from, the scroll)
    let mut candidates: Vec<(usize, usize, Scroll)> = Vec::new();
    let mut hashes: Vec<(Vec<u64>, Vec<u64>)> = Vec::new();
    let (old, new, so) = (&old[..rows], &new[..rows], &so[..rows]);
    let blank_row = vec![Cell::EMPTY; cols];
    let sn = segment_hashes_after(new, splits, so, spans);
    let sb = segment_hashes(std::slice::from_ref(&blank_row), splits);
    for i in 0..splits.len() {
        let ho: Vec<u64> = so.iter().map(|s| suffix_hash(s, i)).collect();
        let hn: Vec<u64> = sn.iter().map(|s| suffix_hash(s, i)).collect();
        let blank = suffix_hash(&sb[0], i);
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
                        let s = Scroll {
                            a,
                            b: y,
                            k,
                            up,
                            left: 0,
                        };
                        candidates.push((score, i, s));
                    }
                }
            }
        }
        hashes.push((ho, hn));
    }
    if candidates.is_empty() {
        return None;
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    candidates.truncate(16);
    let (ho, hn) = hashes.first()?;
    // Each row against the old row in its place: the frame without scrolling.
    let stay: Vec<Option<RowCost>> = (0..rows)
        .map(|y| {
            let (lo, hi) = spans.get(y).copied().flatten()?;
            (ho[y] != hn[y]).then(|| row_cost_within(&old[y], &new[y], lo, hi))?
        })
        .collect();
    let base = chain(stay.iter().copied());
    // Bytes of the rows above y without scrolling: with them a candidate's cost is bounded
    // from below before all its rows are costed (chaining only adds attribute changes).
    let mut above = vec![0; rows + 1];
    for (y, r) in stay.iter().enumerate() {
        above[y + 1] = above[y] + r.map_or(0, |r| r.bytes());
    }
    let mut blank: Vec<Option<Option<RowCost>>> = vec![None; rows];
    // A scroll costs its escape sequences (about 20 bytes) besides what is left to paint.
    let mut best: Option<(usize, Scroll)> = None;
    let mut moved: Vec<Option<RowCost>> = Vec::with_capacity(rows);
    for (_, i, s) in candidates {
        // The band's moved rows match from split i on: only their left part can differ.
        let (split, (hio, hin)) = (splits[i], &hashes[i]);
        let (top, bottom) = s.region();
        if margins
            && split > 0
            && clean_edge(&old[top..bottom], split)
            && clean_edge(&new[top..bottom], split)
        {
            // The rectangle right of the split: what is left of it (the list) stays put.
            let r = Scroll { left: split, ..s };
            let c = rect_cost((old, new), &stay, &r, (hio, hin), &blank_row) + RECT_ESCAPES + s.k;
            if c < base && best.is_none_or(|(bc, _)| c < bc) {
                best = Some((c, r));
            }
        }
        moved.clear();
        moved.extend_from_slice(&stay);
        // The cost can only grow from here: stop once it cannot beat the best so far.
        let bound = best.map_or(base, |(bc, _)| bc);
        let mut floor = above[top] + above[rows] - above[bottom] + 24 + s.k;
        for (y, slot) in moved.iter_mut().enumerate().take(bottom).skip(top) {
            if floor >= bound {
                break;
            }
            // The old row the terminal brings to row y, or none: a row scrolled in blank.
            let src = if s.up {
                (y + s.k < bottom).then(|| y + s.k)
            } else {
                (y >= top + s.k).then(|| y - s.k)
            };
            *slot = match src {
                Some(o) if ho[o] == hn[y] => None,
                Some(o) if hio[o] == hin[y] => row_cost(&old[o][..split], &new[y][..split]),
                Some(o) => row_cost(&old[o], &new[y]),
                None => *blank[y].get_or_insert_with(|| row_cost(&blank_row, &new[y])),
            };
            floor += slot.map_or(0, |r| r.bytes());
        }
        if floor >= bound {
            continue;
        }
        let c = chain(moved.iter().copied()) + 24 + s.k;
        if c < base && best.is_none_or(|(bc, _)| c < bc) {
            best = Some((c, s));
        }
    }
    best.map(|(_, s)| s)
}

/// The bytes a rectangle scroll's escape sequences take besides the line feeds: mode 69 on
/// and off, the left/right and top/bottom margins, a cursor move, the reset.
const RECT_ESCAPES: usize = 40;

/// What is left to paint after the rectangle scroll `s`: rows outside its band as they
/// would be without scrolling (`stay`); inside, each row's left part against the same row
/// of `old`, its right part against the old row moved there (or blank).
fn rect_cost<R: Deref<Target = [Cell]>>(
    (old, new): (&[Vec<Cell>], &[R]),
    stay: &[Option<RowCost>],
    s: &Scroll,
    (hio, hin): (&[u64], &[u64]),
    blank: &[Cell],
) -> usize {
    let (top, bottom) = s.region();
    let left = s.left;
    let rows = stay.iter().enumerate().map(|(y, st)| {
        if y < top || y >= bottom {
            return *st;
        }
        let src = if s.up {
            (y + s.k < bottom).then(|| y + s.k)
        } else {
            (y >= top + s.k).then(|| y - s.k)
        };
        let (o, n) = (&old[y], &new[y]);
        match src {
            Some(m) if hio[m] == hin[y] => {
                row_cost(&o[..left.min(o.len())], &n[..left.min(n.len())])
            }
            _ => {
                let mut row: Vec<Cell> = o.iter().take(left).cloned().collect();
                match src {
                    Some(m) => row.extend(old[m].iter().skip(left).cloned()),
                    None => row.extend(blank.iter().skip(left).cloned()),
                }
                row_cost(&row, n)
            }
        }
    });
    chain(rows)
}

/// Columns where matching may start: 0, and just right of a vertical separator that runs
/// down most of the screen (the panes' borders).
pub(crate) fn splits<R: Deref<Target = [Cell]>>(new: &[R], cols: usize) -> Vec<usize> {
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

/// The cells of `new` that differ from `old`, in screen order, as ratatui's own diff gives
/// them (the right half of a wide character is never listed). Each row is walked only up
/// to its last differing cell (found from the right, comparing only): after a scroll the
/// moved rows differ at most left of the body, and widths cost more than comparisons.
pub fn diff<'a>(old: &[Vec<Cell>], new: &'a [Vec<Cell>]) -> Vec<(u16, u16, &'a Cell)> {
    let mut out = Vec::new();
    for (y, (o, n)) in old.iter().zip(new).enumerate() {
        let Some(last) = (0..n.len()).rposition(|x| o.get(x) != Some(&n[x])) else {
            continue;
        };
        let mut x = 0;
        while x <= last {
            let c = &n[x];
            if o.get(x) != Some(c) {
                out.push((x as u16, y as u16, c));
            }
            x += width(c);
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

    /// `detect` with every column of every row written (no shortcut) and the old screen
    /// hashed afresh.
    fn detect_all(old: &[Vec<Cell>], new: &[Vec<Cell>], cols: usize) -> Option<Scroll> {
        let spans: Vec<_> = new.iter().map(|r| Some((0, r.len()))).collect();
        let splits = splits(new, cols);
        let so = segment_hashes(old, &splits);
        detect((old, &so), new, cols, &spans, &splits, false)
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
        let s = detect_all(&old, &new, 30).unwrap();
        assert_eq!(
            s,
            Scroll {
                a: 1,
                b: 3,
                k: 1,
                up: true,
                left: 0
            }
        );
        let mut shadow = old.clone();
        s.apply(&mut shadow, 30);
        assert_eq!(shadow[1], new[1]);
        assert_eq!(shadow[2], new[2]);
        assert_eq!(diff(&shadow, &new).len(), 30, "only the new row is painted");
    }

    #[test]
    fn a_short_move_is_not_worth_a_scroll() {
        let old = rows(&["hh", "aa", "bb", "cc", "ss"]);
        let new = rows(&["hh", "bb", "cc", "dd", "ss"]);
        assert_eq!(detect_all(&old, &new, 2), None);
    }

    #[test]
    fn no_scroll_when_nothing_moved() {
        let old = rows(&["aa", "bb", "cc"]);
        assert_eq!(detect_all(&old, &old, 2), None);
    }
}
