//! The source's `**bold**` through layout: each screen line knows which of its bytes are
//! bold, a span cut by a line break is bold on both lines, the text itself is what it is
//! without bold (so positions and search do not move), and the runs a view draws put the
//! dateline lead-in and the source's bold together. A proptest checks, over random
//! paragraphs and spans, that exactly the bold characters come out bold, at every width.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::model::{Article, Block, BlockKind};
use dubao::parse::{ParseOptions, parse_text};
use dubao::text::{AmbiguousWidth, LayoutOptions, LineStyle, ScreenLine, layout_article};
use proptest::prelude::*;

fn opts(width: u16, amb: AmbiguousWidth) -> LayoutOptions {
    LayoutOptions {
        width,
        amb,
        ..LayoutOptions::default()
    }
}

/// Each paragraph line as its text with the bold runs in `[…]`.
fn marked(article: &Article, o: &LayoutOptions) -> Vec<String> {
    layout_article(article, o)
        .lines
        .iter()
        .filter(|l| l.style == LineStyle::Paragraph)
        .map(|l| {
            let mut s = String::new();
            let mut at = 0;
            for r in &l.bold {
                s.push_str(&l.text[at..r.start]);
                s.push('[');
                s.push_str(&l.text[r.clone()]);
                s.push(']');
                at = r.end;
            }
            s.push_str(&l.text[at..]);
            s
        })
        .collect()
}

fn page(text: &str) -> Article {
    let page = parse_text("t.txt", "UTF-8", text, &ParseOptions::default());
    page.articles.into_iter().next().unwrap()
}

#[test]
fn bold_from_the_source_is_on_the_lines_that_show_it() {
    // Sample 2026-11-28/01, third story: the bold phrase is cut by the line break at 40.
    let a = page(
        "## 远程会诊让山区患者不出县城看专家\n\n医院负责人表示，下一步将把远程会诊延伸到乡镇卫生院，并开通**预约转诊绿色通道**，让\n山区群众少跑路。\n",
    );
    assert_eq!(
        a.blocks[0].text,
        "医院负责人表示，下一步将把远程会诊延伸到乡镇卫生院，并开通预约转诊绿色通道，让山区群众少跑路。"
    );
    for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
        assert_eq!(
            marked(&a, &opts(40, amb)),
            [
                "医院负责人表示，下一步将把远程会诊延伸",
                "到乡镇卫生院，并开通[预约转诊绿色通道]，",
                "让山区群众少跑路。"
            ]
        );
        assert_eq!(
            marked(&a, &opts(33, amb)),
            [
                "医院负责人表示，下一步将把远程",
                "会诊延伸到乡镇卫生院，并开通[预]",
                "[约转诊绿色通道]，让山区群众少",
                "跑路。"
            ]
        );
        assert_eq!(
            marked(&a, &opts(80, amb)),
            [
                "医院负责人表示，下一步将把远程会诊延伸到乡镇卫生院，并开通[预约转诊绿色通道]，让",
                "山区群众少跑路。"
            ]
        );
    }
}

#[test]
fn runs_join_the_dateline_lead_and_the_source_bold() {
    let a = page(
        "## 冬季长跑健身活动开赛\n\n**本报讯**（记者 姚 远）26日上午，全市冬季长跑健身活动在文瀛湖公园开赛。\n",
    );
    let lines = layout_article(&a, &opts(80, AmbiguousWidth::Narrow)).lines;
    let first = lines
        .iter()
        .find(|l| l.style == LineStyle::Paragraph)
        .unwrap();
    assert_eq!(first.bold, vec![0.."本报讯".len()]);
    assert_eq!(
        first.runs(),
        [
            ("本报讯（记者 姚 远）", true),
            ("26日上午，全市冬季长跑健身活动在文瀛湖公园开赛。", false)
        ]
    );
}

#[test]
fn control_characters_shift_no_bold_byte() {
    // ESC (1 byte) is drawn as ␛ (3 bytes): the span after it still covers its characters.
    let mut p = Block::new(BlockKind::Paragraph, "控\u{1b}制重点工作。");
    let at = p.text.find("重点").unwrap();
    p.bold = vec![[at, at + "重点".len()]];
    let a = Article {
        title_lines: vec!["标题".into()],
        blocks: vec![p],
        ..Article::default()
    };
    assert_eq!(
        marked(&a, &opts(40, AmbiguousWidth::Narrow)),
        ["控␛制[重点]工作。"]
    );
}

fn bold_chars(lines: &[ScreenLine]) -> String {
    lines
        .iter()
        .filter(|l| l.style == LineStyle::Paragraph)
        .flat_map(|l| l.bold.iter().map(|r| l.text[r.clone()].to_string()))
        .collect()
}

/// An article of one block of `kind` holding `text`, bold between random cut points (taken
/// on character boundaries, sorted, paired into disjoint spans): the article and the spans.
fn article_with(kind: BlockKind, text: &str, cuts: &[usize]) -> (Article, Vec<[usize; 2]>) {
    let n = text.chars().count().max(1);
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|c| text.char_indices().nth(c % n).map_or(0, |(i, _)| i))
        .collect();
    at.sort_unstable();
    at.dedup();
    let spans: Vec<[usize; 2]> = at.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
    let mut block = Block::new(kind, text);
    block.bold = spans.clone();
    let article = Article {
        title_lines: vec!["标题".into()],
        blocks: vec![block],
        ..Article::default()
    };
    (article, spans)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Exactly the bold characters come out bold (a span cut by a break is bold on both
    /// lines; a dropped break space is the only thing that may go), at any width.
    #[test]
    fn bold_survives_wrapping(
        text in "[平城区园林，。“”a-z0-9 ]{1,120}",
        cuts in prop::collection::vec(0usize..200, 0..6),
        width in 2u16..90,
        wide in any::<bool>(),
        indent in any::<bool>(),
    ) {
        let text = text.trim().to_string();
        prop_assume!(!text.is_empty());
        let (article, spans) = article_with(BlockKind::Paragraph, &text, &cuts);
        let amb = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let o = LayoutOptions { width, amb, indent, hang: true };
        let lines = layout_article(&article, &o).lines;
        let want: String = spans
            .iter()
            .map(|&[a, b]| text[a..b].replace(' ', ""))
            .collect();
        prop_assert_eq!(bold_chars(&lines).replace(' ', ""), want);
        // The text is the same with bold or without.
        let mut plain = article.clone();
        plain.blocks[0].bold.clear();
        let plain_lines = layout_article(&plain, &o).lines;
        let texts = |ls: &[ScreenLine]| ls.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        prop_assert_eq!(texts(&lines), texts(&plain_lines));
    }
}

/// A paragraph made of 100,000 bold spans lays out with each span on its line (each line
/// looks only at its own spans, so this stays linear).
#[test]
fn many_spans_each_on_its_line() {
    let unit = "平城区，";
    let text = unit.repeat(100_000);
    let mut p = Block::new(BlockKind::Paragraph, text.as_str());
    p.bold = (0..100_000)
        .map(|k| [k * unit.len(), k * unit.len() + "平城".len()])
        .collect();
    let a = Article {
        title_lines: vec!["标题".into()],
        blocks: vec![p],
        ..Article::default()
    };
    let lines = layout_article(&a, &opts(40, AmbiguousWidth::Narrow)).lines;
    let spans: usize = lines.iter().map(|l| l.bold.len()).sum();
    assert_eq!(spans, 100_000);
    assert!(
        lines
            .iter()
            .flat_map(|l| l.bold.iter().map(|r| &l.text[r.clone()]))
            .all(|s| s == "平城")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The same for a table (cells split at tabs, rows at newlines), in the grid and in the
    /// cell-by-cell list of narrow widths: the bold characters, spaces aside, and no others.
    #[test]
    fn bold_survives_table_layout(
        cells in prop::collection::vec("[平城区，1-9a-z ]{1,12}", 1..9),
        ncols in 1usize..4,
        cuts in prop::collection::vec(0usize..200, 0..6),
        width in 2u16..60,
        wide in any::<bool>(),
    ) {
        let mut text = String::new();
        for (k, c) in cells.iter().enumerate() {
            if k > 0 {
                text.push(if k % ncols == 0 { '\n' } else { '\t' });
            }
            text.push_str(c);
        }
        let (article, spans) = article_with(BlockKind::Table, &text, &cuts);
        let amb = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let lines = layout_article(&article, &LayoutOptions { width, amb, indent: false, hang: true }).lines;
        let got: String = lines
            .iter()
            .filter(|l| l.style == LineStyle::Table)
            .flat_map(|l| l.bold.iter().map(|r| l.text[r.clone()].to_string()))
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let want: String = spans
            .iter()
            .flat_map(|&[a, b]| text[a..b].chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        // A wrapped cell's lines interleave with its neighbours': compare as multisets.
        let sorted = |s: String| {
            let mut v: Vec<char> = s.chars().collect();
            v.sort_unstable();
            v
        };
        prop_assert_eq!(sorted(got), sorted(want));
    }
}
