//! Shenzhen's medical tiers (医疗保险档次), charged per person. Figures typed from
//! policy-sources-2026.csv, not read back from the tables: from 2026-01 medical is on its
//! own base (6,727 / 33,633), tier 1 employer 6% / employee 2%, tier 2 (non-Shenzhen hukou
//! only) 1.5% / 0.5%, maternity 0.5% employer on the same base whatever the tier.
//!
//! Base 10,000 in 2026-03: medical tier 1 600.00 / 200.00, tier 2 150.00 / 50.00,
//! maternity 50.00 / 0.00.

use crate::common;

use std::collections::HashMap;

use common::{code, resident_id, stderr, Work};

const HEADER: &str = "姓名,证件号码,变动类型,入职日期,参保年月,缴费基数,户籍,医疗保险档次";

fn person(seq: u32) -> String {
    resident_id(&format!("44030519900307{seq:03}"))
}

fn run(rows: &[String], roster: Option<&str>, want: i32) -> Work {
    let w = Work::new();
    w.write("in.csv", format!("{HEADER}\n{}\n", rows.join("\n")));
    let mut args = vec![
        "run",
        "--region",
        "shenzhen",
        "--period",
        "2026-03",
        "--as-of",
        "2026-03-10",
    ];
    if let Some(r) = roster {
        w.write("roster.csv", r);
        args.extend(["--roster", "roster.csv"]);
    }
    args.extend(["in.csv", "--quiet"]);
    let o = w.run(&args);
    assert_eq!(code(&o), want, "{}", stderr(&o));
    w
}

/// contributions.csv as (id, month) → column → value.
fn charges(w: &Work) -> HashMap<(String, String), HashMap<String, String>> {
    let text = w.read("headcount-out/contributions.csv");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: HashMap<String, String> = header
            .iter()
            .cloned()
            .zip(rec.iter().map(str::to_string))
            .collect();
        out.insert((rec[0].to_string(), rec[2].to_string()), row);
    }
    out
}

fn medical(c: &HashMap<(String, String), HashMap<String, String>>, id: &str) -> [String; 4] {
    let row = &c[&(id.to_string(), "2026-03".to_string())];
    [
        "medical_employer",
        "medical_employee",
        "maternity_employer",
        "maternity_employee",
    ]
    .map(|k| {
        row.get(k)
            .cloned()
            .unwrap_or_else(|| panic!("no {k}: {row:?}"))
    })
}

/// (row, code) of every finding in errors.csv.
fn findings(w: &Work) -> Vec<(String, String)> {
    let text = w.read("headcount-out/errors.csv");
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[2].to_string(), rec[6].to_string())
        })
        .collect()
}

fn addition(name: &str, id: &str, hukou: &str, tier: &str) -> String {
    format!("{name},{id},增员,2026-03-02,2026-03,10000,{hukou},{tier}")
}

#[test]
fn each_addition_is_charged_at_its_own_tier() {
    let ids: Vec<String> = (1..=7).map(person).collect();
    let w = run(
        &[
            addition("甲一", &ids[0], "市外城镇", "一档"),
            addition("乙二", &ids[1], "市外农村", "二档"),
            addition("丙三", &ids[2], "市内城镇", "二档"),
            addition("丁四", &ids[3], "", "三档"),
            addition("戊五", &ids[4], "", "不参加"),
            addition("己六", &ids[5], "", "五档"),
            addition("庚七", &ids[6], "", ""),
        ],
        None,
        1,
    );
    let c = charges(&w);
    let tier1 = ["600.00", "200.00", "50.00", "0.00"].map(String::from);
    let tier2 = ["150.00", "50.00", "50.00", "0.00"].map(String::from);
    assert_eq!(medical(&c, &ids[0]), tier1);
    assert_eq!(medical(&c, &ids[1]), tier2);
    // A local hukou with tier 2: charged as declared, and warned (A018).
    assert_eq!(medical(&c, &ids[2]), tier2);
    // Tier 3 has no rates in the policy: tier 1 (A017).
    assert_eq!(medical(&c, &ids[3]), tier1);
    // Not enrolled in medical: nothing for medical; maternity is collected with it.
    assert_eq!(
        medical(&c, &ids[4]),
        ["0.00", "0.00", "0.00", "0.00"].map(String::from)
    );
    // An unreadable tier rejects the row (V022): no charge.
    assert!(!c.contains_key(&(ids[5].clone(), "2026-03".to_string())));
    // No tier given: tier 1.
    assert_eq!(medical(&c, &ids[6]), tier1);
    // The other insurances do not move with the tier.
    let row = |i: usize| &c[&(ids[i].clone(), "2026-03".to_string())];
    for k in [
        "pension_employer",
        "pension_employee",
        "unemployment_employer",
    ] {
        assert_eq!(row(0)[k], row(1)[k], "{k}");
    }
    let f = findings(&w);
    let has = |row: &str, code: &str| f.iter().any(|(r, c)| r == row && c == code);
    assert!(has("4", "A018"), "{f:?}");
    assert!(!has("3", "A018"), "{f:?}");
    assert!(has("5", "A017"), "{f:?}");
    assert!(has("7", "V022"), "{f:?}");
    let tier_findings = f
        .iter()
        .filter(|(_, c)| ["A017", "A018", "V022"].contains(&c.as_str()))
        .count();
    assert_eq!(tier_findings, 3, "{f:?}");
    // The next roster keeps the tier, so next month charges it too.
    let next = w.read("headcount-out/roster.next.csv");
    let line = next.lines().find(|l| l.contains(&ids[1])).unwrap();
    assert!(line.ends_with(",二档,"), "{line}");
    assert!(
        next.lines()
            .next()
            .unwrap()
            .ends_with(",医疗保险档次,原证件号码"),
        "{next}"
    );
}

#[test]
fn roster_members_are_charged_at_their_tier() {
    let (a, b) = (person(11), person(12));
    let roster = format!(
        "姓名,证件号码,参保年月,缴费基数,参保状态,医疗保险档次\n\
         甲,{a},2025-01,10000,参保,二档\n\
         乙,{b},2025-01,10000,参保,\n"
    );
    let w = run(&[addition("丙", &person(13), "", "")], Some(&roster), 0);
    let c = charges(&w);
    assert_eq!(
        medical(&c, &a),
        ["150.00", "50.00", "50.00", "0.00"].map(String::from)
    );
    assert_eq!(
        medical(&c, &b),
        ["600.00", "200.00", "50.00", "0.00"].map(String::from)
    );
}

#[test]
fn the_shenzhen_template_code_reads_as_the_tier() {
    // The portal templates write the tier as a code in 医疗保险 (0 不参加, 1 一档, 2 二档,
    // 4 三档); a column named 医疗保险档次 takes the same codes in a Shenzhen run.
    let id = person(21);
    let w = run(&[addition("辛八", &id, "市外城镇", "2")], None, 0);
    assert_eq!(
        medical(&charges(&w), &id),
        ["150.00", "50.00", "50.00", "0.00"].map(String::from)
    );
}
