//! Section labels: short title lines that name a column or page (平城头条, 平城新语, 要闻)
//! rather than a story. They are recognised by their ending; the built-in endings live in
//! [`LABEL_ENDINGS`], the one place to extend them, and users add more through
//! `ParseOptions::extra_section_labels` (endings or whole labels).

use super::text::{is_han, trim_blank};

/// Endings that make a short line a column or page label.
pub const LABEL_ENDINGS: &[&str] = &[
    "头条", "新语", "要闻", "时评", "评论", "快讯", "视点", "关注", "聚焦", "速递", "简讯", "专版",
    "副刊", "新闻", "专刊", "特刊", "专题", "观察", "热线", "纵横", "资讯", "社论", "杂谈", "论坛",
    "周刊", "动态", "短评", "漫谈",
];

/// English labels (whole line, case-insensitive last word) for pages in English.
const LATIN_LABEL_ENDINGS: &[&str] = &[
    "news",
    "briefs",
    "opinion",
    "commentary",
    "focus",
    "digest",
    "headlines",
    "editorial",
];

/// Longest label (in characters) recognised by its ending alone.
const MAX_LABEL_CHARS: usize = 6;

/// The label list in effect for one parse: built-ins plus the user's additions.
#[derive(Debug, Clone)]
pub struct Labels {
    extra: Vec<String>,
}

impl Labels {
    pub fn new(extra: &[String]) -> Self {
        Labels {
            extra: extra
                .iter()
                .map(|s| trim_blank(s).to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        }
    }

    /// True when the whole line is a section label.
    pub fn is_label(&self, line: &str) -> bool {
        let line = trim_blank(line);
        if line.is_empty() || line.len() > 64 || line.ends_with(['。', '，', '：', '？', '！'])
        {
            return false;
        }
        if self.extra.iter().any(|e| e == line) {
            return true;
        }
        if line.is_ascii() {
            return is_latin_label(line);
        }
        // Every heading is asked: a Han label of at most MAX_LABEL_CHARS characters has at
        // most 4 bytes each, so longer lines are answered without decoding them.
        line.len() <= MAX_LABEL_CHARS * 4
            && line.chars().all(is_han)
            && line.chars().count() <= MAX_LABEL_CHARS
            && (LABEL_ENDINGS.iter().any(|e| line.ends_with(e))
                || self.extra.iter().any(|e| line.ends_with(e.as_str())))
    }

    /// `平城新语 安全防线背后的安全共识` → (`平城新语`, `安全防线背后的安全共识`): a Chinese label
    /// leading a title, separated by a space. `None` when the first word is not a label.
    pub fn split_leading(&self, line: &str) -> Option<(String, String)> {
        let line = trim_blank(line);
        // The first blank (` `, tab or U+3000 `E3 80 80`), looked for by bytes and only as far
        // as a label can reach: most titles have no blank near their start.
        let b = line.as_bytes();
        let reach = &b[..b.len().min(MAX_LABEL_CHARS * 4 + 1)];
        let at = memchr::memchr3_iter(b' ', b'\t', 0xE3, reach)
            .find(|&i| b[i] != 0xE3 || b[i..].starts_with(&[0xE3, 0x80, 0x80]))?;
        let blank = if b[at] == 0xE3 { 3 } else { 1 };
        let (head, rest) = (&line[..at], trim_blank(&line[at + blank..]));
        if rest.is_empty() || !head.chars().all(is_han) || !self.is_label(head) {
            return None;
        }
        Some((head.to_string(), rest.to_string()))
    }
}

fn is_latin_label(line: &str) -> bool {
    if !line.is_ascii() {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return false;
    }
    let all_alpha = words
        .iter()
        .all(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '&'));
    let last = words[words.len() - 1].to_ascii_lowercase();
    all_alpha && LATIN_LABEL_ENDINGS.contains(&last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_by_ending() {
        let l = Labels::new(&[]);
        assert!(l.is_label("平城头条"));
        assert!(l.is_label("要闻"));
        assert!(l.is_label("City News"));
        assert!(!l.is_label("平城区全方位提升人才干事创业激情"));
        assert!(!l.is_label("威力卿"));
        assert!(!l.is_label("本地头条新闻报道汇总"));
    }

    #[test]
    fn leading_label_versus_title_split_by_space() {
        let l = Labels::new(&[]);
        assert_eq!(
            l.split_leading("平城新语 安全防线背后的安全共识"),
            Some(("平城新语".into(), "安全防线背后的安全共识".into()))
        );
        assert_eq!(
            l.split_leading("要闻\u{3000}\u{3000}全市经济运行稳中有进"),
            Some(("要闻".into(), "全市经济运行稳中有进".into()))
        );
        assert_eq!(
            l.split_leading("要闻\t全市经济"),
            Some(("要闻".into(), "全市经济".into()))
        );
        // U+3001 `、` shares the blank's lead byte and is no blank.
        assert_eq!(l.split_leading("要闻、全市 经济"), None);
        assert_eq!(l.split_leading("公证服务入基层 普法宣传润人心"), None);
        assert_eq!(l.split_leading("平城头条"), None);
    }

    #[test]
    fn users_extend_the_list() {
        let l = Labels::new(&["文苑".to_string(), "御河文化长廊".to_string()]);
        assert!(l.is_label("塞上文苑"));
        assert!(l.is_label("御河文化长廊"));
        assert!(!Labels::new(&[]).is_label("塞上文苑"));
    }
}
