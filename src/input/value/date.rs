//! Dates and months in the forms HR exports use.
//!
//! Year first only: `01/07/2025` could be January or July, so it is rejected rather than
//! guessed.

use super::text::normalize;
use super::Value;
use crate::calendar::{Date, Month};
use crate::input::cell::Cell;

/// Smallest whole number read as an Excel serial date: 1910-01-01. Anything lower in an HR
/// sheet is more likely a year (`2025`), a month or a day typed alone than a date from
/// 1900–1909, and below 61 Excel and LibreOffice disagree about the day anyway.
pub const SERIAL_MIN: u64 = 3_654;
/// Largest: 2173-10-13, so that six-digit numbers always mean `yyyymm`.
pub const SERIAL_MAX: u64 = 99_999;

/// A date `2025-07-01`, `2025/7/1`, `2025.7.1`, `20250701` or `2025年7月1日` (`日`
/// optional), optionally followed by a time (`2025-07-01 00:00:00`, `2025/7/1 0:00`), which
/// is ignored.
pub fn parse_date(s: &str) -> Option<Date> {
    let (ymd, rest) = parse_ymd(s)?;
    let d = ymd.d?;
    if !is_time(rest) {
        return None;
    }
    Date::new(ymd.y as i32, ymd.m, d)
}

/// A month `2025-07`, `2025/07`, `2025.07`, `2025-7`, `202507` or `2025年7月`, or any date
/// [`parse_date`] reads (its month).
pub fn parse_month(s: &str) -> Option<Month> {
    let (ymd, rest) = parse_ymd(s)?;
    match ymd.d {
        Some(d) if is_time(rest) => Date::new(ymd.y as i32, ymd.m, d).map(Date::month_of),
        None if rest.is_empty() => Month::new(ymd.y as i32, ymd.m),
        _ => None,
    }
}

/// A date cell: date cells, Excel serial numbers, `yyyymmdd` numbers, and text as
/// [`parse_date`] reads it (or a serial written as text, as CSV exports of unformatted
/// date columns contain).
pub fn date(cell: &Cell<'_>) -> Value<Date> {
    read(cell, parse_date, |n| match n {
        Numeric::Day(d) => Some(d),
        Numeric::Month(_) => None,
    })
}

/// A month cell: date cells (their month), `yyyymm` and `yyyymmdd` numbers, Excel serials,
/// and text as [`parse_month`] reads it.
pub fn month(cell: &Cell<'_>) -> Value<Month> {
    read(cell, parse_month, |n| match n {
        Numeric::Day(d) => Some(d.month_of()),
        Numeric::Month(m) => Some(m),
    })
}

fn read<T>(
    cell: &Cell<'_>,
    parse: fn(&str) -> Option<T>,
    from_number: impl Fn(Numeric) -> Option<T>,
) -> Value<T> {
    let ok = |value, normalized| Value::Ok { value, normalized };
    match cell {
        Cell::Empty => Value::Empty,
        // Date cells convert like a serial that was already decoded.
        Cell::Date(d) => from_number(Numeric::Day(*d)).map_or(Value::Invalid, |v| ok(v, false)),
        Cell::Number(f) => numeric(*f)
            .and_then(from_number)
            .map_or(Value::Invalid, |v| ok(v, false)),
        Cell::Text(t) => {
            let n = normalize(t);
            if n.text.is_empty() {
                return Value::Empty;
            }
            let parsed = parse(&n.text).or_else(|| {
                // A bare serial as text; six and eight digits were handled by `parse`.
                let t = n.text.as_ref();
                if (1..=5).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
                    numeric(digits(t) as f64).and_then(&from_number)
                } else {
                    None
                }
            });
            parsed.map_or(Value::Invalid, |v| ok(v, n.normalized))
        }
        Cell::Bool(_) | Cell::Error(_) => Value::Invalid,
    }
}

/// What a number in a date or month column means.
enum Numeric {
    Day(Date),
    Month(Month),
}

/// Whole numbers only: `yyyymmdd`, `yyyymm`, or an Excel serial in
/// [`SERIAL_MIN`]`..=`[`SERIAL_MAX`]. A fraction would be a time of day, or more likely
/// money or a typo in the wrong column, so it is rejected.
fn numeric(f: f64) -> Option<Numeric> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let whole = f.round();
    // Tolerate float noise from formulas (1e-6 day is under a tenth of a second).
    if (f - whole).abs() > 1e-6 || whole > 1e9 {
        return None;
    }
    let n = whole as u64;
    let (y, rest) = ((n / 10_000) as i32, (n % 10_000) as u32);
    match n {
        10_000_000..=99_999_999 => Date::new(y, rest / 100, rest % 100).map(Numeric::Day),
        100_000..=999_999 => Month::new((n / 100) as i32, (n % 100) as u32).map(Numeric::Month),
        SERIAL_MIN..=SERIAL_MAX => Date::from_excel_serial(n as f64).map(Numeric::Day),
        _ => None,
    }
}

struct Ymd {
    y: u32,
    m: u32,
    d: Option<u32>,
}

/// Reads year, month and, if present, day from the front of `s`; returns what follows.
fn parse_ymd(s: &str) -> Option<(Ymd, &str)> {
    let (y, rest) = take_digits(s);
    match y.len() {
        8 => Some((
            Ymd {
                y: digits(&y[..4]),
                m: digits(&y[4..6]),
                d: Some(digits(&y[6..])),
            },
            rest,
        )),
        6 => Some((
            Ymd {
                y: digits(&y[..4]),
                m: digits(&y[4..]),
                d: None,
            },
            rest,
        )),
        4 => {
            let y = digits(y);
            if let Some(r) = rest.strip_prefix('年') {
                let (m, r) = one_or_two(r)?;
                let r = r.strip_prefix('月')?;
                let (d, r) = take_digits(r);
                if d.is_empty() {
                    return Some((Ymd { y, m, d: None }, r));
                }
                let (d, _) = one_or_two(d)?;
                let r = r.strip_prefix('日').unwrap_or(r);
                Some((Ymd { y, m, d: Some(d) }, r))
            } else {
                let sep = rest
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '-' | '/' | '.'))?;
                let (m, r) = one_or_two(&rest[1..])?;
                match r.strip_prefix(sep) {
                    Some(r) => {
                        let (d, r) = one_or_two(r)?;
                        Some((Ymd { y, m, d: Some(d) }, r))
                    }
                    None => Some((Ymd { y, m, d: None }, r)),
                }
            }
        }
        _ => None,
    }
}

/// Empty, or a time of day after a space or `T`: `H:MM`, `H:MM:SS`, `H:MM:SS.fff`.
fn is_time(s: &str) -> bool {
    let t = match s.strip_prefix('T') {
        Some(t) => t,
        None if s.is_empty() => return true,
        None => {
            let t = s.trim_start_matches(' ');
            if t.len() == s.len() {
                return false;
            }
            t
        }
    };
    let Some((h, t)) = one_or_two(t) else {
        return false;
    };
    let Some((m, t)) = t.strip_prefix(':').and_then(two) else {
        return false;
    };
    let (sec, t) = match t.strip_prefix(':') {
        Some(t) => match two(t) {
            Some(x) => x,
            None => return false,
        },
        None => (0, t),
    };
    let frac_ok = match t.strip_prefix('.') {
        Some(f) => !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()),
        None => t.is_empty(),
    };
    frac_ok && h < 24 && m < 60 && sec < 60
}

/// The leading run of ASCII digits and the rest (digits are one byte, so the split is on a
/// char boundary).
fn take_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// One or two leading digits, and no more.
fn one_or_two(s: &str) -> Option<(u32, &str)> {
    let (d, r) = take_digits(s);
    (1..=2).contains(&d.len()).then(|| (digits(d), r))
}

/// Exactly two leading digits.
fn two(s: &str) -> Option<(u32, &str)> {
    let (d, r) = take_digits(s);
    (d.len() == 2).then(|| (digits(d), r))
}

/// Value of a short run of ASCII digits (callers pass at most eight).
fn digits(d: &str) -> u32 {
    d.bytes().fold(0u32, |a, b| {
        a.wrapping_mul(10).wrapping_add(u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    fn mo(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    #[test]
    fn reads_every_date_form() {
        let july = d(2025, 7, 1);
        for s in [
            "2025-07-01",
            "2025-7-1",
            "2025/7/1",
            "2025/07/01",
            "2025.7.1",
            "2025.07.01",
            "20250701",
            "2025年7月1日",
            "2025年07月01日",
            "2025年7月1",
            "2025-07-01 00:00:00",
            "2025/7/1 0:00",
            "2025-07-01T00:00:00",
            "2025-07-01 13:45:10.123",
            "2025年7月1日 00:00:00",
            "20250701 00:00",
        ] {
            assert_eq!(parse_date(s), Some(july), "{s}");
        }
    }

    #[test]
    fn rejects_near_miss_dates() {
        for s in [
            "",
            "合计",
            "2025-02-30",
            "2025-13-01",
            "2025-00-10",
            "2025-07-00",
            "2025年13月1日",
            "2025年7月32日",
            "20251301",
            "20250230",
            "2025-07",
            "202507",
            "2025年7月",
            "2025-07-01-",
            "2025-07/01",
            "2025-007-01",
            "2025-07-001",
            "25-07-01",
            "01/07/2025",
            "2025-07-01x",
            "2025-07-01 25:00",
            "2025-07-01 12:60",
            "2025-07-01 12",
            "2025-07-01 12:5",
            "2025-07-01 12:00:00.",
            "2025-07-01  ",
            "1.2.3",
            "2025年7月1日日",
            "0999-01-01",
            "１２",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(d(2024, 2, 29)));
    }

    #[test]
    fn reads_every_month_form() {
        let july = mo(2025, 7);
        for s in [
            "2025-07",
            "2025-7",
            "2025/07",
            "2025/7",
            "2025.07",
            "202507",
            "2025年7月",
            "2025年07月",
            "2025-07-01",
            "2025-07-31",
            "20250715",
            "2025年7月1日",
            "2025/7/1 0:00:00",
        ] {
            assert_eq!(parse_month(s), Some(july), "{s}");
        }
        assert_eq!(parse_month("2025.10"), Some(mo(2025, 10)));
    }

    #[test]
    fn rejects_near_miss_months() {
        for s in [
            "",
            "合计",
            "2025年13月",
            "2025-13",
            "202513",
            "202500",
            "2025-00",
            "2025",
            "2025-",
            "2025-07-",
            "2025-02-30",
            "20251301",
            "2025-07 00:00",
            "2025年7",
            "2025年7月x",
            "2025071",
            "7/2025",
            "1.2.3",
        ] {
            assert_eq!(parse_month(s), None, "{s:?}");
        }
    }

    #[test]
    fn date_cells() {
        let july = d(2025, 7, 1);
        let ok = |value| Value::Ok {
            value,
            normalized: false,
        };
        assert_eq!(date(&Cell::Date(july)), ok(july));
        assert_eq!(date(&Cell::Number(45839.0)), ok(july));
        assert_eq!(date(&Cell::Number(45_839.000_000_1)), ok(july));
        assert_eq!(date(&Cell::Number(20250701.0)), ok(july));
        assert_eq!(date(&Cell::Text("45839".into())), ok(july));
        assert_eq!(date(&Cell::Text("2025/7/1".into())), ok(july));
        assert_eq!(
            date(&Cell::Text("２０２５年７月１日".into())),
            Value::Ok {
                value: july,
                normalized: true
            }
        );
        assert_eq!(
            date(&Cell::Text(" 2025-07-01".into())),
            Value::Ok {
                value: july,
                normalized: true
            }
        );
        assert_eq!(date(&Cell::Text("'2025-07-01".into())), ok(july));
        assert_eq!(date(&Cell::Empty), Value::Empty);
        assert_eq!(date(&Cell::Text(" \u{3000}".into())), Value::Empty);
        for bad in [
            Cell::Number(45839.5),  // a time of day, or not a date at all
            Cell::Number(2025.0),   // a year, not 1905-07-17
            Cell::Number(7.0),      // a day or month typed alone
            Cell::Number(202507.0), // a month where a date belongs
            Cell::Number(20251301.0),
            Cell::Number(-45839.0),
            Cell::Number(f64::NAN),
            Cell::Number(f64::INFINITY),
            Cell::Number(1e20),
            Cell::Number(123_456_789.0),
            Cell::Text("2025".into()),
            Cell::Text("2025-02-30".into()),
            Cell::Text("合计".into()),
            Cell::Bool(true),
            Cell::Error("#VALUE!".into()),
        ] {
            assert_eq!(date(&bad), Value::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn month_cells() {
        let july = mo(2025, 7);
        let ok = |value| Value::Ok {
            value,
            normalized: false,
        };
        assert_eq!(month(&Cell::Date(d(2025, 7, 31))), ok(july));
        assert_eq!(month(&Cell::Number(202507.0)), ok(july));
        assert_eq!(month(&Cell::Number(20250731.0)), ok(july));
        assert_eq!(month(&Cell::Number(45839.0)), ok(july));
        assert_eq!(month(&Cell::Text("202507".into())), ok(july));
        assert_eq!(month(&Cell::Text("45839".into())), ok(july));
        assert_eq!(month(&Cell::Text("2025.07".into())), ok(july));
        assert_eq!(
            month(&Cell::Text("２０２５年７月".into())),
            Value::Ok {
                value: july,
                normalized: true
            }
        );
        assert_eq!(month(&Cell::Empty), Value::Empty);
        for bad in [
            Cell::Number(202513.0),
            Cell::Number(2025.07), // a float, not a month
            Cell::Number(2025.0),
            Cell::Number(12.0),
            Cell::Text("2025年13月".into()),
            Cell::Text("2025".into()),
            Cell::Text("合计".into()),
            Cell::Text("1.2.3".into()),
        ] {
            assert_eq!(month(&bad), Value::Invalid, "{bad:?}");
        }
    }

    #[test]
    fn serial_bounds_are_the_documented_dates() {
        assert_eq!(
            Date::from_excel_serial(SERIAL_MIN as f64),
            Some(d(1910, 1, 1))
        );
        assert_eq!(
            Date::from_excel_serial(SERIAL_MAX as f64),
            Some(d(2173, 10, 13))
        );
        assert_eq!(
            date(&Cell::Number(SERIAL_MIN as f64)).ok(),
            Some(d(1910, 1, 1))
        );
        assert!(date(&Cell::Number((SERIAL_MIN - 1) as f64)).is_invalid());
        assert!(date(&Cell::Number((SERIAL_MAX + 1) as f64)).is_invalid());
    }

    proptest! {
        #[test]
        fn dates_round_trip_through_every_form(
            day in (1000i32..=9999, 1u32..=12, 1u32..=31)
                .prop_filter_map("no such day", |(y, m, d)| Date::new(y, m, d))
        ) {
            let (y, m, dd) = (day.year(), day.month(), day.day());
            for s in [
                format!("{y:04}-{m:02}-{dd:02}"),
                format!("{y}-{m}-{dd}"),
                format!("{y}/{m}/{dd}"),
                format!("{y}/{m:02}/{dd:02}"),
                format!("{y}.{m}.{dd}"),
                format!("{y}{m:02}{dd:02}"),
                format!("{y}年{m}月{dd}日"),
                format!("{y}年{m:02}月{dd:02}日 00:00:00"),
            ] {
                prop_assert_eq!(parse_date(&s), Some(day), "{}", s);
                prop_assert_eq!(parse_month(&s), Some(day.month_of()), "{}", s);
            }
            prop_assert_eq!(parse_month(&format!("{y}{m:02}")), Some(day.month_of()));
            prop_assert_eq!(parse_month(&format!("{y}年{m}月")), Some(day.month_of()));
        }

        #[test]
        fn serials_match_the_calendar(n in SERIAL_MIN..=SERIAL_MAX) {
            let from_cell = date(&Cell::Number(n as f64)).ok();
            prop_assert_eq!(from_cell, Date::from_excel_serial(n as f64));
            prop_assert!(from_cell.is_some());
        }

        #[test]
        fn parsers_never_panic(s in any::<String>()) {
            let _ = parse_date(&s);
            let _ = parse_month(&s);
            let _ = date(&Cell::Text(s.as_str().into()));
            let _ = month(&Cell::Text(s.as_str().into()));
        }

        #[test]
        fn parsers_never_panic_on_date_like_text(s in "[0-9０-９年月日/.\\-: T'\u{3000}]{0,20}") {
            if let Some(d) = parse_date(&s) {
                prop_assert_eq!(parse_month(&s), Some(d.month_of()));
            }
            let _ = date(&Cell::Text(s.as_str().into()));
            let _ = month(&Cell::Text(s.as_str().into()));
        }

        #[test]
        fn numbers_never_panic(f in any::<f64>()) {
            let _ = date(&Cell::Number(f));
            let _ = month(&Cell::Number(f));
        }
    }
}
