//! `dubao serve`: its command line, shared by the two binaries.
//!
//! The SSH server lives in a binary of its own, `dubao-serve`, as git runs `git-foo`: the
//! reader (`dubao`) then carries none of russh, tokio or ring, whose pages would otherwise
//! be faulted in around the reader's own code at every start. `dubao` still parses these
//! arguments itself, so `dubao serve --help`, its errors and the shell completions are what
//! they always were, and hands the run to the `dubao-serve` beside it ([`exec`]), which
//! parses the same [`ServeCommand`] and runs the server ([`run()`], feature `serve`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{ConfigArg, StateDirArg};
use crate::config::serve::parse_duration;

mod exec;
#[cfg(feature = "serve")]
mod run;

pub use exec::{SERVER_BIN, exec};
#[cfg(feature = "serve")]
pub use run::{options, run, run_command};

/// The address listened on when neither the command line nor the config names one.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:2222";

/// Everything `dubao serve` takes: the server's options and the files it reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct ServeCommand {
    #[command(flatten)]
    pub args: ServeArgs,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub state: StateDirArg,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct ServeArgs {
    /// Library folders to serve (default: the configured library, else the bundled samples).
    #[arg(value_name = "LIBRARY")]
    pub paths: Vec<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:2222].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// OpenSSH authorized_keys file: each key listed reads with its own saved state.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: Option<PathBuf>,
    /// Let anyone in without a key; their state lasts for the session only.
    #[arg(long)]
    pub anonymous: bool,
    /// The server's ed25519 key, made on first start [default: DATA/host_key_ed25519].
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,
    /// Sessions at once, all clients together [default: 64].
    #[arg(long, value_name = "N")]
    pub max_sessions: Option<usize>,
    /// Sessions at once from one address [default: 4].
    #[arg(long, value_name = "N")]
    pub max_per_ip: Option<usize>,
    /// Close a session after this long without a key (30m, 90s, 2h; 0: never) [default: 30m].
    #[arg(long, value_name = "TIME", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// Append the connection log to this file [default: standard error].
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

impl ServeCommand {
    /// The command line that parses back into `self`: what `dubao` passes to `dubao-serve`.
    /// Built from the parsed values rather than copied from `dubao`'s own arguments, so the
    /// options given before `serve` (`dubao --state-dir D serve`) come along and a value
    /// that looks like an option (`--log=-x`) or a non-UTF-8 path survives.
    pub fn to_args(&self) -> Vec<OsString> {
        // Every field by name: a new option does not compile until it is passed on.
        let Self {
            args:
                ServeArgs {
                    paths,
                    listen,
                    authorized_keys,
                    anonymous,
                    host_key,
                    max_sessions,
                    max_per_ip,
                    idle_timeout,
                    log,
                },
            config: ConfigArg { config },
            state: StateDirArg { state_dir },
        } = self;
        let mut out = Vec::new();
        let mut opt = |name: &str, value: Option<OsString>| {
            if let Some(v) = value {
                let mut arg = OsString::from(format!("--{name}="));
                arg.push(v);
                out.push(arg);
            }
        };
        opt("config", config.clone().map(Into::into));
        opt("state-dir", state_dir.clone().map(Into::into));
        opt("listen", listen.clone().map(Into::into));
        opt("authorized-keys", authorized_keys.clone().map(Into::into));
        opt("host-key", host_key.clone().map(Into::into));
        opt("max-sessions", max_sessions.map(|n| n.to_string().into()));
        opt("max-per-ip", max_per_ip.map(|n| n.to_string().into()));
        // parse_duration reads whole seconds, so seconds give back the same value.
        opt(
            "idle-timeout",
            idle_timeout.map(|d| format!("{}s", d.as_secs()).into()),
        );
        opt("log", log.clone().map(Into::into));
        if *anonymous {
            out.push("--anonymous".into());
        }
        // After `--` a library named like an option is still a library.
        out.push("--".into());
        out.extend(paths.iter().map(|p| p.clone().into_os_string()));
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        serve: ServeCommand,
    }

    fn round_trip(cmd: &ServeCommand) -> ServeCommand {
        let argv = std::iter::once(OsString::from("dubao-serve")).chain(cmd.to_args());
        Wrapper::try_parse_from(argv).unwrap().serve
    }

    #[test]
    fn every_option_parses_back_to_itself() {
        let full = ServeCommand {
            args: ServeArgs {
                paths: vec!["/srv/papers".into(), "-dash".into(), "--listen".into()],
                listen: Some("0.0.0.0:22".into()),
                authorized_keys: Some("-keys.pub".into()),
                anonymous: true,
                host_key: Some("a b/host key".into()),
                max_sessions: Some(7),
                max_per_ip: Some(0),
                idle_timeout: Some(Duration::from_secs(5400)),
                log: Some("--log".into()),
            },
            config: ConfigArg {
                config: Some("=c.toml".into()),
            },
            state: StateDirArg {
                state_dir: Some("/var/lib/dubao".into()),
            },
        };
        assert_eq!(round_trip(&full), full);
        let none = ServeCommand::default();
        assert_eq!(round_trip(&none), none);
        assert_eq!(none.to_args(), vec![OsString::from("--")]);
        let never = ServeCommand {
            args: ServeArgs {
                idle_timeout: Some(Duration::ZERO),
                listen: Some(String::new()),
                ..ServeArgs::default()
            },
            ..ServeCommand::default()
        };
        assert_eq!(round_trip(&never), never);
    }

    #[cfg(unix)]
    #[test]
    fn a_path_that_is_not_utf8_is_passed_as_it_is() {
        use std::os::unix::ffi::OsStringExt;
        let odd = PathBuf::from(OsString::from_vec(b"\xff\xfe/papers".to_vec()));
        let cmd = ServeCommand {
            args: ServeArgs {
                paths: vec![odd.clone()],
                log: Some(odd.clone()),
                ..ServeArgs::default()
            },
            ..ServeCommand::default()
        };
        assert_eq!(round_trip(&cmd), cmd);
    }
}
