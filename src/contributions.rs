//! Contribution arithmetic for one person and one month.
//!
//! For each insurance `i` and party `p`:
//! `base_i = min(max(declared, floor_i), ceiling_i)` and
//! `amount = round_p,i(base_i × rate_p,i + fixed_p,i)`; totals are sums of the rounded
//! amounts, never rounded again. Which months are charged is the pipeline's business.
//!
//! This runs once per person-month (a million times a run): it allocates only the item
//! vector, and no strings.

pub mod charge;

use crate::policy::{InsuranceId, Period};
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
    let zero = Decimal::new(0, 2);
    let insurances = period.insurances();
    let mut items = Vec::with_capacity(insurances.len());
    let mut employer_total = zero;
    let mut employee_total = zero;
    let mut pension_base = None;
    for ins in insurances {
        let base = clamp(declared_base, ins.floor.value, ins.ceiling.value);
        let employer_rate = match injury_rate {
            Some(own) if ins.id == InsuranceId::INJURY => own,
            _ => ins.employer.rate.value,
        };
        let employer = ins.employer.amount(base, employer_rate);
        let employee = match &ins.employee {
            Some(p) => p.amount(base, p.rate.value),
            None => zero,
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

    #[test]
    fn shanghai_ceil_jiao() {
        // 2025-03 (period 2024-07), base 5000 → floor 7384. Pension, medical and
        // unemployment round 见分进角 (up to the jiao); injury half-up to the fen.
        // pension       7384 × 16%   = 1181.44 → 1181.50     × 8% = 590.72 → 590.80
        // medical       7384 × 10%   =  738.40 →  738.40     × 2% = 147.68 → 147.70
        // unemployment  7384 × 0.5%  =   36.92 →   37.00     (both)
        // injury        7384 × 0.16% =   11.8144 → 11.81
        // employer 1181.50 + 738.40 + 37.00 + 11.81 = 1968.71
        // employee  590.80 + 147.70 + 37.00         =  775.50
        let (items, base, er, ee) = amounts("shanghai", "2025-03", "5000");
        assert_eq!(base, "7384");
        assert_eq!(
            items,
            vec![
                row("pension", "1181.50", "590.80"),
                row("medical", "738.40", "147.70"),
                row("unemployment", "37.00", "37.00"),
                row("injury", "11.81", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("1968.71", "775.50"));
    }

    #[test]
    fn shanghai_2025_over_ceiling() {
        // 2025-07, base 50000 → ceiling 37302.
        // pension  37302 × 16% = 5968.32 → 5968.40     × 8% = 2984.16 → 2984.20
        // medical  37302 × 10% = 3730.20 → 3730.20     × 2% =  746.04 →  746.10
        // unemployment 37302 × 0.5% = 186.51 → 186.60 (both)
        // injury   37302 × 0.16% = 59.6832 → 59.68
        // employer 5968.40 + 3730.20 + 186.60 + 59.68 = 9944.88
        // employee 2984.20 + 746.10 + 186.60          = 3916.90
        let (items, base, er, ee) = amounts("shanghai", "2025-07", "50000");
        assert_eq!(base, "37302");
        assert_eq!(items[0], row("pension", "5968.40", "2984.20"));
        assert_eq!(items[1], row("medical", "3730.20", "746.10"));
        assert_eq!(items[2], row("unemployment", "186.60", "186.60"));
        assert_eq!(items[3], row("injury", "59.68", "0.00"));
        assert_eq!((er.as_str(), ee.as_str()), ("9944.88", "3916.90"));
    }

    #[test]
    fn shenzhen_per_insurance_floors() {
        // 2025-01, base 3000: pension and medical floor 4492; unemployment and injury
        // floor 2360 (minimum wage), so 3000 is inside for them.
        // pension       4492 × 16%   = 718.72        × 8%   = 359.36
        // medical       4492 × 5%    = 224.60        × 2%   =  89.84
        // unemployment  3000 × 0.7%  =  21.00        × 0.3% =   9.00
        // injury        3000 × 0.14% =   4.20
        // employer 718.72 + 224.60 + 21.00 + 4.20 = 968.52
        // employee 359.36 + 89.84 + 9.00          = 458.20
        let (items, base, er, ee) = amounts("shenzhen", "2025-01", "3000");
        assert_eq!(base, "4492");
        assert_eq!(
            items,
            vec![
                row("pension", "718.72", "359.36"),
                row("medical", "224.60", "89.84"),
                row("unemployment", "21.00", "9.00"),
                row("injury", "4.20", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("968.52", "458.20"));
    }

    #[test]
    fn shenzhen_over_ceiling() {
        // 2025-09, base 30000 → ceiling 27501 for every insurance.
        // pension 27501 × 16% = 4400.16, × 8% = 2200.08
        // medical 27501 × 5% = 1375.05, × 2% = 550.02
        // unemployment 27501 × 0.7% = 192.507 → 192.51, × 0.3% = 82.503 → 82.50
        // injury 27501 × 0.14% = 38.5014 → 38.50
        // employer 4400.16 + 1375.05 + 192.51 + 38.50 = 6006.22
        // employee 2200.08 + 550.02 + 82.50 = 2832.60
        let (items, _, er, ee) = amounts("shenzhen", "2025-09", "30000");
        assert_eq!(items[2], row("unemployment", "192.51", "82.50"));
        assert_eq!((er.as_str(), ee.as_str()), ("6006.22", "2832.60"));
    }

    #[test]
    fn guangzhou_golden() {
        // 2024-10, base 5000: pension/unemployment/injury floor 4492 (inside), medical
        // floor 5284 (under).
        // pension       5000 × 16%   = 800.00       × 8%   = 400.00
        // medical       5284 × 7%    = 369.88       × 2%   = 105.68
        // unemployment  5000 × 0.64% =  32.00       × 0.2% =  10.00
        // injury        5000 × 0.2%  =  10.00
        // employer 800.00 + 369.88 + 32.00 + 10.00 = 1211.88
        // employee 400.00 + 105.68 + 10.00         =  515.68
        let (items, base, er, ee) = amounts("guangzhou", "2024-10", "5000");
        assert_eq!(base, "5000");
        assert_eq!(
            items,
            vec![
                row("pension", "800.00", "400.00"),
                row("medical", "369.88", "105.68"),
                row("unemployment", "32.00", "10.00"),
                row("injury", "10.00", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("1211.88", "515.68"));
        // Over the ceiling: pension 27501 × 16% = 4400.16; medical 26421 × 7% = 1849.47.
        let (items, base, _, _) = amounts("guangzhou", "2026-02", "99999");
        assert_eq!(base, "27501");
        assert_eq!(items[0].1, "4400.16");
        assert_eq!(items[1].1, "1849.47");
    }

    #[test]
    fn hangzhou_golden() {
        // 2025-03 (calendar-year period 2025), base 4000 → floor 4812.
        // pension       4812 × 16%  = 769.92       × 8%   = 384.96
        // medical       4812 × 9.5% = 457.14       × 2%   =  96.24
        // unemployment  4812 × 0.5% =  24.06       × 0.5% =  24.06
        // injury        4812 × 0.2% =   9.624 → 9.62
        // employer 769.92 + 457.14 + 24.06 + 9.62 = 1260.74
        // employee 384.96 + 96.24 + 24.06         =  505.26
        let (items, base, er, ee) = amounts("hangzhou", "2025-03", "4000");
        assert_eq!(base, "4812");
        assert_eq!(
            items,
            vec![
                row("pension", "769.92", "384.96"),
                row("medical", "457.14", "96.24"),
                row("unemployment", "24.06", "24.06"),
                row("injury", "9.62", "0.00"),
            ]
        );
        assert_eq!((er.as_str(), ee.as_str()), ("1260.74", "505.26"));
        // Inside: 12345.67 × 16% = 1975.3072 → 1975.31; over: 30000 → 24930 × 8% = 1994.40.
        let (items, _, _, _) = amounts("hangzhou", "2024-09", "12345.67");
        assert_eq!(items[0].1, "1975.31");
        let (items, base, _, _) = amounts("hangzhou", "2024-09", "30000");
        assert_eq!((base.as_str(), items[0].2.as_str()), ("24930", "1994.40"));
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
            let set = embedded();
            let r = set.regions().nth(region).unwrap();
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
