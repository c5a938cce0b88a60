//! `report.html`: the run on one self-contained page for people — identity, accounting,
//! findings by rule and file, the first problem rows, the month's cost and the change
//! against the roster. Inline CSS and SVG, no network, readable without JavaScript, A4 print.
//! Its numbers come from the values that make `summary.json`, the staged
//! `contributions.csv` and a small tally the run keeps (`Tally`).

pub mod costs;
pub mod for_run;
pub mod html;
mod page;
pub mod svg;
pub mod tally;

pub use costs::Costs;
pub use page::render;
pub use tally::{Tally, TOP_ROWS};

use crate::finding::Lang;
use crate::output::summary::Summary;

/// An input file as the page lists it.
#[derive(Debug, Clone)]
pub struct InputRef {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A policy period the run charged months in, and whether its figures are confirmed.
#[derive(Debug, Clone)]
pub struct PeriodUsed {
    pub from: String,
    /// Absent for an open-ended period.
    pub to: Option<String>,
    /// The figures used that are not confirmed: `pension.floor = 6821 (medium)`. Their
    /// sources are in summary.json; the page carries no addresses.
    pub unconfirmed: Vec<String>,
}

/// Everything the page shows.
pub struct Report<'a> {
    pub lang: Lang,
    pub summary: &'a Summary,
    pub employer: Option<&'a str>,
    pub region_code: Option<&'a str>,
    /// The region's Chinese name from the policy data (its first non-ASCII alias).
    pub region_local: Option<&'a str>,
    pub mask: bool,
    pub inputs: Vec<InputRef>,
    pub roster: Option<InputRef>,
    pub periods: Vec<PeriodUsed>,
    pub tally: &'a Tally,
    pub costs: Option<Costs>,
}
