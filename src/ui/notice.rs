//! Pages that cannot be read, or were read with a warning, from the reader's side: Enter on
//! a ✗ row opens a notice box with the path once and the whole reason, wrapped; arriving on
//! a page that was decoded by a guess (UTF-16 without a byte-order mark, bytes replaced
//! with U+FFFD) says so in the status line once. No I/O: the loader put both in the model.

use crate::model::PageError;

use super::action::{Action, Effect};
use super::app::{App, Overlay};

impl App {
    /// A notice box: any key closes it (a resize, the wheel and clicks do not).
    pub(crate) fn update_notice(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::Wheel { .. } | Action::Click { .. } => {}
            _ => self.overlay = None,
        }
        None
    }

    /// Enter on a page that could not be read: the path once and the whole reason, wrapped
    /// in a box (the status line would cut it).
    pub(crate) fn show_page_error(&mut self, e: usize) {
        let Some(err) = self.current_issue().and_then(|i| i.errors.get(e)) else {
            return;
        };
        let text = format!("{}\n\n{}", err.source, page_error_reason(err));
        self.overlay = Some(Overlay::Notice {
            title: "cannot read this page".to_string(),
            text,
        });
    }

    /// Say once, when the reader arrives on a page, that it was read with a warning (UTF-16
    /// without a byte-order mark, bytes replaced with U+FFFD, …): its text may be off, and
    /// otherwise only `dubao parse --json` would tell. An error already showing goes first;
    /// the warning then waits for the next key.
    pub(crate) fn note_page_warnings(&mut self) {
        let here = self
            .current
            .zip(self.open.and_then(|a| self.articles.get(a)).map(|r| r.page));
        if here == self.page_warned || self.message.as_ref().is_some_and(|m| m.error) {
            return;
        }
        self.page_warned = here;
        let Some(page) = here.and_then(|(i, p)| self.slot_issue(i)?.pages.get(p)) else {
            return;
        };
        if !page.warnings.is_empty() {
            let name = page
                .source
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(&page.source);
            let text = format!("{name}: {}", page.warnings.join("; "));
            self.warn(text);
        }
    }
}

/// Why a page cannot be read, without the path the error message starts with (the path is
/// shown once, beside it).
pub(crate) fn page_error_reason(err: &PageError) -> &str {
    err.message
        .strip_prefix(err.source.as_str())
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(&err.message)
}
