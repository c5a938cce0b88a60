//! What a re-run needs from a recorded one: paths that stay valid when the run is repeated
//! from the same directory on another machine, and the `Config` rebuilt from
//! `manifest.json` alone (no `headcount.toml`, no clock).

use std::path::{Component, Path, PathBuf};

use crate::calendar::Date;
use crate::config::flags::{self, Raw};
use crate::config::{self, Command, Config, Tables};
use crate::output::manifest::{FileHash, Manifest};
use crate::text::Message;

/// A path for reports and the manifest: as given, with `/` separators. An absolute path is
/// shown relative to the working directory, so the manifest holds no absolute path and a
/// re-run from the same directory names the files the same way.
pub fn shown_path(path: &Path) -> String {
    recorded_path(path).to_string_lossy().replace('\\', "/")
}

/// The path the manifest stands for: as given, or relative to the working directory when
/// absolute. `shown_path` is its display form, which may lose bytes (a GBK file name, a
/// backslash); the manifest then keeps this path's bytes too.
pub fn recorded_path(path: &Path) -> PathBuf {
    if path.is_absolute() {
        relative_to_cwd(path).unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    }
}

/// `path` relative to the working directory. The parent folder is resolved (a symlinked
/// `/tmp` must not break the comparison) but not the file name, which stays as given.
fn relative_to_cwd(path: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let name = path.file_name()?;
    let parent = path.parent()?.canonicalize().ok()?;
    Some(relative(&cwd, &parent)?.join(name))
}

/// The relative path from folder `from` to folder `to`, both absolute and resolved; `None`
/// when they have no common root (two Windows drives).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    Some(out)
}

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

    #[test]
    fn relative_paths_climb_and_descend() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b)).map(|p| shown_path(&p));
        assert_eq!(r("/a/b", "/a/b").as_deref(), Some(""));
        assert_eq!(r("/a/b", "/a/b/c").as_deref(), Some("c"));
        assert_eq!(r("/a/b/c", "/a/d").as_deref(), Some("../../d"));
        assert_eq!(r("/a", "/").as_deref(), Some(".."));
    }

    #[test]
    fn absolute_paths_are_shown_relative_to_the_working_directory() {
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("src").join("lib.rs");
        assert_eq!(shown_path(&inside), "src/lib.rs");
        assert_eq!(shown_path(Path::new("samples/a.csv")), "samples/a.csv");
        let outside = cwd.parent().unwrap().join("x.csv");
        let shown = shown_path(&outside);
        assert!(
            shown.starts_with("../") && shown.ends_with("x.csv"),
            "{shown}"
        );
        assert!(!shown_path(&inside).starts_with('/'));
    }

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
