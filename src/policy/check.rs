//! `headcount policy check FILE`: layer a file over the embedded tables and report what
//! it changes, or why it is invalid (P003). The command prints the report.

use std::path::Path;

use super::{load, PolicyError, PolicySet, SourceKind};

/// What a valid policy file does, layered over the embedded tables.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckReport {
    /// The file as the user named it.
    pub file: String,
    /// One line per change the file makes, in the order made.
    pub changes: Vec<String>,
    /// Figures from this file in force, counted as confirmed or not.
    pub confirmed: usize,
    pub unconfirmed: usize,
    /// Digest of the embedded tables with this file layered over them.
    pub digest: String,
}

impl CheckReport {
    /// The summary `headcount policy check` prints.
    pub fn text(&self) -> String {
        let mut out = format!("{}: valid policy file\n", self.file);
        if self.changes.is_empty() {
            out.push_str("  (it changes nothing)\n");
        }
        for c in &self.changes {
            out.push_str("  ");
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(&format!(
            "  figures from this file in force: {} confirmed, {} not confirmed\n",
            self.confirmed, self.unconfirmed
        ));
        out.push_str(&format!("  policy digest: {}\n", self.digest));
        out
    }
}

/// Layer the file at `path` over the embedded tables: what it changes, or P003.
pub fn check_report(path: &Path) -> Result<CheckReport, PolicyError> {
    let (set, changes) = PolicySet::embedded()?.layer_file_reporting(path)?;
    Ok(report(&set, &path.display().to_string(), changes))
}

/// [`check_report`] for text already in memory; `name` names it.
pub fn check_report_str(text: &str, name: &str) -> Result<CheckReport, PolicyError> {
    let (set, changes) = load::layer(
        PolicySet::embedded()?,
        text.as_bytes(),
        name,
        SourceKind::User,
    )?;
    Ok(report(&set, name, changes))
}

/// [`check_report`] as the text the command prints.
pub fn check_file(path: &Path) -> Result<String, PolicyError> {
    check_report(path).map(|r| r.text())
}

/// [`check_report_str`] as the text the command prints.
pub fn check_str(text: &str, name: &str) -> Result<String, PolicyError> {
    check_report_str(text, name).map(|r| r.text())
}

fn report(set: &PolicySet, shown: &str, changes: Vec<String>) -> CheckReport {
    let sources = set.sources();
    let this_file = sources.last().map_or("", |s| s.name.as_str());
    let (mut confirmed, mut unconfirmed) = (0usize, 0usize);
    for r in set.regions() {
        for p in r.periods() {
            for f in p.figures() {
                if f.provenance.origin.as_ref() == this_file {
                    if set.confirmation().confirms(f.provenance) {
                        confirmed += 1;
                    } else {
                        unconfirmed += 1;
                    }
                }
            }
        }
    }
    CheckReport {
        file: shown.to_string(),
        changes,
        confirmed,
        unconfirmed,
        digest: set.digest(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Month;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn m(s: &str) -> Month {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_documented_example_is_valid_and_does_what_it_says() {
        let doc = include_str!("../../docs/policy.md");
        let section = doc
            .split("## A complete example")
            .nth(1)
            .expect("example section");
        let example = section
            .split("```toml\n")
            .nth(1)
            .and_then(|s| s.split("```").next())
            .expect("toml block");
        let summary = check_str(example, "my-policy.toml").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            summary.contains("beijing: adds period 2027-07"),
            "{summary}"
        );
        assert!(summary.contains("adds region wuxi"), "{summary}");
        let set = PolicySet::embedded()
            .unwrap()
            .layer_str(example, "my-policy.toml")
            .unwrap();
        let bj = set.region("beijing").unwrap();
        assert_eq!(bj.injury_rate(), Some(d("0.0024")));
        assert_eq!(
            bj.period(m("2027-07")).unwrap().floor("medical"),
            Some(d("7500"))
        );
        assert_eq!(
            bj.period(m("2027-07")).unwrap().published(),
            Some(m("2027-08"))
        );
        assert_eq!(set.region("无锡").unwrap().insurance_names().len(), 5);
        // Its placeholder sources are unverified, so P001 speaks.
        assert!(!set.unconfirmed(bj, [m("2027-08")]).is_empty());
    }
}
