//! Markup inside text blocks: images `![alt](src)` (and `<img>`), HTML tables and markdown
//! tables. Each becomes its own block; the text around it stays one paragraph, and the
//! embedded blocks follow that paragraph in the order they appeared. Table cells are joined
//! by tabs and rows by newlines, with tags removed and entities decoded; a markdown cell's
//! `**bold**` becomes the table block's bold spans.

use super::html::{attr, html_table};
use super::text::{join_soft, starts_with_ci, trim_blank};
use crate::model::{Block, BlockKind};

/// Text with its embedded images and tables taken out.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub embedded: Vec<Block>,
}

/// A `![` or a `<` somewhere: the only ways an image or a table can start. One scan.
pub fn may_have_markup(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'!', b'<', b).any(|i| b[i] == b'<' || b.get(i + 1) == Some(&b'['))
}

/// Take images and HTML tables out of (already soft-joined) block text.
pub fn extract_inline(owned: String) -> Extracted {
    let mut out = Extracted::default();
    if !may_have_markup(&owned) {
        out.text = owned;
        return out;
    }
    let text = owned.as_str();
    let mut finders = Finders::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last = 0;
    // Only `!` and `<` can open markup: jump from one to the next.
    while let Some(p) = memchr::memchr2(b'!', b'<', &bytes[i..]) {
        i += p;
        let found = match bytes[i] {
            b'!' if bytes.get(i + 1) == Some(&b'[') => markdown_image(text, i, &mut finders),
            b'<' if starts_with_ci(&bytes[i..], b"<table") => Some(html_table(text, i)),
            b'<' if starts_with_ci(&bytes[i..], b"<img") => html_image(text, i, &mut finders),
            _ => None,
        };
        match found {
            Some((block, end)) => {
                out.text.push_str(&text[last..i]);
                out.embedded.push(block);
                i = end;
                last = end;
            }
            None => i += 1,
        }
    }
    out.text.push_str(&text[last..]);
    out
}

/// The next occurrence of a pattern at or after a position, cached. One left-to-right scan
/// asks with positions that never decrease, so each finder walks the text once in all and
/// a page full of stray `![` stays linear.
struct Finder {
    needle: &'static str,
    found: Option<usize>,
    /// Searched from here to the end and found nothing.
    none_from: Option<usize>,
}

impl Finder {
    fn new(needle: &'static str) -> Self {
        Finder {
            needle,
            found: None,
            none_from: None,
        }
    }

    fn at_or_after(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some(p) = self.found
            && p >= from
        {
            return Some(p);
        }
        if self.none_from.is_some_and(|n| from >= n) || from > text.len() {
            return None;
        }
        self.found =
            super::text::find(&text.as_bytes()[from..], self.needle.as_bytes()).map(|p| p + from);
        if self.found.is_none() {
            self.none_from = Some(from);
        }
        self.found
    }
}

struct Finders {
    bracket_paren: Finder,
    open_bracket: Finder,
    close_paren: Finder,
    gt: Finder,
}

impl Default for Finders {
    fn default() -> Self {
        Finders {
            bracket_paren: Finder::new("]("),
            open_bracket: Finder::new("["),
            close_paren: Finder::new(")"),
            gt: Finder::new(">"),
        }
    }
}

/// An image that opens the text (`![](a.jpg)平城区…`), with the text after it; `None` when
/// the text does not start with an image or is only an image.
pub fn leading_image(text: &str) -> Option<(Block, &str)> {
    let t = trim_blank(text);
    let offset = text.len() - text.trim_start_matches(super::text::is_blank).len();
    let mut finders = Finders::default();
    let found = if t.starts_with("![") {
        markdown_image(text, offset, &mut finders)
    } else if starts_with_ci(t.as_bytes(), b"<img") {
        html_image(text, offset, &mut finders)
    } else {
        None
    };
    let (block, end) = found?;
    let rest = trim_blank(&text[end..]);
    (!rest.is_empty()).then_some((block, rest))
}

/// Longest alt text and link target we believe, in bytes.
const MAX_ALT: usize = 1024;
const MAX_TARGET: usize = 2048;

/// `![alt](src "title")` starting at `at`; returns the image block and the end offset.
fn markdown_image(text: &str, at: usize, f: &mut Finders) -> Option<(Block, usize)> {
    let alt_start = at + 2;
    let close = f.bracket_paren.at_or_after(text, alt_start)?;
    let nested = f
        .open_bracket
        .at_or_after(text, alt_start)
        .is_some_and(|b| b < close);
    if close - alt_start > MAX_ALT || nested {
        return None;
    }
    let target_start = close + 2;
    let end = f.close_paren.at_or_after(text, target_start)?;
    if end - target_start > MAX_TARGET {
        return None;
    }
    let alt = &text[alt_start..close];
    let target = trim_blank(&text[target_start..end]);
    let src = target.split([' ', '\t']).next().unwrap_or("");
    let mut block = Block::new(BlockKind::Image, trim_blank(alt));
    block.src = Some(src.to_string());
    // Keep a title's text too: nothing of the page is dropped.
    let title = trim_blank(&target[src.len()..]).trim_matches('"');
    if !title.is_empty() {
        join_soft(&mut block.text, title);
    }
    Some((block, end + 1))
}

/// `<img src="…" alt="…">`.
fn html_image(text: &str, at: usize, f: &mut Finders) -> Option<(Block, usize)> {
    let gt = f.gt.at_or_after(text, at)?;
    if gt - at > MAX_TARGET {
        return None;
    }
    let end = gt + 1;
    let tag = &text[at..end];
    let mut block = Block::new(BlockKind::Image, attr(tag, "alt").unwrap_or_default());
    block.src = Some(attr(tag, "src").unwrap_or_default());
    super::html::keep_stray_text(tag, &mut block);
    Some((block, end))
}

/// Rows of a markdown table (`| a | b |` lines; `|---|` separator rows are dropped).
pub fn markdown_table(lines: &[&str]) -> Block {
    // Cells are written straight into the table's text (tabs between cells, newlines between
    // rows), as `rows_to_text` would join them.
    let mut text = String::with_capacity(lines.iter().map(|l| l.len()).sum());
    let mut bold = Vec::new();
    for line in lines {
        let inner = trim_blank(line);
        let inner = inner.strip_prefix('|').unwrap_or(inner);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let separator = inner.split('|').all(|c| {
            let c = trim_blank(c);
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ' | '—'))
        });
        if separator {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        for (n, cell) in inner.split('|').enumerate() {
            if n > 0 {
                text.push('\t');
            }
            let cell = trim_blank(cell);
            if super::text::has(cell, "**") {
                let (plain, spans) = super::text::strip_bold_spans(cell.to_string());
                let at = text.len();
                bold.extend(spans.into_iter().map(|[a, b]| [a + at, b + at]));
                text.push_str(&plain);
            } else {
                text.push_str(cell);
            }
        }
    }
    let mut block = Block::new(BlockKind::Table, text);
    block.bold = bold;
    block
}

/// True for a markdown table row: `| … |`.
pub fn is_markdown_row(line: &str) -> bool {
    let t = trim_blank(line);
    t.len() >= 2 && t.starts_with('|') && t[1..].contains('|')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_inside_a_line_is_taken_out() {
        let e = extract_inline(String::from("活动现场![现场](images/a.jpg)气氛热烈。"));
        assert_eq!(e.text, "活动现场气氛热烈。");
        assert_eq!(e.embedded[0].src.as_deref(), Some("images/a.jpg"));
        assert_eq!(e.embedded[0].text, "现场");
    }

    #[test]
    fn html_table_cells() {
        let e = extract_inline(String::from(
            "<table><tr><th>项目</th><th>数量</th></tr><tr><td>检查&nbsp;单位</td><td>4251<br>家</td></tr></table>",
        ));
        assert_eq!(e.text, "");
        assert_eq!(e.embedded[0].text, "项目\t数量\n检查 单位\t4251 家");
    }

    #[test]
    fn markdown_table_rows() {
        let b = markdown_table(&["| 项目 | 数量 |", "|---|:--:|", "| **隐患** | 1807 |"]);
        assert_eq!(b.text, "项目\t数量\n隐患\t1807");
        let [s, e] = b.bold[0];
        assert_eq!(&b.text[s..e], "隐患");
    }

    #[test]
    fn html_img_tag() {
        let e = extract_inline(String::from(r#"<img src="images/b.png" alt="图">"#));
        assert_eq!(e.embedded[0].src.as_deref(), Some("images/b.png"));
    }

    #[test]
    fn markup_starts_only_with_an_image_or_a_tag_opener() {
        assert!(may_have_markup("现场![图](a.jpg)"));
        assert!(may_have_markup("a < b"));
        assert!(!may_have_markup("好！真好!"));
        assert!(!may_have_markup("结尾!"));
    }

    #[test]
    fn lone_angle_bracket_is_text() {
        assert_eq!(
            extract_inline(String::from("a < b 且 c>d")).text,
            "a < b 且 c>d"
        );
    }
}
