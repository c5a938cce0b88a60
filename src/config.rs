//! One resolved configuration: command-line options over `headcount.toml` over defaults.
//! The library takes a `Config`; it never sees the argument parser.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::calendar::{Date, Month};
use crate::error::Error;
use crate::finding::Lang;
use crate::input::encoding::Encoding;
use crate::input::header::Aliases;
use crate::output::csv_sink::CsvEncoding;

pub const FILE_NAME: &str = "headcount.toml";
pub const DEFAULT_OUT: &str = "headcount-out";

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Run,
    Check,
}

impl Command {
    pub fn id(self) -> &'static str {
        match self {
            Command::Run => "run",
            Command::Check => "check",
        }
    }
}

/// How `check` reports findings.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum FindingsFormat {
    /// `errors.csv` in the output folder.
    #[default]
    Csv,
    /// JSON Lines on stdout.
    Json,
}

/// Options as the user gave them, before defaults: every field optional.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub period: Option<String>,
    pub as_of: Option<String>,
    pub region: Option<String>,
    pub policy: Option<PathBuf>,
    pub roster: Option<PathBuf>,
    pub employer: Option<String>,
    pub out: Option<PathBuf>,
    pub lang: Option<String>,
    pub deny_warnings: bool,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub encoding: Option<String>,
    pub sheet: Option<String>,
    pub no_mask: bool,
    pub format: Option<String>,
    pub xlsx: bool,
    pub csv_encoding: Option<String>,
    /// `check` only: at most this many findings in the report.
    pub max_findings: Option<u64>,
}

/// `headcount.toml`: defaults for the options, and extra column aliases.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub period: Option<String>,
    pub as_of: Option<String>,
    pub region: Option<String>,
    pub policy: Option<PathBuf>,
    pub roster: Option<PathBuf>,
    pub employer: Option<String>,
    pub out: Option<PathBuf>,
    pub lang: Option<String>,
    pub deny_warnings: Option<bool>,
    pub jobs: Option<usize>,
    pub quiet: Option<bool>,
    pub encoding: Option<String>,
    /// The employer's own work-injury rate, as a decimal string ("0.004").
    pub injury_rate: Option<String>,
    pub xlsx: Option<bool>,
    pub csv_encoding: Option<String>,
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Input limits (docs/security.md, "Input limits").
    pub limits: Option<crate::input::limits::Limits>,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub command: Command,
    pub inputs: Vec<PathBuf>,
    pub period: Month,
    pub as_of: Date,
    pub region: Option<String>,
    pub policy: Option<PathBuf>,
    pub injury_rate: Option<Decimal>,
    pub roster: Option<PathBuf>,
    pub employer: Option<String>,
    pub out: PathBuf,
    pub lang: Lang,
    pub deny_warnings: bool,
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub encoding: Option<Encoding>,
    pub sheet: Option<String>,
    pub aliases: Aliases,
    pub mask: bool,
    pub format: FindingsFormat,
    /// Workbooks too: submission.xlsx on `run`, errors.xlsx on `check` (`run` always
    /// writes errors.xlsx).
    pub xlsx: bool,
    /// Encoding of the CSV outputs.
    pub csv_encoding: CsvEncoding,
    /// Cap on the findings written to the report (`check --max-findings`); the summary's
    /// counts stay exact.
    pub max_findings: Option<u64>,
    /// What an input file may claim before it is read (`[limits]` in headcount.toml).
    pub limits: crate::input::limits::Limits,
}

/// Reads `headcount.toml` from `dir` if there is one.
pub fn load_file(dir: &Path) -> Result<Option<FileConfig>, Error> {
    let path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::Config(format!("{FILE_NAME}: {e}"))),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Config(format!("{FILE_NAME}: {e}")))
}

fn bad(msg: String) -> Error {
    Error::Config(msg)
}

/// Merges the command line over the file over the defaults, and validates every value.
pub fn resolve(
    command: Command,
    inputs: Vec<PathBuf>,
    opts: Options,
    file: Option<FileConfig>,
    today: Date,
) -> Result<Config, Error> {
    let file = file.unwrap_or_default();
    if inputs.is_empty() {
        return Err(bad("no input files given".into()));
    }
    let as_of = match opts.as_of.or(file.as_of) {
        Some(s) => s
            .parse::<Date>()
            .map_err(|e| bad(format!("--as-of: {e}")))?,
        None => today,
    };
    let period = match opts.period.or(file.period) {
        Some(s) => s
            .parse::<Month>()
            .map_err(|e| bad(format!("--period: {e}")))?,
        None => as_of.month_of(),
    };
    let lang = match opts.lang.or(file.lang) {
        Some(s) => {
            Lang::parse(&s).ok_or_else(|| bad(format!("--lang: expected zh or en, found `{s}`")))?
        }
        None => Lang::Zh,
    };
    let encoding = match opts.encoding.or(file.encoding) {
        Some(s) => Some(Encoding::parse(&s).ok_or_else(|| {
            bad(format!(
                "--encoding: expected utf-8 or gb18030 (gbk), found `{s}`"
            ))
        })?),
        None => None,
    };
    let employer = match opts.employer.or(file.employer) {
        Some(code) => Some(crate::ids::check_uscc(&code).map_err(|p| {
            bad(format!(
                "--employer: `{code}` is not a valid unified social credit code ({p:?})"
            ))
        })?),
        None => None,
    };
    let injury_rate = match file.injury_rate {
        Some(s) => Some(s.parse::<Decimal>().map_err(|_| {
            bad(format!(
                "{FILE_NAME}: injury-rate `{s}` is not a decimal number"
            ))
        })?),
        None => None,
    };
    let format = match opts.format.as_deref() {
        None | Some("csv") => FindingsFormat::Csv,
        Some("json") => FindingsFormat::Json,
        Some(other) => {
            return Err(bad(format!(
                "--format: expected csv or json, found `{other}`"
            )))
        }
    };
    let csv_encoding = match opts.csv_encoding.or(file.csv_encoding) {
        Some(s) => CsvEncoding::parse(&s).ok_or_else(|| {
            bad(format!(
                "--csv-encoding: expected utf-8 or gb18030, found `{s}`"
            ))
        })?,
        None => CsvEncoding::Utf8,
    };
    let mut aliases = Aliases::default();
    for (field, texts) in &file.aliases {
        aliases
            .add(field, texts)
            .map_err(|e| bad(format!("{FILE_NAME}: {e}")))?;
    }
    let jobs = opts.jobs.or(file.jobs);
    if jobs == Some(0) {
        return Err(bad("--jobs must be at least 1".into()));
    }
    Ok(Config {
        command,
        inputs,
        period,
        as_of,
        region: opts.region.or(file.region),
        policy: opts.policy.or(file.policy),
        injury_rate,
        roster: opts.roster.or(file.roster),
        employer,
        out: opts
            .out
            .or(file.out)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
        lang,
        deny_warnings: opts.deny_warnings || file.deny_warnings.unwrap_or(false),
        jobs,
        quiet: opts.quiet || file.quiet.unwrap_or(false),
        encoding,
        sheet: opts.sheet,
        aliases,
        mask: !opts.no_mask,
        format,
        xlsx: opts.xlsx || file.xlsx.unwrap_or(false),
        csv_encoding,
        max_findings: opts.max_findings,
        limits: file.limits.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2025, 8, 20).unwrap()
    }

    #[test]
    fn command_line_wins_over_file() {
        let file: FileConfig = toml::from_str(
            "region = \"shanghai\"\nperiod = \"2025-07\"\nlang = \"en\"\n[aliases]\nid_number = [\"员工证件号\"]\n",
        )
        .unwrap();
        let opts = Options {
            region: Some("beijing".into()),
            ..Options::default()
        };
        let c = resolve(
            Command::Run,
            vec!["a.csv".into()],
            opts,
            Some(file),
            today(),
        )
        .unwrap();
        assert_eq!(c.region.as_deref(), Some("beijing"));
        assert_eq!(c.period.to_string(), "2025-07");
        assert_eq!(c.lang, Lang::En);
        assert!(c.mask);
    }

    #[test]
    fn period_defaults_to_the_as_of_month() {
        let opts = Options {
            as_of: Some("2025-09-03".into()),
            ..Options::default()
        };
        let c = resolve(Command::Check, vec!["a.csv".into()], opts, None, today()).unwrap();
        assert_eq!(c.period.to_string(), "2025-09");
    }

    #[test]
    fn bad_values_are_config_errors() {
        let cases = [
            Options {
                period: Some("2025-13".into()),
                ..Options::default()
            },
            Options {
                as_of: Some("20250820".into()),
                ..Options::default()
            },
            Options {
                lang: Some("fr".into()),
                ..Options::default()
            },
            Options {
                encoding: Some("latin1".into()),
                ..Options::default()
            },
            Options {
                employer: Some("911100006000373410".into()),
                ..Options::default()
            },
            Options {
                jobs: Some(0),
                ..Options::default()
            },
            Options {
                csv_encoding: Some("utf-16".into()),
                ..Options::default()
            },
        ];
        for opts in cases {
            let r = resolve(
                Command::Run,
                vec!["a.csv".into()],
                opts.clone(),
                None,
                today(),
            );
            assert!(matches!(r, Err(Error::Config(_))), "{opts:?}");
        }
        assert!(toml::from_str::<FileConfig>("colour = 1").is_err());
    }
}
