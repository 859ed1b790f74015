//! Config errors that point at the problem: file, line, column and key.
//!
//! A syntax error carries only a byte span; [`key_at`] recovers the dotted key on its line
//! (`keys.next_article`) from the text, since toml's messages name only the value.

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Syntax errors, values of the wrong kind, unknown keys: every one, one per line, each
    /// `file:line:column: key `k`: what`.
    #[error("{}", lines.join("\n"))]
    Problems { lines: Vec<String> },
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

pub(super) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The dotted key whose value is on `line` (1-based): the nearest `key =` at or above it,
/// prefixed by the table header above that (`[keys]`); or the header itself.
pub(super) fn key_at(text: &str, line: usize) -> Option<String> {
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
