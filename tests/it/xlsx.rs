//! The workbooks: errors.xlsx and submission.xlsx read back with calamine and checked
//! against the CSV outputs of the same run (one source of truth, two renderings); the
//! GB18030 CSV option; and an error workbook with 100,000 findings.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use common::{code, repo, resident_id, stderr, Work};

/// The README's main command on the samples, with `extra` options.
fn run_samples(out: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(common::SAMPLE_RUN)
        .args(["--employer", "91110000600037341L", "--quiet"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"));
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| text(h) == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn csv_records(text: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("csv record"))
        .collect()
}

#[test]
fn error_workbook_marks_the_sample_rows() {
    let out = tempfile::tempdir().unwrap();
    let o = run_samples(out.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let path = out.path().join("errors.xlsx");
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "汇总",
            "2025-08_增减员-增员",
            "2025-08_增减员-减员",
            "2025-08_分公司"
        ]
    );

    // 「汇总」: the same counts by rule code as summary.json, each rule explained.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    let by_code = summary["findings"]["by_code"].as_object().unwrap();
    let sheet = rows(&mut book, "汇总");
    assert_eq!(
        sheet[0].iter().take(4).map(text).collect::<Vec<_>>(),
        ["代码", "严重程度", "数量", "规则"]
    );
    let listed: BTreeMap<String, (String, f64, String)> = sheet[1..]
        .iter()
        .take_while(|r| {
            let c = text(&r[0]);
            c.len() == 4 && c.is_ascii()
        })
        .map(|r| {
            let count = r[2].as_f64().unwrap_or(-1.0);
            (text(&r[0]), (text(&r[1]), count, text(&r[3])))
        })
        .collect();
    assert_eq!(listed.len(), by_code.len());
    for (code, c) in by_code {
        let (severity, count, title) = &listed[code];
        assert_eq!(*count, c["count"].as_f64().unwrap(), "{code}");
        let rule = headcount::rules::catalogue::find(code).unwrap();
        assert_eq!(title, rule.title_zh, "{code}");
        let label = if rule.severity.id() == "error" {
            "错误"
        } else {
            "警告"
        };
        assert_eq!(severity, label, "{code}");
    }
    // File-level findings have no row to sit on: they are listed in 「汇总」.
    let h004 = sheet
        .iter()
        .any(|r| r.iter().any(|c| text(c) == "H004") && r.iter().any(|c| text(c) == "填表说明"));
    assert!(h004, "H004 for 填表说明 listed in 汇总");

    // A data sheet: the original header, then severity and messages.
    let source = rows(
        &mut open(&repo().join("samples/2025-08_增减员.xlsx")),
        "增员",
    );
    let original_header: Vec<String> = source[2].iter().map(text).collect();
    let sheet = rows(&mut book, "2025-08_增减员-增员");
    let header: Vec<String> = sheet[0].iter().map(text).collect();
    assert_eq!(header[..original_header.len()], original_header[..]);
    assert_eq!(header[original_header.len()..], ["严重程度", "问题说明"]);

    // 余军's row (source row 8): V008 on 性别, the cell filled red.
    let name = col(&sheet[0], "姓名*");
    let sex = col(&sheet[0], "性别");
    let severity = col(&sheet[0], "严重程度");
    let messages = col(&sheet[0], "问题说明");
    let r = sheet
        .iter()
        .position(|r| text(&r[name]) == "余军")
        .expect("余军 has a finding");
    assert_eq!(text(&sheet[r][severity]), "错误");
    let m = text(&sheet[r][messages]);
    assert!(m.starts_with("第 8 行 V008「性别」："), "{m}");
    assert_eq!(text(&sheet[r][sex]), "女", "the value as it was read");
    let styles = book.worksheet_style("2025-08_增减员-增员").unwrap();
    let fill = |row: usize, col: usize| {
        styles
            .get((row as u32, col as u32))
            .and_then(|s| s.fill.as_ref())
            .and_then(|f| f.foreground_color)
            .map(|c| (c.red, c.green, c.blue))
    };
    assert_eq!(fill(r, sex), Some((0xFF, 0xC7, 0xCE)), "error fill on 性别");
    assert_eq!(fill(r, name), None, "no fill on a cell without findings");
    // A warning (V015 on 手机号码, 吴晨阳) gets the other fill.
    let phone = col(&sheet[0], "手机号码");
    let w = sheet
        .iter()
        .position(|r| text(&r[name]) == "吴晨阳")
        .unwrap();
    assert_eq!(text(&sheet[w][severity]), "警告");
    assert_eq!(fill(w, phone), Some((0xFF, 0xEB, 0x9C)), "warning fill");

    // Values keep their type: dates are dates, bases numbers, IDs masked text.
    let birth = col(&sheet[0], "出生日期");
    let base = col(&sheet[0], "缴费基数*");
    // Birth dates show the year only while IDs are masked: a full date beside a masked ID
    // would give back its hidden digits (docs/security.md).
    assert!(
        matches!(&sheet[r][birth], Data::String(s) if s.starts_with("19") && s.ends_with("-**-**")),
        "{:?}",
        sheet[r][birth]
    );
    assert!(matches!(sheet[r][base], Data::Float(_) | Data::Int(_)));
    let id = col(&sheet[0], "证件号码*");
    for row in &sheet[1..] {
        match &row[id] {
            Data::String(s) => assert!(s.contains('*'), "masked: {s}"),
            other => panic!("ID not a text cell: {other:?}"),
        }
    }
    // The V005 row: an ID stored as a number in the source is text here.
    assert!(sheet[1..]
        .iter()
        .any(|r| text(&r[id]) == "110105**********00"));

    // Every row with a row finding in errors.csv is in the workbook, once.
    let errors = common::read_text(out.path().join("errors.csv"));
    let mut want: BTreeMap<(String, String), std::collections::BTreeSet<String>> = BTreeMap::new();
    for rec in csv_records(&errors) {
        if !rec[6].starts_with('H') {
            want.entry((rec[0].to_string(), rec[1].to_string()))
                .or_default()
                .insert(rec[2].to_string());
        }
    }
    let sheets = [
        ("samples/2025-08_增减员.xlsx", "增员", "2025-08_增减员-增员"),
        ("samples/2025-08_增减员.xlsx", "减员", "2025-08_增减员-减员"),
        ("samples/2025-08_分公司.csv", "", "2025-08_分公司"),
    ];
    for (file, source_sheet, sheet) in sheets {
        let got = rows(&mut book, sheet).len() - 1;
        let expected = want[&(file.to_string(), source_sheet.to_string())].len();
        assert_eq!(got, expected, "{sheet}");
    }
}

#[test]
fn no_mask_shows_ids_in_full_as_text() {
    let w = Work::new();
    let good = resident_id("11010519900307003");
    let bad = format!("{}0", &good[..17]);
    let bad = if bad == good {
        format!("{}1", &good[..17])
    } else {
        bad
    };
    w.write(
        "in.csv",
        format!(
            "姓名,证件号码,变动类型,入职日期,缴费基数\n张三,{bad},增员,2025-08-04,12000\n=HYPERLINK(\"x\"),{good},增员,2025-08-04,-5\n"
        ),
    );
    let o = w.run(&[
        "check",
        "in.csv",
        "--as-of",
        "2025-08-20",
        "--xlsx",
        "--no-mask",
        "--quiet",
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let mut book = open(&w.path("out/errors.xlsx"));
    assert_eq!(book.sheet_names(), ["汇总", "in"]);
    let sheet = rows(&mut book, "in");
    assert_eq!(sheet.len(), 3, "{sheet:?}");
    assert_eq!(sheet[1][1], Data::String(bad.clone()), "full ID, as text");
    // Formula-like text is neutralised; a number typed as text is not.
    assert_eq!(text(&sheet[2][0]), "'=HYPERLINK(\"x\")");
    assert_eq!(sheet[2][4], Data::String("-5".into()));
    // check writes no submission workbook, and no errors.xlsx without --xlsx.
    assert!(!w.path("out/submission.xlsx").exists());
    let o = w.run(&["check", "in.csv", "--quiet", "--out", "plain"]);
    assert_eq!(code(&o), 1);
    assert!(w.path("plain/errors.csv").exists());
    assert!(!w.path("plain/errors.xlsx").exists());
}

#[test]
fn english_workbook_uses_english_labels() {
    let w = Work::new();
    w.write(
        "in.csv",
        "姓名,证件号码,变动类型,入职日期,缴费基数\n张三,123,增员,2025-08-04,12000\n",
    );
    let o = w.run(&[
        "check",
        "in.csv",
        "--xlsx",
        "--lang",
        "en",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let mut book = open(&w.path("out/errors.xlsx"));
    assert_eq!(book.sheet_names(), ["Summary", "in"]);
    let sheet = rows(&mut book, "in");
    assert_eq!(text(&sheet[0][5]), "severity");
    assert_eq!(text(&sheet[0][6]), "messages");
    assert_eq!(text(&sheet[1][5]), "error");
    assert!(text(&sheet[1][6]).starts_with("row 2 V002 [证件号码]: "));
}

#[test]
fn submission_workbook_has_the_rows_of_submission_csv() {
    let out = tempfile::tempdir().unwrap();
    let o = run_samples(out.path(), &["--xlsx"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let csv_text = common::read_text(out.path().join("submission.csv"));
    let lines = csv_records(&csv_text);
    let mut book = open(&out.path().join("submission.xlsx"));
    assert_eq!(book.sheet_names(), ["增员", "减员", "信息变更"]);
    for (kind, sheet_name) in [("增员", "增员"), ("减员", "减员")] {
        let sheet = rows(&mut book, sheet_name);
        let header: Vec<String> = sheet[0].iter().map(text).collect();
        assert!(!header.contains(&"变动类型".to_string()));
        let expected: Vec<&csv::StringRecord> = lines.iter().filter(|l| &l[0] == kind).collect();
        assert_eq!(sheet.len() - 1, expected.len(), "{sheet_name}");
        assert!(!expected.is_empty());
        let csv_header: Vec<&str> = "变动类型,姓名,证件类型,证件号码,性别,出生日期,人员类别,入职日期,参保年月,缴费基数,离职日期,停缴年月,减员原因,户口性质,手机号码,部门,原证件号码,原姓名,来源文件,来源工作表,来源行"
            .split(',')
            .collect();
        for (row, line) in sheet[1..].iter().zip(expected) {
            for (c, name) in header.iter().enumerate() {
                let k = csv_header.iter().position(|h| h == name).unwrap();
                let cell = &row[c];
                match name.as_str() {
                    "缴费基数" | "来源行" => {
                        let n = cell.as_f64().unwrap_or_else(|| panic!("{name}: {cell:?}"));
                        assert_eq!(n, line[k].parse::<f64>().unwrap(), "{name}");
                    }
                    _ if line[k].is_empty() => assert_eq!(*cell, Data::Empty, "{name}"),
                    // IDs, dates and months are text in the portal's formats.
                    _ => assert_eq!(*cell, Data::String(line[k].to_string()), "{name}"),
                }
            }
        }
        if kind == "增员" {
            let start = col(&sheet[0], "参保年月");
            let hire = col(&sheet[0], "入职日期");
            assert_eq!(text(&sheet[1][start]).len(), 6, "yyyyMM");
            assert_eq!(text(&sheet[1][hire]).len(), 10, "yyyy-MM-dd");
        }
    }
}

#[test]
fn gb18030_csv_outputs_decode_to_the_utf8_ones_and_read_back_as_roster() {
    let utf8 = tempfile::tempdir().unwrap();
    let gb = tempfile::tempdir().unwrap();
    assert_eq!(
        code(&run_samples(utf8.path(), &["--csv-encoding", "utf-8"])),
        1
    );
    let o = run_samples(gb.path(), &["--csv-encoding", "gb18030"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    for name in [
        "submission.csv",
        "errors.csv",
        "contributions.csv",
        "roster.next.csv",
    ] {
        let want = std::fs::read(utf8.path().join(name)).unwrap();
        let got = std::fs::read(gb.path().join(name)).unwrap();
        assert_ne!(got, want, "{name} is re-encoded");
        let (decoded, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&got);
        assert!(!had_errors, "{name}");
        assert_eq!(decoded.as_bytes(), &want[..], "{name}");
    }
    let manifest = std::fs::read_to_string(gb.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"csv_encoding\": \"gb18030\""),
        "{manifest}"
    );

    // Next month reads this month's GB18030 roster back.
    let next = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(["check", "samples/2025-08_分公司.csv", "--quiet", "--roster"])
        .arg(gb.path().join("roster.next.csv"))
        .arg("--out")
        .arg(next.path())
        .output()
        .unwrap();
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(next.path().join("summary.json")).unwrap())
            .unwrap();
    let roster_lines = std::fs::read_to_string(utf8.path().join("roster.next.csv"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(summary["roster"]["members"], roster_lines - 1);

    let o = run_samples(next.path(), &["--csv-encoding", "latin1"]);
    assert_eq!(code(&o), 2, "an unknown encoding is a usage error");
}

/// Every finding is in the workbook past the caps on notes (1,000) and row heights
/// (10,000), and the summary's count is exact.
#[test]
fn error_workbook_past_the_note_and_row_height_caps() {
    error_workbook_with_findings(10_500);
}

/// The same at the scale the memory figures were measured at (~20 s in a debug build).
#[test]
#[ignore = "benchmark-sized: cargo test --test it xlsx:: -- --ignored"]
fn error_workbook_with_100000_findings() {
    error_workbook_with_findings(100_000);
}

fn error_workbook_with_findings(n: usize) {
    let w = Work::new();
    let mut input = String::with_capacity(n * 60);
    input.push_str("姓名,证件号码,变动类型,入职日期,缴费基数\n");
    for i in 0..n {
        // Unique IDs (100 birth months × 1000 sequence numbers), each with a wrong check
        // character: one V003 per row at least.
        let birth = format!("{}{:02}01", 1960 + i / 12_000, (i / 1000) % 12 + 1);
        let id = resident_id(&format!("110101{birth}{:03}", i % 1000));
        let wrong = if id.ends_with('1') { '2' } else { '1' };
        input.push_str(&format!(
            "员工{i},{}{wrong},增员,2025-08-04,12000\n",
            &id[..17]
        ));
    }
    w.write("big.csv", input);
    let o = w.run(&[
        "check",
        "big.csv",
        "--as-of",
        "2025-08-20",
        "--xlsx",
        "--quiet",
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let mut book = open(&w.path("out/errors.xlsx"));
    assert_eq!(book.sheet_names(), ["汇总", "big"]);
    let sheet = rows(&mut book, "big");
    assert_eq!(sheet.len(), n + 1);
    assert_eq!(text(&sheet[n][0]), format!("员工{}", n - 1));
    assert!(text(&sheet[n][6]).contains("V003"));
    let summary = rows(&mut book, "汇总");
    let v003 = summary
        .iter()
        .find(|r| text(&r[0]) == "V003")
        .expect("V003 counted");
    assert_eq!(v003[2].as_f64(), Some(n as f64));
}
