//! The run: plan every input → stream each sheet in chunks → row rules in parallel →
//! batch rules, accounting and writing in input order → stage outputs → commit together.
//! Only the order is decided here: names come from `input::sources`, findings go to
//! `output::findings::Sinks`, charges from `contributions::ledger`, and the summary,
//! manifest, report page and progress line are `output`'s.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::config::{Command, Config, FindingsFormat};
use crate::contributions::charge::Addition;
use crate::contributions::ledger::{self, Ledger, TopUpStep};
use crate::error::Error;
use crate::exit::Exit;
use crate::finding::{At, Finding};
use crate::input::header::{Field, Schema, H004, H005};
use crate::input::plan::{self, FilePlan};
use crate::input::rows_buf::{RawRow, RowFlag};
use crate::input::sources::Sources;
use crate::input::value::vocab::Vocab;
use crate::input::InputFile;
use crate::model::ChangeKind;
use crate::output::contributions::ContributionsCsv;
use crate::output::csv_sink::Sink;
use crate::output::errors_xlsx::ErrorsXlsx;
use crate::output::findings::{FindingsCsv, JsonLines, Person, Sinks};
use crate::output::pending::{Pending, PendingAdditions};
use crate::output::portal::Portal;
use crate::output::progress::{Phase, Progress};
use crate::output::redact::Redact;
use crate::output::roster::{Correction, RosterChanges};
use crate::output::submission::{self, SubmissionCsv};
use crate::output::submission_xlsx::SubmissionXlsx;
use crate::output::summary::{
    CarriedForward, ContributionTotals, Counts, FileSummary, FindingCounts, PolicySummary,
    RosterSummary, SheetSummary, Summary,
};
use crate::output::{self, atomic::Staged};
use crate::policy::{PolicySet, Region};
use crate::rows::roster::{Roster, RosterEntry};
use crate::rows::{ok, ChangeRow, SheetCtx};
use crate::rules::{self, batch::Batch, Checked, Context};
use crate::text::Message;

#[cfg(test)]
mod proptests;

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
        .map_err(|e| Error::Usage(Message::new("threads_failed").arg("reason", e)))?;
    // A panic anywhere below (a reader, a library's writer) is a program error, exit 2.
    pool.install(|| crate::panic_guard::catch(&cfg.out, || execute_in_pool(cfg)))
}

/// Loads the embedded policy with the user's file and injury rate layered over it
/// ([`PolicySet::for_run`]); kept here for `verify` and `rebase`.
pub fn load_policy(
    cfg_policy: Option<&Path>,
    region: Option<&str>,
    injury: Option<rust_decimal::Decimal>,
) -> Result<PolicySet, Error> {
    Ok(PolicySet::for_run(cfg_policy, region, injury)?)
}

fn execute_in_pool(cfg: &Config) -> Result<Outcome, Error> {
    refuse_output_over_input(cfg)?;
    let policy = load_policy(
        cfg.policy.as_deref(),
        cfg.region.as_deref(),
        cfg.injury_rate,
    )?;
    let region = match &cfg.region {
        Some(name) => Some(policy.require_region(name)?),
        None if cfg.command == Command::Run => {
            return Err(Error::Usage(
                Message::new("missing_option").arg("option", "--region"),
            ))
        }
        None => None,
    };
    if let Some(r) = region {
        policy.period_for(r.name(), cfg.period)?;
    }
    // The code lists compiled for the region, once per run, for the roster and the changes.
    let vocab = Vocab::new(&cfg.codes, region.map(|r| r.code()));
    let progress = Progress::new(cfg.lang, cfg.quiet, input_bytes(cfg));
    let roster = match &cfg.roster {
        Some(path) => Some({
            let shown = display(path);
            progress.phase(Phase::Roster, Some(&shown));
            crate::panic_guard::reading(&shown);
            Roster::load_reporting(
                path,
                &shown,
                cfg.encoding,
                &cfg.vocab,
                &vocab,
                |n, share| progress.rows(n, share),
            )?
        }),
        None => None,
    };

    // Every file's headers first: a bad header anywhere stops the run before any work.
    let mut files = Vec::new();
    for path in &cfg.inputs {
        let shown = display(path);
        progress.phase(Phase::Reading, Some(&shown));
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
    let mut sources = Sources::from_plans(files.iter().map(|(_, p)| p));
    // The roster comes last among the sources, for its own findings (V021).
    let roster_source = roster
        .as_ref()
        .map(|r| sources.push_roster(&r.file, r.sheet_names()));
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
    let births = birth_columns(files.iter().map(|(_, p)| p));
    let mut run = Run::new(
        cfg,
        &policy,
        &mut staged,
        region,
        roster.as_ref(),
        &vocab,
        &births,
        &progress,
    )?;
    let mut file_summaries = Vec::new();
    for (index, (file, plan)) in files.iter_mut().enumerate() {
        file_summaries.push(run.file(index as u32, file, plan, &sources)?);
    }
    crate::panic_guard::done_reading();
    progress.phase(Phase::Writing, None);
    run.charge_additions()?;
    run.continuing_members()?;
    if cfg.command == Command::Run {
        run.top_ups(&sources)?;
    }
    if let (Some(r), Some(index)) = (&roster, roster_source) {
        run.roster_findings(r, index, &sources)?;
    }
    let (unconfirmed, carried_forward) = run.policy_findings(&sources)?;
    let tally = std::mem::take(&mut run.tally);
    let months_charged = run.ledger.months_charged();
    let (counts, finding_counts, contribution_totals, changes, (portal_notes, unused)) =
        run.finish()?;
    for name in unused {
        staged.discard(name);
    }

    let exit = Exit::for_findings(
        finding_counts.errors,
        finding_counts.warnings,
        cfg.deny_warnings,
    );
    let mut summary = Summary {
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
        roster: RosterSummary::of(
            roster.as_ref().zip(cfg.roster.as_deref().map(display)),
            cfg.lang,
            cfg.mask,
        ),
        contributions: contribution_totals,
        policy: region.map(|r| PolicySummary {
            region: r.name().to_string(),
            digest: policy.digest(),
            unconfirmed,
            carried_forward,
        }),
        notes: output::summary::notes(cfg.lang, region.is_some())
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
    // `--xlsx`: workbook copies of the CSVs a person opens, where IDs stay text.
    if cfg.xlsx && cfg.command == Command::Run {
        for (csv_name, xlsx_name) in [
            (output::CONTRIBUTIONS, output::CONTRIBUTIONS_XLSX),
            (output::ROSTER_NEXT, output::ROSTER_NEXT_XLSX),
        ] {
            let Some(csv) = staged.staged_path(csv_name).map(Path::to_path_buf) else {
                continue;
            };
            let out = staged.create(xlsx_name)?;
            let sheet = csv_name.trim_end_matches(".csv");
            let left_out = output::workbook_copy::copy(
                &csv,
                cfg.csv_encoding,
                out,
                xlsx_name,
                sheet,
                cfg.as_of,
                &cfg.out,
            )?;
            if left_out > 0 {
                summary.notes.push(
                    crate::text::Message::new("workbook_copy_full")
                        .arg("file", xlsx_name)
                        .arg("n", left_out)
                        .arg("csv", csv_name)
                        .render(cfg.lang),
                );
            }
        }
    }
    staged.write(output::SUMMARY, summary.to_json().as_bytes())?;
    let page = output::report::for_run::for_run(
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
        let m = output::manifest::for_run(cfg, &policy, &staged)?;
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

/// The bytes of the change files and the roster: whether a progress line is worth drawing.
fn input_bytes(cfg: &Config) -> u64 {
    cfg.inputs
        .iter()
        .chain(cfg.roster.iter())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// The birth-date column of each (file, sheet): shown as the year only beside a masked ID.
fn birth_columns<'p>(plans: impl Iterator<Item = &'p FilePlan>) -> Vec<(u32, u32, usize)> {
    let mut out = Vec::new();
    for (f, p) in plans.enumerate() {
        for s in &p.sheets {
            if let Some(c) = s
                .data
                .as_ref()
                .and_then(|d| d.header.map.get(Field::BirthDate))
            {
                out.push((f as u32, s.index, c));
            }
        }
    }
    out
}

/// A path as the user gave it, with `/` separators, for reports and the manifest; an
/// absolute path is shown relative to the working directory (see `audit::shown_path`).
pub fn display(path: &Path) -> String {
    crate::paths::shown_path(path)
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

/// What an accepted information change sets on the member's roster line.
fn correction(row: &ChangeRow<'_>) -> Correction {
    let corrects = row.corrects_id();
    let name = row.name_text();
    Correction {
        id: corrects.then(|| row.id_text().into()),
        id_type: ok(&row.id_type).copied(),
        name: (!name.is_empty()).then(|| name.into()),
        category: ok(&row.category).copied(),
        medical_tier: ok(&row.medical_tier).copied(),
        former: corrects.then(|| row.old_id_text().into()),
    }
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
    /// errors.csv or the JSON Lines stream, and errors.xlsx.
    findings: Sinks<'a>,
    submission: Option<SubmissionCsv<Writer>>,
    contributions: Option<ContributionsCsv<Writer>>,
    submission_xlsx: Option<SubmissionXlsx<Book>>,
    /// The region's upload templates (`run` with a region that has them).
    portal: Option<Portal<Book>>,
    /// For roster.next.csv (`run` only).
    changes: Option<RosterChanges>,
    /// Which months are charged, and what the policy findings need of them.
    ledger: Ledger<'a>,
    /// Accepted additions, charged once the batch's reductions are known.
    pending: Option<PendingAdditions>,
    totals: Counts,
    /// What report.html shows beyond summary.json.
    tally: output::report::Tally,
    progress: &'a Progress,
}

impl<'a> Run<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        cfg: &'a Config,
        policy: &'a PolicySet,
        staged: &mut Staged,
        region: Option<&'a Region>,
        roster: Option<&'a Roster>,
        vocab: &'a Vocab,
        births: &[(u32, u32, usize)],
        progress: &'a Progress,
    ) -> Result<Run<'a>, Error> {
        let json = cfg.command == Command::Check && cfg.format == FindingsFormat::Json;
        let csv = |staged: &mut Staged, name| -> Result<Writer, Error> {
            Ok(Sink::new(staged.create(name)?, cfg.csv_encoding))
        };
        let mut findings = Sinks::new(cfg.max_findings);
        if json {
            findings.push(JsonLines::stdout(cfg.lang));
        } else {
            findings.push(FindingsCsv::new(csv(staged, output::ERRORS)?, cfg.lang)?);
        }
        let run = cfg.command == Command::Run;
        if run || cfg.xlsx {
            let mut x = ErrorsXlsx::new(
                staged.create(output::ERRORS_XLSX)?,
                &cfg.out,
                cfg.lang,
                cfg.mask,
                cfg.period,
                cfg.as_of,
            )?;
            // Birth dates beside a masked ID are shown as their year only.
            for &(file, sheet, column) in births {
                x.birth_column(file, sheet, column);
            }
            findings.push(x);
        }
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
                let templates = output::portal::layouts_for(r.name());
                if templates.any() {
                    Some(Portal::new(
                        templates,
                        |name| staged.create(name),
                        &cfg.out,
                        cfg.as_of,
                        cfg.period,
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
        Ok(Run {
            cfg,
            policy,
            region,
            roster,
            vocab,
            batch: Batch::default(),
            findings,
            submission,
            contributions,
            submission_xlsx,
            portal,
            changes: match cfg.command {
                Command::Run => Some(RosterChanges::new(&cfg.out)?),
                Command::Check => None,
            },
            ledger: Ledger::new(policy, region, cfg.period, cfg.as_of),
            pending: match cfg.command {
                Command::Run => Some(PendingAdditions::new(&cfg.out)?),
                Command::Check => None,
            },
            totals: Counts::default(),
            tally: output::report::Tally::default(),
            progress,
        })
    }

    fn report(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error> {
        self.tally.finding(f, who, sources, self.cfg.lang);
        self.findings.finding(f, who, sources)
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
        self.progress.phase(Phase::Checking, Some(&plan.display));
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
            for f in rules::columns::missing_dates(
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
                self.progress.rows(
                    summary.counts.rows_read + counts.rows_read,
                    rows.read_share(),
                );
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
        self.findings
            .row(&row.raw, &checked.findings, sources, &who.redact)?;
        let kind = row.kind();
        match (accepted, kind) {
            (true, Some(kind)) => {
                counts.accepted += 1;
                match kind {
                    ChangeKind::Addition => counts.additions_accepted += 1,
                    ChangeKind::Reduction => counts.reductions_accepted += 1,
                    ChangeKind::Information => counts.information_accepted += 1,
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
        let base = ok(&row.base).map(|b| self.ledger.declared_base(*b));
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
                        addition: Addition::of(row, start, *base),
                    })?;
                }
                let Some(changes) = &mut self.changes else {
                    return Ok(());
                };
                changes.add(
                    checked.facts.roster,
                    checked.facts.batch_person,
                    RosterEntry::added(row, start_month),
                )?;
            }
            ChangeKind::Reduction => {
                let person = checked
                    .facts
                    .batch_person
                    .filter(|_| checked.facts.added_in_batch);
                if let (Some(stop), Some(p)) = (stop_month, person) {
                    self.ledger.stop_added(p, stop);
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
            // The month is charged as enrolled when it began; the corrected details
            // take effect in roster.next.csv.
            ChangeKind::Information => {
                if let (Some(at), Some(changes)) = (checked.facts.roster, &mut self.changes) {
                    changes.correct(at, correction(row));
                }
            }
        }
        Ok(())
    }

    /// The additions' months, now that every reduction of the batch is known; back-pay
    /// months carry their late fee on the line after them.
    fn charge_additions(&mut self) -> Result<(), Error> {
        let Some(pending) = self.pending.take() else {
            return Ok(());
        };
        let Some(w) = &mut self.contributions else {
            return Ok(());
        };
        let pending = pending.drain()?;
        let tally = &mut self.tally;
        let period = self.cfg.period;
        // In the order they were pushed, as the tally recorded their departments.
        self.ledger.additions(
            pending.iter().map(|p| (p.person, &p.addition)),
            |n, c| -> Result<(), Error> {
                let Some(p) = pending.get(n) else {
                    return Ok(());
                };
                w.write_with_basis(&p.id, &p.name, c.month, c.backpay, &c.amounts, c.basis)?;
                w.write_late_fee(&p.id, &p.name, c)?;
                tally.addition(n, c.month == period, &c.amounts);
                Ok(())
            },
        )
    }

    /// Roster members who stay enrolled, charged for the period at their roster base.
    fn continuing_members(&mut self) -> Result<(), Error> {
        let (Some(roster), Some(w)) = (self.roster, &mut self.contributions) else {
            return Ok(());
        };
        let period = self.cfg.period;
        let changes = &mut self.changes;
        let tally = &mut self.tally;
        self.ledger.continuing(
            roster,
            |at| {
                changes
                    .as_mut()
                    .and_then(|c| c.stop_of(at))
                    .is_some_and(|stop| stop <= period)
            },
            |e, stopped, amounts| -> Result<(), Error> {
                tally.roster_member(stopped, amounts);
                match amounts {
                    Some(a) if !stopped => w.write(&e.id, &e.name, period, false, a),
                    _ => Ok(()),
                }
            },
        )
    }

    /// Top-ups (补差) after a late-published notice: `topup` lines, and a P005 per member.
    fn top_ups(&mut self, sources: &Sources) -> Result<(), Error> {
        let (Some(roster), Some(region)) = (self.roster, self.region) else {
            return Ok(());
        };
        ledger::top_ups(region, self.cfg.period, roster, |e, step| match step {
            TopUpStep::Month(m, diff) => match &mut self.contributions {
                Some(w) => w.write_topup(&e.id, &e.name, m, diff),
                None => Ok(()),
            },
            TopUpStep::Total(t) => {
                let f = rules::policy::top_up(&t);
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
                )
            }
        })
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
        let months = self.ledger.months_charged();
        let at_limits = self.ledger.at_limits();
        let nobody = Person {
            name: "",
            id: "",
            redact: Redact::tokens(self.cfg.mask),
        };
        if let Some(f) = rules::policy::carried_forward(region, &months, at_limits) {
            self.report(&f, &nobody, sources)?;
        }
        if let Some(f) = rules::policy::unconfirmed(self.policy, region, &months) {
            self.report(&f, &nobody, sources)?;
        }
        for f in rules::policy::wage_limits(region, &months) {
            self.report(&f, &nobody, sources)?;
        }
        if let Some(f) = rules::policy::late_fee_terms(region, self.ledger.backpay_months()) {
            self.report(&f, &nobody, sources)?;
        }
        let carried = CarriedForward::of(region, &months, at_limits);
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
            // The upload files' notes, and the optional ones that got no line.
            (Vec<String>, Vec<&'static str>),
        ),
        Error,
    > {
        let findings = self.findings.finish()?;
        if let Some(w) = self.submission {
            w.finish()?;
        }
        if let Some(x) = self.submission_xlsx {
            x.finish()?;
        }
        let portal = match self.portal {
            Some(p) => {
                let report = p.finish()?;
                (report.notes(self.cfg.lang), report.empty)
            }
            None => (Vec::new(), Vec::new()),
        };
        let totals = match self.contributions {
            Some(w) => Some(w.finish()?),
            None => None,
        };
        Ok((self.totals, findings, totals, self.changes, portal))
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
