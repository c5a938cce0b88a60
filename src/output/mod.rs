//! Everything the run writes: the submission, the error report, contributions, the next
//! roster, the summary, the HTML report and the manifest. Staged and committed together.

pub mod atomic;
pub mod biff;
pub mod cells;
pub mod contributions;
pub mod findings;
pub mod leftovers;
pub mod manifest;
pub mod pending;
pub mod portal;
pub mod progress;
pub mod redact;
pub mod report;
pub mod roster;
pub mod screen;
pub mod submission;
pub mod summary;
// Workbooks for people (errors.xlsx, submission.xlsx) and the CSV byte encoding.
pub mod csv_sink;
pub mod errors_xlsx;
pub mod submission_xlsx;
pub mod workbook_copy;
pub mod xlsx;

/// Output file names, as fixed by the interface contract.
pub const SUBMISSION: &str = "submission.csv";
pub const ERRORS: &str = "errors.csv";
pub const CONTRIBUTIONS: &str = "contributions.csv";
pub const ROSTER_NEXT: &str = "roster.next.csv";
pub const SUMMARY: &str = "summary.json";
pub const MANIFEST: &str = "manifest.json";
pub const ERRORS_XLSX: &str = "errors.xlsx";
pub const SUBMISSION_XLSX: &str = "submission.xlsx";
/// `--xlsx` copies of the CSVs (see `workbook_copy`).
pub const CONTRIBUTIONS_XLSX: &str = workbook_copy::CONTRIBUTIONS_XLSX;
pub const ROSTER_NEXT_XLSX: &str = workbook_copy::ROSTER_NEXT_XLSX;
pub const REPORT_HTML: &str = "report.html";
/// The region's upload templates (see `portal`).
pub const PORTAL_ADDITIONS: &str = portal::ADDITIONS;
pub const PORTAL_REDUCTIONS: &str = portal::REDUCTIONS;
pub const PORTAL_ADDITIONS_XLS: &str = portal::ADDITIONS_XLS;
pub const PORTAL_REDUCTIONS_XLS: &str = portal::REDUCTIONS_XLS;
pub const PORTAL_TRANSFERS: &str = portal::TRANSFERS;
pub const PORTAL_TRANSFERS_XLS: &str = portal::TRANSFERS_XLS;
pub const PORTAL_BACKPAY: &str = portal::BACKPAY;
pub const PORTAL_BACKPAY_XLS: &str = portal::BACKPAY_XLS;
/// `headcount reconcile`'s report (src/reconcile/output.rs).
pub const RECONCILIATION_CSV: &str = "reconciliation.csv";
pub const RECONCILIATION_XLSX: &str = "reconciliation.xlsx";
pub const RECONCILIATION_JSON: &str = "reconciliation.json";
pub const RECONCILE_OUTPUTS: [&str; 3] =
    [RECONCILIATION_CSV, RECONCILIATION_XLSX, RECONCILIATION_JSON];
/// `headcount rebase`'s own outputs (src/rebase/output.rs; it also writes roster.next.csv,
/// errors.csv, summary.json and manifest.json).
pub const REBASE_DECLARATION: &str = "rebase.declaration.csv";
pub const REBASE_DECLARATION_XLSX: &str = "rebase.declaration.xlsx";
pub const REBASE_COMPARISON: &str = "rebase.comparison.csv";
pub const REBASE_TOTALS: &str = "rebase.totals.csv";
pub const REBASE_TOP_UPS: &str = "rebase.topups.csv";
pub const REBASE_OUTPUTS: [&str; 5] = [
    REBASE_DECLARATION,
    REBASE_DECLARATION_XLSX,
    REBASE_COMPARISON,
    REBASE_TOTALS,
    REBASE_TOP_UPS,
];

/// Every file `run` and `check` may write, in the manifest's order, the manifest last: the
/// one list the manifest, the output-over-input guard, the leftover sweep and the staging
/// clean-up go by.
pub const RUN_OUTPUTS: [&str; 19] = [
    SUBMISSION,
    ERRORS,
    CONTRIBUTIONS,
    ROSTER_NEXT,
    SUMMARY,
    ERRORS_XLSX,
    SUBMISSION_XLSX,
    CONTRIBUTIONS_XLSX,
    ROSTER_NEXT_XLSX,
    REPORT_HTML,
    PORTAL_ADDITIONS,
    PORTAL_REDUCTIONS,
    PORTAL_ADDITIONS_XLS,
    PORTAL_REDUCTIONS_XLS,
    PORTAL_TRANSFERS,
    PORTAL_TRANSFERS_XLS,
    PORTAL_BACKPAY,
    PORTAL_BACKPAY_XLS,
    MANIFEST,
];

/// The run's files and sheets live in `input` (the rules read them too); named here as
/// well for the benches and callers of the old path.
pub use crate::input::sources::{SourceFile, SourceSheet, Sources};
