//! The parser's rules, one test each, on the fixture pages under tests/fixtures/parse (and
//! short inline pages), plus the lossless invariant over every fixture and sample page and
//! the `dubao parse` command line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod parse_support;

use dubao::model::{Article, BlockKind, FurnitureKind, Page};
use dubao::parse::{self, ParseOptions};
use parse_support::{all_pages, lossless_violations, root};

fn fixture(name: &str) -> Page {
    let path = root().join("tests/fixtures/parse").join(name);
    parse::read_page(&path, name, &ParseOptions::default()).expect("fixture parses")
}

fn text(page: &str) -> Page {
    parse::parse_text("inline", "UTF-8", page, &ParseOptions::default())
}

fn kinds(a: &Article) -> Vec<BlockKind> {
    a.blocks.iter().map(|b| b.kind).collect()
}

fn by_title<'a>(page: &'a Page, title: &str) -> &'a Article {
    page.articles
        .iter()
        .find(|a| a.title() == title)
        .unwrap_or_else(|| panic!("no article {title}"))
}

#[test]
fn lossless_on_every_fixture_and_sample() {
    let pages = all_pages();
    assert!(
        pages.len() >= 20,
        "fixtures and samples found: {}",
        pages.len()
    );
    for path in pages {
        let bytes = std::fs::read(&path).unwrap();
        let decoded = parse::decode_page("x", &bytes).unwrap();
        let page = parse::parse_bytes("x", &bytes, &ParseOptions::default()).unwrap();
        let bad = lossless_violations(&decoded.text, &page);
        assert!(
            bad.is_empty(),
            "{}: lost or invented {bad:?}",
            path.display()
        );
    }
}

#[test]
fn every_block_spans_the_source_it_came_from() {
    for path in all_pages() {
        let bytes = std::fs::read(&path).unwrap();
        let decoded = parse::decode_page("x", &bytes).unwrap();
        let page = parse::parse_bytes("x", &bytes, &ParseOptions::default()).unwrap();
        let mut last_start = 0;
        for (a, block) in page
            .articles
            .iter()
            .flat_map(|a| a.blocks.iter().map(move |b| (a, b)))
        {
            let where_ = format!("{}: {:?} {:?}", path.display(), a.title_lines, block.text);
            let [start, end] = block.span.unwrap_or_else(|| panic!("no span: {where_}"));
            let source = decoded
                .text
                .get(start..end)
                .unwrap_or_else(|| panic!("span {start}..{end} off the text: {where_}"));
            // The block's first and last characters are in its source lines (markup, blanks
            // and soft wraps removed around them); blocks come in page order.
            let t = block.text.trim();
            for c in [t.chars().next(), t.chars().next_back()]
                .into_iter()
                .flatten()
            {
                assert!(source.contains(c), "{c:?} not in {source:?}: {where_}");
            }
            assert!(start >= last_start, "out of order: {where_}");
            last_start = start;
        }
    }
}

#[test]
fn headline_groups_kicker_titles_subtitle() {
    let p = fixture("headlines.txt");
    let a = by_title(&p, "御河生态廊道全线贯通");
    assert_eq!(
        a.subtitle.as_deref(),
        Some("——沿河十二公里步道串起五座公园")
    );
    assert_eq!(a.section.as_deref(), Some("云州要闻"));
    let a = by_title(&p, "小杂粮“走出去”农户腰包“鼓起来”");
    assert_eq!(a.kicker.as_deref(), Some("云州区农业农村局"));
    assert_eq!(a.title_lines.len(), 2);
    assert_eq!(
        kinds(a)[0],
        BlockKind::Byline,
        "### byline is a block at the top"
    );
    assert_eq!(a.authors, ["韩冰", "吕方"]);
}

#[test]
fn section_labels_alone_leading_and_never_an_article() {
    let p = fixture("headlines.txt");
    assert_eq!(
        by_title(&p, "三家老字号入选省级名录").section.as_deref(),
        Some("云州快讯")
    );
    let split = by_title(&p, "古城墙修缮工程 年底完工");
    assert_eq!(split.section, None, "a title split by a space is one title");
    // A label with text after it labels an untitled article; at the page end it is furniture.
    assert!(
        p.articles
            .iter()
            .any(|a| a.section.as_deref() == Some("本周关注") && a.title_lines.is_empty())
    );
    assert!(
        p.furniture
            .iter()
            .any(|f| f.kind == FurnitureKind::Label && f.text == "云州评论")
    );
    assert!(p.articles.iter().all(|a| a.title() != "云州评论"));
}

#[test]
fn extra_section_labels_from_options() {
    let opts = ParseOptions {
        extra_section_labels: vec!["文苑".into()],
        ..ParseOptions::default()
    };
    let p = parse::parse_text("x", "UTF-8", "## 塞上文苑\n\n## 秋日登高\n\n正文。", &opts);
    assert_eq!(p.articles[0].section.as_deref(), Some("塞上文苑"));
    assert_eq!(p.articles[0].title_lines, ["秋日登高"]);
}

#[test]
fn bodiless_groups_are_kept() {
    let p = fixture("headlines.txt");
    let a = by_title(&p, "春耕备耕进行时城南新区规划公示");
    assert!(a.blocks.is_empty());
}

#[test]
fn bylines_of_every_shape() {
    let p = fixture("bylines.txt");
    let a = by_title(&p, "古城街道开展消防演练");
    assert_eq!(kinds(a).first(), Some(&BlockKind::Byline));
    assert_eq!(
        kinds(a).last(),
        Some(&BlockKind::Byline),
        "lone spaced name at the end"
    );
    assert_eq!(a.authors, ["梁晨", "潘宇"]);
    let a = by_title(&p, "社区图书角受欢迎");
    assert_eq!(
        (kinds(a)[0], a.authors.as_slice()),
        (BlockKind::Byline, &["温婷".to_string()][..])
    );
    let a = by_title(&p, "老旧小区改造提速");
    assert_eq!(a.authors, ["贺兰", "申小亮", "卢志刚", "白洁"]);
    assert_eq!(a.blocks.last().unwrap().text, "卢志刚 通讯员 白洁");
    let a = by_title(&p, "马拉松赛事服务保障到位");
    assert_eq!(a.authors, ["Zhao Lin", "Qiao Yu"]);
    let a = by_title(&p, "夜市经济");
    assert_eq!(kinds(a), [BlockKind::Paragraph, BlockKind::Byline]);
}

#[test]
fn datelines_give_authors_and_keep_their_text() {
    let p = fixture("bylines.txt");
    let a = by_title(&p, "新华社电 春运返程客流高峰到来");
    assert_eq!(a.authors, ["周阳", "胡晓军"]);
    assert!(
        a.blocks[0]
            .text
            .starts_with("新华社北京2月20日电（记者 周阳、胡晓军）记者从")
    );
}

#[test]
fn images_captions_credits() {
    let p = fixture("pictures.txt");
    let a = by_title(&p, "湿地公园迎来候鸟");
    use BlockKind::*;
    assert_eq!(
        kinds(a),
        [Image, Caption, Credit, Paragraph, Paragraph, Image]
    );
    assert_eq!(a.blocks[0].src.as_deref(), Some("images/birds.jpg"));
    assert_eq!(a.blocks[4].text, "公园管理处提醒市民文明观鸟，不要投喂。");
    let a = by_title(&p, "冬季供暖准备就绪");
    assert_eq!(kinds(a), [Caption, Credit, Paragraph]);
    assert_eq!(a.blocks[1].text, "刘欣摄(资料照片)");
    let a = by_title(&p, "冰雪节开幕");
    assert_eq!(kinds(a), [Image, Caption, Credit]);
}

#[test]
fn html_and_markdown_tables_become_cells() {
    let p = fixture("pictures.txt");
    let a = by_title(&p, "一周天气");
    use BlockKind::*;
    assert_eq!(kinds(a), [Table, Table, Paragraph, Table]);
    assert_eq!(
        a.blocks[0].text,
        "日期\t天气\t气温\n周一\t晴\t-8℃~3℃\n周二\t多云 转阴\t-6℃~2℃"
    );
    assert_eq!(a.blocks[1].text, "区域\t空气质量\n城区\t良\n郊区\t优");
    assert_eq!(a.blocks[2].text, "各区降水量详见下表，供参考。");
    assert!(
        a.blocks
            .iter()
            .all(|b| !b.text.contains('<') && !b.text.contains('|'))
    );
}

#[test]
fn continuation_markers_between_pages() {
    let p1 = fixture("continuation_01.txt");
    let a = by_title(&p1, "城市更新让老街焕发新生");
    assert_eq!((a.continues_to, a.truncated), (Some(2), false));
    assert_eq!(a.blocks.last().unwrap().kind, BlockKind::Continuation);
    assert_eq!(by_title(&p1, "第二条新闻讲述社区").continues_to, Some(3));
    let p2 = fixture("continuation_02.txt");
    assert_eq!(
        p2.articles[0].title_lines.len(),
        0,
        "text before the first heading"
    );
    assert_eq!(p2.articles[0].continues_from, Some(1));
    assert_eq!(p2.articles[1].continues_from, Some(1));
    assert_eq!(
        p2.articles[1].blocks[1].text,
        "第二期工程将于明年春天启动，预计投资1.2亿元。"
    );
}

#[test]
fn furniture_is_kept_on_the_page_not_in_articles() {
    let p = fixture("furniture.txt");
    let kinds: Vec<FurnitureKind> = p.furniture.iter().map(|f| f.kind).collect();
    use FurnitureKind::*;
    assert_eq!(kinds, [Header, Header, Url, Editor, Header, Url]);
    assert_eq!(p.articles.len(), 2);
    assert_eq!(
        by_title(&p, "全民阅读活动启动").blocks[0].text,
        "全民阅读活动今天启动，活动持续到年底，其间将举办讲座和读书会五十余场。"
    );
}

#[test]
fn column_breaks_rejoined_but_not_across_credits() {
    let p = fixture("column_breaks.txt");
    let a = by_title(&p, "城郊农场开放采摘");
    use BlockKind::*;
    assert_eq!(
        kinds(a),
        [
            Paragraph, Paragraph, Paragraph, Paragraph, Credit, Paragraph
        ]
    );
    assert!(a.blocks[0].text.contains("前来体验采摘乐趣。"));
    assert!(a.blocks[0].text.ends_with("持续到五月底。"));
    assert!(a.blocks[2].text.ends_with("生长过程，让他们在劳动中学习。"));
    assert!(a.blocks[3].text.ends_with("部分品种"));
    let en = by_title(&p, "Farm opens for picking season");
    assert!(en.blocks[0].text.contains("and the owner said"));
    assert!(en.truncated);
}

#[test]
fn text_before_first_heading_bold_indent_control_chars() {
    let p = fixture("untitled.txt");
    let a = &p.articles[0];
    assert!(a.title_lines.is_empty());
    assert_eq!(
        a.blocks[0].text,
        "这是页面开头、第一个标题之前的文字，它不属于任何标题，但不能丢失。"
    );
    assert_eq!(a.blocks[1].text, "加粗的文字也要保留，标记去掉。");
    let b = &p.articles[1].blocks;
    assert_eq!(
        b[0].text,
        "正文里的控制字符\u{1b}[31m要原样保留，响铃\u{7}也一样。"
    );
    assert_eq!(
        b[1].text,
        "全角缩进的段落，软换行要连起来；Latin words across a wrap get one space。"
    );
}

#[test]
fn truncated_only_for_the_story_cut_at_the_page_end() {
    let p = fixture("truncated.txt");
    assert!(!p.articles[0].truncated);
    assert!(p.articles[1].truncated);
    let p = text("## 甲\n\n没有句号的一段\n\n## 乙\n\n完整。");
    assert!(!p.articles[0].truncated && !p.articles[1].truncated);
}

#[test]
fn encodings_all_parse_to_the_same_page() {
    let reference = fixture("gb18030.txt");
    assert_eq!(reference.encoding, "GB18030");
    for (name, enc) in [
        ("utf16le.txt", "UTF-16LE"),
        ("utf16be.txt", "UTF-16BE"),
        ("utf16le_nobom.txt", "UTF-16LE"),
        ("utf16be_nobom.txt", "UTF-16BE"),
        ("utf8_bom_crlf.txt", "UTF-8"),
    ] {
        let p = fixture(name);
        assert_eq!(p.encoding, enc);
        assert_eq!(p.articles, reference.articles, "{name}");
        let warned = p.warnings.iter().any(|w| w.contains("no byte-order mark"));
        assert_eq!(warned, name.contains("nobom"), "{name}: {:?}", p.warnings);
    }
    assert_eq!(reference.articles[0].authors, ["吴桐"]);
}

#[test]
fn ascii_utf16_without_bom_is_text_not_binary() {
    // Valid UTF-8 byte for byte (every other byte NUL): the page is English in UTF-16LE.
    let page = "## Old papers\n\nThe archive scanned 12,000 pages.\n";
    let bytes: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let p = parse::parse_bytes("en16.txt", &bytes, &ParseOptions::default()).unwrap();
    assert_eq!(p.encoding, "UTF-16LE");
    assert_eq!(p.articles[0].title_lines, ["Old papers"]);
    // NULs at both parities are still binary data.
    let noise: Vec<u8> = (0..400u32)
        .map(|i| if i % 3 == 0 { 0 } else { 0x41 })
        .collect();
    let err = parse::parse_bytes("noise.bin", &noise, &ParseOptions::default()).unwrap_err();
    assert!(err.to_string().contains("noise.bin"), "{err}");
}

#[test]
fn binary_is_an_error_and_empty_is_an_empty_page() {
    let path = root().join("tests/fixtures/parse/binary.bin");
    let err = parse::read_page(&path, "binary.bin", &ParseOptions::default()).unwrap_err();
    assert!(err.to_string().contains("binary.bin"));
    let p = fixture("empty.txt");
    assert!(p.articles.is_empty() && p.furniture.is_empty());
    assert_eq!(p.warnings, ["empty page: no text"]);
}

#[test]
fn headings_without_space_or_empty_are_not_lost() {
    let p = text("#话题#不是标题\n\n##\n\n## 真标题\n\n正文。");
    assert_eq!(p.articles[0].blocks[0].text, "#话题#不是标题");
    assert_eq!(p.articles[1].title_lines, ["真标题"]);
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn pathological_inputs_parse() {
    // Linear algorithms: these finish quickly (the bench measures them; no timing here).
    let one_paragraph = "很长的段落没有句号".repeat(50_000);
    let p = text(&one_paragraph);
    assert_eq!(p.articles[0].blocks.len(), 1);
    let headings: String = (0..20_000).map(|i| format!("## 标题{i}\n")).collect();
    let p = text(&headings);
    assert_eq!(p.articles[0].title_lines.len(), 20_000);
    let stray = "![".repeat(100_000) + &"<table".repeat(1000);
    let p = text(&stray);
    assert!(!p.articles.is_empty());
}

#[test]
fn cli_prints_the_json_contract() {
    let exe = env!("CARGO_BIN_EXE_dubao");
    let page = root().join("tests/fixtures/parse/continuation_01.txt");
    let out = std::process::Command::new(exe)
        .args(["parse", "--json"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = |o: &serde_json::Value| o.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), ["articles", "encoding", "furniture", "source"]);
    let a = &v["articles"][1];
    assert_eq!(
        keys(a),
        [
            "authors",
            "blocks",
            "continues_from",
            "continues_to",
            "kicker",
            "section",
            "subtitle",
            "title_lines",
            "truncated"
        ]
    );
    assert!(a["continues_from"].is_null() && a["kicker"].is_null());
    assert_eq!(a["continues_to"], 3);
    // doc/format.md's fields, and `span` (more fields may be added; none renamed).
    assert_eq!(keys(&a["blocks"][0]), ["kind", "span", "text"]);
}

#[test]
fn cli_fails_with_one_line_naming_the_file() {
    let exe = env!("CARGO_BIN_EXE_dubao");
    for name in ["binary.bin", "no-such-page.txt"] {
        let page = root().join("tests/fixtures/parse").join(name);
        let out = std::process::Command::new(exe)
            .args(["parse", "--json"])
            .arg(&page)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(name), "{err}");
    }
}
