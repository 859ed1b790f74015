//! Fixtures shared by the reader's tests: small issues built straight from the model (so the
//! tests do not depend on the parser), and helpers to drive an `App` and render it.
#![allow(dead_code)]

use dubao::model::{Article, Block, BlockKind, Date, Issue, Page, PageError};
use dubao::state::Store;
use dubao::ui::{Action, App, Options};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn para(s: &str) -> Block {
    Block::new(BlockKind::Paragraph, s)
}

/// A long CJK paragraph of about `n` sentences, varied so that lines differ.
pub fn long_cjk(seed: usize, n: usize) -> String {
    const SENTENCES: &[&str] = &[
        "今年以来，平城区坚持把人才工作摆在发展全局的重要位置。",
        "区里先后出台了十二条具体措施，涉及住房、子女入学和医疗保障。",
        "“我们要让每一位来到这里的年轻人都能安心干事。”区人才办负责人说。",
        "截至十月底，全区累计引进各类人才三百余人，其中博士二十一人。",
        "下一步，该区将继续优化服务流程，推动政策落地见效……",
        "园林部门加强了对主次干道、公园绿地等重点区域的巡查力度。",
    ];
    (0..n)
        .map(|k| SENTENCES[(seed + k) % SENTENCES.len()])
        .collect()
}

fn article(
    section: Option<&str>,
    kicker: Option<&str>,
    title: &[&str],
    blocks: Vec<Block>,
) -> Article {
    Article {
        section: section.map(str::to_string),
        kicker: kicker.map(str::to_string),
        title_lines: title.iter().map(std::string::ToString::to_string).collect(),
        blocks,
        ..Article::default()
    }
}

fn page(source: &str, articles: Vec<Article>) -> Page {
    Page {
        source: source.to_string(),
        encoding: "UTF-8".to_string(),
        articles,
        furniture: vec![],
        warnings: vec![],
    }
}

/// The newest issue: two pages, five articles (one hostile, one bodiless), one bad page.
pub fn issue_a() -> Issue {
    let mut lead = article(
        Some("平城头条"),
        None,
        &["平城区全方位提升人才干事创业激情"],
        vec![
            Block::new(BlockKind::Byline, "本报记者 孙露"),
            para(&long_cjk(0, 8)),
            para(&long_cjk(2, 6)),
            para(&long_cjk(4, 9)),
            Block {
                kind: BlockKind::Image,
                text: String::new(),
                src: Some("images/a1.jpg".into()),
                span: None,
                bold: Vec::new(),
            },
            Block::new(BlockKind::Caption, "平城区开展人才政策宣传活动。"),
            Block::new(BlockKind::Credit, "本报记者 王芳 摄"),
            para(&long_cjk(1, 7)),
            para(&long_cjk(3, 12)),
            para(&long_cjk(5, 12)),
            para(&long_cjk(0, 12)),
            para(&long_cjk(2, 12)),
        ],
    );
    lead.authors = vec!["孙露".into()];
    let quotes = article(
        None,
        Some("平城区教育局"),
        &["确保“双减”工作落地落实"],
        vec![para(&long_cjk(2, 5)), para(&long_cjk(3, 4))],
    );
    let hostile = article(
        None,
        None,
        &["危险\u{1b}]52;c;aGk=\u{7}标题\u{1b}[2J"],
        vec![
            para("正文里有转义\u{1b}[2J清屏和\u{1b}]0;title\u{7}改标题，还有\u{9b}31m。"),
            para(&long_cjk(5, 3)),
        ],
    );
    let bodiless = article(None, None, &["紧盯民生办实事", "巡察监督暖民心"], vec![]);
    let latin = article(
        Some("要闻"),
        None,
        &["A Latin headline for mixed pages"],
        vec![para(
            "Plain Latin text wraps at spaces and keeps its words whole, which is what a reader expects.",
        )],
    );
    Issue {
        id: "2026-11-28".into(),
        name: "2026-11-28".into(),
        publication: Some("平城日报".into()),
        date: Some(Date {
            year: 2026,
            month: 11,
            day: 28,
        }),
        pages: vec![
            page("2026-11-28/01.txt", vec![lead, quotes, hostile]),
            page("2026-11-28/02.txt", vec![bodiless, latin]),
        ],
        errors: vec![PageError {
            source: "2026-11-28/03.txt".into(),
            message: "not a text page (binary)".into(),
        }],
    }
}

/// An older issue with two articles.
pub fn issue_b() -> Issue {
    Issue {
        id: "2026-11-27".into(),
        name: "2026-11-27".into(),
        publication: None,
        date: Some(Date {
            year: 2026,
            month: 11,
            day: 27,
        }),
        pages: vec![page(
            "2026-11-27/01.txt",
            vec![
                article(
                    None,
                    None,
                    &["公证服务入基层 普法宣传润人心"],
                    vec![para(&long_cjk(3, 10))],
                ),
                article(
                    Some("平城新语"),
                    None,
                    &["安全防线背后的安全共识"],
                    vec![para(&long_cjk(4, 4))],
                ),
            ],
        )],
        errors: vec![],
    }
}

pub fn store(dir: &std::path::Path) -> Store {
    Store::open(dir).0
}

/// An app over the two fixture issues at `w`×`h`, started (first issue shown).
pub fn app(dir: &std::path::Path, w: u16, h: u16) -> App {
    app_with(dir, w, h, Options::default())
}

pub fn app_with(dir: &std::path::Path, w: u16, h: u16, opts: Options) -> App {
    let mut app = App::with_issues(vec![issue_a(), issue_b()], store(dir), opts);
    app.update(Action::Resize {
        width: w,
        height: h,
    });
    assert_eq!(app.start(), None, "fixture issues are loaded already");
    app
}

pub fn apply(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.update(*a);
    }
}

/// Render into a fresh test terminal of the app's size.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(app.width, app.height)).expect("test terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t
}

/// The screen as text lines (wide characters once, their trailing cells skipped).
pub fn screen_lines(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    let w = buf.area.width;
    (0..buf.area.height)
        .map(|y| {
            let mut s = String::new();
            let mut skip = 0;
            for x in 0..w {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let c = &buf[(x, y)];
                s.push_str(c.symbol());
                skip = usize::from(ratatui::buffer::CellWidth::cell_width(c)).saturating_sub(1);
            }
            s
        })
        .collect()
}

/// A `Write` whose bytes the test can take back (the backend owns its writer).
#[derive(Clone, Default)]
pub struct Sink(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Sink {
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
