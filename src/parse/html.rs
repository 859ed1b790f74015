//! HTML inside pages: tables (`<table><tr><td>…</td></tr></table>` → cells joined by tabs,
//! rows by newlines, no tags) and the helpers shared with `<img>`: attributes and entities.
//! Text a reader could mean is never dropped: cell text, and non-ASCII attribute values such
//! as an image's alt inside a table, stay in the table's text.

use super::text::{join_soft, starts_with_ci, trim_blank};
use crate::model::{Block, BlockKind};

/// `<table>…</table>` starting at `at` (an unclosed table runs to the end of the text).
pub fn html_table(text: &str, at: usize) -> (Block, usize) {
    let bytes = text.as_bytes();
    let end = match find_ci(bytes, at + 6, b"</table") {
        Some(close) => text[close..]
            .find('>')
            .map_or(text.len(), |g| close + g + 1),
        None => text.len(),
    };
    let rows = html_table_rows(&text[at..end]);
    (Block::new(BlockKind::Table, rows_to_text(&rows)), end)
}

/// The first `needle` (which starts with `<`) at or after `from`, in any ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let from = from.min(hay.len());
    memchr::memchr_iter(b'<', &hay[from..])
        .map(|j| from + j)
        .find(|&j| starts_with_ci(&hay[j..], needle))
}

/// Rows of cells from table HTML: `<tr>` starts a row, `<td>`/`<th>` a cell, `<br>` is a
/// space, other tags vanish; text outside any cell (a caption) becomes a row of its own.
fn html_table_rows(html: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    let mut rest = html;
    while !rest.is_empty() {
        let (lt, gt) = next_tag(rest).unwrap_or((rest.len(), rest.len()));
        // Most chunks are the blank between two tags: answered before any copy is made.
        let raw = &rest[..lt];
        if !trim_blank(raw).is_empty() {
            let chunk = decode_entities(raw);
            if !trim_blank(&chunk).is_empty() {
                let target = cell.get_or_insert_with(String::new);
                for line in chunk.split('\n') {
                    join_soft(target, line);
                }
            }
        }
        if lt == rest.len() {
            break;
        }
        let tag_src = &rest[lt..gt];
        if tag_src.starts_with("<!--") {
            // A comment is not markup to act on (a `<td>` inside it opens nothing). One with
            // text a reader could mean stays in the cell as written, as it does in a
            // paragraph; one of plain ASCII is an editor's note on the markup and goes.
            if !tag_src.is_ascii() {
                join_soft(cell.get_or_insert_with(String::new), tag_src);
            }
            rest = &rest[gt..];
            continue;
        }
        if !tag_src.is_ascii() {
            // Attribute text a reader could mean (an image's alt, a title) stays in the cell.
            let target = cell.get_or_insert_with(String::new);
            for value in non_ascii_attr_values(tag_src) {
                join_soft(target, &value);
            }
        }
        // The tag's name, lowercased in a small stack buffer (the names that matter are short).
        let tag = rest[lt + 1..gt].trim_end_matches('>');
        let closing = tag.starts_with('/');
        let name_src = tag.trim_start_matches('/').as_bytes();
        let name_len = name_src
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let mut buf = [0u8; 8];
        let name: &[u8] = if name_len <= buf.len() {
            buf[..name_len].copy_from_slice(&name_src[..name_len]);
            buf[..name_len].make_ascii_lowercase();
            &buf[..name_len]
        } else {
            b""
        };
        match name {
            b"tr" | b"table" => {
                if let Some(c) = cell.take() {
                    row.push(c);
                }
                if !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                }
            }
            b"td" | b"th" => {
                if let Some(c) = cell.take() {
                    row.push(c);
                }
                if !closing {
                    cell = Some(String::new());
                }
            }
            b"br" | b"p" | b"div" => {
                if let Some(c) = cell.as_mut()
                    && !c.is_empty()
                {
                    c.push(' ');
                }
            }
            _ => {}
        }
        rest = &rest[gt..];
    }
    if let Some(c) = cell.take() {
        row.push(c);
    }
    if !row.is_empty() {
        rows.push(row);
    }
    for r in &mut rows {
        for c in r.iter_mut() {
            let t = trim_blank(c);
            if t.len() != c.len() {
                *c = t.to_string();
            }
        }
    }
    rows
}

/// The next tag in `s`: a `<` followed by a letter, `/` or `!`, up to its `>`; a comment
/// `<!-- … -->` up to its `-->` (whatever `>` it holds), or to the end when unclosed. A `<`
/// that opens no tag (`a < b`, or no `>` after it) is text.
fn next_tag(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(p) = s[from..].find('<') {
        let lt = from + p;
        if s[lt..].starts_with("<!--") {
            let end = s[lt + 4..].find("-->").map_or(s.len(), |e| lt + 4 + e + 3);
            return Some((lt, end));
        }
        // `</` must be followed by a name: `</乨>` (a damaged byte) is text, not a tag.
        let opens = match bytes.get(lt + 1) {
            Some(b'/') => bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic),
            Some(b) => b.is_ascii_alphabetic() || *b == b'!',
            None => false,
        };
        if opens {
            let gt = s[lt..].find('>')?;
            return Some((lt, lt + gt + 1));
        }
        from = lt + 1;
    }
    None
}

/// Text in a tag that is not plain ASCII: quoted attribute values (`alt="图"`),
/// entity-decoded, and runs of it outside quotes (`<td 甲>`, an unclosed quote).
fn non_ascii_attr_values(tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tag;
    loop {
        let (unquoted, value, next) = match rest.find(['"', '\'']) {
            Some(q) => {
                let quote = rest[q..].chars().next().unwrap_or('"');
                let after = &rest[q + 1..];
                match after.find(quote) {
                    Some(end) => (&rest[..q], Some(&after[..end]), &after[end + 1..]),
                    None => (rest, None, ""),
                }
            }
            None => (rest, None, ""),
        };
        out.extend(
            unquoted
                .split(|c: char| c.is_ascii())
                .filter(|run| !run.is_empty())
                .map(str::to_string),
        );
        if let Some(value) = value.filter(|v| !v.is_ascii()) {
            out.push(decode_entities(value));
        }
        if next.is_empty() {
            return out;
        }
        rest = next;
    }
}

/// Text of a tag that neither its alt nor its src holds (a damaged attribute, `<img 图>`)
/// joins the block's text: the lossless rule counts every Han character.
pub fn keep_stray_text(tag: &str, block: &mut Block) {
    if tag.is_ascii() {
        return;
    }
    let mut values = non_ascii_attr_values(tag);
    // Each of alt and src holds one of them (the same text may stand in the tag twice).
    for held in [Some(block.text.clone()), block.src.clone()]
        .into_iter()
        .flatten()
    {
        // The same text, or the same non-ASCII text (a value cut at the wrong quote,
        // `src=€x.png" alt=€图"`, reads `" alt=€图"` as one quoted value)…
        let wide = non_ascii(&held);
        let at = values
            .iter()
            .position(|v| *v == held)
            .or_else(|| values.iter().position(|v| non_ascii(v) == wide));
        if let Some(i) = at {
            values.remove(i);
            continue;
        }
        // …or an unquoted value, cut at quotes and ASCII into pieces (`src=亁.€ng"`: 亁 and
        // €): every piece of it, each taken once from what the attribute holds, longest
        // first (a stray `图` before `src=图片…` must not take the 图 of the src's piece).
        let mut unclaimed = held.clone();
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(values[i].len()));
        let mut claimed = vec![false; values.len()];
        for i in order {
            if let Some(p) = unclaimed.find(values[i].as_str()) {
                unclaimed.replace_range(p..p + values[i].len(), "\0");
                claimed[i] = true;
            }
        }
        if claimed.contains(&true) {
            let mut k = 0;
            values.retain(|_| {
                k += 1;
                !claimed[k - 1]
            });
            continue;
        }
        if let Some(i) = values
            .iter()
            .position(|v| !wide.is_empty() && non_ascii(v).contains(&wide))
        {
            // A value that holds the attribute and more: take only what it shares.
            values[i] = without_chars(&values[i], &wide);
            if values[i].is_ascii() {
                values.remove(i);
            }
        }
    }
    for value in values {
        join_soft(&mut block.text, &value);
    }
}

/// The characters of `s` that are not ASCII, in order: what the lossless rule counts.
fn non_ascii(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii()).collect()
}

/// `value` without the first run of its non-ASCII characters that spells `held` (ASCII in
/// between is kept).
fn without_chars(value: &str, held: &str) -> String {
    let wide: Vec<(usize, char)> = value
        .char_indices()
        .filter(|(_, c)| !c.is_ascii())
        .collect();
    let want: Vec<char> = held.chars().collect();
    let Some(start) = (0..wide.len()).find(|&k| {
        wide.len() - k >= want.len()
            && wide[k..k + want.len()]
                .iter()
                .map(|&(_, c)| c)
                .eq(want.iter().copied())
    }) else {
        return value.to_string();
    };
    let drop: Vec<usize> = wide[start..start + want.len()]
        .iter()
        .map(|&(i, _)| i)
        .collect();
    value
        .char_indices()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, c)| c)
        .collect()
}

pub fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let key = format!("{name}=");
    let mut from = 0;
    while let Some(p) = lower[from..].find(&key) {
        let start = from + p;
        from = start + key.len();
        // `data-alt=` is not `alt=`; `"x.png"alt=` (a damaged or missing blank) still is.
        let before_ok = start == 0 || {
            let b = lower.as_bytes()[start - 1];
            !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if !before_ok || inside_value(tag, start) {
            continue;
        }
        let v = &tag[from..];
        let (quote, v) = match v.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &v[1..]),
            _ => (None, v),
        };
        let stop = match quote {
            Some(q) => v.find(q).unwrap_or(v.len()),
            None => v.find([' ', '>', '/']).unwrap_or(v.len()),
        };
        return Some(decode_entities(&v[..stop]));
    }
    None
}

/// True when byte `at` of `tag` lies inside a quoted attribute value (`src="a alt=b"`): a
/// quote opens a value only right after `=`, so a stray apostrophe opens nothing.
fn inside_value(tag: &str, at: usize) -> bool {
    let mut open: Option<u8> = None;
    let mut prev = 0u8;
    for &b in &tag.as_bytes()[..at] {
        match open {
            Some(q) if b == q => open = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && prev == b'=' => open = Some(b),
            None => {}
        }
        prev = b;
    }
    open.is_some()
}

pub fn rows_to_text(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|r| r.join("\t"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Decode the HTML entities that page tools emit (`&nbsp;`, `&amp;`, numeric references).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.as_bytes()[..tail.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = semi.and_then(|semi| entity(&tail[1..semi]).map(|c| (c, semi + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_and_cells() {
        let (b, end) = html_table(
            "<table><tr><th>项目</th><th>数量</th></tr><tr><td>检查&nbsp;单位</td><td>4251<br>家</td></tr></table>后",
            0,
        );
        assert_eq!(b.text, "项目\t数量\n检查 单位\t4251 家");
        assert_eq!(end, "<table><tr><th>项目</th><th>数量</th></tr><tr><td>检查&nbsp;单位</td><td>4251<br>家</td></tr></table>".len());
    }

    #[test]
    fn alt_text_inside_a_table_is_kept() {
        let (b, _) = html_table(
            r#"<table><tr><td><img src="a.png" alt="图一"></td></tr></table>"#,
            0,
        );
        assert_eq!(b.text, "图一");
    }

    #[test]
    fn a_comment_in_a_cell_keeps_the_cell_and_its_own_text() {
        let (b, _) = html_table(
            "<table><tr><td>甲<!-- 注释 -->乙</td><td><!-- x > y -->丙丁</td></tr></table>",
            0,
        );
        assert_eq!(b.text, "甲<!-- 注释 -->乙\t丙丁");
        // A commented-out cell opens no cell; its text stays where the comment was.
        let (b, _) = html_table(
            "<table><tr><td>甲</td><!-- <td>旧</td> --><td>乙</td></tr><tr><td><!-- a --></td><td>丙</td></tr></table>",
            0,
        );
        assert_eq!(b.text, "甲\t<!-- <td>旧</td> -->\t乙\n\t丙");
    }

    #[test]
    fn text_in_a_broken_tag_is_kept() {
        let (b, _) = html_table("<table><tr><td>甲</乨><td 乙 x=1>丙</td></tr></table>", 0);
        // The text of a tag goes where the tag stands, before the cell it opens.
        assert_eq!(b.text, "甲</乨>乙\t丙");
    }

    #[test]
    fn an_attribute_read_inside_a_value_cut_at_the_wrong_quote_is_kept_once() {
        // Found by the damaged-pages proptest: the alt text stood in the model twice.
        let tag = r#"<img src=€x.png" alt=€图">"#;
        let mut block = Block::new(BlockKind::Image, attr(tag, "alt").unwrap_or_default());
        block.src = attr(tag, "src");
        keep_stray_text(tag, &mut block);
        let all = format!("{}{}", block.text, block.src.unwrap_or_default());
        assert_eq!(all.matches('图').count(), 1, "{all}");
        assert_eq!(all.matches('€').count(), 2, "{all}");
    }

    #[test]
    fn an_unquoted_value_cut_into_pieces_is_kept_once_every_piece() {
        // Found by the damaged-pages proptest: `亁` (in the src) stood in the text too.
        let tag = r#"<img src=亁.€ng" alt="图">"#;
        let mut block = Block::new(BlockKind::Image, attr(tag, "alt").unwrap_or_default());
        block.src = attr(tag, "src");
        keep_stray_text(tag, &mut block);
        let all = format!("{}{}", block.text, block.src.unwrap_or_default());
        for c in ['图', '亁', '€'] {
            assert_eq!(all.matches(c).count(), 1, "{c} in {all}");
        }
    }

    #[test]
    fn a_stray_piece_before_the_attribute_does_not_take_its_text() {
        // Found in review: the stray 图 claimed the src's 图, so 片 was kept twice.
        for tag in [
            r#"<img 图 src=图片&#160;>"#,
            r#"<img 图片src=图片图图片a"€>"#,
        ] {
            let mut block = Block::new(BlockKind::Image, attr(tag, "alt").unwrap_or_default());
            block.src = attr(tag, "src");
            keep_stray_text(tag, &mut block);
            let all = format!("{}{}", block.text, block.src.unwrap_or_default());
            for c in ['图', '片'] {
                let want = tag.matches(c).count();
                assert_eq!(all.matches(c).count(), want, "{c} in {all} for {tag}");
            }
        }
    }

    #[test]
    fn attributes_inside_a_value_are_not_attributes() {
        let tag = r#"<img src="x.png alt=图" alt='真'>"#;
        assert_eq!(attr(tag, "alt").as_deref(), Some("真"));
        assert_eq!(attr(tag, "src").as_deref(), Some("x.png alt=图"));
        assert_eq!(
            attr(r#"<img src="x.png"alt="图">"#, "alt").as_deref(),
            Some("图")
        );
        assert_eq!(
            attr(r#"<img data-alt="甲" alt="乙">"#, "alt").as_deref(),
            Some("乙")
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#20013;&#x6587;&bogus;"),
            "a&b中文&bogus;"
        );
    }
}
