//! The `state.json` layout (version 2): serialising and parsing, nothing else. Version 1
//! files (keys relative to the path given on the command line, no places) are read and
//! their keys migrated (`super::migrate`); they are written back as version 2.
//!
//! One record per line so the file stays readable and diffable:
//!
//! ```text
//! {
//!   "version": 1,
//!   "last": {"issue":…,"article":…,"pane":"body","updated_ms":…},
//!   "places": {
//!     "/home/u/papers": {"issue":"大同日报/2026-11-28","article":…,"pane":"body","updated_ms":…}
//!   },
//!   "issue_places": {
//!     "大同日报/2026-11-28": {"article":{…},"updated_ms":…}
//!   },
//!   "unread": {"大同日报/2026-11-28/01.txt#…#0": 1764412345678},
//!   "bookmarks": [
//!     {"article":{"page":…,"title_hash":…,"index":2},"issue":…,"title":…,"anchor":…,…}
//!   ],
//!   "deleted_bookmarks": [ {"article":{…},"deleted_ms":…} ],
//!   "articles": {
//!     "大同日报/2024-01-01/p1.txt#a1b2c3d4e5f60718#2": [3, 40, true, 1764412345678, 1764412345678, "标题"]
//!   }
//! }
//! ```
//!
//! Article keys are `page#title_hash#index`, split from the right (a `#` in a page path is
//! fine). Article values are rows `[block, offset, read, updated_ms, last_read_ms, title]`
//! (title left out when unknown): a state can hold 100,000 of them, and rows load about
//! twice as fast as objects with named fields.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{ArticleState, Bookmark, IssuePlace, LastOpen, StateData};
use crate::model::{ArticleId, TextPos};

/// The format version this build writes. Files with a larger number are moved aside.
pub const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
pub(super) struct Tombstone {
    article: ArticleId,
    deleted_ms: u64,
}

#[derive(Deserialize)]
struct FileAny {
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
    #[serde(default, deserialize_with = "de_articles")]
    articles: BTreeMap<ArticleId, ArticleState>,
}

#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// `page#title_hash#index`.
pub fn article_key(id: &ArticleId) -> String {
    KeyOf(id).to_string()
}

/// The inverse of [`article_key`].
pub fn parse_article_key(key: &str) -> Option<ArticleId> {
    let mut it = key.rsplitn(3, '#');
    let index = it.next()?.parse().ok()?;
    let title_hash = it.next()?.to_string();
    let page = it.next()?.to_string();
    Some(ArticleId {
        page,
        title_hash,
        index,
    })
}

/// Writes an article key without building a `String` (serde_json escapes it on the fly).
struct KeyOf<'a>(&'a ArticleId);

impl fmt::Display for KeyOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}#{}", self.0.page, self.0.title_hash, self.0.index)
    }
}

impl Serialize for KeyOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An article key read straight from the borrowed JSON string.
struct Key(ArticleId);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an article key \"page#title_hash#index\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                parse_article_key(v)
                    .map(Key)
                    .ok_or_else(|| E::custom(format!("bad article key {v:?}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// An article state as a row.
struct Row<'a>(&'a ArticleState);

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let st = self.0;
        let mut seq = s.serialize_seq(Some(if st.title.is_empty() { 5 } else { 6 }))?;
        seq.serialize_element(&st.anchor.block)?;
        seq.serialize_element(&st.anchor.offset)?;
        seq.serialize_element(&st.read)?;
        seq.serialize_element(&st.updated_ms)?;
        seq.serialize_element(&st.last_read_ms)?;
        if !st.title.is_empty() {
            seq.serialize_element(&st.title)?;
        }
        seq.end()
    }
}

struct RowIn(ArticleState);

impl<'de> Deserialize<'de> for RowIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RowIn;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("[block, offset, read, updated_ms, last_read_ms, title?]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RowIn, A::Error> {
                let short = || de::Error::custom("article row too short");
                let block = seq.next_element()?.ok_or_else(short)?;
                let offset = seq.next_element()?.ok_or_else(short)?;
                let read = seq.next_element()?.ok_or_else(short)?;
                let updated_ms = seq.next_element()?.ok_or_else(short)?;
                let last_read_ms = seq.next_element()?.ok_or_else(short)?;
                let title = seq.next_element::<String>()?.unwrap_or_default();
                // Extra columns from a later minor revision are ignored.
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RowIn(ArticleState {
                    anchor: TextPos { block, offset },
                    read,
                    updated_ms,
                    last_read_ms,
                    title,
                }))
            }
        }
        d.deserialize_seq(V)
    }
}

fn de_articles<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<ArticleId, ArticleState>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = BTreeMap<ArticleId, ArticleState>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of article keys to rows")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut rows = Vec::with_capacity(map.size_hint().unwrap_or(1024));
            while let Some((Key(id), RowIn(st))) = map.next_entry()? {
                rows.push((id, st));
            }
            // The file is written in key order, so this is a linear bulk build.
            Ok(rows.into_iter().collect())
        }
    }
    d.deserialize_map(V)
}

pub(super) fn assemble(
    articles: BTreeMap<ArticleId, ArticleState>,
    bookmarks: Vec<Bookmark>,
    deleted: Vec<Tombstone>,
    last: LastOpen,
) -> StateData {
    StateData {
        articles,
        bookmarks: bookmarks
            .into_iter()
            .map(|b| (b.article.clone(), b))
            .collect(),
        deleted: deleted
            .into_iter()
            .map(|t| (t.article, t.deleted_ms))
            .collect(),
        last,
        ..StateData::default()
    }
}

/// Parse the bytes of a state file (of this version, or migrated from an older one).
pub fn parse(bytes: &[u8]) -> Result<StateData, String> {
    parse_versioned(bytes).map(|(data, _)| data)
}

/// [`parse`], and the version the file was written in.
pub fn parse_versioned(bytes: &[u8]) -> Result<(StateData, u32), String> {
    let (data, version) = match super::rows::parse_file(bytes) {
        Some(x) => x,
        None => parse_serde(bytes)?,
    };
    if version < VERSION {
        return Ok((super::migrate::from_v1(data), version));
    }
    Ok((data, version))
}

/// The general path: any valid layout, and the error messages.
fn parse_serde(bytes: &[u8]) -> Result<(StateData, u32), String> {
    match serde_json::from_slice::<FileAny>(bytes) {
        Ok(f) if f.version > VERSION => Err(newer(f.version)),
        Ok(f) => {
            let mut data = assemble(f.articles, f.bookmarks, f.deleted_bookmarks, f.last);
            data.places = f.places;
            data.issue_places = f.issue_places;
            data.unread = unread_marks(f.unread);
            Ok((data, f.version))
        }
        Err(e) => match serde_json::from_slice::<VersionProbe>(bytes) {
            Ok(p) if p.version > VERSION => Err(newer(p.version)),
            _ => Err(format!("unreadable state file ({e})")),
        },
    }
}

fn newer(v: u32) -> String {
    format!("state file is version {v}, newer than this dubao understands ({VERSION})")
}

/// Serialise `data` in the layout described above.
pub fn to_bytes(data: &StateData) -> io::Result<Vec<u8>> {
    let mut w = Vec::with_capacity(256 + data.articles.len() * 112);
    write!(w, "{{\n  \"version\": {VERSION},\n  \"last\": ")?;
    serde_json::to_writer(&mut w, &data.last)?;
    write_map(&mut w, "places", &data.places)?;
    write_map(&mut w, "issue_places", &data.issue_places)?;
    let unread: BTreeMap<String, u64> = data
        .unread
        .iter()
        .map(|(k, &ms)| (article_key(k), ms))
        .collect();
    write_map(&mut w, "unread", &unread)?;
    w.write_all(b",\n  \"bookmarks\": [")?;
    let mut bookmarks: Vec<&Bookmark> = data.bookmarks.values().collect();
    bookmarks.sort_by_key(|b| b.created_ms);
    for (i, b) in bookmarks.into_iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut w, b)?;
    }
    w.write_all(b"\n  ],\n  \"deleted_bookmarks\": [")?;
    for (i, (article, &deleted_ms)) in data.deleted.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let t = Tombstone {
            article: article.clone(),
            deleted_ms,
        };
        serde_json::to_writer(&mut w, &t)?;
    }
    w.write_all(b"\n  ],\n  \"articles\": {")?;
    for (i, (id, st)) in data.articles.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut w, &KeyOf(id))?;
        w.write_all(b": ")?;
        serde_json::to_writer(&mut w, &Row(st))?;
    }
    w.write_all(b"\n  }\n}\n")?;
    Ok(w)
}

/// Unread marks as stored (article key → time); a key that does not parse is dropped.
pub(super) fn unread_marks(map: BTreeMap<String, u64>) -> BTreeMap<ArticleId, u64> {
    map.into_iter()
        .filter_map(|(k, ms)| Some((parse_article_key(&k)?, ms)))
        .collect()
}

/// `,\n  "name": {` one entry a line `}`.
fn write_map<T: Serialize>(
    w: &mut Vec<u8>,
    name: &str,
    map: &BTreeMap<String, T>,
) -> io::Result<()> {
    write!(w, ",\n  \"{name}\": {{")?;
    for (i, (k, v)) in map.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, k)?;
        w.write_all(b": ")?;
        serde_json::to_writer(&mut *w, v)?;
    }
    w.write_all(if map.is_empty() { b"}" } else { b"\n  }" })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_from_the_right() {
        let id = ArticleId {
            page: "a#b/\"c\".txt".into(),
            title_hash: "0123456789abcdef".into(),
            index: 12,
        };
        assert_eq!(article_key(&id), "a#b/\"c\".txt#0123456789abcdef#12");
        assert_eq!(parse_article_key(&article_key(&id)), Some(id));
        assert_eq!(parse_article_key("nohash"), None);
        assert_eq!(parse_article_key("p#h#x"), None);
    }

    #[test]
    fn rows_round_trip_with_and_without_title() {
        let mut data = StateData::default();
        let st = |title: &str| ArticleState {
            anchor: TextPos {
                block: 3,
                offset: 40,
            },
            read: true,
            updated_ms: 5,
            last_read_ms: 6,
            title: title.into(),
        };
        for (i, t) in ["", "标题 \"引号\""].iter().enumerate() {
            let id = ArticleId {
                page: "p\"1.txt".into(),
                title_hash: "h".into(),
                index: i,
            };
            data.articles.insert(id, st(t));
        }
        let bytes = to_bytes(&data).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains("\"p\\\"1.txt#h#0\": [3,40,true,5,6],\n"),
            "{text}"
        );
        assert_eq!(parse(&bytes).unwrap(), data);
    }

    #[test]
    fn fast_path_agrees_with_serde() {
        let mut data = StateData::default();
        for i in 0..50 {
            let id = ArticleId {
                page: format!("2024/{:02}/p#{}.txt", i / 7, i % 3),
                title_hash: format!("{i:016x}"),
                index: i % 4,
            };
            let st = ArticleState {
                anchor: TextPos {
                    block: i * 3,
                    offset: i * 7,
                },
                read: i % 2 == 0,
                updated_ms: 1_764_412_345_678 + i as u64,
                last_read_ms: if i % 5 == 0 { 0 } else { 17 },
                title: if i % 3 == 0 {
                    String::new()
                } else {
                    format!("标题{i}")
                },
            };
            data.articles.insert(id.clone(), st);
            if i % 10 == 0 {
                let b = Bookmark {
                    article: id.clone(),
                    issue: "2024".into(),
                    title: "\"articles\": {".into(),
                    anchor: TextPos::default(),
                    created_ms: i as u64,
                    note: Some("a\n  \"articles\": {".into()),
                    note_ms: 0,
                    excerpt: None,
                };
                data.bookmarks.insert(id.clone(), b);
                data.deleted.insert(id, 3);
            }
        }
        data.last.issue = Some("2024".into());
        data.places
            .insert("/a \"b\" + /c".into(), data.last.clone());
        data.issue_places.insert(
            "p/2024-01-01".into(),
            IssuePlace {
                article: data.articles.keys().next().unwrap().clone(),
                updated_ms: 9,
            },
        );
        let first = data.articles.keys().next().unwrap().clone();
        data.unread.insert(first, 4);
        let bytes = to_bytes(&data).unwrap();
        let fast = crate::state::rows::parse_file(&bytes)
            .expect("our own layout takes the fast path")
            .0;
        assert_eq!(fast, data);
        assert_eq!(parse_serde(&bytes).unwrap().0, data);
        // Laid out differently (compact, another key order): serde decides, same result.
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let compact = serde_json::to_vec(&v).unwrap();
        assert!(crate::state::rows::parse_file(&compact).is_none());
        assert_eq!(parse(&compact).unwrap(), data);
    }

    #[test]
    fn newer_version_is_reported_as_newer() {
        let err = parse(br#"{"version": 99, "articles": {"x": 1}}"#).unwrap_err();
        assert!(err.contains("version 99"), "{err}");
        let err = parse(b"{ not json").unwrap_err();
        assert!(err.contains("unreadable"), "{err}");
    }
}
