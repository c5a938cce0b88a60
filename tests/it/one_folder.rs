//! One run, one folder: a run removes the outputs it did not write (only names headcount
//! writes), and `verify` fails on a headcount output that the manifest does not list.

use crate::common;

use common::{code, repo, stderr, SAMPLE_RUN};
use std::path::Path;

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

fn verify(out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .arg("verify")
        .arg(out.join("manifest.json"))
        .output()
        .expect("run headcount")
}

#[test]
fn a_run_without_xlsx_after_one_with_it_leaves_no_submission_xlsx() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &["--xlsx"])), 1);
    assert!(out.path().join("submission.xlsx").is_file());
    std::fs::write(out.path().join("my notes.txt"), "mine").unwrap();
    std::fs::write(out.path().join("submission (1).xlsx"), "mine").unwrap();

    let o = run_samples(out.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(!out.path().join("submission.xlsx").exists());
    assert!(
        out.path().join("errors.xlsx").is_file(),
        "this run wrote it"
    );
    assert!(
        out.path().join("my notes.txt").is_file(),
        "not a headcount name"
    );
    assert!(out.path().join("submission (1).xlsx").is_file());
    let o = verify(out.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn check_after_run_leaves_only_what_check_writes() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &[])), 1);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(["check", "samples/2025-08_分公司.csv", "--quiet", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let mut left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["errors.csv", "report.html", "summary.json"]);
}

#[test]
fn a_planted_stray_output_makes_verify_fail() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &[])), 1);
    assert_eq!(code(&verify(out.path())), 0);
    std::fs::write(out.path().join("submission.xlsx"), "from another month").unwrap();
    let o = verify(out.path());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let text = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(text.contains("submission.xlsx"), "{text}");
    assert!(text.contains("清单没有记录"), "{text}");
}
