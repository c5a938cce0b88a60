//! `summary.json` and the one-screen summary at the end of a run.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::finding::{fill, Finding, Lang, Rule};

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
    pub lines: u64,
    pub by_insurance: Vec<InsuranceTotal>,
    pub employer_total: Decimal,
    pub employee_total: Decimal,
    /// Top-ups (补差) after a late-published notice: not part of the totals above.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topup: Option<TopUpTotals>,
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
        let pick = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
        let most = match (top.is_empty(), lang) {
            (true, _) => String::new(),
            (false, Lang::Zh) => format!("（最多：{}）", top.join(" ")),
            (false, Lang::En) => format!(" (most: {})", top.join(" ")),
        };
        let args = vec![
            ("read", t.rows_read.to_string()),
            ("accepted", t.accepted.to_string()),
            ("add", t.additions_accepted.to_string()),
            ("red", t.reductions_accepted.to_string()),
            ("rejected", t.rejected.to_string()),
            ("blank", t.blank_skipped.to_string()),
            ("errors", self.findings.errors.to_string()),
            ("warnings", self.findings.warnings.to_string()),
            ("most", most),
        ];
        let mut out = fill(
            pick(
                "读取 {read} 行：通过 {accepted}（增员 {add}，减员 {red}），拒绝 {rejected}，空行跳过 {blank}\n发现：错误 {errors}，警告 {warnings}{most}\n",
                "read {read} rows: accepted {accepted} ({add} additions, {red} reductions), rejected {rejected}, blank skipped {blank}\nfindings: {errors} errors, {warnings} warnings{most}\n",
            ),
            &args,
            lang,
        );
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
            let args = [
                ("employer", c.employer_total.to_string()),
                ("employee", c.employee_total.to_string()),
                ("lines", c.lines.to_string()),
            ];
            out.push_str(&fill(
                pick(
                    "缴费：单位 {employer}，个人 {employee}（{lines} 行）\n",
                    "contributions: employer {employer}, employee {employee} ({lines} lines)\n",
                ),
                &args,
                lang,
            ));
        }
        for f in &self.files {
            for sh in f.sheets.iter().filter(|s| !s.skipped) {
                out.push_str(&kind_line(&f.file, sh, lang));
            }
        }
        for note in self.roster.note.iter().chain(&self.notes) {
            out.push_str(note);
            out.push('\n');
        }
        out
    }
}

/// `a.xlsx [增员]：增员（由工作表名决定）`: which kind a sheet's rows are and what said so.
fn kind_line(file: &str, sh: &SheetSummary, lang: Lang) -> String {
    let place = if sh.sheet.is_empty() {
        file.to_string()
    } else {
        format!("{file} [{}]", sh.sheet)
    };
    let kind_zh = match sh.kind {
        Some("addition") => "增员",
        Some("reduction") => "减员",
        _ => "按每行的变动类型",
    };
    let from_zh = match sh.kind_from {
        Some("column") => "变动类型列",
        Some("sheet name") => "工作表名",
        Some("file name") => "文件名",
        Some("layout") => "版式",
        Some("--kind") => "命令行 --kind",
        _ => "",
    };
    match lang {
        Lang::Zh if from_zh.is_empty() => format!("{place}：{kind_zh}\n"),
        Lang::Zh => format!("{place}：{kind_zh}（由{from_zh}决定）\n"),
        Lang::En => format!(
            "{place}: {} (decided by the {})\n",
            sh.kind.unwrap_or("each row's change type"),
            sh.kind_from.unwrap_or("nothing")
        ),
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
