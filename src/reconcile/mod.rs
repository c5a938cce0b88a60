//! `headcount reconcile`: the bureau's bill against what headcount expected (对账).
//!
//! `layout` (bill layouts as data) → `bill` (files → lines) → `matching` (who is who, lines
//! summed into cells) → `classify` (matched, or one difference class) → `output` (the
//! report, committed like every run's outputs). The expected side is a previous run's
//! `contributions.csv`, read by the same reader with headcount's own layout.

pub mod bill;
pub mod classify;
pub mod layout;
pub mod matching;
pub mod model;
pub mod output;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use crate::calendar::Month;
use crate::error::Error;
use crate::exit::Exit;
use crate::finding::Lang;
use crate::input::InputError;
use crate::output::manifest::Manifest;
use crate::policy::PolicySet;
use layout::BillLayouts;
use model::{Line, Part};

/// The contributions layout the expected side is read with.
pub const EXPECTED_LAYOUT: &str = "headcount-contributions";

#[derive(Clone, Debug)]
pub struct Options {
    pub bills: Vec<PathBuf>,
    /// A previous run's output folder.
    pub expected: PathBuf,
    pub out: PathBuf,
    /// Bill layout files of the user's own.
    pub layouts: Vec<PathBuf>,
    pub period: Option<Month>,
    pub region: Option<String>,
    pub lang: Lang,
    pub mask: bool,
}

pub struct Outcome {
    pub exit: Exit,
    /// The lines printed at the end of a run.
    pub screen: String,
}

/// Everything read, and what the classification made of it.
pub struct Reconciliation {
    pub period: Month,
    pub region: Option<String>,
    /// Shown names of the files: the expected contributions.csv first, then the bills.
    pub files: Vec<String>,
    pub bill: Vec<Line>,
    pub expected: Vec<Line>,
    pub bill_sheets: Vec<bill::SheetRead>,
    pub expected_sheets: Vec<bill::SheetRead>,
    pub matched_by: Vec<matching::MatchedBy>,
    pub covered: BTreeSet<(&'static str, Part)>,
    pub outcome: classify::Outcome,
}

fn expected_error(dir: &Path, zh: &str, en: &str) -> Error {
    Error::Input(InputError::new(
        &classify::C013,
        vec![
            ("dir", crate::audit::shown_path(dir)),
            ("reason_zh", zh.to_string()),
            ("reason_en", en.to_string()),
        ],
    ))
}

/// Reads both sides and classifies every line; writes nothing.
pub fn reconcile(opts: &Options) -> Result<Reconciliation, Error> {
    let mut layouts = BillLayouts::embedded().map_err(Error::Config)?;
    for f in &opts.layouts {
        let shown = crate::audit::shown_path(f);
        let text = std::fs::read_to_string(f)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        layouts.load(&text, &shown).map_err(Error::Config)?;
    }
    let contributions = opts.expected.join(crate::output::CONTRIBUTIONS);
    if !opts.expected.is_dir() {
        return Err(expected_error(
            &opts.expected,
            "不是文件夹",
            "is not a folder",
        ));
    }
    if !contributions.is_file() {
        return Err(expected_error(
            &opts.expected,
            "没有 contributions.csv",
            "holds no contributions.csv",
        ));
    }
    let manifest = std::fs::read_to_string(opts.expected.join(crate::output::MANIFEST))
        .ok()
        .and_then(|t| Manifest::from_json(&t).ok());
    let arg = |k: &str| manifest.as_ref().and_then(|m| m.arguments.get(k).cloned());
    let region = opts.region.clone().or_else(|| arg("region"));
    let mut period = opts
        .period
        .or_else(|| arg("period").and_then(|p| p.parse().ok()));

    let mut files = vec![crate::audit::shown_path(&contributions)];
    let mut expected = Vec::new();
    let expected_sheets = bill::read_file(
        &contributions,
        &files[0],
        0,
        &bill::ReadOptions {
            layouts: &layouts,
            period,
            only: Some(EXPECTED_LAYOUT),
        },
        &mut expected,
    )?;
    if period.is_none() {
        period = expected
            .iter()
            .filter(|l| l.kind == model::Kind::Regular)
            .filter_map(|l| l.month)
            .max();
    }
    let Some(period) = period else {
        return Err(expected_error(
            &opts.expected,
            "无法确定对账月份：请用 --period 指定",
            "the month to reconcile cannot be told: give --period",
        ));
    };
    let mut bill_lines = Vec::new();
    let mut bill_sheets = Vec::new();
    for path in &opts.bills {
        let shown = crate::audit::shown_path(path);
        files.push(shown.clone());
        bill_sheets.extend(bill::read_file(
            path,
            &shown,
            (files.len() - 1) as u32,
            &bill::ReadOptions {
                layouts: &layouts,
                period: Some(period),
                only: None,
            },
            &mut bill_lines,
        )?);
    }
    let covered: BTreeSet<(&'static str, Part)> = bill_sheets
        .iter()
        .flat_map(|s| s.covered.iter().copied())
        .collect();
    let (bill_keys, exp_keys) = matching::resolve(&bill_lines, &expected);
    let matched_by = bill_keys.iter().map(|(_, b)| *b).collect();
    let bill_keys: Vec<u32> = bill_keys.into_iter().map(|(k, _)| k).collect();
    let policy = match &region {
        Some(_) => Some(PolicySet::embedded()?),
        None => None,
    };
    let tolerance = |ins: &str, part: Part, month: Option<Month>| -> Decimal {
        let (Some(set), Some(r)) = (&policy, &region) else {
            return Decimal::ZERO;
        };
        let p = set
            .region(r)
            .and_then(|r| r.period(month.unwrap_or(period)))
            .and_then(|p| p.insurance(ins));
        let party = p.and_then(|i| match part {
            Part::Employer => Some(&i.employer),
            Part::Employee => i.employee.as_ref(),
        });
        party.map_or(Decimal::ZERO, |p| p.rounding.value.unit())
    };
    let outcome = classify::classify(
        matching::cells(&bill_lines, &bill_keys),
        matching::cells(&expected, &exp_keys),
        &covered,
        bill_lines.len(),
        expected.len(),
        &tolerance,
    );
    Ok(Reconciliation {
        period,
        region,
        files,
        bill: bill_lines,
        expected,
        bill_sheets,
        expected_sheets,
        matched_by,
        covered,
        outcome,
    })
}

/// Reconciles and writes the report into `opts.out`.
pub fn run(opts: &Options) -> Result<Outcome, Error> {
    refuse_over_inputs(opts)?;
    let rec = reconcile(opts)?;
    output::write(opts, &rec)?;
    let exit = if rec.outcome.differences.is_empty() {
        Exit::Clean
    } else {
        Exit::Rejected
    };
    Ok(Outcome {
        exit,
        screen: output::screen(&rec, opts.lang),
    })
}

/// The report never replaces an input: not the expected run's folder (its manifest), not
/// a bill named like an output.
fn refuse_over_inputs(opts: &Options) -> Result<(), Error> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let out = canon(&opts.out).unwrap_or_else(|| opts.out.clone());
    if canon(&opts.expected).is_some_and(|e| e == out) {
        return Err(Error::OutputOverInput {
            out: opts.out.clone(),
            input: opts.expected.join(crate::output::MANIFEST),
        });
    }
    for b in &opts.bills {
        let (Some(b), Some(parent)) = (
            canon(b),
            canon(b).and_then(|b| b.parent().map(Path::to_path_buf)),
        ) else {
            continue;
        };
        let name = b.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if parent == out && output::NAMES.contains(&name) {
            return Err(Error::OutputOverInput {
                out: opts.out.clone(),
                input: b,
            });
        }
    }
    Ok(())
}
