//! The parsed issue model: Library → Issue → Page → Article → Block, plus page furniture.
//!
//! Everything else in dubao reads these types: the parser produces them, the layout engine
//! turns an [`Article`] into screen lines, the reader shows them and the state store keys
//! reading positions by [`ArticleId`]. Field names are a contract: `dubao parse --json`
//! serialises [`Page`] directly, and scripts rely on the names in doc/format.md.

use serde::{Deserialize, Serialize};

/// A calendar date of publication, taken from folder or file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One page file, parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// The path the page was read from, as given (library-relative inside a library).
    pub source: String,
    /// Standard name of the detected encoding: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `GB18030`.
    pub encoding: String,
    pub articles: Vec<Article>,
    pub furniture: Vec<Furniture>,
    /// Things the parser noticed but could make sense of anyway (never fatal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A story (or a bodiless headline group whose story is on another page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Column or page label (平城头条, 平城新语, 要闻).
    pub section: Option<String>,
    /// 引题: the small line above the title.
    pub kicker: Option<String>,
    /// 主题: one or more title lines, shown joined. Empty for text before the first heading.
    pub title_lines: Vec<String>,
    /// 副题.
    pub subtitle: Option<String>,
    /// Reporter names found in bylines and datelines, in order of appearance, no duplicates.
    pub authors: Vec<String>,
    pub blocks: Vec<Block>,
    /// Page this story continues on (`（下转第2版）`).
    pub continues_to: Option<u32>,
    /// Page this story continues from (`（上接第1版）`).
    pub continues_from: Option<u32>,
    /// The story stops mid-sentence at the end of the page with no continuation marker.
    pub truncated: bool,
}

impl Article {
    /// The title as shown: title lines joined (a space between Latin lines, none between CJK).
    pub fn title(&self) -> String {
        let mut out = String::new();
        for line in &self.title_lines {
            crate::model::push_joined(&mut out, line);
        }
        out
    }
}

/// Append `next` to `out` the way a soft wrap joins lines: no space between two CJK
/// characters, one space where either side is not CJK (Latin words).
pub fn push_joined(out: &mut String, next: &str) {
    let next = next.trim();
    if next.is_empty() {
        return;
    }
    if let (Some(a), Some(b)) = (out.chars().last(), next.chars().next())
        && !(is_cjk_joinable(a) || is_cjk_joinable(b))
    {
        out.push(' ');
    }
    out.push_str(next);
}

/// True for characters that join without a space across a soft wrap: Han, kana, Hangul,
/// CJK punctuation and full-width forms.
pub fn is_cjk_joinable(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FFF | 0x3000..=0x30FF | 0x3100..=0x31FF
        | 0x3200..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF
        // quotes and dashes that sit inside CJK text
        | 0x2018..=0x201F | 0x2026 | 0x2014 | 0x00B7)
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's text: soft wraps joined, indentation removed, markup removed. For a table,
    /// cells joined by tabs and rows by newlines. Empty for an image.
    pub text: String,
    /// Image path for `image` blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// Where the block came from: byte offsets `[start, end)` into the page's decoded text
    /// (the file's own bytes for UTF-8 with LF line endings), from the start of its first
    /// source line to the end of its last. Blocks made from one stretch of lines (a
    /// paragraph and a picture inside it) share it. `None` for blocks not parsed from a page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    /// The source's `**bold**` (`**本报讯**`): byte ranges `[start, end)` into `text`, in
    /// order, not overlapping, never empty. Additive: `text` is the same with or without them
    /// (the markers are gone from it), so reading positions and search do not move.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bold: Vec<[usize; 2]>,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
            src: None,
            span: None,
            bold: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Byline,
    Caption,
    Credit,
    Image,
    Table,
    Continuation,
}

/// Page text that belongs to no article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Furniture {
    pub kind: FurnitureKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FurnitureKind {
    Url,
    Header,
    Editor,
    Label,
    Other,
}

/// A logical reading position inside an article: block index and character (not byte)
/// offset into that block's text. Width-independent, so it survives a resize or restart.
/// Block 0 offset 0 is the top of the article (its headline).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct TextPos {
    pub block: usize,
    pub offset: usize,
}

/// A page that could not be read or decoded. Listed with a mark, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageError {
    pub source: String,
    pub message: String,
}

/// One issue (期): the pages of one folder, or one lone file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable id: library-relative path of the folder or file.
    pub id: String,
    /// Human name shown in the issue list (folder name, or file stem).
    pub name: String,
    pub publication: Option<String>,
    pub date: Option<Date>,
    pub pages: Vec<Page>,
    pub errors: Vec<PageError>,
}

/// Identity of an article that survives restarts and re-parsing: the library-relative page
/// path plus a hash of its title (the title itself is kept for a fallback fuzzy match).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArticleId {
    pub page: String,
    pub title_hash: String,
    /// Index of the article on its page when it was seen (a tie-breaker for untitled text).
    pub index: usize,
}

impl ArticleId {
    pub fn new(page: &str, article: &Article, index: usize) -> Self {
        ArticleId {
            page: page.to_string(),
            title_hash: title_hash(&article.title()),
            index,
        }
    }
}

/// FNV-1a 64 of the title, as 16 hex digits: stable across builds and platforms.
pub fn title_hash(title: &str) -> String {
    format!("{:016x}", hash64(title))
}

/// The 64-bit FNV-1a hash that [`title_hash`] writes in hex.
pub fn hash64(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
