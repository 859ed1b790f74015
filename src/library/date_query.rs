//! "Go to a date": what a reader types at the date prompt or after `--date`, and where it
//! lands in a list of dated issues.
//!
//! Accepted: a full date (`2026-11-28`, `20261128`, `2026年11月28日`, any form
//! [`super::date_in_name`] reads, as the whole input), a month and day (`11-28`, `11/28`,
//! `1128`, `11月28日`), a day (`28`, `28日`), and a count of issues back or forward (`-7`,
//! `+7`). Full-width digits and `－` are taken as their ASCII forms. A month and day means
//! the latest such date not after today, a day the latest such day of this or last month —
//! "today" is an argument, so the parser is a pure function of its inputs.

use super::dates::{date_span_in_name, valid_date};
use crate::model::Date;

/// A parsed date prompt, not yet resolved against today or the issue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateQuery {
    /// A full date.
    On(Date),
    /// The latest `month`-`day` not after today.
    MonthDay { month: u8, day: u8 },
    /// The latest such day of this month, or of last month when it has not come yet.
    Day(u8),
    /// This many issues older (positive: `-7`) or newer (negative: `+7`) than the current
    /// one, in the current publication.
    Back(i32),
}

const HINT: &str = "try 2026-11-28, 11-28, 28 or -7";

/// Read what was typed at the date prompt. The error is a message for the status line.
pub fn parse_date_query(input: &str) -> Result<DateQuery, String> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '−' => '-',
            '＋' => '+',
            '／' => '/',
            c => c,
        })
        .collect();
    let bad = || format!("not a date: {:?} ({HINT})", input.trim());
    if s.is_empty() {
        return Err(format!("no date given ({HINT})"));
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let small = |t: &str| -> Option<u8> { (digits(t) && t.len() <= 2).then(|| t.parse().ok())? };
    if let Some(n) = s.strip_prefix('-').or_else(|| s.strip_prefix('+')) {
        let n: i32 = n.parse().ok().filter(|_| digits(n)).ok_or_else(bad)?;
        if n == 0 {
            return Err(bad());
        }
        return Ok(DateQuery::Back(if s.starts_with('-') { n } else { -n }));
    }
    if let Some((date, span)) = date_span_in_name(&s)
        && span == (0..s.chars().count())
    {
        return Ok(DateQuery::On(date));
    }
    let s = s.strip_suffix('日').unwrap_or(&s).trim_end();
    if digits(s) {
        return match s.len() {
            1 | 2 => small(s)
                .filter(|d| (1..=31).contains(d))
                .map(DateQuery::Day)
                .ok_or_else(bad),
            4 => month_day(&s[..2], &s[2..]).ok_or_else(bad),
            _ => Err(bad()),
        };
    }
    let (m, d) = s
        .split_once(['-', '/', '.', '月'])
        .ok_or_else(bad)
        .map(|(m, d)| (m.trim(), d.trim()))?;
    month_day(m, d).ok_or_else(bad)
}

fn month_day(m: &str, d: &str) -> Option<DateQuery> {
    let num = |t: &str| -> Option<u8> {
        (!t.is_empty() && t.len() <= 2 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())?
    };
    let (month, day) = (num(m)?, num(d)?);
    // Checked against a leap year: 02-29 is a date, 02-30 never is.
    valid_date(2000, month.into(), day.into())?;
    Some(DateQuery::MonthDay { month, day })
}

impl DateQuery {
    /// The date meant, given today's date; `Ok(None)` for a count of issues.
    pub fn resolve(self, today: Date) -> Result<Option<Date>, String> {
        let year = u32::from(today.year);
        match self {
            DateQuery::On(d) => Ok(Some(d)),
            DateQuery::Back(_) => Ok(None),
            DateQuery::MonthDay { month, day } => {
                let not_yet = (month, day) > (today.month, today.day);
                let first = if not_yet { year - 1 } else { year };
                // 02-29 goes back to the last leap year.
                (0..8)
                    .find_map(|k| valid_date(first - k, month.into(), day.into()))
                    .map(Some)
                    .ok_or_else(|| format!("no such date: {month:02}-{day:02}"))
            }
            DateQuery::Day(day) => {
                let (mut y, mut m) = (year, u32::from(today.month));
                if day > today.day {
                    (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
                }
                valid_date(y, m, day.into())
                    .map(Some)
                    .ok_or_else(|| format!("{y:04}-{m:02} has no day {day}"))
            }
        }
    }
}

/// The latest of `dates` (index, date) on or before `target`, and whether it is on it.
/// Undated entries are skipped; ties (two issues of one date) go to the first listed.
pub fn nearest_on_or_before(
    dates: impl IntoIterator<Item = (usize, Option<Date>)>,
    target: Date,
) -> Option<(usize, bool)> {
    let mut best: Option<(usize, Date)> = None;
    for (i, d) in dates {
        let Some(d) = d.filter(|d| *d <= target) else {
            continue;
        };
        if best.is_none_or(|(_, b)| d > b) {
            best = Some((i, d));
        }
    }
    best.map(|(i, d)| (i, d == target))
}

/// Day of the week of `date` in Chinese (`周六`).
pub fn weekday_zh(date: Date) -> &'static str {
    // Sakamoto's method: 0 = Sunday.
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let m = usize::from(date.month.clamp(1, 12));
    let y = u32::from(date.year) - u32::from(m < 3);
    let w = (y + y / 4 - y / 100 + y / 400 + T[m - 1] + u32::from(date.day)) % 7;
    ["周日", "周一", "周二", "周三", "周四", "周五", "周六"][w as usize]
}

/// Today's date in UTC from the system clock (the edge of the program: the parser and
/// [`DateQuery::resolve`] take it as an argument).
pub fn today_utc() -> Date {
    date_of_ms(crate::state::time::now_ms())
}

/// The UTC calendar date of Unix milliseconds `ms`.
fn date_of_ms(ms: u64) -> Date {
    let (year, month, day, ..) = crate::state::time::civil(ms);
    Date {
        year: u16::try_from(year).unwrap_or(0),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date {
            year: y,
            month: m,
            day,
        }
    }

    #[test]
    fn weekdays_and_civil_days() {
        assert_eq!(weekday_zh(d(2026, 11, 28)), "周六");
        assert_eq!(weekday_zh(d(2024, 2, 29)), "周四");
        assert_eq!(weekday_zh(d(2000, 1, 1)), "周六");
        assert_eq!(date_of_ms(0), d(1970, 1, 1));
        assert_eq!(date_of_ms(20_785 * 86_400_000 + 1), d(2026, 11, 28));
    }
}
