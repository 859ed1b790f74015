//! `dubao serve` in-process on 127.0.0.1:0 with a temporary host key, driven by russh's own
//! client as a user's `ssh` would: a vt100 screen plays each client's terminal. Generous
//! timeouts, no timing assertions.
#![cfg(feature = "serve")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dubao::cli::serve::{ServeArgs, options};
use dubao::config::Config;
use dubao::serve::{Options, Server, Stopper, key_state_dir};
use dubao::state::Store;
use russh::ChannelMsg;
use russh::client::{self, KeyboardInteractiveAuthResponse};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};

/// The first headline of the newest bundled sample issue.
const FIRST_HEADLINE: &str = "云州至北京高铁开通两周年";
const WAIT: Duration = Duration::from_secs(20);

struct TestServer {
    addr: SocketAddr,
    stopper: Stopper,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    fn state_of(&self, key: &PrivateKey) -> Store {
        let fp = key.public_key().fingerprint(HashAlg::Sha256).to_string();
        Store::open_read_only(&key_state_dir(&self.data, &fp)).unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("serve.log")).unwrap_or_default()
    }

    async fn stop(self) -> std::io::Result<()> {
        self.stopper.stop();
        tokio::time::timeout(WAIT, self.task)
            .await
            .unwrap()
            .unwrap()
    }
}

fn new_key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap()
}

async fn serve(
    keys: &[&PrivateKey],
    anonymous: bool,
    tweak: impl FnOnce(&mut Options),
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let authorized = (!keys.is_empty()).then(|| {
        let path = dir.path().join("authorized_keys");
        let lines: Vec<String> = keys
            .iter()
            .map(|k| k.public_key().to_openssh().unwrap())
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    });
    let args = ServeArgs {
        paths: Vec::new(),
        listen: Some("127.0.0.1:0".into()),
        authorized_keys: authorized,
        anonymous,
        host_key: Some(dir.path().join("host_key")),
        max_sessions: None,
        max_per_ip: None,
        idle_timeout: None,
        log: Some(dir.path().join("serve.log")),
    };
    let data = dir.path().join("data");
    let mut opts = options(&args, &Config::default(), Some(data.clone())).unwrap();
    tweak(&mut opts);
    let server = Server::bind(opts).await.unwrap();
    let addr = server.local_addr().unwrap();
    let stopper = server.stopper();
    let task = tokio::spawn(server.run());
    TestServer {
        addr,
        stopper,
        task,
        data,
        _dir: dir,
    }
}

struct Trust;

impl client::Handler for Trust {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Log in with `key`, or anonymously (keyboard-interactive, no prompt) without one.
async fn login(addr: SocketAddr, key: Option<&PrivateKey>) -> Option<client::Handle<Trust>> {
    login_with(addr, key, client::Config::default()).await
}

async fn login_with(
    addr: SocketAddr,
    key: Option<&PrivateKey>,
    config: client::Config,
) -> Option<client::Handle<Trust>> {
    let config = Arc::new(config);
    let mut h = client::connect(config, addr, Trust).await.ok()?;
    let ok = match key {
        Some(k) => h
            .authenticate_publickey(
                "reader",
                PrivateKeyWithHashAlg::new(Arc::new(k.clone()), None),
            )
            .await
            .ok()?
            .success(),
        None => matches!(
            h.authenticate_keyboard_interactive_start("reader", None)
                .await
                .ok()?,
            KeyboardInteractiveAuthResponse::Success
        ),
    };
    ok.then_some(h)
}

/// A client terminal: a session channel with a pty and the reader's screen.
struct Term {
    ch: russh::Channel<client::Msg>,
    screen: vt100::Parser,
    exit: Option<u32>,
    closed: bool,
}

impl Term {
    async fn open(h: &client::Handle<Trust>, cols: u16, rows: u16) -> Term {
        let ch = h.channel_open_session().await.unwrap();
        ch.request_pty(true, "xterm-256color", cols.into(), rows.into(), 0, 0, &[])
            .await
            .unwrap();
        ch.request_shell(true).await.unwrap();
        Term {
            ch,
            screen: vt100::Parser::new(rows, cols, 0),
            exit: None,
            closed: false,
        }
    }

    /// Read until the screen shows what `pred` wants.
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&str) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !pred(&self.screen.screen().contents()) {
            if self.closed {
                panic!(
                    "channel closed waiting for {what}:\n{}",
                    self.screen.screen().contents()
                );
            }
            match tokio::time::timeout_at(deadline, self.ch.wait()).await {
                Ok(msg) => self.take(msg),
                Err(_) => panic!(
                    "timed out waiting for {what}:\n{}",
                    self.screen.screen().contents()
                ),
            }
        }
    }

    /// Read until the server closes the channel.
    async fn wait_closed(&mut self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !self.closed {
            match tokio::time::timeout_at(deadline, self.ch.wait()).await {
                Ok(msg) => self.take(msg),
                Err(_) => panic!("the channel stayed open"),
            }
        }
    }

    fn take(&mut self, msg: Option<ChannelMsg>) {
        match msg {
            Some(ChannelMsg::Data { data }) => self.screen.process(&data),
            Some(ChannelMsg::ExitStatus { exit_status }) => self.exit = Some(exit_status),
            Some(ChannelMsg::Close | ChannelMsg::Eof) | None => self.closed = true,
            Some(_) => {}
        }
    }

    async fn keys(&self, keys: &str) {
        self.ch.data(keys.as_bytes()).await.unwrap();
    }
}

/// Log in, wait for the headline list.
async fn reader(addr: SocketAddr, key: Option<&PrivateKey>) -> (client::Handle<Trust>, Term) {
    let h = login(addr, key).await.expect("logged in");
    let mut t = Term::open(&h, 100, 30).await;
    t.wait_for("the first headline", |s| s.contains(FIRST_HEADLINE))
        .await;
    (h, t)
}

/// Bookmark the article shown (after `before` keys), quit, wait for the channel to close.
/// A bookmark is on disk before the next key is read (`Effect::Save`); `q` saves the rest.
async fn bookmark_and_quit(t: &mut Term, before: &str) {
    t.keys(&format!("{before}b")).await;
    t.keys("q").await;
    t.wait_closed().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pty_and_shell_show_the_first_headline_and_q_ends_with_status_0() {
    let server = serve(&[], true, |_| {}).await;
    let (_h, mut t) = reader(server.addr, None).await;
    t.keys("q").await;
    t.wait_closed().await;
    assert_eq!(t.exit, Some(0));
    assert!(
        !t.screen.screen().alternate_screen(),
        "alternate screen left on"
    );
    drop(_h);
    let log = wait_log(&server, "anonymous").await;
    assert!(log.contains("quit") && log.contains("out="), "{log}");
    server.stop().await.unwrap();
}

/// The log once it has a line containing `needle` (a connection's line is written when the
/// connection ends).
async fn wait_log(server: &TestServer, needle: &str) -> String {
    for _ in 0..200 {
        let log = server.log();
        if log.contains(needle) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no log line with {needle}:\n{}", server.log());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_keys_keep_separate_bookmarks() {
    let (a, b) = (new_key(), new_key());
    let server = serve(&[&a, &b], false, |_| {}).await;
    let (_ha, mut ta) = reader(server.addr, Some(&a)).await;
    bookmark_and_quit(&mut ta, "").await;
    let (_hb, mut tb) = reader(server.addr, Some(&b)).await;
    tb.keys("q").await;
    tb.wait_closed().await;
    assert_eq!(server.state_of(&a).bookmarks().len(), 1);
    assert_eq!(server.state_of(&b).bookmarks().len(), 0);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_key_in_two_sessions_at_once_merges() {
    let a = new_key();
    let server = serve(&[&a], false, |_| {}).await;
    let (_h1, mut t1) = reader(server.addr, Some(&a)).await;
    let (_h2, mut t2) = reader(server.addr, Some(&a)).await;
    bookmark_and_quit(&mut t1, "").await;
    bookmark_and_quit(&mut t2, "n").await;
    let store = server.state_of(&a);
    let marks: Vec<_> = store
        .bookmarks()
        .iter()
        .map(|b| b.article.clone())
        .collect();
    assert_eq!(marks.len(), 2, "{marks:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_sftp_forwarding_and_a_second_session_are_refused() {
    let a = new_key();
    let server = serve(&[&a], false, |_| {}).await;
    let h = login(server.addr, Some(&a)).await.unwrap();
    // exec: a failure and the channel closed, no output.
    let mut ch = h.channel_open_session().await.unwrap();
    ch.exec(true, "cat /etc/passwd").await.unwrap();
    assert_refused(&mut ch).await;
    // sftp
    let mut ch = h.channel_open_session().await.unwrap();
    ch.request_subsystem(true, "sftp").await.unwrap();
    assert_refused(&mut ch).await;
    // -L, -R, -A
    assert!(
        h.channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 5000)
            .await
            .is_err()
    );
    assert!(h.tcpip_forward("127.0.0.1", 0).await.is_err());
    let h2 = login(server.addr, Some(&a)).await.unwrap();
    let ch = h2.channel_open_session().await.unwrap();
    ch.agent_forward(true).await.unwrap();
    ch.set_env(true, "LD_PRELOAD", "/tmp/x.so").await.unwrap();
    let mut ch = ch;
    let mut failures = 0;
    while failures < 2 {
        match tokio::time::timeout(WAIT, ch.wait()).await.unwrap() {
            Some(ChannelMsg::Failure) => failures += 1,
            Some(ChannelMsg::Success) => panic!("agent forwarding or env accepted"),
            Some(_) => {}
            None => panic!("closed"),
        }
    }
    // One reader per connection.
    assert!(h2.channel_open_session().await.is_err());
    server.stop().await.unwrap();
}

async fn assert_refused(ch: &mut russh::Channel<client::Msg>) {
    let mut failed = false;
    loop {
        match tokio::time::timeout(WAIT, ch.wait()).await.unwrap() {
            Some(ChannelMsg::Failure) => failed = true,
            Some(ChannelMsg::Success) => panic!("accepted"),
            Some(ChannelMsg::Data { data }) => panic!("output: {data:?}"),
            Some(ChannelMsg::Close) | None => break,
            Some(_) => {}
        }
    }
    assert!(failed, "no failure reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_key_is_refused_and_so_is_anonymous_without_the_option() {
    let (a, stranger) = (new_key(), new_key());
    let server = serve(&[&a], false, |_| {}).await;
    assert!(login(server.addr, Some(&stranger)).await.is_none());
    assert!(login(server.addr, None).await.is_none());
    assert!(login(server.addr, Some(&a)).await.is_some());
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_address_limit_turns_the_next_connection_away() {
    let a = new_key();
    let server = serve(&[&a], false, |o| {
        o.limits.max_per_ip = 2;
    })
    .await;
    let h1 = login(server.addr, Some(&a)).await.unwrap();
    let h2 = login(server.addr, Some(&a)).await.unwrap();
    assert!(
        login(server.addr, Some(&a)).await.is_none(),
        "third admitted"
    );
    drop((h1, h2));
    wait_log(&server, "refused: max per address").await;
    // Places come back when connections end.
    let mut again = None;
    for _ in 0..100 {
        again = login(server.addr, Some(&a)).await;
        if again.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(again.is_some());
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_does_not_stop_another() {
    let server = serve(&[], true, |_| {}).await;
    // The stalled client: a reader at 500×200, a full redraw asked for every few
    // milliseconds (window changes), nothing ever read. Its sender runs on its own: once
    // the client's buffers are full, even its requests may wait.
    // Its socket is never read once the reader runs (a stream that stops delivering), while
    // it goes on sending keys and window changes: frames pile up on the server's side. A
    // small window: russh's flow control holds little, the server's own bound the rest.
    let small = client::Config {
        window_size: 32 * 1024,
        ..client::Config::default()
    };
    let stop_reading = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let stream = Stalling {
        inner: tcp,
        stalled: Arc::clone(&stop_reading),
    };
    let mut hs = client::connect_stream(Arc::new(small), stream, Trust)
        .await
        .unwrap();
    assert!(matches!(
        hs.authenticate_keyboard_interactive_start("reader", None)
            .await
            .unwrap(),
        KeyboardInteractiveAuthResponse::Success
    ));
    let stalled = Term::open(&hs, 200, 60).await;
    stop_reading.store(true, std::sync::atomic::Ordering::SeqCst);
    let pump = tokio::spawn(async move {
        for i in 0..5000u32 {
            let sent = if i % 2 == 0 {
                stalled
                    .ch
                    .window_change(200 - i % 4, 60, 0, 0)
                    .await
                    .is_ok()
            } else {
                stalled.ch.data(&b"np"[..]).await.is_ok()
            };
            if !sent {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        stalled
    });
    // Past its start-up probe: frames pile up.
    tokio::time::sleep(Duration::from_secs(4)).await;
    // Another client reads and moves as usual.
    let (_h, mut t) = reader(server.addr, None).await;
    t.keys("n").await;
    t.wait_for("the second article", |s| s.contains("2/")).await;
    t.keys("q").await;
    t.wait_closed().await;
    // The stalled client's frames were skipped, not queued: its log line says so.
    pump.abort();
    drop(hs);
    let log = wait_log(&server, "dropped").await;
    let skipped = log
        .lines()
        .find(|l| l.ends_with(" dropped"))
        .and_then(|l| l.split(" skipped=").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok());
    assert!(skipped.is_some_and(|n| n > 0), "{log}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idle_timeout_closes_a_session_and_its_state_is_saved() {
    let a = new_key();
    let server = serve(&[&a], false, |o| {
        o.limits.idle_timeout = Some(Duration::from_secs(2));
    })
    .await;
    let (_h, mut t) = reader(server.addr, Some(&a)).await;
    t.keys("n").await;
    t.wait_closed().await;
    assert!(
        t.screen.screen().contents().contains("idle"),
        "{}",
        t.screen.screen().contents()
    );
    assert!(!t.screen.screen().alternate_screen());
    let store = server.state_of(&a);
    assert!(
        store.last().article.is_some(),
        "no place saved: {:?}",
        store.last()
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_client_is_saved_and_stopping_saves_everyone() {
    let (a, b) = (new_key(), new_key());
    let server = serve(&[&a, &b], false, |_| {}).await;
    // Dropped: the TCP connection goes, no quit; the place (the second article) is kept.
    let (ha, mut ta) = reader(server.addr, Some(&a)).await;
    ta.keys("n").await;
    ta.wait_for("the second article", |s| s.contains("2/"))
        .await;
    drop(ta);
    drop(ha);
    let second = wait_place(&server, &a).await;
    // Stopping: b is told, saved, closed.
    let (_hb, mut tb) = reader(server.addr, Some(&b)).await;
    tb.keys("n").await;
    tb.wait_for("the second article", |s| s.contains("2/"))
        .await;
    server.stopper.stop();
    tb.wait_closed().await;
    let screen = tb.screen.screen().contents();
    assert!(screen.contains("stopping"), "{screen}");
    assert!(!tb.screen.screen().alternate_screen());
    assert_eq!(wait_place(&server, &b).await, second);
    server.stop().await.unwrap();
}

/// The article a key's saved state was last on, once it is past the first (`n` was read).
async fn wait_place(server: &TestServer, key: &PrivateKey) -> dubao::model::ArticleId {
    for _ in 0..200 {
        if let Some(id) = server.state_of(key).last().article.clone()
            && id.index >= 1
        {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no place saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_without_a_usable_terminal_is_told_why() {
    let server = serve(&[], true, |_| {}).await;
    for term in [None, Some("dumb")] {
        let h = login(server.addr, None).await.unwrap();
        let mut ch = h.channel_open_session().await.unwrap();
        if let Some(term) = term {
            ch.request_pty(true, term, 80, 24, 0, 0, &[]).await.unwrap();
        }
        ch.request_shell(true).await.unwrap();
        let (mut text, mut status) = (Vec::new(), None);
        loop {
            match tokio::time::timeout(WAIT, ch.wait()).await.unwrap() {
                Some(ChannelMsg::Data { data }) => text.extend_from_slice(&data),
                Some(ChannelMsg::ExitStatus { exit_status }) => status = Some(exit_status),
                Some(ChannelMsg::Close) | None => break,
                Some(_) => {}
            }
        }
        let text = String::from_utf8_lossy(&text);
        let why = if term.is_some() {
            "TERM=dumb"
        } else {
            "ssh -t"
        };
        assert!(text.contains(why), "{term:?}: {text}");
        assert_eq!(status, Some(1));
    }
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_is_dropped_at_the_login_grace_time() {
    use tokio::io::AsyncReadExt;
    let server = serve(&[], true, |o| {
        o.limits.login_grace = Duration::from_secs(1);
    })
    .await;
    let mut tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut seen = Vec::new();
    let read = tokio::time::timeout(WAIT, tcp.read_to_end(&mut seen)).await;
    assert!(read.is_ok(), "still open after {WAIT:?}");
    // The banner names no version for a scanner to look up.
    assert!(seen.starts_with(b"SSH-2.0-dubao\r\n"), "{seen:?}");
    wait_log(&server, "not logged in").await;
    server.stop().await.unwrap();
}

/// A TCP stream that stops delivering what it reads once `stalled` is set (a client that
/// stops reading), and writes as usual.
struct Stalling {
    inner: tokio::net::TcpStream,
    stalled: Arc<std::sync::atomic::AtomicBool>,
}

impl tokio::io::AsyncRead for Stalling {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.stalled.load(std::sync::atomic::Ordering::SeqCst) {
            return std::task::Poll::Pending;
        }
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Stalling {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
