//! Robustness properties through the library's whole pipeline: arbitrary bytes as a CSV,
//! arbitrary typed cells in a workbook, truncated and bit-flipped copies of the sample
//! workbook. Whatever the input: no panic, and the run either finishes (exit 0 or 1, every
//! row accounted for) or stops with an `InputError` (exit 2) whose message names the file.
//! Case counts are bounded so `cargo test` stays fast.

use std::path::{Path, PathBuf};

use headcount::calendar::Date;
use headcount::config::{self, Command, Config};
use headcount::error::Error;
use headcount::finding::Lang;
use headcount::pipeline;
use proptest::collection::vec;
use proptest::prelude::*;

const HEADER: &str = "姓名,证件类型,证件号码,变动类型,性别,出生日期,入职日期,参保年月,缴费基数,离职日期,减员原因,人员类别,手机号码,统一社会信用代码";

/// `cases` per property, or `PROPTEST_CASES` when set (for a longer run by hand).
fn settings(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn cfg(command: Command, input: &Path, out: &Path) -> Config {
    let mut v = config::flags::values([
        ("as-of", "2025-08-20"),
        ("region", "beijing"),
        ("quiet", "true"),
        ("jobs", "2"),
    ]);
    v.set(
        "inputs",
        config::flags::Raw::Paths(vec![input.to_path_buf()]),
    );
    v.set("out", config::flags::Raw::Path(out.to_path_buf()));
    let today = Date::new(2025, 8, 20).unwrap();
    config::resolve(command, &v, config::Tables::default(), today).unwrap()
}

/// Runs the pipeline on one file and checks the outcome is one a user can act on.
fn run_checked(
    command: Command,
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> Result<(), TestCaseError> {
    let input: PathBuf = dir.join(name);
    std::fs::write(&input, bytes).unwrap();
    let out = dir.join("out");
    match pipeline::execute(&cfg(command, &input, &out)) {
        Ok(outcome) => {
            prop_assert!(outcome.exit.code() <= 1);
            let t = outcome.summary.totals;
            prop_assert!(t.balanced(), "rows do not add up: {:?}", t);
        }
        Err(Error::Input(e)) => {
            for lang in [Lang::Zh, Lang::En] {
                let m = e.message(lang);
                prop_assert!(
                    m.contains(name),
                    "the message does not name the file: {}",
                    m
                );
            }
            prop_assert!(e.code().starts_with('H'), "{}", e.code());
        }
        Err(other) => prop_assert!(false, "not an input error: {}", other),
    }
    Ok(())
}

/// CSV text: bytes that may or may not start like a change file.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        "[^,\"\n]{0,12}",
        "\"([^\"]|\"\"){0,12}\"",
        "[0-9Xx]{15,18}",
        "[\"\r\n,\t]{1,3}",
        Just("增员".to_string()),
        Just("2025-08-04".to_string()),
        Just("12000".to_string()),
    ];
    let rows = vec(vec(cell, 0..16).prop_map(|c| c.join(",")), 0..24)
        .prop_map(|r| format!("{HEADER}\n{}", r.join("\n")));
    prop_oneof![
        vec(any::<u8>(), 0..2048),
        vec(any::<u8>(), 0..2048).prop_map(|b| [HEADER.as_bytes(), b"\n", &b].concat()),
        rows.clone().prop_map(String::into_bytes),
        // The same rows in GB18030, as Chinese Excel saves them.
        rows.prop_map(|t| encoding_rs::GB18030.encode(&t).0.into_owned()),
    ]
}

proptest! {
    #![proptest_config(settings(64))]

    #[test]
    fn any_bytes_as_a_csv_are_read_or_refused_clearly(bytes in csv_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        run_checked(Command::Check, dir.path(), "in.csv", &bytes)?;
    }
}

/// The sample workbook, as shipped.
fn sample_workbook() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/2025-08_增减员.xlsx"))
        .unwrap()
}

/// A damaged copy: cut short, or with a few bits flipped anywhere.
#[derive(Debug, Clone)]
enum Damage {
    Truncate(prop::sample::Index),
    Flip(Vec<(prop::sample::Index, u8)>),
}

impl Damage {
    fn apply(&self, mut b: Vec<u8>) -> Vec<u8> {
        match self {
            Damage::Truncate(i) => {
                b.truncate(i.index(b.len()));
                b
            }
            Damage::Flip(flips) => {
                let n = b.len();
                for (i, bit) in flips {
                    b[i.index(n)] ^= 1 << bit;
                }
                b
            }
        }
    }
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Damage::Truncate),
        vec((any::<prop::sample::Index>(), 0u8..8), 1..8).prop_map(Damage::Flip),
    ]
}

proptest! {
    #![proptest_config(settings(64))]

    #[test]
    fn damaged_sample_workbooks_are_read_or_refused_clearly(d in damage()) {
        let bytes = d.apply(sample_workbook());
        let dir = tempfile::tempdir().unwrap();
        run_checked(Command::Run, dir.path(), "damaged.xlsx", &bytes)?;
    }
}

/// The sample workbook rebuilt with one of its parts damaged inside the zip, so the XML
/// parser (not only the zip layer, which checks CRCs) sees broken text.
fn damage_inside(part: &str, d: &Damage, extra: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(sample_workbook())).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            bytes = d.apply(bytes);
            // Inserted bytes: stray markup, entities, huge numbers.
            let at = bytes.len() / 2;
            bytes.splice(at..at, extra.iter().copied());
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

const PARTS: [&str; 5] = [
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/sharedStrings.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
];

proptest! {
    #![proptest_config(settings(64))]

    #[test]
    fn workbooks_with_damaged_xml_are_read_or_refused_clearly(
        part in prop::sample::select(PARTS.to_vec()),
        d in damage(),
        extra in prop_oneof![
            Just(Vec::new()),
            vec(any::<u8>(), 0..32),
            prop::sample::select(vec![
                "<c r=\"XFD1048577\"><v>1</v></c>",
                "<row r=\"4294967295\">",
                "<c r=\"A99999999999\" t=\"s\"><v>99999999</v></c>",
                "&#xFFFFFFFF;&bogus;",
                "<si><t>",
                "]]><![CDATA[",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
        ],
    ) {
        let bytes = damage_inside(part, &d, &extra);
        let dir = tempfile::tempdir().unwrap();
        run_checked(Command::Run, dir.path(), "xml.xlsx", &bytes)?;
    }
}

/// One workbook cell of any type Excel stores.
#[derive(Debug, Clone)]
enum XCell {
    Blank,
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
    Bool(bool),
}

fn xcell() -> impl Strategy<Value = XCell> {
    prop_oneof![
        Just(XCell::Blank),
        any::<String>().prop_map(XCell::Text),
        "[0-9Xx年月日/\\-. ]{0,20}".prop_map(XCell::Text),
        prop::sample::select(vec![
            "增员",
            "减员",
            "男",
            "女",
            "居民身份证",
            "离职",
            "110105199003070033"
        ])
        .prop_map(|s| XCell::Text(s.into())),
        (-1.0e18..1.0e18f64).prop_map(XCell::Number),
        (0.0..80_000.0f64).prop_map(XCell::Number),
        (1900u16..2100, 1u8..13, 1u8..29).prop_map(|(y, m, d)| XCell::Date(y, m, d)),
        any::<bool>().prop_map(XCell::Bool),
    ]
}

fn workbook(sheet: &str, rows: &[Vec<XCell>]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                XCell::Blank => {}
                XCell::Text(s) => {
                    // Excel's own limit; a longer string is not a workbook Excel writes.
                    let s: String = s.chars().take(32_767).collect();
                    ws.write_string(r, c, s).unwrap();
                }
                XCell::Number(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                XCell::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                XCell::Bool(b) => {
                    ws.write_boolean(r, c, *b).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(settings(32))]

    #[test]
    fn any_typed_cells_in_a_workbook_go_through_the_whole_run(
        rows in vec(vec(xcell(), 0..16), 1..12),
        sheet in prop::sample::select(vec!["增员", "减员", "Sheet1"]),
    ) {
        let bytes = workbook(sheet, &rows);
        let dir = tempfile::tempdir().unwrap();
        run_checked(Command::Run, dir.path(), "typed.xlsx", &bytes)?;
    }
}
