//! report.html of a `run` or `check`: the values that made summary.json, the staged
//! contributions.csv and the run's tally, with the inputs' hashes and the policy periods used.

use std::path::Path;

use crate::config::Config;
use crate::error::Error;
use crate::input::InputError;
use crate::output::atomic::Staged;
use crate::output::summary::Summary;
use crate::output::{self, manifest};
use crate::policy::{PolicySet, Region};

fn display(path: &Path) -> String {
    crate::paths::shown_path(path)
}

/// report.html from the values that made summary.json, the staged contributions.csv and
/// the run's tally.
pub fn for_run(
    cfg: &Config,
    policy: &PolicySet,
    region: Option<&Region>,
    months: &[crate::calendar::Month],
    summary: &Summary,
    tally: &output::report::Tally,
    staged: &Staged,
) -> Result<String, Error> {
    use output::report::{InputRef, PeriodUsed, Report};
    let hash = |path: &Path| -> Result<InputRef, Error> {
        let shown = display(path);
        let (sha256, bytes) = manifest::hash_file(path)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        Ok(InputRef {
            path: shown,
            sha256,
            bytes,
        })
    };
    let mut periods: Vec<PeriodUsed> = Vec::new();
    if let Some(region) = region {
        for m in months {
            let Some(p) = region.period(*m) else { continue };
            let from = p.from().to_string();
            if periods.last().is_some_and(|u| u.from == from) {
                continue;
            }
            periods.push(PeriodUsed {
                from,
                to: p.to().map(|t| t.to_string()),
                unconfirmed: region
                    .unconfirmed(*m, policy.confirmation())
                    .iter()
                    .map(|f| format!("{} = {} ({})", f.key(), f.value, f.confidence))
                    .collect(),
            });
        }
    }
    let costs = match staged.staged_path(output::CONTRIBUTIONS) {
        Some(path) => Some(
            output::report::costs::read(path).map_err(|source| Error::Write {
                path: output::CONTRIBUTIONS.into(),
                source,
            })?,
        ),
        None => None,
    };
    let report = Report {
        lang: cfg.lang,
        summary,
        employer: cfg.employer.as_deref(),
        region_code: region.map(|r| r.code()),
        region_local: region.and_then(|r| {
            r.aliases()
                .iter()
                .find(|a| !a.is_ascii())
                .map(String::as_str)
        }),
        mask: cfg.mask,
        inputs: cfg
            .inputs
            .iter()
            .map(|p| hash(p))
            .collect::<Result<_, _>>()?,
        roster: cfg.roster.as_deref().map(hash).transpose()?,
        periods,
        tally,
        costs,
    };
    Ok(output::report::render(&report))
}
