//! The integration tests, as modules of one test binary: one link of the crate and its
//! dependencies instead of one per file (see docs/decisions.md, "CI time").
//! `cargo test --test it <module>::` runs one file's tests.

mod build;
mod common;
#[path = "../../examples/support/datagen.rs"]
mod datagen;
#[allow(dead_code)] // tests/it/layouts.rs reads only some of the fields
#[path = "../../examples/support/layout_specs.rs"]
mod layout_specs;

mod audit;
mod backpay;
mod excel_csv;
mod formats;
mod fuzz_readers;
mod generated;
mod help;
mod hostile;
mod ids_vectors;
mod information;
mod law_fixes;
mod layouts;
mod mangled_ids;
mod medical_tier;
mod one_folder;
mod policy_cities;
mod policy_override;
mod policy_staleness;
mod portals;
mod real_codes;
mod rebase;
mod reconcile;
mod report;
mod robustness;
mod rules_arp;
mod rules_vh;
mod samples;
mod security;
mod terminal;
mod xlsx;
