//! Frames paced by the link: after a frame the session asks the terminal where its cursor
//! is (`CSI 6n`) and draws nothing more until the answer is back. The answer can only
//! arrive once the terminal has received the whole frame, so on a slow SSH link frames
//! never queue up behind each other: every input is still applied at once, and the frame
//! drawn when the answer comes shows the latest state (held `j`: several lines in one
//! scroll, not one frame per key). Locally the answer takes well under a millisecond, so
//! nothing changes there.
//!
//! A terminal that does not answer within [`FRAME_TIMEOUT`] is drawn unpaced from then on;
//! answers that come after that, or more answers than were asked for, are dropped. Time is
//! passed in, so the state machine is tested without a clock.

use std::time::{Duration, Instant};

/// The query written after a frame.
pub const CURSOR_QUERY: &str = "\u{1b}[6n";

/// How long a frame's answer may take before the terminal counts as one that does not
/// answer. Generous: at 4 KB/s a full repaint of a big window takes a few seconds to arrive,
/// and the answer comes after it; the start-up probe has already shown that this terminal
/// answers at all.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Draw at once, never ask (no answer expected).
    Unpaced,
    /// Nothing asked: the next frame may be drawn.
    Ready,
    /// A query is out since this instant: hold frames.
    Waiting(Instant),
}

#[derive(Debug, Clone)]
pub struct Pacer {
    state: State,
    timeout: Duration,
}

impl Pacer {
    /// A pacer for a terminal that answers cursor queries (`paced`), or one that draws at once.
    pub fn new(paced: bool) -> Pacer {
        Pacer {
            state: if paced { State::Ready } else { State::Unpaced },
            timeout: FRAME_TIMEOUT,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Pacer {
        self.timeout = timeout;
        self
    }

    /// True when a frame may be drawn now.
    pub fn may_draw(&self) -> bool {
        !matches!(self.state, State::Waiting(_))
    }

    /// True while frames are paced (the terminal has not failed to answer).
    pub fn paced(&self) -> bool {
        self.state != State::Unpaced
    }

    /// A frame was written at `now`: the query to write after it, if any.
    pub fn drawn(&mut self, now: Instant) -> Option<&'static str> {
        match self.state {
            State::Unpaced => None,
            _ => {
                self.state = State::Waiting(now);
                Some(CURSOR_QUERY)
            }
        }
    }

    /// A cursor position report came in: true when it was the awaited one (frames may
    /// go on), false when it is to be dropped (late, or one too many).
    pub fn answered(&mut self) -> bool {
        match self.state {
            State::Waiting(_) => {
                self.state = State::Ready;
                true
            }
            _ => false,
        }
    }

    /// When the outstanding query times out, if one is out.
    pub fn deadline(&self) -> Option<Instant> {
        match self.state {
            State::Waiting(since) => Some(since + self.timeout),
            _ => None,
        }
    }

    /// Time has passed: at or past the deadline, give up waiting and draw unpaced from now
    /// on. True when that happened.
    pub fn expire(&mut self, now: Instant) -> bool {
        match self.deadline() {
            Some(d) if now >= d => {
                self.state = State::Unpaced;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_waits_for_the_answer_to_the_one_before() {
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        assert!(p.may_draw());
        assert_eq!(p.drawn(t0), Some(CURSOR_QUERY));
        assert!(!p.may_draw());
        assert_eq!(p.deadline(), Some(t0 + FRAME_TIMEOUT));
        assert!(p.answered());
        assert!(p.may_draw());
        assert!(!p.answered(), "a second answer is dropped");
        assert!(p.may_draw());
    }

    #[test]
    fn no_answer_in_time_means_unpaced_for_good() {
        let t0 = Instant::now();
        let mut p = Pacer::new(true).with_timeout(Duration::from_millis(100));
        p.drawn(t0);
        assert!(!p.expire(t0 + Duration::from_millis(99)));
        assert!(!p.may_draw());
        assert!(p.expire(t0 + Duration::from_millis(100)));
        assert!(p.may_draw() && !p.paced());
        assert_eq!(p.drawn(t0), None, "no more queries");
        assert!(!p.answered(), "the late answer is dropped");
        assert_eq!(p.deadline(), None);
    }

    #[test]
    fn unpaced_never_asks() {
        let mut p = Pacer::new(false);
        assert_eq!(p.drawn(Instant::now()), None);
        assert!(p.may_draw());
    }
}
