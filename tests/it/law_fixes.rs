//! Issue 14: one test per item, each a hand-made case whose expected amounts and findings
//! are worked out below from the law and the Beijing policy figures (2025-07 onward: floor
//! 7162, ceiling 35811; pension 16% / 8%, medical 9.8% / 2% + 3.00, unemployment 0.5% /
//! 0.5%, injury 0.2%; half-up to the fen; average wage 2024: 11937), not read back from
//! the code.
//!
//! Base 10000, one month, Beijing:
//!   pension 1600.00 / 800.00; medical 980.00 / 203.00; unemployment 50.00 / 50.00;
//!   injury 20.00 / 0.00 → employer 2650.00, employee 1053.00, together 3703.00.
//! Late fee (社会保险法 Art. 86): amount due × 0.0005 × days, from the 1st of the month
//! after the contribution month to the day before `--as-of`, half-up to the fen.

use crate::common;

use common::{code, resident_id, stderr, Work};
use serde_json::Value;

const HEADER: &str =
    "姓名,证件号码,变动类型,人员类别,入职日期,参保年月,缴费基数,离职日期,停缴年月,变动原因";
const ROSTER: &str = "姓名,证件号码,人员类别,参保年月,缴费基数,参保状态,停缴年月";

const REGULAR_10000: &str =
    "10000.00,1600.00,800.00,980.00,203.00,50.00,50.00,20.00,0.00,2650.00,1053.00";

fn person(birth: &str, seq: u32) -> String {
    resident_id(&format!("110105{birth}{seq:03}"))
}

fn addition(name: &str, id: &str, hire: &str, start: &str, base: &str, reason: &str) -> String {
    format!("{name},{id},增员,工人,{hire},{start},{base},,,{reason}")
}

fn reduction(name: &str, id: &str, leave: &str, stop: &str, reason: &str) -> String {
    format!("{name},{id},减员,工人,,,,{leave},{stop},{reason}")
}

/// `run` (or `check`) on `rows` with `extra` arguments; returns the work folder.
fn go(rows: &[String], roster: Option<&[String]>, args: &[&str], want_code: i32) -> Work {
    let w = Work::new();
    w.write("in.csv", format!("{HEADER}\n{}\n", rows.join("\n")));
    let mut all: Vec<&str> = args.to_vec();
    if let Some(r) = roster {
        w.write("roster.csv", format!("{ROSTER}\n{}\n", r.join("\n")));
        all.extend(["--roster", "roster.csv"]);
    }
    all.extend(["in.csv", "--quiet"]);
    let o = w.run(&all);
    assert_eq!(code(&o), want_code, "{}", stderr(&o));
    w
}

/// Lines of contributions.csv for one ID number (without the ID).
fn charges(w: &Work, id: &str) -> Vec<String> {
    w.read("headcount-out/contributions.csv")
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{id},")).map(str::to_string))
        .collect()
}

/// (row, code, severity) of every finding in errors.csv.
fn findings(w: &Work) -> Vec<(String, String, String, String)> {
    let text = w.read("headcount-out/errors.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[2].to_string(),
                rec[6].to_string(),
                rec[7].to_string(),
                rec[8].to_string(),
            )
        })
        .collect()
}

fn has(f: &[(String, String, String, String)], row: &str, code: &str, severity: &str) -> bool {
    f.iter()
        .any(|(r, c, s, _)| r == row && c == code && s == severity)
}

fn run_args<'a>(period: &'a str, as_of: &'a str) -> Vec<&'a str> {
    vec![
        "run", "--region", "beijing", "--period", period, "--as-of", as_of,
    ]
}

#[test]
fn item1_added_and_reduced_in_same_batch_stops_charges_and_roster() {
    // Hired 2026-10-05, left 2026-10-20, both declared in November: Beijing stops charging
    // the month after leaving (2026-11), so October is charged (as back-pay, 9 days late on
    // 2026-11-10: 3703.00 × 0.0005 × 9 = 16.6635 → 16.66) and November is not.
    let id = person("19900307", 11);
    let w = go(
        &[
            addition("孙一", &id, "2026-10-05", "", "10000", ""),
            reduction("孙一", &id, "2026-10-20", "", "辞职"),
        ],
        None,
        &run_args("2026-11", "2026-11-10"),
        0,
    );
    assert_eq!(
        charges(&w, &id),
        [
            format!("孙一,2026-10,backpay,{REGULAR_10000},declared,"),
            "孙一,2026-10,late_fee,10000.00,,,,,,,,,16.66,0.00,declared,9".to_string(),
        ]
    );
    let next = w.read("headcount-out/roster.next.csv");
    assert!(
        next.contains(&format!(
            "孙一,居民身份证（户口簿）,{id},工人,2026-10,10000.00,停保,2026-11"
        )),
        "{next}"
    );
    // The pair is still reported, as a warning.
    assert!(has(&findings(&w), "3", "X002", "warning"));
    // A stop month before the batch's own start month is R002, as against the roster.
    let w = go(
        &[
            addition("孙一", &id, "2026-10-05", "", "10000", ""),
            reduction("孙一", &id, "2026-08-20", "", "辞职"),
        ],
        None,
        &run_args("2026-11", "2026-11-10"),
        1,
    );
    let f = findings(&w);
    assert!(has(&f, "3", "R002", "error"), "{f:?}");
}

#[test]
fn item2_stop_month_follows_the_city_reading_and_a_disagreeing_column_is_reported() {
    // Beijing: 自减少时间的次月起停止缴费. Left 2026-11-10 → stop month 2026-12, so
    // November is charged at the roster base 12000:
    //   pension 1920.00 / 960.00; medical 1176.00 / 243.00; unemployment 60.00 / 60.00;
    //   injury 24.00 → 3180.00 / 1263.00.
    let id = person("19900307", 13);
    let roster = [format!("赵六,{id},工人,2020-01,12000,参保,")];
    let november = "赵六,2026-11,regular,12000.00,1920.00,960.00,1176.00,243.00,60.00,60.00,24.00,0.00,3180.00,1263.00,declared,";
    // The file says 停缴年月 202611: R008, and November is charged all the same.
    let w = go(
        &[reduction("赵六", &id, "2026-11-10", "202611", "辞职")],
        Some(&roster),
        &run_args("2026-11", "2026-11-12"),
        0,
    );
    assert_eq!(charges(&w, &id), [november]);
    let f = findings(&w);
    assert!(has(&f, "2", "R008", "warning"), "{f:?}");
    let msg = &f.iter().find(|x| x.1 == "R008").unwrap().3;
    assert!(msg.contains("202611") || msg.contains("2026-11"), "{msg}");
    assert!(msg.contains("2026-12"), "{msg}");
    let next = w.read("headcount-out/roster.next.csv");
    assert!(next.contains("停保,2026-12"), "{next}");
    let sub = w.read("headcount-out/submission.csv");
    assert!(sub.contains(",2026-11-10,202612,"), "{sub}");
    // Without the column: the same charge, no finding.
    let w = go(
        &[reduction("赵六", &id, "2026-11-10", "", "辞职")],
        Some(&roster),
        &run_args("2026-11", "2026-11-12"),
        0,
    );
    assert_eq!(charges(&w, &id), [november]);
    assert!(!findings(&w).iter().any(|x| x.1 == "R008"));
    // Without a region there is no reading: a stop month neither the leaving month nor
    // the next is R005, as before.
    let w = go(
        &[reduction("赵六", &id, "2026-11-10", "202609", "辞职")],
        None,
        &["check", "--period", "2026-11", "--as-of", "2026-11-12"],
        0,
    );
    assert!(has(&findings(&w), "2", "R005", "warning"));
}

#[test]
fn item3_start_month_after_hire_month_is_reported_and_charged_as_backpay() {
    // Hired 2026-10-15, 参保年月 202611: 社保法 Art. 58 (register within 30 days of
    // hiring) → A014; October is charged as back-pay (9 days late on 2026-11-10: 16.66)
    // and the submission declares 202610.
    let id = person("19900307", 15);
    let w = go(
        &[addition("钱二", &id, "2026-10-15", "202611", "10000", "")],
        None,
        &run_args("2026-11", "2026-11-10"),
        0,
    );
    assert!(has(&findings(&w), "2", "A014", "warning"));
    assert_eq!(
        charges(&w, &id),
        [
            format!("钱二,2026-10,backpay,{REGULAR_10000},declared,"),
            "钱二,2026-10,late_fee,10000.00,,,,,,,,,16.66,0.00,declared,9".to_string(),
            format!("钱二,2026-11,regular,{REGULAR_10000},declared,"),
        ]
    );
    let sub = w.read("headcount-out/submission.csv");
    assert!(sub.contains(",2026-10-15,202610,10000.00,"), "{sub}");
}

#[test]
fn item4_early_retirement_below_the_original_age_or_before_2025_is_an_error() {
    let severity = |birth: &str, leave: &str, period: &str, as_of: &str| {
        let id = person(birth, 11);
        let w = go(
            &[reduction("吴十", &id, leave, "", "退休")],
            None,
            &["check", "--period", period, "--as-of", as_of],
            if birth == "19650815" { 0 } else { 1 },
        );
        findings(&w)
            .into_iter()
            .find(|f| f.1 == "R004")
            .map(|f| f.2)
    };
    // Man born 1965-08-15: statutory age 60 y 2 m (2025-10), original age 60 (2025-08).
    // Leaving in 2025-08: flexible early retirement, two months early → warning.
    assert_eq!(
        severity("19650815", "2025-08-10", "2025-08", "2025-08-12").as_deref(),
        Some("warning")
    );
    // Man born 1966-06-15: statutory 60 y 5 m (2026-11), original 60 (2026-06). Leaving in
    // 2026-03 is 8 months early, within three years, but below 60 → error.
    assert_eq!(
        severity("19660615", "2026-03-10", "2026-03", "2026-03-12").as_deref(),
        Some("error")
    );
    // Man born 1964-09-15: 60 in 2024-09 (before the reform). Leaving for retirement in
    // 2024-06, three months early, before flexible retirement existed → error.
    assert_eq!(
        severity("19640915", "2024-06-10", "2024-06", "2024-06-12").as_deref(),
        Some("error")
    );
}

#[test]
fn item5_past_retirement_age_accepted_when_extending_to_the_minimum_years() {
    // Man born 1963-06-25: statutory age 60, reached 2023-06. Hired 2026-11-02.
    let id = person("19630625", 11);
    // With 延长缴费: accepted with A015, charged for November.
    let w = go(
        &[addition("郑七", &id, "2026-11-02", "", "10000", "延长缴费")],
        None,
        &run_args("2026-11", "2026-11-10"),
        0,
    );
    let f = findings(&w);
    assert!(has(&f, "2", "A015", "warning"), "{f:?}");
    assert!(!f.iter().any(|x| x.1 == "A003"), "{f:?}");
    assert_eq!(
        charges(&w, &id),
        [format!("郑七,2026-11,regular,{REGULAR_10000},declared,")]
    );
    // Without it: A003 stays an error and nothing is charged.
    let w = go(
        &[addition("郑七", &id, "2026-11-02", "", "10000", "")],
        None,
        &run_args("2026-11", "2026-11-10"),
        1,
    );
    assert!(has(&findings(&w), "2", "A003", "error"));
    assert!(charges(&w, &id).is_empty());
    // A reduction cannot carry the reason: V013.
    let w = go(
        &[reduction("郑七", &id, "2026-11-05", "", "延长缴费")],
        None,
        &["check", "--period", "2026-11", "--as-of", "2026-11-10"],
        1,
    );
    assert!(has(&findings(&w), "2", "V013", "error"));
}

#[test]
fn item6_second_employer_injury_only_is_lawful_double_pension_is_not() {
    const A: &str = "91110000600037341L";
    const B: &str = "91152201078377449P";
    let header = "姓名,证件号码,变动类型,人员类别,入职日期,缴费基数,统一社会信用代码,参加险种";
    let id = person("19900307", 17);
    let w = Work::new();
    let run = |second: &str| {
        w.write(
            "in.csv",
            format!(
                "{header}\n王五,{id},增员,工人,2026-11-02,10000,{A},\n王五,{id},增员,工人,2026-11-02,10000,{B},{second}\n"
            ),
        );
        let o = w.run(&[
            "run",
            "in.csv",
            "--region",
            "beijing",
            "--period",
            "2026-11",
            "--as-of",
            "2026-11-10",
            "--quiet",
        ]);
        (code(&o), stderr(&o))
    };
    // Second employer, work injury only: no finding, both accepted; the second is charged
    // injury only: 10000 × 0.2% = 20.00, nothing for the employee.
    let (c, err) = run("工伤");
    assert_eq!(c, 0, "{err}");
    assert!(!findings(&w).iter().any(|x| x.1 == "X004" || x.1 == "X001"));
    assert_eq!(
        charges(&w, &id),
        [
            format!("王五,2026-11,regular,{REGULAR_10000},declared,"),
            "王五,2026-11,regular,10000.00,0.00,0.00,0.00,0.00,0.00,0.00,20.00,0.00,20.00,0.00,declared,".to_string(),
        ]
    );
    // Pension twice: X004 names the insurance held twice.
    let (c, err) = run("养老、工伤");
    assert_eq!(c, 1, "{err}");
    let f = findings(&w);
    let x004 = f.iter().find(|x| x.1 == "X004").expect("X004");
    assert_eq!((x004.0.as_str(), x004.2.as_str()), ("3", "error"));
    assert!(x004.3.contains("两者都参加：养老；"), "{}", x004.3);
    // An unreadable 参加险种: V020.
    let (c, _) = run("公积金");
    assert_eq!(c, 1);
    assert!(has(&findings(&w), "3", "V020", "error"));
}

#[test]
fn item7_late_fee_per_backpay_month_from_the_first_of_the_next_month() {
    // Hired 2026-08-03, declared for 2026-10 on 2026-10-15: August and September are
    // back-pay.
    //   August: late from 09-01; 30 + 14 = 44 days: 3703.00 × 0.0005 × 44 = 81.466 → 81.47
    //   September: late from 10-01; 14 days: 3703.00 × 0.0005 × 14 = 25.921 → 25.92
    // The employer owes both (107.39); the contribution totals stay 3 × 2650.00 and
    // 3 × 1053.00.
    let id = person("19900307", 19);
    let w = Work::new();
    w.write(
        "in.csv",
        format!(
            "{HEADER}\n{}\n",
            addition("李四", &id, "2026-08-03", "", "10000", "")
        ),
    );
    let o = w.run(&[
        "run",
        "in.csv",
        "--region",
        "beijing",
        "--period",
        "2026-10",
        "--as-of",
        "2026-10-15",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        charges(&w, &id),
        [
            format!("李四,2026-08,backpay,{REGULAR_10000},declared,"),
            "李四,2026-08,late_fee,10000.00,,,,,,,,,81.47,0.00,declared,44".to_string(),
            format!("李四,2026-09,backpay,{REGULAR_10000},declared,"),
            "李四,2026-09,late_fee,10000.00,,,,,,,,,25.92,0.00,declared,14".to_string(),
            format!("李四,2026-10,regular,{REGULAR_10000},declared,"),
        ]
    );
    let s: Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    let c = &s["contributions"];
    assert_eq!(c["employer_total"], "7950.00");
    assert_eq!(c["employee_total"], "3159.00");
    assert_eq!(c["lines"], 3);
    assert_eq!(c["late_fees"]["employer_total"], "107.39");
    assert_eq!(c["late_fees"]["lines"], 2);
    // The terminal summary says it too.
    assert!(
        stderr(&o).contains("滞纳金（由单位承担，不含在上面的合计中）：107.39 元（2 行）"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn item8_backpay_of_an_interruption_uses_the_previous_year_average_wage() {
    // 补缴中断, hired 2025-08-04, declared for 2025-10 on 2025-10-15. The back-pay months
    // fall in the period from 2025-07, whose limits rest on the 2024 average wage 11937:
    //   pension 11937 × 16% = 1909.92 / × 8% = 954.96
    //   medical 11937 × 9.8% = 1169.826 → 1169.83 / 238.74 + 3 = 241.74
    //   unemployment 11937 × 0.5% = 59.685 → 59.69 (both)
    //   injury 11937 × 0.2% = 23.874 → 23.87
    //   employer 3163.31, employee 1256.39, together 4419.70
    // Late fees: August 44 days → 97.2334 → 97.23; September 14 days → 30.9379 → 30.94.
    // October (the period itself) uses the declared 10000.
    let id = person("19900307", 21);
    let w = go(
        &[addition("周八", &id, "2025-08-04", "", "10000", "补缴中断")],
        None,
        &run_args("2025-10", "2025-10-15"),
        0,
    );
    let avg = "11937.00,1909.92,954.96,1169.83,241.74,59.69,59.69,23.87,0.00,3163.31,1256.39";
    assert_eq!(
        charges(&w, &id),
        [
            format!("周八,2025-08,backpay,{avg},average_wage,"),
            "周八,2025-08,late_fee,11937.00,,,,,,,,,97.23,0.00,average_wage,44".to_string(),
            format!("周八,2025-09,backpay,{avg},average_wage,"),
            "周八,2025-09,late_fee,11937.00,,,,,,,,,30.94,0.00,average_wage,14".to_string(),
            format!("周八,2025-10,regular,{REGULAR_10000},declared,"),
        ]
    );
    // Beijing's 2025-07 limits are consistent with that wage (7162 ≈ 60%, 35811 = 300%).
    assert!(!findings(&w).iter().any(|x| x.1 == "P006"));
}

#[test]
fn item7_and_item8_a_city_without_the_terms_says_so_instead_of_guessing() {
    // Tianjin ships no late-fee terms and no average wages: a 补缴中断 back-pay is charged
    // on the declared base with A016, and the run says no late fee was computed (P007).
    let id = person("19900307", 23);
    let w = go(
        &[addition("吴九", &id, "2025-04-03", "", "8000", "补缴中断")],
        None,
        &[
            "run",
            "--region",
            "tianjin",
            "--period",
            "2025-05",
            "--as-of",
            "2025-05-20",
        ],
        0,
    );
    let f = findings(&w);
    assert!(has(&f, "2", "A016", "warning"), "{f:?}");
    assert!(f.iter().any(|x| x.1 == "P007"), "{f:?}");
    let lines = charges(&w, &id);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("吴九,2025-04,backpay,") && lines[0].ends_with(",declared,"));
    assert!(!lines.iter().any(|l| l.contains("late_fee")));
}
