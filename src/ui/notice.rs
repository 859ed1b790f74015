//! Pages that cannot be read, or were read with a warning, from the reader's side: Enter on
//! a ✗ row opens a notice box with the path once and the whole reason, wrapped; arriving on
//! a page that was decoded by a guess (UTF-16 without a byte-order mark, bytes replaced
//! with U+FFFD) says so in the status line once. No I/O: the loader put both in the model.
//!
//! Warnings from outside (the config, the library scan, the saver) are kept whole: the
//! status line shows them when they fit, else counts them (`3 warnings — ! to read`), and
//! `!` shows them all in the same notice box, scrolled when it does not fit.

use crate::model::PageError;

use super::action::{Action, Effect};
use super::app::{App, Overlay};

/// The most warnings kept for the messages box (a saver failing every few seconds must not
/// grow it without end).
const KEEP_WARNINGS: usize = 200;

impl App {
    /// A notice box: the scroll keys move it when it does not fit, any other key closes it
    /// (a resize, the wheel and clicks do not).
    pub(crate) fn update_notice(&mut self, action: Action) -> Option<Effect> {
        let Some(Overlay::Notice { text, top, .. }) = &self.overlay else {
            return None;
        };
        let (total, shown) = super::view::notice::extent(self, text);
        let max_top = total.saturating_sub(shown);
        let page = shown.saturating_sub(1).max(1) as isize;
        let by = match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                0
            }
            Action::Click { .. } => 0,
            Action::Wheel { lines, .. } => isize::from(lines),
            _ if max_top == 0 => {
                self.overlay = None;
                return None;
            }
            Action::LineDown => 1,
            Action::LineUp => -1,
            Action::PageDown | Action::ReadOn | Action::HalfPageDown => page,
            Action::PageUp | Action::HalfPageUp => -page,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => {
                self.overlay = None;
                return None;
            }
        };
        let new_top = (*top as isize)
            .saturating_add(by)
            .clamp(0, max_top as isize) as usize;
        if let Some(Overlay::Notice { top, .. }) = &mut self.overlay {
            *top = new_top;
        }
        None
    }

    /// Keep `new` warnings for the messages box and tell them in the status line: whole when
    /// they fit on it, else the count of all kept and the key that shows them whole. A
    /// warning already showing is kept and told with them.
    pub(crate) fn tell_warnings(&mut self, mut new: Vec<String>) {
        if new.is_empty() {
            return;
        }
        let counted = self.count_line();
        if let Some(m) = self.message.take().filter(|m| m.error && m.text != counted) {
            new.insert(0, m.text);
        }
        for w in &new {
            if !self.warnings.contains(w) {
                self.warnings.push(w.clone());
            }
        }
        let over = self.warnings.len().saturating_sub(KEEP_WARNINGS);
        self.warnings.drain(..over);
        let joined = new.join("; ");
        let room = usize::from(self.width.saturating_sub(1));
        if crate::text::width(&crate::text::display_safe(&joined), self.opts.amb) <= room {
            self.warn(joined);
        } else {
            let line = self.count_line();
            self.warn(line);
        }
    }

    /// `3 warnings — ! to read`: the count of the kept warnings and the key that shows them.
    fn count_line(&self) -> String {
        let n = self.warnings.len();
        let count = format!("{n} warning{}", if n == 1 { "" } else { "s" });
        match self.keymap.hint(Action::ShowMessages) {
            Some(key) => format!("{count} — {key} to read"),
            None => count,
        }
    }

    /// `!`: every warning told so far, whole and wrapped, in a box that scrolls.
    pub(crate) fn show_messages(&mut self) {
        if self.warnings.is_empty() {
            self.say("no warnings");
            return;
        }
        let n = self.warnings.len();
        self.overlay = Some(Overlay::Notice {
            title: format!("{n} warning{}", if n == 1 { "" } else { "s" }),
            text: self.warnings.join("\n\n"),
            top: 0,
        });
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
            top: 0,
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
