//! The user's config file (TOML in the `directories` config dir).
//!
//! SKELETON: replaced by the library/config work (issue 6). Signatures are the contract.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::text::AmbiguousWidth;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Library folders opened when `dubao` runs with no paths.
    pub library: Vec<PathBuf>,
    /// Key map overrides: action name → key specs (`"j"`, `"C-d"`, `"PageDown"`).
    pub keys: BTreeMap<String, Vec<String>>,
    /// Colour overrides: element name → colour (`"yellow"`, `"245"`, `"#ffaa00"` for 256-colour terminals).
    pub colors: BTreeMap<String, String>,
    /// `1`/`2` fixed, absent → detect (TUI) or 1.
    pub ambiguous_width: Option<u8>,
    pub indent: bool,
    pub hang: Option<bool>,
    pub section_labels: Vec<String>,
    pub mouse: Option<bool>,
    pub ascii: Option<bool>,
}

impl Config {
    pub fn amb(&self) -> Option<AmbiguousWidth> {
        match self.ambiguous_width {
            Some(2) => Some(AmbiguousWidth::Wide),
            Some(_) => Some(AmbiguousWidth::Narrow),
            None => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// The config file path (`$XDG_CONFIG_HOME/dubao/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "dubao").map(|d| d.config_dir().join("config.toml"))
}

/// Load `path` if it exists; a missing file is the default config.
pub fn load(path: &std::path::Path) -> Result<Config, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(s) => toml::from_str(&s).map_err(|e| ConfigError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
        Err(_) => Ok(Config::default()),
    }
}
