//! The `headcount` binary: arguments → the command's file in `cmd/` → exit code.

mod cli;
mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    // Help and usage errors in the user's language (Chinese unless --lang en).
    let argv: Vec<_> = std::env::args_os().collect();
    let lang = cli::lang_of(&argv);
    let parsed = match cli::parse(argv, lang) {
        Ok(p) => p,
        Err(exit) => return ExitCode::from(exit.code() as u8),
    };
    // Panics become exit-2 messages without their payload; signals clean up temp files.
    headcount::panic_guard::install_hook();
    let exit = cmd::run(&parsed.command, parsed.values, lang);
    ExitCode::from(exit.code() as u8)
}
