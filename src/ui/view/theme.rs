//! Styles and symbols. 16 colours by default, 256-colour indices or `#rrggbb` (mapped to the
//! 256-colour cube) from the config's `[colors]`; with `NO_COLOR` only bold/dim/reverse.
//! Box and mark symbols fall back to ASCII with `--ascii`, a non-UTF-8 locale, or ambiguous
//! width 2 (where `│ ─ ★` would take two cells); in wide mode the chrome's separator is `|`
//! (xterm leaves a stale cell after a wide `·`) and the truncation mark stays `…`, drawn in
//! two cells like every ambiguous character.
//!
//! No style is italic: Chinese has no italics and terminals slant CJK synthetically. Every
//! element stays distinct without colour: the title bold, section label (in brackets) and
//! kicker dim on their own lines, bylines dim (and flush right when they close a story).

use std::collections::BTreeMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::config::Problem;
use crate::text::LineStyle;

/// Every styled element, by its config name.
pub const ELEMENTS: &[&str] = &[
    "title",
    "section",
    "kicker",
    "subtitle",
    "byline",
    "caption",
    "credit",
    "continuation",
    "note",
    "image",
    "table",
    "page",
    "read",
    "bookmark",
    "error",
    "header",
    "status",
    "selection",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub color: bool,
    styles: BTreeMap<&'static str, Style>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(true, &BTreeMap::new()).0
    }
}

impl Theme {
    /// Build the theme; returns a problem (at its `[colors]` entry) for each unknown element
    /// and unreadable colour, with or without colour, so `dubao config` reports the same ones.
    pub fn new(color: bool, overrides: &BTreeMap<String, String>) -> (Theme, Vec<Problem>) {
        let b = Style::default().add_modifier(Modifier::BOLD);
        let d = Style::default().add_modifier(Modifier::DIM);
        let mut styles = BTreeMap::new();
        let mut put = |k: &'static str, mono: Style, fg: Option<Color>| {
            let s = match (color, fg) {
                (true, Some(c)) => mono.fg(c),
                _ => mono,
            };
            styles.insert(k, s);
        };
        put("title", b, Some(Color::White));
        put("section", d, Some(Color::Cyan));
        put("kicker", d, None);
        put("subtitle", Style::default(), None);
        put("byline", d, Some(Color::Cyan));
        put("caption", Style::default(), Some(Color::Green));
        put("credit", d, Some(Color::Green));
        put("continuation", d, None);
        put("note", d, None);
        put("image", Style::default(), Some(Color::Magenta));
        put("table", Style::default(), None);
        put("page", d, Some(Color::Yellow));
        put("read", d, Some(Color::Green));
        put("bookmark", b, Some(Color::Yellow));
        put("error", b, Some(Color::Red));
        put("header", b, None);
        put(
            "status",
            Style::default().add_modifier(Modifier::REVERSED),
            None,
        );
        put(
            "selection",
            Style::default().add_modifier(Modifier::REVERSED),
            None,
        );
        let mut warnings = Vec::new();
        for (k, v) in overrides {
            let Some(name) = ELEMENTS.iter().find(|e| **e == k.as_str()) else {
                let what = format!("unknown element `{k}`");
                warnings.push(Problem::at_key(&["colors", k], None, what));
                continue;
            };
            match parse_color(v) {
                Some(c) if color => {
                    let s = styles.get(name).copied().unwrap_or_default();
                    styles.insert(name, s.fg(c));
                }
                Some(_) => {}
                None => {
                    let what = format!("cannot read colour `{v}`");
                    warnings.push(Problem::at_key(&["colors", k], None, what));
                }
            }
        }
        (Theme { color, styles }, warnings)
    }

    pub fn get(&self, element: &str) -> Style {
        self.styles.get(element).copied().unwrap_or_default()
    }

    /// The style of a body line.
    pub fn line(&self, s: LineStyle) -> Style {
        self.get(match s {
            LineStyle::Section => "section",
            LineStyle::Kicker => "kicker",
            LineStyle::Title => "title",
            LineStyle::Subtitle => "subtitle",
            LineStyle::Byline => "byline",
            LineStyle::Caption => "caption",
            LineStyle::Credit => "credit",
            LineStyle::Image => "image",
            LineStyle::Table => "table",
            LineStyle::Continuation => "continuation",
            LineStyle::Note => "note",
            LineStyle::Paragraph | LineStyle::Blank => "",
        })
    }
}

/// A colour name, 256-colour index, or `#rrggbb` (mapped to the nearest cube colour, so no
/// truecolor support is needed).
pub fn parse_color(s: &str) -> Option<Color> {
    match Color::from_str(s).ok()? {
        Color::Rgb(r, g, b) => {
            let q = |v: u8| (u16::from(v) * 5 + 127) / 255;
            let idx = 16 + 36 * q(r) + 6 * q(g) + q(b);
            Some(Color::Indexed(u8::try_from(idx).unwrap_or(231)))
        }
        c => Some(c),
    }
}

/// Symbols for borders and marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbols {
    pub vline: &'static str,
    pub hline: &'static str,
    /// Corners: top-left, top-right, bottom-left, bottom-right.
    pub corners: [&'static str; 4],
    pub read: &'static str,
    pub bookmark: &'static str,
    pub error: &'static str,
    pub current: &'static str,
    pub ellipsis: &'static str,
    /// Between the parts of a header or status line.
    pub sep: &'static str,
}

impl Symbols {
    /// The symbols for a terminal: ASCII with `--ascii` or when ambiguous characters are
    /// wide, except that wide mode keeps `…` (two cells, like the body's) as the truncation
    /// mark: `~` reads as the range mark `～` in Chinese.
    pub fn for_terminal(ascii: bool, amb: crate::text::AmbiguousWidth) -> Symbols {
        let wide = amb == crate::text::AmbiguousWidth::Wide;
        let mut s = Symbols::new(ascii || wide);
        if wide && !ascii {
            s.ellipsis = "…";
        }
        s
    }

    pub fn new(ascii: bool) -> Symbols {
        if ascii {
            Symbols {
                vline: "|",
                hline: "-",
                corners: ["+", "+", "+", "+"],
                read: "v",
                bookmark: "*",
                error: "x",
                current: ">",
                ellipsis: "~",
                sep: " | ",
            }
        } else {
            Symbols {
                vline: "│",
                hline: "─",
                corners: ["┌", "┐", "└", "┘"],
                read: "✓",
                bookmark: "★",
                error: "✗",
                current: "▸",
                ellipsis: "…",
                sep: " · ",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_maps_to_the_256_cube() {
        assert_eq!(parse_color("#ff0000"), Some(Color::Indexed(196)));
        assert_eq!(parse_color("245"), Some(Color::Indexed(245)));
        assert_eq!(parse_color("yellow"), Some(Color::Yellow));
        assert_eq!(parse_color("nope"), None);
    }

    #[test]
    fn the_shipped_config_colour_examples_are_elements() {
        let text = include_str!("../../../assets/config.toml");
        let colors = text.split("[colors]").nth(1).unwrap_or("");
        let mut seen = 0;
        for line in colors.lines() {
            let line = line.trim_start_matches('#').trim();
            if let Some((name, _)) = line.split_once(" = ") {
                assert!(ELEMENTS.contains(&name.trim()), "unknown element {name}");
                seen += 1;
            }
        }
        assert!(seen >= 2);
    }

    #[test]
    fn wide_mode_keeps_the_ellipsis_and_drops_the_middle_dot() {
        use crate::text::AmbiguousWidth::{Narrow, Wide};
        let w = Symbols::for_terminal(false, Wide);
        assert_eq!((w.ellipsis, w.sep, w.vline), ("…", " | ", "|"));
        assert_eq!(Symbols::for_terminal(true, Wide).ellipsis, "~");
        assert_eq!(Symbols::for_terminal(false, Narrow), Symbols::new(false));
    }

    #[test]
    fn nothing_is_italic() {
        for color in [true, false] {
            let (t, _) = Theme::new(color, &BTreeMap::new());
            for e in ELEMENTS {
                assert!(!t.get(e).add_modifier.contains(Modifier::ITALIC), "{e}");
            }
        }
    }

    #[test]
    fn no_color_keeps_only_modifiers() {
        let (t, w) = Theme::new(false, &BTreeMap::from([("title".into(), "red".into())]));
        assert!(w.is_empty());
        assert_eq!(t.get("title").fg, None);
        assert!(t.get("title").add_modifier.contains(Modifier::BOLD));
    }
}
