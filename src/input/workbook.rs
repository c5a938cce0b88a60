//! Workbooks (.xlsx, .xlsm, .xls, .ods) through calamine. XLSX sheets are streamed cell
//! by cell, so a million-row sheet is never held whole; the older formats are read as a
//! range (calamine has no streaming reader for them, and such files are small).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{open_workbook_auto, Data, DataRef, Range, Reader, Sheets};

use super::cell::Cell;
use super::rows_buf::RowBuf;
use super::{InputError, RowReader};
use crate::calendar::Date;

/// Columns past this are ignored: no export has them, and a stray cell far to the right
/// must not make every row that wide.
const MAX_COLUMNS: u32 = 1024;

pub struct Workbook {
    book: Sheets<BufReader<File>>,
    file: String,
    names: Vec<String>,
}

impl Workbook {
    pub fn open(path: &Path, display: &str) -> Result<Workbook, InputError> {
        if let Err(e) = File::open(path) {
            return Err(InputError::unreadable(display, &e));
        }
        let book = open_workbook_auto(path).map_err(|e| open_error(path, display, &e))?;
        let names = book.sheet_names();
        Ok(Workbook {
            book,
            file: display.to_string(),
            names,
        })
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
        let sheet_error = |e: &dyn std::fmt::Display| {
            InputError::unreadable_because(&file, &format!("sheet {name}: {e}"))
        };
        match &mut self.book {
            Sheets::Xlsx(x) => {
                let cells = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| sheet_error(&e))?;
                let mut rows = XlsxRows {
                    cells,
                    current: None,
                    pending: None,
                    done: false,
                    file: format!("{file} [{name}]"),
                };
                Ok(f(&mut rows))
            }
            book => {
                let range = book.worksheet_range(name).map_err(|e| sheet_error(&e))?;
                let mut rows = RangeRows { range, next: 0 };
                Ok(f(&mut rows))
            }
        }
    }
}

fn open_error(path: &Path, display: &str, e: &calamine::Error) -> InputError {
    let text = e.to_string();
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    // An encrypted OOXML workbook is an OLE container, not a zip.
    let ole = std::fs::read(path)
        .map(|b| b.starts_with(b"\xD0\xCF\x11\xE0"))
        .unwrap_or(false);
    let reason = if text.to_ascii_lowercase().contains("password") || (ole && ext != "xls") {
        "the workbook is password-protected (or encrypted); remove the password in Excel and save it again".to_string()
    } else {
        format!(
            "not a readable .{ext} workbook (corrupt, or another format under this name): {text}"
        )
    };
    InputError::unreadable_because(display, &reason)
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
}

impl RowReader for XlsxRows<'_> {
    fn fill(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError> {
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
                Err(e) => return Err(InputError::unreadable_because(&self.file, &e.to_string())),
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
