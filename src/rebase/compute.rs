//! Each roster member's new base for the contribution year, from their wage lines, and what
//! it changes: the monthly cost per insurance and party, and the top-up (补差) of months
//! already declared at the old base.
//!
//! - Hired before the wage year (last calendar year): the average of the months with pay
//!   in that year (a month without a line, or with no pay, is not a month worked).
//! - Hired during the wage year: the same average, which then covers the months worked.
//! - Hired this year before the start month: the first full month's wage (the hire month
//!   when hired on the 1st, else the next month; without a hire date, the roster's first
//!   contribution month).
//! - Enrolled from the start month on: the base declared at enrollment, already under the
//!   new figures.
//! - A yearly average given in the wage file is taken as it is.
//! - No usable wage (B001): the old base within the new limits.
//!
//! The base is then clamped to the new pension floor and ceiling (B002/B003), as the
//! submission declares bases; contributions clamp per insurance.

use rust_decimal::Decimal;

use super::rules::{B001, B002, B003, B004, B005, B009, B012, B014, B015};
use super::settings::Settings;
use super::wages::{PersonWages, Wages};
use super::Noted;
use crate::calendar::{Date, Month};
use crate::contributions::{self, MonthAmounts};
use crate::finding::{At, Finding};
use crate::model::RosterStatus;
use crate::policy::{Period, Region};
use crate::rows::key::PersonKey;
use crate::rows::roster::Roster;

/// How a new base was found (the `basis` column of the comparison).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The average of the months with pay in the wage year.
    Average,
    /// A yearly average from the wage file.
    GivenAverage,
    /// The first full month's wage of someone hired this year.
    FirstFullMonth(Month),
    /// Enrolled from the start month on: the base declared then.
    DeclaredAtEnrollment,
    /// No usable wage: the old base (B001).
    OldBase,
    /// Left: no new base (B005).
    Left,
}

impl Basis {
    pub fn id(self) -> &'static str {
        match self {
            Basis::Average => "average",
            Basis::GivenAverage => "given_average",
            Basis::FirstFullMonth(_) => "first_full_month",
            Basis::DeclaredAtEnrollment => "declared_at_enrollment",
            Basis::OldBase => "old_base",
            Basis::Left => "left",
        }
    }
}

/// The contribution year being declared.
#[derive(Copy, Clone, Debug)]
pub struct Year {
    pub year: i32,
    /// The region's first month of the contribution year (policy).
    pub start: Month,
    /// Months from `start` to the month before this were declared at the old base.
    pub applied_from: Option<Month>,
}

impl Year {
    /// The calendar year whose wages set the base.
    pub fn wage_year(&self) -> i32 {
        self.year - 1
    }
}

/// One roster member's result.
#[derive(Clone, Debug)]
pub struct Person {
    /// Position in the roster.
    pub entry: usize,
    pub basis: Basis,
    /// The average (or first month's) wage before clamping.
    pub wage: Option<Decimal>,
    /// Months the average covers (1 for a first full month).
    pub months: u32,
    pub old_base: Option<Decimal>,
    pub new_base: Option<Decimal>,
    /// The roster's first contribution month.
    pub enrolled: Option<Month>,
}

/// Amounts are computed when written, not kept: a million members' amounts would be the
/// largest thing in memory, and computing them again is cheap.
impl Person {
    /// Under the figures before the start month, at the old base.
    pub fn old_amounts(&self, f: &Figures<'_>) -> Option<MonthAmounts> {
        self.new_base?;
        self.old_base
            .map(|b| contributions::compute(f.old, b, f.injury_rate))
    }

    /// Under the new year's figures, at the new base.
    pub fn new_amounts(&self, f: &Figures<'_>) -> Option<MonthAmounts> {
        self.new_base
            .map(|b| contributions::compute(f.new, b, f.injury_rate))
    }

    /// `(month, new − old)` for the months declared at the old base, where it differs.
    pub fn top_ups(&self, f: &Figures<'_>, year: &Year) -> Vec<(Month, MonthAmounts)> {
        match (year.applied_from, self.old_base, self.new_base) {
            (Some(until), Some(old_base), Some(new_base)) => {
                top_ups(f, year.start, until, self.enrolled, old_base, new_base)
            }
            _ => Vec::new(),
        }
    }
}

/// What happened to every wage line, for the summary.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct LineUse {
    /// Used for a base.
    pub used: u64,
    /// Of a person not on the roster (B009).
    pub not_on_roster: u64,
    /// Of a person who left (B005).
    pub of_leavers: u64,
    /// Outside the months the rule reads (another year; months after the first full one).
    pub outside: u64,
    /// Monthly lines of a person whose average is given (B012).
    pub superseded: u64,
    /// Under a member's former number when their current number has lines too (B015).
    pub under_former_id: u64,
}

pub struct Computed {
    pub persons: Vec<Person>,
    pub findings: Vec<Noted>,
    pub lines: LineUse,
}

pub struct Figures<'a> {
    pub region: &'a Region,
    /// In force the month before the start month (what the old base was charged under).
    pub old: &'a Period,
    /// In force from the start month.
    pub new: &'a Period,
    pub injury_rate: Option<Decimal>,
}

pub fn compute(
    roster: &Roster,
    wages: &Wages,
    year: &Year,
    figures: &Figures<'_>,
    settings: &Settings,
) -> Computed {
    let mut out = Computed {
        persons: Vec::with_capacity(roster.len()),
        findings: Vec::new(),
        lines: LineUse::default(),
    };
    let mut seen = vec![false; wages.persons.len()];
    for (entry, e) in roster.entries.iter().enumerate() {
        let at = At {
            file: 0,
            sheet: e.sheet,
            row: e.row,
            column: None,
        };
        let note = |f: Finding| Noted::new(f, &e.name, &e.id);
        let current = PersonKey::of(&e.id).and_then(|k| wages.get(&k));
        // A member whose number an information change corrected may be paid under the
        // old one in last year's payroll (roster column 原证件号码).
        // A former number that is another member's current one is theirs, not this one's.
        let former = roster.former_id(entry).and_then(|f| {
            f.split('、')
                .filter_map(|n| {
                    let key = PersonKey::of(n.trim())?;
                    if roster.position(&key).is_some() {
                        return None;
                    }
                    Some((n.trim(), wages.get(&key)?))
                })
                .find(|(_, i)| Some(*i) != current)
        });
        let w = match (current, former) {
            (Some(i), Some((number, j))) => {
                seen[j] = true;
                let n = wages.persons[j].line_count();
                out.lines.under_former_id += n;
                out.findings.push(note(
                    Finding::new(&B015, at)
                        .arg("former", number)
                        .arg("lines", n),
                ));
                Some(i)
            }
            (Some(i), None) => Some(i),
            (None, Some((number, j))) => {
                out.findings
                    .push(note(Finding::new(&B014, at).arg("former", number)));
                Some(j)
            }
            (None, None) => None,
        }
        .map(|i| {
            seen[i] = true;
            &wages.persons[i]
        });
        if e.status == RosterStatus::Stopped {
            let n = w.map_or(0, PersonWages::line_count);
            out.lines.of_leavers += n;
            out.findings.push(note(
                Finding::new(&B005, at)
                    .arg(
                        "stop",
                        e.stop_month.map_or(String::new(), |m| m.to_string()),
                    )
                    .arg(
                        "lines_zh",
                        if n > 0 {
                            format!("，其 {n} 行工资未计入")
                        } else {
                            String::new()
                        },
                    )
                    .arg(
                        "lines_en",
                        if n > 0 {
                            format!("; their {n} wage lines are not used")
                        } else {
                            String::new()
                        },
                    ),
            ));
            out.persons.push(Person {
                entry,
                basis: Basis::Left,
                wage: None,
                months: 0,
                old_base: e.base,
                new_base: None,
                enrolled: e.start_month,
            });
            continue;
        }
        let (basis, wage, months, used) = base_from_wages(e.start_month, w, year, settings);
        if let Some(w) = w {
            let superseded = if w.average.is_some() {
                w.monthly_lines()
            } else {
                0
            };
            if let (Some(avg), true) = (&w.average, superseded > 0) {
                out.findings
                    .push(note(Finding::new(&B012, avg.at).arg("lines", superseded)));
            }
            out.lines.used += used;
            out.lines.superseded += superseded;
            out.lines.outside += w.line_count() - superseded - used;
        }
        let (floor, ceiling) = (
            figures.new.floor("pension").unwrap_or(Decimal::ZERO),
            figures.new.ceiling("pension").unwrap_or(Decimal::MAX),
        );
        let (basis, raw) = match (basis, wage) {
            (Some(b), Some(v)) => (b, Some(v)),
            _ => {
                let enrolled_late = e.start_month.is_some_and(|m| m >= year.start);
                if enrolled_late {
                    (Basis::DeclaredAtEnrollment, e.base)
                } else {
                    (Basis::OldBase, None)
                }
            }
        };
        let new_base = match (basis, raw) {
            (Basis::OldBase, _) | (_, None) => {
                e.base.map(|b| contributions::clamp(b, floor, ceiling))
            }
            (_, Some(v)) => {
                if v < floor {
                    out.findings.push(note(
                        Finding::new(&B002, at)
                            .arg("wage", money(v))
                            .arg("year", year.year)
                            .arg("limit", money(floor)),
                    ));
                } else if v > ceiling {
                    out.findings.push(note(
                        Finding::new(&B003, at)
                            .arg("wage", money(v))
                            .arg("year", year.year)
                            .arg("limit", money(ceiling)),
                    ));
                }
                Some(contributions::clamp(v, floor, ceiling))
            }
        };
        if basis == Basis::OldBase {
            let (zh, en) = if e.start_month.is_some_and(|m| m.year() == year.year) {
                (
                    "今年入职，没有完整月份的工资",
                    "hired this year, no full month's wage",
                )
            } else if w.is_some() {
                ("上年度没有工资", "no wage in the wage year")
            } else {
                ("工资文件中没有该人员", "not in the wage file")
            };
            out.findings.push(note(
                Finding::new(&B001, at)
                    .arg("reason_zh", zh)
                    .arg("reason_en", en)
                    .arg("old", e.base.map_or(String::new(), money))
                    .arg("year", year.year)
                    .arg("new", new_base.map_or(String::new(), money)),
            ));
        }
        if let (Some(old), Some(new)) = (e.base, new_base) {
            if !old.is_zero() {
                let moved = ((new - old) / old).abs();
                if moved > settings.moved_share {
                    out.findings.push(note(
                        Finding::new(&B004, at)
                            .arg("new", money(new))
                            .arg("old", money(old))
                            .arg("pct", percent(moved))
                            .arg("threshold", percent(settings.moved_share)),
                    ));
                }
            }
        }
        out.persons.push(Person {
            entry,
            basis,
            wage: raw.filter(|_| basis != Basis::DeclaredAtEnrollment),
            months,
            old_base: e.base,
            new_base,
            enrolled: e.start_month,
        });
    }
    // People with wages and no roster line: one finding each, in wage-file order.
    for (i, w) in wages.persons.iter().enumerate() {
        if seen[i] {
            continue;
        }
        let n = w.line_count();
        out.lines.not_on_roster += n;
        out.findings.push(Noted::new(
            Finding::new(&B009, w.first_at).arg("lines", n),
            &w.name,
            &w.id,
        ));
    }
    out
}

/// `(basis, wage, months, lines used)` from the wage lines; `None` basis: no usable wage.
fn base_from_wages(
    start_month: Option<Month>,
    w: Option<&PersonWages>,
    year: &Year,
    settings: &Settings,
) -> (Option<Basis>, Option<Decimal>, u32, u64) {
    let Some(w) = w else {
        return (None, None, 0, 0);
    };
    if let Some(avg) = &w.average {
        return (Some(Basis::GivenAverage), Some(avg.amount), 0, 1);
    }
    let this_year = Month::new(year.year, 1).unwrap_or(year.start);
    let hired_this_year = start_month.is_some_and(|m| m >= this_year && m < year.start);
    if hired_this_year {
        let first_full = first_full_month(w.hire, start_month);
        let line = w
            .this_year
            .iter()
            .filter(|(m, _)| Some(*m) >= first_full)
            .min_by_key(|(m, _)| *m);
        return match line {
            Some((m, amount)) => (Some(Basis::FirstFullMonth(*m)), Some(*amount), 1, 1),
            None => (None, None, 0, 0),
        };
    }
    if start_month.is_some_and(|m| m >= year.start) || w.year_months == 0 {
        return (None, None, 0, 0);
    }
    let n = w.year_months;
    let avg = settings
        .average_rounding
        .apply(w.year_sum / Decimal::from(n));
    (Some(Basis::Average), Some(avg), n, u64::from(n))
}

/// The first full month of work: the hire month when hired on the 1st, else the next one;
/// without a hire date, the roster's first contribution month.
fn first_full_month(hire: Option<Date>, start_month: Option<Month>) -> Option<Month> {
    match hire {
        Some(d) if d.day() == 1 => Some(d.month_of()),
        Some(d) => Some(d.month_of().plus(1)),
        None => start_month,
    }
}

/// The top-up of each month from `start` to the month before `until` that the person was
/// enrolled in: what the new base costs under that month's figures, less the old base's.
fn top_ups(
    figures: &Figures<'_>,
    start: Month,
    until: Month,
    enrolled: Option<Month>,
    old_base: Decimal,
    new_base: Decimal,
) -> Vec<(Month, MonthAmounts)> {
    if until <= start {
        return Vec::new();
    }
    let mut out = Vec::new();
    for m in start.through(until.plus(-1)) {
        if enrolled.is_some_and(|e| e > m) {
            continue;
        }
        let Some(p) = figures.region.period(m) else {
            continue;
        };
        let d = difference(
            &contributions::compute(p, new_base, figures.injury_rate),
            &contributions::compute(p, old_base, figures.injury_rate),
        );
        if !(d.employer_total.is_zero() && d.employee_total.is_zero()) {
            out.push((m, d));
        }
    }
    out
}

/// `new − old`, insurance by insurance (an insurance only one side has counts as zero on
/// the other).
pub fn difference(new: &MonthAmounts, old: &MonthAmounts) -> MonthAmounts {
    let zero = Decimal::new(0, 2);
    let items: Vec<contributions::Item> = new
        .items
        .iter()
        .map(|n| {
            let (oe, ow) = old
                .item(n.insurance.as_str())
                .map_or((zero, zero), |o| (o.employer, o.employee));
            contributions::Item {
                insurance: n.insurance,
                base: n.base,
                employer: n.employer - oe,
                employee: n.employee - ow,
            }
        })
        .collect();
    MonthAmounts {
        base: new.base,
        employer_total: items.iter().map(|i| i.employer).sum::<Decimal>() + zero,
        employee_total: items.iter().map(|i| i.employee).sum::<Decimal>() + zero,
        items,
    }
}

fn money(d: Decimal) -> String {
    crate::output::cells::money(d)
}

/// `0.35` → `35`, `0.4166…` → `41.7`.
fn percent(share: Decimal) -> String {
    let p = (share * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    p.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    #[test]
    fn the_first_full_month_skips_a_partial_hire_month() {
        let d = |y, mo, day| Date::new(y, mo, day);
        assert_eq!(first_full_month(d(2026, 3, 1), None), Some(m("2026-03")));
        assert_eq!(
            first_full_month(d(2026, 3, 16), Some(m("2026-03"))),
            Some(m("2026-04"))
        );
        assert_eq!(
            first_full_month(None, Some(m("2026-03"))),
            Some(m("2026-03"))
        );
    }

    #[test]
    fn percent_is_one_decimal() {
        assert_eq!(percent(Decimal::new(35, 2)), "35");
        assert_eq!(percent(Decimal::new(41666, 5)), "41.7");
    }
}
