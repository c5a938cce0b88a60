//! `headcount policy --region R --period YYYY-MM`: the figures in force with their
//! rounding and provenance, as a text table or JSON.

use super::{Confirmation, Figure, FigureView, Insurance, Party, Period, Provenance, Region};
use crate::calendar::{Date, Month};
use crate::finding::Lang;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::fmt::Write;
use std::sync::Arc;

/// A readable table: one line per insurance, then every figure with its provenance and
/// whether `c` counts it as confirmed. `month` is the month asked for: when it lies after
/// the last period, the table says the figures are carried forward.
pub fn text(region: &Region, period: &Period, c: &Confirmation, month: Month) -> String {
    let mut out = String::new();
    let zh = region
        .aliases
        .iter()
        .find(|a| !a.is_ascii())
        .map(String::as_str)
        .unwrap_or("");
    let to = period.to.map_or("open".to_string(), |m| m.to_string());
    let _ = writeln!(
        out,
        "{} {zh} ({}): period {} – {to}",
        region.name, region.code, period.from
    );
    let _ = writeln!(
        out,
        "  contribution year starts in month {}; the leaving month is {}; back-pay reaches back at most {} months",
        period.contribution_year_start.value,
        if period.leaving_month_charged.value {
            "charged (stop month = the month after leaving)"
        } else {
            "not charged (stop month = the leaving month)"
        },
        period.retro_limit_months.value
    );
    if let Some(p) = period.published() {
        let _ = writeln!(
            out,
            "  published {p}: months from {} to {} were declared at the previous figures (top-up, P005)",
            period.from,
            p.plus(-1)
        );
    }
    if region.carried(month).is_some_and(|p| p.from == period.from) {
        let _ = writeln!(
            out,
            "  {month} lies after this last published period: its figures are carried forward (P004)"
        );
    }
    match &region.injury_rate {
        Some(own) => {
            let _ = writeln!(
                out,
                "  employer's own work-injury rate: {} (replaces the default)",
                percent(own.value)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  employer's own work-injury rate: not set (the default below applies)"
            );
        }
    }
    out.push('\n');

    let mut rows = vec![vec![
        "insurance".to_string(),
        "floor".into(),
        "ceiling".into(),
        "employer".into(),
        "employee".into(),
    ]];
    for ins in &period.insurances {
        let name = match ins.id.label_zh() {
            Some(zh) => format!("{} {zh}", ins.id),
            None => ins.id.to_string(),
        };
        let mut employer = party(&ins.employer);
        if let Some(range) = &ins.injury_range {
            employer = format!(
                "{employer} (default; allowed {} – {})",
                percent(range.min.value),
                percent(range.max.value)
            );
        }
        let employee = ins
            .employee
            .as_ref()
            .map_or("— (none by law)".to_string(), party);
        rows.push(vec![
            name,
            money(ins.floor.value),
            money(ins.ceiling.value),
            employer,
            employee,
        ]);
    }
    table(&mut out, &rows, &[false, true, true, false, false]);
    out.push('\n');

    // Long source texts are listed once and referred to by number.
    let mut sources: Vec<Arc<Provenance>> = Vec::new();
    let mut number = |p: &Arc<Provenance>| match sources.iter().position(|s| **s == **p) {
        Some(i) => i + 1,
        None => {
            sources.push(p.clone());
            sources.len()
        }
    };
    let mut figures = vec![vec![
        "figure".to_string(),
        "value".into(),
        "confidence".into(),
        "evidence".into(),
        "confirmed".into(),
        "verified".into(),
        "source".into(),
    ]];
    let mut views: Vec<FigureView> = period.figures();
    if let Some(own) = &region.injury_rate {
        views.push(FigureView {
            insurance: None,
            name: "injury_rate",
            value: own.value.to_string(),
            provenance: &own.provenance,
            line: own.line,
        });
    }
    for f in &views {
        let key = match f.insurance {
            Some(i) => format!("{i}.{}", f.name),
            None => f.name.to_string(),
        };
        figures.push(vec![
            key,
            f.value.clone(),
            f.provenance.confidence.id().to_string(),
            f.provenance.evidence.id().to_string(),
            if c.confirms(f.provenance) {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            f.provenance
                .verified_on
                .map_or("—".to_string(), |d| d.to_string()),
            format!("[{}]", number(f.provenance)),
        ]);
    }
    table(
        &mut out,
        &figures,
        &[false, true, false, false, false, false, false],
    );
    out.push_str("\nsources:\n");
    for (i, p) in sources.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {} ({})", i + 1, p.source, p.origin);
    }
    out.push_str(&super::law::describe(&region.law, period.from));
    out
}

/// `headcount policy` without `--period`: per region, every period with what is
/// confirmed, whether `today`'s month is carried forward past the last period, and when
/// its figures were last checked.
pub fn overview(region: &Region, c: &Confirmation, today: Month, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let alias = region
        .aliases
        .iter()
        .find(|a| !a.is_ascii())
        .map(String::as_str)
        .unwrap_or("");
    let _ = writeln!(out, "{} {alias} ({})", region.name, region.code);
    let header: [&str; 6] = if zh {
        ["期间", "公布", "已确认", "状态", "最早核实", "最近核实"]
    } else {
        [
            "period",
            "published",
            "confirmed",
            "status",
            "oldest check",
            "latest check",
        ]
    };
    let mut rows = vec![header.map(str::to_string).to_vec()];
    for p in &region.periods {
        let figures = p.figures();
        let total = figures.len();
        let confirmed = figures.iter().filter(|f| c.confirms(f.provenance)).count();
        let checked: Vec<Date> = figures
            .iter()
            .filter_map(|f| f.provenance.verified_on)
            .collect();
        let day = |d: Option<&Date>| d.map_or("—".to_string(), Date::to_string);
        let status = match (confirmed == total, zh) {
            (true, true) => "全部确认".to_string(),
            (true, false) => "all confirmed".to_string(),
            (false, true) => format!("{} 项未确认", total - confirmed),
            (false, false) => format!("{} not confirmed", total - confirmed),
        };
        rows.push(vec![
            format!(
                "{} – {}",
                p.from,
                p.to.map_or(if zh { "未定" } else { "open" }.to_string(), |m| m
                    .to_string())
            ),
            p.published().map_or("—".to_string(), |m| m.to_string()),
            format!("{confirmed}/{total}"),
            status,
            day(checked.iter().min()),
            day(checked.iter().max()),
        ]);
    }
    table(&mut out, &rows, &[false, false, true, false, false, false]);
    if let Some(last) = region.carried(today) {
        let to = last.to.map_or(String::new(), |m| m.to_string());
        let _ = if zh {
            writeln!(
                out,
                "  {today} 尚无公布的数据：沿用 {} – {to} 的数据（P004）",
                last.split_from
            )
        } else {
            writeln!(
                out,
                "  {today} has no published figures: those of {} – {to} are carried forward (P004)",
                last.split_from
            )
        };
    }
    out
}

/// `headcount policy confirm`: a policy file that restates every figure of `period` that is
/// not confirmed, under one provenance record for the user to fill in. As written it
/// changes nothing (the record says `unverified`); once the user has read the notice and
/// set `confidence = "confirmed"`, those figures are confirmed and P001 stops.
pub fn confirm_template(region: &Region, period: &Period, c: &Confirmation, today: Date) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# headcount policy confirm: the figures of {} {} – {} that are not confirmed.\n\
         # 1. Check each value below against the notice; correct it where it differs.\n\
         # 2. Put the notice's number and address in `source`, and set confidence = \"confirmed\".\n\
         # 3. Use it: headcount run … --policy THIS_FILE (check it first: headcount policy check THIS_FILE).\n\
         # 核对每一项数值，填写文件号与网址，并把 confidence 改为 \"confirmed\" 后用 --policy 提供。\n",
        region.name,
        period.from,
        period.to.map_or("open".to_string(), |m| m.to_string())
    );
    let _ = writeln!(
        out,
        "[provenance.checked]\nsource = \"the notice you checked: number and address\"\n\
         confidence = \"unverified\"\nevidence = \"official\"\nverified_on = {today}\n"
    );
    let _ = writeln!(
        out,
        "[[region]]\nname = \"{}\"\n\n[[region.patch]]\nfrom = \"{}\"\nprovenance = \"checked\"",
        region.name, period.from
    );
    let figures = period.figures();
    let toml_value = |f: &FigureView| match f.name {
        "leaving_month_charged" | "contribution_year_start" | "retro_limit_months" => {
            f.value.clone()
        }
        _ => format!("\"{}\"", f.value),
    };
    for f in figures
        .iter()
        .filter(|f| f.insurance.is_none() && !c.confirms(f.provenance))
    {
        let _ = writeln!(out, "{} = {}", f.name, toml_value(f));
    }
    for ins in &period.insurances {
        let open: Vec<&FigureView> = figures
            .iter()
            .filter(|f| f.insurance == Some(ins.id) && !c.confirms(f.provenance))
            .collect();
        if open.is_empty() {
            continue;
        }
        let table = if super::InsuranceId::CORE.contains(&ins.id) {
            format!("region.patch.{}", ins.id)
        } else {
            format!("region.patch.extra.{}", ins.id)
        };
        let _ = writeln!(out, "\n[{table}]");
        for f in open {
            let _ = writeln!(out, "{} = {}", f.name, toml_value(f));
        }
    }
    out.push_str(&super::law::confirm_template(&region.law, period.from, c));
    out
}

/// The same content as JSON (keys sorted; money and rates as strings).
pub fn json(region: &Region, period: &Period) -> String {
    let v = json!({
        "region": region.name,
        "code": region.code,
        "aliases": region.aliases,
        "period": {
            "from": period.from.to_string(),
            "to": period.to.map(|m| m.to_string()),
            "published": period.published().map(|m| m.to_string()),
        },
        "contribution_year_start": figure(&period.contribution_year_start, |v| json!(v)),
        "leaving_month_charged": figure(&period.leaving_month_charged, |v| json!(v)),
        "retro_limit_months": figure(&period.retro_limit_months, |v| json!(v)),
        "employer_injury_rate": region.injury_rate.as_ref().map(|f| figure(f, dec)),
        "insurances": period.insurances.iter().map(insurance_json).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn insurance_json(ins: &Insurance) -> Value {
    let party = |p: &Party| {
        json!({
            "rate": figure(&p.rate, dec),
            "fixed": p.fixed.as_ref().map(|f| figure(f, dec)),
            "rounding": figure(&p.rounding, |r| json!(r.id())),
        })
    };
    json!({
        "insurance": ins.id.as_str(),
        "label_zh": ins.id.label_zh(),
        "floor": figure(&ins.floor, dec),
        "ceiling": figure(&ins.ceiling, dec),
        "employer": party(&ins.employer),
        "employee": ins.employee.as_ref().map(party),
        "employer_rate_min": ins.injury_range.as_ref().map(|r| figure(&r.min, dec)),
        "employer_rate_max": ins.injury_range.as_ref().map(|r| figure(&r.max, dec)),
    })
}

fn dec(d: &Decimal) -> Value {
    json!(d.to_string())
}

fn figure<T>(f: &Figure<T>, value: impl Fn(&T) -> Value) -> Value {
    let p = &f.provenance;
    json!({
        "value": value(&f.value),
        "confidence": p.confidence.id(),
        "evidence": p.evidence.id(),
        "verified_on": p.verified_on.map(|d| d.to_string()),
        "source": p.source,
        "origin": p.origin.as_ref(),
        "line": (f.line > 0).then_some(f.line),
    })
}

fn party(p: &Party) -> String {
    let mut s = percent(p.rate.value);
    if let Some(f) = &p.fixed {
        let _ = write!(s, " + {}", money(f.value));
    }
    let r = p.rounding.value;
    let _ = write!(s, ", {} {}", r.id(), r.label_zh());
    s
}

fn money(d: Decimal) -> String {
    let mut d = d;
    d.rescale(2);
    d.to_string()
}

/// `0.098` → `9.8%`.
pub fn percent(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize())
}

/// Columns padded by display width (a CJK character takes two cells).
fn table(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let cols = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..cols)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - width(cell));
            line.push(' ');
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
            line.push(' ');
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = (0x1100..=0x115F).contains(&c)
                || (0x2E80..=0xA4CF).contains(&c)
                || (0xAC00..=0xD7A3).contains(&c)
                || (0xF900..=0xFAFF).contains(&c)
                || (0xFE30..=0xFE4F).contains(&c)
                || (0xFF00..=0xFF60).contains(&c)
                || (0xFFE0..=0xFFE6).contains(&c);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;

    #[test]
    fn text_lists_every_figure_with_provenance() {
        let set = PolicySet::embedded().unwrap();
        let r = set.region("beijing").unwrap();
        let p = r.period("2025-08".parse().unwrap()).unwrap();
        let t = text(r, p, set.confirmation(), "2025-08".parse().unwrap());
        assert!(
            t.contains("published 2025-09: months from 2025-07 to 2025-08"),
            "{t}"
        );
        assert!(t.contains("official-citing  yes"), "{t}");
        let late = text(r, p, set.confirmation(), "2027-09".parse().unwrap());
        assert!(
            !late.contains("carried forward"),
            "2025-07 is not the last period"
        );
        assert!(
            t.starts_with("beijing 北京 (110000): period 2025-07 – 2026-06\n"),
            "{t}"
        );
        assert!(t.contains("medical 医疗"));
        assert!(t.contains("9.8%, half-up-fen 四舍五入到分"));
        assert!(t.contains("2% + 3.00, half-up-fen"));
        assert!(t.contains("— (none by law)"));
        assert!(t.contains("allowed 0.2% – 2.85%"));
        for f in p.figures() {
            let key = match f.insurance {
                Some(i) => format!("{i}.{}", f.name),
                None => f.name.to_string(),
            };
            assert!(t.contains(&key), "{key} missing from\n{t}");
        }
        assert!(t.contains("京人社发〔2024〕12号"));
        assert!(t.contains("(embedded:beijing.toml)"));
    }

    #[test]
    fn overview_says_what_is_confirmed_and_carried() {
        let set = PolicySet::embedded().unwrap();
        let r = set.region("beijing").unwrap();
        let m = |s: &str| s.parse::<Month>().unwrap();
        let zh = overview(r, set.confirmation(), m("2027-08"), Lang::Zh);
        assert!(zh.contains("2026-07 – 2027-06  2026-08"), "{zh}");
        assert!(
            zh.contains("2027-08 尚无公布的数据：沿用 2026-07 – 2027-06"),
            "{zh}"
        );
        assert!(zh.contains("项未确认"), "{zh}");
        let en = overview(r, set.confirmation(), m("2026-08"), Lang::En);
        assert!(en.contains("not confirmed"), "{en}");
        assert!(!en.contains("carried forward"), "{en}");
    }

    #[test]
    fn table_aligns_cjk_by_display_width() {
        let mut out = String::new();
        let rows = vec![
            vec!["养老".to_string(), "x".into()],
            vec!["ab".to_string(), "y".into()],
        ];
        table(&mut out, &rows, &[false, false]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(width(lines[0]), width(lines[1]));
    }

    #[test]
    fn json_holds_figures_as_strings_with_provenance() {
        let set = PolicySet::embedded().unwrap();
        let r = set.region("shanghai").unwrap();
        let p = r.period("2024-07".parse().unwrap()).unwrap();
        let v: Value = serde_json::from_str(&json(r, p)).unwrap();
        assert_eq!(v["code"], "310000");
        assert_eq!(v["period"]["to"], "2024-12");
        let pension = &v["insurances"][0];
        assert_eq!(pension["insurance"], "pension");
        assert_eq!(pension["floor"]["value"], "7384");
        assert_eq!(pension["floor"]["confidence"], "medium-high");
        assert_eq!(pension["floor"]["evidence"], "third-party");
        assert_eq!(pension["employer"]["rounding"]["value"], "ceil-jiao");
        assert_eq!(pension["employer"]["rounding"]["confidence"], "low");
        assert_eq!(v["insurances"][3]["employee"], Value::Null);
        assert_eq!(v["insurances"][3]["employer_rate_max"]["value"], "0.0228");
        assert_eq!(v["leaving_month_charged"]["value"], true);
        assert_eq!(v["contribution_year_start"]["value"], 7);
    }
}
