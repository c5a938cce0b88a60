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
use crate::text::Message;

mod csv_encoding;
pub mod flags;

pub use csv_encoding::CsvEncoding;

pub use flags::Values;

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

impl FindingsFormat {
    pub fn parse(s: &str) -> Option<FindingsFormat> {
        match s {
            "csv" => Some(FindingsFormat::Csv),
            "json" => Some(FindingsFormat::Json),
            _ => None,
        }
    }
}

/// What `headcount.toml` holds besides options: extra column names and input limits.
#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "kebab-case")]
pub struct Tables {
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Input limits (docs/security.md, "Input limits").
    pub limits: Option<crate::input::limits::Limits>,
}

/// `headcount.toml` as read: its options (checked against `flags`) come out per command.
#[derive(Debug, Default, Clone)]
pub struct FileConfig {
    table: toml::Table,
}

impl FileConfig {
    pub fn parse(text: &str) -> Result<FileConfig, Error> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            Error::Usage(
                Message::new("file_invalid")
                    .arg("file", FILE_NAME)
                    .arg("reason", e.message()),
            )
        })?;
        let file = FileConfig { table };
        // Every key is checked now, whichever command reads the file.
        flags::from_file(&file.table, "")?;
        file.tables()?;
        Ok(file)
    }

    /// The options of `command` the file sets.
    pub fn values(&self, command: &str) -> Result<Values, Error> {
        flags::from_file(&self.table, command)
    }

    pub fn tables(&self) -> Result<Tables, Error> {
        let mut t = toml::Table::new();
        for key in ["aliases", "limits"] {
            if let Some(v) = self.table.get(key) {
                t.insert(key.to_string(), v.clone());
            }
        }
        t.try_into().map_err(|e: toml::de::Error| {
            Error::Usage(
                Message::new("file_invalid")
                    .arg("file", FILE_NAME)
                    .arg("reason", e.message()),
            )
        })
    }
}

/// A usage error: the message key and its values.
fn usage(key: &'static str) -> Message {
    Message::new(key)
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
    pub fn parse(specs: &[String]) -> Result<Kinds, Error> {
        let mut k = Kinds::default();
        for spec in specs {
            let bad = || Error::Usage(usage("bad_kind").arg("value", spec));
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
            ChangeKind::Information => "info",
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
        let shown = crate::paths::shown_path(path);
        let text = read_layout(path, &shown)?;
        vocab
            .load(&text, &shown, true)
            .map_err(|e| Error::Usage(usage("layout_invalid").arg("reason", e)))?;
    }
    for (field, texts) in aliases {
        vocab.add_aliases(field, texts, FILE_NAME).map_err(|e| {
            Error::Usage(
                usage("file_invalid")
                    .arg("file", FILE_NAME)
                    .arg("reason", e),
            )
        })?;
    }
    Ok(vocab)
}

fn read_layout(path: &Path, shown: &str) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::Usage(
            usage("layout_unreadable")
                .arg("file", shown)
                .arg("reason", e),
        )
    })
}

/// `--encoding`, checked.
pub fn encoding(v: &Values) -> Result<Option<Encoding>, Error> {
    match v.text("encoding") {
        Some(s) => Encoding::parse(&s)
            .map(Some)
            .ok_or_else(|| Error::Usage(usage("bad_encoding").arg("value", s))),
        None => Ok(None),
    }
}

/// `--jobs`, checked: at least 1.
pub fn jobs(v: &Values) -> Result<Option<usize>, Error> {
    match v.number("jobs")? {
        Some(0) => Err(Error::Usage(usage("jobs_zero"))),
        Some(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        None => Ok(None),
    }
}

/// `--period`, checked: `2025-08` or the data's own `202508`.
pub fn month(v: &Values, name: &'static str) -> Result<Option<Month>, Error> {
    match v.text(name) {
        Some(s) => compact_month(&s)
            .unwrap_or_else(|| s.clone())
            .parse::<Month>()
            .map(Some)
            .map_err(|e| {
                Error::Usage(
                    usage("bad_option")
                        .arg("option", format!("--{name}"))
                        .arg("reason", e),
                )
            }),
        None => Ok(None),
    }
}

/// The embedded code lists with the `[codes]` table of each layout file over them. Layout
/// files are recorded in the manifest, so `verify` reads the same lists.
pub fn code_lists(layouts: &[PathBuf], lang: Lang) -> Result<CodeLists, Error> {
    let mut codes = crate::input::value::vocab::embedded_lists().clone();
    for path in layouts {
        let shown = crate::paths::shown_path(path);
        let text = read_layout(path, &shown)?;
        codes
            .layer(&text, &shown)
            .map_err(|e| Error::Usage(usage("layout_invalid").arg("reason", e.message(lang))))?;
    }
    Ok(codes)
}

/// Reads `headcount.toml` from `dir` if there is one; every key is checked.
pub fn load_file(dir: &Path) -> Result<Option<FileConfig>, Error> {
    let path = dir.join(FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::Usage(
                usage("file_invalid")
                    .arg("file", FILE_NAME)
                    .arg("reason", e),
            ))
        }
    };
    FileConfig::parse(&text).map(Some)
}

/// The options of `command`: the command line over `headcount.toml` in the working
/// directory; and the file's other tables.
pub fn options(command: &str, cli: Values) -> Result<(Values, Tables), Error> {
    match load_file(Path::new("."))? {
        Some(file) => Ok((cli.over(file.values(command)?), file.tables()?)),
        None => Ok((cli, Tables::default())),
    }
}

/// Checks every option of `run` or `check` (the command line already over the file) and
/// fills in the defaults.
pub fn resolve(command: Command, v: &Values, tables: Tables, today: Date) -> Result<Config, Error> {
    let inputs = v.paths("inputs");
    if inputs.is_empty() {
        return Err(Error::Usage(usage("no_inputs")));
    }
    let as_of_defaulted = v.get("as-of").is_none();
    let period_defaulted = v.get("period").is_none();
    let as_of = match v.text("as-of") {
        Some(s) => s.parse::<Date>().map_err(|e| {
            Error::Usage(
                usage("bad_option")
                    .arg("option", "--as-of")
                    .arg("reason", e),
            )
        })?,
        None => today,
    };
    let period = month(v, "period")?.unwrap_or_else(|| as_of.month_of());
    let lang = v.lang()?;
    let employer = match v.text("employer") {
        Some(code) => Some(
            crate::ids::check_uscc(&code)
                .map_err(|_| Error::Usage(usage("bad_employer").arg("value", &code)))?,
        ),
        None => None,
    };
    let injury_rate = match v.text("injury-rate") {
        Some(s) => Some(
            s.parse::<Decimal>()
                .map_err(|_| Error::Usage(usage("bad_injury_rate").arg("value", &s)))?,
        ),
        None => None,
    };
    let format = match v.text("format") {
        None => FindingsFormat::Csv,
        Some(s) => FindingsFormat::parse(&s)
            .ok_or_else(|| Error::Usage(usage("bad_format").arg("value", s)))?,
    };
    let csv_encoding = match v.text("csv-encoding") {
        Some(s) => CsvEncoding::parse(&s)
            .ok_or_else(|| Error::Usage(usage("bad_csv_encoding").arg("value", s)))?,
        None => CsvEncoding::default(),
    };
    let layouts = v.paths("layout");
    let vocab = vocabulary(&layouts, &tables.aliases)?;
    let codes = code_lists(&layouts, lang)?;
    let aliases = tables
        .aliases
        .iter()
        .map(|(f, texts)| {
            (
                f.clone(),
                texts.iter().map(|t| normalize_header(t)).collect(),
            )
        })
        .collect();
    Ok(Config {
        command,
        inputs,
        period,
        as_of,
        period_defaulted,
        as_of_defaulted,
        region: v.text("region"),
        policy: v.path("policy"),
        injury_rate,
        roster: v.path("roster"),
        employer,
        out: v.path("out").unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
        lang,
        deny_warnings: v.switch("deny-warnings"),
        jobs: jobs(v)?,
        quiet: v.switch("quiet"),
        encoding: encoding(v)?,
        sheet: v.text("sheet"),
        vocab,
        aliases,
        layouts,
        codes,
        kinds: Kinds::parse(&v.texts("kind"))?,
        mask: !v.switch("no-mask"),
        format,
        xlsx: v.switch("xlsx"),
        csv_encoding,
        max_findings: v.number("max-findings")?,
        limits: tables.limits.unwrap_or_default(),
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
    use super::flags::values;
    use super::*;

    fn today() -> Date {
        Date::new(2025, 8, 20).unwrap()
    }

    fn run(v: Values) -> Result<Config, Error> {
        resolve(Command::Run, &v, Tables::default(), today())
    }

    #[test]
    fn command_line_wins_over_file() {
        let file = FileConfig::parse(
            "region = \"shanghai\"\nperiod = \"2025-07\"\nlang = \"en\"\n[aliases]\nid_number = [\"员工证件号\"]\n",
        )
        .unwrap();
        let cli = values([("inputs", "a.csv"), ("region", "beijing")]);
        let v = cli.over(file.values("run").unwrap());
        let c = resolve(Command::Run, &v, file.tables().unwrap(), today()).unwrap();
        assert_eq!(c.region.as_deref(), Some("beijing"));
        assert_eq!(c.period.to_string(), "2025-07");
        assert_eq!(c.lang, Lang::En);
        assert!(c.mask);
        assert_eq!(c.aliases["id_number"], vec!["员工证件号".to_string()]);
    }

    #[test]
    fn period_defaults_to_the_as_of_month() {
        let c = run(values([("inputs", "a.csv"), ("as-of", "2025-09-03")])).unwrap();
        assert_eq!(c.period.to_string(), "2025-09");
        assert!(c.period_defaulted && !c.as_of_defaulted);
    }

    #[test]
    fn period_accepts_the_compact_form() {
        let c = run(values([("inputs", "a.csv"), ("period", "202508")])).unwrap();
        assert_eq!(c.period.to_string(), "2025-08");
        assert!(!c.period_defaulted && c.as_of_defaulted);
        for bad in ["202513", "20258", "2025088"] {
            assert!(
                run(values([("inputs", "a.csv"), ("period", bad)])).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_values_are_usage_errors_with_a_code() {
        for (name, value) in [
            ("period", "2025-13"),
            ("as-of", "20250820"),
            ("lang", "fr"),
            ("encoding", "latin1"),
            ("employer", "911100006000373410"),
            ("jobs", "0"),
            ("jobs", "many"),
            ("csv-encoding", "utf-16"),
            ("format", "xml"),
            ("injury-rate", "high"),
            ("max-findings", "-1"),
        ] {
            let r = run(values([("inputs", "a.csv"), (name, value)]));
            match r {
                Err(Error::Usage(m)) => assert!(m.code().is_some(), "{name}: {m:?}"),
                other => panic!("{name} = {value}: {other:?}"),
            }
        }
        assert!(FileConfig::parse("colour = 1").is_err());
        assert!(FileConfig::parse("jobs = \"four\"").is_err());
        assert!(FileConfig::parse("xlsx = 1").is_err());
    }

    /// What a headcount.toml option can change in a configuration.
    fn seen(c: &Config) -> String {
        format!(
            "{:?} {:?} {:?}",
            (
                c.period,
                c.as_of,
                &c.region,
                &c.policy,
                c.injury_rate,
                &c.roster,
                &c.employer
            ),
            (
                &c.out,
                c.lang,
                c.deny_warnings,
                c.jobs,
                c.quiet,
                c.encoding,
                &c.sheet
            ),
            (
                c.mask,
                c.xlsx,
                c.csv_encoding,
                &c.layouts,
                c.format,
                c.max_findings
            ),
        )
    }

    /// Every long option of `run` and `check` that the table marks as a headcount.toml key
    /// is read from the file and reaches the configuration.
    #[test]
    fn every_file_key_of_run_and_check_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let layout = dir.path().join("l.toml");
        std::fs::write(&layout, "[[field]]\nid = \"name\"\nheaders = [\"花名\"]\n").unwrap();
        let value = |key: &str| -> String {
            match key {
                "period" => "\"2025-07\"".into(),
                "as-of" => "\"2025-07-15\"".into(),
                "region" => "\"shanghai\"".into(),
                "policy" => "\"p.toml\"".into(),
                "injury-rate" => "\"0.004\"".into(),
                "roster" => "\"r.csv\"".into(),
                "employer" => "\"91350100M000100Y43\"".into(),
                "out" => "\"o\"".into(),
                "lang" => "\"en\"".into(),
                "jobs" => "3".into(),
                "encoding" => "\"gb18030\"".into(),
                "sheet" => "\"增员\"".into(),
                "csv-encoding" => "\"gb18030\"".into(),
                "layouts" => format!("[{:?}]", layout.to_str().unwrap()),
                "format" => "\"json\"".into(),
                "max-findings" => "7".into(),
                "deny-warnings" | "quiet" | "no-mask" | "xlsx" => "true".into(),
                other => panic!("no test value for headcount.toml key `{other}`"),
            }
        };
        for command in [Command::Run, Command::Check] {
            for f in flags::of(command.id()) {
                let Some(key) = f.file_key() else {
                    assert!(
                        matches!(f.file, flags::File::CommandLine(why) if !why.is_empty()),
                        "{}",
                        f.key
                    );
                    continue;
                };
                let file = FileConfig::parse(&format!("{key} = {}\n", value(key))).unwrap();
                let v = values([("inputs", "a.csv")]).over(file.values(command.id()).unwrap());
                let base = resolve(
                    command,
                    &values([("inputs", "a.csv")]),
                    Tables::default(),
                    today(),
                )
                .unwrap();
                let c = resolve(command, &v, file.tables().unwrap(), today())
                    .unwrap_or_else(|e| panic!("{key}: {e:?}"));
                let changed = seen(&c) != seen(&base);
                assert!(
                    changed,
                    "{}: `{key}` in headcount.toml changed nothing",
                    command.id()
                );
            }
        }
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
        let file = FileConfig::parse(&format!("layouts = [{:?}]\n", a.to_str().unwrap())).unwrap();
        let missing = dir.path().join("missing.toml");
        let cli = values([("inputs", "x.csv"), ("layout", missing.to_str().unwrap())]);
        let v = cli.over(file.values("check").unwrap());
        assert_eq!(v.paths("layout"), vec![a.clone(), missing]);
        let r = resolve(Command::Check, &v, Tables::default(), today());
        assert!(
            matches!(&r, Err(e) if crate::error::message(e, Lang::En).contains("missing.toml")),
            "{r:?}"
        );
        let v = values([("inputs", "x.csv")]).over(file.values("check").unwrap());
        let c = resolve(Command::Check, &v, Tables::default(), today()).unwrap();
        assert_eq!(
            c.vocab.lookup("花名"),
            Some(crate::input::layout::Target::Field(
                crate::input::header::Field::Name
            ))
        );
    }
}
