//! Stage 3c: the layered result as a whole: overlaps and gaps between periods, floors
//! above ceilings, injury rates outside their range, names that point at two regions.

use super::super::{Period, PolicySet, Region};
use super::Cx;
use std::collections::BTreeMap;

pub(super) fn validate_region(cx: &mut Cx, region: &Region) {
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
pub(super) fn validate_names(cx: &mut Cx, set: &PolicySet) {
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
