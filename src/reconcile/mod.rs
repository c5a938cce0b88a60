//! `headcount reconcile`: the bureau's bill against what headcount expected (对账).
//!
//! `layout` (bill layouts as data) → `bill` (files → lines, `amount` fixed point) →
//! `partition` (both sides split by person into temporary files) → per partition:
//! `matching` (who is who, lines summed into cells) → `classify` (matched, or one
//! difference class) → `tally` → `output` (the report, committed like every run's
//! outputs). The expected side is a previous run's `contributions.csv`, read by the same
//! reader with headcount's own layout.

pub mod amount;
pub mod bill;
pub mod classify;
pub mod hash;
pub mod layout;
pub mod limits;
pub mod matching;
pub mod model;
pub mod output;
pub mod partition;
pub mod tally;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::calendar::Month;
use crate::error::Error;
use crate::exit::Exit;
use crate::finding::Lang;
use crate::input::InputError;
use crate::output::manifest::Manifest;
use crate::policy::PolicySet;
use layout::BillLayouts;
use model::{Lines, Part};
use rayon::prelude::*;

/// Rounding units already looked up (10⁻⁸ yuan), by insurance (the shared numbering), part
/// and month. Sorted for a search.
type Units = Vec<((u8, Part, Option<Month>), i64)>;

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
    /// Input bytes of a side per partition (`partition::PARTITION_BYTES`; tests split
    /// small sides with less).
    pub partition_bytes: u64,
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
    pub bill_sheets: Vec<bill::SheetRead>,
    pub expected_sheets: Vec<bill::SheetRead>,
    pub covered: BTreeSet<(&'static str, Part)>,
    /// The differences in the report's order.
    pub rows: Vec<output::Row>,
    /// Per insurance and part, then the total.
    pub totals: Vec<output::Total>,
    pub bill_counts: tally::Counts,
    pub expected_counts: tally::Counts,
    /// How many partitions the sides were split into (1: read whole, in memory).
    pub partitions: usize,
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
    let read_expected =
        |spill: Option<&partition::Spill>| -> Result<(Lines, Vec<bill::SheetRead>), Error> {
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
                    spill,
                },
                &mut expected,
            )?;
            Ok((expected, sheets))
        };
    let read_bills = |period: Month,
                      spill: Option<&partition::Spill>|
     -> Result<(Lines, Vec<bill::SheetRead>), Error> {
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
                    spill,
                },
                &mut lines,
            )?);
        }
        Ok((lines, sheets))
    };
    let no_period = || {
        expected_error(
            &opts.expected,
            "无法确定对账月份：请用 --period 指定",
            "the month to reconcile cannot be told: give --period",
        )
    };

    // Both sides go to partition files as they are read; with the month known, both are
    // read at once (two files, two cores).
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let bill_bytes: u64 = opts.bills.iter().map(|p| size(p)).sum();
    let n = partition::count_for(bill_bytes.max(size(&contributions)), opts.partition_bytes);
    let scratch = partition::Scratch::new()?;
    let exp_spill = partition::Spill::new(scratch.path(), "expected", n)?;
    let bill_spill = partition::Spill::new(scratch.path(), "bill", n)?;
    let (mut expected, expected_sheets, exp_parts, period, mut bill_lines, bill_sheets, bill_parts) =
        match period {
            Some(p) => {
                let (e, b) = rayon::join(
                    || read_expected(Some(&exp_spill)),
                    || read_bills(p, Some(&bill_spill)),
                );
                let ((mut e, es), (mut b, bs)) = (e?, b?);
                let ep = exp_spill.finish(&mut e)?;
                let bp = bill_spill.finish(&mut b)?;
                (e, es, ep, p, b, bs, bp)
            }
            None => {
                let (mut e, es) = read_expected(Some(&exp_spill))?;
                let ep = exp_spill.finish(&mut e)?;
                let p = ep.latest.ok_or_else(no_period)?;
                let (mut b, bs) = read_bills(p, Some(&bill_spill))?;
                let bp = bill_spill.finish(&mut b)?;
                (e, es, ep, p, b, bs, bp)
            }
        };
    // A bill naming someone without an ID number is matched by number or name against
    // every expected person at once: read whole, one partition in memory.
    let whole = bill_parts.without_id;
    if whole {
        drop(scratch);
        expected = read_expected(None)?.0;
        bill_lines = read_bills(period, None)?.0;
    }
    let covered: BTreeSet<(&'static str, Part)> = bill_sheets
        .iter()
        .flat_map(|s| s.covered.iter().copied())
        .collect();
    // One numbering of the insurances for both sides, in name order.
    let mut table: Vec<&'static str> = bill_lines
        .insurances
        .iter()
        .chain(&expected.insurances)
        .copied()
        .collect();
    table.sort_unstable();
    table.dedup();
    let covered_bits = classify::Covered::new(covered.iter().copied(), &table);
    let policy_file = policy_file(opts, manifest.as_ref())?;
    let policy = match &region {
        Some(_) => Some(crate::pipeline::load_policy(
            policy_file.as_deref(),
            None,
            None,
        )?),
        None => None,
    };
    let unit = |ins: u8, part: Part, month: Option<Month>| -> i64 {
        let (Some(set), Some(r)) = (&policy, &region) else {
            return 0;
        };
        let name = table.get(ins as usize).copied().unwrap_or("");
        let p = set
            .region(r)
            .and_then(|r| r.period(month.unwrap_or(period)))
            .and_then(|p| p.insurance(name));
        let party = p.and_then(|i| match part {
            Part::Employer => Some(&i.employer),
            Part::Employee => i.employee.as_ref(),
        });
        party.map_or(0, |p| amount::unit_ceil(p.rounding.value.unit()))
    };
    let ctx = output::RowContext {
        files: &files,
        mask: opts.mask,
        lang: opts.lang,
    };
    // One partition of both sides (or both sides whole), tallied; `*_ord` are each person
    // entry's first row on its side.
    let one = |mut b: Lines, bill_ord: &[u64], mut e: Lines, exp_ord: &[u64]| {
        // One look-up per insurance, part and month, not per cell (per partition: no lock).
        let units: std::cell::RefCell<Units> = Default::default();
        let tolerance = |ins: u8, part: Part, month: Option<Month>| -> i64 {
            let key = (ins, part, month);
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
        b.reindex(&table);
        e.reindex(&table);
        if let (Some(set), Some(r)) = (&policy, &region) {
            limits::fill(&mut b, set, r);
            limits::fill(&mut e, set, r);
        }
        let (bill_keys, exp_keys) = matching::resolve(&b.people, &e.people);
        let matched_by: Vec<matching::MatchedBy> = bill_keys.iter().map(|(_, m)| *m).collect();
        let bill_keys: Vec<u32> = bill_keys.into_iter().map(|(k, _)| k).collect();
        let outcome = classify::classify(&b, &bill_keys, &e, &exp_keys, &covered_bits, &tolerance);
        let rank = tally::ranks(&exp_keys, exp_ord, &bill_keys, bill_ord);
        let part = tally::Partition {
            bill: &b,
            expected: &e,
            outcome: &outcome,
            matched_by: &matched_by,
            rank: &rank,
        };
        let mut tally = tally::Tally::new(&table);
        tally.add(&part, &ctx);
        tally
    };
    let mut tally = tally::Tally::new(&table);
    let partitions = if whole {
        let (bo, eo) = (
            partition::ordinals(&bill_lines),
            partition::ordinals(&expected),
        );
        tally.merge(one(bill_lines, &bo, expected, &eo));
        1
    } else {
        let empty = |t: &Lines| Lines {
            sheets: t.sheets.clone(),
            sheet_limits: t.sheet_limits.clone(),
            insurances: t.insurances.clone(),
            period: t.period,
            ..Lines::default()
        };
        let part = |i: usize| -> Result<tally::Tally, Error> {
            let (bp, ep) = (&bill_parts.paths[i], &exp_parts.paths[i]);
            let (mut b, mut e) = (empty(&bill_lines), empty(&expected));
            let bo = partition::load(bp, &mut b)?;
            let eo = partition::load(ep, &mut e)?;
            // Read back: the files are not needed again.
            let _ = std::fs::remove_file(bp);
            let _ = std::fs::remove_file(ep);
            Ok(one(b, &bo, e, &eo))
        };
        // A few partitions at once (one per core, at most `partition::AT_ONCE`): memory
        // is that many partitions, whatever the number of cores.
        let width = rayon::current_num_threads().clamp(1, partition::AT_ONCE);
        let all: Vec<usize> = (0..n).collect();
        for wave in all.chunks(width) {
            let done: Vec<Result<tally::Tally, Error>> =
                wave.par_iter().map(|&i| part(i)).collect();
            for t in done {
                tally.merge(t?);
            }
        }
        n
    };
    let (rows, totals, bill_counts, expected_counts) = tally.finish();
    Ok(Reconciliation {
        period,
        region,
        policy,
        policy_file,
        files,
        bill_sheets,
        expected_sheets,
        covered,
        rows,
        totals,
        bill_counts,
        expected_counts,
        partitions,
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
    let exit = if rec.rows.is_empty() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn sample(name: &str) -> String {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/samples");
        std::fs::read_to_string(p.join(name)).unwrap()
    }

    /// The sample month's contributions with a difference of every kind planted, the rows
    /// reversed (the bill's order is not the expected side's).
    fn planted(text: &str) -> String {
        let mut lines = text.lines();
        let header = lines.next().unwrap().to_string();
        let mut out = Vec::new();
        for (i, l) in lines.enumerate() {
            let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
            match i % 7 {
                1 => continue,
                2 => f[5] = format!("{}", f[5].parse::<Decimal>().unwrap() + Decimal::ONE),
                3 => f[2] = "2025-09".into(),
                4 => f[4] = format!("{}", f[4].parse::<Decimal>().unwrap() + Decimal::ONE),
                _ => {}
            }
            out.push(f.join(","));
            if i % 7 == 5 {
                f[0] = format!("11010119900101{:03}X", i);
                out.push(f.join(","));
            }
        }
        out.reverse();
        std::iter::once(header)
            .chain(out)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    }

    #[test]
    fn many_partitions_give_the_report_one_gives() {
        let dir = tempfile::tempdir().unwrap();
        let exp = dir.path().join("exp");
        std::fs::create_dir(&exp).unwrap();
        let text = sample("contributions.csv");
        std::fs::write(exp.join("contributions.csv"), &text).unwrap();
        std::fs::write(exp.join("manifest.json"), sample("manifest.json")).unwrap();
        let bill = dir.path().join("bill.csv");
        std::fs::write(&bill, planted(&text)).unwrap();
        let run = |partition_bytes| {
            reconcile(&Options {
                bills: vec![bill.clone()],
                expected: exp.clone(),
                compute: None,
                out: dir.path().join("out"),
                layouts: Vec::new(),
                period: None,
                region: None,
                policy: None,
                lang: Lang::En,
                mask: false,
                computed: false,
                partition_bytes,
            })
            .unwrap()
        };
        let (whole, split) = (run(u64::MAX), run(300));
        assert_eq!(whole.partitions, 1);
        assert!(split.partitions >= 10, "{}", split.partitions);
        let codes: BTreeSet<&str> = whole.rows.iter().map(|r| r.code()).collect();
        assert_eq!(
            codes.into_iter().collect::<Vec<_>>(),
            ["C001", "C002", "C003", "C004", "C006"]
        );
        assert_eq!(format!("{:?}", whole.rows), format!("{:?}", split.rows));
        assert_eq!(whole.totals, split.totals);
        assert_eq!(whole.bill_counts, split.bill_counts);
        assert_eq!(whole.expected_counts, split.expected_counts);
    }
}
