//! The policy set: every region in force, built from the embedded tables and any user
//! layers, with the sources it was built from and their digest (the manifest's).

use crate::calendar::Month;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::{load, Confirmation, FigureRef, InsuranceId, Period, PolicyError, Region};

/// The embedded tables, in layering order: (source name, text).
pub(super) const EMBEDDED: [(&str, &str); 13] = [
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
    pub(super) regions: Vec<Region>,
    /// What counts as confirmed (P001).
    pub(super) confirmation: Confirmation,
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
    pub(super) fn empty() -> PolicySet {
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

    /// The tables shipped with headcount, through the same loader as a user file. Parsed
    /// once per process and cloned: a run, `verify` and every property-test case start
    /// from the same tables.
    pub fn embedded() -> Result<PolicySet, PolicyError> {
        static PARSED: std::sync::OnceLock<Option<PolicySet>> = std::sync::OnceLock::new();
        match PARSED.get_or_init(|| PolicySet::parse_embedded().ok()) {
            Some(set) => Ok(set.clone()),
            // A defect of the build (the embedded tables are tested to load): say why.
            None => PolicySet::parse_embedded(),
        }
    }

    fn parse_embedded() -> Result<PolicySet, PolicyError> {
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

    pub(super) fn layer_file_reporting(
        self,
        path: &Path,
    ) -> Result<(PolicySet, Vec<String>), PolicyError> {
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

    pub(super) fn record_source(&mut self, name: &str, bytes: &[u8], kind: SourceKind) -> u32 {
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

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
