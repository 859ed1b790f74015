//! Any bytes as a page: decode, parse, then lay every article out at a width taken from the
//! first byte (1–200 cells) in both ambiguous-width settings. Nothing may panic, and the
//! parse must be lossless on the decoded text (every Han character somewhere in the model).
#![no_main]

use dubao::parse::{self, ParseOptions};
use dubao::text::{self, AmbiguousWidth, LayoutOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let Ok(decoded) = parse::decode_page("fuzz", bytes) else {
        return;
    };
    let page = parse::parse_text(
        "fuzz",
        decoded.encoding,
        &decoded.text,
        &ParseOptions::default(),
    );
    let han = |s: &str| {
        s.chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count()
    };
    let mut in_model = page.furniture.iter().map(|f| han(&f.text)).sum::<usize>();
    for a in &page.articles {
        in_model += [&a.section, &a.kicker, &a.subtitle]
            .into_iter()
            .flatten()
            .map(|s| han(s))
            .sum::<usize>();
        in_model += a.title_lines.iter().map(|s| han(s)).sum::<usize>();
        in_model += a
            .blocks
            .iter()
            .map(|b| han(&b.text) + b.src.as_deref().map_or(0, han))
            .sum::<usize>();
    }
    assert_eq!(
        in_model,
        han(&decoded.text),
        "Han characters lost or invented"
    );
    let width = u16::from(first % 200) + 1;
    for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
        let opts = LayoutOptions {
            width,
            amb,
            indent: first & 1 == 1,
            hang: first & 2 == 2,
        };
        for article in &page.articles {
            let _ = text::layout_article(article, &opts);
        }
    }
});
