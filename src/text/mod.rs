//! Text measurement and layout: one width function, a UAX #14 + kinsoku line breaker, and
//! the article layout that maps every screen line back to a [`TextPos`]. Nothing else in
//! dubao wraps text; ratatui's `Paragraph` wrap is never used.
//!
//! SKELETON: replaced by the layout work (issue 3). Signatures are the contract.

use crate::model::{Article, TextPos};

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

/// Display width of `s` in terminal cells. The one width function of the program.
pub fn width(s: &str, amb: AmbiguousWidth) -> usize {
    use unicode_width::UnicodeWidthStr;
    match amb {
        AmbiguousWidth::Narrow => s.width(),
        AmbiguousWidth::Wide => s.width_cjk(),
    }
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
/// placeholders) and never wider than the layout width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLine {
    pub style: LineStyle,
    /// Cells of padding before the text (first-line indent, table alignment).
    pub indent: u16,
    pub text: String,
    /// Logical position of the line's first character.
    pub pos: TextPos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    pub width: u16,
    pub amb: AmbiguousWidth,
    /// Two-ideograph (4-cell) first-line indent.
    pub indent: bool,
    /// Let one ，。、 hang in a 2-cell margin inside `width`.
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
    /// The screen line that shows `pos` (the last line starting at or before it).
    pub fn line_of(&self, pos: TextPos) -> usize {
        self.lines.iter().rposition(|l| l.pos <= pos).unwrap_or(0)
    }
    /// The logical position at the start of screen line `line`.
    pub fn pos_at(&self, line: usize) -> TextPos {
        self.lines.get(line).map(|l| l.pos).unwrap_or_default()
    }
}

/// Lay out an article (headline group, then blocks) at `opts.width` columns.
pub fn layout_article(article: &Article, opts: &LayoutOptions) -> ArticleLayout {
    let mut lines = Vec::new();
    let w = usize::from(opts.width.max(1));
    let title = article.title();
    if !title.is_empty() {
        for chunk in title.chars().collect::<Vec<_>>().chunks(w / 2 + 1) {
            lines.push(ScreenLine {
                style: LineStyle::Title,
                indent: 0,
                text: chunk.iter().collect(),
                pos: TextPos::default(),
            });
        }
    }
    for (i, b) in article.blocks.iter().enumerate() {
        lines.push(ScreenLine {
            style: LineStyle::Blank,
            indent: 0,
            text: String::new(),
            pos: TextPos {
                block: i,
                offset: 0,
            },
        });
        for (k, chunk) in b.text.chars().collect::<Vec<_>>().chunks(w / 2).enumerate() {
            lines.push(ScreenLine {
                style: LineStyle::Paragraph,
                indent: 0,
                text: chunk.iter().collect(),
                pos: TextPos {
                    block: i,
                    offset: k * (w / 2),
                },
            });
        }
    }
    ArticleLayout { lines }
}
