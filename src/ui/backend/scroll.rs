//! Scrolling for the terminal backend: when a band of full-width rows of the new frame is
//! the old screen moved up or down (reading line by line in one pane), let the terminal
//! move those rows — a scroll region and a few line feeds, about 20 bytes — and repaint
//! only what is new, instead of every cell of every row.
//!
//! Pure functions over the backend's shadow (`old`) and the new frame (`new`), both as
//! rows of cells; the backend writes the escape sequences.

use std::hash::{DefaultHasher, Hash, Hasher};

use ratatui::buffer::{Cell, CellWidth};

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

/// The scroll that saves repainting the most non-blank changed rows (at least two), if any.
pub fn detect(old: &[Vec<Cell>], new: &[Vec<Cell>], cols: usize) -> Option<Scroll> {
    let rows = new.len().min(old.len());
    let ho: Vec<u64> = old.iter().take(rows).map(|r| row_hash(r)).collect();
    let hn: Vec<u64> = new.iter().take(rows).map(|r| row_hash(r)).collect();
    let blank = row_hash(&vec![Cell::EMPTY; cols]);
    let worth: Vec<bool> = (0..rows)
        .map(|y| hn[y] != ho[y] && hn[y] != blank)
        .collect();
    let mut best: Option<(usize, Scroll)> = None;
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
                let s = Scroll { a, b: y, k, up };
                if score >= 2 && best.is_none_or(|(bs, _)| score > bs) && verified(old, new, &s) {
                    best = Some((score, s));
                }
            }
        }
    }
    best.map(|(_, s)| s)
}

/// Hashes matched: check the rows themselves.
fn verified(old: &[Vec<Cell>], new: &[Vec<Cell>], s: &Scroll) -> bool {
    (s.a..s.b).all(|y| {
        let from = if s.up { y + s.k } else { y - s.k };
        new[y] == old[from]
    })
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
        let old = rows(&["hh", "aa", "bb", "cc", "ss"]);
        let new = rows(&["hh", "bb", "cc", "dd", "ss"]);
        let s = detect(&old, &new, 2).unwrap();
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
        s.apply(&mut shadow, 2);
        assert_eq!(shadow[1], new[1]);
        assert_eq!(shadow[2], new[2]);
        assert_eq!(diff(&shadow, &new).len(), 2, "only the new row is painted");
    }

    #[test]
    fn no_scroll_when_nothing_moved() {
        let old = rows(&["aa", "bb", "cc"]);
        assert_eq!(detect(&old, &old, 2), None);
    }
}
