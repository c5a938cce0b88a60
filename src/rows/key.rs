//! A compact, exact key for a person, for cross-row and roster look-ups.
//!
//! An 18-character resident-style number packs into a `u64` (17 digits plus a check value
//! of 0–10), so the million-entry maps hold no strings. A legacy 15-digit number keys as its
//! 18-digit upgrade, so the two forms of one person meet. Anything else keeps its text.

use std::collections::HashMap;

use crate::fxhash::FxBuild;
use crate::ids;

/// A map keyed by person, for the million-entry tables (roster index, cross-row state).
pub type PersonMap<V> = HashMap<PersonKey, V, FxBuild>;

/// Person → position in a table, for the million-entry look-ups (the roster's index).
/// Packed keys sit in a map of plain `u64`s, 16 bytes a slot, half what a map of
/// `PersonKey`s takes; the rare text keys in a second map.
#[derive(Default, Debug)]
pub struct PersonIndex {
    packed: HashMap<u64, usize, FxBuild>,
    text: HashMap<Box<str>, usize, FxBuild>,
}

impl PersonIndex {
    pub fn get(&self, key: &PersonKey) -> Option<usize> {
        match key {
            PersonKey::Packed(p) => self.packed.get(p),
            PersonKey::Text(t) => self.text.get(t),
        }
        .copied()
    }

    /// Sets `key`'s position; returns the one it replaces.
    pub fn insert(&mut self, key: PersonKey, at: usize) -> Option<usize> {
        match key {
            PersonKey::Packed(p) => self.packed.insert(p, at),
            PersonKey::Text(t) => self.text.insert(t, at),
        }
    }

    /// Sets `key`'s position unless it has one, and returns the one it has: one probe
    /// of the table where `get` then `insert` would take two.
    pub fn get_or_insert(&mut self, key: PersonKey, at: usize) -> Option<usize> {
        use std::collections::hash_map::Entry;
        fn probe<K>(e: Entry<'_, K, usize>, at: usize) -> Option<usize> {
            match e {
                Entry::Occupied(o) => Some(*o.get()),
                Entry::Vacant(v) => {
                    v.insert(at);
                    None
                }
            }
        }
        match key {
            PersonKey::Packed(p) => probe(self.packed.entry(p), at),
            PersonKey::Text(t) => probe(self.text.entry(t), at),
        }
    }

    pub fn len(&self) -> usize {
        self.packed.len() + self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

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

    #[test]
    fn person_map_finds_both_kinds_of_key() {
        let mut m: PersonMap<u32> = PersonMap::default();
        for (i, id) in ["11010119900307123X", "E12345678", "610104620927690"]
            .iter()
            .enumerate()
        {
            m.insert(PersonKey::of(id).unwrap(), i as u32);
        }
        assert_eq!(
            m.get(&PersonKey::of("11010119900307123x").unwrap()),
            Some(&0)
        );
        assert_eq!(m.get(&PersonKey::of("E12345678").unwrap()), Some(&1));
        assert_eq!(
            m.get(&PersonKey::of("610104196209276908").unwrap()),
            Some(&2)
        );
    }

    #[test]
    fn person_index_replaces_and_finds() {
        let mut ix = PersonIndex::default();
        let a = PersonKey::of("11010119900307123X").unwrap();
        let b = PersonKey::of("E12345678").unwrap();
        assert_eq!(ix.insert(a.clone(), 0), None);
        assert_eq!(ix.insert(b.clone(), 1), None);
        assert_eq!(ix.insert(a.clone(), 2), Some(0));
        assert_eq!((ix.get(&a), ix.get(&b), ix.len()), (Some(2), Some(1), 2));
        assert_eq!(ix.get(&PersonKey::of("E00000000").unwrap()), None);
        assert_eq!(ix.get_or_insert(b.clone(), 9), Some(1));
        assert_eq!(
            ix.get_or_insert(PersonKey::of("E00000000").unwrap(), 3),
            None
        );
        assert_eq!((ix.get(&b), ix.len()), (Some(1), 3));
    }

    proptest! {
        #[test]
        fn distinct_ids_get_distinct_keys(a in "[0-9]{17}[0-9X]", b in "[0-9]{17}[0-9X]") {
            prop_assert_eq!(a == b, PersonKey::of(&a) == PersonKey::of(&b));
        }
    }
}
