//! Property tests: on any text made of the pieces pages are made of (Han, CJK punctuation,
//! markup fragments, headings, blank lines, control characters) the parser never panics and
//! loses or invents no Han character or CJK punctuation mark.

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
];

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn total_and_lossless(text in page()) {
        let page = parse::parse_text("prop", "UTF-8", &text, &ParseOptions::default());
        let bad = lossless_violations(&text, &page);
        prop_assert!(bad.is_empty(), "lost or invented {:?} in {:?}", bad, text);
    }

    #[test]
    fn bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse::parse_bytes("prop", &bytes, &ParseOptions::default());
    }
}
