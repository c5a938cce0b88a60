//! Every option of every command, defined once (ripgrep's `flags/defs.rs` is the model):
//! its long name, its value, its `headcount.toml` key or why it has none, and how
//! `manifest.json` records it. The clap command (`src/cli.rs`), the `headcount.toml` reader,
//! the manifest's arguments and their re-application in `verify`, and the option tables
//! of README.md and docs/ci.md are all generated from `FLAGS` and `COMMANDS`. The help
//! texts are in `src/text.toml` under the same keys.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Config;
use crate::error::Error;
use crate::text::Message;

/// One option of one or more commands.
pub struct Flag {
    /// Its key here and in `src/text.toml`: the long name, or "<command> <name>" for a
    /// command's own variant of an option (its own text or meaning).
    pub key: &'static str,
    pub value: Value,
    /// Its key in `headcount.toml`, or why it has none.
    pub file: File,
    /// How `manifest.json` records it (for `run`, the command `verify` repeats).
    pub manifest: Record,
    /// Why it matters in CI: the row of docs/ci.md's table.
    pub ci: Option<&'static str>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `--name`, no value.
    Switch,
    /// `--name TEXT`.
    Text(&'static str),
    /// `--name N`, a whole number.
    Number(&'static str),
    /// `--name FILE`.
    Path(&'static str),
    /// `--name FILE`, repeatable.
    Paths(&'static str),
    /// `--name TEXT`, repeatable.
    Texts(&'static str),
    /// `--name one-of`, the first the default.
    Choice(&'static [&'static str]),
    /// A positional file, required.
    Positional(&'static str),
    /// One or more positional files, required.
    Inputs(&'static str),
    /// Positional files, none or more.
    MaybeInputs(&'static str),
    /// `--name TEXT`, required on the command line.
    Required(&'static str),
    /// `--name FILE`, required on the command line.
    RequiredPath(&'static str),
    /// `--name FILE`, repeatable, at least once.
    RequiredPaths(&'static str),
}

impl Value {
    /// The value's placeholder in help and tables.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Value::Switch => None,
            Value::Choice(_) => Some("FORMAT"),
            Value::Text(n)
            | Value::Number(n)
            | Value::Path(n)
            | Value::Paths(n)
            | Value::Texts(n)
            | Value::Positional(n)
            | Value::Inputs(n)
            | Value::MaybeInputs(n)
            | Value::Required(n)
            | Value::RequiredPath(n)
            | Value::RequiredPaths(n) => Some(n),
        }
    }

    pub fn is_positional(self) -> bool {
        matches!(
            self,
            Value::Positional(_) | Value::Inputs(_) | Value::MaybeInputs(_)
        )
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum File {
    /// The key in `headcount.toml`.
    Key(&'static str),
    /// Command line only, and why.
    CommandLine(&'static str),
}

/// How the manifest keeps a flag, so that `verify` repeats the run exactly.
#[derive(Copy, Clone)]
pub enum Record {
    /// Not recorded: it does not change the outputs.
    No,
    /// Recorded as its file's path and SHA-256 (inputs, roster, layout files).
    Hashed,
    /// Recorded under `arguments.<key>`: `write` gives the resolved value (or `None` to leave
    /// it out), `read` turns a recorded value back into the option; an absent key reads
    /// as `absent` when there is one (what a manifest from before the key meant).
    Argument {
        key: &'static str,
        write: fn(&Config) -> Option<String>,
        read: fn(&str) -> Result<Raw, String>,
        absent: Option<&'static str>,
    },
}

/// An option's value as given, before it is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Raw {
    Switch(bool),
    Text(String),
    Path(PathBuf),
    List(Vec<String>),
    Paths(Vec<PathBuf>),
}

fn text(v: &str) -> Result<Raw, String> {
    Ok(Raw::Text(v.to_string()))
}

fn path(v: &str) -> Result<Raw, String> {
    Ok(Raw::Path(PathBuf::from(v)))
}

fn switch(v: &str) -> Result<Raw, String> {
    match v {
        "true" => Ok(Raw::Switch(true)),
        "false" => Ok(Raw::Switch(false)),
        other => Err(format!("expected true or false, found `{other}`")),
    }
}

fn inverse(v: &str) -> Result<Raw, String> {
    match switch(v)? {
        Raw::Switch(b) => Ok(Raw::Switch(!b)),
        other => Ok(other),
    }
}

fn list(v: &str) -> Result<Raw, String> {
    Ok(Raw::List(v.split(',').map(str::to_string).collect()))
}

const NAMES_THIS_RUN: &str = "names this run's own files";

/// Every flag. The order is irrelevant: `COMMANDS` orders each command's options.
pub static FLAGS: &[Flag] = &[
    Flag {
        key: "inputs",
        value: Value::Inputs("INPUT"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::Hashed,
        ci: None,
    },
    Flag {
        key: "inspect inputs",
        value: Value::Inputs("INPUT"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "check format",
        value: Value::Choice(&["csv", "json"]),
        file: File::Key("format"),
        manifest: Record::No,
        ci: Some("findings as JSON Lines on stdout, one object per finding; `summary.json` is still written to `--out`"),
    },
    Flag {
        key: "max-findings",
        value: Value::Number("N"),
        file: File::Key("max-findings"),
        manifest: Record::No,
        ci: Some("at most N findings in `errors.csv` or on stdout, so a broken export does not produce a 100 MB log; the counts in `summary.json` stay exact and its `report` object says how many were left out"),
    },
    Flag {
        key: "period",
        value: Value::Text("YYYY-MM"),
        file: File::Key("period"),
        manifest: Record::Argument {
            key: "period",
            write: |c| Some(c.period.to_string()),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "as-of",
        value: Value::Text("YYYY-MM-DD"),
        file: File::Key("as-of"),
        manifest: Record::Argument {
            key: "as_of",
            write: |c| Some(c.as_of.to_string()),
            read: text,
            absent: None,
        },
        ci: Some("the processing date. Default: today in the machine's time zone. Pin it when the job must give the same answer tomorrow (the 30-day limit and back-pay count from it)"),
    },
    Flag {
        key: "region",
        value: Value::Text("R"),
        file: File::Key("region"),
        manifest: Record::Argument {
            key: "region",
            write: |c| c.region.clone(),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "policy",
        value: Value::Path("FILE"),
        file: File::Key("policy"),
        // Its path; its bytes are hashed under `policy.file` (audit.rs checks both agree).
        manifest: Record::Argument {
            key: "policy",
            write: |c| c.policy.as_deref().map(crate::paths::shown_path),
            read: path,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "injury-rate",
        value: Value::Text("RATE"),
        file: File::Key("injury-rate"),
        manifest: Record::Argument {
            key: "injury_rate",
            write: |c| c.injury_rate.map(|r| r.to_string()),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "roster",
        value: Value::Path("FILE"),
        file: File::Key("roster"),
        manifest: Record::Hashed,
        ci: None,
    },
    Flag {
        key: "employer",
        value: Value::Text("CODE"),
        file: File::Key("employer"),
        manifest: Record::Argument {
            key: "employer",
            write: |c| c.employer.clone(),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "out",
        value: Value::Path("DIR"),
        file: File::Key("out"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "lang",
        value: Value::Text("zh|en"),
        file: File::Key("lang"),
        manifest: Record::Argument {
            key: "lang",
            write: |c| Some(c.lang.id().to_string()),
            read: text,
            absent: None,
        },
        ci: Some("English messages (`message` field); JSON Lines always carry both `message_zh` and `message_en`"),
    },
    Flag {
        key: "deny-warnings",
        value: Value::Switch,
        file: File::Key("deny-warnings"),
        manifest: Record::Argument {
            key: "deny_warnings",
            write: |c| Some(c.deny_warnings.to_string()),
            read: switch,
            absent: None,
        },
        ci: Some("warnings fail the job too (exit 1)"),
    },
    Flag {
        key: "jobs",
        value: Value::Number("N"),
        file: File::Key("jobs"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "quiet",
        value: Value::Switch,
        file: File::Key("quiet"),
        manifest: Record::No,
        ci: Some("no summary on stderr, no progress bar (there is none off a terminal anyway)"),
    },
    Flag {
        key: "encoding",
        value: Value::Text("ENC"),
        file: File::Key("encoding"),
        manifest: Record::Argument {
            key: "encoding",
            write: |c| c.encoding.map(|e| e.id().to_string()),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "sheet",
        value: Value::Text("NAME"),
        file: File::Key("sheet"),
        manifest: Record::Argument {
            key: "sheet",
            write: |c| c.sheet.clone(),
            read: text,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "no-mask",
        value: Value::Switch,
        file: File::Key("no-mask"),
        manifest: Record::Argument {
            key: "mask",
            write: |c| Some(c.mask.to_string()),
            read: inverse,
            absent: None,
        },
        ci: Some("full ID numbers in the report. Leave it off in CI: logs are shared more widely than payroll files"),
    },
    Flag {
        key: "xlsx",
        value: Value::Switch,
        file: File::Key("xlsx"),
        // Only when not the default, so earlier manifests keep their meaning.
        manifest: Record::Argument {
            key: "xlsx",
            write: |c| c.xlsx.then(|| "true".to_string()),
            read: switch,
            absent: None,
        },
        ci: None,
    },
    Flag {
        key: "csv-encoding",
        value: Value::Text("ENC"),
        file: File::Key("csv-encoding"),
        // Absent in manifests from before the utf-8-bom default: those runs wrote plain
        // UTF-8, so plain UTF-8 is not recorded and absence reads as it.
        manifest: Record::Argument {
            key: "csv_encoding",
            write: |c| {
                (c.csv_encoding != super::CsvEncoding::Utf8)
                    .then(|| c.csv_encoding.id().to_string())
            },
            read: text,
            absent: Some("utf-8"),
        },
        ci: None,
    },
    Flag {
        key: "layout",
        value: Value::Paths("FILE"),
        file: File::Key("layouts"),
        manifest: Record::Hashed,
        ci: None,
    },
    Flag {
        key: "kind",
        value: Value::Texts("KIND"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::Argument {
            key: "kind",
            write: |c| c.kinds.to_arg(),
            read: list,
            absent: None,
        },
        ci: None,
    },
    // verify
    Flag {
        key: "manifest",
        value: Value::Positional("MANIFEST"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "verify out",
        value: Value::Path("DIR"),
        file: File::CommandLine("`out` of headcount.toml is the folder being verified"),
        manifest: Record::No,
        ci: None,
    },
    // inspect
    Flag {
        key: "emit-layout",
        value: Value::Switch,
        file: File::CommandLine("asks for another output, not a default"),
        manifest: Record::No,
        ci: None,
    },
    // rebase
    Flag {
        key: "wages",
        value: Value::RequiredPath("FILE"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::Hashed,
        ci: None,
    },
    Flag {
        key: "rebase region",
        value: Value::Text("R"),
        file: File::Key("region"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "year",
        value: Value::Required("YYYY"),
        file: File::CommandLine("the year of one adjustment"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "applied-from",
        value: Value::Text("YYYY-MM"),
        file: File::CommandLine("the month of one adjustment"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rebase out",
        value: Value::Path("DIR"),
        file: File::CommandLine("`out` of headcount.toml is the monthly run's folder"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rebase xlsx",
        value: Value::Switch,
        file: File::Key("xlsx"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rebase quiet",
        value: Value::Switch,
        file: File::Key("quiet"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rebase csv-encoding",
        value: Value::Text("ENC"),
        file: File::Key("csv-encoding"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rebase layout",
        value: Value::Paths("FILE"),
        file: File::Key("layouts"),
        manifest: Record::No,
        ci: None,
    },
    // rules
    Flag {
        key: "rules format",
        value: Value::Choice(&["text", "json", "md"]),
        file: File::CommandLine("`format` of headcount.toml is check's"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "rules lang",
        value: Value::Text("LANG"),
        file: File::Key("lang"),
        manifest: Record::No,
        ci: None,
    },
    // policy
    Flag {
        key: "policy region",
        value: Value::Text("R"),
        file: File::CommandLine("without it every region is listed"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy period",
        value: Value::Text("YYYY-MM"),
        file: File::CommandLine("without it every period is listed"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy format",
        value: Value::Choice(&["text", "json"]),
        file: File::CommandLine("`format` of headcount.toml is check's"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy lang",
        value: Value::Text("LANG"),
        file: File::Key("lang"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy check file",
        value: Value::Positional("FILE"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy confirm region",
        value: Value::Required("R"),
        file: File::CommandLine("names the region to confirm"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "policy confirm period",
        value: Value::Required("YYYY-MM"),
        file: File::CommandLine("names the month to confirm"),
        manifest: Record::No,
        ci: None,
    },
    // reconcile
    Flag {
        key: "bill",
        value: Value::RequiredPaths("FILE"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "expected",
        value: Value::Path("DIR"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile changes",
        value: Value::MaybeInputs("CHANGES"),
        file: File::CommandLine(NAMES_THIS_RUN),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile out",
        value: Value::Path("DIR"),
        file: File::CommandLine("`out` of headcount.toml is the run's folder"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile layout",
        value: Value::Paths("FILE"),
        file: File::CommandLine("bill layouts, not the change-file `layouts`"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile period",
        value: Value::Text("YYYY-MM"),
        file: File::CommandLine("defaults to the expected run's period"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile region",
        value: Value::Text("R"),
        file: File::Key("region"),
        manifest: Record::No,
        ci: None,
    },
    Flag {
        key: "reconcile quiet",
        value: Value::Switch,
        file: File::Key("quiet"),
        manifest: Record::No,
        ci: None,
    },
];

/// The options of `run`, shared by `check` after its own.
const VALIDATE: [&str; 20] = [
    "inputs",
    "period",
    "as-of",
    "region",
    "policy",
    "injury-rate",
    "roster",
    "employer",
    "out",
    "lang",
    "deny-warnings",
    "jobs",
    "quiet",
    "encoding",
    "sheet",
    "no-mask",
    "xlsx",
    "csv-encoding",
    "layout",
    "kind",
];

/// `check`: `run`'s options with its own two after the inputs.
const CHECK: [&str; VALIDATE.len() + 2] = {
    let mut out = [""; VALIDATE.len() + 2];
    out[0] = VALIDATE[0];
    out[1] = "check format";
    out[2] = "max-findings";
    let mut i = 1;
    while i < VALIDATE.len() {
        out[i + 2] = VALIDATE[i];
        i += 1;
    }
    out
};

/// Each command's options by key, in the order help shows them (positionals anywhere).
pub static COMMANDS: &[(&str, &[&str])] = &[
    ("run", &VALIDATE),
    ("check", &CHECK),
    ("verify", &["manifest", "verify out", "jobs", "lang"]),
    (
        "inspect",
        &[
            "inspect inputs",
            "emit-layout",
            "layout",
            "kind",
            "sheet",
            "encoding",
            "lang",
            "no-mask",
        ],
    ),
    (
        "rebase",
        &[
            "roster",
            "wages",
            "rebase region",
            "year",
            "applied-from",
            "rebase out",
            "policy",
            "lang",
            "no-mask",
            "rebase xlsx",
            "jobs",
            "rebase quiet",
            "encoding",
            "rebase csv-encoding",
            "rebase layout",
        ],
    ),
    ("rules", &["rules format", "rules lang"]),
    (
        "policy",
        &[
            "policy region",
            "policy period",
            "policy",
            "policy format",
            "policy lang",
        ],
    ),
    ("policy check", &["policy check file", "lang"]),
    (
        "policy confirm",
        &["policy confirm region", "policy confirm period", "lang"],
    ),
    (
        "reconcile",
        &[
            "bill",
            "expected",
            "reconcile changes",
            "roster",
            "as-of",
            "employer",
            "policy",
            "reconcile out",
            "reconcile layout",
            "reconcile period",
            "reconcile region",
            "lang",
            "no-mask",
            "reconcile quiet",
        ],
    ),
];

impl Flag {
    /// The long name on the command line (the last word of the key).
    pub fn name(&self) -> &'static str {
        self.key.rsplit(' ').next().unwrap_or(self.key)
    }

    pub fn file_key(&self) -> Option<&'static str> {
        match self.file {
            File::Key(k) => Some(k),
            File::CommandLine(_) => None,
        }
    }
}

/// The flag with this key. Every key `COMMANDS` names exists (a test checks it).
pub fn flag(key: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.key == key)
}

/// The options of a command, by its path ("run", "policy confirm"), in help order.
pub fn of(command: &str) -> impl Iterator<Item = &'static Flag> + use<> {
    let keys: &'static [&'static str] = COMMANDS
        .iter()
        .find(|(c, _)| *c == command)
        .map(|(_, keys)| *keys)
        .unwrap_or(&[]);
    keys.iter().filter_map(|k| flag(k))
}

/// Options as given on the command line or in `headcount.toml`, by long name, before
/// they are checked. `config::resolve` and the commands read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values(BTreeMap<&'static str, Raw>);

impl Values {
    pub fn set(&mut self, name: &'static str, raw: Raw) {
        self.0.insert(name, raw);
    }

    pub fn remove(&mut self, name: &str) {
        self.0.remove(name);
    }

    pub fn get(&self, name: &str) -> Option<&Raw> {
        self.0.get(name)
    }

    pub fn text(&self, name: &str) -> Option<String> {
        match self.0.get(name)? {
            Raw::Text(s) => Some(s.clone()),
            Raw::Path(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        }
    }

    pub fn path(&self, name: &str) -> Option<PathBuf> {
        match self.0.get(name)? {
            Raw::Path(p) => Some(p.clone()),
            Raw::Text(s) => Some(PathBuf::from(s)),
            _ => None,
        }
    }

    pub fn switch(&self, name: &str) -> bool {
        matches!(self.0.get(name), Some(Raw::Switch(true)))
    }

    pub fn texts(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            Some(Raw::List(v)) => v.clone(),
            Some(Raw::Text(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    pub fn paths(&self, name: &str) -> Vec<PathBuf> {
        match self.0.get(name) {
            Some(Raw::Paths(v)) => v.clone(),
            Some(Raw::List(v)) => v.iter().map(PathBuf::from).collect(),
            Some(Raw::Path(p)) => vec![p.clone()],
            _ => Vec::new(),
        }
    }

    /// A whole number, checked: `--name N`.
    pub fn number(&self, name: &'static str) -> Result<Option<u64>, Error> {
        match self.text(name) {
            None => Ok(None),
            Some(s) => s.trim().parse::<u64>().map(Some).map_err(|_| {
                Error::Usage(
                    Message::new("bad_number")
                        .arg("option", format!("--{name}"))
                        .arg("value", s),
                )
            }),
        }
    }

    /// `--lang`, the one place a language name is read.
    pub fn lang(&self) -> Result<crate::finding::Lang, Error> {
        match self.text("lang") {
            None => Ok(crate::finding::Lang::default()),
            Some(s) => parse_lang(&s),
        }
    }

    /// These values over `under`: a value given here wins; repeatable options add up,
    /// `under`'s first (a layout file of headcount.toml is read before `--layout`).
    pub fn over(self, mut under: Values) -> Values {
        for (name, raw) in self.0 {
            let merged = match (under.0.remove(name), raw) {
                (Some(Raw::Paths(mut a)), Raw::Paths(b)) => {
                    a.extend(b);
                    Raw::Paths(a)
                }
                (Some(Raw::List(mut a)), Raw::List(b)) => {
                    a.extend(b);
                    Raw::List(a)
                }
                (_, raw) => raw,
            };
            under.0.insert(name, merged);
        }
        under
    }
}

pub fn parse_lang(s: &str) -> Result<crate::finding::Lang, Error> {
    crate::finding::Lang::parse(s)
        .ok_or_else(|| Error::Usage(Message::new("bad_lang").arg("value", s)))
}

/// The `headcount.toml` settings of `command`: each key of the file is an option of some
/// command (or one of the tables `aliases` and `limits`); those of other commands are
/// left to them.
pub fn from_file(table: &toml::Table, command: &str) -> Result<Values, Error> {
    let mut values = Values::default();
    for (key, value) in table {
        if matches!(key.as_str(), "aliases" | "limits") {
            continue;
        }
        if !FLAGS.iter().any(|f| f.file_key() == Some(key.as_str())) {
            return Err(Error::Usage(
                Message::new("file_unknown_key")
                    .arg("file", super::FILE_NAME)
                    .arg("key", key),
            ));
        }
        // An empty command checks every key's value, whichever command reads it.
        let found = match command {
            "" => FLAGS.iter().find(|f| f.file_key() == Some(key.as_str())),
            c => of(c).find(|f| f.file_key() == Some(key.as_str())),
        };
        let Some(flag) = found else {
            continue;
        };
        let wrong = |zh: &str, en: &str| {
            Error::Usage(
                Message::new("file_bad_value")
                    .arg("file", super::FILE_NAME)
                    .arg("key", key)
                    .arg_lang("want", zh, en),
            )
        };
        let raw = match (flag.value, value) {
            (Value::Switch, toml::Value::Boolean(b)) => Raw::Switch(*b),
            (Value::Switch, _) => return Err(wrong("true 或 false", "true or false")),
            (Value::Number(_), toml::Value::Integer(n)) => Raw::Text(n.to_string()),
            (Value::Number(_), _) => return Err(wrong("整数", "a whole number")),
            (Value::Path(_) | Value::RequiredPath(_), toml::Value::String(s)) => {
                Raw::Path(PathBuf::from(s))
            }
            (Value::Paths(_), toml::Value::String(s)) => Raw::Paths(vec![PathBuf::from(s)]),
            (Value::Paths(_) | Value::Texts(_), toml::Value::Array(items)) => {
                let mut v = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) => v.push(s.to_string()),
                        None => return Err(wrong("文本列表 [\"…\"]", "a list of texts [\"…\"]")),
                    }
                }
                match flag.value {
                    Value::Paths(_) => Raw::Paths(v.into_iter().map(PathBuf::from).collect()),
                    _ => Raw::List(v),
                }
            }
            (_, toml::Value::String(s)) => Raw::Text(s.clone()),
            _ => return Err(wrong("带引号的文本 \"…\"", "a quoted text \"…\"")),
        };
        values.set(flag.name(), raw);
    }
    Ok(values)
}

/// The arguments `manifest.json` records for a resolved `run`.
pub fn recorded(cfg: &Config) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in of("run") {
        if let Record::Argument { key, write, .. } = f.manifest {
            if let Some(v) = write(cfg) {
                out.insert(key.to_string(), v);
            }
        }
    }
    out
}

/// The manifest's recorded arguments as options again; `Err` names what cannot be
/// re-applied: an unknown key (`Err((key, None))`) or a value (`Err((key, Some(why)))`).
/// The hashed files (inputs, roster, layouts) are the caller's.
pub fn from_manifest(
    arguments: &BTreeMap<String, String>,
) -> Result<Values, (String, Option<String>)> {
    let known: Vec<&str> = recorded_keys().collect();
    if let Some(key) = arguments.keys().find(|k| !known.contains(&k.as_str())) {
        return Err((key.clone(), None));
    }
    let mut values = Values::default();
    for f in of("run") {
        if let Record::Argument {
            key, read, absent, ..
        } = f.manifest
        {
            let given = arguments.get(key).map(String::as_str).or(absent);
            if let Some(v) = given {
                let raw = read(v).map_err(|e| (key.to_string(), Some(e)))?;
                values.set(f.name(), raw);
            }
        }
    }
    Ok(values)
}

/// The argument keys a `run` manifest may hold.
pub fn recorded_keys() -> impl Iterator<Item = &'static str> {
    of("run").filter_map(|f| match f.manifest {
        Record::Argument { key, .. } => Some(key),
        _ => None,
    })
}

/// A command line as `Values`, for callers that build one in code (tests, benchmarks).
pub fn values<const N: usize>(pairs: [(&'static str, &str); N]) -> Values {
    let mut v = Values::default();
    for (name, value) in pairs {
        let raw = match of("run").chain(of("check")).find(|f| f.name() == name) {
            Some(f) if f.value == Value::Switch => Raw::Switch(value == "true"),
            Some(f) if matches!(f.value, Value::Paths(_) | Value::Inputs(_)) => {
                Raw::Paths(value.split(',').map(PathBuf::from).collect())
            }
            Some(f) if matches!(f.value, Value::Texts(_)) => {
                Raw::List(value.split(',').map(str::to_string).collect())
            }
            Some(f) if matches!(f.value, Value::Path(_)) => Raw::Path(PathBuf::from(value)),
            _ => Raw::Text(value.to_string()),
        };
        v.set(name, raw);
    }
    v
}

/// The option table of `commands` as Markdown (README.md and docs/ci.md hold it between
/// markers; a test fails when they drift).
pub fn markdown(commands: &[&str], ci_only: bool) -> String {
    use std::fmt::Write;
    let mut seen: Vec<&str> = Vec::new();
    let mut rows: Vec<&'static Flag> = Vec::new();
    for c in commands {
        for f in of(c) {
            if !seen.contains(&f.key) && !f.value.is_positional() && (!ci_only || f.ci.is_some()) {
                seen.push(f.key);
                rows.push(f);
            }
        }
    }
    let mut s = String::new();
    if ci_only {
        s.push_str("| option | why | `headcount.toml` |\n| --- | --- | --- |\n");
    } else {
        s.push_str("| option | meaning | `headcount.toml` | `manifest.json` |\n| --- | --- | --- | --- |\n");
    }
    for f in rows {
        let option = match (f.value, f.value.name()) {
            (Value::Choice(choices), _) => format!("`--{} {}`", f.name(), choices.join("\\|")),
            (_, Some(v)) => format!("`--{} {}`", f.name(), v.replace('|', "\\|")),
            (_, None) => format!("`--{}`", f.name()),
        };
        let only: Vec<&str> = commands
            .iter()
            .copied()
            .filter(|c| of(c).any(|g| g.key == f.key))
            .collect();
        let scope = if only.len() < commands.len() {
            format!("{} only: ", only.join(", "))
        } else {
            String::new()
        };
        let file = match f.file {
            File::Key(k) => format!("`{k}`"),
            File::CommandLine(why) => format!("command line only: {why}"),
        };
        if ci_only {
            let why = f.ci.unwrap_or_default();
            let _ = writeln!(s, "| {option} | {why} | {file} |");
        } else {
            let help = crate::text::option(f.key, crate::finding::Lang::En).replace('|', "\\|");
            let record = match f.manifest {
                Record::No => "—".to_string(),
                Record::Hashed => "path and SHA-256".to_string(),
                Record::Argument { key, .. } => format!("`arguments.{key}`"),
            };
            let _ = writeln!(s, "| {option} | {scope}{help} | {file} | {record} |");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_defined_once_and_every_command_names_defined_flags() {
        let mut keys = std::collections::BTreeSet::new();
        for f in FLAGS {
            assert!(keys.insert(f.key), "`{}` defined twice", f.key);
        }
        for (command, list) in COMMANDS {
            let mut names = std::collections::BTreeSet::new();
            for key in *list {
                let f = flag(key).unwrap_or_else(|| panic!("{command}: no flag `{key}`"));
                assert!(names.insert(f.name()), "{command}: two `--{}`", f.name());
            }
        }
        for f in FLAGS {
            assert!(
                COMMANDS.iter().any(|(_, l)| l.contains(&f.key)),
                "`{}` belongs to no command",
                f.key
            );
        }
    }

    #[test]
    fn every_flag_has_a_text_and_every_text_a_flag() {
        let texts = &crate::text::texts().options;
        for f in FLAGS {
            assert!(
                texts.contains_key(f.key),
                "no [options] `{}` in src/text.toml",
                f.key
            );
        }
        for key in texts.keys() {
            assert!(
                flag(key).is_some() || key == "help" || key == "version",
                "src/text.toml: [options] `{key}` is no flag"
            );
        }
    }

    #[test]
    fn one_file_key_means_one_kind_of_value() {
        for f in FLAGS {
            for g in FLAGS {
                if f.file_key().is_some() && f.file_key() == g.file_key() {
                    assert_eq!(
                        std::mem::discriminant(&f.value),
                        std::mem::discriminant(&g.value),
                        "`{}` and `{}`",
                        f.key,
                        g.key
                    );
                }
            }
        }
    }

    /// The generated tables of README.md and docs/ci.md are current.
    fn page(path: &str, name: &str, table: String) {
        let start = format!(
            "<!-- generated: {name} (cargo test --lib option_tables; UPDATE_DOCS=1 to rewrite) -->"
        );
        let end = format!("<!-- end of generated {name} -->");
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        let page = std::fs::read_to_string(&file).unwrap();
        let (Some(a), Some(b)) = (page.find(&start), page.find(&end)) else {
            panic!("{path} lacks the markers {start} … {end}");
        };
        let want = format!("{start}\n\n{table}\n{end}");
        if page[a..b + end.len()] != want {
            if std::env::var_os("UPDATE_DOCS").is_some() {
                let new = format!("{}{want}{}", &page[..a], &page[b + end.len()..]);
                std::fs::write(&file, new).unwrap();
            } else {
                panic!("{path} is stale: run UPDATE_DOCS=1 cargo test --lib option_tables");
            }
        }
    }

    #[test]
    fn option_tables() {
        page(
            "README.md",
            "options of run and check",
            markdown(&["run", "check"], false),
        );
        page(
            "README.md",
            "options of rebase",
            markdown(&["rebase"], false),
        );
        page("docs/ci.md", "CI options", markdown(&["check"], true));
    }

    #[test]
    fn manifest_keys_round_trip() {
        let args: BTreeMap<String, String> = [
            ("mask", "false"),
            ("kind", "add,a.csv=reduce"),
            ("xlsx", "true"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let v = from_manifest(&args).unwrap();
        assert!(v.switch("no-mask") && v.switch("xlsx"));
        assert_eq!(v.texts("kind"), vec!["add", "a.csv=reduce"]);
        // Absent: the plain UTF-8 that manifests before the key meant.
        assert_eq!(v.text("csv-encoding").as_deref(), Some("utf-8"));
        let mut bad = args.clone();
        bad.insert("colour".into(), "x".into());
        assert!(from_manifest(&bad).is_err());
    }
}
