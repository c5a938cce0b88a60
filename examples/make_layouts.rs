//! Writes `tests/layouts/`: one file per supported layout (docs/layouts.md), with the
//! layout's title rows and header exactly as the template or export has them, three rows of
//! made-up people, and planted errors that `tests/it/layouts.rs` expects on the right row and
//! column (the expectations are in `tests/layouts/expected.tsv`, written here too).
//!
//! Run from the crate root with `cargo run --example make_layouts`.
//!
//! Names are invented; ID numbers are built from invented birth dates and sequence numbers
//! with the GB 11643 check character (examples/support/datagen.rs), never copied. The rows
//! are in examples/support/layout_specs.rs, shared with `tests/it/layouts.rs`, which also writes
//! them as `.xls` (BIFF8) and SpreadsheetML, the formats most of these templates really have.

#[path = "support/datagen.rs"]
mod datagen;

use std::error::Error;
use std::fmt::Write as _;
use std::fs;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const OUT: &str = "tests/layouts";

#[path = "support/layout_specs.rs"]
mod layout_specs;

use layout_specs::{fill, SPECS};

/// The tax client's template is CSV here; nothing in its name says the kind: `--kind`.
const TAX_CSV: &str = "人员信息采集.csv";
const TAX_HEADER: &str = "工号,*姓名,*证件类型,*证件号码,*国籍(地区,*性别,*出生日期,人员状态,*任职受雇从业类型,手机号码,任职受雇从业日期,离职日期,备注";

fn main() -> Result<()> {
    fs::create_dir_all(OUT)?;
    let mut expected = String::from(
        "# file\tlayout\targs\tkind_from\trow\tcolumn\tcode  (written by examples/make_layouts.rs)\n",
    );
    for spec in SPECS {
        let mut book = Workbook::new();
        let created = ExcelDateTime::from_ymd(2025, 8, 1)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let ws = book.add_worksheet();
        ws.set_name(spec.sheet)?;
        let mut r: u32 = 0;
        for title in spec.titles {
            for (c, t) in title.iter().enumerate() {
                ws.write_string(r, c as u16, *t)?;
            }
            r += 1;
        }
        for (c, t) in spec.header.iter().enumerate() {
            ws.write_string(r, c as u16, *t)?;
        }
        r += 1;
        if let Some(sub) = spec.sub {
            for (c, t) in sub.iter().enumerate() {
                ws.write_string(r, c as u16, *t)?;
            }
            r += 1;
        }
        for i in 0..3 {
            for c in 0..spec.row.len() {
                let v = spec.value(i, c);
                if !v.is_empty() {
                    ws.write_string(r, c as u16, &v)?;
                }
            }
            r += 1;
        }
        book.save(format!("{OUT}/{}", spec.file))?;
        for (row, column, code) in spec.planted() {
            let _ = writeln!(
                expected,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                spec.file, spec.layout, spec.args, spec.kind_from, row, column, code
            );
        }
    }
    // The CSV: the tax client's personnel template, leavers.
    let mut csv = format!("{TAX_HEADER}\n");
    for i in 0..3 {
        let leave = if i == 1 {
            "2025-08-3x".to_string()
        } else {
            fill("$date", i)
        };
        let _ = writeln!(
            csv,
            "E{i:03},{},居民身份证,{},中国,,,离职,雇员,13800138000,2021-05-10,{leave},",
            fill("$name", i),
            fill("$id", i)
        );
    }
    fs::write(format!("{OUT}/{TAX_CSV}"), csv)?;
    let _ = writeln!(
        expected,
        "{TAX_CSV}\ttax-client-person\t--kind {TAX_CSV}=reduce\t--kind\t3\t离职日期\tV010"
    );
    fs::write(format!("{OUT}/expected.tsv"), expected)?;
    Ok(())
}
