//! `headcount policy` (the figures in force and their sources), `policy check` and
//! `policy confirm`.

use headcount::calendar::{Date, Month};
use headcount::config::{self, Values};
use headcount::error::Error;
use headcount::exit::Exit;
use headcount::finding::Lang;
use headcount::policy::{render, PolicyError, PolicySet};

use super::{emit, fail};

/// The embedded tables with the user's file over them.
fn policy_set(file: Option<std::path::PathBuf>) -> Result<PolicySet, Error> {
    let set = PolicySet::embedded()?;
    Ok(match file {
        Some(f) => set.layer_file(&f)?,
        None => set,
    })
}

/// P002 for one region and month, as every command words it.
fn no_coverage(region: &str, month: Month) -> Error {
    Error::Policy(PolicyError::NoCoverage {
        region: region.to_string(),
        month,
        covered: String::new(),
    })
}

pub fn run(cli: Values) -> Exit {
    let (v, _, lang) = match super::options("policy", cli) {
        Ok(o) => o,
        Err(exit) => return exit,
    };
    match listing(&v, lang) {
        Ok(exit) => exit,
        Err(e) => fail(&e, lang),
    }
}

fn listing(v: &Values, lang: Lang) -> Result<Exit, Error> {
    let json = v.text("format").as_deref() == Some("json");
    let month = config::month(v, "period")?;
    let set = policy_set(v.path("policy"))?;
    let regions: Vec<_> = match v.text("region") {
        Some(name) => vec![set.require_region(&name)?],
        None => set.regions().collect(),
    };
    let Some(month) = month.or_else(|| json.then(|| Date::today().month_of())) else {
        // No month: the overview of every period, in the user's language.
        let today = Date::today().month_of();
        for (i, region) in regions.iter().enumerate() {
            if i > 0 {
                emit("\n");
            }
            emit(&render::overview(region, set.confirmation(), today, lang));
        }
        return Ok(Exit::Clean);
    };
    let mut exit = Exit::Clean;
    for region in regions {
        match region.period(month) {
            Some(period) if json => emit(&format!("{}\n", render::json(region, period))),
            Some(period) => emit(&render::text(region, period, set.confirmation(), month)),
            None => exit = fail(&no_coverage(region.name(), month), lang),
        }
    }
    Ok(exit)
}

/// `headcount policy check FILE`: exit 0 when the file is valid, 2 when not.
pub fn check(v: Values, lang: Lang) -> Exit {
    let Some(file) = v.path("file") else {
        return Exit::CannotRun;
    };
    match headcount::policy::check_file(&file) {
        Ok(summary) => {
            emit(&summary);
            Exit::Clean
        }
        Err(e) => fail(&Error::Policy(e), lang),
    }
}

/// `headcount policy confirm --region R --period M`: the template of a confirming file.
pub fn confirm(v: Values, lang: Lang) -> Exit {
    match confirm_template(&v) {
        Ok(text) => {
            emit(&text);
            Exit::Clean
        }
        Err(e) => fail(&e, lang),
    }
}

fn confirm_template(v: &Values) -> Result<String, Error> {
    let month = config::month(v, "period")?.ok_or_else(|| {
        Error::Usage(headcount::text::Message::new("missing_option").arg("option", "--period"))
    })?;
    let region = v.text("region").unwrap_or_default();
    let set = policy_set(v.path("policy"))?;
    let r = set.require_region(&region)?;
    let p = r
        .period(month)
        .ok_or_else(|| no_coverage(r.name(), month))?;
    Ok(render::confirm_template(
        r,
        p,
        set.confirmation(),
        Date::today(),
    ))
}
