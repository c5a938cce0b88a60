//! Provenance: where each policy figure comes from, how far it can be trusted, and which
//! provenance counts as confirmed (P001).

use crate::calendar::{Date, Month};
use std::fmt;
use std::sync::Arc;

use super::InsuranceId;

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
