//! Publication dates read from folder and file names.
//!
//! Archives name issues in a handful of ways: `2026-11-28`, `2026_11_28`, `2026.11.28`,
//! `20261128`, `2026年11月28日` (spaces allowed, `日` optional), with any prefix or suffix
//! (`dubao-2026-11-28-A01`). The first valid calendar date in the name wins; digit runs that are
//! not a date (`20261399`, a page number) are skipped, so a bad match never hides a good one.

use crate::model::Date;

/// Earliest and latest years accepted: keeps page numbers and ids from passing as dates.
const YEARS: std::ops::RangeInclusive<u16> = 1800..=2199;

/// The first valid date written in `name`, if any.
pub fn date_in_name(name: &str) -> Option<Date> {
    date_span_in_name(name).map(|(d, _)| d)
}

/// The first valid date written in `name` and where it is: the character range it spans
/// (so an edition mark beside the date, `2026-11-28-晚`, can be told from the date).
pub fn date_span_in_name(name: &str) -> Option<(Date, std::ops::Range<usize>)> {
    // The shortest date is `2026-1-1`: six digits. Names without them (a paper's folder,
    // `01.txt`) are answered without looking further; this runs for every folder and
    // path component of a scan.
    if name.bytes().filter(u8::is_ascii_digit).count() < 6 {
        return None;
    }
    // The usual folder name, `2026-11-28`, read directly (what the general reading below
    // finds for it, valid or not).
    if let Some(d) = iso_date(name) {
        return d.map(|d| (d, 0..10));
    }
    // Names are short: their characters go in a buffer on the stack, not a new vector.
    let mut buf = ['\0'; 64];
    let heap: Vec<char>;
    let chars: &[char] = if name.len() <= buf.len() {
        let mut n = 0;
        for (slot, c) in buf.iter_mut().zip(name.chars()) {
            *slot = c;
            n += 1;
        }
        &buf[..n]
    } else {
        heap = name.chars().collect();
        &heap
    };
    read_dates(chars)
}

/// The first valid date in `chars`: each digit run of 8 (`YYYYMMDD`) or 4 (a year, then
/// separators) is tried in turn.
fn read_dates(chars: &[char]) -> Option<(Date, std::ops::Range<usize>)> {
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let run = digit_run(chars, i);
        let found = match run {
            8 => compact(&chars[i..i + 8]).map(|d| (d, i + 8)),
            4 => separated(chars, i),
            _ => None,
        };
        if let Some((d, end)) = found {
            return Some((d, i..end));
        }
        i += run.max(1);
    }
    None
}

/// `Some(date)` for a name that is exactly `YYYY-MM-DD` (`Some(None)` when that is no
/// calendar date); `None` for any other name.
fn iso_date(name: &str) -> Option<Option<Date>> {
    let b = name.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter()
            .fold(0u32, |n, c| n * 10 + u32::from(c.wrapping_sub(b'0')))
    };
    Some(valid_date(num(0..4), num(5..7), num(8..10)))
}

/// A valid calendar date, or `None` (month 13, 30 February, year out of range).
pub fn valid_date(year: u32, month: u32, day: u32) -> Option<Date> {
    let year = u16::try_from(year).ok().filter(|y| YEARS.contains(y))?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days {
        return None;
    }
    Some(Date {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

/// True when the name is only a year or a year and month (`2016`, `2016-01`, `201601`,
/// `2016年1月`): a folder level that sorts an archive, not a publication.
pub fn is_period_name(name: &str) -> bool {
    let digits = name.bytes().filter(u8::is_ascii_digit).count();
    let rest_ok = name
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ' ' | '年' | '月'));
    rest_ok && (4..=6).contains(&digits) && name.len() <= 12
}

fn digit_run(chars: &[char], start: usize) -> usize {
    chars[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

fn number(chars: &[char]) -> u32 {
    chars
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |n, d| n * 10 + d)
}

/// `YYYYMMDD`, exactly eight digits.
fn compact(chars: &[char]) -> Option<Date> {
    valid_date(
        number(&chars[..4]),
        number(&chars[4..6]),
        number(&chars[6..8]),
    )
}

/// `YYYY` sep `M{1,2}` sep `D{1,2}` with the same ASCII separator twice, or
/// `YYYY年M月D日` (`日` optional, spaces allowed around the CJK separators only); the date
/// and the index just past it (past `日` when present).
fn separated(chars: &[char], start: usize) -> Option<(Date, usize)> {
    let year = number(&chars[start..start + 4]);
    let after_year = start + 4;
    let cjk = chars.get(skip_spaces(chars, after_year)) == Some(&'年');
    let (mut i, second_sep) = if cjk {
        (skip_spaces(chars, after_year) + 1, '月')
    } else {
        match chars.get(after_year) {
            Some(&c @ ('-' | '_' | '.' | '/')) => (after_year + 1, c),
            _ => return None,
        }
    };
    let gap = |i: usize| if cjk { skip_spaces(chars, i) } else { i };
    i = gap(i);
    let m_len = digit_run(chars, i);
    if !(1..=2).contains(&m_len) {
        return None;
    }
    let month = number(&chars[i..i + m_len]);
    i = gap(i + m_len);
    if chars.get(i) != Some(&second_sep) {
        return None;
    }
    i = gap(i + 1);
    let d_len = digit_run(chars, i);
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let date = valid_date(year, month, number(&chars[i..i + d_len]))?;
    let mut end = i + d_len;
    if cjk && chars.get(gap(end)) == Some(&'日') {
        end = gap(end) + 1;
    }
    Some((date, end))
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while matches!(chars.get(i), Some(' ' | '\u{3000}')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        date_in_name(s).map(|d| d.to_string())
    }

    #[test]
    fn naming_styles() {
        for name in [
            "2026-11-28",
            "20261128",
            "2026年11月28日",
            "2026年11月28",
            "2026 年 11 月 28 日",
            "2026_11_28",
            "2026.11.28",
            "dubao-2026-11-28-A01",
            "大同日报20261128",
            "page_20261128_01.txt",
        ] {
            assert_eq!(d(name).as_deref(), Some("2026-11-28"), "{name}");
        }
        assert_eq!(d("2026-3-5").as_deref(), Some("2026-03-05"));
        assert_eq!(d("2026年3月5日").as_deref(), Some("2026-03-05"));
    }

    #[test]
    fn invalid_dates_are_not_dates() {
        for name in [
            "20261328",
            "2026-02-30",
            "2025-02-29",
            "01.txt",
            "123456789",
            "2026-11_28",
            "1799-01-01",
            "2026-11",
            "notes",
        ] {
            assert_eq!(d(name), None, "{name}");
        }
        assert_eq!(d("2024-02-29").as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn a_bad_match_does_not_hide_a_good_one() {
        assert_eq!(d("99999999 2026-11-28").as_deref(), Some("2026-11-28"));
        assert_eq!(d("vol-1234-2026.01.02").as_deref(), Some("2026-01-02"));
    }

    proptest::proptest! {
        /// The shortcut for `YYYY-MM-DD` names answers as the general reading does, for
        /// valid and invalid dates alike.
        #[test]
        fn iso_names_read_as_the_general_reading_does(y in 1700u32..2300, m in 0u32..14, d in 0u32..33) {
            let name = format!("{y:04}-{m:02}-{d:02}");
            let general = general_reading(&name);
            proptest::prop_assert_eq!(date_span_in_name(&name), general);
        }
    }

    /// `date_span_in_name` without its shortcuts.
    fn general_reading(name: &str) -> Option<(Date, std::ops::Range<usize>)> {
        read_dates(&name.chars().collect::<Vec<_>>())
    }

    #[test]
    fn long_names_and_few_digits() {
        // Longer than the stack buffer: read the same way.
        let long = format!("{}2026年11月28日", "大同日报".repeat(10));
        assert_eq!(d(&long).as_deref(), Some("2026-11-28"));
        assert_eq!(date_span_in_name(&long).map(|(_, r)| r), Some(40..51));
        assert_eq!(d("2026-1-1").as_deref(), Some("2026-01-01"));
        assert_eq!(d("2026-1-"), None);
    }

    #[test]
    fn spans_cover_the_date_only() {
        let span = |s: &str| date_span_in_name(s).map(|(_, r)| r);
        assert_eq!(span("2026-11-28"), Some(0..10));
        assert_eq!(span("x20261128y"), Some(1..9));
        assert_eq!(span("2026年11月28日晚刊"), Some(0..11));
        assert_eq!(span("2026年11月28 晚刊"), Some(0..10));
    }

    #[test]
    fn periods() {
        assert!(is_period_name("2016"));
        assert!(is_period_name("2016-01"));
        assert!(is_period_name("2016年1月"));
        assert!(!is_period_name("dubao-daily"));
        assert!(!is_period_name("2016-01-01"));
    }
}
