//! The issue list's rows: with several papers, a header row per paper above its issues
//! (newest first, as the library lists them); or, toggled, "by date": a header row per day
//! with every paper's issue of that day under it. With one paper there are no headers and
//! the two views are the same list. The cursor (`App::issue_sel`) stays an issue index, so
//! everything else is untouched by the view; only moving it follows the rows' order.

use super::app::App;

/// One row of the issue list: 8 bytes, as a decade of a daily has 3,650 of them. A header
/// names the group of the issue on the row below it (a header is never last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRow {
    /// The issues of the next row's paper follow.
    Paper,
    /// The issues of the next row's day follow, all papers.
    Day,
    /// Issue n of `App::issues`.
    Issue(u32),
}

impl App {
    /// Rebuild the rows after the list changed or the view was toggled.
    pub(crate) fn build_issue_rows(&mut self) {
        let mut papers: Vec<Option<&str>> = Vec::new();
        for e in self.entries.iter() {
            let p = e.publication.as_deref();
            if !papers.contains(&p) {
                papers.push(p);
            }
        }
        let paper_rank = |i: usize| {
            let p = self.entries[i].publication.as_deref();
            papers.iter().position(|q| *q == p).unwrap_or(0)
        };
        let mut order: Vec<usize> = (0..self.issues.len()).collect();
        let mut rows = Vec::with_capacity(order.len() + papers.len());
        if papers.len() < 2 {
            rows.extend(order.iter().map(|&i| IssueRow::Issue(i as u32)));
        } else if self.by_date {
            // Newest day first, undated last; within a day, papers in the library's order.
            let date = |i: usize| self.entries[i].date;
            order.sort_by(|&a, &b| {
                (
                    date(a).is_none(),
                    std::cmp::Reverse(date(a)),
                    paper_rank(a),
                    a,
                )
                    .cmp(&(
                        date(b).is_none(),
                        std::cmp::Reverse(date(b)),
                        paper_rank(b),
                        b,
                    ))
            });
            let mut last = None;
            for &i in &order {
                if last != Some(date(i)) {
                    last = Some(date(i));
                    rows.push(IssueRow::Day);
                }
                rows.push(IssueRow::Issue(i as u32));
            }
        } else {
            order.sort_by_key(|&i| (paper_rank(i), i));
            let mut last = None;
            for &i in &order {
                let p = self.entries[i].publication.as_deref();
                if last != Some(p) {
                    last = Some(p);
                    rows.push(IssueRow::Paper);
                }
                rows.push(IssueRow::Issue(i as u32));
            }
        }
        let mut row_of = vec![0; self.issues.len()];
        for (r, row) in rows.iter().enumerate() {
            if let IssueRow::Issue(i) = *row {
                row_of[i as usize] = r as u32;
            }
        }
        self.issue_rows = rows;
        self.issue_row_of = row_of;
    }

    /// Switch the issue list between by paper and by date, keeping the cursor's issue.
    pub(crate) fn toggle_by_date(&mut self) {
        let papers = self
            .issue_rows
            .iter()
            .filter(|r| matches!(r, IssueRow::Paper))
            .count();
        if papers < 2 && !self.by_date {
            self.say("one paper: the list is already by date");
            return;
        }
        self.by_date = !self.by_date;
        self.build_issue_rows();
        self.say(if self.by_date {
            "issues by date: every paper's issue of a day together"
        } else {
            "issues by paper"
        });
    }

    /// Move the issue cursor `n` issues down the list as shown (headers skipped, clamped).
    pub(crate) fn step_issues(&mut self, n: isize) {
        let Some(here) = self.issue_row_of.get(self.issue_sel).map(|&r| r as usize) else {
            return;
        };
        let (mut r, mut left) = (here, n.unsigned_abs());
        let mut best = here;
        while left > 0 {
            let next = if n > 0 { r + 1 } else { r.wrapping_sub(1) };
            let Some(row) = self.issue_rows.get(next) else {
                break;
            };
            r = next;
            if matches!(row, IssueRow::Issue(_)) {
                best = r;
                left -= 1;
            }
        }
        if let Some(i) = self.issue_at_row(best) {
            self.issue_sel = i;
        }
    }

    /// The issue on row `r` of the list (none for a header).
    pub fn issue_at_row(&self, r: usize) -> Option<usize> {
        match self.issue_rows.get(r)? {
            IssueRow::Issue(i) => Some(*i as usize),
            _ => None,
        }
    }

    /// The first row to show so that the cursor's issue is in `h` rows, with the header
    /// of its group when it is the group's first issue.
    pub(crate) fn issue_list_top(&self, h: usize) -> usize {
        let sel = self
            .issue_row_of
            .get(self.issue_sel)
            .map_or(0, |&r| r as usize);
        let len = self.issue_rows.len();
        let top = self.issue_top.min(len.saturating_sub(h));
        let top = if sel < top {
            sel
        } else if sel >= top + h {
            sel + 1 - h
        } else {
            top
        };
        let header_above = sel > 0 && self.issue_at_row(sel - 1).is_none();
        if top == sel && header_above && h > 1 {
            sel - 1
        } else {
            top
        }
    }
}
