//! `headcount rebase` on a hand-built test year (tests/rebase/README.md): the new bases,
//! the monthly cost changes and the top-ups typed in from the policy figures, the golden
//! files, the accounting of every line, byte-identical reruns, and `verify`.
//!
//! To accept a deliberate change of output: `UPDATE_GOLDEN=1 cargo test --test it rebase::`,
//! then review the diff of `tests/golden/rebase/`.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{code, repo, stderr};

const OUTPUTS: [&str; 8] = [
    "rebase.declaration.csv",
    "rebase.comparison.csv",
    "rebase.totals.csv",
    "rebase.topups.csv",
    "roster.next.csv",
    "errors.csv",
    "summary.json",
    "manifest.json",
];

/// Runs the test year from the repository root, so inputs are named as in the manifest.
fn rebase(out: &Path, jobs: &str, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args([
            "rebase",
            "--roster",
            "tests/rebase/roster.csv",
            "--wages",
            "tests/rebase/wages.csv",
            "--region",
            "beijing",
            "--year",
            "2026",
            "--applied-from",
            "2026-09",
            "--quiet",
            "--jobs",
            jobs,
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

/// `rebase` of Beijing's 2026 in a work folder holding `roster.csv` and `wages`.
fn rebase_in(w: &common::Work, wages: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "rebase",
        "--roster",
        "roster.csv",
        "--wages",
        wages,
        "--region",
        "beijing",
        "--year",
        "2026",
    ];
    args.extend(extra);
    w.run(&args)
}

/// The CSV as maps from header to cell, one per line.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn by_name<'a>(t: &'a [BTreeMap<String, String>], name: &str) -> &'a BTreeMap<String, String> {
    t.iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in the table"))
}

#[test]
fn the_test_year_gives_the_bases_cost_changes_and_top_ups_typed_from_the_policy() {
    let out = tempfile::tempdir().unwrap();
    let o = rebase(out.path(), "2", &[]);
    // Bad wage cells (B006, B007, B008, B010) are errors: exit 1.
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let cmp = table(&out.path().join("rebase.comparison.csv"));
    assert_eq!(cmp.len(), 13, "one line per roster member");
    // Beijing 2026 (京人社发〔2026〕7号): floor 7270, ceiling 36348 from 2026-07; before
    // it (2025 notice) 7162 and 35811. Rates: pension 16% / 8%, medical 9.8% / 2% + 3,
    // unemployment 0.5% / 0.5%, injury 0.2% (employer). Amounts half-up to the fen.
    // (name, basis, months, new base, employer change, employee change)
    let want = [
        // (11000 × 6 + 12000 × 6) / 12 = 11500; +1500: 240 + 147 + 7.5 + 3 = 397.50,
        // 120 + 30 + 7.5 = 157.50.
        ("张一", "average", "12", "11500.00", "397.50", "157.50"),
        // (9000 × 4 + 10000 × 4) / 8 = 9500; +500: 80 + 49 + 2.5 + 1 = 132.50, 40 + 10 + 2.5.
        ("李二", "average", "8", "9500.00", "132.50", "52.50"),
        // Hired 2026-03-16: the first full month is April, 8800; +800: 128 + 78.40 + 4 + 1.60.
        (
            "王三",
            "first_full_month",
            "1",
            "8800.00",
            "212.00",
            "84.00",
        ),
        ("赵四", "left", "", "", "", ""),
        // 6000 < 7270: the floor; 7162 → 7270 (+108): 17.28 + 10.58 + 0.54 + 0.22 = 28.62,
        // 8.64 + 2.16 + 0.54 = 11.34.
        ("钱五", "average", "12", "7270.00", "28.62", "11.34"),
        // An average line of 50000 > 36348: the ceiling; 35811 → 36348 (+537): 85.92 +
        // 52.62 + 2.68 + 1.08 = 142.30, 42.96 + 10.74 + 2.68 = 56.38 (details below).
        ("孙六", "given_average", "", "36348.00", "142.30", "56.38"),
        ("周七", "old_base", "", "8500.00", "0.00", "0.00"),
        // 11 months at 12500 (the 12.5 cell is rejected); +500 as for 李二.
        ("吴八", "average", "11", "12500.00", "132.50", "52.50"),
        ("郑九", "average", "10", "8000.00", "0.00", "0.00"),
        ("冯十", "average", "12", "9000.00", "0.00", "0.00"),
        // +7000: 1120 + 686 + 35 + 14 = 1855, 560 + 140 + 35 = 735.
        ("陈十一", "average", "12", "15000.00", "1855.00", "735.00"),
        (
            "褚十二",
            "declared_at_enrollment",
            "",
            "9500.00",
            "0.00",
            "0.00",
        ),
        // Paid under the number an information change corrected (roster 原证件号码):
        // 12 × 10000; 9800 → 10000 (+200): 32 + 19.60 + 1 + 0.40 = 53.00, 16 + 4 + 1 = 21.00.
        ("沈十三", "average", "12", "10000.00", "53.00", "21.00"),
    ];
    for (name, basis, months, new, er, ee) in want {
        let l = by_name(&cmp, name);
        assert_eq!(
            (
                l["basis"].as_str(),
                l["months"].as_str(),
                l["new_base"].as_str(),
                l["employer_change"].as_str(),
                l["employee_change"].as_str()
            ),
            (basis, months, new, er, ee),
            "{name}"
        );
    }
    // Per insurance, 孙六 (35811 → 36348): medical 36348 × 9.8% = 3562.104 → 3562.10 less
    // 35811 × 9.8% = 3509.478 → 3509.48: 52.62; employee 2% + 3: 729.96 − 719.22 = 10.74.
    let l = by_name(&cmp, "孙六");
    assert_eq!(
        (
            l["medical_employer_change"].as_str(),
            l["medical_employee_change"].as_str(),
            l["pension_employer_change"].as_str(),
            l["unemployment_employee_change"].as_str()
        ),
        ("52.62", "10.74", "85.92", "2.68")
    );

    // Top-ups: 2026-07 and 2026-08 were declared at the old base (--applied-from 2026-09);
    // each month owes what the new base costs under that month's figures less the old
    // base's. 钱五's old 7162 is raised to the 7270 floor by the figures themselves (that
    // top-up is `run`'s), so no line; 周七, 郑九, 冯十, 褚十二 did not change.
    let top = table(&out.path().join("rebase.topups.csv"));
    let lines: Vec<(String, String, String, String)> = top
        .iter()
        .map(|l| {
            (
                l["name"].clone(),
                l["month"].clone(),
                l["employer_total"].clone(),
                l["employee_total"].clone(),
            )
        })
        .collect();
    let s = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(
        lines,
        vec![
            s("张一", "2026-07", "397.50", "157.50"),
            s("张一", "2026-08", "397.50", "157.50"),
            s("李二", "2026-07", "132.50", "52.50"),
            s("李二", "2026-08", "132.50", "52.50"),
            s("王三", "2026-07", "212.00", "84.00"),
            s("王三", "2026-08", "212.00", "84.00"),
            s("孙六", "2026-07", "142.30", "56.38"),
            s("孙六", "2026-08", "142.30", "56.38"),
            s("吴八", "2026-07", "132.50", "52.50"),
            s("吴八", "2026-08", "132.50", "52.50"),
            s("陈十一", "2026-07", "1855.00", "735.00"),
            s("陈十一", "2026-08", "1855.00", "735.00"),
            s("沈十三", "2026-07", "53.00", "21.00"),
            s("沈十三", "2026-08", "53.00", "21.00"),
        ]
    );

    // Totals: the sums of the twelve declared people's monthly amounts, old and new
    // (沈十三 adds 9800 and 10000 at each rate: pension 1568 → 1600, medical 960.40 → 980,
    // unemployment 49 → 50, injury 19.60 → 20).
    let totals = table(&out.path().join("rebase.totals.csv"));
    let t = |ins: &str| {
        let l = totals.iter().find(|l| l["insurance"] == ins).unwrap();
        (
            l["old_employer"].clone(),
            l["new_employer"].clone(),
            l["change_employer"].clone(),
            l["change_employee"].clone(),
            l["year_change_employer"].clone(),
        )
    };
    let q = |a: &str, b: &str, c: &str, d: &str, e: &str| {
        (a.into(), b.into(), c.into(), d.into(), e.into())
    };
    assert_eq!(
        t("pension"),
        q("21563.68", "23346.88", "1783.20", "891.60", "21398.40")
    );
    assert_eq!(
        t("medical"),
        q("13207.76", "14299.96", "1092.20", "222.90", "13106.40")
    );
    assert_eq!(
        t("unemployment"),
        q("673.87", "729.59", "55.72", "55.72", "668.64")
    );
    assert_eq!(
        t("injury"),
        q("269.54", "291.84", "22.30", "0.00", "267.60")
    );

    // The declaration: Beijing's online layout, the twelve declared people, 沈十三 under
    // the corrected number.
    let decl = std::fs::read_to_string(out.path().join("rebase.declaration.csv")).unwrap();
    let mut decl_lines = decl.lines();
    assert_eq!(
        decl_lines.next(),
        Some("姓名,身份证号,网上申报职工上年月均工资")
    );
    assert_eq!(decl_lines.count(), 12);
    assert!(decl.contains("钱五,110105198808081093,7270.00"));
    assert!(decl.contains("沈十三,110105199203033317,10000.00"));

    // The next roster: every line, the new bases, 赵四 still stopped.
    let next = std::fs::read_to_string(out.path().join("roster.next.csv")).unwrap();
    assert_eq!(next.lines().count(), 14);
    assert!(next.contains("陈十一,居民身份证（户口簿）,110105198606061211,,2024-01,15000.00,参保,"));
    // The corrected member keeps the old number in 原证件号码.
    assert!(next.contains(
        "沈十三,居民身份证（户口簿）,110105199203033317,,2021-01,10000.00,参保,,,110105199203303313"
    ));
    assert!(next
        .contains("赵四,居民身份证（户口簿）,110105197801011071,,2019-07,12000.00,停保,2026-05"));
}

#[test]
fn findings_name_the_cell_and_both_values() {
    let out = tempfile::tempdir().unwrap();
    rebase(out.path(), "2", &["--lang", "en"]);
    let errors = table(&out.path().join("errors.csv"));
    let find = |code: &str| -> Vec<&BTreeMap<String, String>> {
        errors.iter().filter(|l| l["code"] == code).collect()
    };
    let one = |code: &str| {
        let v = find(code);
        assert_eq!(v.len(), 1, "{code}: {v:?}");
        v[0]
    };
    // Wage cells: file, row and column named.
    let b008 = one("B008");
    assert_eq!(
        (
            b008["file"].as_str(),
            b008["row"].as_str(),
            b008["column"].as_str()
        ),
        ("tests/rebase/wages.csv", "49", "应发工资")
    );
    assert!(b008["message"].contains("12.5") && b008["message"].contains("thousands"));
    let b006 = one("B006");
    assert!(b006["message"].contains("八千"), "{b006:?}");
    assert_eq!(b006["column"], "应发工资");
    assert!(one("B007")["message"].contains("-500"));
    assert!(one("B010")["message"].contains("2025-12"));
    // People: clamped with both values, moved, left, no wages, not on the roster.
    let b002 = one("B002")["message"].clone();
    assert!(
        b002.contains("6000.00") && b002.contains("7270.00"),
        "{b002}"
    );
    let b003 = one("B003")["message"].clone();
    assert!(
        b003.contains("50000.00") && b003.contains("36348.00"),
        "{b003}"
    );
    assert!(one("B004")["message"].contains("87.5%"));
    assert!(one("B005")["message"].contains("2026-05"));
    assert_eq!(one("B001")["name"], "周七");
    let b014 = one("B014");
    assert_eq!(b014["name"], "沈十三");
    assert!(b014["message"].contains("former ID number"), "{b014:?}");
    let b009 = one("B009");
    assert_eq!(b009["name"], "卫外人");
    assert!(b009["message"].contains("3 wage lines"));
    // IDs are masked in the report.
    assert_eq!(b009["id_number"], "110105**********50");
}

#[test]
fn every_roster_line_and_wage_line_is_accounted_for() {
    let out = tempfile::tempdir().unwrap();
    rebase(out.path(), "2", &[]);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    let r = &s["roster"];
    assert_eq!(n(r, "rows_read"), 13);
    assert_eq!(
        n(r, "rows_read"),
        n(r, "members") + n(r, "skipped") + n(r, "blank_skipped")
    );
    assert_eq!(
        n(r, "members"),
        n(r, "declared") + n(r, "left") + n(r, "undeclared")
    );
    assert_eq!((n(r, "declared"), n(r, "left")), (12, 1));
    let w = &s["wages"];
    assert_eq!(n(w, "rows_read"), 105);
    let ways = [
        "blank_skipped",
        "rejected",
        "duplicate",
        "no_pay",
        "superseded",
        "used",
        "outside",
        "not_on_roster",
        "of_leavers",
        "under_former_id",
    ];
    assert_eq!(
        n(w, "rows_read"),
        ways.iter().map(|k| n(w, k)).sum::<u64>(),
        "{w}"
    );
    // 12 + 8 + 1 + 12 + 1 + 11 + 10 + 12 + 12 + 12 used; 张一's 2024 line and 王三's two
    // other months outside; 3 rejected cells; one duplicate; one blank line.
    assert_eq!(ways.map(|k| n(w, k)), [1, 3, 1, 0, 0, 91, 3, 3, 3, 0]);
}

#[test]
fn outputs_match_golden_files() {
    let out = tempfile::tempdir().unwrap();
    let o = rebase(out.path(), "2", &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    common::assert_golden(out.path(), "rebase", &OUTPUTS);
}

#[test]
fn reruns_are_byte_identical_whatever_the_thread_count() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    assert_eq!(code(&rebase(one.path(), "1", &["--xlsx"])), 1);
    assert_eq!(code(&rebase(two.path(), "2", &["--xlsx"])), 1);
    for name in OUTPUTS.iter().chain(&["rebase.declaration.xlsx"]) {
        let a = std::fs::read(one.path().join(name)).unwrap();
        let b = std::fs::read(two.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
    }
}

#[test]
fn verify_repeats_a_rebase_and_catches_an_edited_output() {
    let out = tempfile::tempdir().unwrap();
    rebase(out.path(), "2", &["--xlsx"]);
    let verify = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .arg("verify")
            .arg(out.path().join("manifest.json"))
            .output()
            .expect("run headcount")
    };
    let o = verify();
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    std::fs::write(out.path().join("rebase.declaration.csv"), "edited\n").unwrap();
    let o = verify();
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("rebase.declaration.csv"));
}

#[test]
fn a_wage_file_without_an_amount_column_stops_with_h002() {
    let w = common::Work::new();
    std::fs::copy(repo().join("tests/rebase/roster.csv"), w.path("roster.csv")).unwrap();
    w.write(
        "wages.csv",
        "姓名,身份证号,工资月份\n张一,110105198503121015,2025-01\n",
    );
    let o = rebase_in(&w, "wages.csv", &["--lang", "en"]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("H002") && e.contains("wages.csv") && e.contains("gross wage"),
        "{e}"
    );
    assert!(!w.path("headcount-out/rebase.declaration.csv").exists());
}

#[test]
fn unreadable_months_ids_and_mixed_lines_are_findings_and_accounted_for() {
    let w = common::Work::new();
    std::fs::copy(repo().join("tests/rebase/roster.csv"), w.path("roster.csv")).unwrap();
    // 张一: an average line after two monthly ones (B012, once); 李二: a month that is
    // not a month (B011) and an empty wage (a month without pay); a numeric ID (B013).
    w.write(
        "wages.csv",
        "姓名,身份证号,工资月份,应发工资,上年度月平均工资\n\
         张一,110105198503121015,2025-01,11000,\n\
         张一,110105198503121015,2025-02,11000,\n\
         张一,110105198503121015,,,11800\n\
         李二,110105199007051032,2025年13月,9000,\n\
         李二,110105199007051032,2025-06,,\n\
         李二,110105199007051032,2025-07,9600,\n\
         某人,1.10105E+17,2025-01,9000,\n",
    );
    let o = rebase_in(&w, "wages.csv", &["--lang", "en", "--quiet"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let errors = table(&w.path("headcount-out/errors.csv"));
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .filter(|l| l["file"] == "wages.csv")
        .map(|l| (l["code"].as_str(), l["row"].as_str()))
        .collect();
    assert_eq!(codes, [("B011", "5"), ("B013", "8"), ("B012", "4")]);
    let cmp = table(&w.path("headcount-out/rebase.comparison.csv"));
    assert_eq!(by_name(&cmp, "张一")["new_base"], "11800.00");
    // 李二: one month with pay in 2025 (July), the month without pay not counted.
    assert_eq!(
        (
            by_name(&cmp, "李二")["months"].as_str(),
            by_name(&cmp, "李二")["new_base"].as_str()
        ),
        ("1", "9600.00")
    );
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    let wl = &s["wages"];
    let n = |k: &str| wl[k].as_u64().unwrap();
    assert_eq!(
        (
            n("rows_read"),
            n("superseded"),
            n("rejected"),
            n("no_pay"),
            n("used")
        ),
        (7, 2, 2, 1, 2)
    );
}

/// What a person reads: the line on the screen and the messages of errors.csv, both
/// languages.
#[test]
fn screen_and_messages_as_a_person_reads_them() {
    let mut text = String::new();
    for lang in ["zh", "en"] {
        let out = tempfile::tempdir().unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .args([
                "rebase",
                "--roster",
                "tests/rebase/roster.csv",
                "--wages",
                "tests/rebase/wages.csv",
                "--region",
                "beijing",
                "--year",
                "2026",
                "--lang",
                lang,
                "--out",
            ])
            .arg(out.path())
            .output()
            .expect("run headcount");
        text.push_str(&stderr(&o));
        for l in table(&out.path().join("errors.csv")) {
            text.push_str(&format!(
                "{} {} {}: {}\n",
                l["code"], l["name"], l["row"], l["message"]
            ));
        }
        text.push('\n');
    }
    insta::assert_snapshot!(text);
}

/// Before the July notice is out, the new year runs on last year's figures carried forward,
/// and the run says so (P004) with how many bases sit at the floor or ceiling.
#[test]
fn a_year_whose_figures_are_not_published_says_they_are_carried_forward() {
    let out = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args([
            "rebase",
            "--roster",
            "tests/rebase/roster.csv",
            "--wages",
            "tests/rebase/wages.csv",
            "--region",
            "beijing",
            "--year",
            "2027",
            "--lang",
            "en",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .output()
        .expect("run headcount");
    let errors = table(&out.path().join("errors.csv"));
    let p004 = errors.iter().find(|l| l["code"] == "P004").expect("P004");
    assert!(
        p004["message"].contains("floor 7270, ceiling 36348"),
        "{p004:?}"
    );
}

/// A payroll workbook (title row, numbers as numbers, the month as a yyyymm number) gives
/// the same bases as the CSV.
#[test]
fn a_payroll_workbook_reads_like_the_csv() {
    let w = common::Work::new();
    std::fs::copy(repo().join("tests/rebase/roster.csv"), w.path("roster.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2025工资").unwrap();
    ws.write_string(0, 0, "2025年度工资明细").unwrap();
    for (c, h) in ["姓名", "身份证号", "工资月份", "应发合计"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let mut row = 2;
    // 张一: 11000 for six months, 12000 for six; 李二: 9000 and 10000 from May.
    for (name, id, from, first, second) in [
        ("张一", "110105198503121015", 1, 11000.0, 12000.0),
        ("李二", "110105199007051032", 5, 9000.0, 10000.0),
    ] {
        for m in from..=12u32 {
            ws.write_string(row, 0, name).unwrap();
            ws.write_string(row, 1, id).unwrap();
            ws.write_number(row, 2, f64::from(202500 + m)).unwrap();
            let half = if from == 1 { 6 } else { 8 };
            ws.write_number(row, 3, if m <= half { first } else { second })
                .unwrap();
            row += 1;
        }
    }
    wb.save(w.path("工资.xlsx")).unwrap();
    let o = rebase_in(&w, "工资.xlsx", &["--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cmp = table(&w.path("headcount-out/rebase.comparison.csv"));
    assert_eq!(by_name(&cmp, "张一")["new_base"], "11500.00");
    assert_eq!(
        (
            by_name(&cmp, "李二")["months"].as_str(),
            by_name(&cmp, "李二")["new_base"].as_str()
        ),
        ("8", "9500.00")
    );
}

/// Hangzhou's contribution year is the calendar year: the new bases apply from January, so
/// nobody counts as hired "this year before the start month", and the declaration uses the
/// generic layout (no Hangzhou portal layout is known). The workbook holds the same lines.
#[test]
fn a_calendar_year_region_starts_in_january_with_the_generic_layout() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let out = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args([
            "rebase",
            "--roster",
            "tests/rebase/roster.csv",
            "--wages",
            "tests/rebase/wages.csv",
            "--region",
            "hangzhou",
            "--year",
            "2026",
            "--xlsx",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .output()
        .expect("run headcount");
    let cmp = table(&out.path().join("rebase.comparison.csv"));
    assert_eq!(by_name(&cmp, "王三")["basis"], "declared_at_enrollment");
    let decl = table(&out.path().join("rebase.declaration.csv"));
    assert_eq!(decl.len(), 12);
    assert_eq!(decl[0]["生效年月"], "2026-01");
    assert_eq!(decl[0]["本单位缴费月数"], "12");
    let mut wb: Xlsx<_> = open_workbook(out.path().join("rebase.declaration.xlsx")).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    assert_eq!(sheet, "2026年度缴费基数申报");
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), 13);
    assert_eq!(
        range.get((1, 2)),
        Some(&Data::String("110105198503121015".into()))
    );
    assert_eq!(range.get((1, 6)), Some(&Data::Float(11500.0)));
}

/// A payroll export with its own column names reads with a layout file, as `run`'s
/// inputs do; the layout file is recorded and `verify` reads it again.
#[test]
fn a_layout_file_names_the_payroll_columns() {
    let w = common::Work::new();
    std::fs::copy(repo().join("tests/rebase/roster.csv"), w.path("roster.csv")).unwrap();
    w.write(
        "payroll.toml",
        "[[field]]\nid = \"wage\"\nheaders = [\"税前收入合计\"]\n\n\
         [[field]]\nid = \"wage_month\"\nheaders = [\"薪酬期间\"]\n",
    );
    w.write(
        "wages.csv",
        "姓名,身份证号,薪酬期间,税前收入合计\n\
         张一,110105198503121015,2025-01,11000\n\
         张一,110105198503121015,2025-02,12000\n",
    );
    let args = [
        "rebase",
        "--roster",
        "roster.csv",
        "--wages",
        "wages.csv",
        "--region",
        "beijing",
        "--year",
        "2026",
        "--layout",
        "payroll.toml",
        "--quiet",
    ];
    let o = w.run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cmp = table(&w.path("headcount-out/rebase.comparison.csv"));
    assert_eq!(by_name(&cmp, "张一")["new_base"], "11500.00");
    let o = w.run(&["verify", "headcount-out/manifest.json"]);
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    // Without the layout the amount column is unknown: H002.
    let o = w.run(&args[..10]);
    assert_eq!(code(&o), 2);
}

/// Wages under both a member's current number and the number an information change
/// replaced: the current number's are used, the others are counted and named (B015).
#[test]
fn wages_under_both_numbers_use_the_current_one_and_account_for_the_other() {
    let w = common::Work::new();
    w.write(
        "roster.csv",
        "姓名,证件号码,参保年月,缴费基数,原证件号码\n\
         沈十三,110105199203033317,2021-01,9800.00,110105199203303313\n",
    );
    let mut wages = String::from("姓名,身份证号,工资月份,应发工资\n");
    for m in 1..=12 {
        wages.push_str(&format!("沈十三,110105199203033317,2025-{m:02},11000\n"));
    }
    for m in 1..=3 {
        wages.push_str(&format!("沈十三,110105199203303313,2025-{m:02},10000\n"));
    }
    w.write("wages.csv", wages);
    let o = rebase_in(
        &w,
        "wages.csv",
        &["--lang", "en", "--quiet", "--out", "out"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let cmp = table(&w.path("out/rebase.comparison.csv"));
    assert_eq!(by_name(&cmp, "沈十三")["new_base"], "11000.00");
    let errors = table(&w.path("out/errors.csv"));
    let b015: Vec<_> = errors.iter().filter(|l| l["code"] == "B015").collect();
    assert_eq!(b015.len(), 1, "{errors:?}");
    assert!(b015[0]["message"].contains("the 3 lines under the former number"));
    let s: serde_json::Value = serde_json::from_str(&w.read("out/summary.json")).unwrap();
    assert_eq!(s["wages"]["under_former_id"], 3);
    assert_eq!(s["wages"]["used"], 12);
}

/// Shanghai's and Xi'an's declarations in their own layouts (real-world.md §4): the columns
/// headcount cannot fill are blank, and the screen says which.
#[test]
fn shanghai_and_xian_declare_in_their_own_layouts() {
    let cases = [
        (
            "shanghai",
            "号,姓名,身份证号,本单位缴费月数,职工月平均工资收入",
            ",张一,110105198503121015,12,11500.00",
            "「号」列留空",
        ),
        (
            "xian",
            "单位助记码,养老个人编号,个人编号,社会保障号,姓名,原缴费工资,新缴费工资,备注",
            ",,,110105198503121015,张一,10000.00,11500.00,",
            "「单位助记码、养老个人编号、个人编号、备注」列留空",
        ),
    ];
    for (region, header, first, note) in cases {
        let out = tempfile::tempdir().unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .args([
                "rebase",
                "--roster",
                "tests/rebase/roster.csv",
                "--wages",
                "tests/rebase/wages.csv",
                "--region",
                region,
                "--year",
                "2026",
                "--out",
            ])
            .arg(out.path())
            .output()
            .expect("run headcount");
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains(note), "{region}: {}", stderr(&o));
        let decl = common::read_text(out.path().join("rebase.declaration.csv"));
        let mut lines = decl.lines();
        assert_eq!(lines.next(), Some(header), "{region}");
        assert_eq!(lines.next(), Some(first), "{region}");
        let s = common::read_text(out.path().join("summary.json"));
        assert!(s.contains("\"declaration_blank_columns\""), "{region}: {s}");
    }
}
