//! Text measurement and layout: one width function, a UAX #14 + kinsoku line breaker, and
//! the article layout that maps every screen line back to a [`TextPos`]. Nothing else in
//! dubao wraps text; ratatui's `Paragraph` wrap is never used.
//!
//! - [`mod@width`]: cell widths (unicode-width 0.2, ambiguous width per setting) and the
//!   display-safe mapping of control characters.
//! - `kinsoku` / `breaks` / [`mod@wrap`]: the rule tables, break opportunities (UAX #14 plus
//!   tailorings T0–T5) and the greedy first-fit breaker with push-out, hanging and the
//!   orphan pass.
//! - `heading` / `sense`: headings kept at their source lines, broken at spaces, balanced
//!   (preferring breaks between words), never widowed; [`joined_title`] for one-line displays.
//! - `article` / `table`: an [`crate::model::Article`] → [`ScreenLine`]s, with the headline
//!   group, blocks, tables as grids, and a position on every line.

use crate::model::TextPos;

mod article;
mod breaks;
mod heading;
mod kinsoku;
mod sense;
mod table;
pub mod width;
pub mod wrap;

pub use article::{dateline_lead, layout_article};
pub use breaks::break_units;
pub use heading::{heading_lines, joined_title};
pub use kinsoku::{is_hangable, is_no_end, is_no_start};
pub use width::{char_width, display_safe, is_ambiguous, stand_in, width};
pub use wrap::{WrapLine, WrapOptions, is_orphan, wrap, wrap_each, wrap_str};

/// How East Asian Ambiguous characters (“ ” ‘ ’ … — ·) are measured.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum AmbiguousWidth {
    #[default]
    Narrow,
    Wide,
}

/// What a screen line is, so views can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineStyle {
    Section,
    Kicker,
    Title,
    Subtitle,
    Paragraph,
    Byline,
    Caption,
    Credit,
    Image,
    Table,
    Continuation,
    /// Notes the layout adds: authors, "continues on page 2", "cut off here".
    Note,
    Blank,
}

/// One laid-out screen line. `text` is display-safe (control characters replaced by visible
/// placeholders) and `indent + width(text)` never exceeds the layout width (the one exception:
/// a single wide character at width 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLine {
    pub style: LineStyle,
    /// Cells of padding before the text (first-line indent, table alignment).
    pub indent: u16,
    pub text: String,
    /// Logical position of the line's first character. Headline lines map to block 0 offset
    /// 0; a blank line after a block maps to one past that block's last character.
    pub pos: TextPos,
    /// The source's bold (`**本报讯**`) on this line: byte ranges into `text`, in order.
    pub bold: Vec<std::ops::Range<usize>>,
}

impl ScreenLine {
    /// The line cut into runs, each with whether it is drawn bold: the source's bold and,
    /// on a paragraph's first line, the dateline lead-in (`本报讯（记者 尚丽）`), which
    /// print sets in bold whether the source marks it or not.
    pub fn runs(&self) -> Vec<(&str, bool)> {
        let lead = if self.style == LineStyle::Paragraph && self.pos.offset == 0 {
            dateline_lead(&self.text)
        } else {
            0
        };
        let t = self.text.as_str();
        let mut runs: Vec<(&str, bool)> = Vec::new();
        let mut at = 0;
        let mut push = |end: usize, bold: bool| {
            let end = end.min(t.len());
            if end <= at || !t.is_char_boundary(end) {
                return;
            }
            match runs.last_mut() {
                // Runs are consecutive slices of `t`: one of the same weight grows.
                Some((prev, b)) if *b == bold => *prev = &t[at - prev.len()..end],
                _ => runs.push((&t[at..end], bold)),
            }
            at = end;
        };
        push(lead, true);
        for r in &self.bold {
            push(r.start, false);
            push(r.end, true);
        }
        push(t.len(), false);
        runs
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Total columns, hanging margin included.
    pub width: u16,
    pub amb: AmbiguousWidth,
    /// Print-style paragraphs: a two-ideograph (4-cell) first-line indent (used from width 12
    /// up) and no blank line between consecutive paragraphs. Off: screen style, no indent and
    /// a blank line between paragraphs.
    pub indent: bool,
    /// Let one ，。、 (；：！？) hang in a 2-cell margin inside `width` (used from width 10 up):
    /// text is broken at `width - 2` and only a hanging mark reaches the last 2 cells.
    pub hang: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            width: 80,
            amb: AmbiguousWidth::Narrow,
            indent: false,
            hang: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleLayout {
    pub lines: Vec<ScreenLine>,
}

impl ArticleLayout {
    /// The screen line that shows `pos`: the last line starting at or before it, except that
    /// when lines share exactly that position the first of them is taken (so the top of an
    /// article, block 0 offset 0, is line 0, its headline). Positions never decrease along
    /// the lines, so this is a binary search.
    pub fn line_of(&self, pos: TextPos) -> usize {
        let n = self.lines.partition_point(|l| l.pos <= pos);
        if n == 0 {
            return 0;
        }
        if self.lines[n - 1].pos == pos {
            return self.lines.partition_point(|l| l.pos < pos);
        }
        n - 1
    }
    /// The logical position at the start of screen line `line`.
    pub fn pos_at(&self, line: usize) -> TextPos {
        self.lines.get(line).map(|l| l.pos).unwrap_or_default()
    }
}
