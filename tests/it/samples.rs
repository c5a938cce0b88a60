//! The README's main command on `samples/`, compared with golden files, and the invariants
//! a user relies on: accounting, determinism across thread counts, exit code.
//!
//! To accept a deliberate change of output: `UPDATE_GOLDEN=1 cargo test --test it samples::`,
//! then review the diff of `tests/golden/` like any other change.

use crate::common;

use std::path::Path;

use common::{code, repo, stderr};

const OUTPUTS: [&str; 7] = [
    "submission.csv",
    "errors.csv",
    "contributions.csv",
    "roster.next.csv",
    "summary.json",
    "report.html",
    "manifest.json",
];

/// The workbooks: byte-stable too, and pinned by their SHA-256 in the golden manifest.
const WORKBOOKS: [&str; 2] = ["errors.xlsx", "submission.xlsx"];

/// Runs the sample month from the repository root (so inputs are named as in the README).
fn run_samples(out: &Path, jobs: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(common::SAMPLE_RUN)
        .args([
            "--employer",
            "91110000600037341L",
            "--xlsx",
            "--quiet",
            "--jobs",
            jobs,
            "--out",
        ])
        .arg(out)
        .output()
        .expect("run headcount")
}

#[test]
fn samples_match_golden_files() {
    let out = tempfile::tempdir().unwrap();
    let o = run_samples(out.path(), "2");
    assert_eq!(code(&o), 1, "the samples contain errors: {}", stderr(&o));
    common::assert_golden(out.path(), "samples", &OUTPUTS);
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(one.path(), "1")), 1);
    assert_eq!(code(&run_samples(two.path(), "2")), 1);
    for name in OUTPUTS.iter().chain(&WORKBOOKS) {
        let a = std::fs::read(one.path().join(name)).unwrap();
        let b = std::fs::read(two.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn every_sample_file_accounts_for_every_row() {
    let out = tempfile::tempdir().unwrap();
    run_samples(out.path(), "2");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    let files = summary["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for f in files.iter().chain(std::iter::once(&summary["totals"])) {
        assert!(n(f, "rows_read") > 0);
        assert_eq!(
            n(f, "rows_read"),
            n(f, "accepted") + n(f, "rejected") + n(f, "blank_skipped"),
            "{f}"
        );
    }
    // The submission has exactly the accepted rows, and errors.csv names every rejected one.
    let accepted = n(&summary["totals"], "accepted") as usize;
    let submission = common::read_text(out.path().join("submission.csv"));
    assert_eq!(submission.lines().count() - 1, accepted);
    let errors = common::read_text(out.path().join("errors.csv"));
    let mut rejected_rows = std::collections::BTreeSet::new();
    for line in errors.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.get(7) == Some(&"error") {
            rejected_rows.insert((
                cells[0].to_string(),
                cells[1].to_string(),
                cells[2].to_string(),
            ));
        }
    }
    assert_eq!(
        rejected_rows.len() as u64,
        n(&summary["totals"], "rejected")
    );
}

#[test]
fn errors_csv_has_the_contract_columns_and_masks_ids() {
    let out = tempfile::tempdir().unwrap();
    run_samples(out.path(), "2");
    let errors = common::read_text(out.path().join("errors.csv"));
    assert_eq!(
        errors.lines().next(),
        Some("file,sheet,row,column,name,id_number,code,severity,message")
    );
    for line in errors.lines().skip(1) {
        let id = line.split(',').nth(5).unwrap_or_default();
        assert!(
            !(id.len() >= 15 && id.bytes().all(|b| b.is_ascii_digit() || b == b'X')),
            "unmasked ID in errors.csv: {line}"
        );
    }
}
