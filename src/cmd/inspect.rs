//! `headcount inspect`: how each sheet is read.

use headcount::config::Values;
use headcount::exit::Exit;

pub fn run(cli: Values) -> Exit {
    let (v, tables, lang) = match super::options("inspect", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let req = match headcount::inspect::Request::from_options(&v, &tables) {
        Ok(r) => r,
        Err(e) => return super::fail(&e, lang),
    };
    match headcount::inspect::run(&req) {
        Ok(text) => {
            super::emit(&text);
            Exit::Clean
        }
        Err(e) => super::fail(&e, lang),
    }
}
