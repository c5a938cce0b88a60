//! Contribution policy: per-region, dated tables of bases, rates, fixed amounts and rounding,
//! each figure with its provenance.
//!
//! Figures change every year and differ by city, so they are data: TOML files embedded with
//! `include_str!` (`data/*.toml`) and optional user files layered over them, all read by the
//! same loader and validator (`load.rs`). The file format is `schema.rs`; the user-facing
//! description is `docs/policy.md`.

mod for_run;
pub mod law;
mod load;
pub mod render;
pub mod rounding;
pub mod schema;

use crate::calendar::{Date, Month};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

pub use rounding::Rounding;

/// The embedded tables, in layering order: (source name, text).
const EMBEDDED: [(&str, &str); 13] = [
    ("embedded:beijing.toml", include_str!("data/beijing.toml")),
    ("embedded:shanghai.toml", include_str!("data/shanghai.toml")),
    ("embedded:shenzhen.toml", include_str!("data/shenzhen.toml")),
    (
        "embedded:guangzhou.toml",
        include_str!("data/guangzhou.toml"),
    ),
    ("embedded:hangzhou.toml", include_str!("data/hangzhou.toml")),
    // Cities added from third-party figures only (docs/policy.md, "Cities added in 2026").
    ("embedded:tianjin.toml", include_str!("data/tianjin.toml")),
    (
        "embedded:chongqing.toml",
        include_str!("data/chongqing.toml"),
    ),
    ("embedded:chengdu.toml", include_str!("data/chengdu.toml")),
    ("embedded:wuhan.toml", include_str!("data/wuhan.toml")),
    ("embedded:nanjing.toml", include_str!("data/nanjing.toml")),
    ("embedded:hefei.toml", include_str!("data/hefei.toml")),
    ("embedded:xian.toml", include_str!("data/xian.toml")),
    // What counts as confirmed; read last, used only when findings are made.
    (
        "embedded:confirmation.toml",
        include_str!("data/confirmation.toml"),
    ),
];

// ---------------------------------------------------------------------------------------
// Insurance identifiers

/// An insurance name (`pension`, `medical`, …, or a region extra such as
/// `serious_illness`). Copyable and cheap to compare, so amounts can carry it on the hot
/// path; ordered as output columns are: the four core insurances, then extras by name.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct InsuranceId(&'static str);

impl InsuranceId {
    pub const PENSION: InsuranceId = InsuranceId("pension");
    pub const MEDICAL: InsuranceId = InsuranceId("medical");
    pub const UNEMPLOYMENT: InsuranceId = InsuranceId("unemployment");
    pub const INJURY: InsuranceId = InsuranceId("injury");
    pub const MATERNITY: InsuranceId = InsuranceId("maternity");
    pub const CORE: [InsuranceId; 4] = [
        InsuranceId::PENSION,
        InsuranceId::MEDICAL,
        InsuranceId::UNEMPLOYMENT,
        InsuranceId::INJURY,
    ];

    /// The id for `name`. Extra names are interned once per process (a handful of short
    /// strings from policy files), which is what lets the id be `Copy`.
    pub fn intern(name: &str) -> InsuranceId {
        if let Some(core) = InsuranceId::CORE
            .into_iter()
            .chain([InsuranceId::MATERNITY])
            .find(|c| c.0 == name)
        {
            return core;
        }
        static NAMES: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(known) = names.iter().find(|n| **n == name) {
            return InsuranceId(known);
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        names.push(leaked);
        InsuranceId(leaked)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Chinese name for the known insurances.
    pub fn label_zh(self) -> Option<&'static str> {
        Some(match self.0 {
            "pension" => "养老",
            "medical" => "医疗",
            "unemployment" => "失业",
            "injury" => "工伤",
            "maternity" => "生育",
            "serious_illness" => "大额医疗互助",
            _ => return None,
        })
    }

    /// Employees pay nothing for work injury and maternity (社会保险法 Art. 53,
    /// 工伤保险条例 Art. 10).
    pub fn employee_pays_nothing(self) -> bool {
        self == InsuranceId::INJURY || self == InsuranceId::MATERNITY
    }

    fn rank(self) -> usize {
        InsuranceId::CORE
            .iter()
            .position(|c| *c == self)
            .unwrap_or(InsuranceId::CORE.len())
    }
}

impl Ord for InsuranceId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.rank(), self.0).cmp(&(other.rank(), other.0))
    }
}

impl PartialOrd for InsuranceId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for InsuranceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for InsuranceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InsuranceId({})", self.0)
    }
}

// ---------------------------------------------------------------------------------------
// Provenance

/// How far a figure can be trusted. `confirmed`, `third-party` and `unverified` are the
/// original tags; the graded levels (`high` … `low`) are those of the 2026 source audit
/// (`policy-sources-2026.csv`), kept exactly as the audit gives them. Whether a level
/// counts as confirmed is data: the `[confirmation]` table (see [`Confirmation`]).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Confidence {
    /// Read in the official text.
    Confirmed,
    High,
    MediumHigh,
    Medium,
    MediumLow,
    LowMedium,
    Low,
    /// Corroborated by third parties only (public code, HR firms, blogs).
    ThirdParty,
    /// Memory, inference, or conflicting sources.
    Unverified,
}

impl Confidence {
    pub const ALL: [Confidence; 9] = [
        Confidence::Confirmed,
        Confidence::High,
        Confidence::MediumHigh,
        Confidence::Medium,
        Confidence::MediumLow,
        Confidence::LowMedium,
        Confidence::Low,
        Confidence::ThirdParty,
        Confidence::Unverified,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::High => "high",
            Confidence::MediumHigh => "medium-high",
            Confidence::Medium => "medium",
            Confidence::MediumLow => "medium-low",
            Confidence::LowMedium => "low-medium",
            Confidence::Low => "low",
            Confidence::ThirdParty => "third-party",
            Confidence::Unverified => "unverified",
        }
    }

    pub fn ids() -> String {
        Confidence::ALL.map(Confidence::id).join(", ")
    }

    pub fn from_id(id: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Confidence::Confirmed => "已核实",
            Confidence::High => "高",
            Confidence::MediumHigh => "中高",
            Confidence::Medium => "中",
            Confidence::MediumLow => "中低",
            Confidence::LowMedium => "低中",
            Confidence::Low => "低",
            Confidence::ThirdParty => "第三方",
            Confidence::Unverified => "未核实",
        }
    }

    /// The evidence a record has when it does not say: `confirmed` means the official
    /// text was read; anything else is taken as third-party at best.
    pub fn default_evidence(self) -> Evidence {
        match self {
            Confidence::Confirmed => Evidence::Official,
            Confidence::Unverified => Evidence::Memory,
            _ => Evidence::ThirdParty,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What kind of source a figure was read from (the audit's `source_kind`, in short).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Evidence {
    /// The official text itself.
    Official,
    /// A third party that quotes or links the official text.
    OfficialCiting,
    /// Third parties only (calculators, blogs).
    ThirdParty,
    /// Memory, inference, or no source.
    Memory,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [
        Evidence::Official,
        Evidence::OfficialCiting,
        Evidence::ThirdParty,
        Evidence::Memory,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Evidence::Official => "official",
            Evidence::OfficialCiting => "official-citing",
            Evidence::ThirdParty => "third-party",
            Evidence::Memory => "memory",
        }
    }

    pub fn ids() -> String {
        Evidence::ALL.map(Evidence::id).join(", ")
    }

    pub fn from_id(id: &str) -> Option<Evidence> {
        Evidence::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Evidence::Official => "官方原文",
            Evidence::OfficialCiting => "引用官方原文",
            Evidence::ThirdParty => "第三方",
            Evidence::Memory => "无来源",
        }
    }
}

/// Which provenance counts as confirmed: a confidence in `confidence` and evidence in
/// `evidence`. Defined in `data/confirmation.toml`; a user file's `[confirmation]`
/// replaces it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Confirmation {
    pub confidence: Vec<Confidence>,
    pub evidence: Vec<Evidence>,
}

impl Confirmation {
    pub fn confirms(&self, p: &Provenance) -> bool {
        self.confidence.contains(&p.confidence) && self.evidence.contains(&p.evidence)
    }
}

/// Where a figure comes from. Shared (`Arc`) by all figures that inherit it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Provenance {
    /// Document number and/or URL.
    pub source: String,
    pub confidence: Confidence,
    pub evidence: Evidence,
    /// When someone last checked the figure against `source`. `None` only for facts that
    /// need no check (zero employee shares fixed by law, the employer's own rate).
    pub verified_on: Option<Date>,
    /// The policy source (embedded table or user file) that supplied the figure.
    pub origin: Arc<str>,
}

/// One policy figure and where it comes from.
#[derive(Clone, PartialEq, Debug)]
pub struct Figure<T> {
    pub value: T,
    pub provenance: Arc<Provenance>,
    /// Line in the origin file; 0 when the figure did not come from a file.
    pub line: u32,
    /// Index of the layer (policy source) that supplied it, to blame the right file.
    pub(crate) layer: u32,
}

// ---------------------------------------------------------------------------------------
// Regions, periods, insurances

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

/// A figure that P001 reports: not confirmed (see [`Confirmation`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct FigureRef {
    pub region: String,
    pub period_from: Month,
    /// `None` for period-wide figures.
    pub insurance: Option<InsuranceId>,
    pub figure: &'static str,
    pub value: String,
    pub confidence: Confidence,
    pub evidence: Evidence,
    pub verified_on: Option<Date>,
    pub source: String,
}

impl FigureRef {
    /// `pension.floor` or `retro_limit_months`.
    pub fn key(&self) -> String {
        match self.insurance {
            Some(ins) => format!("{ins}.{}", self.figure),
            None => self.figure.to_string(),
        }
    }
}

impl fmt::Display for FigureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} period {}: {} = {} ({}, {}",
            self.region,
            self.period_from,
            self.key(),
            self.value,
            self.confidence,
            self.evidence.id()
        )?;
        if let Some(d) = self.verified_on {
            write!(f, ", verified {d}")?;
        }
        write!(f, "; source: {})", self.source)
    }
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

    fn answers_to(&self, given: &str) -> bool {
        let given = given.trim();
        self.name.eq_ignore_ascii_case(given)
            || self.code == given
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(given))
    }
}

// ---------------------------------------------------------------------------------------
// The set of regions and where it came from

/// What kind of input a policy source is.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum SourceKind {
    Embedded,
    /// A `--policy` file.
    User,
    /// A setting from `headcount.toml` (the employer's injury rate).
    Setting,
}

impl SourceKind {
    pub fn id(self) -> &'static str {
        match self {
            SourceKind::Embedded => "embedded",
            SourceKind::User => "user",
            SourceKind::Setting => "setting",
        }
    }
}

/// One input of the policy in use, for the manifest.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PolicySource {
    /// `embedded:beijing.toml`, a user file's name (no directories), or a setting.
    pub name: String,
    /// SHA-256 hex of the source bytes.
    pub sha256: String,
    pub kind: SourceKind,
}

/// All regions in force, built from the embedded tables and any user layers.
#[derive(Clone)]
pub struct PolicySet {
    regions: Vec<Region>,
    /// What counts as confirmed (P001).
    confirmation: Confirmation,
    sources: Vec<PolicySource>,
    /// Running digest over every source, in layering order.
    digest: Sha256,
}

impl fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PolicySet")
            .field(
                "regions",
                &self.regions.iter().map(|r| &r.name).collect::<Vec<_>>(),
            )
            .field("sources", &self.sources)
            .finish()
    }
}

impl PolicySet {
    fn empty() -> PolicySet {
        PolicySet {
            regions: Vec::new(),
            // Until data/confirmation.toml is read: nothing is confirmed.
            confirmation: Confirmation {
                confidence: Vec::new(),
                evidence: Vec::new(),
            },
            sources: Vec::new(),
            digest: Sha256::new(),
        }
    }

    /// The tables shipped with headcount, through the same loader as a user file.
    pub fn embedded() -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet::empty();
        for (name, text) in EMBEDDED {
            set = load::layer(set, text.as_bytes(), name, SourceKind::Embedded)?.0;
        }
        Ok(set)
    }

    /// Read a user policy file and layer it over this set.
    pub fn layer_file(self, path: &Path) -> Result<PolicySet, PolicyError> {
        Ok(self.layer_file_reporting(path)?.0)
    }

    /// Layer a user policy given as text; `name` names it in messages and the manifest.
    pub fn layer_str(self, text: &str, name: &str) -> Result<PolicySet, PolicyError> {
        Ok(load::layer(self, text.as_bytes(), name, SourceKind::User)?.0)
    }

    fn layer_file_reporting(self, path: &Path) -> Result<(PolicySet, Vec<String>), PolicyError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| PolicyError::Io {
            file: shown.clone(),
            source,
        })?;
        // The manifest must not hold directories (reruns elsewhere give the same bytes).
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        load::layer(self, &bytes, &name, SourceKind::User).map_err(|e| match e {
            // Messages should name the file as the user gave it.
            PolicyError::Invalid { problems, .. } => PolicyError::Invalid {
                file: shown,
                problems,
            },
            other => other,
        })
    }

    /// Set the employer's own work-injury rate for a region (from `headcount.toml`). It
    /// must lie inside the allowed range of every period of the region.
    pub fn set_injury_rate(self, region: &str, rate: Decimal) -> Result<PolicySet, PolicyError> {
        load::set_injury_rate(self, region, rate)
    }

    /// A region by name (`beijing`, any ASCII case), 6-digit code or alias (`北京`, `bj`).
    pub fn region(&self, name_or_code_or_alias: &str) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.answers_to(name_or_code_or_alias))
    }

    /// Like [`PolicySet::region`], with an error that lists the known regions.
    pub fn require_region(&self, given: &str) -> Result<&Region, PolicyError> {
        self.region(given)
            .ok_or_else(|| PolicyError::UnknownRegion {
                given: given.to_string(),
                known: self.regions.iter().map(|r| r.name.clone()).collect(),
            })
    }

    /// The period in force for a region and month, or P002.
    pub fn period_for(&self, region: &str, month: Month) -> Result<&Period, PolicyError> {
        let r = self.require_region(region)?;
        r.period(month).ok_or_else(|| PolicyError::NoCoverage {
            region: r.name.clone(),
            month,
            covered: r.coverage(),
        })
    }

    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter()
    }

    /// SHA-256 hex over every source's bytes (length-prefixed, with its kind), in
    /// layering order: the digest of the policy actually used.
    pub fn digest(&self) -> String {
        hex(&self.digest.clone().finalize())
    }

    pub fn sources(&self) -> Vec<PolicySource> {
        self.sources.clone()
    }

    /// P001 for a run: every figure used in `months` of `region` that is not confirmed,
    /// once each.
    pub fn unconfirmed(
        &self,
        region: &Region,
        months: impl IntoIterator<Item = Month>,
    ) -> Vec<FigureRef> {
        let mut seen: BTreeMap<(Month, Option<InsuranceId>, &'static str), FigureRef> =
            BTreeMap::new();
        for m in months {
            for f in region.unconfirmed(m, &self.confirmation) {
                seen.entry((f.period_from, f.insurance, f.figure))
                    .or_insert(f);
            }
        }
        seen.into_values().collect()
    }

    /// What counts as confirmed.
    pub fn confirmation(&self) -> &Confirmation {
        &self.confirmation
    }

    fn record_source(&mut self, name: &str, bytes: &[u8], kind: SourceKind) -> u32 {
        self.digest.update([kind as u8]);
        self.digest.update((bytes.len() as u64).to_be_bytes());
        self.digest.update(bytes);
        self.sources.push(PolicySource {
            name: name.to_string(),
            sha256: hex(&Sha256::digest(bytes)),
            kind,
        });
        (self.sources.len() - 1) as u32
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `headcount policy check FILE`: layer the file over the embedded tables and describe
/// what it changes, or say why it is invalid (P003).
pub fn check_file(path: &Path) -> Result<String, PolicyError> {
    let (set, changes) = PolicySet::embedded()?.layer_file_reporting(path)?;
    Ok(check_summary(&set, &path.display().to_string(), &changes))
}

/// [`check_file`] for text already in memory.
pub fn check_str(text: &str, name: &str) -> Result<String, PolicyError> {
    let (set, changes) = load::layer(
        PolicySet::embedded()?,
        text.as_bytes(),
        name,
        SourceKind::User,
    )?;
    Ok(check_summary(&set, name, &changes))
}

fn check_summary(set: &PolicySet, shown: &str, changes: &[String]) -> String {
    let mut out = format!("{shown}: valid policy file\n");
    if changes.is_empty() {
        out.push_str("  (it changes nothing)\n");
    }
    for c in changes {
        out.push_str("  ");
        out.push_str(c);
        out.push('\n');
    }
    let this_file = set.sources.last().map_or("", |s| s.name.as_str());
    let (mut confirmed, mut not) = (0usize, 0usize);
    for r in &set.regions {
        for p in &r.periods {
            for f in p.figures() {
                if f.provenance.origin.as_ref() == this_file {
                    if set.confirmation.confirms(f.provenance) {
                        confirmed += 1;
                    } else {
                        not += 1;
                    }
                }
            }
        }
    }
    out.push_str(&format!(
        "  figures from this file in force: {confirmed} confirmed, {not} not confirmed\n"
    ));
    out.push_str(&format!("  policy digest: {}\n", set.digest()));
    out
}

// ---------------------------------------------------------------------------------------
// Errors

/// One problem in a policy file (P003).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Problem {
    /// Key path, e.g. `region[beijing].period[2025-07].pension.floor`; empty for the file.
    pub key: String,
    /// 1-based line in the file, when known.
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// P003: the policy file is invalid. Every problem found is listed.
    #[error("{}", invalid_message(file, problems))]
    Invalid {
        file: String,
        problems: Vec<Problem>,
    },
    /// P002: no period covers a month the run needs.
    #[error(
        "P002: no policy period covers region {region} in {month} (the tables cover {covered}); \
         add a period with --policy"
    )]
    NoCoverage {
        region: String,
        month: Month,
        covered: String,
    },
    #[error("unknown region `{given}`; known regions: {}", known.join(", "))]
    UnknownRegion { given: String, known: Vec<String> },
    #[error("cannot read policy file {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

impl PolicyError {
    /// The rule code of the catalogue, where one applies.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            PolicyError::Invalid { .. } => Some("P003"),
            PolicyError::NoCoverage { .. } => Some("P002"),
            _ => None,
        }
    }
}

fn invalid_message(file: &str, problems: &[Problem]) -> String {
    let mut s = format!(
        "P003: policy file {file} is invalid ({} problem{}):",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(file);
        if let Some(line) = p.line {
            s.push_str(&format!(":{line}"));
        }
        if !p.key.is_empty() {
            s.push_str(&format!(": {}", p.key));
        }
        s.push_str(": ");
        s.push_str(&p.message);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Every figure of every period: (region, from, to, key, value, provenance).
    type Row = (String, Month, Option<Month>, String, String, Provenance);

    fn all_figures(set: &PolicySet) -> Vec<Row> {
        let mut out = Vec::new();
        for r in set.regions() {
            for p in r.periods() {
                for f in p.figures() {
                    let key = match f.insurance {
                        Some(i) => format!("{i}.{}", f.name),
                        None => f.name.to_string(),
                    };
                    out.push((
                        r.name.clone(),
                        p.from,
                        p.to,
                        key,
                        f.value,
                        (**f.provenance).clone(),
                    ));
                }
            }
        }
        out
    }

    const USER_PROV: &str = r#"
[provenance.notice]
source = "京人社发〔2025〕99号"
confidence = "confirmed"
verified_on = 2025-10-01
"#;

    #[test]
    fn embedded_tables_validate_and_cover_every_month_from_2024_07() {
        let set = PolicySet::embedded().expect("embedded tables must validate");
        let names: Vec<&str> = set.regions().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                "beijing",
                "shanghai",
                "shenzhen",
                "guangzhou",
                "hangzhou",
                "tianjin",
                "chongqing",
                "chengdu",
                "wuhan",
                "nanjing",
                "hefei",
                "xian"
            ]
        );
        for r in set.regions() {
            for month in m("2024-07").through(m("2035-12")) {
                assert!(
                    r.period(month).is_some(),
                    "{} has no period for {month}",
                    r.name()
                );
            }
            // Every period ends where its source says; later months carry it forward.
            assert!(
                r.periods().iter().all(|p| p.to().is_some()),
                "{}: a period is open-ended",
                r.name()
            );
            assert_eq!(
                r.insurance_names()[..4],
                ["pension", "medical", "unemployment", "injury"]
            );
        }
        let codes: Vec<&str> = set.regions().map(|r| r.code()).collect();
        assert_eq!(
            codes,
            [
                "110000", "310000", "440300", "440100", "330100", "120000", "500000", "510100",
                "420100", "320100", "340100", "610100"
            ]
        );
        // Chinese name, code and pinyin all find a city.
        for given in ["成都", "510100", "chengdu", "西安市", "xi'an", "Wuhan"] {
            assert!(set.region(given).is_some(), "{given}");
        }
    }

    #[test]
    fn embedded_figures_match_the_domain_tables() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        let p24 = bj.period(m("2024-07")).unwrap();
        assert_eq!(
            (p24.floor("pension"), p24.ceiling("medical")),
            (Some(d("6821")), Some(d("35283")))
        );
        let fl = &p24.insurance("pension").unwrap().floor;
        assert_eq!(fl.provenance.confidence, Confidence::High);
        let p25 = bj.period(m("2025-07")).unwrap();
        assert_eq!(
            (p25.floor("injury"), p25.ceiling("injury")),
            (Some(d("7162")), Some(d("35811")))
        );
        let med = p25.insurance("medical").unwrap();
        let ee = med.employee.as_ref().unwrap();
        assert_eq!(
            (ee.rate.value, ee.fixed.as_ref().unwrap().value),
            (d("0.02"), d("3.00"))
        );
        assert_eq!(
            ee.fixed.as_ref().unwrap().provenance.confidence,
            Confidence::Medium
        );
        let sh = set
            .region("shanghai")
            .unwrap()
            .period(m("2025-07"))
            .unwrap();
        assert_eq!(sh.floor("pension"), Some(d("7460")));
        for ins in ["pension", "medical", "unemployment"] {
            let i = sh.insurance(ins).unwrap();
            assert_eq!(i.employer.rounding.value, Rounding::CeilJiao);
            assert_eq!(i.employer.rounding.provenance.confidence, Confidence::Low);
        }
        assert_eq!(
            sh.insurance("injury").unwrap().employer.rounding.value,
            Rounding::HalfUpFen
        );
        let hz = set.region("hangzhou").unwrap();
        assert_eq!(hz.period(m("2024-12")).unwrap().from(), m("2024-01"));
        assert_eq!(
            hz.period(m("2025-01"))
                .unwrap()
                .contribution_year_start_month(),
            1
        );
        let sz = set
            .region("shenzhen")
            .unwrap()
            .period(m("2025-01"))
            .unwrap();
        assert_eq!(
            (sz.floor("pension"), sz.floor("unemployment")),
            (Some(d("4492")), Some(d("2360")))
        );
        let sz26 = set.period_for("shenzhen", m("2026-03")).unwrap();
        assert_eq!(
            (
                sz26.floor("pension"),
                sz26.floor("medical"),
                sz26.ceiling("unemployment"),
                sz26.floor("maternity")
            ),
            (
                Some(d("4775")),
                Some(d("6727")),
                Some(d("44265")),
                Some(d("6727"))
            )
        );
        // Work injury and, where present, maternity: nothing from the employee.
        for r in set.regions() {
            for p in r.periods() {
                assert!(p.insurance("injury").unwrap().employee.is_none());
            }
        }
    }

    #[test]
    fn region_lookup_by_name_code_alias() {
        let set = PolicySet::embedded().unwrap();
        for given in [
            "beijing",
            "Beijing",
            "110000",
            "北京",
            "北京市",
            "BJ",
            " bj ",
        ] {
            assert_eq!(
                set.region(given).map(Region::name),
                Some("beijing"),
                "{given}"
            );
        }
        assert!(set.region("wuxi").is_none());
        match set.require_region("wuxi") {
            Err(PolicyError::UnknownRegion { known, .. }) => assert_eq!(known.len(), 12),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_coverage_is_p002() {
        let set = PolicySet::embedded().unwrap();
        let err = set.period_for("beijing", m("2024-06")).unwrap_err();
        assert_eq!(err.code(), Some("P002"));
        assert!(
            err.to_string()
                .contains("2024-07 – 2025-06, 2025-07 – 2026-06, 2026-07 – 2027-06"),
            "{err}"
        );
        assert!(set.period_for("beijing", m("2024-07")).is_ok());
    }

    #[test]
    fn stop_month_and_contribution_year() {
        let set = PolicySet::embedded().unwrap();
        let p = set.period_for("beijing", m("2025-08")).unwrap();
        assert!(p.leaving_month_charged());
        assert_eq!(p.stop_month_for(m("2025-08")), m("2025-09"));
        assert_eq!(p.stop_month_for(m("2025-12")), m("2026-01"));
        assert_eq!(p.retro_limit_months(), 12);
        assert_eq!(p.contribution_year_start(m("2025-07")), m("2025-07"));
        assert_eq!(p.contribution_year_start(m("2026-06")), m("2025-07"));
        assert_eq!(p.contribution_year_start(m("2026-07")), m("2026-07"));
        let hz = set.period_for("hangzhou", m("2025-08")).unwrap();
        assert_eq!(hz.contribution_year_start(m("2025-08")), m("2025-01"));
        assert_eq!(hz.contribution_year_start(m("2025-01")), m("2025-01"));
        // Patched to "not charged": the stop month is the leaving month.
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
             leaving_month_charged = {{ value = false, provenance = \"notice\" }}\n"
        );
        let set = set.layer_str(&text, "u.toml").unwrap();
        let p = set.period_for("beijing", m("2025-08")).unwrap();
        assert_eq!(p.stop_month_for(m("2025-08")), m("2025-08"));
    }

    #[test]
    fn patching_one_figure_changes_exactly_that_figure() {
        let before = PolicySet::embedded().unwrap();
        let text = format!(
            "{USER_PROV}
[[region]]
name = \"beijing\"
[[region.patch]]
from = \"2025-07\"
[region.patch.pension]
floor = {{ value = \"7500\", provenance = \"notice\" }}
"
        );
        let after = before.clone().layer_str(&text, "user.toml").unwrap();
        let (a, b) = (all_figures(&before), all_figures(&after));
        assert_eq!(a.len(), b.len());
        let changed: Vec<(&Row, &Row)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
        assert_eq!(changed.len(), 1, "{changed:#?}");
        let (old, new) = changed[0];
        assert_eq!(
            (old.0.as_str(), old.1, old.3.as_str()),
            ("beijing", m("2025-07"), "pension.floor")
        );
        assert_eq!((old.4.as_str(), new.4.as_str()), ("7162", "7500"));
        assert_eq!(new.5.source, "京人社发〔2025〕99号");
        assert_eq!(new.5.confidence, Confidence::Confirmed);
        assert_eq!(&*new.5.origin, "user.toml");
        // The medical floor of the same period is untouched.
        let p = after.period_for("beijing", m("2025-08")).unwrap();
        assert_eq!(p.floor("medical"), Some(d("7162")));
    }

    #[test]
    fn a_period_wide_value_in_a_patch_reaches_every_insurance() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"shanghai\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
             provenance = \"notice\"\nfloor = \"7500\"\nceiling = \"37500\"\n\
             [region.patch.injury]\nfloor = \"7000\"\n"
        );
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .unwrap();
        let p = set.period_for("shanghai", m("2025-07")).unwrap();
        for ins in ["pension", "medical", "unemployment"] {
            assert_eq!(
                (p.floor(ins), p.ceiling(ins)),
                (Some(d("7500")), Some(d("37500")))
            );
        }
        // The insurance's own value in the same patch wins.
        assert_eq!(p.floor("injury"), Some(d("7000")));
        // The other period is untouched.
        let old = set.period_for("shanghai", m("2025-06")).unwrap();
        assert_eq!(old.floor("pension"), Some(d("7384")));
    }

    fn beijing_period(from: &str, floor: &str) -> String {
        format!(
            "
[[region.period]]
from = \"{from}\"
provenance = \"notice\"
contribution_year_start = 7
leaving_month_charged = true
retro_limit_months = 6
floor = \"{floor}\"
ceiling = \"36000\"
rounding = \"half-up-fen\"
[region.period.pension]
employer_rate = \"0.16\"
employee_rate = \"0.08\"
[region.period.medical]
employer_rate = \"0.098\"
employee_rate = \"0.02\"
employee_fixed = \"3\"
[region.period.unemployment]
employer_rate = \"0.005\"
employee_rate = \"0.005\"
[region.period.injury]
employer_rate = \"0.002\"
employer_rate_min = \"0.002\"
employer_rate_max = \"0.0285\"
[region.period.extra.serious_illness]
floor = \"0\"
ceiling = \"0\"
employer_rate = \"0\"
employee_rate = \"0\"
employee_fixed = \"3\"
"
        )
    }

    #[test]
    fn a_new_period_closes_the_open_one() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"beijing\"\n{}",
            beijing_period("2026-07", "7400")
        );
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .unwrap();
        let bj = set.region("beijing").unwrap();
        let froms: Vec<(Month, Option<Month>)> =
            bj.periods().iter().map(|p| (p.from(), p.to())).collect();
        assert_eq!(
            froms,
            [
                (m("2024-07"), Some(m("2025-06"))),
                (m("2025-07"), Some(m("2026-06"))),
                (m("2026-07"), None)
            ]
        );
        assert_eq!(
            bj.period(m("2026-06")).unwrap().floor("pension"),
            Some(d("7162"))
        );
        let new = bj.period(m("2026-07")).unwrap();
        assert_eq!(new.floor("pension"), Some(d("7400")));
        assert_eq!(new.retro_limit_months(), 6);
        // The extra column appears after the core four.
        assert_eq!(
            bj.insurance_names(),
            [
                "pension",
                "medical",
                "unemployment",
                "injury",
                "serious_illness"
            ]
        );
        let a = crate::contributions::compute(new, d("10000"), None);
        let si = a.item("serious_illness").unwrap();
        assert_eq!(
            (si.base, si.employer, si.employee),
            (d("0"), d("0.00"), d("3.00"))
        );
    }

    #[test]
    fn a_period_with_the_same_from_replaces_the_old_one() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"beijing\"\n{}",
            beijing_period("2026-07", "7300")
        );
        let (set, changes) = load::layer(
            PolicySet::embedded().unwrap(),
            text.as_bytes(),
            "u.toml",
            SourceKind::User,
        )
        .unwrap();
        assert_eq!(changes, ["beijing: replaces period 2026-07"]);
        let bj = set.region("beijing").unwrap();
        assert_eq!(bj.periods().len(), 3);
        let p = bj.period(m("2026-07")).unwrap();
        assert_eq!(p.floor("pension"), Some(d("7300")));
        assert!(p
            .figures()
            .iter()
            .all(|f| &*f.provenance.origin == "u.toml"));
    }

    #[test]
    fn adding_a_region() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\naliases = [\"无锡\"]\n{}",
            beijing_period("2025-07", "5000")
        );
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .unwrap();
        let wx = set.region("无锡").unwrap();
        assert_eq!((wx.name(), wx.code()), ("wuxi", "320200"));
        assert_eq!(wx.period(m("2025-06")), None);
        assert_eq!(set.regions().count(), EMBEDDED.len());
    }

    #[test]
    fn the_employer_injury_rate() {
        let set = PolicySet::embedded().unwrap();
        assert_eq!(set.region("shanghai").unwrap().injury_rate(), None);
        let set = set.set_injury_rate("上海", d("0.004")).unwrap();
        let sh = set.region("shanghai").unwrap();
        assert_eq!(sh.injury_rate(), Some(d("0.004")));
        // The default injury rate is no longer "used", so P001 drops it.
        let p001 = sh.unconfirmed(m("2025-08"), set.confirmation());
        assert!(!p001
            .iter()
            .any(|f| f.insurance == Some(InsuranceId::INJURY) && f.figure == "employer_rate"));
        assert!(
            !p001.iter().any(|f| f.figure == "injury_rate"),
            "the employer's own rate is its fact"
        );
        assert!(set.clone().set_injury_rate("shanghai", d("0.03")).is_err());
        assert!(matches!(
            set.set_injury_rate("nowhere", d("0.004")),
            Err(PolicyError::UnknownRegion { .. })
        ));
    }

    #[test]
    fn p001_lists_unconfirmed_figures_once() {
        let set = PolicySet::embedded().unwrap();
        let c = set.confirmation();
        let bj = set.region("beijing").unwrap();
        let early = bj.unconfirmed(m("2024-08"), c);
        let key = |f: &FigureRef| f.key();
        // High confidence from a source citing the official text: confirmed.
        assert!(!early.iter().any(|f| key(f) == "pension.floor"));
        assert!(!early.iter().any(|f| key(f) == "contribution_year_start"));
        // Medium: reported, with its source and evidence.
        let fixed = early
            .iter()
            .find(|f| key(f) == "medical.employee_fixed")
            .unwrap();
        assert_eq!(
            (fixed.confidence, fixed.evidence),
            (Confidence::Medium, Evidence::OfficialCiting)
        );
        assert!(fixed.source.contains("rsj.beijing.gov.cn"));
        // Over a run: once per figure and period.
        let months = [m("2025-08"), m("2026-08"), m("2025-09")];
        let run = set.unconfirmed(bj, months);
        let fixed: Vec<_> = run
            .iter()
            .filter(|f| key(f) == "medical.employee_fixed")
            .collect();
        assert_eq!(fixed.len(), 2, "one per period used");
        let mut dedup = run.clone();
        dedup.dedup_by(|a, b| {
            (a.period_from, a.insurance, a.figure) == (b.period_from, b.insurance, b.figure)
        });
        assert_eq!(dedup.len(), run.len());
    }

    #[test]
    fn confirmation_is_data_a_user_file_can_replace() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        assert!(!bj.unconfirmed(m("2026-08"), set.confirmation()).is_empty());
        let text = "[confirmation]\nconfidence = [\"confirmed\", \"high\", \"medium-high\", \"medium\", \"low\", \"unverified\"]\n\
                    evidence = [\"official\", \"official-citing\", \"third-party\", \"memory\"]\n";
        let all = set.clone().layer_str(text, "c.toml").unwrap();
        let bj = all.region("beijing").unwrap();
        assert!(bj.unconfirmed(m("2026-08"), all.confirmation()).is_empty());
        // A confidence outside the list keeps a figure unconfirmed.
        let text = "[confirmation]\nconfidence = [\"confirmed\"]\nevidence = [\"official\"]\n";
        let strict = set.layer_str(text, "c.toml").unwrap();
        let bj = strict.region("beijing").unwrap();
        assert!(bj
            .unconfirmed(m("2026-08"), strict.confirmation())
            .iter()
            .any(|f| f.key() == "pension.floor"));
    }

    #[test]
    fn months_after_the_last_period_carry_it_forward() {
        let set = PolicySet::embedded().unwrap();
        let bj = set.region("beijing").unwrap();
        assert_eq!(bj.carried(m("2027-06")), None);
        let last = bj.carried(m("2027-08")).unwrap();
        assert_eq!((last.from(), last.to()), (m("2026-07"), Some(m("2027-06"))));
        assert_eq!(bj.period(m("2027-08")), Some(last));
        // Before the first period nothing is carried: P002.
        assert!(set.period_for("beijing", m("2024-06")).is_err());
    }

    #[test]
    fn a_change_splits_its_period_for_one_insurance() {
        let set = PolicySet::embedded().unwrap();
        let sh = set.region("shanghai").unwrap();
        let before = sh.period(m("2025-02")).unwrap();
        let after = sh.period(m("2025-03")).unwrap();
        assert_eq!(before.to(), Some(m("2025-02")));
        assert_eq!(after.from(), m("2025-03"));
        let rate = |p: &Period| p.insurance("medical").unwrap().employer.rate.value;
        assert_eq!((rate(before), rate(after)), (d("0.10"), d("0.09")));
        // Everything else is the same period's.
        assert_eq!(before.floor("pension"), after.floor("pension"));
        assert_eq!(
            before.insurance("pension"),
            after.insurance("pension"),
            "only medical changes"
        );
    }

    #[test]
    fn replacing_a_period_replaces_the_pieces_its_changes_split_off() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"shanghai\"\n{}",
            beijing_period("2025-07", "7460")
                .replace("from = \"2025-07\"", "from = \"2025-07\"\nto = \"2026-06\"")
        );
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        let sh = set.region("shanghai").unwrap();
        let p = sh.period(m("2026-04")).unwrap();
        assert_eq!((p.from(), p.to()), (m("2025-07"), Some(m("2026-06"))));
        assert_eq!(
            p.insurance("medical").unwrap().employer.rate.value,
            d("0.098")
        );
    }

    #[test]
    fn changes_and_evidence_are_checked() {
        let bad = [
            (
                "[[region]]\nname = \"shanghai\"\n[[region.patch]]\nfrom = \"2025-07\"\n[[region.patch.change]]\nfrom = \"2025-09\"\n",
                "a patch cannot hold",
            ),
            (
                "[provenance.x]\nsource = \"s\"\nconfidence = \"high\"\nevidence = \"rumour\"\nverified_on = 2026-01-01\n",
                "unknown evidence `rumour`",
            ),
            (
                "[provenance.x]\nsource = \"s\"\nconfidence = \"sure\"\nverified_on = 2026-01-01\n",
                "medium-high",
            ),
        ];
        for (text, needle) in bad {
            let err = PolicySet::embedded()
                .unwrap()
                .layer_str(text, "u.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{needle}: {err}");
        }
        let with_to = format!(
            "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\n{}\
             [[region.period.change]]\nfrom = \"2025-09\"\nto = \"2025-10\"\n",
            beijing_period("2025-07", "5000")
        );
        let err = PolicySet::embedded()
            .unwrap()
            .layer_str(&with_to, "u.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not `to`"), "{err}");
    }

    #[test]
    fn a_change_outside_its_period_is_refused() {
        let text = format!(
            "{USER_PROV}[[region]]\nname = \"wuxi\"\ncode = \"320200\"\n{}\
             [[region.period.change]]\nfrom = \"2030-01\"\n[region.period.change.medical]\nemployer_rate = \"0.09\"\n",
            beijing_period("2025-07", "5000").replace("from = \"2025-07\"", "from = \"2025-07\"\nto = \"2026-06\"")
        );
        let err = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a change must start inside its period"),
            "{err}"
        );
    }

    #[test]
    fn digest_follows_the_sources_in_order() {
        let a = PolicySet::embedded().unwrap();
        let b = PolicySet::embedded().unwrap();
        assert_eq!(a.digest(), b.digest());
        assert_eq!(a.digest().len(), 64);
        let sources = a.sources();
        assert_eq!(sources.len(), EMBEDDED.len());
        assert!(sources
            .iter()
            .all(|s| s.kind == SourceKind::Embedded && s.sha256.len() == 64));
        assert_eq!(sources[0].name, "embedded:beijing.toml");

        let file = |floor: &str| {
            format!(
                "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2025-07\"\n\
                 provenance = \"notice\"\nfloor = \"{floor}\"\n"
            )
        };
        let one = a.clone().layer_str(&file("7200"), "one.toml").unwrap();
        let same = b.clone().layer_str(&file("7200"), "renamed.toml").unwrap();
        let other = a.clone().layer_str(&file("7201"), "one.toml").unwrap();
        assert_ne!(one.digest(), a.digest());
        assert_eq!(
            one.digest(),
            same.digest(),
            "the name is not part of the policy"
        );
        assert_ne!(one.digest(), other.digest());
        let last = one.sources().pop().unwrap();
        assert_eq!(
            (last.name.as_str(), last.kind),
            ("one.toml", SourceKind::User)
        );
        assert_eq!(last.sha256, hex(&Sha256::digest(file("7200").as_bytes())));
        // The employer's rate is part of the policy used.
        let with_rate = one.clone().set_injury_rate("beijing", d("0.004")).unwrap();
        assert_ne!(with_rate.digest(), one.digest());
        assert_eq!(
            with_rate.sources().last().unwrap().kind,
            SourceKind::Setting
        );
    }

    #[test]
    fn files_are_read_with_bom_and_crlf_and_named_without_directories() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("my-policy.toml");
        let text = format!(
            "\u{feff}{USER_PROV}[[region]]\r\nname = \"beijing\"\r\ninjury_rate = \"0.005\"\r\n"
        );
        std::fs::write(&path, &text).unwrap();
        let set = PolicySet::embedded().unwrap().layer_file(&path).unwrap();
        assert_eq!(
            set.region("beijing").unwrap().injury_rate(),
            Some(d("0.005"))
        );
        assert_eq!(set.sources().last().unwrap().name, "my-policy.toml");

        let summary = check_file(&path).unwrap();
        assert!(summary.contains("valid policy file"), "{summary}");
        assert!(
            summary.contains("beijing: sets the employer's work-injury rate to 0.005"),
            "{summary}"
        );

        std::fs::write(&path, "[[region]]\nname = \"beijing\"\nfoo = 1\n").unwrap();
        match check_file(&path) {
            Err(PolicyError::Invalid { file, problems }) => {
                assert_eq!(
                    file,
                    path.display().to_string(),
                    "messages name the path as given"
                );
                assert_eq!(problems[0].line, Some(3));
            }
            other => panic!("{other:?}"),
        }
        let missing = dir.path().join("missing.toml");
        assert!(matches!(
            PolicySet::embedded().unwrap().layer_file(&missing),
            Err(PolicyError::Io { .. })
        ));
    }

    #[test]
    fn invalid_display_lists_every_problem_with_file_and_line() {
        let err = check_str(
            "[[region]]\nname = \"beijing\"\nfoo = 1\nbar = 2\n",
            "p.toml",
        )
        .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("P003: policy file p.toml is invalid (2 problems):"),
            "{shown}"
        );
        assert!(
            shown.contains("\n  p.toml:3: region[beijing].foo: unknown field `foo`"),
            "{shown}"
        );
        assert!(
            shown.contains("\n  p.toml:4: region[beijing].bar: unknown field `bar`"),
            "{shown}"
        );
    }

    #[test]
    fn insurance_ids_are_interned_and_ordered() {
        let a = InsuranceId::intern("serious_illness");
        let b = InsuranceId::intern(&String::from("serious_illness"));
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(InsuranceId::intern("injury"), InsuranceId::INJURY);
        let mut ids = [
            a,
            InsuranceId::INJURY,
            InsuranceId::intern("aaa"),
            InsuranceId::PENSION,
        ];
        ids.sort();
        let names: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
        assert_eq!(names, ["pension", "injury", "aaa", "serious_illness"]);
        assert!(InsuranceId::MATERNITY.employee_pays_nothing());
        assert!(!InsuranceId::MEDICAL.employee_pays_nothing());
    }

    #[test]
    fn the_documented_example_is_valid_and_does_what_it_says() {
        let doc = include_str!("../../docs/policy.md");
        let section = doc
            .split("## A complete example")
            .nth(1)
            .expect("example section");
        let example = section
            .split("```toml\n")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("toml block");
        let summary = check_str(example, "my-policy.toml").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            summary.contains("beijing: adds period 2027-07"),
            "{summary}"
        );
        assert!(summary.contains("adds region wuxi"), "{summary}");
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(example, "my-policy.toml")
            .unwrap();
        let bj = set.region("beijing").unwrap();
        assert_eq!(bj.injury_rate(), Some(d("0.0024")));
        assert_eq!(
            bj.period(m("2027-07")).unwrap().floor("medical"),
            Some(d("7500"))
        );
        assert_eq!(
            bj.period(m("2027-07")).unwrap().published(),
            Some(m("2027-08"))
        );
        assert_eq!(set.region("无锡").unwrap().insurance_names().len(), 5);
        // Its placeholder sources are unverified, so P001 speaks.
        assert!(!set.unconfirmed(bj, [m("2027-08")]).is_empty());
    }

    #[test]
    fn a_patch_can_close_and_reopen_a_period_and_take_whole_numbers() {
        let close = format!(
            "{USER_PROV}[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2026-07\"\n\
             to = \"2026-12\"\nprovenance = \"notice\"\nfloor = 7200\n"
        );
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&close, "a.toml")
            .unwrap();
        let bj = set.region("beijing").unwrap();
        assert_eq!(
            bj.period(m("2026-12")).unwrap().floor("pension"),
            Some(d("7200"))
        );
        assert!(bj.carried(m("2027-01")).is_some());
        let reopen =
            "[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2026-07\"\nto = \"open\"\n";
        let set = set.layer_str(reopen, "b.toml").unwrap();
        let bj = set.region("beijing").unwrap();
        assert_eq!(bj.carried(m("2030-01")), None);
        assert!(bj.period(m("2030-01")).is_some());
    }
}
