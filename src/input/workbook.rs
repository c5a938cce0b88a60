//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) through calamine. XLSX sheets are streamed
//! cell by cell, so a million-row sheet is never held whole; the older formats are read as
//! a range (calamine has no streaming reader for them, and such files are small).
//!
//! The format is the one `sniff` found in the bytes, not the extension. `guard` checks
//! what the file claims before calamine reads it; a panic inside calamine is still caught
//! here, as a last line, and becomes a refusal naming the file.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Range, Reader, Sheets, Xls, Xlsb, Xlsx};

use super::cell::Cell;
use super::contain::contain;
use super::guard;
use super::rows_buf::RowBuf;
use super::sniff::{self, Kind};
use super::{InputError, RowReader};
use crate::calendar::Date;

/// Columns past this are ignored: no export has them, and a stray cell far to the right
/// must not make every row that wide.
const MAX_COLUMNS: u32 = super::limits::MAX_COLUMNS as u32;

pub struct Workbook {
    book: Sheets<BufReader<File>>,
    file: String,
    kind: Kind,
    names: Vec<String>,
}

impl Workbook {
    pub fn open(path: &Path, display: &str, kind: Kind) -> Result<Workbook, InputError> {
        guard::check(path, display, kind)?;
        let file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
        let xlsb = kind == Kind::Xlsx && is_xlsb(path);
        let opened = contain(|| {
            let r = BufReader::new(file);
            match kind {
                Kind::Xls => Xls::new(r)
                    .map(Sheets::Xls)
                    .map_err(|e| password(&e.to_string())),
                Kind::Ods => Ods::new(r)
                    .map(Sheets::Ods)
                    .map_err(|e| password(&e.to_string())),
                _ if xlsb => Xlsb::new(r)
                    .map(Sheets::Xlsb)
                    .map_err(|e| password(&e.to_string())),
                _ => Xlsx::new(r)
                    .map(Sheets::Xlsx)
                    .map_err(|e| password(&e.to_string())),
            }
        });
        let book = match opened {
            Ok(Ok(book)) => book,
            Ok(Err(true)) => return Err(InputError::refused(display, sniff::ENCRYPTED)),
            Ok(Err(false)) | Err(_) => return Err(damaged(display, kind, None)),
        };
        let names = book.sheet_names();
        Ok(Workbook {
            book,
            file: display.to_string(),
            kind,
            names,
        })
    }

    pub fn display(&self) -> &str {
        &self.file
    }

    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Runs `f` with a row reader over the named sheet.
    pub fn with_sheet<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn RowReader) -> T,
    ) -> Result<T, InputError> {
        let file = self.file.clone();
        let kind = self.kind;
        let sheet_error = || damaged(&file, kind, Some(name));
        match &mut self.book {
            Sheets::Xlsx(x) => {
                let cells = contain(move || {
                    let x = x;
                    x.worksheet_cells_reader(name)
                })
                .ok()
                .and_then(Result::ok)
                .ok_or_else(sheet_error)?;
                let mut rows = XlsxRows {
                    cells,
                    current: None,
                    pending: None,
                    done: false,
                    file: file.clone(),
                    sheet: name.to_string(),
                };
                Ok(f(&mut rows))
            }
            book => {
                let range = contain(move || book.worksheet_range(name))
                    .ok()
                    .and_then(Result::ok)
                    .ok_or_else(sheet_error)?;
                let mut rows = RangeRows { range, next: 0 };
                Ok(f(&mut rows))
            }
        }
    }
}

fn is_xlsb(path: &Path) -> bool {
    File::open(path)
        .ok()
        .and_then(|f| zip::ZipArchive::new(BufReader::new(f)).ok())
        .is_some_and(|z| {
            z.file_names_raw()
                .any(|n| n.eq_ignore_ascii_case(b"xl/workbook.bin"))
        })
}

/// Whether calamine's error says the workbook needs a password (its text is never shown).
fn password(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("password") || t.contains("encrypt")
}

/// A workbook calamine could not read: damaged, in the user's language, naming the sheet.
fn damaged(display: &str, kind: Kind, sheet: Option<&str>) -> InputError {
    let what = match kind {
        Kind::Xls => ".xls",
        Kind::Ods => ".ods",
        _ => ".xlsx",
    };
    let (at_zh, at_en) = match sheet {
        Some(s) => (format!("工作表「{s}」"), format!("sheet `{s}`")),
        None => ("文件".to_string(), "the file".to_string()),
    };
    InputError::refused_with(
        display,
        format!("这是一个 {what} 工作簿，但{at_zh}已损坏或不完整，无法读取；请重新导出，或在 Excel 中打开后另存为 .xlsx"),
        format!("it is a {what} workbook, but {at_en} is damaged or incomplete and cannot be read; export it again, or open it in Excel and save it as .xlsx"),
    )
}

fn convert_ref<'a>(v: &'a DataRef<'_>) -> Cell<'a> {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.as_str().into()),
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => excel_date(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone().into()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn convert(v: &Data) -> Cell<'static> {
    match v {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone().into()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => excel_date(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(s.clone().into()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn excel_date(dt: &calamine::ExcelDateTime) -> Cell<'static> {
    if dt.is_datetime() {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        if let Some(date) = Date::new(y as i32, m as u32, d as u32) {
            return Cell::Date(date);
        }
    }
    Cell::Number(dt.as_f64())
}

fn iso_date(s: &str) -> Cell<'static> {
    match s.get(..10).and_then(|d| d.parse::<Date>().ok()) {
        Some(d) => Cell::Date(d),
        None => Cell::Text(s.to_string().into()),
    }
}

struct XlsxRows<'a> {
    cells: calamine::XlsxCellReader<'a, BufReader<File>>,
    /// The row being collected into the chunk.
    current: Option<u32>,
    /// The first cell of the next chunk, read before the chunk was found full.
    pending: Option<(u32, u32, Cell<'static>)>,
    done: bool,
    file: String,
    sheet: String,
}

impl RowReader for XlsxRows<'_> {
    fn read_share(&self) -> Option<(u64, u64)> {
        let rows = u64::from(self.cells.dimensions().end.0) + 1;
        // The next row to read: the one held over for the next chunk, if any.
        let next = match (self.pending.as_ref().map(|p| p.0), self.current) {
            (Some(r), _) | (None, Some(r)) => u64::from(r),
            (None, None) => rows,
        };
        Some((next, rows))
    }

    fn fill(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        // One containment per chunk, not per cell: the hot path stays as it was.
        match contain(|| self.fill_chunk(buf, max)) {
            Ok(r) => r,
            Err(_) => {
                self.done = true;
                Err(damaged(&self.file, Kind::Xlsx, Some(&self.sheet)))
            }
        }
    }
}

impl XlsxRows<'_> {
    fn fill_chunk(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        buf.clear();
        if let Some((r, col, cell)) = self.pending.take() {
            self.current = Some(r);
            buf.set_cell(col as usize, cell);
        }
        while !self.done {
            let c = match self.cells.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(_) => {
                    self.done = true;
                    return Err(damaged(&self.file, Kind::Xlsx, Some(&self.sheet)));
                }
            };
            let (r, col) = c.get_position();
            if col >= MAX_COLUMNS {
                continue;
            }
            if self.current != Some(r) {
                if let Some(cur) = self.current.take() {
                    buf.end_row(cur + 1);
                    if buf.len() >= max {
                        self.pending = Some((r, col, convert_ref(c.get_value()).into_owned()));
                        return Ok(buf.len());
                    }
                }
                self.current = Some(r);
            }
            // Text is borrowed from the reader and copied once, into the chunk.
            buf.set_cell(col as usize, convert_ref(c.get_value()));
        }
        if let Some(cur) = self.current.take() {
            buf.end_row(cur + 1);
        }
        Ok(buf.len())
    }
}

struct RangeRows {
    range: Range<Data>,
    next: usize,
}

impl RowReader for RangeRows {
    fn read_share(&self) -> Option<(u64, u64)> {
        Some((self.next as u64, self.range.height() as u64))
    }

    fn fill(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        buf.clear();
        let (start_row, start_col) = self.range.start().unwrap_or((0, 0));
        let lead = start_col.min(MAX_COLUMNS) as usize;
        let width = (MAX_COLUMNS as usize).saturating_sub(lead);
        let cols = self.range.width().min(width);
        while buf.len() < max && self.next < self.range.height() {
            let i = self.next;
            self.next += 1;
            let cells = std::iter::repeat_n(Cell::Empty, lead)
                .chain((0..cols).map(|c| self.range.get((i, c)).map_or(Cell::Empty, convert)));
            buf.push_cells(start_row + i as u32 + 1, cells);
        }
        Ok(buf.len())
    }
}
