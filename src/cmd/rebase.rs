//! `headcount rebase`: the annual base adjustment (issue 17). Reads `headcount.toml`
//! through the flag table like `run`: the roster, region, policy and the rest may be set there.

use headcount::config::{self, Values};
use headcount::error::Error;
use headcount::exit::Exit;
use headcount::text::Message;

pub fn run(cli: Values) -> Exit {
    let (v, _, lang) = match super::options("rebase", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    headcount::interrupt::set_lang(lang);
    headcount::interrupt::install();
    let cfg = options(&v).and_then(headcount::rebase::Options::resolve);
    let cfg = match cfg {
        Ok(c) => c,
        Err(e) => return super::fail(&e, lang),
    };
    match headcount::rebase::execute(&cfg) {
        Ok(outcome) => {
            if !cfg.quiet {
                eprint!("{}", outcome.summary.screen(cfg.lang));
            }
            outcome.exit
        }
        Err(e) => super::fail(&e, cfg.lang),
    }
}

fn required(v: &Values, name: &str) -> Result<String, Error> {
    v.text(name)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            Error::Usage(Message::new("missing_option").arg("option", format!("--{name}")))
        })
}

/// The library's options, the values checked here that the front end words.
fn options(v: &Values) -> Result<headcount::rebase::Options, Error> {
    config::encoding(v)?;
    Ok(headcount::rebase::Options {
        roster: v.path("roster").ok_or_else(|| {
            Error::Usage(Message::new("missing_option").arg("option", "--roster"))
        })?,
        wages: v
            .path("wages")
            .ok_or_else(|| Error::Usage(Message::new("missing_option").arg("option", "--wages")))?,
        region: required(v, "region")?,
        year: required(v, "year")?,
        applied_from: v.text("applied-from"),
        out: v.path("out"),
        policy: v.path("policy"),
        lang: v.text("lang"),
        no_mask: v.switch("no-mask"),
        xlsx: v.switch("xlsx"),
        jobs: config::jobs(v)?,
        quiet: v.switch("quiet"),
        encoding: v.text("encoding"),
        csv_encoding: v.text("csv-encoding"),
        layouts: v.paths("layout"),
    })
}
