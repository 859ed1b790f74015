//! A session's inputs → the action they mean now: keys through the keymap (the note editor
//! takes raw keys), the mouse's wheel and left button, pastes into the note editor.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::Action;
use super::app::App;
use super::keymap::Key;

/// A key → the action it means now.
pub fn key_action(app: &App, k: &KeyEvent) -> Option<Action> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    if app.editing() {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        return Some(match k.code {
            KeyCode::Char('c') if ctrl => Action::EditCancel,
            KeyCode::Char(c) if !ctrl => Action::EditInsert(c),
            KeyCode::Backspace => Action::EditBackspace,
            KeyCode::Delete => Action::EditDelete,
            KeyCode::Left => Action::EditLeft,
            KeyCode::Right => Action::EditRight,
            KeyCode::Home => Action::EditHome,
            KeyCode::End => Action::EditEnd,
            KeyCode::Enter => Action::EditConfirm,
            KeyCode::Esc => Action::EditCancel,
            _ => return None,
        });
    }
    app.keymap.action(Key::from_event(k))
}

/// A mouse event → the action it means (none when the mouse is off).
pub fn mouse_action(app: &App, m: &MouseEvent) -> Option<Action> {
    if !app.opts.mouse {
        return None;
    }
    match m.kind {
        MouseEventKind::ScrollDown => Some(Action::Wheel {
            x: m.column,
            y: m.row,
            lines: 3,
        }),
        MouseEventKind::ScrollUp => Some(Action::Wheel {
            x: m.column,
            y: m.row,
            lines: -3,
        }),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            x: m.column,
            y: m.row,
        }),
        _ => None,
    }
}

/// Pasted text → what it types: characters into the note editor (line breaks and other
/// controls left out: a note is one line), nothing elsewhere (a paste is not a string of
/// commands).
pub fn paste_actions(app: &App, text: &str) -> Vec<Action> {
    if !app.editing() {
        return Vec::new();
    }
    text.chars()
        .filter(|c| !c.is_control())
        .map(Action::EditInsert)
        .collect()
}
