//! The query language and the folding it shares with the cache: string in, parsed query (or
//! the message the user sees) out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

use dubao::model::Date;
use dubao::search::{Folder, Query};
use proptest::prelude::*;

fn folder() -> Folder {
    Folder::new().expect("fold table")
}

fn parse(q: &str) -> Result<Query, String> {
    Query::parse(q, &folder()).map_err(|e| e.to_string())
}

fn d(year: u16, month: u8, day: u8) -> Option<Date> {
    Some(Date { year, month, day })
}

#[test]
fn folding_is_one_to_one() {
    let f = folder();
    assert_eq!(f.fold("ＣＯＶＩＤ－１９"), "covid-19");
    assert_eq!(f.fold("Covid COVID"), "covid covid");
    assert_eq!(f.fold("臺灣與香港的經濟發展"), "台湾与香港的经济发展");
    assert_eq!(f.fold("　全角空格"), " 全角空格");
}

#[test]
fn folding_keeps_every_character_in_place() {
    // One table for every case: building it is the slow part.
    let f = folder();
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&"\\PC{0,40}", |s| {
            let folded = f.fold(&s);
            prop_assert_eq!(folded.chars().count(), s.chars().count());
            for (a, b) in s.chars().zip(folded.chars()) {
                prop_assert_eq!(f.fold_char(a), b);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn whitespace_separates_terms_that_must_all_occur() {
    let q = parse("安全  隐患\u{3000}排查").unwrap();
    assert_eq!(q.terms, ["安全", "隐患", "排查"]);
    assert!(q.exclude.is_empty());
}

#[test]
fn terms_are_folded_like_the_text() {
    assert_eq!(parse("ＣＯＶＩＤ 經濟").unwrap().terms, ["covid", "经济"]);
}

#[test]
fn quotes_keep_a_phrase_and_minus_excludes() {
    let q = parse("\"New  York\" “安全 生产” -隐患 -\"a b\"").unwrap();
    assert_eq!(q.terms, ["new york", "安全 生产"]);
    assert_eq!(q.exclude, ["隐患", "a b"]);
}

#[test]
fn date_filters() {
    let q = parse("雪 date:2021").unwrap();
    assert_eq!((q.from, q.to), (d(2021, 1, 1), d(2021, 12, 31)));
    let q = parse("雪 date:2024-02").unwrap();
    assert_eq!((q.from, q.to), (d(2024, 2, 1), d(2024, 2, 29)));
    let q = parse("雪 date:2021-05-03").unwrap();
    assert_eq!((q.from, q.to), (d(2021, 5, 3), d(2021, 5, 3)));
    let q = parse("雪 date:2020-03..2020-06").unwrap();
    assert_eq!((q.from, q.to), (d(2020, 3, 1), d(2020, 6, 30)));
    let q = parse("雪 date:2020..").unwrap();
    assert_eq!((q.from, q.to), (d(2020, 1, 1), None));
    assert!(q.date_matches(d(2026, 1, 1)));
    assert!(!q.date_matches(d(2019, 12, 31)));
    assert!(!q.date_matches(None));
}

#[test]
fn other_filters() {
    let q = parse("雪 pub:大同日报 page:3 in:title by:孫露").unwrap();
    assert_eq!(q.terms, ["雪"]);
    assert_eq!(q.publications, ["大同日报"]);
    assert_eq!(q.page, Some(3));
    assert!(q.in_title);
    assert_eq!(q.authors, ["孙露"]);
    // Only a name is a query too; a word with a colon that is no filter is a term.
    assert_eq!(parse("by:孙露").unwrap().terms, Vec::<String>::new());
    assert_eq!(parse("12:30").unwrap().terms, ["12:30"]);
    assert_eq!(parse("\"date:2021\"").unwrap().terms, ["date:2021"]);
}

#[test]
fn bad_syntax_says_what_to_type() {
    let e = |q: &str| parse(q).unwrap_err();
    assert_eq!(
        e(""),
        "nothing to search for: type a word, a “phrase”, or by:NAME"
    );
    assert_eq!(e("date:2021 -雪"), e(""));
    assert_eq!(e("\"安全 生产"), "a quote is not closed: 安全 生产");
    assert_eq!(
        e("雪 -"),
        "“-” needs a word after it (-word excludes articles with that word)"
    );
    assert_eq!(
        e("雪 date:2021-13"),
        "date:2021-13: not a date (use 2021, 2021-05, 2021-05-03, or a range 2020-03..2020-06)"
    );
    assert!(e("雪 date:2021-06..2021-03").starts_with("date:2021-06..2021-03: not a date"));
    assert_eq!(
        e("雪 date:"),
        "date: needs a value (date:2021, date:2021-05 or date:2020-03..2020-06)"
    );
    assert_eq!(
        e("雪 page:0"),
        "page:0: not a page number (use page:1 for the first page of an issue)"
    );
    assert_eq!(
        e("雪 in:body"),
        "in:body: unknown (only in:title is understood)"
    );
    assert_eq!(e("雪 date:2021 date:2022"), "date: given twice");
}
