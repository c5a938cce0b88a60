//! Reading, validating and layering policy files. Embedded tables and user files take the
//! same path, so a shipped table is held to the same rules as a user's.
//!
//! Every problem is collected (P003) rather than stopping at the first:
//! 1. TOML syntax: the parser recovers and reports every syntax error.
//! 2. Shape (unknown keys, wrong types, floats): serde stops at the first error, so the
//!    offending entry is removed from the parsed tree and deserialisation retried.
//! 3. Figures (ranges, provenance), then the layered result (missing figures, overlaps,
//!    gaps, floor above ceiling, injury rates outside their range).

use super::law::{AverageWage, BaseLimits, LateFee, Law};
use super::schema::{
    ConfirmationDoc, FigureDoc, InsuranceDoc, MonthDoc, PeriodDoc, PolicyDoc, ProvenanceDoc,
    ProvenanceRef, RegionDoc, FLOAT_MESSAGE,
};
use super::{
    Confidence, Confirmation, Evidence, Figure, Insurance, InsuranceId, Party, Period, PolicyError,
    PolicySet, Problem, Provenance, RateRange, Region, Rounding, SourceKind, Tier,
};
use crate::calendar::Month;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

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

// ---------------------------------------------------------------------------------------
// Stage 1–2: text → PolicyDoc

fn parse(cx: &mut Cx) -> Option<PolicyDoc> {
    let (mut root, errors) = DeTable::parse_recoverable(cx.text);
    if !errors.is_empty() {
        for e in errors {
            let line = e.span().map_or(0, |s| cx.line(s));
            cx.problem("", line, format!("TOML syntax: {}", e.message()));
        }
        return None;
    }
    for _ in 0..MAX_SHAPE_PROBLEMS {
        let err = match PolicyDoc::deserialize(toml::Deserializer::from(root.clone())) {
            Ok(doc) => return Some(doc),
            Err(e) => e,
        };
        let Some(span) = err.span() else {
            cx.problem("", 0, err.message().to_string());
            return None;
        };
        let mut message = err.message().to_string();
        if message.starts_with(FLOAT_MESSAGE) {
            let raw = cx.text.get(span.clone()).unwrap_or("").trim();
            if !raw.is_empty()
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"+-._eE".contains(&b))
            {
                message.push_str(&format!(": \"{}\"", raw.replace('_', "")));
            }
        }
        let steps = locate(root.get_ref(), &span);
        let key = path_label(root.get_ref(), &steps);
        cx.problem(&key, cx.line(span), message);
        if steps.is_empty() || !remove(root.get_mut(), &steps) {
            return None;
        }
        cx.dropped.push(key);
    }
    None
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The path to the entry an error span points at: an exact match of a key or value if
/// there is one, else the deepest entry containing it.
fn locate(root: &DeTable, span: &Range<usize>) -> Vec<Step> {
    fn walk(
        t: &DeTable,
        span: &Range<usize>,
        path: &mut Vec<Step>,
        best: &mut Option<((bool, usize), Vec<Step>)>,
    ) {
        fn consider(best: &mut Option<((bool, usize), Vec<Step>)>, path: &[Step], exact: bool) {
            let rank = (exact, path.len());
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                *best = Some((rank, path.to_vec()));
            }
        }
        for (k, v) in t.iter() {
            path.push(Step::Key(k.get_ref().to_string()));
            let (ks, vs) = (k.span(), v.span());
            if contains(&ks, span) || contains(&vs, span) {
                consider(best, path, ks == *span || vs == *span);
            }
            match v.get_ref() {
                DeValue::Table(inner) => walk(inner, span, path, best),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Step::Index(i));
                        if contains(&item.span(), span) {
                            consider(best, path, item.span() == *span);
                        }
                        if let DeValue::Table(inner) = item.get_ref() {
                            walk(inner, span, path, best);
                        }
                        path.pop();
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }
    let mut best = None;
    walk(root, span, &mut Vec::new(), &mut best);
    best.map(|(_, p)| p).unwrap_or_default()
}

/// Remove the entry at `steps`; an array element takes its whole array with it (arrays
/// cannot drop one element, and the problem is reported already).
fn remove(t: &mut DeTable, steps: &[Step]) -> bool {
    match steps {
        [Step::Key(k)] | [Step::Key(k), Step::Index(_)] => t.remove(k.as_str()).is_some(),
        [Step::Key(k), rest @ ..] => {
            let Some(v) = t.get_mut(k.as_str()) else {
                return false;
            };
            match (v.get_mut(), rest) {
                (DeValue::Table(inner), _) => remove(inner, rest),
                (DeValue::Array(items), [Step::Index(i), rest2 @ ..]) => {
                    match items.get_mut(*i).map(|x| x.get_mut()) {
                        Some(DeValue::Table(inner)) => remove(inner, rest2),
                        _ => false,
                    }
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// `region[beijing].period[2025-07].pension.floor`: the same labels the validator uses.
fn path_label(root: &DeTable, steps: &[Step]) -> String {
    let mut out = String::new();
    let mut table = Some(root);
    let mut array: Option<&[Spanned<DeValue>]> = None;
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
                let v = table.and_then(|t| t.get(k.as_str())).map(|v| v.get_ref());
                table = match v {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                };
                array = match v {
                    Some(DeValue::Array(a)) => Some(a),
                    _ => None,
                };
            }
            Step::Index(i) => {
                let item = array.and_then(|a| a.get(*i)).map(|v| v.get_ref());
                let t = match item {
                    Some(DeValue::Table(t)) => Some(t),
                    _ => None,
                };
                let label = t.and_then(element_label);
                out.push_str(&format!(
                    "[{}]",
                    label.unwrap_or_else(|| format!("#{}", i + 1))
                ));
                table = t;
                array = None;
            }
        }
    }
    out
}

/// Array-of-tables elements are named by `name` (regions) or a valid `from` (periods).
fn element_label(t: &DeTable) -> Option<String> {
    if let Some(DeValue::String(name)) = t.get("name").map(|v| v.get_ref()) {
        return Some(name.to_string());
    }
    match t.get("from").map(|v| v.get_ref()) {
        Some(DeValue::String(from)) if from.parse::<Month>().is_ok() => Some(from.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Stage 3a: PolicyDoc → partial figures, checked one by one

struct FileLayer {
    regions: Vec<RegionLayer>,
}

struct RegionLayer {
    key: String,
    line: u32,
    name: Option<String>,
    code: Option<(String, u32)>,
    aliases: Vec<String>,
    injury_rate: Option<Figure<Decimal>>,
    periods: Vec<PartialPeriod>,
    patches: Vec<PartialPeriod>,
    law: LawLayer,
}

/// The law terms a layer gives (`policy::law`); each replaces the earlier layer's.
#[derive(Default)]
struct LawLayer {
    stop_month: Option<Figure<u32>>,
    late_fee: Option<LateFee>,
    base_limits: Option<BaseLimits>,
    average_wages: Vec<AverageWage>,
}

/// A period as written: any figure may be absent (a patch), or a whole period still to be
/// checked for completeness.
struct PartialPeriod {
    key: String,
    line: u32,
    from: Option<Month>,
    to: Option<MonthDoc>,
    published: Option<MonthDoc>,
    contribution_year_start: Option<Figure<u32>>,
    leaving_month_charged: Option<Figure<bool>>,
    retro_limit_months: Option<Figure<u32>>,
    floor: Option<Figure<Decimal>>,
    ceiling: Option<Figure<Decimal>>,
    rounding: Option<Figure<Rounding>>,
    insurances: Vec<PartialInsurance>,
    /// Mid-period changes of single figures, each from its own month.
    changes: Vec<PartialPeriod>,
}

struct PartialInsurance {
    id: InsuranceId,
    key: String,
    line: u32,
    floor: Option<Figure<Decimal>>,
    ceiling: Option<Figure<Decimal>>,
    employer: PartialParty,
    employee: PartialParty,
    rate_min: Option<Figure<Decimal>>,
    rate_max: Option<Figure<Decimal>>,
    /// `None` when the table names no tier (a change then keeps the period's).
    tiers: Option<Vec<Tier>>,
}

#[derive(Default)]
struct PartialParty {
    rate: Option<Figure<Decimal>>,
    fixed: Option<Figure<Decimal>>,
    rounding: Option<Figure<Rounding>>,
}

fn convert(cx: &mut Cx, doc: &PolicyDoc) -> FileLayer {
    for (name, rec) in &doc.provenance {
        let key = format!("provenance.{name}");
        let line = cx.line(rec.span());
        if let Some(p) = provenance(cx, rec.get_ref(), &key, line) {
            cx.named.insert(name.clone(), p);
        }
    }
    let regions = doc
        .region
        .iter()
        .enumerate()
        .map(|(i, r)| region_layer(cx, r, i))
        .collect();
    FileLayer { regions }
}

fn provenance(cx: &mut Cx, doc: &ProvenanceDoc, key: &str, line: u32) -> Option<Arc<Provenance>> {
    let source = doc
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if source.is_none() {
        cx.missing(
            &format!("{key}.source"),
            line,
            "provenance needs a `source` (document number and/or URL)",
        );
    }
    if doc.confidence.is_none() {
        cx.missing(
            &format!("{key}.confidence"),
            line,
            format!("provenance needs a `confidence` ({})", Confidence::ids()),
        );
    }
    if doc.verified_on.is_none() {
        cx.missing(
            &format!("{key}.verified_on"),
            line,
            "provenance needs a `verified_on` date (e.g. 2025-09-19)",
        );
    }
    Some(Arc::new(Provenance {
        source: source?.to_string(),
        confidence: doc.confidence?.0,
        evidence: doc.evidence.map_or_else(
            || {
                doc.confidence
                    .map_or(Evidence::Memory, |c| c.0.default_evidence())
            },
            |e| e.0,
        ),
        verified_on: Some(doc.verified_on?.0),
        origin: cx.origin.clone(),
    }))
}

fn resolve(cx: &mut Cx, r: &ProvenanceRef, key: &str, line: u32) -> Option<Arc<Provenance>> {
    match r {
        ProvenanceRef::Named(name) => {
            let found = cx.named.get(name).cloned();
            if found.is_none()
                && !cx
                    .dropped
                    .iter()
                    .any(|d| d == &format!("provenance.{name}"))
            {
                let known: Vec<_> = cx.named.keys().cloned().collect();
                cx.problem(
                    key,
                    line,
                    format!(
                        "unknown provenance `{name}`: define it as [provenance.{name}] in this file{}",
                        if known.is_empty() {
                            String::new()
                        } else {
                            format!(" (defined here: {})", known.join(", "))
                        }
                    ),
                );
            }
            found
        }
        ProvenanceRef::Inline(doc) => provenance(cx, doc, key, line),
    }
}

fn inherit(cx: &mut Cx, p: &Option<Spanned<ProvenanceRef>>, key: &str) -> Inherit {
    match p {
        None => Inherit::None,
        Some(sp) => {
            let line = cx.line(sp.span());
            match resolve(cx, sp.get_ref(), key, line) {
                Some(p) => Inherit::Some(p),
                None => Inherit::Broken,
            }
        }
    }
}

/// A figure with its provenance: its own, else the nearest inherited one.
fn figure<T: Clone>(
    cx: &mut Cx,
    doc: &Option<Spanned<FigureDoc<T>>>,
    key: &str,
    chain: &[&Inherit],
) -> Option<Figure<T>> {
    let sp = doc.as_ref()?;
    let line = cx.line(sp.span());
    let prov = match &sp.get_ref().provenance {
        Some(r) => resolve(cx, r, &format!("{key}.provenance"), line),
        None => match chain.iter().find(|i| !matches!(i, Inherit::None)) {
            Some(Inherit::Some(p)) => Some(p.clone()),
            Some(_) => None,
            None => {
                cx.problem(
                    key,
                    line,
                    "no provenance for this figure: give `provenance` on the figure \
                     ({ value = …, provenance = … }), its insurance or its period",
                );
                None
            }
        },
    };
    let Some(provenance) = prov else {
        cx.dropped.push(key.to_string());
        return None;
    };
    Some(Figure {
        value: sp.get_ref().value.clone(),
        provenance,
        line,
        layer: cx.layer,
    })
}

fn rate(
    cx: &mut Cx,
    doc: &Option<Spanned<FigureDoc<Decimal>>>,
    key: &str,
    chain: &[&Inherit],
) -> Option<Figure<Decimal>> {
    let f = figure(cx, doc, key, chain)?;
    cx.check_rate(f.value, key, f.line);
    Some(f)
}

fn money(
    cx: &mut Cx,
    doc: &Option<Spanned<FigureDoc<Decimal>>>,
    key: &str,
    chain: &[&Inherit],
) -> Option<Figure<Decimal>> {
    let f = figure(cx, doc, key, chain)?;
    cx.check_money(f.value, key, f.line);
    Some(f)
}

fn region_layer(cx: &mut Cx, sp: &Spanned<RegionDoc>, index: usize) -> RegionLayer {
    let doc = sp.get_ref();
    let line = cx.line(sp.span());
    let name = doc.name.as_ref().map(|n| n.get_ref().trim().to_string());
    let key = format!(
        "region[{}]",
        doc.name
            .as_ref()
            .map_or_else(|| format!("#{}", index + 1), |n| n.get_ref().clone())
    );
    if name.is_none() {
        cx.missing(&format!("{key}.name"), line, "a [[region]] needs a `name`");
    }
    let code = doc
        .code
        .as_ref()
        .map(|c| (c.get_ref().trim().to_string(), cx.line(c.span())));
    if let Some((code, cline)) = &code {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            cx.problem(
                &format!("{key}.code"),
                *cline,
                format!("`{code}` is not a 6-digit administrative division code (e.g. \"110000\")"),
            );
        }
    }
    let aliases = doc
        .aliases
        .as_ref()
        .map(|a| a.get_ref().iter().map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    // The employer's own rate needs no provenance record: it is the employer's fact.
    let own = Inherit::Some(own_rate_provenance(&cx.origin));
    let ikey = format!("{key}.injury_rate");
    let injury_rate = rate(cx, &doc.injury_rate, &ikey, &[&own]);
    let periods = doc
        .period
        .iter()
        .enumerate()
        .map(|(i, p)| partial_period(cx, p, &format!("{key}.period"), i))
        .collect();
    let patches = doc
        .patch
        .iter()
        .enumerate()
        .map(|(i, p)| partial_period(cx, p, &format!("{key}.patch"), i))
        .collect();
    let law = law_layer(cx, doc, &key);
    RegionLayer {
        key,
        line,
        name,
        code,
        aliases,
        injury_rate,
        periods,
        patches,
        law,
    }
}

/// A table of law terms whose figures must all be present (a partial table would mix
/// terms from two sources).
fn law_layer(cx: &mut Cx, doc: &RegionDoc, key: &str) -> LawLayer {
    let mut out = LawLayer::default();
    if let Some(sp) = &doc.stop_month {
        let k = format!("{key}.stop_month");
        let t = sp.get_ref();
        let chain = [&inherit(cx, &t.provenance, &format!("{k}.provenance"))];
        let fk = format!("{k}.months_after_leaving");
        out.stop_month = figure(cx, &t.months_after_leaving, &fk, &chain);
        match &out.stop_month {
            Some(f) if f.value > 1 => cx.problem(
                &fk,
                f.line,
                format!(
                    "{} is not 0 (the leaving month) or 1 (the month after)",
                    f.value
                ),
            ),
            Some(_) => {}
            None => cx.missing(
                &fk,
                cx.line(sp.span()),
                "give `months_after_leaving` (0 or 1)",
            ),
        }
    }
    if let Some(sp) = &doc.late_fee {
        let k = format!("{key}.late_fee");
        let t = sp.get_ref();
        let chain = [&inherit(cx, &t.provenance, &format!("{k}.provenance"))];
        let daily_rate = rate(cx, &t.daily_rate, &format!("{k}.daily_rate"), &chain);
        let fk = format!("{k}.from_day_of_next_month");
        let from_day = figure(cx, &t.from_day_of_next_month, &fk, &chain);
        if let Some(f) = from_day.as_ref().filter(|f| !(1..=31).contains(&f.value)) {
            cx.problem(
                &fk,
                f.line,
                format!("{} is not a day of the month (1–31)", f.value),
            );
        }
        let rounding = figure(cx, &t.rounding, &format!("{k}.rounding"), &chain);
        match (daily_rate, from_day, rounding) {
            (Some(daily_rate), Some(from_day), Some(rounding)) => {
                out.late_fee = Some(LateFee {
                    daily_rate,
                    from_day,
                    rounding,
                })
            }
            _ => cx.missing(
                &k,
                cx.line(sp.span()),
                "[region.late_fee] needs `daily_rate`, `from_day_of_next_month` and `rounding`",
            ),
        }
    }
    if let Some(sp) = &doc.base_limits {
        let k = format!("{key}.base_limits");
        let t = sp.get_ref();
        let chain = [&inherit(cx, &t.provenance, &format!("{k}.provenance"))];
        let floor_share = figure(cx, &t.floor_share, &format!("{k}.floor_share"), &chain);
        let ceiling_share = figure(cx, &t.ceiling_share, &format!("{k}.ceiling_share"), &chain);
        let tolerance = money(cx, &t.tolerance, &format!("{k}.tolerance"), &chain);
        match (floor_share, ceiling_share, tolerance) {
            (Some(floor_share), Some(ceiling_share), Some(tolerance)) => {
                out.base_limits = Some(BaseLimits {
                    floor_share,
                    ceiling_share,
                    tolerance,
                })
            }
            _ => cx.missing(
                &k,
                cx.line(sp.span()),
                "[region.base_limits] needs `floor_share`, `ceiling_share` and `tolerance`",
            ),
        }
    }
    for (i, sp) in doc.average_wage.iter().enumerate() {
        let t = sp.get_ref();
        let line = cx.line(sp.span());
        let Some(year) = t.year.as_ref().map(|y| *y.get_ref()) else {
            cx.missing(
                &format!("{key}.average_wage[#{}].year", i + 1),
                line,
                "an [[region.average_wage]] needs the `year` it describes",
            );
            continue;
        };
        let k = format!("{key}.average_wage[{year}]");
        let chain = [&inherit(cx, &t.provenance, &format!("{k}.provenance"))];
        let mk = format!("{k}.monthly");
        match money(cx, &t.monthly, &mk, &chain) {
            Some(f) if f.value <= Decimal::ZERO => {
                cx.problem(&mk, f.line, "an average wage is above zero")
            }
            Some(monthly) => {
                if out.average_wages.iter().any(|w| w.year == year as i32) {
                    cx.problem(&k, line, format!("the year {year} is given twice"));
                }
                out.average_wages.push(AverageWage {
                    year: year as i32,
                    monthly,
                });
            }
            None => cx.missing(&mk, line, "give the `monthly` average wage in yuan"),
        }
    }
    out
}

/// Layers `new` over `law`: each given term replaces the old one, wages year by year.
fn merge_law(law: &mut Law, new: LawLayer, rname: &str, changes: &mut Vec<String>) {
    if let Some(f) = new.stop_month {
        changes.push(format!(
            "{rname}: stop month is the leaving month + {}",
            f.value
        ));
        law.stop_month = Some(f);
    }
    if let Some(f) = new.late_fee {
        changes.push(format!("{rname}: late fee {} a day", f.daily_rate.value));
        law.late_fee = Some(f);
    }
    if let Some(f) = new.base_limits {
        changes.push(format!("{rname}: sets the base-limit shares"));
        law.base_limits = Some(f);
    }
    for w in new.average_wages {
        changes.push(format!(
            "{rname}: average wage {} = {}",
            w.year, w.monthly.value
        ));
        law.average_wages.retain(|old| old.year != w.year);
        law.average_wages.push(w);
    }
    law.average_wages.sort_by_key(|w| w.year);
}

fn partial_period(
    cx: &mut Cx,
    sp: &Spanned<PeriodDoc>,
    prefix: &str,
    index: usize,
) -> PartialPeriod {
    let doc = sp.get_ref();
    let line = cx.line(sp.span());
    let from = match doc.from.as_ref().map(|f| (*f.get_ref(), cx.line(f.span()))) {
        Some((MonthDoc::Month(m), _)) => Some(m),
        Some((MonthDoc::Open, fline)) => {
            cx.problem(
                &format!("{prefix}[#{}].from", index + 1),
                fline,
                "`from` must be a month (YYYY-MM); only `to` can be \"open\"",
            );
            None
        }
        None => None,
    };
    let key = match from {
        Some(m) => format!("{prefix}[{m}]"),
        None => format!("{prefix}[#{}]", index + 1),
    };
    if from.is_none() {
        cx.missing(
            &format!("{key}.from"),
            line,
            "a period needs `from = \"YYYY-MM\"`",
        );
    }
    let k = |name: &str| format!("{key}.{name}");
    let pp = inherit(cx, &doc.provenance, &k("provenance"));
    let chain = [&pp];
    let contribution_year_start = figure(
        cx,
        &doc.contribution_year_start,
        &k("contribution_year_start"),
        &chain,
    );
    if let Some(f) = &contribution_year_start {
        if !(1..=12).contains(&f.value) {
            cx.problem(
                &k("contribution_year_start"),
                f.line,
                format!("{} is not a month number (1–12; 7 = July–June)", f.value),
            );
        }
    }
    let leaving_month_charged = figure(
        cx,
        &doc.leaving_month_charged,
        &k("leaving_month_charged"),
        &chain,
    );
    let retro_limit_months = figure(
        cx,
        &doc.retro_limit_months,
        &k("retro_limit_months"),
        &chain,
    );
    if let Some(f) = &retro_limit_months {
        if f.value > 1200 {
            cx.problem(
                &k("retro_limit_months"),
                f.line,
                format!("{} months is implausible", f.value),
            );
        }
    }
    let floor = money(cx, &doc.floor, &k("floor"), &chain);
    let ceiling = money(cx, &doc.ceiling, &k("ceiling"), &chain);
    let rounding = figure(cx, &doc.rounding, &k("rounding"), &chain);
    let mut insurances = Vec::new();
    let core = [
        (InsuranceId::PENSION, &doc.pension),
        (InsuranceId::MEDICAL, &doc.medical),
        (InsuranceId::UNEMPLOYMENT, &doc.unemployment),
        (InsuranceId::INJURY, &doc.injury),
    ];
    for (id, ins) in core {
        if let Some(ins) = ins {
            insurances.push(partial_insurance(cx, id, ins, &k(id.as_str()), &pp));
        }
    }
    for (name, ins) in &doc.extra {
        let ikey = format!("{key}.extra.{name}");
        let well_formed = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            cx.problem(
                &ikey,
                cx.line(ins.span()),
                "an extra insurance name is lowercase ASCII letters, digits and `_` (it becomes a column name)",
            );
            continue;
        }
        let id = InsuranceId::intern(name);
        if InsuranceId::CORE.contains(&id) {
            cx.problem(
                &ikey,
                cx.line(ins.span()),
                format!("`{name}` is a core insurance: write it as [region.period.{name}], not under `extra`"),
            );
            continue;
        }
        insurances.push(partial_insurance(cx, id, ins, &ikey, &pp));
    }
    let mut changes = Vec::new();
    for (i, ch) in doc.change.iter().enumerate() {
        let c = ch.get_ref();
        let cline = cx.line(ch.span());
        let period_wide = [
            ("to", c.to.is_some()),
            ("published", c.published.is_some()),
            (
                "contribution_year_start",
                c.contribution_year_start.is_some(),
            ),
            ("leaving_month_charged", c.leaving_month_charged.is_some()),
            ("retro_limit_months", c.retro_limit_months.is_some()),
            ("change", !c.change.is_empty()),
        ];
        let mut ok = true;
        for (name, given) in period_wide {
            if given {
                cx.problem(
                    &format!("{key}.change[#{}].{name}", i + 1),
                    cline,
                    format!("a change inside a period gives `from` and insurance figures only, not `{name}`"),
                );
                ok = false;
            }
        }
        if ok {
            changes.push(partial_period(cx, ch, &format!("{key}.change"), i));
        }
    }
    PartialPeriod {
        key,
        line,
        from,
        to: doc.to.as_ref().map(|t| *t.get_ref()),
        published: doc.published.as_ref().map(|t| *t.get_ref()),
        contribution_year_start,
        leaving_month_charged,
        retro_limit_months,
        floor,
        ceiling,
        rounding,
        insurances,
        changes,
    }
}

fn partial_insurance(
    cx: &mut Cx,
    id: InsuranceId,
    sp: &Spanned<InsuranceDoc>,
    key: &str,
    period_prov: &Inherit,
) -> PartialInsurance {
    let doc = sp.get_ref();
    let line = cx.line(sp.span());
    let k = |name: &str| format!("{key}.{name}");
    let own = inherit(cx, &doc.provenance, &k("provenance"));
    let chain = [&own, period_prov];
    let both = figure(cx, &doc.rounding, &k("rounding"), &chain);
    let employer = PartialParty {
        rate: rate(cx, &doc.employer_rate, &k("employer_rate"), &chain),
        fixed: money(cx, &doc.employer_fixed, &k("employer_fixed"), &chain),
        rounding: figure(cx, &doc.employer_rounding, &k("employer_rounding"), &chain)
            .or(both.clone()),
    };
    let mut employee = PartialParty {
        rate: rate(cx, &doc.employee_rate, &k("employee_rate"), &chain),
        fixed: money(cx, &doc.employee_fixed, &k("employee_fixed"), &chain),
        rounding: figure(cx, &doc.employee_rounding, &k("employee_rounding"), &chain),
    };
    if id.employee_pays_nothing() {
        let law = "employees pay nothing for work injury and maternity (社会保险法 Art. 53, 工伤保险条例 Art. 10)";
        for (f, name) in [
            (&employee.rate, "employee_rate"),
            (&employee.fixed, "employee_fixed"),
        ] {
            if let Some(f) = f {
                if !f.value.is_zero() {
                    cx.problem(
                        &k(name),
                        f.line,
                        format!("{law}: {name} must be 0 or absent, found {}", f.value),
                    );
                }
            }
        }
        if let Some(f) = &employee.rounding {
            cx.problem(
                &k("employee_rounding"),
                f.line,
                format!("{law}: remove employee_rounding"),
            );
        }
        employee = PartialParty::default();
    } else {
        employee.rounding = employee.rounding.or(both);
    }
    let rate_min = rate(cx, &doc.employer_rate_min, &k("employer_rate_min"), &chain);
    let rate_max = rate(cx, &doc.employer_rate_max, &k("employer_rate_max"), &chain);
    if id != InsuranceId::INJURY {
        for (f, name) in [
            (&rate_min, "employer_rate_min"),
            (&rate_max, "employer_rate_max"),
        ] {
            if let Some(f) = f {
                cx.problem(&k(name), f.line, "only `injury` has an allowed rate range");
            }
        }
    }
    let tiers = (!doc.tier.is_empty()).then(|| tiers(cx, id, doc, key, &chain));
    PartialInsurance {
        id,
        key: key.to_string(),
        line,
        floor: money(cx, &doc.floor, &k("floor"), &chain),
        ceiling: money(cx, &doc.ceiling, &k("ceiling"), &chain),
        employer,
        employee,
        rate_min,
        rate_max,
        tiers,
    }
}

/// `[….tier.N]` tables: N from 2 to 9 (tier 1 is the insurance's own rates), both rates
/// required, each with its provenance.
fn tiers(
    cx: &mut Cx,
    id: InsuranceId,
    doc: &InsuranceDoc,
    key: &str,
    chain: &[&Inherit],
) -> Vec<Tier> {
    let mut out = Vec::new();
    for (name, sp) in &doc.tier {
        let tk = format!("{key}.tier.{name}");
        let line = cx.line(sp.span());
        let number = match name.parse::<u8>() {
            Ok(n @ 2..=9) => n,
            _ => {
                cx.problem(
                    &tk,
                    line,
                    format!("a tier is a number from 2 to 9 (tier 1 is {id}'s own rates), found `{name}`"),
                );
                continue;
            }
        };
        if id.employee_pays_nothing() {
            cx.problem(&tk, line, format!("{id} has no tiers"));
            continue;
        }
        let t = sp.get_ref();
        let own = inherit(cx, &t.provenance, &format!("{tk}.provenance"));
        let chain: Vec<&Inherit> = std::iter::once(&own).chain(chain.iter().copied()).collect();
        let employer = rate(cx, &t.employer_rate, &format!("{tk}.employer_rate"), &chain);
        let employee = rate(cx, &t.employee_rate, &format!("{tk}.employee_rate"), &chain);
        match (employer, employee) {
            (Some(employer_rate), Some(employee_rate)) => out.push(Tier {
                number,
                employer_rate,
                employee_rate,
                nonlocal_only: t.nonlocal_only,
            }),
            _ => cx.missing(
                &tk,
                line,
                format!("tier {number} of {id} needs `employer_rate` and `employee_rate`"),
            ),
        }
    }
    out.sort_by_key(|t| t.number);
    out
}

// ---------------------------------------------------------------------------------------
// Stage 3b: complete periods and apply the layer

/// A whole period, split at each of its changes: the pieces share every figure except
/// those a change gives, from its month to the period's end (or the next change).
fn complete_with_changes(cx: &mut Cx, pp: &PartialPeriod, region: &Arc<str>) -> Vec<Period> {
    let Some(mut current) = complete_period(cx, pp, region) else {
        return Vec::new();
    };
    let mut changes: Vec<&PartialPeriod> = pp.changes.iter().collect();
    changes.sort_by_key(|c| c.from);
    let mut out = Vec::new();
    for ch in changes {
        let Some(from) = ch.from else { continue };
        let inside = from > current.from && current.to.is_none_or(|to| from <= to);
        if !inside {
            cx.problem(
                &format!("{}.from", ch.key),
                ch.line,
                format!(
                    "a change must start inside its period, after {} (found {from})",
                    current.from
                ),
            );
            continue;
        }
        let mut next = current.clone();
        current.to = Some(from.plus(-1));
        next.from = from;
        next.line = ch.line;
        patch_period(cx, &mut next, ch);
        out.push(std::mem::replace(&mut current, next));
    }
    out.push(current);
    out
}

fn complete_period(cx: &mut Cx, pp: &PartialPeriod, region: &Arc<str>) -> Option<Period> {
    let mut ok = true;
    let mut need = |cx: &mut Cx, present: bool, name: &str, what: &str| {
        if !present {
            cx.missing(
                &format!("{}.{name}", pp.key),
                pp.line,
                format!("the period has no {what}"),
            );
            ok = false;
        }
    };
    need(cx, pp.from.is_some(), "from", "`from` month");
    need(
        cx,
        pp.contribution_year_start.is_some(),
        "contribution_year_start",
        "`contribution_year_start` (month number the contribution year starts in, 7 = July)",
    );
    need(
        cx,
        pp.leaving_month_charged.is_some(),
        "leaving_month_charged",
        "`leaving_month_charged` (is the month a person leaves still charged? true/false)",
    );
    need(
        cx,
        pp.retro_limit_months.is_some(),
        "retro_limit_months",
        "`retro_limit_months` (how far back a back-payment may reach)",
    );
    for id in InsuranceId::CORE {
        let present = pp.insurances.iter().any(|i| i.id == id);
        need(cx, present, id.as_str(), &format!("[{id}] table"));
    }
    let mut insurances = Vec::new();
    for pi in &pp.insurances {
        match complete_insurance(cx, pi, pp) {
            Some(ins) => insurances.push(ins),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    insurances.sort_by_key(|i| i.id);
    Some(Period {
        region: region.clone(),
        from: pp.from?,
        to: match pp.to {
            Some(MonthDoc::Month(m)) => Some(m),
            _ => None,
        },
        published: match pp.published {
            Some(MonthDoc::Month(m)) => Some(m),
            _ => None,
        },
        split_from: pp.from?,
        contribution_year_start: pp.contribution_year_start.clone()?,
        leaving_month_charged: pp.leaving_month_charged.clone()?,
        retro_limit_months: pp.retro_limit_months.clone()?,
        insurances,
        line: pp.line,
        layer: cx.layer,
    })
}

/// A whole insurance; period-level floor, ceiling and rounding fill what it leaves out.
fn complete_insurance(cx: &mut Cx, pi: &PartialInsurance, pp: &PartialPeriod) -> Option<Insurance> {
    let mut ok = true;
    let mut get = |cx: &mut Cx, f: Option<Figure<Decimal>>, name: &str, what: &str| {
        if f.is_none() {
            cx.missing(
                &format!("{}.{name}", pi.key),
                pi.line,
                format!("{} has no {what}", pi.id),
            );
            ok = false;
        }
        f
    };
    let floor = get(
        cx,
        pi.floor.clone().or(pp.floor.clone()),
        "floor",
        "base `floor` (here or for the whole period)",
    );
    let ceiling = get(
        cx,
        pi.ceiling.clone().or(pp.ceiling.clone()),
        "ceiling",
        "base `ceiling` (here or for the whole period)",
    );
    let employer_rate = get(
        cx,
        pi.employer.rate.clone(),
        "employer_rate",
        "`employer_rate`",
    );
    let employee_rate = if pi.id.employee_pays_nothing() {
        None
    } else {
        get(
            cx,
            pi.employee.rate.clone(),
            "employee_rate",
            "`employee_rate`",
        )
    };
    let (rate_min, rate_max) = if pi.id == InsuranceId::INJURY {
        (
            get(
                cx,
                pi.rate_min.clone(),
                "employer_rate_min",
                "`employer_rate_min` (lowest rate an employer may be given)",
            ),
            get(
                cx,
                pi.rate_max.clone(),
                "employer_rate_max",
                "`employer_rate_max` (highest rate an employer may be given)",
            ),
        )
    } else {
        (None, None)
    };
    let rounding = |cx: &mut Cx, f: &Option<Figure<Rounding>>, party: &str| {
        let r = f.clone().or(pp.rounding.clone());
        if r.is_none() {
            cx.missing(
                &format!("{}.{party}_rounding", pi.key),
                pi.line,
                format!("{} has no rounding for the {party}: give `rounding` (both parties) or `{party}_rounding`", pi.id),
            );
        }
        r
    };
    let employer_rounding = rounding(cx, &pi.employer.rounding, "employer");
    let employee_rounding = if pi.id.employee_pays_nothing() {
        None
    } else {
        rounding(cx, &pi.employee.rounding, "employee")
    };
    let employee = match (employee_rate, employee_rounding) {
        (Some(rate), Some(rounding)) => Some(Party {
            rate,
            fixed: pi.employee.fixed.clone(),
            rounding,
        }),
        _ if pi.id.employee_pays_nothing() => None,
        _ => return None,
    };
    if !ok {
        return None;
    }
    Some(Insurance {
        id: pi.id,
        floor: floor?,
        ceiling: ceiling?,
        employer: Party {
            rate: employer_rate?,
            fixed: pi.employer.fixed.clone(),
            rounding: employer_rounding?,
        },
        employee,
        injury_range: match (rate_min, rate_max) {
            (Some(min), Some(max)) => Some(RateRange { min, max }),
            _ => None,
        },
        tiers: pi.tiers.clone().unwrap_or_default(),
    })
}

fn apply(cx: &mut Cx, set: &mut PolicySet, file: FileLayer, changes: &mut Vec<String>) {
    let mut touched = Vec::new();
    for rl in file.regions {
        let Some(name) = rl.name.clone() else {
            continue;
        };
        match set.regions.iter().position(|r| r.answers_to(&name)) {
            None => {
                if let Some(region) = new_region(cx, rl, &name, changes) {
                    set.regions.push(region);
                    touched.push(set.regions.len() - 1);
                }
            }
            Some(idx) => {
                change_region(cx, &mut set.regions[idx], rl, changes);
                touched.push(idx);
            }
        }
    }
    for idx in touched {
        validate_region(cx, &set.regions[idx]);
    }
    validate_names(cx, set);
}

fn new_region(
    cx: &mut Cx,
    rl: RegionLayer,
    name: &str,
    changes: &mut Vec<String>,
) -> Option<Region> {
    let well_formed = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !well_formed {
        cx.problem(
            &format!("{}.name", rl.key),
            rl.line,
            format!("`{name}` is not a known region, and a new region's name is lowercase ASCII (e.g. \"suzhou\"); put other spellings in `aliases`"),
        );
    }
    if rl.code.is_none() {
        cx.missing(
            &format!("{}.code", rl.key),
            rl.line,
            format!("`{name}` is a new region: give its 6-digit `code`"),
        );
    }
    for p in &rl.patches {
        cx.problem(
            &p.key,
            p.line,
            format!("`{name}` is not in the tables, so there is nothing to patch: give whole [[region.period]] entries"),
        );
    }
    if rl.periods.is_empty() {
        cx.problem(
            &rl.key,
            rl.line,
            format!("the new region `{name}` needs at least one [[region.period]]"),
        );
    }
    let region_name: Arc<str> = Arc::from(name);
    let mut periods: Vec<Period> = rl
        .periods
        .iter()
        .flat_map(|pp| complete_with_changes(cx, pp, &region_name))
        .collect();
    periods.sort_by_key(|p| p.from);
    let (code, _) = rl.code?;
    changes.push(format!(
        "adds region {name} ({code}) with periods starting {}",
        periods
            .iter()
            .map(|p| p.from.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Some(Region {
        name: name.to_string(),
        code,
        aliases: rl.aliases,
        periods,
        injury_rate: rl.injury_rate,
        law: {
            let mut law = Law::default();
            merge_law(&mut law, rl.law, name, changes);
            law
        },
    })
}

fn change_region(cx: &mut Cx, region: &mut Region, rl: RegionLayer, changes: &mut Vec<String>) {
    let rname = region.name.clone();
    if let Some((code, line)) = &rl.code {
        if *code != region.code {
            cx.problem(
                &format!("{}.code", rl.key),
                *line,
                format!("region {rname} has code {}, not {code}", region.code),
            );
        }
    }
    for alias in rl.aliases {
        if !region
            .aliases
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&alias))
        {
            changes.push(format!("{rname}: adds alias {alias}"));
            region.aliases.push(alias);
        }
    }
    let region_name: Arc<str> = Arc::from(rname.as_str());
    let mut whole: Vec<Period> = rl
        .periods
        .iter()
        .flat_map(|pp| complete_with_changes(cx, pp, &region_name))
        .collect();
    whole.sort_by_key(|p| p.from);
    for p in whole {
        if let Some(old) = region.periods.iter_mut().find(|q| q.from == p.from) {
            changes.push(format!("{rname}: replaces period {}", p.from));
            *old = p;
            // The pieces its changes split off go with it (the new period brings its own).
            let from = old.from;
            let layer = cx.layer;
            region
                .periods
                .retain(|q| q.split_from != from || q.from == from || q.layer == layer);
            continue;
        }
        // A new period ends an open-ended period of an earlier layer ("until further
        // notice"), so adding next year's figures needs no second edit.
        for q in &mut region.periods {
            if q.layer != cx.layer && q.to.is_none() && q.from < p.from {
                q.to = Some(p.from.plus(-1));
                changes.push(format!(
                    "{rname}: period {} now ends {}",
                    q.from,
                    p.from.plus(-1)
                ));
            }
        }
        changes.push(format!("{rname}: adds period {}", p.from));
        region.periods.push(p);
    }
    region.periods.sort_by_key(|p| p.from);
    for pp in &rl.patches {
        if let Some(ch) = pp.changes.first() {
            cx.problem(
                &ch.key,
                ch.line,
                "a patch cannot hold [[region.patch.change]]: patch the piece that starts at the change's month instead",
            );
        }
        let Some(from) = pp.from else { continue };
        let Some(period) = region.periods.iter_mut().find(|p| p.from == from) else {
            cx.problem(
                &format!("{}.from", pp.key),
                pp.line,
                format!(
                    "region {rname} has no period starting {from} to patch (periods start: {})",
                    region
                        .periods
                        .iter()
                        .map(|p| p.from.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        };
        let patched = patch_period(cx, period, pp);
        if !patched.is_empty() {
            changes.push(format!(
                "{rname}: patches period {from}: {}",
                patched.join(", ")
            ));
        }
    }
    if let Some(rate) = rl.injury_rate {
        changes.push(format!(
            "{rname}: sets the employer's work-injury rate to {}",
            rate.value
        ));
        region.injury_rate = Some(rate);
    }
    merge_law(&mut region.law, rl.law, &rname, changes);
}

/// Apply the figures a patch gives; returns the keys changed.
fn patch_period(cx: &mut Cx, period: &mut Period, pp: &PartialPeriod) -> Vec<String> {
    fn set<T: Clone>(
        out: &mut Vec<String>,
        name: String,
        slot: &mut Figure<T>,
        new: &Option<Figure<T>>,
    ) {
        if let Some(f) = new {
            *slot = f.clone();
            out.push(name);
        }
    }
    let mut out = Vec::new();
    match pp.to {
        Some(MonthDoc::Month(m)) => {
            period.to = Some(m);
            out.push("to".into());
        }
        Some(MonthDoc::Open) => {
            period.to = None;
            out.push("to".into());
        }
        None => {}
    }
    match pp.published {
        Some(MonthDoc::Month(m)) => {
            period.published = Some(m);
            out.push("published".into());
        }
        Some(MonthDoc::Open) => {
            period.published = None;
            out.push("published".into());
        }
        None => {}
    }
    set(
        &mut out,
        "contribution_year_start".into(),
        &mut period.contribution_year_start,
        &pp.contribution_year_start,
    );
    set(
        &mut out,
        "leaving_month_charged".into(),
        &mut period.leaving_month_charged,
        &pp.leaving_month_charged,
    );
    set(
        &mut out,
        "retro_limit_months".into(),
        &mut period.retro_limit_months,
        &pp.retro_limit_months,
    );
    // Period-wide values first, so an insurance's own values in the same patch win.
    for ins in &mut period.insurances {
        set(
            &mut out,
            format!("{}.floor", ins.id),
            &mut ins.floor,
            &pp.floor,
        );
        set(
            &mut out,
            format!("{}.ceiling", ins.id),
            &mut ins.ceiling,
            &pp.ceiling,
        );
        set(
            &mut out,
            format!("{}.employer_rounding", ins.id),
            &mut ins.employer.rounding,
            &pp.rounding,
        );
        if let Some(e) = &mut ins.employee {
            set(
                &mut out,
                format!("{}.employee_rounding", ins.id),
                &mut e.rounding,
                &pp.rounding,
            );
        }
    }
    for pi in &pp.insurances {
        let Some(ins) = period.insurances.iter_mut().find(|i| i.id == pi.id) else {
            // An insurance the period lacks comes in whole.
            if let Some(new) = complete_insurance(cx, pi, pp) {
                out.push(format!("{} (added)", pi.id));
                period.insurances.push(new);
                period.insurances.sort_by_key(|i| i.id);
            }
            continue;
        };
        let id = ins.id;
        if let Some(tiers) = &pi.tiers {
            ins.tiers = tiers.clone();
            out.push(format!("{id}.tier"));
        }
        set(&mut out, format!("{id}.floor"), &mut ins.floor, &pi.floor);
        set(
            &mut out,
            format!("{id}.ceiling"),
            &mut ins.ceiling,
            &pi.ceiling,
        );
        set(
            &mut out,
            format!("{id}.employer_rate"),
            &mut ins.employer.rate,
            &pi.employer.rate,
        );
        set(
            &mut out,
            format!("{id}.employer_rounding"),
            &mut ins.employer.rounding,
            &pi.employer.rounding,
        );
        if let Some(f) = &pi.employer.fixed {
            ins.employer.fixed = Some(f.clone());
            out.push(format!("{id}.employer_fixed"));
        }
        if let Some(e) = &mut ins.employee {
            set(
                &mut out,
                format!("{id}.employee_rate"),
                &mut e.rate,
                &pi.employee.rate,
            );
            set(
                &mut out,
                format!("{id}.employee_rounding"),
                &mut e.rounding,
                &pi.employee.rounding,
            );
            if let Some(f) = &pi.employee.fixed {
                e.fixed = Some(f.clone());
                out.push(format!("{id}.employee_fixed"));
            }
        }
        if let Some(range) = &mut ins.injury_range {
            set(
                &mut out,
                format!("{id}.employer_rate_min"),
                &mut range.min,
                &pi.rate_min,
            );
            set(
                &mut out,
                format!("{id}.employer_rate_max"),
                &mut range.max,
                &pi.rate_max,
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Stage 3c: the layered result

fn validate_region(cx: &mut Cx, region: &Region) {
    let rkey = format!("region[{}]", region.name);
    for p in &region.periods {
        validate_period(cx, &rkey, p);
    }
    for pair in region.periods.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        // Blame the period this layer brought in.
        let blamed = if b.layer == cx.layer { b } else { a };
        let key = format!("{rkey}.period[{}]", blamed.from);
        let line = if blamed.layer == cx.layer {
            blamed.line
        } else {
            0
        };
        let a_end = a.to.map_or("open".to_string(), |m| m.to_string());
        match a.to {
            None => cx.problem(
                &key,
                line,
                format!(
                    "period {} – open overlaps period {} – {}: give the earlier one a `to`",
                    a.from,
                    b.from,
                    b.to.map_or("open".into(), |m| m.to_string())
                ),
            ),
            Some(to) if to >= b.from => cx.problem(
                &key,
                line,
                format!(
                    "period {} – {a_end} overlaps period {} (they share {})",
                    a.from, b.from, b.from
                ),
            ),
            Some(to) if to.plus(1) < b.from => cx.problem(
                &key,
                line,
                format!(
                    "gap: no period covers {} – {} between period {} – {a_end} and period {}",
                    to.plus(1),
                    b.from.plus(-1),
                    a.from,
                    b.from
                ),
            ),
            _ => {}
        }
    }
    if let Some(own) = &region.injury_rate {
        let line = cx.line_if_mine(own);
        for p in &region.periods {
            if let Some((lo, hi)) = p.injury_range() {
                if own.value < lo || own.value > hi {
                    cx.problem(
                        &format!("{rkey}.injury_rate"),
                        line,
                        format!(
                            "the employer's work-injury rate {} is outside the range {lo} – {hi} allowed in period {}",
                            own.value, p.from
                        ),
                    );
                }
            }
        }
    }
}

fn validate_period(cx: &mut Cx, rkey: &str, p: &Period) {
    let pkey = format!("{rkey}.period[{}]", p.from);
    if let Some(to) = p.to {
        if to < p.from {
            let line = if p.layer == cx.layer { p.line } else { 0 };
            cx.problem(
                &format!("{pkey}.to"),
                line,
                format!("`to` {to} is before `from` {}", p.from),
            );
        }
    }
    for ins in &p.insurances {
        let ikey = format!("{pkey}.{}", ins.id);
        if ins.floor.value > ins.ceiling.value {
            let line = cx
                .line_if_mine(&ins.floor)
                .max(cx.line_if_mine(&ins.ceiling));
            cx.problem(
                &format!("{ikey}.floor"),
                line,
                format!(
                    "base floor {} is above the ceiling {}",
                    ins.floor.value, ins.ceiling.value
                ),
            );
        }
        if let Some(range) = &ins.injury_range {
            let (lo, hi, def) = (&range.min, &range.max, &ins.employer.rate);
            if lo.value > hi.value {
                let line = cx.line_if_mine(lo).max(cx.line_if_mine(hi));
                cx.problem(
                    &format!("{ikey}.employer_rate_min"),
                    line,
                    format!(
                        "employer_rate_min {} is above employer_rate_max {}",
                        lo.value, hi.value
                    ),
                );
            } else if def.value < lo.value || def.value > hi.value {
                let line = cx
                    .line_if_mine(def)
                    .max(cx.line_if_mine(lo))
                    .max(cx.line_if_mine(hi));
                cx.problem(
                    &format!("{ikey}.employer_rate"),
                    line,
                    format!(
                        "the default work-injury rate {} is outside its allowed range {} – {}",
                        def.value, lo.value, hi.value
                    ),
                );
            }
        }
    }
}

/// Names, codes and aliases must each point at one region.
fn validate_names(cx: &mut Cx, set: &PolicySet) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for r in &set.regions {
        let mut names: Vec<String> = vec![r.name.to_lowercase(), r.code.clone()];
        names.extend(r.aliases.iter().map(|a| a.to_lowercase()));
        names.sort();
        names.dedup();
        for n in names {
            if let Some(other) = seen.get(&n) {
                cx.problem(
                    &format!("region[{}]", r.name),
                    0,
                    format!("`{n}` already names region {other}: names, codes and aliases must be unique"),
                );
            } else {
                seen.insert(n, &r.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROV: &str = r#"
[provenance.notice]
source = "沪人社规〔2026〕1号"
confidence = "confirmed"
verified_on = 2026-07-10
"#;

    /// The problems a user file triggers when layered over the embedded tables.
    fn problems(body: &str) -> (String, Vec<Problem>) {
        let text = format!("{PROV}{body}");
        let result = PolicySet::embedded().unwrap().layer_str(&text, "user.toml");
        match result {
            Err(PolicyError::Invalid { file, problems }) => {
                assert_eq!(file, "user.toml");
                (text, problems)
            }
            Err(other) => panic!("expected P003, got {other}"),
            Ok(_) => panic!("expected P003 for:\n{text}"),
        }
    }

    /// 1-based line of the first line containing `needle`.
    fn line_of(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("`{needle}` not in the text"))
            + 1
    }

    /// Assert a problem with this key, on the line containing `at`, mentioning `says`.
    #[track_caller]
    fn expect(text: &str, problems: &[Problem], key: &str, at: &str, says: &str) {
        let line = line_of(text, at);
        let found = problems
            .iter()
            .any(|p| p.key == key && p.line == Some(line) && p.message.contains(says));
        assert!(
            found,
            "no problem `{key}` at line {line} saying `{says}` in {problems:#?}"
        );
    }

    const NEW_REGION_HEAD: &str = r#"
[[region]]
name = "suzhou"
code = "320500"
"#;

    /// A complete period for a new region; `{from}`/`{to}` filled in by `period`.
    fn period(from: &str, to: Option<&str>) -> String {
        let to = to.map_or(String::new(), |t| format!("to = \"{t}\"\n"));
        format!(
            r#"
[[region.period]]
from = "{from}"
{to}provenance = "notice"
contribution_year_start = 7
leaving_month_charged = true
retro_limit_months = 12
floor = "5000"
ceiling = "25000"
rounding = "half-up-fen"
[region.period.pension]
employer_rate = "0.16"
employee_rate = "0.08"
[region.period.medical]
employer_rate = "0.07"
employee_rate = "0.02"
[region.period.unemployment]
employer_rate = "0.005"
employee_rate = "0.005"
[region.period.injury]
employer_rate = "0.002"
employer_rate_min = "0.001"
employer_rate_max = "0.03"
"#
        )
    }

    #[test]
    fn a_complete_new_region_is_accepted() {
        let text = format!("{PROV}{NEW_REGION_HEAD}{}", period("2025-01", None));
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "user.toml")
            .unwrap();
        assert_eq!(set.region("320500").unwrap().name(), "suzhou");
    }

    #[test]
    fn unknown_keys_are_all_reported_with_line_and_path() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
colour = "red"
[[region.patch]]
from = "2025-07"
[region.patch.pension]
flor = "7000"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].colour",
            "colour =",
            "unknown field `colour`",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].pension.flor",
            "flor =",
            "unknown field `flor`",
        );
        assert_eq!(p.len(), 2, "{p:#?}");
    }

    #[test]
    fn a_float_asks_to_be_quoted() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
floor = 7162.5
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].floor",
            "floor = 7162.5",
            "\"7162.5\"",
        );
        assert!(p[0].message.contains("quoted string"));
        assert_eq!(
            p.len(),
            1,
            "a dropped float is not reported again as missing: {p:#?}"
        );
    }

    #[test]
    fn missing_figures_are_named() {
        let body = period("2025-01", None)
            .replace("ceiling = \"25000\"\n", "")
            .replace("retro_limit_months = 12\n", "")
            .replace("employee_rate = \"0.02\"\n", "");
        let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        let key = "region[suzhou].period[2025-01]";
        expect(
            &text,
            &p,
            &format!("{key}.retro_limit_months"),
            "[[region.period]]",
            "retro_limit_months",
        );
        for ins in ["pension", "medical", "unemployment", "injury"] {
            expect(
                &text,
                &p,
                &format!("{key}.{ins}.ceiling"),
                &format!("[region.period.{ins}]"),
                "ceiling",
            );
        }
        expect(
            &text,
            &p,
            &format!("{key}.medical.employee_rate"),
            "[region.period.medical]",
            "employee_rate",
        );
        assert_eq!(p.len(), 6, "{p:#?}");
    }

    #[test]
    fn a_missing_insurance_table_is_named() {
        let body = period("2025-01", None).replace(
            "[region.period.unemployment]\nemployer_rate = \"0.005\"\nemployee_rate = \"0.005\"\n",
            "",
        );
        let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        expect(
            &text,
            &p,
            "region[suzhou].period[2025-01].unemployment",
            "[[region.period]]",
            "[unemployment] table",
        );
    }

    #[test]
    fn employee_shares_for_injury_and_maternity_are_refused() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.injury]
employee_rate = "0.001"
[region.patch.extra.maternity]
employer_rate = "0.008"
employee_fixed = "1.00"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].injury.employee_rate",
            "employee_rate = \"0.001\"",
            "Art. 53",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].extra.maternity.employee_fixed",
            "employee_fixed",
            "employees pay nothing",
        );
    }

    #[test]
    fn a_zero_employee_share_for_injury_is_fine() {
        let text = format!(
            "{PROV}{}",
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.injury]
employee_rate = "0"
"#
        );
        assert!(PolicySet::embedded()
            .unwrap()
            .layer_str(&text, "u.toml")
            .is_ok());
    }

    #[test]
    fn floor_above_ceiling_blames_the_new_figure() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.pension]
floor = "40000"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].period[2025-07].pension.floor",
            "floor = \"40000\"",
            "above the ceiling 35811",
        );
        assert_eq!(p.len(), 1, "{p:#?}");
    }

    #[test]
    fn overlapping_periods_are_refused() {
        let body = format!(
            "{}{}",
            period("2025-01", Some("2025-12")),
            period("2025-06", None)
        );
        let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        let second = text.match_indices("[[region.period]]").nth(1).unwrap().0;
        let line = text[..second].lines().count() + 1;
        let found = p.iter().any(|p| {
            p.key == "region[suzhou].period[2025-06]"
                && p.line == Some(line)
                && p.message.contains("overlaps")
        });
        assert!(found, "{p:#?}");
    }

    #[test]
    fn an_open_period_before_another_overlaps() {
        let body = format!("{}{}", period("2025-01", None), period("2025-06", None));
        let (_, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        assert!(
            p.iter()
                .any(|p| p.message.contains("give the earlier one a `to`")),
            "{p:#?}"
        );
    }

    #[test]
    fn gaps_inside_a_region_are_refused() {
        let body = format!(
            "{}{}",
            period("2025-01", Some("2025-03")),
            period("2025-06", None)
        );
        let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        let second = text.match_indices("[[region.period]]").nth(1).unwrap().0;
        let gap = p
            .iter()
            .find(|p| p.message.contains("gap"))
            .expect("a gap problem");
        assert_eq!(gap.key, "region[suzhou].period[2025-06]");
        assert!(gap.message.contains("2025-04 – 2025-05"), "{}", gap.message);
        assert_eq!(gap.line, Some(text[..second].lines().count() + 1));
        assert_eq!(p.len(), 1, "{p:#?}");
    }

    #[test]
    fn a_bad_rounding_id_lists_the_good_ones() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.medical]
rounding = "half-up"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].medical.rounding",
            "rounding = \"half-up\"",
            "ceil-jiao",
        );
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.pension]
employer_rate = "16"
[region.patch.medical]
employer_rate = "1"
employee_rate = "-0.02"
"#,
        );
        let k = "region[beijing].patch[2025-07]";
        expect(
            &text,
            &p,
            &format!("{k}.pension.employer_rate"),
            "employer_rate = \"16\"",
            "outside [0, 1)",
        );
        expect(
            &text,
            &p,
            &format!("{k}.medical.employer_rate"),
            "employer_rate = \"1\"",
            "outside [0, 1)",
        );
        expect(
            &text,
            &p,
            &format!("{k}.medical.employee_rate"),
            "employee_rate = \"-0.02\"",
            "outside [0, 1)",
        );
        assert_eq!(p.len(), 3, "{p:#?}");
    }

    #[test]
    fn a_percentage_gets_a_hint() {
        let (_, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.pension]
employer_rate = "16%"
"#,
        );
        assert!(p[0].message.contains("\"0.16\""), "{p:#?}");
    }

    #[test]
    fn from_after_to_is_refused() {
        let body = period("2025-06", Some("2025-01"));
        let (text, p) = problems(&format!("{NEW_REGION_HEAD}{body}"));
        expect(
            &text,
            &p,
            "region[suzhou].period[2025-06].to",
            "[[region.period]]",
            "before `from`",
        );
    }

    #[test]
    fn injury_default_outside_its_range_is_refused() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
provenance = "notice"
[region.patch.injury]
employer_rate = "0.05"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].period[2025-07].injury.employer_rate",
            "employer_rate = \"0.05\"",
            "outside its allowed range",
        );
    }

    #[test]
    fn an_employer_rate_outside_the_range_is_refused() {
        let (text, p) = problems("\n[[region]]\nname = \"beijing\"\ninjury_rate = \"0.05\"\n");
        expect(
            &text,
            &p,
            "region[beijing].injury_rate",
            "injury_rate",
            "outside the range 0.002 – 0.0285",
        );
        // From headcount.toml too.
        let err = PolicySet::embedded()
            .unwrap()
            .set_injury_rate("beijing", Decimal::new(1, 3))
            .unwrap_err();
        assert_eq!(err.code(), Some("P003"));
        assert!(
            err.to_string().contains("region[beijing].injury_rate"),
            "{err}"
        );
    }

    #[test]
    fn provenance_is_required_and_checked() {
        let (text, p) = problems(
            r#"
[provenance.partial]
source = "a blog"

[[region]]
name = "beijing"
[[region.patch]]
from = "2025-07"
[region.patch.pension]
floor = "7200"
ceiling = { value = "36000", provenance = "nowhere" }
"#,
        );
        expect(
            &text,
            &p,
            "provenance.partial.confidence",
            "[provenance.partial]",
            "confidence",
        );
        expect(
            &text,
            &p,
            "provenance.partial.verified_on",
            "[provenance.partial]",
            "verified_on",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].pension.floor",
            "floor = \"7200\"",
            "no provenance",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].pension.ceiling.provenance",
            "ceiling =",
            "unknown provenance `nowhere`",
        );
    }

    #[test]
    fn patching_a_period_that_does_not_exist() {
        let (text, p) = problems(
            "\n[[region]]\nname = \"beijing\"\n[[region.patch]]\nfrom = \"2023-07\"\nprovenance = \"notice\"\nfloor = \"1\"\n",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2023-07].from",
            "[[region.patch]]",
            "periods start: 2024-07, 2025-07",
        );
    }

    #[test]
    fn a_new_region_needs_a_code_and_cannot_patch() {
        let (text, p) =
            problems("\n[[region]]\nname = \"suzhou\"\n[[region.patch]]\nfrom = \"2025-07\"\n");
        expect(
            &text,
            &p,
            "region[suzhou].code",
            "[[region]]",
            "6-digit `code`",
        );
        expect(
            &text,
            &p,
            "region[suzhou].patch[2025-07]",
            "[[region.patch]]",
            "nothing to patch",
        );
    }

    #[test]
    fn names_codes_and_aliases_stay_unique() {
        let body = format!(
            "{}{}",
            NEW_REGION_HEAD.replace("code = \"320500\"", "code = \"320500\"\naliases = [\"bj\"]"),
            period("2025-01", None)
        );
        let (_, p) = problems(&body);
        assert!(
            p.iter().any(|p| p.key == "region[suzhou]"
                && p.message.contains("`bj` already names region beijing")),
            "{p:#?}"
        );
    }

    #[test]
    fn a_changed_code_is_refused() {
        let (text, p) = problems("\n[[region]]\nname = \"beijing\"\ncode = \"110100\"\n");
        expect(
            &text,
            &p,
            "region[beijing].code",
            "code =",
            "has code 110000",
        );
    }

    #[test]
    fn syntax_errors_give_a_line() {
        let (text, p) = problems("\n[[region]]\nname = \"beijing\nx = 1\n");
        assert!(p[0].message.starts_with("TOML syntax"), "{p:#?}");
        assert_eq!(p[0].line, Some(line_of(&text, "name = \"beijing")));
    }

    #[test]
    fn wrong_types_are_reported_and_parsing_goes_on() {
        let (text, p) = problems(
            r#"
[[region]]
name = "beijing"
code = 110000
[[region.patch]]
from = "2025-07"
provenance = "notice"
leaving_month_charged = "yes"
retro_limit_months = 6.5
[region.patch.pension]
floor = true
"#,
        );
        expect(&text, &p, "region[beijing].code", "code = 110000", "string");
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].leaving_month_charged",
            "leaving_month_charged",
            "true or false",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].retro_limit_months",
            "retro_limit_months",
            "whole number",
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[2025-07].pension.floor",
            "floor = true",
            "quoted string",
        );
        assert_eq!(p.len(), 4, "{p:#?}");
    }

    #[test]
    fn bad_months_and_dates_are_reported() {
        let (text, p) = problems(
            r#"
[provenance.bad]
source = "x"
confidence = "sure"
verified_on = "2025-13-01"

[[region]]
name = "beijing"
[[region.patch]]
from = "2025-7"
"#,
        );
        expect(
            &text,
            &p,
            "region[beijing].patch[#1].from",
            "from = \"2025-7\"",
            "YYYY-MM",
        );
        expect(
            &text,
            &p,
            "provenance.bad.confidence",
            "confidence = \"sure\"",
            "unknown confidence `sure`",
        );
        expect(
            &text,
            &p,
            "provenance.bad.verified_on",
            "\"2025-13-01\"",
            "YYYY-MM-DD",
        );
        assert_eq!(p.len(), 3, "{p:#?}");
        // The missing `from` is not reported a second time.
        assert_eq!(
            p.iter().filter(|p| p.key.ends_with(".from")).count(),
            1,
            "{p:#?}"
        );
    }

    #[test]
    fn non_utf8_is_refused() {
        let err = layer(
            PolicySet::empty(),
            b"name = \"\xff\"",
            "x.toml",
            SourceKind::User,
        )
        .unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }
}
