//! Reading a config file so that every problem in it is found, not only the first.
//!
//! serde stops at the first error, so the file is parsed once with spans (toml's `DeTable`,
//! which also recovers from syntax errors), then each top-level entry — and each entry of a
//! table such as `[keys]` — is deserialized on its own. What fails becomes a [`Problem`] at
//! its line and column and is left out; what is left is the config. Checks that need the
//! reader (key specs, colours) come back as problems naming their key, and
//! [`ConfigFile::place`] finds that key in the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Config;
use super::error::{floor_char_boundary, key_at};

/// One thing wrong in the config, at a key (`keys.quit`) and, once placed, a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The key's path (`["keys", "quit"]`); empty for a problem not tied to a key.
    pub key: Vec<String>,
    /// The place in the key's list of values (`quit = ["q", "Hyper-x"]` → 1).
    pub item: Option<usize>,
    pub message: String,
    /// 1-based line and column; 0 until placed.
    pub line: usize,
    pub column: usize,
}

impl Problem {
    /// A problem with a key, placed later by [`ConfigFile::place`].
    pub fn at_key(key: &[&str], item: Option<usize>, message: String) -> Problem {
        Problem {
            key: key.iter().map(|k| (*k).to_string()).collect(),
            item,
            message,
            line: 0,
            column: 0,
        }
    }

    /// `path:line:column: key `keys.quit`: message`, the form compilers use, so editors
    /// and terminals can jump to it.
    pub fn display(&self, path: &Path) -> String {
        let mut out = if path.as_os_str().is_empty() {
            "config".to_string()
        } else {
            path.display().to_string()
        };
        if self.line > 0 {
            out.push_str(&format!(":{}:{}", self.line, self.column));
        }
        out.push_str(": ");
        if !self.key.is_empty() {
            out.push_str(&format!("key `{}`: ", self.key.join(".")));
        }
        out.push_str(&self.message);
        out
    }
}

/// A config file as read: the config made of its good entries, the problems of the rest,
/// and its text (to place problems found later).
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub config: Config,
    /// What the file itself gets wrong: syntax, unknown keys, values of the wrong kind.
    pub problems: Vec<Problem>,
    text: String,
}

impl ConfigFile {
    /// Read config text; `path` only names the file in messages.
    pub fn parse(text: String, path: &Path) -> ConfigFile {
        let (config, problems) = read(&text);
        ConfigFile {
            path: path.to_path_buf(),
            config,
            problems,
            text,
        }
    }

    /// A config that came from elsewhere: its problems found later name their key, not a
    /// file or a line.
    pub fn from_config(config: Config) -> ConfigFile {
        ConfigFile {
            config,
            ..ConfigFile::default()
        }
    }

    /// The default config, as if the file were empty.
    pub fn empty(path: &Path) -> ConfigFile {
        ConfigFile {
            path: path.to_path_buf(),
            ..ConfigFile::default()
        }
    }

    /// The config, or every problem of the file as an error.
    pub fn into_config(self) -> Result<Config, super::ConfigError> {
        if self.problems.is_empty() {
            Ok(self.config)
        } else {
            let lines = self.report(Vec::new());
            Err(super::ConfigError::Problems { lines })
        }
    }

    /// Give each unplaced problem the line and column of its key (or of the nearest table
    /// above it that is in the file).
    pub fn place(&self, problems: &mut [Problem]) {
        let (root, _) = DeTable::parse_recoverable(&self.text);
        for p in problems.iter_mut().filter(|p| p.line == 0) {
            if let Some(span) = find(root.get_ref(), &p.key, p.item) {
                (p.line, p.column) = line_column(&self.text, span.start);
            }
        }
    }

    /// The file's own problems and `more` (placed here), in file order, one line each.
    pub fn report(&self, more: Vec<Problem>) -> Vec<String> {
        let mut all = self.problems.clone();
        let mut more = more;
        self.place(&mut more);
        all.extend(more);
        all.sort_by_key(|p| (p.line == 0, p.line, p.column));
        all.iter()
            .map(|p| crate::text::display_safe(&p.display(&self.path)).into_owned())
            .collect()
    }
}

/// Where `key` (and its `item`) is in the file: the deepest part of the path found.
fn find(table: &DeTable<'_>, key: &[String], item: Option<usize>) -> Option<Range<usize>> {
    let (first, rest) = key.split_first()?;
    let (name, value) = table.get_key_value(first.as_str())?;
    let deeper = match value.get_ref() {
        DeValue::Table(t) if !rest.is_empty() => find(t, rest, item),
        DeValue::Array(a) if rest.is_empty() => item.and_then(|i| a.get(i)).map(Spanned::span),
        DeValue::String(_) if rest.is_empty() && item.is_some() => Some(value.span()),
        _ => None,
    };
    Some(deeper.unwrap_or_else(|| name.span()))
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn problem(text: &str, key: Vec<String>, e: &toml::de::Error) -> Problem {
    let (line, column) = e.span().map_or((0, 0), |s| line_column(text, s.start));
    let key = if key.is_empty() && line > 0 {
        key_at(text, line).map(|k| vec![k]).unwrap_or_default()
    } else {
        key
    };
    Problem {
        key,
        item: None,
        message: e.message().trim().to_string(),
        line,
        column,
    }
}

type Entry<'i> = (Spanned<toml::de::DeString<'i>>, Spanned<DeValue<'i>>);

/// A config holding only `entries`, or why not.
fn config_of(entries: &[Entry<'_>], span: &Range<usize>) -> Result<Config, toml::de::Error> {
    let mut table = DeTable::new();
    for (k, v) in entries {
        table.insert(k.clone(), v.clone());
    }
    let de = toml::de::Deserializer::from(Spanned::new(span.clone(), table));
    Config::deserialize(de)
}

/// The config made of every entry that reads, and a problem for every one that does not.
fn read(text: &str) -> (Config, Vec<Problem>) {
    let (root, syntax) = DeTable::parse_recoverable(text);
    let mut problems: Vec<Problem> = Vec::new();
    for p in syntax.iter().map(|e| problem(text, Vec::new(), e)) {
        // After a syntax error the parser recovers and often stumbles again on the same
        // line: its first complaint is the one that helps.
        if p.line == 0 || !problems.iter().any(|q| q.line == p.line) {
            problems.push(p);
        }
    }
    let span = root.span();
    let mut good: Vec<Entry<'_>> = Vec::new();
    for (k, v) in root.get_ref() {
        let name = k.get_ref().to_string();
        let Err(whole) = config_of(&[(k.clone(), v.clone())], &span) else {
            good.push((k.clone(), v.clone()));
            continue;
        };
        // A table that does not read as a whole: if it is one the config has (it reads
        // empty), each of its entries is tried alone, so every bad one is found.
        let empty = Spanned::new(v.span(), DeValue::Table(DeTable::new()));
        let t = match v.get_ref() {
            DeValue::Table(t) if config_of(&[(k.clone(), empty)], &span).is_ok() => t,
            _ => {
                problems.push(problem(text, vec![name], &whole));
                continue;
            }
        };
        let mut kept = DeTable::new();
        for (sk, sv) in t {
            let mut one = DeTable::new();
            one.insert(sk.clone(), sv.clone());
            let one = Spanned::new(v.span(), DeValue::Table(one));
            match config_of(&[(k.clone(), one)], &span) {
                Ok(_) => {
                    kept.insert(sk.clone(), sv.clone());
                }
                Err(e) => {
                    let key = vec![name.clone(), sk.get_ref().to_string()];
                    problems.push(problem(text, key, &e));
                }
            }
        }
        good.push((k.clone(), Spanned::new(v.span(), DeValue::Table(kept))));
    }
    let config = match config_of(&good, &span) {
        Ok(c) => c,
        // Each entry read alone; together they cannot fail, but never lose a config quietly.
        Err(e) => {
            problems.push(problem(text, Vec::new(), &e));
            Config::default()
        }
    };
    problems.sort_by_key(|p| (p.line, p.column));
    (config.settled(), problems)
}
