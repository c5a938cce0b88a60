//! `summary.json` of `rebase`: where every roster line and every wage line went, the bases
//! by how they were found, the findings by code and the year's totals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compute::{Basis, Computed, LineUse, Year};
use super::output::Totals;
use super::wages::{ReadCounts, Wages};
use super::Noted;
use crate::exit::Exit;
use crate::finding::{Lang, Severity};
use crate::rows::roster::Roster;

#[derive(Serialize, Debug)]
pub struct Summary {
    pub tool: String,
    pub command: &'static str,
    pub region: String,
    pub year: i32,
    pub wage_year: i32,
    /// The first month of the contribution year (policy): the new bases apply from it.
    pub start_month: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_from: Option<String>,
    pub declaration_layout: String,
    /// The layout's columns headcount cannot fill (the bureau's person number …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declaration_blank_columns: Vec<String>,
    pub roster: RosterCounts,
    pub wages: WageCounts,
    pub bases: BTreeMap<&'static str, u64>,
    pub findings: FindingCounts,
    pub totals: Totals,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_up_lines: Option<u64>,
    pub policy_digest: String,
    pub exit_code: i32,
}

/// `rows_read = members + skipped + blank_skipped`; `members = declared + left +
/// undeclared` (undeclared: no wage and no old base to fall back on).
#[derive(Serialize, Debug, Default)]
pub struct RosterCounts {
    pub file: String,
    pub rows_read: u64,
    pub blank_skipped: u64,
    pub skipped: u64,
    pub members: u64,
    pub declared: u64,
    pub left: u64,
    pub undeclared: u64,
    /// The first 100 lines skipped and why (ID-shaped text masked), as `run` lists them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_rows: Vec<crate::output::summary::RosterSkip>,
}

/// `rows_read` = the sum of every other count: each line goes exactly one way.
#[derive(Serialize, Debug, Default)]
pub struct WageCounts {
    pub file: String,
    #[serde(flatten)]
    pub read: ReadCounts,
    #[serde(flatten)]
    pub used: LineUse,
}

#[derive(Serialize, Debug, Default)]
pub struct FindingCounts {
    pub errors: u64,
    pub warnings: u64,
    pub by_code: BTreeMap<&'static str, u64>,
}

pub struct Parts<'a> {
    pub region: &'a str,
    pub year: &'a Year,
    pub roster: &'a Roster,
    pub wages: &'a Wages,
    pub computed: &'a Computed,
    pub findings: &'a [&'a Noted],
    pub totals: Totals,
    pub declared: u64,
    pub top_up_lines: Option<u64>,
    pub layout: &'a super::settings::Declaration,
    pub policy_digest: String,
    pub exit: Exit,
    pub mask: bool,
}

impl Summary {
    pub fn new(p: Parts<'_>) -> Summary {
        let mut findings = FindingCounts::default();
        for n in p.findings {
            match n.finding.severity {
                Severity::Error | Severity::Fatal => findings.errors += 1,
                Severity::Warning => findings.warnings += 1,
                Severity::Note => {}
            }
            *findings.by_code.entry(n.finding.rule.code).or_default() += 1;
        }
        let mut bases = BTreeMap::new();
        for person in &p.computed.persons {
            *bases.entry(person.basis.id()).or_default() += 1;
        }
        let left = p
            .computed
            .persons
            .iter()
            .filter(|x| x.basis == Basis::Left)
            .count() as u64;
        Summary {
            tool: format!("headcount {}", env!("CARGO_PKG_VERSION")),
            command: "rebase",
            region: p.region.to_string(),
            year: p.year.year,
            wage_year: p.year.wage_year(),
            start_month: p.year.start.to_string(),
            applied_from: p.year.applied_from.map(|m| m.to_string()),
            declaration_layout: p.layout.name.clone(),
            declaration_blank_columns: p
                .layout
                .columns
                .iter()
                .filter(|c| c.field == super::settings::DeclField::Blank)
                .map(|c| c.header.clone())
                .collect(),
            roster: RosterCounts {
                file: p.roster.file.clone(),
                rows_read: p.roster.rows_read,
                blank_skipped: p.roster.blank,
                skipped: p.roster.skipped.len() as u64,
                members: p.roster.len() as u64,
                declared: p.declared,
                left,
                undeclared: p.roster.len() as u64 - p.declared - left,
                skipped_rows: p
                    .roster
                    .skipped
                    .iter()
                    .take(100)
                    .map(|s| crate::output::summary::RosterSkip {
                        sheet: s.sheet.clone(),
                        row: s.row,
                        reason: crate::output::redact::Redact::tokens(p.mask)
                            .text(&s.reason)
                            .into_owned(),
                    })
                    .collect(),
            },
            wages: WageCounts {
                file: p.wages.source.display.clone(),
                read: p.wages.counts.clone(),
                used: p.computed.lines.clone(),
            },
            bases,
            findings,
            totals: p.totals,
            top_up_lines: p.top_up_lines,
            policy_digest: p.policy_digest,
            exit_code: p.exit.code(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The lines printed after a run.
    pub fn screen(&self, lang: Lang) -> String {
        let change: rust_decimal::Decimal = self
            .totals
            .by_insurance
            .iter()
            .map(|i| i.change_employer + i.change_employee)
            .sum();
        let blank = if self.declaration_blank_columns.is_empty() {
            String::new()
        } else {
            crate::text::Message::new("rebase_blank_columns")
                .arg(
                    "columns",
                    self.declaration_blank_columns
                        .join(crate::text::heading("list_separator", lang)),
                )
                .render(lang)
                + "\n"
        };
        let line = match lang {
            Lang::Zh => format!(
                "{} {} 年度缴费基数（{} 起）：名册 {} 人，申报 {} 人，停保 {} 人；工资 {} 行，计入 {} 行；错误 {}，警告 {}；每月缴费变化合计 {}\n",
                self.region,
                self.year,
                self.start_month,
                self.roster.members,
                self.roster.declared,
                self.roster.left,
                self.wages.read.rows_read,
                self.wages.used.used,
                self.findings.errors,
                self.findings.warnings,
                crate::output::cells::money(change),
            ),
            Lang::En => format!(
                "{} {} bases (from {}): roster {} members, {} declared, {} left; wages {} lines, {} used; {} errors, {} warnings; monthly cost change {}\n",
                self.region,
                self.year,
                self.start_month,
                self.roster.members,
                self.roster.declared,
                self.roster.left,
                self.wages.read.rows_read,
                self.wages.used.used,
                self.findings.errors,
                self.findings.warnings,
                crate::output::cells::money(change),
            ),
        };
        line + &blank
    }
}
