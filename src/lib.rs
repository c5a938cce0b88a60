//! headcount: validate and cost a month of social-insurance headcount changes (增减员).
//!
//! The pipeline reads left to right through the module tree:
//! `input` (files → cells) → `rows` (cells → typed rows) → `rules` (rows → findings)
//! → `contributions` (rows → amounts) → `output` (files), with `ids` (identity numbers) and
//! `policy` (dated contribution figures) as the facts the middle stages consult.
//! `pipeline` runs the stages; `config` and `exit` are the library's edges.

pub mod audit;
pub mod calendar;
pub mod config;
pub mod contributions;
pub mod error;
pub mod exit;
pub mod finding;
pub mod ids;
pub mod input;
pub mod inspect;
pub mod interrupt;
pub mod model;
pub mod output;
pub mod panic_guard;
pub mod pipeline;
pub mod policy;
pub mod rebase;
pub mod reconcile;
pub mod rows;
pub mod rules;
pub mod text;
pub mod verify;
