//! The start-up probe: one round trip asks the terminal for its ambiguous width, cursor
//! reports and margins; inputs that arrive meanwhile wait and are applied when it is over.

use std::io::{self, Write};
use std::time::Instant;

use super::{Flow, Input, Session};
use crate::ui::action::Action;
use crate::ui::input::Reply;
use crate::ui::pacing::Pacer;
use crate::ui::term::{PROBE_QUERY, PROBE_TIMEOUT, Probe, TermCaps};

/// The start-up probe, while it waits for its replies.
pub(super) struct Probing {
    probe: Probe,
    sent: Instant,
    /// When the cursor answer came: the round trip, for the pacer.
    answered: Option<Instant>,
    deadline: Instant,
    /// Inputs that came meanwhile, applied once the probe is over.
    queued: Vec<Input>,
}

impl Probing {
    pub(super) fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl<W: Write> Session<W> {
    /// An input while the probe waits: a reply to it, its deadline, or something to apply
    /// once it is over.
    pub(super) fn probe_input(&mut self, input: Input, now: Instant) -> io::Result<Flow> {
        let Some(p) = &mut self.probing else {
            return Ok(Flow::Continue);
        };
        let done = match &input {
            Input::Reply(r) => {
                if matches!(r, Reply::Cursor { .. }) {
                    p.answered.get_or_insert(now);
                }
                p.probe.take(*r)
            }
            Input::Timeout => now >= p.deadline,
            _ => {
                p.queued.push(input);
                false
            }
        };
        if !done {
            return Ok(Flow::Continue);
        }
        let Some(p) = self.probing.take() else {
            return Ok(Flow::Continue);
        };
        let caps = p.probe.caps();
        self.pacer = Pacer::new(caps.cursor_reports);
        if let Some(at) = p.answered {
            self.pacer.sample(p.sent, PROBE_QUERY.len(), at);
        }
        self.begin(caps, p.queued, now)
    }
    /// Start: with `probe`, ask the terminal what it can do and draw the first frame when it
    /// has answered (or [`PROBE_TIMEOUT`] passed); without, draw now for a terminal that
    /// is not asked anything (narrow unless set, unpaced, no margins).
    pub fn start(&mut self, probe: bool, now: Instant) -> io::Result<Flow> {
        if !probe {
            return self.begin(TermCaps::UNKNOWN, Vec::new(), now);
        }
        let w = self.screen.backend_mut();
        w.write_all(PROBE_QUERY.as_bytes())?;
        Write::flush(w)?;
        self.probing = Some(Probing {
            probe: Probe::default(),
            sent: now,
            answered: None,
            deadline: now + PROBE_TIMEOUT,
            queued: Vec::new(),
        });
        Ok(Flow::Continue)
    }

    /// The probe is over: set up with what it found, and draw the first frame.
    pub(super) fn begin(
        &mut self,
        caps: TermCaps,
        queued: Vec<Input>,
        now: Instant,
    ) -> io::Result<Flow> {
        self.app.opts.amb = self.amb.unwrap_or(caps.amb);
        if self.pacer.paced() != caps.cursor_reports {
            self.pacer = Pacer::new(caps.cursor_reports);
        }
        self.screen.backend_mut().set_margins(caps.margins);
        let (width, height) = (self.app.width, self.app.height);
        self.screen.resize(width, height)?;
        self.app.update(Action::Resize { width, height });
        let first = self.app.start();
        self.app.notify(std::mem::take(&mut self.warnings));
        if let Flow::Quit(code) = self.perform(first)? {
            return Ok(Flow::Quit(code));
        }
        for input in queued {
            if let Flow::Quit(code) = self.apply(input)? {
                return Ok(Flow::Quit(code));
            }
        }
        self.dirty = true;
        self.draw_if_due(now)?;
        self.begun = true;
        self.background_if_due(false);
        Ok(Flow::Continue)
    }
}
