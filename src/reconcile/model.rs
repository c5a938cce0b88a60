//! One model for both sides of a reconciliation: a bill line is one amount one person is
//! charged for one insurance, part and month; headcount's expected contributions are read
//! into the same shape.
//!
//! A million-person bill has ~10 million lines a side, so a side is stored by column: the
//! people's texts in one arena, a row per bill row (person, month, base, origin) and a
//! 16-byte line per amount (fixed point, `amount`). No string or allocation per line.

use rust_decimal::Decimal;

use super::limits::Limits;
use crate::calendar::Month;
use crate::policy::InsuranceId;

/// Who pays a share.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Employer,
    Employee,
}

impl Part {
    pub fn id(self) -> &'static str {
        match self {
            Part::Employer => "employer",
            Part::Employee => "employee",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Part::Employer => "单位",
            Part::Employee => "个人",
        }
    }
}

/// What a line charges for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Regular,
    /// 补缴: a month before the billed one.
    Backpay,
    /// 退费: money returned (a negative amount).
    Refund,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Regular => "regular",
            Kind::Backpay => "backpay",
            Kind::Refund => "refund",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Regular => "正常",
            Kind::Backpay => "补缴",
            Kind::Refund => "退费",
        }
    }
}

/// How a person is named on a row; at least one is present.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Person<'a> {
    /// Upper case, as the ID number is compared.
    pub id: Option<&'a str>,
    /// The city's person number (电脑号, 社保编号, 人员编号, 工号).
    pub person_no: Option<&'a str>,
    pub name: Option<&'a str>,
}

/// The people of one side: texts in one arena; a row naming the same person as the row
/// before shares its entry.
#[derive(Default, Debug)]
pub struct People {
    text: String,
    /// Start in `text`, then the lengths of ID, person number and name (0: none).
    spans: Vec<(u32, [u16; 3])>,
}

impl People {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn get(&self, i: u32) -> Person<'_> {
        let Some(&(start, lens)) = self.spans.get(i as usize) else {
            return Person::default();
        };
        let mut at = start as usize;
        let mut next = |len: u16| {
            let s = self
                .text
                .get(at..at + len as usize)
                .filter(|s| !s.is_empty());
            at += len as usize;
            s
        };
        Person {
            id: next(lens[0]),
            person_no: next(lens[1]),
            name: next(lens[2]),
        }
    }

    /// The entry for `p`: the last one when it names the same person, else a new one.
    pub fn push(&mut self, p: Person<'_>) -> u32 {
        let last = self.spans.len().checked_sub(1);
        if let Some(l) = last {
            if self.get(l as u32) == p {
                return l as u32;
            }
        }
        let start = self.text.len() as u32;
        let mut lens = [0u16; 3];
        for (len, s) in lens.iter_mut().zip([p.id, p.person_no, p.name]) {
            // Texts of a person are short; a longer one is cut at a char boundary.
            let mut s = s.unwrap_or("");
            while s.len() > u16::MAX as usize {
                let mut end = u16::MAX as usize;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s = &s[..end];
            }
            self.text.push_str(s);
            *len = s.len() as u16;
        }
        self.spans.push((start, lens));
        (self.spans.len() - 1) as u32
    }
}

/// One bill row (or the part of it with one base): the lines' shared facts.
#[derive(Clone, Debug)]
pub struct Row {
    /// An index into the side's `People`.
    pub person: u32,
    /// The month the bill gives, if any.
    pub month: Option<Month>,
    pub base: Option<Decimal>,
    /// An index into the run's files.
    pub file: u32,
    /// An index into the side's sheet names.
    pub sheet: u32,
    pub row: u32,
}

#[derive(Copy, Clone, Debug)]
pub struct Line {
    /// In 10⁻⁸ yuan (`super::amount`).
    pub amount: i64,
    /// An index into the side's rows.
    pub row: u32,
    /// An index into the side's insurances.
    pub insurance: u8,
    pub part: Part,
    pub kind: Kind,
}

/// One side's lines, by column.
#[derive(Default, Debug)]
pub struct Lines {
    pub people: People,
    pub rows: Vec<Row>,
    pub lines: Vec<Line>,
    pub sheets: Vec<String>,
    /// By sheet: its base column is the pension base, and the other insurances' bases
    /// follow from it by the policy's limits (`limits`).
    pub sheet_limits: Vec<bool>,
    /// Each insurance's limits by month, for those sheets: filled from the policy
    /// (`super::limits::fill`); without it their other insurances have no base. Sorted:
    /// a handful of entries, looked up once per line.
    pub limits: Vec<((Month, u8), Limits)>,
    /// Interned insurance ids (`policy::InsuranceId`), at most 256.
    pub insurances: Vec<&'static str>,
    /// The month of a regular line whose row gives none (the billed period when read).
    pub period: Option<Month>,
}

impl Lines {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn row(&self, l: &Line) -> &Row {
        &self.rows[l.row as usize]
    }

    pub fn person(&self, l: &Line) -> Person<'_> {
        self.people.get(self.row(l).person)
    }

    pub fn insurance(&self, l: &Line) -> &'static str {
        self.insurances
            .get(l.insurance as usize)
            .copied()
            .unwrap_or("")
    }

    /// The line's month: its row's, else the period for the month's own charge; a
    /// back-pay or refund without one stays unknown.
    pub fn month(&self, l: &Line) -> Option<Month> {
        self.row(l).month.or(match l.kind {
            Kind::Regular => self.period,
            _ => None,
        })
    }

    /// The line's base: its row's, or for a sheet whose base is the pension's, the base
    /// the limits give this insurance (`None` when they cannot tell).
    pub fn base(&self, l: &Line) -> Option<Decimal> {
        let row = self.row(l);
        if !self
            .sheet_limits
            .get(row.sheet as usize)
            .copied()
            .unwrap_or(false)
            || self.insurance(l) == InsuranceId::PENSION.as_str()
        {
            return row.base;
        }
        let m = self.month(l)?;
        let at = self
            .limits
            .binary_search_by(|(k, _)| k.cmp(&(m, l.insurance)))
            .ok()?;
        self.limits[at].1.derive(row.base?)
    }

    pub fn sheet(&self, l: &Line) -> &str {
        self.sheets
            .get(self.row(l).sheet as usize)
            .map_or("", String::as_str)
    }

    /// The index of `ins`, interned on first sight; `None` past 256 insurances.
    pub fn insurance_index(&mut self, ins: &'static str) -> Option<u8> {
        // Interned names: the same name is the same address.
        if let Some(i) = self.insurances.iter().position(|x| std::ptr::eq(*x, ins)) {
            return Some(i as u8);
        }
        if let Some(i) = self.insurances.iter().position(|x| *x == ins) {
            return Some(i as u8);
        }
        let i = u8::try_from(self.insurances.len()).ok()?;
        self.insurances.push(ins);
        Some(i)
    }

    /// Renumbers the lines' insurances into `table` (which holds every name of this
    /// side's): both sides of a comparison then share one numbering, in name order, so
    /// cells compare by number as they did by name.
    pub fn reindex(&mut self, table: &[&'static str]) {
        let map: Vec<u8> = self
            .insurances
            .iter()
            .map(|n| table.iter().position(|t| t == n).unwrap_or(0) as u8)
            .collect();
        for l in &mut self.lines {
            l.insurance = map.get(l.insurance as usize).copied().unwrap_or(0);
        }
        self.limits.iter_mut().for_each(|((_, i), _)| {
            *i = map.get(*i as usize).copied().unwrap_or(0);
        });
        self.limits.sort_by_key(|(k, _)| *k);
        self.insurances = table.to_vec();
    }

    /// The first line of each row and the end: `starts[r]..starts[r + 1]` are row r's.
    pub fn row_starts(&self) -> Vec<u32> {
        let mut starts = vec![0u32; self.rows.len() + 1];
        let mut r = 0usize;
        for (i, l) in self.lines.iter().enumerate() {
            while r <= l.row as usize {
                starts[r] = i as u32;
                r += 1;
            }
        }
        while r <= self.rows.len() {
            starts[r] = self.lines.len() as u32;
            r += 1;
        }
        starts
    }
}

/// Which side of the comparison.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Side {
    Bill,
    Expected,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_share_an_entry_with_the_row_before_only() {
        let mut p = People::default();
        let a = Person {
            id: Some("A1"),
            person_no: None,
            name: Some("张三"),
        };
        let b = Person {
            id: None,
            person_no: Some("900"),
            name: Some("李四"),
        };
        assert_eq!(p.push(a), 0);
        assert_eq!(p.push(a), 0);
        assert_eq!(p.push(b), 1);
        assert_eq!(p.push(a), 2);
        assert_eq!(p.get(1), b);
        assert_eq!(p.get(2), a);
        assert_eq!(p.get(9), Person::default());
    }

    #[test]
    fn a_line_is_small() {
        assert!(std::mem::size_of::<Line>() <= 16);
    }

    #[test]
    fn reindexing_keeps_each_lines_insurance() {
        let mut side = Lines::default();
        let m = side.insurance_index("medical").unwrap();
        let p = side.insurance_index("pension").unwrap();
        for (i, ins) in [m, p, m].into_iter().enumerate() {
            side.lines.push(Line {
                amount: i as i64,
                row: 0,
                insurance: ins,
                part: Part::Employer,
                kind: Kind::Regular,
            });
        }
        side.reindex(&["injury", "medical", "pension"]);
        let names: Vec<&str> = side.lines.iter().map(|l| side.insurance(l)).collect();
        assert_eq!(names, ["medical", "pension", "medical"]);
    }
}
