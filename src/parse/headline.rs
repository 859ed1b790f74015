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
use crate::model::{BlockKind, Furniture, FurnitureKind};

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

/// One heading line, classified once (a page of 100,000 headings asks about each line in
/// both `split_groups` and `resolve`).
#[derive(Debug, Clone, PartialEq)]
pub struct HeadingLine {
    level: usize,
    /// Trimmed, `**bold**` removed.
    text: String,
    role: Role,
    /// Where the line's text is in the page (given to a byline made from it).
    pub span: Option<[usize; 2]>,
}

#[derive(Debug, Clone, PartialEq)]
enum Role {
    Empty,
    Furniture(FurnitureKind),
    Byline(Vec<String>),
    Label,
    /// `平城新语 安全防线背后的安全共识`: the label and the title after it.
    LeadingLabel(String, String),
    Text,
}

impl HeadingLine {
    pub fn new(level: usize, raw: &str, labels: &Labels) -> Self {
        let mut text = strip_bold(trim_blank(raw).to_string());
        let trimmed = trim_blank(&text);
        if trimmed.len() != text.len() {
            text = trimmed.to_string();
        }
        let role = if text.is_empty() {
            Role::Empty
        } else if let Some(kind) = furniture::line_kind(&text) {
            Role::Furniture(kind)
        } else if let Some(names) = names::byline_names(&text) {
            Role::Byline(names)
        } else if labels.is_label(&text) {
            Role::Label
        } else if let Some((label, rest)) = labels.split_leading(&text) {
            Role::LeadingLabel(label, rest)
        } else {
            Role::Text
        };
        HeadingLine {
            level,
            text,
            role,
            span: None,
        }
    }

    fn is_title(&self) -> bool {
        self.level <= 2 && matches!(self.role, Role::Text | Role::LeadingLabel(..))
    }
}

/// Split a run of consecutive heading lines into headline groups. Normally the run is one
/// group; but a section label after a title line, or a title line after a subtitle, starts
/// the next story's headline (`## 标题甲` `## 平城头条` `## 标题乙` is two groups).
pub fn split_groups(lines: Vec<HeadingLine>) -> Vec<Vec<HeadingLine>> {
    let mut groups = Vec::new();
    let mut current: Vec<HeadingLine> = Vec::new();
    let (mut has_title, mut has_subtitle) = (false, false);
    for line in lines {
        let label = matches!(line.role, Role::Label | Role::LeadingLabel(..));
        let title = line.is_title();
        if (label && has_title) || (title && has_subtitle) {
            groups.push(std::mem::take(&mut current));
            has_title = false;
            has_subtitle = false;
        }
        if title {
            has_title = true;
        } else if line.role == Role::Text && line.level >= 3 && has_title {
            has_subtitle = true;
        }
        current.push(line);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Resolve one group of heading lines.
pub fn resolve(lines: Vec<HeadingLine>) -> Headline {
    let mut h = Headline::default();
    let mut kicker_lines: Vec<String> = Vec::new();
    let mut subtitle_lines: Vec<String> = Vec::new();
    for line in lines {
        let after_title = !h.title_lines.is_empty();
        let text = match line.role {
            Role::Empty => {
                h.warnings.push("empty heading line ignored".to_string());
                continue;
            }
            Role::Furniture(kind) => {
                h.furniture.push(Furniture {
                    kind,
                    text: line.text,
                });
                continue;
            }
            Role::Byline(names) => {
                h.bylines.push(byline(line.text, names, line.span));
                continue;
            }
            Role::Label => {
                add_section(&mut h.section, &line.text);
                continue;
            }
            Role::LeadingLabel(label, rest) => {
                add_section(&mut h.section, &label);
                rest
            }
            Role::Text => {
                // A name alone under the title (`### 孙 权`) is a byline too.
                if line.level >= 3
                    && after_title
                    && let Some(names) = names::lone_names(&line.text)
                {
                    h.bylines.push(byline(line.text, names, line.span));
                    continue;
                }
                line.text
            }
        };
        if line.level >= 3 {
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

fn byline(text: String, names: Vec<String>, span: Option<[usize; 2]>) -> Draft {
    let mut d = Draft::new(BlockKind::Byline, text);
    d.names = names;
    d.block.span = span;
    d
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

    fn lines(lines: &[(usize, &str)]) -> Vec<HeadingLine> {
        let labels = Labels::new(&[]);
        lines
            .iter()
            .map(|&(l, t)| HeadingLine::new(l, t, &labels))
            .collect()
    }

    fn r(l: &[(usize, &str)]) -> Headline {
        resolve(lines(l))
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
        let g = split_groups(lines(&[(2, "标题甲"), (2, "平城头条"), (2, "标题乙")]));
        assert_eq!(g.len(), 2);
        let g = split_groups(lines(&[(2, "标题甲"), (3, "——副题"), (2, "标题乙")]));
        assert_eq!(g.len(), 2);
        let g = split_groups(lines(&[
            (3, "引题"),
            (2, "平城头条"),
            (2, "标题"),
            (2, "第二行"),
        ]));
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
