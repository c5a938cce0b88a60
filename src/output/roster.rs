//! `roster.next.csv`: the roster after this month's accepted changes, in the form
//! `--roster` reads back.

use std::io::Write;

use super::cells::{money, CsvOut};
use crate::calendar::Month;
use crate::error::Error;
use crate::model::RosterStatus;
use crate::rows::key::{PersonKey, PersonMap};
use crate::rows::roster::{Roster, RosterEntry};

pub const COLUMNS: [&str; 8] = [
    "姓名",
    "证件类型",
    "证件号码",
    "人员类别",
    "参保年月",
    "缴费基数",
    "参保状态",
    "停缴年月",
];

/// This month's accepted changes, as they affect the roster.
#[derive(Default)]
pub struct RosterChanges {
    /// New or returning members, in input order.
    pub additions: Vec<(PersonKey, RosterEntry)>,
    /// Members who stop, with their stop month.
    pub reductions: PersonMap<Month>,
}

pub fn write<W: Write>(
    w: W,
    roster: Option<&Roster>,
    changes: &RosterChanges,
) -> Result<(), Error> {
    let mut out = CsvOut::new(w, super::ROSTER_NEXT, &COLUMNS)?;
    let added: PersonMap<&RosterEntry> = changes
        .additions
        .iter()
        .map(|(k, e)| (k.clone(), e))
        .collect();
    let mut written: PersonMap<()> = PersonMap::default();
    if let Some(roster) = roster {
        for e in &roster.entries {
            let Some(key) = PersonKey::of(&e.id) else {
                continue;
            };
            // A returning member takes the new enrollment; a leaver is stopped.
            let e = match added.get(&key) {
                Some(new) => {
                    written.insert(key.clone(), ());
                    *new
                }
                None => e,
            };
            line(&mut out, e, changes.reductions.get(&key).copied())?;
        }
    }
    for (key, e) in &changes.additions {
        if !written.contains_key(key) {
            line(&mut out, e, None)?;
        }
    }
    out.finish()
}

/// One member's line; `stop` marks a leaver (written as stopped in that month).
fn line<W: Write>(out: &mut CsvOut<W>, e: &RosterEntry, stop: Option<Month>) -> Result<(), Error> {
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
    out.end()
}
