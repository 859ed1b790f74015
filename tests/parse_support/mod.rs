//! Shared by the parser's integration tests: the lossless invariant of doc/format.md, and the
//! lists of fixture and sample pages it must hold on.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dubao::model::Page;

/// Characters the invariant counts: Han ideographs, CJK punctuation (not the ideographic
/// space, which is indentation), full-width forms, and the quotes and marks that sit in CJK
/// text (“”‘’…—·).
pub fn counted(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF
        | 0x3001..=0x303F | 0xFF01..=0xFFEF | 0xFE30..=0xFE4F
        | 0x2018..=0x201F | 0x2026 | 0x2014 | 0x00B7)
}

fn count(into: &mut BTreeMap<char, i64>, text: &str, sign: i64) {
    for c in text.chars().filter(|&c| counted(c)) {
        *into.entry(c).or_default() += sign;
    }
}

/// Every text of the model where input text can land (authors are derived, not counted).
pub fn model_texts(page: &Page) -> Vec<&str> {
    let mut out: Vec<&str> = page.furniture.iter().map(|f| f.text.as_str()).collect();
    for a in &page.articles {
        out.extend(a.section.as_deref());
        out.extend(a.kicker.as_deref());
        out.extend(a.title_lines.iter().map(String::as_str));
        out.extend(a.subtitle.as_deref());
        for b in &a.blocks {
            out.push(&b.text);
            out.extend(b.src.as_deref());
        }
    }
    out
}

/// Characters whose count differs between the input and the model: (char, input - model).
pub fn lossless_violations(input: &str, page: &Page) -> Vec<(char, i64)> {
    let mut diff = BTreeMap::new();
    count(&mut diff, input, 1);
    for t in model_texts(page) {
        count(&mut diff, t, -1);
    }
    diff.into_iter().filter(|&(_, n)| n != 0).collect()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every decodable fixture and every bundled sample page.
pub fn all_pages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(&root().join("tests/fixtures/parse"), &mut out);
    collect(&root().join("assets/samples"), &mut out);
    out.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}
