//! headcount: validate and cost a month of social-insurance headcount changes (增减员).
//!
//! The pipeline reads left to right through the module tree:
//! `input` (files → cells, and the `Sources` findings are named by) → `rows` (cells → typed
//! rows) → `rules` (rows → findings) → `contributions` (rows → amounts, and the ledger of
//! which months are charged) → `output` (files: finding sinks, summary, manifest, progress),
//! with `ids` (identity numbers) and `policy` (dated contribution figures) as the facts the
//! middle stages consult. `pipeline` only runs the stages; `config` is the run's settings;
//! `audit`, `verify`, `rebase`, `reconcile` and `inspect` are commands on top. No module
//! uses one above it: `layers.rs` checks (see docs/decisions.md).

pub mod audit;
pub mod calendar;
pub mod config;
pub mod contributions;
pub mod error;
pub mod exit;
pub mod finding;
pub mod fxhash;
pub mod ids;
pub mod input;
pub mod inspect;
pub mod interrupt;
#[cfg(test)]
mod layers;
pub mod model;
pub mod output;
pub mod panic_guard;
pub mod paths;
pub mod pipeline;
pub mod policy;
pub mod rebase;
pub mod reconcile;
pub mod rows;
pub mod rules;
pub mod text;
pub mod verify;
