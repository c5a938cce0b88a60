//! A chunk of physical rows, as read from one sheet, before any interpretation.
//!
//! CSV rows stay `csv::StringRecord`s (one buffer per row, reused across chunks) and hand
//! out borrowed cells; workbook rows are stored as a flat run of typed cells.

use std::borrow::Cow;

use super::cell::Cell;

pub struct RowBuf {
    storage: Storage,
    numbers: Vec<u32>,
}

enum Storage {
    Records {
        records: Vec<csv::StringRecord>,
    },
    Cells {
        cells: Vec<Cell<'static>>,
        ends: Vec<usize>,
    },
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
    Cells(&'a [Cell<'static>]),
}

impl RowBuf {
    pub fn for_records() -> RowBuf {
        RowBuf {
            storage: Storage::Records {
                records: Vec::new(),
            },
            numbers: Vec::new(),
        }
    }

    pub fn for_cells() -> RowBuf {
        RowBuf {
            storage: Storage::Cells {
                cells: Vec::new(),
                ends: Vec::new(),
            },
            numbers: Vec::new(),
        }
    }

    pub fn clear(&mut self) {
        self.numbers.clear();
        if let Storage::Cells { cells, ends } = &mut self.storage {
            cells.clear();
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

    /// Appends a workbook row.
    pub(crate) fn push_cells(&mut self, number: u32, row: impl IntoIterator<Item = Cell<'static>>) {
        if let Storage::Cells { cells, ends } = &mut self.storage {
            cells.extend(row);
            ends.push(cells.len());
            self.numbers.push(number);
        }
    }

    pub fn row(&self, i: usize) -> RawRow<'_> {
        let number = self.numbers[i];
        let data = match &self.storage {
            Storage::Records { records } => RowData::Record(&records[i]),
            Storage::Cells { cells, ends } => {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                RowData::Cells(&cells[start..ends[i]])
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
            RowData::Cells(c) => c.get(col).cloned().unwrap_or(Cell::Empty),
        }
    }

    pub fn width(&self) -> usize {
        match self.data {
            RowData::Record(r) => r.len(),
            RowData::Cells(c) => c.len(),
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
    }
}
