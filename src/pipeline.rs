//! The run: plan every input → stream each sheet in chunks → row rules in parallel →
//! batch rules, accounting and writing in input order → stage outputs → commit together.

use std::io::{IsTerminal, Write};
use std::path::Path;

use rayon::prelude::*;

use crate::config::{Command, Config, FindingsFormat};
use crate::contributions::{self, charge, charge::Addition};
use crate::error::Error;
use crate::exit::Exit;
use crate::finding::{At, Finding};
use crate::input::header::{Field, Schema, H004, H005, H007};
use crate::input::plan::{self, FilePlan};
use crate::input::rows_buf::{RawRow, RowFlag};
use crate::input::value::vocab::Vocab;
use crate::input::{InputError, InputFile};
use crate::model::{ChangeKind, RosterStatus};
use crate::output::contributions::ContributionsCsv;
use crate::output::csv_sink::Sink;
use crate::output::errors_xlsx::ErrorsXlsx;
use crate::output::findings::{self, FindingsCsv, Person};
use crate::output::manifest::{self, FileHash, Manifest, PolicyRecord};
use crate::output::pending::{Pending, PendingAdditions};
use crate::output::portal::Portal;
use crate::output::redact::Redact;
use crate::output::roster::RosterChanges;
use crate::output::submission::{self, SubmissionCsv};
use crate::output::submission_xlsx::SubmissionXlsx;
use crate::output::summary::{
    CarriedForward, ContributionTotals, Counts, FileSummary, FindingCounts, PolicySummary,
    RosterSummary, SheetSummary, Summary,
};
use crate::output::{self, atomic::Staged, SourceFile, SourceSheet, Sources};
use crate::policy::{PolicySet, Region};
use crate::rows::roster::{Roster, RosterEntry};
use crate::rows::{ok, ChangeRow, SheetCtx};
use crate::rules::{self, batch::Batch, Checked, Context};

/// Rows validated together; large enough to keep both cores busy, small enough that
/// memory does not grow with the file.
const CHUNK_ROWS: usize = 8192;

pub struct Outcome {
    pub exit: Exit,
    pub summary: Summary,
    /// The names of the files this run wrote, in the order they were staged.
    pub written: Vec<String>,
}

/// Worker threads past this bring nothing (the machine has fewer cores) and each costs a
/// stack: `--jobs 100000` runs this many.
pub const MAX_JOBS: usize = 256;

/// Runs `run` or `check` as configured.
pub fn execute(cfg: &Config) -> Result<Outcome, Error> {
    crate::input::limits::set(cfg.limits);
    let jobs = cfg.jobs.map(|j| j.min(MAX_JOBS));
    if cfg.jobs.is_some_and(|j| j > MAX_JOBS) && !cfg.quiet {
        eprintln!(
            "{}",
            match cfg.lang {
                crate::finding::Lang::Zh =>
                    format!("headcount：--jobs 上限为 {MAX_JOBS}，按 {MAX_JOBS} 个线程运行"),
                crate::finding::Lang::En =>
                    format!("headcount: --jobs is capped at {MAX_JOBS}; running {MAX_JOBS} threads"),
            }
        );
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Config(format!("cannot start worker threads: {e}")))?;
    // A panic anywhere below (a reader, a library's writer) is a program error, exit 2.
    pool.install(|| crate::panic_guard::catch(&cfg.out, || execute_in_pool(cfg)))
}

/// Loads the embedded policy with the user's file and injury rate layered over it.
pub fn load_policy(
    cfg_policy: Option<&Path>,
    region: Option<&str>,
    injury: Option<rust_decimal::Decimal>,
) -> Result<PolicySet, Error> {
    let mut set = PolicySet::embedded()?;
    if let Some(file) = cfg_policy {
        set = set.layer_file(file)?;
    }
    if let (Some(rate), Some(region)) = (injury, region) {
        set = set.set_injury_rate(region, rate)?;
    }
    Ok(set)
}

fn execute_in_pool(cfg: &Config) -> Result<Outcome, Error> {
    refuse_output_over_input(cfg)?;
    let policy = load_policy(
        cfg.policy.as_deref(),
        cfg.region.as_deref(),
        cfg.injury_rate,
    )?;
    let region = match &cfg.region {
        Some(name) => Some(policy.region(name).ok_or_else(|| {
            Error::Config(format!(
                "unknown region `{name}`; known regions: {}",
                policy
                    .regions()
                    .map(|r| r.name().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None if cfg.command == Command::Run => {
            return Err(Error::Config(
                "run needs --region (or region in headcount.toml) to compute contributions".into(),
            ))
        }
        None => None,
    };
    if let Some(r) = region {
        policy.period_for(r.name(), cfg.period)?;
    }
    // The code lists compiled for the region, once per run, for the roster and the changes.
    let vocab = Vocab::new(&cfg.codes, region.map(|r| r.code()));
    let roster = match &cfg.roster {
        Some(path) => Some({
            crate::panic_guard::reading(&display(path));
            Roster::load(path, &display(path), cfg.encoding, &cfg.vocab, &vocab)?
        }),
        None => None,
    };

    // Every file's headers first: a bad header anywhere stops the run before any work.
    let mut files = Vec::new();
    for path in &cfg.inputs {
        let shown = display(path);
        crate::panic_guard::reading(&shown);
        let mut file = InputFile::open(path, &shown, cfg.encoding)?;
        let opts = plan::PlanOptions {
            schema: Schema::Changes,
            vocab: &cfg.vocab,
            only_sheet: cfg.sheet.as_deref(),
            kind: cfg.kinds.for_input(path),
            keep_head: false,
        };
        let plan = plan::plan(&mut file, &shown, &opts)?;
        files.push((file, plan));
    }
    let mut sources = Sources {
        files: files
            .iter()
            .map(|(_, p)| SourceFile {
                display: p.display.clone(),
                sheets: p
                    .sheets
                    .iter()
                    .map(|s| SourceSheet {
                        name: s.name.clone(),
                        columns: s
                            .data
                            .as_ref()
                            .map(|d| d.header.columns.clone())
                            .unwrap_or_default(),
                        header_row: s.data.as_ref().map_or(0, |d| d.header.row),
                        id_column: s
                            .data
                            .as_ref()
                            .and_then(|d| d.header.map.get(Field::IdNumber))
                            .map(|c| c as u32),
                    })
                    .collect(),
            })
            .collect(),
    };

    // The roster comes last among the sources, for its own findings (V021).
    let roster_source = sources.files.len() as u32;
    if let Some(r) = &roster {
        sources.files.push(SourceFile {
            display: r.file.clone(),
            sheets: r
                .sheet_names()
                .iter()
                .map(|name| SourceSheet {
                    name: name.clone(),
                    // No roster row is copied into the error workbook: all of its
                    // findings count as about the sheet and are listed in 「汇总」.
                    header_row: u32::MAX,
                    ..SourceSheet::default()
                })
                .collect(),
        });
    }
    let mut staged = Staged::new(&cfg.out)?;
    if let Some(p) = staged.interrupted_commit() {
        // Said, not fatal: this run's commit replaces the mix (verify refuses it).
        eprintln!(
            "headcount: {}",
            match cfg.lang {
                crate::finding::Lang::Zh => format!(
                    "注意：{}：{}；本次运行提交时会重写它的输出并清除该标记",
                    display(&cfg.out),
                    p.message(cfg.lang)
                ),
                crate::finding::Lang::En => format!(
                    "note: {}: {}; this run's commit rewrites its outputs and clears the marker",
                    display(&cfg.out),
                    p.message(cfg.lang)
                ),
            }
        );
    }
    let mut run = Run::new(cfg, &policy, &mut staged, region, roster.as_ref(), &vocab)?;
    if let Some(x) = &mut run.errors_xlsx {
        // Birth dates beside a masked ID are shown as their year only.
        for (f, (_, p)) in files.iter().enumerate() {
            for s in &p.sheets {
                if let Some(c) = s
                    .data
                    .as_ref()
                    .and_then(|d| d.header.map.get(Field::BirthDate))
                {
                    x.birth_column(f as u32, s.index, c);
                }
            }
        }
    }
    let mut file_summaries = Vec::new();
    for (index, (file, plan)) in files.iter_mut().enumerate() {
        file_summaries.push(run.file(index as u32, file, plan, &sources)?);
    }
    crate::panic_guard::done_reading();
    run.charge_additions()?;
    run.continuing_members()?;
    if cfg.command == Command::Run {
        run.top_ups(&sources)?;
    }
    if let Some(r) = &roster {
        run.roster_findings(r, roster_source, &sources)?;
    }
    let (unconfirmed, carried_forward) = run.policy_findings(&sources)?;
    let tally = std::mem::take(&mut run.tally);
    let months_charged: Vec<_> = run.months_charged.iter().copied().collect();
    let (counts, finding_counts, contribution_totals, changes, portal_notes) = run.finish()?;

    let exit = Exit::for_findings(
        finding_counts.errors,
        finding_counts.warnings,
        cfg.deny_warnings,
    );
    let roster_summary = match (&roster, &cfg.roster) {
        (Some(r), Some(path)) => RosterSummary {
            used: true,
            file: Some(display(path)),
            rows_read: r.rows_read,
            members: r.len() as u64,
            rows_skipped: r.skipped.len() as u64,
            skipped: r
                .skipped
                .iter()
                .take(100)
                .map(|s| crate::output::summary::RosterSkip {
                    sheet: s.sheet.clone(),
                    row: s.row,
                    // "ID number 110101… is stored as a number" must not show it whole.
                    reason: Redact::tokens(cfg.mask).text(&s.reason).into_owned(),
                })
                .collect(),
            note: None,
        },
        _ => RosterSummary {
            note: Some(match cfg.lang {
                crate::finding::Lang::Zh => "未提供参保名册（--roster），名册相关规则已跳过".into(),
                crate::finding::Lang::En => {
                    "no roster given (--roster): roster rules were skipped".into()
                }
            }),
            ..RosterSummary::default()
        },
    };
    let summary = Summary {
        tool: format!("headcount {}", env!("CARGO_PKG_VERSION")),
        command: cfg.command.id(),
        period: cfg.period.to_string(),
        as_of: cfg.as_of.to_string(),
        region: region.map(|r| r.name().to_string()),
        totals: counts,
        files: file_summaries,
        report: cfg
            .max_findings
            .map(|n| crate::output::summary::ReportCap::new(n, finding_counts.total())),
        findings: finding_counts,
        roster: roster_summary,
        contributions: contribution_totals,
        policy: region.map(|r| PolicySummary {
            region: r.name().to_string(),
            digest: policy.digest(),
            unconfirmed,
            carried_forward,
        }),
        notes: notes(cfg, region.is_some())
            .into_iter()
            .chain(portal_notes)
            .collect(),
        exit_code: exit.code(),
    };

    if let Some(changes) = changes {
        let mut w = Sink::new(staged.create(output::ROSTER_NEXT)?, cfg.csv_encoding);
        output::roster::write(&mut w, roster.as_ref(), changes)?;
        w.flush().map_err(|source| Error::Write {
            path: output::ROSTER_NEXT.into(),
            source,
        })?;
    }
    staged.write(output::SUMMARY, summary.to_json().as_bytes())?;
    let page = report_page(
        cfg,
        &policy,
        region,
        &months_charged,
        &summary,
        &tally,
        &staged,
    )?;
    staged.write(output::REPORT_HTML, page.as_bytes())?;
    if cfg.command == Command::Run {
        let m = manifest(cfg, &policy, &staged)?;
        staged.write(output::MANIFEST, m.to_json().as_bytes())?;
    }
    let written: Vec<String> = staged
        .commit()?
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
        .collect();
    // One run, one folder: last run's outputs that this one did not write go.
    output::leftovers::remove_unwritten(&cfg.out, &written)?;
    Ok(Outcome {
        exit,
        summary,
        written,
    })
}

/// H007 notes for a sheet without a column (a date, the reason) the rules would use.
fn missing_dates(
    data: &plan::SheetData,
    sheet: &str,
    period: crate::calendar::Month,
    at: At,
) -> Vec<Finding> {
    let map = &data.header.map;
    let may = |k: ChangeKind| data.kind.is_none_or(|d| d == k);
    let mut out = Vec::new();
    let note = |field: Field, zh: String, en: String| {
        Finding::new(&H007, at)
            .arg("sheet", sheet)
            .arg("field_zh", field.label_zh())
            .arg("field_en", field.id())
            .arg("effect_zh", zh)
            .arg("effect_en", en)
    };
    if may(ChangeKind::Addition) && !map.has(Field::HireDate) {
        out.push(if map.has(Field::StartMonth) {
            note(
                Field::HireDate,
                "增员以参保年月列为准，需要入职日期的检查（如 30 日内办理）已跳过".into(),
                "additions go by the start-month column; checks that need the hire date (e.g. the 30-day limit) are skipped".into(),
            )
        } else {
            note(
                Field::HireDate,
                format!("也没有参保年月列，增员的参保年月按申报月份 {period} 计，需要入职日期的检查已跳过"),
                format!("nor a start-month column: additions start in the declared month {period}; checks that need the hire date are skipped"),
            )
        });
    }
    if may(ChangeKind::Reduction) && data.kind.is_some() && !map.has(Field::LeaveDate) {
        out.push(if map.has(Field::StopMonth) {
            note(
                Field::LeaveDate,
                "减员以停缴年月列为准，需要离职日期的检查已跳过".into(),
                "reductions go by the stop-month column; checks that need the leave date are skipped".into(),
            )
        } else {
            note(
                Field::LeaveDate,
                format!("也没有停缴年月列，减员自申报月份 {period} 起停缴，需要离职日期的检查已跳过"),
                format!("nor a stop-month column: reductions stop from the declared month {period}; checks that need the leave date are skipped"),
            )
        });
    }
    if may(ChangeKind::Reduction) && data.kind.is_some() && !map.has(Field::Reason) {
        out.push(note(
            Field::Reason,
            "减员不检查原因，依赖原因的检查（如退休、死亡）已跳过".into(),
            "reductions are taken without a reason; checks that depend on it (retirement, death) are skipped".into(),
        ));
    }
    out
}

/// What the run did not check, said rather than left silent.
fn notes(cfg: &Config, has_region: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if !has_region {
        notes.push(match cfg.lang {
            crate::finding::Lang::Zh => {
                "未指定地区（--region），缴费基数上下限和补缴期限规则已跳过".to_string()
            }
            crate::finding::Lang::En => {
                "no region given (--region): base floor/ceiling and retro-limit rules were skipped"
                    .to_string()
            }
        });
    }
    notes
}

/// A path as the user gave it, with `/` separators, for reports and the manifest; an
/// absolute path is shown relative to the working directory (see `audit::shown_path`).
pub fn display(path: &Path) -> String {
    crate::audit::shown_path(path)
}

fn refuse_output_over_input(cfg: &Config) -> Result<(), Error> {
    let names = output::RUN_OUTPUTS;
    let inputs = cfg
        .inputs
        .iter()
        .chain(cfg.roster.iter())
        .chain(cfg.policy.iter());
    for input in inputs {
        let Ok(input_abs) = std::fs::canonicalize(input) else {
            continue;
        };
        for name in names {
            let out = cfg.out.join(name);
            if std::fs::canonicalize(&out).is_ok_and(|o| o == input_abs) {
                return Err(Error::OutputOverInput {
                    out: cfg.out.clone(),
                    input: input.clone(),
                });
            }
        }
    }
    Ok(())
}

fn manifest(cfg: &Config, policy: &PolicySet, staged: &Staged) -> Result<Manifest, Error> {
    let hash = |path: &Path, shown: String| -> Result<FileHash, Error> {
        let (sha256, bytes) = manifest::hash_file(path)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        Ok(FileHash {
            path: shown,
            sha256,
            bytes,
            path_hex: None,
        })
    };
    // Inputs are recorded losslessly: the shown path, plus its bytes when it differs.
    let input = |path: &Path| -> Result<FileHash, Error> {
        let mut f = hash(path, display(path))?;
        f.path_hex = manifest::path_hex(&crate::audit::recorded_path(path), &f.path);
        Ok(f)
    };
    // The recorded options and their forms are defined in the flag table.
    let arguments = crate::config::flags::recorded(cfg);
    let inputs = cfg
        .inputs
        .iter()
        .map(|p| input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let roster = cfg.roster.as_ref().map(|p| input(p)).transpose()?;
    let layouts = cfg
        .layouts
        .iter()
        .map(|p| input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut outputs = Vec::new();
    for name in output::RUN_OUTPUTS
        .into_iter()
        .filter(|n| *n != output::MANIFEST)
    {
        // Hashed once: the commit marker reuses these.
        if let Some(h) = staged.hash(name) {
            let (sha256, bytes) = h.map_err(|e| Error::Input(InputError::unreadable(name, &e)))?;
            outputs.push(FileHash {
                path: name.to_string(),
                sha256,
                bytes,
                path_hex: None,
            });
        }
    }
    Ok(Manifest {
        tool: "headcount".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: cfg.command.id().into(),
        arguments,
        aliases: cfg.aliases.clone(),
        policy: Some(PolicyRecord {
            digest: policy.digest(),
            file: cfg.policy.as_ref().map(|p| input(p)).transpose()?,
            sources: policy
                .sources()
                .into_iter()
                .map(|s| output::manifest::PolicySource {
                    name: s.name,
                    sha256: s.sha256,
                })
                .collect(),
        }),
        inputs,
        layouts,
        roster,
        outputs,
    })
}

/// report.html from the values that made summary.json, the staged contributions.csv and
/// the run's tally.
fn report_page(
    cfg: &Config,
    policy: &PolicySet,
    region: Option<&Region>,
    months: &[crate::calendar::Month],
    summary: &Summary,
    tally: &output::report::Tally,
    staged: &Staged,
) -> Result<String, Error> {
    use output::report::{InputRef, PeriodUsed, Report};
    let hash = |path: &Path| -> Result<InputRef, Error> {
        let shown = display(path);
        let (sha256, bytes) = manifest::hash_file(path)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        Ok(InputRef {
            path: shown,
            sha256,
            bytes,
        })
    };
    let mut periods: Vec<PeriodUsed> = Vec::new();
    if let Some(region) = region {
        for m in months {
            let Some(p) = region.period(*m) else { continue };
            let from = p.from().to_string();
            if periods.last().is_some_and(|u| u.from == from) {
                continue;
            }
            periods.push(PeriodUsed {
                from,
                to: p.to().map(|t| t.to_string()),
                unconfirmed: region
                    .unconfirmed(*m, policy.confirmation())
                    .iter()
                    .map(|f| format!("{} = {} ({})", f.key(), f.value, f.confidence))
                    .collect(),
            });
        }
    }
    let costs = match staged.staged_path(output::CONTRIBUTIONS) {
        Some(path) => Some(
            output::report::costs::read(path).map_err(|source| Error::Write {
                path: output::CONTRIBUTIONS.into(),
                source,
            })?,
        ),
        None => None,
    };
    let report = Report {
        lang: cfg.lang,
        summary,
        employer: cfg.employer.as_deref(),
        region_code: region.map(|r| r.code()),
        region_local: region.and_then(|r| {
            r.aliases()
                .iter()
                .find(|a| !a.is_ascii())
                .map(String::as_str)
        }),
        mask: cfg.mask,
        inputs: cfg
            .inputs
            .iter()
            .map(|p| hash(p))
            .collect::<Result<_, _>>()?,
        roster: cfg.roster.as_deref().map(hash).transpose()?,
        periods,
        tally,
        costs,
    };
    Ok(output::report::render(&report))
}

/// A row after the parallel stage. Not boxed: the Vec is filled and drained per chunk, and
/// a box would cost a malloc per row and a free on the serial thread.
#[allow(clippy::large_enum_variant)]
enum Parsed<'a> {
    Blank,
    /// A totals line (合计/小计/总计) of the export, not a person.
    Totals,
    Row((ChangeRow<'a>, Checked)),
}

/// H008: the reader found a quoted cell that swallowed the lines after it (input::swallow).
fn swallowed(ctx: &SheetCtx<'_>, row: u32, flag: RowFlag, columns: &[String]) -> Finding {
    let at = At {
        file: ctx.file,
        sheet: ctx.sheet,
        row,
        column: u32::try_from(flag.column).ok(),
    };
    let name = columns
        .get(flag.column)
        .cloned()
        .unwrap_or_else(|| (flag.column + 1).to_string());
    Finding::new(&crate::input::swallow::H008, at)
        .arg("row", row)
        .arg("last", flag.last_line)
        .arg("column", name)
}

pub(crate) fn is_totals_row(raw: &RawRow<'_>) -> bool {
    (0..raw.width())
        .map(|i| raw.cell(i))
        .find(|c| !c.is_blank())
        // Only text can be a totals label; no string is built for the other cells.
        .is_some_and(|c| match c {
            crate::input::cell::Cell::Text(t) => {
                matches!(t.trim(), "合计" | "小计" | "总计" | "合 计" | "总 计")
            }
            _ => false,
        })
}

type Writer = Sink<std::io::BufWriter<std::fs::File>>;
type Book = std::io::BufWriter<std::fs::File>;

/// The state of one run as rows stream through it.
struct Run<'a> {
    cfg: &'a Config,
    policy: &'a PolicySet,
    region: Option<&'a Region>,
    roster: Option<&'a Roster>,
    /// The code lists compiled for the region, once per run.
    vocab: &'a Vocab,
    batch: Batch,
    errors: Option<FindingsCsv<Writer>>,
    json: Option<std::io::BufWriter<std::io::Stdout>>,
    submission: Option<SubmissionCsv<Writer>>,
    contributions: Option<ContributionsCsv<Writer>>,
    errors_xlsx: Option<ErrorsXlsx<Book>>,
    submission_xlsx: Option<SubmissionXlsx<Book>>,
    /// The region's upload templates (`run` with a region that has them).
    portal: Option<Portal<Book>>,
    /// For roster.next.csv (`run` only).
    changes: Option<RosterChanges>,
    /// Contribution months this run charged, for P001 and P004.
    months_charged: std::collections::BTreeSet<crate::calendar::Month>,
    /// Accepted additions, charged once the batch's reductions are known.
    pending: Option<PendingAdditions>,
    /// Reductions of people this batch added, as (batch person, stop month).
    batch_stops: Vec<(u32, crate::calendar::Month)>,
    /// Back-pay person-months charged, for P007.
    backpay_months: usize,
    /// People charged for the run's month at the floor or ceiling of carried-forward
    /// figures (P004).
    at_limits: rules::policy::AtLimits,
    totals: Counts,
    findings: FindingCounts,
    /// What report.html shows beyond summary.json.
    tally: output::report::Tally,
    progress: Option<indicatif::ProgressBar>,
}

impl<'a> Run<'a> {
    fn new(
        cfg: &'a Config,
        policy: &'a PolicySet,
        staged: &mut Staged,
        region: Option<&'a Region>,
        roster: Option<&'a Roster>,
        vocab: &'a Vocab,
    ) -> Result<Run<'a>, Error> {
        let json = cfg.command == Command::Check && cfg.format == FindingsFormat::Json;
        let csv = |staged: &mut Staged, name| -> Result<Writer, Error> {
            Ok(Sink::new(staged.create(name)?, cfg.csv_encoding))
        };
        let errors = if json {
            None
        } else {
            Some(FindingsCsv::new(csv(staged, output::ERRORS)?, cfg.lang)?)
        };
        let run = cfg.command == Command::Run;
        let errors_xlsx = if run || cfg.xlsx {
            Some(ErrorsXlsx::new(
                staged.create(output::ERRORS_XLSX)?,
                &cfg.out,
                cfg.lang,
                cfg.mask,
                cfg.period,
                cfg.as_of,
            )?)
        } else {
            None
        };
        let submission_xlsx = if run && cfg.xlsx {
            Some(SubmissionXlsx::new(
                staged.create(output::SUBMISSION_XLSX)?,
                &cfg.out,
                cfg.as_of,
            )?)
        } else {
            None
        };
        let portal = match (run, region) {
            (true, Some(r)) => {
                let layouts = output::portal::layouts_for(r.name());
                if layouts.iter().any(Option::is_some) {
                    Some(Portal::new(
                        layouts,
                        |name| staged.create(name),
                        &cfg.out,
                        cfg.as_of,
                        cfg.employer.as_deref(),
                    )?)
                } else {
                    None
                }
            }
            _ => None,
        };
        let (submission, contributions) = if cfg.command == Command::Run {
            let names: Vec<String> = region
                .map(|r| {
                    r.insurance_names()
                        .into_iter()
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            (
                Some(SubmissionCsv::new(csv(staged, output::SUBMISSION)?)?),
                Some(ContributionsCsv::new(
                    csv(staged, output::CONTRIBUTIONS)?,
                    names,
                )?),
            )
        } else {
            (None, None)
        };
        let total_bytes: u64 = cfg
            .inputs
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        // Only worth drawing for files one waits for, and only on a terminal.
        let progress = (!cfg.quiet && std::io::stderr().is_terminal() && total_bytes > 2_000_000)
            .then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
                );
                bar
            });
        Ok(Run {
            cfg,
            policy,
            region,
            roster,
            vocab,
            batch: Batch::default(),
            errors,
            json: json.then(|| std::io::BufWriter::new(std::io::stdout())),
            submission,
            contributions,
            errors_xlsx,
            submission_xlsx,
            portal,
            changes: match cfg.command {
                Command::Run => Some(RosterChanges::new(&cfg.out)?),
                Command::Check => None,
            },
            months_charged: std::collections::BTreeSet::from([cfg.period]),
            pending: match cfg.command {
                Command::Run => Some(PendingAdditions::new(&cfg.out)?),
                Command::Check => None,
            },
            batch_stops: Vec::new(),
            backpay_months: 0,
            at_limits: rules::policy::AtLimits::default(),
            totals: Counts::default(),
            findings: FindingCounts::default(),
            tally: output::report::Tally::default(),
            progress,
        })
    }

    fn report(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error> {
        self.findings.record(f);
        self.tally.finding(f, who, sources, self.cfg.lang);
        // --max-findings caps the report; the counts above stay exact.
        if self
            .cfg
            .max_findings
            .is_some_and(|n| self.findings.total() > n)
        {
            return Ok(());
        }
        if let Some(w) = &mut self.errors {
            w.write(f, who, sources)?;
        }
        if let Some(x) = &mut self.errors_xlsx {
            // Keeps file-level findings for 「汇总」; row findings come with their row.
            x.finding(f, sources);
        }
        if let Some(out) = &mut self.json {
            let line = findings::json_line(f, who, sources, self.cfg.lang);
            writeln!(out, "{line}").map_err(|source| Error::Write {
                path: "<stdout>".into(),
                source,
            })?;
        }
        Ok(())
    }

    fn file(
        &mut self,
        index: u32,
        file: &mut InputFile,
        plan: &FilePlan,
        sources: &Sources,
    ) -> Result<FileSummary, Error> {
        let nobody = Person {
            name: "",
            id: "",
            redact: Redact::tokens(self.cfg.mask),
        };
        crate::panic_guard::reading(&plan.display);
        let mut summary = FileSummary {
            file: plan.display.clone(),
            encoding: None,
            counts: Counts::default(),
            sheets: Vec::new(),
        };
        for sheet in &plan.sheets {
            let Some(data) = &sheet.data else {
                let at = At {
                    file: index,
                    sheet: sheet.index,
                    row: 0,
                    column: None,
                };
                let f = Finding::new(&H004, at).arg("sheet", &sheet.name);
                self.report(&f, &nobody, sources)?;
                summary.sheets.push(SheetSummary {
                    sheet: sheet.name.clone(),
                    header_row: None,
                    kind: None,
                    kind_from: None,
                    skipped: true,
                    counts: Counts::default(),
                });
                continue;
            };
            for (col, text) in &data.header.unknown {
                let at = At {
                    file: index,
                    sheet: sheet.index,
                    row: data.header.row,
                    column: Some(*col),
                };
                let f = Finding::new(&H005, at).arg("column", text);
                self.report(&f, &nobody, sources)?;
            }
            for f in missing_dates(
                data,
                &sheet.name,
                self.cfg.period,
                At {
                    file: index,
                    sheet: sheet.index,
                    row: 0,
                    column: None,
                },
            ) {
                self.report(&f, &nobody, sources)?;
            }
            let ctx = SheetCtx {
                file: index,
                sheet: sheet.index,
                map: &data.header.map,
                kind: data.kind,
                vocab: self.vocab,
            };
            let mut counts = Counts::default();
            let columns = &data.header.columns;
            let encoding = plan::stream::<Error>(file, sheet, data, CHUNK_ROWS, |rows, first| {
                let rctx = self.rule_context();
                let parsed: Vec<Parsed<'_>> = (first..rows.len())
                    .into_par_iter()
                    .map(|i| {
                        let raw = rows.row(i);
                        if raw.is_blank() {
                            Parsed::Blank
                        } else if is_totals_row(&raw) {
                            Parsed::Totals
                        } else {
                            let row = ChangeRow::build(raw, ctx);
                            let mut checked = rules::check_row(&row, &rctx);
                            if let Some(flag) = rows.flag(i) {
                                checked
                                    .findings
                                    .insert(0, swallowed(&ctx, raw.number, flag, columns));
                            }
                            Parsed::Row((row, checked))
                        }
                    })
                    .collect();
                for p in parsed {
                    self.row(p, &mut counts, sources)?;
                }
                if let Some(bar) = &self.progress {
                    bar.set_message(format!("{} rows", self.totals.rows_read + counts.rows_read));
                    bar.tick();
                }
                Ok(())
            })?;
            summary.encoding = summary.encoding.or(encoding.map(|e| e.id()));
            let at = At {
                file: index,
                sheet: sheet.index,
                row: data.header.row,
                column: None,
            };
            let data_rows = counts.rows_read - counts.blank_skipped;
            let place = if sheet.name.is_empty() {
                plan.display.clone()
            } else {
                format!("{} [{}]", plan.display, sheet.name)
            };
            if let Some(f) = rules::files::empty_sheet(&place, data_rows, at) {
                self.report(&f, &nobody, sources)?;
            }
            summary.counts.add(&counts);
            summary.sheets.push(SheetSummary {
                sheet: sheet.name.clone(),
                header_row: Some(data.header.row),
                kind: data.kind.map(|k| k.label_en()),
                kind_from: data.kind_from.map(|k| k.id()),
                skipped: false,
                counts,
            });
        }
        self.totals.add(&summary.counts);
        Ok(summary)
    }

    fn rule_context(&self) -> Context<'a> {
        Context {
            as_of: self.cfg.as_of,
            period: self.cfg.period,
            mask: self.cfg.mask,
            employer: self.cfg.employer.as_deref(),
            roster: self.roster,
            region: self.region,
        }
    }

    /// Batch rules, accounting and writing for one row, in input order.
    fn row(
        &mut self,
        parsed: Parsed<'_>,
        counts: &mut Counts,
        sources: &Sources,
    ) -> Result<(), Error> {
        counts.rows_read += 1;
        let (row, mut checked) = match parsed {
            Parsed::Blank => {
                counts.blank_skipped += 1;
                return Ok(());
            }
            Parsed::Totals => {
                counts.blank_skipped += 1;
                counts.totals_rows_skipped += 1;
                return Ok(());
            }
            Parsed::Row(b) => b,
        };
        self.batch.check(&row, &mut checked, sources);
        let accepted = !checked.findings.iter().any(Finding::is_error);
        // Only a row with findings shows its ID anywhere masked.
        let id_shown = if checked.findings.is_empty() {
            String::new()
        } else if self.cfg.mask {
            crate::ids::mask(row.id_text())
        } else {
            row.id_text().to_string()
        };
        // Masking reaches every cell and message of the row, not only the ID column: the
        // ID text and the birth dates (from the ID, from the birth-date column) are hidden
        // wherever they appear.
        let births = checked
            .facts
            .id
            .as_ref()
            .and_then(|i| i.birth)
            .into_iter()
            .chain(ok(&row.birth_date).copied());
        let who = Person {
            name: row.name_text(),
            id: &id_shown,
            redact: Redact::row(self.cfg.mask, row.id_text(), births),
        };
        for f in &checked.findings {
            self.report(f, &who, sources)?;
        }
        if let Some(x) = &mut self.errors_xlsx {
            x.row(&row.raw, &checked.findings, sources, &who.redact)?;
        }
        let kind = row.kind();
        match (accepted, kind) {
            (true, Some(kind)) => {
                counts.accepted += 1;
                match kind {
                    ChangeKind::Addition => counts.additions_accepted += 1,
                    ChangeKind::Reduction => counts.reductions_accepted += 1,
                }
                self.accept(&row, &checked, kind, sources)?;
            }
            _ => counts.rejected += 1,
        }
        Ok(())
    }

    fn accept(
        &mut self,
        row: &ChangeRow<'_>,
        checked: &Checked,
        kind: ChangeKind,
        sources: &Sources,
    ) -> Result<(), Error> {
        let start_month = checked.facts.start_month;
        let stop_month = checked.facts.stop_month;
        // The base to declare: clamped to the period's pension limits (A007/A008 say so).
        let base =
            ok(&row.base).map(
                |b| match self.region.and_then(|r| r.period(self.cfg.period)) {
                    Some(p) => match (p.floor("pension"), p.ceiling("pension")) {
                        (Some(f), Some(c)) => contributions::clamp(*b, f, c),
                        _ => *b,
                    },
                    None => *b,
                },
            );
        if self.submission.is_some() || self.submission_xlsx.is_some() || self.portal.is_some() {
            let sheet = sources
                .sheet(row.at.file, row.at.sheet)
                .map_or("", |s| s.name.as_str());
            let line = submission::Line {
                row,
                facts: &checked.facts,
                kind,
                start_month,
                stop_month,
                base,
                file: sources.file(row.at.file),
                sheet,
            };
            if let Some(p) = &mut self.portal {
                p.write(&line, self.vocab)?;
            }
            // One line of cells, two renderings.
            let values = submission::values(&line);
            if let Some(w) = &mut self.submission {
                w.write_values(&values)?;
            }
            if let Some(x) = &mut self.submission_xlsx {
                x.write(kind, &values)?;
            }
        }
        if self.cfg.command != Command::Run {
            return Ok(());
        }
        if checked.facts.key.is_none() {
            return Ok(());
        }
        match kind {
            ChangeKind::Addition => {
                // Charged at the end of the batch: a later row may reduce the person.
                if let (Some(start), Some(base), Some(_), Some(pending)) =
                    (start_month, ok(&row.base), self.region, &mut self.pending)
                {
                    let department = ok(&row.department).map_or("", |d| d.as_ref());
                    self.tally.pending_addition(department);
                    pending.push(&Pending {
                        person: checked.facts.batch_person.unwrap_or(u32::MAX),
                        id: row.id_text().to_string(),
                        name: row.name_text().to_string(),
                        addition: Addition {
                            start,
                            base: *base,
                            cover: row.cover(),
                            average_wage_backpay: ok(&row.reason)
                                == Some(&crate::model::Reason::Interrupted),
                            medical_tier: ok(&row.medical_tier).and_then(|t| t.number()),
                        },
                    })?;
                }
                let Some(changes) = &mut self.changes else {
                    return Ok(());
                };
                changes.add(
                    checked.facts.roster,
                    checked.facts.batch_person,
                    RosterEntry {
                        id: row.id_text().into(),
                        id_type: ok(&row.id_type)
                            .copied()
                            .unwrap_or(crate::ids::DocType::ResidentId),
                        name: row.name_text().into(),
                        category: ok(&row.category).copied(),
                        start_month,
                        base: ok(&row.base).copied(),
                        medical_tier: ok(&row.medical_tier).copied(),
                        status: RosterStatus::Active,
                        stop_month: None,
                        sheet: row.at.sheet,
                        row: row.at.row,
                    },
                )?;
            }
            ChangeKind::Reduction => {
                let person = checked
                    .facts
                    .batch_person
                    .filter(|_| checked.facts.added_in_batch);
                if let (Some(stop), Some(p)) = (stop_month, person) {
                    self.batch_stops.push((p, stop));
                }
                match (stop_month, checked.facts.roster, &mut self.changes) {
                    (Some(stop), Some(at), Some(changes)) => changes.reduce(at, stop),
                    (Some(stop), None, Some(changes)) => {
                        if let Some(p) = person {
                            changes.stop_new(p, stop);
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The additions' months, now that every reduction of the batch is known: each stops
    /// at the stop month of a later reduction of the same person; back-pay months carry
    /// their late fee on the line after them.
    fn charge_additions(&mut self) -> Result<(), Error> {
        let (Some(region), Some(pending)) = (self.region, self.pending.take()) else {
            return Ok(());
        };
        let mut stops = std::mem::take(&mut self.batch_stops);
        stops.reverse();
        stops.sort_by_key(|(p, _)| *p); // stable: the latest reduction of a person first
        stops.dedup_by_key(|(p, _)| *p);
        let Some(w) = &mut self.contributions else {
            return Ok(());
        };
        // In the order they were pushed, as the tally recorded their departments.
        for (n, p) in pending.drain()?.into_iter().enumerate() {
            let stop = stops
                .binary_search_by_key(&p.person, |(q, _)| *q)
                .ok()
                .map(|i| stops[i].1);
            let months = charge::months(
                self.policy,
                region,
                &p.addition,
                self.cfg.period,
                self.cfg.as_of,
                stop,
            )?;
            for c in months {
                if c.month == self.cfg.period && region.carried(c.month).is_some() {
                    let period = self.policy.period_for(region.name(), c.month)?;
                    count_at_limits(&mut self.at_limits, period, p.addition.base);
                }
                w.write_with_basis(&p.id, &p.name, c.month, c.backpay, &c.amounts, c.basis)?;
                w.write_late_fee(&p.id, &p.name, &c)?;
                self.tally
                    .addition(n, c.month == self.cfg.period, &c.amounts);
                if c.backpay {
                    self.backpay_months += 1;
                }
                self.months_charged.insert(c.month);
            }
        }
        Ok(())
    }

    /// Roster members who stay enrolled are charged for the period at their roster base
    /// (clamped to the period's limits: this is how a July base adjustment shows).
    fn continuing_members(&mut self) -> Result<(), Error> {
        let (Some(roster), Some(region), Some(w)) =
            (self.roster, self.region, &mut self.contributions)
        else {
            return Ok(());
        };
        let period = self.policy.period_for(region.name(), self.cfg.period)?;
        for (at, e) in roster.entries.iter().enumerate() {
            if e.status != RosterStatus::Active
                || e.start_month.is_some_and(|m| m > self.cfg.period)
            {
                continue;
            }
            let stopped = self
                .changes
                .as_mut()
                .and_then(|c| c.stop_of(at))
                .is_some_and(|stop| stop <= self.cfg.period);
            let amounts = e.base.map(|base| {
                charge::restrict(
                    contributions::compute_tier(
                        period,
                        base,
                        region.injury_rate(),
                        e.medical_tier.and_then(|t| t.number()),
                    ),
                    e.cover(),
                )
            });
            self.tally.roster_member(stopped, amounts.as_ref());
            let (Some(base), Some(amounts)) = (e.base.filter(|_| !stopped), amounts) else {
                continue;
            };
            w.write(&e.id, &e.name, self.cfg.period, false, &amounts)?;
            if region.carried(self.cfg.period).is_some() {
                count_at_limits(&mut self.at_limits, period, base);
            }
        }
        Ok(())
    }

    /// Top-ups (补差) after a late-published notice: when the run's month lies in a period
    /// published after it started, roster members were declared at the previous period's
    /// figures for the months from its start to the month before publication. Each member
    /// whose amounts differ gets `topup` lines and a P005 with the total.
    fn top_ups(&mut self, sources: &Sources) -> Result<(), Error> {
        let (Some(roster), Some(region)) = (self.roster, self.region) else {
            return Ok(());
        };
        let Some(owed) = contributions::top_up_months(region, self.cfg.period) else {
            return Ok(());
        };
        for e in &roster.entries {
            let Some(base) = e.base else { continue };
            // A stopped member without a stop month: when they stopped is unknown.
            if e.status != RosterStatus::Active && e.stop_month.is_none() {
                continue;
            }
            let mut employer = rust_decimal::Decimal::new(0, 2);
            let mut employee = rust_decimal::Decimal::new(0, 2);
            let (mut first, mut last) = (None, None);
            let enrolled = owed
                .months
                .iter()
                .filter(|(m, _)| e.start_month.is_none_or(|s| s <= *m))
                .filter(|(m, _)| e.stop_month.is_none_or(|s| s > *m));
            for &(m, new) in enrolled {
                let diff = contributions::difference(new, owed.old, base, region.injury_rate());
                if diff
                    .items
                    .iter()
                    .all(|i| i.employer.is_zero() && i.employee.is_zero())
                {
                    continue;
                }
                employer += diff.employer_total;
                employee += diff.employee_total;
                first = first.or(Some(m));
                last = Some(m);
                if let Some(w) = &mut self.contributions {
                    w.write_topup(&e.id, &e.name, m, &diff)?;
                }
            }
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            let f = rules::policy::top_up(&rules::policy::TopUp {
                region: region.name().to_string(),
                period_from: owed.from,
                published: owed.published,
                first,
                last,
                employer,
                employee,
            });
            // A roster member's ID is masked in the report like a row's.
            let id_shown = if self.cfg.mask {
                crate::ids::mask(&e.id)
            } else {
                e.id.to_string()
            };
            self.report(
                &f,
                &Person {
                    name: &e.name,
                    id: &id_shown,
                    redact: Redact::row(self.cfg.mask, &e.id, []),
                },
                sources,
            )?;
        }
        Ok(())
    }

    /// V021: roster lines whose ID a spreadsheet turned into a number.
    fn roster_findings(
        &mut self,
        roster: &Roster,
        file: u32,
        sources: &Sources,
    ) -> Result<(), Error> {
        let nobody = Person {
            name: "",
            id: "",
            redact: Redact::tokens(self.cfg.mask),
        };
        for f in rules::roster::mangled_ids(roster, file) {
            self.report(&f, &nobody, sources)?;
        }
        Ok(())
    }

    /// P001 and P004, once per run; returns the unconfirmed figures and the carried-forward
    /// period for the summary.
    fn policy_findings(
        &mut self,
        sources: &Sources,
    ) -> Result<(Vec<String>, Option<CarriedForward>), Error> {
        let Some(region) = self.region else {
            return Ok((Vec::new(), None));
        };
        let months: Vec<_> = self.months_charged.iter().copied().collect();
        let nobody = Person {
            name: "",
            id: "",
            redact: Redact::tokens(self.cfg.mask),
        };
        if let Some(f) = rules::policy::carried_forward(region, &months, self.at_limits) {
            self.report(&f, &nobody, sources)?;
        }
        if let Some(f) = rules::policy::unconfirmed(self.policy, region, &months) {
            self.report(&f, &nobody, sources)?;
        }
        for f in rules::policy::wage_limits(region, &months) {
            self.report(&f, &nobody, sources)?;
        }
        if let Some(f) = rules::policy::late_fee_terms(region, self.backpay_months) {
            self.report(&f, &nobody, sources)?;
        }
        let carried: Vec<_> = months
            .iter()
            .filter(|m| region.carried(**m).is_some())
            .collect();
        let carried = carried.first().and_then(|first| {
            let p = region.carried(**first)?;
            let to = p.to()?;
            Some(CarriedForward {
                period_from: p.split_from().to_string(),
                period_to: to.to_string(),
                since: to.plus(1).to_string(),
                months: carried.len() as u64,
                at_floor: self.at_limits.at_floor,
                at_ceiling: self.at_limits.at_ceiling,
            })
        });
        let unconfirmed = self
            .policy
            .unconfirmed(region, months)
            .iter()
            .map(|r| r.to_string())
            .collect();
        Ok((unconfirmed, carried))
    }

    #[allow(clippy::type_complexity)]
    fn finish(
        self,
    ) -> Result<
        (
            Counts,
            FindingCounts,
            Option<ContributionTotals>,
            Option<RosterChanges>,
            Vec<String>,
        ),
        Error,
    > {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
        if let Some(w) = self.errors {
            w.finish()?;
        }
        if let Some(mut out) = self.json {
            out.flush().map_err(|source| Error::Write {
                path: "<stdout>".into(),
                source,
            })?;
        }
        if let Some(w) = self.submission {
            w.finish()?;
        }
        if let Some(x) = self.errors_xlsx {
            x.finish(&self.findings)?;
        }
        if let Some(x) = self.submission_xlsx {
            x.finish()?;
        }
        let portal = match self.portal {
            Some(p) => p.finish()?.notes(self.cfg.lang),
            None => Vec::new(),
        };
        let totals = match self.contributions {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        Ok((self.totals, self.findings, totals, self.changes, portal))
    }
}

/// P004's count: a base at or below the pension floor, or at or above the ceiling.
fn count_at_limits(
    tally: &mut rules::policy::AtLimits,
    period: &crate::policy::Period,
    base: rust_decimal::Decimal,
) {
    if period.floor("pension").is_some_and(|f| base <= f) {
        tally.at_floor += 1;
    } else if period.ceiling("pension").is_some_and(|c| base >= c) {
        tally.at_ceiling += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cell::Cell;
    use crate::input::rows_buf::RowBuf;

    #[test]
    fn totals_rows_are_recognised() {
        let mut buf = RowBuf::for_cells();
        buf.push_cells(
            1,
            [Cell::Empty, Cell::Text("合计".into()), Cell::Number(100.0)],
        );
        buf.push_cells(2, [Cell::Text("张三".into()), Cell::Text("合计".into())]);
        assert!(is_totals_row(&buf.row(0)));
        assert!(!is_totals_row(&buf.row(1)));
    }

    #[test]
    fn paths_are_shown_with_forward_slashes() {
        assert_eq!(display(Path::new("samples/a.csv")), "samples/a.csv");
    }
}
