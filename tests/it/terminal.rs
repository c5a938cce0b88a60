//! What a person reads on the terminal at the end of a run, pinned in both languages, and
//! the option forms and warnings that the summary reports.
//!
//! To accept a deliberate change: `INSTA_UPDATE=always cargo test --test it terminal::`, then
//! review the diff of tests/it/snapshots/ like any other change.

use crate::common;

use common::{code, repo, stderr, Work};

/// The sample month copied into a work folder, so paths on screen are short and stable.
fn sample_work() -> Work {
    let w = Work::new();
    for name in ["2025-08_增减员.xlsx", "2025-08_分公司.csv", "roster.csv"] {
        let bytes = std::fs::read(repo().join("samples").join(name)).expect("sample");
        w.write(name, bytes);
    }
    w
}

fn sample_run(w: &Work, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "2025-08_增减员.xlsx",
        "2025-08_分公司.csv",
        "--roster",
        "roster.csv",
        "--region",
        "beijing",
        "--period",
        "202508",
        "--as-of",
        "2025-08-20",
        "--employer",
        "91110000600037341L",
    ];
    args.extend_from_slice(extra);
    w.run(&args)
}

#[test]
fn the_sample_month_tells_its_story_in_chinese() {
    let w = sample_work();
    let o = sample_run(&w, &[]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn the_sample_month_tells_its_story_in_english() {
    let w = sample_work();
    let o = sample_run(&w, &["--lang", "en", "--xlsx", "--out", "2025-08"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn compact_period_is_the_same_month() {
    let w = sample_work();
    let compact = sample_run(&w, &["--out", "a"]);
    let dashed = {
        let mut args: Vec<&str> = common::SAMPLE_RUN.to_vec();
        for a in args.iter_mut() {
            *a = match *a {
                "samples/2025-08_增减员.xlsx" => "2025-08_增减员.xlsx",
                "samples/2025-08_分公司.csv" => "2025-08_分公司.csv",
                "samples/roster.csv" => "roster.csv",
                other => other,
            };
        }
        args.extend(["--employer", "91110000600037341L", "--out", "b"]);
        w.run(&args)
    };
    assert_eq!(code(&compact), code(&dashed));
    for name in ["submission.csv", "contributions.csv", "summary.json"] {
        assert_eq!(
            w.read(&format!("a/{name}")),
            w.read(&format!("b/{name}")),
            "{name}"
        );
    }
}

#[test]
fn defaulted_dates_are_said_and_a_header_only_file_is_a_warning() {
    let w = Work::new();
    w.write("2025-08增员.csv", "姓名,证件号码,缴费基数\n\n");
    let o = w.run(&["check", "2025-08增员.csv", "--lang", "en"]);
    assert_eq!(code(&o), 0, "a warning alone: {}", stderr(&o));
    let text = stderr(&o);
    assert!(text.contains("no --period"), "{text}");
    assert!(text.contains("no --as-of: today"), "{text}");
    assert!(text.contains("H009 ×1"), "{text}");
    assert!(text.contains("a header and no data rows"), "{text}");
    let errors = w.read("headcount-out/errors.csv");
    assert!(errors.contains(",H009,warning,"), "{errors}");

    let o = w.run(&["check", "2025-08增员.csv", "--deny-warnings", "--quiet"]);
    assert_eq!(code(&o), 1, "--deny-warnings fails on H009");
}

#[test]
fn a_sheet_with_rows_is_not_h009() {
    let w = sample_work();
    let o = sample_run(&w, &["--quiet"]);
    assert_eq!(code(&o), 1);
    assert!(!w.read("headcount-out/errors.csv").contains(",H009,"));
}
