//! Who is who across the two sides: by ID number, else by the city's person number, else by
//! name; and the lines of one person, insurance, part, kind and month summed into cells.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::model::{Kind, Line, Part};
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
pub type PersonKey = String;

fn key_of(line: &Line) -> PersonKey {
    let p = &line.person;
    if let Some(id) = &p.id {
        format!("id:{id}")
    } else if let Some(n) = &p.person_no {
        format!("no:{n}")
    } else {
        format!("name:{}", p.name.as_deref().unwrap_or(""))
    }
}

/// Person keys as small numbers: the first time a key is seen gives its number.
#[derive(Default)]
struct Keys(HashMap<PersonKey, u32>);

impl Keys {
    fn of(&mut self, k: PersonKey) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(k).or_insert(n)
    }
}

/// Resolves every line to a person number (an index shared by both sides), and says which
/// key matched each bill line. Expected lines key by their own ID number. A bill line
/// without an ID takes the ID another bill line gives the same person number (the tax
/// detail names both), else the person number on the expected side, else the name when
/// exactly one expected person has it.
pub fn resolve(bill: &[Line], expected: &[Line]) -> (Vec<(u32, MatchedBy)>, Vec<u32>) {
    let mut keys = Keys::default();
    let exp_keys: Vec<u32> = expected.iter().map(|l| keys.of(key_of(l))).collect();
    let mut by_id: HashMap<&str, u32> = HashMap::new();
    let mut by_no: HashMap<&str, u32> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<u32>> = HashMap::new();
    for (l, k) in expected.iter().zip(&exp_keys) {
        if let Some(id) = &l.person.id {
            by_id.insert(id, *k);
        }
        if let Some(n) = &l.person.person_no {
            by_no.insert(n, *k);
        }
        if let Some(n) = &l.person.name {
            let v = by_name.entry(n).or_default();
            if !v.contains(k) {
                v.push(*k);
            }
        }
    }
    // Person number → ID, from bill lines that carry both.
    let mut no_to_id: HashMap<&str, &str> = HashMap::new();
    for l in bill {
        if let (Some(n), Some(id)) = (&l.person.person_no, &l.person.id) {
            no_to_id.entry(n).or_insert(id);
        }
    }
    let bill_keys = bill
        .iter()
        .map(|l| {
            let p = &l.person;
            if let Some(id) = &p.id {
                return match by_id.get(id.as_str()) {
                    Some(k) => (*k, MatchedBy::Id),
                    None => (keys.of(key_of(l)), MatchedBy::Nothing),
                };
            }
            if let Some(n) = &p.person_no {
                if let Some(k) = by_no.get(n.as_str()) {
                    return (*k, MatchedBy::PersonNo);
                }
                if let Some(k) = no_to_id.get(n.as_str()).and_then(|id| by_id.get(id)) {
                    return (*k, MatchedBy::PersonNo);
                }
            }
            if let Some(name) = &p.name {
                if let Some([k]) = by_name.get(name.as_str()).map(Vec::as_slice) {
                    return (*k, MatchedBy::Name);
                }
            }
            (keys.of(key_of(l)), MatchedBy::Nothing)
        })
        .collect();
    (bill_keys, exp_keys)
}

/// The lines of one person for one insurance, part, kind and month.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellKey {
    /// An index into the resolution's person keys.
    pub person: u32,
    pub insurance: &'static str,
    pub part: Part,
    pub kind: Kind,
    pub month: Option<Month>,
}

#[derive(Clone, Debug, Default)]
pub struct Cell {
    pub amount: Decimal,
    /// The first line's base; `None` when the side gives none.
    pub base: Option<Decimal>,
    /// Indexes of the lines summed.
    pub lines: Vec<usize>,
}

/// Sums lines into cells, in key order (the output does not depend on line order).
pub fn cells(lines: &[Line], keys: &[u32]) -> BTreeMap<CellKey, Cell> {
    let mut out: BTreeMap<CellKey, Cell> = BTreeMap::new();
    for (i, (l, k)) in lines.iter().zip(keys).enumerate() {
        let c = out
            .entry(CellKey {
                person: *k,
                insurance: l.insurance,
                part: l.part,
                kind: l.kind,
                month: l.month,
            })
            .or_default();
        c.amount += l.amount;
        if c.base.is_none() {
            c.base = l.base;
        }
        c.lines.push(i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::model::{Origin, Person};

    fn line(id: Option<&str>, no: Option<&str>, name: &str) -> Line {
        Line {
            person: std::sync::Arc::new(Person {
                id: id.map(str::to_string),
                person_no: no.map(str::to_string),
                name: Some(name.to_string()),
            }),
            month: None,
            insurance: "pension",
            part: Part::Employer,
            base: None,
            amount: Decimal::ONE,
            kind: Kind::Regular,
            origin: Origin {
                file: 0,
                sheet: "".into(),
                row: 1,
            },
        }
    }

    #[test]
    fn id_then_person_number_through_another_bill_then_unique_name() {
        let expected = vec![
            line(Some("A1"), None, "张三"),
            line(Some("B2"), None, "李四"),
            line(Some("C3"), None, "李四"),
        ];
        let bill = vec![
            line(Some("A1"), None, "张三"),
            line(None, Some("900"), "改名"),
            line(Some("B2"), Some("900"), "李四"),
            line(None, None, "张三"),
            line(None, None, "李四"),
            line(Some("Z9"), None, "王五"),
        ];
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
            ]
        );
        assert_eq!(
            keys.iter().map(|(k, _)| *k).take(4).collect::<Vec<_>>(),
            vec![a1, b2, b2, a1]
        );
        // Unmatched people get numbers of their own.
        assert!(keys[4].0 != keys[5].0 && !exp.contains(&keys[4].0) && !exp.contains(&keys[5].0));
    }
}
