//! `headcount reconcile` on bills built from the sample month's own contributions
//! (tests/golden/samples/contributions.csv), in four layouts of real-world.md §1: headcount's
//! contributions.csv, the tax client's per-insurance detail (B5), Shanghai's 月度变更汇总
//! (B1) and Shenzhen's 扣款文件 (B3). Each bill carries planted differences; the report must
//! list exactly those, and the unchanged bill none.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{code, repo, resident_id, stderr, Work};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

const INS: [&str; 4] = ["pension", "medical", "unemployment", "injury"];

/// One line of the golden contributions.csv.
#[derive(Clone, Debug)]
struct Rec {
    id: String,
    name: String,
    month: String,
    kind: String,
    base: Decimal,
    /// (insurance, part) → amount, for the four insurances.
    amounts: Vec<(&'static str, &'static str, Decimal)>,
    raw: Vec<String>,
}

impl Rec {
    fn amount(&self, ins: &str, part: &str) -> Decimal {
        self.amounts
            .iter()
            .find(|(i, p, _)| *i == ins && *p == part)
            .map_or(Decimal::ZERO, |a| a.2)
    }

    fn nonzero(&self) -> Vec<(&'static str, &'static str)> {
        self.amounts
            .iter()
            .filter(|a| !a.2.is_zero())
            .map(|a| (a.0, a.1))
            .collect()
    }
}

fn golden() -> (Vec<String>, Vec<Rec>) {
    let path = repo().join("tests/golden/samples/contributions.csv");
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let recs = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            let dec = |n: &str| rec[col(n)].parse::<Decimal>().unwrap_or_default();
            let mut amounts = Vec::new();
            for ins in INS {
                for part in ["employer", "employee"] {
                    amounts.push((ins, part, dec(&format!("{ins}_{part}"))));
                }
            }
            Rec {
                id: rec[col("id_number")].to_string(),
                name: rec[col("name")].to_string(),
                month: rec[col("month")].to_string(),
                kind: rec[col("kind")].to_string(),
                base: dec("base"),
                amounts,
                raw: rec.iter().map(str::to_string).collect(),
            }
        })
        .collect();
    (header, recs)
}

/// Regular lines of people with only a regular line (the picks for planted differences).
fn picks(recs: &[Rec]) -> Vec<Rec> {
    let with_backpay: BTreeSet<&str> = recs
        .iter()
        .filter(|r| r.kind != "regular")
        .map(|r| r.id.as_str())
        .collect();
    recs.iter()
        .filter(|r| r.kind == "regular" && !with_backpay.contains(r.id.as_str()))
        .cloned()
        .collect()
}

/// An expected run's folder: a contributions.csv and the sample run's manifest (region
/// beijing, period 2025-08).
fn expected_dir(w: &Work, name: &str, header: &[String], recs: &[Rec]) -> String {
    let mut text = header.join(",") + "\n";
    for r in recs {
        text.push_str(&r.raw.join(","));
        text.push('\n');
    }
    w.write(&format!("{name}/contributions.csv"), text);
    w.write(
        &format!("{name}/manifest.json"),
        std::fs::read(repo().join("tests/golden/samples/manifest.json")).unwrap(),
    );
    name.to_string()
}

type Diff = (String, String, String, String);

fn diff(code: &str, name: &str, ins: &str, part: &str) -> Diff {
    (code.into(), name.into(), ins.into(), part.into())
}

/// Runs reconcile (English, unmasked) and returns the exit code and the differences as
/// (code, name, insurance, part), sorted.
fn reconcile(w: &Work, bills: &[&str], expected: &str, out: &str) -> (i32, Vec<Diff>) {
    let mut args = vec!["reconcile"];
    for b in bills {
        args.push("--bill");
        args.push(b);
    }
    args.extend([
        "--expected",
        expected,
        "--out",
        out,
        "--lang",
        "en",
        "--no-mask",
    ]);
    let o = w.run(&args);
    assert!(code(&o) < 2, "{}", stderr(&o));
    let mut r = csv::Reader::from_path(w.path(&format!("{out}/reconciliation.csv"))).unwrap();
    let mut diffs: Vec<Diff> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            diff(&rec[0], &rec[2], &rec[6], &rec[7])
        })
        .collect();
    diffs.sort();
    check_accounting(w, out);
    (code(&o), diffs)
}

/// matched + each class (+ not covered) = lines, and the rows add up, on both sides.
fn check_accounting(w: &Work, out: &str) {
    let j: serde_json::Value =
        serde_json::from_str(&w.read(&format!("{out}/reconciliation.json"))).unwrap();
    for side in ["bill", "expected"] {
        let s = &j[side];
        let n = |k: &str| s[k].as_u64().unwrap();
        let classes: u64 = s["by_class"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(
            n("lines"),
            n("matched") + classes + n("not_covered"),
            "{side}: {s}"
        );
        assert_eq!(
            n("rows"),
            n("line_rows")
                + n("blank_skipped")
                + n("totals_skipped")
                + n("not_compared")
                + n("zero_rows"),
            "{side}: {s}"
        );
    }
    let totals = j["totals"].as_array().unwrap();
    let last = totals.last().unwrap();
    let d = |v: &serde_json::Value| v.as_str().unwrap().parse::<Decimal>().unwrap();
    assert_eq!(
        d(&last["billed"]) - d(&last["expected"]),
        d(&last["difference"])
    );
}

fn sorted(mut v: Vec<Diff>) -> Vec<Diff> {
    v.sort();
    v
}

fn unknown_person() -> String {
    resident_id("11010119900101001")
}

#[test]
fn contributions_csv_against_itself_and_with_every_class_planted() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    // Unchanged: the run's own contributions.csv as the bill.
    let (c, diffs) = reconcile(&w, &["exp/contributions.csv"], &exp, "same");
    assert_eq!((c, diffs), (0, vec![]));

    let p = picks(&recs);
    let (drop, rebase, amount, backpay) = (&p[0], &p[1], &p[2], &p[3]);
    let mut want = Vec::new();
    let mut bill: Vec<Rec> = Vec::new();
    for r in &recs {
        let mut r = r.clone();
        if r.id == drop.id {
            for (i, pt) in r.nonzero() {
                want.push(diff("C002", &r.name, i, pt));
            }
            continue;
        }
        if r.id == rebase.id {
            r.raw[4] = format!("{}", r.base + Decimal::from(1000));
            for (i, pt) in r.nonzero() {
                want.push(diff("C003", &r.name, i, pt));
            }
        }
        if r.id == amount.id {
            let c = header.iter().position(|h| h == "medical_employee").unwrap();
            r.raw[c] = format!("{}", r.amount("medical", "employee") + Decimal::ONE);
            want.push(diff("C004", &r.name, "medical", "employee"));
        }
        if r.kind == "backpay" && r.month == "2025-06" {
            r.raw[2] = "2025-05".into();
            for (i, pt) in r.nonzero() {
                want.push(diff("C006", &r.name, i, pt));
            }
        }
        bill.push(r);
    }
    let zeros = || vec!["0.00".to_string(); 8];
    let line = |id: &str, name: &str, month: &str, kind: &str, pension_er: &str| {
        let mut v = vec![
            id.to_string(),
            name.to_string(),
            month.to_string(),
            kind.to_string(),
            "10000.00".to_string(),
        ];
        let mut a = zeros();
        a[0] = pension_er.to_string();
        v.extend(a);
        v.extend([
            pension_er.to_string(),
            "0.00".into(),
            "declared".into(),
            String::new(),
        ]);
        v
    };
    let stranger = unknown_person();
    bill.push(Rec {
        raw: line(&stranger, "测试甲", "2025-08", "regular", "1600.00"),
        ..recs[0].clone()
    });
    want.push(diff("C001", "测试甲", "pension", "employer"));
    bill.push(Rec {
        raw: line(&backpay.id, &backpay.name, "2025-05", "backpay", "500.00"),
        ..recs[0].clone()
    });
    want.push(diff("C005", &backpay.name, "pension", "employer"));
    expected_dir(&w, "a", &header, &bill);
    let (c, diffs) = reconcile(&w, &["a/contributions.csv"], &exp, "out");
    assert_eq!(c, 1);
    assert_eq!(diffs, sorted(want));
    // Every class is planted here.
    let classes: BTreeSet<&str> = diffs.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(classes.len(), 6, "{classes:?}");
}

/// The tax client's detail: one file per insurance × part, named by the file.
#[allow(clippy::too_many_arguments)]
fn tax_file(
    w: &Work,
    name: &str,
    recs: &[Rec],
    ins: &str,
    part: &str,
    xlsx: bool,
    edit: &dyn Fn(&Rec, &mut Vec<String>) -> bool,
    extra: &[Vec<String>],
) -> String {
    let header = [
        "序号",
        "姓名",
        "证件类型",
        "证件号码",
        "缴费工资",
        "缴费基数",
        "费率",
        "应缴费额",
        "减免费额",
        "应补(退)费额",
        "人员编号",
        "费款所属期",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, r) in recs.iter().filter(|r| r.kind != "late_fee").enumerate() {
        let a = r.amount(ins, part);
        if a.is_zero() {
            continue;
        }
        let mut row = vec![
            (i + 1).to_string(),
            r.name.clone(),
            "居民身份证".into(),
            r.id.clone(),
            r.base.to_string(),
            r.base.to_string(),
            String::new(),
            a.to_string(),
            "0".into(),
            a.to_string(),
            format!("P{:04}", i + 1),
            r.month.replace('-', ""),
        ];
        if edit(r, &mut row) {
            rows.push(row);
        }
    }
    rows.extend(extra.iter().cloned());
    if xlsx {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "社会保险费缴费人员明细").unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let numeric = matches!(c, 4 | 5 | 7 | 8 | 9);
                match v.parse::<f64>() {
                    Ok(n) if numeric => ws.write_number(r as u32 + 2, c as u16, n).unwrap(),
                    _ => ws.write_string(r as u32 + 2, c as u16, v).unwrap(),
                };
            }
        }
        let path = w.path(&format!("{name}.xlsx"));
        wb.save(&path).unwrap();
        format!("{name}.xlsx")
    } else {
        let mut text = header.join(",") + "\n";
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        w.write(&format!("{name}.csv"), text);
        format!("{name}.csv")
    }
}

#[test]
fn tax_client_detail_per_insurance_files() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let keep = |_: &Rec, _: &mut Vec<String>| true;
    let same = [
        tax_file(
            &w,
            "same/养老_单位",
            &recs,
            "pension",
            "employer",
            false,
            &keep,
            &[],
        ),
        tax_file(
            &w,
            "same/养老_个人",
            &recs,
            "pension",
            "employee",
            false,
            &keep,
            &[],
        ),
        tax_file(
            &w,
            "same/医疗_单位",
            &recs,
            "medical",
            "employer",
            true,
            &keep,
            &[],
        ),
    ];
    let refs: Vec<&str> = same.iter().map(String::as_str).collect();
    let (c, diffs) = reconcile(&w, &refs, &exp, "out-same");
    assert_eq!((c, diffs), (0, vec![]));
    let j: serde_json::Value =
        serde_json::from_str(&w.read("out-same/reconciliation.json")).unwrap();
    assert!(j["expected"]["not_covered"].as_u64().unwrap() > 0, "{j}");

    let p = picks(&recs);
    let (drop, cent, rebase, refund, month) = (&p[0], &p[1], &p[2], &p[3], &p[4]);
    let stranger = unknown_person();
    let extra_er = vec![
        vec![
            "90".into(),
            "测试丙".into(),
            "居民身份证".into(),
            stranger.clone(),
            "9000".into(),
            "9000".into(),
            "16%".into(),
            "1440.00".into(),
            "0".into(),
            "1440.00".into(),
            "P9999".into(),
            "202508".into(),
        ],
        vec![
            "91".into(),
            refund.name.clone(),
            "居民身份证".into(),
            refund.id.clone(),
            refund.base.to_string(),
            refund.base.to_string(),
            "16%".into(),
            "0".into(),
            "0".into(),
            "-300.00".into(),
            "P9998".into(),
            "202507".into(),
        ],
    ];
    let files = [
        tax_file(
            &w,
            "bill/养老_单位",
            &recs,
            "pension",
            "employer",
            false,
            &|r, _| r.id != drop.id,
            &extra_er,
        ),
        tax_file(
            &w,
            "bill/养老_个人",
            &recs,
            "pension",
            "employee",
            false,
            &|r, row| {
                if r.id == cent.id {
                    let a: Decimal = row[9].parse().unwrap();
                    row[9] = (a + Decimal::new(1, 2)).to_string();
                }
                true
            },
            &[],
        ),
        tax_file(
            &w,
            "bill/医疗_单位",
            &recs,
            "medical",
            "employer",
            true,
            &|r, row| {
                if r.id == rebase.id {
                    row[5] = (r.base + Decimal::ONE).to_string();
                }
                if r.id == month.id {
                    row[11] = "202509".into();
                }
                true
            },
            &[],
        ),
    ];
    let refs: Vec<&str> = files.iter().map(String::as_str).collect();
    let (c, diffs) = reconcile(&w, &refs, &exp, "out");
    assert_eq!(c, 1);
    assert_eq!(
        diffs,
        sorted(vec![
            diff("C001", "测试丙", "pension", "employer"),
            diff("C002", &drop.name, "pension", "employer"),
            // One fen is beyond the fen rounding of Beijing's policy: no other fudge.
            diff("C004", &cent.name, "pension", "employee"),
            diff("C003", &rebase.name, "medical", "employer"),
            diff("C005", &refund.name, "pension", "employer"),
            diff("C006", &month.name, "medical", "employer"),
        ])
    );
    let csv = w.read("out/reconciliation.csv");
    assert!(csv.contains(",refund,"), "{csv}");
}

/// Shanghai's 月度变更汇总 (养医失): a title row, a two-row group header, a 合计 row, no ID
/// number; back-pay in 补缴 columns without a month.
fn shanghai(
    w: &Work,
    name: &str,
    recs: &[Rec],
    edit: &dyn Fn(&Rec, &mut Vec<f64>) -> bool,
    extra: Option<(&str, f64)>,
) -> String {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "上海市社会保险 月度变更汇总（养医失）")
        .unwrap();
    let top = [
        "结算情况",
        "变更日期",
        "工号",
        "姓名",
        "变更类型",
        "个人月缴费基数",
    ];
    for (c, h) in top.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let groups = [("养老保险", 5), ("医疗保险", 4), ("失业保险", 4)];
    let subs = [
        "单位缴费额",
        "个人缴费额",
        "单位补缴",
        "个人补缴",
        "一次性支付",
    ];
    let mut c = 6u16;
    for (g, n) in groups {
        ws.write_string(1, c, g).unwrap();
        for s in subs.iter().take(n) {
            ws.write_string(2, c, *s).unwrap();
            c += 1;
        }
    }
    let mut r = 3u32;
    let regular: Vec<&Rec> = recs.iter().filter(|x| x.kind == "regular").collect();
    let mut sum = 0.0;
    for (i, x) in regular.iter().enumerate() {
        let f = |d: Decimal| d.to_string().parse::<f64>().unwrap();
        let back = |ins: &str, part: &str| {
            recs.iter()
                .filter(|b| b.id == x.id && b.kind == "backpay")
                .map(|b| f(b.amount(ins, part)))
                .sum::<f64>()
        };
        // base, then per group: er, ee, er back-pay, ee back-pay (, one-off for pension)
        let mut v = vec![f(x.base)];
        for ins in ["pension", "medical", "unemployment"] {
            v.extend([
                f(x.amount(ins, "employer")),
                f(x.amount(ins, "employee")),
                back(ins, "employer"),
                back(ins, "employee"),
            ]);
            if ins == "pension" {
                v.push(0.0);
            }
        }
        if !edit(x, &mut v) {
            continue;
        }
        ws.write_string(r, 0, "正常").unwrap();
        ws.write_string(r, 1, "20250801").unwrap();
        ws.write_number(r, 2, (1001 + i) as f64).unwrap();
        ws.write_string(r, 3, &x.name).unwrap();
        ws.write_string(r, 4, "标准").unwrap();
        for (k, n) in v.iter().enumerate() {
            ws.write_number(r, 5 + k as u16, *n).unwrap();
        }
        sum += v[1];
        r += 1;
    }
    if let Some((who, pension_er)) = extra {
        ws.write_string(r, 0, "正常").unwrap();
        ws.write_number(r, 2, 9999.0).unwrap();
        ws.write_string(r, 3, who).unwrap();
        ws.write_string(r, 4, "新进").unwrap();
        ws.write_number(r, 5, 10000.0).unwrap();
        ws.write_number(r, 6, pension_er).unwrap();
        r += 1;
    }
    ws.write_string(r, 0, "合计").unwrap();
    ws.write_number(r, 6, sum).unwrap();
    let file = format!("{name}.xlsx");
    wb.save(w.path(&file)).unwrap();
    file
}

#[test]
fn shanghai_monthly_change_summary_matches_by_name() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let same = shanghai(&w, "same", &recs, &|_, _| true, None);
    let (c, diffs) = reconcile(&w, &[&same], &exp, "out-same");
    assert_eq!((c, diffs), (0, vec![]));
    let j: serde_json::Value =
        serde_json::from_str(&w.read("out-same/reconciliation.json")).unwrap();
    assert_eq!(j["bill"]["totals_skipped"], 1);

    let p = picks(&recs);
    let (drop, rebase, amount, backpay) = (&p[0], &p[1], &p[2], &p[3]);
    let bill = shanghai(
        &w,
        "bill",
        &recs,
        &|x, v| {
            if x.id == rebase.id {
                v[0] += 500.0;
            }
            if x.id == amount.id {
                v[11] += 0.5; // 失业 个人缴费额
            }
            if x.id == backpay.id {
                v[3] = 200.0; // 养老 单位补缴
            }
            x.id != drop.id
        },
        Some(("测试乙", 1600.0)),
    );
    let (c, diffs) = reconcile(&w, &[&bill], &exp, "out");
    assert_eq!(c, 1);
    let mut want = vec![
        diff("C001", "测试乙", "pension", "employer"),
        diff("C004", &amount.name, "unemployment", "employee"),
        diff("C005", &backpay.name, "pension", "employer"),
    ];
    for ins in ["pension", "medical", "unemployment"] {
        for part in ["employer", "employee"] {
            if !drop.amount(ins, part).is_zero() {
                want.push(diff("C002", &drop.name, ins, part));
            }
            if !rebase.amount(ins, part).is_zero() {
                want.push(diff("C003", &rebase.name, ins, part));
            }
        }
    }
    assert_eq!(diffs, sorted(want));
    let csv = w.read("out/reconciliation.csv");
    let rebased = csv
        .lines()
        .find(|l| l.starts_with("C003"))
        .unwrap_or_default();
    assert!(rebased.contains(",name,"), "matched by name: {rebased}");
}

/// Shenzhen's 扣款文件 (五险合一): title rows, 电脑号 and name, a base per insurance.
fn shenzhen(
    w: &Work,
    name: &str,
    recs: &[Rec],
    edit: &dyn Fn(&Rec, &mut Vec<f64>) -> bool,
    extra: Option<&str>,
) -> String {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("五险合一").unwrap();
    ws.write_string(0, 0, "深圳市社会保险基金管理局 扣款明细")
        .unwrap();
    ws.write_string(1, 0, "单位编号：123456").unwrap();
    ws.write_string(1, 9, "单位名称：测试公司").unwrap();
    let header = [
        "序号",
        "电脑号",
        "姓名",
        "合计",
        "个人合计",
        "单位合计",
        "养老保险基数",
        "养老个人交",
        "养老单位交",
        "医疗保险基数",
        "医疗个人交",
        "医疗单位交",
        "工伤保险基数",
        "工伤单位交",
        "失业保险基数",
        "失业个人交",
        "失业单位交",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let f = |d: Decimal| d.to_string().parse::<f64>().unwrap();
    let mut r = 3u32;
    for (i, x) in recs.iter().filter(|x| x.kind == "regular").enumerate() {
        let mut v = vec![f(x.base)];
        v.extend([
            f(x.amount("pension", "employee")),
            f(x.amount("pension", "employer")),
        ]);
        v.extend([
            f(x.base),
            f(x.amount("medical", "employee")),
            f(x.amount("medical", "employer")),
        ]);
        v.extend([f(x.base), f(x.amount("injury", "employer"))]);
        v.extend([
            f(x.base),
            f(x.amount("unemployment", "employee")),
            f(x.amount("unemployment", "employer")),
        ]);
        if !edit(x, &mut v) {
            continue;
        }
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, format!("6{:08}", i + 1)).unwrap();
        ws.write_string(r, 2, &x.name).unwrap();
        for (k, n) in v.iter().enumerate() {
            ws.write_number(r, 6 + k as u16, *n).unwrap();
        }
        r += 1;
    }
    if let Some(who) = extra {
        ws.write_number(r, 0, 99.0).unwrap();
        ws.write_string(r, 1, "699999999").unwrap();
        ws.write_string(r, 2, who).unwrap();
        ws.write_number(r, 6, 10000.0).unwrap();
        ws.write_number(r, 8, 1600.0).unwrap();
    }
    let file = format!("{name}.xlsx");
    wb.save(w.path(&file)).unwrap();
    file
}

/// The month's regular lines (bills that carry no back-pay block are compared with these).
fn regular_lines(recs: &[Rec]) -> Vec<Rec> {
    recs.iter()
        .filter(|r| r.kind == "regular")
        .cloned()
        .collect()
}

#[test]
fn shenzhen_deduction_file_matches_by_name() {
    let w = Work::new();
    let (header, recs) = golden();
    // The deduction file's 补交 block is not read: the expected side is the month's regular
    // lines.
    let regular = regular_lines(&recs);
    let exp = expected_dir(&w, "exp", &header, &regular);
    let same = shenzhen(&w, "same", &regular, &|_, _| true, None);
    let (c, diffs) = reconcile(&w, &[&same], &exp, "out-same");
    assert_eq!((c, diffs), (0, vec![]));

    let p = picks(&recs);
    let (drop, rebase, amount) = (&p[0], &p[1], &p[2]);
    let bill = shenzhen(
        &w,
        "bill",
        &regular,
        &|x, v| {
            if x.id == rebase.id {
                v[0] += 100.0; // 养老保险基数 only
            }
            if x.id == amount.id {
                v[7] += 1.0; // 工伤单位交
            }
            x.id != drop.id
        },
        Some("测试丁"),
    );
    let (c, diffs) = reconcile(&w, &[&bill], &exp, "out");
    assert_eq!(c, 1);
    let mut want = vec![
        diff("C001", "测试丁", "pension", "employer"),
        diff("C003", &rebase.name, "pension", "employer"),
        diff("C003", &rebase.name, "pension", "employee"),
        diff("C004", &amount.name, "injury", "employer"),
    ];
    for (ins, part) in drop.nonzero() {
        want.push(diff("C002", &drop.name, ins, part));
    }
    assert_eq!(diffs, sorted(want));
}

#[test]
fn could_not_run_is_exit_2_with_a_coded_message() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    w.write("odd.csv", "姓名,身份证号,金额\n张三,x,1\n");
    let o = w.run(&["reconcile", "--bill", "odd.csv", "--expected", &exp]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("C011"), "{}", stderr(&o));
    let o = w.run(&["reconcile", "--bill", "odd.csv", "--expected", "nowhere"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("C013"), "{}", stderr(&o));
    // The report never replaces the expected run's manifest.
    let before = w.read("exp/manifest.json");
    let o = w.run(&[
        "reconcile",
        "--bill",
        "exp/contributions.csv",
        "--expected",
        &exp,
        "--out",
        &exp,
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(w.read("exp/manifest.json"), before);
    // A bad amount names the file, row and column.
    let mut text = header.join(",") + "\n";
    let mut bad = recs[0].raw.clone();
    bad[5] = "12,34x".into();
    text.push_str(&format!("\"{}\"\n", bad.join("\",\"")));
    w.write("bad/contributions.csv", text);
    let o = w.run(&[
        "reconcile",
        "--bill",
        "bad/contributions.csv",
        "--expected",
        &exp,
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("C010") && e.contains("row 2") && e.contains("column F"),
        "{e}"
    );
}

/// The partition files (full ID numbers) live in the temporary folder only while a
/// reconciliation runs: none is left after one, nor after one that fails; and an amount
/// the fixed point cannot hold is refused, not rounded.
#[test]
fn no_partition_file_outlives_a_reconciliation_and_odd_amounts_are_refused() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let mut text = header.join(",") + "\n";
    let mut odd = recs[0].raw.clone();
    odd[5] = "4264.000000001".into();
    text.push_str(&(odd.join(",") + "\n"));
    w.write("odd/contributions.csv", text);
    let tmp = w.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let run = |bill: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .args([
                "reconcile",
                "--bill",
                bill,
                "--expected",
                &exp,
                "--lang",
                "en",
            ])
            .current_dir(w.dir.path())
            .env("TMPDIR", &tmp)
            .output()
            .unwrap()
    };
    let left = || std::fs::read_dir(&tmp).unwrap().count();
    let o = run("exp/contributions.csv");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(left(), 0);
    let o = run("odd/contributions.csv");
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("C010") && e.contains("column F") && e.contains("8 decimal places"),
        "{e}"
    );
    assert_eq!(left(), 0);
}

#[test]
fn the_report_is_masked_by_default_and_the_same_bytes_every_time() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let p = picks(&recs);
    let bill: Vec<Rec> = recs.iter().filter(|r| r.id != p[0].id).cloned().collect();
    expected_dir(&w, "a", &header, &bill);
    for out in ["one", "two"] {
        let o = w.run(&[
            "reconcile",
            "--bill",
            "a/contributions.csv",
            "--expected",
            &exp,
            "--out",
            out,
        ]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
    }
    for f in [
        "reconciliation.csv",
        "reconciliation.xlsx",
        "reconciliation.json",
        "manifest.json",
    ] {
        let a = std::fs::read(w.path(&format!("one/{f}"))).unwrap();
        let b = std::fs::read(w.path(&format!("two/{f}"))).unwrap();
        assert!(a == b, "{f} differs between runs");
    }
    let csv = w.read("one/reconciliation.csv");
    assert!(!csv.contains(&p[0].id), "ID shown in full");
    assert!(csv.contains(&p[0].id[..6]));
    let manifest = w.read("one/manifest.json");
    assert!(manifest.contains("\"command\": \"reconcile\""));
    assert!(Path::new(&w.path("one/reconciliation.xlsx")).exists());
}

#[test]
fn a_users_bill_layout_is_read_without_a_rebuild() {
    let w = Work::new();
    let (header, recs) = golden();
    let regular = regular_lines(&recs);
    let exp = expected_dir(&w, "exp", &header, &regular);
    w.write(
        "acme.toml",
        "[[bill]]\nname = \"acme\"\nsource = \"test\"\ncolumns = [\n\
         { header = \"员工证件\", field = \"id_number\" },\n\
         { header = \"员工姓名\", field = \"name\" },\n\
         { header = \"养老基数\", field = \"base\" },\n\
         { header = \"养老公司\", field = \"amount\", insurance = \"pension\", part = \"employer\" },\n]\n",
    );
    let mut text = String::from("员工证件,员工姓名,养老基数,养老公司\n");
    for r in &regular {
        text.push_str(&format!(
            "{},{},{},{}\n",
            r.id,
            r.name,
            r.base,
            r.amount("pension", "employer")
        ));
    }
    text.push_str("合计,,,\n");
    w.write("acme-bill.csv", text);
    let o = w.run(&[
        "reconcile",
        "--bill",
        "acme-bill.csv",
        "--expected",
        &exp,
        "--layout",
        "acme.toml",
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    check_accounting(&w, "out");
    let j: serde_json::Value = serde_json::from_str(&w.read("out/reconciliation.json")).unwrap();
    assert_eq!(j["sheets"][1]["layout"], "acme");
    assert!(w.read("out/manifest.json").contains("acme.toml"));
    // Without the layout file the bill is not known.
    let o = w.run(&[
        "reconcile",
        "--bill",
        "acme-bill.csv",
        "--expected",
        &exp,
        "--out",
        "out2",
    ]);
    assert_eq!(code(&o), 2);
}

#[test]
fn what_a_person_reads() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let p = picks(&recs);
    let bill: Vec<Rec> = recs
        .iter()
        .filter(|r| r.id != p[0].id)
        .map(|r| {
            let mut r = r.clone();
            if r.id == p[1].id {
                r.raw[4] = "9000.00".into();
            }
            r
        })
        .collect();
    expected_dir(&w, "a", &header, &bill);
    let o = w.run(&[
        "reconcile",
        "--bill",
        "a/contributions.csv",
        "--expected",
        &exp,
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("screen_zh", stderr(&o));
    insta::assert_snapshot!("report_csv_zh", w.read("out/reconciliation.csv"));
    let o = w.run(&[
        "reconcile",
        "--bill",
        "a/contributions.csv",
        "--expected",
        &exp,
        "--out",
        "en",
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("screen_en", stderr(&o));
}

#[test]
fn long_format_one_row_per_person_insurance_and_month() {
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    let labels = [
        ("pension", "养老保险"),
        ("medical", "医疗保险"),
        ("unemployment", "失业保险"),
        ("injury", "工伤保险"),
    ];
    let p = picks(&recs);
    let mut text =
        String::from("姓名,身份证号码,险种类型,费款所属期,月缴费基数,单位应缴金额,个人应缴金额\n");
    for r in recs.iter().filter(|r| r.kind != "late_fee") {
        for (ins, label) in labels {
            let mut ee = r.amount(ins, "employee");
            if r.id == p[0].id && ins == "medical" {
                ee += Decimal::new(10, 2);
            }
            text.push_str(&format!(
                "{},{},{label},{},{},{},{}\n",
                r.name,
                r.id,
                r.month.replace('-', ""),
                r.base,
                r.amount(ins, "employer"),
                ee
            ));
        }
    }
    w.write("long.csv", text);
    let (c, diffs) = reconcile(&w, &["long.csv"], &exp, "out");
    assert_eq!(c, 1);
    assert_eq!(diffs, vec![diff("C004", &p[0].name, "medical", "employee")]);
}

/// The Shenzhen period from 2026-01, where medical's floor (6727) lies above pension's
/// (4775) and unemployment's floor (2520) below it. contributions.csv gives the pension
/// base; each other insurance's expected base follows from it by the limits.
#[test]
fn each_insurance_is_compared_with_its_own_base_where_the_limits_differ() {
    let w = Work::new();
    let (header, recs) = golden();
    let dec = |s: &str| s.parse::<Decimal>().unwrap();
    // Regular lines inside Shenzhen's pension limits, moved to 2026-01.
    let mut regular: Vec<Rec> = recs
        .iter()
        .filter(|r| r.kind == "regular" && r.base > dec("7000") && r.base < dec("27549"))
        .cloned()
        .collect();
    let base_col = header.iter().position(|h| h == "base").unwrap();
    let month_col = header.iter().position(|h| h == "month").unwrap();
    let p = picks(&regular);
    let (inside, floor, ceiling, rebase) = (&p[0].id, &p[1].id, &p[2].id, &p[3].id);
    for r in &mut regular {
        r.month = "2026-01".into();
        r.raw[month_col] = r.month.clone();
        let b = if &r.id == inside {
            "5000.00" // below medical's floor: medical's base is 6727
        } else if &r.id == floor {
            "4775.00" // at pension's floor: declared anything up to it
        } else if &r.id == ceiling {
            "27549.00" // at pension's ceiling
        } else {
            continue;
        };
        r.base = dec(b);
        r.raw[base_col] = b.to_string();
    }
    let exp = expected_dir(&w, "exp", &header, &regular);
    let mut m: serde_json::Value = serde_json::from_str(&w.read("exp/manifest.json")).unwrap();
    m["arguments"]["region"] = "shenzhen".into();
    m["arguments"]["period"] = "2026-01".into();
    w.write("exp/manifest.json", m.to_string());
    // The bureau's bases per insurance (养老, 医疗, 工伤, 失业: v[0], v[3], v[6], v[8]).
    let bill = |planted: bool| {
        move |x: &Rec, v: &mut Vec<f64>| {
            if &x.id == inside {
                v[3] = 6727.0;
            }
            if &x.id == floor {
                // Declared 3000: medical at its floor, unemployment and injury at 3000,
                // which the pension base cannot tell: not compared.
                (v[3], v[6], v[8]) = (6727.0, 3000.0, 3000.0);
            }
            if &x.id == ceiling {
                // Declared 40000: medical at its ceiling 33633 and unemployment at 40000
                // cannot be told (ceilings above pension's); injury's ceiling is pension's.
                (v[3], v[8]) = (33633.0, 40000.0);
            }
            if planted && &x.id == rebase {
                v[3] += 100.0;
            }
            true
        }
    };
    let same = shenzhen(&w, "same", &regular, &bill(false), None);
    let (c, diffs) = reconcile(&w, &[&same], &exp, "out-same");
    assert_eq!((c, diffs), (0, vec![]));
    // A medical base the limits do tell is still compared.
    let planted = shenzhen(&w, "planted", &regular, &bill(true), None);
    let (c, diffs) = reconcile(&w, &[&planted], &exp, "out-planted");
    let name = &p[3].name;
    assert_eq!(
        (c, diffs),
        (
            1,
            sorted(vec![
                diff("C003", name, "medical", "employer"),
                diff("C003", name, "medical", "employee"),
            ])
        )
    );
}

/// Jiao rounding for Beijing's 2025-07 period, as a `--policy` file of the expected run.
const JIAO: &str = r#"
[provenance.mine]
source = "our outsourcer rounds to the jiao (test)"
confidence = "confirmed"
verified_on = 2025-08-25

[[region]]
name = "beijing"

[[region.patch]]
from = "2025-07"
provenance = "mine"
rounding = "half-up-jiao"
"#;

#[test]
fn the_policy_file_the_run_used_is_the_tolerance() {
    use sha2::Digest;
    let w = Work::new();
    let (header, recs) = golden();
    let exp = expected_dir(&w, "exp", &header, &recs);
    w.write("policy.toml", JIAO);
    let sha = format!("{:x}", sha2::Sha256::digest(JIAO.as_bytes()));
    let mut m: serde_json::Value = serde_json::from_str(&w.read("exp/manifest.json")).unwrap();
    m["arguments"]["policy"] = "policy.toml".into();
    m["policy"]["file"] =
        serde_json::json!({ "path": "policy.toml", "sha256": sha, "bytes": JIAO.len() });
    w.write("exp/manifest.json", m.to_string());
    // Five fen more on one line: within a jiao, beyond a fen.
    let p = picks(&recs);
    let col = header.iter().position(|h| h == "pension_employer").unwrap();
    let mut text = header.join(",") + "\n";
    for r in &recs {
        let mut raw = r.raw.clone();
        if r.id == p[0].id && r.kind == "regular" {
            raw[col] = (r.amount("pension", "employer") + dec2("0.05")).to_string();
        }
        text.push_str(&raw.join(","));
        text.push('\n');
    }
    w.write("bill.csv", text);
    let (c, diffs) = reconcile(&w, &["bill.csv"], &exp, "out");
    assert_eq!((c, diffs), (0, vec![]));
    let rm: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    assert_eq!(rm["policy"]["file"]["sha256"], sha.as_str());
    // Without the file, a fen is a difference: the file changed since the run is refused,
    // and --policy names the one to use.
    w.write("policy.toml", "");
    let o = w.run(&["reconcile", "--bill", "bill.csv", "--expected", &exp]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("C013"), "{}", stderr(&o));
    w.write("fen.toml", "");
    w.write("jiao.toml", JIAO);
    let o = w.run(&[
        "reconcile",
        "--bill",
        "bill.csv",
        "--expected",
        &exp,
        "--policy",
        "jiao.toml",
        "--out",
        "out-jiao",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = w.run(&[
        "reconcile",
        "--bill",
        "bill.csv",
        "--expected",
        &exp,
        "--policy",
        "fen.toml",
        "--out",
        "out-fen",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
}

fn dec2(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `--roster … CHANGES` instead of `--expected`: the month's run computed on the spot
/// reconciles exactly as that run's folder does.
#[test]
fn expected_computed_on_the_spot_equals_the_runs_folder() {
    let w = Work::new();
    let s = |p: &str| repo().join("samples").join(p).display().to_string();
    let (xlsx, csv_, roster) = (
        s("2025-08_增减员.xlsx"),
        s("2025-08_分公司.csv"),
        s("roster.csv"),
    );
    let month = [
        "--roster",
        &roster,
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--employer",
        "91110000600037341L",
    ];
    let mut args = vec![
        "run",
        xlsx.as_str(),
        csv_.as_str(),
        "--out",
        "run",
        "--quiet",
    ];
    args.extend(month);
    let o = w.run(&args);
    assert!(code(&o) < 2, "{}", stderr(&o));
    // A bill with differences: the first person's lines dropped, one amount a yuan more.
    let text = common::read_text(w.path("run/contributions.csv"));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let first_id = lines[1].split(',').next().unwrap().to_string();
    lines.retain(|l| !l.starts_with(&format!("{first_id},")));
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    cells[5] = (cells[5].parse::<Decimal>().unwrap() + Decimal::ONE).to_string();
    lines[1] = cells.join(",");
    w.write("bill.csv", lines.join("\n") + "\n");

    let (c, from_folder) = reconcile(&w, &["bill.csv"], "run", "a");
    assert_eq!(c, 1);
    assert!(from_folder.iter().any(|d| d.0 == "C002") && from_folder.iter().any(|d| d.0 == "C004"));
    let mut args = vec![
        "reconcile",
        "--bill",
        "bill.csv",
        "--out",
        "b",
        "--lang",
        "en",
        "--no-mask",
    ];
    args.extend(month);
    args.extend([xlsx.as_str(), csv_.as_str()]);
    let o = w.run(&args);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    check_accounting(&w, "b");
    assert_eq!(
        w.read("a/reconciliation.csv"),
        w.read("b/reconciliation.csv")
    );
    let json = |dir: &str| -> serde_json::Value {
        let mut j: serde_json::Value =
            serde_json::from_str(&w.read(&format!("{dir}/reconciliation.json"))).unwrap();
        j.as_object_mut().unwrap().remove("sheets");
        j
    };
    assert_eq!(json("a"), json("b"));
    let m: serde_json::Value = serde_json::from_str(&w.read("b/manifest.json")).unwrap();
    assert_eq!(m["arguments"]["expected"], "(headcount run)");
    // The computed side never names a temporary folder.
    assert!(!w.read("b/reconciliation.json").contains("tmp"));
}
