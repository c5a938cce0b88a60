//! A `Period` straight from its doc. A whole `[[region.period]]` is read over nothing, so
//! every figure must be given; a patch or a mid-period change is read over the period in
//! force: what it gives replaces, the rest is kept. Both go through [`read`], so the loader
//! holds no other shape of a period than the file's and the model's.

use super::super::schema::{InsuranceDoc, MonthDoc, PeriodDoc};
use super::super::{Figure, InsuranceId, Period, Rounding};
use super::convert::{figure, inherit, money};
use super::insurance::{insurance, Target};
use super::Cx;
use crate::calendar::Month;
use rust_decimal::Decimal;
use std::sync::Arc;
use toml::Spanned;

/// A period doc with its place: the key its problems carry, its line and its `from`.
pub(super) struct Head<'d> {
    pub(super) doc: &'d PeriodDoc,
    pub(super) key: String,
    pub(super) line: u32,
    pub(super) from: Option<Month>,
}

/// What a doc is read over.
#[derive(Clone, Copy)]
enum Over<'p> {
    /// Nothing: a whole period.
    Nothing,
    /// The period in force: a patch or a change.
    Period(&'p Period),
    /// Nothing to apply it to (reported already): its figures are only read and checked.
    Check,
}

/// Period-wide floor, ceiling and rounding: each insurance's unless it gives its own.
pub(super) struct Defaults {
    pub(super) floor: Option<Figure<Decimal>>,
    pub(super) ceiling: Option<Figure<Decimal>>,
    pub(super) rounding: Option<Figure<Rounding>>,
}

/// Where `sp` stands: its `from` and its key (`region[x].period[2025-07]`).
pub(super) fn head<'d>(
    cx: &mut Cx,
    sp: &'d Spanned<PeriodDoc>,
    prefix: &str,
    index: usize,
) -> Head<'d> {
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
    Head {
        doc,
        key,
        line,
        from,
    }
}

/// A whole period, split at each of its changes: the pieces share every figure except
/// those a change gives, from its month to the period's end (or the next change).
pub(super) fn whole(cx: &mut Cx, h: &Head, region: &Arc<str>) -> Vec<Period> {
    let built = read(cx, h, Over::Nothing, region).0;
    let changes = changes(cx, h);
    let Some(mut current) = built else {
        for ch in &changes {
            check(cx, ch);
        }
        return Vec::new();
    };
    let mut sorted: Vec<&Head> = changes.iter().collect();
    sorted.sort_by_key(|c| c.from);
    let mut out = Vec::new();
    for ch in sorted {
        let Some(from) = ch.from else {
            check(cx, ch);
            continue;
        };
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
            check(cx, ch);
            continue;
        }
        let Some(mut next) = read(cx, ch, Over::Period(&current), region).0 else {
            continue;
        };
        current.to = Some(from.plus(-1));
        next.from = from;
        next.line = ch.line;
        out.push(std::mem::replace(&mut current, next));
    }
    out.push(current);
    out
}

/// A patch of `period`: the period with the patch's figures, and the keys it changed.
pub(super) fn patch(
    cx: &mut Cx,
    h: &Head,
    period: &Period,
    region: &Arc<str>,
) -> (Option<Period>, Vec<String>) {
    read(cx, h, Over::Period(period), region)
}

/// A doc with nothing to apply it to (reported already): its figures are still read, so
/// their problems are reported too.
pub(super) fn check(cx: &mut Cx, h: &Head) {
    read(cx, h, Over::Check, &Arc::from(""));
}

/// A doc and its changes, read only (see [`check`]).
pub(super) fn check_with_changes(cx: &mut Cx, h: &Head) {
    check(cx, h);
    for ch in changes(cx, h) {
        check(cx, &ch);
    }
}

/// The `[[….change]]` entries of `h` that give only `from` and insurance figures.
pub(super) fn changes<'d>(cx: &mut Cx, h: &Head<'d>) -> Vec<Head<'d>> {
    let mut out = Vec::new();
    for (i, ch) in h.doc.change.iter().enumerate() {
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
                    &format!("{}.change[#{}].{name}", h.key, i + 1),
                    cline,
                    format!("a change inside a period gives `from` and insurance figures only, not `{name}`"),
                );
                ok = false;
            }
        }
        if ok {
            out.push(head(cx, ch, &format!("{}.change", h.key), i));
        }
    }
    out
}

/// Read `h` over `over`: the period (`None` when a whole period is incomplete or when only
/// checking) and, over a period, the keys it changed in the order `policy check` lists them.
fn read(cx: &mut Cx, h: &Head, over: Over, region: &Arc<str>) -> (Option<Period>, Vec<String>) {
    let doc = h.doc;
    let k = |name: &str| format!("{}.{name}", h.key);
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
    let defaults = Defaults {
        floor: money(cx, &doc.floor, &k("floor"), &chain),
        ceiling: money(cx, &doc.ceiling, &k("ceiling"), &chain),
        rounding: figure(cx, &doc.rounding, &k("rounding"), &chain),
    };
    let tables = tables(cx, h);
    match over {
        Over::Check => {
            for (id, sp, key) in &tables {
                insurance(cx, *id, sp, key, &pp, &defaults, Target::Check);
            }
            (None, Vec::new())
        }
        Over::Nothing => {
            let mut ok = true;
            let mut insurances = Vec::new();
            for (id, sp, key) in &tables {
                match insurance(cx, *id, sp, key, &pp, &defaults, Target::Complete) {
                    Some(ins) => insurances.push(ins),
                    None => ok = false,
                }
            }
            let mut need = |cx: &mut Cx, present: bool, name: &str, what: &str| {
                if !present {
                    cx.missing(
                        &format!("{}.{name}", h.key),
                        h.line,
                        format!("the period has no {what}"),
                    );
                    ok = false;
                }
            };
            need(cx, h.from.is_some(), "from", "`from` month");
            need(
                cx,
                contribution_year_start.is_some(),
                "contribution_year_start",
                "`contribution_year_start` (month number the contribution year starts in, 7 = July)",
            );
            need(
                cx,
                leaving_month_charged.is_some(),
                "leaving_month_charged",
                "`leaving_month_charged` (is the month a person leaves still charged? true/false)",
            );
            need(
                cx,
                retro_limit_months.is_some(),
                "retro_limit_months",
                "`retro_limit_months` (how far back a back-payment may reach)",
            );
            for id in InsuranceId::CORE {
                let present = tables.iter().any(|(t, _, _)| *t == id);
                need(cx, present, id.as_str(), &format!("[{id}] table"));
            }
            if !ok {
                return (None, Vec::new());
            }
            insurances.sort_by_key(|i| i.id);
            let month = |m: &Option<Spanned<MonthDoc>>| match m.as_ref().map(|m| *m.get_ref()) {
                Some(MonthDoc::Month(m)) => Some(m),
                _ => None,
            };
            let (Some(from), Some(cys), Some(lmc), Some(rlm)) = (
                h.from,
                contribution_year_start,
                leaving_month_charged,
                retro_limit_months,
            ) else {
                return (None, Vec::new());
            };
            let period = Period {
                region: region.clone(),
                from,
                to: month(&doc.to),
                published: month(&doc.published),
                split_from: from,
                contribution_year_start: cys,
                leaving_month_charged: lmc,
                retro_limit_months: rlm,
                insurances,
                line: h.line,
                layer: cx.layer,
            };
            (Some(period), Vec::new())
        }
        Over::Period(base) => {
            let mut period = base.clone();
            let mut out = Vec::new();
            for (slot, given, name) in [
                (&mut period.to, &doc.to, "to"),
                (&mut period.published, &doc.published, "published"),
            ] {
                match given.as_ref().map(|m| *m.get_ref()) {
                    Some(MonthDoc::Month(m)) => *slot = Some(m),
                    Some(MonthDoc::Open) => *slot = None,
                    None => continue,
                }
                out.push(name.to_string());
            }
            set(
                &mut out,
                "contribution_year_start".into(),
                &mut period.contribution_year_start,
                &contribution_year_start,
            );
            set(
                &mut out,
                "leaving_month_charged".into(),
                &mut period.leaving_month_charged,
                &leaving_month_charged,
            );
            set(
                &mut out,
                "retro_limit_months".into(),
                &mut period.retro_limit_months,
                &retro_limit_months,
            );
            // Period-wide values first, so an insurance's own values in the same doc win.
            for ins in &mut period.insurances {
                let id = ins.id;
                set(
                    &mut out,
                    format!("{id}.floor"),
                    &mut ins.floor,
                    &defaults.floor,
                );
                set(
                    &mut out,
                    format!("{id}.ceiling"),
                    &mut ins.ceiling,
                    &defaults.ceiling,
                );
                set(
                    &mut out,
                    format!("{id}.employer_rounding"),
                    &mut ins.employer.rounding,
                    &defaults.rounding,
                );
                if let Some(e) = &mut ins.employee {
                    set(
                        &mut out,
                        format!("{id}.employee_rounding"),
                        &mut e.rounding,
                        &defaults.rounding,
                    );
                }
            }
            for (id, sp, key) in &tables {
                match period.insurances.iter_mut().find(|i| i.id == *id) {
                    Some(ins) => {
                        let target = Target::Patch(ins, &mut out);
                        insurance(cx, *id, sp, key, &pp, &defaults, target);
                    }
                    // An insurance the period lacks comes in whole.
                    None => {
                        let target = Target::Complete;
                        if let Some(new) = insurance(cx, *id, sp, key, &pp, &defaults, target) {
                            out.push(format!("{id} (added)"));
                            period.insurances.push(new);
                            period.insurances.sort_by_key(|i| i.id);
                        }
                    }
                }
            }
            (Some(period), out)
        }
    }
}

/// The insurance tables `h` gives: the core ones, then the extras by name (a badly formed
/// or core name under `extra` is reported and left out).
fn tables<'d>(cx: &mut Cx, h: &Head<'d>) -> Vec<(InsuranceId, &'d Spanned<InsuranceDoc>, String)> {
    let doc = h.doc;
    let mut out = Vec::new();
    let core = [
        (InsuranceId::PENSION, &doc.pension),
        (InsuranceId::MEDICAL, &doc.medical),
        (InsuranceId::UNEMPLOYMENT, &doc.unemployment),
        (InsuranceId::INJURY, &doc.injury),
    ];
    for (id, ins) in core {
        if let Some(ins) = ins {
            out.push((id, ins, format!("{}.{id}", h.key)));
        }
    }
    for (name, ins) in &doc.extra {
        let ikey = format!("{}.extra.{name}", h.key);
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
        out.push((id, ins, ikey));
    }
    out
}

/// Replace `slot` with `new` when given, noting `name`.
pub(super) fn set<T: Clone>(
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
