//! Excel 2003 XML spreadsheets (SpreadsheetML), which many Java HR systems and portals
//! serve as `.xls`. Streamed with quick-xml, one event at a time: a sheet is never held
//! whole. `ss:Index` on rows and cells and `ss:MergeAcross` keep every value in the column
//! Excel shows it in.

use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::cell::Cell;
use super::limits::{self, MAX_COLUMNS};
use super::rows_buf::RowBuf;
use super::textsource::{self, Source};
use super::{InputError, RowReader};
use crate::calendar::Date;

pub struct XmlBook {
    path: PathBuf,
    file: String,
    names: Vec<String>,
}

impl XmlBook {
    /// Opens the file and lists its worksheets (one streaming pass over the tags).
    pub fn open(path: &Path, display: &str) -> Result<XmlBook, InputError> {
        let mut reader = reader(path, display)?;
        let mut buf = Vec::new();
        let mut names = Vec::new();
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Worksheet" => {
                    let n = names.len() + 1;
                    names.push(attr(&e, "Name").unwrap_or_else(|| format!("Sheet{n}")));
                }
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(textsource::read_error(display, &e, max_kib())),
            }
        }
        if names.is_empty() {
            return Err(InputError::refused_with(
                display,
                "这是 Excel 2003 XML 表格，但其中没有工作表".into(),
                "it is an Excel 2003 XML spreadsheet without any worksheet".into(),
            ));
        }
        Ok(XmlBook {
            path: path.to_path_buf(),
            file: display.to_string(),
            names,
        })
    }

    pub fn display(&self) -> &str {
        &self.file
    }

    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    pub fn with_sheet<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut dyn RowReader) -> T,
    ) -> Result<T, InputError> {
        let Some(index) = self.names.iter().position(|n| n == name) else {
            return Err(InputError::unreadable_because(&self.file, name));
        };
        let mut reader = reader(&self.path, &self.file)?;
        let mut buf = Vec::new();
        let mut seen = 0;
        // Skip to the start of the sheet.
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "Worksheet" => {
                    if seen == index {
                        break;
                    }
                    seen += 1;
                }
                Ok(Event::Empty(e)) if e.local_name().as_ref() == "Worksheet" => seen += 1,
                Ok(Event::Eof) => {
                    let mut rows = XmlRows::done(reader, &self.file);
                    return Ok(f(&mut rows));
                }
                Ok(_) => {}
                Err(e) => return Err(textsource::read_error(&self.file, &e, max_kib())),
            }
        }
        let mut rows = XmlRows {
            reader,
            buf,
            text: String::new(),
            file: self.file.clone(),
            row: 0,
            next_col: 0,
            in_row: false,
            row_has_cells: false,
            data: None,
            done: false,
        };
        Ok(f(&mut rows))
    }
}

fn max_kib() -> u64 {
    limits::get().record_kib
}

fn reader(path: &Path, display: &str) -> Result<Reader<Source>, InputError> {
    let source = textsource::open(path, display, max_kib() * 1024)?;
    let mut reader = Reader::from_reader(source);
    reader.config_mut().check_end_names = false;
    Ok(reader)
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| a.value.to_string())
            .map(|v| unescape(&v))
    })
}

fn number_attr(e: &BytesStart<'_>, local: &str) -> Option<u32> {
    attr(e, local).and_then(|v| v.trim().parse().ok())
}

/// The five predefined XML entities and character references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.find(';').filter(|&end| end <= 10) {
            Some(end) => {
                match entity(&after[..end]) {
                    Some(c) => out.push(c),
                    None => out.push_str(&rest[at..at + end + 2]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// An entity or character reference name (without `&` and `;`), as in XML and HTML.
pub fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')
        }
    }
}

struct XmlRows {
    reader: Reader<Source>,
    buf: Vec<u8>,
    text: String,
    file: String,
    /// The current row's number (1-based).
    row: u32,
    next_col: usize,
    in_row: bool,
    row_has_cells: bool,
    /// Inside a `<Data>`: its column and type.
    data: Option<(usize, String)>,
    done: bool,
}

impl XmlRows {
    fn done(reader: Reader<Source>, file: &str) -> XmlRows {
        XmlRows {
            reader,
            buf: Vec::new(),
            text: String::new(),
            file: file.to_string(),
            row: 0,
            next_col: 0,
            in_row: false,
            row_has_cells: false,
            data: None,
            done: true,
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, out: &mut RowBuf) {
        match e.local_name().as_ref() {
            "Row" => {
                self.row = match number_attr(e, "Index") {
                    Some(i) if i > self.row => i,
                    _ => self.row.saturating_add(1),
                };
                self.next_col = 0;
                self.in_row = !empty;
                self.row_has_cells = false;
            }
            "Cell" if self.in_row => {
                let col = match number_attr(e, "Index") {
                    Some(i) if i >= 1 => i as usize - 1,
                    _ => self.next_col,
                };
                let across = number_attr(e, "MergeAcross").unwrap_or(0) as usize;
                self.next_col = col.saturating_add(1).saturating_add(across);
                if !self.row_has_cells {
                    self.row_has_cells = true;
                }
                if col < MAX_COLUMNS {
                    out.set_cell(col, Cell::Empty);
                }
                if !empty {
                    self.data = Some((col, String::new()));
                    self.text.clear();
                }
            }
            "Data" => {
                if let Some((_, ty)) = &mut self.data {
                    *ty = attr(e, "Type").unwrap_or_default();
                }
                self.text.clear();
            }
            _ => {}
        }
    }

    fn end_cell(&mut self, out: &mut RowBuf) {
        if let Some((col, ty)) = self.data.take() {
            if col < MAX_COLUMNS && !self.text.is_empty() {
                out.set_cell(col, typed(&ty, &self.text));
            }
            self.text.clear();
        }
    }
}

fn typed<'a>(ty: &str, text: &'a str) -> Cell<'a> {
    match ty {
        "Number" => match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Cell::Number(n),
            _ => Cell::Text(text.into()),
        },
        "DateTime" => match text.get(..10).and_then(|d| d.parse::<Date>().ok()) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(text.into()),
        },
        "Boolean" => Cell::Bool(text.trim() == "1"),
        "Error" => Cell::Error(text.to_string()),
        _ => Cell::Text(text.into()),
    }
}

impl RowReader for XmlRows {
    fn fill(&mut self, out: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        out.clear();
        let max_text = (max_kib() * 1024) as usize;
        while !self.done && out.len() < max {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(textsource::read_error(&self.file, &e, max_kib())),
            };
            match event {
                Event::Start(e) => {
                    let e = e.into_owned();
                    self.start(&e, false, out);
                }
                Event::Empty(e) => {
                    let e = e.into_owned();
                    self.start(&e, true, out);
                }
                Event::Text(t) if self.data.is_some() => {
                    self.text.push_str(&t.xml10_content());
                }
                Event::CData(t) if self.data.is_some() => {
                    self.text.push_str(&t.into_inner());
                }
                Event::GeneralRef(r) if self.data.is_some() => {
                    let name = r.into_inner();
                    match entity(&name) {
                        Some(c) => self.text.push(c),
                        None => {
                            self.text.push('&');
                            self.text.push_str(&name);
                            self.text.push(';');
                        }
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "Cell" => self.end_cell(out),
                    "Row" if self.in_row => {
                        self.end_cell(out);
                        self.in_row = false;
                        if self.row_has_cells {
                            out.end_row(self.row);
                        }
                    }
                    "Table" | "Worksheet" => self.done = true,
                    _ => {}
                },
                Event::Eof => self.done = true,
                _ => {}
            }
            if self.text.len() > max_text {
                return Err(textsource::read_error(
                    &self.file,
                    &textsource::TEXT_TOO_LONG,
                    max_kib(),
                ));
            }
        }
        Ok(out.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn book(xml: &str) -> (tempfile::NamedTempFile, XmlBook) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(xml.as_bytes()).unwrap();
        let b = XmlBook::open(f.path(), "a.xls").unwrap();
        (f, b)
    }

    const HEAD: &str = r#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">"#;

    fn rows(b: &mut XmlBook, sheet: &str) -> Vec<(u32, Vec<String>)> {
        b.with_sheet(sheet, |r| {
            let mut buf = RowBuf::for_cells();
            let mut out = Vec::new();
            while r.fill(&mut buf, 2).unwrap() > 0 {
                out.extend(buf.rows().map(|row| (row.number, row.texts())));
            }
            out
        })
        .unwrap()
    }

    #[test]
    fn index_and_merge_keep_columns_in_place() {
        let xml = format!(
            r#"{HEAD}<Worksheet ss:Name="增员"><Table>
<Row><Cell ss:MergeAcross="1"><Data ss:Type="String">标题</Data></Cell><Cell><Data ss:Type="String">c</Data></Cell></Row>
<Row ss:Index="4"><Cell ss:Index="2"><Data ss:Type="Number">12.5</Data></Cell><Cell><Data ss:Type="String">a&amp;b&#20013;</Data></Cell></Row>
<Row><Cell><Data ss:Type="DateTime">2025-08-01T00:00:00.000</Data></Cell></Row>
</Table></Worksheet><Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet></Workbook>"#
        );
        let (_f, mut b) = book(&xml);
        assert_eq!(b.sheet_names(), ["增员", "说明"]);
        let got = rows(&mut b, "增员");
        assert_eq!(got[0], (1, vec!["标题".into(), "".into(), "c".into()]));
        assert_eq!(got[1], (4, vec!["".into(), "12.5".into(), "a&b中".into()]));
        assert_eq!(got[2], (5, vec!["2025-08-01".into()]));
        assert_eq!(rows(&mut b, "说明"), vec![(1, vec!["x".to_string()])]);
    }

    #[test]
    fn gbk_declared_files_are_decoded() {
        let xml = r#"<?xml version="1.0" encoding="GBK"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="表"><Table><Row><Cell><Data ss:Type="String">张三</Data></Cell></Row></Table></Worksheet></Workbook>"#.to_string();
        let bytes = encoding_rs::GB18030.encode(&xml).0.into_owned();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        let mut b = XmlBook::open(f.path(), "a.xls").unwrap();
        assert_eq!(rows(&mut b, "表"), vec![(1, vec!["张三".to_string()])]);
    }
}
