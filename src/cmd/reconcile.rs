//! `headcount reconcile`: the bureau's bill against a run's expected contributions.

use headcount::config::{self, Values};
use headcount::exit::Exit;

pub fn run(cli: Values) -> Exit {
    let (v, _, lang) = match super::options("reconcile", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let period = match config::month(&v, "period") {
        Ok(p) => p,
        Err(e) => return super::fail(&e, lang),
    };
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let opts = headcount::reconcile::Options {
        bills: v.paths("bill"),
        expected: v.path("expected").unwrap_or_default(),
        out: v
            .path("out")
            .unwrap_or_else(|| std::path::PathBuf::from("reconcile-out")),
        layouts: v.paths("layout"),
        period,
        region: v.text("region"),
        lang,
        mask: !v.switch("no-mask"),
    };
    match headcount::reconcile::run(&opts) {
        Ok(outcome) => {
            if !v.switch("quiet") {
                eprint!("{}", outcome.screen);
            }
            outcome.exit
        }
        Err(e) => super::fail(&e, lang),
    }
}
