//! `headcount reconcile`: the bureau's bill against a run's expected contributions.

use headcount::calendar::Date;
use headcount::config::flags::Raw;
use headcount::config::{self, Command, Values};
use headcount::error::Error;
use headcount::exit::Exit;
use headcount::text::Message;

pub fn run(cli: Values) -> Exit {
    let (v, tables, lang) = match super::options("reconcile", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    let period = match config::month(&v, "period") {
        Ok(p) => p,
        Err(e) => return super::fail(&e, lang),
    };
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let compute = match computed_run(&v, tables) {
        Ok(c) => c,
        Err(e) => return super::fail(&e, lang),
    };
    let opts = headcount::reconcile::Options {
        bills: v.paths("bill"),
        expected: v.path("expected").unwrap_or_default(),
        compute,
        computed: false,
        policy: v.path("policy"),
        out: v
            .path("out")
            .unwrap_or_else(|| std::path::PathBuf::from("reconcile-out")),
        layouts: v.paths("layout"),
        period,
        region: v.text("region"),
        lang,
        mask: !v.switch("no-mask"),
        partition_bytes: headcount::reconcile::partition::PARTITION_BYTES,
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

/// Without `--expected`: the month's run, as `run` would do it with the same options, to be
/// computed on the spot (`--roster` and the change files). Both, or neither, is E025.
fn computed_run(v: &Values, tables: config::Tables) -> Result<Option<Box<config::Config>>, Error> {
    let changes = v.paths("changes");
    let on_the_spot = v.get("roster").is_some() || !changes.is_empty();
    match (v.path("expected"), on_the_spot) {
        (Some(_), false) => return Ok(None),
        (None, true) => {}
        _ => return Err(Error::Usage(Message::new("reconcile_expected"))),
    }
    let mut run = v.clone();
    for name in ["changes", "bill", "expected", "out", "layout"] {
        run.remove(name);
    }
    run.set("inputs", Raw::Paths(changes));
    run.set("quiet", Raw::Switch(true));
    config::resolve(Command::Run, &run, tables, Date::today()).map(|c| Some(Box::new(c)))
}
