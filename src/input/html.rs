//! HTML tables saved as `.xls` (what many web portals and Java systems call an Excel
//! export). A tolerant streaming scanner, not a browser: each top-level `<table>` is a
//! sheet, `<tr>` a row, `<td>`/`<th>` a cell; tags inside a cell are dropped (`<br>` and
//! block ends become line breaks), entities are decoded, white space is collapsed as a
//! browser shows it, and `colspan`/`rowspan` keep later cells in the columns Excel shows.
//! Unclosed `<td>`/`<tr>` are closed by the next one, as browsers do.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::cell::Cell;
use super::limits::{self, MAX_COLUMNS};
use super::rows_buf::RowBuf;
use super::textsource::{self, Source};
use super::xmlss::entity;
use super::{InputError, RowReader};

/// A tag longer than this is damage, not markup.
const MAX_TAG: usize = 64 * 1024;

pub struct HtmlBook {
    path: PathBuf,
    file: String,
    names: Vec<String>,
}

impl HtmlBook {
    /// Opens the file and counts its tables (one streaming pass).
    pub fn open(path: &Path, display: &str) -> Result<HtmlBook, InputError> {
        let mut s = Scanner::new(path, display)?;
        let mut tables = 0usize;
        while let Some(tok) = s.next()? {
            if let Token::Tag {
                name, close: false, ..
            } = &tok
            {
                if name == "table" && s.depth == 1 {
                    tables += 1;
                }
            }
        }
        if tables == 0 {
            return Err(InputError::refused_with(
                display,
                "这是一个网页（HTML）文件，但其中没有表格；请从系统导出 Excel 或 CSV 文件".into(),
                "it is a web page (HTML) without any table; export an Excel or CSV file from the system".into(),
            ));
        }
        // One table reads like a CSV (one unnamed sheet); several are named in order.
        let names = if tables == 1 {
            vec![String::new()]
        } else {
            (1..=tables).map(|i| format!("Table{i}")).collect()
        };
        Ok(HtmlBook {
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
        let index = self.names.iter().position(|n| n == name).unwrap_or(0);
        let mut s = Scanner::new(&self.path, &self.file)?;
        let mut seen = 0;
        let mut found = false;
        while let Some(tok) = s.next()? {
            if let Token::Tag {
                name, close: false, ..
            } = &tok
            {
                if name == "table" && s.depth == 1 {
                    if seen == index {
                        found = true;
                        break;
                    }
                    seen += 1;
                }
            }
        }
        let mut rows = HtmlRows {
            scanner: s,
            done: !found,
            row: 0,
            cells: Vec::new(),
            cell: None,
            spans: Vec::new(),
            in_row: false,
            skip_to: 0,
        };
        Ok(f(&mut rows))
    }
}

enum Token {
    Tag {
        name: String,
        close: bool,
        attrs: String,
    },
    Text(String),
}

struct Scanner {
    src: Source,
    file: String,
    /// Depth of `<table>` nesting after the last token.
    depth: u32,
    max_text: usize,
}

impl Scanner {
    fn new(path: &Path, display: &str) -> Result<Scanner, InputError> {
        let max = limits::get().record_kib * 1024;
        Ok(Scanner {
            src: textsource::open(path, display, max)?,
            file: display.to_string(),
            depth: 0,
            max_text: max as usize,
        })
    }

    fn err(&self, e: &dyn std::fmt::Display) -> InputError {
        textsource::read_error(&self.file, e, limits::get().record_kib)
    }

    fn byte(&mut self) -> Result<Option<u8>, InputError> {
        let buf = self
            .src
            .fill_buf()
            .map_err(|e| textsource::read_error(&self.file, &e, limits::get().record_kib))?;
        let Some(&b) = buf.first() else {
            return Ok(None);
        };
        self.src.consume(1);
        Ok(Some(b))
    }

    /// Reads up to and including `end`; false at the end of the file.
    fn skip_past(&mut self, end: &[u8]) -> Result<bool, InputError> {
        let mut matched = 0;
        while let Some(b) = self.byte()? {
            if b.eq_ignore_ascii_case(&end[matched]) {
                matched += 1;
                if matched == end.len() {
                    return Ok(true);
                }
            } else {
                matched = usize::from(b.eq_ignore_ascii_case(&end[0]));
            }
        }
        Ok(false)
    }

    fn next(&mut self) -> Result<Option<Token>, InputError> {
        let mut text = Vec::new();
        loop {
            let buf = self
                .src
                .fill_buf()
                .map_err(|e| textsource::read_error(&self.file, &e, limits::get().record_kib))?;
            if buf.is_empty() {
                return Ok((!text.is_empty()).then(|| Token::Text(decode(&text))));
            }
            if buf[0] != b'<' {
                let n = buf.iter().position(|&b| b == b'<').unwrap_or(buf.len());
                text.extend_from_slice(&buf[..n]);
                self.src.consume(n);
                if text.len() > self.max_text {
                    return Err(self.err(&textsource::TEXT_TOO_LONG));
                }
                continue;
            }
            if !text.is_empty() {
                return Ok(Some(Token::Text(decode(&text))));
            }
            self.src.consume(1);
            return self.tag().map(Some);
        }
    }

    /// After `<`: a tag, or a comment / declaration skipped as empty text.
    fn tag(&mut self) -> Result<Token, InputError> {
        let mut raw = Vec::new();
        let mut quote = None;
        while let Some(b) = self.byte()? {
            if raw.is_empty() && b == b'!' {
                // `<!-- ... -->`, `<!DOCTYPE ...>`, `<![if ...]>`.
                let mut two = [0u8; 2];
                for x in &mut two {
                    *x = self.byte()?.unwrap_or(b'>');
                }
                if &two == b"--" {
                    self.skip_past(b"-->")?;
                } else if two[0] != b'>' && two[1] != b'>' {
                    self.skip_past(b">")?;
                }
                return Ok(Token::Text(String::new()));
            }
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b'>' => break,
                None => {}
            }
            raw.push(b);
            if raw.len() > MAX_TAG {
                return Err(self.err(&"tag too long"));
            }
        }
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let close = raw.starts_with('/');
        let body = raw.trim_start_matches('/');
        let end = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(body.len());
        let name = body[..end].to_ascii_lowercase();
        let attrs = body[end..].to_string();
        if !close && (name == "script" || name == "style") {
            let end_tag = format!("</{name}");
            self.skip_past(end_tag.as_bytes())?;
            self.skip_past(b">")?;
            return Ok(Token::Text(String::new()));
        }
        if name == "table" {
            if close {
                self.depth = self.depth.saturating_sub(1);
            } else {
                self.depth += 1;
            }
        }
        Ok(Token::Tag { name, close, attrs })
    }
}

/// Text between tags: entities decoded (invalid UTF-8 cannot occur: the source is decoded).
fn decode(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    if !s.contains('&') {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        match end.and_then(|e| entity(&after[..e]).map(|c| (e, c))) {
            Some((e, c)) => {
                out.push(c);
                rest = &after[e + 1..];
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

/// An attribute's value as a count (`colspan="2"`, `rowspan=3`), between 1 and `cap`.
fn span(attrs: &str, key: &str, cap: usize) -> usize {
    let lower = attrs.to_ascii_lowercase();
    let Some(at) = lower.find(key) else { return 1 };
    let rest = lower[at + key.len()..].trim_start();
    let Some(rest) = rest.strip_prefix('=') else {
        return 1;
    };
    let digits: String = rest
        .trim_start()
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, cap)
}

struct HtmlRows {
    scanner: Scanner,
    done: bool,
    /// Rows of the table so far (the row number shown).
    row: u32,
    /// The current row's cells: (column, text).
    cells: Vec<(usize, String)>,
    /// The open cell: its column and text so far.
    cell: Option<(usize, String)>,
    /// Per column: how many more rows a `rowspan` above still covers.
    spans: Vec<u32>,
    in_row: bool,
    /// The first column the next cell may take (after the last cell's colspan).
    skip_to: usize,
}

impl HtmlRows {
    fn next_free(&self, from: usize) -> usize {
        let mut c = from;
        while self.spans.get(c).is_some_and(|&n| n > 0) {
            c += 1;
        }
        c
    }

    fn close_cell(&mut self) {
        if let Some((col, text)) = self.cell.take() {
            self.cells.push((col, collapse(&text)));
        }
    }

    /// Ends the open row into `out`; returns whether a row was written.
    fn close_row(&mut self, out: &mut RowBuf) -> bool {
        self.close_cell();
        if !self.in_row {
            return false;
        }
        self.in_row = false;
        for s in &mut self.spans {
            *s = s.saturating_sub(1);
        }
        if self.cells.is_empty() {
            return false;
        }
        for (col, text) in self.cells.drain(..) {
            if col < MAX_COLUMNS {
                let cell = if text.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text.into())
                };
                out.set_cell(col, cell);
            }
        }
        out.end_row(self.row);
        true
    }

    fn open_cell(&mut self, attrs: &str) {
        self.close_cell();
        if !self.in_row {
            self.open_row();
        }
        let col = self.next_free(self.skip_to);
        let across = span(attrs, "colspan", MAX_COLUMNS);
        let down = span(attrs, "rowspan", 65_536) as u32;
        if down > 1 {
            let end = (col + across).min(MAX_COLUMNS);
            if self.spans.len() < end {
                self.spans.resize(end, 0);
            }
            for s in &mut self.spans[col.min(end)..end] {
                // This row is counted down when it closes.
                *s = (*s).max(down);
            }
        }
        self.cell = Some((col, String::new()));
        self.skip_to = col + across;
    }

    fn open_row(&mut self) {
        self.in_row = true;
        self.row += 1;
        self.cells.clear();
        self.skip_to = 0;
    }
}

/// Collapses white space as a browser shows it, keeping the line breaks of `<br>`.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut first = true;
        for word in line.split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}') {
            if word.is_empty() {
                continue;
            }
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
    }
    out.trim_matches('\n').to_string()
}

impl RowReader for HtmlRows {
    fn fill(&mut self, out: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        out.clear();
        let max_text = self.scanner.max_text;
        while !self.done && out.len() < max {
            let Some(tok) = self.scanner.next()? else {
                self.close_row(out);
                self.done = true;
                break;
            };
            // Tags of a nested table belong to the cell they sit in.
            let nested = self.scanner.depth > 1
                || matches!(&tok, Token::Tag { name, close: true, .. } if name == "table" && self.scanner.depth >= 1);
            match tok {
                Token::Text(t) => {
                    if let Some((_, text)) = &mut self.cell {
                        // Source line breaks are white space; only `<br>` breaks a line.
                        text.push_str(&t.replace(['\n', '\r'], " "));
                        if text.len() > max_text {
                            return Err(self.scanner.err(&textsource::TEXT_TOO_LONG));
                        }
                    }
                }
                Token::Tag { name, close, attrs } => match (name.as_str(), close) {
                    _ if nested => {
                        if let Some((_, text)) = &mut self.cell {
                            if matches!(name.as_str(), "tr" | "br" | "p" | "div") {
                                text.push('\n');
                            } else if matches!(name.as_str(), "td" | "th") {
                                text.push(' ');
                            }
                        }
                    }
                    ("tr", false) => {
                        self.close_row(out);
                        self.open_row();
                    }
                    ("tr", true) => {
                        self.close_row(out);
                    }
                    ("td" | "th", false) => self.open_cell(&attrs),
                    ("td" | "th", true) => self.close_cell(),
                    ("br", _) | ("p" | "div" | "li", true) => {
                        if let Some((_, text)) = &mut self.cell {
                            text.push('\n');
                        }
                    }
                    ("table", true) => {
                        self.close_row(out);
                        self.done = true;
                    }
                    _ => {}
                },
            }
        }
        Ok(out.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn rows_of(html: &[u8]) -> Vec<(u32, Vec<String>)> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(html).unwrap();
        let mut b = HtmlBook::open(f.path(), "a.xls").unwrap();
        let name = b.sheet_names()[0].clone();
        b.with_sheet(&name, |r| {
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
    fn spans_entities_and_inner_tags() {
        let html = br#"<html><head><style>td{x:1}</style></head><body><!-- <table> -->
<table border=1><tr><th colspan="2">A &amp; B</th><th>C</th></tr>
<tr><td rowspan=2>r1</td><td><b>x</b>&nbsp;y<br>z</td><td>1</td></tr>
<tr><td>k<td>2
<tr><td>a</td><td></td><td>&#x4E2D;</td></tr></table></body></html>"#;
        let got = rows_of(html);
        assert_eq!(got[0], (1, vec!["A & B".into(), "".into(), "C".into()]));
        assert_eq!(got[1], (2, vec!["r1".into(), "x y\nz".into(), "1".into()]));
        // The rowspan above keeps column 1 free: `k` and `2` move right.
        assert_eq!(got[2], (3, vec!["".into(), "k".into(), "2".into()]));
        assert_eq!(got[3], (4, vec!["a".into(), "".into(), "中".into()]));
    }

    #[test]
    fn gbk_meta_charset() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><table><tr><td>张三</td></tr></table>";
        let bytes = encoding_rs::GB18030.encode(html).0.into_owned();
        assert_eq!(rows_of(&bytes), vec![(1, vec!["张三".to_string()])]);
    }

    #[test]
    fn collapse_keeps_breaks() {
        assert_eq!(collapse("  a \t b \n c "), "a b\nc");
    }
}
