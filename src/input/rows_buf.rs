//! A chunk of physical rows, as read from one sheet, before any interpretation.
//!
//! CSV rows stay `csv::StringRecord`s (one buffer per row, reused across chunks) and hand
//! out borrowed cells; workbook rows are stored as a flat run of typed cells whose text
//! sits end to end in one string, so a chunk costs no allocation per cell and every cell
//! is handed out borrowed.

use std::borrow::Cow;

use super::cell::Cell;
use crate::calendar::Date;

pub struct RowBuf {
    storage: Storage,
    numbers: Vec<u32>,
    /// Rows the reader found suspect (row index, flag), in row order; almost always empty.
    flags: Vec<(usize, RowFlag)>,
    /// How far the reader was through its source after this chunk (`RowReader::read_share`).
    read_share: Option<(u64, u64)>,
}

/// A row the reader could not take at face value: a quoted cell in `column` swallowed the
/// lines up to `last_line` (see `swallow`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RowFlag {
    pub column: usize,
    pub last_line: u32,
}

enum Storage {
    Records {
        records: Vec<csv::StringRecord>,
    },
    Cells {
        cells: Vec<Stored>,
        /// The text of every text and error cell of the chunk.
        text: String,
        ends: Vec<usize>,
    },
}

/// A workbook cell in a chunk; text is a range of the chunk's string.
#[derive(Copy, Clone)]
enum Stored {
    Empty,
    Text(Span),
    Number(f64),
    Date(Date),
    Bool(bool),
    Error(Span),
}

#[derive(Copy, Clone)]
struct Span {
    start: usize,
    end: usize,
}

/// One physical row: its number as a person sees it, and its cells.
#[derive(Copy, Clone)]
pub struct RawRow<'a> {
    pub number: u32,
    data: RowData<'a>,
}

#[derive(Copy, Clone)]
enum RowData<'a> {
    Record(&'a csv::StringRecord),
    Cells(&'a [Stored], &'a str),
}

impl RowBuf {
    pub fn for_records() -> RowBuf {
        RowBuf {
            storage: Storage::Records {
                records: Vec::new(),
            },
            numbers: Vec::new(),
            flags: Vec::new(),
            read_share: None,
        }
    }

    pub fn for_cells() -> RowBuf {
        RowBuf {
            storage: Storage::Cells {
                cells: Vec::new(),
                text: String::new(),
                ends: Vec::new(),
            },
            numbers: Vec::new(),
            flags: Vec::new(),
            read_share: None,
        }
    }

    /// `(done, total)` of the source once this chunk was read, for the progress line.
    pub fn read_share(&self) -> Option<(u64, u64)> {
        self.read_share
    }

    pub fn set_read_share(&mut self, share: Option<(u64, u64)>) {
        self.read_share = share;
    }

    pub fn clear(&mut self) {
        self.numbers.clear();
        self.flags.clear();
        if let Storage::Cells { cells, text, ends } = &mut self.storage {
            cells.clear();
            text.clear();
            ends.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// A record slot to read the next CSV row into (reusing an earlier allocation).
    pub(crate) fn next_record_slot(&mut self) -> Option<&mut csv::StringRecord> {
        let Storage::Records { records } = &mut self.storage else {
            return None;
        };
        let i = self.numbers.len();
        if records.len() == i {
            // Room for a typical export line (15 columns, ~150 bytes) up front, instead
            // of growing each new record through a run of reallocations.
            records.push(csv::StringRecord::with_capacity(256, 24));
        }
        records.get_mut(i)
    }

    /// Confirms the slot filled by the last `next_record_slot`.
    pub(crate) fn commit_record(&mut self, number: u32) {
        self.numbers.push(number);
    }

    /// Flags the last row committed.
    pub(crate) fn flag_last(&mut self, flag: RowFlag) {
        if let Some(i) = self.numbers.len().checked_sub(1) {
            self.flags.push((i, flag));
        }
    }

    /// The reader's flag on row `i`, if any.
    pub fn flag(&self, i: usize) -> Option<RowFlag> {
        if self.flags.is_empty() {
            return None;
        }
        self.flags
            .binary_search_by_key(&i, |(r, _)| *r)
            .ok()
            .map(|at| self.flags[at].1)
    }

    /// Appends a workbook row.
    pub(crate) fn push_cells<'c>(&mut self, number: u32, row: impl IntoIterator<Item = Cell<'c>>) {
        for (col, cell) in row.into_iter().enumerate() {
            self.set_cell(col, cell);
        }
        self.end_row(number);
    }

    /// Sets a cell of the row being built (the one after the last `end_row`); cells left
    /// out are empty. Text is copied into the chunk's string.
    pub(crate) fn set_cell(&mut self, col: usize, cell: Cell<'_>) {
        let Storage::Cells { cells, text, ends } = &mut self.storage else {
            return;
        };
        let mut span = |s: &str| {
            let start = text.len();
            text.push_str(s);
            Span {
                start,
                end: text.len(),
            }
        };
        let stored = match cell {
            Cell::Empty => Stored::Empty,
            Cell::Text(t) => Stored::Text(span(&t)),
            Cell::Number(n) => Stored::Number(n),
            Cell::Date(d) => Stored::Date(d),
            Cell::Bool(b) => Stored::Bool(b),
            Cell::Error(e) => Stored::Error(span(&e)),
        };
        let at = ends.last().copied().unwrap_or(0) + col;
        if cells.len() <= at {
            cells.resize(at + 1, Stored::Empty);
        }
        cells[at] = stored;
    }

    /// Closes the row being built.
    pub(crate) fn end_row(&mut self, number: u32) {
        if let Storage::Cells { cells, ends, .. } = &mut self.storage {
            ends.push(cells.len());
            self.numbers.push(number);
        }
    }

    pub fn row(&self, i: usize) -> RawRow<'_> {
        let number = self.numbers[i];
        let data = match &self.storage {
            Storage::Records { records } => RowData::Record(&records[i]),
            Storage::Cells { cells, text, ends } => {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                RowData::Cells(&cells[start..ends[i]], text)
            }
        };
        RawRow { number, data }
    }

    pub fn rows(&self) -> impl Iterator<Item = RawRow<'_>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }
}

impl<'a> RawRow<'a> {
    /// The cell in column `col` (0-based); past the end of the row it is empty.
    pub fn cell(&self, col: usize) -> Cell<'a> {
        match self.data {
            RowData::Record(r) => match r.get(col) {
                Some(s) if !s.is_empty() => Cell::Text(Cow::Borrowed(s)),
                _ => Cell::Empty,
            },
            RowData::Cells(c, text) => {
                let s = |span: Span| text.get(span.start..span.end).unwrap_or("");
                match c.get(col) {
                    None | Some(Stored::Empty) => Cell::Empty,
                    Some(Stored::Text(t)) => Cell::Text(Cow::Borrowed(s(*t))),
                    Some(Stored::Number(n)) => Cell::Number(*n),
                    Some(Stored::Date(d)) => Cell::Date(*d),
                    Some(Stored::Bool(b)) => Cell::Bool(*b),
                    Some(Stored::Error(e)) => Cell::Error(s(*e).to_string()),
                }
            }
        }
    }

    pub fn width(&self) -> usize {
        match self.data {
            RowData::Record(r) => r.len(),
            RowData::Cells(c, _) => c.len(),
        }
    }

    pub fn is_blank(&self) -> bool {
        (0..self.width()).all(|i| self.cell(i).is_blank())
    }

    /// The row's cells as display text (header detection, error workbooks).
    pub fn texts(&self) -> Vec<String> {
        (0..self.width())
            .map(|i| self.cell(i).to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_reused_across_chunks() {
        let mut buf = RowBuf::for_records();
        for round in 0..2 {
            buf.clear();
            for n in 0..3 {
                let slot = buf.next_record_slot().unwrap();
                slot.clear();
                slot.push_field(&format!("r{round}c{n}"));
                buf.commit_record(n + 1);
            }
        }
        assert_eq!(buf.len(), 3);
        assert_eq!(buf.row(2).cell(0), Cell::Text("r1c2".into()));
        assert_eq!(buf.row(2).cell(5), Cell::Empty);
        assert_eq!(buf.row(0).number, 1);
    }

    #[test]
    fn cells_rows_keep_their_boundaries() {
        let mut buf = RowBuf::for_cells();
        buf.push_cells(4, [Cell::Number(1.0), Cell::Empty]);
        buf.push_cells(7, [Cell::Text("x".into())]);
        assert_eq!(buf.row(0).width(), 2);
        assert_eq!(buf.row(1).number, 7);
        assert_eq!(buf.row(1).cell(0), Cell::Text("x".into()));
        assert!(!buf.row(0).is_blank());
        buf.push_cells(8, [Cell::Empty, Cell::Text(" ".into())]);
        assert!(buf.row(2).is_blank());
        // Cells set out of order, with gaps, land in their columns.
        buf.set_cell(2, Cell::Text("c".into()));
        buf.set_cell(0, Cell::Error("#N/A".into()));
        buf.end_row(9);
        let row = buf.row(3);
        assert_eq!(row.width(), 3);
        assert_eq!(row.cell(0), Cell::Error("#N/A".into()));
        assert_eq!(row.cell(1), Cell::Empty);
        assert_eq!(row.cell(2), Cell::Text("c".into()));
        assert_eq!(buf.row(1).cell(0), Cell::Text("x".into()));
        buf.clear();
        buf.push_cells(1, [Cell::Text("y".into())]);
        assert_eq!(buf.row(0).cell(0), Cell::Text("y".into()));
    }
}
