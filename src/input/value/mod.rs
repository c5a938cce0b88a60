//! Turning one cell into a typed value.
//!
//! Every reader here answers in three ways: the cell is empty, it holds a value (and says
//! whether it had to clean full-width characters or stray spaces to get it, which the rules
//! report as V019), or it cannot be read (the rules report it with the raw cell text). Nothing
//! is guessed: a form that could mean two things is rejected.
//!
//! These run once per cell on files of a million rows, so clean input takes no allocation.

pub mod cover;
pub mod date;
pub mod id;
pub mod number;
pub mod text;
pub mod vocab;

pub use self::date::{date, month, parse_date, parse_month};
pub use self::id::{id_number, id_text, IdCell};
pub use self::number::{decimal_from_f64, money, parse_money};
pub use self::text::{normalize, split_code_label, text, Norm};

use crate::input::cell::Cell;

/// Outcome of reading one cell as a `T`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<T> {
    /// Blank cell (empty, or nothing but white space).
    Empty,
    Ok {
        value: T,
        /// Full-width characters or surrounding/ideographic spaces were fixed: report V019.
        normalized: bool,
    },
    /// Present but unreadable; the caller reports it with the raw cell text.
    Invalid,
}

impl<T> Value<T> {
    /// The value, if there is one.
    pub fn ok(self) -> Option<T> {
        match self {
            Value::Ok { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self, Value::Invalid)
    }

    /// True when a value was read only after cleaning it (V019).
    pub fn normalized(&self) -> bool {
        matches!(
            self,
            Value::Ok {
                normalized: true,
                ..
            }
        )
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Empty => Value::Empty,
            Value::Ok { value, normalized } => Value::Ok {
                value: f(value),
                normalized,
            },
            Value::Invalid => Value::Invalid,
        }
    }

    /// Keeps the `normalized` flag; `None` from `f` makes the value invalid.
    pub fn and_then<U>(self, f: impl FnOnce(T) -> Option<U>) -> Value<U> {
        match self {
            Value::Empty => Value::Empty,
            Value::Ok { value, normalized } => match f(value) {
                Some(value) => Value::Ok { value, normalized },
                None => Value::Invalid,
            },
            Value::Invalid => Value::Invalid,
        }
    }
}

/// Reads a cell as display text and hands it to one of the `vocab` parsers, e.g.
/// `coded(cell, vocab::sex)`.
pub fn coded<T>(cell: &Cell<'_>, parse: impl FnOnce(&str) -> Option<T>) -> Value<T> {
    text(cell).and_then(|t| parse(&t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChangeKind, Sex};

    #[test]
    fn coded_reads_vocab_from_cells() {
        let c = Cell::Text(" １１|增员 ".into());
        assert_eq!(
            coded(&c, vocab::change_kind),
            Value::Ok {
                value: ChangeKind::Addition,
                normalized: true
            }
        );
        assert_eq!(
            coded(&Cell::Text("女".into()), vocab::sex),
            Value::Ok {
                value: Sex::Female,
                normalized: false
            }
        );
        assert_eq!(coded(&Cell::Text("  ".into()), vocab::sex), Value::Empty);
        assert_eq!(
            coded(&Cell::Text("合计".into()), vocab::sex),
            Value::Invalid
        );
        assert_eq!(coded(&Cell::Number(0.0), vocab::sex), Value::Invalid);
    }

    #[test]
    fn value_helpers() {
        let v: Value<u8> = Value::Ok {
            value: 3,
            normalized: true,
        };
        assert!(v.normalized());
        assert_eq!(v.clone().map(|x| x * 2).ok(), Some(6));
        assert!(v.clone().and_then(|_| None::<u8>).is_invalid());
        assert!(Value::<u8>::Empty.is_empty());
        assert!(!Value::<u8>::Invalid.normalized());
        assert_eq!(Value::<u8>::Invalid.ok(), None);
    }
}
