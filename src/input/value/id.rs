//! Identity-document numbers as cells deliver them, before any checksum is looked at.
//!
//! The one thing decided here is whether the number survived the spreadsheet: an ID stored
//! as a number keeps only 15 significant digits, so no repair is possible (V005).

use std::borrow::Cow;

use super::number::decimal_from_f64;
use super::text::{is_trim, normalize};
use crate::input::cell::Cell;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdCell<'a> {
    Empty,
    /// Upper-cased and without inner spaces. `normalized` when full-width characters,
    /// surrounding or inner spaces, or lower-case letters were fixed; Excel's text-marker
    /// apostrophe is dropped silently.
    Text {
        value: Cow<'a, str>,
        normalized: bool,
    },
    /// The number went through a float (V005): a number cell, scientific notation such as
    /// `1.10101E+17`, or digits ending in `.0`. `shown` is what the user sees.
    Numeric {
        shown: String,
    },
}

/// Reads an ID-number cell. Date, boolean and error cells come back as their text so the
/// ID checks reject them with what the cell showed.
pub fn id_number<'a>(cell: &'a Cell<'_>) -> IdCell<'a> {
    let plain = |s: Cow<'a, str>| IdCell::Text {
        value: s,
        normalized: false,
    };
    match cell {
        Cell::Empty => IdCell::Empty,
        Cell::Number(f) => IdCell::Numeric {
            // As Excel's formula bar shows it: 15 significant digits, then zeros.
            shown: decimal_from_f64(*f).map_or_else(|| f.to_string(), |d| d.to_string()),
        },
        Cell::Text(t) => id_text(t),
        Cell::Date(d) => plain(Cow::Owned(d.to_string())),
        Cell::Bool(b) => plain(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
        Cell::Error(e) => plain(Cow::Borrowed(e.as_str())),
    }
}

/// Reads an ID number written as text; borrows `t` when it needs no fixing.
pub fn id_text(t: &str) -> IdCell<'_> {
    let n = normalize(t);
    if n.text.is_empty() {
        return IdCell::Empty;
    }
    if is_scientific(&n.text) || is_float_digits(&n.text) {
        return IdCell::Numeric {
            shown: n.text.into_owned(),
        };
    }
    // Document numbers are upper case by convention (check character X, passport and
    // permit prefixes); copy-paste often splits an ID into groups with spaces.
    let dirty = |c: char| c.is_ascii_lowercase() || is_trim(c);
    if !n.text.contains(dirty) {
        return IdCell::Text {
            value: n.text,
            normalized: n.normalized,
        };
    }
    let value: String = n
        .text
        .chars()
        .filter(|&c| !is_trim(c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    IdCell::Text {
        value: Cow::Owned(value),
        normalized: true,
    }
}

/// `1.10101E+17`, `1.101011990010111e+17`: how Excel and float-minded exporters print large
/// numbers. The exponent sign is required, so a document number such as `12E45678` is not
/// mistaken for one.
fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let mantissa = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let Some(exp) = exp.strip_prefix(['+', '-']) else {
        return false;
    };
    !int.is_empty() && digits(int) && digits(frac) && !exp.is_empty() && digits(exp)
}

/// Digits followed by `.0` (or `.00…`): a float written out as text.
fn is_float_digits(s: &str) -> bool {
    let Some((int, frac)) = s.split_once('.') else {
        return false;
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use proptest::prelude::*;

    fn text(value: &str, normalized: bool) -> IdCell<'static> {
        IdCell::Text {
            value: Cow::Owned(value.to_owned()),
            normalized,
        }
    }

    fn read(s: &str) -> IdCell<'static> {
        match id_number(&Cell::Text(s.into())) {
            IdCell::Text { value, normalized } => IdCell::Text {
                value: Cow::Owned(value.into_owned()),
                normalized,
            },
            IdCell::Numeric { shown } => IdCell::Numeric { shown },
            IdCell::Empty => IdCell::Empty,
        }
    }

    fn numeric(shown: &str) -> IdCell<'static> {
        IdCell::Numeric {
            shown: shown.to_owned(),
        }
    }

    #[test]
    fn clean_ids_are_borrowed() {
        let c = Cell::Text("11010519491231002X".into());
        assert!(matches!(
            id_number(&c),
            IdCell::Text {
                value: Cow::Borrowed("11010519491231002X"),
                normalized: false
            }
        ));
    }

    #[test]
    fn fixes_case_spaces_and_full_width() {
        assert_eq!(read("11010519491231002x"), text("11010519491231002X", true));
        assert_eq!(
            read("110105 19491231 002X"),
            text("11010519491231002X", true)
        );
        assert_eq!(
            read("１１０１０５１９４９１２３１００２Ｘ"),
            text("11010519491231002X", true)
        );
        assert_eq!(
            read(" 11010519491231002X\u{3000}"),
            text("11010519491231002X", true)
        );
        assert_eq!(read("h01234567"), text("H01234567", true));
        // The text marker alone is not a fix.
        assert_eq!(
            read("'11010519491231002X"),
            text("11010519491231002X", false)
        );
        assert_eq!(
            read("'11010519491231002x"),
            text("11010519491231002X", true)
        );
    }

    #[test]
    fn empty_cells() {
        assert_eq!(id_number(&Cell::Empty), IdCell::Empty);
        assert_eq!(read(""), IdCell::Empty);
        assert_eq!(read(" \u{3000} "), IdCell::Empty);
        assert_eq!(read("'"), IdCell::Empty);
    }

    #[test]
    fn numbers_that_went_through_a_float() {
        assert_eq!(read("1.10101E+17"), numeric("1.10101E+17"));
        assert_eq!(read("3.60426e+17"), numeric("3.60426e+17"));
        assert_eq!(
            read("1.101011990010111e+17"),
            numeric("1.101011990010111e+17")
        );
        assert_eq!(read("１.１０１０１Ｅ＋１７"), numeric("1.10101E+17"));
        assert_eq!(
            read("110101199001011000.0"),
            numeric("110101199001011000.0")
        );
        assert_eq!(
            read("110101199001011000.00"),
            numeric("110101199001011000.00")
        );
        assert_eq!(
            id_number(&Cell::Number(110_105_194_912_310_020.0)),
            numeric("110105194912310000")
        );
        assert_eq!(
            id_number(&Cell::Number(1.10101e17)),
            numeric("110101000000000000")
        );
        assert_eq!(id_number(&Cell::Number(123456789.0)), numeric("123456789"));
        assert_eq!(id_number(&Cell::Number(f64::NAN)), numeric("NaN"));
    }

    #[test]
    fn near_misses_stay_text_for_the_id_checks() {
        // No exponent sign: could be a real document number.
        assert_eq!(read("12E45678"), text("12E45678", false));
        assert_eq!(read("E12345678"), text("E12345678", false));
        assert_eq!(read("E+17"), text("E+17", false));
        assert_eq!(read("1.5"), text("1.5", false));
        assert_eq!(read(".0"), text(".0", false));
        assert_eq!(read("合计"), text("合计", false));
    }

    #[test]
    fn other_cells_show_their_text() {
        let d = Cell::Date(Date::new(2025, 7, 1).unwrap());
        assert_eq!(id_number(&d), text("2025-07-01", false));
        assert_eq!(id_number(&Cell::Bool(false)), text("FALSE", false));
        assert_eq!(id_number(&Cell::Error("#N/A".into())), text("#N/A", false));
    }

    proptest! {
        #[test]
        fn never_panics_and_output_is_clean(s in any::<String>()) {
            if let IdCell::Text { value, .. } = id_number(&Cell::Text(s.as_str().into())) {
                prop_assert!(!value.is_empty());
                prop_assert!(!value.chars().any(|c| c.is_ascii_lowercase() || is_trim(c)));
            }
        }

        #[test]
        fn every_float_cell_is_numeric(f in any::<f64>()) {
            let is_numeric = matches!(id_number(&Cell::Number(f)), IdCell::Numeric { .. });
            prop_assert!(is_numeric);
        }
    }
}
