//! A generated month (examples/support/datagen.rs) through the real executable: every
//! planted problem is found on its row, the accounting adds up, and the thread count does
//! not change a byte of any output. Small sizes only; speed is measured by the benchmarks.

use crate::common;

use crate::datagen;

use std::collections::HashSet;
use std::path::Path;

use common::{code, stderr};
use serde_json::Value;

const OUTPUTS: [&str; 7] = [
    "submission.csv",
    "errors.csv",
    "contributions.csv",
    "roster.next.csv",
    "summary.json",
    "report.html",
    "manifest.json",
];

fn run(cmd: &str, w: &datagen::Written, dir: &Path, out: &str, jobs: &str) {
    let mut args = datagen::args(cmd, w, Path::new(out));
    args.extend(["--jobs".into(), jobs.into()]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(dir)
        .args(&args)
        .output()
        .expect("run headcount");
    // Planted rows are rejected, so the exit code is 1.
    assert_eq!(code(&o), 1, "{cmd} --jobs {jobs}: {}", stderr(&o));
}

fn counts(v: &Value) -> [u64; 4] {
    ["rows_read", "accepted", "rejected", "blank_skipped"].map(|k| v[k].as_u64().unwrap_or(0))
}

/// rows_read = accepted + rejected + blank_skipped, for the run, each file and each sheet.
fn assert_accounting(summary: &Value, rows: u64) {
    let [read, acc, rej, blank] = counts(&summary["totals"]);
    assert_eq!(read, rows);
    assert_eq!(read, acc + rej + blank, "totals: {summary}");
    for file in summary["files"].as_array().unwrap() {
        let [read, acc, rej, blank] = counts(file);
        assert_eq!(read, acc + rej + blank, "file: {file}");
        for sheet in file["sheets"].as_array().unwrap() {
            let [read, acc, rej, blank] = counts(sheet);
            assert_eq!(read, acc + rej + blank, "sheet: {sheet}");
        }
    }
}

fn check_month(format: datagen::Format, rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let spec = datagen::Spec {
        rows,
        roster: rows,
        bad_share: 0.08,
        seed: 7,
    };
    // Relative names, so the outputs (and the manifest) do not carry the temp path.
    let w = datagen::write(&spec, format, dir.path()).unwrap();
    let w = datagen::Written {
        changes: w.changes.file_name().unwrap().into(),
        roster: w.roster.as_ref().map(|r| r.file_name().unwrap().into()),
        ..w
    };
    assert!(w.planted_rejections() > 0 && w.reductions > 0);

    for (cmd, outputs) in [("check", &OUTPUTS[1..2]), ("run", &OUTPUTS[..])] {
        run(cmd, &w, dir.path(), "one", "1");
        run(cmd, &w, dir.path(), "two", "2");
        for name in outputs.iter().chain(["summary.json"].iter()) {
            let one = std::fs::read(dir.path().join("one").join(name)).unwrap();
            let two = std::fs::read(dir.path().join("two").join(name)).unwrap();
            assert!(one == two, "{cmd}: {name} differs between --jobs 1 and 2");
        }
        let summary: Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("two/summary.json")).unwrap())
                .unwrap();
        assert_accounting(&summary, rows as u64);
        let rejected = summary["totals"]["rejected"].as_u64().unwrap();
        assert!(rejected >= w.planted_rejections() as u64, "{summary}");

        // Every planted problem is reported on its own row, under its own code.
        let errors = common::read_text(dir.path().join("two/errors.csv"));
        let mut reader = csv::Reader::from_reader(errors.as_bytes());
        // Run-level findings (P001) have no row.
        let found: HashSet<(u32, String)> = reader
            .records()
            .filter_map(|r| {
                let r = r.unwrap();
                Some((r[2].parse().ok()?, r[6].to_string()))
            })
            .collect();
        for p in &w.planted {
            let code = p.plant.code().to_string();
            assert!(found.contains(&(p.row, code)), "{cmd}: missed {p:?}");
        }
    }
}

#[test]
fn generated_csv_month() {
    check_month(datagen::Format::Csv, 1_000);
}

#[test]
fn generated_workbook_month() {
    check_month(datagen::Format::Xlsx, 400);
}

#[test]
fn generator_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let spec = datagen::Spec {
        rows: 300,
        roster: 100,
        bad_share: 0.1,
        seed: 3,
    };
    datagen::write(&spec, datagen::Format::Csv, a.path()).unwrap();
    datagen::write(&spec, datagen::Format::Csv, b.path()).unwrap();
    for name in ["changes.csv", "roster.csv"] {
        let x = std::fs::read(a.path().join(name)).unwrap();
        let y = std::fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} differs between two runs with one seed");
    }
}
