//! `dubao-serve`'s run: the command line and the `[serve]` config section → a running SSH
//! server (`crate::serve`). The command line wins over the config; nothing is listened on
//! beyond loopback unless the user writes the address.

use std::path::PathBuf;

use anyhow::Context;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::{DEFAULT_LISTEN, ServeArgs, ServeCommand};
use crate::cli::{GlobalArgs, ReaderArgs, load_config};
use crate::config::{self, Config};
use crate::serve::{ConnLog, Limits, Options, Policy, Server, host_key};
use crate::state::Store;
use crate::ui::process::Process;

/// Everything the server needs, resolved (no network yet).
pub fn options(
    args: &ServeArgs,
    cfg: &Config,
    state_dir: Option<PathBuf>,
) -> anyhow::Result<Options> {
    let sc = &cfg.serve;
    let data_dir = state_dir
        .or_else(Store::default_dir)
        .context("no data directory: pass --state-dir")?;
    let anonymous = args.anonymous || sc.anonymous.unwrap_or(false);
    let keys = args
        .authorized_keys
        .clone()
        .or_else(|| sc.authorized_keys.clone());
    let policy = Policy::new(keys.as_deref(), anonymous)?;
    let key_path = args
        .host_key
        .clone()
        .or_else(|| sc.host_key.clone())
        .unwrap_or_else(|| data_dir.join(host_key::HOST_KEY_FILE));
    let host_key = host_key::load_or_create(&key_path)?;
    let defaults = Limits::default();
    let idle = args.idle_timeout.or(sc.idle_timeout);
    let limits = Limits {
        max_sessions: args
            .max_sessions
            .or(sc.max_sessions)
            .unwrap_or(defaults.max_sessions),
        max_per_ip: args
            .max_per_ip
            .or(sc.max_per_ip)
            .unwrap_or(defaults.max_per_ip),
        idle_timeout: match idle {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d),
            None => defaults.idle_timeout,
        },
        ..defaults
    };
    let reader_args = ReaderArgs {
        paths: args.paths.clone(),
        ambiguous_width: None,
        indent: false,
        no_mouse: false,
        ascii: false,
        date: None,
    };
    let global = GlobalArgs {
        config: None,
        state_dir: Some(data_dir.clone()),
    };
    // Not this process's environment: a client's terminal is elsewhere. UTF-8 unless the
    // client says otherwise (per session); colour unless the config says otherwise.
    let mut setup = crate::cli::reader::setup(&reader_args, &global, cfg, |k| {
        matches!(k, "LANG").then(|| "C.UTF-8".to_string())
    })?;
    setup.local_terminal = false;
    let log = match args.log.clone().or_else(|| sc.log.clone()) {
        Some(p) => {
            ConnLog::file(&p).with_context(|| format!("cannot open the log {}", p.display()))?
        }
        None => ConnLog::stderr(),
    };
    Ok(Options {
        listen: args
            .listen
            .clone()
            .or_else(|| sc.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
        setup,
        data_dir,
        policy,
        host_key,
        limits,
        log,
    })
}

/// `dubao-serve`'s main: the config (given, else the default file) and then [`run`].
pub fn run_command(cmd: &ServeCommand) -> anyhow::Result<i32> {
    let path = cmd.config.config.clone().or_else(config::default_path);
    run(&cmd.args, &load_config(path)?, cmd.state.state_dir.clone())
}

/// Run the server until SIGTERM, SIGINT or SIGHUP; every session is saved before exit 0.
pub fn run(args: &ServeArgs, cfg: &Config, state_dir: Option<PathBuf>) -> anyhow::Result<i32> {
    let opts = options(args, cfg, state_dir)?;
    let fingerprint = host_key::fingerprint(&opts.host_key);
    let about = format!(
        "{} key reader(s){}",
        opts.policy.key_count(),
        if opts.policy.anonymous() {
            ", anonymous readers welcome"
        } else {
            ""
        }
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the network runtime")?;
    runtime.block_on(async move {
        let listen = opts.listen.clone();
        let server = Server::bind(opts)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = server.local_addr()?;
        // Signals are handled before the server says it listens: a service manager (or a
        // test) that stops it as soon as it has said so must find it ready to save and go.
        let process = Process::start().context("cannot handle signals")?;
        let stopper = server.stopper();
        process.subscribe(move |sig| {
            if matches!(sig, SIGTERM | SIGINT | SIGHUP) {
                stopper.stop();
            }
        });
        eprintln!("dubao serve: listening on {addr}: {about}");
        eprintln!("dubao serve: host key {fingerprint}");
        if !addr.ip().is_loopback() {
            eprintln!("dubao serve: {addr} is reachable from other machines");
        }
        let outcome = server.run().await;
        process.close();
        outcome.context("stopping the server")?;
        eprintln!("dubao serve: stopped; every session saved");
        Ok(0)
    })
}
