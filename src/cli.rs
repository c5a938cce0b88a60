//! Command-line flags (clap). Each option is defined once here; its long name is also its
//! key in `headcount.toml`. Parsed flags become `config::Options`; the library never sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "headcount",
    version,
    about = "Validate and cost a month of social-insurance headcount changes (社保人员增减员)",
    long_about = None,
    after_help = "Exit codes: 0 every row accepted; 1 at least one row rejected (or verify found differences); 2 could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate, compute contributions and write every output file.
    Run(RunArgs),
    /// Validate only and write the error report (for CI).
    Check(CheckArgs),
    /// Re-run a recorded run from its manifest.json and compare the outputs byte for byte.
    Verify(VerifyArgs),
    /// Show how each sheet is read: header row, column meanings, change kind, sample values.
    Inspect(InspectArgs),
    /// The annual base adjustment (年度调基): new bases from last year's wages.
    Rebase(RebaseArgs),
    /// Print the rule catalogue, generated from the code.
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Text)]
        format: CatalogueFormat,
        /// Language of the titles in the text format.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Print the policy in force for a region and month, with each figure's source.
    #[command(args_conflicts_with_subcommands = true)]
    Policy(PolicyArgs),
    /// Compare the bureau's bill with a run's expected contributions (对账).
    Reconcile(ReconcileArgs),
}

#[derive(Args, Debug)]
pub struct ReconcileArgs {
    /// Bill files (CSV or workbooks) in a known bill layout; repeatable.
    #[arg(long = "bill", required = true, value_name = "FILE")]
    pub bills: Vec<PathBuf>,
    /// The output folder of the run whose contributions.csv is expected.
    #[arg(long, value_name = "DIR")]
    pub expected: PathBuf,
    /// Output folder (created if missing). Default: reconcile-out/.
    #[arg(long, value_name = "DIR", default_value = "reconcile-out")]
    pub out: PathBuf,
    /// A bill layout file (TOML) read after the embedded ones; repeatable.
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    /// The billed month (YYYY-MM). Default: the expected run's period.
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// The policy region whose rounding is the tolerance. Default: the expected run's.
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// Language of messages: zh (default) or en.
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Show ID numbers in full in the report (masked by default).
    #[arg(long)]
    pub no_mask: bool,
    /// No summary on the screen.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Change files: .csv, .xlsx, .xlsm, .xls or .ods.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// `headcount rebase` (issue 17); the options are its own, see docs/rebase.md.
#[derive(Args, Debug)]
pub struct RebaseArgs {
    /// The current enrollment list (参保名册), CSV or workbook.
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
    /// Last year's wages: monthly lines (工资月份, 应发工资) or one average per person.
    #[arg(long, value_name = "FILE")]
    pub wages: PathBuf,
    /// Policy region: a city by name, Chinese name or 6-digit code.
    #[arg(long, value_name = "R")]
    pub region: String,
    /// The contribution year to declare (its start month comes from the policy).
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    /// The first month declared at the new bases; the months before it get a top-up (补差).
    #[arg(long, value_name = "YYYY-MM")]
    pub applied_from: Option<String>,
    /// Output folder (created if missing). Default: headcount-out/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// A user policy file (TOML) layered over the embedded tables.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Language of messages: zh (default) or en.
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Show ID numbers in full in the error report.
    #[arg(long)]
    pub no_mask: bool,
    /// Also write the declaration as a workbook.
    #[arg(long)]
    pub xlsx: bool,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No summary on the screen.
    #[arg(long)]
    pub quiet: bool,
    /// Text encoding of CSV inputs: utf-8 or gb18030 (gbk). Default: detected.
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    /// Encoding of the CSV outputs: utf-8 (default) or gb18030.
    #[arg(long, value_name = "ENC")]
    pub csv_encoding: Option<String>,
    /// A layout file (TOML) naming your payroll export's columns; may be repeated.
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
}

impl RebaseArgs {
    pub fn into_options(self) -> headcount::rebase::Options {
        headcount::rebase::Options {
            roster: self.roster,
            wages: self.wages,
            region: self.region,
            year: self.year,
            applied_from: self.applied_from,
            out: self.out,
            policy: self.policy,
            lang: self.lang,
            no_mask: self.no_mask,
            xlsx: self.xlsx,
            jobs: self.jobs,
            quiet: self.quiet,
            encoding: self.encoding,
            csv_encoding: self.csv_encoding,
            layouts: self.layouts,
        }
    }
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Change files: .csv, .xlsx, .xlsm, .xls or .ods.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Where findings go: errors.csv in --out, or JSON Lines on stdout.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Csv)]
    pub format: FindingsFormat,
    /// Write at most N findings to the report; the counts in summary.json stay exact.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<u64>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Files to inspect: .csv, .xlsx, .xlsm, .xls or .ods.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Print a layout file (TOML) for the sheets instead, to finish and pass with --layout.
    #[arg(long)]
    pub emit_layout: bool,
    /// A layout file (TOML) to read after the embedded layouts; may be repeated.
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    /// The change kind where nothing else says: add or reduce, or FILE=add for one input.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    /// Read only this sheet of each workbook.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Text encoding of CSV inputs: utf-8 or gb18030 (gbk). Default: detected.
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    /// Language: zh (default) or en.
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Show ID numbers in full (they are masked by default).
    #[arg(long)]
    pub no_mask: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The manifest.json of the run to repeat. Its paths are relative to the directory the
    /// run was started from: start verify from there too.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Keep the re-run's outputs in this folder (default: a temporary folder, removed).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads for the re-run (default: all cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Language of messages: zh (default) or en.
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
}

/// Options shared by `run` and `check`.
#[derive(Args, Debug)]
pub struct Common {
    /// The contribution month being declared (YYYY-MM). Default: the month of --as-of.
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// The processing date (YYYY-MM-DD): the 30-day limit and back-pay count from it. Default: today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Policy region: beijing, shanghai, shenzhen, guangzhou, hangzhou, or a 6-digit code.
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// A user policy file (TOML) layered over the embedded tables.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// The current enrollment list (参保名册), CSV or workbook.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The employer's unified social credit code, when the files carry none.
    #[arg(long, value_name = "CODE")]
    pub employer: Option<String>,
    /// Output folder (created if missing). Default: headcount-out/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Language of messages: zh (default) or en.
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Warnings count as errors for the exit code.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Worker threads (default: all cores). Output does not depend on it.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no summary.
    #[arg(long)]
    pub quiet: bool,
    /// Text encoding of CSV inputs: utf-8 or gb18030 (gbk). Default: detected.
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    /// Read only this sheet of each workbook.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Show ID numbers in full in the error report (they are masked by default).
    #[arg(long)]
    pub no_mask: bool,
    /// Also write workbooks: submission.xlsx (run) and errors.xlsx (check; run always does).
    #[arg(long)]
    pub xlsx: bool,
    /// Encoding of the CSV outputs: utf-8-bom (default, for Excel), utf-8 (no BOM, for scripts) or gb18030.
    #[arg(long, value_name = "ENC")]
    pub csv_encoding: Option<String>,
    /// A layout file (TOML) to read after the embedded layouts; may be repeated.
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    /// The change kind of sheets that do not say it: add or reduce, or FILE=add for one input.
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: Option<PolicyCommand>,
    /// Region name or 6-digit code. Default: every region.
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    /// The month to show in full (YYYY-MM). Default: an overview of every period.
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// A user policy file layered over the embedded tables.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Language of the overview: zh (default) or en.
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Validate a user policy file; exit 0 when valid, 2 when not.
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print a policy file that restates the unconfirmed figures of a month, to fill in.
    Confirm {
        /// Region name, code or alias.
        #[arg(long, value_name = "R")]
        region: String,
        /// The month whose figures to confirm (YYYY-MM).
        #[arg(long, value_name = "YYYY-MM")]
        period: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum CatalogueFormat {
    Text,
    Json,
    Md,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FindingsFormat {
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TextOrJson {
    Text,
    Json,
}

impl Common {
    pub fn into_options(self, format: Option<&str>) -> headcount::config::Options {
        headcount::config::Options {
            period: self.period,
            as_of: self.as_of,
            region: self.region,
            policy: self.policy,
            roster: self.roster,
            employer: self.employer,
            out: self.out,
            lang: self.lang,
            deny_warnings: self.deny_warnings,
            jobs: self.jobs,
            quiet: self.quiet,
            encoding: self.encoding,
            sheet: self.sheet,
            no_mask: self.no_mask,
            format: format.map(str::to_string),
            xlsx: self.xlsx,
            csv_encoding: self.csv_encoding,
            max_findings: None,
            layouts: self.layouts,
            kind: self.kind,
        }
    }
}
