//! Amounts as fixed-point integers: a line's amount is a whole number of 10⁻⁸ yuan in an
//! `i64`, summed in `i128`. Adding and comparing ten million of them as `Decimal` was a
//! fifth of a reconciliation's time; as integers it is nothing, and exact.
//!
//! Bills hold fen (two decimals), but a workbook cell may hold an unrounded product (a base
//! times a rate: `25.61725`), so eight places are kept. A value with more places, or beyond
//! ±92 billion yuan, does not fit and is refused by the reader (never rounded). `Decimal`
//! stays at the edges: what is read, and what the report shows.

use rust_decimal::Decimal;

/// Decimal places of the fixed point.
pub const SCALE: u32 = 8;
const ONE: i64 = 100_000_000;

/// `d` in 10⁻⁸ yuan, when it fits exactly.
pub fn from_decimal(d: Decimal) -> Option<i64> {
    let mut d = d;
    if d.scale() > SCALE {
        // Trailing zeros beyond the eighth place are no precision (`1.0000000000`).
        d = d.normalize();
        if d.scale() > SCALE {
            return None;
        }
    }
    let m = d
        .mantissa()
        .checked_mul(10i128.checked_pow(SCALE - d.scale())?)?;
    i64::try_from(m).ok()
}

/// A sum of fixed-point amounts as a `Decimal` (within its 96 bits for any sum of i64s up
/// to 2³² lines).
pub fn to_decimal(v: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(v, SCALE).unwrap_or(Decimal::MAX)
}

/// The plain text a contributions.csv cell holds (`-1234.56`: optional minus, digits, at
/// most eight decimals), read straight to fixed point; `None` for anything else, which
/// the general reader (`input::value::number::money`) then reads.
pub fn parse_plain(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let (neg, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], &b[p + 1..]),
        None => (b, &b[..0]),
    };
    // Short enough never to overflow: 10 integer digits × 10⁸ < 2⁶³.
    if int.is_empty() || int.len() > 10 || frac.len() > SCALE as usize {
        return None;
    }
    if b.len() > int.len() && frac.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    v *= 10i64.pow(SCALE - frac.len() as u32);
    Some(if neg { -v } else { v })
}

/// A rounding unit (0.01, 0.1, 1 yuan) in 10⁻⁸ yuan, rounded up: for whole numbers of
/// units, `diff >= unit` then says the same as it did in `Decimal`.
pub fn unit_ceil(unit: Decimal) -> i64 {
    if let Some(u) = from_decimal(unit) {
        return u;
    }
    let scaled = unit * Decimal::from(ONE);
    let c = scaled.ceil();
    i64::try_from(c.mantissa() / 10i128.pow(c.scale())).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_that_fit_convert_exactly_and_back() {
        for s in [
            "0",
            "1234.56",
            "-0.01",
            "25.61725",
            "0.00000001",
            "92233720368.54775807",
        ] {
            let v = from_decimal(dec(s)).unwrap();
            assert_eq!(to_decimal(v.into()), dec(s), "{s}");
        }
        assert_eq!(from_decimal(dec("1.5")), Some(150_000_000));
        // Zeros past the eighth place are no precision.
        assert_eq!(from_decimal(dec("1.0000000000")), Some(ONE));
    }

    #[test]
    fn what_does_not_fit_is_refused_not_rounded() {
        assert_eq!(from_decimal(dec("0.000000001")), None);
        assert_eq!(from_decimal(dec("1.123456789")), None);
        assert_eq!(from_decimal(dec("92233720368.54775808")), None);
        assert_eq!(from_decimal(dec("-92233720369")), None);
    }

    #[test]
    fn plain_text_reads_as_the_general_reader_would() {
        for s in [
            "0.00",
            "5008.96",
            "-5008.96",
            "12",
            "0.5",
            "9999999999.99999999",
        ] {
            assert_eq!(parse_plain(s), from_decimal(dec(s)), "{s}");
        }
        // Anything else is left to the general reader.
        for s in [
            "",
            "-",
            ".5",
            "5.",
            "1,234.00",
            "¥5",
            " 5",
            "5 ",
            "1e3",
            "+5",
            "1.2.3",
            "--1",
            "12345678901",
            "0.123456789",
        ] {
            assert_eq!(parse_plain(s), None, "{s:?}");
        }
    }

    #[test]
    fn a_unit_is_whole_and_a_finer_one_rounds_up() {
        assert_eq!(unit_ceil(dec("0.01")), 1_000_000);
        assert_eq!(unit_ceil(dec("1")), ONE);
        assert_eq!(unit_ceil(Decimal::ZERO), 0);
        assert_eq!(unit_ceil(dec("0.000000001")), 1);
    }
}
