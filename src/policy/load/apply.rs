//! Stage 3b: complete the whole periods a layer gives (split at their changes) and apply
//! the layer to the set: new regions, replaced and added periods, patches.

use super::super::law::Law;
use super::super::schema::MonthDoc;
use super::super::{
    Figure, Insurance, InsuranceId, Party, Period, PolicySet, RateRange, Region, Rounding,
};
use super::convert::{FileLayer, PartialInsurance, PartialPeriod, RegionLayer};
use super::law::merge_law;
use super::validate::{validate_names, validate_region};
use super::Cx;
use rust_decimal::Decimal;
use std::sync::Arc;

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

pub(super) fn apply(cx: &mut Cx, set: &mut PolicySet, file: FileLayer, changes: &mut Vec<String>) {
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
