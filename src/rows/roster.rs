//! The current enrollment list (参保名册): who is enrolled as the period starts.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::key::PersonKey;
use super::{ok, word};
use crate::calendar::Month;
use crate::ids::DocType;
use crate::input::cell::Cell;
use crate::input::encoding::Encoding;
use crate::input::header::{Aliases, ColumnMap, Field, Schema};
use crate::input::rows_buf::RawRow;
use crate::input::value::{self, vocab, IdCell, Value};
use crate::input::{plan, InputError, InputFile};
use crate::model::{Category, RosterStatus};

#[derive(Clone, Debug)]
pub struct RosterEntry {
    pub id: Box<str>,
    pub id_type: DocType,
    pub name: Box<str>,
    pub category: Option<Category>,
    pub start_month: Option<Month>,
    pub base: Option<Decimal>,
    pub status: RosterStatus,
    pub stop_month: Option<Month>,
    /// Sheet and row in the roster file, for messages.
    pub sheet: Box<str>,
    pub row: u32,
}

/// A roster row that could not be used, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub sheet: String,
    pub row: u32,
    pub reason: String,
}

#[derive(Default)]
pub struct Roster {
    pub file: String,
    pub entries: Vec<RosterEntry>,
    index: HashMap<PersonKey, usize>,
    pub rows_read: u64,
    pub blank: u64,
    pub skipped: Vec<Skipped>,
    pub encoding: Option<Encoding>,
}

impl Roster {
    pub fn load(
        path: &Path,
        display: &str,
        encoding: Option<Encoding>,
        aliases: &Aliases,
    ) -> Result<Roster, InputError> {
        let mut file = InputFile::open(path, display, encoding)?;
        let plan = plan::plan(&mut file, display, Schema::Roster, aliases, None)?;
        let mut roster = Roster {
            file: display.to_string(),
            ..Roster::default()
        };
        for sheet in &plan.sheets {
            let Some(data) = &sheet.data else { continue };
            let used = plan::stream::<InputError>(&mut file, sheet, data, 8192, |rows, first| {
                for i in first..rows.len() {
                    roster.add(rows.row(i), &data.header.map, &sheet.name);
                }
                Ok(())
            })?;
            roster.encoding = roster.encoding.or(used);
        }
        Ok(roster)
    }

    fn add(&mut self, raw: RawRow<'_>, map: &ColumnMap, sheet: &str) {
        self.rows_read += 1;
        if raw.is_blank() {
            self.blank += 1;
            return;
        }
        let cell = |f: Field| map.get(f).map_or(Cell::Empty, |c| raw.cell(c));
        let skip = |reason: &str| Skipped {
            sheet: sheet.to_string(),
            row: raw.number,
            reason: reason.to_string(),
        };
        let id = match value::id_number(&cell(Field::IdNumber)) {
            IdCell::Text { value, .. } => value.into_owned(),
            IdCell::Numeric { shown } => {
                self.skipped
                    .push(skip(&format!("ID number {shown} is stored as a number")));
                return;
            }
            IdCell::Empty => {
                self.skipped.push(skip("no ID number"));
                return;
            }
        };
        let Some(key) = PersonKey::of(&id) else {
            self.skipped.push(skip("no ID number"));
            return;
        };
        let name = match value::text(&cell(Field::Name)) {
            Value::Ok { value, .. } => value.into_owned(),
            _ => String::new(),
        };
        let status = match word(&cell(Field::Status), vocab::roster_status) {
            Value::Ok { value, .. } => value,
            Value::Empty => RosterStatus::Active,
            Value::Invalid => {
                let shown = cell(Field::Status).to_string();
                self.skipped
                    .push(skip(&format!("unknown status `{shown}`")));
                return;
            }
        };
        let entry = RosterEntry {
            id: id.into(),
            id_type: ok(&word(&cell(Field::IdType), DocType::parse))
                .copied()
                .unwrap_or(DocType::ResidentId),
            name: name.into(),
            category: ok(&word(&cell(Field::Category), vocab::category)).copied(),
            start_month: ok(&value::month(&cell(Field::StartMonth))).copied(),
            base: ok(&value::money(&cell(Field::Base))).copied(),
            status,
            stop_month: ok(&value::month(&cell(Field::StopMonth))).copied(),
            sheet: sheet.into(),
            row: raw.number,
        };
        match self.index.get(&key) {
            // The same person twice: keep the later line, as a roster export lists the
            // latest enrollment last.
            Some(&i) => {
                self.skipped.push(Skipped {
                    sheet: self.entries[i].sheet.to_string(),
                    row: self.entries[i].row,
                    reason: format!("superseded by row {} for the same ID number", raw.number),
                });
                self.entries[i] = entry;
            }
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    pub fn get(&self, key: &PersonKey) -> Option<&RosterEntry> {
        self.index.get(key).map(|&i| &self.entries[i])
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
