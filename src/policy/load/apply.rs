//! Stage 3b: apply a layer to the set: new regions, whole periods replaced or added,
//! patches (each period read by `build.rs`).

use super::super::law::Law;
use super::super::{Period, PolicySet, Region};
use super::build::{self, check, check_with_changes, patch, whole};
use super::convert::{FileLayer, RegionLayer};
use super::law::merge_law;
use super::validate::{validate_names, validate_region};
use super::Cx;
use std::sync::Arc;

pub(super) fn apply(cx: &mut Cx, set: &mut PolicySet, file: FileLayer, changes: &mut Vec<String>) {
    let mut touched = Vec::new();
    for rl in file.regions {
        let Some(name) = rl.name.clone() else {
            // Nothing to apply it to; its periods' problems are still reported.
            for h in rl.periods.iter().chain(&rl.patches) {
                check_with_changes(cx, h);
            }
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
        check_with_changes(cx, p);
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
        .flat_map(|h| whole(cx, h, &region_name))
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
        .flat_map(|h| whole(cx, h, &region_name))
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
        let nested = build::changes(cx, pp);
        for ch in &nested {
            check(cx, ch);
        }
        if let Some(ch) = nested.first() {
            cx.problem(
                &ch.key,
                ch.line,
                "a patch cannot hold [[region.patch.change]]: patch the piece that starts at the change's month instead",
            );
        }
        let Some(from) = pp.from else {
            check(cx, pp);
            continue;
        };
        let Some(period) = region.periods.iter_mut().find(|p| p.from == from) else {
            check(cx, pp);
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
        let (patched_period, patched) = patch(cx, pp, period, &region_name);
        if let Some(p) = patched_period {
            *period = p;
        }
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
