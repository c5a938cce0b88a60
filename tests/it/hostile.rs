//! Hostile and broken inputs on the reading side (issue 15): each class has a test named
//! after it, with a small input built here. Every one must end with a clear exit (2 and a
//! message naming the file, or a finding on the right row), never a panic, and within
//! memory and time bounded by the file's real size (the limits of docs/security.md).

use crate::build;
use crate::common;

use build::{biff, cfb, zip_of, Value::Num};
use common::{code, resident_id, stderr, Work};

fn check(w: &Work, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "check",
        file,
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    w.run(&args)
}

/// Exit 2, H006, the file named, `want` in the message, no panic text.
fn expect_refused(w: &Work, file: &str, want: &str) {
    let o = check(w, file, &["--lang", "en"]);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "{file}: {err}");
    assert!(err.contains("H006") && err.contains(file), "{file}: {err}");
    assert!(err.contains(want), "{file}: want `{want}` in {err}");
    assert!(!err.contains("panicked"), "{file}: {err}");
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A hand-made xlsx with the given sheet and shared strings parts.
fn xlsx(sheet: &[u8], shared: &[u8]) -> Vec<u8> {
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared),
    ])
}

const SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#;

#[test]
fn shared_strings_unique_count_overflow() {
    let w = Work::new();
    for (name, count) in [
        ("max.xlsx", "18446744073709551615"),
        ("huge.xlsx", "100000000000"),
        ("junk.xlsx", "-1x"),
    ] {
        let shared = format!(
            r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="{count}"><si><t>姓名</t></si></sst>"#
        );
        w.write(name, xlsx(SHEET, shared.as_bytes()));
        expect_refused(&w, name, "shared strings declare");
    }
}

#[test]
fn xlsx_zip_bomb_is_refused_before_inflating() {
    let w = Work::new();
    // 32 MiB of spaces inside a cell: about 32 KiB packed, a ratio near 1000:1.
    let mut sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>".to_vec();
    sheet.resize(sheet.len() + 32 * 1024 * 1024, b' ');
    sheet.extend_from_slice(b"</t></is></c></row></sheetData></worksheet>");
    w.write("bomb.xlsx", xlsx(&sheet, b"<sst/>"));
    expect_refused(&w, "bomb.xlsx", "zip bomb");
}

#[test]
fn xlsx_row_flood_is_refused_before_inflating() {
    let w = Work::new();
    let mut sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    for _ in 0..(4 * 1024 * 1024) {
        sheet.extend_from_slice(b"<row/>");
    }
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    w.write("rows.xlsx", xlsx(&sheet, b"<sst/>"));
    expect_refused(&w, "rows.xlsx", "compression ratio");
}

#[test]
fn xlsx_limits_are_configurable() {
    let w = Work::new();
    let mut sheet = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    for _ in 0..(512 * 1024) {
        sheet.extend_from_slice(b"<row/>");
    }
    sheet.extend_from_slice(b"</sheetData></worksheet>");
    w.write("rows.xlsx", xlsx(&sheet, b"<sst/>"));
    expect_refused(&w, "rows.xlsx", "compression ratio");
    // Raised by a user who trusts the file: read (no header, so H001), not refused.
    w.write("headcount.toml", "[limits]\ncompression-ratio = 100000\n");
    let o = check(&w, "rows.xlsx", &["--lang", "en"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("H001"), "{}", stderr(&o));
}

#[test]
fn ods_repeated_cells_bomb() {
    let w = Work::new();
    let content = br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", MANIFEST),
        ("content.xml", content),
    ]);
    w.write("bomb.ods", ods);
    expect_refused(&w, "bomb.ods", "expand to more than");
}

#[test]
fn ods_trailing_empty_repeats_cost_nothing() {
    // What every Calc file ends with: empty rows and columns repeated to the sheet's end.
    let w = Work::new();
    let id = resident_id("11010519900307001");
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="增员">{}{}<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
        ods_row(&[
            "姓名",
            "证件号码",
            "变动类型",
            "入职日期",
            "参保年月",
            "缴费基数"
        ]),
        ods_row(&["张三", &id, "增员", "2025-08-01", "202508", "8000"]),
    );
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", MANIFEST),
        ("content.xml", content.as_bytes()),
    ]);
    w.write("增员.ods", ods);
    let o = check(&w, "增员.ods", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

const MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

#[test]
fn ods_content_cut_short_does_not_hang() {
    // calamine loops forever on a content.xml that ends inside a table (found by the
    // campaign of tests/it/fuzz_readers.rs): refused as damaged before it is read.
    let w = Work::new();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{}"#,
        ods_row(&["姓名", "证件号码"])
    );
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", MANIFEST),
        ("content.xml", content.as_bytes()),
    ]);
    w.write("cut.ods", ods);
    expect_refused(&w, "cut.ods", "cut short");
}

fn ods_row(cells: &[&str]) -> String {
    let mut r = String::from("<table:table-row>");
    for c in cells {
        r.push_str(&format!(
            r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#
        ));
    }
    r.push_str(r#"<table:table-cell table:number-columns-repeated="1018"/></table:table-row>"#);
    r
}

#[test]
fn sparse_xls_cell_at_row_65535_col_65535() {
    let w = Work::new();
    let book = cfb(
        "Workbook",
        &biff(&[(0, 0, Num(1.0)), (65535, 65535, Num(2.0))]),
    );
    w.write("sparse.xls", &book);
    expect_refused(&w, "sparse.xls", "row 65536, column 65536");
    // Inside the format's 256 columns, but a 65,536 × 256 rectangle (16.7 M cells) is
    // over the default limit of 5 M; a user who needs it raises the limit.
    let book = cfb(
        "Workbook",
        &biff(&[(0, 0, Num(1.0)), (65535, 255, Num(2.0))]),
    );
    w.write("wide.xls", &book);
    expect_refused(&w, "wide.xls", "16777216 cells once expanded");
    let book = cfb(
        "Workbook",
        &biff(&[(0, 0, Num(1.0)), (3000, 200, Num(2.0))]),
    );
    w.write("mid.xls", &book);
    w.write("headcount.toml", "[limits]\ncells = 100000\n");
    expect_refused(&w, "mid.xls", "603201 cells once expanded");
    w.write("headcount.toml", "[limits]\ncells = 1000000\n");
    let o = check(&w, "mid.xls", &["--lang", "en"]);
    assert!(stderr(&o).contains("H001"), "{}", stderr(&o));
}

#[test]
fn truncated_xls_is_refused_not_a_panic() {
    let w = Work::new();
    let book = cfb("Workbook", &biff(&[(0, 0, Num(1.0)), (1, 1, Num(2.0))]));
    for cut in [
        8,
        100,
        511,
        512,
        700,
        1024,
        1100,
        1536,
        2000,
        book.len() - 1,
    ] {
        let name = format!("cut{cut}.xls");
        w.write(&name, &book[..cut]);
        let o = check(&w, &name, &["--lang", "en"]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{name}: {err}");
        assert!(
            err.contains(&name) && !err.contains("panicked"),
            "{name}: {err}"
        );
    }
}

#[test]
fn damaged_biff_records_are_refused_not_a_panic() {
    // Records whose lengths run past the stream, and garbage after the globals.
    let w = Work::new();
    let mut stream = biff(&[(0, 0, Num(1.0))]);
    let n = stream.len();
    stream[n - 10] = 0xFF;
    stream[n - 9] = 0xFF;
    stream.extend_from_slice(&[0xFD, 0x00, 0x30, 0x00, 1, 2, 3]);
    for (i, bytes) in [stream.clone(), stream[..n / 2].to_vec()]
        .iter()
        .enumerate()
    {
        let name = format!("bad{i}.xls");
        w.write(&name, cfb("Workbook", bytes));
        let o = check(&w, &name, &["--lang", "en"]);
        assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

// ---- CSV ----

const HEADER: &str = "姓名,证件号码,变动类型,入职日期,参保年月,缴费基数,备注";

fn line(i: u32, remark: &str) -> String {
    let id = resident_id(&format!("110105199003{:05}", 7000 + i));
    format!("员工{i},{id},增员,2025-08-01,202508,8000,{remark}\n")
}

#[test]
fn csv_one_endless_line() {
    let w = Work::new();
    let mut text = format!("{HEADER}\n{}", line(1, ""));
    text.push_str(&"张".repeat(1024 * 1024));
    w.write("long.csv", text);
    expect_refused(
        &w,
        "long.csv",
        "the record starting on line 3 is longer than 1024 KiB",
    );
}

#[test]
fn csv_too_many_columns() {
    let w = Work::new();
    let text = format!("{HEADER}\n{}{}\n", line(1, ""), "x,".repeat(5000));
    w.write("wide.csv", text);
    expect_refused(&w, "wide.csv", "line 3 has 5001 columns");
}

#[test]
fn csv_quoted_cell_with_many_newlines_is_bounded_and_flagged() {
    // 900 KiB of short lines inside one quoted remark: read once, flagged H008 (it spans far
    // more lines than a remark), never quadratic, never a silent merge.
    let w = Work::new();
    let remark = format!("\"{}\"", "备注\n".repeat(100_000));
    let text = format!(
        "{HEADER}\n{}{}{}",
        line(1, ""),
        line(2, &remark),
        line(3, "")
    );
    w.write("remarks.csv", text);
    let o = check(&w, "remarks.csv", &["--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let errors = w.read("headcount-out/errors.csv");
    assert!(errors.contains(",3,备注,"), "{errors}");
    assert!(errors.contains("H008"), "{errors}");
}

#[test]
fn unbalanced_quote_swallowing_rows() {
    // Row 4 opens a quote in its remark and never closes it: the parser reads rows 5–21 into
    // that cell. They must not vanish: the row is rejected with H008 naming lines 4–21.
    let w = Work::new();
    let mut text = format!("{HEADER}\n");
    for i in 1..=20 {
        let remark = if i == 3 { "\"说明：见附件" } else { "" };
        text.push_str(&line(i, remark));
    }
    w.write("增员.csv", text);
    for lang in ["zh", "en"] {
        let o = check(&w, "增员.csv", &["--lang", lang]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let errors = w.read("headcount-out/errors.csv");
        let h007: Vec<&str> = errors.lines().filter(|l| l.contains("H008")).collect();
        assert_eq!(h007.len(), 1, "{errors}");
        assert!(h007[0].starts_with("增员.csv,,4,备注,"), "{}", h007[0]);
        let want = if lang == "zh" {
            "第 4–21 行"
        } else {
            "lines 4–21"
        };
        assert!(h007[0].contains(want), "{}", h007[0]);
    }
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    assert_eq!(s["files"][0]["rows_read"], 3, "{s}");
    assert_eq!(s["files"][0]["rejected"], 1, "{s}");
}

#[test]
fn a_genuine_multi_line_remark_is_accepted() {
    let w = Work::new();
    let text = format!(
        "{HEADER}\n{}{}",
        line(1, "\"地址：北京市, 朝阳区\n电话 123\""),
        line(2, "")
    );
    w.write("ok.csv", text);
    let o = check(&w, "ok.csv", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

// ---- non-regular files and threads ----

#[cfg(unix)]
#[test]
fn fifo_input_is_refused_without_hanging() {
    let w = Work::new();
    let fifo = w.path("增员.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        return;
    }
    expect_refused(&w, "增员.csv", "not a regular file");
}

#[cfg(unix)]
#[test]
fn dev_zero_input_is_refused() {
    let w = Work::new();
    let o = check(&w, "/dev/zero", &["--lang", "en"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn jobs_100000_is_capped() {
    let w = Work::new();
    w.write("a.csv", format!("{HEADER}\n{}", line(1, "")));
    let o = w.run(&[
        "check",
        "a.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--jobs",
        "100000",
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("capped at 256"), "{}", stderr(&o));
}
