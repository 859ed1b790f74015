//! Lines → items. A page is a sequence of heading lines (`#`, `##`, `###`, deeper) and text
//! blocks (runs of non-blank lines). An HTML table that spans blank lines stays in one block.

use super::markup::starts_with_ci;
use super::text::trim_blank;

/// One heading line or one block of text lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    /// `level` is the number of `#`; `text` is trimmed, with a closing `##` run removed.
    Heading { level: usize, text: &'a str },
    /// The raw lines of one block, in order: a range of [`Items::lines`].
    Text(std::ops::Range<usize>),
}

/// A page's items, with the lines of all its text blocks kept in one vector (one
/// allocation for the page instead of one per block).
#[derive(Debug, Clone, PartialEq)]
pub struct Items<'a> {
    pub items: Vec<Item<'a>>,
    pub lines: Vec<&'a str>,
}

impl<'a> Items<'a> {
    /// The lines of a text block.
    pub fn block(&self, range: &std::ops::Range<usize>) -> &[&'a str] {
        &self.lines[range.clone()]
    }
}

/// Split page text (LF line endings) into items.
pub fn split_items(text: &str) -> Items<'_> {
    // Sized up front: regrowing a big vector makes glibc consolidate its free lists, which
    // showed up as a tenth of the time on a page of 100,000 headings.
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let mut items = Vec::with_capacity(newlines / 2 + 1);
    let mut lines: Vec<&str> = Vec::with_capacity(newlines + 1);
    let mut start = 0;
    let mut open_tables = 0usize;
    for line in split_lines(text) {
        if open_tables > 0 {
            lines.push(line);
            open_tables = update_open_tables(open_tables, line);
            continue;
        }
        if trim_blank(line).is_empty() {
            flush(&mut items, &mut start, lines.len());
            continue;
        }
        if let Some((level, heading)) = heading(line) {
            flush(&mut items, &mut start, lines.len());
            items.push(Item::Heading {
                level,
                text: heading,
            });
            continue;
        }
        lines.push(line);
        open_tables = update_open_tables(0, line);
    }
    flush(&mut items, &mut start, lines.len());
    Items { items, lines }
}

/// End the block that runs from `start` to `end` in the line vector, if it has lines.
fn flush(items: &mut Vec<Item<'_>>, start: &mut usize, end: usize) {
    if end > *start {
        items.push(Item::Text(*start..end));
    }
    *start = end;
}

/// `text.split('\n')`, with `memchr` finding the line ends (the std `char` searcher was a
/// tenth of the parse of a block-dense page).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let end = ends.next().unwrap_or_else(|| {
            done = true;
            text.len()
        });
        let line = &text[start..end];
        start = end + 1;
        Some(line)
    })
}

/// `## 标题` → (2, `标题`). A run of `#` is followed by a space, ends the line, or runs
/// straight into text that has no other `#` (`##标题` is a heading, `#话题#` is text).
pub fn heading(line: &str) -> Option<(usize, &str)> {
    // Asked of every line: only `#`, a space or U+3000 (`E3 …`) can start a heading.
    if !matches!(line.as_bytes().first(), Some(b'#' | b' ' | 0xE3)) {
        return None;
    }
    let t = line.trim_start_matches([' ', '\u{3000}']);
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if level == 0 {
        return None;
    }
    let rest = &t[level..];
    let spaced = rest.is_empty() || rest.starts_with([' ', '\t', '\u{3000}']);
    if !spaced && (rest.contains('#') || level > 6) {
        return None;
    }
    let mut text = trim_blank(rest);
    // A closing run (`## 标题 ##`) is markup too.
    let stripped = text.trim_end_matches('#');
    if stripped.len() < text.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
        text = trim_blank(stripped);
    }
    Some((level, text))
}

/// Track `<table` / `</table` nesting so that a table spanning blank lines stays whole.
pub(super) fn update_open_tables(open: usize, line: &str) -> usize {
    if memchr::memchr(b'<', line.as_bytes()).is_none() {
        return open;
    }
    let b = line.as_bytes();
    let (mut opens, mut closes) = (0, 0);
    for i in memchr::memchr_iter(b'<', b) {
        let tag = &b[i + 1..];
        if starts_with_ci(tag, b"table") {
            opens += 1;
        } else if starts_with_ci(tag, b"/table") {
            closes += 1;
        }
    }
    (open + opens).saturating_sub(closes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_blocks() {
        let items = split_items("## 标题 ##\n\n第一行\n第二行\n\n#话题#不是标题\n###引题");
        assert_eq!(
            items.items,
            vec![
                Item::Heading {
                    level: 2,
                    text: "标题"
                },
                Item::Text(0..2),
                Item::Text(2..3),
                Item::Heading {
                    level: 3,
                    text: "引题"
                },
            ]
        );
        assert_eq!(items.block(&(0..2)), ["第一行", "第二行"]);
        assert_eq!(items.block(&(2..3)), ["#话题#不是标题"]);
    }

    #[test]
    fn lines_split_like_str_split() {
        for t in ["", "\n", "a", "a\n", "\na\n\nb", "甲\n乙\n"] {
            assert_eq!(
                split_lines(t).collect::<Vec<_>>(),
                t.split('\n').collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn table_spanning_blank_lines_stays_one_block() {
        let items =
            split_items("<table>\n<tr><td>甲</td></tr>\n\n<tr><td>乙</td></tr>\n</table>\n\n后文");
        assert_eq!(items.items.len(), 2);
        assert!(matches!(&items.items[0], Item::Text(lines) if lines.len() == 5));
    }
}
