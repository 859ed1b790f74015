//! Snapshots of the parsed JSON of every fixture page (tests/fixtures/parse) and bundled
//! sample (assets/samples): the whole model, reviewed once and then held. Review a changed
//! snapshot as you would a diff of the page's meaning.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

mod parse_support;

use dubao::parse::{self, ParseOptions};
use parse_support::root;

fn snapshot(relative: &str) {
    let path = root().join(relative);
    let page = parse::read_page(&path, relative, &ParseOptions::default()).expect("parses");
    let name = relative.replace(['/', '.'], "_");
    insta::assert_json_snapshot!(name, page);
}

macro_rules! snapshots {
    ($($test:ident => $path:literal,)*) => {
        $(#[test] fn $test() { snapshot($path); })*
    };
}

snapshots! {
    headlines => "tests/fixtures/parse/headlines.txt",
    bylines => "tests/fixtures/parse/bylines.txt",
    pictures => "tests/fixtures/parse/pictures.txt",
    continuation_01 => "tests/fixtures/parse/continuation_01.txt",
    continuation_02 => "tests/fixtures/parse/continuation_02.txt",
    furniture => "tests/fixtures/parse/furniture.txt",
    column_breaks => "tests/fixtures/parse/column_breaks.txt",
    untitled => "tests/fixtures/parse/untitled.txt",
    truncated => "tests/fixtures/parse/truncated.txt",
    gb18030 => "tests/fixtures/parse/gb18030.txt",
    empty => "tests/fixtures/parse/empty.txt",
    sample_26_01 => "assets/samples/2026-11-26/01.txt",
    sample_26_02 => "assets/samples/2026-11-26/02.txt",
    sample_27_01 => "assets/samples/2026-11-27/01.txt",
    sample_27_02 => "assets/samples/2026-11-27/02.txt",
    sample_28_01 => "assets/samples/2026-11-28/01.txt",
    sample_28_02 => "assets/samples/2026-11-28/02.txt",
}
