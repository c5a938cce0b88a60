//! Real code lists and self-describing ID numbers, end to end: the binary reads reasons in
//! every encoding real exports use, keeps a reason without a rule consequence as written,
//! names the closest reasons for one it cannot read, and takes a permit's or a foreign
//! permanent resident's number as that document when no type is given.

use crate::common;

use common::{code, resident_id, stderr, Work};

/// ICAO 9303 7-3-1 check digit (the old 15-character foreign permanent resident card).
fn icao(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(c, w)| {
            let v = if c.is_ascii_digit() {
                u32::from(c - b'0')
            } else {
                u32::from(c - b'A') + 10
            };
            v * w
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

/// Runs `run` for Shenzhen in August 2025 and returns (exit code, submission, errors).
fn run(w: &Work, inputs: &[&str]) -> (i32, String, String) {
    let mut args = vec!["run"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&[
        "--region",
        "shenzhen",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--out",
        "out",
        "--quiet",
    ]);
    let o = w.run(&args);
    assert!(
        code(&o) == 0 || code(&o) == 1,
        "exit {}: {}",
        code(&o),
        stderr(&o)
    );
    (
        code(&o),
        w.read("out/submission.csv"),
        w.read("out/errors.csv"),
    )
}

fn column<'a>(csv: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let i = header.iter().position(|h| *h == name).expect(name);
    lines.map(|l| l.split(',').nth(i).unwrap_or("")).collect()
}

#[test]
fn numbers_that_describe_themselves_need_no_document_type() {
    let w = Work::new();
    let permit = resident_id("81000019900307002");
    let foreign18 = resident_id("91139819900307001");
    let body15 = "KAZ11009003071";
    let foreign15 = format!("{body15}{}", icao(body15));
    let resident = resident_id("11010519900307003");
    let rows = [
        ("何港生", permit.as_str()),
        ("Anna Ivanova", foreign18.as_str()),
        ("Boris Petrov", foreign15.as_str()),
        ("区澳生", "H12345678"),
        ("张三", resident.as_str()),
    ];
    let mut text = String::from("姓名,证件号码,变动类型,入职日期,参保年月,缴费基数\n");
    for (name, id) in rows {
        text.push_str(&format!("{name},{id},增员,2025-08-04,202508,12000\n"));
    }
    w.write("add.csv", text);
    let (exit, submission, errors) = run(&w, &["add.csv"]);
    assert_eq!(exit, 0, "{errors}");
    assert_eq!(
        column(&submission, "证件类型"),
        [
            "港澳台居民居住证",
            "外国人永久居留证",
            "外国人永久居留证",
            "香港特区护照/港澳居民来往内地通行证",
            "居民身份证（户口簿）",
        ]
    );

    // A declared type that the number contradicts is still V006, and a broken permit is
    // reported against the permit's own rules (V003), not as a resident ID.
    let broken = format!(
        "{}{}",
        &permit[..17],
        if permit.ends_with('0') { '1' } else { '0' }
    );
    w.write(
        "typed.csv",
        format!(
            "姓名,证件类型,证件号码,变动类型,入职日期,参保年月,缴费基数\n\
             何港生,居民身份证,{permit},增员,2025-08-04,202508,12000\n\
             何港生,,{broken},增员,2025-08-04,202508,12000\n"
        ),
    );
    let (exit, _, errors) = run(&w, &["typed.csv"]);
    assert_eq!(exit, 1);
    let codes: Vec<&str> = column(&errors, "code")
        .into_iter()
        .filter(|c| c.starts_with('V'))
        .collect();
    assert_eq!(codes, ["V006", "V003"], "{errors}");
}

#[test]
fn reasons_in_every_encoding_are_read_and_the_unknown_one_gets_suggestions() {
    let w = Work::new();
    let ids: Vec<String> = (0..8)
        .map(|i| resident_id(&format!("4403051990030700{i}")))
        .collect();
    let reasons = [
        ("减员", "S317"),
        ("减员", "6301 在职人员解除/终止劳动合同"),
        ("减员", "28|辞职"),
        ("减员", "被用人单位解除劳动合同"),
        ("停保", "公司倒闭"),
        ("减员", "停薪留职"),
        ("减员", "合同到期了吧"),
        ("11|减员", "辞职"),
    ];
    let mut text = String::from("姓名,证件号码,变动类型,离职日期,减员原因\n");
    for (i, (kind, reason)) in reasons.iter().enumerate() {
        let name = [
            "张甲", "张乙", "张丙", "张丁", "张戊", "张己", "张庚", "张辛",
        ][i];
        text.push_str(&format!("{name},{},{kind},2025-08-10,{reason}\n", ids[i]));
    }
    w.write("red.csv", text);
    let (exit, submission, errors) = run(&w, &["red.csv"]);
    assert_eq!(exit, 1);
    assert_eq!(
        column(&submission, "减员原因"),
        [
            "辞职",
            // A real reason without a rule consequence is kept as written.
            "6301 在职人员解除/终止劳动合同",
            "辞职",
            "解除劳动合同",
            "单位注销",
            "停薪留职",
        ]
    );
    let findings: Vec<(&str, &str)> = errors
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            Some((*cells.get(2)?, *cells.get(6)?))
        })
        .filter(|(_, c)| c.starts_with('V'))
        .collect();
    assert_eq!(findings, [("8", "V013"), ("9", "V012")], "{errors}");
    let v013 = errors.lines().find(|l| l.contains("V013")).unwrap_or("");
    assert!(
        v013.contains("「合同到期了吧」无法识别；最接近的已知原因：合同到期"),
        "{v013}"
    );
}

#[test]
fn a_shenzhen_code_outside_shenzhen_is_not_guessed() {
    let w = Work::new();
    let id = resident_id("11010519900307003");
    w.write(
        "red.csv",
        format!("姓名,证件号码,变动类型,离职日期,减员原因\n张三,{id},减员,2025-08-10,S317\n"),
    );
    let o = w.run(&[
        "check",
        "red.csv",
        "--region",
        "beijing",
        "--as-of",
        "2025-08-20",
        "--format",
        "json",
        "--lang",
        "en",
        "--quiet",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().find(|l| l.contains("V013")).unwrap_or("");
    assert!(
        line.contains("closest known reasons: S317 本人意愿中断就业（深圳）"),
        "{out}"
    );
}

#[test]
fn a_layout_file_adds_codes() {
    let w = Work::new();
    let id = resident_id("44030519900307003");
    w.write(
        "red.csv",
        format!("姓名,证件号码,变动类型,离职日期,减员原因\n张三,{id},减员,2025-08-10,Z9\n"),
    );
    // Without the layout file the code is unknown.
    let (exit, _, errors) = run(&w, &["red.csv"]);
    assert_eq!(exit, 1);
    assert!(errors.contains("V013"), "{errors}");

    w.write(
        "acme.toml",
        "[codes.dicts.acme]\nregions = [\"4403\"]\n\n\
         [[codes.reason]]\ncode = \"Z9\"\nlabels = [\"回老家\"]\nmeans = \"OTHER\"\ndict = \"acme\"\n",
    );
    let (exit, submission, errors) = run(&w, &["red.csv", "--layout", "acme.toml"]);
    assert_eq!(exit, 0, "{errors}");
    assert_eq!(column(&submission, "减员原因"), ["Z9"]);

    // A mistake in the file names the file, the key and the line, and stops the run.
    w.write(
        "bad.toml",
        "[[codes.reason]]\ncode = \"Z9\"\nmeans = \"FIRED\"\n",
    );
    let o = w.run(&[
        "check", "red.csv", "--layout", "bad.toml", "--region", "shenzhen", "--quiet",
    ]);
    assert_eq!(code(&o), 2);
    let e = stderr(&o);
    assert!(
        e.contains("代码表 bad.toml 第 3 行 `codes.reason[1].means`：「FIRED」不是可用的取值"),
        "{e}"
    );
}
