//! The rules: every check a row goes through, each rule defined beside its check.
//!
//! Row rules run in parallel and see one row plus read-only context; batch rules (across
//! rows and files) run afterwards in input order, so their findings do not depend on the
//! thread count.

pub mod addition;
pub mod batch;
pub mod catalogue;
pub mod columns;
pub mod files;
pub mod identity;
pub mod information;
pub mod policy;
pub mod rebase;
pub mod reconcile;
pub mod reduction;
pub mod retirement;
pub mod roster;
pub mod values;

use crate::calendar::{Date, Month};
use crate::finding::Finding;
use crate::ids::IdInfo;
use crate::input::header::Field;
use crate::model::{ChangeKind, Sex};
use crate::policy::Region;
use crate::rows::key::PersonKey;
use crate::rows::roster::Roster;
use crate::rows::{ok, ChangeRow};

/// What the row rules may consult.
pub struct Context<'a> {
    pub as_of: Date,
    pub period: Month,
    /// Mask ID numbers inside messages (error reports are shared more widely than payroll).
    pub mask: bool,
    /// The employer's credit code from `--employer`, already validated.
    pub employer: Option<&'a str>,
    pub roster: Option<&'a Roster>,
    /// The policy region; rules that need floors, ceilings or the retro limit are skipped
    /// without one (`check` may run without `--region`).
    pub region: Option<&'a Region>,
}

/// What the rules established about the row, for the rules after them and the outputs.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub id: Option<IdInfo>,
    pub key: Option<PersonKey>,
    /// From the ID number, else from the birth-date column.
    pub birth: Option<Date>,
    /// From the ID number, else from the sex column.
    pub sex: Option<Sex>,
    /// Additions: the first contribution month (given, else the hire month).
    pub start_month: Option<Month>,
    /// Reductions: the first month not charged (given, else the policy's rule).
    pub stop_month: Option<Month>,
    /// The person's position in the roster, looked up once for every rule that asks.
    pub roster: Option<usize>,
    /// The person's number in this batch (set by the batch rules), so a reduction can
    /// reach the charges of an addition earlier in the batch.
    pub batch_person: Option<u32>,
    /// Reductions: the batch added this person on an earlier row.
    pub added_in_batch: bool,
}

impl Facts {
    fn resolve(&mut self, row: &ChangeRow<'_>, ctx: &Context<'_>) {
        let info = self.id.as_ref();
        self.birth = info.and_then(|i| i.birth).or(ok(&row.birth_date).copied());
        self.sex = info.and_then(|i| i.sex).or(ok(&row.sex).copied());
        // An information change that corrects the number finds the member by the number
        // the roster holds: the old one.
        self.roster = ctx.roster.and_then(|roster| match row.kind() {
            Some(ChangeKind::Information) if row.corrects_id() => {
                PersonKey::of(row.old_id_text()).and_then(|k| roster.position(&k))
            }
            _ => self.key.as_ref().and_then(|k| roster.position(k)),
        });
        match row.kind() {
            Some(ChangeKind::Addition) => {
                let hire = ok(&row.hire_date).map(|d| d.month_of());
                // Contributions are owed from the hire month (A014 reports a later start).
                self.start_month = match (ok(&row.start_month).copied(), hire) {
                    (Some(given), Some(hire)) if given > hire => Some(hire),
                    (given, hire) => given.or(hire),
                }
                // A template with neither column declares the period's additions.
                .or_else(|| {
                    no_column(row, Field::StartMonth, Field::HireDate).then_some(ctx.period)
                });
            }
            Some(ChangeKind::Reduction) => {
                // With a leaving date and a region, the region's sourced reading decides
                // (R008 reports a file that says otherwise).
                let leave = ok(&row.leave_date).map(|d| d.month_of());
                let reading = leave.and_then(|l| ctx.region?.stop_month_for(l));
                self.stop_month = reading
                    .or_else(|| ok(&row.stop_month).copied())
                    .or_else(|| leave.map(|l| l.plus(1)));
                if no_column(row, Field::StopMonth, Field::LeaveDate) && self.stop_month.is_none() {
                    // A stop template without dates stops from the declared month.
                    self.stop_month = Some(ctx.period);
                }
            }
            Some(ChangeKind::Information) | None => {}
        }
    }
}

/// Neither column is in the sheet.
fn no_column(row: &ChangeRow<'_>, a: Field, b: Field) -> bool {
    !row.map.has(a) && !row.map.has(b)
}

/// One row after the row rules.
pub struct Checked {
    pub facts: Facts,
    pub findings: Vec<Finding>,
}

/// Runs every row rule on one row.
pub fn check_row(row: &ChangeRow<'_>, ctx: &Context<'_>) -> Checked {
    let mut findings = Vec::new();
    let mut facts = identity::check(row, ctx, &mut findings);
    facts.resolve(row, ctx);
    values::check(row, &facts, ctx, &mut findings);
    match row.kind() {
        Some(ChangeKind::Addition) => addition::check(row, &facts, ctx, &mut findings),
        Some(ChangeKind::Reduction) => reduction::check(row, &facts, ctx, &mut findings),
        Some(ChangeKind::Information) => information::check(row, &facts, ctx, &mut findings),
        None => {}
    }
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
