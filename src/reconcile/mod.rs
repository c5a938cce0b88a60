//! `headcount reconcile`: the bureau's bill against what headcount expected (对账).
//!
//! `layout` (bill layouts as data) → `bill` (files → lines) → `matching` (who is who, lines
//! summed into cells) → `classify` (matched, or one difference class) → `output` (the
//! report, committed like every run's outputs). The expected side is a previous run's
//! `contributions.csv`, read by the same reader with headcount's own layout.

pub mod bill;
pub mod classify;
pub mod layout;
pub mod limits;
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
use model::{Lines, Part};

/// Rounding units already looked up, by insurance, part and month.
/// Keyed by the interned name's address and length: the same pair is the same name (a second
/// address of one name costs one more look-up, nothing else). Sorted for a search.
type Units = Vec<((usize, usize, Part, Option<Month>), Decimal)>;

/// The contributions layout the expected side is read with.
pub const EXPECTED_LAYOUT: &str = "headcount-contributions";

#[derive(Clone, Debug)]
pub struct Options {
    pub bills: Vec<PathBuf>,
    /// A previous run's output folder.
    pub expected: PathBuf,
    /// Instead: a run computed on the spot (roster, changes, the month's options) into a
    /// temporary folder, which then is `expected`.
    pub compute: Option<Box<crate::config::Config>>,
    pub out: PathBuf,
    /// Bill layout files of the user's own.
    pub layouts: Vec<PathBuf>,
    pub period: Option<Month>,
    pub region: Option<String>,
    /// The policy file the expected run used (default: the one its manifest records).
    pub policy: Option<PathBuf>,
    pub lang: Lang,
    pub mask: bool,
    /// Set by `run`: `expected` is a run computed on the spot.
    pub computed: bool,
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
    /// The policy whose rounding is the tolerance and whose limits give each insurance's
    /// base (with a region), and the file layered over the embedded one.
    pub policy: Option<PolicySet>,
    pub policy_file: Option<PathBuf>,
    /// Shown names of the files: the expected contributions.csv first, then the bills.
    pub files: Vec<String>,
    pub bill: Lines,
    pub expected: Lines,
    pub bill_sheets: Vec<bill::SheetRead>,
    pub expected_sheets: Vec<bill::SheetRead>,
    /// Which key matched each bill person entry (`bill.people`).
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
    let invalid = |reason: String| {
        Error::Usage(crate::text::Message::new("layout_invalid").arg("reason", reason))
    };
    let mut layouts = BillLayouts::embedded().map_err(invalid)?;
    for f in &opts.layouts {
        let shown = crate::audit::shown_path(f);
        let text = std::fs::read_to_string(f)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        layouts.load(&text, &shown).map_err(invalid)?;
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
    let period = opts
        .period
        .or_else(|| arg("period").and_then(|p| p.parse().ok()));

    let mut files = vec![if opts.computed {
        format!("{COMPUTED}/{}", crate::output::CONTRIBUTIONS)
    } else {
        crate::audit::shown_path(&contributions)
    }];
    files.extend(opts.bills.iter().map(|p| crate::audit::shown_path(p)));
    let read_expected = || -> Result<(Lines, Vec<bill::SheetRead>), Error> {
        let mut expected = Lines {
            period,
            ..Lines::default()
        };
        let sheets = bill::read_file(
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
        Ok((expected, sheets))
    };
    let read_bills = |period: Month| -> Result<(Lines, Vec<bill::SheetRead>), Error> {
        let mut lines = Lines {
            period: Some(period),
            ..Lines::default()
        };
        let mut sheets = Vec::new();
        for (i, path) in opts.bills.iter().enumerate() {
            sheets.extend(bill::read_file(
                path,
                &files[i + 1],
                (i + 1) as u32,
                &bill::ReadOptions {
                    layouts: &layouts,
                    period: Some(period),
                    only: None,
                },
                &mut lines,
            )?);
        }
        Ok((lines, sheets))
    };
    // With the month known, both sides are read at once (two files, two cores).
    let ((mut expected, expected_sheets), period, (mut bill_lines, bill_sheets)) = match period {
        Some(p) => {
            let (e, b) = rayon::join(read_expected, || read_bills(p));
            (e?, p, b?)
        }
        None => {
            let (expected, sheets) = read_expected()?;
            let period = expected
                .lines
                .iter()
                .filter(|l| l.kind == model::Kind::Regular)
                .filter_map(|l| expected.month(l))
                .max();
            let Some(period) = period else {
                return Err(expected_error(
                    &opts.expected,
                    "无法确定对账月份：请用 --period 指定",
                    "the month to reconcile cannot be told: give --period",
                ));
            };
            ((expected, sheets), period, read_bills(period)?)
        }
    };
    let covered: BTreeSet<(&'static str, Part)> = bill_sheets
        .iter()
        .flat_map(|s| s.covered.iter().copied())
        .collect();
    let (bill_keys, exp_keys) = matching::resolve(&bill_lines.people, &expected.people);
    let matched_by = bill_keys.iter().map(|(_, b)| *b).collect();
    let bill_keys: Vec<u32> = bill_keys.into_iter().map(|(k, _)| k).collect();
    let policy_file = policy_file(opts, manifest.as_ref())?;
    let policy = match &region {
        Some(r) => {
            let set = crate::pipeline::load_policy(policy_file.as_deref(), None, None)?;
            limits::fill(&mut bill_lines, &set, r);
            limits::fill(&mut expected, &set, r);
            Some(set)
        }
        None => None,
    };
    // One look-up per insurance, part and month, not per cell.
    let units: std::cell::RefCell<Units> = Default::default();
    let unit = |ins: &str, part: Part, month: Option<Month>| -> Decimal {
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
    let tolerance = |ins: &'static str, part: Part, month: Option<Month>| -> Decimal {
        let key = (ins.as_ptr() as usize, ins.len(), part, month);
        let found = units.borrow().binary_search_by(|(k, _)| k.cmp(&key));
        match found {
            Ok(at) => units.borrow()[at].1,
            Err(at) => {
                let u = unit(ins, part, month);
                units.borrow_mut().insert(at, (key, u));
                u
            }
        }
    };
    let outcome = classify::classify(
        &bill_lines,
        &bill_keys,
        &expected,
        &exp_keys,
        &covered,
        &tolerance,
    );
    Ok(Reconciliation {
        period,
        region,
        policy,
        policy_file,
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

/// The policy file: `--policy`, else the one the expected run's manifest records, used
/// only while its bytes are those the run hashed.
fn policy_file(opts: &Options, manifest: Option<&Manifest>) -> Result<Option<PathBuf>, Error> {
    if let Some(p) = &opts.policy {
        return Ok(Some(p.clone()));
    }
    let Some(f) = manifest
        .and_then(|m| m.policy.as_ref())
        .and_then(|p| p.file.as_ref())
    else {
        return Ok(None);
    };
    let path = f.fs_path();
    match crate::output::manifest::hash_file(&path) {
        Ok((sha, _)) if sha == f.sha256 => Ok(Some(path)),
        Ok(_) => Err(expected_error(
            &opts.expected,
            &format!("运行时使用的政策文件 {} 已被修改：请用 --policy 指定运行时的文件", f.path),
            &format!(
                "the policy file the run used, {}, has changed since: give the run's file with --policy",
                f.path
            ),
        )),
        Err(_) => Err(expected_error(
            &opts.expected,
            &format!("运行时使用的政策文件 {} 无法读取：请用 --policy 指定", f.path),
            &format!(
                "the policy file the run used, {}, cannot be read: give it with --policy",
                f.path
            ),
        )),
    }
}

/// Shown for the expected side computed on the spot (never a temporary path: the same
/// inputs give the same report bytes).
pub const COMPUTED: &str = "(headcount run)";

/// Runs the pipeline as `run` would into a temporary folder, the expected side.
fn compute(cfg: &crate::config::Config) -> Result<tempfile::TempDir, Error> {
    let dir = tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let mut cfg = cfg.clone();
    cfg.command = crate::config::Command::Run;
    cfg.out = dir.path().join("run");
    cfg.quiet = true;
    let outcome = crate::pipeline::execute(&cfg)?;
    if outcome.exit == Exit::CannotRun {
        return Err(expected_error(
            Path::new(COMPUTED),
            "headcount run 无法计算预期缴费",
            "headcount run could not compute the expected contributions",
        ));
    }
    Ok(dir)
}

/// Reconciles and writes the report into `opts.out`.
pub fn run(opts: &Options) -> Result<Outcome, Error> {
    // Kept until the report is written.
    let mut _computed = None;
    let mut local;
    let opts = match &opts.compute {
        Some(cfg) => {
            let dir = compute(cfg)?;
            local = opts.clone();
            local.expected = dir.path().join("run");
            local.computed = true;
            _computed = Some(dir);
            &local
        }
        None => opts,
    };
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
