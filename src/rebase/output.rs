//! The files `rebase` writes: the declaration (in the region's portal layout where known),
//! the per-person comparison, the year's totals, the top-ups, the next roster. All go
//! through the run's staging (`output::atomic`) and are committed together.

use std::io::Write;

use rust_decimal::Decimal;
use serde::Serialize;

use super::compute::{Basis, Figures, Person, Year};
use super::settings::{DeclField, Declaration};
use crate::contributions::MonthAmounts;
use crate::error::Error;
use crate::output::cells::{money, CsvOut};
use crate::rows::roster::{Roster, RosterEntry};

pub const DECLARATION: &str = crate::output::REBASE_DECLARATION;
pub const DECLARATION_XLSX: &str = crate::output::REBASE_DECLARATION_XLSX;
pub const COMPARISON: &str = crate::output::REBASE_COMPARISON;
pub const TOTALS: &str = crate::output::REBASE_TOTALS;
pub const TOP_UPS: &str = crate::output::REBASE_TOP_UPS;

/// The text of one declaration cell.
fn decl_cell(f: DeclField, e: &RosterEntry, p: &Person, year: &Year) -> String {
    match f {
        DeclField::Name => e.name.to_string(),
        DeclField::IdType => e.id_type.label_zh().to_string(),
        DeclField::IdNumber => e.id.to_string(),
        DeclField::Months => match p.basis {
            Basis::Average | Basis::FirstFullMonth(_) => p.months.to_string(),
            _ => String::new(),
        },
        DeclField::AverageWage => p.wage.map_or(String::new(), money),
        DeclField::OldBase => p.old_base.map_or(String::new(), money),
        DeclField::NewBase => p.new_base.map_or(String::new(), money),
        DeclField::Effective => year.start.to_string(),
        DeclField::Blank => String::new(),
    }
}

/// Whether a column is a number in the workbook.
fn is_amount(f: DeclField) -> bool {
    matches!(
        f,
        DeclField::AverageWage | DeclField::OldBase | DeclField::NewBase | DeclField::Months
    )
}

/// The people declared: everyone with a new base, in roster order.
fn declared<'a>(
    roster: &'a Roster,
    persons: &'a [Person],
) -> impl Iterator<Item = (&'a RosterEntry, &'a Person)> {
    persons
        .iter()
        .filter(|p| p.new_base.is_some())
        .map(|p| (&roster.entries[p.entry], p))
}

pub fn declaration<W: Write>(
    w: W,
    layout: &Declaration,
    roster: &Roster,
    persons: &[Person],
    year: &Year,
) -> Result<u64, Error> {
    let header: Vec<&str> = layout.columns.iter().map(|c| c.header.as_str()).collect();
    let mut out = CsvOut::new(w, DECLARATION, &header)?;
    let mut n = 0;
    for (e, p) in declared(roster, persons) {
        for c in &layout.columns {
            let v = decl_cell(c.field, e, p, year);
            if is_amount(c.field) || c.field == DeclField::Effective {
                out.num(v);
            } else {
                out.text(&v);
            }
        }
        out.end()?;
        n += 1;
    }
    out.finish()?;
    Ok(n)
}

/// The declaration as a workbook: one sheet, IDs and months as text, amounts as numbers.
pub fn declaration_xlsx(
    layout: &Declaration,
    roster: &Roster,
    persons: &[Person],
    year: &Year,
    tempdir: &std::path::Path,
) -> Result<Vec<u8>, Error> {
    use crate::output::xlsx;
    let mut wb = xlsx::workbook(DECLARATION_XLSX, year.start.first_day(), tempdir)?;
    let ws = wb.add_worksheet();
    let e = |err| xlsx::error(DECLARATION_XLSX, err);
    ws.set_name(format!("{}年度缴费基数申报", year.year))
        .map_err(e)?;
    let mut widths = xlsx::Widths::default();
    for (c, col) in layout.columns.iter().enumerate() {
        ws.write_string(0, c as u16, &col.header).map_err(e)?;
        widths.see(c, &col.header);
    }
    let amount = rust_xlsxwriter::Format::new().set_num_format("0.00");
    for (r, (entry, p)) in declared(roster, persons).enumerate() {
        let row = r as u32 + 1;
        for (c, col) in layout.columns.iter().enumerate() {
            let v = decl_cell(col.field, entry, p, year);
            widths.see(c, &v);
            let value = match col.field {
                DeclField::AverageWage | DeclField::OldBase | DeclField::NewBase => {
                    v.parse::<f64>().ok()
                }
                _ => None,
            };
            match value {
                Some(f) => ws.write_number_with_format(row, c as u16, f, &amount),
                None => ws.write_string(row, c as u16, crate::output::cells::safe_text(&v)),
            }
            .map_err(e)?;
        }
    }
    widths.apply(ws, 40, &[], DECLARATION_XLSX)?;
    wb.save_to_buffer().map_err(e)
}

fn comparison_header(insurances: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "id_number",
        "name",
        "status",
        "basis",
        "months",
        "wage",
        "old_base",
        "new_base",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in insurances {
        h.push(format!("{i}_employer_change"));
        h.push(format!("{i}_employee_change"));
    }
    h.push("employer_change".into());
    h.push("employee_change".into());
    h
}

/// One line per roster member: old and new base and the monthly cost change.
pub fn comparison<W: Write>(
    w: W,
    roster: &Roster,
    persons: &[Person],
    figures: &Figures<'_>,
    insurances: &[String],
) -> Result<(), Error> {
    let header = comparison_header(insurances);
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut out = CsvOut::new(w, COMPARISON, &refs)?;
    for p in persons {
        let e = &roster.entries[p.entry];
        out.text(&e.id)
            .text(&e.name)
            .num(e.status.label_zh())
            .num(p.basis.id())
            .num(if p.months > 0 {
                p.months.to_string()
            } else {
                String::new()
            })
            .num(p.wage.map_or(String::new(), money))
            .num(p.old_base.map_or(String::new(), money))
            .num(p.new_base.map_or(String::new(), money));
        let change = match (p.new_amounts(figures), p.old_amounts(figures)) {
            (Some(n), Some(o)) => Some(super::compute::difference(&n, &o)),
            (Some(n), None) => Some(n),
            _ => None,
        };
        amounts_cells(&mut out, change.as_ref(), insurances);
        out.end()?;
    }
    out.finish()
}

fn amounts_cells<W: Write>(out: &mut CsvOut<W>, a: Option<&MonthAmounts>, insurances: &[String]) {
    for i in insurances {
        match a.and_then(|a| a.item(i)) {
            Some(item) => out.num(money(item.employer)).num(money(item.employee)),
            None if a.is_some() => out.num("0.00").num("0.00"),
            None => out.num("").num(""),
        };
    }
    match a {
        Some(a) => out
            .num(money(a.employer_total))
            .num(money(a.employee_total)),
        None => out.num("").num(""),
    };
}

/// The year's totals per insurance (monthly before and after, the change, and the change
/// over the twelve months of the contribution year for the people declared).
#[derive(Serialize, Clone, Debug, Default)]
pub struct Totals {
    pub declared: u64,
    pub by_insurance: Vec<InsuranceTotals>,
    pub top_up_employer: Decimal,
    pub top_up_employee: Decimal,
}

#[derive(Serialize, Clone, Debug, Default)]
pub struct InsuranceTotals {
    pub insurance: String,
    pub old_employer: Decimal,
    pub old_employee: Decimal,
    pub new_employer: Decimal,
    pub new_employee: Decimal,
    pub change_employer: Decimal,
    pub change_employee: Decimal,
    pub year_change_employer: Decimal,
    pub year_change_employee: Decimal,
}

pub fn totals(
    persons: &[Person],
    figures: &Figures<'_>,
    year: &Year,
    insurances: &[String],
) -> Totals {
    let zero = Decimal::new(0, 2);
    let mut t = Totals {
        by_insurance: insurances
            .iter()
            .map(|i| InsuranceTotals {
                insurance: i.clone(),
                old_employer: zero,
                old_employee: zero,
                new_employer: zero,
                new_employee: zero,
                change_employer: zero,
                change_employee: zero,
                year_change_employer: zero,
                year_change_employee: zero,
            })
            .collect(),
        top_up_employer: zero,
        top_up_employee: zero,
        ..Totals::default()
    };
    for p in persons {
        let Some(new) = p.new_amounts(figures) else {
            continue;
        };
        let old = p.old_amounts(figures);
        t.declared += 1;
        for ti in &mut t.by_insurance {
            if let Some(i) = new.item(&ti.insurance) {
                ti.new_employer += i.employer;
                ti.new_employee += i.employee;
            }
            if let Some(i) = old.as_ref().and_then(|o| o.item(&ti.insurance)) {
                ti.old_employer += i.employer;
                ti.old_employee += i.employee;
            }
        }
        for (_, d) in &p.top_ups(figures, year) {
            t.top_up_employer += d.employer_total;
            t.top_up_employee += d.employee_total;
        }
    }
    let twelve = Decimal::from(12);
    for ti in &mut t.by_insurance {
        ti.change_employer = ti.new_employer - ti.old_employer;
        ti.change_employee = ti.new_employee - ti.old_employee;
        ti.year_change_employer = ti.change_employer * twelve;
        ti.year_change_employee = ti.change_employee * twelve;
    }
    t
}

pub fn totals_csv<W: Write>(w: W, t: &Totals) -> Result<(), Error> {
    let mut out = CsvOut::new(
        w,
        TOTALS,
        &[
            "insurance",
            "old_employer",
            "old_employee",
            "new_employer",
            "new_employee",
            "change_employer",
            "change_employee",
            "year_change_employer",
            "year_change_employee",
        ],
    )?;
    let mut sum = [Decimal::new(0, 2); 8];
    for i in &t.by_insurance {
        let v = [
            i.old_employer,
            i.old_employee,
            i.new_employer,
            i.new_employee,
            i.change_employer,
            i.change_employee,
            i.year_change_employer,
            i.year_change_employee,
        ];
        out.num(&i.insurance);
        for (k, x) in v.iter().enumerate() {
            sum[k] += *x;
            out.num(money(*x));
        }
        out.end()?;
    }
    out.num("total");
    for x in sum {
        out.num(money(x));
    }
    out.end()?;
    out.finish()
}

/// One line per person and month declared at the old base: the difference owed.
pub fn top_ups<W: Write>(
    w: W,
    roster: &Roster,
    persons: &[Person],
    figures: &Figures<'_>,
    year: &Year,
    insurances: &[String],
) -> Result<u64, Error> {
    let mut header: Vec<String> = ["id_number", "name", "month", "old_base", "new_base"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for i in insurances {
        header.push(format!("{i}_employer"));
        header.push(format!("{i}_employee"));
    }
    header.push("employer_total".into());
    header.push("employee_total".into());
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut out = CsvOut::new(w, TOP_UPS, &refs)?;
    let mut n = 0;
    for p in persons {
        let e = &roster.entries[p.entry];
        for (m, d) in &p.top_ups(figures, year) {
            out.text(&e.id)
                .text(&e.name)
                .num(m)
                .num(p.old_base.map_or(String::new(), money))
                .num(p.new_base.map_or(String::new(), money));
            amounts_cells(&mut out, Some(d), insurances);
            out.end()?;
            n += 1;
        }
    }
    out.finish()?;
    Ok(n)
}

/// The roster for the new year: every line as read, the declared base replacing the old
/// one. Its start month stays the first contribution month (the roster's meaning); the new
/// base applies from the year's start month, which the summary states.
pub fn roster_next<W: Write>(w: W, roster: &Roster, persons: &[Person]) -> Result<(), Error> {
    let mut out = CsvOut::new(
        w,
        crate::output::ROSTER_NEXT,
        &crate::output::roster::COLUMNS,
    )?;
    for p in persons {
        let e = &roster.entries[p.entry];
        let former = roster.former_id(p.entry).unwrap_or("");
        match p.new_base {
            Some(b) => {
                let mut next = e.clone();
                next.base = Some(b);
                crate::output::roster::line(&mut out, &next, None, former)?;
            }
            None => crate::output::roster::line(&mut out, e, None, former)?,
        }
    }
    out.finish()
}
