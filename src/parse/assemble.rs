//! Items → articles. Headline groups open articles; text blocks fill the current one (text
//! before the first heading makes an article with no title); furniture goes to the page.
//! Each article is then finished: context rules (a lone name at the top or end of a story is
//! a byline; a short sentence after an image or before a credit is a caption), column-break
//! rejoining, authors from bylines and datelines, continuation pages, and truncation.

use std::collections::HashSet;

use super::blocks::{self, Draft, Piece};
use super::classify::{self, Direction};
use super::headline::{self, HeadingLine, Headline};
use super::labels::Labels;
use super::lines::{Item, split_items};
use super::names;
use super::rejoin::rejoin_column_breaks;
use super::text::ends_sentence;
use crate::model::{Article, BlockKind, Furniture, FurnitureKind, Page};

/// A place in an article's block stream: a block, or furniture that sat between blocks (a
/// column break is never rejoined across it).
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    Draft(Draft),
    Barrier,
}

struct ArticleDraft {
    article: Article,
    slots: Vec<Slot>,
}

impl ArticleDraft {
    fn new(h: Headline) -> Self {
        ArticleDraft {
            article: Article {
                section: h.section,
                kicker: h.kicker,
                title_lines: h.title_lines,
                subtitle: h.subtitle,
                ..Article::default()
            },
            slots: h.bylines.into_iter().map(Slot::Draft).collect(),
        }
    }

    fn untitled(section: Option<String>) -> Self {
        ArticleDraft::new(Headline {
            section,
            ..Headline::default()
        })
    }
}

/// Build the page model from decoded text.
pub fn assemble(source: &str, encoding: &str, text: &str, labels: &Labels) -> Page {
    let mut a = Assembler {
        page: Page {
            source: source.to_string(),
            encoding: encoding.to_string(),
            articles: Vec::new(),
            furniture: Vec::new(),
            warnings: Vec::new(),
        },
        labels,
        base: text,
        drafts: Drafts::new(),
        pending_section: None,
        run: Vec::new(),
        pieces: Vec::new(),
    };
    // Items are handled as the splitter finds them: no page-sized list of them is kept.
    split_items(text, |item| match item {
        Item::Heading { level, text } => {
            let mut line = HeadingLine::new(level, text, a.labels);
            line.span = blocks::span_of(a.base, text, text);
            a.run.push(line);
        }
        Item::Text(lines) => {
            a.end_heading_run();
            a.text_block(lines);
        }
    });
    a.end_heading_run();
    let mut page = a.page;
    if let Some(label) = a.pending_section {
        page.furniture.push(label_furniture(label));
    }
    page.articles = a.drafts.into_articles();
    if page.articles.is_empty() && page.furniture.is_empty() {
        page.warnings.push("empty page: no text".to_string());
    }
    page
}

/// The page being built, item by item.
struct Assembler<'l> {
    page: Page,
    labels: &'l Labels,
    /// The page text (block spans are offsets into it).
    base: &'l str,
    drafts: Drafts,
    /// A label-only headline group waits for the text it labels.
    pending_section: Option<String>,
    /// Consecutive heading lines not yet resolved into headline groups.
    run: Vec<HeadingLine>,
    /// What the current text block turned into (a buffer reused from block to block).
    pieces: Vec<Piece>,
}

impl Assembler<'_> {
    /// Resolve the heading lines seen since the last text block into headline groups.
    fn end_heading_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        for group in headline::split_groups(std::mem::take(&mut self.run)) {
            let mut h = headline::resolve(group);
            self.page.furniture.append(&mut h.furniture);
            self.page.warnings.append(&mut h.warnings);
            open_group(
                h,
                &mut self.drafts,
                &mut self.pending_section,
                &mut self.page.furniture,
            );
        }
    }

    fn text_block(&mut self, lines: &[&str]) {
        blocks::build(self.base, lines, self.labels, &mut self.pieces);
        for piece in self.pieces.drain(..) {
            match piece {
                Piece::Furniture(f) => {
                    self.page.furniture.push(f);
                    self.drafts.push_slot(Slot::Barrier);
                }
                Piece::Draft(d) => {
                    if self.pending_section.is_some() || self.drafts.is_empty() {
                        self.drafts
                            .push(ArticleDraft::untitled(self.pending_section.take()));
                    }
                    self.drafts.push_slot(Slot::Draft(d));
                }
            }
        }
    }
}

fn label_furniture(text: String) -> Furniture {
    Furniture {
        kind: FurnitureKind::Label,
        text,
    }
}

/// Start the article a headline group names, or, for a group with no headline, hold its
/// label for the text that follows and put its bylines in the current article.
fn open_group(
    h: Headline,
    drafts: &mut Drafts,
    pending_section: &mut Option<String>,
    furniture: &mut Vec<Furniture>,
) {
    if h.has_headline() {
        let mut h = h;
        if let Some(label) = pending_section.take() {
            match h.section {
                None => h.section = Some(label),
                Some(_) => furniture.push(label_furniture(label)),
            }
        }
        drafts.push(ArticleDraft::new(h));
        return;
    }
    if let Some(label) = h.section
        && let Some(old) = pending_section.replace(label)
    {
        furniture.push(label_furniture(old));
    }
    if !h.bylines.is_empty() {
        if pending_section.is_some() || drafts.is_empty() {
            drafts.push(ArticleDraft::untitled(pending_section.take()));
        }
        for b in h.bylines {
            drafts.push_slot(Slot::Draft(b));
        }
    }
}

/// The articles of a page as they are built: the finished ones, and the open one, whose
/// slots live in a buffer reused from article to article (a page of many short stories
/// regrew a slot vector, and a rejoined copy of it, for every one of them).
struct Drafts {
    done: Vec<Article>,
    open: Option<Article>,
    slots: Vec<Slot>,
    rejoined: Vec<Slot>,
}

impl Drafts {
    fn new() -> Self {
        Drafts {
            done: Vec::new(),
            open: None,
            slots: Vec::new(),
            rejoined: Vec::new(),
        }
    }

    /// No article has been opened yet.
    fn is_empty(&self) -> bool {
        self.open.is_none()
    }

    /// Finish the open article and open this one.
    fn push(&mut self, d: ArticleDraft) {
        self.close();
        self.open = Some(d.article);
        self.slots.extend(d.slots);
    }

    /// Add to the open article (nothing is open only before the first one, when there is
    /// nothing to add to).
    fn push_slot(&mut self, slot: Slot) {
        if self.open.is_some() {
            self.slots.push(slot);
        }
    }

    fn close(&mut self) {
        if let Some(article) = self.open.take() {
            let done = finish(article, &mut self.slots, &mut self.rejoined);
            self.done.push(done);
        }
    }

    /// All articles, the page's last story with text marked when it is cut off.
    fn into_articles(mut self) -> Vec<Article> {
        self.close();
        // Every draft slot becomes a block, so the last story with text is the last
        // article with blocks.
        if let Some(last) = self.done.iter_mut().rev().find(|a| !a.blocks.is_empty()) {
            last.truncated = last.continues_to.is_none()
                && last
                    .blocks
                    .last()
                    .is_some_and(|b| b.kind == BlockKind::Paragraph && !ends_sentence(&b.text));
        }
        self.done
    }
}

/// Apply the context rules, rejoin column breaks and fill in the article's derived fields.
/// `slots` is drained; `rejoined` is scratch space.
fn finish(mut article: Article, slots: &mut Vec<Slot>, rejoined: &mut Vec<Slot>) -> Article {
    mark_lone_name_bylines(slots);
    mark_captions(slots);
    rejoin_column_breaks(slots, rejoined);
    article.blocks.reserve_exact(rejoined.len());
    let mut seen = HashSet::new();
    for slot in rejoined.drain(..) {
        let Slot::Draft(mut draft) = slot else {
            continue;
        };
        let names = match draft.kind() {
            BlockKind::Byline => std::mem::take(&mut draft.names),
            BlockKind::Paragraph => names::dateline_names(&draft.block.text).unwrap_or_default(),
            _ => Vec::new(),
        };
        for name in names {
            add_author(&mut article.authors, &mut seen, name);
        }
        match draft.continuation {
            Some((Direction::To, page)) => article.continues_to = Some(page),
            Some((Direction::From, page)) => {
                article.continues_from.get_or_insert(page);
            }
            None => {}
        }
        article.blocks.push(draft.block);
    }
    article
}

/// Add a name once. Short lists are searched; a long one (a pathological page) gets a set.
fn add_author(authors: &mut Vec<String>, seen: &mut HashSet<String>, name: String) {
    const SMALL: usize = 16;
    if authors.len() < SMALL {
        if !authors.contains(&name) {
            authors.push(name);
        }
        return;
    }
    if seen.is_empty() {
        seen.extend(authors.iter().cloned());
    }
    if seen.insert(name.clone()) {
        authors.push(name);
    }
}

/// A line that is only a name is a byline at the top of a story (after any other bylines)
/// or at its end — unless, at the end, it is the tail of a paragraph cut by a column break.
fn mark_lone_name_bylines(slots: &mut [Slot]) {
    let first = slots.iter().position(|s| match s {
        Slot::Draft(d) => d.kind() != BlockKind::Byline,
        Slot::Barrier => true,
    });
    if let Some(Slot::Draft(d)) = first.and_then(|i| slots.get_mut(i))
        && d.lone_name
    {
        d.block.kind = BlockKind::Byline;
    }
    let Some(last) = slots.iter().rposition(|s| matches!(s, Slot::Draft(_))) else {
        return;
    };
    let prev_unfinished = last > 0
        && matches!(&slots[last - 1], Slot::Draft(p)
            if p.kind() == BlockKind::Paragraph && !ends_sentence(&p.block.text));
    if let Slot::Draft(d) = &mut slots[last]
        && d.lone_name
        && !prev_unfinished
    {
        d.block.kind = BlockKind::Byline;
    }
}

/// A short one-sentence paragraph right after an image (or after an image's credit), or
/// right before a credit, is the picture's caption.
fn mark_captions(slots: &mut [Slot]) {
    let kind_at = |slots: &[Slot], i: Option<usize>| match i.and_then(|i| slots.get(i)) {
        Some(Slot::Draft(d)) => Some(d.kind()),
        _ => None,
    };
    for i in 0..slots.len() {
        let Slot::Draft(d) = &slots[i] else { continue };
        if d.kind() != BlockKind::Paragraph {
            continue;
        }
        let prev = kind_at(slots, i.checked_sub(1));
        let prev2 = kind_at(slots, i.checked_sub(2));
        let next = kind_at(slots, Some(i + 1));
        let after_image = prev == Some(BlockKind::Image)
            || (prev == Some(BlockKind::Credit) && prev2 == Some(BlockKind::Image));
        let near_picture = after_image || next == Some(BlockKind::Credit);
        if near_picture
            && classify::caption_like(&d.block.text)
            && let Slot::Draft(d) = &mut slots[i]
        {
            d.block.kind = BlockKind::Caption;
        }
    }
}
