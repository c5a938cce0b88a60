//! Every A, R and P rule, triggered by a row built for it against a small roster; a clean
//! addition and a clean reduction that trigger nothing; and two months chained through
//! `roster.next.csv`.

use crate::common;

use common::{code, resident_id, stderr, Work};
use serde_json::Value;

const HEADER: &str =
    "姓名,证件号码,变动类型,人员类别,入职日期,参保年月,缴费基数,离职日期,停缴年月,减员原因";
const ROSTER: &str = "姓名,证件号码,人员类别,参保年月,缴费基数,参保状态,停缴年月";

/// A man born 1990-03-07 (`n` varies the sequence number).
fn man(n: u32) -> String {
    resident_id(&format!("110105199003070{:02}", n * 2 + 1))
}

struct Case {
    roster: Vec<String>,
    rows: Vec<String>,
}

fn findings(case: &Case, period: &str, as_of: &str) -> Vec<Value> {
    let w = Work::new();
    w.write(
        "roster.csv",
        format!("{ROSTER}\n{}\n", case.roster.join("\n")),
    );
    w.write("in.csv", format!("{HEADER}\n{}\n", case.rows.join("\n")));
    let o = w.run(&[
        "check",
        "in.csv",
        "--roster",
        "roster.csv",
        "--region",
        "beijing",
        "--period",
        period,
        "--as-of",
        as_of,
        "--format",
        "json",
        "--quiet",
    ]);
    assert!(code(&o) <= 1, "exit {}: {}", code(&o), stderr(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// Row-level codes (P findings are about the run, not a row).
fn row_codes(case: &Case) -> Vec<String> {
    findings(case, "2025-08", "2025-08-20")
        .iter()
        .filter(|f| f["row"].is_u64())
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn roster_line(name: &str, id: &str, start: &str, status: &str, stop: &str) -> String {
    format!("{name},{id},工人,{start},12000,{status},{stop}")
}

fn addition(id: &str, hire: &str, start: &str, base: &str) -> String {
    format!("王五,{id},增员,工人,{hire},{start},{base},,,")
}

fn reduction(name: &str, id: &str, leave: &str, stop: &str, reason: &str) -> String {
    format!("{name},{id},减员,工人,,,,{leave},{stop},{reason}")
}

fn enrolled() -> Vec<String> {
    vec![
        roster_line("赵六", &man(1), "2020-01", "参保", ""),
        roster_line("钱七", &man(2), "2019-05", "停保", "2025-03"),
        roster_line("孙八", &man(3), "2025-06", "参保", ""),
    ]
}

#[test]
fn clean_rows_trigger_nothing() {
    let case = Case {
        roster: enrolled(),
        rows: vec![
            addition(&man(10), "2025-08-04", "202508", "12000"),
            reduction("赵六", &man(1), "2025-08-10", "202509", "辞职"),
        ],
    };
    assert_eq!(row_codes(&case), Vec::<String>::new());
}

#[test]
fn each_addition_and_reduction_rule_triggers() {
    let born = |y: u32, m: u32, d: u32, seq: u32| {
        resident_id(&format!("110105{y:04}{m:02}{d:02}{seq:03}"))
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "A001",
            addition(&born(2010, 1, 1, 11), "2025-08-04", "", "12000"),
        ),
        (
            "A002",
            addition(&born(2008, 3, 1, 11), "2025-08-04", "", "12000"),
        ),
        (
            "A003",
            addition(&born(1963, 6, 25, 11), "2025-08-04", "", "12000"),
        ),
        ("A004", addition(&man(10), "2025-07-10", "202508", "12000")),
        ("A005", addition(&man(10), "2025-08-04", "202507", "12000")),
        ("A006", addition(&man(1), "2025-08-04", "", "12000")),
        ("A007", addition(&man(10), "2025-08-04", "", "5000")),
        ("A008", addition(&man(10), "2025-08-04", "", "50000")),
        ("A009", addition(&man(10), "2025-06-10", "", "12000")),
        ("A010", addition(&man(10), "2025-09-01", "", "12000")),
        ("A011", addition(&man(10), "2024-06-03", "", "12000")),
        ("A012", addition(&man(2), "2025-08-04", "", "12000")),
        ("A013", addition(&man(10), "2025-08-25", "202508", "12000")),
        (
            "R001",
            reduction("周九", &man(11), "2025-08-10", "", "辞职"),
        ),
        (
            "R002",
            reduction("孙八", &man(3), "2025-04-30", "202505", "辞职"),
        ),
        (
            "R003",
            reduction("赵六", &man(1), "2025-08-10", "202510", "辞职"),
        ),
        ("R004", reduction("赵六", &man(1), "2025-08-10", "", "退休")),
        // With a region, a stop month off the region's reading is R008 (R005 is the
        // check without a region: tests/it/law_fixes.rs).
        (
            "R008",
            reduction("赵六", &man(1), "2025-08-05", "202506", "辞职"),
        ),
        ("R006", reduction("赵六", &man(1), "2025-07-01", "", "辞职")),
        ("R007", reduction("赵陆", &man(1), "2025-08-10", "", "辞职")),
    ];
    for (expected, row) in cases {
        let codes = row_codes(&Case {
            roster: enrolled(),
            rows: vec![row],
        });
        assert!(
            codes.iter().any(|c| c == expected),
            "{expected} not raised; got {codes:?}"
        );
    }
}

#[test]
fn retirement_far_below_age_is_an_error_near_it_a_warning() {
    let severity = |birth: &str| {
        let id = resident_id(&format!("110105{birth}011"));
        let case = Case {
            roster: vec![roster_line("吴十", &id, "2010-01", "参保", "")],
            rows: vec![reduction("吴十", &id, "2025-08-10", "", "退休")],
        };
        findings(&case, "2025-08", "2025-08-20")
            .into_iter()
            .find(|f| f["code"] == "R004")
            .map(|f| f["severity"].as_str().unwrap_or_default().to_string())
    };
    // Born 1965-08: 60 y 2 m, reached 2025-10; leaving in 2025-08 is at the original
    // age (60, 2025-08): lawful flexible early retirement, a warning.
    assert_eq!(severity("19650815").as_deref(), Some("warning"));
    // Born 1966-06: retires at 60 y 5 m in 2026-11, but leaving in 2025-08 is below the
    // original age of 60 (2026-06): an error.
    assert_eq!(severity("19660615").as_deref(), Some("error"));
    // Born 1970-01: more than three years early.
    assert_eq!(severity("19700115").as_deref(), Some("error"));
    // Born 1960-01: past the age, no finding.
    assert_eq!(severity("19600115"), None);
}

#[test]
fn a_batch_addition_makes_a_later_reduction_valid() {
    let id = man(20);
    let case = Case {
        roster: enrolled(),
        rows: vec![
            addition(&id, "2025-08-01", "", "12000"),
            reduction("王五", &id, "2025-08-15", "", "辞职"),
        ],
    };
    let codes = row_codes(&case);
    assert!(codes.contains(&"X002".to_string()), "{codes:?}");
    assert!(!codes.contains(&"R001".to_string()), "{codes:?}");
}

#[test]
fn policy_findings_and_failures() {
    let case = Case {
        roster: enrolled(),
        rows: vec![addition(&man(10), "2025-08-04", "", "12000")],
    };
    let all = findings(&case, "2025-08", "2025-08-20");
    let p001: Vec<&Value> = all.iter().filter(|f| f["code"] == "P001").collect();
    assert!(
        !p001.is_empty(),
        "embedded Beijing figures are not all confirmed"
    );
    assert!(p001.iter().all(|f| f["row"].is_null() && f["file"] == ""));

    let w = Work::new();
    w.write(
        "in.csv",
        format!(
            "{HEADER}\n{}\n",
            addition(&man(10), "2023-01-04", "", "12000")
        ),
    );
    let o = w.run(&[
        "check",
        "in.csv",
        "--region",
        "beijing",
        "--period",
        "2023-01",
        "--as-of",
        "2023-01-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("P002"), "{}", stderr(&o));

    w.write(
        "bad.toml",
        "[[region]]\nname = \"beijing\"\ncolour = \"red\"\n",
    );
    let o = w.run(&[
        "check", "in.csv", "--region", "beijing", "--policy", "bad.toml", "--quiet",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("P003") && stderr(&o).contains("bad.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_months_chain_through_the_next_roster() {
    let w = Work::new();
    let (a, b, c) = (man(1), man(2), man(3));
    w.write(
        "roster.csv",
        format!(
            "{ROSTER}\n{}\n{}\n",
            roster_line("甲", &a, "2020-01", "参保", ""),
            roster_line("乙", &b, "2021-01", "参保", "")
        ),
    );
    // Month 1: C joins, A leaves; D is hired on 07-05 and leaves on 07-20, both declared
    // now (stop month 2025-08 in Beijing: July is charged as back-pay, August is not).
    let d = man(4);
    w.write(
        "m1.csv",
        format!(
            "{HEADER}\n丙,{c},增员,工人,2025-08-04,,12000,,,\n{}\n丁,{d},增员,工人,2025-07-05,,12000,,,\n{}\n",
            reduction("甲", &a, "2025-08-10", "", "辞职"),
            reduction("丁", &d, "2025-07-20", "", "辞职")
        ),
    );
    let common = ["--region", "beijing", "--quiet"];
    let o = w.run(
        &[
            &[
                "run",
                "m1.csv",
                "--roster",
                "roster.csv",
                "--period",
                "2025-08",
                "--as-of",
                "2025-08-20",
                "--out",
                "m1",
            ][..],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let charged = w.read("m1/contributions.csv");
    let d_months: Vec<&str> = charged
        .lines()
        .filter(|l| l.starts_with(d.as_str()))
        .map(|l| l.split(',').nth(2).unwrap_or_default())
        .collect();
    // July's contribution line and its late-fee line; nothing for August.
    assert_eq!(d_months, ["2025-07", "2025-07"], "{charged}");
    let next = w.read("m1/roster.next.csv");
    assert!(
        next.contains(&format!(
            "丁,居民身份证（户口簿）,{d},工人,2025-07,12000.00,停保,2025-08"
        )),
        "{next}"
    );
    assert!(
        next.contains(&format!(
            "丙,居民身份证（户口簿）,{c},工人,2025-08,12000.00,参保,"
        )),
        "{next}"
    );
    assert!(
        next.contains(&format!(
            "甲,居民身份证（户口簿）,{a},工人,2020-01,12000.00,停保,2025-09"
        )),
        "{next}"
    );

    // Month 2: C leaves (enrolled last month), B is added again (already enrolled),
    // A is reduced again (already stopped), D too (stopped last month).
    w.write(
        "m2.csv",
        format!(
            "{HEADER}\n{}\n乙,{b},增员,工人,2025-09-01,,12000,,,\n{}\n{}\n",
            reduction("丙", &c, "2025-09-05", "", "辞职"),
            reduction("甲", &a, "2025-09-05", "", "辞职"),
            reduction("丁", &d, "2025-09-05", "", "辞职")
        ),
    );
    let o = w.run(
        &[
            &[
                "check",
                "m2.csv",
                "--roster",
                "m1/roster.next.csv",
                "--period",
                "2025-09",
                "--as-of",
                "2025-09-15",
                "--format",
                "json",
            ][..],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let rows: Vec<(u64, String)> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|f| Some((f["row"].as_u64()?, f["code"].as_str()?.to_string())))
        .collect();
    assert!(
        !rows.iter().any(|(r, _)| *r == 2),
        "C's reduction is clean: {rows:?}"
    );
    assert!(rows.contains(&(3, "A006".to_string())), "{rows:?}");
    assert!(rows.contains(&(4, "R001".to_string())), "{rows:?}");
    assert!(rows.contains(&(5, "R001".to_string())), "{rows:?}");
}
