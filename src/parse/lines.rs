//! Lines → items. A page is a sequence of heading lines (`#`, `##`, `###`, deeper) and text
//! blocks (runs of non-blank lines). An HTML table that spans blank lines stays in one block.

use super::text::{starts_with_ci, trim_blank};

/// One heading line or one block of text lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'b, 'a> {
    /// `level` is the number of `#`; `text` is trimmed, with a closing `##` run removed.
    Heading { level: usize, text: &'a str },
    /// The raw lines of one block, in order (in a buffer the splitter reuses).
    Text(&'b [&'a str]),
}

/// Split page text (LF line endings) into items, handing each to `each` in page order. No
/// list of the page's items or lines is built: one block's lines at a time.
pub fn split_items<'a>(text: &'a str, mut each: impl FnMut(Item<'_, 'a>)) {
    let mut block: Vec<&'a str> = Vec::new();
    let mut open_tables = 0usize;
    for line in split_lines(text) {
        if open_tables > 0 {
            block.push(line);
            open_tables = update_open_tables(open_tables, line);
            continue;
        }
        if trim_blank(line).is_empty() {
            flush(&mut block, &mut each);
            continue;
        }
        if let Some((level, heading)) = heading(line) {
            flush(&mut block, &mut each);
            each(Item::Heading {
                level,
                text: heading,
            });
            continue;
        }
        block.push(line);
        open_tables = update_open_tables(0, line);
    }
    flush(&mut block, &mut each);
}

/// Hand over the block gathered so far, if it has lines, and start the next one.
fn flush<'a>(block: &mut Vec<&'a str>, each: &mut impl FnMut(Item<'_, 'a>)) {
    if !block.is_empty() {
        each(Item::Text(block));
        block.clear();
    }
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

    /// Items as owned values, for comparing.
    #[derive(Debug, PartialEq)]
    enum Owned {
        Heading(usize, String),
        Text(Vec<String>),
    }

    fn items(text: &str) -> Vec<Owned> {
        let mut out = Vec::new();
        split_items(text, |item| {
            out.push(match item {
                Item::Heading { level, text } => Owned::Heading(level, text.to_string()),
                Item::Text(lines) => {
                    Owned::Text(lines.iter().map(std::string::ToString::to_string).collect())
                }
            });
        });
        out
    }

    #[test]
    fn headings_and_blocks() {
        assert_eq!(
            items("## 标题 ##\n\n第一行\n第二行\n\n#话题#不是标题\n###引题"),
            vec![
                Owned::Heading(2, "标题".into()),
                Owned::Text(vec!["第一行".into(), "第二行".into()]),
                Owned::Text(vec!["#话题#不是标题".into()]),
                Owned::Heading(3, "引题".into()),
            ]
        );
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
            items("<table>\n<tr><td>甲</td></tr>\n\n<tr><td>乙</td></tr>\n</table>\n\n后文");
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[0], Owned::Text(lines) if lines.len() == 5));
    }
}
