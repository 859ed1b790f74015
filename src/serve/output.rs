//! A session's output to its channel, bounded: the session thread never blocks on a slow
//! or stalled client, and a client that stops reading cannot make the server hold more
//! than [`OUTPUT_BUDGET`] bytes for it (plus what SSH flow control lets russh hold: the
//! client's channel window).
//!
//! The session writes frames into an [`Output`] (a `Write`); each flush hands the bytes to
//! the connection's forwarding task, which writes them to the channel through russh's
//! window-respecting writer. When the bytes waiting exceed the budget, the flush drops them
//! and marks the screen lost; when the client has caught up, the forwarder wakes the
//! session, which draws the whole screen again. Frames are skipped, never queued without
//! bound: a client that comes back sees the present, not a backlog.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc};

/// Bytes waiting for a client beyond which frames are dropped: a few full 500×200 frames.
pub const OUTPUT_BUDGET: usize = 512 * 1024;

/// How long the goodbye (restore sequences, message, exit status) may take to reach a
/// client at the end; a client that does not read by then is closed without it.
pub const GOODBYE_TIME: Duration = Duration::from_secs(2);

/// What the session side and the forwarding task share.
#[derive(Debug, Default)]
pub struct Shared {
    queued: AtomicUsize,
    /// Bytes were dropped: the screen must be drawn whole once the client catches up.
    lost: AtomicBool,
    /// The session is over: stop waiting on a stalled write and say goodbye.
    ended: Notify,
    /// Bytes written to the channel (for the connection log).
    pub sent: AtomicU64,
    /// Writes dropped past the budget (for the connection log).
    pub dropped: AtomicU64,
    budget: usize,
}

enum Chunk {
    Data(Vec<u8>),
    /// The session is over: exit status, EOF and close.
    End(u32),
}

/// The session side: a `Write` whose flush hands the bytes over (or drops them). Clones
/// share the queue, each with its own buffer.
pub struct Output {
    buf: Vec<u8>,
    tx: mpsc::UnboundedSender<Chunk>,
    shared: Arc<Shared>,
}

impl Clone for Output {
    fn clone(&self) -> Output {
        Output {
            buf: Vec::new(),
            tx: self.tx.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The task side: the receiving end, to run with [`forward`].
pub struct Forwarder {
    rx: mpsc::UnboundedReceiver<Chunk>,
    shared: Arc<Shared>,
}

/// A new output with `budget` bytes of room, and its forwarder.
pub fn channel(budget: usize) -> (Output, Forwarder) {
    let (tx, rx) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared {
        budget,
        ..Shared::default()
    });
    let out = Output {
        buf: Vec::new(),
        tx,
        shared: Arc::clone(&shared),
    };
    (out, Forwarder { rx, shared })
}

impl Output {
    /// The session is over: after what is queued, end the channel with `status`.
    pub fn end(&mut self, status: u32) {
        let _ = self.flush();
        let _ = self.tx.send(Chunk::End(status));
        self.shared.ended.notify_one();
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.buf);
        let n = bytes.len();
        let queued = self.shared.queued.load(Ordering::Acquire);
        if queued + n > self.shared.budget {
            self.shared.lost.store(true, Ordering::Release);
            self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            // The forwarder looks at `lost` after each chunk it writes. It may have
            // written the last one between the load above and the store: an empty chunk
            // after the store makes it look again, so the lost screen is drawn again as
            // soon as the client has read everything, not at the next key.
            let _ = self.tx.send(Chunk::Data(Vec::new()));
            return Ok(());
        }
        self.shared.queued.fetch_add(n, Ordering::AcqRel);
        if self.tx.send(Chunk::Data(bytes)).is_err() {
            // The connection is gone; the session learns it from its own channel.
            self.shared.queued.fetch_sub(n, Ordering::AcqRel);
        }
        Ok(())
    }
}

/// How a channel is written and ended (russh's channel write half, or a test double).
pub trait Sink: Send {
    fn writer(&self) -> impl AsyncWrite + Unpin + Send + 'static;
    fn finish(&self, status: u32) -> impl Future<Output = ()> + Send;
}

impl Sink for russh::ChannelWriteHalf<russh::server::Msg> {
    fn writer(&self) -> impl AsyncWrite + Unpin + Send + 'static {
        Box::pin(self.make_writer())
    }

    async fn finish(&self, status: u32) {
        let _ = self.exit_status(status).await;
        let _ = self.eof().await;
        let _ = self.close().await;
    }
}

/// Write a session's output to its channel until the session ends; `caught_up` runs when
/// dropped bytes must be drawn again (the client has read everything queued).
pub async fn forward(mut fwd: Forwarder, sink: impl Sink, caught_up: impl Fn() + Send) {
    let mut writer = sink.writer();
    let shared = Arc::clone(&fwd.shared);
    let mut status = 0;
    'run: loop {
        let chunk = tokio::select! {
            c = fwd.rx.recv() => c,
            () = shared.ended.notified() => break 'run,
        };
        match chunk {
            Some(Chunk::Data(bytes)) if bytes.is_empty() => {
                if shared.queued.load(Ordering::Acquire) == 0
                    && shared.lost.swap(false, Ordering::AcqRel)
                {
                    caught_up();
                }
            }
            Some(Chunk::Data(bytes)) => {
                // A write is never cut short and followed by another: russh's writer would
                // send the rest of the old buffer for the new one. Once the session is
                // over, a write still waiting gets the goodbye's time, and then the
                // channel is given up.
                let write = writer.write_all(&bytes);
                tokio::pin!(write);
                let written = tokio::select! {
                    r = &mut write => r,
                    () = shared.ended.notified() => {
                        match tokio::time::timeout(GOODBYE_TIME, &mut write).await {
                            Ok(r) => r,
                            Err(_) => return,
                        }
                    }
                };
                if written.is_err() {
                    return;
                }
                let _ = writer.flush().await;
                done(&shared, bytes.len());
                if shared.queued.load(Ordering::Acquire) == 0
                    && shared.lost.swap(false, Ordering::AcqRel)
                {
                    caught_up();
                }
            }
            Some(Chunk::End(s)) => {
                status = s;
                break 'run;
            }
            None => return,
        }
    }
    // Goodbye: what is left (restore sequences, the message), then the exit status, in
    // bounded time.
    let goodbye = async {
        while let Ok(chunk) = fwd.rx.try_recv() {
            match chunk {
                Chunk::Data(bytes) => {
                    if writer.write_all(&bytes).await.is_err() {
                        return;
                    }
                    done(&shared, bytes.len());
                }
                Chunk::End(s) => status = s,
            }
        }
        let _ = writer.flush().await;
        sink.finish(status).await;
    };
    let _ = tokio::time::timeout(GOODBYE_TIME, goodbye).await;
}

fn done(shared: &Shared, n: usize) {
    shared.queued.fetch_sub(n, Ordering::AcqRel);
    shared.sent.fetch_add(n as u64, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_budget_frames_are_dropped_and_the_screen_marked_lost() {
        let (mut out, mut fwd) = channel(10);
        out.write_all(b"12345678").unwrap();
        out.flush().unwrap();
        out.write_all(b"abcdef").unwrap();
        out.flush().unwrap();
        assert!(out.shared().lost.load(Ordering::Acquire));
        assert_eq!(out.shared().queued.load(Ordering::Acquire), 8);
        assert!(matches!(fwd.rx.try_recv(), Ok(Chunk::Data(b)) if b == b"12345678"));
        assert!(matches!(fwd.rx.try_recv(), Ok(Chunk::Data(b)) if b.is_empty()));
        assert!(fwd.rx.try_recv().is_err());
    }

    /// A sink that takes everything at once.
    struct Drain;

    impl Sink for Drain {
        fn writer(&self) -> impl AsyncWrite + Unpin + Send + 'static {
            tokio::io::sink()
        }
        async fn finish(&self, _status: u32) {}
    }

    #[tokio::test]
    async fn a_frame_dropped_just_as_the_queue_drained_is_drawn_again_without_a_key() {
        let (mut out, fwd) = channel(10);
        // The forwarder has written everything and found nothing lost; only then does
        // the session's flush, which saw the queue full, drop its frame.
        out.shared().queued.store(10, Ordering::Release);
        out.write_all(b"abcdef").unwrap();
        out.flush().unwrap();
        out.shared().queued.store(0, Ordering::Release);
        let redraws = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&redraws);
        // The session goes away quietly: the forwarder ends when the queue is empty.
        drop(out);
        forward(fwd, Drain, move || {
            seen.fetch_add(1, Ordering::AcqRel);
        })
        .await;
        assert_eq!(redraws.load(Ordering::Acquire), 1);
    }
}
