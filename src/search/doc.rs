//! One article as the cache stores it: its searchable text and the record that maps offsets
//! in that text back to the article.
//!
//! The text is the article's fields joined by `\n`, folded ([`Folder`]): section, kicker,
//! title (its lines joined as shown), subtitle, authors (joined by tabs), then every block in
//! order (an image's is empty). It is the parsed model's text, so a word the layout tool cut
//! at a column break is whole here. Newlines inside the headline fields become spaces; a
//! table block keeps its own. Each article is followed by a NUL, which folding never leaves in
//! text, so a scan can find an article's ends without the records.
//!
//! The [`ArticleRecord`] holds the page and article index, the byte offset where each field
//! starts, and the original characters where folding changed one (`Ａ` for `a`), so titles
//! and snippets are shown as printed without keeping a second copy of the text.

use crate::model::{Article, TextPos};

use super::fold::Folder;

/// Fields before the blocks: section, kicker, title, subtitle, authors.
pub const HEAD_FIELDS: usize = 5;
/// Separates articles in a segment.
pub const ARTICLE_END: u8 = 0;

/// Where a hit is in its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Section,
    Kicker,
    Title,
    Subtitle,
    Authors,
    /// A block of the body: the position's `block` says which.
    Body,
}

impl Field {
    /// Part of the headline (what `in:title` searches, and what ranks first).
    pub fn is_headline(self) -> bool {
        matches!(
            self,
            Field::Section | Field::Kicker | Field::Title | Field::Subtitle
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleRecord {
    /// Page index within the issue (0-based) and article index on that page.
    pub page: u32,
    pub index: u32,
    /// Byte length of the folded text (without the NUL).
    pub len: u32,
    /// Byte offset of each field's start: [`HEAD_FIELDS`] headline fields, then one per block.
    pub starts: Vec<u32>,
    /// `(byte offset in the folded text, original character)` where folding changed one.
    pub diffs: Vec<(u32, char)>,
}

/// Append `article`'s folded text (and its NUL) to `text` and its record to `idx`.
pub fn append_article(
    folder: &Folder,
    article: &Article,
    page: usize,
    index: usize,
    text: &mut Vec<u8>,
    idx: &mut Vec<u8>,
) {
    let authors = article.authors.join("\t");
    let title = article.title();
    let head = [
        article.section.as_deref().unwrap_or(""),
        article.kicker.as_deref().unwrap_or(""),
        title.as_str(),
        article.subtitle.as_deref().unwrap_or(""),
        authors.as_str(),
    ];
    let base = text.len();
    let mut rec = ArticleRecord {
        page: page as u32,
        index: index as u32,
        ..ArticleRecord::default()
    };
    let fields = head
        .iter()
        .copied()
        .chain(article.blocks.iter().map(|b| b.text.as_str()));
    let mut buf = [0u8; 4];
    for (k, field) in fields.enumerate() {
        if k > 0 {
            text.push(b'\n');
        }
        rec.starts.push((text.len() - base) as u32);
        for c in field.chars() {
            let c = if k < HEAD_FIELDS && c == '\n' { ' ' } else { c };
            let f = folder.fold_char(c);
            if f != c {
                rec.diffs.push(((text.len() - base) as u32, c));
            }
            text.extend_from_slice(f.encode_utf8(&mut buf).as_bytes());
        }
    }
    rec.len = (text.len() - base) as u32;
    text.push(ARTICLE_END);
    rec.encode(idx);
}

impl ArticleRecord {
    /// The field holding byte `at`, its index in `starts`, and the field's start.
    pub fn field_at(&self, at: u32) -> (Field, usize, u32) {
        let k = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let field = match k {
            0 => Field::Section,
            1 => Field::Kicker,
            2 => Field::Title,
            3 => Field::Subtitle,
            4 => Field::Authors,
            _ => Field::Body,
        };
        (field, k, self.starts.get(k).copied().unwrap_or(0))
    }

    /// Byte range of field `k` in the article's folded text.
    pub fn field_range(&self, k: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(k).map_or(self.len, |&s| s) as usize;
        let end = self
            .starts
            .get(k + 1)
            .map_or(self.len as usize, |&s| s as usize - 1);
        start..end.max(start)
    }

    /// The position of the hit at byte `at` (of `len` folded bytes) in `text`, the article's
    /// folded text: field, [`TextPos`] (for a headline field: block 0 and the character
    /// offset inside that field) and length in characters.
    pub fn position(&self, text: &str, at: usize, len: usize) -> (Field, TextPos, usize) {
        let (field, k, start) = self.field_at(at as u32);
        let offset = text
            .get(start as usize..at)
            .map_or(0, |s| s.chars().count());
        let chars = text.get(at..at + len).map_or(0, |s| s.chars().count());
        let block = if field == Field::Body {
            k - HEAD_FIELDS
        } else {
            0
        };
        (field, TextPos { block, offset }, chars)
    }

    /// The original text of `range` of `text` (the article's folded text).
    pub fn unfold(&self, text: &str, range: std::ops::Range<usize>) -> String {
        let Some(slice) = text.get(range.clone()) else {
            return String::new();
        };
        let mut d = self
            .diffs
            .partition_point(|&(at, _)| (at as usize) < range.start);
        let mut out = String::with_capacity(slice.len());
        for (i, c) in slice.char_indices() {
            let at = (range.start + i) as u32;
            match self.diffs.get(d) {
                Some(&(pos, orig)) if pos == at => {
                    out.push(orig);
                    d += 1;
                }
                _ => out.push(c),
            }
        }
        out
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut put = |v: u32| out.extend_from_slice(&v.to_le_bytes());
        put(self.page);
        put(self.index);
        put(self.len);
        put(self.starts.len() as u32);
        put(self.diffs.len() as u32);
        for &s in &self.starts {
            put(s);
        }
        for &(at, c) in &self.diffs {
            put(at);
            put(c as u32);
        }
    }

    /// Decode the record at `*pos`, moving past it. `None` for damaged bytes.
    pub fn decode(buf: &[u8], pos: &mut usize) -> Option<ArticleRecord> {
        let mut get = || -> Option<u32> {
            let b = buf.get(*pos..*pos + 4)?;
            *pos += 4;
            Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let page = get()?;
        let index = get()?;
        let len = get()?;
        let nstarts = get()? as usize;
        let ndiffs = get()? as usize;
        if nstarts < HEAD_FIELDS || (nstarts + 2 * ndiffs) * 4 > buf.len() {
            return None;
        }
        let starts = (0..nstarts).map(|_| get()).collect::<Option<Vec<u32>>>()?;
        let mut diffs = Vec::with_capacity(ndiffs);
        for _ in 0..ndiffs {
            let at = get()?;
            diffs.push((at, char::from_u32(get()?)?));
        }
        if starts.windows(2).any(|w| w[0] > w[1]) || starts.last().is_some_and(|&s| s > len) {
            return None;
        }
        Some(ArticleRecord {
            page,
            index,
            len,
            starts,
            diffs,
        })
    }

    /// Every record of an issue's index bytes, or `None` if they are damaged.
    pub fn decode_all(buf: &[u8]) -> Option<Vec<ArticleRecord>> {
        let mut pos = 0;
        let mut out = Vec::new();
        while pos < buf.len() {
            out.push(Self::decode(buf, &mut pos)?);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind};

    #[test]
    fn a_hit_maps_to_its_block_and_character_offset() {
        let folder = Folder::from_pairs(&[('國', '国')]);
        let article = Article {
            title_lines: vec!["中國ＡＢ".into()],
            authors: vec!["孙露".into()],
            blocks: vec![
                Block::new(BlockKind::Paragraph, "第一段"),
                Block::new(BlockKind::Table, "甲\t乙\n丙\t國家"),
            ],
            ..Article::default()
        };
        let (mut text, mut idx) = (Vec::new(), Vec::new());
        append_article(&folder, &article, 1, 2, &mut text, &mut idx);
        assert_eq!(text.last(), Some(&ARTICLE_END));
        let body = std::str::from_utf8(&text[..text.len() - 1]).unwrap();
        assert_eq!(body, "\n\n中国ab\n\n孙露\n第一段\n甲\t乙\n丙\t国家");
        let rec = ArticleRecord::decode_all(&idx).unwrap().remove(0);
        assert_eq!((rec.page, rec.index), (1, 2));
        let at = body.find("国家").unwrap();
        let (field, pos, len) = rec.position(body, at, "国家".len());
        assert_eq!(field, Field::Body);
        assert_eq!(
            pos,
            TextPos {
                block: 1,
                offset: 6
            }
        );
        assert_eq!(len, 2);
        let t = body.find("国a").unwrap();
        assert_eq!(rec.position(body, t, 4).0, Field::Title);
        assert_eq!(rec.unfold(body, rec.field_range(2)), "中國ＡＢ");
        assert_eq!(rec.unfold(body, rec.field_range(6)), "甲\t乙\n丙\t國家");
    }

    #[test]
    fn damaged_records_are_refused() {
        assert_eq!(ArticleRecord::decode_all(&[1, 2, 3]), None);
        assert_eq!(ArticleRecord::decode_all(&[0xff; 40]), None);
    }
}
