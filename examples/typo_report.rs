//! Typography figures over pages: for every article at every width in 20..=120 and both
//! ambiguous widths, count
//! - headings widowed: titles set on more than one line whose last line holds fewer than three
//!   characters (Chinese) or a single word (English);
//! - paragraph orphans: paragraphs of more than one line whose last line holds fewer than two
//!   letters or ideographs (`线。`);
//! - short lines: paragraph lines, a paragraph's last line aside, that end two ideographs
//!   (4 cells) or more short of the measure.
//!
//! Uses only the layout API (`layout_article`, `LineStyle`), so the same file runs against
//! older code for a before/after comparison.
//!
//! ```text
//! cargo run --release --example typo_report -- assets/samples/*/*.txt [more pages…]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use std::path::PathBuf;

use dubao::parse::{ParseOptions, read_page};
use dubao::text::{AmbiguousWidth, LayoutOptions, LineStyle, ScreenLine, layout_article, width};

#[derive(Default)]
struct Counts {
    titles_wrapped: usize,
    titles_widowed: usize,
    paragraphs_multi: usize,
    orphans: usize,
    body_lines: usize,
    short_lines: usize,
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

fn is_latin(s: &str) -> bool {
    !s.chars().any(|c| c as u32 >= 0x2E80)
}

fn count(lines: &[ScreenLine], measure: usize, amb: AmbiguousWidth, c: &mut Counts) {
    let titles: Vec<&str> = lines
        .iter()
        .filter(|l| l.style == LineStyle::Title)
        .map(|l| l.text.as_str())
        .collect();
    if titles.len() > 1 {
        c.titles_wrapped += 1;
        let last = titles[titles.len() - 1];
        let widowed = if is_latin(last) {
            last.split_whitespace().count() < 2
        } else {
            letters(last) < 3
        };
        c.titles_widowed += usize::from(widowed);
    }
    // Paragraph lines grouped by block.
    let mut k = 0;
    while k < lines.len() {
        if lines[k].style != LineStyle::Paragraph {
            k += 1;
            continue;
        }
        let block = lines[k].pos.block;
        let mut end = k;
        while end < lines.len()
            && lines[end].style == LineStyle::Paragraph
            && lines[end].pos.block == block
        {
            end += 1;
        }
        let para = &lines[k..end];
        if para.len() > 1 {
            c.paragraphs_multi += 1;
            c.orphans += usize::from(letters(&para[para.len() - 1].text) < 2);
            for l in &para[..para.len() - 1] {
                c.body_lines += 1;
                let w = usize::from(l.indent) + width(&l.text, amb);
                c.short_lines += usize::from(w + 4 <= measure);
            }
        }
        k = end;
    }
}

fn main() -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        for day in std::fs::read_dir("assets/samples")? {
            for page in std::fs::read_dir(day?.path())? {
                files.push(page?.path());
            }
        }
        files.sort();
    }
    let mut articles = Vec::new();
    for f in &files {
        let page = read_page(f, &f.display().to_string(), &ParseOptions::default())?;
        articles.extend(page.articles);
    }
    println!(
        "{} pages, {} articles, widths 20–120, ambiguous 1 and 2",
        files.len(),
        articles.len()
    );
    println!(
        "{:>5}  {:>16}  {:>18}  {:>22}",
        "width", "titles widowed", "paragraph orphans", "short lines"
    );
    let mut total = Counts::default();
    for w in 20..=120u16 {
        let mut c = Counts::default();
        for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
            let opts = LayoutOptions {
                width: w,
                amb,
                ..LayoutOptions::default()
            };
            // The hanging margin: text is broken at width - 2.
            let measure = usize::from(w) - 2;
            for a in &articles {
                count(&layout_article(a, &opts).lines, measure, amb, &mut c);
            }
        }
        if [20, 33, 40, 41, 60, 72, 80, 120].contains(&w) {
            print_row(&w.to_string(), &c);
        }
        total.titles_wrapped += c.titles_wrapped;
        total.titles_widowed += c.titles_widowed;
        total.paragraphs_multi += c.paragraphs_multi;
        total.orphans += c.orphans;
        total.body_lines += c.body_lines;
        total.short_lines += c.short_lines;
    }
    print_row("all", &total);
    Ok(())
}

fn print_row(label: &str, c: &Counts) {
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    println!(
        "{label:>5}  {:>6} of {:<6}  {:>7} of {:<7}  {:>7} of {:<7} {:>4.1}%",
        c.titles_widowed,
        c.titles_wrapped,
        c.orphans,
        c.paragraphs_multi,
        c.short_lines,
        c.body_lines,
        pct(c.short_lines, c.body_lines)
    );
}
