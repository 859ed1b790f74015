//! `dubao cat FILE`: a page's articles (not its furniture) laid out at a width, as plain
//! text: headline lines first, a blank line between blocks, a rule between articles; with
//! `--markdown`, headings marked (`#` title lines, `##` subtitle, `###` kicker) and bylines
//! set in `*…*` and the source's bold in `**…**` (`<strong>` where `**` would not work), so a pipe into `less` or a Markdown viewer
//! keeps the structure. Text is display-safe (control characters shown as placeholders). The
//! only escape codes ever written are SGR bold and normal (the source's bold and dateline
//! lead-ins, as the reader draws them), and only with `--color always`, or on a terminal with
//! `--color auto` (the default): a pipe gets plain text.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::config::Config;
use crate::parse;
use crate::text::{self, AmbiguousWidth, LayoutOptions, LineStyle};

#[derive(Debug, Args)]
pub struct CatArgs {
    pub file: PathBuf,
    /// Columns, 2 or more (default: the terminal's width, else 80).
    #[arg(long, value_parser = clap::value_parser!(u16).range(2..))]
    pub width: Option<u16>,
    /// Only article K (1-based).
    #[arg(long)]
    pub article: Option<usize>,
    #[arg(long, value_parser = ["1", "2"])]
    pub ambiguous_width: Option<String>,
    /// Print-style paragraphs: a two-ideograph first-line indent, no blank line between.
    #[arg(long)]
    pub indent: bool,
    /// Mark headings with `#` and bylines with `*…*` (paragraphs keep a blank line between).
    #[arg(long)]
    pub markdown: bool,
    /// Bold with escape codes: `auto` on a terminal only, `always` (for `less -R`), `never`.
    #[arg(long, value_name = "WHEN", value_parser = ["auto", "always", "never"], default_value = "auto")]
    pub color: String,
}

pub fn run(args: &CatArgs, cfg: &Config) -> anyhow::Result<i32> {
    let opts = cfg.parse_options();
    let page = parse::read_page(&args.file, &args.file.display().to_string(), &opts)?;
    let lopts = layout_options(args, cfg);
    let articles: Vec<_> = match args.article {
        None => page.articles.iter().collect(),
        Some(k) if (1..=page.articles.len()).contains(&k) => vec![&page.articles[k - 1]],
        Some(k) => bail!(
            "{}: no article {k} (the page has {})",
            args.file.display(),
            page.articles.len()
        ),
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.markdown {
        write_markdown(&mut out, &articles, &lopts)
    } else {
        write_articles(&mut out, &articles, &lopts, styles_on(&args.color))
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(0),
        // `dubao cat page | head` is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(e.into()),
    }
}

/// Flags first, then the config, then defaults (terminal width or 80, narrow, no indent).
fn layout_options(args: &CatArgs, cfg: &Config) -> LayoutOptions {
    let amb = match args.ambiguous_width.as_deref() {
        Some("2") => AmbiguousWidth::Wide,
        Some(_) => AmbiguousWidth::Narrow,
        None => cfg.amb().unwrap_or_default(),
    };
    LayoutOptions {
        width: args.width.unwrap_or_else(terminal_width),
        amb,
        // Markdown needs a blank line between paragraphs: print style is screen style there.
        indent: (args.indent || cfg.indent) && !args.markdown,
        hang: cfg.hang.unwrap_or(true),
    }
}

/// Whether to write SGR bold: `--color always`, or `auto` on a terminal that is not `dumb`.
fn styles_on(when: &str) -> bool {
    match when {
        "always" => true,
        "never" => false,
        _ => io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb"),
    }
}

fn terminal_width() -> u16 {
    if io::stdout().is_terminal()
        && let Ok((cols, _)) = ratatui::crossterm::terminal::size()
        && cols > 0
    {
        return cols;
    }
    80
}

/// Plain text: the layout's lines, a rule of `─` (measured as the terminal draws it)
/// between articles; with `bold`, bold runs between SGR 1 and SGR 22.
pub fn write_articles(
    out: &mut impl Write,
    articles: &[&crate::model::Article],
    opts: &LayoutOptions,
    bold: bool,
) -> io::Result<()> {
    let cell = text::char_width('─', opts.amb).max(1);
    let rule = "─".repeat(usize::from(opts.width) / cell);
    for (k, article) in articles.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
            writeln!(out, "{rule}")?;
            writeln!(out)?;
        }
        for line in text::layout_article(article, opts).lines {
            let pad = " ".repeat(usize::from(line.indent));
            write!(out, "{pad}")?;
            for (run, strong) in line.runs() {
                if strong && bold {
                    write!(out, "\x1b[1m{run}\x1b[22m")?;
                } else {
                    write!(out, "{run}")?;
                }
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Markdown: every heading line its own `#` line (a two-line title stays two `#` lines, as
/// in the source), bylines in `*…*`, the source's bold in `**…**` (closed and reopened at a
/// line break), a `---` rule between articles.
pub fn write_markdown(
    out: &mut impl Write,
    articles: &[&crate::model::Article],
    opts: &LayoutOptions,
) -> io::Result<()> {
    for (k, article) in articles.iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
            writeln!(out, "---")?;
            writeln!(out)?;
        }
        for line in text::layout_article(article, opts).lines {
            let t = &marked_bold(&line);
            match line.style {
                LineStyle::Title => writeln!(out, "# {t}")?,
                LineStyle::Subtitle => writeln!(out, "## {t}")?,
                LineStyle::Kicker => writeln!(out, "### {t}")?,
                LineStyle::Byline => writeln!(out, "*{t}*")?,
                // No leading spaces: four would make a code block.
                _ => writeln!(out, "{t}")?,
            }
        }
    }
    Ok(())
}

/// A line's text with its source bold (not the dateline lead-in, which the source may not
/// mark) between `**`, or in `<strong>` where CommonMark would not read `**` as emphasis.
fn marked_bold(line: &text::ScreenLine) -> String {
    let t = line.text.as_str();
    let mut out = String::with_capacity(t.len() + 4 * line.bold.len());
    let mut at = 0;
    for r in &line.bold {
        let (Some(before), Some(strong)) = (t.get(at..r.start), t.get(r.clone())) else {
            continue;
        };
        out.push_str(before);
        let prev = t[..r.start].chars().next_back();
        let next = t[r.end..].chars().next();
        if stars_work(prev, strong, next) {
            out.push_str("**");
            out.push_str(strong);
            out.push_str("**");
        } else {
            out.push_str("<strong>");
            out.push_str(strong);
            out.push_str("</strong>");
        }
        at = r.end;
    }
    out.push_str(t.get(at..).unwrap_or(""));
    out
}

/// CommonMark's flanking rules for `**strong**` between `prev` and `next`: an opening run may
/// not be followed by a space, nor by punctuation unless a space or punctuation comes before
/// it (and the same, mirrored, for the closing run). `说**“重点”**是` fails them: a mark right
/// inside, a letter right outside.
fn stars_work(prev: Option<char>, strong: &str, next: Option<char>) -> bool {
    let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let loose = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || punct(c));
    let (Some(first), Some(last)) = (strong.chars().next(), strong.chars().next_back()) else {
        return false;
    };
    let opens = !first.is_whitespace() && (!punct(first) || loose(prev));
    let closes = !last.is_whitespace() && (!punct(last) || loose(next));
    opens && closes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, BlockKind};

    fn article(title: &[&str]) -> Article {
        Article {
            section: Some("平城头条".into()),
            title_lines: title.iter().map(std::string::ToString::to_string).collect(),
            subtitle: Some("——区政务服务中心开设供暖专窗见闻".into()),
            blocks: vec![
                Block::new(BlockKind::Byline, "本报记者 孙露"),
                Block::new(
                    BlockKind::Paragraph,
                    "今年以来，平城区坚持把人才工作摆在首位。",
                ),
            ],
            ..Article::default()
        }
    }

    fn render(markdown: bool) -> String {
        let a = article(&["冬季供暖“一站式”服务", "群众办事最多跑一次"]);
        let b = article(&["每周提示"]);
        let opts = LayoutOptions {
            width: 40,
            ..LayoutOptions::default()
        };
        let mut out = Vec::new();
        if markdown {
            write_markdown(&mut out, &[&a, &b], &opts).unwrap();
        } else {
            write_articles(&mut out, &[&a, &b], &opts, false).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn markdown_marks_headings_and_bylines() {
        let md = render(true);
        let head: Vec<&str> = md.lines().take(7).collect();
        assert_eq!(
            head,
            [
                "【平城头条】",
                "# 冬季供暖“一站式”服务　群众办事最多跑一次",
                "## ——区政务服务中心开设供暖专窗见闻",
                "",
                "*本报记者 孙露*",
                "",
                "今年以来，平城区坚持把人才工作摆在首位。",
            ]
        );
        assert!(md.contains("\n\n---\n\n【平城头条】\n# 每周提示\n"), "{md}");
    }

    #[test]
    fn plain_text_rules_between_articles() {
        let plain = render(false);
        assert!(plain.starts_with("【平城头条】\n冬季供暖“一站式”服务　群众办事最多跑一次\n"));
        assert!(plain.contains(&format!("\n\n{}\n\n【平城头条】", "─".repeat(40))));
    }

    #[test]
    fn bold_as_markdown_and_as_sgr() {
        let text = "本报讯（记者 尚丽）区医院开设预约转诊绿色通道。";
        let mut p = Block::new(BlockKind::Paragraph, text);
        let green = text.find("预约").unwrap();
        p.bold = vec![
            [0, "本报讯".len()],
            [green, green + "预约转诊绿色通道".len()],
        ];
        let a = Article {
            title_lines: vec!["远程会诊".into()],
            blocks: vec![p],
            ..Article::default()
        };
        let opts = LayoutOptions {
            width: 34,
            ..LayoutOptions::default()
        };
        let mut md = Vec::new();
        write_markdown(&mut md, &[&a], &opts).unwrap();
        assert_eq!(
            String::from_utf8(md).unwrap(),
            "# 远程会诊\n\n**本报讯**（记者 尚丽）区医院开设**预**\n**约转诊绿色通道**。\n"
        );
        let mut sgr = Vec::new();
        write_articles(&mut sgr, &[&a], &opts, true).unwrap();
        assert_eq!(
            String::from_utf8(sgr).unwrap(),
            "远程会诊\n\n\x1b[1m本报讯（记者 尚丽）\x1b[22m区医院开设\x1b[1m预\x1b[22m\n\x1b[1m约转诊绿色通道\x1b[22m。\n"
        );
        let mut plain = Vec::new();
        write_articles(&mut plain, &[&a], &opts, false).unwrap();
        assert!(!String::from_utf8(plain).unwrap().contains('\x1b'));
    }

    #[test]
    fn stars_only_where_commonmark_reads_them() {
        assert!(stars_work(None, "本报讯", Some('（')));
        assert!(stars_work(Some('通'), "预约转诊绿色通道", Some('，')));
        assert!(stars_work(Some('，'), "“重点”", Some('。')));
        assert!(!stars_work(Some('说'), "“重点”", Some('是')));
        assert!(!stars_work(Some('a'), " spaced", None));
        let mut line = text::ScreenLine {
            style: LineStyle::Paragraph,
            indent: 0,
            text: "他说“重点”是安全".into(),
            pos: crate::model::TextPos::default(),
            bold: vec![],
        };
        let q = line.text.find('“').unwrap();
        let end = line.text.find('是').unwrap();
        line.bold = vec![q..end, end + '是'.len_utf8()..line.text.len()];
        assert_eq!(marked_bold(&line), "他说<strong>“重点”</strong>是**安全**");
    }
}
