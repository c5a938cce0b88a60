//! A compact, exact key for a person, for cross-row and roster look-ups.
//!
//! An 18-character resident-style number packs into a `u64` (17 digits plus a check value
//! of 0–10), so the million-entry maps hold no strings. A legacy 15-digit number keys as its
//! 18-digit upgrade, so the two forms of one person meet. Anything else keeps its text.

use crate::ids;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonKey {
    Packed(u64),
    Text(Box<str>),
}

impl PersonKey {
    /// The key for a normalised ID number; `None` when it is empty.
    pub fn of(id: &str) -> Option<PersonKey> {
        if id.is_empty() {
            return None;
        }
        if id.len() == 15 && id.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(up) = ids::upgrade15(id) {
                return pack(&up).or_else(|| Some(PersonKey::Text(id.into())));
            }
        }
        pack(id).or_else(|| Some(PersonKey::Text(id.to_ascii_uppercase().into())))
    }
}

fn pack(id: &str) -> Option<PersonKey> {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let check = match b[17] {
        d @ b'0'..=b'9' => (d - b'0') as u64,
        b'X' | b'x' => 10,
        _ => return None,
    };
    let body = b[..17]
        .iter()
        .fold(0u64, |acc, d| acc * 10 + (d - b'0') as u64);
    Some(PersonKey::Packed(body * 11 + check))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn packs_resident_ids_and_keeps_others() {
        assert!(matches!(
            PersonKey::of("11010119900307123X"),
            Some(PersonKey::Packed(_))
        ));
        assert_eq!(
            PersonKey::of("11010119900307123x"),
            PersonKey::of("11010119900307123X")
        );
        assert_eq!(
            PersonKey::of("E12345678"),
            Some(PersonKey::Text("E12345678".into()))
        );
        assert_eq!(PersonKey::of(""), None);
    }

    #[test]
    fn legacy_and_upgraded_forms_meet() {
        assert_eq!(
            PersonKey::of("610104620927690"),
            PersonKey::of("610104196209276908")
        );
    }

    proptest! {
        #[test]
        fn distinct_ids_get_distinct_keys(a in "[0-9]{17}[0-9X]", b in "[0-9]{17}[0-9X]") {
            prop_assert_eq!(a == b, PersonKey::of(&a) == PersonKey::of(&b));
        }
    }
}
