//! What the two workbooks share: byte-stable document properties, column widths measured
//! while rows stream past, sheet names Excel accepts, and error mapping.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};

use crate::calendar::Date;
use crate::error::Error;

/// Excel's limits: characters in a cell, rows and columns in a sheet.
pub const MAX_CELL_CHARS: usize = 32_767;
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: usize = 16_384;

pub fn error(name: &str, e: XlsxError) -> Error {
    let source = match e {
        XlsxError::IoError(io) | XlsxError::TempFileError(_, io) => io,
        other => std::io::Error::other(other.to_string()),
    };
    Error::Write {
        path: name.into(),
        source,
    }
}

/// A workbook whose bytes depend only on what is written into it: the creation date is the
/// run's as-of date (never the clock), and constant-memory sheets spill to `tempdir` (the
/// output folder, so a large run does not fill a RAM-backed /tmp).
pub fn workbook(name: &str, as_of: Date, tempdir: &Path) -> Result<Workbook, Error> {
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)
            .map_err(|e| error(name, e))?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("headcount"),
    );
    wb.set_tempdir(tempdir).map_err(|e| error(name, e))?;
    Ok(wb)
}

/// Printing a sheet of findings: A4 landscape, one page wide, the header on every page.
pub fn print_setup(ws: &mut Worksheet, name: &str) -> Result<(), Error> {
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_repeat_rows(0, 0)
        .map_err(|e| error(name, e))?;
    Ok(())
}

/// Columns of display width: a CJK or full-width character takes two.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// Text cut to what a cell holds (Excel counts UTF-16 units).
pub fn clip(s: &str, max_units: usize) -> Cow<'_, str> {
    if s.len() <= max_units {
        return s.into();
    }
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max_units {
            return s[..i].to_string().into();
        }
    }
    s.into()
}

/// The widest content seen per column, so widths fit without keeping the rows.
#[derive(Default)]
pub struct Widths(Vec<usize>);

impl Widths {
    pub fn see(&mut self, col: usize, text: &str) {
        let w = display_width(text);
        if self.0.len() <= col {
            self.0.resize(col + 1, 0);
        }
        if let Some(slot) = self.0.get_mut(col) {
            *slot = (*slot).max(w);
        }
    }

    /// Every seen column with its width, as `apply` sets it (no wide columns).
    pub fn columns(&self, max: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.0
            .iter()
            .enumerate()
            .map(move |(col, w)| (col, (*w + 3).clamp(6, max)))
    }

    /// Sets every seen column's width (padding for the filter button), capped at `max`
    /// except for the columns in `wide` which may reach `max_wide`.
    pub fn apply(
        &self,
        ws: &mut Worksheet,
        max: usize,
        wide: &[(usize, usize)],
        name: &str,
    ) -> Result<(), Error> {
        for (col, w) in self.0.iter().enumerate() {
            let cap = wide
                .iter()
                .find(|(c, _)| *c == col)
                .map_or(max, |(_, m)| *m);
            let width = (*w + 3).clamp(6, cap);
            ws.set_column_width(col as u16, width as f64)
                .map_err(|e| error(name, e))?;
        }
        Ok(())
    }
}

/// A sheet name Excel accepts (at most 31 UTF-16 units, none of `[]:*?/\`, no apostrophe
/// at either end), unique in the workbook ignoring case. `keep` is a tail to preserve when
/// the whole does not fit: the input sheet's own name matters more than the file's.
pub fn sheet_name(head: &str, keep: &str, taken: &mut HashSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect()
    };
    let (head, keep) = (clean(head), clean(keep));
    let units = |s: &str| s.encode_utf16().count();
    let fit = |head: &str, keep: &str, limit: usize| -> String {
        let sep = if head.is_empty() || keep.is_empty() {
            ""
        } else {
            "-"
        };
        let keep = clip(keep, limit).into_owned();
        let room = limit.saturating_sub(units(&keep) + sep.len());
        let head = clip(head, room);
        let joined = if head.is_empty() {
            keep
        } else {
            format!("{head}{sep}{keep}")
        };
        let trimmed = joined.trim_matches(|c: char| c == '\'' || c.is_whitespace());
        if trimmed.is_empty() {
            "Sheet".to_string()
        } else {
            trimmed.to_string()
        }
    };
    let mut name = fit(&head, &keep, 31);
    let mut n = 1;
    // "History" is reserved by Excel.
    while taken.contains(&name.to_lowercase()) || name.eq_ignore_ascii_case("history") {
        n += 1;
        let suffix = format!("~{n}");
        name = format!("{}{suffix}", fit(&head, &keep, 31 - suffix.len()));
    }
    taken.insert(name.to_lowercase());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_and_stay_unique() {
        let mut taken = HashSet::new();
        taken.insert("汇总".to_string());
        assert_eq!(
            sheet_name("2025-08_增减员", "增员", &mut taken),
            "2025-08_增减员-增员"
        );
        assert_eq!(sheet_name("汇总", "", &mut taken), "汇总~2");
        let long = "北京云杉科技有限公司二零二五年八月社保增减员申报表";
        let name = sheet_name(long, "增员[新]", &mut taken);
        assert!(name.encode_utf16().count() <= 31, "{name}");
        assert!(name.ends_with("-增员_新_"), "{name}");
        let again = sheet_name(long, "增员[新]", &mut taken);
        assert_ne!(name, again);
        assert!(again.ends_with("~2") && again.encode_utf16().count() <= 31);
        assert_eq!(sheet_name("'a'", "", &mut taken), "a");
        assert_eq!(sheet_name("", "", &mut taken), "Sheet");
    }

    #[test]
    fn widths_count_wide_characters_twice() {
        assert_eq!(display_width("张三 ab"), 7);
        assert_eq!(display_width("ab\n张三张三"), 8);
        assert_eq!(clip("张三abc", 3), "张三a");
        assert_eq!(clip("ab", 3), "ab");
    }
}
