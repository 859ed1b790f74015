//! Column-break rejoining. The layout tool cuts text at the bottom of each newspaper column
//! and starts a new paragraph there, often mid-word (`…加大对主次干` / `道、管护公园…`). A
//! paragraph that does not end a sentence continues in the next paragraph of the same
//! article — unless the next block is anything but a paragraph (heading, byline, credit,
//! caption, image, table, continuation) or furniture sits between them. Bylines, credits,
//! captions and labels are classified before this runs, since they never end in punctuation.

use super::assemble::Slot;
use super::text::{clip_spans, ends_sentence, is_blank, join_soft, trim_blank};
use crate::model::{Block, BlockKind};

/// Join every paragraph that stops mid-sentence with the paragraph after it. Linear: each
/// paragraph's text is appended once. `slots` is drained into `out` (cleared first), so
/// the caller reuses both buffers from article to article.
pub fn rejoin_column_breaks(slots: &mut Vec<Slot>, out: &mut Vec<Slot>) {
    out.clear();
    out.reserve(slots.len());
    for slot in slots.drain(..) {
        if let Slot::Draft(next) = &slot
            && next.kind() == BlockKind::Paragraph
            && let Some(Slot::Draft(prev)) = out.last_mut()
            && prev.kind() == BlockKind::Paragraph
            && !ends_sentence(&prev.block.text)
        {
            join_soft(&mut prev.block.text, &next.block.text);
            if !next.block.bold.is_empty() {
                shift_bold(&mut prev.block, &next.block);
            }
            // The joined paragraph spans both halves (and what stood between them).
            prev.block.span = match (prev.block.span, next.block.span) {
                (Some([a, b]), Some([c, d])) => Some([a.min(c), b.max(d)]),
                (one, other) => one.or(other),
            };
            continue;
        }
        out.push(slot);
    }
}

/// `next`'s bold spans, moved to where its (trimmed) text now ends `prev`'s.
fn shift_bold(prev: &mut Block, next: &Block) {
    let lead = next.text.len() - next.text.trim_start_matches(is_blank).len();
    let kept = trim_blank(&next.text).len();
    let at = prev.text.len() - kept;
    let spans = clip_spans(&next.bold, lead, lead + kept);
    prev.bold
        .extend(spans.into_iter().map(|[a, b]| [a + at, b + at]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::blocks::Draft;

    fn rejoin(mut slots: Vec<Slot>) -> Vec<Slot> {
        let mut out = Vec::new();
        rejoin_column_breaks(&mut slots, &mut out);
        assert!(slots.is_empty(), "the input is drained");
        out
    }

    fn para(t: &str) -> Slot {
        Slot::Draft(Draft::new(BlockKind::Paragraph, t))
    }

    fn texts(slots: &[Slot]) -> Vec<String> {
        slots
            .iter()
            .map(|s| match s {
                Slot::Draft(d) => d.block.text.clone(),
                Slot::Barrier => "|".to_string(),
            })
            .collect()
    }

    #[test]
    fn joins_mid_sentence_breaks_only() {
        let out = rejoin(vec![
            para("同时，加大对主次干"),
            para("道、管护公园等路段的巡查力度。"),
            para("新的段落。"),
        ]);
        assert_eq!(
            texts(&out),
            [
                "同时，加大对主次干道、管护公园等路段的巡查力度。",
                "新的段落。"
            ]
        );
    }

    #[test]
    fn chains_of_breaks_join_and_latin_gets_a_space() {
        let out = rejoin(vec![
            para("一个个例证，也是各个方"),
            para("面不断强化"),
            para("安全理念。"),
        ]);
        assert_eq!(texts(&out), ["一个个例证，也是各个方面不断强化安全理念。"]);
        let out = rejoin(vec![para("the river"), para("rose.")]);
        assert_eq!(texts(&out), ["the river rose."]);
    }

    #[test]
    fn never_across_other_blocks_or_furniture() {
        let credit = Slot::Draft(Draft::new(BlockKind::Credit, "孙露摄"));
        let out = rejoin(vec![para("未完"), credit, para("续文。")]);
        assert_eq!(out.len(), 3);
        let out = rejoin(vec![para("未完"), Slot::Barrier, para("续文。")]);
        assert_eq!(texts(&out), ["未完", "|", "续文。"]);
    }

    #[test]
    fn bold_moves_with_the_half_it_was_in() {
        let mut first = Draft::new(BlockKind::Paragraph, "**同时**，加大对主次干");
        first.block.text = "同时，加大对主次干".into();
        first.block.bold = vec![[0, 6]];
        let mut second = Draft::new(BlockKind::Paragraph, "道、管护公园。");
        second.block.bold = vec![[6, 18]];
        let out = rejoin(vec![Slot::Draft(first), Slot::Draft(second)]);
        let Slot::Draft(d) = &out[0] else {
            panic!("a draft")
        };
        let shown: Vec<&str> = d
            .block
            .bold
            .iter()
            .map(|&[a, b]| &d.block.text[a..b])
            .collect();
        assert_eq!(shown, ["同时", "管护公园"]);
    }
}
