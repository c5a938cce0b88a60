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

/// Resolves every bill line to a person key, and says which key matched. Expected lines
/// key by their own ID number. A bill line without an ID takes the ID another bill line
/// gives the same person number (the tax detail names both), else the person number on the
/// expected side, else the name when exactly one expected person has it.
pub fn resolve(bill: &[Line], expected: &[Line]) -> (Vec<(PersonKey, MatchedBy)>, Vec<PersonKey>) {
    let exp_keys: Vec<PersonKey> = expected.iter().map(key_of).collect();
    let mut by_id: HashMap<&str, ()> = HashMap::new();
    let mut by_no: HashMap<&str, &PersonKey> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<&PersonKey>> = HashMap::new();
    for (l, k) in expected.iter().zip(&exp_keys) {
        if let Some(id) = &l.person.id {
            by_id.insert(id, ());
        }
        if let Some(n) = &l.person.person_no {
            by_no.insert(n, k);
        }
        if let Some(n) = &l.person.name {
            let v = by_name.entry(n).or_default();
            if !v.contains(&k) {
                v.push(k);
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
                let by = if by_id.contains_key(id.as_str()) {
                    MatchedBy::Id
                } else {
                    MatchedBy::Nothing
                };
                return (format!("id:{id}"), by);
            }
            if let Some(n) = &p.person_no {
                if let Some(k) = by_no.get(n.as_str()) {
                    return ((*k).clone(), MatchedBy::PersonNo);
                }
                if let Some(id) = no_to_id.get(n.as_str()) {
                    if by_id.contains_key(id) {
                        return (format!("id:{id}"), MatchedBy::PersonNo);
                    }
                }
            }
            if let Some(name) = &p.name {
                if let Some([k]) = by_name.get(name.as_str()).map(Vec::as_slice) {
                    return ((*k).clone(), MatchedBy::Name);
                }
            }
            (key_of(l), MatchedBy::Nothing)
        })
        .collect();
    (bill_keys, exp_keys)
}

/// The lines of one person for one insurance, part, kind and month.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellKey {
    pub person: PersonKey,
    pub insurance: String,
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
pub fn cells(lines: &[Line], keys: &[PersonKey]) -> BTreeMap<CellKey, Cell> {
    let mut out: BTreeMap<CellKey, Cell> = BTreeMap::new();
    for (i, (l, k)) in lines.iter().zip(keys).enumerate() {
        let c = out
            .entry(CellKey {
                person: k.clone(),
                insurance: l.insurance.clone(),
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
            insurance: "pension".into(),
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
        let (keys, _) = resolve(&bill, &expected);
        let got: Vec<(&str, MatchedBy)> = keys.iter().map(|(k, b)| (k.as_str(), *b)).collect();
        assert_eq!(
            got,
            vec![
                ("id:A1", MatchedBy::Id),
                ("id:B2", MatchedBy::PersonNo),
                ("id:B2", MatchedBy::Id),
                ("id:A1", MatchedBy::Name),
                // Two expected people are called 李四: no match by name.
                ("name:李四", MatchedBy::Nothing),
                ("id:Z9", MatchedBy::Nothing),
            ]
        );
    }
}
