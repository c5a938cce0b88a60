//! Reading change files and rosters: CSV and workbooks, header detection, value
//! normalisation. Produces rows of cells; knows nothing of rules.

pub mod cell;
pub mod cfb;
pub mod contain;
pub mod csv;
pub mod encoding;
pub mod guard;
pub mod header;
pub mod html;
pub mod layout;
pub mod limits;
pub mod plan;
pub mod rows_buf;
pub mod sniff;
pub mod sources;
pub mod swallow;
pub mod textsource;
pub mod value;
pub mod workbook;
pub mod xmlss;

use std::fmt;
use std::path::Path;

use crate::finding::{Lang, Rule};
use encoding::Encoding;
use header::H006;
use rows_buf::RowBuf;

/// A source of physical rows, one chunk at a time.
pub trait RowReader {
    /// Clears `buf` and fills it with up to `max` rows; returns how many (0 at the end).
    fn fill(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError>;

    /// `(done, total)` so far, in the source's own unit (bytes of a CSV, rows of a sheet),
    /// when its size is known: the progress line's percentage.
    fn read_share(&self) -> Option<(u64, u64)> {
        None
    }
}

/// A file that cannot be used at all (exit 2). Carries its H rule so the message is the
/// catalogue's, in either language.
#[derive(Debug)]
pub struct InputError {
    pub rule: &'static Rule,
    pub args: Vec<(&'static str, String)>,
}

impl InputError {
    pub fn new(rule: &'static Rule, args: Vec<(&'static str, String)>) -> InputError {
        InputError { rule, args }
    }

    pub fn unreadable(file: &str, e: &std::io::Error) -> InputError {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Self::unreadable_because(file, &reason)
    }

    pub fn unreadable_because(file: &str, reason: &str) -> InputError {
        InputError::new(
            &H006,
            vec![("file", file.to_string()), ("reason", reason.to_string())],
        )
    }

    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    pub fn message(&self, lang: Lang) -> String {
        format!(
            "[{}] {}",
            self.rule.code,
            self.rule.render(lang, &self.args)
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for InputError {}

/// An opened input: a delimited text file (one unnamed sheet), a workbook, an Excel 2003
/// XML spreadsheet or an HTML table file. Which one is decided by the bytes (`sniff`),
/// whatever the file is called.
pub enum InputFile {
    Csv {
        path: std::path::PathBuf,
        display: String,
        encoding: Option<Encoding>,
    },
    Workbook(Box<workbook::Workbook>),
    SpreadsheetMl(xmlss::XmlBook),
    Html(html::HtmlBook),
}

impl InputFile {
    pub fn open(
        path: &Path,
        display: &str,
        encoding: Option<Encoding>,
    ) -> Result<InputFile, InputError> {
        match sniff::sniff(path, display)? {
            sniff::Kind::Delimited => {
                // Open once now so a missing file fails before any work starts.
                csv::CsvReader::open(path, display, encoding)?;
                Ok(InputFile::Csv {
                    path: path.to_path_buf(),
                    display: display.to_string(),
                    encoding,
                })
            }
            sniff::Kind::SpreadsheetMl => Ok(InputFile::SpreadsheetMl(xmlss::XmlBook::open(
                path, display,
            )?)),
            sniff::Kind::Html => Ok(InputFile::Html(html::HtmlBook::open(path, display)?)),
            kind => {
                let book = workbook::Workbook::open(path, display, kind)?;
                Ok(InputFile::Workbook(Box::new(book)))
            }
        }
    }

    /// Sheet names; a CSV has one, named "".
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            InputFile::Csv { .. } => vec![String::new()],
            InputFile::Workbook(w) => w.sheet_names().to_vec(),
            InputFile::SpreadsheetMl(w) => w.sheet_names().to_vec(),
            InputFile::Html(w) => w.sheet_names().to_vec(),
        }
    }

    /// A row buffer of the right kind for this file.
    pub fn row_buf(&self) -> RowBuf {
        match self {
            InputFile::Csv { .. } => RowBuf::for_records(),
            _ => RowBuf::for_cells(),
        }
    }

    /// Runs `f` over a fresh reader of the named sheet; also returns the encoding used
    /// (CSV only).
    pub fn with_sheet<T>(
        &mut self,
        sheet: &str,
        f: impl FnOnce(&mut dyn RowReader) -> T,
    ) -> Result<(T, Option<Encoding>), InputError> {
        // The last line: a panic while reading becomes a refusal naming the file.
        let f = |r: &mut dyn RowReader| contain::contain(move || f(r));
        let (read, used) = match self {
            InputFile::Csv {
                path,
                display,
                encoding,
            } => {
                let mut r = csv::CsvReader::open(path, display, *encoding)?;
                let used = r.encoding();
                (f(&mut r), Some(used))
            }
            InputFile::Workbook(w) => (w.with_sheet(sheet, f)?, None),
            InputFile::SpreadsheetMl(w) => (w.with_sheet(sheet, f)?, None),
            InputFile::Html(w) => (w.with_sheet(sheet, f)?, None),
        };
        match read {
            Ok(t) => Ok((t, used)),
            Err(contain::Panicked) => Err(InputError::refused_with(
                self.display(),
                format!("读取工作表「{sheet}」时出现内部错误（文件可能已损坏）；请重新导出，或另存为 .xlsx 后重试，并把文件报告给维护者"),
                format!("an internal error occurred while reading sheet `{sheet}` (the file may be damaged); export it again or save it as .xlsx, and report the file to the maintainers"),
            )),
        }
    }

    /// The file's name as shown to the user.
    pub fn display(&self) -> &str {
        match self {
            InputFile::Csv { display, .. } => display,
            InputFile::Workbook(w) => w.display(),
            InputFile::SpreadsheetMl(w) => w.display(),
            InputFile::Html(w) => w.display(),
        }
    }
}
