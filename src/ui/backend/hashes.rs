//! The shadow's row hashes, kept from one frame to the next: the new screen of one frame
//! is the old screen of the next, so the scroll detection need not hash the old screen
//! again, only the parts of it that changed since they were hashed.
//!
//! Every change to the shadow outside a frame's writes drops or marks them: the writer
//! records each span of cells it writes, each row it adds or resizes and each time it
//! removes rows (`Writer::changed`, `Writer::reshaped`); a scroll moves the hashes with the
//! rows; a clear drops them all, and so does a new set of splits. What is kept is exactly
//! the hash of the cells, so the detection's answers (and the bytes sent) do not change.

use ratatui::buffer::Cell;

use super::cost::segment_hash;
use super::scroll::Scroll;

/// Segment hashes of the shadow's rows for one set of splits; `None` where the cells
/// changed since they were hashed.
#[derive(Debug, Default)]
pub(crate) struct ShadowHashes {
    splits: Vec<usize>,
    rows: Vec<Vec<Option<u64>>>,
}

/// A span of a shadow row whose cells changed: row, first column, end column.
pub(crate) type Changed = (usize, usize, usize);

impl ShadowHashes {
    /// The segment hashes of every row of `shadow` for `splits`, hashing only the segments
    /// that changed (or all, for new splits), and keeping them for the next frame.
    pub(crate) fn refresh(&mut self, shadow: &[Vec<Cell>], splits: &[usize]) -> Vec<Vec<u64>> {
        if self.splits != splits {
            self.splits = splits.to_vec();
            self.rows.clear();
        }
        self.rows.resize(shadow.len(), Vec::new());
        shadow
            .iter()
            .zip(self.rows.iter_mut())
            .map(|(r, kept)| {
                kept.resize(splits.len(), None);
                kept.iter_mut()
                    .enumerate()
                    .map(|(i, h)| *h.get_or_insert_with(|| segment_hash(r, splits, i)))
                    .collect()
            })
            .collect()
    }

    /// Cells of the shadow changed: forget the hashes of the segments they fall in (all of
    /// them when rows were removed).
    pub(crate) fn forget(&mut self, changed: &[Changed], reshaped: bool) {
        if reshaped {
            self.rows.clear();
        }
        for &(y, a, b) in changed {
            let Some(row) = self.rows.get_mut(y) else {
                continue;
            };
            for (i, h) in row.iter_mut().enumerate() {
                let start = self.splits[i];
                let end = self.splits.get(i + 1).copied().unwrap_or(usize::MAX);
                if a < end && start < b {
                    *h = None;
                }
            }
        }
    }

    /// The shadow's rows moved as `s` moves them: move their hashes; rows scrolled in are
    /// not known.
    pub(crate) fn scroll(&mut self, s: &Scroll, rows: usize) {
        let (top, bottom) = s.region();
        if s.left > 0 {
            // Only a rectangle moved: its rows' segments from `left` on are not known.
            let moved: Vec<Changed> = (top..bottom.min(rows))
                .map(|y| (y, s.left, usize::MAX))
                .collect();
            return self.forget(&moved, false);
        }
        let Some(band) = self.rows.get_mut(top..bottom) else {
            self.rows.clear();
            return;
        };
        let n = band.len();
        if s.up {
            band.rotate_left(s.k);
            band[n - s.k..].iter_mut().for_each(std::vec::Vec::clear);
        } else {
            band.rotate_right(s.k);
            band[..s.k].iter_mut().for_each(std::vec::Vec::clear);
        }
    }

    /// The splits the hashes are for.
    #[cfg(test)]
    pub(crate) fn splits(&self) -> &[usize] {
        &self.splits
    }

    /// Everything changed (the screen was cleared).
    pub(crate) fn clear(&mut self) {
        self.rows.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::Sink;
    use super::super::{TermBackend, cost};

    /// Lines of CJK and ASCII text, some with wide characters at odd columns.
    fn text(top: usize, n: usize) -> Vec<ratatui::text::Line<'static>> {
        (top..top + n)
            .map(|i| {
                let s = match i % 4 {
                    0 => format!("第{i}行 平城区坚持把人才工作摆在发展全局"),
                    1 => format!("line {i} with plain ASCII text that runs on"),
                    2 => format!("a{i}「引号」与——破折号……"),
                    _ => String::new(),
                };
                ratatui::text::Line::raw(s)
            })
            .collect()
    }

    #[test]
    fn kept_row_hashes_are_the_hashes_of_the_shadow() {
        use ratatui::widgets::{Block, Borders, Clear, Paragraph};
        use ratatui::{Terminal, TerminalOptions, Viewport, layout::Rect};
        let sink = Sink::default();
        let area = Rect::new(0, 0, 48, 14);
        let mut t = Terminal::with_options(
            TermBackend::with_size(sink.clone(), 48, 14),
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .unwrap();
        // Line scrolls (kept hashes move with the rows), jumps, a popup over wide
        // characters at odd columns, a shorter then a taller screen (clears and refits).
        let steps: &[(usize, bool, u16)] = &[
            (0, false, 14),
            (1, false, 14),
            (2, false, 14),
            (3, true, 14),
            (4, false, 14),
            (3, false, 14),
            (2, false, 14),
            (9, false, 14),
            (10, true, 14),
            (11, false, 14),
            (12, false, 10),
            (13, false, 10),
            (14, false, 14),
            (15, false, 14),
        ];
        let mut scrolled = 0;
        for &(top, popup, rows) in steps {
            let area = Rect::new(0, 0, 48, rows);
            if t.backend().size.get() != Some((48, rows)) {
                t.backend().size.set(Some((48, rows)));
                t.resize(area).unwrap();
            }
            t.draw(|f| {
                let left = Rect::new(0, 0, 12, rows);
                let right = Rect::new(12, 0, 36, rows);
                let list: Vec<_> = (0..rows).map(|i| format!("标题{i}")).collect();
                f.render_widget(
                    Paragraph::new(list.join("\n")).block(Block::new().borders(Borders::RIGHT)),
                    left,
                );
                f.render_widget(Paragraph::new(text(top, usize::from(rows))), right);
                if popup {
                    let p = Rect::new(15, 3, 11, 4);
                    f.render_widget(Clear, p);
                    f.render_widget(Paragraph::new("弹 出 窗口").block(Block::bordered()), p);
                }
            })
            .unwrap();
            let out = String::from_utf8(sink.take_bytes()).unwrap();
            scrolled += usize::from(out.contains("\u{1b}[r"));
            let b = t.backend_mut();
            let splits = b.hashes.splits().to_vec();
            let kept = b.hashes.refresh(&b.shadow, &splits);
            assert_eq!(kept, cost::segment_hashes(&b.shadow, &splits), "at {top}");
        }
        assert!(scrolled >= 4, "only {scrolled} frames scrolled");
    }
}
