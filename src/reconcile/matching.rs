//! Who is who across the two sides: by ID number, else by the city's person number, else by
//! name; and the lines of one person, insurance, part, kind and month summed into cells.

use std::ops::Range;

use rust_decimal::Decimal;

use super::hash::FxMap;
use super::model::{Kind, Lines, Part, People, Person};
use crate::calendar::Month;

/// Which key matched a bill line to an expected person.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    Id,
    PersonNo,
    Name,
    /// Nobody on the expected side.
    Nothing,
}

impl MatchedBy {
    pub fn id(self) -> &'static str {
        match self {
            MatchedBy::Id => "id_number",
            MatchedBy::PersonNo => "person_no",
            MatchedBy::Name => "name",
            MatchedBy::Nothing => "",
        }
    }
}

/// A person as compared: the expected side's ID (or number, or name), tagged.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
enum Tag {
    Id,
    No,
    Name,
}

/// The key a person is matched by (tag, text): the ID number, else the person number, else
/// the name. Its hash places a person in a partition (`partition`).
pub fn person_key(p: Person<'_>) -> (u8, &str) {
    let (t, s) = key_of(p);
    (t as u8, s)
}

fn key_of(p: Person<'_>) -> (Tag, &str) {
    if let Some(id) = p.id {
        (Tag::Id, id)
    } else if let Some(n) = p.person_no {
        (Tag::No, n)
    } else {
        (Tag::Name, p.name.unwrap_or(""))
    }
}

/// Person keys as small numbers: the first time a key is seen gives its number.
#[derive(Default)]
struct Keys<'a>(FxMap<(Tag, &'a str), u32>);

impl<'a> Keys<'a> {
    fn of(&mut self, k: (Tag, &'a str)) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(k).or_insert(n)
    }
}

/// Resolves every person entry of both sides to a person number (shared by both sides),
/// and says which key matched each bill entry. Expected people key by their own ID
/// number. A bill entry without an ID takes the ID another bill entry gives the same
/// person number (the tax detail names both), else the person number on the expected
/// side, else the name when exactly one expected person has it.
pub fn resolve(bill: &People, expected: &People) -> (Vec<(u32, MatchedBy)>, Vec<u32>) {
    let mut keys = Keys::default();
    let exp_keys: Vec<u32> = (0..expected.len() as u32)
        .map(|i| keys.of(key_of(expected.get(i))))
        .collect();
    // The indexes by number and name are needed only when a bill names someone without
    // an ID (Shanghai's); a million expected people cost no memory otherwise.
    let need = (0..bill.len() as u32).any(|i| bill.get(i).id.is_none());
    let mut by_no: FxMap<&str, u32> = FxMap::default();
    // The person called so, or `AMBIGUOUS` when two are.
    const AMBIGUOUS: u32 = u32::MAX;
    let mut by_name: FxMap<&str, u32> = FxMap::default();
    let mut no_to_id: FxMap<&str, &str> = FxMap::default();
    if need {
        for (i, k) in exp_keys.iter().enumerate() {
            let p = expected.get(i as u32);
            if let Some(n) = p.person_no {
                by_no.insert(n, *k);
            }
            if let Some(n) = p.name {
                let v = by_name.entry(n).or_insert(*k);
                if *v != *k {
                    *v = AMBIGUOUS;
                }
            }
        }
        // Person number → ID, from bill entries that carry both.
        for i in 0..bill.len() as u32 {
            let p = bill.get(i);
            if let (Some(n), Some(id)) = (p.person_no, p.id) {
                no_to_id.entry(n).or_insert(id);
            }
        }
    }
    // Expected people hold the numbers below `known`; bill-only people come after.
    let known = keys.0.len() as u32;
    let by_id =
        |keys: &Keys<'_>, id: &str| keys.0.get(&(Tag::Id, id)).copied().filter(|k| *k < known);
    let mut bill_keys = Vec::with_capacity(bill.len());
    for i in 0..bill.len() as u32 {
        let p = bill.get(i);
        let found = if let Some(id) = p.id {
            by_id(&keys, id).map(|k| (k, MatchedBy::Id))
        } else {
            p.person_no
                .and_then(|n| {
                    by_no
                        .get(n)
                        .copied()
                        .or_else(|| no_to_id.get(n).and_then(|id| by_id(&keys, id)))
                })
                .map(|k| (k, MatchedBy::PersonNo))
                .or_else(|| {
                    p.name
                        .and_then(|n| by_name.get(n).copied())
                        .filter(|k| *k != AMBIGUOUS)
                        .map(|k| (k, MatchedBy::Name))
                })
        };
        bill_keys.push(found.unwrap_or_else(|| (keys.of(key_of(p)), MatchedBy::Nothing)));
    }
    (bill_keys, exp_keys)
}

/// The lines of one person for one insurance, part, kind and month.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellKey {
    /// An index into the resolution's person keys.
    pub person: u32,
    /// An index into the sides' shared insurance numbering (`Lines::reindex`), which is
    /// in name order.
    pub insurance: u8,
    pub part: Part,
    pub kind: Kind,
    pub month: Option<Month>,
}

#[derive(Clone, Debug, Default)]
pub struct Cell {
    /// In 10⁻⁸ yuan (`super::amount`).
    pub amount: i128,
    /// The first line's base; `None` when the side gives none.
    pub base: Option<Decimal>,
    /// The lines summed: a range of the person's line list (`PersonCells::lines`).
    pub lines: Range<u32>,
}

/// One person's cells on one side, in key order.
#[derive(Default)]
pub struct PersonCells {
    pub cells: Vec<(CellKey, Cell)>,
    /// Line indexes of the side, grouped by cell.
    pub lines: Vec<u32>,
    entries: Vec<(CellKey, u32)>,
}

impl PersonCells {
    /// Sums the lines of `rows` (a person's rows, `starts` from `Lines::row_starts`) into
    /// cells, in key order; the buffers are reused from person to person.
    pub fn fill(&mut self, side: &Lines, rows: &[u32], starts: &[u32], person: u32) {
        self.cells.clear();
        self.lines.clear();
        self.entries.clear();
        for &r in rows {
            let (a, b) = (starts[r as usize], starts[r as usize + 1]);
            for i in a..b {
                let l = &side.lines[i as usize];
                self.entries.push((
                    CellKey {
                        person,
                        insurance: l.insurance,
                        part: l.part,
                        kind: l.kind,
                        month: side.month(l),
                    },
                    i,
                ));
            }
        }
        // By key, then line: a cell's base is its first line's (the output does not
        // depend on line order).
        self.entries.sort_unstable();
        for &(k, i) in &self.entries {
            let l = &side.lines[i as usize];
            let at = self.lines.len() as u32;
            self.lines.push(i);
            match self.cells.last_mut() {
                Some((lk, c)) if *lk == k => {
                    c.amount += i128::from(l.amount);
                    if c.base.is_none() {
                        c.base = side.base(l);
                    }
                    c.lines.end = at + 1;
                }
                _ => self.cells.push((
                    k,
                    Cell {
                        amount: i128::from(l.amount),
                        base: side.base(l),
                        lines: at..at + 1,
                    },
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(list: &[(Option<&str>, Option<&str>, &str)]) -> People {
        let mut p = People::default();
        for (id, no, name) in list {
            p.push(Person {
                id: *id,
                person_no: *no,
                name: Some(name),
            });
        }
        p
    }

    #[test]
    fn id_then_person_number_through_another_bill_then_unique_name() {
        let expected = people(&[
            (Some("A1"), None, "张三"),
            (Some("B2"), None, "李四"),
            (Some("C3"), None, "李四"),
        ]);
        let bill = people(&[
            (Some("A1"), None, "张三"),
            (None, Some("900"), "改名"),
            (Some("B2"), Some("900"), "李四"),
            (None, None, "张三"),
            (None, None, "李四"),
            (Some("Z9"), None, "王五"),
            (Some("A1"), None, "张三"),
            (Some("Z9"), None, "王五"),
        ]);
        let (keys, exp) = resolve(&bill, &expected);
        let (a1, b2) = (exp[0], exp[1]);
        let got: Vec<MatchedBy> = keys.iter().map(|(_, b)| *b).collect();
        assert_eq!(
            got,
            vec![
                MatchedBy::Id,
                MatchedBy::PersonNo,
                MatchedBy::Id,
                MatchedBy::Name,
                // Two expected people are called 李四: no match by name.
                MatchedBy::Nothing,
                MatchedBy::Nothing,
                MatchedBy::Id,
                // A bill-only person seen twice is still nobody on the expected side.
                MatchedBy::Nothing,
            ]
        );
        assert_eq!(keys[5].0, keys[7].0);
        assert_eq!(
            keys.iter().map(|(k, _)| *k).take(4).collect::<Vec<_>>(),
            vec![a1, b2, b2, a1]
        );
        // Unmatched people get numbers of their own.
        assert!(keys[4].0 != keys[5].0 && !exp.contains(&keys[4].0) && !exp.contains(&keys[5].0));
    }
}
