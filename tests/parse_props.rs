//! Property tests: on any text made of the pieces pages are made of (Han, CJK punctuation,
//! markup fragments, headings, blank lines, control characters) the parser never panics and
//! loses or invents no Han character or CJK punctuation mark, and its bold spans are sound. Damaged bytes (a page in UTF-8
//! or GB18030 with bytes overwritten, or cut short) are still a page, and the rule holds on
//! the text they decode to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod parse_support;

use dubao::parse::{self, ParseOptions};
use parse_support::lossless_violations;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "平",
    "城",
    "区",
    "孙",
    "权",
    "露",
    "摄",
    "讯",
    "电",
    "头条",
    "新语",
    "要闻",
    "本报记者",
    "记者",
    "通讯员",
    "本报讯",
    "新华社北京3月5日电",
    "。",
    "，",
    "、",
    "：",
    "！",
    "？",
    "……",
    "“",
    "”",
    "（",
    "）",
    "(",
    ")",
    "《",
    "》",
    "　",
    " ",
    "\n",
    "\n\n",
    "\n\n\n",
    "# ",
    "## ",
    "### ",
    "#### ",
    "#",
    "**",
    "![",
    "](",
    "images/a.jpg",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<img src=\"x.png\" alt=\"图\">",
    "| a | b |\n",
    "|---|---|\n",
    "&nbsp;",
    "&amp;",
    "&#",
    "（下转第2版）",
    "（上接第一版）",
    "(Continued on Page 2)",
    "www.dtnews.cn",
    "2026年11月28日",
    "星期六",
    "第2版",
    "责任编辑：",
    "By Li Ming",
    "Photo by ",
    "word",
    "-",
    ".",
    "1",
    "23.5",
    "%",
    "\u{1b}[31m",
    "\u{7}",
    "\u{0}",
    "\r",
    "\t",
    "\u{85}",
    "é",
    "<!--",
    "-->",
    "<!-- 注 -->",
    "<td>甲<!-- 旧 -->乙</td>",
];

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.concat())
}

/// Pieces of a page without the control characters, which make text binary on purpose.
fn clean_page() -> impl Strategy<Value = String> {
    let clean: Vec<&str> = PIECES
        .iter()
        .copied()
        .filter(|p| {
            !p.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        })
        .collect();
    prop::collection::vec(prop::sample::select(clean), 1..120).prop_map(|v| v.concat())
}

/// A page's bytes in UTF-8 or GB18030 with at most one byte in 40 overwritten by a byte
/// outside ASCII (the damage of a bad sector or a bad copy), and maybe cut short: far more
/// than nine in ten of its characters still decode.
fn damaged() -> impl Strategy<Value = Vec<u8>> {
    (
        clean_page(),
        any::<bool>(),
        prop::collection::vec((any::<prop::sample::Index>(), 0x80u8..=0xFF), 0..8),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(text, gb, hits, cut)| {
            let mut bytes = if gb {
                encoding_rs::GB18030.encode(&text).0.into_owned()
            } else {
                text.into_bytes()
            };
            let allowed = bytes.len() / 40;
            for (at, b) in hits.into_iter().take(allowed) {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            if let Some(cut) = cut {
                let keep = bytes.len() - cut.index(bytes.len() / 10 + 1);
                bytes.truncate(keep);
            }
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn damaged_pages_are_pages_and_lossless(bytes in damaged()) {
        let decoded = parse::decode_page("prop", &bytes);
        prop_assert!(decoded.is_ok(), "rejected: {:?} for {:?}", decoded.err(), bytes);
        let decoded = decoded.expect("checked");
        prop_assert!(
            ["UTF-8", "GB18030"].contains(&decoded.encoding),
            "named {}",
            decoded.encoding
        );
        let page = parse::parse_text("prop", decoded.encoding, &decoded.text, &ParseOptions::default());
        let bad = lossless_violations(&decoded.text, &page);
        prop_assert!(bad.is_empty(), "lost or invented {:?} in {:?}", bad, decoded.text);
    }

    #[test]
    fn total_and_lossless(text in page()) {
        let page = parse::parse_text("prop", "UTF-8", &text, &ParseOptions::default());
        let bad = lossless_violations(&text, &page);
        prop_assert!(bad.is_empty(), "lost or invented {:?} in {:?}", bad, text);
        // Bold spans (`**` is one of the pieces) are in order, apart, never empty, inside
        // their block's text and on character boundaries.
        for b in page.articles.iter().flat_map(|a| &a.blocks) {
            let mut end = 0;
            for &[s, e] in &b.bold {
                prop_assert!(end <= s && s < e && e <= b.text.len(), "{:?} in {:?}", b.bold, b.text);
                prop_assert!(b.text.is_char_boundary(s) && b.text.is_char_boundary(e));
                end = e;
            }
        }
    }

    #[test]
    fn bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(page) = parse::parse_bytes("prop", &bytes, &ParseOptions::default()) {
            // Only the encodings FORMAT.md documents are ever named.
            prop_assert!(
                ["UTF-8", "UTF-16LE", "UTF-16BE", "GB18030"].contains(&page.encoding.as_str()),
                "named {}",
                page.encoding
            );
        }
    }
}
