//! Article → screen lines: the headline group (section label in brackets, kicker, title,
//! subtitle, all set as headings by `heading`) first, then the blocks with a blank line
//! between them (none between paragraphs in print style, where the first-line indent marks
//! them), each laid out by kind (paragraphs with the orphan pass, bylines, captions, credits,
//! continuation markers, image placeholders, tables as grids), plus notes for cross-page
//! continuations and cut-off text, in English for an English story.
//! Every line carries the logical position of its first character; positions never decrease.

use crate::model::{Article, Block, BlockKind, TextPos, is_cjk_joinable};

use super::heading::heading_lines;
use super::wrap::{WrapOptions, wrap_each};
use super::{ArticleLayout, LayoutOptions, LineStyle, ScreenLine, display_safe, table, width};

/// First-line indent: two ideographs.
const INDENT_CELLS: usize = 4;
/// Below these widths the hanging margin and the indent would eat the line: not used.
const MIN_WIDTH_FOR_HANG: usize = 10;
const MIN_WIDTH_FOR_INDENT: usize = 12;

/// Lay out an article (headline group, then blocks) at `opts.width` columns.
pub fn layout_article(article: &Article, opts: &LayoutOptions) -> ArticleLayout {
    let mut out = Out::new(opts);
    out.english = is_english(article);
    let top = TextPos::default();
    if let Some(label) = article.section.as_deref().filter(|t| !t.trim().is_empty()) {
        out.heading(LineStyle::Section, &[&section_label(label)]);
    }
    let title: Vec<&str> = article.title_lines.iter().map(String::as_str).collect();
    for (text, style) in [
        (article.kicker.as_deref(), LineStyle::Kicker),
        (None, LineStyle::Title),
        (article.subtitle.as_deref(), LineStyle::Subtitle),
    ] {
        match text {
            Some(t) => out.heading(style, &[t]),
            None if style == LineStyle::Title => out.heading(style, &title),
            None => {}
        }
    }
    let has_marker = article
        .blocks
        .iter()
        .any(|b| b.kind == BlockKind::Continuation);
    if let (Some(n), false) = (article.continues_from, has_marker) {
        let note = out.note(
            &format!("（上接第{n}版）"),
            &format!("(continued from page {n})"),
        );
        out.text(LineStyle::Note, &note, top, 0, &[]);
    }
    let mut end = top;
    let mut prev: Option<BlockKind> = None;
    let mut seen_paragraph = false;
    for (i, block) in article.blocks.iter().enumerate() {
        if block.text.trim().is_empty() && block.kind != BlockKind::Image {
            continue;
        }
        let para = BlockKind::Paragraph;
        let run_on = out.print && prev == Some(para) && block.kind == para;
        if !out.lines.is_empty() && !run_on {
            out.blank(end);
        }
        let caption = article
            .blocks
            .get(i + 1)
            .filter(|b| b.kind == BlockKind::Caption);
        out.block(i, block, caption, seen_paragraph);
        seen_paragraph |= block.kind == BlockKind::Paragraph;
        prev = Some(block.kind);
        end = TextPos {
            block: i,
            offset: block.text.chars().count(),
        };
    }
    let mut notes = Vec::new();
    if let (Some(n), false) = (article.continues_to, has_marker) {
        notes.push(out.note(
            &format!("（下转第{n}版）"),
            &format!("(continued on page {n})"),
        ));
    }
    if article.truncated && !ends_with_credit(article) {
        notes.push(out.note("（原文至此中断）", "(text ends here)"));
    }
    if !notes.is_empty() && !out.lines.is_empty() {
        out.blank(end);
    }
    for note in notes {
        out.text(LineStyle::Note, &note, end, 0, &[]);
    }
    ArticleLayout { lines: out.lines }
}

/// The section label set off without colour: `【平城头条】`, `[City News]`.
fn section_label(label: &str) -> String {
    let label = label.trim();
    if label.chars().any(is_cjk_joinable) {
        format!("【{label}】")
    } else {
        format!("[{label}]")
    }
}

/// An English story: no CJK in its title and first blocks (its notes are then in English).
fn is_english(article: &Article) -> bool {
    let texts = article
        .title_lines
        .iter()
        .chain(article.blocks.iter().take(3).map(|b| &b.text));
    let mut latin = false;
    for t in texts {
        if t.chars().any(is_cjk_joinable) {
            return false;
        }
        latin |= t.chars().any(|c| c.is_ascii_alphabetic());
    }
    latin
}

/// The story closes on a parenthesised credit (`(Reporter: Li Hua)`, `（记者 张三）`): it ends
/// properly even though its last character is no full stop.
fn ends_with_credit(article: &Article) -> bool {
    let Some(last) = article.blocks.last() else {
        return false;
    };
    let t = last.text.trim_end();
    let Some(close) = t.chars().next_back().filter(|c| matches!(c, ')' | '）')) else {
        return false;
    };
    let open = if close == ')' { '(' } else { '（' };
    t.rfind(open).is_some_and(|i| {
        let inner = &t[i + open.len_utf8()..t.len() - close.len_utf8()];
        !inner.is_empty() && inner.chars().count() <= 40
    })
}

/// The dateline lead-in at the start of a paragraph's first line, which print sets in bold:
/// `本报讯（记者 尚丽）`, `新华社太原11月25日电（记者 闫志强）`, or a bare `本报讯`. The
/// length in bytes of `line` it covers (0: none).
pub fn dateline_lead(line: &str) -> usize {
    const MAX_CHARS: usize = 40;
    let head: String = line.chars().take(MAX_CHARS).collect();
    let Some(open) = head.find('（') else {
        return if line.starts_with("本报讯") {
            "本报讯".len()
        } else {
            0
        };
    };
    let before = &head[..open];
    let is_dateline =
        before.ends_with("本报讯") || (before.ends_with("日电") && before.chars().count() <= 20);
    match head[open..].find('）') {
        Some(close) if is_dateline => open + close + '）'.len_utf8(),
        _ if line.starts_with("本报讯") => "本报讯".len(),
        _ => 0,
    }
}

/// True when an image's alt text says what its caption says (final punctuation aside).
fn same_words(alt: &str, caption: &str) -> bool {
    let core = |s: &str| {
        s.trim()
            .trim_end_matches(|c: char| c.is_ascii_punctuation() || "。．！？".contains(c))
            .to_string()
    };
    !alt.trim().is_empty() && core(alt) == core(caption)
}

struct Out {
    lines: Vec<ScreenLine>,
    width: usize,
    wrap: WrapOptions,
    indent: usize,
    /// Print style: paragraphs follow each other without a blank line.
    print: bool,
    english: bool,
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
            print: opts.indent,
            english: false,
        }
    }

    /// A note in the story's language.
    fn note(&self, zh: &str, en: &str) -> String {
        if self.english { en } else { zh }.to_string()
    }

    /// A heading (label, kicker, title, subtitle) at the full width: it never hangs.
    fn heading(&mut self, style: LineStyle, source: &[&str]) {
        let safe: Vec<String> = source
            .iter()
            .map(|s| display_safe(s).into_owned())
            .collect();
        let safe: Vec<&str> = safe.iter().map(String::as_str).collect();
        for text in heading_lines(&safe, self.width, self.wrap.amb) {
            self.lines.push(ScreenLine {
                style,
                indent: 0,
                text,
                pos: TextPos::default(),
                bold: Vec::new(),
            });
        }
    }

    fn blank(&mut self, pos: TextPos) {
        self.lines.push(ScreenLine {
            style: LineStyle::Blank,
            indent: 0,
            text: String::new(),
            pos,
            bold: Vec::new(),
        });
    }

    /// Lay out block `i`. An image whose alt text repeats `caption` shows only its
    /// placeholder; a byline after the story's first paragraph is set flush right.
    fn block(&mut self, i: usize, block: &Block, caption: Option<&Block>, trailing: bool) {
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
                let label = if self.english {
                    format!("[image {src}]")
                } else {
                    format!("[图片 {src}]")
                };
                self.text_with(
                    LineStyle::Image,
                    &label,
                    at,
                    0,
                    self.full_width(),
                    true,
                    &[],
                );
                if !caption.is_some_and(|c| same_words(&block.text, &c.text)) {
                    self.text(LineStyle::Image, &block.text, at, 0, &[]);
                }
                return;
            }
            BlockKind::Table => {
                let amb = self.wrap.amb;
                for line in table::layout_table(&block.text, &block.bold, self.width, amb) {
                    self.lines.push(ScreenLine {
                        style: LineStyle::Table,
                        indent: 0,
                        text: line.text,
                        pos: TextPos {
                            block: i,
                            offset: line.offset,
                        },
                        bold: line.bold,
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
        let from = self.lines.len();
        self.text(style, &block.text, at, indent, &block.bold);
        if style == LineStyle::Byline && trailing {
            for line in &mut self.lines[from..] {
                let w = width(&line.text, self.wrap.amb);
                line.indent = u16::try_from(self.wrap.width.saturating_sub(w)).unwrap_or(0);
            }
        }
    }

    /// Wrap options without hanging, at the full width (labels, paths).
    fn full_width(&self) -> WrapOptions {
        WrapOptions::new(self.width, self.wrap.amb)
    }

    /// Wrap block or note text; `bold` is the block's bold spans (bytes of `text`).
    fn text(
        &mut self,
        style: LineStyle,
        text: &str,
        at: TextPos,
        first_indent: usize,
        bold: &[[usize; 2]],
    ) {
        let mut opts = self.wrap;
        opts.orphans = matches!(style, LineStyle::Paragraph | LineStyle::Caption);
        let fixed = style_keeps_position(style);
        self.text_with(style, text, at, first_indent, opts, fixed, bold);
    }

    /// Wrap `text` (newlines are hard breaks) and push its lines; `at` is the position of its
    /// first character. With `fixed` (headline, notes, labels) every line keeps `at`. Each
    /// line gets the part of `bold` it shows.
    #[allow(clippy::too_many_arguments)]
    fn text_with(
        &mut self,
        style: LineStyle,
        text: &str,
        at: TextPos,
        first_indent: usize,
        mut opts: WrapOptions,
        fixed: bool,
        bold: &[[usize; 2]],
    ) {
        let mut seg_chars = 0;
        let mut seg_start = 0;
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
                let raw = &segment[line.range.clone()];
                let shown = display_safe(raw).into_owned();
                let abs = seg_start + line.range.start..seg_start + line.range.end;
                lines.push(ScreenLine {
                    style,
                    indent: if first { first_indent as u16 } else { 0 },
                    bold: line_bold(bold, abs, raw, &shown),
                    text: shown,
                    pos,
                });
                first = false;
            });
            seg_chars += segment.chars().count() + 1;
            seg_start += segment.len() + 1;
        }
    }
}

/// The bold spans of a block (bytes of its text) that fall on one line, which shows the
/// block's bytes `abs` (`raw`) as `shown` (display-safe: one character for one, though
/// perhaps not one byte for one): byte ranges into `shown`.
pub(super) fn line_bold(
    bold: &[[usize; 2]],
    abs: std::ops::Range<usize>,
    raw: &str,
    shown: &str,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    // Spans are in order and apart: start at the first that ends past the line's start, so
    // a paragraph of many spans costs each line only its own (no quadratic scan).
    let first = bold.partition_point(|s| s[1] <= abs.start);
    for &[a, b] in &bold[first..] {
        if a >= abs.end {
            break;
        }
        let (a, b) = (a.max(abs.start), b.min(abs.end));
        if a >= b {
            continue;
        }
        let (a, b) = (a - abs.start, b - abs.start);
        if raw.len() == shown.len() {
            out.push(a..b);
        } else {
            // Control characters were replaced: count characters, not bytes.
            let to_shown = |i: usize| {
                let n = raw.get(..i).map_or(0, |p| p.chars().count());
                shown.char_indices().nth(n).map_or(shown.len(), |(k, _)| k)
            };
            out.push(to_shown(a)..to_shown(b));
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_lead_ins() {
        fn lead(s: &str) -> &str {
            &s[..dateline_lead(s)]
        }
        assert_eq!(
            lead("本报讯（记者 尚丽）受冷空气影响"),
            "本报讯（记者 尚丽）"
        );
        assert_eq!(
            lead("新华社太原11月25日电（记者 闫志强、乔 雨）近日"),
            "新华社太原11月25日电（记者 闫志强、乔 雨）"
        );
        assert_eq!(lead("本报讯 近日，"), "本报讯");
        assert_eq!(lead("本报讯（记者 尚丽"), "本报讯");
        assert_eq!(lead("近日（据悉）"), "");
        assert_eq!(lead("停电（检修）"), "");
    }
}
