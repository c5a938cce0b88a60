//! Every V and H rule, triggered by a row or file built for it; and a clean row that
//! triggers nothing. Runs the real binary with `check --format json`.

use crate::common;

use common::{code, resident_id, stderr, Work};

const HEADER: &str = "姓名,证件类型,证件号码,变动类型,性别,出生日期,入职日期,参保年月,缴费基数,离职日期,减员原因,人员类别,手机号码,统一社会信用代码";

/// A clean addition: man born 1990-03-07, hired 2025-08-04.
fn clean_addition() -> Vec<String> {
    let id = resident_id("11010519900307003");
    [
        "张三",
        "居民身份证",
        &id,
        "增员",
        "男",
        "1990-03-07",
        "2025-08-04",
        "202508",
        "12000",
        "",
        "",
        "",
        "13812345678",
        "91110000600037341L",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn column(name: &str) -> usize {
    HEADER.split(',').position(|h| h == name).expect(name)
}

/// Row-level codes found when checking a file of the header plus `rows` (run-level policy
/// findings are about the embedded tables, not the row).
fn codes_for(rows: &[Vec<String>]) -> Vec<String> {
    let w = Work::new();
    let mut text = String::from(HEADER);
    text.push('\n');
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains(',') || c.contains('"') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    w.write("in.csv", text);
    let o = w.run(&[
        "check",
        "in.csv",
        "--format",
        "json",
        "--as-of",
        "2025-08-20",
        "--region",
        "beijing",
        "--quiet",
    ]);
    assert!(
        code(&o) == 0 || code(&o) == 1,
        "exit {}: {}",
        code(&o),
        stderr(&o)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
        .filter(|v| v["row"].is_u64())
        .map(|v| v["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn with(changes: &[(&str, &str)]) -> Vec<String> {
    let mut row = clean_addition();
    for (col, value) in changes {
        row[column(col)] = value.to_string();
    }
    row
}

#[test]
fn a_clean_row_triggers_nothing() {
    assert_eq!(codes_for(&[clean_addition()]), Vec::<String>::new());
}

#[test]
fn each_value_rule_triggers_on_its_row() {
    let woman = resident_id("11010519920815002");
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("V001", with(&[("姓名", "")])),
        ("V002", with(&[("证件号码", "1101051990030700")])),
        ("V003", with(&[("证件号码", "110105199003070030")])),
        (
            "V004",
            with(&[
                ("证件号码", &resident_id("11010519900231003")),
                ("出生日期", ""),
            ]),
        ),
        ("V005", with(&[("证件号码", "1.10105E+17")])),
        (
            "V006",
            with(&[
                ("证件号码", &resident_id("81000019900307003")),
                ("出生日期", ""),
            ]),
        ),
        ("V007", with(&[("证件号码", "110105900307003")])),
        ("V008", with(&[("性别", "女")])),
        ("V009", with(&[("出生日期", "1990-03-08")])),
        ("V010", with(&[("入职日期", "2025-13-01")])),
        ("V011", with(&[("缴费基数", "面议")])),
        ("V012", with(&[("变动类型", "调整")])),
        (
            "V013",
            with(&[
                ("变动类型", "减员"),
                ("离职日期", "2025-07-31"),
                ("减员原因", "不想干了"),
            ]),
        ),
        ("V014", with(&[("姓名", "Zhang San")])),
        ("V015", with(&[("手机号码", "1381234567")])),
        ("V016", with(&[("统一社会信用代码", "911100006000373410")])),
        ("V017", with(&[("证件类型", "驾驶证")])),
        (
            "V018",
            with(&[
                ("姓名", "李四"),
                ("证件号码", &woman),
                ("性别", "女"),
                ("出生日期", "1992-08-15"),
            ]),
        ),
        ("V019", with(&[("姓名", " 张三 ")])),
    ];
    for (expected, row) in cases {
        let codes = codes_for(&[row]);
        assert!(
            codes.iter().any(|c| c == expected),
            "{expected} not raised; got {codes:?}"
        );
    }
}

#[test]
fn cross_row_rules_name_the_earlier_row() {
    let mut renamed = clean_addition();
    renamed[0] = "张叁".into();
    let codes = codes_for(&[clean_addition(), clean_addition(), renamed]);
    assert!(codes.contains(&"X001".to_string()), "{codes:?}");
    assert!(codes.contains(&"X003".to_string()), "{codes:?}");
    let reduction = with(&[
        ("变动类型", "减员"),
        ("离职日期", "2025-08-10"),
        ("减员原因", "辞职"),
    ]);
    let codes = codes_for(&[clean_addition(), reduction]);
    assert!(codes.contains(&"X002".to_string()), "{codes:?}");
    let other_employer = with(&[("统一社会信用代码", "91310115MA1K3BTP2B")]);
    let codes = codes_for(&[clean_addition(), other_employer]);
    assert!(codes.contains(&"X004".to_string()), "{codes:?}");
}

#[test]
fn unrecognised_column_is_h005_and_instructions_sheet_h004() {
    let w = Work::new();
    let id = resident_id("11010519900307003");
    w.write(
        "in.csv",
        // 备注 is a known, unused column now (docs/layouts.md): a made-up one is unknown.
        format!("{HEADER},自定义标签\n张三,,{id},增员,男,,2025-08-04,,12000,,,,,,\n"),
    );
    let o = w.run(&[
        "check",
        "in.csv",
        "--format",
        "json",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("\"H005\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn fatal_header_problems_exit_2_with_a_clear_message() {
    let w = Work::new();
    w.write("noheader.csv", "a,b,c\n1,2,3\n");
    w.write("missing.csv", "姓名,身份证号,缴费基数\n张三,1,2\n");
    w.write("ambiguous.csv", "姓名,身份证号,证件号码,变动类型\n");
    w.write("data.json", "{}");
    let cases = [
        ("noheader.csv", "H001", "证件号码"),
        ("missing.csv", "H002", "变动类型"),
        ("ambiguous.csv", "H003", "身份证号"),
        ("absent.csv", "H006", "absent.csv"),
        ("data.json", "H006", "a JSON file"),
    ];
    for (file, rule, mentions) in cases {
        let o = w.run(&["check", file, "--quiet", "--lang", "en"]);
        assert_eq!(code(&o), 2, "{file}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(rule) && err.contains(mentions),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn corrupt_and_protected_workbooks_exit_2() {
    let w = Work::new();
    w.write("corrupt.xlsx", b"PK\x03\x04 this is not really a zip");
    // An encrypted workbook is an OLE container under an .xlsx name.
    w.write(
        "protected.xlsx",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an encrypted package",
    );
    for (file, mentions) in [
        ("corrupt.xlsx", "corrupt.xlsx"),
        ("protected.xlsx", "password"),
    ] {
        let o = w.run(&["check", file, "--quiet", "--lang", "en"]);
        assert_eq!(code(&o), 2, "{file}");
        assert!(stderr(&o).contains(mentions), "{file}: {}", stderr(&o));
        assert!(stderr(&o).contains("H006"));
    }
}

#[test]
fn csv_in_an_unexpected_encoding_exits_2() {
    let w = Work::new();
    let gbk = encoding_rs::GB18030
        .encode(&format!("{HEADER}\n张三\n"))
        .0
        .into_owned();
    w.write("gbk.csv", gbk);
    let o = w.run(&[
        "check",
        "gbk.csv",
        "--encoding",
        "utf-8",
        "--quiet",
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("gb18030"), "{}", stderr(&o));
}
