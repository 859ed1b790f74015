//! Page furniture: lines that belong to the page, not to any story — site addresses
//! (`www.dtnews.cn`), page headers with a date, weekday or page number
//! (`2026年11月28日 星期六 第2版`), and editor lines (`责任编辑：王强 校对：李丽`). They are kept
//! in `Page::furniture` and never shown inside articles.

use super::classify::continuation;
use super::text::{ends_sentence, has, trim_blank};
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

/// A cheap first look, since every line of a page is asked, in one pass over the bytes:
/// prose has commas and full stops (`，` `。`), furniture does not; and furniture has a dot
/// (an address), a digit or 第 (a date or page number), "page", or starts like an editor line.
fn could_be_furniture(t: &str) -> bool {
    let mut hint = editor_start(t);
    let b = t.as_bytes();
    // Lead bytes and ASCII never occur inside a UTF-8 sequence, so a match at any byte is a
    // match of the whole character.
    for (i, &x) in b.iter().enumerate() {
        match x {
            b'0'..=b'9' | b'.' => hint = true,
            // `，` EF BC 8C; `０`–`９` EF BC 90–99
            0xEF => match b.get(i + 1..i + 3) {
                Some([0xBC, 0x8C]) => return false,
                Some([0xBC, 0x90..=0x99]) => hint = true,
                _ => {}
            },
            // `。` E3 80 82
            0xE3 if b.get(i + 1..i + 3) == Some(&[0x80, 0x82]) => return false,
            // `第` E7 AC AC
            0xE7 if b.get(i + 1..i + 3) == Some(&[0xAC, 0xAC]) => hint = true,
            b'a' if b.get(i + 1..i + 3) == Some(b"ge") => hint = true,
            b'A' if b.get(i + 1..i + 3) == Some(b"GE") => hint = true,
            _ => {}
        }
    }
    hint
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
        }
    }
    url_words > 0 && other_chars <= 12
}

fn is_url(w: &str) -> bool {
    let lower = w.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = rest.split('/').next().unwrap_or("");
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
        && (rest.len() == host.len() || lower.starts_with("http") || host.starts_with("www."))
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
        && LATIN_EDITOR_PREFIXES.iter().any(|p| {
            t.len() >= p.len() && t.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        }))
}

/// A page header: a date together with a weekday or page number, or a page number with a
/// short page name (`第2版 平城新闻`, `A2 | City News`).
fn is_header_line(t: &str) -> bool {
    let chars = t.chars().count();
    if chars > 80 || has(t, "，") || has(t, "。") || has(t, "；") {
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
    // 2026年11月28日 / 2026-11-28 / 2026.11.28 / November 28, 2026
    let b = t.as_bytes();
    let cn = has(t, "年") && has(t, "月") && has(t, "日");
    let numeric = b.windows(10).any(|w| {
        w[..4].iter().all(u8::is_ascii_digit)
            && matches!(w[4], b'-' | b'.' | b'/')
            && w[5..7].iter().filter(|c| c.is_ascii_digit()).count() >= 1
    });
    if cn && t.bytes().any(|b| b.is_ascii_digit()) || numeric {
        return true;
    }
    if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    let months = [
        "january",
        "february",
        "march",
        "april",
        "may ",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    months.iter().any(|m| lower.contains(m))
        && b.windows(4).any(|w| w.iter().all(u8::is_ascii_digit))
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
    if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    en.iter().any(|w| lower.contains(w))
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
    let lower = t.to_ascii_lowercase();
    lower
        .match_indices("page ")
        .any(|(i, m)| lower[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
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
