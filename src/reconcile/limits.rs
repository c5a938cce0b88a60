//! Each insurance's base from the pension base, for a side (headcount's contributions.csv)
//! that gives only the pension's: where a city's floors and ceilings differ by insurance,
//! the pension base alone would show false base differences on the other insurances.
//!
//! A pension base strictly inside the pension's limits is the declared base, so another
//! insurance's is that base within its own limits. A pension base at a limit only says the
//! declared base was at or beyond it: the other insurance's base follows when its limit is
//! on the same side (a floor at or above the pension floor, a ceiling at or below the
//! pension ceiling), else it cannot be told and is not compared (the amount still is).

use rust_decimal::Decimal;

use super::amount;
use super::model::Lines;
use crate::calendar::Month;
use crate::policy::{InsuranceId, PolicySet};

/// One insurance's floor and ceiling, with the pension's, for one month.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub floor: Decimal,
    pub ceiling: Decimal,
    pub pension_floor: Decimal,
    pub pension_ceiling: Decimal,
    /// The four in fixed point (`amount`), when they fit: `derive` runs once per line,
    /// and comparing `Decimal`s there was 7 % of a reconciliation.
    fixed: Option<[i64; 4]>,
}

impl Limits {
    pub fn new(
        floor: Decimal,
        ceiling: Decimal,
        pension_floor: Decimal,
        pension_ceiling: Decimal,
    ) -> Limits {
        let all = [floor, ceiling, pension_floor, pension_ceiling].map(amount::from_decimal);
        let fixed = match all {
            [Some(a), Some(b), Some(c), Some(d)] => Some([a, b, c, d]),
            _ => None,
        };
        Limits {
            floor,
            ceiling,
            pension_floor,
            pension_ceiling,
            fixed,
        }
    }

    /// The insurance's base for pension base `b`, when the limits tell it.
    pub fn derive(&self, b: Decimal) -> Option<Decimal> {
        match (self.fixed, amount::from_decimal(b)) {
            (Some(f), Some(k)) => self.derive_by((k, b), f),
            _ => {
                let d = [
                    self.floor,
                    self.ceiling,
                    self.pension_floor,
                    self.pension_ceiling,
                ];
                self.derive_by((b, b), d)
            }
        }
    }

    /// `derive`, comparing by `keys` (fixed point, or the decimals themselves): the
    /// limits' keys are floor, ceiling, pension floor, pension ceiling.
    fn derive_by<K: Ord + Copy>(&self, b: (K, Decimal), keys: [K; 4]) -> Option<Decimal> {
        let [floor, ceiling, pension_floor, pension_ceiling] = keys;
        // `contributions::clamp`: `max` then `min`, each keeping the same side on a tie.
        let clamp = |x: (K, Decimal)| {
            let y = if x.0 > floor { x } else { (floor, self.floor) };
            if y.0 <= ceiling {
                y.1
            } else {
                self.ceiling
            }
        };
        let (low, high) = (b.0 <= pension_floor, b.0 >= pension_ceiling);
        match (low, high) {
            (false, false) => Some(clamp(b)),
            // Declared at or below the pension floor.
            (true, false) if floor >= pension_floor => Some(clamp((floor, self.floor))),
            // Declared at or above the pension ceiling.
            (false, true) if ceiling <= pension_ceiling => Some(clamp((ceiling, self.ceiling))),
            _ => None,
        }
    }
}

/// Fills `side.limits` for the months and insurances of its sheets whose base is the
/// pension's, from `region`'s periods in `policy`.
pub fn fill(side: &mut Lines, policy: &PolicySet, region: &str) {
    let Some(region) = policy.region(region) else {
        return;
    };
    let mut wanted: Vec<(Month, u8)> = Vec::new();
    for l in &side.lines {
        let sheet = side.row(l).sheet as usize;
        if side.sheet_limits.get(sheet).copied().unwrap_or(false) {
            if let Some(m) = side.month(l) {
                wanted.push((m, l.insurance));
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    for (m, i) in wanted {
        let Some(period) = region.period(m) else {
            continue;
        };
        let ins = side.insurances.get(i as usize).copied().unwrap_or("");
        let (Some(p), Some(x)) = (
            period.insurance(InsuranceId::PENSION.as_str()),
            period.insurance(ins),
        ) else {
            continue;
        };
        // `wanted` is sorted: so is `limits`.
        side.limits.push((
            (m, i),
            Limits::new(
                x.floor.value,
                x.ceiling.value,
                p.floor.value,
                p.ceiling.value,
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn limits(f: &str, c: &str) -> Limits {
        Limits::new(d(f), d(c), d("4492"), d("27501"))
    }

    #[test]
    fn fixed_point_and_decimal_comparisons_derive_the_same_base() {
        let bases = [
            "0", "4491.99", "4492", "4492.00", "5000", "6000.0", "20000", "27501", "27501.01",
            "99999",
        ];
        for (f, c) in [
            ("2360", "27501"),
            ("4492", "27501"),
            ("6000", "20000"),
            ("2360", "30000"),
        ] {
            let l = limits(f, c);
            let slow = Limits { fixed: None, ..l };
            for b in bases {
                let (x, y) = (l.derive(d(b)), slow.derive(d(b)));
                // The same value and the same scale: the same text wherever it is shown.
                assert_eq!(
                    x.map(|v| v.to_string()),
                    y.map(|v| v.to_string()),
                    "{f} {c} {b}"
                );
            }
        }
        // A base past the fixed point still derives, by decimals.
        let l = limits("2360", "27501");
        assert_eq!(l.derive(d("5000.000000001")), Some(d("5000.000000001")));
    }

    #[test]
    fn inside_the_pension_limits_the_base_is_the_declared_one() {
        assert_eq!(limits("2360", "27501").derive(d("8000")), Some(d("8000")));
        assert_eq!(limits("5000", "20000").derive(d("4800")), Some(d("5000")));
        assert_eq!(limits("5000", "20000").derive(d("25000")), Some(d("20000")));
    }

    #[test]
    fn at_a_pension_limit_only_a_limit_on_the_same_side_tells() {
        // Shenzhen's unemployment floor (the minimum wage) is below the pension floor: a
        // person at the pension floor declared anything from 0 to 4492.
        assert_eq!(limits("2360", "27501").derive(d("4492")), None);
        // A floor at or above the pension floor is the base of everyone below it.
        assert_eq!(limits("4492", "27501").derive(d("4492")), Some(d("4492")));
        assert_eq!(limits("6000", "27501").derive(d("4492")), Some(d("6000")));
        // At the pension ceiling: a lower ceiling is the base; a higher one cannot be told.
        assert_eq!(limits("2360", "20000").derive(d("27501")), Some(d("20000")));
        assert_eq!(limits("2360", "30000").derive(d("27501")), None);
    }
}
