//! Money: contribution bases and wages, as text with separators and currency signs or as
//! float cells.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;

use super::text::{is_trim, normalize};
use super::Value;
use crate::input::cell::Cell;

/// A money cell. Zero and negative amounts are values (the rules decide what they mean);
/// anything that is not a plain amount is invalid. Thousands separators and currency signs
/// are ordinary formatting, not something V019 reports.
pub fn money(cell: &Cell<'_>) -> Value<Decimal> {
    match cell {
        Cell::Empty => Value::Empty,
        Cell::Number(f) => decimal_from_f64(*f).map_or(Value::Invalid, |value| Value::Ok {
            value,
            normalized: false,
        }),
        Cell::Text(t) => {
            let n = normalize(t);
            if n.text.is_empty() {
                return Value::Empty;
            }
            parse_money(&n.text).map_or(Value::Invalid, |value| Value::Ok {
                value,
                normalized: n.normalized,
            })
        }
        Cell::Date(_) | Cell::Bool(_) | Cell::Error(_) => Value::Invalid,
    }
}

/// An amount written as text: `8123.45`, `8,123.45`, `¥8123.45`, `￥8,123`, `8123.45元`,
/// `-8123`, `.5`. Separators must group by three (`8,12,3` is rejected, not read as 8123);
/// no exponent, no second decimal point. Keeps the scale as written.
pub fn parse_money(s: &str) -> Option<Decimal> {
    let s = s.trim_matches(is_trim);
    let (before, s) = sign(s);
    let s = match s.strip_prefix('¥').or_else(|| s.strip_prefix('￥')) {
        Some(r) => r.trim_start_matches(is_trim),
        None => s,
    };
    // The sign may stand before or after the currency sign, but only once.
    let (after, s) = sign(s);
    let neg = match (before, after) {
        (Some(_), Some(_)) => return None,
        (a, b) => a.or(b) == Some('-'),
    };
    let s = match s.strip_suffix('元') {
        Some(r) => r.trim_end_matches(is_trim),
        None => s,
    };
    amount(s, neg)
}

fn sign(s: &str) -> (Option<char>, &str) {
    match s.chars().next() {
        Some(c @ ('-' | '+')) => (Some(c), &s[1..]),
        _ => (None, s),
    }
}

/// Digits with optional three-digit grouping and an optional fraction, built straight into
/// a mantissa (no intermediate string).
fn amount(s: &str, neg: bool) -> Option<Decimal> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    // `8123.` and `.` are not amounts.
    if s.is_empty() || s.ends_with('.') {
        return None;
    }
    if !grouped_digits(int) {
        return None;
    }
    let frac = frac.unwrap_or("");
    if frac.len() > 28 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut m: i128 = 0;
    for b in int.bytes().chain(frac.bytes()).filter(u8::is_ascii_digit) {
        m = m.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    let m = if neg { -m } else { m };
    Decimal::try_from_i128_with_scale(m, frac.len() as u32).ok()
}

/// All digits, or `d{1,3}(,ddd)*`. Empty is fine (`.5`).
fn grouped_digits(s: &str) -> bool {
    let all_digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if !s.contains(',') {
        return all_digits(s);
    }
    let mut groups = s.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && all_digits(g));
    first_ok && groups.all(|g| g.len() == 3 && all_digits(g))
}

/// A float cell as Excel shows it: rounded to 15 significant digits, then trailing zeros
/// trimmed (`8123.450000000001` → `8123.45`, `7162.0` → `7162`). `None` for NaN, infinities
/// and magnitudes beyond `Decimal`.
pub fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    // The formatter rounds the exact binary value correctly; a stack buffer keeps it
    // allocation-free. Output looks like `-8.12345000000000e3`.
    let mut buf = StackStr::default();
    write!(buf, "{f:.14e}").ok()?;
    let s = buf.as_str();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (mantissa, exp) = s.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let mut m: i128 = 0;
    for b in mantissa.bytes().filter(u8::is_ascii_digit) {
        m = m * 10 + i128::from(b - b'0');
    }
    // value = m × 10^(exp − 14)
    let mut scale = 14 - exp;
    if scale < 0 {
        m = m.checked_mul(10i128.checked_pow(scale.unsigned_abs())?)?;
        scale = 0;
    } else if scale > 28 {
        // Below Decimal's 28 places: round half away from zero (m has 15 digits).
        let drop = (scale - 28) as u32;
        m = if drop > 15 {
            0
        } else {
            let p = 10i128.pow(drop);
            (m + p / 2) / p
        };
        scale = 28;
    }
    let d = Decimal::try_from_i128_with_scale(if neg { -m } else { m }, scale as u32).ok()?;
    Some(d.normalize())
}

/// Enough for any `{:.14e}` rendering of an f64 (at most 22 bytes).
#[derive(Default)]
struct StackStr {
    buf: [u8; 32],
    len: usize,
}

impl StackStr {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for StackStr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ok(s: &str, normalized: bool) -> Value<Decimal> {
        Value::Ok {
            value: dec(s),
            normalized,
        }
    }

    fn text(s: &str) -> Value<Decimal> {
        money(&Cell::Text(s.into()))
    }

    #[test]
    fn reads_every_money_form() {
        for s in [
            "8123.45",
            "8,123.45",
            "¥8123.45",
            "¥ 8,123.45",
            "￥8,123.45",
            "8123.45元",
            "8,123.45 元",
            "¥8123.45元",
            "'8123.45",
            "8123.450",
        ] {
            assert_eq!(text(s), ok("8123.45", false), "{s}");
        }
        assert_eq!(text("￥8,123"), ok("8123", false));
        assert_eq!(text(" 8123 "), ok("8123", true));
        assert_eq!(text("８１２３．４５"), ok("8123.45", true));
        assert_eq!(text("８，１２３"), ok("8123", true));
        assert_eq!(text("1,234,567.8"), ok("1234567.8", false));
        assert_eq!(text(".5"), ok("0.5", false));
        assert_eq!(text("0"), ok("0", false));
        assert_eq!(text("-8123"), ok("-8123", false));
        assert_eq!(text("-¥8,123"), ok("-8123", false));
        assert_eq!(text("¥-8123"), ok("-8123", false));
        assert_eq!(text("+8123"), ok("8123", false));
        assert_eq!(text(""), Value::Empty);
        assert_eq!(text("\u{3000}"), Value::Empty);
        assert_eq!(money(&Cell::Empty), Value::Empty);
    }

    #[test]
    fn keeps_the_scale_as_written() {
        assert_eq!(parse_money("8123.40").map(|d| d.scale()), Some(2));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for s in [
            "abc",
            "合计",
            "8.1.2",
            "1.2.3",
            "8,12,3",
            "8,12,345",
            "81,23",
            ",123",
            "1,234,",
            "1,234.5,6",
            "8123.",
            ".",
            "-",
            "¥",
            "元",
            "--8",
            "+-8",
            "-+8",
            "-¥-8",
            "8123e2",
            "1.2E+3",
            "8 123",
            "8123-",
            "(8123)",
            "8123元元",
            "99999999999999999999999999999999999999999",
            "0.00000000000000000000000000001",
            "NaN",
            "inf",
        ] {
            assert_eq!(text(s), Value::Invalid, "{s:?}");
        }
        for c in [
            Cell::Number(f64::NAN),
            Cell::Number(f64::INFINITY),
            Cell::Number(f64::NEG_INFINITY),
            Cell::Number(1e300),
            Cell::Bool(true),
            Cell::Error("#DIV/0!".into()),
        ] {
            assert_eq!(money(&c), Value::Invalid, "{c:?}");
        }
    }

    #[test]
    fn float_cells_read_as_excel_shows_them() {
        let num = |f: f64| money(&Cell::Number(f)).ok().map(|d| d.to_string());
        assert_eq!(num(8123.450000000001).as_deref(), Some("8123.45"));
        assert_eq!(num(7162.0).as_deref(), Some("7162"));
        assert_eq!(num(0.1 + 0.2).as_deref(), Some("0.3"));
        assert_eq!(num(-8123.45).as_deref(), Some("-8123.45"));
        assert_eq!(num(0.0).as_deref(), Some("0"));
        assert_eq!(num(-0.0).as_deref(), Some("0"));
        assert_eq!(num(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(
            num(123456789012345678.0).as_deref(),
            Some("123456789012346000")
        );
        assert_eq!(num(1.5e-30).as_deref(), Some("0"));
        assert_eq!(
            num(1.25e-27).as_deref(),
            Some("0.0000000000000000000000000013")
        );
    }

    /// Writes `d` with thousands separators in its integer part.
    fn grouped(d: Decimal) -> String {
        let s = d.to_string();
        let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
        let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
        let mut out = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{out}.{f}"),
            None => format!("{sign}{out}"),
        }
    }

    proptest! {
        #[test]
        fn money_round_trips(m in -10_000_000_000_000_000i64..10_000_000_000_000_000, scale in 0u32..=2) {
            let d = Decimal::new(m, scale);
            for s in [d.to_string(), grouped(d), format!("¥{}", grouped(d)), format!("{d}元")] {
                prop_assert_eq!(text(&s).ok(), Some(d), "{}", s);
            }
        }

        #[test]
        fn floats_with_few_decimals_round_trip(m in -100_000_000_000i64..100_000_000_000, scale in 0u32..=2) {
            // Amounts below 10^9 with two decimals have at most 11 significant digits, so
            // the float nearest them reads back exactly.
            let d = Decimal::new(m, scale);
            let f = m as f64 / 10f64.powi(scale as i32);
            prop_assert_eq!(decimal_from_f64(f), Some(d.normalize()));
        }

        #[test]
        fn money_never_panics(s in any::<String>()) {
            let _ = text(&s);
        }

        #[test]
        fn money_never_panics_on_money_like_text(s in "[0-9,.¥￥元+\\- '\u{3000}０-９，．]{0,16}") {
            let _ = text(&s);
        }

        #[test]
        fn floats_never_panic(f in any::<f64>()) {
            if let Some(d) = decimal_from_f64(f) {
                // Within 15 significant digits of the float.
                let back: f64 = d.to_string().parse().unwrap();
                prop_assert!((back - f).abs() <= f.abs() * 1e-14 + 1e-28);
            }
        }
    }
}
