//! Every embedded city, in its latest published month: an employee below every floor
//! (base 2,000), one between the limits (10,000) and one above every ceiling (60,000),
//! computed to the fen.
//!
//! The expected amounts were computed outside headcount from the figures typed from the
//! sources (the comment above each city names them: notice numbers per
//! ../shared/spec/policy-sources-2026.csv and docs/policy.md), with `round half up` to the
//! fen, or 见分进角 (up to the jiao) where Shanghai's figures say so. They are not read back
//! from the embedded tables: a changed figure in a table fails here.

use headcount::calendar::Month;
use headcount::contributions::compute;
use headcount::policy::PolicySet;
use rust_decimal::Decimal;
use std::str::FromStr;

/// (region, month, declared base, "insurance employer/employee; … | employer/employee totals")
const CASES: &[(&str, &str, &str, &str)] = &[
    // beijing 2026-08: 京人社发〔2026〕7号 7270/36348; 16/8, 9.8/2+3, 0.5/0.5, injury 0.2
    ("beijing", "2026-08", "2000", "pension 1163.20/581.60; medical 712.46/148.40; unemployment 36.35/36.35; injury 14.54/0.00 | 1926.55/766.35"),
    ("beijing", "2026-08", "10000", "pension 1600.00/800.00; medical 980.00/203.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2650.00/1053.00"),
    ("beijing", "2026-08", "60000", "pension 5815.68/2907.84; medical 3562.10/729.96; unemployment 181.74/181.74; injury 72.70/0.00 | 9632.22/3819.54"),
    // shanghai 2026-08: rsj.sh.gov.cn 2026-08-24 7546/37731; 16/8, medical 9/2 (沪医保规〔2026〕2号), 0.5/0.5 见分进角; injury class I 0.2 to the fen
    ("shanghai", "2026-08", "2000", "pension 1207.40/603.70; medical 679.20/151.00; unemployment 37.80/37.80; injury 15.09/0.00 | 1939.49/792.50"),
    ("shanghai", "2026-08", "10000", "pension 1600.00/800.00; medical 900.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2570.00/1050.00"),
    ("shanghai", "2026-08", "60000", "pension 6037.00/3018.50; medical 3395.80/754.70; unemployment 188.70/188.70; injury 75.46/0.00 | 9696.96/3961.90"),
    // shenzhen 2026-06: 粤人社发〔2025〕32号 4775/27549; hsa.sz.gov.cn medical 6727/33633 6%/2%, maternity 0.5%; unemployment 2520/44265 0.8/0.2; injury 0.2 from 2520
    ("shenzhen", "2026-06", "2000", "pension 764.00/382.00; medical 403.62/134.54; unemployment 20.16/5.04; injury 5.04/0.00; maternity 33.64/0.00 | 1226.46/521.58"),
    ("shenzhen", "2026-06", "10000", "pension 1600.00/800.00; medical 600.00/200.00; unemployment 80.00/20.00; injury 20.00/0.00; maternity 50.00/0.00 | 2350.00/1020.00"),
    ("shenzhen", "2026-06", "60000", "pension 4407.84/2203.92; medical 2017.98/672.66; unemployment 354.12/88.53; injury 55.10/0.00; maternity 168.17/0.00 | 7003.21/2965.11"),
    // guangzhou 2026-06: 粤人社发〔2025〕32号 5510/27549; gz.gov.cn medical 6/2 + maternity 0.85 (medical base 5284/26421, low); unemployment 0.8/0.2
    ("guangzhou", "2026-06", "2000", "pension 881.60/440.80; medical 317.04/105.68; unemployment 44.08/11.02; injury 11.02/0.00; maternity 44.91/0.00 | 1298.65/557.50"),
    ("guangzhou", "2026-06", "10000", "pension 1600.00/800.00; medical 600.00/200.00; unemployment 80.00/20.00; injury 20.00/0.00; maternity 85.00/0.00 | 2385.00/1020.00"),
    ("guangzhou", "2026-06", "60000", "pension 4407.84/2203.92; medical 1585.26/528.42; unemployment 220.39/55.10; injury 55.10/0.00; maternity 224.58/0.00 | 6493.17/2787.44"),
    // hangzhou 2025-12: third-party 4986/25299 (low); 16/8, 9.5/2, 0.5/0.5
    ("hangzhou", "2025-12", "2000", "pension 797.76/398.88; medical 473.67/99.72; unemployment 24.93/24.93; injury 9.97/0.00 | 1306.33/523.53"),
    ("hangzhou", "2025-12", "10000", "pension 1600.00/800.00; medical 950.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2620.00/1050.00"),
    ("hangzhou", "2025-12", "60000", "pension 4047.84/2023.92; medical 2403.41/505.98; unemployment 126.50/126.50; injury 50.60/0.00 | 6628.35/2656.40"),
    // tianjin 2025-06: jiabin-xu provice.ts 天津 5013/25065; rates 16/8, 9/2, 0.5/0.5
    ("tianjin", "2025-06", "2000", "pension 802.08/401.04; medical 451.17/100.26; unemployment 25.07/25.07; injury 10.03/0.00 | 1288.35/526.37"),
    ("tianjin", "2025-06", "10000", "pension 1600.00/800.00; medical 900.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2570.00/1050.00"),
    ("tianjin", "2025-06", "60000", "pension 4010.40/2005.20; medical 2255.85/501.30; unemployment 125.33/125.33; injury 50.13/0.00 | 6441.71/2631.83"),
    // chongqing 2025-06: 重庆 4500/22500; 16/8, 8/2, 0.5/0.5
    ("chongqing", "2025-06", "2000", "pension 720.00/360.00; medical 360.00/90.00; unemployment 22.50/22.50; injury 9.00/0.00 | 1111.50/472.50"),
    ("chongqing", "2025-06", "10000", "pension 1600.00/800.00; medical 800.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2470.00/1050.00"),
    ("chongqing", "2025-06", "60000", "pension 3600.00/1800.00; medical 1800.00/450.00; unemployment 112.50/112.50; injury 45.00/0.00 | 5557.50/2362.50"),
    // chengdu 2025-06: 四川 4511/22555; 16/8, 8.7/2, 0.6/0.4
    ("chengdu", "2025-06", "2000", "pension 721.76/360.88; medical 392.46/90.22; unemployment 27.07/18.04; injury 9.02/0.00 | 1150.31/469.14"),
    ("chengdu", "2025-06", "10000", "pension 1600.00/800.00; medical 870.00/200.00; unemployment 60.00/40.00; injury 20.00/0.00 | 2550.00/1040.00"),
    ("chengdu", "2025-06", "60000", "pension 3608.80/1804.40; medical 1962.29/451.10; unemployment 135.33/90.22; injury 45.11/0.00 | 5751.53/2345.72"),
    // wuhan 2025-06: 湖北 4007/22467; 16/8, 8/2+7, 0.7/0.3, maternity 0.7
    ("wuhan", "2025-06", "2000", "pension 641.12/320.56; medical 320.56/87.14; unemployment 28.05/12.02; injury 8.01/0.00; maternity 28.05/0.00 | 1025.79/419.72"),
    ("wuhan", "2025-06", "10000", "pension 1600.00/800.00; medical 800.00/207.00; unemployment 70.00/30.00; injury 20.00/0.00; maternity 70.00/0.00 | 2560.00/1037.00"),
    ("wuhan", "2025-06", "60000", "pension 3594.72/1797.36; medical 1797.36/456.34; unemployment 157.27/67.40; injury 44.93/0.00; maternity 157.27/0.00 | 5751.55/2321.10"),
    // nanjing 2024-12: 江苏 4879/24396; 16/8, 7.8/2, 0.5/0.5
    ("nanjing", "2024-12", "2000", "pension 780.64/390.32; medical 380.56/97.58; unemployment 24.40/24.40; injury 9.76/0.00 | 1195.36/512.30"),
    ("nanjing", "2024-12", "10000", "pension 1600.00/800.00; medical 780.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2450.00/1050.00"),
    ("nanjing", "2024-12", "60000", "pension 3903.36/1951.68; medical 1902.89/487.92; unemployment 121.98/121.98; injury 48.79/0.00 | 5977.02/2561.58"),
    // hefei 2024-12: 安徽 4227/21133; 16/8, 6.4/2, 0.5/0.5
    ("hefei", "2024-12", "2000", "pension 676.32/338.16; medical 270.53/84.54; unemployment 21.14/21.14; injury 8.45/0.00 | 976.44/443.84"),
    ("hefei", "2024-12", "10000", "pension 1600.00/800.00; medical 640.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2310.00/1050.00"),
    ("hefei", "2024-12", "60000", "pension 3381.28/1690.64; medical 1352.51/422.66; unemployment 105.67/105.67; injury 42.27/0.00 | 4881.73/2218.97"),
    // xian 2025-06: 陕西 4559/22795; 16/8, 8/2, 0.5/0.5
    ("xian", "2025-06", "2000", "pension 729.44/364.72; medical 364.72/91.18; unemployment 22.80/22.80; injury 9.12/0.00 | 1126.08/478.70"),
    ("xian", "2025-06", "10000", "pension 1600.00/800.00; medical 800.00/200.00; unemployment 50.00/50.00; injury 20.00/0.00 | 2470.00/1050.00"),
    ("xian", "2025-06", "60000", "pension 3647.20/1823.60; medical 1823.60/455.90; unemployment 113.98/113.98; injury 45.59/0.00 | 5630.37/2393.48"),
];

fn render(region: &str, month: &str, base: &str) -> String {
    let set = PolicySet::embedded().unwrap();
    let r = set.region(region).unwrap();
    let m: Month = month.parse().unwrap();
    let p = r.period(m).unwrap();
    assert!(
        r.carried(m).is_none(),
        "{region} {month} must be a published month"
    );
    let a = compute(p, Decimal::from_str(base).unwrap(), None);
    let items: Vec<String> = a
        .items
        .iter()
        .map(|i| format!("{} {}/{}", i.insurance, i.employer, i.employee))
        .collect();
    format!(
        "{} | {}/{}",
        items.join("; "),
        a.employer_total,
        a.employee_total
    )
}

#[test]
fn floor_mid_and_ceiling_employees_of_every_city_to_the_fen() {
    let mut failures = Vec::new();
    for (region, month, base, expected) in CASES {
        let got = render(region, month, base);
        if got != *expected {
            failures.push(format!(
                "{region} {month} base {base}:\n  expected {expected}\n  got      {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_embedded_city_is_covered() {
    let set = PolicySet::embedded().unwrap();
    for r in set.regions() {
        let n = CASES.iter().filter(|c| c.0 == r.name()).count();
        assert_eq!(n, 3, "{}: floor, mid and ceiling cases", r.name());
    }
}

#[test]
fn the_latest_published_month_is_the_last_period() {
    // Each case's month lies in the city's last period, so no newer figures exist.
    let set = PolicySet::embedded().unwrap();
    for (region, month, _, _) in CASES {
        let r = set.region(region).unwrap();
        let m: Month = month.parse().unwrap();
        let last = r.periods().last().unwrap();
        assert!(
            last.contains(m),
            "{region}: {month} is not in the last period"
        );
    }
}
