//! N key presses at 200×60 through the reader's own backend, for instruction counts:
//! `render_keys KIND MEASURE N` with KIND `line` (down/up), `page` (down/up), `lines` (down
//! only) or `next` (next article), the bench's issue (12 articles of 12 CJK paragraphs).
//! Run it under `valgrind --tool=callgrind` with N = 40 and N = 0 and divide the difference
//! by 40 for the instructions per key (doc/ui.md, "Figures").
use dubao::model::{Article, Block, BlockKind, Issue, Page};
use dubao::ui::backend::TermBackend;
use dubao::ui::{Action, App, Options};
use ratatui::{Terminal, TerminalOptions, Viewport};

const SENTENCES: &[&str] = &[
    "今年以来，平城区坚持把人才工作摆在发展全局的重要位置。",
    "区里先后出台了十二条具体措施，涉及住房、子女入学和医疗保障。",
    "“我们要让每一位来到这里的年轻人都能安心干事。”区人才办负责人说。",
    "截至十月底，全区累计引进各类人才三百余人，其中博士二十一人。",
    "下一步，该区将继续优化服务流程，推动政策落地见效……",
    "园林部门加强了对主次干道、公园绿地等重点区域的巡查力度。",
];

fn issue() -> Issue {
    let articles = (0..12)
        .map(|a| Article {
            title_lines: vec![format!("第{a}篇 平城区全方位提升人才干事创业激情")],
            kicker: Some("平城区教育局".into()),
            blocks: (0..12)
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

struct Count(std::rc::Rc<std::cell::Cell<usize>>);
impl std::io::Write for Count {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + b.len());
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, kind, measure, n] = args.as_slice() else {
        return Err("usage: render_keys line|page|lines|next MEASURE N".into());
    };
    let (kind, measure, n): (&str, u16, usize) = (kind, measure.parse()?, n.parse()?);
    let dir = std::env::temp_dir().join(format!("dubao-keys-{}", std::process::id()));
    let store = dubao::state::Store::open(&dir).0;
    let mut app = App::with_issues(
        vec![issue()],
        store,
        Options {
            measure,
            ..Options::default()
        },
    );
    app.update(Action::Resize {
        width: 200,
        height: 60,
    });
    app.start();
    app.update(Action::FocusRight);
    app.update(Action::FocusRight);
    let bytes = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut real = Terminal::with_options(
        TermBackend::with_size(Count(bytes.clone()), 200, 60),
        TerminalOptions {
            viewport: Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 200, 60)),
        },
    )?;
    real.draw(|f| f.render_widget(&app, f.area()))?;
    bytes.set(0);
    for i in 0..n {
        let a = match (kind, i % 2 == 0) {
            ("line", true) => Action::LineDown,
            ("line", false) => Action::LineUp,
            ("page", true) => Action::PageDown,
            ("page", false) => Action::PageUp,
            ("lines", _) => Action::LineDown,
            _ => Action::NextArticle,
        };
        app.update(a);
        real.draw(|f| f.render_widget(&app, f.area()))?;
    }
    println!(
        "{kind} measure {measure}: {} bytes over {n} keys",
        bytes.get()
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
