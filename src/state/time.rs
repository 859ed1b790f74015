//! Wall-clock helpers for the state store: Unix milliseconds for merge timestamps, and
//! UTC renderings for humans (the `bookmarks` listing, the name of a moved-aside file).
//!
//! Timestamps only order changes ("newest wins"), so the wall clock is enough: both readers
//! that merge run on the same machine and share it. [`next_ms`] keeps one process's own
//! successive changes strictly increasing even when two land in the same millisecond.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch (0 if the clock is before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A timestamp for a change that must win over `prev`: now, or `prev + 1` when the clock
/// has not moved past it.
pub fn next_ms(prev: u64) -> u64 {
    now_ms().max(prev.saturating_add(1))
}

/// Civil UTC date and time of `ms`: (year, month, day, hour, minute, second).
pub(crate) fn civil(ms: u64) -> (i64, u32, u32, u32, u32, u32) {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's days-from-civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    (year, month, day, h as u32, m as u32, s as u32)
}

/// `2026-11-29 12:34 UTC`, for listings.
pub fn format_utc(ms: u64) -> String {
    let (y, mo, d, h, mi, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} UTC")
}

/// `20261129T123456Z`, for file names.
pub fn file_stamp(ms: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        // 2024-02-29 23:59:58 UTC, a leap day.
        assert_eq!(file_stamp(1_709_251_198_000), "20240229T235958Z");
        assert_eq!(format_utc(1_709_251_198_000), "2024-02-29 23:59 UTC");
    }

    #[test]
    fn next_ms_is_strictly_later() {
        let far = now_ms() + 1_000_000;
        assert_eq!(next_ms(far), far + 1);
        assert!(next_ms(0) >= 1);
    }
}
