//! Stage 3a: `PolicyDoc` → the figures a layer gives, each checked on its own and with its
//! provenance resolved. A period here is a draft: any figure may be absent (a patch or a
//! change), and completeness is checked when it is applied (`apply.rs`).

use super::super::schema::{
    FigureDoc, InsuranceDoc, MonthDoc, PeriodDoc, PolicyDoc, ProvenanceDoc, ProvenanceRef,
    RegionDoc,
};
use super::super::{Confidence, Evidence, Figure, InsuranceId, Provenance, Rounding, Tier};
use super::law::{law_layer, LawLayer};
use super::{own_rate_provenance, Cx, Inherit};
use crate::calendar::Month;
use rust_decimal::Decimal;
use std::sync::Arc;
use toml::Spanned;

pub(super) struct FileLayer {
    pub(super) regions: Vec<RegionLayer>,
}

pub(super) struct RegionLayer {
    pub(super) key: String,
    pub(super) line: u32,
    pub(super) name: Option<String>,
    pub(super) code: Option<(String, u32)>,
    pub(super) aliases: Vec<String>,
    pub(super) injury_rate: Option<Figure<Decimal>>,
    pub(super) periods: Vec<PartialPeriod>,
    pub(super) patches: Vec<PartialPeriod>,
    pub(super) law: LawLayer,
}

/// A period as written: any figure may be absent (a patch), or a whole period still to be
/// checked for completeness.
pub(super) struct PartialPeriod {
    pub(super) key: String,
    pub(super) line: u32,
    pub(super) from: Option<Month>,
    pub(super) to: Option<MonthDoc>,
    pub(super) published: Option<MonthDoc>,
    pub(super) contribution_year_start: Option<Figure<u32>>,
    pub(super) leaving_month_charged: Option<Figure<bool>>,
    pub(super) retro_limit_months: Option<Figure<u32>>,
    pub(super) floor: Option<Figure<Decimal>>,
    pub(super) ceiling: Option<Figure<Decimal>>,
    pub(super) rounding: Option<Figure<Rounding>>,
    pub(super) insurances: Vec<PartialInsurance>,
    /// Mid-period changes of single figures, each from its own month.
    pub(super) changes: Vec<PartialPeriod>,
}

pub(super) struct PartialInsurance {
    pub(super) id: InsuranceId,
    pub(super) key: String,
    pub(super) line: u32,
    pub(super) floor: Option<Figure<Decimal>>,
    pub(super) ceiling: Option<Figure<Decimal>>,
    pub(super) employer: PartialParty,
    pub(super) employee: PartialParty,
    pub(super) rate_min: Option<Figure<Decimal>>,
    pub(super) rate_max: Option<Figure<Decimal>>,
    /// `None` when the table names no tier (a change then keeps the period's).
    pub(super) tiers: Option<Vec<Tier>>,
}

#[derive(Default)]
pub(super) struct PartialParty {
    pub(super) rate: Option<Figure<Decimal>>,
    pub(super) fixed: Option<Figure<Decimal>>,
    pub(super) rounding: Option<Figure<Rounding>>,
}

pub(super) fn convert(cx: &mut Cx, doc: &PolicyDoc) -> FileLayer {
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

pub(super) fn inherit(cx: &mut Cx, p: &Option<Spanned<ProvenanceRef>>, key: &str) -> Inherit {
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
pub(super) fn figure<T: Clone>(
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

pub(super) fn rate(
    cx: &mut Cx,
    doc: &Option<Spanned<FigureDoc<Decimal>>>,
    key: &str,
    chain: &[&Inherit],
) -> Option<Figure<Decimal>> {
    let f = figure(cx, doc, key, chain)?;
    cx.check_rate(f.value, key, f.line);
    Some(f)
}

pub(super) fn money(
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
