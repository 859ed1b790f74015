//! Config errors that point at the problem: file, line, column and key.
//!
//! toml reports a byte span; this turns it into `line:column` and recovers the dotted key on
//! that line (`keys.next_article`) from the text, since serde's messages name only the value.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// A syntax error, a value of the wrong kind, or an unknown key, located in the file.
    #[error("{path}:{line}:{column}: {}{message}", key_prefix(key.as_deref()))]
    At {
        path: String,
        line: usize,
        column: usize,
        key: Option<String>,
        message: String,
    },
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

impl ConfigError {
    pub(super) fn from_toml(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
        let path = path.display().to_string();
        let message = e.message().trim().to_string();
        let Some(span) = e.span() else {
            return ConfigError::Invalid { path, message };
        };
        let start = span.start.min(text.len());
        let before = &text[..floor_char_boundary(text, start)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ConfigError::At {
            path,
            line,
            column,
            key: key_at(text, line),
            message,
        }
    }
}

fn key_prefix(key: Option<&str>) -> String {
    key.map(|k| format!("key `{k}`: ")).unwrap_or_default()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The dotted key whose value is on `line` (1-based): the nearest `key =` at or above it,
/// prefixed by the table header above that (`[keys]`); or the header itself.
fn key_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    let mut key = None;
    for l in lines.iter().rev() {
        let l = strip_comment(l).trim();
        if let Some(header) = table_header(l) {
            return Some(match key {
                Some(k) => format!("{header}.{k}"),
                None => header,
            });
        }
        if key.is_none()
            && let Some((k, _)) = l.split_once('=')
        {
            let k = k.trim().trim_matches(['"', '\'']);
            if !k.is_empty() {
                key = Some(k.to_string());
            }
        }
    }
    key
}

fn table_header(l: &str) -> Option<String> {
    let inner = l.strip_prefix('[')?.strip_suffix(']')?;
    let inner = inner.trim_start_matches('[').trim_end_matches(']').trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// Drop a `#` comment that is not inside a string (good enough for locating keys).
fn strip_comment(l: &str) -> &str {
    let mut quote = None;
    for (i, c) in l.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('#', None) => return &l[..i],
            _ => {}
        }
    }
    l
}
