//! Plans which sheets of a file hold data and where their headers are, then streams each
//! planned sheet's data rows in chunks.
//!
//! Planning reads only the first rows of each sheet, so every file's header problems
//! (H001-H003) stop the run before any rows are processed.

use std::sync::mpsc;

use super::encoding::Encoding;
use super::header::{
    self, field_list, Detection, Field, Header, Schema, H001, H002, H003, H010, HEADER_SEARCH_ROWS,
    KIND_WAYS_EN, KIND_WAYS_ZH,
};
use super::layout::Vocabulary;
use super::rows_buf::RowBuf;
use super::{InputError, InputFile};
use crate::finding::Lang;
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
    /// The first rows of the sheet as read for planning (for `inspect`).
    pub head: Option<RowBuf>,
}

/// What decided a sheet's change kind, in the order they are asked.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum KindSource {
    /// A change-type column: each row says its own kind.
    Column,
    Sheet,
    File,
    /// The named layout the header matches.
    Layout,
    /// `--kind` on the command line.
    Option,
}

impl KindSource {
    pub fn id(self) -> &'static str {
        match self {
            KindSource::Column => "column",
            KindSource::Sheet => "sheet name",
            KindSource::File => "file name",
            KindSource::Layout => "layout",
            KindSource::Option => "--kind",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            KindSource::Column => "变动类型列",
            KindSource::Sheet => "工作表名",
            KindSource::File => "文件名",
            KindSource::Layout => "版式",
            KindSource::Option => "命令行 --kind",
        }
    }
}

/// A sheet with a recognised header.
pub struct SheetData {
    pub header: Header,
    pub kind: Option<ChangeKind>,
    pub kind_from: Option<KindSource>,
}

/// How to plan: the vocabulary, a sheet to keep to, and `--kind` for this file.
pub struct PlanOptions<'a> {
    pub schema: Schema,
    pub vocab: &'a Vocabulary,
    pub only_sheet: Option<&'a str>,
    pub kind: Option<ChangeKind>,
    /// Keep the first rows of each sheet (for `inspect`).
    pub keep_head: bool,
}

/// The change kind of a sheet without a change-type column, and what decided it: the
/// sheet name, the file name, the layout, `--kind`, in that order.
pub fn decide_kind(
    header: &Header,
    sheet: &str,
    display: &str,
    opts: &PlanOptions<'_>,
) -> (Option<ChangeKind>, Option<KindSource>) {
    if header.map.has(Field::Change) {
        return (None, Some(KindSource::Column));
    }
    let words = &opts.vocab.kind_words;
    let stem = std::path::Path::new(display)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(display);
    let layout = header
        .layout
        .and_then(|l| opts.vocab.layouts.get(l))
        .and_then(|l| l.kind);
    let found = [
        (words.decide(sheet), KindSource::Sheet),
        (words.decide(stem), KindSource::File),
        (layout, KindSource::Layout),
        (opts.kind, KindSource::Option),
    ]
    .into_iter()
    .find_map(|(k, src)| k.map(|k| (k, src)));
    match found {
        Some((k, src)) => (Some(k), Some(src)),
        None => (None, None),
    }
}

/// Finds the header of every sheet (or only `only_sheet`).
pub fn plan(
    file: &mut InputFile,
    display: &str,
    opts: &PlanOptions<'_>,
) -> Result<FilePlan, InputError> {
    let names = file.sheet_names();
    let only_sheet = opts.only_sheet;
    let vocab = opts.vocab;
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
        let mut buf = file.row_buf();
        let (filled, _) = file.with_sheet(name, |r| r.fill(&mut buf, HEADER_SEARCH_ROWS))?;
        filled?;
        let sheet_label = if name.is_empty() {
            String::new()
        } else {
            format!(" [{name}] ")
        };
        let missing_error = |row: u32, missing: &[Field], seen: &[String]| {
            let change = missing.contains(&Field::Change);
            InputError::new(
                &H002,
                vec![
                    ("file", display.to_string()),
                    ("sheet", sheet_label.clone()),
                    ("row", row.to_string()),
                    ("missing_zh", field_list(missing, vocab, Lang::Zh)),
                    ("missing_en", field_list(missing, vocab, Lang::En)),
                    ("seen", seen.join(", ")),
                    ("nearest", nearest(missing, seen, vocab)),
                    (
                        "ways_zh",
                        if change { KIND_WAYS_ZH } else { "" }.to_string(),
                    ),
                    (
                        "ways_en",
                        if change { KIND_WAYS_EN } else { "" }.to_string(),
                    ),
                ],
            )
        };
        let detected = match header::detect(&buf, vocab) {
            // `inspect` shows a header without a name or ID column, or with two columns
            // for one field, too.
            Detection::Missing { row, .. } | Detection::Ambiguous { row, .. } if opts.keep_head => {
                header::header_at(&buf, row, vocab)
            }
            Detection::NotFound if opts.keep_head => header::candidate(&buf, vocab)
                .map_or(Detection::NotFound, |row| {
                    header::header_at(&buf, row, vocab)
                }),
            d => d,
        };
        let data = match detected {
            Detection::Found(header) => {
                let (kind, kind_from) = if opts.schema == Schema::Changes {
                    decide_kind(&header, name, display, opts)
                } else {
                    (None, None)
                };
                let other = header
                    .layout
                    .and_then(|l| opts.vocab.layouts.get(l))
                    .filter(|_| kind.is_none() && !header.map.has(Field::Change))
                    .filter(|_| opts.schema == Schema::Changes && !opts.keep_head)
                    .and_then(|l| l.not_changes.as_ref().map(|w| (l, w)));
                if let Some((l, (what_zh, what_en))) = other {
                    return Err(InputError::new(
                        &H010,
                        vec![
                            ("file", display.to_string()),
                            ("sheet", sheet_label.clone()),
                            ("row", header.row.to_string()),
                            ("title", l.title.clone()),
                            ("layout", l.name.clone()),
                            ("what_zh", what_zh.clone()),
                            ("what_en", what_en.clone()),
                        ],
                    ));
                }
                let no_name = header.layout.is_some_and(|l| vocab.layout_without_name(l));
                let missing: Vec<Field> = header::required(opts.schema, kind)
                    .into_iter()
                    .filter(|f| !header.map.has(*f))
                    .filter(|f| !(no_name && *f == Field::Name))
                    .collect();
                if !missing.is_empty() && !opts.keep_head {
                    let seen: Vec<String> = header
                        .columns
                        .iter()
                        .filter(|c| !c.trim().is_empty())
                        .cloned()
                        .collect();
                    return Err(missing_error(header.row, &missing, &seen));
                }
                Some(SheetData {
                    header,
                    kind,
                    kind_from,
                })
            }
            Detection::NotFound => None,
            Detection::Missing { row, missing, seen } => {
                return Err(missing_error(row, &missing, &seen))
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
                        ("first", first.1),
                        ("first_col", column_letter(first.0)),
                        ("second", second.1),
                        ("second_col", column_letter(second.0)),
                    ],
                ))
            }
        };
        sheets.push(SheetPlan {
            index: index as u32,
            name: name.clone(),
            data,
            head: opts.keep_head.then_some(buf),
        });
    }
    if sheets.iter().all(|s| s.data.is_none()) && !opts.keep_head {
        let required = header::required(opts.schema, None);
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
                ("missing_zh", field_list(&required, vocab, Lang::Zh)),
                ("missing_en", field_list(&required, vocab, Lang::En)),
                ("accepted", accepted(&required, vocab)),
            ],
        ));
    }
    Ok(FilePlan {
        display: display.to_string(),
        sheets,
    })
}

/// `A`, `B`, … `AA`: a column as Excel names it.
pub fn column_letter(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn accepted(fields: &[Field], vocab: &Vocabulary) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.id(), vocab.headers(*f).join(" / ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// For each missing field, the accepted texts nearest to the columns the sheet has.
fn nearest(fields: &[Field], seen: &[String], vocab: &Vocabulary) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.id(), vocab.nearest_for(*f, seen, 4).join(" / ")))
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
                        Ok(n) => {
                            buf.set_read_share(reader.read_share());
                            Ok((buf, if first { skip.min(n) } else { 0 }))
                        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cell::Cell;

    fn header(cols: &[&str]) -> Header {
        let mut buf = RowBuf::for_cells();
        buf.push_cells(1, cols.iter().map(|t| Cell::Text(t.to_string().into())));
        match header::detect(&buf, Vocabulary::embedded()) {
            Detection::Found(h) => h,
            other => panic!("{other:?}"),
        }
    }

    fn opts(kind: Option<ChangeKind>) -> PlanOptions<'static> {
        PlanOptions {
            schema: Schema::Changes,
            vocab: Vocabulary::embedded(),
            only_sheet: None,
            kind,
            keep_head: false,
        }
    }

    #[test]
    fn kind_is_asked_of_column_sheet_file_layout_option_in_order() {
        use ChangeKind::{Addition as A, Reduction as R};
        let plain = header(&["姓名", "身份证号", "缴费基数", "奇怪列"]);
        let o = opts(Some(R));
        let with_column = header(&["姓名", "身份证号", "变动类型"]);
        assert_eq!(
            decide_kind(&with_column, "增员", "减员.csv", &o),
            (None, Some(KindSource::Column))
        );
        assert_eq!(
            decide_kind(&plain, "增员", "离职.csv", &o),
            (Some(A), Some(KindSource::Sheet))
        );
        assert_eq!(
            decide_kind(&plain, "Sheet1", "dir/2025-08离职.xlsx", &o),
            (Some(R), Some(KindSource::File))
        );
        // The Shenzhen stop template: its layout says reduction.
        let stop = header(&["电脑号", "姓名", "身份证号", "停交原因"]);
        assert_eq!(
            decide_kind(&stop, "Sheet1", "stop.xls", &opts(Some(A))),
            (Some(R), Some(KindSource::Layout))
        );
        assert_eq!(
            decide_kind(&plain, "Sheet1", "export.csv", &o),
            (Some(R), Some(KindSource::Option))
        );
        assert_eq!(
            decide_kind(&plain, "Sheet1", "增减员.csv", &opts(None)),
            (None, None)
        );
    }

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
