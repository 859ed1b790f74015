//! N key presses at 200×60 through the reader's own backend, for instruction counts:
//! `render_keys KIND MEASURE N` with KIND `line` (down/up), `page` (down/up), `lines` (down
//! only) or `next` (next article), the bench's issue (12 articles of 12 CJK paragraphs).
//! Run it under `valgrind --tool=callgrind` with N = 40 and N = 0 and divide the difference
//! by 40 for the instructions per key (doc/ui.md, "Figures").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly
#[path = "../benches/support/render_fixture.rs"]
mod render_fixture;

use dubao::ui::Action;
use dubao::ui::backend::TermBackend;
use ratatui::{Terminal, TerminalOptions, Viewport};

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
    let mut app = render_fixture::reader(&dir, 12, measure);
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
