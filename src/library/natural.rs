//! Natural ordering of names: digit runs compare as numbers, so page `2` comes before page
//! `10` and `01.txt` before `2.txt`, whatever the zero padding.

use std::cmp::Ordering;

/// Compare two names naturally; ties (`01` vs `1`) fall back to plain byte order so the
/// ordering is total and stable.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    // Skip the common prefix (dated names share most of it), backed up to the start of a
    // digit run and to a character boundary, so only the differing part is chunked.
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let mut start = common;
    while start > 0 && (!a.is_char_boundary(start) || a.as_bytes()[start - 1].is_ascii_digit()) {
        start -= 1;
    }
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
