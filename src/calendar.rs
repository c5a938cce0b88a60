//! Calendar dates and contribution months, with the arithmetic the rules need.
//!
//! Own small types rather than a date library on the hot path: a `Month` is one `i32`, so
//! comparisons and month arithmetic are integer operations, and a `Date` converts to a day
//! number for day differences.

use std::fmt;
use std::num::NonZeroI32;
use std::str::FromStr;

/// A calendar month (`YYYY-MM`), stored as months since year 0. Never zero (no month of
/// the year 0 is made), so an `Option<Month>` takes four bytes: a million roster members
/// carry two.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Month(NonZeroI32);

impl Month {
    /// The month at `index` months since year 0; index 0 (January of year 0) is not a
    /// month any input can name, and stands in as the smallest month.
    const fn at(index: i32) -> Month {
        match NonZeroI32::new(index) {
            Some(n) => Month(n),
            None => Month(NonZeroI32::MIN),
        }
    }

    const fn index(self) -> i32 {
        self.0.get()
    }

    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(1..=12).contains(&month) || !(1000..=9999).contains(&year) {
            return None;
        }
        Some(Month::at(year * 12 + month as i32 - 1))
    }

    /// January of `year`, for constants (no range check needed: any year is representable).
    pub const fn january(year: i32) -> Month {
        Month::at(year * 12)
    }

    pub fn year(self) -> i32 {
        self.index().div_euclid(12)
    }

    pub fn month(self) -> u32 {
        (self.index().rem_euclid(12) + 1) as u32
    }

    /// This month moved by `n` months (negative goes back).
    pub fn plus(self, n: i32) -> Month {
        Month::at(self.index() + n)
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.index() - self.index()
    }

    /// `YYYYMM`, the form the portals use for fee periods.
    pub fn compact(self) -> String {
        format!("{:04}{:02}", self.year(), self.month())
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date {
            y: self.year() as i16,
            m: self.month() as u8,
            d: 1,
        }
    }

    /// Every month from `self` through `last`, inclusive.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index()..=last.index()).map(Month::at)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// Strict `YYYY-MM`, for command-line options and our own files.
impl FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        let bad = || format!("expected a month as YYYY-MM, found `{s}`");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        Month::new(y, m).ok_or_else(bad)
    }
}

/// A calendar date in the proleptic Gregorian calendar.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    y: i16,
    m: u8,
    d: u8,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            y: year as i16,
            m: month as u8,
            d: day as u8,
        })
    }

    pub fn year(self) -> i32 {
        self.y as i32
    }

    pub fn month(self) -> u32 {
        self.m as u32
    }

    pub fn day(self) -> u32 {
        self.d as u32
    }

    pub fn month_of(self) -> Month {
        Month::at(self.y as i32 * 12 + self.m as i32 - 1)
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's `days_from_civil`.
    pub fn day_number(self) -> i64 {
        let y = self.y as i64 - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.m as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::day_number`]; `None` outside years 1000–9999.
    pub fn from_day_number(z: i64) -> Option<Date> {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, m, d)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Full years of age on `on` for someone born on `self`.
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.year() - self.year();
        if (on.month(), on.day()) < (self.month(), self.day()) {
            age -= 1;
        }
        age
    }

    /// An Excel serial date (1900 date system, as Excel counts it: serial 60 is the
    /// non-existent 1900-02-29, which Excel keeps for Lotus compatibility). The fraction
    /// (time of day) is ignored.
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
            return None;
        }
        let whole = serial.floor() as i64;
        if whole == 60 {
            return None;
        }
        // Serials after the phantom leap day count from 1899-12-30; before it, from 1899-12-31.
        let epoch = if whole > 60 { -25_569 } else { -25_568 };
        Date::from_day_number(epoch + whole)
    }

    /// Today's date in the machine's time zone.
    pub fn today() -> Date {
        let now = jiff::Zoned::now().date();
        Date::new(now.year() as i32, now.month() as u32, now.day() as u32).unwrap_or(Date {
            y: 2000,
            m: 1,
            d: 1,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

/// Strict `YYYY-MM-DD`, for command-line options and our own files.
impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("expected a date as YYYY-MM-DD, found `{s}`");
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
        Date::new(num(y)? as i32, num(m)?, num(d)?).ok_or_else(bad)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn month_arithmetic_crosses_years() {
        let m = Month::new(2025, 11).unwrap();
        assert_eq!(m.plus(2).to_string(), "2026-01");
        assert_eq!(m.plus(-11).to_string(), "2024-12");
        assert_eq!(m.months_until(Month::new(2026, 7).unwrap()), 8);
        assert_eq!(m.compact(), "202511");
    }

    #[test]
    fn parses_strict_forms_only() {
        assert_eq!("2025-07".parse::<Month>().unwrap().to_string(), "2025-07");
        assert!("2025-7".parse::<Month>().is_err());
        assert!("2025-13".parse::<Month>().is_err());
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-02-01-1".parse::<Date>().is_err());
    }

    #[test]
    fn excel_serials_match_excel() {
        // Values as Excel shows them.
        assert_eq!(
            Date::from_excel_serial(1.0).unwrap().to_string(),
            "1900-01-01"
        );
        assert_eq!(
            Date::from_excel_serial(59.0).unwrap().to_string(),
            "1900-02-28"
        );
        assert!(Date::from_excel_serial(60.0).is_none());
        assert_eq!(
            Date::from_excel_serial(61.0).unwrap().to_string(),
            "1900-03-01"
        );
        assert_eq!(
            Date::from_excel_serial(45839.0).unwrap().to_string(),
            "2025-07-01"
        );
        assert_eq!(
            Date::from_excel_serial(45839.75).unwrap().to_string(),
            "2025-07-01"
        );
        assert!(Date::from_excel_serial(0.0).is_none());
        assert!(Date::from_excel_serial(f64::NAN).is_none());
    }

    #[test]
    fn age_counts_whole_years() {
        let born = Date::new(2009, 7, 15).unwrap();
        assert_eq!(born.age_on(Date::new(2025, 7, 14).unwrap()), 15);
        assert_eq!(born.age_on(Date::new(2025, 7, 15).unwrap()), 16);
    }

    proptest! {
        #[test]
        fn day_number_round_trips(n in -300_000i64..2_900_000) {
            let d = Date::from_day_number(n).unwrap();
            prop_assert_eq!(d.day_number(), n);
            let next = Date::from_day_number(n + 1).unwrap();
            prop_assert!(next > d);
        }

        #[test]
        fn month_plus_inverts(y in 1900i32..2100, m in 1u32..=12, k in -600i32..600) {
            let a = Month::new(y, m).unwrap();
            prop_assert_eq!(a.plus(k).plus(-k), a);
            prop_assert_eq!(a.months_until(a.plus(k)), k);
        }
    }
}
