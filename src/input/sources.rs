//! The names of a run's files and sheets and their header cells, so findings can carry
//! small indexes and still print the file, sheet and column a person recognises. Built
//! from the plans here, below the rules and outputs that read it.

use crate::finding::At;
use crate::input::header::Field;
use crate::input::plan::FilePlan;

#[derive(Default, Debug)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

#[derive(Default, Debug, Clone)]
pub struct SourceFile {
    pub display: String,
    pub sheets: Vec<SourceSheet>,
}

#[derive(Default, Debug, Clone)]
pub struct SourceSheet {
    pub name: String,
    pub columns: Vec<String>,
    /// Row number of the header (0 when the sheet has none); findings at or above it are
    /// about the sheet, not a data row.
    pub header_row: u32,
    /// The column mapped to `id_number`, for masking it in the error workbook.
    pub id_column: Option<u32>,
}

impl Sources {
    /// The change files, in the order of their plans (a finding's `file` index).
    pub fn from_plans<'p>(plans: impl IntoIterator<Item = &'p FilePlan>) -> Sources {
        Sources {
            files: plans
                .into_iter()
                .map(|p| SourceFile {
                    display: p.display.clone(),
                    sheets: p
                        .sheets
                        .iter()
                        .map(|s| SourceSheet {
                            name: s.name.clone(),
                            columns: s
                                .data
                                .as_ref()
                                .map(|d| d.header.columns.clone())
                                .unwrap_or_default(),
                            header_row: s.data.as_ref().map_or(0, |d| d.header.row),
                            id_column: s
                                .data
                                .as_ref()
                                .and_then(|d| d.header.map.get(Field::IdNumber))
                                .map(|c| c as u32),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// Adds the roster after the change files, for its own findings; returns its index.
    pub fn push_roster(&mut self, display: &str, sheet_names: &[String]) -> u32 {
        let index = self.files.len() as u32;
        self.files.push(SourceFile {
            display: display.to_string(),
            sheets: sheet_names
                .iter()
                .map(|name| SourceSheet {
                    name: name.clone(),
                    // No roster row is copied into the error workbook: all of its
                    // findings count as about the sheet and are listed in 「汇总」.
                    header_row: u32::MAX,
                    ..SourceSheet::default()
                })
                .collect(),
        });
        index
    }

    pub fn file(&self, i: u32) -> &str {
        self.files
            .get(i as usize)
            .map_or("", |f| f.display.as_str())
    }

    pub fn sheet(&self, file: u32, sheet: u32) -> Option<&SourceSheet> {
        self.files.get(file as usize)?.sheets.get(sheet as usize)
    }

    pub fn column(&self, at: &At) -> &str {
        at.column
            .and_then(|c| self.sheet(at.file, at.sheet)?.columns.get(c as usize))
            .map_or("", |s| s.as_str())
    }
}
