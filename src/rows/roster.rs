//! The current enrollment list (参保名册): who is enrolled as the period starts.

use std::path::Path;

use compact_str::CompactString;
use rust_decimal::Decimal;

use rayon::prelude::*;

use super::key::{PersonIndex, PersonKey};
use super::mangled::{self, MangledIds};
use super::{ok, word};
use crate::calendar::Month;
use crate::ids::DocType;
use crate::input::cell::Cell;
use crate::input::encoding::Encoding;
use crate::input::header::{ColumnMap, Field, Schema};
use crate::input::layout::Vocabulary;
use crate::input::rows_buf::RawRow;
use crate::input::value::cover::Cover;
use crate::input::value::vocab::Vocab;
use crate::input::value::{self, IdCell, Value};
use crate::input::{plan, InputError, InputFile};
use crate::model::{Category, MedicalTier, RosterStatus};

/// One member. A million of them stay in memory for the run, so the entry is kept small:
/// ID and name are inline strings (no allocation up to 24 bytes, which covers an
/// 18-character ID and a name of eight Chinese characters), the sheet is a position.
#[derive(Clone, Debug)]
pub struct RosterEntry {
    pub id: CompactString,
    pub id_type: DocType,
    pub name: CompactString,
    pub category: Option<Category>,
    pub start_month: Option<Month>,
    pub base: Option<Decimal>,
    /// 医疗保险档次 when the roster has the column (Shenzhen 二档 is charged its own rates).
    pub medical_tier: Option<MedicalTier>,
    pub status: RosterStatus,
    pub stop_month: Option<Month>,
    /// The sheet (its position in the workbook, 0 for a CSV) and row the entry was read
    /// from, for messages.
    pub sheet: u32,
    pub row: u32,
}

impl RosterEntry {
    /// The member an accepted addition makes, for roster.next.csv.
    pub fn added(row: &super::ChangeRow<'_>, start_month: Option<Month>) -> RosterEntry {
        RosterEntry {
            id: row.id_text().into(),
            id_type: ok(&row.id_type).copied().unwrap_or(DocType::ResidentId),
            name: row.name_text().into(),
            category: ok(&row.category).copied(),
            start_month,
            base: ok(&row.base).copied(),
            medical_tier: ok(&row.medical_tier).copied(),
            status: RosterStatus::Active,
            stop_month: None,
            sheet: row.at.sheet,
            row: row.at.row,
        }
    }

    /// The insurances the member is charged: all, less medical when not enrolled in it.
    pub fn cover(&self) -> Cover {
        match self.medical_tier {
            Some(MedicalTier::NotEnrolled) => Cover::ALL.without(Cover::MEDICAL),
            _ => Cover::ALL,
        }
    }
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
    index: PersonIndex,
    pub rows_read: u64,
    pub blank: u64,
    pub skipped: Vec<Skipped>,
    /// Lines whose ID a spreadsheet turned into a number (also in `skipped`), per sheet in
    /// file order: (sheet position, rows), for V021.
    pub mangled_rows: Vec<(u32, Vec<u32>)>,
    /// Their numbers, to tell which reductions they could have been (no R001 then).
    pub mangled: MangledIds,
    pub encoding: Option<Encoding>,
    /// The file's sheet names, by position.
    sheets: Vec<String>,
    /// 原证件号码 by roster position: the numbers a member was known by before an
    /// information change corrected theirs (few members have one, so not in the entry).
    former: std::collections::BTreeMap<usize, CompactString>,
    /// Every former number → its member, built on the first look-up.
    former_index: std::sync::OnceLock<PersonIndex>,
}

/// One roster row, read on its own (in parallel) before it is added in file order.
enum Line {
    Blank,
    Skip(Skipped),
    /// A spreadsheet-mangled ID: skipped, and remembered with what it showed.
    Mangled {
        skipped: Skipped,
        sheet: u32,
        shown: String,
    },
    Entry(PersonKey, RosterEntry, Option<CompactString>),
}

impl Roster {
    pub fn load(
        path: &Path,
        display: &str,
        encoding: Option<Encoding>,
        vocab: &Vocabulary,
        codes: &Vocab,
    ) -> Result<Roster, InputError> {
        Roster::load_reporting(path, display, encoding, vocab, codes, |_, _| {})
    }

    /// [`Roster::load`], telling `read(rows, share)` after each chunk how many lines are
    /// read and how much of the file (`RowBuf::read_share`), for the progress line.
    pub fn load_reporting(
        path: &Path,
        display: &str,
        encoding: Option<Encoding>,
        vocab: &Vocabulary,
        codes: &Vocab,
        mut progress: impl FnMut(u64, Option<(u64, u64)>),
    ) -> Result<Roster, InputError> {
        let mut file = InputFile::open(path, display, encoding)?;
        let opts = plan::PlanOptions {
            schema: Schema::Roster,
            vocab,
            only_sheet: None,
            kind: None,
            keep_head: false,
        };
        let plan = plan::plan(&mut file, display, &opts)?;
        let mut roster = Roster {
            file: display.to_string(),
            sheets: file.sheet_names(),
            ..Roster::default()
        };
        for sheet in &plan.sheets {
            let Some(data) = &sheet.data else { continue };
            let map = &data.header.map;
            let used = plan::stream::<InputError>(&mut file, sheet, data, 8192, |rows, first| {
                // Rows are read on every core; adding them stays in file order, so a
                // repeated ID keeps the later line whatever the thread count.
                let lines: Vec<Line> = (first..rows.len())
                    .into_par_iter()
                    .map(|i| read(rows.row(i), map, sheet, codes))
                    .collect();
                for line in lines {
                    roster.add(line);
                }
                progress(roster.rows_read, rows.read_share());
                Ok(())
            })?;
            roster.encoding = roster.encoding.or(used);
        }
        Ok(roster)
    }

    fn add(&mut self, line: Line) {
        self.rows_read += 1;
        let (key, entry, former) = match line {
            Line::Blank => {
                self.blank += 1;
                return;
            }
            Line::Skip(skipped) => {
                self.skipped.push(skipped);
                return;
            }
            Line::Mangled {
                skipped,
                sheet,
                shown,
            } => {
                self.mangled.add(&shown);
                match self.mangled_rows.last_mut() {
                    Some((s, rows)) if *s == sheet => rows.push(skipped.row),
                    _ => self.mangled_rows.push((sheet, vec![skipped.row])),
                }
                self.skipped.push(skipped);
                return;
            }
            Line::Entry(key, entry, former) => (key, entry, former),
        };
        let at = match self.index.get_or_insert(key, self.entries.len()) {
            // The same person twice: keep the later line, as a roster export lists the
            // latest enrollment last.
            Some(i) => {
                self.skipped.push(Skipped {
                    sheet: self.sheet_name(self.entries[i].sheet).to_string(),
                    row: self.entries[i].row,
                    reason: format!("superseded by row {} for the same ID number", entry.row),
                });
                self.entries[i] = entry;
                i
            }
            None => {
                self.entries.push(entry);
                self.entries.len() - 1
            }
        };
        // The later line's former numbers, as its other cells.
        match former {
            Some(f) => {
                self.former.insert(at, f);
            }
            None if !self.former.is_empty() => {
                self.former.remove(&at);
            }
            None => {}
        }
    }

    /// The file's sheet names, by position (one, empty, for a CSV).
    pub fn sheet_names(&self) -> &[String] {
        &self.sheets
    }

    fn sheet_name(&self, sheet: u32) -> &str {
        self.sheets.get(sheet as usize).map_or("", String::as_str)
    }

    /// The member's position in `entries`.
    pub fn position(&self, key: &PersonKey) -> Option<usize> {
        self.index.get(key)
    }

    /// The numbers the member at `at` was known by before (`原证件号码`, newest first,
    /// separated by `、`), if any.
    pub fn former_id(&self, at: usize) -> Option<&str> {
        self.former.get(&at).map(|f| f.as_str())
    }

    /// The member who was known by this number before an information change corrected it.
    pub fn position_by_former(&self, key: &PersonKey) -> Option<usize> {
        if self.former.is_empty() {
            return None;
        }
        self.former_index
            .get_or_init(|| {
                let mut index = PersonIndex::default();
                for (at, list) in &self.former {
                    for n in list.split('、') {
                        if let Some(k) = PersonKey::of(n.trim()) {
                            // The first member listed keeps a number two of them had.
                            let _ = index.get_or_insert(k, *at);
                        }
                    }
                }
                index
            })
            .get(key)
    }

    /// Records a member's former numbers (tests and callers that build a roster by hand).
    pub fn set_former_id(&mut self, at: usize, former: &str) {
        self.former.insert(at, former.into());
        self.former_index = std::sync::OnceLock::new();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Reads one roster row: an entry, or why it cannot be used.
fn read(raw: RawRow<'_>, map: &ColumnMap, sheet: &plan::SheetPlan, vocab: &Vocab) -> Line {
    if raw.is_blank() {
        return Line::Blank;
    }
    let cell = |f: Field| map.get(f).map_or(Cell::Empty, |c| raw.cell(c));
    let skipped = |reason: String| Skipped {
        sheet: sheet.name.clone(),
        row: raw.number,
        reason,
    };
    let skip = |reason: String| Line::Skip(skipped(reason));
    let id_cell = cell(Field::IdNumber);
    let id_value = value::id_number(&id_cell);
    if let Some(shown) = mangled::shown(&id_value) {
        return Line::Mangled {
            skipped: skipped(format!(
                "ID number {shown} was turned into a number by a spreadsheet"
            )),
            sheet: sheet.index,
            shown,
        };
    }
    let id = match id_value {
        IdCell::Text { value, .. } => value,
        IdCell::Numeric { shown } => {
            return skip(format!("ID number {shown} is stored as a number"));
        }
        IdCell::Empty => return skip("no ID number".into()),
    };
    let Some(key) = PersonKey::of(&id) else {
        return skip("no ID number".into());
    };
    let name_cell = cell(Field::Name);
    let name = match value::text(&name_cell) {
        Value::Ok { value, .. } => CompactString::from(value.as_ref()),
        _ => CompactString::default(),
    };
    let status = match word(&cell(Field::Status), |s| vocab.roster_status(s)) {
        Value::Ok { value, .. } => value,
        Value::Empty => RosterStatus::Active,
        Value::Invalid => {
            let shown = cell(Field::Status).to_string();
            return skip(format!("unknown status `{shown}`"));
        }
    };
    let entry = RosterEntry {
        id: id.as_ref().into(),
        id_type: ok(&word(&cell(Field::IdType), |s| vocab.doc_type(s)))
            .copied()
            .unwrap_or_else(|| crate::ids::implied(id.as_ref())),
        name,
        category: ok(&word(&cell(Field::Category), |s| vocab.category(s))).copied(),
        start_month: ok(&value::month(&cell(Field::StartMonth))).copied(),
        base: ok(&value::money(&cell(Field::Base))).copied(),
        medical_tier: ok(&word(&cell(Field::MedicalTier), |s| vocab.medical_tier(s))).copied(),
        status,
        stop_month: ok(&value::month(&cell(Field::StopMonth))).copied(),
        sheet: sheet.index,
        row: raw.number,
    };
    // A list of numbers (`、`-separated), read as text.
    let former = match value::text(&cell(Field::OldIdNumber)) {
        Value::Ok { value, .. } => Some(CompactString::from(value.as_ref())),
        _ => None,
    };
    Line::Entry(key, entry, former)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million entries stay in memory: growing the entry grows every large run.
    #[test]
    fn an_entry_stays_small_and_owns_no_heap_for_usual_members() {
        assert!(std::mem::size_of::<RosterEntry>() <= 88);
        let id = CompactString::from("11010519491231002X");
        let name = CompactString::from("欧阳娜仁其其格玛");
        assert!(!id.is_heap_allocated() && !name.is_heap_allocated());
        assert_eq!(&*name, "欧阳娜仁其其格玛");
    }
}
