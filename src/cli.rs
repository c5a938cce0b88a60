//! Command-line flags (clap). Each option is defined once here; its long name is also its
//! key in `headcount.toml`. Parsed flags become `config::Options`; the library never sees clap.
//! The help texts are not here: `command` takes them, in the user's language, from
//! `cli_text.toml` (one entry per text, zh and en side by side), and `parse` words clap's
//! errors from the same table.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use headcount::exit::Exit;
use headcount::finding::Lang;

use crate::cli_text;

#[derive(Parser, Debug)]
#[command(name = "headcount", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Run(RunArgs),
    Check(CheckArgs),
    Verify(VerifyArgs),
    Inspect(InspectArgs),
    Rebase(RebaseArgs),
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Text)]
        format: CatalogueFormat,
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    #[command(args_conflicts_with_subcommands = true)]
    Policy(PolicyArgs),
    Reconcile(ReconcileArgs),
}

#[derive(Args, Debug)]
pub struct ReconcileArgs {
    #[arg(long = "bill", required = true, value_name = "FILE")]
    pub bills: Vec<PathBuf>,
    #[arg(long, value_name = "DIR", required_unless_present = "roster", conflicts_with_all = ["roster", "changes"])]
    pub expected: Option<PathBuf>,
    #[arg(value_name = "CHANGES")]
    pub changes: Vec<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    #[arg(long, value_name = "ID")]
    pub employer: Option<String>,
    #[arg(long, value_name = "DIR", default_value = "reconcile-out")]
    pub out: PathBuf,
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    #[arg(long)]
    pub no_mask: bool,
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

// `headcount rebase` (issue 17); the options are its own, see docs/rebase.md.
#[derive(Args, Debug)]
pub struct RebaseArgs {
    #[arg(long, value_name = "FILE")]
    pub roster: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub wages: PathBuf,
    #[arg(long, value_name = "R")]
    pub region: String,
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    #[arg(long, value_name = "YYYY-MM")]
    pub applied_from: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    #[arg(long)]
    pub no_mask: bool,
    #[arg(long)]
    pub xlsx: bool,
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    #[arg(long, value_name = "ENC")]
    pub csv_encoding: Option<String>,
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
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = FindingsFormat::Csv)]
    pub format: FindingsFormat,
    #[arg(long, value_name = "N")]
    pub max_findings: Option<u64>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    #[arg(long)]
    pub emit_layout: bool,
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    #[arg(long)]
    pub no_mask: bool,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
}

// Options shared by `run` and `check`.
#[derive(Args, Debug)]
pub struct Common {
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    #[arg(long, value_name = "CODE")]
    pub employer: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    #[arg(long)]
    pub deny_warnings: bool,
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    #[arg(long)]
    pub quiet: bool,
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    #[arg(long)]
    pub no_mask: bool,
    #[arg(long)]
    pub xlsx: bool,
    #[arg(long, value_name = "ENC")]
    pub csv_encoding: Option<String>,
    #[arg(long = "layout", value_name = "FILE")]
    pub layouts: Vec<PathBuf>,
    #[arg(long, value_name = "KIND")]
    pub kind: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: Option<PolicyCommand>,
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    Check {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    Confirm {
        #[arg(long, value_name = "R")]
        region: String,
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

/// The language of help and argument errors, before clap has parsed anything: the last
/// `--lang X` / `--lang=X` anywhere on the command line, else `lang` in `./headcount.toml`
/// (as `run` and `check` read it), else Chinese. A value other than zh or en is left for
/// the command to reject; help and usage errors are then in Chinese.
pub fn lang_of(argv: &[OsString]) -> Lang {
    let mut found: Option<String> = None;
    let mut args = argv.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        match arg {
            Some("--") => break,
            Some("--lang") => {
                if let Some(Some(v)) = args.next() {
                    found = Some(v.to_string());
                }
            }
            Some(a) => {
                if let Some(v) = a.strip_prefix("--lang=") {
                    found = Some(v.to_string());
                }
            }
            None => {}
        }
    }
    let found = found.or_else(|| {
        headcount::config::load_file(std::path::Path::new("."))
            .ok()
            .flatten()
            .and_then(|f| f.lang)
    });
    found.as_deref().and_then(Lang::parse).unwrap_or_default()
}

/// The clap command of the derive above, with every about, option help and heading taken
/// from `cli_text.toml` in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let cmd = Cli::command()
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        )
        .after_help(cli_text::command("headcount after", lang));
    localise(cmd, "", lang)
}

fn localise(mut cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    let about = if path.is_empty() { "headcount" } else { path };
    cmd = cmd
        .about(cli_text::command(about, lang))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        )
        .subcommand_help_heading(heading("commands", lang))
        .subcommand_value_name(cli_text::heading("command", lang))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            cli_text::heading("usage", lang)
        ));
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let help = cli_text::option(path, &id, lang);
        cmd = cmd.mut_arg(&id, |a| {
            let key = if a.is_positional() {
                "arguments"
            } else {
                "options"
            };
            let a = a.help(help).help_heading(heading(key, lang));
            // The texts state defaults and choices in words; clap's brackets are English.
            if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(&name, |c| localise(c, &sub_path, lang));
    }
    cmd
}

/// A heading as clap shows it: the table's text without its trailing colon.
fn heading(key: &str, lang: Lang) -> &'static str {
    cli_text::heading(key, lang).trim_end_matches([':', '：'])
}

/// Parses the command line. Help and version go to stdout (exit 0); a usage error is
/// worded from the table in `lang`, never clap's English, and exits 2 like every
/// could-not-run.
pub fn parse(argv: Vec<OsString>, lang: Lang) -> Result<Cli, Exit> {
    let cmd = command(lang);
    let argv = lang_after_command(&cmd, argv);
    let path = command_path(&cmd, &argv);
    let result = cmd
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => Ok(cli),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                print!("{}", e.render());
                Err(Exit::Clean)
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                eprint!("{}", e.render());
                Err(Exit::CannotRun)
            }
            _ => {
                eprintln!("headcount: {}", error_message(&e, lang));
                eprintln!(
                    "{}{} --help",
                    cli_text::heading("help_hint", lang),
                    path.join(" ")
                );
                Err(Exit::CannotRun)
            }
        },
    }
}

/// `headcount --lang en run …` means `headcount run --lang en …`: a `--lang` before the
/// command moves behind the command's name when the command has that option.
fn lang_after_command(cmd: &clap::Command, argv: Vec<OsString>) -> Vec<OsString> {
    let is_command = |a: &OsString| a.to_str().and_then(|s| cmd.find_subcommand(s));
    let Some(at) = argv.iter().skip(1).position(|a| is_command(a).is_some()) else {
        return argv;
    };
    let at = at + 1;
    let has_lang = argv
        .get(at)
        .and_then(is_command)
        .is_some_and(|c| c.get_arguments().any(|a| a.get_id() == "lang"));
    if !has_lang {
        return argv;
    }
    let (mut lead, mut moved) = (Vec::new(), Vec::new());
    let mut before = argv.iter().take(at).peekable();
    while let Some(a) = before.next() {
        if a == "--lang" && before.peek().is_some() {
            moved.push(a.clone());
            moved.extend(before.next().cloned());
        } else if a.to_str().is_some_and(|s| s.starts_with("--lang=")) {
            moved.push(a.clone());
        } else {
            lead.push(a.clone());
        }
    }
    let mut rest = argv.into_iter().skip(at);
    lead.extend(rest.next());
    lead.extend(moved);
    lead.extend(rest);
    lead
}

/// "headcount", then the subcommands named on the command line, for the help hint.
fn command_path(cmd: &clap::Command, argv: &[OsString]) -> Vec<String> {
    let mut path = vec!["headcount".to_string()];
    let mut at = cmd;
    for arg in argv.iter().skip(1).filter_map(|a| a.to_str()) {
        if let Some(sub) = at.find_subcommand(arg) {
            path.push(sub.get_name().to_string());
            at = sub;
        }
    }
    path
}

fn context(e: &clap::Error, kind: ContextKind, lang: Lang) -> Option<String> {
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(sep)),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(sep),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The option as the user typed it, without clap's `<VALUE>` placeholder.
fn option_name(raw: &str) -> String {
    raw.split([' ', '=']).next().unwrap_or(raw).to_string()
}

/// Words a clap error from the table: the kind and the option it names, never clap's text.
pub fn error_message(e: &clap::Error, lang: Lang) -> String {
    let arg = context(e, ContextKind::InvalidArg, lang).unwrap_or_default();
    let name = option_name(&arg);
    let say = |key: &str, fill: &[(&str, &str)]| cli_text::error(key, lang, fill);
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let mut s = if name.starts_with('-') {
                say("unknown_option", &[("arg", &name)])
            } else {
                say("unexpected_argument", &[("arg", &name)])
            };
            if let Some(hint) = context(e, ContextKind::SuggestedArg, lang) {
                s += &say("did_you_mean", &[("arg", &option_name(&hint))]);
            }
            s
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand, lang).unwrap_or_default();
            let mut s = say("unknown_command", &[("arg", &sub)]);
            if let Some(hint) = context(e, ContextKind::SuggestedSubcommand, lang) {
                s += &say("did_you_mean", &[("arg", &hint)]);
            }
            s
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = context(e, ContextKind::InvalidValue, lang).unwrap_or_default();
            if value.is_empty() {
                return say("missing_value", &[("arg", &name)]);
            }
            let mut s = say("bad_value", &[("arg", &name), ("value", &value)]);
            if let Some(valid) = context(e, ContextKind::ValidValue, lang) {
                s += &say("valid_values", &[("values", &valid)]);
            }
            s
        }
        ErrorKind::MissingRequiredArgument => say("missing_required", &[("arg", &arg)]),
        ErrorKind::MissingSubcommand => say("missing_command", &[]),
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg, lang).unwrap_or_default();
            say(
                "conflict",
                &[("arg", &name), ("other", &option_name(&other))],
            )
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            say("value_count", &[("arg", &name)])
        }
        ErrorKind::NoEquals => say("no_equals", &[("arg", &name)]),
        ErrorKind::InvalidUtf8 => say("not_utf8", &[]),
        _ => say("other", &[]),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every command and argument, with the table key its text comes from.
    fn keys(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        let about = if path.is_empty() { "headcount" } else { path };
        out.push(("commands".into(), about.to_string()));
        for a in cmd.get_arguments() {
            out.push((
                "options".into(),
                cli_text::option_key(path, a.get_id().as_str()),
            ));
        }
        for sub in cmd.get_subcommands() {
            let sub_path = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path} {}", sub.get_name())
            };
            keys(sub, &sub_path, out);
        }
    }

    #[test]
    fn the_table_parses() {
        if let Err(e) = cli_text::parse() {
            panic!("src/cli_text.toml: {e}");
        }
    }

    #[test]
    fn every_command_and_option_has_a_text_in_both_languages_and_every_text_is_used() {
        let texts = cli_text::texts();
        let mut used = Vec::new();
        let mut cmd = command(Lang::Zh);
        cmd.build();
        keys(&cmd, "", &mut used);
        for (table, key) in &used {
            let map = if table == "commands" {
                &texts.commands
            } else {
                &texts.options
            };
            let text = map.get(key);
            assert!(
                text.is_some_and(|t| !t.zh.is_empty() && !t.en.is_empty()),
                "no zh and en text for [{table}] `{key}` in src/cli_text.toml"
            );
        }
        let used: BTreeSet<_> = used.iter().map(|(_, k)| k.as_str()).collect();
        for key in texts.commands.keys().chain(texts.options.keys()) {
            assert!(
                used.contains(key.as_str()) || key == "headcount after",
                "src/cli_text.toml: `{key}` is used by no command or option"
            );
        }
    }

    #[test]
    fn both_languages_build() {
        command(Lang::Zh).debug_assert();
        command(Lang::En).debug_assert();
    }

    #[test]
    fn lang_is_found_anywhere_on_the_line() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        assert_eq!(lang_of(&argv("headcount run --lang en --help")), Lang::En);
        assert_eq!(lang_of(&argv("headcount --lang=en run")), Lang::En);
        assert_eq!(lang_of(&argv("headcount run -- --lang=en")), Lang::Zh);
    }
}
