//! Contribution arithmetic for one person and one month.
//!
//! For each insurance `i` and party `p`:
//! `base_i = min(max(declared, floor_i), ceiling_i)` and
//! `amount = round_p,i(base_i × rate_p,i + fixed_p,i)`; totals are sums of the rounded
//! amounts, never rounded again. Which months are charged is `ledger.rs`.
//!
//! This runs once per person-month (a million times a run): it allocates only the item
//! vector, and no strings.

pub mod charge;
pub mod ledger;

use crate::calendar::Month;
use crate::policy::{InsuranceId, Period, Region};
use rust_decimal::Decimal;

/// One insurance's amounts.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Item {
    pub insurance: InsuranceId,
    /// The base after floor and ceiling.
    pub base: Decimal,
    pub employer: Decimal,
    /// Zero (`0.00`) where employees pay nothing.
    pub employee: Decimal,
}

/// One person's contributions for one month.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MonthAmounts {
    /// The pension base used (after floor and ceiling): the `base` column of
    /// `contributions.csv`. Not rounded: format it with two decimals.
    pub base: Decimal,
    /// In the period's insurance order.
    pub items: Vec<Item>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
}

impl MonthAmounts {
    pub fn item(&self, insurance: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.insurance.as_str() == insurance)
    }
}

/// The declared base limited to `[floor, ceiling]`.
#[inline]
pub fn clamp(base: Decimal, floor: Decimal, ceiling: Decimal) -> Decimal {
    base.max(floor).min(ceiling)
}

/// Amounts for a declared base under `period`. `injury_rate` is the employer's own
/// work-injury rate (`Region::injury_rate`); `None` uses the period's default.
pub fn compute(
    period: &Period,
    declared_base: Decimal,
    injury_rate: Option<Decimal>,
) -> MonthAmounts {
    compute_tier(period, declared_base, injury_rate, None)
}

/// `compute` for a person who chose medical tier `medical_tier` (Shenzhen 二档): medical
/// is charged at that tier's rates when the period has it, else at its own (tier 1).
pub fn compute_tier(
    period: &Period,
    declared_base: Decimal,
    injury_rate: Option<Decimal>,
    medical_tier: Option<u8>,
) -> MonthAmounts {
    let zero = Decimal::new(0, 2);
    let insurances = period.insurances();
    let mut items = Vec::with_capacity(insurances.len());
    let mut employer_total = zero;
    let mut employee_total = zero;
    let mut pension_base = None;
    for ins in insurances {
        let base = clamp(declared_base, ins.floor.value, ins.ceiling.value);
        let tier = medical_tier
            .filter(|_| ins.id == InsuranceId::MEDICAL)
            .and_then(|n| ins.tier(n));
        let employer_rate = match (injury_rate, tier) {
            (Some(own), _) if ins.id == InsuranceId::INJURY => own,
            (_, Some(t)) => t.employer_rate.value,
            _ => ins.employer.rate.value,
        };
        let employer = ins.employer.amount(base, employer_rate);
        let employee = match (&ins.employee, tier) {
            (Some(p), Some(t)) => p.amount(base, t.employee_rate.value),
            (Some(p), None) => p.amount(base, p.rate.value),
            (None, _) => zero,
        };
        if ins.id == InsuranceId::PENSION {
            pension_base = Some(base);
        }
        employer_total += employer;
        employee_total += employee;
        items.push(Item {
            insurance: ins.id,
            base,
            employer,
            employee,
        });
    }
    MonthAmounts {
        // Every valid period has pension; the fallback only guards a hand-built one.
        base: pension_base.unwrap_or(declared_base),
        items,
        employer_total,
        employee_total,
    }
}

/// The months a late-published period's top-up covers, and the figures involved.
pub struct TopUpMonths<'a> {
    /// The first month of the late-published period (as written, before any split).
    pub from: Month,
    /// The period in force before it: the figures those months were declared at.
    pub old: &'a Period,
    pub published: Month,
    /// From the period's start to the month before publication, each with the figures
    /// (piece of the period) in force then.
    pub months: Vec<(Month, &'a Period)>,
}

/// When `run_month` lies in a period published after it started (and at or after the
/// publication month), the months owed a top-up; `None` otherwise.
pub fn top_up_months(region: &Region, run_month: Month) -> Option<TopUpMonths<'_>> {
    let piece = region.periods().iter().find(|p| p.contains(run_month))?;
    let from = piece.split_from();
    let published = piece.published_raw().filter(|p| *p > from)?;
    if run_month < published {
        return None;
    }
    let old = region
        .periods()
        .iter()
        .find(|p| p.contains(from.plus(-1)))?;
    let months = from
        .through(published.plus(-1))
        .filter_map(|m| region.period(m).map(|p| (m, p)))
        .collect();
    Some(TopUpMonths {
        from,
        old,
        published,
        months,
    })
}

/// `new − old` for one person and month, insurance by insurance (an insurance only one
/// side has counts as zero on the other), each side rounded as its period says.
pub fn difference(
    new: &Period,
    old: &Period,
    declared_base: Decimal,
    injury_rate: Option<Decimal>,
) -> MonthAmounts {
    let n = compute(new, declared_base, injury_rate);
    let o = compute(old, declared_base, injury_rate);
    let zero = Decimal::new(0, 2);
    let items: Vec<Item> = n
        .items
        .iter()
        .map(|ni| {
            let (oe, ow) = o
                .item(ni.insurance.as_str())
                .map_or((zero, zero), |oi| (oi.employer, oi.employee));
            Item {
                insurance: ni.insurance,
                base: ni.base,
                employer: ni.employer - oe,
                employee: ni.employee - ow,
            }
        })
        .collect();
    MonthAmounts {
        base: n.base,
        employer_total: items.iter().map(|i| i.employer).sum::<Decimal>() + zero,
        employee_total: items.iter().map(|i| i.employee).sum::<Decimal>() + zero,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Month;
    use crate::policy::PolicySet;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn month(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn embedded() -> PolicySet {
        PolicySet::embedded().unwrap()
    }

    /// Parsed once for the property test, which runs hundreds of cases.
    fn shared() -> &'static PolicySet {
        static SET: std::sync::OnceLock<PolicySet> = std::sync::OnceLock::new();
        SET.get_or_init(embedded)
    }

    /// Shenzhen 2026-08 at a mid base of 12,345.67, medical tier 1 and tier 2. Rates typed
    /// from policy-sources-2026.csv (medical base 6,727 / 33,633; tier 1 6% / 2%, tier 2
    /// 1.5% / 0.5%); amounts worked by hand, half-up to the fen:
    /// 12,345.67 × 6% = 740.7402, × 2% = 246.9134, × 1.5% = 185.18505, × 0.5% = 61.72835.
    #[test]
    fn shenzhen_medical_tier_2_to_the_fen() {
        let set = embedded();
        let r = set.region("shenzhen").unwrap();
        let p = r.period(month("2026-08")).unwrap();
        let medical = |tier: Option<u8>| {
            let a = compute_tier(p, d("12345.67"), None, tier);
            let m = *a.item("medical").unwrap();
            (m.base, m.employer.to_string(), m.employee.to_string())
        };
        let one = (d("12345.67"), "740.74".to_string(), "246.91".to_string());
        assert_eq!(medical(None), one);
        assert_eq!(medical(Some(1)), one);
        assert_eq!(
            medical(Some(2)),
            (d("12345.67"), "185.19".to_string(), "61.73".to_string())
        );
        // A tier the period does not have is charged as tier 1 (docs/policy.md).
        assert_eq!(medical(Some(3)), one);
        // Other insurances do not change with the medical tier.
        let (a1, a2) = (
            compute_tier(p, d("12345.67"), None, Some(1)),
            compute_tier(p, d("12345.67"), None, Some(2)),
        );
        for ins in ["pension", "unemployment", "injury", "maternity"] {
            assert_eq!(a1.item(ins), a2.item(ins), "{ins}");
        }
        assert_eq!(a1.employer_total - a2.employer_total, d("555.55"));
        assert_eq!(a1.employee_total - a2.employee_total, d("185.18"));
        // Before 2026 no tier 2 is sourced: tier 1.
        let p25 = r.period(month("2025-08")).unwrap();
        assert_eq!(
            compute_tier(p25, d("12345.67"), None, Some(2)),
            compute(p25, d("12345.67"), None)
        );
    }

    /// `(insurance, employer, employee)` as strings, then the totals.
    fn amounts(
        region: &str,
        m: &str,
        base: &str,
    ) -> (Vec<(String, String, String)>, String, String, String) {
        let set = embedded();
        let r = set.region(region).unwrap();
        let p = r.period(month(m)).unwrap();
        let a = compute(p, d(base), r.injury_rate());
        let items = a
            .items
            .iter()
            .map(|i| {
                (
                    i.insurance.to_string(),
                    i.employer.to_string(),
                    i.employee.to_string(),
                )
            })
            .collect();
        (
            items,
            a.base.to_string(),
            a.employer_total.to_string(),
            a.employee_total.to_string(),
        )
    }

    fn row(i: &str, er: &str, ee: &str) -> (String, String, String) {
        (i.into(), er.into(), ee.into())
    }

    #[test]
    fn clamp_limits() {
        assert_eq!(clamp(d("5000"), d("7162"), d("35811")), d("7162"));
        assert_eq!(clamp(d("50000"), d("7162"), d("35811")), d("35811"));
        assert_eq!(clamp(d("12345.67"), d("7162"), d("35811")), d("12345.67"));
    }

    #[test]
    fn beijing_2025_under_floor() {
        // 2025-08, base 5000 → floor 7162 (all insurances).
        // pension       7162 × 16%  = 1145.92     7162 × 8%  = 572.96
        // medical       7162 × 9.8% =  701.876 → 701.88   7162 × 2% + 3 = 143.24 + 3 = 146.24
        // unemployment  7162 × 0.5% =   35.81      7162 × 0.5% = 35.81
        // injury        7162 × 0.2% =   14.324 → 14.32 (default rate), employee 0
        // employer 1145.92 + 701.88 + 35.81 + 14.32 = 1897.93
        // employee  572.96 + 146.24 + 35.81        =  755.01
        let (items, base, er, ee) = amounts("beijing", "2025-08", "5000");
        assert_eq!(base, "7162");
        assert_eq!(
            items,
            vec![
                row("pension", "1145.92", "572.96"),
                row("medical", "701.88", "146.24"),
                row("unemployment", "35.81", "35.81"),
                row("injury", "14.32", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("1897.93", "755.01"));
    }

    #[test]
    fn beijing_2024_over_ceiling() {
        // 2024-12, base 40000 → ceiling 35283.
        // pension       35283 × 16%  = 5645.28     × 8%  = 2822.64
        // medical       35283 × 9.8% = 3457.734 → 3457.73    35283 × 2% + 3 = 705.66 + 3 = 708.66
        // unemployment  35283 × 0.5% =  176.415 → 176.42 (half up), same for the employee
        // injury        35283 × 0.2% =   70.566 → 70.57
        // employer 5645.28 + 3457.73 + 176.42 + 70.57 = 9350.00
        // employee 2822.64 + 708.66 + 176.42           = 3707.72
        let (items, base, er, ee) = amounts("beijing", "2024-12", "40000");
        assert_eq!(base, "35283");
        assert_eq!(
            items,
            vec![
                row("pension", "5645.28", "2822.64"),
                row("medical", "3457.73", "708.66"),
                row("unemployment", "176.42", "176.42"),
                row("injury", "70.57", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("9350.00", "3707.72"));
    }

    #[test]
    fn beijing_inside_with_own_injury_rate() {
        // 2025-08, base 10000.55, employer's own injury rate 0.4%.
        // pension       10000.55 × 16%  = 1600.088  → 1600.09     × 8% = 800.044 → 800.04
        // medical       10000.55 × 9.8% =  980.0539 →  980.05     × 2% + 3 = 200.011 + 3 → 203.01
        // unemployment  10000.55 × 0.5% =   50.00275 →  50.00 (both)
        // injury        10000.55 × 0.4% =   40.0022  →  40.00
        // employer 1600.09 + 980.05 + 50.00 + 40.00 = 2670.14
        // employee  800.04 + 203.01 + 50.00         = 1053.05
        let set = embedded().set_injury_rate("beijing", d("0.004")).unwrap();
        let r = set.region("北京").unwrap();
        let a = compute(
            r.period(month("2025-08")).unwrap(),
            d("10000.55"),
            r.injury_rate(),
        );
        assert_eq!(a.item("injury").unwrap().employer.to_string(), "40.00");
        assert_eq!(a.item("medical").unwrap().employee.to_string(), "203.01");
        assert_eq!(a.employer_total.to_string(), "2670.14");
        assert_eq!(a.employee_total.to_string(), "1053.05");
    }

    // Every city's floor, mid and ceiling employee in its latest published month:
    // tests/policy_cities.rs, from figures typed from the sources.

    #[test]
    fn a_top_up_is_the_difference_for_the_months_before_publication() {
        let set = embedded();
        let bj = set.region("beijing").unwrap();
        assert!(
            top_up_months(bj, month("2026-07")).is_none(),
            "not yet published"
        );
        let t = top_up_months(bj, month("2026-08")).unwrap();
        assert_eq!(t.months.len(), 1);
        let (m, new) = t.months[0];
        assert_eq!(m, month("2026-07"));
        assert_eq!(
            (new.from(), t.old.from(), t.from),
            (month("2026-07"), month("2025-07"), month("2026-07"))
        );
        // Below both floors: the floor rose by 108 (7270 − 7162).
        let diff = difference(new, t.old, d("5000"), None);
        let pension = diff.item("pension").unwrap();
        assert_eq!(
            (pension.employer, pension.employee),
            (d("17.28"), d("8.64"))
        );
        // Between the floors and ceilings: nothing changes.
        let same = difference(new, t.old, d("20000"), None);
        assert!(same
            .items
            .iter()
            .all(|i| i.employer.is_zero() && i.employee.is_zero()));
        // Above both ceilings: 36348 − 35811 = 537.
        let top = difference(new, t.old, d("50000"), None);
        assert_eq!(top.item("pension").unwrap().employer, d("85.92"));
        // Any month of the period after publication still reports it.
        assert!(top_up_months(bj, month("2027-06")).is_some());
        assert!(
            top_up_months(bj, month("2027-07")).is_none(),
            "carried, not late"
        );
    }

    #[test]
    fn a_top_up_spans_the_pieces_of_a_changed_period() {
        // Next year's Beijing figures, published 2027-09, with a medical change from 2027-08.
        let text = r#"
[provenance.n]
source = "test notice"
confidence = "confirmed"
verified_on = 2027-09-20

[[region]]
name = "beijing"

[[region.period]]
from = "2027-07"
to = "2028-06"
published = "2027-09"
provenance = "n"
contribution_year_start = 7
leaving_month_charged = true
retro_limit_months = 12
floor = "7400"
ceiling = "37000"
rounding = "half-up-fen"
[region.period.pension]
employer_rate = "0.16"
employee_rate = "0.08"
[region.period.medical]
employer_rate = "0.098"
employee_rate = "0.02"
employee_fixed = "3.00"
[region.period.unemployment]
employer_rate = "0.005"
employee_rate = "0.005"
[region.period.injury]
employer_rate = "0.002"
employer_rate_min = "0.002"
employer_rate_max = "0.0285"
[[region.period.change]]
from = "2027-08"
provenance = "n"
[region.period.change.medical]
employer_rate = "0.09"
"#;
        let set = embedded().layer_str(text, "next.toml").unwrap();
        let bj = set.region("beijing").unwrap();
        let t = top_up_months(bj, month("2027-10")).unwrap();
        assert_eq!((t.from, t.old.from()), (month("2027-07"), month("2026-07")));
        let months: Vec<_> = t.months.iter().map(|(m, p)| (*m, p.from())).collect();
        assert_eq!(
            months,
            [
                (month("2027-07"), month("2027-07")),
                (month("2027-08"), month("2027-08"))
            ]
        );
        // 7400 × 9% − 7270 × 9.8% = 666.00 − 712.46 (a lower rate: a refund).
        let aug = difference(t.months[1].1, t.old, d("5000"), None);
        assert_eq!(aug.item("medical").unwrap().employer, d("-46.46"));
    }

    #[test]
    fn backpay_month_uses_its_own_period() {
        // The same base in 2025-06 and 2025-07 (Beijing): floors 6821 and 7162.
        let (_, b1, _, _) = amounts("beijing", "2025-06", "1");
        let (_, b2, _, _) = amounts("beijing", "2025-07", "1");
        assert_eq!((b1.as_str(), b2.as_str()), ("6821", "7162"));
    }

    proptest! {
        #[test]
        fn amounts_non_negative_and_totals_add_up(
            cents in 0i64..10_000_000,
            region in 0usize..5,
            offset in 0i32..30,
            own_rate in proptest::option::of(0u32..30),
        ) {
            let r = shared().regions().nth(region).unwrap();
            let m = Month::new(2024, 7).unwrap().plus(offset);
            let p = r.period(m).unwrap();
            let own = own_rate.map(|n| Decimal::new(n as i64, 4));
            let a = compute(p, Decimal::new(cents, 2), own);
            let mut er = Decimal::ZERO;
            let mut ee = Decimal::ZERO;
            for item in &a.items {
                prop_assert!(item.employer >= Decimal::ZERO && item.employee >= Decimal::ZERO);
                prop_assert_eq!(item.employer.scale(), 2);
                prop_assert_eq!(item.employee.scale(), 2);
                er += item.employer;
                ee += item.employee;
            }
            prop_assert_eq!(a.employer_total, er);
            prop_assert_eq!(a.employee_total, ee);
            prop_assert_eq!(a.items.len(), p.insurances().len());
        }

        #[test]
        fn clamp_is_idempotent_and_bounded(
            base in -1_000_000i64..100_000_000,
            lo in 0i64..5_000_000,
            span in 0i64..5_000_000,
        ) {
            let (floor, ceiling) = (Decimal::new(lo, 2), Decimal::new(lo + span, 2));
            let once = clamp(Decimal::new(base, 2), floor, ceiling);
            prop_assert!(floor <= once && once <= ceiling);
            prop_assert_eq!(clamp(once, floor, ceiling), once);
            if floor <= Decimal::new(base, 2) && Decimal::new(base, 2) <= ceiling {
                prop_assert_eq!(once, Decimal::new(base, 2));
            }
        }
    }
}
