//! Formats by content, not extension: each format is built here (small files, our own
//! rows), named as HR systems and users name them, and run through the binary. The planted
//! error (a bad ID check digit, V003) must land on the row and column a person sees; every
//! refused kind says what the file is, in Chinese and in English.

use crate::build;
use crate::common;

use build::{zip_of, Value};
use common::{code, resident_id, stderr, Work};

const HEADER: [&str; 6] = [
    "姓名",
    "证件号码",
    "变动类型",
    "入职日期",
    "参保年月",
    "缴费基数",
];

/// Three additions; the second person's ID has a wrong check digit.
fn people() -> Vec<[String; 6]> {
    let good = |body: &str| resident_id(body);
    let mut bad = resident_id("11010519900307003");
    let last = if bad.ends_with('0') { '1' } else { '0' };
    bad.pop();
    bad.push(last);
    vec![
        row("张三", &good("11010519900307001")),
        row("李四", &bad),
        row("王五", &good("11010519850611002")),
    ]
}

fn row(name: &str, id: &str) -> [String; 6] {
    [
        name.into(),
        id.into(),
        "增员".into(),
        "2025-08-01".into(),
        "202508".into(),
        "8000".into(),
    ]
}

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

/// The (row, column) of every finding with `code` in errors.csv.
fn findings(w: &Work, code: &str) -> Vec<(String, String)> {
    let text = w.read("headcount-out/errors.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| &x[6] == code)
        .map(|x| (x[2].to_string(), x[3].to_string()))
        .collect()
}

fn rows_read(w: &Work) -> u64 {
    let s: serde_json::Value = serde_json::from_str(&w.read("headcount-out/summary.json")).unwrap();
    s["totals"]["rows_read"]
        .as_u64()
        .or_else(|| s["files"][0]["rows_read"].as_u64())
        .unwrap_or_else(|| panic!("no rows_read in {s}"))
}

/// Runs `file` and expects the planted V003 on `row`, column 证件号码, and 3 rows read.
fn expect_planted(w: &Work, file: &str, row: u32) {
    let o = check(w, file, &[]);
    assert_eq!(code(&o), 1, "{file}: {}", stderr(&o));
    assert_eq!(
        findings(w, "V003"),
        vec![(row.to_string(), "证件号码".to_string())],
        "{file}"
    );
    assert_eq!(rows_read(w), 3, "{file}");
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// Excel 2003 XML: a title merged across the columns, the header on row 3 (`ss:Index`),
/// a cell placed by `ss:Index` after a gap.
fn spreadsheet_ml() -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
<Worksheet ss:Name="增员"><Table>
<Row><Cell ss:MergeAcross="5"><Data ss:Type="String">2025年8月 增员表</Data></Cell></Row>
<Row ss:Index="3">"#,
    );
    for h in HEADER {
        x.push_str(&format!(
            r#"<Cell><Data ss:Type="String">{h}</Data></Cell>"#
        ));
    }
    x.push_str("</Row>\n");
    for p in people() {
        x.push_str("<Row>");
        for (i, v) in p.iter().enumerate() {
            if i == 5 {
                // Skip nothing, but place the base by index: columns must stay in place.
                x.push_str(&format!(
                    r#"<Cell ss:Index="6"><Data ss:Type="Number">{v}</Data></Cell>"#
                ));
            } else {
                x.push_str(&format!(
                    r#"<Cell><Data ss:Type="String">{}</Data></Cell>"#,
                    esc(v)
                ));
            }
        }
        x.push_str("</Row>\n");
    }
    x.push_str("</Table></Worksheet></Workbook>\n");
    x
}

/// An HTML table saved as .xls, GBK with a meta charset; a title above the table.
fn html_table() -> Vec<u8> {
    let mut h = String::from(
        "<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head>\
         <meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
         <style>td{mso-number-format:\"\\@\";}</style></head><body>\n\
         <table border=\"1\">\n<tr><th>",
    );
    h.push_str(&HEADER.join("</th><th>"));
    h.push_str("</th></tr>\n");
    for p in people() {
        h.push_str("<tr>");
        for v in &p {
            h.push_str(&format!("<td x:str>{}</td>", esc(v)));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table></body></html>\n");
    encoding_rs::GB18030.encode(&h).0.into_owned()
}

fn xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, p) in people().iter().enumerate() {
        for (c, v) in p.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn delimited(sep: &str) -> String {
    let mut t = HEADER.join(sep);
    t.push('\n');
    for p in people() {
        t.push_str(&p.join(sep));
        t.push('\n');
    }
    t
}

#[test]
fn spreadsheet_ml_served_as_xls() {
    let w = Work::new();
    w.write("增员.xls", spreadsheet_ml());
    expect_planted(&w, "增员.xls", 5);
}

#[test]
fn spreadsheet_ml_named_xml() {
    let w = Work::new();
    w.write("export.xml", spreadsheet_ml());
    expect_planted(&w, "export.xml", 5);
}

#[test]
fn html_table_saved_as_xls() {
    let w = Work::new();
    w.write("增员.xls", html_table());
    expect_planted(&w, "增员.xls", 3);
}

#[test]
fn html_table_named_htm() {
    let w = Work::new();
    w.write("export.htm", html_table());
    expect_planted(&w, "export.htm", 3);
}

#[test]
fn xlsx_renamed_to_xls() {
    let w = Work::new();
    w.write("增员.xls", xlsx());
    expect_planted(&w, "增员.xls", 3);
}

#[test]
fn xlsx_without_extension() {
    let w = Work::new();
    w.write("export", xlsx());
    expect_planted(&w, "export", 3);
}

/// A BIFF8 .xls built record by record (header in row 1).
fn xls() -> Vec<u8> {
    let mut cells = Vec::new();
    for (c, h) in HEADER.iter().enumerate() {
        cells.push((0, c as u16, Value::Text(h.to_string())));
    }
    for (r, p) in people().iter().enumerate() {
        for (c, v) in p.iter().enumerate() {
            cells.push((r as u16 + 1, c as u16, Value::Text(v.clone())));
        }
    }
    build::cfb("Workbook", &build::biff(&cells))
}

#[test]
fn xls_biff_workbook() {
    let w = Work::new();
    w.write("增员.xls", xls());
    expect_planted(&w, "增员.xls", 3);
}

#[test]
fn xls_renamed_to_xlsx() {
    let w = Work::new();
    w.write("增员.xlsx", xls());
    expect_planted(&w, "增员.xlsx", 3);
}

/// An OpenDocument spreadsheet with Calc's trailing empty repeats.
fn ods() -> Vec<u8> {
    let row = |cells: &[String]| {
        let mut r = String::from("<table:table-row>");
        for c in cells {
            r.push_str(&format!(
                r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                esc(c)
            ));
        }
        r.push_str(r#"<table:table-cell table:number-columns-repeated="1018"/></table:table-row>"#);
        r
    };
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">"#,
    );
    content.push_str(&row(&HEADER.map(String::from)));
    for p in people() {
        content.push_str(&row(&p));
    }
    content.push_str(r#"<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#);
    let manifest = br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn ods_workbook() {
    let w = Work::new();
    w.write("增员.ods", ods());
    expect_planted(&w, "增员.ods", 3);
}

#[test]
fn ods_named_xls() {
    let w = Work::new();
    w.write("增员.xls", ods());
    expect_planted(&w, "增员.xls", 3);
}

#[test]
fn tsv_export() {
    let w = Work::new();
    w.write("增员.tsv", delimited("\t"));
    expect_planted(&w, "增员.tsv", 3);
}

#[test]
fn gbk_txt_export() {
    let w = Work::new();
    w.write(
        "增员.txt",
        &encoding_rs::GB18030.encode(&delimited(",")).0[..],
    );
    expect_planted(&w, "增员.txt", 3);
}

#[test]
fn excel_unicode_text_utf16() {
    // Excel's "Unicode text (*.txt)": UTF-16LE with a byte-order mark, tab-separated, CRLF.
    let w = Work::new();
    let text = delimited("\t").replace('\n', "\r\n");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    w.write("增员.txt", bytes);
    expect_planted(&w, "增员.txt", 3);
}

#[test]
fn csv_named_xls() {
    let w = Work::new();
    w.write("增员.xls", delimited(","));
    expect_planted(&w, "增员.xls", 3);
}

// ---- refused kinds: what the file is, in zh and en, and never a library's text ----

/// A compound file (OLE2) with the named empty streams: enough for a directory.
fn cfb(names: &[&str]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put16 =
        |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut h, 0x18, 0x3E);
    put16(&mut h, 0x1A, 3);
    put16(&mut h, 0x1C, 0xFFFE);
    put16(&mut h, 0x1E, 9);
    put16(&mut h, 0x20, 6);
    put32(&mut h, 0x2C, 1);
    put32(&mut h, 0x30, 1);
    put32(&mut h, 0x38, 4096);
    put32(&mut h, 0x3C, END);
    put32(&mut h, 0x44, END);
    for i in 0..109 {
        put32(&mut h, 0x4C + i * 4, if i == 0 { 0 } else { 0xFFFF_FFFF });
    }
    let mut fat = vec![0xFFu8; 512];
    put32(&mut fat, 0, 0xFFFF_FFFD);
    put32(&mut fat, 4, END);
    let mut dir = vec![0u8; 512];
    let mut entry = |i: usize, name: &str, kind: u8| {
        let at = i * 128;
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (k, u) in units.iter().enumerate() {
            dir[at + k * 2..at + k * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        dir[at + 0x40..at + 0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        dir[at + 0x42] = kind;
        dir[at + 0x74..at + 0x78].copy_from_slice(&END.to_le_bytes());
    };
    entry(0, "Root Entry", 5);
    for (i, n) in names.iter().enumerate().take(3) {
        entry(i + 1, n, 2);
    }
    [h, fat, dir].concat()
}

/// Runs the file in both languages: exit 2, H006, the file named, the expected words, no
/// library text.
fn expect_refused(name: &str, bytes: &[u8], zh: &str, en: &str) {
    let w = Work::new();
    w.write(name, bytes);
    for (lang, want) in [("zh", zh), ("en", en)] {
        let o = check(&w, name, &["--lang", lang]);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{name} {lang}: {err}");
        assert!(err.contains("H006"), "{name} {lang}: {err}");
        assert!(err.contains(name), "{name} {lang}: {err}");
        assert!(err.contains(want), "{name} {lang}: want `{want}` in {err}");
        for leak in [
            "Cfb",
            "EOCD",
            "invalid zip",
            "Zip",
            "Xls error",
            "panicked",
            "{reason",
        ] {
            assert!(!err.contains(leak), "{name} {lang}: `{leak}` in {err}");
        }
    }
}

#[test]
fn refuses_a_pdf() {
    expect_refused(
        "增员.xls",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
        "PDF 文档",
        "a PDF document",
    );
}

#[test]
fn refuses_an_empty_file() {
    expect_refused("增员.xlsx", b"", "空文件", "an empty file");
}

#[test]
fn refuses_a_word_document() {
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    expect_refused("增员.xlsx", &docx, "Word 文档", "a Word document");
}

#[test]
fn refuses_an_old_word_document() {
    expect_refused(
        "增员.xls",
        &cfb(&["WordDocument"]),
        "Word 文档",
        "a Word document",
    );
}

#[test]
fn refuses_a_zip_without_a_workbook() {
    let z = zip_of(&[("readme.txt", b"hello"), ("data/a.csv", b"x")]);
    expect_refused(
        "增员.xlsx",
        &z,
        "zip 压缩包",
        "a zip archive without a workbook",
    );
}

#[test]
fn refuses_a_password_protected_workbook() {
    let enc = cfb(&["EncryptionInfo", "EncryptedPackage"]);
    expect_refused("增员.xlsx", &enc, "密码", "password-protected");
}

#[test]
fn refuses_an_ole_file_without_a_workbook() {
    expect_refused(
        "增员.xls",
        &cfb(&["Contents"]),
        "没有工作簿",
        "without a workbook",
    );
}

#[test]
fn refuses_a_damaged_xls() {
    let mut b = cfb(&["Workbook"]);
    b.truncate(700);
    expect_refused("增员.xls", &b, "已损坏", "damaged");
}

#[test]
fn refuses_a_damaged_zip() {
    let mut b = xlsx();
    b.truncate(b.len() / 2);
    expect_refused("增员.xlsx", &b, "已损坏", "damaged");
}

#[test]
fn refuses_an_image() {
    expect_refused(
        "增员.xls",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        "图片",
        "an image",
    );
}

#[test]
fn refuses_other_xml() {
    expect_refused(
        "增员.xml",
        b"<?xml version=\"1.0\"?><note><to>x</to></note>",
        "XML",
        "not an Excel 2003 XML spreadsheet",
    );
}

#[test]
fn refuses_an_html_page_without_a_table() {
    expect_refused(
        "增员.xls",
        b"<html><body><p>Session expired</p></body></html>",
        "没有表格",
        "without any table",
    );
}

#[test]
fn refuses_a_folder() {
    let w = Work::new();
    std::fs::create_dir(w.path("增员.xlsx")).unwrap();
    for (lang, want) in [("zh", "不是普通文件"), ("en", "not a regular file")] {
        let o = check(&w, "增员.xlsx", &["--lang", lang]);
        assert_eq!(code(&o), 2);
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
    }
}

#[test]
fn refuses_json() {
    expect_refused(
        "增员.csv",
        b"[{\"name\": \"x\"}]",
        "JSON 文件",
        "a JSON file",
    );
}

#[test]
fn refuses_a_damaged_ole_file_named_xlsx_mentioning_the_password() {
    let mut b = cfb(&["EncryptedPackage"]);
    b.truncate(600);
    expect_refused("增员.xlsx", &b, "密码", "password-protected");
}
