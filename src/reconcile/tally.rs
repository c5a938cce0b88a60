//! What the report needs of the lines, gathered one partition at a time: the differences
//! as the report shows them, the lines per class on each side, and the totals per insurance
//! and part. Once a partition is tallied its lines are dropped.

use super::amount;
use super::classify::{Outcome, Status, CLASSES};
use super::matching::MatchedBy;
use super::model::{Lines, Part};
use super::output::{self, Row, Total};
use crate::calendar::Month;

/// A person's place in the report: expected people by their first row on the expected
/// side, then people only on the bill by their first row there (as one pass over whole
/// sides numbers them).
pub const BILL_ONLY: u64 = 1 << 63;

/// The lines of one side by what became of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub lines: u64,
    pub matched: u64,
    pub not_covered: u64,
    /// By `CLASSES`.
    pub by_class: [u64; CLASSES.len()],
}

impl Counts {
    fn add(&mut self, status: &[Status]) {
        for s in status {
            self.lines += 1;
            match s {
                Status::Matched => self.matched += 1,
                Status::NotCovered => self.not_covered += 1,
                Status::Differs(i) => {
                    if let Some(n) = self.by_class.get_mut(*i as usize) {
                        *n += 1;
                    }
                }
            }
        }
    }
}

/// The report's order of differences: class, person, insurance, part, month.
type Order = (&'static str, u64, &'static str, Part, Option<Month>);

/// One partition of a side as tallied: its lines, and what classified them.
pub struct Partition<'a> {
    pub bill: &'a Lines,
    pub expected: &'a Lines,
    pub outcome: &'a Outcome,
    /// Which key matched each bill person entry.
    pub matched_by: &'a [MatchedBy],
    /// The report's place of each person number of `outcome` (`BILL_ONLY`).
    pub rank: &'a [u64],
}

#[derive(Default)]
pub struct Tally {
    rows: Vec<(Order, Row)>,
    pub bill: Counts,
    pub expected: Counts,
    /// Per insurance (the shared numbering) and part: billed and expected sums in 10⁻⁸
    /// yuan, and whether a covered line of each side was seen.
    sums: Vec<[(i128, i128, bool); 2]>,
    insurances: Vec<&'static str>,
}

impl Tally {
    /// A tally over the sides' shared insurance numbering.
    pub fn new(insurances: &[&'static str]) -> Tally {
        Tally {
            sums: vec![[(0, 0, false); 2]; insurances.len()],
            insurances: insurances.to_vec(),
            ..Tally::default()
        }
    }

    pub fn add(&mut self, p: &Partition<'_>, ctx: &output::RowContext<'_>) {
        self.bill.add(&p.outcome.bill_status);
        self.expected.add(&p.outcome.expected_status);
        for (side, status, bill) in [
            (p.bill, &p.outcome.bill_status, true),
            (p.expected, &p.outcome.expected_status, false),
        ] {
            for (l, s) in side.lines.iter().zip(status) {
                if *s == Status::NotCovered {
                    continue;
                }
                if let Some(e) = self
                    .sums
                    .get_mut(l.insurance as usize)
                    .and_then(|x| x.get_mut(l.part as usize))
                {
                    if bill {
                        e.0 += i128::from(l.amount);
                    } else {
                        e.1 += i128::from(l.amount);
                    }
                    e.2 = true;
                }
            }
        }
        for d in &p.outcome.differences {
            let month = d
                .billed
                .as_ref()
                .and_then(|s| s.month)
                .or_else(|| d.expected.as_ref().and_then(|s| s.month));
            let rank = p.rank.get(d.person as usize).copied().unwrap_or(u64::MAX);
            let order = (d.rule.code, rank, d.insurance, d.part, month);
            self.rows.push((order, output::row_of(ctx, p, d)));
        }
    }

    /// Adds another partition's tally (of the same numbering). Partitions may come in any
    /// order: a person's differences are all in one, and the report's order sorts them.
    pub fn merge(&mut self, other: Tally) {
        self.rows.extend(other.rows);
        for (a, b) in [
            (&mut self.bill, &other.bill),
            (&mut self.expected, &other.expected),
        ] {
            a.lines += b.lines;
            a.matched += b.matched;
            a.not_covered += b.not_covered;
            for (x, y) in a.by_class.iter_mut().zip(b.by_class) {
                *x += y;
            }
        }
        for (a, b) in self.sums.iter_mut().zip(other.sums) {
            for (x, y) in a.iter_mut().zip(b) {
                *x = (x.0 + y.0, x.1 + y.1, x.2 || y.2);
            }
        }
    }

    /// The differences in the report's order (a person's own in the order classified),
    /// the totals per insurance and part (then the total) and the counts.
    pub fn finish(mut self) -> (Vec<Row>, Vec<Total>, Counts, Counts) {
        self.rows.sort_by(|a, b| a.0.cmp(&b.0));
        let rows = self.rows.into_iter().map(|(_, r)| r).collect();
        let mut totals = Vec::new();
        let (mut b, mut e) = (0i128, 0i128);
        // The numbering is in name order: this is the order by insurance, then part.
        for (ins, parts) in self.insurances.iter().zip(&self.sums) {
            for (part, (x, y, seen)) in [Part::Employer, Part::Employee].into_iter().zip(parts) {
                if *seen {
                    b += x;
                    e += y;
                    totals.push(output::total(
                        ins,
                        part.id(),
                        amount::to_decimal(*x),
                        amount::to_decimal(*y),
                    ));
                }
            }
        }
        totals.push(output::total(
            "total",
            "",
            amount::to_decimal(b),
            amount::to_decimal(e),
        ));
        (rows, totals, self.bill, self.expected)
    }
}

/// The report's place of each person number: an expected person's first expected row,
/// else (people only on the bill, after them) the first bill row. `exp_keys` and
/// `bill_keys` are the numbers of each entry (`matching::resolve`), `*_ord` each entry's
/// first row.
pub fn ranks(exp_keys: &[u32], exp_ord: &[u64], bill_keys: &[u32], bill_ord: &[u64]) -> Vec<u64> {
    let known = exp_keys.iter().max().map_or(0, |k| k + 1);
    let all = bill_keys.iter().max().map_or(0, |k| k + 1).max(known);
    let mut rank = vec![u64::MAX; all as usize];
    for (k, o) in exp_keys.iter().zip(exp_ord) {
        let r = &mut rank[*k as usize];
        *r = (*r).min(*o);
    }
    for (k, o) in bill_keys.iter().zip(bill_ord) {
        if *k >= known {
            let r = &mut rank[*k as usize];
            *r = (*r).min(BILL_ONLY | *o);
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(ins: usize, part: Part, bill: i128, expected: i128, matched: u64) -> Tally {
        let mut t = Tally::new(&["medical", "pension"]);
        t.sums[ins][part as usize] = (bill, expected, true);
        t.bill.lines = matched;
        t.bill.matched = matched;
        t.expected.by_class[1] = 1;
        t
    }

    #[test]
    fn expected_people_by_their_first_expected_row_then_the_bills_own() {
        // Expected entries: keys 0, 1, 0 at rows 5, 9, 2 (key 0 first seen at 2);
        // bill entries: keys 1, 2, 3, 2 at rows 0, 4, 1, 3 (2 and 3 only on the bill).
        let rank = ranks(&[0, 1, 0], &[5, 9, 2], &[1, 2, 3, 2], &[0, 4, 1, 3]);
        assert_eq!(rank, [2, 9, BILL_ONLY | 3, BILL_ONLY | 1]);
    }

    #[test]
    fn partitions_add_up_to_the_whole_in_name_order() {
        let one = 100_000_000;
        let mut t = Tally::new(&["medical", "pension"]);
        t.merge(part(1, Part::Employer, 5 * one, 4 * one, 3));
        t.merge(part(0, Part::Employee, one, one, 2));
        t.merge(part(1, Part::Employer, one / 2, 0, 1));
        let (rows, totals, bill, expected) = t.finish();
        assert!(rows.is_empty());
        assert_eq!((bill.lines, bill.matched), (6, 6));
        assert_eq!(expected.by_class[1], 3);
        let shown: Vec<(String, String, String, String)> = totals
            .iter()
            .map(|t| {
                (
                    t.insurance.clone(),
                    t.part.clone(),
                    t.billed.to_string(),
                    t.difference.to_string(),
                )
            })
            .collect();
        let s = |a: &str, b: &str, c: &str, d: &str| {
            (a.to_string(), b.to_string(), c.to_string(), d.to_string())
        };
        assert_eq!(
            shown,
            [
                s("medical", "employee", "1.00", "0.00"),
                s("pension", "employer", "5.50", "1.50"),
                s("total", "", "6.50", "1.50"),
            ]
        );
    }
}
