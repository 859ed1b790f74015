//! Headings (section label, kicker, title, subtitle) set the way a newspaper sets them, not
//! like body text: a title's source lines stay lines (two are joined, with a full-width space,
//! only where both fit); a line too long for the width is broken first at its spaces (the
//! break between the halves of a 对仗 title), then inside a phrase; each group of lines is
//! balanced (like CSS `text-wrap: balance`: the fewest lines, as even as possible) and its
//! last line keeps at least three characters (two words in English) when that is possible.
//! Headings never hang punctuation, so they use the full width. Breaks are only ever at the
//! opportunities of [`break_units`]: kinsoku holds here as in paragraphs; among them, `sense`
//! makes breaks between words cheaper than breaks inside one.

use super::breaks::break_units;
use super::kinsoku::{is_break_space, is_no_end, is_no_start};
use super::sense::{break_penalty, quote_depth_change};
use super::wrap::{WrapOptions, wrap_str};
use super::{AmbiguousWidth, width};
use crate::model::is_cjk_joinable;

/// Fewest characters on a multi-line heading's last line (Chinese).
const MIN_LAST_CHARS: usize = 3;
/// Fewest words on a multi-line English heading's last line.
const MIN_LAST_WORDS: usize = 2;
/// Above this many pieces a line is wrapped first-fit (the balancing is quadratic).
const MAX_ITEMS: usize = 120;

/// Title lines joined for one-line display (headline list, header, status): a full-width
/// space between two lines when either side is CJK, a space between Latin lines.
pub fn joined_title(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if let Some(prev) = out.chars().next_back() {
            out.push_str(separator(prev, line));
        }
        out.push_str(line);
    }
    out
}

fn separator(prev: char, next: &str) -> &'static str {
    let next = next.chars().next().unwrap_or(' ');
    if is_cjk_joinable(prev) || is_cjk_joinable(next) {
        "\u{3000}"
    } else {
        " "
    }
}

/// Set a heading of one or more source lines at `width` cells: the lines to show.
pub fn heading_lines(lines: &[&str], width: usize, amb: AmbiguousWidth) -> Vec<String> {
    let w = width.max(1);
    let mut packed: Vec<String> = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if let Some(cur) = packed.last_mut()
            && let Some(prev) = cur.chars().next_back()
        {
            let joined = format!("{cur}{}{line}", separator(prev, line));
            if super::width(&joined, amb) <= w {
                *cur = joined;
                continue;
            }
        }
        packed.push(line.to_string());
    }
    let mut out = Vec::new();
    for line in &packed {
        let last = if line.chars().any(is_cjk_joinable) {
            Last::Chars
        } else {
            Last::Words
        };
        set_line(line, w, amb, last, &mut out);
    }
    out
}

/// A table cell's text in balanced lines (`食品` / `类别`, not `食品类` / `别`), broken at its
/// spaces first, with no rule on the last line's length (a cell of 3 characters at 2 a line
/// has to leave one).
pub(super) fn balanced_lines(text: &str, width: usize, amb: AmbiguousWidth) -> Vec<String> {
    let mut out = Vec::new();
    set_line(text.trim(), width.max(1), amb, Last::Any, &mut out);
    out
}

/// What a multi-line heading's last line must hold when it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    /// [`MIN_LAST_CHARS`] letters or ideographs.
    Chars,
    /// [`MIN_LAST_WORDS`] words.
    Words,
    Any,
}

/// One source line (or joined lines) that may be too wide: phrases first, then units.
fn set_line(t: &str, w: usize, amb: AmbiguousWidth, last: Last, out: &mut Vec<String>) {
    if t.is_empty() {
        return;
    }
    if width(t, amb) <= w {
        out.push(t.to_string());
        return;
    }
    if last != Last::Words {
        let phrases = phrase_items(t, amb);
        if phrases.len() > 1 && phrases.len() <= MAX_ITEMS {
            for r in balance(&phrases, w, last) {
                let line = &t[phrases[r.start].start..phrases[r.end - 1].end];
                set_units(line, w, amb, last, out);
            }
            return;
        }
    }
    set_units(t, w, amb, last, out);
}

/// A line broken at its break units, balanced; a unit wider than the line falls back to the
/// breaker's forced split.
fn set_units(t: &str, w: usize, amb: AmbiguousWidth, last: Last, out: &mut Vec<String>) {
    if width(t, amb) <= w {
        out.push(t.to_string());
        return;
    }
    let units = unit_items(t, amb);
    if units.iter().any(|u| u.w > w) || units.len() > MAX_ITEMS {
        // A forced split may leave spaces at a line's edge: headings show none.
        out.extend(
            wrap_str(t, &WrapOptions::new(w, amb))
                .into_iter()
                .map(|l| l.trim_matches(' '))
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
        return;
    }
    for r in balance(&units, w, last) {
        out.push(t[units[r.start].start..units[r.end - 1].end].to_string());
    }
}

/// A piece of a heading line: `start..end` is its text, `trail` the width of the spaces
/// after it (shown only when the line goes on), `letters` its letters and ideographs, `pen`
/// what a line break right after it costs (see [`break_penalty`]).
#[derive(Debug, Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    w: usize,
    trail: usize,
    letters: usize,
    pen: u64,
}

fn item(t: &str, start: usize, end: usize, next: usize, amb: AmbiguousWidth) -> Item {
    let s = &t[start..end];
    Item {
        start,
        end,
        w: width(s, amb),
        trail: width(&t[end..next], amb),
        letters: s.chars().filter(|c| c.is_alphanumeric()).count(),
        pen: 0,
    }
}

fn is_phrase_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// Phrases: runs between spaces (ASCII or full-width), except a space that kinsoku forbids
/// breaking at (before `”`, after `“`).
fn phrase_items(t: &str, amb: AmbiguousWidth) -> Vec<Item> {
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    let mut prev = None;
    for (i, c) in t.char_indices() {
        match (is_phrase_space(c), start) {
            (false, None) => start = Some(i),
            (true, Some(s))
                if breakable_space(prev, t[i..].trim_start_matches(is_phrase_space)) =>
            {
                start = None;
                items.push((s, i));
            }
            _ => {}
        }
        if !is_phrase_space(c) {
            prev = Some(c);
        }
    }
    if let Some(s) = start {
        items.push((s, t.len()));
    }
    let mut out = Vec::with_capacity(items.len());
    for (k, &(s, e)) in items.iter().enumerate() {
        let next = items.get(k + 1).map_or(t.len(), |n| n.0);
        out.push(item(t, s, e, next, amb));
    }
    out
}

/// A phrase may end at a space unless the mark before it may not end a line or the text
/// after it may not start one.
fn breakable_space(before: Option<char>, after: &str) -> bool {
    let after = after.chars().next();
    !before.is_some_and(is_no_end) && !after.is_some_and(is_no_start) && after.is_some()
}

/// The break units of `t` (kinsoku, numbers, quotes all respected), trailing spaces apart,
/// each with the cost of a break after it.
fn unit_items(t: &str, amb: AmbiguousWidth) -> Vec<Item> {
    let mut items: Vec<Item> = break_units(t)
        .map(|(s, e)| {
            let content = t[s..e].trim_end_matches(is_break_space).len();
            item(t, s, s + content, e, amb)
        })
        .collect();
    let mut depth = 0i32;
    for k in 0..items.len() {
        let it = items[k];
        depth += quote_depth_change(&t[it.start..it.end]);
        let next = items.get(k + 1).map_or(t.len(), |n| n.start);
        items[k].pen = break_penalty(t, it.end, next, it.trail > 0, depth > 0);
    }
    items
}

/// Width of items `i..j` on one line.
fn line_width(items: &[Item], i: usize, j: usize) -> usize {
    let body: usize = items[i..j].iter().map(|x| x.w + x.trail).sum();
    body - items[j - 1].trail
}

fn fits(items: &[Item], i: usize, j: usize, w: usize) -> bool {
    j - i == 1 || line_width(items, i, j) <= w
}

/// A last line too short to stand alone.
fn widowed(items: &[Item], i: usize, last: Last) -> bool {
    match last {
        Last::Words => items.len() - i < MIN_LAST_WORDS,
        Last::Chars => items[i..].iter().map(|x| x.letters).sum::<usize>() < MIN_LAST_CHARS,
        Last::Any => false,
    }
}

/// Break `items` into the fewest lines of at most `w` cells (a lone item may be wider), as
/// even as possible, the last line not widowed when some arrangement of that many lines (or
/// one more) avoids it. Item ranges, in order.
fn balance(items: &[Item], w: usize, last: Last) -> Vec<std::ops::Range<usize>> {
    let whole = std::iter::once(0..items.len()).collect();
    let k = first_fit_lines(items, w);
    if k <= 1 {
        return whole;
    }
    let Some((best, widow)) = even_lines(items, w, k, last) else {
        return whole;
    };
    if widow
        && k < items.len()
        && let Some((more, false)) = even_lines(items, w, k + 1, last)
    {
        return more;
    }
    best
}

fn first_fit_lines(items: &[Item], w: usize) -> usize {
    let (mut lines, mut start) = (0, 0);
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && fits(items, start, end + 1, w) {
            end += 1;
        }
        lines += 1;
        start = end;
    }
    lines
}

/// Exactly `k` lines minimising the sum of squared slack (so the lines come out even) plus
/// the cost of each break (so a word is split only to stay within about a character of
/// even), a widowed last line costing more than any of it: the ranges and whether the last
/// line is still widowed.
fn even_lines(
    items: &[Item],
    w: usize,
    k: usize,
    last: Last,
) -> Option<(Vec<std::ops::Range<usize>>, bool)> {
    let m = items.len();
    const WIDOW: u64 = 1 << 40;
    let inf = u64::MAX;
    // cost[l][j]: first j items in l lines; from[l][j]: where the l-th line starts.
    let mut cost = vec![vec![inf; m + 1]; k + 1];
    let mut from = vec![vec![0usize; m + 1]; k + 1];
    cost[0][0] = 0;
    for l in 1..=k {
        for j in l..=m {
            for i in (l - 1..j).rev() {
                if !fits(items, i, j, w) {
                    break;
                }
                if cost[l - 1][i] == inf {
                    continue;
                }
                let slack = w.saturating_sub(line_width(items, i, j)) as u64;
                let mut c = cost[l - 1][i] + slack * slack;
                if j < m {
                    c += items[j - 1].pen;
                }
                if j == m && widowed(items, i, last) {
                    c += WIDOW;
                }
                if c < cost[l][j] {
                    cost[l][j] = c;
                    from[l][j] = i;
                }
            }
        }
    }
    if cost[k][m] == inf {
        return None;
    }
    let mut ranges = Vec::with_capacity(k);
    let mut j = m;
    for l in (1..=k).rev() {
        let i = from[l][j];
        ranges.push(i..j);
        j = i;
    }
    ranges.reverse();
    let last_start = ranges.last().map_or(0, |r| r.start);
    Some((ranges, widowed(items, last_start, last)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::Narrow;

    fn set(lines: &[&str], w: usize) -> Vec<String> {
        heading_lines(lines, w, Narrow)
    }

    #[test]
    fn source_lines_stay_lines_and_join_with_a_full_width_space() {
        let t = ["云州至北京高铁开通两周年", "累计发送旅客突破一千万人次"];
        assert_eq!(
            set(&t, 80),
            ["云州至北京高铁开通两周年　累计发送旅客突破一千万人次"]
        );
        assert_eq!(set(&t, 50), t);
        let e = ["Old town walls light up", "for the winter festival"];
        assert_eq!(
            set(&e, 60),
            ["Old town walls light up for the winter festival"]
        );
        assert_eq!(set(&e, 40), e);
    }

    #[test]
    fn spaces_first_then_balanced_never_a_lone_character() {
        let t = ["加强风险管控 压实责任链条 平城区多措并举全面筑牢安全生产防线"];
        assert_eq!(set(&t, 60), t);
        assert_eq!(
            set(&t, 58),
            [
                "加强风险管控 压实责任链条",
                "平城区多措并举全面筑牢安全生产防线"
            ]
        );
        assert_eq!(
            set(&t, 33),
            [
                "加强风险管控 压实责任链条",
                "平城区多措并举全面",
                "筑牢安全生产防线"
            ]
        );
        assert_eq!(
            set(&["首场降雪如期而至 全市道路通行平稳有序"], 36),
            ["首场降雪如期而至", "全市道路通行平稳有序"]
        );
        // Even would part 患|者; one character off, the break falls before 不.
        assert_eq!(
            set(&["远程会诊让山区患者不出县城看专家"], 30),
            ["远程会诊让山区患者", "不出县城看专家"]
        );
        assert_eq!(
            set(&["冬季长跑健身活动开赛"], 18),
            ["冬季长跑健", "身活动开赛"]
        );
        assert_eq!(set(&["一二三四五六七"], 6), ["一二", "三四", "五六七"]);
    }

    #[test]
    fn english_keeps_two_words_on_the_last_line() {
        assert_eq!(
            set(&["Grottoes add winter guided tours"], 30),
            ["Grottoes add winter", "guided tours"]
        );
    }

    #[test]
    fn huge_headings_fall_back_to_first_fit() {
        let t = "平城 ".repeat(5000);
        let lines = set(&[&t], 40);
        assert!(lines.len() > 200 && lines.iter().all(|l| width(l, Narrow) <= 40));
        let u = "平".repeat(20000);
        assert_eq!(set(&[&u], 40).len(), 1000);
    }

    #[test]
    fn joined_title_separators() {
        let t = |v: &[&str]| {
            joined_title(
                &v.iter()
                    .map(std::string::ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            t(&["紧盯民生办实事", "巡察监督暖民心"]),
            "紧盯民生办实事　巡察监督暖民心"
        );
        assert_eq!(t(&["Old town", "walls"]), "Old town walls");
        assert_eq!(t(&["一", ""]), "一");
    }
}
