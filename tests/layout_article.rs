//! Article layout: the headline group and each block kind laid out distinctly, the width
//! contract (indent + text never wider than the width), display-safe text, and the screen
//! line ↔ TextPos map (round trip, monotonic, and surviving a change of width).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::model::{Article, Block, BlockKind, TextPos};
use dubao::text::{AmbiguousWidth, ArticleLayout, LayoutOptions, LineStyle, layout_article, width};
use proptest::prelude::*;

const A: &str = "受冷空气影响，我市气温骤降，大风天气频繁，为防止树木倾倒、树枝伤人，平城区园林绿化中心启动应急预案，";

fn sample() -> Article {
    let mut image = Block::new(BlockKind::Image, "");
    image.src = Some("images/x.jpg".to_string());
    Article {
        section: Some("平城头条".into()),
        kicker: Some("平城区教育局".into()),
        title_lines: vec!["紧盯民生办实事".into(), "巡察监督暖民心".into()],
        subtitle: Some("多措并举全面筑牢安全生产防线".into()),
        authors: vec!["孙露".into()],
        blocks: vec![
            Block::new(BlockKind::Byline, "本报记者 孙露"),
            image,
            Block::new(BlockKind::Caption, "平城区开展燃气安全宣传进社区活动。"),
            Block::new(BlockKind::Credit, "孙露摄(资料照片)"),
            Block::new(BlockKind::Paragraph, A),
            Block::new(
                BlockKind::Table,
                "项目\t数量\n隐患\t1807项\n罚款\t123.5万元",
            ),
            Block::new(
                BlockKind::Paragraph,
                "控制\u{1b}[31m字符\u{7f}不\u{9b}可见\u{202e}倒序\u{2066}。",
            ),
            Block::new(BlockKind::Continuation, "（下转第2版）"),
        ],
        continues_to: Some(2),
        continues_from: None,
        truncated: false,
    }
}

fn opts(width: u16) -> LayoutOptions {
    LayoutOptions {
        width,
        ..LayoutOptions::default()
    }
}

/// The bidi formatting characters, which can reorder what a terminal shows.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

fn assert_contract(layout: &ArticleLayout, o: &LayoutOptions) {
    let w = usize::from(o.width);
    for (i, l) in layout.lines.iter().enumerate() {
        let lw = usize::from(l.indent) + width(&l.text, o.amb);
        let lone = l.text.chars().count() == 1;
        assert!(lw <= w || (lone && w < 2), "line {i} {l:?} is {lw} > {w}");
        assert!(
            !l.text.chars().any(|c| c.is_control() || is_bidi(c)),
            "line {i} not display-safe"
        );
        if i > 0 {
            assert!(
                layout.lines[i - 1].pos <= l.pos,
                "positions go back at line {i}"
            );
        }
    }
}

#[test]
fn headline_group_and_blocks_are_laid_out_distinctly() {
    let o = opts(42);
    let layout = layout_article(&sample(), &o);
    assert_contract(&layout, &o);
    let shown: Vec<(LineStyle, &str)> = layout
        .lines
        .iter()
        .map(|l| (l.style, l.text.as_str()))
        .collect();
    use LineStyle::*;
    assert_eq!(
        shown[..12],
        [
            (Section, "【平城头条】"),
            (Kicker, "平城区教育局"),
            (Title, "紧盯民生办实事　巡察监督暖民心"),
            (Subtitle, "多措并举全面筑牢安全生产防线"),
            (Blank, ""),
            (Byline, "本报记者 孙露"),
            (Blank, ""),
            (Image, "[图片 images/x.jpg]"),
            (Blank, ""),
            (Caption, "平城区开展燃气安全宣传进社区活动。"),
            (Blank, ""),
            (Credit, "孙露摄(资料照片)"),
        ]
    );
    // Width 42 with hanging: broken at 40, one mark hangs into the last 2 cells.
    let para: Vec<&str> = layout
        .lines
        .iter()
        .filter(|l| l.style == Paragraph && l.pos.block == 4)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        para,
        [
            "受冷空气影响，我市气温骤降，大风天气频繁，",
            "为防止树木倾倒、树枝伤人，平城区园林绿化",
            "中心启动应急预案，"
        ]
    );
    let table: Vec<&str> = layout
        .lines
        .iter()
        .filter(|l| l.style == Table)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(table, ["项目  数量", "隐患  1807项", "罚款  123.5万元"]);
    let ctrl = layout
        .lines
        .iter()
        .find(|l| l.pos.block == 6)
        .map(|l| l.text.as_str());
    assert_eq!(ctrl, Some("控制␛[31m字符␡不␦可见␦倒序␦。"));
    // The continuation block is there, so no extra note is added.
    assert!(!layout.lines.iter().any(|l| l.style == Note));
    assert_eq!(layout.lines.last().map(|l| l.style), Some(Continuation));
}

#[test]
fn first_line_indent_is_padding_inside_the_width() {
    let o = LayoutOptions {
        width: 24,
        indent: true,
        hang: false,
        ..LayoutOptions::default()
    };
    let article = Article {
        blocks: vec![Block::new(BlockKind::Paragraph, A)],
        ..Article::default()
    };
    let layout = layout_article(&article, &o);
    assert_contract(&layout, &o);
    assert_eq!(layout.lines[0].indent, 4);
    assert_eq!(layout.lines[0].text, "受冷空气影响，我市气");
    assert_eq!(layout.lines[1].indent, 0);
    assert_eq!(layout.lines[1].text, "温骤降，大风天气频繁，为");
}

#[test]
fn notes_for_continuations_and_cut_off_text() {
    let article = Article {
        title_lines: vec!["题".into()],
        blocks: vec![Block::new(BlockKind::Paragraph, "没有结束")],
        continues_from: Some(1),
        truncated: true,
        ..Article::default()
    };
    let layout = layout_article(&article, &opts(40));
    let notes: Vec<&str> = layout
        .lines
        .iter()
        .filter(|l| l.style == LineStyle::Note)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(notes, ["（上接第1版）", "（原文至此中断）"]);
}

#[test]
fn every_width_keeps_the_contract() {
    let article = sample();
    for w in 1..=100u16 {
        for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
            for (indent, hang) in [(false, false), (true, true)] {
                let o = LayoutOptions {
                    width: w,
                    amb,
                    indent,
                    hang,
                };
                assert_contract(&layout_article(&article, &o), &o);
            }
        }
    }
}

#[test]
fn top_of_article_is_the_headline() {
    let layout = layout_article(&sample(), &opts(30));
    assert_eq!(layout.line_of(TextPos::default()), 0);
    assert_eq!(layout.pos_at(0), TextPos::default());
}

/// Characters of block `b` from `from` to `to` (inclusive).
fn chars(article: &Article, b: usize, from: usize, to: usize) -> String {
    article.blocks[b]
        .text
        .chars()
        .skip(from)
        .take(to + 1 - from)
        .collect()
}

fn paragraph_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "平", "城", "区", "，", "。", "“", "”", "《", "》", "123.5", "万元", "iPhone ", "……", "、",
    ]);
    prop::collection::vec(piece, 1..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn positions_round_trip_and_survive_a_width_change(
        paras in prop::collection::vec(paragraph_text(), 1..4),
        wa in 2u16..100,
        wb in 2u16..100,
        wide in any::<bool>(),
        indent in any::<bool>(),
    ) {
        let article = Article {
            title_lines: vec!["标题".into()],
            blocks: paras.iter().map(|p| Block::new(BlockKind::Paragraph, p.as_str())).collect(),
            ..Article::default()
        };
        let amb = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let la = layout_article(&article, &LayoutOptions { width: wa, amb, indent, hang: true });
        let lb = layout_article(&article, &LayoutOptions { width: wb, amb, indent, hang: true });
        for (i, line) in la.lines.iter().enumerate() {
            let p = la.pos_at(i);
            let first_of_run = i == 0 || la.lines[i - 1].pos != p;
            if first_of_run {
                prop_assert_eq!(la.line_of(p), i);
            }
            if line.style != LineStyle::Paragraph {
                continue;
            }
            // The same character sits on line_of(p) at the other width; block 0 offset 0 is
            // the top of the article, shown from its headline.
            let j = lb.line_of(p);
            if p == TextPos::default() {
                prop_assert_eq!(j, 0);
                continue;
            }
            let at = &lb.lines[j];
            prop_assert_eq!(at.style, LineStyle::Paragraph);
            prop_assert_eq!(at.pos.block, p.block);
            let prefix = chars(&article, p.block, at.pos.offset, p.offset);
            prop_assert!(at.text.starts_with(&prefix), "{:?} not at start of {:?}", prefix, at.text);
        }
    }
}
