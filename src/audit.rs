//! What a re-run needs from a recorded one: paths that stay valid when the run is repeated
//! from the same directory on another machine, and the `Config` rebuilt from
//! `manifest.json` alone (no `headcount.toml`, no clock).

use std::path::PathBuf;

use crate::calendar::Date;
use crate::config::flags::{self, Raw};
use crate::config::{self, Command, Config, Tables};
use crate::output::manifest::{FileHash, Manifest};
use crate::text::Message;

pub use crate::paths::{recorded_path, shown_path};

/// The configuration of a recorded `run`, writing into `out`. Paths are taken as recorded,
/// relative to the working directory; the recorded arguments are read back through the
/// flag table (`config::flags`), which also wrote them. `Err` says what in the manifest
/// cannot be re-applied.
pub fn config_from_manifest(
    m: &Manifest,
    out: PathBuf,
    jobs: Option<usize>,
) -> Result<Config, Message> {
    if m.tool != "headcount" {
        return Err(
            Message::new("manifest_not_headcount").arg("tool", m.tool.replace(['\n', '\r'], " "))
        );
    }
    if m.command != "run" {
        return Err(Message::new("manifest_command").arg("command", &m.command));
    }
    let mut v = flags::from_manifest(&m.arguments).map_err(|(key, why)| match why {
        None => Message::new("manifest_unknown_argument")
            .arg("key", key)
            .arg("ours", env!("CARGO_PKG_VERSION"))
            .arg("theirs", &m.version),
        Some(why) => Message::new("manifest_bad_argument")
            .arg("key", key)
            .arg("reason", why),
    })?;
    if m.inputs.is_empty() {
        return Err(Message::new("manifest_no_inputs"));
    }
    if v.get("as-of").is_none() {
        // Without it the re-run would use today's date.
        return Err(Message::new("manifest_no_as_of"));
    }
    // A policy file is used only with its recorded hash, which verify checks first.
    let policy_file = m.policy.as_ref().and_then(|p| p.file.as_ref());
    match (v.text("policy"), policy_file) {
        (None, None) => {}
        (Some(_), None) => return Err(Message::new("manifest_policy_no_hash")),
        (Some(a), Some(f)) if a != f.path => {
            return Err(Message::new("manifest_two_policies")
                .arg("argument", a)
                .arg("hashed", &f.path))
        }
        (_, Some(f)) => v.set("policy", Raw::Path(f.fs_path())),
    }
    // The hashed files, and what the re-run needs that is not the run's.
    v.set(
        "inputs",
        Raw::Paths(m.inputs.iter().map(FileHash::fs_path).collect()),
    );
    if let Some(r) = &m.roster {
        v.set("roster", Raw::Path(r.fs_path()));
    }
    v.set(
        "layout",
        Raw::Paths(m.layouts.iter().map(FileHash::fs_path).collect()),
    );
    v.set("out", Raw::Path(out));
    v.set("quiet", Raw::Switch(true));
    v.remove("jobs");
    if let Some(j) = jobs {
        v.set("jobs", Raw::Text(j.to_string()));
    }
    let tables = Tables {
        aliases: m.aliases.clone(),
        limits: None,
    };
    // `today` is never used: as_of is always recorded.
    let placeholder = Date::new(2000, 1, 1).ok_or_else(|| Message::new("manifest_no_as_of"))?;
    config::resolve(Command::Run, &v, tables, placeholder).map_err(|e| {
        Message::new("manifest_cannot_reapply").arg_by("reason", |l| crate::error::message(&e, l))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn manifest() -> Manifest {
        let mut arguments = BTreeMap::new();
        for (k, v) in [
            ("period", "2025-08"),
            ("as_of", "2025-08-20"),
            ("lang", "en"),
            ("deny_warnings", "true"),
            ("mask", "false"),
            ("region", "beijing"),
            ("encoding", "gb18030"),
            ("sheet", "增员"),
            ("injury_rate", "0.004"),
        ] {
            arguments.insert(k.to_string(), v.to_string());
        }
        let file = |p: &str| FileHash {
            path: p.into(),
            sha256: String::new(),
            bytes: 0,
            path_hex: None,
        };
        Manifest {
            tool: "headcount".into(),
            version: "0.1.0".into(),
            command: "run".into(),
            arguments,
            aliases: BTreeMap::from([("id_number".to_string(), vec!["员工证件号".to_string()])]),
            policy: None,
            inputs: vec![file("b.csv"), file("a.xlsx")],
            layouts: Vec::new(),
            roster: Some(file("r.csv")),
            outputs: Vec::new(),
        }
    }

    #[test]
    fn a_config_is_rebuilt_from_the_manifest_alone() {
        let m = manifest();
        let c = config_from_manifest(&m, "out".into(), Some(1)).unwrap();
        assert_eq!(c.command, Command::Run);
        assert_eq!(
            c.inputs,
            vec![PathBuf::from("b.csv"), PathBuf::from("a.xlsx")]
        );
        assert_eq!(c.period.to_string(), "2025-08");
        assert_eq!(c.as_of.to_string(), "2025-08-20");
        assert_eq!(c.lang.id(), "en");
        assert!(c.deny_warnings && !c.mask && c.quiet);
        assert_eq!(c.region.as_deref(), Some("beijing"));
        assert_eq!(c.encoding.map(|e| e.id()), Some("gb18030"));
        assert_eq!(c.sheet.as_deref(), Some("增员"));
        assert_eq!(
            c.injury_rate.map(|r| r.to_string()).as_deref(),
            Some("0.004")
        );
        assert_eq!(c.roster, Some(PathBuf::from("r.csv")));
        assert_eq!(c.aliases, m.aliases);
        assert_eq!(c.out, PathBuf::from("out"));
    }

    #[test]
    fn what_cannot_be_re_applied_is_refused() {
        let mut unknown = manifest();
        unknown.arguments.insert("csv_colour".into(), "blue".into());
        let e = config_from_manifest(&unknown, "o".into(), None)
            .unwrap_err()
            .render(crate::finding::Lang::En);
        assert!(e.contains("csv_colour"), "{e}");

        let mut no_date = manifest();
        no_date.arguments.remove("as_of");
        assert!(config_from_manifest(&no_date, "o".into(), None).is_err());

        let mut check = manifest();
        check.command = "check".into();
        assert!(config_from_manifest(&check, "o".into(), None).is_err());

        let mut bad = manifest();
        bad.arguments.insert("period".into(), "2025-13".into());
        let e = config_from_manifest(&bad, "o".into(), None)
            .unwrap_err()
            .render(crate::finding::Lang::Zh);
        assert!(e.contains("period") && e.contains("无法重新应用"), "{e}");
    }
}
