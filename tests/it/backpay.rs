//! A back-pay addition that crosses Beijing's July 2025 base adjustment: each month uses the
//! policy period that covers it. Amounts computed by hand below.

use crate::common;

use common::{code, resident_id, stderr, Work};

#[test]
fn backpay_crosses_the_july_adjustment() {
    let w = Work::new();
    let id = resident_id("11010519900307003");
    w.write(
        "in.csv",
        format!("姓名,证件号码,变动类型,入职日期,参保年月,缴费基数\n张三,{id},增员,2025-06-02,202506,7000\n"),
    );
    let o = w.run(&[
        "run",
        "in.csv",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines: Vec<String> = w
        .read("headcount-out/contributions.csv")
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    // 2025-06 (period 2024-07, floor 6821): base 7000 is used as declared.
    //   pension 7000×16% = 1120.00 / ×8% = 560.00; medical ×9.8% = 686.00 / ×2% + 3 = 143.00;
    //   unemployment ×0.5% = 35.00 / 35.00; injury ×0.2% = 14.00 / 0.
    //   employer 1120 + 686 + 35 + 14 = 1855.00; employee 560 + 143 + 35 = 738.00
    // 2025-07 and 2025-08 (period 2025-07, floor 7162): 7000 is clamped up to 7162.
    //   pension 7162×16% = 1145.92 / 572.96; medical 701.876 → 701.88 / 143.24 + 3 = 146.24;
    //   unemployment 35.81 / 35.81; injury 14.324 → 14.32.
    //   employer 1145.92 + 701.88 + 35.81 + 14.32 = 1897.93; employee 572.96 + 146.24 + 35.81 = 755.01
    // Late fees (0.05% a day from the 1st of the next month to the day before 2025-08-20):
    //   2025-06: 31 + 19 = 50 days, (1855.00 + 738.00) × 0.0005 × 50 = 64.825 → 64.83
    //   2025-07: 19 days, (1897.93 + 755.01) × 0.0005 × 19 = 25.20293 → 25.20
    let expect = [
        format!("{id},张三,2025-06,backpay,7000.00,1120.00,560.00,686.00,143.00,35.00,35.00,14.00,0.00,1855.00,738.00,declared,"),
        format!("{id},张三,2025-06,late_fee,7000.00,,,,,,,,,64.83,0.00,declared,50"),
        format!("{id},张三,2025-07,backpay,7162.00,1145.92,572.96,701.88,146.24,35.81,35.81,14.32,0.00,1897.93,755.01,declared,"),
        format!("{id},张三,2025-07,late_fee,7162.00,,,,,,,,,25.20,0.00,declared,19"),
        format!("{id},张三,2025-08,regular,7162.00,1145.92,572.96,701.88,146.24,35.81,35.81,14.32,0.00,1897.93,755.01,declared,"),
    ];
    assert_eq!(lines, expect);
    let summary = w.read("headcount-out/summary.json");
    let s: serde_json::Value = serde_json::from_str(&summary).unwrap();
    // 1855.00 + 2 × 1897.93 and 738.00 + 2 × 755.01
    assert_eq!(s["contributions"]["employer_total"], "5650.86");
    assert_eq!(s["contributions"]["employee_total"], "2248.02");
    // Late fees apart: 64.83 + 25.20
    assert_eq!(s["contributions"]["late_fees"]["employer_total"], "90.03");
    assert_eq!(s["contributions"]["late_fees"]["lines"], 2);
}
