//! One text block → pieces: furniture lines peeled off its edges, markdown tables and inline
//! images/tables taken out, soft wraps joined, indentation and `**bold**` removed,
//! continuation markers split off, and the block classified by its own text (credit, byline,
//! continuation, a lone name or caption candidate). Context rules come later, in `assemble`.

use super::classify::{self, Direction};
use super::furniture;
use super::labels::Labels;
use super::markup;
use super::names;
use super::text::{clip_spans, find, join_soft, strip_bold_spans, trim_blank};
use crate::model::{Block, BlockKind, Furniture, FurnitureKind};

/// A block on its way into an article, with what its text alone says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub block: Block,
    /// Names from a byline (role-based or lone).
    pub names: Vec<String>,
    /// A line that is only a name (`威力卿`, `孙 权`): a byline at the top or end of a story,
    /// a paragraph anywhere else.
    pub lone_name: bool,
    /// For continuation blocks.
    pub continuation: Option<(Direction, u32)>,
}

impl Draft {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Draft::from_block(Block::new(kind, text))
    }

    pub fn from_block(block: Block) -> Self {
        Draft {
            block,
            names: Vec::new(),
            lone_name: false,
            continuation: None,
        }
    }

    pub fn kind(&self) -> BlockKind {
        self.block.kind
    }
}

/// What a text block turns into, in page order.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Draft(Draft),
    Furniture(Furniture),
}

/// Turn the raw lines of one block into pieces, appended to `out` (a buffer the caller
/// reuses from block to block).
/// `base` is the page text the lines are slices of (it gives the blocks' spans; lines from
/// elsewhere give blocks without one).
pub fn build(base: &str, lines: &[&str], labels: &Labels, out: &mut Vec<Piece>) {
    let mark = out.len();
    build_spanned(base, lines, labels, out);
    // Whatever did not get a narrower span gets the whole block's.
    stamp(&mut out[mark..], span_of_lines(base, lines));
}

fn build_spanned(base: &str, lines: &[&str], labels: &Labels, out: &mut Vec<Piece>) {
    // Furniture lines come out wherever they sit in the block (a site address can interrupt
    // a paragraph); the lines around them are one paragraph again.
    let Some(first) = lines.iter().position(|l| furniture::line_kind(l).is_some()) else {
        build_body(base, lines, labels, out);
        return;
    };
    let mut body: Vec<&str> = lines[..first].to_vec();
    for line in &lines[first..] {
        match furniture::line_kind(line) {
            Some(kind) => out.push(Piece::Furniture(Furniture {
                kind,
                text: trim_blank(line).to_string(),
            })),
            None => body.push(line),
        }
    }
    if !body.is_empty() {
        build_body(base, &body, labels, out);
    }
}

/// Byte offsets into `base` from the start of `first` to the end of `last`, when both are
/// slices of `base` (compared as addresses: no `unsafe`, nothing dereferenced).
pub fn span_of(base: &str, first: &str, last: &str) -> Option<[usize; 2]> {
    let at = |s: &str| (s.as_ptr() as usize).checked_sub(base.as_ptr() as usize);
    let (start, end) = (at(first)?, at(last)? + last.len());
    (start <= end && end <= base.len()).then_some([start, end])
}

fn span_of_lines(base: &str, lines: &[&str]) -> Option<[usize; 2]> {
    span_of(base, lines.first()?, lines.last()?)
}

/// Give `span` to the drafts among `pieces` that have none yet.
fn stamp(pieces: &mut [Piece], span: Option<[usize; 2]>) {
    for piece in pieces {
        if let Piece::Draft(d) = piece
            && d.block.span.is_none()
        {
            d.block.span = span;
        }
    }
}

/// `flush_text`, its pieces spanning `lines` (the lines the text was gathered from).
fn flush_lines(
    base: &str,
    lines: &[&str],
    text: &mut String,
    labels: &Labels,
    out: &mut Vec<Piece>,
) {
    let mark = out.len();
    flush_text(text, labels, out);
    stamp(&mut out[mark..], span_of_lines(base, lines));
}

/// `classify_text` of one line, its pieces spanning that line.
fn classify_line(base: &str, line: &str, labels: &Labels, out: &mut Vec<Piece>) {
    let mark = out.len();
    classify_text(trim_blank(line).to_string(), labels, out);
    stamp(&mut out[mark..], span_of(base, line, line));
}

fn push_spanned(out: &mut Vec<Piece>, block: Block, span: Option<[usize; 2]>) {
    let mut d = Draft::from_block(block);
    d.block.span = span;
    out.push(Piece::Draft(d));
}

/// The body of a block: text lines are joined into one paragraph; a line that is only an
/// image or a table (markdown or HTML) ends the paragraph and stands as its own block, so a
/// caption under a picture stays under it; an image or table inside a line of text follows
/// its paragraph.
fn build_body(base: &str, lines: &[&str], labels: &Labels, out: &mut Vec<Piece>) {
    // A byline on the block's first line, or a byline or credit on its last, is a line of its
    // own even without a blank line around it (`本报记者 孙露` directly above the text).
    let mut lines = lines;
    if lines.len() >= 2 && names::byline_names(lines[0]).is_some() {
        classify_line(base, lines[0], labels, out);
        lines = &lines[1..];
    }
    let mut tail = None;
    if let [rest @ .., last] = lines
        && !rest.is_empty()
        && (classify::is_credit(last) || names::byline_names(last).is_some())
    {
        tail = Some(*last);
        lines = rest;
    }
    build_lines(base, lines, labels, out);
    if let Some(last) = tail {
        classify_line(base, last, labels, out);
    }
}

fn build_lines(base: &str, lines: &[&str], labels: &Labels, out: &mut Vec<Piece>) {
    // The paragraph is these lines joined: one allocation at its final size, not a regrowth
    // per line.
    let mut text = String::with_capacity(lines.iter().map(|l| l.len()).sum());
    // The first line of the paragraph being gathered in `text`.
    let mut from = 0;
    let mut i = 0;
    while i < lines.len() {
        let run = lines[i..]
            .iter()
            .take_while(|l| markup::is_markdown_row(l))
            .count();
        if run >= 2 {
            flush_lines(base, &lines[from..i], &mut text, labels, out);
            let rows = &lines[i..i + run];
            push_spanned(out, markup::markdown_table(rows), span_of_lines(base, rows));
            i += run;
            from = i;
            continue;
        }
        if starts_indented_paragraph(&text, lines[i]) {
            flush_lines(base, &lines[from..i], &mut text, labels, out);
            from = i;
        }
        if !markup::may_have_markup(lines[i]) {
            join_soft(&mut text, lines[i]);
            i += 1;
            continue;
        }
        let unit_lines = &lines[i..i + html_table_span(&lines[i..])];
        let unit_span = span_of_lines(base, unit_lines);
        let mut unit = String::new();
        for line in unit_lines {
            join_soft(&mut unit, line);
        }
        let before = &lines[from..i];
        i += unit_lines.len();
        if let Some((image, rest)) = markup::leading_image(&unit) {
            // `![](a.jpg)平城区开展…`: the picture, then the words under it.
            flush_lines(base, before, &mut text, labels, out);
            push_spanned(out, image, unit_span);
            join_soft(&mut text, rest);
            from = i - unit_lines.len();
            continue;
        }
        let standalone = markup::extract_inline(unit.clone());
        if !standalone.embedded.is_empty() && trim_blank(&standalone.text).is_empty() {
            flush_lines(base, before, &mut text, labels, out);
            for block in standalone.embedded {
                push_spanned(out, block, unit_span);
            }
            from = i;
        } else {
            join_soft(&mut text, &unit);
        }
    }
    flush_lines(base, &lines[from..], &mut text, labels, out);
}

/// A line indented with full-width spaces after a finished sentence starts a new paragraph,
/// even with no blank line before it; any other line inside a block is a soft wrap.
fn starts_indented_paragraph(text: &str, line: &str) -> bool {
    !text.is_empty() && line.starts_with('\u{3000}') && super::text::ends_sentence(text)
}

/// How many lines from the first one make a unit: 1, or up to the line that closes an HTML
/// table the first line opens.
fn html_table_span(lines: &[&str]) -> usize {
    let mut depth = 0usize;
    for (n, line) in lines.iter().enumerate() {
        depth = super::lines::update_open_tables(depth, line);
        if depth == 0 {
            return n + 1;
        }
    }
    lines.len()
}

fn flush_text(text: &mut String, labels: &Labels, out: &mut Vec<Piece>) {
    if text.is_empty() {
        return;
    }
    // Owned all the way down: a plain paragraph's text is moved, not copied, into its block.
    // Most paragraphs hold no `*`, `!` or `<`: one scan answers for the image, table and
    // bold questions together.
    if memchr::memchr3(b'*', b'!', b'<', text.as_bytes()).is_none() {
        let para = trim_owned(std::mem::take(text));
        if !para.is_empty() {
            classify_text(para, labels, out);
        }
        return;
    }
    let extracted = markup::extract_inline(std::mem::take(text));
    let (stripped, bold) = strip_bold_spans(extracted.text);
    if bold.is_empty() {
        let para = trim_owned(stripped);
        if !para.is_empty() {
            classify_text(para, labels, out);
        }
    } else {
        let mark = out.len();
        let para = trim_blank(&stripped).to_string();
        if !para.is_empty() {
            classify_text(para, labels, out);
        }
        give_bold(&stripped, &bold, &mut out[mark..]);
    }
    out.extend(
        extracted
            .embedded
            .into_iter()
            .map(|b| Piece::Draft(Draft::from_block(b))),
    );
}

/// Hand the bold spans of `text` to the pieces made from it. Each piece's text is a piece
/// of `text` (trimmed, split at a continuation marker or a credit), in order, so it is found
/// by searching on from the end of the one before.
fn give_bold(text: &str, bold: &[[usize; 2]], pieces: &mut [Piece]) {
    let mut cursor = 0;
    for piece in pieces {
        let t = match piece {
            Piece::Draft(d) => d.block.text.as_str(),
            Piece::Furniture(f) => f.text.as_str(),
        };
        let Some(at) = find(&text.as_bytes()[cursor..], t.as_bytes()).map(|p| p + cursor) else {
            continue;
        };
        let end = at + t.len();
        if let Piece::Draft(d) = piece {
            d.block.bold = clip_spans(bold, at, end);
        }
        cursor = end;
    }
}

fn trim_owned(s: String) -> String {
    if trim_blank(&s).len() == s.len() {
        s
    } else {
        trim_blank(&s).to_string()
    }
}

/// Classify the text of a block by itself and push the resulting piece(s).
fn classify_text(text: String, labels: &Labels, out: &mut Vec<Piece>) {
    let (before, rest, after) = classify::split_continuations(&text);
    if before.is_none() && after.is_none() {
        classify_plain(text, labels, out);
        return;
    }
    if let Some(marker) = before {
        out.push(Piece::Draft(continuation_draft(marker)));
    }
    if !rest.is_empty() {
        classify_plain(rest.to_string(), labels, out);
    }
    if let Some(marker) = after {
        out.push(Piece::Draft(continuation_draft(marker)));
    }
}

fn continuation_draft(marker: &str) -> Draft {
    let mut d = Draft::new(BlockKind::Continuation, marker);
    d.continuation = classify::continuation(marker);
    d
}

fn classify_plain(text: String, labels: &Labels, out: &mut Vec<Piece>) {
    if let Some((caption, credit)) = classify::split_caption_credit(&text) {
        out.push(Piece::Draft(Draft::new(BlockKind::Caption, caption)));
        out.push(Piece::Draft(Draft::new(BlockKind::Credit, credit)));
        return;
    }
    out.push(classify_one(text, labels));
}

fn classify_one(text: String, labels: &Labels) -> Piece {
    if classify::is_credit(&text) {
        return Piece::Draft(Draft::new(BlockKind::Credit, text));
    }
    if let Some(names) = names::byline_names(&text) {
        let mut d = Draft::new(BlockKind::Byline, text);
        d.names = names;
        return Piece::Draft(d);
    }
    if labels.is_label(&text) {
        return Piece::Furniture(Furniture {
            kind: FurnitureKind::Label,
            text,
        });
    }
    let lone = names::lone_names(&text);
    let mut d = Draft::new(BlockKind::Paragraph, text);
    if let Some(names) = lone {
        d.names = names;
        d.lone_name = true;
    }
    Piece::Draft(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(lines: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        build("", lines, &Labels::new(&[]), &mut out);
        out.into_iter()
            .map(|p| match p {
                Piece::Draft(d) => format!("{:?}:{}", d.block.kind, d.block.text),
                Piece::Furniture(f) => format!("furniture {:?}:{}", f.kind, f.text),
            })
            .collect()
    }

    #[test]
    fn soft_wraps_and_indentation() {
        assert_eq!(
            kinds(&["　　加大对主次", "干道的巡查", "力度。"]),
            ["Paragraph:加大对主次干道的巡查力度。"]
        );
        assert_eq!(
            kinds(&["The river", "rose."]),
            ["Paragraph:The river rose."]
        );
    }

    #[test]
    fn furniture_lines_come_out_of_blocks() {
        assert_eq!(
            kinds(&["2026年11月28日 星期六", "正文第一", "www.dtnews.cn", "句。"]),
            [
                "furniture Header:2026年11月28日 星期六",
                "furniture Url:www.dtnews.cn",
                "Paragraph:正文第一句。",
            ]
        );
    }

    #[test]
    fn image_and_table_follow_their_paragraph() {
        assert_eq!(
            kinds(&[
                "现场![](images/a.jpg)气氛热烈。",
                "| 甲 | 乙 |",
                "| 1 | 2 |"
            ]),
            ["Paragraph:现场气氛热烈。", "Image:", "Table:甲\t乙\n1\t2"]
        );
    }

    #[test]
    fn image_line_then_caption_line_keep_their_order() {
        assert_eq!(
            kinds(&["![](images/a.jpg)", "平城区开展燃气安全宣传进社区活动。"]),
            ["Image:", "Paragraph:平城区开展燃气安全宣传进社区活动。"]
        );
    }

    #[test]
    fn byline_and_credit_lines_inside_a_block_stand_alone() {
        assert_eq!(
            kinds(&[
                "本报记者 孙露",
                "今年以来，平城区牢固树立安全发展理念，",
                "始终坚持安全第一。",
                "王芳 摄"
            ]),
            [
                "Byline:本报记者 孙露",
                "Paragraph:今年以来，平城区牢固树立安全发展理念，始终坚持安全第一。",
                "Credit:王芳 摄"
            ]
        );
    }

    #[test]
    fn an_indented_line_after_a_sentence_starts_a_paragraph() {
        assert_eq!(
            kinds(&["　　第一段结束。", "　　第二段开始，", "　　仍是第二段。"]),
            [
                "Paragraph:第一段结束。",
                "Paragraph:第二段开始，仍是第二段。"
            ]
        );
    }

    #[test]
    fn image_leading_a_line_comes_before_its_words() {
        assert_eq!(
            kinds(&["![](images/a.jpg)平城区开展燃气安全宣传进社区活动。"]),
            ["Image:", "Paragraph:平城区开展燃气安全宣传进社区活动。"]
        );
    }

    #[test]
    fn continuation_split_and_credit_and_byline() {
        assert_eq!(
            kinds(&["确保安全。（下转第2版）"]),
            ["Paragraph:确保安全。", "Continuation:（下转第2版）"]
        );
        assert_eq!(kinds(&["孙露摄(资料照片)"]), ["Credit:孙露摄(资料照片)"]);
        assert_eq!(kinds(&["本报记者 孙露"]), ["Byline:本报记者 孙露"]);
        assert_eq!(kinds(&["**重点**工作。"]), ["Paragraph:重点工作。"]);
        assert_eq!(
            kinds(&["冰雕作品吸引游客驻足。本报记者 高原 摄"]),
            ["Caption:冰雕作品吸引游客驻足。", "Credit:本报记者 高原 摄"]
        );
    }

    fn bold(lines: &[&str]) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        build("", lines, &Labels::new(&[]), &mut out);
        out.into_iter()
            .filter_map(|p| match p {
                Piece::Draft(d) => {
                    let b = &d.block;
                    let spans = b.bold.iter().map(|&[s, e]| b.text[s..e].to_string());
                    Some((b.text.clone(), spans.collect()))
                }
                Piece::Furniture(_) => None,
            })
            .collect()
    }

    #[test]
    fn bold_is_kept_as_spans_through_trims_and_splits() {
        let s = |v: &[&str]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            bold(&["　　**本报讯**（记者 尚丽）开设", "**预约转诊绿色通道**。"]),
            [(
                "本报讯（记者 尚丽）开设预约转诊绿色通道。".to_string(),
                s(&["本报讯", "预约转诊绿色通道"])
            )]
        );
        assert_eq!(
            bold(&["**确保**安全。（下转第2版）"]),
            [
                ("确保安全。".to_string(), s(&["确保"])),
                ("（下转第2版）".to_string(), vec![])
            ]
        );
        assert_eq!(
            bold(&["冰雕作品**吸引**游客驻足。本报记者 **高原** 摄"]),
            [
                ("冰雕作品吸引游客驻足。".to_string(), s(&["吸引"])),
                ("本报记者 高原 摄".to_string(), s(&["高原"]))
            ]
        );
        assert_eq!(
            bold(&["5**2 没有配对"]),
            [("5**2 没有配对".to_string(), vec![])]
        );
    }
}
