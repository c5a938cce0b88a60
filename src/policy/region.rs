//! A region (city): its names, its periods in order, the employer's own work-injury rate
//! and its law terms.

use crate::calendar::Month;
use rust_decimal::Decimal;

use super::{law, Confirmation, Figure, FigureRef, InsuranceId, Period};

/// A region (city) with its periods.
#[derive(Clone, PartialEq, Debug)]
pub struct Region {
    pub(crate) name: String,
    pub(crate) code: String,
    pub(crate) aliases: Vec<String>,
    /// Sorted by `from`, contiguous, not overlapping.
    pub(crate) periods: Vec<Period>,
    /// The employer's own work-injury rate, when set.
    pub(crate) injury_rate: Option<Figure<Decimal>>,
    /// Stop-month reading, late-fee terms, average wages.
    pub(crate) law: law::Law,
}

impl Region {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 6-digit administrative division code.
    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The period in force in `m`. After the last published period, that period's
    /// figures are carried forward (the run reports it: [`Region::carried`]).
    pub fn period(&self, m: Month) -> Option<&Period> {
        // Few periods per region: a scan beats a search.
        self.periods
            .iter()
            .find(|p| p.contains(m))
            .or_else(|| self.carried(m))
    }

    /// The last period, when `m` lies after its end: its figures are used for `m`
    /// although nothing newer has been published (or embedded).
    pub fn carried(&self, m: Month) -> Option<&Period> {
        let last = self.periods.last()?;
        last.to.filter(|to| m > *to).map(|_| last)
    }

    /// The employer's own work-injury rate, if set (else each period's default applies).
    pub fn injury_rate(&self) -> Option<Decimal> {
        self.injury_rate.as_ref().map(|f| f.value)
    }

    pub fn injury_rate_figure(&self) -> Option<&Figure<Decimal>> {
        self.injury_rate.as_ref()
    }

    pub fn law(&self) -> &law::Law {
        &self.law
    }

    /// The first month not charged for someone who leaves in `leaving_month`: the region's
    /// sourced reading when it has one, else the period's `leaving_month_charged`.
    pub fn stop_month_for(&self, leaving_month: Month) -> Option<Month> {
        match &self.law.stop_month {
            Some(f) => Some(leaving_month.plus(f.value as i32)),
            None => self
                .period(leaving_month)
                .map(|p| p.stop_month_for(leaving_month)),
        }
    }

    /// Column order for contributions: pension, medical, unemployment, injury, then the
    /// extras of any period, sorted.
    pub fn insurance_names(&self) -> Vec<&str> {
        let mut ids: Vec<InsuranceId> = self
            .periods
            .iter()
            .flat_map(|p| p.insurances.iter().map(|i| i.id))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(InsuranceId::as_str).collect()
    }

    /// `2024-07 – 2025-06, 2025-07 – open`.
    pub fn coverage(&self) -> String {
        self.periods
            .iter()
            .map(|p| match p.to {
                Some(to) => format!("{} – {to}", p.from),
                None => format!("{} – open", p.from),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// P001 figures used for month `m`: the period's figures, without the default injury
    /// rate when the employer has its own, plus the employer's rate if it is not confirmed.
    pub fn unconfirmed(&self, m: Month, c: &Confirmation) -> Vec<FigureRef> {
        let Some(period) = self.period(m) else {
            return Vec::new();
        };
        let mut out = period.unconfirmed(c);
        // The region's sourced stop-month reading replaces the period's.
        if self.law.stop_month.is_some() {
            out.retain(|f| f.figure != "leaving_month_charged");
        }
        for (figure, value, p) in law::figures(&self.law, period.from) {
            if !c.confirms(p) {
                out.push(FigureRef {
                    region: self.name.clone(),
                    period_from: period.from,
                    insurance: None,
                    figure,
                    value,
                    confidence: p.confidence,
                    evidence: p.evidence,
                    verified_on: p.verified_on,
                    source: p.source.clone(),
                });
            }
        }
        if let Some(own) = &self.injury_rate {
            out.retain(|f| {
                !(f.insurance == Some(InsuranceId::INJURY) && f.figure == "employer_rate")
            });
            if !c.confirms(&own.provenance) {
                out.push(FigureRef {
                    region: self.name.clone(),
                    period_from: period.from,
                    insurance: Some(InsuranceId::INJURY),
                    figure: "injury_rate",
                    value: own.value.to_string(),
                    confidence: own.provenance.confidence,
                    evidence: own.provenance.evidence,
                    verified_on: own.provenance.verified_on,
                    source: own.provenance.source.clone(),
                });
            }
        }
        out
    }

    pub(super) fn answers_to(&self, given: &str) -> bool {
        let given = given.trim();
        self.name.eq_ignore_ascii_case(given)
            || self.code == given
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(given))
    }
}
