//! `roster.next.csv`: the roster after this month's accepted changes, in the form
//! `--roster` reads back.

use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use compact_str::CompactString;

use super::cells::{money, CsvOut};
use crate::calendar::Month;
use crate::error::Error;
use crate::ids::DocType;
use crate::model::{Category, MedicalTier, RosterStatus};
use crate::rows::roster::{Roster, RosterEntry};

pub const COLUMNS: [&str; 10] = [
    "姓名",
    "证件类型",
    "证件号码",
    "人员类别",
    "参保年月",
    "缴费基数",
    "参保状态",
    "停缴年月",
    "医疗保险档次",
    "原证件号码",
];

/// What an accepted information change (信息变更) sets on a member's line; `None` keeps
/// the roster's value.
#[derive(Clone, Debug, Default)]
pub struct Correction {
    pub id: Option<CompactString>,
    pub id_type: Option<DocType>,
    pub name: Option<CompactString>,
    pub category: Option<Category>,
    pub medical_tier: Option<MedicalTier>,
    /// The number the correction replaces: it goes first in 原证件号码.
    pub former: Option<CompactString>,
}

impl Correction {
    /// The member's line after the correction, and its 原证件号码.
    pub fn apply(&self, e: &RosterEntry, former: Option<&str>) -> (RosterEntry, String) {
        let mut next = e.clone();
        if let Some(id) = &self.id {
            next.id = id.clone();
        }
        if let Some(t) = self.id_type {
            next.id_type = t;
        }
        if let Some(n) = &self.name {
            next.name = n.clone();
        }
        if let Some(c) = self.category {
            next.category = Some(c);
        }
        if let Some(t) = self.medical_tier {
            next.medical_tier = Some(t);
        }
        let history = match (self.former.as_deref(), former) {
            (Some(new), Some(old)) if !old.is_empty() => format!("{new}、{old}"),
            (Some(new), _) => new.to_string(),
            (None, old) => old.unwrap_or("").to_string(),
        };
        (next, history)
    }
}

/// This month's accepted changes, as they affect the roster. Held by roster position, not
/// by person: new members' lines wait in an unnamed temporary file, so memory does not
/// grow with the additions of a large month.
pub struct RosterChanges {
    /// Lines of people the roster does not list, in input order (UTF-8, no header).
    new_members: CsvOut<BufWriter<File>>,
    /// Additions of people the roster lists, as (roster position, new enrollment): the
    /// new enrollment takes the place of the roster's line.
    returning: Vec<(usize, RosterEntry)>,
    /// Members who stop, as (roster position, stop month).
    reductions: Vec<(usize, Month)>,
    /// Members whose details an information change corrects.
    corrections: Vec<(usize, Correction)>,
    /// The batch person of each new member's line, in line order (4 bytes a line).
    new_persons: Vec<u32>,
    /// New members reduced later in the same batch, as (batch person, stop month).
    new_stops: Vec<(u32, Month)>,
    sorted: bool,
}

impl RosterChanges {
    /// `dir`: where the temporary file goes (the output folder, which has room for the
    /// output anyway).
    pub fn new(dir: &Path) -> Result<RosterChanges, Error> {
        let file = tempfile::tempfile_in(dir).map_err(|source| Error::Write {
            path: dir.join(super::ROSTER_NEXT),
            source,
        })?;
        Ok(RosterChanges {
            new_members: CsvOut::without_header(BufWriter::new(file), super::ROSTER_NEXT),
            returning: Vec::new(),
            reductions: Vec::new(),
            corrections: Vec::new(),
            new_persons: Vec::new(),
            new_stops: Vec::new(),
            sorted: true,
        })
    }

    /// An accepted addition; `roster` is the person's roster position if listed,
    /// `person` the person's number in the batch.
    pub fn add(
        &mut self,
        roster: Option<usize>,
        person: Option<u32>,
        entry: RosterEntry,
    ) -> Result<(), Error> {
        match roster {
            Some(at) => {
                self.returning.push((at, entry));
                self.sorted = false;
                Ok(())
            }
            None => {
                self.new_persons.push(person.unwrap_or(u32::MAX));
                line(&mut self.new_members, &entry, None, "")
            }
        }
    }

    /// An accepted reduction of someone this batch added (not on the roster).
    pub fn stop_new(&mut self, person: u32, stop: Month) {
        self.new_stops.push((person, stop));
    }

    /// An accepted reduction of the member at roster position `at`.
    pub fn reduce(&mut self, at: usize, stop: Month) {
        self.reductions.push((at, stop));
        self.sorted = false;
    }

    /// An accepted information change of the member at roster position `at`.
    pub fn correct(&mut self, at: usize, correction: Correction) {
        self.corrections.push((at, correction));
        self.sorted = false;
    }

    /// Sorts by roster position; for one position the later change wins, as it did when
    /// these were maps.
    fn sort(&mut self) {
        if self.sorted {
            return;
        }
        fn last_per_position<T>(v: &mut Vec<(usize, T)>) {
            v.reverse();
            v.sort_by_key(|(at, _)| *at); // stable: the latest of a position first
            v.dedup_by_key(|(at, _)| *at);
        }
        last_per_position(&mut self.returning);
        last_per_position(&mut self.reductions);
        last_per_position(&mut self.corrections);
        self.sorted = true;
    }

    /// The stop month of the member at roster position `at`, if this month stops them.
    pub fn stop_of(&mut self, at: usize) -> Option<Month> {
        self.sort();
        let i = self
            .reductions
            .binary_search_by_key(&at, |(p, _)| *p)
            .ok()?;
        Some(self.reductions[i].1)
    }
}

pub fn write<W: Write>(
    w: W,
    roster: Option<&Roster>,
    mut changes: RosterChanges,
) -> Result<(), Error> {
    changes.sort();
    let mut out = CsvOut::new(w, super::ROSTER_NEXT, &COLUMNS)?;
    if let Some(roster) = roster {
        let mut returning = changes.returning.iter().peekable();
        let mut reductions = changes.reductions.iter().peekable();
        let mut corrections = changes.corrections.iter().peekable();
        for (at, e) in roster.entries.iter().enumerate() {
            // A returning member takes the new enrollment; a leaver is stopped.
            let e = match returning.next_if(|(p, _)| *p == at) {
                Some((_, new)) => new,
                None => e,
            };
            let stop = reductions.next_if(|(p, _)| *p == at).map(|(_, m)| *m);
            match corrections.next_if(|(p, _)| *p == at) {
                Some((_, c)) => {
                    let (next, former) = c.apply(e, roster.former_id(at));
                    line(&mut out, &next, stop, &former)?;
                }
                None => line(&mut out, e, stop, roster.former_id(at).unwrap_or(""))?,
            }
        }
    }
    let mut w = out.into_inner()?;
    let spool_error = |source| Error::Write {
        path: super::ROSTER_NEXT.into(),
        source,
    };
    let mut spool = changes
        .new_members
        .into_inner()?
        .into_inner()
        .map_err(|e| spool_error(e.into_error()))?;
    spool.seek(SeekFrom::Start(0)).map_err(spool_error)?;
    if changes.new_stops.is_empty() {
        std::io::copy(&mut BufReader::new(spool), &mut w).map_err(spool_error)?;
        return w.flush().map_err(spool_error);
    }
    // Some new members left in the same batch: their lines are read back and written
    // stopped. Cells are written as read (they were neutralised when first written).
    let mut stops = changes.new_stops;
    stops.reverse();
    stops.sort_by_key(|(p, _)| *p); // stable: the latest reduction of a person first
    stops.dedup_by_key(|(p, _)| *p);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(BufReader::new(spool));
    let mut out = CsvOut::without_header(&mut w, super::ROSTER_NEXT);
    let io = |e: csv::Error| spool_error(std::io::Error::other(e.to_string()));
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(io)?;
        let person = changes.new_persons.get(k).copied().unwrap_or(u32::MAX);
        let stop = stops
            .binary_search_by_key(&person, |(p, _)| *p)
            .ok()
            .map(|i| stops[i].1);
        for (i, cell) in record.iter().enumerate() {
            match (stop, i) {
                (Some(_), 6) => out.num(RosterStatus::Stopped.label_zh()),
                (Some(m), 7) => out.num(m),
                _ => out.num(cell),
            };
        }
        out.end()?;
    }
    out.into_inner()?;
    w.flush().map_err(spool_error)
}

/// One member's line; `stop` marks a leaver (written as stopped in that month), `former`
/// is the 原证件号码 cell.
pub fn line<W: Write>(
    out: &mut CsvOut<W>,
    e: &RosterEntry,
    stop: Option<Month>,
    former: &str,
) -> Result<(), Error> {
    let (status, stop_month) = match stop {
        Some(m) => (RosterStatus::Stopped, Some(m)),
        None => (e.status, e.stop_month),
    };
    out.text(&e.name)
        .text(e.id_type.label_zh())
        .text(&e.id)
        .text(e.category.map_or("", |c| c.label_zh()));
    match e.start_month {
        Some(m) => out.num(m),
        None => out.num(""),
    };
    match e.base {
        Some(b) => out.num(money(b)),
        None => out.num(""),
    };
    out.num(status.label_zh());
    match stop_month {
        Some(m) => out.num(m),
        None => out.num(""),
    };
    out.text(e.medical_tier.map_or("", |t| t.label_zh()));
    out.text(former);
    out.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DocType;

    fn member(id: &str, name: &str, start: Month) -> RosterEntry {
        RosterEntry {
            id: id.into(),
            id_type: DocType::ResidentId,
            name: name.into(),
            category: None,
            start_month: Some(start),
            base: None,
            medical_tier: None,
            status: RosterStatus::Active,
            stop_month: None,
            sheet: 0,
            row: 0,
        }
    }

    #[test]
    fn a_new_member_reduced_in_the_same_batch_is_written_stopped() {
        let m = |y, mo| Month::new(y, mo).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut changes = RosterChanges::new(dir.path()).unwrap();
        let mut odd = member("110101199001010070", "=丁, \"x\"", m(2026, 10));
        odd.base = Some(rust_decimal::Decimal::new(800000, 2));
        changes.add(None, Some(5), odd).unwrap();
        changes
            .add(
                None,
                Some(6),
                member("110101199001010097", "戊", m(2026, 10)),
            )
            .unwrap();
        changes.stop_new(5, m(2026, 11));
        let mut out = Vec::new();
        write(&mut out, None, changes).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1],
            "\"'=丁, \"\"x\"\"\",居民身份证（户口簿）,110101199001010070,,2026-10,8000.00,停保,2026-11,,"
        );
        assert!(lines[2].starts_with("戊,") && lines[2].ends_with(",参保,,,"));
    }

    #[test]
    fn returning_members_replace_their_line_leavers_stop_new_members_follow() {
        let m = |y, mo| Month::new(y, mo).unwrap();
        let mut roster = Roster::default();
        roster.entries = vec![
            member("110101199001010011", "甲", m(2020, 1)),
            member("110101199001010038", "乙", m(2020, 2)),
            member("110101199001010054", "丙", m(2020, 3)),
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut changes = RosterChanges::new(dir.path()).unwrap();
        changes
            .add(
                None,
                Some(3),
                member("110101199001010070", "丁", m(2025, 8)),
            )
            .unwrap();
        changes
            .add(
                Some(1),
                Some(1),
                member("110101199001010038", "乙", m(2025, 8)),
            )
            .unwrap();
        changes.reduce(2, m(2025, 7));
        changes.reduce(2, m(2025, 9)); // the later change of one member wins
        changes
            .add(
                None,
                Some(4),
                member("110101199001010097", "戊", m(2025, 8)),
            )
            .unwrap();
        assert_eq!(changes.stop_of(2), Some(m(2025, 9)));
        assert_eq!(changes.stop_of(0), None);
        let mut out = Vec::new();
        write(&mut out, Some(&roster), changes).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[1].starts_with("甲,") && lines[1].contains(",2020-01,"));
        assert!(lines[2].starts_with("乙,") && lines[2].contains(",2025-08,"));
        assert!(lines[3].starts_with("丙,") && lines[3].ends_with(",停保,2025-09,,"));
        assert!(lines[4].starts_with("丁,") && lines[4].ends_with(",参保,,,"));
        assert!(lines[5].starts_with("戊,"));
        // Nothing is left behind in the output folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_correction_replaces_number_and_name_and_keeps_every_former_number() {
        let m = |y, mo| Month::new(y, mo).unwrap();
        let mut roster = Roster::default();
        roster.entries = vec![
            member("110101199001010011", "甲", m(2020, 1)),
            member("110101199001010038", "乙", m(2020, 2)),
        ];
        // 乙 was corrected once before: the roster already carries a former number.
        roster.set_former_id(1, "110101199001010020");
        let dir = tempfile::tempdir().unwrap();
        let mut changes = RosterChanges::new(dir.path()).unwrap();
        changes.correct(
            0,
            Correction {
                name: Some("甲甲".into()),
                ..Correction::default()
            },
        );
        changes.correct(
            1,
            Correction {
                id: Some("110101199001010054".into()),
                former: Some("110101199001010038".into()),
                ..Correction::default()
            },
        );
        changes.reduce(1, m(2025, 9));
        let mut out = Vec::new();
        write(&mut out, Some(&roster), changes).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            "甲甲,居民身份证（户口簿）,110101199001010011,,2020-01,,参保,,,"
        );
        assert_eq!(
            lines[2],
            "乙,居民身份证（户口簿）,110101199001010054,,2020-02,,停保,2025-09,,110101199001010038、110101199001010020"
        );
    }
}
