//! `summary.json` and the one-screen summary at the end of a run.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::finding::{Finding, Lang, Rule};

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
    /// The change kind the sheet name implies, if any.
    pub kind: Option<&'static str>,
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
    pub by_code: BTreeMap<&'static str, CodeCount>,
}

impl FindingCounts {
    pub fn record(&mut self, f: &Finding) {
        if f.is_error() {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
        self.record_rule(f.rule, f.severity.id());
    }

    /// Every finding, errors and warnings.
    pub fn total(&self) -> u64 {
        self.errors + self.warnings
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
    /// Present when roster rules were skipped, saying so.
    pub note: Option<String>,
}

#[derive(Serialize, Debug, Clone)]
pub struct InsuranceTotal {
    pub insurance: String,
    pub employer: Decimal,
    pub employee: Decimal,
}

#[derive(Serialize, Debug, Default)]
pub struct ContributionTotals {
    pub lines: u64,
    pub by_insurance: Vec<InsuranceTotal>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
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
    pub exit_code: i32,
}

impl Summary {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The few lines printed at the end of a run.
    pub fn screen(&self, lang: Lang) -> String {
        let t = &self.totals;
        let mut top: Vec<(&&str, &CodeCount)> = self.findings.by_code.iter().collect();
        top.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        let top: Vec<String> = top
            .iter()
            .take(5)
            .map(|(c, n)| format!("{c}×{}", n.count))
            .collect();
        let mut out = match lang {
            Lang::Zh => format!(
                "读取 {} 行：通过 {}（增员 {}，减员 {}），拒绝 {}，空行跳过 {}\n发现：错误 {}，警告 {}{}\n",
                t.rows_read,
                t.accepted,
                t.additions_accepted,
                t.reductions_accepted,
                t.rejected,
                t.blank_skipped,
                self.findings.errors,
                self.findings.warnings,
                if top.is_empty() { String::new() } else { format!("（最多：{}）", top.join(" ")) },
            ),
            Lang::En => format!(
                "read {} rows: accepted {} ({} additions, {} reductions), rejected {}, blank skipped {}\nfindings: {} errors, {} warnings{}\n",
                t.rows_read,
                t.accepted,
                t.additions_accepted,
                t.reductions_accepted,
                t.rejected,
                t.blank_skipped,
                self.findings.errors,
                self.findings.warnings,
                if top.is_empty() { String::new() } else { format!(" (most: {})", top.join(" ")) },
            ),
        };
        if let Some(cap) = self.report.filter(|c| c.truncated) {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "报告只列出前 {} 条发现，另有 {} 条未列出（--max-findings）；以上计数完整\n",
                    cap.written, cap.omitted
                ),
                Lang::En => format!(
                    "the report lists the first {} findings and leaves out {} (--max-findings); the counts above are complete\n",
                    cap.written, cap.omitted
                ),
            });
        }
        if let Some(c) = &self.contributions {
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "缴费：单位 {}，个人 {}（{} 行）\n",
                    c.employer_total, c.employee_total, c.lines
                ),
                Lang::En => format!(
                    "contributions: employer {}, employee {} ({} lines)\n",
                    c.employer_total, c.employee_total, c.lines
                ),
            });
        }
        if let Some(note) = &self.roster.note {
            out.push_str(note);
            out.push('\n');
        }
        out
    }
}
