//! The sample issues compiled into the binary, shown when no library is configured and no
//! path is given: three dated issues of two pages each, newest first.

use super::{IssueEntry, LibraryIndex, PageRef, PageSource};

/// A bundled page: file name and bytes.
type SamplePage = (&'static str, &'static [u8]);

/// `(folder, pages)`, oldest first as on disk.
const SAMPLES: [(&str, [SamplePage; 2]); 3] = [
    (
        "2026-11-26",
        [
            (
                "01.txt",
                include_bytes!("../../assets/samples/2026-11-26/01.txt"),
            ),
            (
                "02.txt",
                include_bytes!("../../assets/samples/2026-11-26/02.txt"),
            ),
        ],
    ),
    (
        "2026-11-27",
        [
            (
                "01.txt",
                include_bytes!("../../assets/samples/2026-11-27/01.txt"),
            ),
            (
                "02.txt",
                include_bytes!("../../assets/samples/2026-11-27/02.txt"),
            ),
        ],
    ),
    (
        "2026-11-28",
        [
            (
                "01.txt",
                include_bytes!("../../assets/samples/2026-11-28/01.txt"),
            ),
            (
                "02.txt",
                include_bytes!("../../assets/samples/2026-11-28/02.txt"),
            ),
        ],
    ),
];

/// Prefix of bundled ids, so their reading state never mixes with a real folder's.
pub const BUNDLED_PREFIX: &str = "samples";

/// The sample issues bundled in the binary, newest first.
pub fn bundled() -> LibraryIndex {
    let issues = SAMPLES
        .iter()
        .rev()
        .map(|(folder, pages)| {
            let id = format!("{BUNDLED_PREFIX}/{folder}");
            IssueEntry {
                id: id.as_str().into(),
                name: (*folder).into(),
                publication: None,
                date: super::dates::date_in_name(folder),
                pages: pages
                    .iter()
                    .map(|(file, bytes)| PageRef {
                        rel: compact_str::format_compact!("{id}/{file}"),
                        source: PageSource::Bundled(bytes),
                    })
                    .collect(),
            }
        })
        .collect();
    LibraryIndex {
        issues,
        errors: Vec::new(),
    }
}

/// The bundled sample pages as `(folder, file, text)`, for tools that recombine them (the
/// archive generator). Pages that are not UTF-8 are skipped.
pub fn sample_pages() -> Vec<(&'static str, &'static str, &'static str)> {
    SAMPLES
        .iter()
        .flat_map(|(folder, pages)| {
            pages.iter().filter_map(move |(file, bytes)| {
                std::str::from_utf8(bytes).ok().map(|t| (*folder, *file, t))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    #[test]
    fn three_dated_issues_newest_first() {
        let index = bundled();
        let dates: Vec<Option<Date>> = index.issues.iter().map(|i| i.date).collect();
        assert_eq!(dates.len(), 3);
        assert!(dates.iter().all(Option::is_some));
        assert!(dates.windows(2).all(|w| w[0] > w[1]));
        assert!(index.issues.iter().all(|i| i.pages.len() == 2));
        assert_eq!(index.issues[0].pages[1].rel, "samples/2026-11-28/02.txt");
    }
}
