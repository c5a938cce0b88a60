//! Staleness and late publication, end to end on Beijing (京人社发〔2026〕7号: 2026-07 on,
//! floor 7,270, ceiling 36,348, published 2026-08-21; the 2025-07 period had 7,162 / 35,811).
//!
//! - 2026-08 with every figure confirmed (by a user's policy file): no policy warning, and
//!   `--deny-warnings` passes;
//! - 2026-08 with the embedded figures alone: P001 lists the unconfirmed ones, once;
//! - 2027-08, after the last published period: P004 says the figures are carried forward;
//! - 2026-08 with people below the floor or above the ceiling: a top-up for 2026-07 (P005
//!   and `topup` lines), amounts computed by hand below.

use crate::common;

use common::{code, resident_id, stderr, Work};

/// Confirms every Beijing 2026-07 figure the embedded table does not count as confirmed.
const CONFIRMING: &str = r#"
[provenance.mine]
source = "our payroll team read 京人社发〔2026〕7号 and the medical, unemployment and injury rate notices (test)"
confidence = "confirmed"
verified_on = 2026-08-25

[[region]]
name = "beijing"

[[region.patch]]
from = "2026-07"
provenance = "mine"
leaving_month_charged = true
retro_limit_months = 12
rounding = "half-up-fen"

[region.patch.medical]
employer_rate = "0.098"
employee_rate = "0.02"
employee_fixed = "3.00"

[region.patch.unemployment]
employer_rate = "0.005"
employee_rate = "0.005"

[region.patch.injury]
employer_rate = "0.002"
employer_rate_min = "0.002"
employer_rate_max = "0.0285"

# The region-wide law terms (issue 14) the run relies on.
[region.stop_month]
provenance = "mine"
months_after_leaving = 1

[region.late_fee]
provenance = "mine"
daily_rate = "0.0005"
from_day_of_next_month = 1
rounding = "half-up-fen"

[region.base_limits]
provenance = "mine"
floor_share = "0.6"
ceiling_share = "3"
tolerance = "1"
"#;

fn ids() -> [String; 4] {
    [
        resident_id("11010519900307003"),
        resident_id("11010119850412002"),
        resident_id("11010219800101001"),
        resident_id("11010819750615004"),
    ]
}

/// One addition in `month` at a base between the limits, and a roster with the given
/// (name, base) members enrolled since 2020-01.
fn setup(w: &Work, month: &str, roster: &[(&str, &str, usize)]) {
    let ids = ids();
    w.write(
        "in.csv",
        format!(
            "姓名,证件号码,变动类型,入职日期,参保年月,缴费基数\n张三,{},增员,{month}-03,{},15000\n",
            ids[0],
            month.replace('-', "")
        ),
    );
    let mut r =
        String::from("姓名,证件类型,证件号码,人员类别,参保年月,缴费基数,参保状态,停缴年月\n");
    for (name, base, i) in roster {
        r.push_str(&format!(
            "{name},居民身份证,{},工人,202001,{base},参保,\n",
            ids[*i]
        ));
    }
    w.write("roster.csv", r);
    w.write("confirm.toml", CONFIRMING);
}

fn run(w: &Work, month: &str, extra: &[&str]) -> std::process::Output {
    let as_of = format!("{month}-25");
    let mut args = vec![
        "run",
        "in.csv",
        "--roster",
        "roster.csv",
        "--region",
        "beijing",
        "--period",
        month,
        "--as-of",
        &as_of,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    w.run(&args)
}

fn codes(w: &Work) -> Vec<String> {
    w.read("headcount-out/errors.csv")
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(6).map(str::to_string))
        .collect()
}

#[test]
fn a_confirmed_published_month_has_no_policy_warning() {
    let w = Work::new();
    setup(&w, "2026-08", &[("李四", "20000", 1)]);
    let o = run(
        &w,
        "2026-08",
        &["--policy", "confirm.toml", "--deny-warnings"],
    );
    assert_eq!(
        code(&o),
        0,
        "{}\n{}",
        stderr(&o),
        w.read("headcount-out/errors.csv")
    );
    assert!(codes(&w).is_empty(), "{:?}", codes(&w));
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    assert_eq!(s["policy"]["unconfirmed"], serde_json::json!([]));
    // report.html names the period used and its state.
    let page = w.read("headcount-out/report.html");
    assert!(
        page.contains("<tr><td>2026-07 – 2027-06</td><td class=\"ok\">已确认</td><td></td></tr>"),
        "{page}"
    );
}

#[test]
fn the_embedded_figures_alone_list_what_is_unconfirmed_once() {
    let w = Work::new();
    setup(&w, "2026-08", &[("李四", "20000", 1)]);
    let o = run(&w, "2026-08", &["--deny-warnings"]);
    assert_eq!(code(&o), 1, "--deny-warnings fails on P001");
    assert_eq!(codes(&w), ["P001"]);
    let errors = w.read("headcount-out/errors.csv");
    // The region's stop-month reading replaces leaving_month_charged (issue 14).
    assert!(errors.contains("2026-07 stop_month"), "{errors}");
    assert!(
        !errors.contains("pension.floor"),
        "the floor is confirmed: {errors}"
    );
    // report.html: the same period, not confirmed, with the figures that are not.
    let page = w.read("headcount-out/report.html");
    let row = page
        .split("<tr><td>2026-07 – 2027-06</td>")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no period row: {page}"));
    assert!(
        row.starts_with("<td class=\"warn\">含未确认数值</td>"),
        "{row}"
    );
    assert!(
        row.contains("stop_month") && !row.contains("pension.floor"),
        "{row}"
    );
    // Without --deny-warnings the same run passes.
    let o = run(&w, "2026-08", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_month_after_the_last_published_period_says_it_is_carried_forward() {
    let w = Work::new();
    setup(
        &w,
        "2027-08",
        &[
            ("李四", "20000", 1),
            ("王五", "5000", 2),
            ("赵六", "50000", 3),
        ],
    );
    let o = run(
        &w,
        "2027-08",
        &[
            "--policy",
            "confirm.toml",
            "--deny-warnings",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code(&o), 1, "carried-forward figures are a warning");
    assert_eq!(codes(&w), ["P004"], "figures confirmed: no P001");
    let errors = w.read("headcount-out/errors.csv");
    for needle in [
        "published up to 2027-06",
        "months from 2027-07 on (1)",
        "2026-07–2027-06",
        "pension floor 7270, ceiling 36348",
        "1 people pay at the floor and 1 at the ceiling",
    ] {
        assert!(errors.contains(needle), "{needle} missing: {errors}");
    }
    // The amounts are those of the last period: 王五 at the floor 7,270.
    let contributions = w.read("headcount-out/contributions.csv");
    assert!(
        contributions.contains(&format!(
            "{},王五,2027-08,regular,7270.00,1163.20,581.60",
            ids()[2]
        )),
        "{contributions}"
    );
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    assert_eq!(
        s["policy"]["carried_forward"],
        serde_json::json!({
            "period_from": "2026-07", "period_to": "2027-06", "since": "2027-07",
            "months": 1, "at_floor": 1, "at_ceiling": 1
        })
    );
    let page = w.read("headcount-out/report.html");
    assert!(
        page.contains("Figures carried forward from 2026-07 – 2027-06 (since 2027-07)"),
        "{page}"
    );
    // Without --deny-warnings the run passes.
    let o = run(&w, "2027-08", &["--policy", "confirm.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_late_published_period_reports_the_top_up_per_person() {
    let w = Work::new();
    setup(
        &w,
        "2026-08",
        &[
            ("李四", "20000", 1),
            ("王五", "5000", 2),
            ("赵六", "50000", 3),
        ],
    );
    let o = run(&w, "2026-08", &["--policy", "confirm.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let ids = ids();
    let lines: Vec<String> = w
        .read("headcount-out/contributions.csv")
        .lines()
        .filter(|l| l.contains(",topup,"))
        .map(str::to_string)
        .collect();
    // 2026-07 was declared at 7,162 / 35,811; the new figures are 7,270 / 36,348.
    // 王五 (5,000, below both floors): base 7,162 → 7,270.
    //   pension 1163.20 − 1145.92 = 17.28 / 581.60 − 572.96 = 8.64
    //   medical 712.46 − 701.88 = 10.58 / (145.40 + 3) − (143.24 + 3) = 2.16
    //   unemployment 36.35 − 35.81 = 0.54 / 0.54; injury 14.54 − 14.32 = 0.22
    //   employer 28.62, employee 11.34
    // 赵六 (50,000, above both ceilings): base 35,811 → 36,348.
    //   pension 5815.68 − 5729.76 = 85.92 / 2907.84 − 2864.88 = 42.96
    //   medical 3562.10 − 3509.48 = 52.62 / 726.96 − 716.22 = 10.74
    //   unemployment 181.74 − 179.06 = 2.68 / 2.68; injury 72.70 − 71.62 = 1.08
    //   employer 142.30, employee 56.38
    // 李四 (20,000, between the limits): nothing owed, no line.
    assert_eq!(
        lines,
        [
            format!("{},王五,2026-07,topup,7270.00,17.28,8.64,10.58,2.16,0.54,0.54,0.22,0.00,28.62,11.34,declared,", ids[2]),
            format!("{},赵六,2026-07,topup,36348.00,85.92,42.96,52.62,10.74,2.68,2.68,1.08,0.00,142.30,56.38,declared,", ids[3]),
        ]
    );
    let errors = w.read("headcount-out/errors.csv");
    let p005: Vec<&str> = errors.lines().filter(|l| l.contains(",P005,")).collect();
    assert_eq!(p005.len(), 2, "{errors}");
    // The roster member's ID is masked in the report (contributions.csv keeps it whole).
    assert!(
        !errors.contains(&ids[2]) && !errors.contains(&ids[3]),
        "{errors}"
    );
    assert!(
        p005[0].contains("王五") && p005[0].contains("单位 28.62 元，个人 11.34 元"),
        "{errors}"
    );
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    let t = &s["contributions"]["topup"];
    assert_eq!(
        (
            t["lines"].as_u64(),
            t["employer_total"].as_str(),
            t["employee_total"].as_str()
        ),
        (Some(2), Some("170.92"), Some("67.72"))
    );
    // The month's own totals do not include the top-up.
    assert_eq!(s["contributions"]["lines"], 4);
    // report.html shows the top-up as its own line, with summary.json's amounts.
    let page = w.read("headcount-out/report.html");
    assert!(
        page.contains("<tr data-kind=\"topup\"><td>补差</td><td class=\"n\">2</td><td class=\"n\" data-value=\"170.92\">170.92</td><td class=\"n\" data-value=\"67.72\">67.72</td></tr>"),
        "{page}"
    );
}

#[test]
fn the_policy_command_finds_a_city_by_name_code_or_alias_in_both_languages() {
    let w = Work::new();
    for given in ["成都", "510100", "chengdu"] {
        let o = w.run(&["policy", "--region", given]);
        assert_eq!(code(&o), 0, "{given}: {}", stderr(&o));
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(text.starts_with("chengdu 成都 (510100)\n"), "{text}");
        assert!(text.contains("期间") && text.contains("已确认"), "{text}");
    }
    let o = w.run(&["policy", "--region", "beijing", "--lang", "en"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("2026-07 – 2027-06  2026-08"), "{text}");
    assert!(
        text.contains("published") && text.contains("latest check"),
        "{text}"
    );
    let o = w.run(&["policy", "--lang", "fr"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn the_confirm_template_once_filled_in_silences_p001() {
    let w = Work::new();
    setup(&w, "2026-08", &[("李四", "20000", 1)]);
    let o = w.run(&[
        "policy", "confirm", "--region", "北京", "--period", "2026-08",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let template = String::from_utf8_lossy(&o.stdout).to_string();
    // As printed it confirms nothing: the run still warns.
    w.write("template.toml", &template);
    let o = run(
        &w,
        "2026-08",
        &["--policy", "template.toml", "--deny-warnings"],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(codes(&w), ["P001"]);
    assert!(
        w.read("headcount-out/errors.csv")
            .contains("headcount policy confirm --region beijing"),
        "the hint says what to do"
    );
    // Filled in after reading the notice: no policy warning.
    let filled = template
        .replace("confidence = \"unverified\"", "confidence = \"confirmed\"")
        .replace(
            "the notice you checked: number and address",
            "京人社发〔2026〕7号 (test)",
        );
    w.write("filled.toml", filled);
    let o = run(
        &w,
        "2026-08",
        &["--policy", "filled.toml", "--deny-warnings"],
    );
    assert_eq!(code(&o), 0, "{}", w.read("headcount-out/errors.csv"));
    assert!(codes(&w).is_empty());
}
