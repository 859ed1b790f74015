//! Keys → actions: one table of `{key, action}` rows, built from the defaults in
//! [`ACTIONS`] and the user's `[keys]` config (which overrides by action name). The help
//! overlay, the status-line hints and the key names in messages are rendered from this same
//! table, so they can never disagree with what the keys do.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{ACTIONS, Action, ActionSpec, REQUIRED};
use crate::config::Problem;

/// A key with its modifiers, normalised (a shifted letter is its capital, Shift-Tab is BackTab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }
    pub fn from_event(e: &KeyEvent) -> Key {
        Key::new(e.code, e.modifiers)
    }

    /// Parse a key spec: `j`, `G`, `?`, `C-d`, `A-x`, `S-Tab`, `Space`, `Enter`, `PageDown`, `F1`.
    pub fn parse(spec: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = spec;
        loop {
            let lower = rest.get(..2).map(str::to_ascii_lowercase);
            match lower.as_deref() {
                Some("c-") if rest.len() > 2 => mods |= KeyModifiers::CONTROL,
                Some("a-") | Some("m-") if rest.len() > 2 => mods |= KeyModifiers::ALT,
                Some("s-") if rest.len() > 2 => mods |= KeyModifiers::SHIFT,
                _ => break,
            }
            rest = &rest[2..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "esc" | "escape" => KeyCode::Esc,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
                _ => return None,
            },
        };
        Some(Key::new(code, mods))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("A-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub key: Key,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub struct Keymap {
    rows: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&BTreeMap::new()).0
    }
}

/// The default keys of an action, read.
fn default_keys(spec: &ActionSpec, warnings: &mut Vec<Problem>) -> Vec<Key> {
    spec.keys
        .iter()
        .filter_map(|k| {
            let key = Key::parse(k);
            if key.is_none() {
                // Never shipped (a test reads every default), but never skipped silently.
                warnings.push(Problem::at_key(
                    &[],
                    None,
                    format!("default keys.{}: cannot read key `{k}`", spec.name),
                ));
            }
            key
        })
        .collect()
}

impl Keymap {
    /// Build the table: the user's bindings (action name → key specs) replace the defaults of
    /// that action and take their keys away from other actions. An action that must keep a
    /// key (quit, help) and is left without one gets its default keys back. Returns a problem
    /// (at its `[keys]` entry) for each unknown action name, unreadable key spec, key bound
    /// twice, and such fallback; `dubao config` reports the same ones.
    pub fn new(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<Problem>) {
        let mut warnings = Vec::new();
        let mut rows: Vec<Binding> = Vec::new();
        let mut overridden = Vec::new();
        // Quit and help bind first, so a key given to them and to another action stays
        // theirs; the rest in name order, so the first of two bindings of a key wins.
        let mut ordered: Vec<(Option<Action>, &String, &Vec<String>)> = overrides
            .iter()
            .map(|(name, specs)| (Action::from_name(name), name, specs))
            .collect();
        ordered.sort_by_key(|(a, _, _)| !a.is_some_and(|a| REQUIRED.contains(&a)));
        for (action, name, specs) in ordered {
            let Some(action) = action else {
                let what = format!("unknown action `{name}`");
                warnings.push(Problem::at_key(&["keys", name], None, what));
                continue;
            };
            overridden.push(action);
            for (i, spec) in specs.iter().enumerate() {
                let at = |what| Problem::at_key(&["keys", name], Some(i), what);
                let Some(key) = Key::parse(spec) else {
                    warnings.push(at(format!("cannot read key `{spec}`")));
                    continue;
                };
                // The first binding wins (the table is searched in order): say so.
                match rows.iter().find(|b| b.key == key) {
                    Some(b) => warnings.push(at(format!(
                        "`{key}` is already bound to `{}`; this binding is ignored",
                        b.action.name().unwrap_or("?")
                    ))),
                    None => rows.push(Binding { key, action }),
                }
            }
        }
        for spec in ACTIONS {
            if overridden.contains(&spec.action) {
                continue;
            }
            for key in default_keys(spec, &mut warnings) {
                if !rows.iter().any(|b| b.key == key) {
                    rows.push(Binding {
                        key,
                        action: spec.action,
                    });
                }
            }
        }
        let mut map = Keymap { rows };
        for &action in REQUIRED {
            if !map.keys_for(action).is_empty() {
                continue;
            }
            let Some(spec) = action.spec() else {
                continue;
            };
            let keys = default_keys(spec, &mut warnings);
            map.rows.retain(|b| !keys.contains(&b.key));
            map.rows
                .extend(keys.iter().map(|&key| Binding { key, action }));
            let shown: Vec<String> = keys.iter().map(Key::to_string).collect();
            let what = format!("`{}` must keep a key; using {}", spec.name, shown.join(" "));
            warnings.push(Problem::at_key(&["keys", spec.name], None, what));
        }
        (map, warnings)
    }

    /// The action bound to `key`, if any.
    pub fn action(&self, key: Key) -> Option<Action> {
        self.rows.iter().find(|b| b.key == key).map(|b| b.action)
    }

    /// The keys bound to `action`, in table order.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.rows
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.key)
            .collect()
    }

    /// The first key of `action`, as text (for hints and messages), or `None` when it is
    /// unbound.
    pub fn hint(&self, action: Action) -> Option<String> {
        self.keys_for(action).first().map(Key::to_string)
    }

    /// Help rows in action order: (keys, description); unbound actions are left out.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        ACTIONS
            .iter()
            .filter_map(|spec| {
                let keys = self.keys_for(spec.action);
                if keys.is_empty() {
                    return None;
                }
                let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
                Some((keys.join(" "), spec.help))
            })
            .collect()
    }

    /// The status line's hints in their order: (first key, label); unbound actions are left
    /// out.
    pub fn status_hints(&self) -> Vec<(String, &'static str)> {
        let mut hinted: Vec<(u8, &'static str, Action)> = ACTIONS
            .iter()
            .filter_map(|s| s.hint.map(|(place, label)| (place, label, s.action)))
            .collect();
        hinted.sort_by_key(|h| h.0);
        hinted
            .into_iter()
            .filter_map(|(_, label, action)| Some((self.hint(action)?, label)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        let k = Key::parse("C-d").unwrap();
        assert_eq!(k.code, KeyCode::Char('d'));
        assert_eq!(k.mods, KeyModifiers::CONTROL);
        assert_eq!(Key::parse("S-Tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(Key::parse("Space").unwrap().code, KeyCode::Char(' '));
        assert_eq!(
            Key::parse("G").unwrap(),
            Key::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
        );
        assert!(Key::parse("Hyper-x").is_none());
    }

    #[test]
    fn overrides_replace_by_action_name() {
        let mut o = BTreeMap::new();
        o.insert("next_article".to_string(), vec!["N".to_string()]);
        o.insert("line_down".to_string(), vec!["n".to_string()]);
        o.insert("fly".to_string(), vec!["x".to_string()]);
        let (km, warnings) = Keymap::new(&o);
        assert_eq!(warnings.len(), 1);
        let n = Key::parse("n").unwrap();
        assert_eq!(km.action(n), Some(Action::LineDown));
        assert_eq!(
            km.action(Key::parse("N").unwrap()),
            Some(Action::NextArticle)
        );
        assert_eq!(km.action(Key::parse("j").unwrap()), None);
        assert!(
            km.help_rows()
                .iter()
                .any(|(k, d)| k == "N" && *d == "next article")
        );
    }

    fn keys(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(n, k)| {
                (
                    n.to_string(),
                    k.iter().map(std::string::ToString::to_string).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn quit_and_help_always_keep_a_key() {
        let (km, warnings) = Keymap::new(&keys(&[("quit", &[])]));
        assert_eq!(km.action(Key::parse("q").unwrap()), Some(Action::Quit));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].key, ["keys", "quit"]);
        assert!(
            warnings[0].message.contains("`quit` must keep a key"),
            "{warnings:?}"
        );
        // Taking quit's keys for another action gives them back to quit.
        let taken = keys(&[("line_down", &["q", "C-c"])]);
        let (km, warnings) = Keymap::new(&taken);
        assert_eq!(km.action(Key::parse("C-c").unwrap()), Some(Action::Quit));
        assert!(km.keys_for(Action::LineDown).is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (km, warnings) = Keymap::new(&keys(&[("help", &["x"]), ("quit", &["C-q"])]));
        assert_eq!(km.hint(Action::Quit).as_deref(), Some("C-q"));
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_key_bound_twice_keeps_its_first_action_and_says_so() {
        let (km, warnings) = Keymap::new(&keys(&[
            ("line_down", &["x"]),
            ("next_article", &["y", "x"]),
        ]));
        assert_eq!(km.action(Key::parse("x").unwrap()), Some(Action::LineDown));
        assert_eq!(km.keys_for(Action::NextArticle), [Key::parse("y").unwrap()]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].key, ["keys", "next_article"]);
        assert_eq!(warnings[0].item, Some(1));
        assert_eq!(
            warnings[0].message,
            "`x` is already bound to `line_down`; this binding is ignored"
        );
    }

    #[test]
    fn hints_follow_the_live_keymap() {
        let (km, _) = Keymap::new(&keys(&[("next_article", &["N"])]));
        let hints = km.status_hints();
        assert_eq!(
            hints,
            vec![
                ("?".to_string(), "help"),
                ("N".to_string(), "next"),
                ("B".to_string(), "marks"),
                ("q".to_string(), "quit"),
            ]
        );
    }

    #[test]
    fn the_shipped_config_examples_are_actions() {
        // assets/config.toml's commented [keys] examples must name real actions.
        let text = include_str!("../../assets/config.toml");
        let keys = text.split("[keys]").nth(1).unwrap_or("");
        let keys = keys.split("\n[").next().unwrap_or("");
        let mut seen = 0;
        for line in keys.lines() {
            let line = line.trim_start_matches('#').trim();
            if let Some((name, _)) = line.split_once(" = ") {
                assert!(
                    Action::from_name(name.trim()).is_some(),
                    "unknown action {name}"
                );
                seen += 1;
            }
        }
        assert!(seen >= 3, "found the examples");
    }
}
