//! Information changes (信息变更, issue 17) on a hand-built month (tests/information/):
//! which rows are accepted and why the others are not, what roster.next.csv and
//! submission.csv make of them, the golden files, and a second month that reads the
//! corrected roster back.
//!
//! To accept a deliberate change of output: `UPDATE_GOLDEN=1 cargo test --test it
//! information::`, then review the diff of `tests/golden/information/`.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{code, read_text, repo, stderr, Work};

const OUTPUTS: [&str; 4] = [
    "submission.csv",
    "roster.next.csv",
    "errors.csv",
    "summary.json",
];

const MONTH: [&str; 8] = [
    "--region",
    "beijing",
    "--period",
    "2025-08",
    "--as-of",
    "2025-08-20",
    "--quiet",
    "--out",
];

/// Runs the test month from the repository root, so inputs are named as in the golden files.
fn run(out: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args([
            "run",
            "tests/information/changes.csv",
            "--roster",
            "tests/information/roster.csv",
        ])
        .args(extra)
        .args(MONTH)
        .arg(out)
        .output()
        .expect("run headcount")
}

/// `run` in a work folder holding `roster.csv`: Beijing, `period`, processed on its 20th,
/// outputs in `out/`.
fn run_in(w: &Work, period: &str, args: &[&str]) -> std::process::Output {
    let as_of = format!("{period}-20");
    let mut all = vec![
        "run",
        "--roster",
        "roster.csv",
        "--region",
        "beijing",
        "--period",
    ];
    all.extend([period, "--as-of", &as_of, "--out", "out"]);
    all.extend(args);
    w.run(&all)
}

/// Row → the codes reported on it, from errors.csv.
fn codes_by_row(errors: &str) -> BTreeMap<String, Vec<String>> {
    let mut r = csv::Reader::from_reader(errors.as_bytes());
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if !rec[2].is_empty() {
            out.entry(rec[2].to_string())
                .or_default()
                .push(rec[6].to_string());
        }
    }
    out
}

#[test]
fn each_row_is_accepted_or_refused_for_its_own_reason() {
    let out = tempfile::tempdir().unwrap();
    let o = run(out.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let errors = read_text(out.path().join("errors.csv"));
    let got = codes_by_row(&errors);
    let want: BTreeMap<String, Vec<String>> = [
        // 2 number corrected, 3 name changed (原姓名 given), 4 phone only: no finding.
        ("5", vec!["I001"]),  // 钱五 is not on the roster
        ("6", vec!["I003"]),  // new number and new name: another person?
        ("7", vec!["I002"]),  // 原姓名 is not the roster's name
        ("8", vec!["I004"]),  // the new number is 郑九's
        ("9", vec!["I005"]),  // nothing changes (a warning: accepted)
        ("10", vec!["V003"]), // the new number's check character is wrong
        // 11 an addition, 12 a reduction: accepted. 13 王三's second change in one batch.
        ("13", vec!["I006", "X001"]),
    ]
    .into_iter()
    .map(|(r, c)| (r.to_string(), c.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(got, want, "{errors}");

    let s: serde_json::Value =
        serde_json::from_str(&read_text(out.path().join("summary.json"))).unwrap();
    let t = &s["totals"];
    // Rows 2, 3, 4, 9 (information), 11 (addition), 12 (reduction).
    assert_eq!(
        (
            t["rows_read"].as_u64(),
            t["accepted"].as_u64(),
            t["information_accepted"].as_u64(),
            t["additions_accepted"].as_u64(),
            t["reductions_accepted"].as_u64(),
            t["rejected"].as_u64()
        ),
        (Some(12), Some(6), Some(4), Some(1), Some(1), Some(6))
    );
    assert!(stderr(&o).is_empty(), "--quiet: {}", stderr(&o));
}

#[test]
fn the_roster_takes_the_corrections_and_keeps_the_old_number() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &[]);
    let next = read_text(out.path().join("roster.next.csv"));
    let lines: Vec<&str> = next.lines().collect();
    assert!(
        lines[0].ends_with(",医疗保险档次,原证件号码"),
        "{}",
        lines[0]
    );
    // 王三's number corrected, the old one kept; 李二 renamed; the refused rows change nothing.
    assert!(next.contains(
        "王三,居民身份证（户口簿）,110105199001011240,,2020-03,10000.00,参保,,,110105199001011232"
    ));
    assert!(next.contains("李贰,居民身份证（户口簿）,110105199007051032,"));
    assert!(!next.contains("李二,"));
    assert!(next.contains("赵四,居民身份证（户口簿）,11010519850505221X,"));
    assert!(next.contains("吴八,居民身份证（户口簿）,110105198309301151,"));
    // Every member once, the reduction stopped, the addition last.
    assert_eq!(lines.len(), 1 + 9 + 1);
    assert!(next.contains(
        "陈十一,居民身份证（户口簿）,110105198606061211,,2020-03,10000.00,停保,2025-09,,"
    ));
    assert!(lines[10].starts_with("冯十,"));

    // The submission lists them as their own kind, with the number and name before.
    let sub = read_text(out.path().join("submission.csv"));
    let mut r = csv::Reader::from_reader(sub.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let info: Vec<&csv::StringRecord> = rows.iter().filter(|l| &l[0] == "信息变更").collect();
    assert_eq!(info.len(), 4);
    assert_eq!(
        (
            &info[0][col("证件号码")],
            &info[0][col("原证件号码")],
            &info[0][col("来源行")]
        ),
        ("110105199001011240", "110105199001011232", "2")
    );
    assert_eq!(
        (&info[1][col("姓名")], &info[1][col("原姓名")]),
        ("李贰", "李二")
    );
    assert_eq!(&info[2][col("手机号码")], "13800000000");
    // An addition's line has no 原证件号码.
    let add = rows.iter().find(|l| &l[0] == "增员").unwrap();
    assert_eq!(&add[col("原证件号码")], "");
}

#[test]
fn outputs_match_golden_files() {
    let out = tempfile::tempdir().unwrap();
    let o = run(out.path(), &["--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    common::assert_golden(out.path(), "information", &OUTPUTS);
}

/// Next month reads roster.next.csv back: the corrected number is the member's, a second
/// correction puts the newest former number first, and the old number is no longer
/// anyone's.
#[test]
fn a_corrected_roster_reads_back_and_keeps_the_history() {
    let w = Work::new();
    let first = tempfile::tempdir().unwrap();
    run(first.path(), &[]);
    std::fs::copy(first.path().join("roster.next.csv"), w.path("roster.csv")).unwrap();
    w.write(
        "changes.csv",
        "变动类型,姓名,证件号码,原证件号码,离职日期,减员原因\n\
         信息变更,王三,110105199001011259,110105199001011240,,\n\
         减员,王三,110105199001011232,,2025-09-10,辞职\n",
    );
    let o = run_in(&w, "2025-09", &["changes.csv", "--quiet"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let got = codes_by_row(&w.read("out/errors.csv"));
    // The oldest number is history now: reducing by it finds no one, and R001 says whose
    // number it was (the roster's line, before this month's correction).
    assert_eq!(
        got.get("3").map(Vec::as_slice),
        Some(&["R001".to_string()][..])
    );
    let errors = w.read("out/errors.csv");
    assert!(
        errors.contains("中此号码已更正为 110105**********40（第 4 行，王三），请用现证件号码减员"),
        "{errors}"
    );
    assert_eq!(got.get("2"), None, "{got:?}");
    let next = w.read("out/roster.next.csv");
    assert!(
        next.contains(
            ",110105199001011259,,2020-03,10000.00,参保,,,110105199001011240、110105199001011232"
        ),
        "{next}"
    );
}

/// A file without a change-type column takes `--kind info`; a sheet named 信息变更 would
/// do the same (`KindWords`, unit-tested).
#[test]
fn kind_info_reads_a_file_without_a_change_type_column() {
    let w = Work::new();
    std::fs::copy(
        repo().join("tests/information/roster.csv"),
        w.path("roster.csv"),
    )
    .unwrap();
    w.write(
        "更正.csv",
        "姓名,证件号码,原证件号码\n王三,110105199001011240,110105199001011232\n",
    );
    let o = run_in(
        &w,
        "2025-08",
        &["更正.csv", "--kind", "info", "--lang", "en"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let story = stderr(&o);
    assert!(
        story.contains("1 accepted (0 additions, 0 reductions, 1 information changes)"),
        "{story}"
    );
    assert!(
        story.contains("1 information changes are not in the upload files"),
        "{story}"
    );
    let sub = w.read("out/submission.csv");
    assert!(
        sub.lines().nth(1).unwrap().starts_with("信息变更,王三,"),
        "{sub}"
    );
}

/// The same guarantees as any month: one thread or two, the same bytes; `verify` repeats
/// the run from its manifest.
#[test]
fn reruns_are_byte_identical_and_verify_repeats_the_month() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    run(one.path(), &["--jobs", "1", "--xlsx"]);
    run(two.path(), &["--jobs", "2", "--xlsx"]);
    for name in OUTPUTS.iter().chain(&["submission.xlsx", "manifest.json"]) {
        assert!(
            std::fs::read(one.path().join(name)).unwrap()
                == std::fs::read(two.path().join(name)).unwrap(),
            "{name}"
        );
    }
    // submission.xlsx: a third sheet, 信息变更, with the number and name before.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(one.path().join("submission.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["增员", "减员", "信息变更"]);
    let sheet = book.worksheet_range("信息变更").unwrap();
    assert_eq!(sheet.height(), 1 + 4);
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let old = header.iter().position(|h| h == "原证件号码").unwrap();
    assert!(
        !header.iter().any(|h| h == "缴费基数" || h == "变动类型"),
        "{header:?}"
    );
    assert_eq!(
        sheet.get((1, old)),
        Some(&Data::String("110105199001011232".into()))
    );
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .arg("verify")
        .arg(one.path().join("manifest.json"))
        .output()
        .expect("run headcount");
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
}

/// A roster line still holding a 15-digit number is brought to its 18-digit form by an
/// information change: the same number for the rules (no I003/I004 across the two forms),
/// a new number for the roster line, which keeps the 15 digits in 原证件号码.
#[test]
fn a_15_digit_number_is_upgraded_and_kept() {
    let w = Work::new();
    w.write(
        "roster.csv",
        "姓名,证件号码,参保年月,缴费基数\n张一,110105850312101,2010-03,10000.00\n",
    );
    w.write(
        "changes.csv",
        "变动类型,姓名,证件号码,原证件号码,原姓名\n信息变更,张壹,110105198503121015,110105850312101,张一\n",
    );
    let o = run_in(&w, "2025-08", &["changes.csv", "--quiet"]);
    let errors = w.read("out/errors.csv");
    assert!(
        !errors.contains(",I00") && !errors.contains(",V0"),
        "{errors}"
    );
    assert_eq!(code(&o), 0, "{}{errors}", stderr(&o));
    let next = w.read("out/roster.next.csv");
    assert!(
        next.contains(
            "张壹,居民身份证（户口簿）,110105198503121015,,2010-03,10000.00,参保,,,110105850312101"
        ),
        "{next}"
    );
}

/// Excel turned the 原证件号码 column into numbers: V005 names that cell, not I001.
#[test]
fn an_old_number_turned_into_a_spreadsheet_number_is_v005_on_its_column() {
    let w = Work::new();
    std::fs::copy(
        repo().join("tests/information/roster.csv"),
        w.path("roster.csv"),
    )
    .unwrap();
    w.write(
        "changes.csv",
        "变动类型,姓名,证件号码,原证件号码\n信息变更,王三,110105199001011240,1.10105199001011E+17\n",
    );
    let o = run_in(&w, "2025-08", &["changes.csv", "--quiet", "--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let errors = w.read("out/errors.csv");
    let got = codes_by_row(&errors);
    assert_eq!(
        got.get("2").map(Vec::as_slice),
        Some(&["V005".to_string()][..]),
        "{errors}"
    );
    assert!(errors.contains(",2,原证件号码,"), "{errors}");
}
