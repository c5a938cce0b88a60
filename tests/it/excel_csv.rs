//! CSV outputs that Chinese Excel opens correctly by default (UTF-8 with a byte-order mark),
//! plain UTF-8 for scripts on request, and both read back by `--roster` next month.

use crate::common;

use common::{code, repo, stderr, SAMPLE_RUN};
use std::path::Path;

const CSV_OUTPUTS: [&str; 4] = [
    "submission.csv",
    "errors.csv",
    "contributions.csv",
    "roster.next.csv",
];
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn run_samples(out: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(SAMPLE_RUN)
        .args(["--employer", "91110000600037341L", "--quiet"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

#[test]
fn default_csv_outputs_are_utf8_with_a_bom_and_plain_utf8_on_request() {
    let bom = tempfile::tempdir().unwrap();
    let plain = tempfile::tempdir().unwrap();
    let o = run_samples(bom.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = run_samples(plain.path(), &["--csv-encoding", "utf-8"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    for name in CSV_OUTPUTS {
        let with = std::fs::read(bom.path().join(name)).unwrap();
        let without = std::fs::read(plain.path().join(name)).unwrap();
        assert!(
            !without.starts_with(BOM),
            "{name}: --csv-encoding utf-8 has no BOM"
        );
        assert_eq!(&with[..3], BOM, "{name} starts with the BOM");
        assert_eq!(
            &with[3..],
            &without[..],
            "{name}: the BOM is the only difference"
        );
    }
    let manifest = |dir: &Path| std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(
        manifest(bom.path()).contains("\"csv_encoding\": \"utf-8-bom\""),
        "the default is recorded, so verify re-runs it"
    );
    assert!(
        !manifest(plain.path()).contains("csv_encoding"),
        "plain UTF-8 is what a manifest without csv_encoding means"
    );
    for dir in [bom.path(), plain.path()] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .arg("verify")
            .arg(dir.join("manifest.json"))
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
}

#[test]
fn a_bom_roster_reads_back_next_month_with_every_member() {
    let this = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(this.path(), &[])), 1);
    let roster = this.path().join("roster.next.csv");
    assert!(std::fs::read(&roster).unwrap().starts_with(BOM));
    let next = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(["check", "samples/2025-08_分公司.csv", "--quiet", "--roster"])
        .arg(&roster)
        .arg("--out")
        .arg(next.path())
        .output()
        .unwrap();
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(next.path().join("summary.json")).unwrap())
            .unwrap();
    let lines = std::fs::read_to_string(&roster).unwrap().lines().count() as u64;
    assert_eq!(summary["roster"]["members"], lines - 1, "no member lost");
    assert!(
        summary["roster"]["skipped"]
            .as_array()
            .is_none_or(|s| s.is_empty()),
        "{}",
        summary["roster"]
    );
}
