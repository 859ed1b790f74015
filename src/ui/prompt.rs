//! The archive's two small overlays: the date prompt (`:`; Enter goes to the nearest issue
//! on or before what was typed, a bad date leaves the prompt open with the reason, Esc
//! cancels) and the list of the current issue's pages (版面) with their section labels and
//! article counts (Enter opens the page's first article).

use crate::model::FurnitureKind;

use super::action::{Action, Effect};
use super::app::{App, LineEdit, Overlay, Pane, move_list_cursor};

impl LineEdit {
    /// Apply an editing action; false for anything else (confirm and cancel included).
    pub fn apply(&mut self, action: Action) -> bool {
        let at = |s: &str, n: usize| s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
        let len = self.text.chars().count();
        match action {
            Action::EditInsert(c) if !c.is_control() => {
                self.text.insert(at(&self.text, self.cursor), c);
                self.cursor += 1;
            }
            Action::EditBackspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.text.remove(at(&self.text, self.cursor));
            }
            Action::EditDelete if self.cursor < len => {
                self.text.remove(at(&self.text, self.cursor));
            }
            Action::EditLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::EditRight => self.cursor = (self.cursor + 1).min(len),
            Action::EditHome => self.cursor = 0,
            Action::EditEnd => self.cursor = len,
            Action::EditInsert(_) | Action::EditBackspace | Action::EditDelete => {}
            _ => return false,
        }
        true
    }
}

/// A row of the page list: page index, its number, section label, article count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    pub page: usize,
    pub number: u32,
    pub label: String,
    pub articles: usize,
}

impl App {
    pub(crate) fn update_date_prompt(&mut self, action: Action) -> Option<Effect> {
        let Some(Overlay::GotoDate(edit)) = &mut self.overlay else {
            return None;
        };
        if edit.apply(action) {
            return None;
        }
        match action {
            Action::EditConfirm => {
                let text = edit.text.trim().to_string();
                if text.is_empty() {
                    self.overlay = None;
                    return None;
                }
                let effect = self.goto_date(&text);
                // A refusal keeps the prompt open with the reason shown, to be mended.
                if !self.message.as_ref().is_some_and(|m| m.error) {
                    self.overlay = None;
                }
                effect
            }
            Action::EditCancel => {
                self.overlay = None;
                None
            }
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                None
            }
            Action::Quit => Some(Effect::Quit),
            _ => None,
        }
    }

    /// The current issue's pages as the page list shows them.
    pub fn page_rows(&self) -> Vec<PageRow> {
        let Some(issue) = self.current_issue() else {
            return Vec::new();
        };
        issue
            .pages
            .iter()
            .enumerate()
            .map(|(p, page)| {
                let furniture = |kind| {
                    page.furniture
                        .iter()
                        .find(|f| f.kind == kind)
                        .map(|f| f.text.clone())
                };
                let label = furniture(FurnitureKind::Label)
                    .or_else(|| page.articles.iter().find_map(|a| a.section.clone()))
                    .or_else(|| furniture(FurnitureKind::Header))
                    .unwrap_or_default();
                PageRow {
                    page: p,
                    number: self.page_number(p),
                    label,
                    articles: page.articles.len(),
                }
            })
            .collect()
    }

    pub(crate) fn show_pages(&mut self) {
        if self.current_issue().is_none() {
            self.say("no issue open");
            return;
        }
        let here = self.open.and_then(|a| self.articles.get(a)).map(|r| r.page);
        self.overlay = Some(Overlay::Pages {
            sel: here.unwrap_or(0),
        });
    }

    pub(crate) fn update_pages(&mut self, action: Action) -> Option<Effect> {
        let len = self.current_issue().map_or(0, |i| i.pages.len());
        let Some(Overlay::Pages { sel }) = &mut self.overlay else {
            return None;
        };
        if move_list_cursor(sel, len, action) {
            return None;
        }
        match action {
            Action::Open => {
                let p = *sel;
                self.overlay = None;
                self.open_page(p);
            }
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
            }
            Action::Wheel { .. } | Action::Click { .. } => {}
            _ => self.overlay = None,
        }
        None
    }

    /// Open the first article of page `p` of the current issue.
    fn open_page(&mut self, p: usize) {
        let number = self.page_number(p);
        match self.articles.iter().position(|r| r.page == p) {
            Some(a) => {
                self.open_at(a, None);
                self.set_focus(Pane::Body);
                self.say(format!("第{number}版"));
            }
            None => self.say(format!("第{number}版 has no articles")),
        }
    }
}
