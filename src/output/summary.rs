//! `summary.json` (the terminal summary is `screen.rs`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::redact::Redact;
use crate::calendar::Month;
use crate::finding::{Finding, Lang, Rule};
use crate::policy::Region;
use crate::rows::roster::Roster;
use crate::rules::policy::AtLimits;

/// Row accounting: `rows_read = accepted + rejected + blank_skipped`.
#[derive(Serialize, Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub blank_skipped: u64,
    /// Of the skipped rows, those that were totals lines (合计/小计/总计).
    pub totals_rows_skipped: u64,
    pub additions_accepted: u64,
    pub reductions_accepted: u64,
    /// Information changes (信息变更) accepted.
    pub information_accepted: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.rows_read += o.rows_read;
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.blank_skipped += o.blank_skipped;
        self.totals_rows_skipped += o.totals_rows_skipped;
        self.additions_accepted += o.additions_accepted;
        self.reductions_accepted += o.reductions_accepted;
        self.information_accepted += o.information_accepted;
    }

    pub fn balanced(&self) -> bool {
        self.rows_read == self.accepted + self.rejected + self.blank_skipped
    }
}

#[derive(Serialize, Debug)]
pub struct SheetSummary {
    pub sheet: String,
    /// Row number of the header; absent for a skipped sheet.
    pub header_row: Option<u32>,
    /// The change kind of the sheet's rows, when one kind for the whole sheet.
    pub kind: Option<&'static str>,
    /// What decided the kind: `column` (each row's change type), `sheet name`,
    /// `file name`, `layout` or `--kind`; absent when nothing did or the sheet was skipped.
    pub kind_from: Option<&'static str>,
    pub skipped: bool,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Serialize, Debug)]
pub struct FileSummary {
    pub file: String,
    /// The text encoding used (CSV only).
    pub encoding: Option<&'static str>,
    #[serde(flatten)]
    pub counts: Counts,
    pub sheets: Vec<SheetSummary>,
}

#[derive(Serialize, Debug)]
pub struct CodeCount {
    pub severity: &'static str,
    pub count: u64,
    pub title: &'static str,
}

#[derive(Serialize, Debug, Default)]
pub struct FindingCounts {
    pub errors: u64,
    pub warnings: u64,
    /// Notes (what was not checked and why); absent when there are none.
    #[serde(skip_serializing_if = "is_zero")]
    pub notes: u64,
    pub by_code: BTreeMap<&'static str, CodeCount>,
}

impl FindingCounts {
    pub fn record(&mut self, f: &Finding) {
        if f.is_error() {
            self.errors += 1;
        } else if f.severity == crate::finding::Severity::Note {
            self.notes += 1;
        } else {
            self.warnings += 1;
        }
        self.record_rule(f.rule, f.severity.id());
    }

    /// Every finding: errors, warnings and notes.
    pub fn total(&self) -> u64 {
        self.errors + self.warnings + self.notes
    }

    fn record_rule(&mut self, rule: &'static Rule, severity: &'static str) {
        self.by_code
            .entry(rule.code)
            .or_insert(CodeCount {
                severity,
                count: 0,
                title: rule.title_en,
            })
            .count += 1;
    }
}

/// How much of the findings the report holds, when `--max-findings` capped it.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportCap {
    pub max_findings: u64,
    /// Findings written to `errors.csv` or the JSON Lines stream.
    pub written: u64,
    /// Findings counted in `findings` but left out of the report.
    pub omitted: u64,
    pub truncated: bool,
}

impl ReportCap {
    pub fn new(max_findings: u64, total: u64) -> ReportCap {
        let written = total.min(max_findings);
        ReportCap {
            max_findings,
            written,
            omitted: total - written,
            truncated: total > written,
        }
    }
}

#[derive(Serialize, Debug, Default)]
pub struct RosterSummary {
    pub used: bool,
    pub file: Option<String>,
    pub rows_read: u64,
    pub members: u64,
    pub rows_skipped: u64,
    /// The roster rows that could not be used (the first 100).
    pub skipped: Vec<RosterSkip>,
    /// Present when roster rules were skipped, saying so.
    pub note: Option<String>,
}

impl RosterSummary {
    /// What `summary.json` says of the roster: its counts and first skipped lines, or
    /// that roster rules were skipped for want of one.
    pub fn of(roster: Option<(&Roster, String)>, lang: Lang, mask: bool) -> RosterSummary {
        match roster {
            Some((r, file)) => RosterSummary {
                used: true,
                file: Some(file),
                rows_read: r.rows_read,
                members: r.len() as u64,
                rows_skipped: r.skipped.len() as u64,
                skipped: r
                    .skipped
                    .iter()
                    .take(100)
                    .map(|s| RosterSkip {
                        sheet: s.sheet.clone(),
                        row: s.row,
                        // "ID number 110101… is stored as a number" must not show it whole.
                        reason: Redact::tokens(mask).text(&s.reason).into_owned(),
                    })
                    .collect(),
                note: None,
            },
            None => RosterSummary {
                note: Some(match lang {
                    Lang::Zh => "未提供参保名册（--roster），名册相关规则已跳过".into(),
                    Lang::En => "no roster given (--roster): roster rules were skipped".into(),
                }),
                ..RosterSummary::default()
            },
        }
    }
}

#[derive(Serialize, Debug, Clone)]
pub struct RosterSkip {
    pub sheet: String,
    pub row: u32,
    pub reason: String,
}

#[derive(Serialize, Debug, Clone)]
pub struct InsuranceTotal {
    pub insurance: String,
    pub employer: Decimal,
    pub employee: Decimal,
}

#[derive(Serialize, Debug, Default)]
pub struct ContributionTotals {
    /// Contribution lines (`regular` and `backpay`); late fees are counted apart.
    pub lines: u64,
    pub by_insurance: Vec<InsuranceTotal>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    /// Late fees (滞纳金) on back-pay months, not included in the totals above.
    pub late_fees: LateFeeTotals,
    /// Top-ups (补差) after a late-published notice: not part of the totals above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topup: Option<TopUpTotals>,
}

/// The `late_fee` lines of `contributions.csv`. The employer is liable for all of it
/// (社会保险法 Art. 86), including the fee on the employee's share.
#[derive(Serialize, Debug, Default)]
pub struct LateFeeTotals {
    pub lines: u64,
    pub employer_total: Decimal,
}

#[derive(Serialize, Debug, Default)]
pub struct TopUpTotals {
    pub lines: u64,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
}

#[derive(Serialize, Debug)]
pub struct PolicySummary {
    pub region: String,
    pub digest: String,
    /// Figures used that are not confirmed (P001).
    pub unconfirmed: Vec<String>,
    /// Present when months of the run lie after the last published period (P004).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_forward: Option<CarriedForward>,
}

/// P004 for scripts: the period whose figures are reused, from when, and who would move.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CarriedForward {
    pub period_from: String,
    pub period_to: String,
    pub since: String,
    pub months: u64,
    pub at_floor: u64,
    pub at_ceiling: u64,
}

impl CarriedForward {
    /// Present when some of the `months` charged lie after the region's last published
    /// period; `at_limits` counts the bases at its floor or ceiling.
    pub fn of(region: &Region, months: &[Month], at_limits: AtLimits) -> Option<CarriedForward> {
        let carried: Vec<_> = months
            .iter()
            .filter(|m| region.carried(**m).is_some())
            .collect();
        let first = carried.first()?;
        let p = region.carried(**first)?;
        let to = p.to()?;
        Some(CarriedForward {
            period_from: p.split_from().to_string(),
            period_to: to.to_string(),
            since: to.plus(1).to_string(),
            months: carried.len() as u64,
            at_floor: at_limits.at_floor,
            at_ceiling: at_limits.at_ceiling,
        })
    }
}

#[derive(Serialize, Debug)]
pub struct Summary {
    pub tool: String,
    pub command: &'static str,
    pub period: String,
    pub as_of: String,
    pub region: Option<String>,
    pub totals: Counts,
    pub files: Vec<FileSummary>,
    pub findings: FindingCounts,
    /// Present only under `--max-findings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportCap>,
    pub roster: RosterSummary,
    pub contributions: Option<ContributionTotals>,
    pub policy: Option<PolicySummary>,
    /// Checks that were skipped, and why.
    pub notes: Vec<String>,
    pub exit_code: i32,
}

impl Summary {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// What the run did not check, said rather than left silent.
pub fn notes(lang: Lang, has_region: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if !has_region {
        notes.push(match lang {
            Lang::Zh => "未指定地区（--region），缴费基数上下限和补缴期限规则已跳过".to_string(),
            Lang::En => {
                "no region given (--region): base floor/ceiling and retro-limit rules were skipped"
                    .to_string()
            }
        });
    }
    notes
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
