//! The archive generator (examples/gen_archive.rs): deterministic, dated, discoverable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests and benches may fail loudly

#[allow(dead_code)]
#[path = "../examples/gen_archive.rs"]
mod gen_archive;

use std::path::Path;

use gen_archive::{Spec, generate};

fn spec(dir: &Path, issues: usize, pages: usize) -> Spec {
    Spec {
        dir: dir.to_path_buf(),
        issues,
        pages,
        newest: "2024-03-02".into(),
        publication: "dubao-daily".into(),
        seed: 7,
        scan_only: false,
        scan: false,
        visit: 0,
        nested: false,
        numbered: false,
    }
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for day in std::fs::read_dir(dir.join("dubao-daily")).expect("publication folder") {
        let day = day.expect("entry").path();
        for page in std::fs::read_dir(&day).expect("issue folder") {
            let page = page.expect("entry").path();
            let name = page
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            out.push((name, std::fs::read(&page).expect("read")));
        }
    }
    out.sort();
    out
}

#[test]
fn same_arguments_same_bytes() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let sa = generate(&spec(a.path(), 12, 3)).expect("generate");
    let sb = generate(&spec(b.path(), 12, 3)).expect("generate");
    assert_eq!(
        (sa.issues, sa.pages, sa.bytes),
        (sb.issues, sb.pages, sb.bytes)
    );
    assert_eq!(read_all(a.path()), read_all(b.path()));
}

#[test]
fn daily_issues_back_from_the_newest_date_are_discovered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = generate(&spec(dir.path(), 5, 4)).expect("generate");
    assert_eq!((summary.issues, summary.pages), (5, 20));
    let index = dubao::library::scan(&[dir.path().to_path_buf()]);
    let dates: Vec<String> = index
        .issues
        .iter()
        .map(|i| i.date.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(
        dates,
        [
            "2024-03-02",
            "2024-03-01",
            "2024-02-29",
            "2024-02-28",
            "2024-02-27"
        ]
    );
    assert!(
        index
            .issues
            .iter()
            .all(|i| i.publication.as_deref() == Some("dubao-daily"))
    );
    // Issue folders are not opened at start-up: each is one deferred ref until listed.
    assert!(index.issues.iter().all(|i| i.pages.len() == 1));
    let (listed, errors) = dubao::library::list_pages(&index.issues[2]);
    assert!(errors.is_empty(), "{errors:?}");
    let rels: Vec<&str> = listed.pages.iter().map(|p| p.rel.as_str()).collect();
    assert_eq!(rels.len(), 4);
    assert!(
        rels[0].ends_with("dubao-daily/2024-02-29/01.txt"),
        "{rels:?}"
    );
    let issue = dubao::library::load_issue(&index.issues[2], &Default::default());
    assert!(issue.errors.is_empty(), "{:?}", issue.errors);
    assert_eq!(issue.pages.len(), 4);
}

#[test]
fn pages_vary() {
    let dir = tempfile::tempdir().expect("tempdir");
    generate(&spec(dir.path(), 20, 4)).expect("generate");
    let pages = read_all(dir.path());
    let distinct: std::collections::HashSet<&Vec<u8>> = pages.iter().map(|(_, b)| b).collect();
    assert!(
        distinct.len() > pages.len() / 4,
        "{} of {}",
        distinct.len(),
        pages.len()
    );
}

#[test]
fn day_arithmetic_round_trips_over_leap_days() {
    use gen_archive::{date_to_days, days_to_date};
    for days in [-1000, 0, 59, 365 * 30, 20_000] {
        assert_eq!(date_to_days(days_to_date(days)), days);
    }
    let d = dubao::model::Date {
        year: 2024,
        month: 3,
        day: 1,
    };
    assert_eq!(days_to_date(date_to_days(d) - 1).to_string(), "2024-02-29");
    assert_eq!(days_to_date(0).to_string(), "1970-01-01");
}

#[test]
fn nested_year_month_day_folders_are_dated() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = spec(dir.path(), 3, 2);
    s.nested = true;
    generate(&s).expect("generate");
    assert!(dir.path().join("dubao-daily/2024/02/29/02.txt").is_file());
    let index = dubao::library::scan(&[dir.path().to_path_buf()]);
    let got: Vec<(String, String, usize)> = index
        .issues
        .iter()
        .map(|i| {
            let d = i.date.map(|d| d.to_string()).unwrap_or_default();
            (i.id.to_string(), d, i.pages.len())
        })
        .collect();
    // Keyed by publication and date, like the flat layout (issue 13).
    assert_eq!(
        got,
        ["2024-03-02", "2024-03-01", "2024-02-29"].map(|d| (
            format!("dubao-daily/{d}"),
            d.to_string(),
            1
        ))
    );
    // Day folders dated by their path are deferred too, and named by their date.
    assert_eq!(index.issues[2].name, "2024-02-29");
    let issue = dubao::library::load_issue(&index.issues[2], &Default::default());
    assert_eq!(issue.pages.len(), 2);
    assert_eq!(issue.pages[1].source, "dubao-daily/2024-02-29/02.txt");
    assert!(
        index
            .issues
            .iter()
            .all(|i| i.publication.as_deref() == Some("dubao-daily"))
    );
}

#[test]
fn numbered_undated_folders_are_opened_at_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = spec(dir.path(), 3, 2);
    s.numbered = true;
    generate(&s).expect("generate");
    let index = dubao::library::scan(&[dir.path().to_path_buf()]);
    let got: Vec<(&str, usize)> = index
        .issues
        .iter()
        .map(|i| (i.name.as_str(), i.pages.len()))
        .collect();
    assert_eq!(got, [("第0001期", 2), ("第0002期", 2), ("第0003期", 2)]);
    assert!(index.issues.iter().all(|i| i.date.is_none()));
}
