//! The policy file format (TOML) as serde types.
//!
//! Every table denies unknown keys. Everything is optional here so that a missing figure
//! is reported by the validator (`load.rs`) with its key path, together with every other
//! problem, instead of stopping the parse. Values keep their spans for line numbers.
//! Leaf values go through `toml::Value` so that one type can accept, say, a plain figure
//! or a figure with its own provenance, and say precisely what is wrong otherwise.
//! `docs/policy.md` describes the format for users.

use crate::calendar::{Date, Month};
use crate::policy::{Confidence, Evidence, Rounding};
use rust_decimal::Decimal;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::{Spanned, Value};

/// Start of the message for a TOML float; the loader appends the quoted form.
pub const FLOAT_MESSAGE: &str =
    "a TOML float cannot hold money or rates exactly: write the number as a quoted string";

/// A whole policy file.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    /// Named provenance records, referenced as `provenance = "<name>"` in this file.
    #[serde(default)]
    pub provenance: BTreeMap<String, Spanned<ProvenanceDoc>>,
    #[serde(default)]
    pub region: Vec<Spanned<RegionDoc>>,
    /// Which provenance counts as confirmed; replaces the embedded definition.
    pub confirmation: Option<Spanned<ConfirmationDoc>>,
}

/// `[confirmation]`: a provenance is confirmed when its confidence is one of `confidence`
/// and its evidence one of `evidence`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationDoc {
    pub confidence: Vec<ConfidenceDoc>,
    pub evidence: Vec<EvidenceDoc>,
}

/// `[[region]]`: a new region, or changes to an existing one (matched by name, code or alias).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RegionDoc {
    pub name: Option<Spanned<String>>,
    pub code: Option<Spanned<String>>,
    pub aliases: Option<Spanned<Vec<String>>>,
    /// The employer's own work-injury rate.
    pub injury_rate: Option<Spanned<FigureDoc<Decimal>>>,
    /// Whole periods: added, or replacing the period with the same `from`.
    #[serde(default)]
    pub period: Vec<Spanned<PeriodDoc>>,
    /// Changes to single figures of the period with the same `from`.
    #[serde(default)]
    pub patch: Vec<Spanned<PeriodDoc>>,
    /// Region-wide law terms (`policy::law`), all optional.
    pub stop_month: Option<Spanned<super::law::StopMonthDoc>>,
    pub late_fee: Option<Spanned<super::law::LateFeeDoc>>,
    pub base_limits: Option<Spanned<super::law::BaseLimitsDoc>>,
    #[serde(default)]
    pub average_wage: Vec<Spanned<super::law::AverageWageDoc>>,
}

/// `[[region.period]]` and `[[region.patch]]`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct PeriodDoc {
    pub from: Option<Spanned<MonthDoc>>,
    pub to: Option<Spanned<MonthDoc>>,
    /// The month the period's notice was published, when after `from` (top-ups).
    pub published: Option<Spanned<MonthDoc>>,
    /// Default provenance for every figure of the period.
    pub provenance: Option<Spanned<ProvenanceRef>>,
    pub contribution_year_start: Option<Spanned<FigureDoc<u32>>>,
    pub leaving_month_charged: Option<Spanned<FigureDoc<bool>>>,
    pub retro_limit_months: Option<Spanned<FigureDoc<u32>>>,
    /// Defaults for every insurance of the period.
    pub floor: Option<Spanned<FigureDoc<Decimal>>>,
    pub ceiling: Option<Spanned<FigureDoc<Decimal>>>,
    pub rounding: Option<Spanned<FigureDoc<Rounding>>>,
    pub pension: Option<Spanned<InsuranceDoc>>,
    pub medical: Option<Spanned<InsuranceDoc>>,
    pub unemployment: Option<Spanned<InsuranceDoc>>,
    pub injury: Option<Spanned<InsuranceDoc>>,
    /// Region extras (`serious_illness`, `maternity`, …).
    #[serde(default)]
    pub extra: BTreeMap<String, Spanned<InsuranceDoc>>,
    /// `[[region.period.change]]`: from a month inside the period on, single figures of
    /// some insurances change (a rate changed mid-year); same keys as a patch.
    #[serde(default)]
    pub change: Vec<Spanned<PeriodDoc>>,
}

/// One insurance of a period.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct InsuranceDoc {
    pub provenance: Option<Spanned<ProvenanceRef>>,
    pub floor: Option<Spanned<FigureDoc<Decimal>>>,
    pub ceiling: Option<Spanned<FigureDoc<Decimal>>>,
    pub employer_rate: Option<Spanned<FigureDoc<Decimal>>>,
    pub employee_rate: Option<Spanned<FigureDoc<Decimal>>>,
    pub employer_fixed: Option<Spanned<FigureDoc<Decimal>>>,
    pub employee_fixed: Option<Spanned<FigureDoc<Decimal>>>,
    /// Both parties, unless a party gives its own.
    pub rounding: Option<Spanned<FigureDoc<Rounding>>>,
    pub employer_rounding: Option<Spanned<FigureDoc<Rounding>>>,
    pub employee_rounding: Option<Spanned<FigureDoc<Rounding>>>,
    /// `injury` only: the allowed range of an employer's own rate.
    pub employer_rate_min: Option<Spanned<FigureDoc<Decimal>>>,
    pub employer_rate_max: Option<Spanned<FigureDoc<Decimal>>>,
    /// Tiers other than tier 1 (the rates above), by number: `[….medical.tier.2]`.
    #[serde(default)]
    pub tier: BTreeMap<String, Spanned<TierDoc>>,
}

/// A tier's rates (Shenzhen medical 二档): the rest is the insurance's.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TierDoc {
    pub provenance: Option<Spanned<ProvenanceRef>>,
    pub employer_rate: Option<Spanned<FigureDoc<Decimal>>>,
    pub employee_rate: Option<Spanned<FigureDoc<Decimal>>>,
    /// Open only to people whose hukou is not local (Shenzhen 二档): A018 otherwise.
    #[serde(default)]
    pub nonlocal_only: bool,
}

/// A provenance record. All three keys are required (checked by the loader): a partial
/// record would silently borrow the rest from somewhere else.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceDoc {
    pub source: Option<String>,
    pub confidence: Option<ConfidenceDoc>,
    /// official, official-citing, third-party or memory; default from the confidence.
    pub evidence: Option<EvidenceDoc>,
    pub verified_on: Option<DateDoc>,
}

/// `provenance = "name"` (a record of `[provenance.name]`) or an inline record.
#[derive(Debug, Clone)]
pub enum ProvenanceRef {
    Named(String),
    Inline(ProvenanceDoc),
}

impl<'de> Deserialize<'de> for ProvenanceRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(name) => Ok(ProvenanceRef::Named(name)),
            v @ Value::Table(_) => ProvenanceDoc::deserialize(v)
                .map(ProvenanceRef::Inline)
                .map_err(|e| D::Error::custom(e.message())),
            other => Err(D::Error::custom(format!(
                "expected the name of a [provenance.<name>] record or an inline table \
                 {{ source = …, confidence = …, verified_on = … }}, found a {}",
                other.type_str()
            ))),
        }
    }
}

/// A figure: a bare value (`"0.16"`), or `{ value = "0.16", provenance = … }` to give it
/// its own provenance.
#[derive(Debug, Clone)]
pub struct FigureDoc<T> {
    pub value: T,
    pub provenance: Option<ProvenanceRef>,
}

/// Values a figure can hold.
pub trait FigureValue: Sized {
    fn from_toml(v: &Value) -> Result<Self, String>;
}

impl<'de, T: FigureValue> Deserialize<'de> for FigureDoc<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            value: Option<Value>,
            provenance: Option<ProvenanceRef>,
        }
        let v = Value::deserialize(d)?;
        if let Value::Table(_) = v {
            let full = Full::deserialize(v).map_err(|e| D::Error::custom(e.message()))?;
            let value = full
                .value
                .ok_or_else(|| D::Error::custom("a figure table needs `value = …`"))?;
            return Ok(FigureDoc {
                value: T::from_toml(&value).map_err(D::Error::custom)?,
                provenance: full.provenance,
            });
        }
        Ok(FigureDoc {
            value: T::from_toml(&v).map_err(D::Error::custom)?,
            provenance: None,
        })
    }
}

impl FigureValue for Decimal {
    fn from_toml(v: &Value) -> Result<Decimal, String> {
        match v {
            Value::String(s) => parse_decimal(s),
            Value::Integer(i) => Ok(Decimal::from(*i)),
            Value::Float(_) => Err(FLOAT_MESSAGE.to_string()),
            other => Err(format!(
                "expected a number as a quoted string (\"0.16\", \"7162\"), found a {}",
                other.type_str()
            )),
        }
    }
}

/// Plain decimal notation only: no exponent, sign, separators or percent sign, so that
/// what the file says is what is computed.
pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    if let Some(pct) = s.trim().strip_suffix('%') {
        return Err(format!(
            "write rates as fractions, not percentages: \"{}\" is written \"{}\"",
            s,
            parse_decimal(pct.trim())
                .map(|d| (d / Decimal::ONE_HUNDRED).normalize().to_string())
                .unwrap_or_else(|_| "0.xx".into())
        ));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let ok = !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(format!(
            "`{s}` is not a plain decimal number (write e.g. \"7162\" or \"0.005\")"
        ));
    }
    Decimal::from_str_exact(s).map_err(|e| format!("`{s}` cannot be held exactly: {e}"))
}

impl FigureValue for bool {
    fn from_toml(v: &Value) -> Result<bool, String> {
        match v {
            Value::Boolean(b) => Ok(*b),
            other => Err(format!(
                "expected true or false, found a {}",
                other.type_str()
            )),
        }
    }
}

impl FigureValue for u32 {
    fn from_toml(v: &Value) -> Result<u32, String> {
        match v {
            Value::Integer(i) => u32::try_from(*i).map_err(|_| format!("{i} is out of range")),
            Value::String(s) => s
                .parse()
                .map_err(|_| format!("expected a whole number, found `{s}`")),
            Value::Float(_) => Err("expected a whole number, found a float".into()),
            other => Err(format!(
                "expected a whole number, found a {}",
                other.type_str()
            )),
        }
    }
}

impl FigureValue for Rounding {
    fn from_toml(v: &Value) -> Result<Rounding, String> {
        match v {
            Value::String(s) => Rounding::from_id(s).ok_or_else(|| {
                format!(
                    "unknown rounding mode `{s}`; use one of: {}",
                    Rounding::ids()
                )
            }),
            other => Err(format!(
                "expected a rounding mode ({}), found a {}",
                Rounding::ids(),
                other.type_str()
            )),
        }
    }
}

/// A month `"YYYY-MM"`, or `"open"` for `to` (no end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthDoc {
    Month(Month),
    Open,
}

impl<'de> Deserialize<'de> for MonthDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) if s == "open" => Ok(MonthDoc::Open),
            Value::String(s) => s.parse().map(MonthDoc::Month).map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected a month as a quoted \"YYYY-MM\", found a {}",
                other.type_str()
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ConfidenceDoc(pub Confidence);

impl<'de> Deserialize<'de> for ConfidenceDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Confidence::from_id(&s).map(ConfidenceDoc).ok_or_else(|| {
            D::Error::custom(format!(
                "unknown confidence `{s}`; use one of: {}",
                Confidence::ids()
            ))
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct EvidenceDoc(pub Evidence);

impl<'de> Deserialize<'de> for EvidenceDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Evidence::from_id(&s).map(EvidenceDoc).ok_or_else(|| {
            D::Error::custom(format!(
                "unknown evidence `{s}`; use one of: {}",
                Evidence::ids()
            ))
        })
    }
}

/// A date: a TOML local date (`2025-09-19`) or the same quoted.
#[derive(Debug, Clone, Copy)]
pub struct DateDoc(pub Date);

impl<'de> Deserialize<'de> for DateDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            Value::String(s) => s,
            other => {
                return Err(D::Error::custom(format!(
                    "expected a date such as 2025-09-19, found {}",
                    other
                )))
            }
        };
        text.parse().map(DateDoc).map_err(D::Error::custom)
    }
}
