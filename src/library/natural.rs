//! Natural ordering of names: digit runs compare as numbers, so page `2` comes before page
//! `10` and `01.txt` before `2.txt`, whatever the zero padding.

use std::cmp::Ordering;

/// Compare two names naturally; ties (`01` vs `1`) fall back to plain byte order so the
/// ordering is total and stable.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Names of one shape (digit runs at the same places, the same lengths: `2016-12-01`
    // beside `2021-07-30`, `01.txt` beside `04.txt`) order as their bytes do: equal-length
    // digit runs compare as numbers exactly as they compare as text. Sorting the 3,650
    // dated folders of a ten-year daily meets only these, without chunking.
    if same_shape(a, b) {
        return a.cmp(b);
    }
    // Skip the common prefix, backed up to the start of the run (digits or not) its last
    // byte is in: the chunks before it are equal in both names. Backing up to a digit run
    // only was wrong for text runs: `.a0` against `.a-` compared `0` with `-` instead of
    // `.a` with `.a-`, and contradicted the chunked order. A run starts at a character
    // boundary (one side of it is an ASCII digit).
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let bytes = a.as_bytes();
    let mut start = common;
    if let Some(last) = common.checked_sub(1) {
        let digit = bytes[last].is_ascii_digit();
        while start > 0 && bytes[start - 1].is_ascii_digit() == digit {
            start -= 1;
        }
    }
    chunked(a, b, start)
}

/// Compare `a` and `b` chunk by chunk (digit runs as numbers, other runs as text) from
/// byte `start`, where both have the same chunks before it.
fn chunked(a: &str, b: &str, start: usize) -> Ordering {
    let (mut x, mut y) = (&a[start..], &b[start..]);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return a.cmp(b),
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (cx, rx) = chunk(x);
        let (cy, ry) = chunk(y);
        let ord = match (is_digits(cx), is_digits(cy)) {
            (true, true) => cmp_numbers(cx, cy),
            _ => cx.cmp(cy),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        x = rx;
        y = ry;
    }
}

/// Sort `items` in natural order of `name`. When every name has the shape of the first
/// (the dated folders of an archive), byte order is that order (see [`natural_cmp`]) and
/// one look at each name replaces the shape check in every comparison.
pub fn sort_natural<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    let one_shape = items
        .split_first()
        .is_none_or(|(first, rest)| rest.iter().all(|i| same_shape(name(first), name(i))));
    if one_shape {
        items.sort_unstable_by(|a, b| name(a).cmp(name(b)));
    } else {
        items.sort_unstable_by(|a, b| natural_cmp(name(a), name(b)));
    }
}

/// The same length, with ASCII digits at the same byte positions.
fn same_shape(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x.is_ascii_digit() == y.is_ascii_digit())
}

fn is_digits(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// The leading run of digits or of non-digits, and the rest.
fn chunk(s: &str) -> (&str, &str) {
    let digits = is_digits(s);
    let end = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() != digits)
        .map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

/// Numbers of any length: strip zeros, then longer is bigger, then digit by digit.
fn cmp_numbers(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use proptest::test_runner::TestCaseError;

    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(std::string::ToString::to_string).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert_eq!(
            sorted(&["10.txt", "2.txt", "01.txt", "1a.txt"]),
            ["01.txt", "1a.txt", "2.txt", "10.txt"]
        );
        assert_eq!(
            sorted(&["p-10.md", "p-9.md", "p-100.md"]),
            ["p-9.md", "p-10.md", "p-100.md"]
        );
        assert_eq!(
            sorted(&["第12版.txt", "第2版.txt"]),
            ["第2版.txt", "第12版.txt"]
        );
    }

    #[test]
    fn common_prefixes_inside_numbers_and_characters() {
        assert_eq!(natural_cmp("a19", "a100"), Ordering::Less);
        assert_eq!(natural_cmp("2016-12-09", "2016-12-10"), Ordering::Less);
        assert_eq!(natural_cmp("第九版", "第二版"), "第九版".cmp("第二版"));
        assert_eq!(natural_cmp("x", "x"), Ordering::Equal);
        assert_eq!(natural_cmp("x", "x1"), Ordering::Less);
        // A text run cut short on one side: `.a` against `.a-`, not `0` against `-`.
        assert_eq!(natural_cmp(".a0", ".a-"), Ordering::Less);
        assert_eq!(natural_cmp("a-1", "a1"), Ordering::Greater);
    }

    proptest::proptest! {
        /// One shape or several, the helper sorts as `natural_cmp` does.
        #[test]
        fn sort_natural_is_the_natural_order(names in proptest::collection::vec("[0-9a.-]{0,4}", 0..12)) {
            sorts_as_natural_cmp(names)?;
        }

        #[test]
        fn one_shape_sorts_too(names in proptest::collection::vec("[0-9]{4}-[0-9]{2}", 0..12)) {
            sorts_as_natural_cmp(names)?;
        }

        /// The shortcuts (the common prefix skipped, names of one shape as bytes) never
        /// change the order the chunking alone gives.
        #[test]
        fn shortcuts_keep_the_order(a in "[0-9a.第-]{0,10}", b in "[0-9a.第-]{0,10}") {
            proptest::prop_assert_eq!(natural_cmp(&a, &b), long_way(&a, &b));
        }

        #[test]
        fn dated_names_too(x in (2000u32..2030, 1u32..13, 1u32..29), y in (2000u32..2030, 1u32..13, 1u32..29)) {
            let a = format!("{:04}-{:02}-{:02}", x.0, x.1, x.2);
            let b = format!("{:04}-{:02}-{:02}", y.0, y.1, y.2);
            proptest::prop_assert_eq!(natural_cmp(&a, &b), long_way(&a, &b));
        }
    }

    fn sorts_as_natural_cmp(mut names: Vec<String>) -> Result<(), TestCaseError> {
        let mut expected = names.clone();
        expected.sort_by(|a, b| natural_cmp(a, b));
        sort_natural(&mut names, String::as_str);
        proptest::prop_assert_eq!(names, expected);
        Ok(())
    }

    /// `natural_cmp` without its shortcuts: chunk by chunk from the start.
    fn long_way(a: &str, b: &str) -> Ordering {
        chunked(a, b, 0)
    }

    #[test]
    fn total_on_zero_padding_and_huge_numbers() {
        assert_eq!(sorted(&["1", "01", "001"]), ["001", "01", "1"]);
        assert_eq!(
            natural_cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
    }
}
