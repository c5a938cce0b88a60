//! The typed row model: one change row with every field read once into its value.
//!
//! Reading never fails: a field is `Empty`, `Ok` (perhaps normalised) or `Invalid`, and the
//! rules decide what each state means for the row.

pub mod key;
pub mod mangled;
pub mod roster;

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::calendar::{Date, Month};
use crate::finding::At;
use crate::ids::DocType;
use crate::input::cell::Cell;
use crate::input::header::{ColumnMap, Field};
use crate::input::rows_buf::RawRow;
use crate::input::value::vocab::Vocab;
use crate::input::value::{self, cover as vocab_cover, IdCell, Value};
use crate::model::{Category, ChangeKind, MedicalTier, Reason, Sex};

/// Where a sheet's rows come from and how its columns map.
#[derive(Clone, Copy)]
pub struct SheetCtx<'a> {
    pub file: u32,
    pub sheet: u32,
    pub map: &'a ColumnMap,
    /// The change kind the sheet name implies (增员 / 减员 sheets).
    pub kind: Option<ChangeKind>,
    /// The code lists, compiled for the run's region.
    pub vocab: &'a Vocab,
}

pub struct ChangeRow<'a> {
    pub raw: RawRow<'a>,
    pub map: &'a ColumnMap,
    /// The code lists the row was read with (for the nearest known values in messages).
    pub vocab: &'a Vocab,
    pub at: At,
    pub kind: Value<ChangeKind>,
    pub name: Value<Cow<'a, str>>,
    pub id_type: Value<DocType>,
    pub id_number: IdCell<'a>,
    pub sex: Value<Sex>,
    pub birth_date: Value<Date>,
    pub hire_date: Value<Date>,
    pub start_month: Value<Month>,
    pub leave_date: Value<Date>,
    pub stop_month: Value<Month>,
    pub reason: Value<Reason>,
    pub base: Value<Decimal>,
    pub category: Value<Category>,
    pub employer: Value<Cow<'a, str>>,
    pub hukou: Value<Cow<'a, str>>,
    pub phone: Value<Cow<'a, str>>,
    pub department: Value<Cow<'a, str>>,
    pub insurances: Value<vocab_cover::Cover>,
    pub medical_tier: Value<MedicalTier>,
    /// Information changes: the number and name before the change.
    pub old_id_number: IdCell<'a>,
    pub old_name: Value<Cow<'a, str>>,
}

impl<'a> ChangeRow<'a> {
    pub fn build(raw: RawRow<'a>, sheet: SheetCtx<'a>) -> ChangeRow<'a> {
        let map = sheet.map;
        let v = sheet.vocab;
        let cell = |f: Field| map.get(f).map_or(Cell::Empty, |c| raw.cell(c));
        let kind = if map.has(Field::Change) {
            word(&cell(Field::Change), |s| v.change_kind(s))
        } else {
            match sheet.kind {
                Some(k) => Value::Ok {
                    value: k,
                    normalized: false,
                },
                None => Value::Empty,
            }
        };
        ChangeRow {
            raw,
            map,
            vocab: v,
            at: At {
                file: sheet.file,
                sheet: sheet.sheet,
                row: raw.number,
                column: None,
            },
            kind,
            name: text_of(cell(Field::Name)),
            id_type: word(&cell(Field::IdType), |s| v.doc_type(s)),
            id_number: id_of(cell(Field::IdNumber)),
            sex: word(&cell(Field::Sex), |s| v.sex(s)),
            birth_date: value::date(&cell(Field::BirthDate)),
            hire_date: value::date(&cell(Field::HireDate)),
            start_month: value::month(&cell(Field::StartMonth)),
            leave_date: value::date(&cell(Field::LeaveDate)),
            stop_month: value::month(&cell(Field::StopMonth)),
            reason: word(&cell(Field::Reason), |s| v.reason(s)),
            base: value::money(&cell(Field::Base)),
            category: word(&cell(Field::Category), |s| v.category(s)),
            employer: text_of(cell(Field::Employer)),
            hukou: text_of(cell(Field::Hukou)),
            phone: text_of(cell(Field::Phone)),
            department: text_of(cell(Field::Department)),
            insurances: word(&cell(Field::Cover), vocab_cover::cover),
            medical_tier: word(&cell(Field::MedicalTier), |s| v.medical_tier(s)),
            old_id_number: id_of(cell(Field::OldIdNumber)),
            old_name: text_of(cell(Field::OldName)),
        }
    }

    /// The location of one field's cell.
    pub fn at(&self, f: Field) -> At {
        At {
            column: self.map.get(f).map(|c| c as u32),
            ..self.at
        }
    }

    /// The field's cell as a person reads it (for messages).
    pub fn shown(&self, f: Field) -> String {
        self.map
            .get(f)
            .map_or_else(String::new, |c| self.raw.cell(c).to_string())
    }

    pub fn kind(&self) -> Option<ChangeKind> {
        ok(&self.kind).copied()
    }

    /// The fields whose value was normalised (full-width characters, surrounding spaces).
    pub fn normalized_fields(&self) -> Vec<Field> {
        let flags = [
            (
                Field::Change,
                self.map.has(Field::Change) && normalized(&self.kind),
            ),
            (Field::Name, normalized(&self.name)),
            (Field::IdType, normalized(&self.id_type)),
            (Field::IdNumber, id_normalized(&self.id_number)),
            (Field::Sex, normalized(&self.sex)),
            (Field::BirthDate, normalized(&self.birth_date)),
            (Field::HireDate, normalized(&self.hire_date)),
            (Field::StartMonth, normalized(&self.start_month)),
            (Field::LeaveDate, normalized(&self.leave_date)),
            (Field::StopMonth, normalized(&self.stop_month)),
            (Field::Reason, normalized(&self.reason)),
            (Field::Base, normalized(&self.base)),
            (Field::Category, normalized(&self.category)),
            (Field::Employer, normalized(&self.employer)),
            (Field::Hukou, normalized(&self.hukou)),
            (Field::Phone, normalized(&self.phone)),
            (Field::Department, normalized(&self.department)),
            (Field::Cover, normalized(&self.insurances)),
            (Field::MedicalTier, normalized(&self.medical_tier)),
            (Field::OldIdNumber, id_normalized(&self.old_id_number)),
            (Field::OldName, normalized(&self.old_name)),
        ];
        flags
            .into_iter()
            .filter_map(|(f, n)| n.then_some(f))
            .collect()
    }

    /// The insurances the row enrolls in: its 参加险种 (all when absent), without medical when
    /// its medical tier says 不参加.
    pub fn cover(&self) -> vocab_cover::Cover {
        let all = ok(&self.insurances)
            .copied()
            .unwrap_or(vocab_cover::Cover::ALL);
        match ok(&self.medical_tier) {
            Some(MedicalTier::NotEnrolled) => all.without(vocab_cover::Cover::MEDICAL),
            _ => all,
        }
    }

    /// The ID number as read (normalised text, or the number as shown), for outputs.
    pub fn id_text(&self) -> &str {
        id_cell_text(&self.id_number)
    }

    pub fn name_text(&self) -> &str {
        ok(&self.name).map_or("", |n| n.as_ref())
    }

    /// The number before an information change, as read ("" when not given).
    pub fn old_id_text(&self) -> &str {
        id_cell_text(&self.old_id_number)
    }

    /// The name before an information change ("" when not given).
    pub fn old_name_text(&self) -> &str {
        ok(&self.old_name).map_or("", |n| n.as_ref())
    }

    /// An information change that corrects the ID number: the old number is given and
    /// differs from the row's.
    pub fn corrects_id(&self) -> bool {
        let old = self.old_id_text();
        !old.is_empty() && old != self.id_text()
    }
}

/// The value when it was read.
pub fn ok<T>(v: &Value<T>) -> Option<&T> {
    match v {
        Value::Ok { value, .. } => Some(value),
        _ => None,
    }
}

fn id_cell_text<'s>(c: &'s IdCell<'_>) -> &'s str {
    match c {
        IdCell::Empty => "",
        IdCell::Text { value, .. } => value,
        IdCell::Numeric { shown } => shown,
    }
}

fn id_normalized(c: &IdCell<'_>) -> bool {
    matches!(
        c,
        IdCell::Text {
            normalized: true,
            ..
        }
    )
}

fn normalized<T>(v: &Value<T>) -> bool {
    matches!(
        v,
        Value::Ok {
            normalized: true,
            ..
        }
    )
}

/// A cell as normalised text. Borrowed CSV text stays borrowed (no allocation on the hot
/// path); anything else is read through the value layer and owned.
fn text_of(cell: Cell<'_>) -> Value<Cow<'_, str>> {
    if let Cell::Text(Cow::Borrowed(s)) = cell {
        let n = value::normalize(s);
        if n.text.is_empty() {
            return Value::Empty;
        }
        return Value::Ok {
            value: n.text,
            normalized: n.normalized,
        };
    }
    match value::text(&cell) {
        Value::Ok { value, normalized } => Value::Ok {
            value: Cow::Owned(value.into_owned()),
            normalized,
        },
        Value::Empty => Value::Empty,
        Value::Invalid => Value::Invalid,
    }
}

/// The ID cell. Borrowed CSV text stays borrowed, as in `text_of`; anything else is read
/// through the value layer (which borrows from the cell itself) and owned.
fn id_of(cell: Cell<'_>) -> IdCell<'_> {
    if let Cell::Text(Cow::Borrowed(s)) = cell {
        return value::id_text(s);
    }
    match value::id_number(&cell) {
        IdCell::Empty => IdCell::Empty,
        IdCell::Text { value, normalized } => IdCell::Text {
            value: Cow::Owned(value.into_owned()),
            normalized,
        },
        IdCell::Numeric { shown } => IdCell::Numeric { shown },
    }
}

/// A cell read as one word of a vocabulary.
fn word<T>(cell: &Cell<'_>, parse: impl Fn(&str) -> Option<T>) -> Value<T> {
    match value::text(cell) {
        Value::Empty => Value::Empty,
        Value::Ok { value, normalized } => match parse(&value) {
            Some(v) => Value::Ok {
                value: v,
                normalized,
            },
            None => Value::Invalid,
        },
        Value::Invalid => Value::Invalid,
    }
}
