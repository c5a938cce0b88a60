//! Every cell of the bill and of the expected side ends matched or in exactly one
//! difference class, with both values and the likely cause.
//!
//! Order of the passes: same person, insurance, part, kind and month (base, then amount
//! compared); a bill cell without a month against the same person's cells of any month;
//! the same cell in another month (month differs); what is left is billed-not-expected,
//! unexpected back-pay or refund, or expected-not-billed.

use rust_decimal::Decimal;

use super::amount;
use super::matching::{Cell, CellKey, PersonCells};
use super::model::{Kind, Lines, Part};
use crate::calendar::Month;
use crate::finding::Rule;
pub use crate::rules::reconcile::{C001, C002, C003, C004, C005, C006, C013, CLASSES, RULES};

/// One side of a difference.
#[derive(Clone, Debug)]
pub struct Side {
    pub month: Option<Month>,
    pub kind: Kind,
    pub base: Option<Decimal>,
    pub amount: Decimal,
    /// Line indexes of the side.
    pub lines: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct Difference {
    pub rule: &'static Rule,
    pub person: u32,
    pub insurance: &'static str,
    pub part: Part,
    pub billed: Option<Side>,
    pub expected: Option<Side>,
}

impl Difference {
    /// Billed minus expected.
    pub fn difference(&self) -> Decimal {
        self.billed.as_ref().map_or(Decimal::ZERO, |s| s.amount)
            - self.expected.as_ref().map_or(Decimal::ZERO, |s| s.amount)
    }
}

/// What became of each line (two bytes: there are millions).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Matched,
    /// The class, an index into `CLASSES`.
    Differs(u8),
    /// An expected line of an insurance and part no bill covers.
    NotCovered,
}

impl Status {
    fn of(rule: &Rule) -> Status {
        Status::Differs(
            CLASSES
                .iter()
                .position(|r| r.code == rule.code)
                .unwrap_or(0) as u8,
        )
    }

    /// The difference class, if any.
    pub fn rule(self) -> Option<&'static Rule> {
        match self {
            Status::Differs(i) => CLASSES.get(i as usize).copied(),
            _ => None,
        }
    }
}

pub struct Outcome {
    pub differences: Vec<Difference>,
    pub bill_status: Vec<Status>,
    pub expected_status: Vec<Status>,
}

/// The rounding unit allowed for one insurance (an index into the shared numbering), part
/// and month, in 10⁻⁸ yuan (zero when unknown).
pub type Tolerance<'a> = dyn Fn(u8, Part, Option<Month>) -> i64 + 'a;

/// The (insurance, part) pairs some bill covers, by the shared insurance numbering: a bit
/// per pair, looked up once per expected cell.
#[derive(Clone, Debug, Default)]
pub struct Covered(Vec<bool>);

impl Covered {
    pub fn new(pairs: impl IntoIterator<Item = (&'static str, Part)>, table: &[&str]) -> Self {
        let mut c = Covered(vec![false; table.len() * 2]);
        for (ins, part) in pairs {
            if let Some(i) = table.iter().position(|t| *t == ins) {
                c.0[i * 2 + part as usize] = true;
            }
        }
        c
    }

    pub fn contains(&self, ins: u8, part: Part) -> bool {
        self.0
            .get(ins as usize * 2 + part as usize)
            .copied()
            .unwrap_or(false)
    }
}

/// Classifies both sides person by person: each side's rows are ordered by person number
/// (`bill_people`, `expected_people`: the number of each person entry, from
/// `matching::resolve`), and one person's cells at a time are compared. Memory beyond
/// the two sides is a line's status and the differences.
pub fn classify(
    bill: &Lines,
    bill_people: &[u32],
    expected: &Lines,
    expected_people: &[u32],
    covered: &Covered,
    tolerance: &Tolerance<'_>,
) -> Outcome {
    let mut out = Outcome {
        differences: Vec::new(),
        bill_status: vec![Status::Matched; bill.len()],
        expected_status: vec![Status::Matched; expected.len()],
    };
    let order = |side: &Lines, people: &[u32]| -> Vec<(u32, u32)> {
        let mut o: Vec<(u32, u32)> = side
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (people[r.person as usize], i as u32))
            .collect();
        o.sort_unstable();
        o
    };
    let (bo, eo) = (order(bill, bill_people), order(expected, expected_people));
    let (bs, es) = (bill.row_starts(), expected.row_starts());
    let (mut bc, mut ec) = (PersonCells::default(), PersonCells::default());
    let (mut brows, mut erows) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < bo.len() || j < eo.len() {
        let p = match (bo.get(i), eo.get(j)) {
            (Some(b), Some(e)) => b.0.min(e.0),
            (Some(b), None) => b.0,
            (None, Some(e)) => e.0,
            (None, None) => break,
        };
        brows.clear();
        erows.clear();
        while let Some(&(q, r)) = bo.get(i).filter(|x| x.0 == p) {
            let _ = q;
            brows.push(r);
            i += 1;
        }
        while let Some(&(_, r)) = eo.get(j).filter(|x| x.0 == p) {
            erows.push(r);
            j += 1;
        }
        bc.fill(bill, &brows, &bs, p);
        ec.fill(expected, &erows, &es, p);
        let known = !erows.is_empty();
        let ctx = Context {
            insurances: &bill.insurances,
            covered,
            tolerance,
        };
        classify_person(&bc, &ec, known, &ctx, &mut out);
    }
    out
}

fn side(k: &CellKey, c: &Cell, lines: &[u32]) -> Side {
    Side {
        month: k.month,
        kind: k.kind,
        base: c.base,
        amount: amount::to_decimal(c.amount),
        lines: lines[c.lines.start as usize..c.lines.end as usize].to_vec(),
    }
}

/// What one person's comparison needs of the whole: both sides' insurance names (shared
/// numbering), what the bills cover, and the tolerance.
pub struct Context<'a> {
    pub insurances: &'a [&'static str],
    pub covered: &'a Covered,
    pub tolerance: &'a Tolerance<'a>,
}

fn push(
    out: &mut Outcome,
    ctx: &Context<'_>,
    (rule, k): (&'static Rule, &CellKey),
    b: Option<Side>,
    e: Option<Side>,
) {
    let st = Status::of(rule);
    for s in b.iter() {
        for &i in &s.lines {
            out.bill_status[i as usize] = st;
        }
    }
    for s in e.iter() {
        for &i in &s.lines {
            out.expected_status[i as usize] = st;
        }
    }
    out.differences.push(Difference {
        rule,
        person: k.person,
        insurance: ctx
            .insurances
            .get(k.insurance as usize)
            .copied()
            .unwrap_or(""),
        part: k.part,
        billed: b,
        expected: e,
    });
}

/// Compares one person's cells. `known`: the person has expected lines (covered or not).
/// Order of the passes: same person, insurance, part, kind and month (base, then amount
/// compared); a bill cell without a month against the same person's cells of any month;
/// the same cell in another month (month differs); what is left is billed-not-expected,
/// unexpected back-pay or refund, or expected-not-billed.
pub fn classify_person(
    bill: &PersonCells,
    expected: &PersonCells,
    known: bool,
    ctx: &Context<'_>,
    out: &mut Outcome,
) {
    let ecells = &expected.cells;
    // Expected cells taken by a bill cell, or not compared.
    let mut taken = vec![false; ecells.len()];
    // Expected cells no bill covers are not compared.
    for (t, (k, c)) in taken.iter_mut().zip(ecells) {
        if !ctx.covered.contains(k.insurance, k.part) {
            *t = true;
            for &i in &expected.lines[c.lines.start as usize..c.lines.end as usize] {
                out.expected_status[i as usize] = Status::NotCovered;
            }
        }
    }
    // Bases first; then amounts, equal within less than one rounding step.
    let compare = |k: &CellKey, b: &Cell, e_base: Option<Decimal>, e_amount: i128, e_month| {
        if let (Some(x), Some(y)) = (b.base, e_base) {
            if x != y {
                return Some(&C003);
            }
        }
        let tol = (ctx.tolerance)(k.insurance, k.part, k.month.or(e_month));
        let diff = (b.amount - e_amount).abs();
        // Within rounding: less than one rounding step apart; nothing else is forgiven.
        (diff > 0 && diff >= i128::from(tol)).then_some(&C004)
    };
    let same = |k: &CellKey, e: &CellKey| {
        e.insurance == k.insurance && e.part == k.part && e.kind == k.kind
    };

    // 1. Same cell on both sides.
    let mut left = Vec::new();
    for (k, c) in &bill.cells {
        match ecells.binary_search_by(|(e, _)| e.cmp(k)) {
            Ok(at) if !taken[at] => {
                taken[at] = true;
                let (ek, ec) = &ecells[at];
                if let Some(rule) = compare(k, c, ec.base, ec.amount, ek.month) {
                    let (b, e) = (side(k, c, &bill.lines), side(k, ec, &expected.lines));
                    push(out, ctx, (rule, k), Some(b), Some(e));
                }
            }
            _ => left.push((k, c)),
        }
    }

    // 2. A bill cell without a month against the same person's cells of every month.
    let mut left2 = Vec::new();
    for (k, c) in left {
        if k.month.is_some() {
            left2.push((k, c));
            continue;
        }
        let all: Vec<usize> = (0..ecells.len())
            .filter(|&i| !taken[i] && same(k, &ecells[i].0))
            .collect();
        let Some(&first) = all.first() else {
            left2.push((k, c));
            continue;
        };
        let month = ecells[first].0.month;
        let mut sum = 0i128;
        for &i in &all {
            taken[i] = true;
            sum += ecells[i].1.amount;
        }
        if let Some(rule) = compare(k, c, None, sum, month) {
            let mut lines = Vec::new();
            for &i in &all {
                let r = &ecells[i].1.lines;
                lines.extend_from_slice(&expected.lines[r.start as usize..r.end as usize]);
            }
            let e = Side {
                month,
                kind: k.kind,
                base: None,
                amount: amount::to_decimal(sum),
                lines,
            };
            push(out, ctx, (rule, k), Some(side(k, c, &bill.lines)), Some(e));
        }
    }

    // 3. The same cell in another month.
    let mut left3 = Vec::new();
    for (k, c) in left2 {
        let other = (0..ecells.len())
            .find(|&i| !taken[i] && same(k, &ecells[i].0) && ecells[i].0.month != k.month);
        match other {
            Some(i) => {
                taken[i] = true;
                let (ek, ec) = &ecells[i];
                push(
                    out,
                    ctx,
                    (&C006, k),
                    Some(side(k, c, &bill.lines)),
                    Some(side(ek, ec, &expected.lines)),
                );
            }
            None => left3.push((k, c)),
        }
    }

    // 4. Billed, nothing expected: a back-pay or refund of a known person, else 漏减.
    for (k, c) in left3 {
        let rule = if known && k.kind != Kind::Regular {
            &C005
        } else {
            &C001
        };
        push(out, ctx, (rule, k), Some(side(k, c, &bill.lines)), None);
    }
    // 5. Expected, not billed: 漏增.
    for (i, (k, c)) in ecells.iter().enumerate() {
        if !taken[i] {
            push(
                out,
                ctx,
                (&C002, k),
                None,
                Some(side(k, c, &expected.lines)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn key(person: u32, month: Option<Month>, kind: Kind) -> CellKey {
        CellKey {
            person,
            insurance: 0,
            part: Part::Employer,
            kind,
            month,
        }
    }

    fn cell(amount: &str, line: u32) -> (Cell, u32) {
        let c = Cell {
            amount: amount::from_decimal(amount.parse().unwrap())
                .unwrap()
                .into(),
            base: None,
            lines: 0..0,
        };
        (c, line)
    }

    fn person(mut cells: Vec<(CellKey, (Cell, u32))>) -> PersonCells {
        cells.sort_by_key(|c| c.0);
        let mut p = PersonCells::default();
        for (k, (mut c, line)) in cells {
            let at = p.lines.len() as u32;
            p.lines.push(line);
            c.lines = at..at + 1;
            p.cells.push((k, c));
        }
        p
    }

    fn codes(
        bill: Vec<(CellKey, (Cell, u32))>,
        expected: Vec<(CellKey, (Cell, u32))>,
        unit: &str,
    ) -> Vec<&'static str> {
        let covered = Covered::new([("pension", Part::Employer)], &["pension"]);
        let unit = amount::unit_ceil(unit.parse().unwrap());
        let mut out = Outcome {
            differences: Vec::new(),
            bill_status: vec![Status::Matched; 8],
            expected_status: vec![Status::Matched; 8],
        };
        // One person at a time, as `classify` does.
        let people: BTreeSet<u32> = bill.iter().chain(&expected).map(|c| c.0.person).collect();
        for p in people {
            let b = person(bill.iter().filter(|c| c.0.person == p).cloned().collect());
            let e = person(
                expected
                    .iter()
                    .filter(|c| c.0.person == p)
                    .cloned()
                    .collect(),
            );
            let known = !e.cells.is_empty();
            let ctx = Context {
                insurances: &["pension"],
                covered: &covered,
                tolerance: &|_, _, _| unit,
            };
            classify_person(&b, &e, known, &ctx, &mut out);
        }
        let mut d = out.differences;
        // The report's order: by class, then person.
        d.sort_by_key(|d| (d.rule.code, d.person));
        d.iter().map(|d| d.rule.code).collect()
    }

    #[test]
    fn less_than_one_rounding_step_is_equal_and_nothing_else_is_forgiven() {
        let m = Month::new(2025, 8);
        let k = key(0, m, Kind::Regular);
        // Jiao rounding: 0.05 apart is rounding; 0.10 is a difference.
        assert!(codes(
            vec![(k, cell("100.05", 0))],
            vec![(k, cell("100.00", 0))],
            "0.1"
        )
        .is_empty());
        assert_eq!(
            codes(
                vec![(k, cell("100.10", 0))],
                vec![(k, cell("100.00", 0))],
                "0.1"
            ),
            ["C004"]
        );
        // Fen rounding: one fen is a difference; with no policy, any difference is.
        assert_eq!(
            codes(
                vec![(k, cell("100.01", 0))],
                vec![(k, cell("100.00", 0))],
                "0.01"
            ),
            ["C004"]
        );
        assert_eq!(
            codes(
                vec![(k, cell("100.001", 0))],
                vec![(k, cell("100.00", 0))],
                "0"
            ),
            ["C004"]
        );
    }

    #[test]
    fn month_less_back_pay_compares_with_the_sum_of_the_months() {
        let b = key(0, None, Kind::Backpay);
        let e6 = key(0, Month::new(2025, 6), Kind::Backpay);
        let e7 = key(0, Month::new(2025, 7), Kind::Backpay);
        let got = codes(
            vec![(b, cell("300.00", 0))],
            vec![(e6, cell("100.00", 0)), (e7, cell("200.00", 1))],
            "0.01",
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn leftovers_are_month_back_pay_billed_or_expected() {
        let aug = Month::new(2025, 8);
        let sep = Month::new(2025, 9);
        let got = codes(
            vec![
                (key(0, sep, Kind::Regular), cell("1.00", 0)),
                (key(0, Month::new(2025, 5), Kind::Backpay), cell("2.00", 1)),
                (key(7, aug, Kind::Regular), cell("3.00", 2)),
            ],
            vec![
                (key(0, aug, Kind::Regular), cell("1.00", 0)),
                (key(1, aug, Kind::Regular), cell("4.00", 1)),
            ],
            "0.01",
        );
        assert_eq!(got, ["C001", "C002", "C005", "C006"]);
    }
}
