//! The render bench's issue and reader, shared by `benches/render.rs` and
//! `examples/render_keys.rs` (each includes this file with `#[path]`): 12 articles of CJK
//! paragraphs, and a reader at 200×60 with the body focused.

use std::path::Path;

use dubao::model::{Article, Block, BlockKind, Issue, Page};
use dubao::ui::{Action, App, Options};

const SENTENCES: &[&str] = &[
    "今年以来，平城区坚持把人才工作摆在发展全局的重要位置。",
    "区里先后出台了十二条具体措施，涉及住房、子女入学和医疗保障。",
    "“我们要让每一位来到这里的年轻人都能安心干事。”区人才办负责人说。",
    "截至十月底，全区累计引进各类人才三百余人，其中博士二十一人。",
    "下一步，该区将继续优化服务流程，推动政策落地见效……",
    "园林部门加强了对主次干道、公园绿地等重点区域的巡查力度。",
];

/// One page of 12 articles, each of `blocks` paragraphs of six sentences.
pub fn issue(blocks: usize) -> Issue {
    let articles = (0..12)
        .map(|a| Article {
            title_lines: vec![format!("第{a}篇 平城区全方位提升人才干事创业激情")],
            kicker: Some("平城区教育局".into()),
            blocks: (0..blocks)
                .map(|b| {
                    let text: String = (0..6)
                        .map(|k| SENTENCES[(a + b + k) % SENTENCES.len()])
                        .collect();
                    Block::new(BlockKind::Paragraph, text)
                })
                .collect(),
            ..Article::default()
        })
        .collect();
    Issue {
        id: "bench".into(),
        name: "bench".into(),
        publication: None,
        date: None,
        pages: vec![Page {
            source: "bench/01.txt".into(),
            encoding: "UTF-8".into(),
            articles,
            furniture: vec![],
            warnings: vec![],
        }],
        errors: vec![],
    }
}

/// A reader at 200×60 showing `issue(blocks)`, the body focused, its state kept in `dir`;
/// `measure` as the config's (0: the whole pane).
pub fn reader(dir: &Path, blocks: usize, measure: u16) -> App {
    let store = dubao::state::Store::open(dir).0;
    let options = Options {
        measure,
        ..Options::default()
    };
    let mut app = App::with_issues(vec![issue(blocks)], store, options);
    app.update(Action::Resize {
        width: 200,
        height: 60,
    });
    app.start();
    app.update(Action::FocusRight);
    app.update(Action::FocusRight);
    app
}
