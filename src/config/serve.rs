//! The `[serve]` section of the config: what `dubao serve` listens on, who may log in and
//! the limits that keep one client from taking the server. Every field is optional; the
//! command line wins over the file (`cli::serve`).
//!
//! ```toml
//! [serve]
//! listen = "127.0.0.1:2222"
//! authorized_keys = "~/.config/dubao/readers.pub"
//! anonymous = false
//! max_sessions = 64
//! max_per_ip = 4
//! idle_timeout = "30m"
//! ```

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Address and port to listen on; beyond loopback only when the user writes it.
    pub listen: Option<String>,
    /// OpenSSH `authorized_keys` file: the keys that may read, each with its own state.
    pub authorized_keys: Option<PathBuf>,
    /// Let anyone in (keyboard-interactive with no prompt), with state for the session only.
    pub anonymous: Option<bool>,
    /// The server's ed25519 key (default: `host_key_ed25519` in the data folder).
    pub host_key: Option<PathBuf>,
    pub max_sessions: Option<usize>,
    pub max_per_ip: Option<usize>,
    /// `"30m"`, `"90s"`, `"2h"`; `"0"` for none.
    #[serde(deserialize_with = "idle_timeout")]
    pub idle_timeout: Option<Duration>,
    /// Connection log file (default: standard error).
    pub log: Option<PathBuf>,
}

fn idle_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(d)?;
    parse_duration(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `"30m"`, `"90s"`, `"2h"`, `"45"` (seconds); `"0"` is no limit (`Duration::ZERO`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 30m or 2h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{text:?}: the unit must be s, m or h")),
    };
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_written() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("30 minutes").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn the_section_parses_and_rejects_unknown_keys() {
        let cfg: ServeConfig =
            toml::from_str("listen = \"0.0.0.0:22\"\nidle_timeout = \"5m\"\nmax_per_ip = 2\n")
                .unwrap();
        assert_eq!(cfg.listen.as_deref(), Some("0.0.0.0:22"));
        assert_eq!(cfg.idle_timeout, Some(Duration::from_secs(300)));
        assert_eq!(cfg.max_per_ip, Some(2));
        assert!(toml::from_str::<ServeConfig>("password = \"x\"\n").is_err());
    }
}
