//! X001–X004: findings across rows and files. Run in input order (file order on the
//! command line, then row order), so "the earlier row" is the same whatever the thread
//! count.

use std::collections::HashMap;

use super::Checked;
use crate::finding::{At, Finding, Rule, Severity};
use crate::input::header::Field;
use crate::model::ChangeKind;
use crate::output::Sources;
use crate::rows::key::PersonKey;
use crate::rows::{ok, ChangeRow};

#[derive(Default)]
pub struct Batch {
    seen: HashMap<PersonKey, Seen>,
}

#[derive(Default)]
struct Seen {
    name: Option<(Box<str>, At)>,
    addition: Option<(At, Option<Box<str>>)>,
    reduction: Option<At>,
}

impl Batch {
    pub fn check(&mut self, row: &ChangeRow<'_>, checked: &mut Checked, sources: &Sources) {
        let Some(key) = checked.facts.key.clone() else {
            return;
        };
        let seen = self.seen.entry(key).or_default();
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
        if !name.is_empty() {
            match &seen.name {
                Some((first, at)) if first.as_ref() != name => out.push(
                    Finding::new(&X003, row.at(Field::Name))
                        .arg("found", name)
                        .arg("earlier_name", first)
                        .arg("earlier", place(at)),
                ),
                Some(_) => {}
                None => seen.name = Some((name.into(), row.at)),
            }
        }
        let employer = ok(&row.employer).map(|e| e.as_ref());
        match row.kind() {
            Some(ChangeKind::Addition) => match &seen.addition {
                Some((at, first_employer)) => {
                    let other_employer = match (first_employer.as_deref(), employer) {
                        (Some(a), Some(b)) if a != b => Some(a),
                        _ => None,
                    };
                    match other_employer {
                        Some(a) => out.push(
                            Finding::new(&X004, row.at(Field::Employer))
                                .arg("employer", employer.unwrap_or(""))
                                .arg("earlier_employer", a)
                                .arg("earlier", place(at)),
                        ),
                        None => out.push(duplicate(row, place(at))),
                    }
                }
                None => seen.addition = Some((row.at, employer.map(Into::into))),
            },
            Some(ChangeKind::Reduction) => match &seen.reduction {
                Some(at) => out.push(duplicate(row, place(at))),
                None => seen.reduction = Some(row.at),
            },
            None => {}
        }
        // A roster conflict is moot when this batch itself enrolled or removed the person
        // earlier (X002 reports the pair instead).
        match row.kind() {
            Some(ChangeKind::Reduction) if seen.addition.is_some() => {
                out.retain(|f| f.rule.code != "R001");
            }
            Some(ChangeKind::Addition) if seen.reduction.is_some() => {
                out.retain(|f| f.rule.code != "A006");
            }
            _ => {}
        }
        if let (Some((add, _)), Some(red)) = (&seen.addition, &seen.reduction) {
            let (earlier, now) = if add < red { (add, red) } else { (red, add) };
            if *now == row.at {
                out.push(Finding::new(&X002, row.at).arg("earlier", place(earlier)));
            }
        }
        out.sort_by(|a, b| a.rule.code.cmp(b.rule.code));
    }
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
    title_zh: "同一人在本批次中被两个单位增员（重复参保）",
    title_en: "the same person is added by two employers in this batch (double enrollment)",
    message_zh: "单位「{employer}」为此人增员，但 {earlier} 中单位「{earlier_employer}」也为其增员",
    message_en:
        "employer `{employer}` adds this person, but `{earlier_employer}` also does at {earlier}",
    hint_zh: "同一人不得重复参加基本医疗保险",
    hint_en: "a person may not be enrolled twice in basic medical insurance",
    basis: "6.4",
};

pub static RULES: [&Rule; 4] = [&X001, &X002, &X003, &X004];
