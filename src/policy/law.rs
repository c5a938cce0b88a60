//! Region-wide terms that come from the law and the agencies rather than from a
//! contribution year's table: which month a leaver stops being charged, how late fees
//! (滞纳金) are counted, and the published average wages the floor, the ceiling and an
//! average-wage back-pay derive from. Every term is optional, so that a region without them
//! still loads; the rules say so when a run needs a missing one.
//!
//! Written as tables appended to a city's `[[region]]` (`docs/policy.md`):
//! `[region.stop_month]`, `[region.late_fee]`, `[region.base_limits]` and
//! `[[region.average_wage]]`.

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::schema::{FigureDoc, ProvenanceRef};
use super::{Figure, Rounding};
use crate::calendar::{Date, Month};

/// `[region.stop_month]`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct StopMonthDoc {
    pub provenance: Option<Spanned<ProvenanceRef>>,
    /// The first month not charged, counted from the leaving month: 1 = the month after
    /// (the leaving month is charged), 0 = the leaving month itself.
    pub months_after_leaving: Option<Spanned<FigureDoc<u32>>>,
}

/// `[region.late_fee]`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LateFeeDoc {
    pub provenance: Option<Spanned<ProvenanceRef>>,
    /// A fraction per day (0.0005 = 万分之五).
    pub daily_rate: Option<Spanned<FigureDoc<Decimal>>>,
    /// The day of the month after the contribution month from which the fee counts.
    pub from_day_of_next_month: Option<Spanned<FigureDoc<u32>>>,
    pub rounding: Option<Spanned<FigureDoc<Rounding>>>,
}

/// `[region.base_limits]`: how the floor and ceiling derive from the average wage.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct BaseLimitsDoc {
    pub provenance: Option<Spanned<ProvenanceRef>>,
    pub floor_share: Option<Spanned<FigureDoc<Decimal>>>,
    pub ceiling_share: Option<Spanned<FigureDoc<Decimal>>>,
    /// Yuan either way, for the publishers' rounding of the limits.
    pub tolerance: Option<Spanned<FigureDoc<Decimal>>>,
}

/// `[[region.average_wage]]`: one year's published monthly average wage.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AverageWageDoc {
    pub year: Option<Spanned<u32>>,
    pub monthly: Option<Spanned<FigureDoc<Decimal>>>,
    pub provenance: Option<Spanned<ProvenanceRef>>,
}

/// The late-fee terms of a region.
#[derive(Clone, PartialEq, Debug)]
pub struct LateFee {
    pub daily_rate: Figure<Decimal>,
    pub from_day: Figure<u32>,
    pub rounding: Figure<Rounding>,
}

impl LateFee {
    /// The first day a contribution for `month` is late.
    pub fn first_late_day(&self, month: Month) -> Date {
        let next = month.plus(1);
        let last = crate::calendar::days_in_month(next.year(), next.month());
        Date::new(
            next.year(),
            next.month(),
            self.from_day.value.clamp(1, last),
        )
        .unwrap_or_else(|| next.first_day())
    }

    /// Days late when paid on `paid`: from the first late day up to the day before
    /// payment, both counted (the fee stops the day the back-pay is raised).
    pub fn days(&self, month: Month, paid: Date) -> i64 {
        self.first_late_day(month).days_until(paid).max(0)
    }

    /// `round(principal × daily rate × days)`.
    pub fn fee(&self, principal: Decimal, days: i64) -> Decimal {
        self.rounding
            .value
            .apply(principal * self.daily_rate.value * Decimal::from(days))
    }
}

/// The floor and ceiling as shares of the average wage, and the tolerance of the check.
#[derive(Clone, PartialEq, Debug)]
pub struct BaseLimits {
    pub floor_share: Figure<Decimal>,
    pub ceiling_share: Figure<Decimal>,
    pub tolerance: Figure<Decimal>,
}

#[derive(Clone, PartialEq, Debug)]
pub struct AverageWage {
    pub year: i32,
    pub monthly: Figure<Decimal>,
}

/// A region's law terms; each may be absent.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Law {
    pub stop_month: Option<Figure<u32>>,
    pub late_fee: Option<LateFee>,
    pub base_limits: Option<BaseLimits>,
    /// Sorted by year, one per year.
    pub average_wages: Vec<AverageWage>,
}

impl Law {
    /// The published monthly average wage of `year`.
    pub fn average_wage(&self, year: i32) -> Option<&AverageWage> {
        self.average_wages.iter().find(|w| w.year == year)
    }
}

/// The average wage a period's limits derive from: the year before the period starts
/// (上年度), which is also what an average-wage back-pay in that period uses.
pub fn reference_year(period_from: Month) -> i32 {
    period_from.year() - 1
}

/// A floor or ceiling that is not its share of the average wage within the tolerance.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    pub limit: &'static str,
    pub value: Decimal,
    pub expected: Decimal,
    pub year: i32,
    pub wage: Decimal,
    pub tolerance: Decimal,
}

/// Checks a period's pension floor and ceiling against the reference year's wage.
pub fn check_limits(law: &Law, from: Month, floor: Decimal, ceiling: Decimal) -> Vec<Mismatch> {
    let (Some(limits), Some(wage)) = (&law.base_limits, law.average_wage(reference_year(from)))
    else {
        return Vec::new();
    };
    let w = wage.monthly.value;
    let tol = limits.tolerance.value;
    let mut out = Vec::new();
    for (limit, value, share) in [
        ("floor", floor, limits.floor_share.value),
        ("ceiling", ceiling, limits.ceiling_share.value),
    ] {
        let mut expected = (w * share).round_dp(2);
        expected.rescale(2);
        if (value - expected).abs() > tol {
            out.push(Mismatch {
                limit,
                value,
                expected,
                year: wage.year,
                wage: w,
                tolerance: tol,
            });
        }
    }
    out
}

/// The law terms a run in the period starting `from` relies on, as (name, value,
/// provenance), for P001.
pub fn figures(law: &Law, from: Month) -> Vec<(&'static str, String, &super::Provenance)> {
    let mut out = Vec::new();
    if let Some(f) = &law.stop_month {
        out.push(("stop_month", f.value.to_string(), &*f.provenance));
    }
    if let Some(l) = &law.late_fee {
        out.push((
            "late_fee.daily_rate",
            l.daily_rate.value.to_string(),
            &*l.daily_rate.provenance,
        ));
        out.push((
            "late_fee.from_day_of_next_month",
            l.from_day.value.to_string(),
            &*l.from_day.provenance,
        ));
        out.push((
            "late_fee.rounding",
            l.rounding.value.id().to_string(),
            &*l.rounding.provenance,
        ));
    }
    if let Some(b) = &law.base_limits {
        out.push((
            "base_limits.floor_share",
            b.floor_share.value.to_string(),
            &*b.floor_share.provenance,
        ));
        out.push((
            "base_limits.ceiling_share",
            b.ceiling_share.value.to_string(),
            &*b.ceiling_share.provenance,
        ));
    }
    if let Some(w) = law.average_wage(reference_year(from)) {
        out.push((
            "average_wage",
            w.monthly.value.to_string(),
            &*w.monthly.provenance,
        ));
    }
    out
}

/// The law terms of `headcount policy confirm`: each table with a figure that is not
/// confirmed, restated whole (a partial table is refused) under the `checked` record.
pub fn confirm_template(law: &Law, from: Month, c: &super::Confirmation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let open = |p: &super::Provenance| !c.confirms(p);
    if let Some(f) = law.stop_month.as_ref().filter(|f| open(&f.provenance)) {
        let _ = writeln!(
            out,
            "\n[region.stop_month]\nprovenance = \"checked\"\nmonths_after_leaving = {}",
            f.value
        );
    }
    if let Some(l) = &law.late_fee {
        if open(&l.daily_rate.provenance)
            || open(&l.from_day.provenance)
            || open(&l.rounding.provenance)
        {
            let _ = writeln!(
                out,
                "\n[region.late_fee]\nprovenance = \"checked\"\ndaily_rate = \"{}\"\nfrom_day_of_next_month = {}\nrounding = \"{}\"",
                l.daily_rate.value,
                l.from_day.value,
                l.rounding.value.id()
            );
        }
    }
    if let Some(b) = &law.base_limits {
        if open(&b.floor_share.provenance)
            || open(&b.ceiling_share.provenance)
            || open(&b.tolerance.provenance)
        {
            let _ = writeln!(
                out,
                "\n[region.base_limits]\nprovenance = \"checked\"\nfloor_share = \"{}\"\nceiling_share = \"{}\"\ntolerance = \"{}\"",
                b.floor_share.value, b.ceiling_share.value, b.tolerance.value
            );
        }
    }
    if let Some(w) = law
        .average_wage(reference_year(from))
        .filter(|w| open(&w.monthly.provenance))
    {
        let _ = writeln!(
            out,
            "\n[[region.average_wage]]\nyear = {}\nmonthly = \"{}\"\nprovenance = \"checked\"",
            w.year, w.monthly.value
        );
    }
    out
}

/// The law terms as `headcount policy` lists them, for the period starting `from`.
pub fn describe(law: &Law, from: Month) -> String {
    use std::fmt::Write;
    let mut out = String::from("\nlaw terms (region-wide):\n");
    let src = |p: &super::Provenance| format!("[{}] {}", p.confidence.id(), p.source);
    match &law.stop_month {
        Some(f) => {
            let _ = writeln!(
                out,
                "  stop month: the leaving month + {} ({}; replaces leaving_month_charged above)\n    {}",
                f.value,
                if f.value == 0 {
                    "the leaving month is not charged"
                } else {
                    "the leaving month is charged"
                },
                src(&f.provenance)
            );
        }
        None => {
            out.push_str("  stop month: no region reading (leaving_month_charged above applies)\n")
        }
    }
    match &law.late_fee {
        Some(l) => {
            let _ = writeln!(
                out,
                "  late fee: {} a day from day {} of the month after each back-pay month, {}\n    {}\n    {}",
                l.daily_rate.value,
                l.from_day.value,
                l.rounding.value.id(),
                src(&l.daily_rate.provenance),
                src(&l.from_day.provenance)
            );
        }
        None => out.push_str("  late fee: none (back-pay months carry no late fee; P007)\n"),
    }
    if let Some(b) = &law.base_limits {
        let _ = writeln!(
            out,
            "  base limits: floor {} and ceiling {} × the previous year's average wage, ± {} yuan (P006)\n    {}",
            b.floor_share.value,
            b.ceiling_share.value,
            b.tolerance.value,
            src(&b.floor_share.provenance)
        );
    }
    let year = reference_year(from);
    match law.average_wage(year) {
        Some(w) => {
            let _ = writeln!(
                out,
                "  average wage {year} (this period's 上年度): {} a month\n    {}",
                w.monthly.value,
                src(&w.monthly.provenance)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  average wage {year} (this period's 上年度): not in the policy"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    #[test]
    fn days_count_from_the_first_of_the_next_month_to_the_day_before_payment() {
        let set = PolicySet::embedded().unwrap();
        let fee = set
            .region("beijing")
            .unwrap()
            .law()
            .late_fee
            .clone()
            .unwrap();
        // August is late from 09-01; paid 10-15: 30 days of September + 14 of October.
        assert_eq!(
            fee.first_late_day(m("2026-08")),
            Date::new(2026, 9, 1).unwrap()
        );
        assert_eq!(fee.days(m("2026-08"), Date::new(2026, 10, 15).unwrap()), 44);
        assert_eq!(fee.days(m("2026-08"), Date::new(2026, 9, 1).unwrap()), 0);
        assert_eq!(fee.days(m("2026-08"), Date::new(2026, 8, 20).unwrap()), 0);
        // 1,000.00 × 0.0005 × 30 = 15.00 (the domain notes' example).
        assert_eq!(fee.fee(d("1000.00"), 30), d("15.00"));
        // 2,685.70 × 0.0005 × 44 = 59.0854 → 59.09
        assert_eq!(fee.fee(d("2685.70"), 44).to_string(), "59.09");
    }

    #[test]
    fn embedded_limits_match_their_average_wages_where_published_so() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        // 2025-07: 60% × 11937 = 7162.2 → 7162; 300% × 11937 = 35811.
        assert!(check_limits(bj.law(), m("2025-07"), d("7162"), d("35811")).is_empty());
        // A floor 2 yuan off is reported with the expected value.
        let off = check_limits(bj.law(), m("2025-07"), d("7160"), d("35811"));
        assert_eq!(off.len(), 1);
        assert_eq!((off[0].limit, off[0].expected), ("floor", d("7162.20")));
    }

    #[test]
    fn described_for_the_policy_command() {
        let set = PolicySet::embedded().unwrap();
        let text = describe(set.region("beijing").unwrap().law(), m("2025-07"));
        assert!(text.contains("the leaving month + 1"), "{text}");
        assert!(text.contains("0.0005 a day from day 1"), "{text}");
        assert!(
            text.contains("average wage 2024 (this period's 上年度): 11937"),
            "{text}"
        );
        assert!(text.contains("shbaixing.cn"), "{text}");
    }

    #[test]
    fn a_user_file_with_bad_law_terms_is_refused_with_the_keys() {
        let text = r#"
[[region]]
name = "beijing"
[region.stop_month]
months_after_leaving = { value = 2, provenance = { source = "x", confidence = "unverified", verified_on = 2026-12-01 } }
[region.late_fee]
daily_rate = { value = "0.0005", provenance = { source = "x", confidence = "unverified", verified_on = 2026-12-01 } }
[[region.average_wage]]
monthly = "100"
"#;
        let err = PolicySet::embedded()
            .unwrap()
            .layer_str(text, "user.toml")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("months_after_leaving"), "{err}");
        assert!(err.contains("late_fee"), "{err}");
        assert!(err.contains("average_wage"), "{err}");
    }

    #[test]
    fn a_user_file_replaces_a_year_s_wage() {
        let text = r#"
[[region]]
name = "beijing"
[[region.average_wage]]
year = 2024
monthly = "11940"
provenance = { source = "our reading", confidence = "confirmed", verified_on = 2026-12-01 }
"#;
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(text, "u.toml")
            .unwrap();
        let law = set.region("beijing").unwrap().law();
        assert_eq!(law.average_wage(2024).unwrap().monthly.value, d("11940"));
        assert_eq!(law.average_wages.len(), 3);
    }
}
