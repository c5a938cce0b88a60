//! One insurance table of a period doc: read and checked, then made a whole insurance
//! (a whole period, or one a patch adds) or applied over the period's insurance.

use super::super::schema::InsuranceDoc;
use super::super::{Figure, Insurance, InsuranceId, Party, RateRange, Rounding, Tier};
use super::build::{set, Defaults};
use super::convert::{figure, inherit, money, rate};
use super::{Cx, Inherit};
use rust_decimal::Decimal;
use toml::Spanned;

/// What an insurance table is read into.
pub(super) enum Target<'a> {
    /// Read and checked only.
    Check,
    /// A whole insurance; the period-wide values fill what it leaves out.
    Complete,
    /// The period's insurance, changed where the table says; the keys changed are added.
    Patch(&'a mut Insurance, &'a mut Vec<String>),
}

/// One party's figures as a table gives them.
#[derive(Default)]
struct Given {
    rate: Option<Figure<Decimal>>,
    fixed: Option<Figure<Decimal>>,
    rounding: Option<Figure<Rounding>>,
}

/// Read one insurance table into `target`; a whole insurance is returned.
pub(super) fn insurance(
    cx: &mut Cx,
    id: InsuranceId,
    sp: &Spanned<InsuranceDoc>,
    key: &str,
    period_prov: &Inherit,
    d: &Defaults,
    target: Target,
) -> Option<Insurance> {
    let doc = sp.get_ref();
    let line = cx.line(sp.span());
    let k = |name: &str| format!("{key}.{name}");
    let own = inherit(cx, &doc.provenance, &k("provenance"));
    let chain = [&own, period_prov];
    let both = figure(cx, &doc.rounding, &k("rounding"), &chain);
    let employer = Given {
        rate: rate(cx, &doc.employer_rate, &k("employer_rate"), &chain),
        fixed: money(cx, &doc.employer_fixed, &k("employer_fixed"), &chain),
        rounding: figure(cx, &doc.employer_rounding, &k("employer_rounding"), &chain)
            .or(both.clone()),
    };
    let mut employee = Given {
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
        employee = Given::default();
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
    let floor = money(cx, &doc.floor, &k("floor"), &chain);
    let ceiling = money(cx, &doc.ceiling, &k("ceiling"), &chain);
    let given = Table {
        id,
        key,
        line,
        floor,
        ceiling,
        employer,
        employee,
        rate_min,
        rate_max,
        tiers,
    };
    match target {
        Target::Check => None,
        Target::Complete => complete(cx, given, d),
        Target::Patch(ins, out) => {
            patch_insurance(ins, given, out);
            None
        }
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

/// An insurance table as read, before it is applied.
struct Table<'k> {
    id: InsuranceId,
    key: &'k str,
    line: u32,
    floor: Option<Figure<Decimal>>,
    ceiling: Option<Figure<Decimal>>,
    employer: Given,
    employee: Given,
    rate_min: Option<Figure<Decimal>>,
    rate_max: Option<Figure<Decimal>>,
    /// `None` when the table names no tier (a patch then keeps the period's).
    tiers: Option<Vec<Tier>>,
}

/// A whole insurance; the period-wide floor, ceiling and rounding fill what it leaves out.
fn complete(cx: &mut Cx, t: Table, d: &Defaults) -> Option<Insurance> {
    let mut ok = true;
    let mut get = |cx: &mut Cx, f: Option<Figure<Decimal>>, name: &str, what: &str| {
        if f.is_none() {
            cx.missing(
                &format!("{}.{name}", t.key),
                t.line,
                format!("{} has no {what}", t.id),
            );
            ok = false;
        }
        f
    };
    let floor = get(
        cx,
        t.floor.or(d.floor.clone()),
        "floor",
        "base `floor` (here or for the whole period)",
    );
    let ceiling = get(
        cx,
        t.ceiling.or(d.ceiling.clone()),
        "ceiling",
        "base `ceiling` (here or for the whole period)",
    );
    let employer_rate = get(cx, t.employer.rate, "employer_rate", "`employer_rate`");
    let employee_rate = if t.id.employee_pays_nothing() {
        None
    } else {
        get(cx, t.employee.rate, "employee_rate", "`employee_rate`")
    };
    let (rate_min, rate_max) = if t.id == InsuranceId::INJURY {
        (
            get(
                cx,
                t.rate_min,
                "employer_rate_min",
                "`employer_rate_min` (lowest rate an employer may be given)",
            ),
            get(
                cx,
                t.rate_max,
                "employer_rate_max",
                "`employer_rate_max` (highest rate an employer may be given)",
            ),
        )
    } else {
        (None, None)
    };
    let rounding = |cx: &mut Cx, f: Option<Figure<Rounding>>, party: &str| {
        let r = f.or(d.rounding.clone());
        if r.is_none() {
            cx.missing(
                &format!("{}.{party}_rounding", t.key),
                t.line,
                format!("{} has no rounding for the {party}: give `rounding` (both parties) or `{party}_rounding`", t.id),
            );
        }
        r
    };
    let employer_rounding = rounding(cx, t.employer.rounding, "employer");
    let employee_rounding = if t.id.employee_pays_nothing() {
        None
    } else {
        rounding(cx, t.employee.rounding, "employee")
    };
    let employee = match (employee_rate, employee_rounding) {
        (Some(rate), Some(rounding)) => Some(Party {
            rate,
            fixed: t.employee.fixed,
            rounding,
        }),
        _ if t.id.employee_pays_nothing() => None,
        _ => return None,
    };
    if !ok {
        return None;
    }
    Some(Insurance {
        id: t.id,
        floor: floor?,
        ceiling: ceiling?,
        employer: Party {
            rate: employer_rate?,
            fixed: t.employer.fixed,
            rounding: employer_rounding?,
        },
        employee,
        injury_range: match (rate_min, rate_max) {
            (Some(min), Some(max)) => Some(RateRange { min, max }),
            _ => None,
        },
        tiers: t.tiers.unwrap_or_default(),
    })
}

/// The figures a table gives, over the period's insurance; each key changed goes to `out`.
fn patch_insurance(ins: &mut Insurance, t: Table, out: &mut Vec<String>) {
    let id = ins.id;
    if let Some(tiers) = t.tiers {
        ins.tiers = tiers;
        out.push(format!("{id}.tier"));
    }
    set(out, format!("{id}.floor"), &mut ins.floor, &t.floor);
    set(out, format!("{id}.ceiling"), &mut ins.ceiling, &t.ceiling);
    set(
        out,
        format!("{id}.employer_rate"),
        &mut ins.employer.rate,
        &t.employer.rate,
    );
    set(
        out,
        format!("{id}.employer_rounding"),
        &mut ins.employer.rounding,
        &t.employer.rounding,
    );
    if let Some(f) = t.employer.fixed {
        ins.employer.fixed = Some(f);
        out.push(format!("{id}.employer_fixed"));
    }
    if let Some(e) = &mut ins.employee {
        set(
            out,
            format!("{id}.employee_rate"),
            &mut e.rate,
            &t.employee.rate,
        );
        set(
            out,
            format!("{id}.employee_rounding"),
            &mut e.rounding,
            &t.employee.rounding,
        );
        if let Some(f) = t.employee.fixed {
            e.fixed = Some(f);
            out.push(format!("{id}.employee_fixed"));
        }
    }
    if let Some(range) = &mut ins.injury_range {
        set(
            out,
            format!("{id}.employer_rate_min"),
            &mut range.min,
            &t.rate_min,
        );
        set(
            out,
            format!("{id}.employer_rate_max"),
            &mut range.max,
            &t.rate_max,
        );
    }
}
