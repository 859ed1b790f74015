//! Frames paced by the link: after a frame the session asks the terminal where its cursor
//! is (`CSI 6n`) and draws nothing more until the answer is back. The answer can only
//! arrive once the terminal has received the whole frame, so on a slow SSH link frames
//! never queue up behind each other: every input is still applied at once, and the frame
//! drawn when the answer comes shows the latest state (held `j`: several lines in one
//! scroll, not one frame per key). Locally the answer takes well under a millisecond, so
//! nothing changes there.
//!
//! Waiting for each answer would leave the link idle for a round trip after every frame. So
//! the answer times also measure the link (round trip = the shortest answer, rate = bytes
//! over the rest), and a second frame may go out, before the first is answered, once the
//! first has left the link by that estimate; never more than two are out.
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

/// A frame written and not yet answered.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Out {
    since: Instant,
    bytes: usize,
    /// Sent while another frame was out: its answer time includes queueing, not a sample.
    queued: bool,
}

/// At most this many frames out at once: the second is written when the first has
/// (probably) left the link, so the link does not sit idle for a round trip.
const MAX_OUT: usize = 2;

/// On a link that drains at once (no rate to measure: a fast network, a local terminal)
/// frames are limited only by this many out, enough for key repeat over a long round trip.
const MAX_OUT_FAST: usize = 4;

#[derive(Debug, Clone)]
pub struct Pacer {
    paced: bool,
    out: std::collections::VecDeque<Out>,
    timeout: Duration,
    /// The shortest answer time seen: the round trip (small queries, small frames).
    rtt: Option<Duration>,
    /// The link's rate in bytes per second, from the answer times of frames sent on an
    /// idle link: `time = round trip + bytes / rate`.
    rate: Option<f64>,
}

impl Pacer {
    /// A pacer for a terminal that answers cursor queries (`paced`), or one that draws at once.
    pub fn new(paced: bool) -> Pacer {
        Pacer {
            paced,
            out: std::collections::VecDeque::new(),
            timeout: FRAME_TIMEOUT,
            rtt: None,
            rate: None,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Pacer {
        self.timeout = timeout;
        self
    }

    /// A query of `bytes` sent at `since` was answered at `now` on an idle link (the
    /// start-up probe): a sample of the round trip.
    pub fn sample(&mut self, since: Instant, bytes: usize, now: Instant) {
        let took = now.saturating_duration_since(since);
        self.rtt = Some(self.rtt.map_or(took, |r| r.min(took)));
        // A frame with no bytes (nothing changed) says nothing of the rate; its rate
        // would be 0, and a later frame's drain time infinite.
        if let Some(rtt) = self.rtt.filter(|_| bytes > 0) {
            let drain = took.saturating_sub(rtt).as_secs_f64();
            // Below a few milliseconds the difference is noise: the link drains at once.
            self.rate = Some(if drain > 0.005 {
                bytes as f64 / drain
            } else {
                f64::INFINITY
            });
        }
    }

    /// When the last frame written has (by the estimate) left the link, if it is known.
    fn drained_at(&self) -> Option<Instant> {
        let last = self.out.back()?;
        let rate = self.rate?;
        // A rate of 0 (measured on a frame of 0 bytes) gives an infinite or NaN time: no
        // estimate, rather than a panic.
        let drain = Duration::try_from_secs_f64(last.bytes as f64 / rate).ok()?;
        last.since.checked_add(drain)
    }

    fn max_out(&self) -> usize {
        match self.rate {
            Some(r) if r.is_infinite() => MAX_OUT_FAST,
            _ => MAX_OUT,
        }
    }

    /// True when a frame may be drawn now: nothing out, or fewer than the most frames out
    /// and the last one has left the link by the estimate.
    pub fn may_draw(&self, now: Instant) -> bool {
        match self.out.len() {
            0 => true,
            n if n < self.max_out() => self.drained_at().is_some_and(|t| now >= t),
            _ => false,
        }
    }

    /// True while frames are paced (the terminal has not failed to answer).
    pub fn paced(&self) -> bool {
        self.paced
    }

    /// A frame of `bytes` was written at `now`: the query to write after it, if any.
    pub fn drawn(&mut self, now: Instant, bytes: usize) -> Option<&'static str> {
        if !self.paced {
            return None;
        }
        let queued = !self.out.is_empty();
        self.out.push_back(Out {
            since: now,
            bytes,
            queued,
        });
        Some(CURSOR_QUERY)
    }

    /// A cursor position report came in at `now`: true when it answers a frame (frames
    /// may go on), false when it is to be dropped (late, or one too many).
    pub fn answered(&mut self, now: Instant) -> bool {
        let Some(o) = self.out.pop_front() else {
            return false;
        };
        if !o.queued {
            self.sample(o.since, o.bytes, now);
        }
        true
    }

    /// Forget the frames out (the terminal was given back and is drawn afresh): their
    /// answers, if they come, are dropped, and say nothing about the link.
    pub fn forget(&mut self) {
        self.out.clear();
    }

    /// When the driver must wake the session: the oldest query's timeout, or, with a
    /// frame waiting to be drawn (`pending`), the moment the link is free for it.
    pub fn deadline(&self, pending: bool) -> Option<Instant> {
        let timeout = self.out.front().map(|o| o.since + self.timeout);
        let drained = (pending && self.out.len() < self.max_out())
            .then(|| self.drained_at())
            .flatten();
        match (timeout, drained) {
            (Some(t), Some(d)) => Some(t.min(d)),
            (t, d) => t.or(d),
        }
    }

    /// Time has passed: at or past the oldest query's deadline, give up waiting and draw
    /// unpaced from now on. True when that happened.
    pub fn expire(&mut self, now: Instant) -> bool {
        match self.out.front() {
            Some(o) if now >= o.since + self.timeout => {
                self.paced = false;
                self.out.clear();
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
    fn an_empty_frame_answered_late_does_not_make_the_rate_zero() {
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        p.sample(t0, 30, t0 + Duration::from_millis(10));
        p.drawn(t0, 0);
        assert!(p.answered(t0 + Duration::from_millis(60)));
        p.drawn(t0 + Duration::from_millis(60), 900);
        p.deadline(true);
        p.may_draw(t0 + Duration::from_millis(70));
        assert_ne!(p.rate, Some(0.0));
    }

    #[test]
    fn a_frame_waits_for_the_answer_to_the_one_before() {
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        assert!(p.may_draw(t0));
        assert_eq!(p.drawn(t0, 900), Some(CURSOR_QUERY));
        assert!(!p.may_draw(t0 + FRAME_TIMEOUT / 2), "no rate known: wait");
        assert_eq!(p.deadline(true), Some(t0 + FRAME_TIMEOUT));
        assert!(p.answered(t0 + Duration::from_millis(100)));
        assert!(p.may_draw(t0));
        assert!(!p.answered(t0), "a second answer is dropped");
        assert!(p.may_draw(t0));
    }

    #[test]
    fn no_answer_in_time_means_unpaced_for_good() {
        let t0 = Instant::now();
        let mut p = Pacer::new(true).with_timeout(Duration::from_millis(100));
        p.drawn(t0, 900);
        assert!(!p.expire(t0 + Duration::from_millis(99)));
        assert!(!p.may_draw(t0));
        assert!(p.expire(t0 + Duration::from_millis(100)));
        assert!(p.may_draw(t0) && !p.paced());
        assert_eq!(p.drawn(t0, 900), None, "no more queries");
        assert!(!p.answered(t0), "the late answer is dropped");
        assert_eq!(p.deadline(true), None);
    }

    #[test]
    fn an_empty_frame_on_a_slow_link_does_not_panic() {
        // Seen under `dubao serve` load: a frame of 0 bytes measured over a slow answer
        // gives a rate of 0, and the next estimate 1600 / 0 = infinity.
        let ms = Duration::from_millis;
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        p.sample(t0, 30, t0 + ms(10));
        p.drawn(t0 + ms(10), 0);
        assert!(p.answered(t0 + ms(500)));
        p.drawn(t0 + ms(600), 1600);
        // The empty frame is no sample: the probe's estimate (drains at once) still holds.
        assert!(p.may_draw(t0 + ms(700)), "the probe's estimate, no panic");
        assert!(p.answered(t0 + ms(800)));
        assert!(p.may_draw(t0 + ms(800)));
    }

    #[test]
    fn unpaced_never_asks() {
        let mut p = Pacer::new(false);
        assert_eq!(p.drawn(Instant::now(), 900), None);
        assert!(p.may_draw(Instant::now()));
    }

    #[test]
    fn a_link_that_drains_at_once_is_barely_paced() {
        let ms = Duration::from_millis;
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        p.sample(t0, 30, t0 + ms(100));
        p.drawn(t0 + ms(100), 900);
        assert!(p.answered(t0 + ms(201)), "900 bytes took no time: fast");
        let t1 = t0 + ms(300);
        for n in 0..MAX_OUT_FAST {
            assert!(p.may_draw(t1), "frame {n}");
            p.drawn(t1, 900);
        }
        assert!(!p.may_draw(t1));
    }

    #[test]
    fn on_a_measured_link_the_next_frame_goes_when_the_last_has_drained() {
        let ms = Duration::from_millis;
        let t0 = Instant::now();
        let mut p = Pacer::new(true);
        // The probe: 30 bytes answered after 100 ms, the round trip.
        p.sample(t0, 30, t0 + ms(100));
        // 800 bytes answered after 200 ms: 100 ms to drain, 8000 B/s.
        let t1 = t0 + ms(200);
        p.drawn(t1, 800);
        assert!(p.answered(t1 + ms(200)));
        // 1600 bytes written at t2 drain in 200 ms: the next frame may go then, before
        // the answer (due 100 ms later); a third must wait for an answer.
        let t2 = t1 + ms(300);
        p.drawn(t2, 1600);
        assert!(!p.may_draw(t2 + ms(150)));
        let free = p.deadline(true).expect("a time to wake");
        assert!(
            free >= t2 + ms(190) && free <= t2 + ms(210),
            "{:?}",
            free - t2
        );
        assert_eq!(p.deadline(false), Some(t2 + FRAME_TIMEOUT));
        assert!(p.may_draw(free));
        p.drawn(free, 1600);
        assert!(!p.may_draw(free + ms(1000)), "two out: wait for an answer");
        assert!(p.answered(t2 + ms(300)));
        assert!(p.answered(free + ms(300)));
        assert!(p.may_draw(free + ms(300)));
    }
}
