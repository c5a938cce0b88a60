//! A roster opened and re-saved in a spreadsheet comes back with its ID numbers as numbers
//! (`1.1E+17`, `4.40305200212127E+17`, 15 digits and `000`): V021 says so, and no
//! reduction of a member it could have been becomes a false R001.

use crate::common;

use common::{code, resident_id, stderr, Work};
use serde_json::Value;

const HEADER: &str = "姓名,证件号码,变动类型,离职日期,减员原因";
const ROSTER: &str = "姓名,证件号码,参保年月,缴费基数,参保状态";

fn ids() -> [String; 3] {
    [
        resident_id("11010519900307001"),
        resident_id("44030519850611002"),
        resident_id("11010819920101003"),
    ]
}

/// What a spreadsheet saves for an 18-digit ID: few digits in a narrow column, 15 in a
/// wide one, or 15 digits and zeros in a number-formatted column.
fn as_spreadsheet_saves(id: &str, style: usize) -> String {
    match style {
        0 => format!("{}.{}E+17", &id[..1], &id[1..2]),
        1 => format!("{}.{}E+17", &id[..1], &id[1..15]),
        _ => format!("{}000", &id[..15]),
    }
}

fn run(roster: &str, rows: &[String]) -> (i32, Vec<Value>, Value) {
    let w = Work::new();
    w.write("roster.csv", roster);
    w.write("in.csv", format!("{HEADER}\n{}\n", rows.join("\n")));
    let o = w.run(&[
        "run",
        "in.csv",
        "--roster",
        "roster.csv",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--csv-encoding",
        "utf-8",
        "--quiet",
    ]);
    assert!(code(&o) <= 1, "exit {}: {}", code(&o), stderr(&o));
    let text = w.read("headcount-out/errors.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let findings = reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| serde_json::to_value(r.expect("csv line")).expect("json"))
        .collect();
    let summary = serde_json::from_str(&w.read("headcount-out/summary.json")).expect("json");
    (code(&o), findings, summary)
}

fn reductions() -> Vec<String> {
    let [a, b, c] = ids();
    vec![
        format!("张三,{a},减员,2025-08-10,辞职"),
        format!("李四,{b},减员,2025-08-10,辞职"),
        format!("王五,{c},减员,2025-08-10,辞职"),
    ]
}

fn codes(findings: &[Value], code: &str) -> Vec<Value> {
    findings
        .iter()
        .filter(|f| f["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn a_resaved_roster_gives_v021_and_no_r001() {
    let [a, b, c] = ids();
    let roster = format!(
        "{ROSTER}\n张三,{},201901,9000.00,参保\n李四,{},201901,9000.00,参保\n王五,{},201901,9000.00,参保\n",
        as_spreadsheet_saves(&a, 0),
        as_spreadsheet_saves(&b, 1),
        as_spreadsheet_saves(&c, 2),
    );
    assert!(roster.contains("1.1E+17"), "{roster}");
    let (exit, findings, summary) = run(&roster, &reductions());
    assert_eq!(exit, 1, "V021 is an error");
    assert!(codes(&findings, "R001").is_empty(), "{findings:?}");
    let v021 = codes(&findings, "V021");
    assert_eq!(
        v021.len(),
        1,
        "one finding for the roster sheet: {findings:?}"
    );
    let f = &v021[0];
    assert_eq!(f["file"], "roster.csv");
    assert_eq!(f["row"], "2", "the first mangled row");
    let message = f["message"].as_str().unwrap_or_default();
    assert!(message.contains("电子表格转成了数字"), "{message}");
    assert!(message.contains("第 2, 3, 4 行（共 3 行）"), "{message}");
    assert!(
        message.contains("文本"),
        "the hint says how to fix it: {message}"
    );
    assert!(!message.contains(&a[..15]), "no ID digits in the message");
    assert_eq!(
        summary["findings"]["by_code"]["V021"]["count"], 1,
        "{}",
        summary["findings"]
    );
    assert_eq!(summary["roster"]["members"], 0);
    assert_eq!(summary["roster"]["rows_skipped"], 3);
}

#[test]
fn a_reduction_no_mangled_number_could_be_is_still_r001() {
    let [a, b, _] = ids();
    // Only the Beijing member's ID is mangled; the Shenzhen one (44…) is intact.
    let roster = format!(
        "{ROSTER}\n张三,{},201901,9000.00,参保\n李四,{b},201901,9000.00,参保\n",
        as_spreadsheet_saves(&a, 1),
    );
    let stranger = resident_id("37010219800101004");
    let rows = vec![
        format!("张三,{a},减员,2025-08-10,辞职"),
        format!("李四,{b},减员,2025-08-10,辞职"),
        format!("赵六,{stranger},减员,2025-08-10,辞职"),
    ];
    let (_, findings, _) = run(&roster, &rows);
    let r001: Vec<_> = codes(&findings, "R001")
        .iter()
        .map(|f| f["row"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(r001, ["4"], "only the stranger: {findings:?}");
    assert_eq!(codes(&findings, "V021").len(), 1);
}

#[test]
fn an_intact_roster_gives_no_v021() {
    let [a, b, c] = ids();
    let roster = format!(
        "{ROSTER}\n张三,{a},201901,9000.00,参保\n李四,{b},201901,9000.00,参保\n王五,{c},201901,9000.00,参保\n"
    );
    let (_, findings, summary) = run(&roster, &reductions());
    assert!(codes(&findings, "V021").is_empty(), "{findings:?}");
    assert!(codes(&findings, "R001").is_empty(), "{findings:?}");
    assert_eq!(summary["roster"]["members"], 3);
}

#[test]
fn a_change_file_id_with_15_digits_and_zeros_is_v005_not_a_check_character_error() {
    let [a, ..] = ids();
    let zeros = as_spreadsheet_saves(&a, 2);
    let (_, findings, _) = run(ROSTER, &[format!("张三,{zeros},减员,2025-08-10,辞职")]);
    let v005 = codes(&findings, "V005");
    assert_eq!(v005.len(), 1, "{findings:?}");
    let message = v005[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("电子表格转成了数字"), "{message}");
    assert!(codes(&findings, "V003").is_empty(), "{findings:?}");
}
