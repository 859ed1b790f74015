//! The user's config file: TOML in the `directories` config dir
//! (`$XDG_CONFIG_HOME/dubao/config.toml`).
//!
//! A missing file is the default config. A file that does not parse, has a value of the wrong
//! kind, or a key dubao does not know is an error naming the file, the line and column and the
//! key of every such problem (see `check`), so a typo is never silently ignored. [`DEFAULT_TOML`] is the commented
//! default printed by `dubao config --default`; it parses to `Config::default()`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

use crate::parse::{DEFAULT_MAX_PAGE_BYTES, ParseOptions};
use crate::text::AmbiguousWidth;

mod check;
mod error;
pub mod serve;

pub use check::{ConfigFile, Problem};
pub use error::ConfigError;

/// The commented default config, as `dubao config --default` prints it.
pub const DEFAULT_TOML: &str = include_str!("../../assets/config.toml");

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Library folders opened when `dubao` runs with no paths.
    pub library: Vec<PathBuf>,
    /// Key map overrides: action name → key specs (`"j"`, `"C-d"`, `"PageDown"`). A single
    /// string is accepted for one key.
    #[serde(deserialize_with = "keys_map")]
    pub keys: BTreeMap<String, Vec<String>>,
    /// Colour overrides: element name → colour (`"yellow"`, `"245"`, `"#ffaa00"` for 256-colour terminals).
    pub colors: BTreeMap<String, String>,
    /// `1`/`2` fixed, absent → detect (TUI) or 1.
    #[serde(deserialize_with = "ambiguous_width")]
    pub ambiguous_width: Option<u8>,
    /// Print-style paragraphs (first-line indent, no blank line between paragraphs); set
    /// from `paragraphs` when that key is given.
    pub indent: bool,
    /// `"print"` or `"screen"`: overrides `indent` when present.
    pub paragraphs: Option<Paragraphs>,
    pub hang: Option<bool>,
    pub section_labels: Vec<String>,
    pub mouse: Option<bool>,
    pub ascii: Option<bool>,
    /// Widest text column of the article body, in cells; `0` = the whole pane, absent → the
    /// reader's default (72).
    #[serde(deserialize_with = "measure")]
    pub measure: Option<u16>,
    /// Largest page file read, in MB; absent → 16. A page is a few KB: the limit only stops
    /// a device or a runaway file named like a page.
    #[serde(deserialize_with = "max_page_mb")]
    pub max_page_mb: Option<u32>,
    /// `dubao serve`: listen address, keys, limits (`serve.rs`).
    pub serve: serve::ServeConfig,
}

impl Config {
    pub fn amb(&self) -> Option<AmbiguousWidth> {
        match self.ambiguous_width {
            Some(2) => Some(AmbiguousWidth::Wide),
            Some(_) => Some(AmbiguousWidth::Narrow),
            None => None,
        }
    }

    /// The library folders with a leading `~` replaced by the home folder.
    pub fn library_paths(&self) -> Vec<PathBuf> {
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        self.library
            .iter()
            .map(|p| match (p.strip_prefix("~"), &home) {
                (Ok(rest), Some(home)) => home.join(rest),
                _ => p.clone(),
            })
            .collect()
    }

    /// What the parser takes from the config: extra section labels and the page size limit.
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            extra_section_labels: self.section_labels.clone(),
            max_page_bytes: self
                .max_page_mb
                .map_or(DEFAULT_MAX_PAGE_BYTES, |mb| u64::from(mb) << 20),
        }
    }

    /// Parse config text; `path` only names the file in errors, which list every problem.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        ConfigFile::parse(text.to_string(), path).into_config()
    }

    /// `paragraphs`, when given, decides `indent`.
    fn settled(mut self) -> Config {
        if let Some(p) = self.paragraphs {
            self.indent = p == Paragraphs::Print;
        }
        self
    }
}

/// How paragraphs are told apart: `print` (a two-ideograph first-line indent, no blank line
/// between them, as in a newspaper) or `screen` (a blank line between them, no indent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paragraphs {
    Print,
    Screen,
}

/// The config file path (`$XDG_CONFIG_HOME/dubao/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "dubao").map(|d| d.config_dir().join("config.toml"))
}

/// Load `path` if it exists; a missing file is the default config. A file that exists but
/// cannot be read, or has any problem, is an error (a config silently ignored is worse than a
/// clear message).
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    read(path)?.into_config()
}

/// Read `path` with every problem in it (see [`ConfigFile`]); a missing file is an empty one.
pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(ConfigFile::parse(text, path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::empty(path)),
        Err(e) => Err(ConfigError::Read {
            path: path.display().to_string(),
            source: e,
        }),
    }
}

fn ambiguous_width<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    match u8::deserialize(d)? {
        w @ (1 | 2) => Ok(Some(w)),
        other => Err(serde::de::Error::custom(format!(
            "ambiguous_width must be 1 or 2 (leave it out to detect), not {other}"
        ))),
    }
}

/// The narrowest measure accepted: below it a line of prose holds too few characters to read.
pub const MIN_MEASURE: u16 = 20;

fn measure<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    match u16::deserialize(d)? {
        m if m == 0 || m >= MIN_MEASURE => Ok(Some(m)),
        other => Err(serde::de::Error::custom(format!(
            "measure must be 0 (no limit) or at least {MIN_MEASURE} cells, not {other}"
        ))),
    }
}

/// The largest page size limit accepted, in MB: past it the limit protects nothing.
pub const MAX_PAGE_MB: u32 = 4096;

fn max_page_mb<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match u32::deserialize(d)? {
        mb @ 1..=MAX_PAGE_MB => Ok(Some(mb)),
        other => Err(serde::de::Error::custom(format!(
            "max_page_mb must be from 1 to {MAX_PAGE_MB} (megabytes), not {other}"
        ))),
    }
}

#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "expected a key (\"n\") or a list of keys ([\"n\", \"C-n\"])"
)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn keys_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let raw = BTreeMap::<String, OneOrMany>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(action, keys)| match keys {
            OneOrMany::One(k) => (action, vec![k]),
            OneOrMany::Many(ks) => (action, ks),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_key_sets_the_paragraph_style() {
        let p = Path::new("config.toml");
        assert!(
            Config::from_toml("paragraphs = \"print\"\n", p)
                .unwrap()
                .indent
        );
        let screen = Config::from_toml("indent = true\nparagraphs = \"screen\"\n", p).unwrap();
        assert!(!screen.indent);
        assert!(Config::from_toml("indent = true\n", p).unwrap().indent);
        assert!(Config::from_toml("paragraphs = \"book\"\n", p).is_err());
        assert_eq!(
            Config::from_toml(DEFAULT_TOML, p).unwrap(),
            Config::default()
        );
    }
}
