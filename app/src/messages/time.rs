//! Millisecond Unix timestamps as ISO-8601 UTC text (`2024-03-05T14:07:09.123Z`) and
//! back, for exports. Plain calendar arithmetic (Howard Hinnant's `civil_from_days`),
//! because the browser has no time-zone database to ask and UTC needs none.

use std::fmt::Write;

const MS_PER_DAY: u64 = 86_400_000;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
const EPOCH_SHIFT: i64 = 719_468;
const DAYS_PER_ERA: i64 = 146_097;

/// `at_ms` (milliseconds since 1970-01-01T00:00:00Z) as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format_utc(at_ms: u64) -> String {
    let days = i64::try_from(at_ms / MS_PER_DAY).unwrap_or(i64::MAX / 2);
    let in_day = at_ms % MS_PER_DAY;
    let (year, month, day) = civil_from_days(days);
    let mut text = String::with_capacity(24);
    let _ = write!(
        text,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    );
    text
}

/// Parses what [`format_utc`] writes; the fraction may have 0 to 9 digits (cut to
/// milliseconds). `None` for anything else or a date before 1970.
pub fn parse_utc(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = bytes.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !separators
        .iter()
        .all(|(at, byte)| bytes.get(*at) == Some(byte))
    {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let rest = text.get(19..)?.strip_suffix('Z')?;
    let millis = match rest.strip_prefix('.') {
        None if rest.is_empty() => 0,
        None => return None,
        Some(fraction) if (1..=9).contains(&fraction.len()) => {
            let digits = number(20..20 + fraction.len())?;
            let scale = 10i64.pow(fraction.len() as u32);
            digits * 1000 / scale
        }
        Some(_) => return None,
    };
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let ms = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
    u64::try_from(ms).ok()
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + EPOCH_SHIFT;
    let era = z.div_euclid(DAYS_PER_ERA);
    let day_of_era = z - era * DAYS_PER_ERA;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00.000Z");
        // `date -u -d @1709647629` → Tue Mar  5 14:07:09 UTC 2024.
        assert_eq!(format_utc(1_709_647_629_123), "2024-03-05T14:07:09.123Z");
        // 2000-02-29, a leap day in a year divisible by 400.
        assert_eq!(format_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_utc(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_what_it_formats() {
        for at_ms in [
            0,
            1,
            999,
            86_399_999,
            951_782_400_000,
            1_709_647_629_123,
            253_402_300_799_999,
        ] {
            assert_eq!(parse_utc(&format_utc(at_ms)), Some(at_ms), "{at_ms}");
        }
        assert_eq!(parse_utc("2024-03-05T14:07:09Z"), Some(1_709_647_629_000));
        assert_eq!(parse_utc("2024-03-05T14:07:09.5Z"), Some(1_709_647_629_500));
        assert_eq!(
            parse_utc("2024-03-05T14:07:09.123456789Z"),
            Some(1_709_647_629_123)
        );
    }

    #[test]
    fn refuses_malformed_or_impossible_times() {
        for text in [
            "",
            "2024-03-05",
            "2024-03-05T14:07:09",
            "2024-03-05T14:07:09.Z",
            "2024-03-05 14:07:09Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "1969-12-31T23:59:59Z",
            "2024-03-05T14:07:09.1234567890Z",
            "2024-03-05T14:07:09+01:00",
            "+024-03-05T14:07:09Z",
            "２024-03-05T14:07:09Z",
        ] {
            assert_eq!(parse_utc(text), None, "{text:?}");
        }
    }
}
