//! The line breaker: greedy first fit over the units of `breaks`, with push-out
//! (a mark is glued to the character before it, so it travels with it), optional hanging of
//! one pause/stop mark past the measure, and a last-resort split at grapheme boundaries for a
//! unit wider than the line. Linear: every unit is measured once and the current line keeps
//! running widths; a hard split looks at each grapheme a bounded number of times.
//!
//! Degenerate widths: a line always takes at least one grapheme, so a grapheme wider than
//! the measure (a wide character at width 1) stands alone on a line that is wider than the
//! measure. That is the one unavoidable overflow; callers keep widths ≥ 2 to avoid it.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::breaks::{break_units, number_word_split};
use super::kinsoku::{is_alnum_run, is_break_space, is_hangable, is_no_end, is_no_start};
use super::{AmbiguousWidth, width};

/// How to break one run of text (no newlines inside; callers split at `'\n'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrapOptions {
    /// The measure in cells (0 is treated as 1).
    pub width: usize,
    /// Cells the first line gives up (first-line indent); ignored if it leaves < 1 cell.
    pub first_indent: usize,
    pub amb: AmbiguousWidth,
    /// Let one pause/stop mark (，。、．；：！？) hang past the measure by up to 2 cells.
    pub hang: bool,
    /// Avoid an orphan (孤字): when the last line would hold a single letter or ideograph
    /// (plus punctuation), carry the previous line's last unit (or units) down, as long as
    /// that line still reaches within [`ORPHAN_SLACK`] cells of the measure and the new last
    /// line fits.
    pub orphans: bool,
}

/// How far short of the measure a line may end to give the last line company.
pub const ORPHAN_SLACK: usize = 4;
/// A number is kept with its measure word (`24日`) unless that leaves this many cells empty
/// at the end of the line: then they are parted after all (`…887` / `次，…`).
const NUMBER_SLACK: usize = 4;

impl WrapOptions {
    pub fn new(width: usize, amb: AmbiguousWidth) -> Self {
        WrapOptions {
            width,
            first_indent: 0,
            amb,
            hang: false,
            orphans: false,
        }
    }
}

/// One output line: a byte range of the input, trailing break spaces excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapLine {
    pub range: Range<usize>,
    /// The line ends in a last-resort split (inside a unit), not at a break opportunity.
    pub forced: bool,
    /// The line's last mark hangs past the measure.
    pub hanging: bool,
}

/// Break `text` into lines of at most `opts.width` cells (plus a hanging mark).
pub fn wrap(text: &str, opts: &WrapOptions) -> Vec<WrapLine> {
    let mut out = Vec::new();
    wrap_each(text, opts, |l| out.push(l));
    out
}

/// [`wrap`], handing each line to `emit` as soon as it is complete (no intermediate vector:
/// a 7 MB paragraph has 100 000+ lines).
pub fn wrap_each(text: &str, opts: &WrapOptions, emit: impl FnMut(WrapLine)) {
    let mut b = Breaker {
        text,
        opts,
        emit,
        produced: 0,
        pending: [None, None],
        line: None,
    };
    for (s, e) in break_units(text) {
        b.push_unit(s, e);
    }
    b.flush(false);
    b.finish();
}

/// True when a paragraph's last line `s` holds fewer than two letters or ideographs.
pub fn is_orphan(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphanumeric()).count() < 2
}

/// Convenience for tests and callers that want strings.
pub fn wrap_str<'a>(text: &'a str, opts: &WrapOptions) -> Vec<&'a str> {
    wrap(text, opts)
        .into_iter()
        .map(|l| &text[l.range])
        .collect()
}

/// The line being filled: `start..content_end` is shown, `content_end..` is trailing spaces.
struct Line {
    start: usize,
    content_end: usize,
    /// Width including the trailing spaces.
    full: usize,
    /// Start of the line's last unit with content (where an orphan carry-down may cut).
    last_unit: usize,
}

/// A finished line not yet handed out: the last two wait for the orphan pass.
struct Done {
    line: WrapLine,
    last_unit: usize,
}

struct Breaker<'a, F> {
    text: &'a str,
    opts: &'a WrapOptions,
    emit: F,
    /// Lines finished so far (emitted or pending).
    produced: usize,
    /// The last two finished lines, oldest first.
    pending: [Option<Done>; 2],
    line: Option<Line>,
}

impl<F: FnMut(WrapLine)> Breaker<'_, F> {
    /// A forced piece: never a candidate for the orphan pass.
    fn push(&mut self, line: WrapLine) {
        let start = line.range.start;
        self.push_done(line, start);
    }

    fn push_done(&mut self, line: WrapLine, last_unit: usize) {
        self.produced += 1;
        if let Some(old) = self.pending[0].take() {
            (self.emit)(old.line);
        }
        self.pending.swap(0, 1);
        self.pending[1] = Some(Done { line, last_unit });
    }

    /// Hand out the held lines, after moving a unit down onto an orphaned last line.
    fn finish(&mut self) {
        if self.opts.orphans
            && let [Some(pen), Some(last)] = &mut self.pending
        {
            carry_down(self.text, self.opts, self.produced == 2, pen, last);
        }
        for done in self.pending.iter_mut().filter_map(Option::take) {
            (self.emit)(done.line);
        }
    }

    fn limit(&self) -> usize {
        limit_of(self.opts, self.produced == 0)
    }

    fn push_unit(&mut self, s: usize, e: usize) {
        let text = self.text;
        // Break spaces are ASCII: trim them on bytes.
        let bytes = text.as_bytes();
        let mut te = e;
        while te > s && is_break_space(char::from(bytes[te - 1])) {
            te -= 1;
        }
        let amb = self.opts.amb;
        let uw = unit_width(&text[s..te], amb);
        let tw = if te == e { 0 } else { width(&text[te..e], amb) };
        let limit = self.limit();
        if let Some(line) = &mut self.line {
            if line.full + uw <= limit {
                if te > s {
                    line.content_end = te;
                    line.last_unit = s;
                }
                line.full += uw + tw;
                return;
            }
            if self.opts.hang && te > s {
                let prev = text[..te].chars().rev().nth(1);
                if let Some(mark) = text[s..te].chars().next_back()
                    && is_hangable(mark)
                    && !prev.is_some_and(is_hangable)
                    && (line.full + uw).saturating_sub(super::char_width(mark, amb)) <= limit
                {
                    line.content_end = te;
                    line.last_unit = s;
                    self.flush_hanging();
                    return;
                }
            }
            if limit.saturating_sub(line.full) >= NUMBER_SLACK
                && let Some(p) = number_word_split(&text[s..te])
            {
                let head = unit_width(&text[s..s + p], amb);
                if line.full + head <= limit {
                    line.content_end = s + p;
                    line.last_unit = s;
                    self.flush(false);
                    self.start_line(s + p, te, uw - head, tw);
                    return;
                }
            }
            self.flush(false);
        }
        self.start_line(s, te, uw, tw);
    }

    /// Begin a line with the unit `s..te` (`uw` cells, then `tw` cells of spaces).
    fn start_line(&mut self, s: usize, te: usize, uw: usize, tw: usize) {
        self.line = Some(Line {
            start: s,
            content_end: te,
            full: uw + tw,
            last_unit: s,
        });
        if uw > self.limit() {
            self.hard_split(tw);
        }
    }

    fn flush(&mut self, forced: bool) {
        if let Some(line) = self.line.take()
            && line.content_end > line.start
        {
            let wl = WrapLine {
                range: line.start..line.content_end,
                forced,
                hanging: false,
            };
            self.push_done(wl, line.last_unit);
        }
    }

    fn flush_hanging(&mut self) {
        if let Some(line) = self.line.take() {
            let wl = WrapLine {
                range: line.start..line.content_end,
                forced: false,
                hanging: true,
            };
            self.push_done(wl, line.last_unit);
        }
    }

    /// Split the current line (one unit wider than the line) at grapheme boundaries. Each
    /// piece is as long as fits; among the boundaries that fit, prefer one that keeps a
    /// `[0-9A-Za-z.]` run whole, then one that respects kinsoku, then the last one.
    fn hard_split(&mut self, trail: usize) {
        let Some(line) = self.line.take() else {
            return;
        };
        let (text, amb) = (self.text, self.opts.amb);
        let end = line.content_end;
        let mut start = line.start;
        // (byte offset, width) of the graphemes of the piece being filled.
        let mut piece: Vec<(usize, usize)> = Vec::new();
        let mut used = 0;
        for (i, g) in text[start..end].grapheme_indices(true) {
            let at = line.start + i;
            let gw = width(g, amb);
            while used > 0 && used + gw > self.limit() {
                let cut = best_cut(text, &piece, at);
                self.push(WrapLine {
                    range: start..cut,
                    forced: true,
                    hanging: false,
                });
                start = cut;
                piece.retain(|&(p, _)| p >= cut);
                used = piece.iter().map(|&(_, w)| w).sum();
            }
            piece.push((at, gw));
            used += gw;
        }
        self.line = Some(Line {
            start,
            content_end: end,
            full: used + trail,
            last_unit: start,
        });
    }
}

/// The measure of a line: the first gives up the indent (if that leaves a cell).
fn limit_of(opts: &WrapOptions, first: bool) -> usize {
    let w = opts.width.max(1);
    if first && opts.first_indent < w {
        w - opts.first_indent
    } else {
        w
    }
}

/// The orphan pass on the last two lines: when `last` is an orphan, move `pen`'s last unit
/// down if `pen` still ends within [`ORPHAN_SLACK`] cells of its measure and the new last
/// line fits (hanging its final mark if allowed). When that unit brings no second letter
/// (the orphan was a lone mark such as `“`), keep carrying earlier units on the same terms
/// until the last line has company. Every cut is at a unit boundary, so it is a break
/// opportunity: kinsoku holds.
fn carry_down(text: &str, opts: &WrapOptions, pen_first: bool, pen: &mut Done, last: &mut Done) {
    let (p, l) = (&pen.line, &last.line);
    if p.forced || l.forced || !is_orphan(&text[l.range.clone()]) || pen.last_unit <= p.range.start
    {
        return;
    }
    let (start, end) = (p.range.start, l.range.end);
    let Some(mut best) = try_cut(text, opts, pen_first, start, pen.last_unit, end) else {
        return;
    };
    if is_orphan(&text[best.cut..end]) {
        // Rare (the carried unit held no letter): the earlier unit starts of `pen` are not
        // kept while filling, so find them again. Scanning from the paragraph start keeps
        // them exactly the breaker's opportunities (UAX #14 looks behind a cut).
        let starts: Vec<usize> = break_units(text)
            .map(|(s, _)| s)
            .skip_while(|&s| s <= start)
            .take_while(|&s| s < pen.last_unit)
            .collect();
        for &cut in starts.iter().rev() {
            let Some(c) = try_cut(text, opts, pen_first, start, cut, end) else {
                break;
            };
            best = c;
            if !is_orphan(&text[cut..end]) {
                break;
            }
        }
    }
    pen.line.range.end = best.pen_end;
    pen.line.hanging = false;
    last.line.range.start = best.cut;
    last.line.hanging = best.hangs;
}

/// An accepted orphan carry-down: `pen` now ends at `pen_end`, the last line starts at `cut`.
struct Cut {
    cut: usize,
    pen_end: usize,
    hangs: bool,
}

/// Whether cutting the last two lines (`start..end`) at `cut` keeps the upper line within
/// [`ORPHAN_SLACK`] of its measure and the lower one within the measure (or hanging).
fn try_cut(
    text: &str,
    opts: &WrapOptions,
    pen_first: bool,
    start: usize,
    cut: usize,
    end: usize,
) -> Option<Cut> {
    let pen_end = start + text[start..cut].trim_end_matches(is_break_space).len();
    if pen_end <= start {
        return None;
    }
    let amb = opts.amb;
    let pen_w = width(&text[start..pen_end], amb);
    if pen_w + ORPHAN_SLACK < limit_of(opts, pen_first) {
        return None;
    }
    let new_last = &text[cut..end];
    let w = width(new_last, amb);
    let measure = limit_of(opts, false);
    let mut chars = new_last.chars().rev();
    let (mark, before) = (chars.next(), chars.next());
    let hangs = opts.hang
        && w > measure
        && mark.is_some_and(is_hangable)
        && !before.is_some_and(is_hangable)
        && w - mark.map_or(0, |m| super::char_width(m, amb)) <= measure;
    if w > measure && !hangs {
        return None;
    }
    Some(Cut {
        cut,
        pen_end,
        hangs,
    })
}

/// [`width`] of a unit, decided on bytes for the common case (printable ASCII, CJK
/// ideographs U+4000–U+9FFF, CJK punctuation U+3000–U+3029, full-width forms U+FF01–U+FF5F,
/// the ambiguous quotes, ellipsis and dash),
/// falling back to [`width`] for anything else. Units are short, so this is the hot path.
#[inline]
fn unit_width(s: &str, amb: AmbiguousWidth) -> usize {
    let b = s.as_bytes();
    let (mut i, mut w) = (0, 0);
    while i < b.len() {
        match b[i] {
            0x20..=0x7e => {
                w += 1;
                i += 1;
            }
            0xe4..=0xe9 => {
                w += 2;
                i += 3;
            }
            0xe3 if b.get(i + 1) == Some(&0x80) && b.get(i + 2).is_some_and(|&c| c <= 0xa9) => {
                w += 2;
                i += 3;
            }
            0xef if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0xbc), Some(0x81..=0xbf)) | (Some(0xbd), Some(0x80..=0x9f))
            ) =>
            {
                w += 2;
                i += 3;
            }
            // “ ” ‘ ’ … — (E2 80 xx): ambiguous, one cell or two by setting.
            0xe2 if b.get(i + 1) == Some(&0x80)
                && b.get(i + 2)
                    .is_some_and(|c| matches!(c, 0x94 | 0x98 | 0x99 | 0x9c | 0x9d | 0xa6)) =>
            {
                w += match amb {
                    AmbiguousWidth::Narrow => 1,
                    AmbiguousWidth::Wide => 2,
                };
                i += 3;
            }
            _ => return width(s, amb),
        }
    }
    w
}

/// Where to end a forced piece whose graphemes start at `piece[..]` and which cannot take
/// the grapheme at `next`. Candidates are the starts of `piece[1..]` and `next` itself. A
/// short piece is accepted to keep a number or word whole; the piece after it then starts at
/// that run, so short pieces cannot repeat and the split stays linear in practice (bounded by
/// O(n · width) on adversarial input).
fn best_cut(text: &str, piece: &[(usize, usize)], next: usize) -> usize {
    let candidates = piece.iter().skip(1).map(|&(p, _)| p).chain([next]);
    let mut best = (0, next);
    for p in candidates {
        let before = text[..p].chars().next_back();
        let after = text[p..].chars().next();
        let (Some(b), Some(a)) = (before, after) else {
            continue;
        };
        let splits_run = is_alnum_run(b) && is_alnum_run(a);
        let kinsoku = is_no_start(a) || is_no_end(b);
        let rank = match (splits_run, kinsoku) {
            (false, false) => 3,
            (false, true) => 2,
            (true, _) => 1,
        };
        if rank >= best.0 {
            best = (rank, p);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_width_fast_path_agrees_with_width() {
        let samples = [
            "平城",
            "，。、；：！？",
            "（）《》【】",
            "\u{3000}本",
            "iPhone 5G",
            "１２３ＡＢｚ～",
            "“保”",
            "…",
            "\u{ff60}\u{ff61}",
            "\u{302a}",
            "a\u{1b}b",
            "\u{ff00}",
        ];
        for s in samples {
            for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
                assert_eq!(unit_width(s, amb), width(s, amb), "{s:?}");
            }
        }
        for c in ('\u{3000}'..='\u{303f}')
            .chain('\u{ff00}'..='\u{ffef}')
            .chain('\u{4000}'..='\u{9fff}')
        {
            let s = c.to_string();
            assert_eq!(
                unit_width(&s, AmbiguousWidth::Wide),
                width(&s, AmbiguousWidth::Wide),
                "{c:?}"
            );
            assert_eq!(
                unit_width(&s, AmbiguousWidth::Narrow),
                width(&s, AmbiguousWidth::Narrow),
                "{c:?}"
            );
        }
    }
}
