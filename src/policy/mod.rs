//! Contribution policy: per-region, dated tables of bases, rates, fixed amounts and rounding,
//! each figure with its provenance.
//!
//! Figures change every year and differ by city, so they are data: TOML files embedded with
//! `include_str!` (`data/*.toml`) and optional user files layered over them, all read by the
//! same loader and validator (`load/`). The file format is `schema.rs`; the user-facing
//! description is `docs/policy.md`. One idea per file (`docs/decisions.md`, "Policy module").

// One declaration per line, sorted: easy to merge.
mod check;
mod error;
mod for_run;
mod insurance;
pub mod law;
mod load;
mod period;
mod provenance;
mod region;
pub mod render;
pub mod rounding;
pub mod schema;
mod set;
#[cfg(test)]
mod tests;

pub use check::{check_file, check_report, check_report_str, check_str, CheckReport};
pub use error::{PolicyError, Problem};
pub use insurance::InsuranceId;
pub use period::{FigureView, Insurance, Party, Period, RateRange, Tier};
pub use provenance::{Confidence, Confirmation, Evidence, Figure, FigureRef, Provenance};
pub use region::Region;
pub use rounding::Rounding;
pub use set::{PolicySet, PolicySource, SourceKind};
