//! Reporter names: bylines (`本报记者 孙露`, `记者 X 通讯员 Y`, a lone `威力卿` or spaced
//! `孙 权`, `By Li Ming`) and datelines that open a paragraph (`本报讯（记者 尚丽）…`,
//! `新华社北京3月5日电（记者 X）…`). The functions only read text: a dateline's paragraph keeps
//! its text, a byline block keeps its spelling, and the names go to the article's `authors`.

use super::text::{is_han, trim_blank};

/// Roles that introduce names in bylines and datelines, longest first where one is a prefix
/// of another (they are matched as prefixes of a word: `本报记者孙露`).
const ROLES: &[&str] = &[
    "本报特约通讯员",
    "本报特约记者",
    "本报见习记者",
    "本报实习记者",
    "本报通讯员",
    "本报记者",
    "本报实习生",
    "新华社记者",
    "新华社通讯员",
    "人民日报记者",
    "中新社记者",
    "本报评论员",
    "特约通讯员",
    "特约记者",
    "见习记者",
    "实习记者",
    "首席记者",
    "融媒体记者",
    "全媒体记者",
    "通讯员",
    "实习生",
    "评论员",
    "记者",
    "撰稿",
    "撰文",
    "作者",
    "文/图",
    "文／图",
    "图/文",
    "图／文",
    "摄影",
];

/// The role `word` starts with, if any. Every role starts with one of the characters of the
/// gate, and most words start with none of them, so the 31 prefixes are rarely compared.
fn role_prefix(word: &str) -> Option<&'static str> {
    let gate = word.starts_with(|c: char| {
        matches!(
            c,
            '本' | '新'
                | '人'
                | '中'
                | '特'
                | '见'
                | '实'
                | '首'
                | '融'
                | '全'
                | '通'
                | '评'
                | '记'
                | '撰'
                | '作'
                | '文'
                | '图'
                | '摄'
        )
    });
    if !gate {
        return None;
    }
    ROLES.iter().copied().find(|r| word.starts_with(r))
}

/// Words that may stand alone in a byline without being a name.
const FILLERS: &[&str] = &["文", "图", "报道", "整理", "综合报道", "摄"];

/// Longest byline we believe, in bytes (about 40 Chinese characters).
const MAX_BYLINE_BYTES: usize = 120;

/// Names in a byline with a role word (`本报记者 孙露`, `李明 通讯员 王芳`) or an English
/// `By …` line. `None` when the text is not such a byline.
pub fn byline_names(text: &str) -> Option<Vec<String>> {
    let text = trim_blank(text);
    if text.is_empty() || text.len() > MAX_BYLINE_BYTES {
        return None;
    }
    if let Some(names) = english_byline(text) {
        return Some(names);
    }
    let (names, roles) = names_and_roles(text)?;
    (roles > 0 && !names.is_empty()).then_some(names)
}

/// A line that is only a name or names, no role word: `威力卿`, `孙 权`, `孙露 李明`.
pub fn lone_names(text: &str) -> Option<Vec<String>> {
    let text = trim_blank(text);
    if text.is_empty() || text.len() > 40 {
        return None;
    }
    let (names, roles) = names_and_roles(text)?;
    (roles == 0 && !names.is_empty()).then_some(names)
}

/// Names from a dateline opening a paragraph: a short lead ending in 讯 or 电, then a
/// bracket holding roles and names.
pub fn dateline_names(paragraph: &str) -> Option<Vec<String>> {
    let mut cut = paragraph.len().min(240);
    while !paragraph.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &paragraph[..cut];
    // Every paragraph is asked, and most open with prose: a comma, full stop or colon before
    // any bracket ends the search there (a dateline's lead has none of them).
    // By bytes: `（` EF BC 88, `，` EF BC 8C, `：` EF BC 9A, `。` E3 80 82; Han characters
    // have other lead bytes, so memchr stops only at punctuation.
    let b = head.as_bytes();
    let open = memchr::memchr3_iter(0xEF, 0xE3, b'(', b).find_map(|i| match &b[i..] {
        [b'(', ..] | [0xEF, 0xBC, 0x88, ..] => Some(Some(i)),
        [0xEF, 0xBC, 0x8C | 0x9A, ..] | [0xE3, 0x80, 0x82, ..] => Some(None),
        _ => None,
    })??;
    if memchr::memchr(b',', &b[..open]).is_some() {
        return None;
    }
    let lead = trim_blank(&head[..open]);
    let lead_ok = (lead.ends_with('讯') || lead.ends_with('电')) && lead.chars().count() <= 30;
    if !lead_ok {
        return None;
    }
    let inner_start = open + head[open..].chars().next()?.len_utf8();
    let close = head[inner_start..].find(['）', ')'])? + inner_start;
    let (names, _) = names_and_roles(&head[inner_start..close])?;
    (!names.is_empty()).then_some(names)
}

/// Split byline text into names and count role words. `None` if some word is neither a
/// role, a filler nor a plausible Chinese name (so any character other than Han, blanks,
/// separators, name dots and the roles' own `/` gives `None`).
fn names_and_roles(text: &str) -> Option<(Vec<String>, usize)> {
    // Without a name dot anywhere, no word may hold more than four Han characters, so the
    // look at a headline or a sentence (most texts asked) stops at its fifth character.
    let dotted = super::text::has(text, "·");
    let mut names = Vec::new();
    let mut roles = 0;
    let mut pending_single: Option<&str> = None;
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(is_separator);
        if rest.is_empty() {
            break;
        }
        // Roles never hold a separator, so they are stripped from the word's start.
        while let Some(role) = role_prefix(rest) {
            rest = &rest[role.len()..];
            roles += 1;
        }
        // The rest of the word, in one pass: Han characters and name dots only (a digit, a
        // Latin letter or other punctuation anywhere means this is not a byline).
        let mut han = 0;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if is_han(c) {
                han += 1;
                if han > 4 && !dotted {
                    return None;
                }
            } else if is_separator(c) {
                end = i;
                break;
            } else if c != '·' && c != '•' {
                return None;
            }
        }
        let word = &rest[..end];
        rest = &rest[end..];
        if word.is_empty() || FILLERS.contains(&word) && (roles > 0 || !names.is_empty()) {
            continue;
        }
        if han == 1 {
            // One half of a spaced two-character name: 孙 权.
            match pending_single.take() {
                Some(first) => names.push(format!("{first}{word}")),
                None => pending_single = Some(word),
            }
            continue;
        }
        if pending_single.is_some() || !(2..=4).contains(&han) && !word.contains('·') {
            return None;
        }
        names.push(word.to_string());
    }
    if pending_single.is_some() {
        return None;
    }
    Some((names, roles))
}

/// What separates the words of a byline: blanks, `、`, commas and colons.
fn is_separator(c: char) -> bool {
    super::text::is_blank(c) || matches!(c, '、' | '，' | ',' | '：' | ':')
}

/// `By Li Ming`, `By LI MING and WANG FANG`, `By Li Ming, staff reporter`.
fn english_byline(text: &str) -> Option<Vec<String>> {
    let rest = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("BY "))?;
    let rest = rest.split(" | ").next().unwrap_or(rest);
    let mut names = Vec::new();
    for part in rest.split([',', ';']).flat_map(|p| p.split(" and ")) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        let is_name = words.len() <= 4
            && words.iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '.')
            });
        if is_name {
            names.push(part.to_string());
        } else if names.is_empty() {
            return None;
        }
        // Lowercase tails ("staff reporter") describe the last name; skip them.
    }
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_passes_the_first_character_gate() {
        for role in ROLES {
            assert_eq!(role_prefix(role), Some(*role), "{role}");
        }
        assert_eq!(role_prefix("孙露"), None);
    }

    fn v(names: &[&str]) -> Option<Vec<String>> {
        Some(names.iter().map(std::string::ToString::to_string).collect())
    }

    #[test]
    fn role_bylines() {
        assert_eq!(byline_names("本报记者 孙露"), v(&["孙露"]));
        assert_eq!(byline_names("本报记者孙露"), v(&["孙露"]));
        assert_eq!(byline_names("李明 通讯员 王芳"), v(&["李明", "王芳"]));
        assert_eq!(byline_names("记者 孙 权"), v(&["孙权"]));
        assert_eq!(
            byline_names("记者 刘晓、欧阳明月"),
            v(&["刘晓", "欧阳明月"])
        );
        assert_eq!(
            byline_names("By Li Ming and Wang Fang"),
            v(&["Li Ming", "Wang Fang"])
        );
        assert_eq!(byline_names("By Li Ming, staff reporter"), v(&["Li Ming"]));
    }

    #[test]
    fn names_with_a_dot_may_be_long() {
        assert_eq!(
            byline_names("本报记者 阿卜杜热合曼·吐尔逊 李明"),
            v(&["阿卜杜热合曼·吐尔逊", "李明"])
        );
        // Five Han characters and no dot is no name, wherever the dot-less word stands.
        assert_eq!(byline_names("本报记者 阿卜杜·热合曼 欧阳修文集"), None);
        assert_eq!(byline_names("记者 欧阳修文集"), None);
    }

    #[test]
    fn not_bylines() {
        assert_eq!(byline_names("威力卿"), None);
        assert_eq!(byline_names("记者走访发现，问题已经解决。"), None);
        assert_eq!(byline_names("By the river there is a path"), None);
    }

    #[test]
    fn lone_names() {
        assert_eq!(super::lone_names("威力卿"), v(&["威力卿"]));
        assert_eq!(super::lone_names("孙 权"), v(&["孙权"]));
        assert_eq!(super::lone_names("本报记者 孙露"), None);
        assert_eq!(super::lone_names("好整治效果。"), None);
        assert_eq!(super::lone_names("平城区全方位提升人才"), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(
            dateline_names("本报讯（记者 尚丽）受冷空气影响，"),
            v(&["尚丽"])
        );
        assert_eq!(
            dateline_names("新华社北京3月5日电（记者 王小明 李华）今天，"),
            v(&["王小明", "李华"])
        );
        assert_eq!(
            dateline_names("本报讯 (记者 张三 通讯员 李四)今天"),
            v(&["张三", "李四"])
        );
        assert_eq!(dateline_names("今年以来（记者 尚丽）"), None);
        assert_eq!(dateline_names("受冷空气影响，我市（记者 尚丽）"), None);
    }
}
