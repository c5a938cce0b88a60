//! The region-wide law terms a layer gives (`policy::law`), read whole and merged over
//! the earlier layers' terms.

use super::super::law::{AverageWage, BaseLimits, LateFee, Law};
use super::super::schema::RegionDoc;
use super::super::Figure;
use super::convert::{figure, inherit, money, rate};
use super::Cx;
use rust_decimal::Decimal;

/// The law terms a layer gives (`policy::law`); each replaces the earlier layer's.
#[derive(Default)]
pub(super) struct LawLayer {
    pub(super) stop_month: Option<Figure<u32>>,
    pub(super) late_fee: Option<LateFee>,
    pub(super) base_limits: Option<BaseLimits>,
    pub(super) average_wages: Vec<AverageWage>,
}

/// A table of law terms whose figures must all be present (a partial table would mix
/// terms from two sources).
pub(super) fn law_layer(cx: &mut Cx, doc: &RegionDoc, key: &str) -> LawLayer {
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
pub(super) fn merge_law(law: &mut Law, new: LawLayer, rname: &str, changes: &mut Vec<String>) {
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
