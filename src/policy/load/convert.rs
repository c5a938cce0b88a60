//! Stage 3a: `PolicyDoc` → what a layer gives, region by region: provenance records
//! resolved, figures checked one by one. Periods and patches are read into `Period`s when
//! the layer is applied (`build.rs`, `apply.rs`).

use super::super::schema::{FigureDoc, PolicyDoc, ProvenanceDoc, ProvenanceRef, RegionDoc};
use super::super::{Confidence, Evidence, Figure, Provenance};
use super::build::{head, Head};
use super::law::{law_layer, LawLayer};
use super::{own_rate_provenance, Cx, Inherit};
use rust_decimal::Decimal;
use std::sync::Arc;
use toml::Spanned;

pub(super) struct FileLayer<'d> {
    pub(super) regions: Vec<RegionLayer<'d>>,
}

pub(super) struct RegionLayer<'d> {
    pub(super) key: String,
    pub(super) line: u32,
    pub(super) name: Option<String>,
    pub(super) code: Option<(String, u32)>,
    pub(super) aliases: Vec<String>,
    pub(super) injury_rate: Option<Figure<Decimal>>,
    /// Whole periods and patches, read when applied (`build.rs`).
    pub(super) periods: Vec<Head<'d>>,
    pub(super) patches: Vec<Head<'d>>,
    pub(super) law: LawLayer,
}

pub(super) fn convert<'d>(cx: &mut Cx, doc: &'d PolicyDoc) -> FileLayer<'d> {
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

fn region_layer<'d>(cx: &mut Cx, sp: &'d Spanned<RegionDoc>, index: usize) -> RegionLayer<'d> {
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
        .map(|(i, p)| head(cx, p, &format!("{key}.period"), i))
        .collect();
    let patches = doc
        .patch
        .iter()
        .enumerate()
        .map(|(i, p)| head(cx, p, &format!("{key}.patch"), i))
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
