//! The period model: a month range of one region with the figures in force, each
//! insurance with its parties and tiers. The one shape of a period, used by loading,
//! lookup and rendering.

use crate::calendar::Month;
use rust_decimal::Decimal;
use std::sync::Arc;

use super::{Confirmation, Figure, FigureRef, InsuranceId, Provenance, Rounding};

/// One party's share of one insurance: `round(base × rate + fixed)`.
#[derive(Clone, PartialEq, Debug)]
pub struct Party {
    pub rate: Figure<Decimal>,
    pub fixed: Option<Figure<Decimal>>,
    pub rounding: Figure<Rounding>,
}

impl Party {
    /// The rounded amount for a base already clamped to the floor and ceiling.
    #[inline]
    pub fn amount(&self, base: Decimal, rate: Decimal) -> Decimal {
        let raw = match &self.fixed {
            Some(fixed) => base * rate + fixed.value,
            None => base * rate,
        };
        self.rounding.value.apply(raw)
    }
}

/// The allowed range of an employer's own work-injury rate.
#[derive(Clone, PartialEq, Debug)]
pub struct RateRange {
    pub min: Figure<Decimal>,
    pub max: Figure<Decimal>,
}

/// One insurance in one period.
#[derive(Clone, PartialEq, Debug)]
pub struct Insurance {
    pub id: InsuranceId,
    pub floor: Figure<Decimal>,
    pub ceiling: Figure<Decimal>,
    /// For `injury`, `employer.rate` is the default used when the employer has not set
    /// its own rate.
    pub employer: Party,
    /// `None` where the employee pays nothing (work injury, maternity).
    pub employee: Option<Party>,
    /// Only for `injury`.
    pub injury_range: Option<RateRange>,
    /// Tiers a person may choose other than the default tier 1, whose rates are
    /// `employer`/`employee` above (Shenzhen medical 二档). By tier number, ascending.
    pub tiers: Vec<Tier>,
}

/// A tier's own rates; base, floor, ceiling and rounding are the insurance's.
#[derive(Clone, PartialEq, Debug)]
pub struct Tier {
    pub number: u8,
    pub employer_rate: Figure<Decimal>,
    pub employee_rate: Figure<Decimal>,
    /// Only for people without local hukou (A018 when a local one chooses it).
    pub nonlocal_only: bool,
}

impl Insurance {
    /// The tier `number` when this insurance has it (tier 1 is the insurance itself).
    pub fn tier(&self, number: u8) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.number == number)
    }
}

/// A month range of one region with the figures in force.
#[derive(Clone, PartialEq, Debug)]
pub struct Period {
    pub(crate) region: Arc<str>,
    pub(crate) from: Month,
    pub(crate) to: Option<Month>,
    /// The month the period's notice was published, when later than `from`: months from
    /// `from` to the month before were declared at the previous figures (top-up).
    pub(crate) published: Option<Month>,
    /// The `from` of the period as written: a piece split off by a mid-period change
    /// keeps its period's, so replacing the period replaces its pieces too.
    pub(crate) split_from: Month,
    pub(crate) contribution_year_start: Figure<u32>,
    pub(crate) leaving_month_charged: Figure<bool>,
    pub(crate) retro_limit_months: Figure<u32>,
    /// In output order (`InsuranceId`'s order).
    pub(crate) insurances: Vec<Insurance>,
    pub(crate) line: u32,
    pub(crate) layer: u32,
}

/// A figure of a period, for listings, rendering and P001.
#[derive(Clone, Debug)]
pub struct FigureView<'a> {
    /// `None` for period-wide figures.
    pub insurance: Option<InsuranceId>,
    pub name: &'static str,
    pub value: String,
    pub provenance: &'a Arc<Provenance>,
    pub line: u32,
}

impl Period {
    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn from(&self) -> Month {
        self.from
    }

    /// Last month covered; `None` = open-ended.
    pub fn to(&self) -> Option<Month> {
        self.to
    }

    pub fn contains(&self, m: Month) -> bool {
        self.from <= m && self.to.is_none_or(|to| m <= to)
    }

    /// The first month not charged for someone who leaves in `leaving_month`.
    pub fn stop_month_for(&self, leaving_month: Month) -> Month {
        if self.leaving_month_charged.value {
            leaving_month.plus(1)
        } else {
            leaving_month
        }
    }

    pub fn leaving_month_charged(&self) -> bool {
        self.leaving_month_charged.value
    }

    /// How many months back a back-payment may reach.
    pub fn retro_limit_months(&self) -> u32 {
        self.retro_limit_months.value
    }

    /// The calendar month (1–12) the contribution year starts in (7 = July–June).
    pub fn contribution_year_start_month(&self) -> u32 {
        self.contribution_year_start.value
    }

    /// The first month of the contribution year that contains `m`.
    pub fn contribution_year_start(&self, m: Month) -> Month {
        let start = self.contribution_year_start.value;
        let back = (m.month() + 12 - start) % 12;
        m.plus(-(back as i32))
    }

    pub fn insurances(&self) -> &[Insurance] {
        &self.insurances
    }

    pub fn insurance(&self, name: &str) -> Option<&Insurance> {
        self.insurances.iter().find(|i| i.id.as_str() == name)
    }

    pub fn floor(&self, insurance: &str) -> Option<Decimal> {
        self.insurance(insurance).map(|i| i.floor.value)
    }

    pub fn ceiling(&self, insurance: &str) -> Option<Decimal> {
        self.insurance(insurance).map(|i| i.ceiling.value)
    }

    /// The default work-injury rate and its allowed range.
    pub fn injury_default_rate(&self) -> Option<Decimal> {
        self.insurance("injury").map(|i| i.employer.rate.value)
    }

    pub fn injury_range(&self) -> Option<(Decimal, Decimal)> {
        self.insurance("injury")
            .and_then(|i| i.injury_range.as_ref())
            .map(|r| (r.min.value, r.max.value))
    }

    /// Every figure of the period with its provenance, period-wide figures first.
    pub fn figures(&self) -> Vec<FigureView<'_>> {
        let mut out = Vec::with_capacity(3 + self.insurances.len() * 10);
        let mut push = |insurance, name, value: String, prov, line| {
            out.push(FigureView {
                insurance,
                name,
                value,
                provenance: prov,
                line,
            })
        };
        let cy = &self.contribution_year_start;
        push(
            None,
            "contribution_year_start",
            cy.value.to_string(),
            &cy.provenance,
            cy.line,
        );
        let lm = &self.leaving_month_charged;
        push(
            None,
            "leaving_month_charged",
            lm.value.to_string(),
            &lm.provenance,
            lm.line,
        );
        let rl = &self.retro_limit_months;
        push(
            None,
            "retro_limit_months",
            rl.value.to_string(),
            &rl.provenance,
            rl.line,
        );
        for ins in &self.insurances {
            let id = Some(ins.id);
            let dec = |f: &Figure<Decimal>| f.value.to_string();
            push(
                id,
                "floor",
                dec(&ins.floor),
                &ins.floor.provenance,
                ins.floor.line,
            );
            push(
                id,
                "ceiling",
                dec(&ins.ceiling),
                &ins.ceiling.provenance,
                ins.ceiling.line,
            );
            let parties = [
                (
                    "employer_rate",
                    "employer_fixed",
                    "employer_rounding",
                    Some(&ins.employer),
                ),
                (
                    "employee_rate",
                    "employee_fixed",
                    "employee_rounding",
                    ins.employee.as_ref(),
                ),
            ];
            for (rate, fixed, rounding, party) in parties {
                let Some(p) = party else { continue };
                push(id, rate, dec(&p.rate), &p.rate.provenance, p.rate.line);
                if let Some(f) = &p.fixed {
                    push(id, fixed, dec(f), &f.provenance, f.line);
                }
                let r = &p.rounding;
                push(
                    id,
                    rounding,
                    r.value.id().to_string(),
                    &r.provenance,
                    r.line,
                );
            }
            if let Some(range) = &ins.injury_range {
                let (lo, hi) = (&range.min, &range.max);
                push(id, "employer_rate_min", dec(lo), &lo.provenance, lo.line);
                push(id, "employer_rate_max", dec(hi), &hi.provenance, hi.line);
            }
        }
        out
    }

    /// P001: the figures of this period that `c` does not count as confirmed. Includes
    /// the default injury rate; [`Region::unconfirmed`] leaves it out when the employer
    /// has its own rate.
    pub fn unconfirmed(&self, c: &Confirmation) -> Vec<FigureRef> {
        self.figures()
            .into_iter()
            .filter(|f| !c.confirms(f.provenance))
            .map(|f| {
                let p = f.provenance;
                FigureRef {
                    region: self.region.to_string(),
                    period_from: self.from,
                    insurance: f.insurance,
                    figure: f.name,
                    value: f.value,
                    confidence: p.confidence,
                    evidence: p.evidence,
                    verified_on: p.verified_on,
                    source: p.source.clone(),
                }
            })
            .collect()
    }

    /// Whether every figure of the period is confirmed under `c`.
    pub fn all_confirmed(&self, c: &Confirmation) -> bool {
        self.figures().iter().all(|f| c.confirms(f.provenance))
    }

    /// The month the notice was published, when later than `from`.
    pub fn published(&self) -> Option<Month> {
        self.published.filter(|p| *p > self.from)
    }

    /// The publication month as written, for every piece of a period.
    pub fn published_raw(&self) -> Option<Month> {
        self.published
    }

    /// The `from` of the period as written (a piece split off by a change keeps it).
    pub fn split_from(&self) -> Month {
        self.split_from
    }
}
