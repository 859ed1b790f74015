//! One SSH connection: login by the [`Policy`], at most one session channel, and the
//! channel requests a reader needs (`pty-req`, `window-change`, `shell`, the locale);
//! everything else is refused with an answer, never left hanging (russh's defaults reply
//! nothing to `exec` and `subsystem`, and the client would wait). The archive is read only:
//! no command, no sftp, no forwarding of any kind.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use russh::server::{Auth, ChannelOpenHandle, Msg, Response, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, ChannelOpenFailure, Pty};

use crate::ui::input::InputParser;

use super::Hub;
use super::auth::Identity;
use super::limits::{Ticket, clamp_window, env_allowed};
use super::output;
use super::reader::{End, Msg as ReaderMsg, ReaderTx};

/// How long a connection may stay after its reader has ended.
pub(super) const LINGER: std::time::Duration = std::time::Duration::from_secs(5);

/// The reader's channel, from open to shell.
pub(super) struct Chan {
    pub(super) id: ChannelId,
    pub(super) write: Option<russh::ChannelWriteHalf<Msg>>,
    /// `pty-req`: the size asked for (clamped).
    pub(super) size: Option<(u16, u16)>,
    /// `pty-req`: TERM said `dumb` (no cursor addressing: the reader cannot be drawn).
    pub(super) dumb: bool,
    /// LANG and LC_* as the client sent them.
    pub(super) locale: Vec<(String, String)>,
    pub(super) reader: Option<ReaderTx>,
    pub(super) parser: InputParser,
}

/// One connection's handler (russh makes one per `run_stream`).
pub struct Conn {
    pub(super) shared: Arc<Hub>,
    pub(super) peer: SocketAddr,
    pub(super) started: Instant,
    pub(super) identity: Option<Identity>,
    pub(super) logged_in: Arc<AtomicBool>,
    pub(super) chan: Option<Chan>,
    pub(super) bytes_in: u64,
    /// The output's counters, once the reader runs.
    pub(super) output: Option<Arc<output::Shared>>,
    pub(super) end: Arc<std::sync::Mutex<Option<End>>>,
    _ticket: Ticket,
}

impl Conn {
    pub fn new(shared: Arc<Hub>, peer: SocketAddr, ticket: Ticket) -> Conn {
        Conn {
            shared,
            peer,
            started: Instant::now(),
            identity: None,
            logged_in: Arc::default(),
            chan: None,
            bytes_in: 0,
            output: None,
            end: Arc::default(),
            _ticket: ticket,
        }
    }

    fn reject(&self) -> Auth {
        Auth::Reject {
            proceed_with_methods: Some(self.shared.policy.methods()),
            partial_success: false,
        }
    }

    /// The channel `id` if it is the reader's.
    pub(super) fn chan(&mut self, id: ChannelId) -> Option<&mut Chan> {
        self.chan.as_mut().filter(|c| c.id == id)
    }
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(self.reject())
    }

    async fn auth_password(&mut self, _user: &str, _password: &str) -> Result<Auth, Self::Error> {
        Ok(self.reject())
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        // Spare the client a signature for a key that would not be let in.
        match self.shared.policy.key_identity(offer.public_key) {
            Some(_) => Ok(Auth::Accept),
            None => Ok(self.reject()),
        }
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        // Only here is the key proven: the identity is taken from it, never from the offer.
        match self.shared.policy.key_identity(key.public_key) {
            Some(id) => {
                self.identity = Some(id);
                Ok(Auth::Accept)
            }
            None => Ok(self.reject()),
        }
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        _response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        if self.shared.policy.anonymous() {
            self.identity = Some(Identity::Anonymous);
            Ok(Auth::Accept)
        } else {
            Ok(self.reject())
        }
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.logged_in.store(true, Ordering::Release);
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.chan.is_some() {
            return prohibit(reply).await;
        }
        // Input comes through the handler's callbacks; only the writing half is kept (an
        // unread reading half would fill up and stall the connection).
        let id = channel.id();
        let (read, write) = channel.split();
        drop(read);
        self.chan = Some(Chan {
            id,
            write: Some(write),
            size: None,
            dumb: false,
            locale: Vec::new(),
            reader: None,
            parser: InputParser::default(),
        });
        reply.accept().await;
        Ok(())
    }

    async fn channel_open_x11(
        &mut self,
        _channel: Channel<Msg>,
        _address: &str,
        _port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        prohibit(reply).await
    }

    async fn channel_open_direct_tcpip(
        &mut self,
        _channel: Channel<Msg>,
        _host: &str,
        _port: u32,
        _from: &str,
        _from_port: u32,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        prohibit(reply).await
    }

    async fn channel_open_direct_streamlocal(
        &mut self,
        _channel: Channel<Msg>,
        _path: &str,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        prohibit(reply).await
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // TERM is only a hint: the reader asks the terminal itself (its start-up probe).
        match self.chan(channel) {
            Some(c) if c.reader.is_none() => {
                c.size = Some(clamp_window(cols, rows));
                c.dumb = term == "dumb";
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(c) = self.chan(channel) {
            let (width, height) = clamp_window(cols, rows);
            c.size = Some((width, height));
            if let Some(r) = &c.reader {
                r.send(ReaderMsg::Input(crate::ui::Input::Resize { width, height }));
            }
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.chan(channel) {
            Some(c) if env_allowed(name, value) && c.locale.len() < 16 => {
                c.locale.push((name.to_string(), value.to_string()));
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.start_reader(channel, session) {
            Ok(()) => session.channel_success(channel),
            Err(why) => {
                session.channel_failure(channel)?;
                session.data(channel, format!("dubao: {why}\r\n").into_bytes())?;
                session.exit_status_request(channel, 1)?;
                session.close(channel)
            }
        }
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _command: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.refuse(channel, session)
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn agent_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<bool, Self::Error> {
        session.channel_failure(channel)?;
        Ok(false)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.bytes_in += data.len() as u64;
        if let Some(c) = self.chan(channel)
            && let Some(r) = &c.reader
        {
            let mut parsed = Vec::new();
            c.parser.feed(data, &mut parsed);
            for input in parsed {
                r.input(input);
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.gone(channel);
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.gone(channel);
        Ok(())
    }
}

impl Conn {
    /// Refuse a command or a subsystem: a failure, the channel closed, its place free.
    fn refuse(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), russh::Error> {
        session.channel_failure(channel)?;
        if self.chan(channel).is_some_and(|c| c.reader.is_none()) {
            self.chan = None;
        }
        session.close(channel)
    }

    /// The client ended the channel: the reader saves and stops. A channel that never ran
    /// a reader (a refused `exec`) frees the connection's one place.
    fn gone(&mut self, channel: ChannelId) {
        match self.chan(channel).map(|c| c.reader.as_ref()) {
            Some(Some(r)) => r.send(ReaderMsg::Gone),
            Some(None) => self.chan = None,
            None => {}
        }
    }
}

/// Refuse a channel (X11, forwarding, a second session): the client is told, nothing opens.
async fn prohibit(reply: ChannelOpenHandle) -> Result<(), russh::Error> {
    reply
        .reject(ChannelOpenFailure::AdministrativelyProhibited)
        .await;
    Ok(())
}
