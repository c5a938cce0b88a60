//! I001–I006: information changes (信息变更) — a member's number or details corrected
//! while the enrollment stays as it is. The new number is checked like any row's (V002–
//! V007); here: is the person on the roster, is it the same person, does the row change
//! anything, and which of its cells it cannot change.

use super::{Context, Facts};
use crate::finding::{Finding, Rule, Severity};
use crate::input::header::Field;
use crate::input::value::IdCell;
use crate::rows::key::PersonKey;
use crate::rows::{ok, ChangeRow};

/// The cells an information change carries but does not apply: the base changes through
/// `rebase` (or the portal's 修改工资), dates and reasons belong to additions and reductions.
const NOT_APPLIED: [Field; 6] = [
    Field::Base,
    Field::HireDate,
    Field::StartMonth,
    Field::LeaveDate,
    Field::StopMonth,
    Field::Reason,
];

/// The cells a portal's 个人基本信息变更 takes besides the number and the name: a row with
/// one of them filled changes something even when number and name stay.
const DETAILS: [Field; 7] = [
    Field::IdType,
    Field::Sex,
    Field::BirthDate,
    Field::Category,
    Field::Hukou,
    Field::Phone,
    Field::MedicalTier,
];

pub fn check(row: &ChangeRow<'_>, facts: &Facts, ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let not_applied: Vec<Field> = NOT_APPLIED
        .into_iter()
        .filter(|f| !row.shown(*f).trim().is_empty())
        .collect();
    if let Some(first) = not_applied.first() {
        let names: Vec<&str> = not_applied.iter().map(|f| f.label_zh()).collect();
        out.push(Finding::new(&I006, row.at(*first)).arg("columns", names.join("、")));
    }
    // A spreadsheet turned the old number into a number: say so, not "not on the roster".
    if let IdCell::Numeric { shown } = &row.old_id_number {
        out.push(
            Finding::new(&super::identity::V005, row.at(Field::OldIdNumber))
                .arg("shown", super::shown_id(shown, ctx)),
        );
        return;
    }
    // Another number (I003 and I004 ask that), or the same in another form (15 → 18
    // digits, which still changes the roster's line).
    let another = names_another_number(row);
    let corrects = row.corrects_id();
    let name = row.name_text();
    let old_name = row.old_name_text();
    // Without a roster, only the row itself can say it names two people.
    if another && !old_name.is_empty() && !name.is_empty() && old_name != name {
        out.push(
            Finding::new(&I003, row.at(Field::Name))
                .arg("old_id", super::shown_id(row.old_id_text(), ctx))
                .arg("old_name", old_name)
                .arg("name", name),
        );
        return;
    }
    let (Some(roster), Some(key)) = (ctx.roster, &facts.key) else {
        return;
    };
    let looked_up = if corrects {
        row.old_id_text()
    } else {
        row.id_text()
    };
    let Some((at, entry)) = facts
        .roster
        .and_then(|i| roster.entries.get(i).map(|e| (i, e)))
    else {
        // A roster line mangled by a spreadsheet may be this person: V021 says so instead.
        if roster.mangled.could_be(looked_up) {
            return;
        }
        let (field, hint_zh, hint_en) = if corrects {
            (Field::OldIdNumber, "", "")
        } else {
            (
                Field::IdNumber,
                "；更正证件号码时，请在「原证件号码」列填写名册中的号码",
                "; to correct a number, give the roster's number in a 原证件号码 column",
            )
        };
        out.push(
            Finding::new(&I001, row.at(field))
                .arg("id", super::shown_id(looked_up, ctx))
                .arg("roster", &roster.file)
                .arg("more_zh", hint_zh)
                .arg("more_en", hint_en),
        );
        return;
    };
    // A row that names another person is not also told it changes nothing.
    let other_person = !old_name.is_empty() && !entry.name.is_empty() && *entry.name != *old_name;
    if other_person {
        out.push(
            Finding::new(&I002, row.at(Field::OldName))
                .arg("found", old_name)
                .arg("roster_name", &entry.name)
                .arg("roster_row", entry.row),
        );
    }
    let renames = !name.is_empty() && *entry.name != *name;
    if another && renames && old_name.is_empty() {
        out.push(
            Finding::new(&I003, row.at(Field::Name))
                .arg("old_id", super::shown_id(row.old_id_text(), ctx))
                .arg("old_name", &entry.name)
                .arg("name", name),
        );
    }
    if another {
        if let Some(other) = roster.position(key).filter(|p| *p != at) {
            let row_of = roster.entries.get(other).map_or(0, |e| e.row);
            out.push(
                Finding::new(&I004, row.at(Field::IdNumber))
                    .arg("id", super::shown_id(row.id_text(), ctx))
                    .arg("roster_row", row_of),
            );
        }
    }
    let details = DETAILS.into_iter().any(|f| match f {
        Field::IdType => ok(&row.id_type).is_some_and(|t| *t != entry.id_type),
        Field::Category => ok(&row.category).is_some_and(|c| Some(*c) != entry.category),
        Field::MedicalTier => ok(&row.medical_tier).is_some_and(|t| Some(*t) != entry.medical_tier),
        f => !row.shown(f).trim().is_empty(),
    });
    if !corrects && !renames && !details && !other_person {
        out.push(Finding::new(&I005, row.at).arg("roster_row", entry.row));
    }
}

/// The row gives an old number that is another number than its own (a 15-digit number
/// and its 18-digit form are one number).
fn names_another_number(row: &ChangeRow<'_>) -> bool {
    row.corrects_id() && PersonKey::of(row.old_id_text()) != PersonKey::of(row.id_text())
}

pub static I001: Rule = Rule {
    code: "I001",
    severity: Severity::Error,
    title_zh: "信息变更的人员不在名册中",
    title_en: "the person of an information change is not on the roster",
    message_zh: "参保名册 {roster} 中没有证件号码为 {id} 的人员{more}",
    message_en: "the roster {roster} lists no one with ID number {id}{more}",
    hint_zh: "信息变更只能针对已参保人员；新入职人员请办理增员",
    hint_en: "an information change is for an enrolled member; enroll a new hire as an addition",
    basis: "issue 17",
};

pub static I002: Rule = Rule {
    code: "I002",
    severity: Severity::Error,
    title_zh: "原姓名与名册不符",
    title_en: "the former name differs from the roster's name",
    message_zh: "原姓名「{found}」与名册第 {roster_row} 行的「{roster_name}」不符",
    message_en: "the former name `{found}` differs from `{roster_name}` in roster row {roster_row}",
    hint_zh: "核对原姓名或证件号码：本行可能指向另一个人",
    hint_en: "check the former name or the ID number: the row may name another person",
    basis: "issue 17",
};

pub static I003: Rule = Rule {
    code: "I003",
    severity: Severity::Error,
    title_zh: "同一行同时更改证件号码和姓名",
    title_en: "one row changes both the ID number and the name",
    message_zh: "本行把证件号码 {old_id}（{old_name}）改为另一个号码，同时把姓名改为「{name}」：姓名变更应保留证件号码，两者同时变化通常是另一个人",
    message_en: "this row changes ID number {old_id} ({old_name}) to another number and the name to `{name}`: a name change keeps the number, and both changing usually means another person",
    hint_zh: "核对本行；若确为同一人，本批次只更正证件号码，姓名在下一批次变更（两次都会保留原记录）",
    hint_en: "check the row; if it is one person, correct the number in this batch and the name in the next (both keep the history)",
    basis: "issue 17",
};

pub static I004: Rule = Rule {
    code: "I004",
    severity: Severity::Error,
    title_zh: "更正后的证件号码已属于名册中另一人",
    title_en: "the corrected ID number already belongs to another roster member",
    message_zh: "新证件号码 {id} 已在名册第 {roster_row} 行，属于另一人",
    message_en: "the new ID number {id} is already in roster row {roster_row}, for another member",
    hint_zh: "核对新证件号码；同一人在名册中有两行时，请先与社保经办机构核实合并",
    hint_en:
        "check the new number; if one person has two roster lines, have the bureau merge them first",
    basis: "issue 17",
};

pub static I005: Rule = Rule {
    code: "I005",
    severity: Severity::Warning,
    title_zh: "信息变更没有改变任何内容",
    title_en: "the information change changes nothing",
    message_zh: "证件号码、姓名与名册第 {roster_row} 行相同，也没有填写其他变更内容",
    message_en:
        "the ID number and name are those of roster row {roster_row}, and no other detail is given",
    hint_zh: "填写变更后的内容；更正证件号码时，在「原证件号码」列填写名册中的号码",
    hint_en:
        "give the changed details; to correct a number, give the roster's number in 原证件号码",
    basis: "issue 17",
};

pub static I006: Rule = Rule {
    code: "I006",
    severity: Severity::Warning,
    title_zh: "信息变更中的这些内容不会生效",
    title_en: "an information change does not apply these cells",
    message_zh: "信息变更不改变 {columns}，这些内容未写入名册和申报",
    message_en: "an information change does not change {columns}; these cells are not applied to the roster or the submission",
    hint_zh: "缴费基数请用 headcount rebase（年度调基）或社保系统「修改工资」；日期和原因属于增员、减员",
    hint_en: "change a base with headcount rebase (年度调基) or the portal's 修改工资; dates and reasons belong to additions and reductions",
    basis: "issue 17",
};

pub static RULES: [&Rule; 6] = [&I001, &I002, &I003, &I004, &I005, &I006];
