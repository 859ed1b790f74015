//! A connection's reader: started on `shell` (its state folder, its thread, its output
//! task), and the connection's one log line when the connection ends.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use russh::ChannelId;
use russh::server::Session;

use super::auth::{Identity, TempState, key_state_dir};
use super::handler::{Conn, LINGER};
use super::is_utf8_locale;
use super::log::Entry;
use super::output::{self, OUTPUT_BUDGET};
use super::reader::{self, End, Msg as ReaderMsg, Start};

impl Conn {
    /// Start the reader on the channel: its state folder, its thread, its output task.
    pub(super) fn start_reader(&mut self, id: ChannelId, session: &Session) -> Result<(), String> {
        let identity = self.identity.clone().ok_or("not logged in")?;
        let shared = Arc::clone(&self.shared);
        let chan = self.chan(id).ok_or("no channel")?;
        if chan.reader.is_some() {
            return Err("the reader is already running".into());
        }
        let size = chan
            .size
            .ok_or("dubao needs a terminal: connect with `ssh -t`")?;
        if chan.dumb {
            return Err("this terminal (TERM=dumb) cannot show the reader".into());
        }
        let write = chan.write.take().ok_or("the channel is closing")?;
        // (`cli/serve.rs` built it with `local_terminal = false`.)
        let mut setup = shared.setup.clone();
        if !chan.locale.is_empty() && !is_utf8_locale(&chan.locale) {
            setup.opts.ascii = true;
        }
        let temp = match identity {
            Identity::Key(fp) => {
                setup.state_dir = key_state_dir(&shared.data_dir, &fp);
                None
            }
            Identity::Anonymous => {
                let t = TempState::new(&shared.anon_counter)
                    .map_err(|e| format!("no room for a session: {e}"))?;
                setup.state_dir = t.dir.clone();
                Some(t)
            }
        };
        let (out, fwd) = output::channel(OUTPUT_BUDGET);
        let stats = Arc::clone(out.shared());
        let key = shared.next_id.fetch_add(1, Ordering::Relaxed);
        let registry = Arc::clone(&shared);
        let end_slot = Arc::clone(&self.end);
        let reader = reader::spawn(
            Start {
                setup,
                size,
                idle: shared.limits.idle_timeout,
                out,
            },
            move |end| {
                // The state is saved: the anonymous folder may go now.
                drop(temp);
                if let Ok(mut slot) = end_slot.lock() {
                    *slot = Some(end);
                }
                registry.remove_reader(key);
            },
        )
        .map_err(|e| format!("cannot start a session: {e}"))?;
        shared.add_reader(key, reader.clone());
        let wake = reader.clone();
        let handle = session.handle();
        tokio::spawn(async move {
            output::forward(fwd, write, move || wake.send(ReaderMsg::Redraw)).await;
            // The reader is over: so is the connection (one session per connection). Not at
            // once: OpenSSH leaves on a disconnect without writing out the goodbye and the
            // exit status it has just received; a client that closes the channel leaves by
            // itself, one that lingers is dropped.
            tokio::time::sleep(LINGER).await;
            let _ = handle
                .disconnect(
                    russh::Disconnect::ByApplication,
                    String::new(),
                    String::new(),
                )
                .await;
        });
        self.output = Some(stats);
        if let Some(c) = self.chan(id) {
            c.reader = Some(reader);
        }
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let mut end = self.end.lock().ok().and_then(|e| *e);
        if let Some(reader) = self.chan.as_ref().and_then(|c| c.reader.as_ref()) {
            if end.is_none() {
                end = Some(End::Gone);
            }
            reader.send(ReaderMsg::Gone);
        }
        let who = self.identity.as_ref().map_or("-", Identity::label);
        let end = match end {
            Some(e) => e.label(),
            None if self.identity.is_none() => "not logged in",
            None => "no session",
        };
        self.shared.log.connection(&Entry {
            peer: self.peer,
            who,
            duration: self.started.elapsed(),
            bytes_in: self.bytes_in,
            bytes_out: self
                .output
                .as_ref()
                .map_or(0, |o| o.sent.load(Ordering::Relaxed)),
            dropped: self
                .output
                .as_ref()
                .map_or(0, |o| o.dropped.load(Ordering::Relaxed)),
            end,
        });
    }
}
