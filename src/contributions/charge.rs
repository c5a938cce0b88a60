//! What one accepted addition is charged, month by month: which months (up to the stop
//! month of a reduction in the same batch), on which base (declared, or the average wage
//! for the back-pay of an interruption), for which insurances (参加险种), and the late fee
//! (滞纳金) of each back-pay month.
//!
//! Late fee of a back-pay month `m` paid on `as_of` (社会保险法 Art. 86):
//! `days = as_of − first late day of m` (the first late day is the policy's day of the
//! month after `m`; the day of payment is not counted) and
//! `fee = round(amount due for m × daily rate × days)`, where the amount due is the
//! month's employer and employee totals together: the employer owes the fee on both, since
//! the employer is the one who failed to declare and withhold.

use rust_decimal::Decimal;

use super::{compute_tier, MonthAmounts};
use crate::calendar::{Date, Month};
use crate::input::value::cover::Cover;
use crate::model::Reason;
use crate::policy::{law, PolicyError, PolicySet, Region};
use crate::rows::{ok, ChangeRow};

/// Where a line's base came from (the `basis` column of `contributions.csv`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The base the row declares (or the roster holds), within floor and ceiling.
    Declared,
    /// The previous year's average wage (补缴基数按当地上年度职工平均工资计算).
    AverageWage,
}

impl Basis {
    pub fn id(self) -> &'static str {
        match self {
            Basis::Declared => "declared",
            Basis::AverageWage => "average_wage",
        }
    }
}

/// An accepted addition, waiting for the end of the batch (a later row may reduce it).
#[derive(Clone, Debug, PartialEq)]
pub struct Addition {
    pub start: Month,
    pub base: Decimal,
    pub cover: Cover,
    /// Back-pay months are charged on the average wage (reason 补缴中断).
    pub average_wage_backpay: bool,
    /// The medical tier chosen (医疗保险档次); `None`: tier 1.
    pub medical_tier: Option<u8>,
}

impl Addition {
    /// An accepted addition row starting in `start` on `base`.
    pub fn of(row: &ChangeRow<'_>, start: Month, base: Decimal) -> Addition {
        Addition {
            start,
            base,
            cover: row.cover(),
            average_wage_backpay: ok(&row.reason) == Some(&Reason::Interrupted),
            medical_tier: ok(&row.medical_tier).and_then(|t| t.number()),
        }
    }
}

/// One month charged, with its late fee when it is back-pay and late.
#[derive(Clone, Debug, PartialEq)]
pub struct MonthCharge {
    pub month: Month,
    pub backpay: bool,
    pub basis: Basis,
    pub amounts: MonthAmounts,
    /// `(fee, days)`.
    pub late_fee: Option<(Decimal, i64)>,
}

/// The months `add` is charged in a run for `period` processed on `as_of`; `stop` is the
/// first month not charged (a reduction in the same batch).
pub fn months(
    policy: &PolicySet,
    region: &Region,
    add: &Addition,
    period: Month,
    as_of: Date,
    stop: Option<Month>,
) -> Result<Vec<MonthCharge>, PolicyError> {
    let last = match stop {
        Some(s) if s <= period => s.plus(-1),
        _ => period,
    };
    let mut out = Vec::new();
    if last < add.start {
        return Ok(out);
    }
    for month in add.start.through(last) {
        let p = policy.period_for(region.name(), month)?;
        let backpay = month < period;
        let wage = (backpay && add.average_wage_backpay)
            .then(|| region.law().average_wage(law::reference_year(p.from())))
            .flatten();
        let (base, basis) = match wage {
            Some(w) => (w.monthly.value, Basis::AverageWage),
            None => (add.base, Basis::Declared),
        };
        let amounts = restrict(
            compute_tier(p, base, region.injury_rate(), add.medical_tier),
            add.cover,
        );
        let late_fee = match (&region.law().late_fee, backpay) {
            (Some(terms), true) => {
                let days = terms.days(month, as_of);
                let due = amounts.employer_total + amounts.employee_total;
                (days > 0).then(|| (terms.fee(due, days), days))
            }
            _ => None,
        };
        out.push(MonthCharge {
            month,
            backpay,
            basis,
            amounts,
            late_fee,
        });
    }
    Ok(out)
}

/// Zero the insurances the person is not enrolled in, and total again.
pub fn restrict(mut a: MonthAmounts, cover: Cover) -> MonthAmounts {
    if cover == Cover::ALL {
        return a;
    }
    let zero = Decimal::new(0, 2);
    a.employer_total = zero;
    a.employee_total = zero;
    for item in &mut a.items {
        if !cover.contains(Cover::of_insurance(item.insurance.as_str())) {
            item.employer = zero;
            item.employee = zero;
        }
        a.employer_total += item.employer;
        a.employee_total += item.employee;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn add(start: &str, base: &str, cover: Cover, avg: bool) -> Addition {
        Addition {
            start: m(start),
            base: d(base),
            cover,
            average_wage_backpay: avg,
            medical_tier: None,
        }
    }

    #[test]
    fn a_stop_inside_the_period_ends_the_months() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        let as_of = Date::new(2025, 8, 20).unwrap();
        let a = add("2025-07", "10000", Cover::ALL, false);
        let all = months(&set, bj, &a, m("2025-08"), as_of, None).unwrap();
        assert_eq!(all.len(), 2);
        let cut = months(&set, bj, &a, m("2025-08"), as_of, Some(m("2025-08"))).unwrap();
        assert_eq!(cut.len(), 1);
        assert!(cut[0].backpay);
        let none = months(&set, bj, &a, m("2025-08"), as_of, Some(m("2025-07"))).unwrap();
        assert!(none.is_empty());
        // A stop after the period changes nothing this month.
        let later = months(&set, bj, &a, m("2025-08"), as_of, Some(m("2025-09"))).unwrap();
        assert_eq!(later.len(), 2);
    }

    #[test]
    fn injury_only_charges_injury_only() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        let as_of = Date::new(2025, 8, 20).unwrap();
        let a = add("2025-08", "10000", Cover::INJURY, false);
        let got = months(&set, bj, &a, m("2025-08"), as_of, None).unwrap();
        // 10000 × 0.2% = 20.00, nothing else.
        assert_eq!(got[0].amounts.employer_total, d("20.00"));
        assert_eq!(got[0].amounts.employee_total, d("0.00"));
    }
}
