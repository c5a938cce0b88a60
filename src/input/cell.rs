//! One spreadsheet cell as the readers hand it over, before any interpretation.
//!
//! CSV cells are always text; workbook cells keep the type the spreadsheet stored, because
//! that type carries meaning (an ID number stored as a number has lost digits: V005).

use std::borrow::Cow;
use std::fmt;

use crate::calendar::Date;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    /// A numeric cell (integers arrive as whole floats).
    Number(f64),
    /// A cell formatted as a date in the workbook.
    Date(Date),
    Bool(bool),
    /// A formula error such as `#N/A`.
    Error(String),
}

impl Cell<'_> {
    /// Blank: empty, or text that is only white space (ASCII or ideographic).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.chars().all(|c| c.is_whitespace() || c == '\u{3000}'),
            _ => false,
        }
    }

    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Cell::Number(n) => Cell::Number(n),
            Cell::Date(d) => Cell::Date(d),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Error(e) => Cell::Error(e),
        }
    }
}

/// The cell as a person would read it in the sheet (used in messages and error workbooks).
impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Empty => Ok(()),
            Cell::Text(t) => f.write_str(t),
            Cell::Number(n) => write!(f, "{n}"),
            Cell::Date(d) => write!(f, "{d}"),
            Cell::Bool(b) => write!(f, "{}", if *b { "TRUE" } else { "FALSE" }),
            Cell::Error(e) => f.write_str(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_includes_ideographic_space() {
        assert!(Cell::Text(" \u{3000}\t".into()).is_blank());
        assert!(Cell::Empty.is_blank());
        assert!(!Cell::Text("0".into()).is_blank());
        assert!(!Cell::Number(0.0).is_blank());
    }

    #[test]
    fn displays_numbers_as_read() {
        assert_eq!(Cell::Number(1.10101e17).to_string(), "110101000000000000");
        assert_eq!(Cell::Number(8123.45).to_string(), "8123.45");
    }
}
