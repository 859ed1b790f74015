//! `dubao serve`: the reader behind its own SSH server (russh), a second driver of the
//! session core beside the local terminal (`ui::tty`).
//!
//! The accept loop admits a connection only if the session limits allow ([`limits`]),
//! before any key exchange; each admitted connection runs russh's protocol with a
//! [`handler::Conn`], which logs in by the [`auth::Policy`] and allows one session channel.
//! Its `shell` starts a [`ui::Session`](crate::ui::Session) on a thread of its own
//! ([`reader`]), fed the channel's bytes through the same input parser as the local
//! terminal; its frames go back through a bounded [`output`] (a client that stops reading
//! loses frames, not memory). The [`Hub`] knows every running reader, so stopping the
//! server saves every reader's state and closes every channel with a message.
//!
//! Threads: the tokio runtime (network), one thread per session (the reader), and the
//! session's own workers (loader, saver), as in the local reader.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::ui::Setup;

pub mod auth;
mod handler;
pub mod host_key;
pub mod limits;
pub mod log;
pub mod output;
pub mod reader;
mod start;

pub use auth::{Identity, Policy, key_state_dir};
pub use limits::Limits;
pub use log::ConnLog;

/// How long stopping waits for the readers to save before giving up on them.
const SAVE_TIME: Duration = Duration::from_secs(10);

/// Everything a server runs with.
pub struct Options {
    pub listen: String,
    /// The reader's setup; each session gets a copy with its own state folder.
    pub setup: Setup,
    /// Where key readers' state folders live (`<data>/serve/…`).
    pub data_dir: PathBuf,
    pub policy: Policy,
    pub host_key: PrivateKey,
    pub limits: Limits,
    pub log: ConnLog,
}

/// What every connection of one server shares.
pub struct Hub {
    setup: Setup,
    data_dir: PathBuf,
    policy: Policy,
    limits: Limits,
    log: ConnLog,
    anon_counter: AtomicU64,
    next_id: AtomicU64,
    readers: Mutex<Readers<reader::ReaderTx>>,
    stopping: AtomicBool,
}

/// The readers running now, and those that ended before they were added: a reader's thread
/// starts before the connection adds it, and one whose session could not start ends at
/// once — it must not be added after it has gone (stopping would wait for it in vain).
struct Readers<T> {
    live: HashMap<u64, T>,
    gone: HashSet<u64>,
}

impl<T> Default for Readers<T> {
    fn default() -> Self {
        Readers {
            live: HashMap::new(),
            gone: HashSet::new(),
        }
    }
}

impl<T> Readers<T> {
    /// Add reader `key`; false (and not added) when it has already ended.
    fn add(&mut self, key: u64, reader: T) -> bool {
        if self.gone.remove(&key) {
            return false;
        }
        self.live.insert(key, reader);
        true
    }

    fn remove(&mut self, key: u64) {
        if self.live.remove(&key).is_none() {
            self.gone.insert(key);
        }
    }
}

impl Hub {
    fn add_reader(&self, key: u64, tx: reader::ReaderTx) {
        let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if self.stopping.load(Ordering::Acquire) {
            tx.send(reader::Msg::Shutdown);
        }
        readers.add(key, tx);
    }

    fn remove_reader(&self, key: u64) {
        self.readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }

    /// Readers running now.
    pub fn readers(&self) -> usize {
        self.readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .live
            .len()
    }

    /// Tell every reader to save and close.
    fn stop_readers(&self) {
        let readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        self.stopping.store(true, Ordering::Release);
        for r in readers.live.values() {
            r.send(reader::Msg::Shutdown);
        }
    }
}

/// Asks a running server to stop (from any thread: a signal handler's, a test's).
#[derive(Clone)]
pub struct Stopper(Arc<watch::Sender<bool>>);

impl Stopper {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// A bound server, not yet accepting.
pub struct Server {
    listener: TcpListener,
    hub: Arc<Hub>,
    config: Arc<russh::server::Config>,
    admission: limits::Admission,
    stop: Arc<watch::Sender<bool>>,
}

impl Server {
    /// Listen on `opts.listen`.
    pub async fn bind(opts: Options) -> io::Result<Server> {
        let listener = TcpListener::bind(&opts.listen).await?;
        let config = russh_config(&opts);
        let hub = Hub {
            setup: opts.setup,
            data_dir: opts.data_dir,
            policy: opts.policy,
            limits: opts.limits,
            log: opts.log,
            anon_counter: AtomicU64::new(0),
            next_id: AtomicU64::new(0),
            readers: Mutex::default(),
            stopping: AtomicBool::new(false),
        };
        Ok(Server {
            listener,
            hub: Arc::new(hub),
            config: Arc::new(config),
            admission: limits::Admission::default(),
            stop: Arc::new(watch::channel(false).0),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.stop))
    }

    pub fn hub(&self) -> Arc<Hub> {
        Arc::clone(&self.hub)
    }

    /// Accept connections until stopped; then save every reader, close every channel
    /// with a message, and return.
    pub async fn run(self) -> io::Result<()> {
        let mut stop = self.stop.subscribe();
        let mut conns = JoinSet::new();
        loop {
            let accepted = tokio::select! {
                a = self.listener.accept() => a,
                _ = stop.wait_for(|s| *s) => break,
            };
            while conns.try_join_next().is_some() {}
            let (stream, peer) = match accepted {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    self.hub.log.line(&format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            match self.admission.admit(peer.ip(), &self.hub.limits) {
                Ok(ticket) => {
                    let (hub, config) = (Arc::clone(&self.hub), Arc::clone(&self.config));
                    conns.spawn(connection(hub, config, stream, peer, ticket));
                }
                Err(why) => {
                    let end = match why {
                        limits::Refusal::Full => "refused: max sessions",
                        limits::Refusal::TooManyFromAddress => "refused: max per address",
                    };
                    self.hub.log.connection(&log::Entry {
                        peer,
                        who: "-",
                        duration: Duration::ZERO,
                        bytes_in: 0,
                        bytes_out: 0,
                        dropped: 0,
                        end,
                    });
                    drop(stream);
                }
            }
        }
        drop(self.listener);
        self.hub.stop_readers();
        let started = Instant::now();
        while self.hub.readers() > 0 && started.elapsed() < SAVE_TIME {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        // The goodbyes have their own bounded time (`output::GOODBYE_TIME`).
        let _ = tokio::time::timeout(output::GOODBYE_TIME + Duration::from_secs(1), async {
            while conns.join_next().await.is_some() {}
        })
        .await;
        conns.abort_all();
        let left = self.hub.readers();
        if left > 0 {
            return Err(io::Error::other(format!(
                "{left} session(s) did not save in {}s",
                SAVE_TIME.as_secs()
            )));
        }
        Ok(())
    }
}

/// russh's settings: its default algorithms, this server's key, methods and limits.
fn russh_config(opts: &Options) -> russh::server::Config {
    let mut config = russh::server::Config {
        // No version in the banner: nothing to look up for a scanner.
        server_id: russh::SshId::Standard(Cow::Borrowed("SSH-2.0-dubao")),
        methods: opts.policy.methods(),
        auth_rejection_time: Duration::from_secs(1),
        // OpenSSH's first `none` probe is not a failed guess: answer it at once.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![opts.host_key.clone()],
        max_auth_attempts: opts.limits.max_auth_attempts,
        // After the reader's own idle limit, which says goodbye properly.
        inactivity_timeout: opts
            .limits
            .idle_timeout
            .map(|d| d + Duration::from_secs(60)),
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    };
    // No pre-authentication `zlib` (OpenSSH servers dropped it in 7.4).
    config.preferred.compression =
        Cow::Borrowed(&[russh::compression::NONE, russh::compression::ZLIB_LEGACY]);
    config
}

/// One connection, from the first byte to its end.
async fn connection(
    hub: Arc<Hub>,
    config: Arc<russh::server::Config>,
    stream: TcpStream,
    peer: SocketAddr,
    ticket: limits::Ticket,
) {
    let grace = hub.limits.login_grace;
    let conn = handler::Conn::new(Arc::clone(&hub), peer, ticket);
    let logged_in = Arc::clone(&conn.logged_in);
    // A client that sends nothing is dropped at the grace time, not at russh's idle limit.
    let stream = russh::server::run_stream(config, stream, conn);
    let Ok(Ok(running)) = tokio::time::timeout(grace, stream).await else {
        return;
    };
    let handle = running.handle();
    let watchdog = async {
        tokio::time::sleep(grace).await;
        if !logged_in.load(Ordering::Acquire) {
            let _ = handle
                .disconnect(
                    russh::Disconnect::ByApplication,
                    "login took too long".into(),
                    String::new(),
                )
                .await;
        }
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = running => {}
        () = watchdog => {}
    }
}

/// Whether the locale a client sent is UTF-8 (else borders are drawn in ASCII).
fn is_utf8_locale(vars: &[(String, String)]) -> bool {
    crate::ui::term::locale_is_utf8(|k| {
        vars.iter()
            .rev()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::Readers;

    #[test]
    fn a_reader_that_ended_before_it_was_added_is_not_waited_for() {
        let mut r = Readers::default();
        // Its session failed at once: its thread said goodbye before the connection added it.
        r.remove(1);
        assert!(!r.add(1, ()));
        assert!(r.live.is_empty() && r.gone.is_empty());
        // The usual order.
        assert!(r.add(2, ()));
        r.remove(2);
        assert!(r.live.is_empty() && r.gone.is_empty());
    }
}
