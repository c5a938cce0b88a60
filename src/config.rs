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
use crate::input::header::normalize_header;
use crate::input::layout::{parse_kind, Vocabulary};
use crate::input::value::vocab::CodeLists;
use crate::model::ChangeKind;
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
    /// Layout files (`--layout`), read after the embedded layouts.
    pub layouts: Vec<PathBuf>,
    /// `--kind add|reduce` (every input) or `--kind FILE=add` (one input).
    pub kind: Vec<String>,
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
    /// Layout files, read before those given with `--layout`.
    #[serde(default)]
    pub layouts: Vec<PathBuf>,
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
    /// Neither the command line nor headcount.toml gave them (the terminal says so).
    pub period_defaulted: bool,
    pub as_of_defaulted: bool,
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
    /// The header vocabulary and layouts: embedded, then layout files, then `[aliases]`.
    pub vocab: Vocabulary,
    /// The `[aliases]` of headcount.toml, normalised, by field (for the manifest).
    pub aliases: BTreeMap<String, Vec<String>>,
    /// The layout files read, in order.
    pub layouts: Vec<PathBuf>,
    /// The value code lists: embedded, then the `[codes]` of each layout file.
    pub codes: CodeLists,
    /// The change kind given on the command line.
    pub kinds: Kinds,
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

/// `--kind`: for every input, or for inputs named by path or file name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kinds {
    pub all: Option<ChangeKind>,
    pub files: Vec<(String, ChangeKind)>,
}

impl Kinds {
    /// Reads `add`, `reduce`, `FILE=add`.
    pub fn parse(specs: &[String]) -> Result<Kinds, String> {
        let mut k = Kinds::default();
        for spec in specs {
            let bad = || format!("--kind: expected add, reduce or FILE=add|reduce, found `{spec}`");
            match spec.rsplit_once('=') {
                Some((file, kind)) => {
                    let kind = parse_kind(kind).ok_or_else(bad)?;
                    if file.is_empty() {
                        return Err(bad());
                    }
                    k.files.push((file.to_string(), kind));
                }
                None => k.all = Some(parse_kind(spec).ok_or_else(bad)?),
            }
        }
        Ok(k)
    }

    /// The kind given for this input, if any: by its path as given, or its file name.
    pub fn for_input(&self, path: &Path) -> Option<ChangeKind> {
        let name = path.file_name().and_then(|n| n.to_str());
        self.files
            .iter()
            .find(|(f, _)| Path::new(f) == path || Some(f.as_str()) == name)
            .map(|(_, k)| *k)
            .or(self.all)
    }

    /// As recorded in the manifest: `add`, `a.csv=reduce`, joined by `,`.
    pub fn to_arg(&self) -> Option<String> {
        let id = |k: ChangeKind| match k {
            ChangeKind::Addition => "add",
            ChangeKind::Reduction => "reduce",
        };
        let mut parts: Vec<String> = self.all.map(|k| id(k).to_string()).into_iter().collect();
        parts.extend(self.files.iter().map(|(f, k)| format!("{f}={}", id(*k))));
        (!parts.is_empty()).then(|| parts.join(","))
    }
}

/// The embedded vocabulary with the layout files and `[aliases]` over it.
pub fn vocabulary(
    layouts: &[PathBuf],
    aliases: &BTreeMap<String, Vec<String>>,
) -> Result<Vocabulary, Error> {
    let mut vocab = Vocabulary::embedded().clone();
    for path in layouts {
        let shown = crate::audit::shown_path(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad(format!("--layout {shown}: cannot be read: {e}")))?;
        vocab
            .load(&text, &shown, true)
            .map_err(|e| bad(format!("--layout {e}")))?;
    }
    for (field, texts) in aliases {
        vocab
            .add_aliases(field, texts, FILE_NAME)
            .map_err(|e| bad(format!("{FILE_NAME}: {e}")))?;
    }
    Ok(vocab)
}

/// What `headcount inspect` needs: the vocabulary with the user's layouts and aliases
/// (from headcount.toml, then `--layout`), `--kind`, and how to read and show the files.
#[allow(clippy::too_many_arguments)]
pub fn inspect_request(
    file: Option<FileConfig>,
    inputs: Vec<PathBuf>,
    layouts: Vec<PathBuf>,
    kind: &[String],
    sheet: Option<String>,
    encoding: Option<&str>,
    lang: Option<&str>,
    mask: bool,
    emit_layout: bool,
) -> Result<crate::inspect::Request, Error> {
    let file = file.unwrap_or_default();
    let mut all = file.layouts.clone();
    all.extend(layouts);
    let encoding = match encoding.map(str::to_string).or(file.encoding) {
        Some(s) => Some(Encoding::parse(&s).ok_or_else(|| {
            bad(format!(
                "--encoding: expected utf-8 or gb18030 (gbk), found `{s}`"
            ))
        })?),
        None => None,
    };
    let lang = match lang.map(str::to_string).or(file.lang) {
        Some(s) => {
            Lang::parse(&s).ok_or_else(|| bad(format!("--lang: expected zh or en, found `{s}`")))?
        }
        None => Lang::Zh,
    };
    Ok(crate::inspect::Request {
        inputs,
        vocab: vocabulary(&all, &file.aliases)?,
        kinds: Kinds::parse(kind).map_err(bad)?,
        sheet,
        encoding,
        lang,
        mask,
        emit_layout,
    })
}

/// Reads `headcount.toml` from `dir` if there is one.
/// The embedded code lists with the `[codes]` table of each layout file over them. Layout
/// files are recorded in the manifest, so `verify` reads the same lists.
pub fn code_lists(layouts: &[PathBuf], lang: Lang) -> Result<CodeLists, Error> {
    let mut codes = crate::input::value::vocab::embedded_lists().clone();
    for path in layouts {
        let shown = crate::audit::shown_path(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad(format!("--layout {shown}: cannot be read: {e}")))?;
        codes
            .layer(&text, &shown)
            .map_err(|e| bad(e.message(lang)))?;
    }
    Ok(codes)
}

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
    let as_of_defaulted = opts.as_of.is_none() && file.as_of.is_none();
    let period_defaulted = opts.period.is_none() && file.period.is_none();
    let as_of = match opts.as_of.or(file.as_of) {
        Some(s) => s
            .parse::<Date>()
            .map_err(|e| bad(format!("--as-of: {e}")))?,
        None => today,
    };
    let period = match opts.period.or(file.period) {
        // `202508` as well as `2025-08`: the data's own month form.
        Some(s) => compact_month(&s)
            .unwrap_or(s)
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
                "--csv-encoding: expected utf-8-bom, utf-8 or gb18030, found `{s}`"
            ))
        })?,
        None => CsvEncoding::default(),
    };
    let mut layouts = file.layouts.clone();
    layouts.extend(opts.layouts.iter().cloned());
    let vocab = vocabulary(&layouts, &file.aliases)?;
    let codes = code_lists(&layouts, lang)?;
    let aliases = file
        .aliases
        .iter()
        .map(|(f, texts)| {
            (
                f.clone(),
                texts.iter().map(|t| normalize_header(t)).collect(),
            )
        })
        .collect();
    let kinds = Kinds::parse(&opts.kind).map_err(bad)?;
    let jobs = opts.jobs.or(file.jobs);
    if jobs == Some(0) {
        return Err(bad("--jobs must be at least 1".into()));
    }
    Ok(Config {
        command,
        inputs,
        period,
        as_of,
        period_defaulted,
        as_of_defaulted,
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
        vocab,
        aliases,
        layouts,
        codes,
        kinds,
        mask: !opts.no_mask,
        format,
        xlsx: opts.xlsx || file.xlsx.unwrap_or(false),
        csv_encoding,
        max_findings: opts.max_findings,
        limits: file.limits.unwrap_or_default(),
    })
}

/// `202508` → `2025-08`; anything else is left to the month parser.
fn compact_month(s: &str) -> Option<String> {
    let t = s.trim();
    (t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}", &t[..4], &t[4..]))
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
        assert!(c.period_defaulted && !c.as_of_defaulted);
    }

    #[test]
    fn period_accepts_the_compact_form() {
        let opts = Options {
            period: Some("202508".into()),
            ..Options::default()
        };
        let c = resolve(Command::Check, vec!["a.csv".into()], opts, None, today()).unwrap();
        assert_eq!(c.period.to_string(), "2025-08");
        assert!(!c.period_defaulted && c.as_of_defaulted);
        for bad in ["202513", "20258", "2025088"] {
            let opts = Options {
                period: Some(bad.into()),
                ..Options::default()
            };
            let r = resolve(Command::Check, vec!["a.csv".into()], opts, None, today());
            assert!(r.is_err(), "{bad}");
        }
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

    #[test]
    fn kind_for_every_input_or_one() {
        let k = Kinds::parse(&["add".into(), "离职.csv=reduce".into()]).unwrap();
        assert_eq!(
            k.for_input(Path::new("in/离职.csv")),
            Some(ChangeKind::Reduction)
        );
        assert_eq!(k.for_input(Path::new("b.xlsx")), Some(ChangeKind::Addition));
        assert_eq!(k.to_arg().as_deref(), Some("add,离职.csv=reduce"));
        assert_eq!(
            Kinds::parse(&[]).unwrap().for_input(Path::new("a.csv")),
            None
        );
        for bad in ["both", "=add", "a.csv=sideways"] {
            assert!(Kinds::parse(&[bad.to_string()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn layouts_from_the_file_come_before_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        std::fs::write(&a, "[[field]]\nid = \"name\"\nheaders = [\"花名\"]\n").unwrap();
        let file: FileConfig =
            toml::from_str(&format!("layouts = [{:?}]\n", a.to_str().unwrap())).unwrap();
        let opts = Options {
            layouts: vec![dir.path().join("missing.toml")],
            ..Options::default()
        };
        let r = resolve(
            Command::Check,
            vec!["x.csv".into()],
            opts,
            Some(file),
            today(),
        );
        assert!(
            matches!(&r, Err(Error::Config(m)) if m.contains("missing.toml")),
            "{r:?}"
        );
        let file: FileConfig =
            toml::from_str(&format!("layouts = [{:?}]\n", a.to_str().unwrap())).unwrap();
        let c = resolve(
            Command::Check,
            vec!["x.csv".into()],
            Options::default(),
            Some(file),
            today(),
        )
        .unwrap();
        assert_eq!(
            c.vocab.lookup("花名"),
            Some(crate::input::layout::Target::Field(
                crate::input::header::Field::Name
            ))
        );
    }
}
