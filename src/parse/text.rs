//! Small text helpers shared by the parser: character classes, blank trimming that leaves
//! control characters alone, soft-wrap joining, and the sentence-end test that drives both
//! column-break rejoining and truncation.

/// Han ideographs (unified, extensions, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF | 0x3007)
}

/// Blank characters around lines: spaces, tabs, ideographic (full-width) space, no-break
/// space. Control characters are not blank: they are kept as they are.
pub fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{A0}')
}

/// `s` without [`is_blank`] characters at either end, by bytes: the four blanks are ` `,
/// `\t`, U+3000 (`E3 80 80`) and U+A0 (`C2 A0`). Every line of a page comes through here,
/// so it does not decode characters.
#[inline(always)]
pub fn trim_blank(s: &str) -> &str {
    let b = s.as_bytes();
    // Most lines neither start nor end with a blank: the last byte of U+3000 is 0x80, of
    // U+A0 0xA0. This test is inlined at every call (five or so per line); the rest is not.
    if let (Some(first), Some(last)) = (b.first(), b.last())
        && !matches!(first, b' ' | b'\t' | 0xE3 | 0xC2)
        && !matches!(last, b' ' | b'\t' | 0x80 | 0xA0)
    {
        return s;
    }
    trim_blank_slow(s)
}

#[inline(never)]
fn trim_blank_slow(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        match &b[i..] {
            [b' ' | b'\t', ..] => i += 1,
            [0xE3, 0x80, 0x80, ..] => i += 3,
            [0xC2, 0xA0, ..] => i += 2,
            _ => break,
        }
    }
    let mut j = b.len();
    loop {
        match &b[i..j] {
            [.., b' ' | b'\t'] => j -= 1,
            [.., 0xE3, 0x80, 0x80] => j -= 3,
            [.., 0xC2, 0xA0] => j -= 2,
            _ => break,
        }
    }
    // Both cuts are next to whole blank characters, so they are char boundaries.
    s.get(i..j).unwrap_or(s)
}

/// `hay.contains(needle)`, by bytes: `memchr` for the needle's first byte, then a compare.
/// No searcher is set up per call (the lines asked about are short and many). A byte match
/// is a `str` match: UTF-8 is self-synchronising.
pub fn has(hay: &str, needle: &str) -> bool {
    find(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// The first position of `needle` in `hay`, found the way [`has`] looks.
pub fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = n.split_first() else {
        return Some(0);
    };
    let find_first = |h: &[u8]| {
        // memchr's SIMD set-up does not pay on a short line.
        if h.len() < 64 {
            h.iter().position(|&b| b == first)
        } else {
            memchr::memchr(first, h)
        }
    };
    let mut at = 0;
    while let Some(p) = find_first(&h[at..]) {
        let start = at + p;
        at = start + 1;
        if h[at..].starts_with(rest) {
            return Some(start);
        }
    }
    None
}

/// `hay` starts with `needle` in any ASCII case (no lowercase copy).
pub fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

/// Append `next` the way a soft wrap joins lines: no space next to a CJK character, one
/// space between Latin words, none after a word hyphenated across the break (`infra-`).
pub fn join_soft(out: &mut String, next: &str) {
    let next = trim_blank(next);
    if next.is_empty() {
        return;
    }
    if let (Some(a), Some(b)) = (out.chars().next_back(), next.chars().next()) {
        let cjk = crate::model::is_cjk_joinable(a) || crate::model::is_cjk_joinable(b);
        let hyphenated = a == '-' && b.is_alphabetic() && ends_in_letter_hyphen(out);
        if !cjk && !hyphenated {
            out.push(' ');
        }
    }
    out.push_str(next);
}

fn ends_in_letter_hyphen(s: &str) -> bool {
    let mut it = s.chars().rev();
    it.next() == Some('-') && it.next().is_some_and(char::is_alphabetic)
}

/// Closing quotes and brackets that may follow sentence-final punctuation.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '"' | '\'' | '》' | '】'
    )
}

/// True when the text ends a sentence: 。！？… (or Latin `.` `!` `?`), possibly followed by
/// closing quotes or brackets.
pub fn ends_sentence(text: &str) -> bool {
    let mut rev = trim_blank(text).chars().rev().skip_while(|&c| is_closer(c));
    matches!(
        rev.next(),
        Some('。' | '！' | '？' | '…' | '.' | '!' | '?' | '．' | '｡')
    )
}

/// Sentence-final punctuation anywhere (used to tell a one-sentence caption from prose).
pub fn is_sentence_mark(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Remove `**bold**` markers in pairs; an unpaired `**` is left as text.
pub fn strip_bold(text: String) -> String {
    strip_bold_spans(text).0
}

/// [`strip_bold`], also saying where the bold text is: byte ranges into the stripped text,
/// in order, empty pairs (`****`) left out.
pub fn strip_bold_spans(text: String) -> (String, Vec<[usize; 2]>) {
    if !has(&text, "**") {
        return (text, Vec::new());
    }
    let marks: Vec<usize> = text.match_indices("**").map(|(i, _)| i).collect();
    let paired = marks.len() - marks.len() % 2;
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::with_capacity(paired / 2);
    let mut last = 0;
    for pair in marks[..paired].chunks_exact(2) {
        out.push_str(&text[last..pair[0]]);
        let start = out.len();
        out.push_str(&text[pair[0] + 2..pair[1]]);
        if out.len() > start {
            spans.push([start, out.len()]);
        }
        last = pair[1] + 2;
    }
    out.push_str(&text[last..]);
    (out, spans)
}

/// The bold spans of a text that fall inside its bytes `start..end`, as offsets from `start`
/// (cut at the edges).
pub fn clip_spans(spans: &[[usize; 2]], start: usize, end: usize) -> Vec<[usize; 2]> {
    spans
        .iter()
        .filter_map(|&[a, b]| {
            let (a, b) = (a.max(start), b.min(end));
            (a < b).then(|| [a - start, b - start])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_wrap_joining() {
        let mut s = String::from("加大对主次干");
        join_soft(&mut s, "道、管护");
        assert_eq!(s, "加大对主次干道、管护");
        let mut s = String::from("the old");
        join_soft(&mut s, "  town");
        assert_eq!(s, "the old town");
        let mut s = String::from("infra-");
        join_soft(&mut s, "structure");
        assert_eq!(s, "infra-structure");
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("安全隐患。"));
        assert!(ends_sentence("巡察组……"));
        assert!(ends_sentence("这事儿你们能管吗？”"));
        assert!(ends_sentence("It rained."));
        assert!(!ends_sentence("加大对主次干"));
        assert!(!ends_sentence("如下："));
        assert!(!ends_sentence("123.5万元"));
    }

    #[test]
    fn byte_helpers_agree_with_str() {
        let samples = [
            "",
            " ",
            "\u{3000}\u{3000}",
            "\u{A0}x\u{A0}",
            " \t\u{3000}平城\u{3000} \t",
            "年月日",
            "a\u{3000}",
            "\u{3000}b",
            "\u{3001}",
            "x\u{3000}\u{3000}y",
            "第２版 Page",
        ];
        let needles = ["，", "。", "第", "age", "**", "![", "\u{3000}", "年", "x"];
        for s in samples {
            assert_eq!(trim_blank(s), s.trim_matches(is_blank), "{s:?}");
            for n in needles {
                assert_eq!(has(s, n), s.contains(n), "{s:?} {n:?}");
                assert_eq!(find(s.as_bytes(), n.as_bytes()), s.find(n), "{s:?} {n:?}");
            }
        }
    }

    #[test]
    fn bold_pairs_removed() {
        assert_eq!(strip_bold("**重点**工作".into()), "重点工作");
        assert_eq!(strip_bold("5**2".into()), "5**2");
        assert_eq!(strip_bold("**a** and **b".into()), "a and **b");
    }

    #[test]
    fn bold_spans_point_into_the_stripped_text() {
        let (t, b) = strip_bold_spans("**本报讯**（记者 尚丽）开设**绿色通道**。".into());
        assert_eq!(t, "本报讯（记者 尚丽）开设绿色通道。");
        let shown: Vec<&str> = b.iter().map(|&[s, e]| &t[s..e]).collect();
        assert_eq!(shown, ["本报讯", "绿色通道"]);
        assert_eq!(
            strip_bold_spans("a****b **c".into()),
            ("ab **c".into(), vec![])
        );
        assert_eq!(clip_spans(&[[0, 9], [20, 30]], 3, 25), [[0, 6], [17, 22]]);
    }
}
