//! How an article reads on the screen, as a snapshot: each line as `style | padding + text`,
//! with the right edge of the width marked. Width 24 with the 4-cell indent and the 2-cell
//! hanging margin (text broken at 22, a hanging mark may reach 24), narrow ambiguous width.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::model::{Article, Block, BlockKind};
use dubao::text::{AmbiguousWidth, LayoutOptions, layout_article, width};

fn render(article: &Article, opts: &LayoutOptions) -> String {
    let mut out = String::new();
    for line in layout_article(article, opts).lines {
        let text = format!("{}{}", " ".repeat(usize::from(line.indent)), line.text);
        let pad = usize::from(opts.width).saturating_sub(width(&text, opts.amb));
        out.push_str(&format!(
            "{:<12}|{text}{}|\n",
            format!("{:?}", line.style),
            " ".repeat(pad)
        ));
    }
    out
}

#[test]
fn sample_article_at_24_columns() {
    let mut image = Block::new(BlockKind::Image, "");
    image.src = Some("images/fire.jpg".into());
    let article = Article {
        kicker: Some("平城区教育局".into()),
        title_lines: vec!["确保“双减”工作落地落实".into()],
        blocks: vec![
            Block::new(
                BlockKind::Paragraph,
                "本报讯（记者 丁亚琴）今年以来，平城区教育局把落实“双减”作为重点核心工作。",
            ),
            image,
            Block::new(BlockKind::Caption, "平城区开展燃气安全宣传进社区活动。"),
            Block::new(BlockKind::Table, "单位\t数量\n检查组\t887次\n单位\t4251家"),
            Block::new(
                BlockKind::Paragraph,
                "修订了《平城区小学作息时间表(试行)》，保障学生运动、睡眠。",
            ),
        ],
        continues_to: Some(2),
        ..Article::default()
    };
    let opts = LayoutOptions {
        width: 24,
        amb: AmbiguousWidth::Narrow,
        indent: true,
        hang: true,
    };
    insta::assert_snapshot!(render(&article, &opts));
}
