//! A run's charging: the months each accepted addition is charged (up to a reduction later
//! in the batch), what roster members who stay are charged for the run's month, and the
//! top-ups owed after a late-published notice. It keeps what the policy findings read: the
//! months charged (P001, P004), the bases at the limits (P004) and the back-pay months (P007).
//! Writing the lines is the caller's: each charge is handed to it as it is made.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::charge::{self, Addition, MonthCharge};
use super::MonthAmounts;
use crate::calendar::{Date, Month};
use crate::model::RosterStatus;
use crate::policy::{Period, PolicyError, PolicySet, Region};
use crate::rows::roster::{Roster, RosterEntry};
use crate::rules::policy::{AtLimits, TopUp};

pub struct Ledger<'a> {
    policy: &'a PolicySet,
    region: Option<&'a Region>,
    period: Month,
    as_of: Date,
    /// Reductions of people this batch added, as (batch person, stop month).
    batch_stops: Vec<(u32, Month)>,
    months_charged: BTreeSet<Month>,
    backpay_months: usize,
    at_limits: AtLimits,
}

impl<'a> Ledger<'a> {
    pub fn new(
        policy: &'a PolicySet,
        region: Option<&'a Region>,
        period: Month,
        as_of: Date,
    ) -> Ledger<'a> {
        Ledger {
            policy,
            region,
            period,
            as_of,
            batch_stops: Vec::new(),
            months_charged: BTreeSet::from([period]),
            backpay_months: 0,
            at_limits: AtLimits::default(),
        }
    }

    /// The base to declare: clamped to the period's pension limits (A007/A008 say so).
    pub fn declared_base(&self, base: Decimal) -> Decimal {
        match self.region.and_then(|r| r.period(self.period)) {
            Some(p) => match (p.floor("pension"), p.ceiling("pension")) {
                (Some(f), Some(c)) => super::clamp(base, f, c),
                _ => base,
            },
            None => base,
        }
    }

    /// A reduction of someone this batch added: their charges stop at `stop`.
    pub fn stop_added(&mut self, person: u32, stop: Month) {
        self.batch_stops.push((person, stop));
    }

    /// Charges the additions, now that every reduction of the batch is known: each stops
    /// at the stop month of a later reduction of the same person. `pending` gives each
    /// addition's batch person, in input order; `charged(n, month)` gets every month of
    /// the `n`th, in order.
    pub fn additions<'p, E: From<PolicyError>>(
        &mut self,
        pending: impl IntoIterator<Item = (u32, &'p Addition)>,
        mut charged: impl FnMut(usize, &MonthCharge) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(region) = self.region else {
            return Ok(());
        };
        let mut stops = std::mem::take(&mut self.batch_stops);
        stops.reverse();
        stops.sort_by_key(|(p, _)| *p); // stable: the latest reduction of a person first
        stops.dedup_by_key(|(p, _)| *p);
        for (n, (person, addition)) in pending.into_iter().enumerate() {
            let stop = stops
                .binary_search_by_key(&person, |(q, _)| *q)
                .ok()
                .map(|i| stops[i].1);
            let months =
                charge::months(self.policy, region, addition, self.period, self.as_of, stop)?;
            for c in months {
                if c.month == self.period && region.carried(c.month).is_some() {
                    let period = self.policy.period_for(region.name(), c.month)?;
                    count_at_limits(&mut self.at_limits, period, addition.base);
                }
                charged(n, &c)?;
                if c.backpay {
                    self.backpay_months += 1;
                }
                self.months_charged.insert(c.month);
            }
        }
        Ok(())
    }

    /// Roster members who stay enrolled are charged for the period at their roster base
    /// (clamped to the period's limits: this is how a July base adjustment shows).
    /// `stopped(i)`: the `i`th roster entry stops by the period. `each(entry, stopped,
    /// amounts)` gets every active member; a member charged is one not stopped with amounts.
    pub fn continuing<E: From<PolicyError>>(
        &mut self,
        roster: &Roster,
        mut stopped: impl FnMut(usize) -> bool,
        mut each: impl FnMut(&RosterEntry, bool, Option<&MonthAmounts>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(region) = self.region else {
            return Ok(());
        };
        let period = self.policy.period_for(region.name(), self.period)?;
        for (at, e) in roster.entries.iter().enumerate() {
            if e.status != RosterStatus::Active || e.start_month.is_some_and(|m| m > self.period) {
                continue;
            }
            let stopped = stopped(at);
            let amounts = e.base.map(|base| {
                charge::restrict(
                    super::compute_tier(
                        period,
                        base,
                        region.injury_rate(),
                        e.medical_tier.and_then(|t| t.number()),
                    ),
                    e.cover(),
                )
            });
            each(e, stopped, amounts.as_ref())?;
            let (Some(base), Some(_)) = (e.base.filter(|_| !stopped), amounts) else {
                continue;
            };
            if region.carried(self.period).is_some() {
                count_at_limits(&mut self.at_limits, period, base);
            }
        }
        Ok(())
    }

    /// Every month charged so far (the run's month always), in order.
    pub fn months_charged(&self) -> Vec<Month> {
        self.months_charged.iter().copied().collect()
    }

    pub fn at_limits(&self) -> AtLimits {
        self.at_limits
    }

    /// Back-pay person-months charged, for P007.
    pub fn backpay_months(&self) -> usize {
        self.backpay_months
    }
}

/// One step of a member's top-up.
pub enum TopUpStep<'x> {
    /// The difference owed for one month (a `topup` line).
    Month(Month, &'x MonthAmounts),
    /// The member's total over the months owed (P005).
    Total(TopUp),
}

/// Top-ups (补差) after a late-published notice: when the run's month lies in a period
/// published after it started, roster members were declared at the previous period's
/// figures for the months from its start to the month before publication. Each member
/// whose amounts differ gets their months and then their total, through `step`.
pub fn top_ups<E>(
    region: &Region,
    run_month: Month,
    roster: &Roster,
    mut step: impl FnMut(&RosterEntry, TopUpStep<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let Some(owed) = super::top_up_months(region, run_month) else {
        return Ok(());
    };
    for e in &roster.entries {
        let Some(base) = e.base else { continue };
        // A stopped member without a stop month: when they stopped is unknown.
        if e.status != RosterStatus::Active && e.stop_month.is_none() {
            continue;
        }
        let mut employer = Decimal::new(0, 2);
        let mut employee = Decimal::new(0, 2);
        let (mut first, mut last) = (None, None);
        let enrolled = owed
            .months
            .iter()
            .filter(|(m, _)| e.start_month.is_none_or(|s| s <= *m))
            .filter(|(m, _)| e.stop_month.is_none_or(|s| s > *m));
        for &(m, new) in enrolled {
            let diff = super::difference(new, owed.old, base, region.injury_rate());
            if diff
                .items
                .iter()
                .all(|i| i.employer.is_zero() && i.employee.is_zero())
            {
                continue;
            }
            employer += diff.employer_total;
            employee += diff.employee_total;
            first = first.or(Some(m));
            last = Some(m);
            step(e, TopUpStep::Month(m, &diff))?;
        }
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        step(
            e,
            TopUpStep::Total(TopUp {
                region: region.name().to_string(),
                period_from: owed.from,
                published: owed.published,
                first,
                last,
                employer,
                employee,
            }),
        )?;
    }
    Ok(())
}

/// P004's count: a base at or below the pension floor, or at or above the ceiling.
fn count_at_limits(tally: &mut AtLimits, period: &Period, base: Decimal) {
    if period.floor("pension").is_some_and(|f| base <= f) {
        tally.at_floor += 1;
    } else if period.ceiling("pension").is_some_and(|c| base >= c) {
        tally.at_ceiling += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::value::cover::Cover;
    use std::str::FromStr;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn add(start: &str) -> Addition {
        Addition {
            start: m(start),
            base: Decimal::from_str("10000").unwrap(),
            cover: Cover::ALL,
            average_wage_backpay: false,
            medical_tier: None,
        }
    }

    fn charged(ledger: &mut Ledger<'_>, adds: &[(u32, Addition)]) -> Vec<(usize, Month)> {
        let mut out = Vec::new();
        ledger
            .additions(adds.iter().map(|(p, a)| (*p, a)), |n, c| {
                out.push((n, c.month));
                Ok::<(), PolicyError>(())
            })
            .unwrap();
        out
    }

    #[test]
    fn the_latest_reduction_of_a_person_stops_their_months() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing");
        let as_of = Date::new(2025, 8, 20).unwrap();
        let mut ledger = Ledger::new(&set, bj, m("2025-08"), as_of);
        // Person 1 is reduced twice: the later row (from August) decides.
        ledger.stop_added(1, m("2025-07"));
        ledger.stop_added(1, m("2025-08"));
        let got = charged(&mut ledger, &[(0, add("2025-07")), (1, add("2025-07"))]);
        assert_eq!(
            got,
            [(0, m("2025-07")), (0, m("2025-08")), (1, m("2025-07"))]
        );
        assert_eq!(ledger.months_charged(), [m("2025-07"), m("2025-08")]);
        assert_eq!(ledger.backpay_months(), 2);
    }

    #[test]
    fn without_a_region_nothing_is_charged_but_the_month_counts() {
        let set = PolicySet::embedded().unwrap();
        let as_of = Date::new(2025, 8, 20).unwrap();
        let mut ledger = Ledger::new(&set, None, m("2025-08"), as_of);
        assert!(charged(&mut ledger, &[(0, add("2025-07"))]).is_empty());
        assert_eq!(ledger.months_charged(), [m("2025-08")]);
    }
}
