//! The clap command, generated from the flag table (`headcount::config::flags`) with the
//! texts of `src/text.toml` in the user's language; and the parse of a command line into
//! the command's path and its `Values`. clap's own words never reach the user: `parse`
//! words its errors from the same table. The library never sees clap.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{value_parser, Arg, ArgAction, ArgMatches};
use headcount::config::flags::{self, Raw, Value, Values};
use headcount::exit::Exit;
use headcount::finding::Lang;
use headcount::text;

/// A parsed command line: the command's path ("run", "policy check") and its options.
pub struct Parsed {
    pub command: String,
    pub values: Values,
}

/// The language of help and argument errors, before clap has parsed anything: the last
/// `--lang X` / `--lang=X` anywhere on the command line, else `lang` in `./headcount.toml`,
/// else Chinese. A value other than zh or en is left for the command to reject; help and
/// usage errors are then in Chinese.
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
    let mut v = Values::default();
    if let Some(l) = found {
        v.set("lang", Raw::Text(l));
    }
    let v = match headcount::config::load_file(std::path::Path::new(".")) {
        Ok(Some(file)) => v.over(file.values("run").unwrap_or_default()),
        _ => v,
    };
    v.lang().unwrap_or_default()
}

/// The whole command, every about, option help and heading in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let mut root = clap::Command::new("headcount")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .help(text::option("version", lang))
                .help_heading(heading("options", lang))
                .action(ArgAction::Version),
        )
        .after_help(text::command("headcount after", lang));
    root = frame(root, "headcount", lang);
    for (path, _) in flags::COMMANDS {
        if path.contains(' ') {
            continue;
        }
        let mut sub = build(path, lang);
        for (child, _) in flags::COMMANDS {
            if let Some(name) = child.strip_prefix(&format!("{path} ")) {
                sub = sub
                    .subcommand(build(child, lang).name(name))
                    .args_conflicts_with_subcommands(true);
            }
        }
        root = root.subcommand(sub);
    }
    root
}

/// A command's heading, help flag and usage template in `lang`.
fn frame(cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    cmd.about(text::command(path, lang))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .help(text::option("help", lang))
                .help_heading(heading("options", lang))
                .action(ArgAction::Help),
        )
        .subcommand_help_heading(heading("commands", lang))
        .subcommand_value_name(text::heading("command", lang))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text::heading("usage", lang)
        ))
}

/// One command from its row of `flags::COMMANDS`.
fn build(path: &'static str, lang: Lang) -> clap::Command {
    let name = path.rsplit(' ').next().unwrap_or(path);
    let mut cmd = clap::Command::new(name);
    for f in flags::of(path) {
        let mut arg = Arg::new(f.key).help(text::option(f.key, lang));
        arg = match f.value {
            Value::Positional(v) => arg
                .value_name(v)
                .required(true)
                .value_parser(value_parser!(PathBuf)),
            Value::Inputs(v) => arg
                .value_name(v)
                .required(true)
                .num_args(1..)
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf)),
            Value::MaybeInputs(v) => arg
                .value_name(v)
                .num_args(0..)
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf)),
            Value::Switch => arg.long(f.name()).action(ArgAction::SetTrue),
            Value::Text(v) => arg.long(f.name()).value_name(v),
            Value::Required(v) => arg.long(f.name()).value_name(v).required(true),
            Value::RequiredPath(v) => arg
                .long(f.name())
                .value_name(v)
                .required(true)
                .value_parser(value_parser!(PathBuf)),
            Value::RequiredPaths(v) => arg
                .long(f.name())
                .value_name(v)
                .required(true)
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf)),
            Value::Number(v) => arg
                .long(f.name())
                .value_name(v)
                .value_parser(value_parser!(u64)),
            Value::Path(v) => arg
                .long(f.name())
                .value_name(v)
                .value_parser(value_parser!(PathBuf)),
            Value::Paths(v) => arg
                .long(f.name())
                .value_name(v)
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf)),
            Value::Texts(v) => arg.long(f.name()).value_name(v).action(ArgAction::Append),
            Value::Choice(choices) => arg
                .long(f.name())
                .value_name("FORMAT")
                .value_parser(clap::builder::PossibleValuesParser::new(choices.iter())),
        };
        let key = if f.value.is_positional() {
            "arguments"
        } else {
            "options"
        };
        // The texts state defaults and choices in words; clap's brackets are English.
        arg = arg.help_heading(heading(key, lang));
        if f.value != Value::Switch {
            arg = arg.hide_default_value(true).hide_possible_values(true);
        }
        cmd = cmd.arg(arg);
    }
    let cmd = cmd.override_usage(usage(path, lang));
    frame(cmd, path, lang)
}

/// The usage line in `lang` (clap's own says `[OPTIONS]` in English): the command, its
/// options, the required ones by name, then the positionals; a command with subcommands
/// adds the line that names them.
fn usage(path: &str, lang: Lang) -> String {
    let mut line = format!(
        "headcount {path} [{}]",
        text::heading("options_usage", lang)
    );
    for f in flags::of(path) {
        let v = f.value.name().unwrap_or("");
        match f.value {
            Value::Required(_) | Value::RequiredPath(_) | Value::RequiredPaths(_) => {
                line.push_str(&format!(" --{} <{v}>", f.name()));
            }
            Value::Positional(_) => line.push_str(&format!(" <{v}>")),
            Value::Inputs(_) => line.push_str(&format!(" <{v}>...")),
            Value::MaybeInputs(_) => line.push_str(&format!(" [{v}]...")),
            _ => {}
        }
    }
    let prefix = format!("{path} ");
    if flags::COMMANDS.iter().any(|(c, _)| c.starts_with(&prefix)) {
        line.push_str(&format!(
            "\n       headcount {path} <{}>",
            text::heading("command", lang)
        ));
    }
    line
}

/// A heading as clap shows it: the table's text without its trailing colon.
fn heading(key: &str, lang: Lang) -> &'static str {
    text::heading(key, lang).trim_end_matches([':', '：'])
}

/// The options given on the command line, by long name.
fn values(path: &str, m: &ArgMatches) -> Values {
    let mut v = Values::default();
    for f in flags::of(path) {
        let id = f.key;
        if m.value_source(id) != Some(clap::parser::ValueSource::CommandLine) {
            continue;
        }
        let raw = match f.value {
            Value::Switch => Raw::Switch(m.get_flag(id)),
            Value::Path(_) | Value::RequiredPath(_) | Value::Positional(_) => {
                match m.get_one::<PathBuf>(id) {
                    Some(p) => Raw::Path(p.clone()),
                    None => continue,
                }
            }
            Value::Paths(_)
            | Value::RequiredPaths(_)
            | Value::Inputs(_)
            | Value::MaybeInputs(_) => Raw::Paths(
                m.get_many::<PathBuf>(id)
                    .map(|it| it.cloned().collect())
                    .unwrap_or_default(),
            ),
            Value::Texts(_) => Raw::List(
                m.get_many::<String>(id)
                    .map(|it| it.cloned().collect())
                    .unwrap_or_default(),
            ),
            Value::Number(_) => match m.get_one::<u64>(id) {
                Some(n) => Raw::Text(n.to_string()),
                None => continue,
            },
            Value::Text(_) | Value::Required(_) | Value::Choice(_) => {
                match m.get_one::<String>(id) {
                    Some(s) => Raw::Text(s.clone()),
                    None => continue,
                }
            }
        };
        v.set(f.name(), raw);
    }
    v
}

/// Parses the command line. Help and version go to stdout (exit 0); a usage error is
/// worded from the table in `lang`, never clap's English, and exits 2 like every
/// could-not-run.
pub fn parse(argv: Vec<OsString>, lang: Lang) -> Result<Parsed, Exit> {
    let cmd = command(lang);
    let argv = lang_after_command(&cmd, argv);
    let path = command_path(&cmd, &argv);
    match cmd.try_get_matches_from(argv) {
        Ok(m) => {
            let mut at = &m;
            let mut names = Vec::new();
            while let Some((name, sub)) = at.subcommand() {
                names.push(name.to_string());
                at = sub;
            }
            let command = names.join(" ");
            Ok(Parsed {
                values: values(&command, at),
                command,
            })
        }
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                // `--help | head` closes the pipe early: that is not an error, and no panic.
                use std::io::Write as _;
                let _ = write!(std::io::stdout().lock(), "{}", e.render());
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
                    text::heading("help_hint", lang),
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
    // The deepest command named (`policy check`), and where its name stands.
    let (mut at, mut deepest) = (None, cmd);
    for (i, a) in argv.iter().enumerate().skip(1) {
        if let Some(sub) = a.to_str().and_then(|s| deepest.find_subcommand(s)) {
            (at, deepest) = (Some(i), sub);
        }
    }
    let Some(at) = at else {
        return argv;
    };
    if !deepest
        .get_arguments()
        .any(|a| a.get_long() == Some("lang"))
    {
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
    let sep = text::heading("list_separator", lang);
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
    let say = |key: &str, fill: &[(&str, &str)]| text::error(key, lang, fill);
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
    use super::*;

    #[test]
    fn every_command_has_its_text_in_both_languages() {
        fn walk(cmd: &clap::Command, path: &str) {
            let key = if path.is_empty() { "headcount" } else { path };
            let t = text::texts().commands.get(key);
            assert!(
                t.is_some_and(|t| !t.zh.is_empty() && !t.en.is_empty()),
                "no [commands] `{key}` in src/text.toml"
            );
            for sub in cmd.get_subcommands() {
                let p = if path.is_empty() {
                    sub.get_name().to_string()
                } else {
                    format!("{path} {}", sub.get_name())
                };
                walk(sub, &p);
            }
        }
        let mut cmd = command(Lang::Zh);
        cmd.build();
        walk(&cmd, "");
    }

    #[test]
    fn both_languages_build() {
        command(Lang::Zh).debug_assert();
        command(Lang::En).debug_assert();
    }

    #[test]
    fn values_come_by_long_name_only_when_given() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        let p = parse(
            argv("headcount check a.csv --layout x.toml --layout y.toml --no-mask"),
            Lang::En,
        )
        .unwrap_or_else(|_| panic!("parse"));
        assert_eq!(p.command, "check");
        assert_eq!(p.values.paths("layout").len(), 2);
        assert!(p.values.switch("no-mask"));
        assert!(p.values.get("format").is_none() && p.values.get("quiet").is_none());
        let p = parse(argv("headcount policy check f.toml"), Lang::En)
            .unwrap_or_else(|_| panic!("parse"));
        assert_eq!(p.command, "policy check");
        assert_eq!(p.values.path("file"), Some(PathBuf::from("f.toml")));
    }

    #[test]
    fn lang_is_found_anywhere_on_the_line() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        assert_eq!(lang_of(&argv("headcount run --lang en --help")), Lang::En);
        assert_eq!(lang_of(&argv("headcount --lang=en run")), Lang::En);
        assert_eq!(lang_of(&argv("headcount run -- --lang=en")), Lang::Zh);
    }

    /// A `--lang` before a nested command (`policy check`) moves behind its name, where
    /// it is an option, not a conflict with the subcommand.
    #[test]
    fn lang_before_a_nested_command_is_accepted() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        for line in [
            "headcount --lang en policy check f.toml",
            "headcount policy --lang en check f.toml",
            "headcount policy check --lang en f.toml",
        ] {
            let p = parse(argv(line), Lang::En).unwrap_or_else(|_| panic!("{line}"));
            assert_eq!(p.command, "policy check", "{line}");
            assert!(matches!(p.values.lang(), Ok(Lang::En)), "{line}");
        }
    }
}
