//! A fixture page of our own (tests/fixtures/typo/page.txt: a two-line title with kicker and
//! subtitle, a spaced long title, a closing byline, a table of numbers, numbers with measure
//! words, quotes after 、, a quoted phrase in a long title, the source's bold) laid out by
//! `dubao cat`'s code at every width of the typography review in both ambiguous widths, and in
//! print style and Markdown: one snapshot to read like the page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::process::Command;

use dubao::text::AmbiguousWidth;

/// `dubao cat` on the fixture with an empty config.
fn render(width: u16, amb: AmbiguousWidth, indent: bool, markdown: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let amb = if amb == AmbiguousWidth::Wide {
        "2"
    } else {
        "1"
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dubao"));
    cmd.arg("cat")
        .arg("tests/fixtures/typo/page.txt")
        .arg("--config")
        .arg(&config)
        .args(["--width", &width.to_string(), "--ambiguous-width", amb]);
    if indent {
        cmd.arg("--indent");
    }
    if markdown {
        cmd.arg("--markdown");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn fixture_page_at_the_review_widths() {
    let mut all = String::new();
    let widths = [20u16, 33, 40, 41, 60, 72, 80];
    let ambs = [AmbiguousWidth::Narrow, AmbiguousWidth::Wide];
    for (w, amb) in widths.iter().flat_map(|&w| ambs.map(|a| (w, a))) {
        let text = render(w, amb, false, false);
        for line in text.lines() {
            let lw = dubao::text::width(line, amb);
            assert!(lw <= usize::from(w), "{w} {amb:?}: {line:?} is {lw}");
        }
        let rule = "=".repeat(usize::from(w));
        all.push_str(&format!("{rule}\nwidth {w}, {amb:?}\n{rule}\n{text}\n"));
    }
    insta::assert_snapshot!("fixture_page", all);
}

#[test]
fn fixture_page_in_print_style_and_markdown() {
    let text = format!(
        "{}\n==== markdown ====\n{}",
        render(40, AmbiguousWidth::Narrow, true, false),
        render(40, AmbiguousWidth::Narrow, false, true)
    );
    insta::assert_snapshot!("fixture_page_print_and_markdown_40", text);
}
