use super::*;

fn parse(chunks: &[&[u8]]) -> Vec<TermInput> {
    let mut p = InputParser::default();
    let mut out = Vec::new();
    for c in chunks {
        p.feed(c, &mut out);
    }
    out
}

fn k(code: KeyCode, mods: KeyModifiers) -> TermInput {
    key(code, mods)
}

fn ch(c: char) -> TermInput {
    k(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn plain_keys_controls_and_cjk() {
    let ctrl = KeyModifiers::CONTROL;
    assert_eq!(
        parse(&["j 平\r\t\x7f\x04".as_bytes()]),
        vec![
            ch('j'),
            ch(' '),
            ch('平'),
            k(KeyCode::Enter, KeyModifiers::NONE),
            k(KeyCode::Tab, KeyModifiers::NONE),
            k(KeyCode::Backspace, KeyModifiers::NONE),
            k(KeyCode::Char('d'), ctrl),
        ]
    );
    assert_eq!(
        parse(&[b"G"]),
        vec![k(KeyCode::Char('G'), KeyModifiers::SHIFT)]
    );
}

#[test]
fn a_character_split_across_chunks_waits_for_its_end() {
    let b = "平".as_bytes();
    assert_eq!(parse(&[&b[..1], &b[1..2], &b[2..]]), vec![ch('平')]);
}

#[test]
fn escape_sequences_are_keys() {
    let none = KeyModifiers::NONE;
    assert_eq!(
        parse(&[b"\x1b[A\x1bOB\x1b[5~\x1b[6~\x1b[Z\x1b[1;5C\x1b[3~\x1b[15~"]),
        vec![
            k(KeyCode::Up, none),
            k(KeyCode::Down, none),
            k(KeyCode::PageUp, none),
            k(KeyCode::PageDown, none),
            k(KeyCode::BackTab, KeyModifiers::SHIFT),
            k(KeyCode::Right, KeyModifiers::CONTROL),
            k(KeyCode::Delete, none),
            k(KeyCode::F(5), none),
        ]
    );
}

#[test]
fn a_lone_escape_is_the_key_and_a_split_sequence_waits() {
    assert_eq!(parse(&[b"\x1b"]), vec![k(KeyCode::Esc, KeyModifiers::NONE)]);
    assert_eq!(
        parse(&[b"\x1b[", b"B"]),
        vec![k(KeyCode::Down, KeyModifiers::NONE)]
    );
    assert_eq!(
        parse(&[b"\x1bx"]),
        vec![k(KeyCode::Char('x'), KeyModifiers::ALT)]
    );
}

#[test]
fn replies_are_never_keys() {
    assert_eq!(
        parse(&[b"\x1b[12;40R", b"\x1b[?69;2$y\x1b[?62;22c", b"j"]),
        vec![
            TermInput::Reply(Reply::Cursor { row: 12, col: 40 }),
            TermInput::Reply(Reply::Mode { mode: 69, value: 2 }),
            TermInput::Reply(Reply::DeviceAttributes),
            ch('j'),
        ]
    );
    // Split anywhere, a reply is still a reply.
    assert_eq!(
        parse(&[b"\x1b[1", b"2;4", b"0R"]),
        vec![TermInput::Reply(Reply::Cursor { row: 12, col: 40 })]
    );
    // An OSC answer is skipped whole.
    assert_eq!(
        parse(&[b"\x1b]11;rgb:0000/0000/0000\x1b\\q"]),
        vec![ch('q')]
    );
}

#[test]
fn sgr_mouse_wheel_and_click() {
    let out = parse(&[b"\x1b[<65;80;15M\x1b[<0;45;3M\x1b[<0;45;3m"]);
    let kinds: Vec<_> = out
        .iter()
        .map(|i| match i {
            TermInput::Mouse(m) => (m.kind, m.column, m.row),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (MouseEventKind::ScrollDown, 79, 14),
            (MouseEventKind::Down(MouseButton::Left), 44, 2),
            (MouseEventKind::Up(MouseButton::Left), 44, 2),
        ]
    );
}

#[test]
fn bracketed_paste_is_one_input_even_in_pieces() {
    assert_eq!(
        parse(&[b"\x1b[200~note ", "平 j\x1b[20".as_bytes(), b"1~k"]),
        vec![TermInput::Paste("note 平 j".to_string()), ch('k')]
    );
}

#[test]
fn a_paste_that_never_ends_and_an_endless_sequence_stay_bounded() {
    let mut p = InputParser::default();
    let mut out = Vec::new();
    p.feed(b"\x1b[200~", &mut out);
    for _ in 0..100 {
        p.feed(&[b'a'; 4096], &mut out);
    }
    p.feed(b"\x1b[201~q", &mut out);
    match &out[..] {
        [TermInput::Paste(t), TermInput::Key(k)] => {
            assert_eq!(t.len(), MAX_PASTE);
            assert_eq!(k.code, KeyCode::Char('q'));
        }
        other => panic!("{other:?}"),
    }
    out.clear();
    p.feed(b"\x1b[", &mut out);
    for _ in 0..100 {
        p.feed(&[b'1'; 100], &mut out);
    }
    assert!(p.pending.len() <= MAX_CSI + 100, "{}", p.pending.len());
    p.feed(b"q", &mut out);
    assert!(
        out.iter()
            .any(|i| matches!(i, TermInput::Key(k) if k.code == KeyCode::Char('q')))
    );
}
