//! Bytes from a terminal → the inputs a session takes: keys, mouse events, pastes, and the
//! terminal's replies to the reader's queries (cursor position, mode reports, device
//! attributes).
//!
//! Why not crossterm's reader: it reads the process's own tty (an SSH channel has none),
//! and it keeps cursor-position replies to itself (only `cursor::position`, which blocks and
//! writes its own query to stdout, can take them), so frames cannot be paced by them; a
//! DECRQM reply would be taken for the start of a longer sequence. This parser is fed
//! whatever bytes a transport reads, in chunks of any size, and never turns a reply into a
//! key. Keys come out as crossterm's `KeyEvent`s, as the keymap expects, with crossterm's
//! conventions (0x7f is Backspace, 0x01–0x1a are Ctrl + a letter).
//!
//! A lone ESC at the end of a chunk is the Esc key (a terminal writes a whole sequence in
//! one go); an unfinished sequence waits for the next chunk. `CSI 1;m R` is both a cursor
//! position and, on some terminals, a modified F3: it is read as a reply, and the session
//! drops replies it did not ask for.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// A terminal's answer to a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// `CSI row ; col R`, 1-based as sent.
    Cursor { row: u16, col: u16 },
    /// `CSI ? mode ; value $ y` (DECRPM): 1 or 2 = the mode is known (set, reset).
    Mode { mode: u16, value: u16 },
    /// `CSI ? … c` (primary device attributes): every terminal answers it, last.
    DeviceAttributes,
}

/// One thing read from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermInput {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Reply(Reply),
}

const ESC: u8 = 0x1b;
const PASTE_END: &[u8] = b"\x1b[201~";

/// The most of one paste kept (the rest is dropped): a paste that never ends, over an SSH
/// channel anyone can write to, must not grow memory without bound.
const MAX_PASTE: usize = 64 * 1024;

/// A control sequence longer than this is no terminal's: it is dropped, not waited for.
const MAX_CSI: usize = 64;

/// The parser: keeps an unfinished sequence (or paste) between chunks.
#[derive(Debug, Default)]
pub struct InputParser {
    pending: Vec<u8>,
    /// Inside a bracketed paste: the text so far.
    paste: Option<Vec<u8>>,
}

/// What one attempt at the front of the buffer found.
enum Step {
    /// An input and the bytes it took.
    Got(Option<TermInput>, usize),
    /// The sequence is not finished: wait for more bytes.
    More,
}

impl InputParser {
    /// Parse a chunk as read from the terminal; inputs are appended to `out` in order.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<TermInput>) {
        self.pending.extend_from_slice(bytes);
        let mut at = 0;
        while at < self.pending.len() {
            if let Some(text) = &mut self.paste {
                let rest = &self.pending[at..];
                match find(rest, PASTE_END) {
                    Some(end) => {
                        text.extend_from_slice(&rest[..end]);
                        let text = String::from_utf8_lossy(text).into_owned();
                        out.push(TermInput::Paste(text));
                        self.paste = None;
                        at += end + PASTE_END.len();
                    }
                    None => {
                        // Keep a possible start of the end marker for the next chunk.
                        let keep = partial_suffix(rest, PASTE_END);
                        let room = MAX_PASTE.saturating_sub(text.len());
                        text.extend_from_slice(&rest[..(rest.len() - keep).min(room)]);
                        at = self.pending.len() - keep;
                        break;
                    }
                }
                continue;
            }
            let rest = &self.pending[at..];
            match parse_one(rest) {
                Step::Got(input, n) => {
                    if rest.starts_with(b"\x1b[200~") {
                        self.paste = Some(Vec::new());
                    } else if let Some(i) = input {
                        out.push(i);
                    }
                    at += n;
                }
                Step::More if rest == [ESC] => {
                    out.push(key(KeyCode::Esc, KeyModifiers::NONE));
                    at += 1;
                }
                Step::More => break,
            }
        }
        self.pending.drain(..at);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end of `hay` could start `marker`.
fn partial_suffix(hay: &[u8], marker: &[u8]) -> usize {
    (1..marker.len())
        .rev()
        .find(|&n| hay.len() >= n && hay[hay.len() - n..] == marker[..n])
        .unwrap_or(0)
}

fn key(code: KeyCode, mods: KeyModifiers) -> TermInput {
    TermInput::Key(KeyEvent::new(code, mods))
}

fn parse_one(b: &[u8]) -> Step {
    match b[0] {
        ESC => parse_escape(b),
        _ => parse_plain(b),
    }
}

/// A byte that does not start an escape: a control key or a UTF-8 character.
fn parse_plain(b: &[u8]) -> Step {
    let none = KeyModifiers::NONE;
    let ctrl = KeyModifiers::CONTROL;
    let input = match b[0] {
        b'\r' => key(KeyCode::Enter, none),
        b'\t' => key(KeyCode::Tab, none),
        0x7f => key(KeyCode::Backspace, none),
        0 => key(KeyCode::Char(' '), ctrl),
        c @ 0x01..=0x1a => key(KeyCode::Char(char::from(c - 1 + b'a')), ctrl),
        c @ 0x1c..=0x1f => key(KeyCode::Char(char::from(c - 0x1c + b'4')), ctrl),
        _ => return parse_char(b),
    };
    Step::Got(Some(input), 1)
}

fn parse_char(b: &[u8]) -> Step {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        // A stray continuation or invalid byte: skipped.
        _ => return Step::Got(None, 1),
    };
    if b.len() < len {
        return Step::More;
    }
    match std::str::from_utf8(&b[..len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) => {
            let mods = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            Step::Got(Some(key(KeyCode::Char(c), mods)), len)
        }
        None => Step::Got(None, 1),
    }
}

fn parse_escape(b: &[u8]) -> Step {
    let Some(&next) = b.get(1) else {
        return Step::More;
    };
    match next {
        b'[' => parse_csi(b),
        b'O' => match b.get(2) {
            None => Step::More,
            Some(&f) => Step::Got(ss3_key(f, KeyModifiers::NONE), 3),
        },
        // OSC and DCS (answers to queries the reader did not make): skipped to their end.
        b']' | b'P' | b'_' | b'^' => skip_string(b),
        ESC => Step::Got(Some(key(KeyCode::Esc, KeyModifiers::NONE)), 1),
        _ => match parse_plain(&b[1..]) {
            Step::Got(Some(TermInput::Key(mut k)), n) => {
                k.modifiers |= KeyModifiers::ALT;
                Step::Got(Some(TermInput::Key(k)), n + 1)
            }
            Step::Got(other, n) => Step::Got(other, n + 1),
            Step::More => Step::More,
        },
    }
}

/// A string sequence ends with BEL or ESC `\`.
fn skip_string(b: &[u8]) -> Step {
    for i in 2..b.len() {
        if b[i] == 0x07 {
            return Step::Got(None, i + 1);
        }
        if b[i] == ESC && b.get(i + 1) == Some(&b'\\') {
            return Step::Got(None, i + 2);
        }
    }
    Step::More
}

/// `ESC O x` keys, also the final byte of `CSI 1;m x`.
fn ss3_key(f: u8, mods: KeyModifiers) -> Option<TermInput> {
    let code = match f {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        _ => return None,
    };
    Some(key(code, mods))
}

/// `CSI [private] params [intermediates] final`.
fn parse_csi(b: &[u8]) -> Step {
    let mut i = 2;
    while i < b.len() && (0x20..=0x3f).contains(&b[i]) {
        i += 1;
    }
    let Some(&fin) = b.get(i) else {
        if i > MAX_CSI {
            return Step::Got(None, i);
        }
        return Step::More;
    };
    let n = i + 1;
    if !(0x40..=0x7e).contains(&fin) {
        // Not a CSI sequence after all: drop the introducer.
        return Step::Got(None, 2);
    }
    let body = &b[2..i];
    let (private, body) = match body.first() {
        Some(&p @ (b'?' | b'<' | b'>' | b'=')) => (Some(p), &body[1..]),
        _ => (None, body),
    };
    let (params, inter) = split_intermediates(body);
    let nums: Vec<u16> = params
        .split(|&c| c == b';')
        .map(|p| {
            let digits = p.split(|&c| c == b':').next().unwrap_or(&[]);
            std::str::from_utf8(digits)
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        })
        .collect();
    let input = match (private, inter, fin) {
        (Some(b'?'), b"$", b'y') => Some(TermInput::Reply(Reply::Mode {
            mode: nums[0],
            value: nums.get(1).copied().unwrap_or(0),
        })),
        (Some(b'?'), _, b'c') => Some(TermInput::Reply(Reply::DeviceAttributes)),
        (Some(b'<'), _, b'M' | b'm') => sgr_mouse(&nums, fin == b'M'),
        (None, b"", b'R') if nums.len() == 2 => Some(TermInput::Reply(Reply::Cursor {
            row: nums[0],
            col: nums[1],
        })),
        (None, b"", b'~') => tilde_key(&nums),
        (None, b"", b'Z') => Some(key(KeyCode::BackTab, KeyModifiers::SHIFT)),
        (None, b"", f) => ss3_key(f, modifiers(nums.get(1).copied())),
        _ => None,
    };
    Step::Got(input, n)
}

fn split_intermediates(body: &[u8]) -> (&[u8], &[u8]) {
    let at = body
        .iter()
        .position(|c| (0x20..=0x2f).contains(c))
        .unwrap_or(body.len());
    body.split_at(at)
}

/// xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4).
fn modifiers(p: Option<u16>) -> KeyModifiers {
    let bits = p.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

fn tilde_key(nums: &[u16]) -> Option<TermInput> {
    let code = match nums[0] {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        n @ 11..=15 => KeyCode::F((n - 10) as u8),
        n @ 17..=21 => KeyCode::F((n - 11) as u8),
        n @ 23..=24 => KeyCode::F((n - 12) as u8),
        _ => return None,
    };
    Some(key(code, modifiers(nums.get(1).copied())))
}

/// SGR mouse (mode 1006): `CSI < button ; column ; row M` (press) or `m` (release).
fn sgr_mouse(nums: &[u16], press: bool) -> Option<TermInput> {
    let [b, x, y] = nums else {
        return None;
    };
    let (column, row) = (x.saturating_sub(1), y.saturating_sub(1));
    let button = match b & 0b11 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = if b & 64 != 0 {
        match b & 0b11 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if b & 32 != 0 {
        MouseEventKind::Drag(button)
    } else if press {
        MouseEventKind::Down(button)
    } else {
        MouseEventKind::Up(button)
    };
    // Shift, meta, control in bits 2–4: xterm's key modifier bits, two places up.
    let modifiers = modifiers(Some(1 + ((b >> 2) & 7)));
    Some(TermInput::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers,
    }))
}

#[cfg(test)]
mod tests;
