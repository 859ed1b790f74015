//! What a single text block is, judged from its own text: a photo credit, a continuation
//! marker, a caption candidate. Context (what comes before or after) is applied later, when
//! the article is assembled.

use super::text::{is_sentence_mark, trim_blank};

/// Which way a continuation marker points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `（下转第2版）`: the story continues on that page.
    To,
    /// `（上接第1版）`: the story comes from that page.
    From,
}

/// A continuation marker: the whole text is `（下转第2版）`, `（上接第1版）`, `（转第3版）`, or
/// the English `(Continued on Page 2)`. Returns the direction and page number.
pub fn continuation(text: &str) -> Option<(Direction, u32)> {
    let t = trim_blank(text);
    if t.len() > 60 {
        return None;
    }
    let inner = t
        .strip_prefix(['（', '(', '【', '['])?
        .strip_suffix(['）', ')', '】', ']'])?;
    let inner = trim_blank(inner);
    let (dir, rest) = if let Some(r) = strip_any(inner, &["下转", "转至", "转"]) {
        (Direction::To, r)
    } else if let Some(r) = strip_any(inner, &["上接", "紧接", "接", "续"]) {
        (Direction::From, r)
    } else {
        return english_continuation(inner);
    };
    let rest = trim_blank(rest);
    let rest = rest.strip_prefix('第').unwrap_or(rest);
    let number = rest.strip_suffix('版')?;
    Some((dir, page_number(trim_blank(number))?))
}

fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

fn english_continuation(inner: &str) -> Option<(Direction, u32)> {
    let lower = inner.to_ascii_lowercase();
    let (dir, rest) = if let Some(r) = strip_any(&lower, &["continued on", "see", "turn to"]) {
        (Direction::To, r)
    } else if let Some(r) = strip_any(&lower, &["continued from", "from"]) {
        (Direction::From, r)
    } else {
        return None;
    };
    let rest = rest.trim();
    let rest = strip_any(rest, &["page", "p."]).unwrap_or(rest);
    Some((dir, page_number(rest.trim())?))
}

/// `2`, `２`, `02`, `A2`, `二`, `十二` → the page number.
fn page_number(s: &str) -> Option<u32> {
    let s = s.trim_start_matches(|c: char| c.is_ascii_uppercase());
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut n: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            n = n.checked_mul(10)?.checked_add(d)?;
        }
        return Some(n);
    }
    chinese_number(s)
}

fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// A continuation marker at the start and/or end of a paragraph, split off:
/// (marker before, the rest, marker after).
pub fn split_continuations(text: &str) -> (Option<&str>, &str, Option<&str>) {
    let t = trim_blank(text);
    let mut before = None;
    let mut rest = t;
    if rest.starts_with(['（', '('])
        && let Some(close) = rest[..floor_boundary(rest, rest.len().min(60))].find(['）', ')'])
    {
        let end = close + rest[close..].chars().next().map_or(1, char::len_utf8);
        if continuation(&rest[..end]).is_some() {
            before = Some(&rest[..end]);
            rest = trim_blank(&rest[end..]);
        }
    }
    let mut after = None;
    if rest.ends_with(['）', ')']) {
        let window_start = floor_boundary(rest, rest.len().saturating_sub(60));
        if let Some(open) = rest[window_start..].rfind(['（', '(']) {
            let open = window_start + open;
            if continuation(&rest[open..]).is_some() {
                after = Some(&rest[open..]);
                rest = trim_blank(&rest[..open]);
            }
        }
    }
    (before, rest, after)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A photo credit: ends in 摄 (optionally with a bracketed note: `孙露摄(资料照片)`,
/// `本报记者 王芳 摄`), or an English `Photo by …` / `Photo: …`. Short, no sentence inside.
pub fn is_credit(text: &str) -> bool {
    let t = trim_blank(text);
    if t.is_empty() || t.len() > 90 {
        return false;
    }
    if !(t.ends_with(['摄', ')', '）']) || super::text::has(t, "hoto")) {
        return false;
    }
    if ["photo by ", "photos by ", "photo: ", "photograph by "]
        .iter()
        .any(|p| super::text::starts_with_ci(t.as_bytes(), p.as_bytes()))
    {
        return t.len() <= 80 && !t.ends_with('.');
    }
    let t = t
        .strip_prefix(['（', '('])
        .and_then(|s| s.strip_suffix(['）', ')']))
        .unwrap_or(t);
    let core = strip_note(t);
    let core = trim_blank(core);
    core.ends_with('摄')
        && (2..=30).contains(&core.chars().count())
        && !core.chars().any(|c| is_sentence_mark(c) || c == '，')
}

/// `孙露摄(资料照片)` → `孙露摄`.
fn strip_note(t: &str) -> &str {
    if t.ends_with([')', '）'])
        && let Some(open) = t.rfind(['(', '（'])
    {
        return &t[..open];
    }
    t
}

/// A caption and its credit in one block (`冰雕作品吸引游客驻足。本报记者 高原 摄`): split at
/// the last sentence end when what follows is a credit and what precedes reads as a caption.
pub fn split_caption_credit(text: &str) -> Option<(&str, &str)> {
    let t = trim_blank(text);
    if t.len() > 300
        || !(t.ends_with(['摄', ')', '）']) || super::text::has(t, "hoto"))
        || is_credit(t)
    {
        return None;
    }
    let (cut, mark) = t
        .char_indices()
        .rfind(|&(_, c)| is_sentence_mark(c) || c == '.')?;
    let split = cut + mark.len_utf8();
    let (caption, credit) = (trim_blank(&t[..split]), trim_blank(&t[split..]));
    (!credit.is_empty() && is_credit(credit) && caption_like(caption)).then_some((caption, credit))
}

/// Could this block be a caption: one sentence, about 40 characters at most?
pub fn caption_like(text: &str) -> bool {
    let t = trim_blank(text);
    if t.is_empty() || t.len() > 200 {
        return false;
    }
    let count = t.chars().count();
    let latin = !t.chars().any(super::text::is_han);
    let limit = if latin { 120 } else { 40 };
    if count > limit {
        return false;
    }
    // At most one sentence: the only sentence mark, if any, is at the end.
    let body = t.trim_end_matches(|c: char| is_sentence_mark(c) || "”’」』）)\"'.".contains(c));
    !(body.chars().any(is_sentence_mark) || latin && body.contains(". "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_markers() {
        assert_eq!(continuation("（下转第2版）"), Some((Direction::To, 2)));
        assert_eq!(continuation("（上接第1版）"), Some((Direction::From, 1)));
        assert_eq!(continuation("（转第3版）"), Some((Direction::To, 3)));
        assert_eq!(continuation("(下转第十二版)"), Some((Direction::To, 12)));
        assert_eq!(continuation("（下转A2版）"), Some((Direction::To, 2)));
        assert_eq!(
            continuation("(Continued on Page 2)"),
            Some((Direction::To, 2))
        );
        assert_eq!(
            continuation("(Continued from page 1)"),
            Some((Direction::From, 1))
        );
        assert_eq!(continuation("（资料照片）"), None);
    }

    #[test]
    fn markers_split_off_paragraphs() {
        let (b, r, a) = split_continuations("确保安全。（下转第2版）");
        assert_eq!((b, r, a), (None, "确保安全。", Some("（下转第2版）")));
        let (b, r, a) = split_continuations("（上接第1版）道、管护公园");
        assert_eq!((b, r, a), (Some("（上接第1版）"), "道、管护公园", None));
        let (b, _, a) = split_continuations("制定办法(试行)");
        assert_eq!((b, a), (None, None));
    }

    #[test]
    fn credits() {
        assert!(is_credit("孙露摄(资料照片)"));
        assert!(is_credit("本报记者 王芳 摄"));
        assert!(is_credit("（新华社记者 李明 摄）"));
        assert!(is_credit("Photo by Wang Fang"));
        // Longer than the ten characters the prefix test once looked at.
        assert!(is_credit("Photograph by Wang Fang"));
        assert!(!is_credit("平城区开展燃气安全宣传进社区活动。"));
        assert!(!is_credit("记者在现场看到，工作人员正在拍摄。"));
    }

    #[test]
    fn caption_and_credit_together() {
        assert_eq!(
            split_caption_credit("冰雕作品吸引游客驻足。 本报记者 高原 摄"),
            Some(("冰雕作品吸引游客驻足。", "本报记者 高原 摄"))
        );
        assert_eq!(
            split_caption_credit("Ice sculptures drew crowds. Photo by Gao Yuan"),
            Some(("Ice sculptures drew crowds.", "Photo by Gao Yuan"))
        );
        assert_eq!(split_caption_credit("孙露摄(资料照片)"), None);
    }

    #[test]
    fn captions() {
        assert!(caption_like("平城区开展燃气安全宣传进社区活动。"));
        assert!(!caption_like(
            "今年以来，平城区牢固树立安全发展理念。始终坚持安全第一、预防为主。"
        ));
        assert!(!caption_like(&"长".repeat(41)));
    }
}
