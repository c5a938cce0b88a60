//! The rules: every check a row goes through, each rule defined beside its check.
//!
//! Row rules run in parallel and see one row plus read-only context; batch rules (across
//! rows and files) run afterwards in input order, so their findings do not depend on the
//! thread count.

pub mod batch;
pub mod catalogue;
pub mod identity;
pub mod values;

use crate::calendar::{Date, Month};
use crate::finding::Finding;
use crate::ids::IdInfo;
use crate::rows::key::PersonKey;
use crate::rows::roster::Roster;
use crate::rows::ChangeRow;

/// What the row rules may consult.
pub struct Context<'a> {
    pub as_of: Date,
    pub period: Month,
    /// Mask ID numbers inside messages (error reports are shared more widely than payroll).
    pub mask: bool,
    /// The employer's credit code from `--employer`, already validated.
    pub employer: Option<&'a str>,
    pub roster: Option<&'a Roster>,
}

/// What the identity rules learned about the person, for the rules after them.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub id: Option<IdInfo>,
    pub key: Option<PersonKey>,
}

/// One row after the row rules.
pub struct Checked {
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

/// Runs every row rule on one row.
pub fn check_row(row: &ChangeRow<'_>, ctx: &Context<'_>) -> Checked {
    let mut findings = Vec::new();
    let facts = identity::check(row, ctx, &mut findings);
    values::check(row, &facts, ctx, &mut findings);
    // Stable order within a row, whatever order the checks ran in.
    findings.sort_by(|a, b| a.rule.code.cmp(b.rule.code));
    Checked { facts, findings }
}

/// An ID number as it may appear inside a message.
pub fn shown_id(id: &str, ctx: &Context<'_>) -> String {
    if ctx.mask {
        crate::ids::mask(id)
    } else {
        id.to_string()
    }
}
