//! X001–X004: findings across rows and files. Run in input order (file order on the
//! command line, then row order), so "the earlier row" is the same whatever the thread
//! count.

use super::Checked;
use crate::calendar::Month;
use crate::finding::{At, Finding, Rule, Severity};
use crate::input::header::Field;
use crate::input::sources::Sources;
use crate::input::value::cover::Cover;
use crate::model::ChangeKind;
use crate::rows::key::PersonIndex;
use crate::rows::{ok, ChangeRow};

/// Cross-row state: one compact record per person (56 bytes, no allocation of its
/// own), names end to end in one string, employers (a handful per run) once each.
#[derive(Default)]
pub struct Batch {
    /// Roster members are found by their roster position, which the row rules already
    /// looked up: no second hash probe, and the index below holds only the others.
    by_roster: Vec<u32>,
    index: PersonIndex,
    seen: Vec<Seen>,
    text: String,
    /// Every sheet rows came from, as (file, sheet); a `Place` names its position here.
    sheets: Vec<(u32, u32)>,
    employers: Vec<Box<str>>,
    employer_ids: std::collections::HashMap<Box<str>, u32>,
    /// The first information change of each person who has one: few do, so not in `Seen`,
    /// which a million-person month holds once per person.
    informed: std::collections::HashMap<usize, Place>,
}

const UNSEEN: u32 = u32::MAX;

/// A whole row's place (its `At` has no column): the sheet's position in
/// `Batch::sheets`, and the row.
#[derive(Copy, Clone)]
struct Place {
    sheet: u32,
    row: u32,
}

impl Place {
    fn at(self, sheets: &[(u32, u32)]) -> At {
        let (file, sheet) = sheets.get(self.sheet as usize).copied().unwrap_or((0, 0));
        At {
            file,
            sheet,
            row: self.row,
            column: None,
        }
    }
}

/// A range of `Batch::text`.
#[derive(Copy, Clone)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn push(text: &mut String, s: &str) -> Option<Span> {
        let span = Span {
            start: u32::try_from(text.len()).ok()?,
            len: u32::try_from(s.len()).ok()?,
        };
        text.push_str(s);
        Some(span)
    }

    fn get(self, text: &str) -> &str {
        let start = self.start as usize;
        text.get(start..start + self.len as usize).unwrap_or("")
    }
}

#[derive(Default)]
struct Seen {
    name: Option<(Span, Place)>,
    /// The first addition, its employer (a position in `Batch::employers`) and the
    /// insurances it enrolls in.
    addition: Option<(Place, Option<u32>, Cover)>,
    /// The first addition's first contribution month.
    added_from: Option<Month>,
    reduction: Option<Place>,
}

impl Batch {
    pub fn check(&mut self, row: &ChangeRow<'_>, checked: &mut Checked, sources: &Sources) {
        let Some(key) = &checked.facts.key else {
            return;
        };
        let next = self.seen.len();
        let i = match checked.facts.roster {
            Some(r) => {
                if self.by_roster.len() <= r {
                    self.by_roster.resize(r + 1, UNSEEN);
                }
                match self.by_roster[r] {
                    UNSEEN => {
                        // Fewer people than rows, and rows are numbered in a u32.
                        self.by_roster[r] = next as u32;
                        next
                    }
                    i => i as usize,
                }
            }
            None => self.index.get_or_insert(key.clone(), next).unwrap_or(next),
        };
        if i == next {
            self.seen.push(Seen::default());
        }
        checked.facts.batch_person = u32::try_from(i).ok();
        checked.facts.added_in_batch =
            row.kind() == Some(ChangeKind::Reduction) && self.seen[i].addition.is_some();
        let here = Place {
            sheet: self.sheet_of(row.at),
            row: row.at.row,
        };
        let employer = ok(&row.employer).map(|e| e.as_ref());
        // No 参加险种 column (or an unreadable one, V020): every insurance.
        let cover = row.cover();
        // Only a first addition keeps its employer.
        let employer_id = match (row.kind(), &self.seen[i].addition) {
            (Some(ChangeKind::Addition), None) => employer.map(|e| self.employer_id(e)),
            _ => None,
        };
        let (seen, text, sheets) = (&mut self.seen[i], &mut self.text, &self.sheets);
        let employers = &self.employers;
        let place = |at: &At| {
            let sheet = sources.sheet(at.file, at.sheet).map_or(String::new(), |s| {
                if s.name.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", s.name)
                }
            });
            format!("{}{} #{}", sources.file(at.file), sheet, at.row)
        };
        let out = &mut checked.findings;
        let name = row.name_text();
        // An information change may carry a new name: it is not compared with the others.
        if !name.is_empty() && row.kind() != Some(ChangeKind::Information) {
            match &seen.name {
                Some((first, at)) if first.get(text) != name => out.push(
                    Finding::new(&X003, row.at(Field::Name))
                        .arg("found", name)
                        .arg("earlier_name", first.get(text))
                        .arg("earlier", place(&at.at(sheets))),
                ),
                Some(_) => {}
                None => seen.name = Span::push(text, name).map(|s| (s, here)),
            }
        }
        match row.kind() {
            Some(ChangeKind::Addition) => match &seen.addition {
                Some((at, first_employer, first_cover)) => {
                    let first = first_employer.and_then(|e| employers.get(e as usize));
                    let other_employer = match (first, employer) {
                        (Some(a), Some(b)) if **a != *b => Some(a),
                        _ => None,
                    };
                    match other_employer {
                        // Each employer must cover work injury; only the others may not
                        // be held twice.
                        Some(a) => {
                            let both = cover.intersects(*first_cover);
                            let forbidden = Cover::PENSION
                                .union(Cover::MEDICAL)
                                .union(Cover::UNEMPLOYMENT);
                            let overlap = shared(cover, *first_cover, forbidden);
                            if both && overlap != Cover::NONE {
                                out.push(
                                    Finding::new(&X004, row.at(Field::Employer))
                                        .arg("employer", employer.unwrap_or(""))
                                        .arg("earlier_employer", a)
                                        .arg("earlier", place(&at.at(sheets)))
                                        .arg("insurances_zh", overlap.label_zh())
                                        .arg("insurances_en", overlap.label_en()),
                                );
                            }
                        }
                        None => out.push(duplicate(row, place(&at.at(sheets)))),
                    }
                }
                None => {
                    seen.addition = Some((here, employer_id, cover));
                    seen.added_from = checked.facts.start_month;
                }
            },
            Some(ChangeKind::Reduction) => match &seen.reduction {
                Some(at) => out.push(duplicate(row, place(&at.at(sheets)))),
                None => seen.reduction = Some(here),
            },
            // One change of a person's details per batch: a second would start from a
            // number or name the bureau does not hold yet.
            Some(ChangeKind::Information) => match self.informed.get(&i) {
                Some(at) => out.push(duplicate(row, place(&at.at(sheets)))),
                None => {
                    self.informed.insert(i, here);
                }
            },
            None => {}
        }
        // A roster conflict is moot when this batch itself enrolled or removed the person
        // earlier (X002 reports the pair instead).
        match row.kind() {
            Some(ChangeKind::Reduction) if seen.addition.is_some() => {
                out.retain(|f| f.rule.code != "R001");
                // The batch's own addition is the enrollment this reduction ends.
                if let (Some(first), Some(stop)) = (seen.added_from, checked.facts.stop_month) {
                    if stop < first && !out.iter().any(|f| f.rule.code == "R002") {
                        let field = if row.map.has(Field::StopMonth) {
                            Field::StopMonth
                        } else {
                            Field::LeaveDate
                        };
                        out.push(
                            Finding::new(&super::reduction::R002, row.at(field))
                                .arg("stop", stop)
                                .arg("first", first)
                                .arg("source_zh", "本批次的增员")
                                .arg("source_en", "this batch's addition"),
                        );
                    }
                }
            }
            Some(ChangeKind::Addition) if seen.reduction.is_some() => {
                out.retain(|f| f.rule.code != "A006");
            }
            _ => {}
        }
        if let (Some((add, _, _)), Some(red)) = (&seen.addition, &seen.reduction) {
            let (add, red) = (add.at(sheets), red.at(sheets));
            let (earlier, now) = if add < red { (add, red) } else { (red, add) };
            if now == row.at {
                out.push(Finding::new(&X002, row.at).arg("earlier", place(&earlier)));
            }
        }
        out.sort_by(|a, b| a.rule.code.cmp(b.rule.code));
    }

    /// The position of the row's sheet in `sheets` (rows come sheet after sheet).
    fn sheet_of(&mut self, at: At) -> u32 {
        let key = (at.file, at.sheet);
        match self.sheets.iter().rposition(|s| *s == key) {
            Some(i) => i as u32,
            None => {
                self.sheets.push(key);
                (self.sheets.len() - 1) as u32
            }
        }
    }

    fn employer_id(&mut self, employer: &str) -> u32 {
        if let Some(id) = self.employer_ids.get(employer) {
            return *id;
        }
        let id = self.employers.len() as u32;
        self.employers.push(employer.into());
        self.employer_ids.insert(employer.into(), id);
        id
    }
}

/// The insurances of `forbidden` both enrollments hold.
fn shared(a: Cover, b: Cover, forbidden: Cover) -> Cover {
    [
        Cover::PENSION,
        Cover::MEDICAL,
        Cover::UNEMPLOYMENT,
        Cover::INJURY,
    ]
    .into_iter()
    .filter(|c| forbidden.contains(*c) && a.contains(*c) && b.contains(*c))
    .fold(Cover::NONE, Cover::union)
}

fn duplicate(row: &ChangeRow<'_>, earlier: String) -> Finding {
    let kind = row.kind().unwrap_or(ChangeKind::Addition);
    Finding::new(&X001, row.at(Field::IdNumber))
        .arg("kind_zh", kind.label_zh())
        .arg("kind_en", kind.label_en())
        .arg("earlier", earlier)
}

pub static X001: Rule = Rule {
    code: "X001",
    severity: Severity::Error,
    title_zh: "同一人同一变动类型重复出现",
    title_en: "the same person with the same change type appears twice",
    message_zh: "同一人的{kind}已在 {earlier} 出现，本行重复",
    message_en: "this person's {kind} already appears at {earlier}; this row is a duplicate",
    hint_zh: "删除重复行",
    hint_en: "remove the duplicate row",
    basis: "6.1",
};

pub static X002: Rule = Rule {
    code: "X002",
    severity: Severity::Warning,
    title_zh: "同一人在本批次中既增员又减员",
    title_en: "the same person is both added and reduced in this batch",
    message_zh: "同一人在 {earlier} 有相反的变动（本批次既增员又减员）",
    message_en:
        "the same person has the opposite change at {earlier} (added and reduced in one batch)",
    hint_zh: "请确认是否为入职后当月离职",
    hint_en: "confirm this is a hire who left within the month",
    basis: "7",
};

pub static X003: Rule = Rule {
    code: "X003",
    severity: Severity::Error,
    title_zh: "同一证件号码在本批次中姓名不同",
    title_en: "the same ID number carries different names in this batch",
    message_zh: "姓名「{found}」与 {earlier} 中同一证件号码的姓名「{earlier_name}」不同",
    message_en:
        "the name `{found}` differs from `{earlier_name}` for the same ID number at {earlier}",
    hint_zh: "核对证件号码是否录错",
    hint_en: "check whether the ID number was mistyped",
    basis: "7",
};

pub static X004: Rule = Rule {
    code: "X004",
    severity: Severity::Error,
    title_zh: "同一人在本批次中被两个单位增员同一不得重复参加的险种（重复参保）",
    title_en: "the same person is added by two employers in this batch for an insurance that may not be held twice (double enrollment)",
    message_zh: "单位「{employer}」为此人增员，但 {earlier} 中单位「{earlier_employer}」也为其增员，两者都参加：{insurances}",
    message_en:
        "employer `{employer}` adds this person, but `{earlier_employer}` also does at {earlier}, both for: {insurances}",
    hint_zh: "养老、医疗、失业不得重复参加；第二家单位只能为其单独参加工伤保险（在「参加险种」列填写 工伤）",
    hint_en: "pension, medical and unemployment may not be held twice; a second employer enrolls the person for work injury only (write 工伤 in the 参加险种 column)",
    basis: "6.4",
};

pub static RULES: [&Rule; 4] = [&X001, &X002, &X003, &X004];

#[cfg(test)]
mod tests {
    /// A million-person month holds one `Seen` per person: a field added to it costs
    /// megabytes (an information change's place lives in `Batch::informed` instead).
    #[test]
    fn the_per_person_record_stays_small() {
        let size = std::mem::size_of::<super::Seen>();
        assert!(size <= 56, "{size}");
    }
}
