//! Article → screen lines: the headline group (section, kicker, title, subtitle) first, then
//! the blocks with a blank line between them, each laid out by kind (paragraphs with the
//! optional first-line indent, bylines, captions, credits, continuation markers, image
//! placeholders, tables as grids), plus notes for cross-page continuations and cut-off text.
//! Every line carries the logical position of its first character; positions never decrease.

use crate::model::{Article, Block, BlockKind, TextPos};

use super::wrap::{WrapOptions, wrap_each};
use super::{ArticleLayout, LayoutOptions, LineStyle, ScreenLine, display_safe, table};

/// First-line indent: two ideographs.
const INDENT_CELLS: usize = 4;
/// Below these widths the hanging margin and the indent would eat the line: not used.
const MIN_WIDTH_FOR_HANG: usize = 10;
const MIN_WIDTH_FOR_INDENT: usize = 12;

/// Lay out an article (headline group, then blocks) at `opts.width` columns.
pub fn layout_article(article: &Article, opts: &LayoutOptions) -> ArticleLayout {
    let mut out = Out::new(opts);
    let top = TextPos::default();
    let headline = [
        (article.section.clone(), LineStyle::Section),
        (article.kicker.clone(), LineStyle::Kicker),
        (Some(article.title()), LineStyle::Title),
        (article.subtitle.clone(), LineStyle::Subtitle),
    ];
    for (text, style) in headline {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.text(style, &text, top, 0);
        }
    }
    let has_marker = article
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Continuation);
    if let (Some(n), false) = (article.continues_from, has_marker) {
        out.text(LineStyle::Note, &format!("（上接第{n}版）"), top, 0);
    }
    let mut end = top;
    for (i, block) in article.blocks.iter().enumerate() {
        if block.text.trim().is_empty() && block.kind != BlockKind::Image {
            continue;
        }
        if !out.lines.is_empty() {
            out.blank(end);
        }
        out.block(i, block);
        end = TextPos {
            block: i,
            offset: block.text.chars().count(),
        };
    }
    let mut notes = Vec::new();
    if let (Some(n), false) = (article.continues_to, has_marker) {
        notes.push(format!("（下转第{n}版）"));
    }
    if article.truncated {
        notes.push("（原文至此中断）".to_string());
    }
    if !notes.is_empty() && !out.lines.is_empty() {
        out.blank(end);
    }
    for note in notes {
        out.text(LineStyle::Note, &note, end, 0);
    }
    ArticleLayout { lines: out.lines }
}

struct Out {
    lines: Vec<ScreenLine>,
    width: usize,
    wrap: WrapOptions,
    indent: usize,
}

impl Out {
    fn new(opts: &LayoutOptions) -> Self {
        let width = usize::from(opts.width.max(1));
        let hang = opts.hang && width >= MIN_WIDTH_FOR_HANG;
        let measure = if hang { width - 2 } else { width };
        let indent = if opts.indent && width >= MIN_WIDTH_FOR_INDENT {
            INDENT_CELLS
        } else {
            0
        };
        let mut wrap = WrapOptions::new(measure, opts.amb);
        wrap.hang = hang;
        Out {
            lines: Vec::new(),
            width,
            wrap,
            indent,
        }
    }

    fn blank(&mut self, pos: TextPos) {
        self.lines.push(ScreenLine {
            style: LineStyle::Blank,
            indent: 0,
            text: String::new(),
            pos,
        });
    }

    fn block(&mut self, i: usize, block: &Block) {
        let at = TextPos {
            block: i,
            offset: 0,
        };
        let style = match block.kind {
            BlockKind::Paragraph => LineStyle::Paragraph,
            BlockKind::Byline => LineStyle::Byline,
            BlockKind::Caption => LineStyle::Caption,
            BlockKind::Credit => LineStyle::Credit,
            BlockKind::Continuation => LineStyle::Continuation,
            BlockKind::Image => {
                let src = block.src.as_deref().unwrap_or("");
                let label = format!("[图片 {src}]");
                self.text_with(LineStyle::Image, &label, at, 0, self.full_width(), true);
                self.text(LineStyle::Image, &block.text, at, 0);
                return;
            }
            BlockKind::Table => {
                for (offset, text) in table::layout_table(&block.text, self.width, self.wrap.amb) {
                    self.lines.push(ScreenLine {
                        style: LineStyle::Table,
                        indent: 0,
                        text,
                        pos: TextPos { block: i, offset },
                    });
                }
                return;
            }
        };
        let indent = if block.kind == BlockKind::Paragraph {
            self.indent
        } else {
            0
        };
        self.text(style, &block.text, at, indent);
    }

    /// Wrap options without hanging, at the full width (labels, paths).
    fn full_width(&self) -> WrapOptions {
        WrapOptions::new(self.width, self.wrap.amb)
    }

    fn text(&mut self, style: LineStyle, text: &str, at: TextPos, first_indent: usize) {
        let opts = self.wrap;
        let fixed = style_keeps_position(style);
        self.text_with(style, text, at, first_indent, opts, fixed);
    }

    /// Wrap `text` (newlines are hard breaks) and push its lines; `at` is the position of its
    /// first character. With `fixed` (headline, notes, labels) every line keeps `at`.
    fn text_with(
        &mut self,
        style: LineStyle,
        text: &str,
        at: TextPos,
        first_indent: usize,
        mut opts: WrapOptions,
        fixed: bool,
    ) {
        let mut seg_chars = 0;
        let mut first = true;
        for segment in text.split('\n') {
            opts.first_indent = if first { first_indent } else { 0 };
            let mut cursor = (0, 0); // (byte, char) inside the segment
            let lines = &mut self.lines;
            wrap_each(segment, &opts, |line| {
                cursor.1 += segment[cursor.0..line.range.start].chars().count();
                cursor.0 = line.range.start;
                let pos = if fixed {
                    at
                } else {
                    TextPos {
                        block: at.block,
                        offset: at.offset + seg_chars + cursor.1,
                    }
                };
                lines.push(ScreenLine {
                    style,
                    indent: if first { first_indent as u16 } else { 0 },
                    text: display_safe(&segment[line.range]).into_owned(),
                    pos,
                });
                first = false;
            });
            seg_chars += segment.chars().count() + 1;
        }
    }
}

/// Lines that are not block text (headline, notes) all sit at one position.
fn style_keeps_position(style: LineStyle) -> bool {
    matches!(
        style,
        LineStyle::Section
            | LineStyle::Kicker
            | LineStyle::Title
            | LineStyle::Subtitle
            | LineStyle::Note
    )
}
