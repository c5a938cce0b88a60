//! One file per command (as xsv does), each `run(values) -> Exit`: the command's options,
//! already parsed from the command line by `cli`, merged with `headcount.toml` where the
//! flag table says so, handed to the library, and the outcome printed.

mod inspect;
mod policy;
mod rebase;
mod reconcile;
mod rules;
mod validate;
mod verify;

use headcount::config::{Command, Values};
use headcount::error::Error;
use headcount::exit::Exit;
use headcount::finding::Lang;

/// Runs the command at `path` ("run", "policy check"). `lang` is the language the command
/// line was read in, for the commands without a `--lang` of their own.
pub fn run(path: &str, values: Values, lang: Lang) -> Exit {
    match path {
        "run" => validate::run(Command::Run, values),
        "check" => validate::run(Command::Check, values),
        "verify" => verify::run(values),
        "inspect" => inspect::run(values),
        "rebase" => rebase::run(values),
        "rules" => rules::run(values),
        "policy" => policy::run(values),
        "policy check" => policy::check(values, lang),
        "policy confirm" => policy::confirm(values, lang),
        "reconcile" => reconcile::run(values),
        // clap knows only the commands of the table, each listed above.
        _ => Exit::CannotRun,
    }
}

/// Prints a program error on stderr in `lang` and exits 2.
pub fn fail(e: &Error, lang: Lang) -> Exit {
    // A message may quote a cell: ID-shaped text is masked on stderr, always.
    let message = headcount::error::message(e, lang);
    eprintln!(
        "headcount: {}",
        headcount::output::redact::id_tokens(&message)
    );
    Exit::CannotRun
}

/// The language of the command line, before the options are checked: a bad `--lang` is
/// reported in Chinese.
fn early_lang(v: &Values) -> Lang {
    v.lang().unwrap_or_default()
}

/// The command line over `headcount.toml`, then the language checked: `Err` is ready to
/// print.
fn options(command: &str, cli: Values) -> Result<(Values, headcount::config::Tables, Lang), Exit> {
    let lang = early_lang(&cli);
    let (v, tables) = headcount::config::options(command, cli).map_err(|e| fail(&e, lang))?;
    let lang = v.lang().map_err(|e| fail(&e, lang))?;
    Ok((v, tables, lang))
}

/// Standard output for listings: a closed pipe (`| head`) ends the listing quietly instead
/// of panicking.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
