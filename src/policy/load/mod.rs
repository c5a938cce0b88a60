//! Reading, validating and layering policy files. Embedded tables and user files take the
//! same path, so a shipped table is held to the same rules as a user's.
//!
//! Every problem is collected (P003) rather than stopping at the first:
//! 1. TOML syntax: the parser recovers and reports every syntax error.
//! 2. Shape (unknown keys, wrong types, floats): serde stops at the first error, so the
//!    offending entry is removed from the parsed tree and deserialisation retried.
//! 3. Figures (ranges, provenance), then the layered result (missing figures, overlaps,
//!    gaps, floor above ceiling, injury rates outside their range).

use super::schema::ConfirmationDoc;
use super::{
    Confidence, Confirmation, Evidence, Figure, PolicyError, PolicySet, Problem, Provenance,
    SourceKind,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

mod apply;
mod build;
mod convert;
mod insurance;
mod law;
mod parse;
#[cfg(test)]
mod tests;
mod validate;

use apply::apply;
use convert::convert;
use parse::parse;
use validate::validate_region;

/// Largest money figure accepted: far above any base, and keeps `base × rate + fixed`
/// well inside `Decimal`'s range.
const MONEY_MAX: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// Stop retrying after this many shape errors (a file that bad needs rewriting anyway).
const MAX_SHAPE_PROBLEMS: usize = 200;

/// Layer one policy source over `set`. Returns the new set and a line per change made
/// (for `headcount policy check`).
pub(super) fn layer(
    mut set: PolicySet,
    bytes: &[u8],
    name: &str,
    kind: SourceKind,
) -> Result<(PolicySet, Vec<String>), PolicyError> {
    let invalid = |problems| PolicyError::Invalid {
        file: name.to_string(),
        problems,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(invalid(vec![Problem {
                key: String::new(),
                line: Some(line),
                message: "the file is not UTF-8 text; save it as UTF-8".into(),
            }]));
        }
    };
    // Editors on Windows add a byte-order mark; TOML does not allow one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let layer = set.record_source(name, bytes, kind);
    let mut cx = Cx {
        text,
        origin: Arc::from(name),
        layer,
        problems: Vec::new(),
        dropped: Vec::new(),
        named: BTreeMap::new(),
    };
    let mut changes = Vec::new();
    if let Some(doc) = parse(&mut cx) {
        if let Some(c) = &doc.confirmation {
            set.confirmation = confirmation(c.get_ref());
            changes.push("confirmation".into());
        }
        let file = convert(&mut cx, &doc);
        apply(&mut cx, &mut set, file, &mut changes);
    }
    if cx.problems.is_empty() {
        Ok((set, changes))
    } else {
        let mut problems = cx.problems;
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        Err(invalid(problems))
    }
}

fn confirmation(doc: &ConfirmationDoc) -> Confirmation {
    Confirmation {
        confidence: doc.confidence.iter().map(|c| c.0).collect(),
        evidence: doc.evidence.iter().map(|e| e.0).collect(),
    }
}

/// The employer's own work-injury rate from `headcount.toml`.
pub(super) fn set_injury_rate(
    mut set: PolicySet,
    region: &str,
    rate: Decimal,
) -> Result<PolicySet, PolicyError> {
    let Some(idx) = set.regions.iter().position(|r| r.answers_to(region)) else {
        return Err(PolicyError::UnknownRegion {
            given: region.into(),
            known: set.regions.iter().map(|r| r.name.clone()).collect(),
        });
    };
    let name = set.regions[idx].name.clone();
    let origin = "headcount.toml";
    let text = format!("[[region]]\nname = \"{name}\"\ninjury_rate = \"{rate}\"\n");
    let layer = set.record_source(
        &format!("{origin} (injury_rate for {name})"),
        text.as_bytes(),
        SourceKind::Setting,
    );
    let mut cx = Cx {
        text: "",
        origin: Arc::from(origin),
        layer,
        problems: Vec::new(),
        dropped: Vec::new(),
        named: BTreeMap::new(),
    };
    let key = format!("region[{name}].injury_rate");
    cx.check_rate(rate, &key, 0);
    set.regions[idx].injury_rate = Some(Figure {
        value: rate,
        provenance: own_rate_provenance(origin),
        line: 0,
        layer,
    });
    validate_region(&mut cx, &set.regions[idx]);
    if cx.problems.is_empty() {
        Ok(set)
    } else {
        Err(PolicyError::Invalid {
            file: origin.into(),
            problems: cx.problems,
        })
    }
}

/// The employer's own rate is the employer's fact (its rate notice), not a figure we
/// could check.
fn own_rate_provenance(origin: &str) -> Arc<Provenance> {
    Arc::new(Provenance {
        source: format!("the employer's own work-injury rate, set in {origin}"),
        confidence: Confidence::Confirmed,
        evidence: Evidence::Official,
        verified_on: None,
        origin: Arc::from(origin),
    })
}

// ---------------------------------------------------------------------------------------
// Context

struct Cx<'t> {
    text: &'t str,
    origin: Arc<str>,
    layer: u32,
    problems: Vec<Problem>,
    /// Key paths dropped after a reported problem: not reported again as missing.
    dropped: Vec<String>,
    named: BTreeMap<String, Arc<Provenance>>,
}

/// Provenance a figure may inherit: not given, given but invalid (already reported), or
/// given.
#[derive(Clone)]
enum Inherit {
    None,
    Broken,
    Some(Arc<Provenance>),
}

impl Cx<'_> {
    fn line(&self, span: Range<usize>) -> u32 {
        let end = span.start.min(self.text.len());
        (self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1) as u32
    }

    fn problem(&mut self, key: &str, line: u32, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.to_string(),
            line: (line > 0).then_some(line as usize),
            message: message.into(),
        });
    }

    /// Report a missing key unless it was dropped after an earlier problem.
    fn missing(&mut self, key: &str, line: u32, message: impl Into<String>) {
        let dropped = self.dropped.iter().any(|d| {
            key == d
                || (key.starts_with(d.as_str())
                    && matches!(key.as_bytes().get(d.len()), Some(b'.' | b'[')))
        });
        if !dropped {
            self.problem(key, line, message);
        }
    }

    fn line_if_mine<T>(&self, f: &Figure<T>) -> u32 {
        if f.layer == self.layer {
            f.line
        } else {
            0
        }
    }

    fn check_rate(&mut self, v: Decimal, key: &str, line: u32) {
        if v < Decimal::ZERO || v >= Decimal::ONE {
            self.problem(
                key,
                line,
                format!("rate {v} is outside [0, 1): write rates as fractions (16% is \"0.16\")"),
            );
        }
    }

    fn check_money(&mut self, v: Decimal, key: &str, line: u32) {
        if v < Decimal::ZERO {
            self.problem(key, line, format!("amount {v} is negative"));
        } else if v > MONEY_MAX {
            self.problem(
                key,
                line,
                format!("amount {v} is implausibly large (over {MONEY_MAX})"),
            );
        }
    }
}
