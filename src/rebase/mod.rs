//! `headcount rebase`: the annual base adjustment (年度缴费基数申报, issue 17). Reads the roster
//! and a wage file, finds each member's new base for the contribution year, and writes the
//! declaration, the comparison, the totals, the top-ups and the next roster, staged and
//! committed together like `run`'s outputs. `docs/rebase.md` has the rules and the workflow.

pub mod audit;
pub mod compute;
pub mod output;
pub use crate::rules::rebase as rules;
pub mod settings;
pub mod summary;
pub mod wages;

use std::io::Write;
use std::path::{Path, PathBuf};

use compact_str::CompactString;

use crate::calendar::Month;
use crate::error::Error;
use crate::exit::Exit;
use crate::finding::{Finding, Lang, Severity};
use crate::input::encoding::Encoding;
use crate::input::sources::{SourceFile, SourceSheet, Sources};
use crate::input::value::vocab::Vocab;
use crate::output::atomic::Staged;
use crate::output::csv_sink::{CsvEncoding, Sink};
use crate::output::findings::{FindingsCsv, Person};
use crate::output::redact::Redact;
use crate::rows::roster::Roster;
use crate::text::Message;

/// A finding with the person it is about (name and ID as read).
#[derive(Clone, Debug)]
pub struct Noted {
    pub finding: Finding,
    pub name: CompactString,
    pub id: CompactString,
}

impl Noted {
    pub fn new(finding: Finding, name: &str, id: &str) -> Noted {
        Noted {
            finding,
            name: name.into(),
            id: id.into(),
        }
    }
}

/// The options as given (command line or manifest), before they are checked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub roster: PathBuf,
    pub wages: PathBuf,
    pub region: String,
    pub year: String,
    pub applied_from: Option<String>,
    pub out: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    pub lang: Option<String>,
    pub no_mask: bool,
    pub xlsx: bool,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub encoding: Option<String>,
    pub csv_encoding: Option<String>,
    /// Layout files (`--layout`): header texts of the user's payroll export, code lists.
    pub layouts: Vec<PathBuf>,
}

/// A checked configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub roster: PathBuf,
    pub wages: PathBuf,
    pub region: String,
    pub year: i32,
    pub applied_from: Option<Month>,
    pub out: PathBuf,
    pub policy: Option<PathBuf>,
    pub lang: Lang,
    pub mask: bool,
    pub xlsx: bool,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub encoding: Option<Encoding>,
    pub csv_encoding: CsvEncoding,
    pub layouts: Vec<PathBuf>,
}

impl Options {
    pub fn resolve(self) -> Result<Config, Error> {
        let bad =
            |key: &'static str, value: &str| Error::Usage(Message::new(key).arg("value", value));
        let lang = match self.lang.as_deref() {
            None => Lang::default(),
            Some(l) => Lang::parse(l).ok_or_else(|| bad("bad_lang", l))?,
        };
        let year: i32 = self
            .year
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| bad("bad_year", &self.year))?;
        let applied_from = match self.applied_from.as_deref() {
            None => None,
            Some(s) => Some(s.parse::<Month>().map_err(|e| {
                Error::Usage(
                    Message::new("bad_option")
                        .arg("option", "--applied-from")
                        .arg("reason", e),
                )
            })?),
        };
        let encoding = match self.encoding.as_deref() {
            None => None,
            Some(s) => Some(Encoding::parse(s).ok_or_else(|| bad("bad_encoding", s))?),
        };
        let csv_encoding = match self.csv_encoding.as_deref() {
            None => CsvEncoding::Utf8,
            Some(s) => CsvEncoding::parse(s).ok_or_else(|| bad("bad_csv_encoding", s))?,
        };
        if self.jobs == Some(0) {
            return Err(Error::Usage(Message::new("jobs_zero")));
        }
        if self.region.trim().is_empty() {
            return Err(Error::Usage(
                Message::new("missing_option").arg("option", "--region"),
            ));
        }
        Ok(Config {
            roster: self.roster,
            wages: self.wages,
            region: self.region,
            year,
            applied_from,
            out: self.out.unwrap_or_else(|| PathBuf::from("headcount-out")),
            policy: self.policy,
            lang,
            mask: !self.no_mask,
            xlsx: self.xlsx,
            jobs: self.jobs.map(|j| j.min(crate::pipeline::MAX_JOBS)),
            quiet: self.quiet,
            encoding,
            csv_encoding,
            layouts: self.layouts,
        })
    }
}

pub struct Outcome {
    pub exit: Exit,
    pub summary: summary::Summary,
}

/// Runs `rebase` as configured, on its own thread pool.
pub fn execute(cfg: &Config) -> Result<Outcome, Error> {
    crate::input::limits::set(crate::input::limits::Limits::default());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(Message::new("threads_failed").arg("reason", e)))?;
    pool.install(|| crate::panic_guard::catch(&cfg.out, || execute_in_pool(cfg)))
}

/// Every name `rebase` may write.
pub const OUTPUTS: [&str; 9] = [
    output::DECLARATION,
    output::DECLARATION_XLSX,
    output::COMPARISON,
    output::TOTALS,
    output::TOP_UPS,
    crate::output::ROSTER_NEXT,
    crate::output::ERRORS,
    crate::output::SUMMARY,
    crate::output::MANIFEST,
];

fn refuse_output_over_input(cfg: &Config) -> Result<(), Error> {
    for input in [Some(&cfg.roster), Some(&cfg.wages), cfg.policy.as_ref()]
        .into_iter()
        .flatten()
    {
        let Ok(abs) = std::fs::canonicalize(input) else {
            continue;
        };
        for name in OUTPUTS {
            if std::fs::canonicalize(cfg.out.join(name)).is_ok_and(|o| o == abs) {
                return Err(Error::OutputOverInput {
                    out: cfg.out.clone(),
                    input: input.clone(),
                });
            }
        }
    }
    Ok(())
}

fn execute_in_pool(cfg: &Config) -> Result<Outcome, Error> {
    refuse_output_over_input(cfg)?;
    let policy = crate::pipeline::load_policy(cfg.policy.as_deref(), Some(&cfg.region), None)?;
    let region = policy.require_region(&cfg.region)?;
    // The start month is the region's, read from the figures of the year asked for.
    let december = Month::new(cfg.year, 12)
        .ok_or_else(|| Error::Usage(Message::new("bad_year").arg("value", cfg.year)))?;
    let start_of = policy
        .period_for(region.name(), december)?
        .contribution_year_start_month();
    let start = Month::new(cfg.year, start_of).ok_or_else(|| {
        Error::Usage(
            Message::new("policy_bad_start")
                .arg("month", start_of)
                .arg("year", cfg.year),
        )
    })?;
    let new = policy.period_for(region.name(), start)?;
    let old = policy.period_for(region.name(), start.plus(-1))?;
    let year = compute::Year {
        year: cfg.year,
        start,
        applied_from: cfg.applied_from,
    };
    let settings = settings::Settings::embedded();

    // The embedded header vocabulary and code lists, with the user's layout files over them.
    let vocabulary = crate::config::vocabulary(&cfg.layouts, &std::collections::BTreeMap::new())?;
    let lists = crate::config::code_lists(&cfg.layouts, cfg.lang)?;
    let codes = Vocab::new(&lists, Some(region.code()));
    let roster_shown = crate::audit::shown_path(&cfg.roster);
    crate::panic_guard::reading(&roster_shown);
    let roster = Roster::load(
        &cfg.roster,
        &roster_shown,
        cfg.encoding,
        &vocabulary,
        &codes,
    )?;
    let wages_shown = crate::audit::shown_path(&cfg.wages);
    crate::panic_guard::reading(&wages_shown);
    let wages = wages::load(
        &cfg.wages,
        &wages_shown,
        cfg.encoding,
        &vocabulary,
        1,
        settings.thousands_below,
        year.wage_year(),
    )?;
    crate::panic_guard::done_reading();

    let figures = compute::Figures {
        region,
        old,
        new,
        injury_rate: region.injury_rate(),
    };
    let computed = compute::compute(&roster, &wages, &year, &figures, settings);
    let insurances: Vec<String> = region
        .insurance_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let totals = output::totals(&computed.persons, &figures, &year, &insurances);

    let sources = Sources {
        files: vec![
            SourceFile {
                display: roster_shown.clone(),
                sheets: roster
                    .sheet_names()
                    .iter()
                    .map(|n| SourceSheet {
                        name: n.clone(),
                        ..SourceSheet::default()
                    })
                    .collect(),
            },
            wages.source.clone(),
        ],
    };

    let mut staged = Staged::new(&cfg.out)?;
    let layout = settings.declaration(region.code());
    let declared = {
        let mut w = Sink::new(staged.create(output::DECLARATION)?, cfg.csv_encoding);
        let n = output::declaration(&mut w, layout, &roster, &computed.persons, &year)?;
        flush(&mut w, output::DECLARATION)?;
        n
    };
    if cfg.xlsx {
        let bytes = output::declaration_xlsx(layout, &roster, &computed.persons, &year, &cfg.out)?;
        staged.write(output::DECLARATION_XLSX, &bytes)?;
    }
    {
        let mut w = Sink::new(staged.create(output::COMPARISON)?, cfg.csv_encoding);
        output::comparison(&mut w, &roster, &computed.persons, &figures, &insurances)?;
        flush(&mut w, output::COMPARISON)?;
    }
    {
        let mut w = Sink::new(staged.create(output::TOTALS)?, cfg.csv_encoding);
        output::totals_csv(&mut w, &totals)?;
        flush(&mut w, output::TOTALS)?;
    }
    let top_up_lines = if cfg.applied_from.is_some() {
        let mut w = Sink::new(staged.create(output::TOP_UPS)?, cfg.csv_encoding);
        let n = output::top_ups(
            &mut w,
            &roster,
            &computed.persons,
            &figures,
            &year,
            &insurances,
        )?;
        flush(&mut w, output::TOP_UPS)?;
        Some(n)
    } else {
        None
    };
    {
        let mut w = Sink::new(staged.create(crate::output::ROSTER_NEXT)?, cfg.csv_encoding);
        output::roster_next(&mut w, &roster, &computed.persons)?;
        flush(&mut w, crate::output::ROSTER_NEXT)?;
    }
    let policy_findings = policy_findings(&policy, region, &year, &computed.persons, new);
    // Findings: the wage file's lines in file order, then people in roster order, then
    // the policy's (figures carried forward or not confirmed), as `run` reports them.
    let all: Vec<&Noted> = wages
        .findings
        .iter()
        .chain(&computed.findings)
        .chain(&policy_findings)
        .collect();
    {
        let mut w = FindingsCsv::new(
            Sink::new(staged.create(crate::output::ERRORS)?, cfg.csv_encoding),
            cfg.lang,
        )?;
        for n in &all {
            let shown = if cfg.mask && !n.id.is_empty() {
                crate::ids::mask(&n.id)
            } else {
                n.id.to_string()
            };
            w.write(
                &n.finding,
                &Person {
                    name: &n.name,
                    id: &shown,
                    redact: Redact::row(cfg.mask, &n.id, []),
                },
                &sources,
            )?;
        }
        w.finish()?;
    }
    let (errors, warnings) = all
        .iter()
        .fold((0u64, 0u64), |(e, w), n| match n.finding.severity {
            Severity::Error | Severity::Fatal => (e + 1, w),
            Severity::Warning => (e, w + 1),
            Severity::Note => (e, w),
        });
    let exit = Exit::for_findings(errors, warnings, false);
    let summary = summary::Summary::new(summary::Parts {
        region: region.name(),
        year: &year,
        roster: &roster,
        wages: &wages,
        computed: &computed,
        findings: &all,
        totals,
        declared,
        top_up_lines,
        layout,
        policy_digest: policy.digest(),
        exit,
        mask: cfg.mask,
    });
    staged.write(crate::output::SUMMARY, summary.to_json().as_bytes())?;
    let m = audit::manifest(cfg, &policy, &staged)?;
    staged.write(crate::output::MANIFEST, m.to_json().as_bytes())?;
    staged.commit()?;
    Ok(Outcome { exit, summary })
}

/// P004 when the new year's figures are last year's carried forward (the notice is not out
/// yet: the bases at the floor or ceiling will move), P001 for unconfirmed figures; over the
/// start month and the months topped up.
fn policy_findings(
    policy: &crate::policy::PolicySet,
    region: &crate::policy::Region,
    year: &compute::Year,
    persons: &[compute::Person],
    new: &crate::policy::Period,
) -> Vec<Noted> {
    let mut months = vec![year.start];
    if let Some(until) = year.applied_from.filter(|u| *u > year.start.plus(1)) {
        months.extend(year.start.plus(1).through(until.plus(-1)));
    }
    let (floor, ceiling) = (new.floor("pension"), new.ceiling("pension"));
    let mut limits = crate::rules::policy::AtLimits::default();
    for p in persons {
        if p.new_base.is_some() && p.new_base == floor {
            limits.at_floor += 1;
        } else if p.new_base.is_some() && p.new_base == ceiling {
            limits.at_ceiling += 1;
        }
    }
    crate::rules::policy::carried_forward(region, &months, limits)
        .into_iter()
        .chain(crate::rules::policy::unconfirmed(policy, region, &months))
        .map(|f| Noted::new(f, "", ""))
        .collect()
}

fn flush<W: Write>(w: &mut W, name: &str) -> Result<(), Error> {
    w.flush().map_err(|source| Error::Write {
        path: Path::new(name).into(),
        source,
    })
}
