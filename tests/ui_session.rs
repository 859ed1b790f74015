//! Sessions driven the way a second transport (an SSH channel) would: no tty, an in-memory
//! writer of a given size, one input at a time. A vt100 screen plays each terminal. Also the
//! frame pacing with fake terminals that answer late, never, or twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod ui_support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use dubao::library;
use dubao::parse::ParseOptions;
use dubao::text::AmbiguousWidth;
use dubao::ui::input::Reply;
use dubao::ui::keymap::Keymap;
use dubao::ui::view::theme::Theme;
use dubao::ui::{Flow, Input, Options, Session, Setup};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ui_support::Sink;

/// Paragraph k of the long story holds only MARKS[k] and punctuation.
const MARKS: [char; 6] = ['甲', '乙', '丙', '丁', '戊', '己'];

fn library(dir: &std::path::Path) -> Setup {
    let mut page = String::from("# 第一篇长文\n\n");
    for m in MARKS {
        let clause: String = std::iter::repeat_n(m, 7).collect();
        let para: Vec<String> = (0..27).map(|_| clause.clone()).collect();
        page.push_str(&format!("　　{}。\n\n", para.join("，")));
    }
    page.push_str("## 第二篇短讯\n\n　　短讯正文。\n");
    let path = dir.join("2026-11-28.txt");
    std::fs::write(&path, page).unwrap();
    Setup {
        index: library::scan(&[path]),
        state_dir: dir.join("state"),
        keymap: Keymap::default(),
        theme: Theme::new(true, &Default::default()).0,
        opts: Options::default(),
        amb: None,
        parse: ParseOptions::default(),
        library: None,
        local_terminal: false,
        warnings: Vec::new(),
        search_cache: None,
    }
}

/// One session and the terminal it draws on.
struct Fake {
    session: Session<Sink>,
    sink: Sink,
    screen: vt100::Parser,
    loaded: mpsc::Receiver<()>,
    /// Cursor queries seen so far.
    asked: usize,
    now: Instant,
}

impl Fake {
    fn new(setup: &Setup, w: u16, h: u16) -> Fake {
        let sink = Sink::default();
        let (tx, loaded) = mpsc::channel();
        let session = Session::new(setup.clone(), sink.clone(), (w, h), move || {
            let _ = tx.send(());
        })
        .unwrap();
        Fake {
            session,
            sink,
            screen: vt100::Parser::new(h, w, 0),
            loaded,
            asked: 0,
            now: Instant::now(),
        }
    }

    /// Bytes written since the last look, shown on the screen; returns the cursor queries
    /// among them.
    fn look(&mut self) -> usize {
        let bytes = self.sink.take();
        self.screen.process(&bytes);
        let asks = bytes.windows(4).filter(|w| w == b"\x1b[6n").count();
        self.asked += asks;
        asks
    }

    fn input(&mut self, input: Input) {
        assert_eq!(
            self.session.handle(input, self.now).unwrap(),
            Flow::Continue
        );
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            let k = match c {
                '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
                '\r' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            };
            self.input(Input::Key(k));
        }
    }

    /// The terminal answers the oldest cursor query, 100 ms on: a frame takes that long to
    /// drain, so the next may not go before the answer.
    fn answer(&mut self) {
        self.now += Duration::from_millis(100);
        self.input(Input::Reply(Reply::Cursor { row: 1, col: 1 }));
    }

    /// Wait for the loader and hand the session what it parsed.
    fn wait_loaded(&mut self) {
        self.loaded
            .recv_timeout(Duration::from_secs(10))
            .expect("the issue loads");
        self.input(Input::Loaded);
    }

    /// Start probing a terminal that answers narrow, with cursor reports; open the long
    /// story and focus its body.
    fn open_paced(&mut self) {
        self.session.start(true, self.now).unwrap();
        assert_eq!(self.look(), 1, "the probe asks once");
        // The probe's 30 bytes come back at once; a frame takes 100 ms more (`answer`):
        // a link that drains slowly.
        self.input(Input::Reply(Reply::Cursor { row: 1, col: 4 }));
        self.input(Input::Reply(Reply::DeviceAttributes));
        assert_eq!(self.look(), 1, "the first frame asks");
        // Each step draws at once (the last frame was answered) and asks again.
        for step in ["loaded", "\t", "\r"] {
            self.answer();
            match step {
                "loaded" => self.wait_loaded(),
                keys => self.keys(keys),
            }
            assert_eq!(self.look(), 1, "{step:?} is drawn and asks");
        }
        self.answer();
        assert!(self.text().contains("甲甲甲"), "{}", self.text());
    }

    fn text(&self) -> String {
        self.screen.screen().contents()
    }
}

/// A paced session at 100×30 with the long story open and its body focused.
fn paced(dir: &std::path::Path) -> (Setup, Fake) {
    let setup = library(dir);
    let mut f = Fake::new(&setup, 100, 30);
    f.open_paced();
    (setup, f)
}

/// The screen an unpaced session shows after the same keys.
fn reference(setup: &Setup, w: u16, h: u16, keys: &str) -> String {
    // Its own state: not where the session under test has read to.
    let state = tempfile::tempdir().unwrap();
    let setup = Setup {
        state_dir: state.path().to_path_buf(),
        ..setup.clone()
    };
    let mut f = Fake::new(&setup, w, h);
    f.session.start(false, f.now).unwrap();
    f.wait_loaded();
    f.keys("\t\r");
    f.keys(keys);
    f.look();
    assert_eq!(f.asked, 0, "unpaced: no queries");
    f.text()
}

#[test]
fn two_sessions_in_one_process_on_two_sizes_go_their_own_ways() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (sa, sb) = (library(da.path()), library(db.path()));
    let mut a = Fake::new(&sa, 100, 30);
    let mut b = Fake::new(&sb, 60, 20);
    a.session.start(false, a.now).unwrap();
    b.session.start(false, b.now).unwrap();
    a.wait_loaded();
    b.wait_loaded();
    // Interleaved: A opens the long story and reads on; B opens the help.
    a.keys("\t");
    b.keys("?");
    a.keys("\r");
    a.keys("jjjjjjjjjjjj");
    a.look();
    b.look();
    assert_eq!(a.session.app().width, 100);
    assert_eq!(b.session.app().width, 60);
    let (ta, tb) = (a.text(), b.text());
    assert!(ta.contains("乙乙乙") && !ta.contains("keys ("), "A:\n{ta}");
    assert!(tb.contains("─ keys "), "B:\n{tb}");
    assert!(!tb.contains("乙乙乙"), "B did not move:\n{tb}");
    // The screens are what each session's own state draws.
    assert_eq!(ta, reference(&sa, 100, 30, "jjjjjjjjjjjj"));
    // B closes its help (q closes an overlay) and quits; A goes on.
    let q = Input::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert_eq!(b.session.handle(q.clone(), b.now).unwrap(), Flow::Continue);
    assert_eq!(b.session.handle(q, b.now).unwrap(), Flow::Quit(0));
    b.session.finish().unwrap();
    a.keys("j");
    a.look();
    assert_eq!(a.text(), reference(&sa, 100, 30, "jjjjjjjjjjjjj"));
}

#[test]
fn a_late_answer_holds_frames_and_the_next_one_shows_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let (setup, mut f) = paced(dir.path());
    let before = f.text();
    f.keys("j");
    assert_eq!(f.look(), 1, "one frame, one query");
    let after_one = f.text();
    assert_ne!(after_one, before);
    // The answer is late: keys are applied, nothing is drawn.
    f.keys("jjjj");
    assert!(f.sink.take().is_empty(), "no frame while the answer is out");
    f.answer();
    assert_eq!(f.look(), 1, "one frame for four keys");
    assert_eq!(f.text(), reference(&setup, 100, 30, "jjjjj"));
}

#[test]
fn a_terminal_that_stops_answering_is_drawn_unpaced_and_late_answers_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (setup, mut f) = paced(dir.path());
    f.keys("j");
    f.look();
    f.keys("jj");
    assert!(f.sink.take().is_empty());
    // Wake at every deadline (the link drained: one more frame; then the timeout).
    while let Some(deadline) = f.session.deadline() {
        f.now = deadline;
        f.input(Input::Timeout);
    }
    f.look();
    assert_eq!(f.text(), reference(&setup, 100, 30, "jjj"));
    let asked = f.asked;
    // Each key now draws at once.
    f.keys("j");
    assert!(!f.sink.take().is_empty());
    // The late answer (and a reply that looks like a modified F3) is neither a key nor a frame.
    f.answer();
    f.input(Input::Reply(Reply::Cursor { row: 1, col: 5 }));
    assert!(f.sink.take().is_empty());
    f.keys("j");
    f.look();
    assert_eq!(f.asked, asked, "no more queries once unpaced");
}

#[test]
fn a_frame_that_changes_nothing_asks_nothing_and_holds_nothing_back() {
    let dir = tempfile::tempdir().unwrap();
    let (setup, mut f) = paced(dir.path());
    // A wake-up that changes nothing on the screen (a count or a prefetched issue came in):
    // no bytes, so no query whose answer the next key would have to wait for.
    f.input(Input::Loaded);
    assert!(f.sink.take().is_empty(), "nothing changed, nothing written");
    f.keys("j");
    assert_eq!(f.look(), 1, "the key is drawn at once and asks");
    assert_eq!(f.text(), reference(&setup, 100, 30, "j"));
}

#[test]
fn a_second_answer_to_one_query_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut f) = paced(dir.path());
    f.keys("j");
    f.look();
    f.answer();
    f.answer();
    assert!(f.sink.take().is_empty(), "nothing to draw, nothing drawn");
    f.keys("j");
    assert_eq!(f.look(), 1, "the next key draws at once and asks again");
    f.keys("j");
    assert!(f.sink.take().is_empty(), "and waits for that answer");
}

#[test]
fn keys_typed_during_the_probe_are_applied_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let setup = library(dir.path());
    let mut f = Fake::new(&setup, 80, 24);
    f.session.start(true, f.now).unwrap();
    f.look();
    f.keys("?");
    assert!(f.sink.take().is_empty(), "nothing drawn before the answers");
    // No answer at all: the probe gives up at its deadline.
    f.now = f.session.deadline().expect("the probe waits");
    f.input(Input::Timeout);
    f.look();
    assert!(f.text().contains("─ keys "), "{}", f.text());
    assert_eq!(f.session.app().opts.amb, AmbiguousWidth::Narrow);
    // Unpaced: the probe's late answers are dropped.
    f.input(Input::Reply(Reply::Cursor { row: 1, col: 5 }));
    f.input(Input::Reply(Reply::DeviceAttributes));
    assert_eq!(f.session.app().opts.amb, AmbiguousWidth::Narrow);
    assert_eq!(f.asked, 1, "only the probe asked");
}

#[test]
fn a_huge_window_is_drawn_clamped_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let setup = library(dir.path());
    let sink = Sink::default();
    let mut s = Session::new(setup.clone(), sink.clone(), (10000, 10000), || {}).unwrap();
    s.start(false, Instant::now()).unwrap();
    let (w, h) = dubao::ui::session::MAX_SIZE;
    assert_eq!((s.app().width, s.app().height), (w, h));
    let bytes = sink.take();
    assert!(bytes.len() < 4 << 20, "{} bytes for one frame", bytes.len());
    let mut screen = vt100::Parser::new(h, w, 0);
    screen.process(&bytes);
    let text = screen.screen().contents();
    assert!(text.contains("only 1000×500 of it is drawn"), "{text}");
    // A resize to a sane size draws all of it again, and beyond the limit says so again.
    let now = Instant::now();
    s.handle(
        Input::Resize {
            width: 90,
            height: 30,
        },
        now,
    )
    .unwrap();
    assert_eq!((s.app().width, s.app().height), (90, 30));
    s.handle(
        Input::Resize {
            width: 5000,
            height: 40,
        },
        now,
    )
    .unwrap();
    assert_eq!((s.app().width, s.app().height), (1000, 40));
    let msg = s.app().message.as_ref().map(|m| m.text.clone());
    assert!(msg.is_some_and(|m| m.contains("5000×40")));
}
