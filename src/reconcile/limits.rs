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
}

impl Limits {
    /// The insurance's base for pension base `b`, when the limits tell it.
    pub fn derive(&self, b: Decimal) -> Option<Decimal> {
        let clamp = |d: Decimal| crate::contributions::clamp(d, self.floor, self.ceiling);
        let (low, high) = (b <= self.pension_floor, b >= self.pension_ceiling);
        match (low, high) {
            (false, false) => Some(clamp(b)),
            // Declared at or below the pension floor.
            (true, false) if self.floor >= self.pension_floor => Some(clamp(self.floor)),
            // Declared at or above the pension ceiling.
            (false, true) if self.ceiling <= self.pension_ceiling => Some(clamp(self.ceiling)),
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
            Limits {
                floor: x.floor.value,
                ceiling: x.ceiling.value,
                pension_floor: p.floor.value,
                pension_ceiling: p.ceiling.value,
            },
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
        Limits {
            floor: d(f),
            ceiling: d(c),
            pension_floor: d("4492"),
            pension_ceiling: d("27501"),
        }
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
