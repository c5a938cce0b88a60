//! `--xlsx` workbook copies of the CSVs an HR user opens (`contributions.xlsx`,
//! `roster.next.xlsx`): the staged CSV read back line by line into one sheet, so the copy
//! can never say something the CSV does not. Every cell is text — ID numbers, months and
//! codes keep their digits — except amounts written with two decimals, which are numbers
//! (`0.00`) so a person can sum them.

use std::io::{Read, Write};
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::csv_sink::CsvEncoding;
use super::xlsx::{self, Widths, MAX_ROWS};
use crate::calendar::Date;
use crate::error::Error;

pub const CONTRIBUTIONS_XLSX: &str = "contributions.xlsx";
pub const ROSTER_NEXT_XLSX: &str = "roster.next.xlsx";

/// Writes `name` (a workbook with one sheet `sheet`) from the staged CSV at `csv`. A CSV
/// longer than a sheet fills the sheet, ends it with a row saying where the rest is, and
/// returns how many lines were left out (for the run's notes).
pub fn copy(
    csv: &Path,
    encoding: CsvEncoding,
    mut out: impl Write + Send,
    name: &str,
    sheet: &str,
    as_of: Date,
    tempdir: &Path,
) -> Result<u64, Error> {
    let read_error = |e: std::io::Error| Error::Write {
        path: name.into(),
        source: e,
    };
    let file = std::fs::File::open(csv).map_err(read_error)?;
    // GB18030 copies are decoded whole (an opt-in encoding); UTF-8 streams.
    let reader: Box<dyn Read> = match encoding {
        CsvEncoding::Gb18030 => {
            let mut bytes = Vec::new();
            std::io::BufReader::new(file)
                .read_to_end(&mut bytes)
                .map_err(read_error)?;
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
            Box::new(std::io::Cursor::new(text.into_owned().into_bytes()))
        }
        CsvEncoding::Utf8 | CsvEncoding::Utf8Bom => Box::new(std::io::BufReader::new(file)),
    };
    let mut lines = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let e = |e| xlsx::error(name, e);
    let mut workbook: Workbook = xlsx::workbook(name, as_of, tempdir)?;
    let mut ws = workbook.new_worksheet_with_constant_memory().map_err(e)?;
    ws.set_name(sheet).map_err(e)?;
    let text = Format::new().set_num_format("@");
    let header = Format::new().set_num_format("@").set_bold();
    let money = Format::new().set_num_format("0.00");
    let mut widths = Widths::default();
    let mut record = csv::ByteRecord::new();
    let mut r = 0u32;
    let mut left_out = 0u64;
    while lines
        .read_byte_record(&mut record)
        .map_err(|err| read_error(std::io::Error::other(err.to_string())))?
    {
        // The last row of the sheet is kept for the pointer to the CSV.
        if r >= MAX_ROWS - 1 {
            left_out += 1;
            continue;
        }
        for (c, cell) in record.iter().enumerate() {
            let cell = String::from_utf8_lossy(cell);
            // The CSV's BOM is not part of its first header.
            let cell = cell.trim_start_matches('\u{feff}');
            if cell.is_empty() {
                continue;
            }
            let c16 = c as u16;
            if r > 0 && is_amount(cell) {
                if let Ok(n) = cell.parse::<f64>() {
                    widths.see(c, cell);
                    ws.write_number_with_format(r, c16, n, &money).map_err(e)?;
                    continue;
                }
            }
            widths.see(c, cell);
            let format = if r == 0 { &header } else { &text };
            ws.write_string_with_format(r, c16, cell, format)
                .map_err(e)?;
        }
        r += 1;
    }
    if left_out > 0 {
        let csv_name = name.trim_end_matches(".xlsx");
        ws.write_string_with_format(r, 0, format!("… +{left_out} → {csv_name}.csv"), &text)
            .map_err(e)?;
    }
    if r > 0 {
        ws.set_freeze_panes(1, 0).map_err(e)?;
    }
    widths.apply(&mut ws, 40, &[], name)?;
    workbook.push_worksheet(ws);
    workbook.save_to_writer(&mut out).map_err(e)?;
    out.flush().map_err(|source| Error::Write {
        path: name.into(),
        source,
    })?;
    Ok(left_out)
}

/// An amount as the CSVs write one: optional minus, digits, a point, two digits.
fn is_amount(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some((whole, cents)) = s.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && whole.len() <= 13
        && whole.bytes().all(|b| b.is_ascii_digit())
        && cents.len() == 2
        && cents.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn ids_months_and_codes_stay_text_amounts_are_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("c.csv");
        std::fs::write(
            &csv,
            "\u{feff}证件号码,所属月份,缴费基数,代码\n110101199003071234,202508,8500.00,0601\n44030519900101123X,202509,-12.50,1\n",
        )
        .unwrap();
        let mut bytes = Vec::new();
        copy(
            &csv,
            CsvEncoding::Utf8Bom,
            &mut bytes,
            "c.xlsx",
            "缴费明细",
            Date::new(2025, 8, 20).unwrap(),
            dir.path(),
        )
        .unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = wb.worksheet_range("缴费明细").unwrap();
        let s = |x: &str| Some(Data::String(x.into()));
        assert_eq!(r.get_value((0, 0)).cloned(), s("证件号码"));
        assert_eq!(r.get_value((1, 0)).cloned(), s("110101199003071234"));
        assert_eq!(r.get_value((1, 1)).cloned(), s("202508"));
        assert_eq!(r.get_value((1, 2)).cloned(), Some(Data::Float(8500.0)));
        assert_eq!(r.get_value((1, 3)).cloned(), s("0601"));
        assert_eq!(r.get_value((2, 2)).cloned(), Some(Data::Float(-12.5)));
        assert_eq!(r.get_value((2, 3)).cloned(), s("1"));
    }

    #[test]
    fn amounts_are_two_decimals_only() {
        assert!(is_amount("8500.00") && is_amount("-0.05"));
        for s in [
            "8500",
            "8500.0",
            "1.234",
            ".50",
            "110101199003071234",
            "1e3.00",
            "",
        ] {
            assert!(!is_amount(s), "{s}");
        }
    }
}
