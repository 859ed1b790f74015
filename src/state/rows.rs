//! The fast path for loading `state.json` ([`parse_file`]: the small header through serde,
//! the `articles` section — 100,000 rows in a big state; issue 5: load under 50 ms —
//! through [`parse_articles`]).
//!
//! It reads only the layout [`super::format::to_bytes`] writes — `"key": [n, n, bool, n, n,
//! "title"?]` with keys and titles free of backslash escapes — straight from the validated
//! `&str` into the final records: no `serde` visitor per cell, no per-string UTF-8 check, no
//! intermediate `String` for the key. Anything else (an escape, an extra column, a float, a
//! number with a leading zero, a control character in a string) returns `None`, and the caller
//! parses the whole file with serde_json as before. So it never decides what a file means: it
//! either produces exactly what the serde path would, or steps aside.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de;

use super::format::{Tombstone, VERSION};
use super::model::{ArticleState, Bookmark, IssuePlace, LastOpen, StateData};
use crate::model::{ArticleId, TextPos};

/// Everything before `articles`, as [`super::format::to_bytes`] writes it.
#[derive(Deserialize)]
struct Header {
    version: u32,
    #[serde(default)]
    last: LastOpen,
    #[serde(default)]
    places: BTreeMap<String, LastOpen>,
    #[serde(default)]
    issue_places: BTreeMap<String, IssuePlace>,
    #[serde(default)]
    unread: BTreeMap<String, u64>,
    #[serde(default)]
    bookmarks: Vec<Bookmark>,
    #[serde(default)]
    deleted_bookmarks: Vec<Tombstone>,
    /// Present only in a file not laid out by us: then the fast path steps aside.
    articles: Option<de::IgnoredAny>,
}

/// Where [`super::format::to_bytes`] puts the articles map.
const ARTICLES_AT: &str = "\n  \"articles\": ";

/// The fast path for a file laid out by [`super::format::to_bytes`]: the small header through serde, the
/// big articles map through [`super::rows`]. `None` when the file is laid out otherwise (or
/// is bad): the caller then parses it all with serde, which decides what it means. A raw
/// newline cannot occur inside a JSON string, so the marker can only be a real key, and
/// the header parses only when that key is at the top level.
/// Also returns the file's version.
pub(super) fn parse_file(bytes: &[u8]) -> Option<(StateData, u32)> {
    // simdutf8: the same verdict as `std::str::from_utf8`, without decoding the titles'
    // Chinese characters one by one.
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let at = memchr::memmem::find(bytes, ARTICLES_AT.as_bytes())?;
    let head = text[..at].trim_end().strip_suffix(',')?;
    let mut head_json = String::with_capacity(head.len() + 1);
    head_json.push_str(head);
    head_json.push('}');
    let h: Header = serde_json::from_str(&head_json).ok()?;
    if h.version > VERSION || h.articles.is_some() {
        return None;
    }
    let articles = parse_articles(&text[at + ARTICLES_AT.len()..])?;
    let mut data = super::format::assemble(articles, h.bookmarks, h.deleted_bookmarks, h.last);
    data.places = h.places;
    data.issue_places = h.issue_places;
    data.unread = super::format::unread_marks(h.unread);
    Some((data, h.version))
}

/// Parse `{ "key": row, … }` followed only by `}` and whitespace (the end of the file).
/// `text` starts at the `{` of the articles map.
pub fn parse_articles(text: &str) -> Option<BTreeMap<ArticleId, ArticleState>> {
    // One row per line in our layout: the vector is sized once.
    let newlines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let mut rows: Vec<(ArticleId, ArticleState)> = Vec::with_capacity(newlines + 1);
    let mut c = Cursor {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    c.expect(b'{')?;
    if c.peek()? == b'}' {
        c.i += 1;
    } else {
        loop {
            let key = c.string()?;
            c.expect(b':')?;
            let st = c.row()?;
            rows.push((split_key(key)?, st));
            match c.next()? {
                b',' => continue,
                b'}' => break,
                _ => return None,
            }
        }
    }
    // The rest of the file: the top-level object's `}` and nothing else.
    c.expect(b'}')?;
    c.skip_ws();
    if c.i != c.s.len() {
        return None;
    }
    // Written in key order, so this is a linear bulk build (and equal keys keep the last
    // row, as the serde path does).
    Some(rows.into_iter().collect())
}

/// `page#title_hash#index`, split from the right (see `format::parse_article_key`).
fn split_key(key: &str) -> Option<ArticleId> {
    let b = key.as_bytes();
    let h2 = memchr::memrchr(b'#', b)?;
    let h1 = memchr::memrchr(b'#', &b[..h2])?;
    let index = key[h2 + 1..].parse().ok()?;
    Some(ArticleId {
        page: key[..h1].to_string(),
        title_hash: key[h1 + 1..h2].to_string(),
        index,
    })
}

struct Cursor<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.i += 1;
        }
    }

    /// The next byte that is not whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    /// The next byte that is not whitespace, consumed.
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn expect(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// A string without escapes or control characters, borrowed from the input.
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.i;
        let len = memchr::memchr2(b'"', b'\\', &self.s[start..])?;
        let body = &self.s[start..start + len];
        if self.s[start + len] != b'"' || body.iter().fold(false, |c, &b| c | (b < 0x20)) {
            return None;
        }
        self.i = start + len + 1;
        // Both ends sit next to an ASCII quote, so they are char boundaries.
        self.text.get(start..start + len)
    }

    /// A non-negative integer as serde_json reads one into `u64` (no sign, no leading zero,
    /// no fraction or exponent, no overflow).
    fn uint(&mut self) -> Option<u64> {
        self.skip_ws();
        let (s, start) = (self.s, self.i);
        let (mut i, mut n) = (start, 0u64);
        while let Some(d) = s.get(i).map(|b| b.wrapping_sub(b'0')).filter(|&d| d <= 9) {
            n = n.wrapping_mul(10).wrapping_add(u64::from(d));
            i += 1;
        }
        // 19 digits always fit in a u64 (no wrap above); longer numbers are left to serde.
        let digits = i - start;
        if digits == 0 || digits > 19 || (digits > 1 && s[start] == b'0') {
            return None;
        }
        self.i = i;
        // A fraction or exponent would make it a float: not ours.
        match self.s.get(self.i) {
            Some(b'.' | b'e' | b'E') => None,
            _ => Some(n),
        }
    }

    fn boolean(&mut self) -> Option<bool> {
        self.skip_ws();
        let rest = &self.s[self.i..];
        if rest.starts_with(b"true") {
            self.i += 4;
            Some(true)
        } else if rest.starts_with(b"false") {
            self.i += 5;
            Some(false)
        } else {
            None
        }
    }

    /// `[block, offset, read, updated_ms, last_read_ms, title?]`.
    fn row(&mut self) -> Option<ArticleState> {
        self.expect(b'[')?;
        let block = usize::try_from(self.uint()?).ok()?;
        self.expect(b',')?;
        let offset = usize::try_from(self.uint()?).ok()?;
        self.expect(b',')?;
        let read = self.boolean()?;
        self.expect(b',')?;
        let updated_ms = self.uint()?;
        self.expect(b',')?;
        let last_read_ms = self.uint()?;
        let title = match self.next()? {
            b']' => String::new(),
            b',' => {
                let t = self.string()?.to_string();
                self.expect(b']')?;
                t
            }
            _ => return None,
        };
        Some(ArticleState {
            anchor: TextPos { block, offset },
            read,
            updated_ms,
            last_read_ms,
            title,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Option<(ArticleId, ArticleState)> {
        parse_articles(text).and_then(|m| m.into_iter().next())
    }

    #[test]
    fn reads_the_written_layout() {
        let m = parse_articles(
            "{\n    \"a#b/p1.txt#00ff#2\": [3,40,true,5,6,\"标题\"],\n    \"p#h#0\": [0,0,false,7,0]\n  }\n}\n",
        )
        .unwrap();
        assert_eq!(m.len(), 2);
        let id = ArticleId {
            page: "a#b/p1.txt".into(),
            title_hash: "00ff".into(),
            index: 2,
        };
        let st = &m[&id];
        assert_eq!((st.anchor.block, st.anchor.offset), (3, 40));
        assert!(st.read);
        assert_eq!((st.updated_ms, st.last_read_ms), (5, 6));
        assert_eq!(st.title, "标题");
        assert_eq!(parse_articles("{}}").map(|m| m.len()), Some(0));
    }

    #[test]
    fn steps_aside_for_anything_else() {
        for text in [
            "{\"p\\\"1#h#0\": [0,0,false,1,1]}}",      // escape in a key
            "{\"p#h#0\": [0,0,false,1,1,\"a\\nb\"]}}", // escape in a title
            "{\"p#h#0\": [0,0,false,1,1,\"t\",9]}}",   // extra column
            "{\"p#h#0\": [0,0,false,1.5,1]}}",         // float
            "{\"p#h#0\": [01,0,false,1,1]}}",          // leading zero
            "{\"p#h#0\": [0,0,0,1,1]}}",               // not a bool
            "{\"p#h#0\": [0,0,false,1]}}",             // too short
            "{\"p#h#x\": [0,0,false,1,1]}}",           // bad index
            "{\"p#h#0\": [0,0,false,1,1]}, \"x\": 1}", // more after articles
            "{\"p#h#0\": [0,0,false,99999999999999999999,1]}}", // overflow
        ] {
            assert_eq!(one(text), None, "{text}");
        }
    }
}
