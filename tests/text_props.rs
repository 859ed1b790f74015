//! Property tests of the line breaker on random mixes of CJK, punctuation, digits and Latin
//! words at widths 2..120, both ambiguous-width settings, hanging on and off:
//! - no line wider than the width (+2 for a hanging mark), except a lone grapheme wider than
//!   the width (width 1 or 2 cannot always hold one: `—` is 2 cells wide in wide mode);
//! - nothing lost or reordered: lines are in-order slices and only break spaces fall between;
//! - breaks only at break opportunities, except inside a unit wider than the line (forced)
//!   and between a number and its measure word (T4's fallback);
//! - no kinsoku violation except at a forced break (a unit wider than the line, e.g. `响，`
//!   at width < 4 or a long quoted run) — the unavoidable case;
//! - no break inside `[0-9A-Za-z.]+` unless that run is wider than the line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::text::wrap::ORPHAN_SLACK;
use dubao::text::{
    AmbiguousWidth, WrapOptions, break_units, is_no_end, is_no_start, is_orphan, width, wrap,
};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn token() -> impl Strategy<Value = String> {
    let cjk = prop::sample::select(vec![
        "平", "城", "区", "安", "全", "生", "产", "人", "才", "新", "日", "万元",
    ]);
    let punct = prop::sample::select(vec![
        "，", "。", "、", "；", "：", "！", "？", "“", "”", "《", "》", "（", "）", "……", "——",
        "·", "～", "%", "‘", "’", "【", "】", "(", ")", "　",
    ]);
    let digits = "[0-9]{1,6}(\\.[0-9]{1,2})?";
    let latin = prop::sample::select(vec![
        "iPhone",
        "COVID-19",
        "5G",
        "www.dtnews.cn",
        "http://a.cn/b/c",
        "the",
        "news",
        "x",
    ]);
    prop_oneof![
        6 => cjk.prop_map(str::to_string),
        3 => punct.prop_map(str::to_string),
        2 => digits.prop_map(|s| s),
        1 => latin.prop_map(str::to_string),
        1 => Just(" ".to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..80).prop_map(|v| v.concat())
}

fn check(
    text: &str,
    w: usize,
    amb: AmbiguousWidth,
    hang: bool,
    orphans: bool,
) -> Result<(), TestCaseError> {
    let mut opts = WrapOptions::new(w, amb);
    opts.hang = hang;
    opts.orphans = orphans;
    let lines = wrap(text, &opts);
    let unit_ends: Vec<(usize, usize)> = break_units(text).collect();
    let mut prev_end = 0;
    for (k, line) in lines.iter().enumerate() {
        let s = &text[line.range.clone()];
        let sw = width(s, amb);
        // Width.
        let margin = if line.hanging { 2 } else { 0 };
        let lone = s.graphemes(true).count() == 1;
        prop_assert!(sw <= w + margin || lone, "line {k} {s:?} is {sw} > {w}");
        prop_assert!(!line.hanging || hang);
        if line.hanging {
            let mark = s.chars().next_back().unwrap_or(' ');
            prop_assert!(dubao::text::is_hangable(mark), "{s:?} hangs no mark");
            prop_assert!(sw - dubao::text::char_width(mark, amb) <= w);
        }
        // Order and loss: the gap before this line is break spaces only (leading text kept).
        prop_assert!(line.range.start >= prev_end);
        let gap = &text[prev_end..line.range.start];
        prop_assert!(
            gap.chars().all(|c| c == ' '),
            "lost {gap:?} before line {k}"
        );
        prop_assert!(!s.is_empty());
        if k + 1 < lines.len() {
            let next = &lines[k + 1];
            let at = next.range.start;
            let last = s.chars().next_back().unwrap_or(' ');
            let first = text[at..].chars().next().unwrap_or(' ');
            if line.forced {
                // Forced: strictly inside a unit wider than the line.
                let unit = unit_ends.iter().find(|&&(us, ue)| us < at && at < ue);
                prop_assert!(unit.is_some(), "forced break at {at} not inside a unit");
                let (us, ue) = *unit.unwrap_or(&(0, 0));
                let unit_w = width(text[us..ue].trim_end_matches(' '), amb);
                prop_assert!(
                    unit_w > w,
                    "forced split of a unit that fits: {:?}",
                    &text[us..ue]
                );
            } else {
                // T4 parts a number from its measure word when keeping them would leave
                // a line 4 or more cells short.
                let number_word =
                    last.is_ascii_digit() && ('\u{4e00}'..='\u{9fff}').contains(&first);
                prop_assert!(
                    number_word
                        || unit_ends
                            .iter()
                            .any(|&(_, ue)| ue == line.range.end || ue == at),
                    "break at {at} is no break opportunity"
                );
                prop_assert!(!is_no_start(first), "line {} starts with {first}", k + 1);
                prop_assert!(!is_no_end(last), "line {k} ends with {last}");
            }
            if line.range.end == at && alnum(last) && alnum(first) {
                let run_start = text[..at].trim_end_matches(alnum).len();
                let run_end = at + (text[at..].len() - text[at..].trim_start_matches(alnum).len());
                let run = &text[run_start..run_end];
                prop_assert!(width(run, amb) > w, "run {run:?} split at width {w}");
            }
        }
        prev_end = line.range.end;
    }
    let tail = &text[prev_end..];
    prop_assert!(tail.chars().all(|c| c == ' '), "lost tail {tail:?}");
    Ok(())
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.'
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn wrap_holds_its_invariants(
        text in text(),
        w in 2usize..120,
        wide in any::<bool>(),
        hang in any::<bool>(),
        orphans in any::<bool>(),
    ) {
        let amb = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        check(&text, w, amb, hang, orphans)?;
    }

    /// With the orphan pass on, a last line of one letter or ideograph is left only when
    /// carrying the previous line's last unit down is impossible: that line has one unit,
    /// would end more than 4 cells short of the measure, or the new last line would not fit.
    #[test]
    fn no_orphan_when_avoidable(
        text in text(),
        w in 8usize..80,
        wide in any::<bool>(),
        hang in any::<bool>(),
    ) {
        let amb = if wide { AmbiguousWidth::Wide } else { AmbiguousWidth::Narrow };
        let mut opts = WrapOptions::new(w, amb);
        opts.hang = hang;
        opts.orphans = true;
        let lines = wrap(&text, &opts);
        let n = lines.len();
        if n >= 2 && !lines[n - 1].forced && !lines[n - 2].forced {
            let (pen, last) = (&lines[n - 2], &lines[n - 1]);
            if is_orphan(&text[last.range.clone()]) {
                let cut = break_units(&text)
                    .map(|(s, _)| s)
                    .filter(|&s| s > pen.range.start && s < pen.range.end)
                    .last();
                if let Some(cut) = cut {
                    let shortened = width(text[pen.range.start..cut].trim_end(), amb);
                    let new_last = &text[cut..last.range.end];
                    let nw = width(new_last, amb);
                    let mut marks = new_last.chars().rev();
                    let mark = marks.next().unwrap_or(' ');
                    // One mark hangs, and not after another (`，，` stays inside), as in
                    // the breaker itself.
                    let fits = nw <= w
                        || (hang && dubao::text::is_hangable(mark)
                            && !marks.next().is_some_and(dubao::text::is_hangable)
                            && nw - dubao::text::char_width(mark, amb) <= w);
                    prop_assert!(
                        shortened + ORPHAN_SLACK < w || !fits,
                        "avoidable orphan {:?} after {:?} at {w}",
                        new_last,
                        &text[pen.range.clone()]
                    );
                }
            }
        }
    }

    #[test]
    fn degenerate_widths_do_not_panic_or_lose_text(text in text(), w in 0usize..4) {
        check(&text, w.max(1), AmbiguousWidth::Wide, false, true)?;
        let lines = wrap(&text, &WrapOptions::new(w, AmbiguousWidth::Narrow));
        let kept: usize = lines.iter().map(|l| l.range.len()).sum();
        let spaces = text.chars().filter(|&c| c == ' ').count();
        prop_assert!(kept + spaces >= text.len());
    }
}
