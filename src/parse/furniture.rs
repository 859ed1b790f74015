//! Page furniture: lines that belong to the page, not to any story — site addresses
//! (`www.dtnews.cn`), page headers with a date, weekday or page number
//! (`2026年11月28日 星期六 第2版`), and editor lines (`责任编辑：王强 校对：李丽`). They are kept
//! in `Page::furniture` and never shown inside articles.

use super::classify::continuation;
use super::text::{ends_sentence, has, starts_with_ci, trim_blank};
use crate::model::FurnitureKind;

const EDITOR_PREFIXES: &[&str] = &[
    "责任编辑",
    "本版编辑",
    "本版责编",
    "值班编辑",
    "版面编辑",
    "美术编辑",
    "图片编辑",
    "责编",
    "编辑",
    "美编",
    "校对",
    "版式",
    "排版",
    "组版",
    "审读",
    "审校",
    "视觉",
    "制图",
    "终审",
];

const LATIN_EDITOR_PREFIXES: &[&str] = &[
    "editor:",
    "page editor:",
    "edited by",
    "designer:",
    "proofreader:",
    "copy editor:",
];

/// The furniture kind of one line, or `None` when it is story text.
pub fn line_kind(line: &str) -> Option<FurnitureKind> {
    let t = trim_blank(line);
    if t.is_empty() || t.len() > 200 || !could_be_furniture(t) {
        return None;
    }
    if ends_sentence(t) || continuation(t).is_some() {
        return None;
    }
    // A web address has a dot and an ASCII top-level domain: without both, no word can be one.
    if memchr::memchr(b'.', t.as_bytes()).is_some()
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && is_url_line(t)
    {
        Some(FurnitureKind::Url)
    } else if is_editor_line(t) {
        Some(FurnitureKind::Editor)
    } else if is_header_line(t) {
        Some(FurnitureKind::Header)
    } else {
        None
    }
}

/// A cheap first look, since every line of a page is asked: prose has commas and full stops
/// (`，` `。`), furniture does not; and furniture has a dot (an address), a digit or 第 (a
/// date or page number), "page", or starts like an editor line.
fn could_be_furniture(t: &str) -> bool {
    !is_markup_line(t) && !has_clause_mark(t) && has_furniture_hint(t)
}

/// A table row (`| … |`, `<tr>…`) or an image (`![…](…)`) is story content, never furniture,
/// however many digits and dots it has.
fn is_markup_line(t: &str) -> bool {
    match t.as_bytes() {
        [b'|', ..] | [b'!', b'[', ..] => true,
        [b'<', next, ..] => next.is_ascii_alphabetic() || *next == b'/',
        _ => false,
    }
}

/// `，` (EF BC 8C) or `。` (E3 80 82) anywhere. Han characters have the lead bytes E4–E9, so
/// in Chinese prose `memchr2` stops only at punctuation, and the first comma or full stop
/// of a sentence ends the search.
fn has_clause_mark(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memchr2_iter(0xEF, 0xE3, b).any(|i| {
        matches!(
            b.get(i..i + 3),
            Some([0xEF, 0xBC, 0x8C] | [0xE3, 0x80, 0x82])
        )
    })
}

/// A digit, `.`, `第`, a full-width digit, `age`/`AGE`, or an editor line's first character.
fn has_furniture_hint(t: &str) -> bool {
    if editor_start(t) {
        return true;
    }
    let b = t.as_bytes();
    // ASCII digits and dots: a branch-free fold, which vectorises.
    if b.iter()
        .fold(false, |seen, &x| seen | x.is_ascii_digit() | (x == b'.'))
    {
        return true;
    }
    // `第` E7 AC AC, `０`–`９` EF BC 90–99, `age`; lead bytes and ASCII never occur inside
    // a UTF-8 sequence, so a match at any byte is a match of the whole character.
    memchr::memchr3_iter(0xE7, 0xEF, b'g', b).any(|i| match &b[i..] {
        [0xE7, 0xAC, 0xAC, ..] | [0xEF, 0xBC, 0x90..=0x99, ..] => true,
        [b'g', b'e', ..] => i > 0 && b[i - 1] == b'a',
        _ => false,
    }) || memchr::memchr(b'G', b).is_some() && has(t, "AGE")
}

/// The first characters of every editor prefix (`本版…` included), Chinese and Latin.
fn editor_start(t: &str) -> bool {
    t.starts_with(|c: char| {
        matches!(
            c,
            '责' | '本'
                | '值'
                | '版'
                | '美'
                | '图'
                | '编'
                | '校'
                | '排'
                | '组'
                | '审'
                | '视'
                | '制'
                | '终'
                | 'E'
                | 'e'
                | 'P'
                | 'p'
                | 'D'
                | 'd'
                | 'C'
                | 'c'
        )
    })
}

/// A web address, alone or after a short name: `www.dtnews.cn`, `大同新闻网 www.dtnews.cn`.
fn is_url_line(t: &str) -> bool {
    let mut url_words = 0;
    let mut other_chars = 0;
    for word in t.split(super::text::is_blank).filter(|w| !w.is_empty()) {
        let word = word
            .trim_start_matches(['网', '址', '：', ':'])
            .trim_start_matches("网址");
        if is_url(word) {
            url_words += 1;
        } else {
            other_chars += word.chars().count();
            // A sentence of English prose is not an address line: stop at once.
            if other_chars > 12 {
                return false;
            }
        }
    }
    url_words > 0
}

/// `www.dtnews.cn`, `https://news.example.com/a/b.html`: dot-separated ASCII labels ending
/// in an alphabetic top-level domain; a bare host needs nothing else, a path needs `http` or
/// `www.` (so `a.b/c` is not taken for an address). Compared in place, without a lowercase copy.
fn is_url(w: &str) -> bool {
    let starts = |s: &str, p: &[u8]| starts_with_ci(s.as_bytes(), p);
    let scheme = [b"https://".as_slice(), b"http://"]
        .into_iter()
        .find(|p| starts(w, p));
    let rest = &w[scheme.map_or(0, <[u8]>::len)..];
    let host = rest.split('/').next().unwrap_or("");
    let mut labels = 0;
    let mut last = "";
    for label in host.split('.') {
        if label.is_empty()
            || !label
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2
        && last.len() >= 2
        && last.bytes().all(|c| c.is_ascii_alphabetic())
        && (rest.len() == host.len() || starts(w, b"http") || starts(host, b"www."))
}

fn is_editor_line(t: &str) -> bool {
    if !editor_start(t) || t.chars().count() > 60 {
        return false;
    }
    let t2 = t.strip_prefix("本版").unwrap_or(t);
    let cjk = EDITOR_PREFIXES.iter().any(|p| {
        t2.strip_prefix(p)
            .is_some_and(|rest| rest.starts_with(['：', ':', ' ', '\u{3000}']) || rest.is_empty())
    });
    cjk || (t.starts_with(|c: char| c.is_ascii_alphabetic())
        && LATIN_EDITOR_PREFIXES
            .iter()
            .any(|p| starts_with_ci(t.as_bytes(), p.as_bytes())))
}

/// A page header: a date together with a weekday or page number, or a page number with a
/// short page name (`第2版 平城新闻`, `A2 | City News`).
fn is_header_line(t: &str) -> bool {
    let chars = t.chars().count();
    // `，` and `。` were ruled out by `could_be_furniture`.
    if chars > 80 || has(t, "；") {
        return false;
    }
    // (date && (weekday || page)) || (date && chars <= 16) || (page_word && chars <= 30),
    // asking the dearer questions only when they can still decide.
    if has_date(t) && (chars <= 16 || has_weekday(t) || has_page_number(t)) {
        return true;
    }
    chars <= 30 && page_word(t)
}

fn has_date(t: &str) -> bool {
    // 2026年11月28日 / 2026-11-28 / 2026.11.28 / November 28, 2026: every form has an ASCII
    // digit.
    let b = t.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) {
        return false;
    }
    if has(t, "年") && has(t, "月") && has(t, "日") {
        return true;
    }
    let numeric = b.windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && matches!(w[4], b'-' | b'.' | b'/')
            && w[5..7].iter().filter(|c| c.is_ascii_digit()).count() >= 1
    });
    numeric
        || (b.windows(4).any(|w| w.iter().all(u8::is_ascii_digit)) && has_ascii_word(t, &MONTHS))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// One of `words` (lowercase) stands in `t` as a whole run of ASCII letters, in any case
/// (`Saturday,` has `saturday`; `Marching` has no `march`). One pass, no lowercase copy.
fn has_ascii_word(t: &str, words: &[&str]) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let w = &b[start..i];
        if w.len() >= 3 && words.iter().any(|m| w.eq_ignore_ascii_case(m.as_bytes())) {
            return true;
        }
    }
    false
}

fn has_weekday(t: &str) -> bool {
    let cn = [
        "星期", "礼拜", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "周天",
    ];
    let en = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    if (has(t, "星") || has(t, "礼") || has(t, "周")) && cn.iter().any(|w| has(t, w)) {
        return true;
    }
    has_ascii_word(t, &en)
}

/// A page number standing as a word of its own: `第2版 综合新闻`, `第02版：要闻`, `A2`.
fn page_word(t: &str) -> bool {
    t.split(|c: char| {
        super::text::is_blank(c) || matches!(c, '：' | ':' | '|' | '｜' | '·' | '-' | '—')
    })
    .filter(|w| !w.is_empty())
    .any(|w| {
        let inner = w
            .strip_suffix('版')
            .map(|w| w.strip_prefix('第').unwrap_or(w));
        let page = inner.unwrap_or(w);
        (inner.is_some() && is_page_code(page))
            || (w.len() <= 3
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w[1..].chars().all(|c| c.is_ascii_digit())
                && w.len() >= 2)
            || w.eq_ignore_ascii_case("page")
    })
}

fn is_page_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 6
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || is_page_digit(c))
}

/// A Chinese or full-width digit of a page number.
fn is_page_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '０'..='９'
    )
}

fn has_page_number(t: &str) -> bool {
    // 第2版 / 第02版 / A2版 / Page 2
    if let Some(i) = t.find('第')
        && let Some(j) = t[i..].find('版')
    {
        let inner = &t[i + '第'.len_utf8()..i + j];
        if !inner.is_empty()
            && inner.len() <= 6
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || is_page_digit(c))
        {
            return true;
        }
    }
    if !t.contains("age ") && !t.contains("AGE ") {
        return false;
    }
    let b = t.as_bytes();
    (0..b.len().saturating_sub(4)).any(|i| {
        starts_with_ci(&b[i..], b"page ") && b.get(i + 5).is_some_and(u8::is_ascii_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use FurnitureKind::*;

    #[test]
    fn urls() {
        assert_eq!(line_kind("www.dtnews.cn"), Some(Url));
        assert_eq!(line_kind("https://news.example.com/a/b.html"), Some(Url));
        assert_eq!(line_kind("大同新闻网 www.dtnews.cn"), Some(Url));
        assert_eq!(line_kind("行政处罚123.5万元"), None);
    }

    #[test]
    fn headers() {
        assert_eq!(line_kind("2026年11月28日 星期六 第2版"), Some(Header));
        assert_eq!(line_kind("第02版：平城新闻"), Some(Header));
        assert_eq!(line_kind("A2 | City News"), Some(Header));
        assert_eq!(line_kind("A2版 要闻"), Some(Header));
        assert_eq!(line_kind("详见本报第2版"), None);
        assert_eq!(line_kind("（转第3版）"), None);
        assert_eq!(
            line_kind("Saturday, November 28, 2026 | Page 2"),
            Some(Header)
        );
        assert_eq!(
            line_kind("2026年11月28日，平城区召开会议，部署安全生产工作"),
            None
        );
    }

    #[test]
    fn markup_lines_are_never_furniture() {
        assert_eq!(line_kind("| 2026-11-28 | 第2版 |"), None);
        assert_eq!(
            line_kind("<tr><td>2026年11月28日</td><td>第2版</td></tr>"),
            None
        );
        assert_eq!(
            line_kind("![2026年11月28日 第2版](www.dtnews.cn/a.jpg)"),
            None
        );
        // A `<` that opens no tag is text like any other.
        assert_eq!(line_kind("<2026年11月28日 星期六 第2版"), Some(Header));
    }

    #[test]
    fn english_months_and_weekdays_are_whole_words() {
        assert_eq!(line_kind("MONDAY, MARCH 2, 2026"), Some(Header));
        assert_eq!(line_kind("Marching bands 2026 Sundays"), None);
        assert!(has_ascii_word("Saturday, 28", &["saturday"]));
        assert!(!has_ascii_word("Saturdays", &["saturday"]));
    }

    #[test]
    fn byte_hints_agree_with_a_plain_reading() {
        let plain = |t: &str| {
            editor_start(t)
                || t.chars()
                    .any(|c| c.is_ascii_digit() || c == '.' || c == '第')
                || t.chars().any(|c| ('０'..='９').contains(&c))
                || t.contains("age")
                || t.contains("AGE")
        };
        for t in [
            "平城区召开会议",
            "第二版",
            "２０２６年",
            "Page",
            "PAGE",
            "ag",
            "ge",
            "aGe",
            "gauge",
            "经济运行",
            "“双十一”",
            "v1",
            "a.b",
            "生管线组",
            "ＡＧＥ",
            "g",
        ] {
            assert_eq!(has_furniture_hint(t), plain(t), "{t:?}");
        }
        let clause = |t: &str| t.contains('，') || t.contains('。');
        for t in ["甲，乙", "甲。", "、（）“”", "，", "Ｅ", "平城"] {
            assert_eq!(has_clause_mark(t), clause(t), "{t:?}");
        }
    }

    #[test]
    fn editors() {
        assert_eq!(
            line_kind("责任编辑：王强 美术编辑：李丽 校对：张三"),
            Some(Editor)
        );
        assert_eq!(line_kind("本版编辑 王强"), Some(Editor));
        assert_eq!(line_kind("Page editor: Zhao Lin"), Some(Editor));
        assert_eq!(line_kind("编辑部的同志们认为"), None);
    }
}
