//! What the report needs that no other output keeps: the first problem rows with their
//! messages, findings per file, the headcount and cost against the roster, and the cost by
//! department. Fed in input order, so it is the same whatever the thread count.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::contributions::MonthAmounts;
use crate::finding::{At, Finding, Lang, Severity};
use crate::input::sources::Sources;
use crate::output::findings::Person;

/// Rows with findings listed in the page; the rest are in errors.csv and errors.xlsx.
pub const TOP_ROWS: usize = 100;
/// Findings listed per row (a row rarely has more).
pub const FINDINGS_PER_ROW: usize = 8;

#[derive(Debug, Clone)]
pub struct ProblemFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct ProblemRow {
    pub file: u32,
    pub sheet: u32,
    pub row: u32,
    pub name: String,
    /// As every other output shows it: masked unless `--no-mask`.
    pub id: String,
    pub findings: Vec<ProblemFinding>,
    /// Findings of the row beyond `FINDINGS_PER_ROW`.
    pub more: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SevCounts {
    pub errors: u64,
    pub warnings: u64,
    pub notes: u64,
}

/// Enrolled people and the month's regular cost, before and after this month's changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headcount {
    pub before: u64,
    pub reduced: u64,
    pub added: u64,
    pub cost_before: (Decimal, Decimal),
    pub cost_after: (Decimal, Decimal),
}

#[derive(Debug, Default)]
pub struct Tally {
    pub problem_rows: Vec<ProblemRow>,
    pub rows_with_findings: u64,
    /// By file index; `u32::MAX` for findings about the whole run.
    pub by_file: BTreeMap<u32, SevCounts>,
    pub headcount: Option<Headcount>,
    /// Additions' charges by department: (employer, employee).
    pub departments: BTreeMap<String, (Decimal, Decimal)>,
    last_row: Option<(u32, u32, u32)>,
    /// Departments by number, and each pending addition's department number.
    department_index: std::collections::HashMap<String, u32>,
    department_names: Vec<String>,
    pending_departments: Vec<Option<u32>>,
}

impl Tally {
    /// Every finding, before `--max-findings` caps the other reports.
    pub fn finding(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources, lang: Lang) {
        let file = if f.at.file == At::RUN.file {
            u32::MAX
        } else {
            f.at.file
        };
        let c = self.by_file.entry(file).or_default();
        match f.severity {
            Severity::Note => c.notes += 1,
            Severity::Warning => c.warnings += 1,
            _ => c.errors += 1,
        }
        let header_row = sources.sheet(f.at.file, f.at.sheet).map(|s| s.header_row);
        // Findings about the run, a file or a sheet (at or above the header) are not rows.
        if file == u32::MAX || header_row.is_none_or(|h| f.at.row <= h) {
            return;
        }
        let key = (f.at.file, f.at.sheet, f.at.row);
        if self.last_row != Some(key) {
            self.last_row = Some(key);
            self.rows_with_findings += 1;
            if self.problem_rows.len() < TOP_ROWS {
                self.problem_rows.push(ProblemRow {
                    file: f.at.file,
                    sheet: f.at.sheet,
                    row: f.at.row,
                    name: who.redact.text(who.name).into_owned(),
                    id: who.id.to_string(),
                    findings: Vec::new(),
                    more: 0,
                });
            } else {
                return;
            }
        }
        let Some(row) = self
            .problem_rows
            .last_mut()
            .filter(|r| (r.file, r.sheet, r.row) == key)
        else {
            return;
        };
        if row.findings.len() < FINDINGS_PER_ROW {
            row.findings.push(ProblemFinding {
                code: f.rule.code,
                severity: f.severity,
                // Masked as errors.csv masks them: ID-shaped tokens and birth dates too.
                column: who.redact.text(sources.column(&f.at)).into_owned(),
                message: who.redact.text(&f.message(lang)).into_owned(),
            });
        } else {
            row.more += 1;
        }
    }

    fn headcount(&mut self) -> &mut Headcount {
        self.headcount.get_or_insert_with(Headcount::default)
    }

    /// A roster member enrolled for the month before its changes; `stopped` when this
    /// month's reductions end it; `amounts` when the roster has a base.
    pub fn roster_member(&mut self, stopped: bool, amounts: Option<&MonthAmounts>) {
        let h = self.headcount();
        h.before += 1;
        if stopped {
            h.reduced += 1;
        }
        if let Some(a) = amounts {
            add(&mut h.cost_before, a);
            if !stopped {
                add(&mut h.cost_after, a);
            }
        }
    }

    /// An accepted addition set aside to be charged at the end of the batch, with its
    /// department (empty when none); `addition` later names it by its place in this order.
    pub fn pending_addition(&mut self, department: &str) {
        let index = if department.is_empty() {
            None
        } else if let Some(&i) = self.department_index.get(department) {
            Some(i)
        } else {
            let i = self.department_names.len() as u32;
            self.department_index.insert(department.to_string(), i);
            self.department_names.push(department.to_string());
            Some(i)
        };
        self.pending_departments.push(index);
    }

    /// A month charged for the `n`th pending addition; `in_period` when it is the run's month.
    pub fn addition(&mut self, n: usize, in_period: bool, amounts: &MonthAmounts) {
        if in_period {
            let h = self.headcount();
            h.added += 1;
            add(&mut h.cost_after, amounts);
        }
        let Some(Some(i)) = self.pending_departments.get(n).copied() else {
            return;
        };
        if let Some(name) = self.department_names.get(i as usize) {
            add(self.departments.entry(name.clone()).or_default(), amounts);
        }
    }
}

fn add(to: &mut (Decimal, Decimal), a: &MonthAmounts) {
    to.0 += a.employer_total;
    to.1 += a.employee_total;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::sources::{SourceFile, SourceSheet};
    use crate::rules::catalogue;

    fn sources() -> Sources {
        Sources {
            files: vec![SourceFile {
                display: "a.csv".into(),
                sheets: vec![SourceSheet {
                    name: String::new(),
                    columns: vec!["姓名".into()],
                    header_row: 1,
                    id_column: None,
                }],
            }],
        }
    }

    fn at(row: u32) -> At {
        At {
            file: 0,
            sheet: 0,
            row,
            column: Some(0),
        }
    }

    #[test]
    fn rows_are_grouped_capped_and_counted() {
        let rule = catalogue::all()[0];
        let who = Person {
            name: "张三",
            id: "110101********123X",
            redact: crate::output::redact::Redact::tokens(true),
        };
        let mut t = Tally::default();
        let src = sources();
        // The header row's findings are about the sheet.
        t.finding(&Finding::new(rule, at(1)), &who, &src, Lang::Zh);
        for row in 2..(TOP_ROWS as u32 + 12) {
            for _ in 0..(FINDINGS_PER_ROW + 2) {
                t.finding(&Finding::new(rule, at(row)), &who, &src, Lang::Zh);
            }
        }
        t.finding(&Finding::new(rule, At::RUN), &who, &src, Lang::Zh);
        assert_eq!(t.rows_with_findings, TOP_ROWS as u64 + 10);
        assert_eq!(t.problem_rows.len(), TOP_ROWS);
        assert_eq!(t.problem_rows[0].row, 2);
        assert_eq!(t.problem_rows[0].findings.len(), FINDINGS_PER_ROW);
        assert_eq!(t.problem_rows[0].more, 2);
        assert_eq!(t.problem_rows[0].findings[0].column, "姓名");
        let per_file: u64 = t
            .by_file
            .values()
            .map(|c| c.errors + c.warnings + c.notes)
            .sum();
        assert_eq!(
            per_file,
            2 + (TOP_ROWS as u64 + 10) * (FINDINGS_PER_ROW as u64 + 2)
        );
        assert!(t.by_file.contains_key(&u32::MAX));
    }

    fn amounts(er: i64) -> MonthAmounts {
        MonthAmounts {
            base: Decimal::ZERO,
            items: Vec::new(),
            employer_total: Decimal::from(er),
            employee_total: Decimal::ONE,
        }
    }

    #[test]
    fn departments_follow_the_pending_order() {
        let mut t = Tally::default();
        t.pending_addition("研发");
        t.pending_addition("");
        t.pending_addition("销售");
        t.pending_addition("研发");
        t.addition(0, false, &amounts(1));
        t.addition(0, true, &amounts(2));
        t.addition(1, true, &amounts(4));
        t.addition(2, true, &amounts(8));
        t.addition(3, true, &amounts(16));
        t.addition(9, true, &amounts(32));
        assert_eq!(t.departments["研发"], (Decimal::from(19), Decimal::from(3)));
        assert_eq!(t.departments["销售"], (Decimal::from(8), Decimal::ONE));
        assert_eq!(t.departments.len(), 2);
        let h = t.headcount.unwrap();
        assert_eq!(h.added, 5);
        assert_eq!(h.cost_after.0, Decimal::from(62));
    }
}
