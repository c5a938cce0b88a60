//! `headcount rules`: the rule catalogue, generated from the code.

use headcount::config::Values;
use headcount::exit::Exit;

pub fn run(cli: Values) -> Exit {
    let (v, _, lang) = match super::options("rules", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let out = match v.text("format").as_deref() {
        Some("json") => headcount::rules::catalogue::json(),
        Some("md") => headcount::rules::catalogue::markdown(),
        _ => headcount::rules::catalogue::text(lang),
    };
    super::emit(&out);
    Exit::Clean
}
