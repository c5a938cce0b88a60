//! Plans which sheets of a file hold data and where their headers are, then streams each
//! planned sheet's data rows in chunks.
//!
//! Planning reads only the first rows of each sheet, so every file's header problems
//! (H001-H003) stop the run before any rows are processed.

use std::sync::mpsc;

use super::encoding::Encoding;
use super::header::{
    self, Aliases, Detection, Field, Header, Schema, H001, H002, H003, HEADER_SEARCH_ROWS,
};
use super::rows_buf::RowBuf;
use super::{InputError, InputFile};
use crate::model::ChangeKind;

pub struct FilePlan {
    pub display: String,
    pub sheets: Vec<SheetPlan>,
}

pub struct SheetPlan {
    /// Position of the sheet in the workbook (0 for a CSV).
    pub index: u32,
    pub name: String,
    pub data: Option<SheetData>,
}

/// A sheet with a recognised header.
pub struct SheetData {
    pub header: Header,
    pub kind: Option<ChangeKind>,
}

/// Finds the header of every sheet (or only `only_sheet`).
pub fn plan(
    file: &mut InputFile,
    display: &str,
    schema: Schema,
    aliases: &Aliases,
    only_sheet: Option<&str>,
) -> Result<FilePlan, InputError> {
    let names = file.sheet_names();
    if let Some(want) = only_sheet {
        if !names.iter().any(|n| n == want) && !matches!(file, InputFile::Csv { .. }) {
            return Err(InputError::unreadable_because(
                display,
                &format!(
                    "no sheet named `{want}`; the sheets are: {}",
                    names.join(", ")
                ),
            ));
        }
    }
    let mut sheets = Vec::new();
    for (index, name) in names.iter().enumerate() {
        if only_sheet.is_some_and(|w| w != name) && !matches!(file, InputFile::Csv { .. }) {
            continue;
        }
        let kind = if schema == Schema::Changes {
            header::sheet_kind(name)
        } else {
            None
        };
        let mut buf = file.row_buf();
        let (filled, _) = file.with_sheet(name, |r| r.fill(&mut buf, HEADER_SEARCH_ROWS))?;
        filled?;
        let sheet_label = if name.is_empty() {
            String::new()
        } else {
            format!(" [{name}] ")
        };
        let data = match header::detect(&buf, schema, kind, aliases) {
            Detection::Found(header) => Some(SheetData { header, kind }),
            Detection::NotFound => None,
            Detection::Missing { row, missing } => {
                return Err(InputError::new(
                    &H002,
                    vec![
                        ("file", display.to_string()),
                        ("sheet", sheet_label),
                        ("row", row.to_string()),
                        ("missing", field_list(&missing)),
                        ("accepted", accepted(&missing, aliases)),
                    ],
                ))
            }
            Detection::Ambiguous {
                row,
                field,
                first,
                second,
            } => {
                return Err(InputError::new(
                    &H003,
                    vec![
                        ("file", display.to_string()),
                        ("sheet", sheet_label),
                        ("row", row.to_string()),
                        ("field", field.id().to_string()),
                        ("first", first),
                        ("second", second),
                    ],
                ))
            }
        };
        sheets.push(SheetPlan {
            index: index as u32,
            name: name.clone(),
            data,
        });
    }
    if sheets.iter().all(|s| s.data.is_none()) {
        let required = header::required(schema, None);
        let looked: Vec<&str> = sheets
            .iter()
            .map(|s| {
                if s.name.is_empty() {
                    "(csv)"
                } else {
                    s.name.as_str()
                }
            })
            .collect();
        return Err(InputError::new(
            &H001,
            vec![
                ("file", display.to_string()),
                ("sheets", looked.join(", ")),
                ("missing", field_list(&required)),
                ("accepted", accepted(&required, aliases)),
            ],
        ));
    }
    Ok(FilePlan {
        display: display.to_string(),
        sheets,
    })
}

fn field_list(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| format!("{} ({})", f.label_zh(), f.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn accepted(fields: &[Field], aliases: &Aliases) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.id(), aliases.accepted(*f)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Streams the data rows of a planned sheet: `on_chunk(rows, first)` gets each chunk and
/// the index of its first data row (rows before it are titles and the header).
///
/// The sheet is read ahead on a thread of its own: while `on_chunk` works on one chunk,
/// the next is parsed into a second buffer, so reading (a whole core for XLSX) overlaps
/// with validating and writing. Chunks still arrive one at a time and in order.
pub fn stream<E: From<InputError>>(
    file: &mut InputFile,
    sheet: &SheetPlan,
    data: &SheetData,
    chunk_rows: usize,
    mut on_chunk: impl FnMut(&RowBuf, usize) -> Result<(), E>,
) -> Result<Option<Encoding>, E> {
    let skip = data.header.index + 1;
    // Empty buffers go to the reader, filled ones come back; two buffers in all.
    let (empty_tx, empty_rx) = mpsc::sync_channel::<RowBuf>(2);
    let (full_tx, full_rx) = mpsc::sync_channel::<Result<(RowBuf, usize), InputError>>(1);
    for _ in 0..2 {
        // The channel has room for both, and its receiver is alive.
        let _ = empty_tx.send(file.row_buf());
    }
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            file.with_sheet(&sheet.name, |reader| {
                let mut first = true;
                // A closed channel means the consumer stopped (an error): stop quietly.
                while let Ok(mut buf) = empty_rx.recv() {
                    let want = if first {
                        chunk_rows.max(skip)
                    } else {
                        chunk_rows
                    };
                    let chunk = match reader.fill(&mut buf, want) {
                        Ok(0) => return,
                        Ok(n) => Ok((buf, if first { skip.min(n) } else { 0 })),
                        Err(e) => Err(e),
                    };
                    let failed = chunk.is_err();
                    if full_tx.send(chunk).is_err() || failed {
                        return;
                    }
                    first = false;
                }
            })
        });
        let consumed = (|| -> Result<(), E> {
            for chunk in &full_rx {
                let (buf, first) = chunk?;
                on_chunk(&buf, first)?;
                // The reader may have finished; then the buffer is simply dropped.
                let _ = empty_tx.send(buf);
            }
            Ok(())
        })();
        // Unblock a reader still waiting to hand over or to get a buffer.
        drop(full_rx);
        drop(empty_tx);
        let opened = match reader.join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        consumed?;
        let ((), encoding) = opened?;
        Ok(encoding)
    })
}
