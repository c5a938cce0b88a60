//! `roster.next.csv`: the roster after this month's accepted changes, in the form
//! `--roster` reads back.

use std::collections::HashMap;
use std::io::Write;

use super::cells::{money, CsvOut};
use crate::calendar::Month;
use crate::error::Error;
use crate::model::RosterStatus;
use crate::rows::key::PersonKey;
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
    pub reductions: HashMap<PersonKey, Month>,
}

pub fn write<W: Write>(
    w: W,
    roster: Option<&Roster>,
    changes: &RosterChanges,
) -> Result<(), Error> {
    let mut out = CsvOut::new(w, super::ROSTER_NEXT, &COLUMNS)?;
    let added: HashMap<&PersonKey, &RosterEntry> =
        changes.additions.iter().map(|(k, e)| (k, e)).collect();
    let mut written = std::collections::HashSet::new();
    if let Some(roster) = roster {
        for e in &roster.entries {
            let Some(key) = PersonKey::of(&e.id) else {
                continue;
            };
            let mut e = e.clone();
            // A returning member takes the new enrollment; a leaver is stopped.
            if let Some(new) = added.get(&key) {
                e = (*new).clone();
                written.insert(key.clone());
            }
            if let Some(stop) = changes.reductions.get(&key) {
                e.status = RosterStatus::Stopped;
                e.stop_month = Some(*stop);
            }
            line(&mut out, &e)?;
        }
    }
    for (key, e) in &changes.additions {
        if !written.contains(key) {
            line(&mut out, e)?;
        }
    }
    out.finish()
}

fn line<W: Write>(out: &mut CsvOut<W>, e: &RosterEntry) -> Result<(), Error> {
    out.text(&e.name)
        .text(e.id_type.label_zh())
        .text(&e.id)
        .text(e.category.map_or("", |c| c.label_zh()))
        .num(e.start_month.map(|m| m.to_string()).unwrap_or_default())
        .num(e.base.map(money).unwrap_or_default())
        .num(e.status.label_zh())
        .num(e.stop_month.map(|m| m.to_string()).unwrap_or_default());
    out.end()
}
