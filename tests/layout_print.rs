//! The article layout's newspaper conventions, string in and string out: print-style
//! paragraphs (indent, no blank line), bylines closing a story set flush right, an image's
//! alt text left out when the caption repeats it, English notes in English stories, no
//! "cut off" note after a closing credit, and every bundled sample article at the review's
//! widths with its titles kept at their source lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::model::{Article, Block, BlockKind};
use dubao::parse::{ParseOptions, read_page};
use dubao::text::{AmbiguousWidth, LayoutOptions, LineStyle, layout_article, width};

fn para(s: &str) -> Block {
    Block::new(BlockKind::Paragraph, s)
}

fn shown(article: &Article, opts: &LayoutOptions) -> Vec<String> {
    layout_article(article, opts)
        .lines
        .iter()
        .map(|l| format!("{}{}", " ".repeat(usize::from(l.indent)), l.text))
        .collect()
}

/// Width `width` with hanging on: text is broken at `width - 2`; a closing byline is set
/// flush with that measure.
fn opts(width: u16, indent: bool) -> LayoutOptions {
    LayoutOptions {
        width,
        indent,
        ..LayoutOptions::default()
    }
}

fn story() -> Article {
    Article {
        title_lines: vec!["紧盯民生办实事".into(), "巡察监督暖民心".into()],
        blocks: vec![
            para("本报讯（记者 尚丽）受冷空气影响，我市气温骤降。"),
            para("园林部门连夜排查危树。"),
            Block::new(BlockKind::Byline, "（孙露）"),
        ],
        ..Article::default()
    }
}

#[test]
fn print_style_indents_and_drops_the_blank_line() {
    assert_eq!(
        shown(&story(), &opts(24, true)),
        [
            "紧盯民生办实事",
            "巡察监督暖民心",
            "",
            "    本报讯（记者 尚",
            "丽）受冷空气影响，我市",
            "气温骤降。",
            "    园林部门连夜排查",
            "危树。",
            "",
            "              （孙露）",
        ]
    );
    assert_eq!(
        shown(&story(), &opts(40, false)),
        [
            "紧盯民生办实事　巡察监督暖民心",
            "",
            "本报讯（记者 尚丽）受冷空气影响，我市",
            "气温骤降。",
            "",
            "园林部门连夜排查危树。",
            "",
            "                              （孙露）",
        ]
    );
}

#[test]
fn english_stories_get_english_furniture() {
    let mut image = Block::new(BlockKind::Image, "The south gate at night");
    image.src = Some("images/gate.jpg".into());
    let article = Article {
        title_lines: vec!["Old town walls light up".into()],
        blocks: vec![
            para("The walls were lit up on Friday."),
            image,
            Block::new(BlockKind::Caption, "The south gate at night."),
            para("Hotel bookings for the festival weekend"),
        ],
        continues_from: Some(1),
        truncated: true,
        ..Article::default()
    };
    assert_eq!(
        shown(&article, &opts(40, false)),
        [
            "Old town walls light up",
            "(continued from page 1)",
            "",
            "The walls were lit up on Friday.",
            "",
            "[image images/gate.jpg]",
            "",
            "The south gate at night.",
            "",
            "Hotel bookings for the festival",
            "weekend",
            "",
            "(text ends here)",
        ]
    );
    // A story that closes on a credit in brackets ends properly.
    let mut done = article.clone();
    done.blocks.push(para("(Reporter: Li Hua)"));
    let lines = shown(&done, &opts(40, false));
    assert_eq!(lines.last().map(String::as_str), Some("(Reporter: Li Hua)"));
    // The Chinese story keeps its Chinese notes (and the closing （孙露） is a proper end).
    let mut zh = story();
    zh.truncated = true;
    assert_eq!(
        shown(&zh, &opts(40, false)).last().map(String::as_str),
        Some("                              （孙露）")
    );
    zh.blocks.pop();
    assert_eq!(
        shown(&zh, &opts(40, false)).last().map(String::as_str),
        Some("（原文至此中断）")
    );
}

#[test]
fn sample_articles_at_the_review_widths() {
    let mut articles = Vec::new();
    for day in ["2026-11-26", "2026-11-27", "2026-11-28"] {
        for p in ["01.txt", "02.txt"] {
            let path = std::path::Path::new("assets/samples").join(day).join(p);
            let page = read_page(&path, p, &ParseOptions::default()).unwrap();
            articles.extend(page.articles);
        }
    }
    assert!(articles.len() >= 29);
    for w in [20u16, 33, 40, 41, 60, 72, 80] {
        for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
            for indent in [false, true] {
                let o = LayoutOptions {
                    width: w,
                    amb,
                    indent,
                    hang: true,
                };
                for a in &articles {
                    let lines = layout_article(a, &o).lines;
                    for l in &lines {
                        let lw = usize::from(l.indent) + width(&l.text, amb);
                        assert!(lw <= usize::from(w), "{w}: {l:?}");
                    }
                    // Title lines never run two source lines together without a separator.
                    let title: Vec<&str> = lines
                        .iter()
                        .filter(|l| l.style == LineStyle::Title)
                        .map(|l| l.text.as_str())
                        .collect();
                    if a.title_lines.len() == 2 {
                        let glued = format!("{}{}", a.title_lines[0], a.title_lines[1]);
                        assert!(!title.iter().any(|t| t.contains(&glued)), "{title:?}");
                        let squash: String = title.concat().split_whitespace().collect();
                        let source: String = a.title_lines.concat().split_whitespace().collect();
                        assert_eq!(
                            squash.replace('\u{3000}', ""),
                            source.replace('\u{3000}', "")
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_default_sample_title_at_80_and_40() {
    let path = std::path::Path::new("assets/samples/2026-11-28/01.txt");
    let page = read_page(path, "01.txt", &ParseOptions::default()).unwrap();
    let title = |w: u16| -> Vec<String> {
        layout_article(&page.articles[0], &opts(w, false))
            .lines
            .into_iter()
            .filter(|l| l.style == LineStyle::Title)
            .map(|l| l.text)
            .collect()
    };
    assert_eq!(
        title(80),
        ["云州至北京高铁开通两周年　累计发送旅客突破一千万人次"]
    );
    assert_eq!(
        title(72),
        ["云州至北京高铁开通两周年　累计发送旅客突破一千万人次"]
    );
    assert_eq!(
        title(40),
        ["云州至北京高铁开通两周年", "累计发送旅客突破一千万人次"]
    );
}
