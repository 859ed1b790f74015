//! Headline groups: consecutive heading lines with no text between them. In a group, `###`
//! lines before the first `#`/`##` line are the kicker (引题), `#`/`##` lines are title lines
//! (主题), and a `###` line after them is the subtitle (副题) — unless it is a byline, which
//! becomes a byline block at the top of the story. Section labels (平城头条) alone or leading
//! a title line go to `section`. Heading lines that are page furniture go to the page.

use super::blocks::Draft;
use super::furniture;
use super::labels::Labels;
use super::names;
use super::text::{join_soft, strip_bold, trim_blank};
use crate::model::{BlockKind, Furniture};

/// A headline group, resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    pub section: Option<String>,
    pub kicker: Option<String>,
    pub title_lines: Vec<String>,
    pub subtitle: Option<String>,
    /// Byline blocks found among the heading lines (`### 本报记者 李明`).
    pub bylines: Vec<Draft>,
    pub furniture: Vec<Furniture>,
    pub warnings: Vec<String>,
}

impl Headline {
    /// True when the group names a story (it has a title, kicker or subtitle).
    pub fn has_headline(&self) -> bool {
        !self.title_lines.is_empty() || self.kicker.is_some() || self.subtitle.is_some()
    }
}

/// Split a run of consecutive heading lines into headline groups. Normally the run is one
/// group; but a section label after a title line, or a title line after a subtitle, starts
/// the next story's headline (`## 标题甲` `## 平城头条` `## 标题乙` is two groups).
pub fn split_groups<'a>(lines: &[(usize, &'a str)], labels: &Labels) -> Vec<Vec<(usize, &'a str)>> {
    let mut groups = Vec::new();
    let mut current: Vec<(usize, &'a str)> = Vec::new();
    let (mut has_title, mut has_subtitle) = (false, false);
    for &(level, raw) in lines {
        let text = trim_blank(raw);
        let other = text.is_empty()
            || furniture::line_kind(text).is_some()
            || names::byline_names(text).is_some();
        let label = !other && (labels.is_label(text) || labels.split_leading(text).is_some());
        let title = !other && level <= 2 && !labels.is_label(text);
        if (label && has_title) || (title && has_subtitle) {
            groups.push(std::mem::take(&mut current));
            has_title = false;
            has_subtitle = false;
        }
        if title {
            has_title = true;
        } else if !other && !label && level >= 3 && has_title {
            has_subtitle = true;
        }
        current.push((level, raw));
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Resolve one group of `(level, text)` heading lines.
pub fn resolve(lines: &[(usize, &str)], labels: &Labels) -> Headline {
    let mut h = Headline::default();
    let mut kicker_lines: Vec<String> = Vec::new();
    let mut subtitle_lines: Vec<String> = Vec::new();
    for &(level, raw) in lines {
        let text = strip_bold(trim_blank(raw));
        let text = trim_blank(&text);
        if text.is_empty() {
            h.warnings.push("empty heading line ignored".to_string());
            continue;
        }
        if let Some(kind) = furniture::line_kind(text) {
            h.furniture.push(Furniture {
                kind,
                text: text.to_string(),
            });
            continue;
        }
        let after_title = !h.title_lines.is_empty();
        let byline = names::byline_names(text).or_else(|| {
            (level >= 3 && after_title)
                .then(|| names::lone_names(text))
                .flatten()
        });
        if let Some(found) = byline {
            let mut d = Draft::new(BlockKind::Byline, text);
            d.names = found;
            h.bylines.push(d);
            continue;
        }
        if labels.is_label(text) {
            add_section(&mut h.section, text);
            continue;
        }
        let text = match labels.split_leading(text) {
            Some((label, rest)) => {
                add_section(&mut h.section, &label);
                rest
            }
            None => text.to_string(),
        };
        if level >= 3 {
            if after_title {
                subtitle_lines.push(text);
            } else {
                kicker_lines.push(text);
            }
        } else {
            h.title_lines.push(text);
        }
    }
    if h.title_lines.is_empty() && subtitle_lines.is_empty() {
        // A group of small headings only: they are the title.
        h.title_lines = kicker_lines;
    } else {
        h.kicker = joined(&kicker_lines);
    }
    h.subtitle = joined(&subtitle_lines);
    h
}

fn add_section(section: &mut Option<String>, label: &str) {
    match section {
        Some(s) => {
            s.push(' ');
            s.push_str(label);
        }
        None => *section = Some(label.to_string()),
    }
}

fn joined(lines: &[String]) -> Option<String> {
    let mut out = String::new();
    for l in lines {
        join_soft(&mut out, l);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(lines: &[(usize, &str)]) -> Headline {
        resolve(lines, &Labels::new(&[]))
    }

    #[test]
    fn kicker_and_title() {
        let h = r(&[(3, "平城区教育局"), (2, "确保“双减”工作落地落实")]);
        assert_eq!(h.kicker.as_deref(), Some("平城区教育局"));
        assert_eq!(h.title_lines, ["确保“双减”工作落地落实"]);
    }

    #[test]
    fn two_title_lines_with_kicker() {
        let h = r(&[
            (3, "城市管理精细化 创建全国文明城市"),
            (2, "紧盯民生办实事"),
            (2, "巡察监督暖民心"),
        ]);
        assert_eq!(h.kicker.as_deref(), Some("城市管理精细化 创建全国文明城市"));
        assert_eq!(h.title_lines, ["紧盯民生办实事", "巡察监督暖民心"]);
    }

    #[test]
    fn labels_alone_and_leading() {
        let h = r(&[(2, "平城头条"), (2, "平城区全方位提升人才干事创业激情")]);
        assert_eq!(h.section.as_deref(), Some("平城头条"));
        assert_eq!(h.title_lines, ["平城区全方位提升人才干事创业激情"]);
        let h = r(&[(2, "平城新语 安全防线背后的安全共识")]);
        assert_eq!(h.section.as_deref(), Some("平城新语"));
        assert_eq!(h.title_lines, ["安全防线背后的安全共识"]);
        let h = r(&[(2, "公证服务入基层 普法宣传润人心")]);
        assert_eq!((h.section, h.title_lines.len()), (None, 1));
    }

    #[test]
    fn subtitle_and_heading_byline() {
        let h = r(&[(2, "标题"), (3, "——副题在这里"), (3, "本报记者 李明")]);
        assert_eq!(h.subtitle.as_deref(), Some("——副题在这里"));
        assert_eq!(h.bylines[0].names, ["李明"]);
    }

    #[test]
    fn a_label_after_a_title_starts_the_next_group() {
        let labels = Labels::new(&[]);
        let g = split_groups(&[(2, "标题甲"), (2, "平城头条"), (2, "标题乙")], &labels);
        assert_eq!(g.len(), 2);
        let g = split_groups(&[(2, "标题甲"), (3, "——副题"), (2, "标题乙")], &labels);
        assert_eq!(g.len(), 2);
        let g = split_groups(
            &[(3, "引题"), (2, "平城头条"), (2, "标题"), (2, "第二行")],
            &labels,
        );
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn small_headings_alone_are_the_title() {
        let h = r(&[(3, "小标题")]);
        assert_eq!(
            (h.kicker, h.title_lines),
            (None, vec!["小标题".to_string()])
        );
    }
}
