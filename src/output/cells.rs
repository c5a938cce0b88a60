//! Writing CSV cells that a spreadsheet will open: text that Excel would run as a formula
//! is neutralised, amounts are written as plain numbers.

use std::io::Write;

use crate::error::Error;

/// True when Excel or LibreOffice would treat the cell as a formula or control input.
pub fn is_formula_like(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Text as it may go into a spreadsheet cell: a leading apostrophe keeps a formula-like
/// value as text (the convention Excel itself uses).
pub fn safe_text(s: &str) -> std::borrow::Cow<'_, str> {
    if is_formula_like(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// An amount as every output writes it: two decimals, no grouping. Amounts arrive already
/// rounded by policy; a declared base with more decimals is shown half-up, never banker's.
pub fn money(d: rust_decimal::Decimal) -> String {
    let mut d = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    d.rescale(2);
    d.to_string()
}

/// A CSV writer over one output file that remembers the file's name for errors.
///
/// Cells go straight to the csv writer as they come (`write_field`), so a line costs no
/// allocation: numbers are formatted into one reused buffer. A write error is kept and
/// returned by `end`.
pub struct CsvOut<W: Write> {
    inner: csv::Writer<W>,
    name: String,
    scratch: String,
    failed: Option<csv::Error>,
}

impl<W: Write> CsvOut<W> {
    pub fn new(w: W, name: &str, header: &[&str]) -> Result<CsvOut<W>, Error> {
        let mut out = CsvOut::without_header(w, name);
        for h in header {
            out.num(h);
        }
        out.end()?;
        Ok(out)
    }

    /// A writer for lines only (a part of a file whose header is written elsewhere).
    pub fn without_header(w: W, name: &str) -> CsvOut<W> {
        CsvOut {
            inner: csv::WriterBuilder::new().from_writer(w),
            name: name.to_string(),
            scratch: String::new(),
            failed: None,
        }
    }

    /// A text cell, neutralised if needed.
    pub fn text(&mut self, s: &str) -> &mut Self {
        if is_formula_like(s) {
            self.scratch.clear();
            self.scratch.push('\'');
            self.scratch.push_str(s);
            self.field_from_scratch();
        } else {
            self.field(s.as_bytes());
        }
        self
    }

    /// A number or other value we produced ourselves, written as is.
    pub fn num(&mut self, s: impl std::fmt::Display) -> &mut Self {
        use std::fmt::Write as _;
        self.scratch.clear();
        // Writing into a String cannot fail unless Display itself does.
        let _ = write!(self.scratch, "{s}");
        self.field_from_scratch();
        self
    }

    fn field_from_scratch(&mut self) {
        let scratch = std::mem::take(&mut self.scratch);
        self.field(scratch.as_bytes());
        self.scratch = scratch;
    }

    fn field(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            if let Err(e) = self.inner.write_field(bytes) {
                self.failed = Some(e);
            }
        }
    }

    pub fn end(&mut self) -> Result<(), Error> {
        if let Some(e) = self.failed.take() {
            return Err(self.error(e));
        }
        // No more fields: this ends the line begun by `text` and `num`.
        self.inner
            .write_record(None::<&[u8]>)
            .map_err(|e| self.error(e))
    }

    pub fn finish(mut self) -> Result<(), Error> {
        self.inner.flush().map_err(|source| Error::Write {
            path: self.name.clone().into(),
            source,
        })
    }

    /// Flushes the lines and hands back the writer underneath.
    pub fn into_inner(self) -> Result<W, Error> {
        let name = self.name;
        self.inner.into_inner().map_err(|e| Error::Write {
            path: name.into(),
            source: e.into_error(),
        })
    }

    fn error(&self, e: csv::Error) -> Error {
        let source = match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        };
        Error::Write {
            path: self.name.clone().into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_decimals() {
        use rust_decimal::Decimal;
        assert_eq!(money(Decimal::new(12000, 0)), "12000.00");
        assert_eq!(money(Decimal::new(12345, 3)), "12.35");
        assert_eq!(money(Decimal::new(5, 1)), "0.50");
    }

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(
            safe_text("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(safe_text("+1"), "'+1");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("\tx"), "'\tx");
        assert_eq!(safe_text("张三"), "张三");
        let mut buf = Vec::new();
        let mut w = CsvOut::new(&mut buf, "t.csv", &["a", "b"]).unwrap();
        w.text("=1+1").num("-12.50");
        w.end().unwrap();
        w.finish().unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "a,b\n'=1+1,-12.50\n");
    }
}
