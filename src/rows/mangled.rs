//! Roster ID numbers that a spreadsheet turned into numbers (V021): a number cell, `1.1E+17`,
//! `4.40305200212127e+17`, or 18 digits whose last three are the zeros Excel puts after
//! its 15 significant digits. Such a line matches nobody, so its member would be a false
//! R001 and a missing charge; what its digits still say is which IDs it could have been.

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::ids;
use crate::input::value::IdCell;

/// What the cell showed, when the ID went through a spreadsheet number.
pub fn shown(cell: &IdCell<'_>) -> Option<String> {
    match cell {
        IdCell::Numeric { shown } => Some(shown.clone()),
        IdCell::Text { value, .. } if zero_padded(value) => Some(value.to_string()),
        _ => None,
    }
}

/// 18 digits ending in `000` that are not a valid number: 15 significant digits and the
/// zeros a spreadsheet filled in. (A valid ID may end in `000`: it is kept.)
fn zero_padded(s: &str) -> bool {
    let far = Date::new(9999, 12, 31);
    s.len() == 18
        && s.ends_with("000")
        && s.bytes().all(|b| b.is_ascii_digit())
        && far.is_some_and(|far| ids::check(ids::detect(s), s, far).is_err())
}

/// The mangled IDs of a roster, grouped by how many significant digits survived.
#[derive(Default, Debug)]
pub struct MangledIds {
    by_digits: BTreeMap<u32, HashSet<u128>>,
    count: usize,
}

impl MangledIds {
    pub fn add(&mut self, shown: &str) {
        self.count += 1;
        if let Some((value, digits)) = parse(shown) {
            self.by_digits.entry(digits).or_default().insert(value);
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether `id`, rounded as the spreadsheet rounded, is one of the mangled numbers:
    /// then "not in the roster" cannot be told.
    pub fn could_be(&self, id: &str) -> bool {
        let Some(n) = digits_value(id) else {
            return false;
        };
        let len = id.len() as u32;
        self.by_digits
            .iter()
            .any(|(&k, values)| k <= len && values.contains(&round(n, len - k)))
    }
}

/// The number a mangled text stands for, and its significant digits (trailing zeros
/// are not counted: they are what the spreadsheet filled in, or cannot be told from it).
fn parse(shown: &str) -> Option<(u128, u32)> {
    let d = Decimal::from_str(shown)
        .or_else(|_| Decimal::from_scientific(shown))
        .ok()?;
    let value = d.trunc().to_u128()?;
    let text = value.to_string();
    let significant = text.trim_end_matches('0').len().max(1) as u32;
    Some((value, significant))
}

fn digits_value(id: &str) -> Option<u128> {
    if id.is_empty() || id.len() > 30 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// `n` rounded half up at the `drop`-th digit from the right, as a spreadsheet shows it.
fn round(n: u128, drop: u32) -> u128 {
    let scale = 10u128.pow(drop);
    (n + scale / 2) / scale * scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn text(s: &str) -> IdCell<'_> {
        IdCell::Text {
            value: Cow::Borrowed(s),
            normalized: false,
        }
    }

    #[test]
    fn numbers_and_zero_padded_digits_are_mangled_and_valid_ids_are_not() {
        let numeric = IdCell::Numeric {
            shown: "1.1E+17".into(),
        };
        assert_eq!(shown(&numeric).as_deref(), Some("1.1E+17"));
        assert_eq!(
            shown(&text("110101199003071000")).as_deref(),
            Some("110101199003071000")
        );
        // Valid: 11010119900307123 + check character 3.
        assert_eq!(shown(&text("110101199003071233")), None);
        assert_eq!(shown(&text("11010119900307123X")), None);
        assert_eq!(shown(&IdCell::Empty), None);
    }

    #[test]
    fn a_mangled_number_could_be_the_ids_it_rounds_from() {
        let mut m = MangledIds::default();
        m.add("1.1E+17");
        m.add("4.40305200212127e+17");
        m.add("110101199003071000");
        assert_eq!(m.len(), 3);
        assert!(m.could_be("110101199003071233"), "1.1E+17");
        assert!(m.could_be("105000000000000000"), "rounds up to 1.1E+17");
        assert!(!m.could_be("120101199003071233"));
        assert!(m.could_be("440305200212127455"), "15 digits, rounded down");
        assert!(!m.could_be("440305200212128455"));
        assert!(
            !m.could_be("11010119900307123X"),
            "a spreadsheet keeps an X as text"
        );
        assert!(
            !m.could_be("1101011990030712"),
            "16 digits round to other numbers"
        );
    }

    #[test]
    fn nothing_mangled_matches_nobody() {
        let m = MangledIds::default();
        assert!(m.is_empty());
        assert!(!m.could_be("110101199003071233"));
    }
}
