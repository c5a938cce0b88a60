//! `headcount verify MANIFEST`: re-hash the inputs a manifest names, re-run with the
//! recorded arguments into a scratch folder, and compare every output byte for byte (by
//! SHA-256) with the manifest and with the files beside it.
//!
//! Exit 2 when the run cannot be repeated (manifest unreadable, an input changed or
//! missing, the re-run failed), 1 when an output differs, 0 when everything matches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::audit;
use crate::exit::Exit;
use crate::finding::Lang;
use crate::output::manifest::{self, FileHash, Manifest, PolicySource};
use crate::pipeline;
use crate::text::Message;

pub struct VerifyOptions {
    pub manifest: PathBuf,
    /// Keep the re-run's outputs here (for diffing) instead of a temporary folder.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
}

/// What verify found: the exit code and the report's lines, first line first, as
/// messages of the catalogue; `render` words them in a language.
pub struct Report {
    pub exit: Exit,
    pub lines: Vec<Message>,
}

impl Report {
    fn cannot(lines: Vec<Message>) -> Report {
        Report {
            exit: Exit::CannotRun,
            lines,
        }
    }

    pub fn render(&self, lang: Lang) -> Vec<String> {
        self.lines.iter().map(|m| m.render(lang)).collect()
    }
}

/// Enough of a digest to tell two apart on screen.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// A line of a list, indented under its heading.
fn item(m: Message) -> Message {
    Message::new("verify_item").arg_by("line", move |l| m.render(l))
}

/// A list in the language's separator.
fn joined(items: &[String]) -> impl Fn(Lang) -> String + '_ {
    move |l| items.join(crate::text::heading("list_separator", l))
}

/// A program error, in both languages.
fn error_arg(m: Message, name: &'static str, e: &crate::error::Error) -> Message {
    m.arg_by(name, |l| crate::error::message(e, l))
}

pub fn verify(opts: &VerifyOptions) -> Report {
    // The manifest as the user named it (not relativised: it is only shown, not recorded).
    let shown = opts.manifest.to_string_lossy().replace('\\', "/");
    let say = |key: &'static str| Message::new(key).arg("shown", &shown);
    let text = match read_manifest(&opts.manifest) {
        Ok(t) => t,
        Err(e) => return Report::cannot(vec![say("verify_cannot_read").arg("reason", e)]),
    };
    let m = match Manifest::from_json(&text) {
        Ok(m) => m,
        Err(e) => return Report::cannot(vec![say("verify_not_manifest").arg("reason", e)]),
    };
    // Output names are bare file names; anything else is not ours and is not followed.
    if let Some(bad) = m.outputs.iter().find(|o| !is_bare_name(&o.path)) {
        return Report::cannot(vec![say("verify_output_not_plain").arg("output", &bad.path)]);
    }
    let beside = opts
        .manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();

    // A commit that a crash interrupted leaves a mix of old and new outputs.
    if let Some(p) = crate::output::atomic::partial_commit(&beside) {
        return Report::cannot(vec![
            say("verify_partial").arg_by("reason", |l| p.message(l)),
            Message::new("verify_repair"),
        ]);
    }

    // Everything the re-run needs must be in the manifest, before anything is re-read.
    let mut cfg = match Job::from_manifest(&m, opts.jobs) {
        Ok(c) => c,
        Err(e) => {
            return Report::cannot(vec![say("verify_refused").arg_by("reason", |l| e.render(l))])
        }
    };

    // 1. The inputs must be the ones recorded.
    let changed = changed_inputs(&m);
    if !changed.is_empty() {
        let mut lines = vec![say("verify_inputs_changed")];
        lines.extend(changed.into_iter().map(item));
        return Report::cannot(lines);
    }

    // 2. Re-run into a scratch folder (or the one asked for).
    let scratch = match &opts.out {
        Some(dir) => {
            if same_dir(dir, &beside) {
                return Report::cannot(vec![say("verify_out_is_beside")]);
            }
            Scratch::Kept(dir.clone())
        }
        None => match tempfile::Builder::new()
            .prefix("headcount-verify.")
            .tempdir()
        {
            Ok(t) => {
                // The re-run's outputs hold full ID numbers: a signal removes them too.
                crate::interrupt::register(t.path());
                Scratch::Temp(t)
            }
            Err(e) => return Report::cannot(vec![Message::new("verify_no_temp").arg("reason", e)]),
        },
    };
    cfg.set_out(scratch.path().to_path_buf());
    // The policy file is used from the bytes whose hash was just checked, never re-read.
    let _policy_copy = match pin_policy(&m, cfg.policy_mut()) {
        Ok(copy) => copy,
        Err(e) => return Report::cannot(vec![say("verify_policy_file").arg("reason", e)]),
    };
    let (policy_file, region, injury_rate) = cfg.policy_inputs();
    let policy_cause = match pipeline::load_policy(policy_file, region, injury_rate) {
        Ok(set) => policy_difference(&m, &set.digest(), &set.sources()),
        Err(e) => {
            let mut lines = vec![error_arg(say("verify_policy_load"), "reason", &e)];
            lines.extend(version_note(&m));
            return Report::cannot(lines);
        }
    };
    let rerun = cfg.execute();
    crate::interrupt::uncommitted();
    if let Err(e) = rerun {
        let mut lines = vec![error_arg(say("verify_rerun_failed"), "reason", &e)];
        lines.extend(policy_cause.clone().map(cause));
        lines.extend(version_note(&m));
        return Report::cannot(lines);
    }

    // 3. Compare: the re-run against the record, and the files beside the manifest too.
    let mut differ = Vec::new();
    let mut rerun_differs = false;
    let mut absent_beside = Vec::new();
    for rec in &m.outputs {
        let digest = |key: &'static str, sha: &str| {
            Message::new(key)
                .arg("output", &rec.path)
                .arg("sha", short(sha))
                .arg("recorded", short(&rec.sha256))
        };
        match manifest::hash_file(&scratch.path().join(&rec.path)) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, _)) => {
                rerun_differs = true;
                differ.push(digest("verify_rerun_differs", &sha));
            }
            Err(_) => {
                rerun_differs = true;
                differ.push(Message::new("verify_rerun_missing").arg("output", &rec.path));
            }
        }
        match manifest::hash_file(&beside.join(&rec.path)) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, _)) => differ.push(digest("verify_beside_changed", &sha)),
            Err(_) => absent_beside.push(rec.path.clone()),
        }
    }
    // A headcount output the manifest does not list belongs to another run.
    let mut listed: Vec<String> = m.outputs.iter().map(|o| o.path.clone()).collect();
    listed.push(crate::output::MANIFEST.to_string());
    for name in crate::output::leftovers::strays(&beside, &listed) {
        differ.push(Message::new("verify_stray").arg("output", name));
    }
    let extra = extra_outputs(&m, scratch.path());

    let mut lines = Vec::new();
    let exit = if differ.is_empty() {
        lines.push(ok_line(&m, &shown, absent_beside.len()));
        Exit::Clean
    } else {
        lines.push(say("verify_differ"));
        lines.extend(differ.into_iter().map(item));
        if rerun_differs && policy_cause.is_none() && m.version == env!("CARGO_PKG_VERSION") {
            lines.push(Message::new("verify_same_inputs"));
        }
        lines.extend(policy_cause.clone().map(cause));
        Exit::Rejected
    };
    if exit == Exit::Clean {
        if let Some(d) = policy_cause {
            lines.push(Message::new("verify_note_policy").arg_by("difference", |l| d.render(l)));
        }
    }
    lines.extend(version_note(&m));
    if !absent_beside.is_empty() {
        lines.push(Message::new("verify_note_absent").arg_by("outputs", joined(&absent_beside)));
    }
    if !extra.is_empty() {
        lines.push(Message::new("verify_note_extra").arg_by("outputs", joined(&extra)));
    }
    if let Scratch::Kept(dir) = &scratch {
        lines.push(Message::new("verify_kept").arg("dir", audit::shown_path(dir)));
    }
    Report { exit, lines }
}

enum Scratch {
    Temp(tempfile::TempDir),
    Kept(PathBuf),
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Scratch::Temp(t) = self {
            crate::interrupt::unregister(t.path());
        }
    }
}

/// The manifest's text: a regular file of at most 16 MB (a FIFO or `/dev/zero` named as
/// the manifest would block or never end).
fn read_manifest(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    const MAX: u64 = 16 << 20;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "larger than 16 MB",
        ));
    }
    Ok(text)
}

/// Reads the recorded policy file once, checks its bytes against the recorded hash, and
/// points the re-run at a private copy of exactly those bytes (same file name, so the
/// policy's source name is unchanged), so a file swapped after the check is never used.
fn pin_policy(
    m: &Manifest,
    policy: &mut Option<PathBuf>,
) -> Result<Option<tempfile::TempDir>, String> {
    use sha2::{Digest, Sha256};
    let Some(rec) = m.policy.as_ref().and_then(|p| p.file.as_ref()) else {
        return Ok(None);
    };
    let path = rec.fs_path();
    let meta = std::fs::metadata(&path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
    let sha = manifest::hex(&Sha256::digest(&bytes));
    if sha != rec.sha256 || bytes.len() as u64 != rec.bytes {
        return Err(format!(
            "sha256 {}…, recorded {}…",
            short(&sha),
            short(&rec.sha256)
        ));
    }
    let name = path.file_name().ok_or("no file name")?;
    let dir = tempfile::Builder::new()
        .prefix("headcount-verify-policy.")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let copy = dir.path().join(name);
    std::fs::write(&copy, &bytes).map_err(|e| e.to_string())?;
    *policy = Some(copy);
    Ok(Some(dir))
}

/// What a manifest re-runs: `run`, or `rebase` (issue 17).
enum Job {
    Run(Box<crate::config::Config>),
    Rebase(Box<crate::rebase::Config>),
}

impl Job {
    fn from_manifest(m: &Manifest, jobs: Option<usize>) -> Result<Job, Message> {
        if m.tool == "headcount" && m.command == "rebase" {
            // rebase words its own reasons (English for now).
            return crate::rebase::audit::config_from_manifest(m, PathBuf::new(), jobs)
                .map(|c| Job::Rebase(Box::new(c)))
                .map_err(|e| Message::new("manifest_refused").arg("reason", e));
        }
        audit::config_from_manifest(m, PathBuf::new(), jobs).map(|c| Job::Run(Box::new(c)))
    }

    fn set_out(&mut self, out: PathBuf) {
        match self {
            Job::Run(c) => c.out = out,
            Job::Rebase(c) => c.out = out,
        }
    }

    fn policy_mut(&mut self) -> &mut Option<PathBuf> {
        match self {
            Job::Run(c) => &mut c.policy,
            Job::Rebase(c) => &mut c.policy,
        }
    }

    /// The policy file, region and injury rate the re-run loads the policy with.
    fn policy_inputs(&self) -> (Option<&Path>, Option<&str>, Option<rust_decimal::Decimal>) {
        match self {
            Job::Run(c) => (c.policy.as_deref(), c.region.as_deref(), c.injury_rate),
            Job::Rebase(c) => (c.policy.as_deref(), Some(c.region.as_str()), None),
        }
    }

    fn execute(&self) -> Result<(), crate::error::Error> {
        match self {
            Job::Run(c) => pipeline::execute(c).map(|_| ()),
            Job::Rebase(c) => crate::rebase::execute(c).map(|_| ()),
        }
    }
}

impl Scratch {
    fn path(&self) -> &Path {
        match self {
            Scratch::Temp(t) => t.path(),
            Scratch::Kept(p) => p,
        }
    }
}

fn is_bare_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', ':'])
        && Path::new(name).file_name().is_some()
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every recorded input, the roster and the policy file whose bytes are not the recorded
/// ones, as lines naming each.
fn changed_inputs(m: &Manifest) -> Vec<Message> {
    let mut files: Vec<(&FileHash, Option<&'static str>)> =
        m.inputs.iter().map(|f| (f, None)).collect();
    if let Some(r) = &m.roster {
        files.push((r, Some("verify_role_roster")));
    }
    if let Some(p) = m.policy.as_ref().and_then(|p| p.file.as_ref()) {
        files.push((p, Some("verify_role_policy")));
    }
    files.extend(m.layouts.iter().map(|l| (l, Some("verify_role_layout"))));
    let mut out = Vec::new();
    for (rec, role) in files {
        let line = |key: &'static str| {
            let m = Message::new(key).arg("file", &rec.path);
            match role {
                Some(r) => m.arg_by("role", |l| Message::new(r).render(l)),
                None => m.arg("role", ""),
            }
        };
        match manifest::hash_file(&rec.fs_path()) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, bytes)) => {
                let policy = role == Some("verify_role_policy");
                out.push(
                    line("verify_input_changed")
                        .arg("sha", short(&sha))
                        .arg("recorded", short(&rec.sha256))
                        .arg("bytes", bytes)
                        .arg("recorded_bytes", rec.bytes)
                        .arg_by("policy", |l| {
                            if policy {
                                Message::new("verify_policy_gone").render(l)
                            } else {
                                String::new()
                            }
                        }),
                );
            }
            Err(e) if manifest::is_not_regular(&e) => out.push(line("verify_input_not_regular")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push(line("verify_input_missing"))
            }
            Err(e) => out.push(line("verify_input_unreadable").arg("reason", e)),
        }
    }
    out
}

fn cause(difference: Message) -> Message {
    Message::new("verify_cause").arg_by("difference", move |l| difference.render(l))
}

/// When the policy in force now is not the recorded one, what differs: the digest and
/// which sources changed; `None` when it is the same.
fn policy_difference(
    m: &Manifest,
    digest: &str,
    sources: &[crate::policy::PolicySource],
) -> Option<Message> {
    let rec = m.policy.as_ref()?;
    if rec.digest == digest {
        return None;
    }
    let recorded: BTreeMap<&str, &PolicySource> =
        rec.sources.iter().map(|s| (s.name.as_str(), s)).collect();
    let now: BTreeMap<&str, &str> = sources
        .iter()
        .map(|s| (s.name.as_str(), s.sha256.as_str()))
        .collect();
    let mut parts = Vec::new();
    for (name, sha) in &now {
        match recorded.get(name) {
            Some(r) if r.sha256 == *sha => {}
            Some(_) => parts.push(Message::new("verify_source_changed").arg("name", name)),
            None => parts.push(Message::new("verify_source_added").arg("name", name)),
        }
    }
    for name in recorded.keys().filter(|n| !now.contains_key(*n)) {
        parts.push(Message::new("verify_source_removed").arg("name", name));
    }
    if parts.is_empty() {
        // Same sources in another order: layering order is part of the policy.
        parts.push(Message::new("verify_sources_reordered"));
    }
    Some(
        Message::new("verify_policy_differs")
            .arg("digest", short(digest))
            .arg("recorded", short(&rec.digest))
            .arg_by("parts", |l| {
                let v: Vec<String> = parts.iter().map(|p| p.render(l)).collect();
                v.join(crate::text::heading("clause_separator", l))
            }),
    )
}

fn version_note(m: &Manifest) -> Option<Message> {
    let ours = env!("CARGO_PKG_VERSION");
    (m.version != ours).then(|| {
        Message::new("verify_version")
            .arg("theirs", &m.version)
            .arg("ours", ours)
    })
}

/// Outputs the re-run's own manifest records that the verified one does not.
fn extra_outputs(m: &Manifest, dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(crate::output::MANIFEST)) else {
        return Vec::new();
    };
    let Ok(rerun) = Manifest::from_json(&text) else {
        return Vec::new();
    };
    rerun
        .outputs
        .into_iter()
        .map(|o| o.path)
        .filter(|p| !m.outputs.iter().any(|r| &r.path == p))
        .collect()
}

fn ok_line(m: &Manifest, shown: &str, absent: usize) -> Message {
    let n = m.inputs.len();
    let k = m.outputs.len();
    let beside = k - absent;
    let part = |on: bool, key: &'static str| {
        move |l: Lang| {
            if on {
                Message::new(key).render(l)
            } else {
                String::new()
            }
        }
    };
    Message::new("verify_ok")
        .arg("shown", shown)
        .arg("n", n)
        .arg_by(
            "files",
            part(
                true,
                if n == 1 {
                    "verify_file"
                } else {
                    "verify_files"
                },
            ),
        )
        .arg_by("roster", part(m.roster.is_some(), "verify_and_roster"))
        .arg_by(
            "policy",
            part(
                m.policy.as_ref().is_some_and(|p| p.file.is_some()),
                "verify_and_policy",
            ),
        )
        .arg("k", k)
        .arg_by("beside", move |l| {
            if beside > 0 {
                Message::new("verify_beside_match")
                    .arg("n", beside)
                    .render(l)
            } else {
                String::new()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_must_be_plain() {
        for ok in ["errors.csv", "summary.json", "提交.csv"] {
            assert!(is_bare_name(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../x.csv",
            "/etc/passwd",
            "a/b.csv",
            "a\\b",
            "C:x",
        ] {
            assert!(!is_bare_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_missing_or_broken_manifest_cannot_be_verified() {
        let dir = tempfile::tempdir().unwrap();
        let missing = verify(&VerifyOptions {
            manifest: dir.path().join("manifest.json"),
            out: None,
            jobs: Some(1),
        });
        assert_eq!(missing.exit, Exit::CannotRun);
        assert!(missing.render(Lang::En)[0].contains("manifest.json"));
        let p = dir.path().join("m.json");
        std::fs::write(&p, "{\"tool\": 1}").unwrap();
        let broken = verify(&VerifyOptions {
            manifest: p,
            out: None,
            jobs: Some(1),
        });
        assert_eq!(broken.exit, Exit::CannotRun);
        let zh = broken.render(Lang::Zh);
        assert!(zh[0].contains("m.json") && zh[0].contains("不是"), "{zh:?}");
    }

    #[test]
    fn a_changed_policy_names_the_changed_source() {
        let src = |name: &str, sha: &str| PolicySource {
            name: name.into(),
            sha256: sha.into(),
        };
        let m = Manifest {
            tool: "headcount".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            command: "run".into(),
            arguments: BTreeMap::new(),
            aliases: BTreeMap::new(),
            policy: Some(manifest::PolicyRecord {
                digest: "aaaa".into(),
                file: None,
                sources: vec![src("embedded:beijing.toml", "1"), src("old.toml", "2")],
            }),
            inputs: Vec::new(),
            layouts: Vec::new(),
            roster: None,
            outputs: Vec::new(),
        };
        let now = |name: &str, sha: &str| crate::policy::PolicySource {
            name: name.into(),
            sha256: sha.into(),
            kind: crate::policy::SourceKind::Embedded,
        };
        assert!(policy_difference(&m, "aaaa", &[]).is_none());
        let l = policy_difference(
            &m,
            "bbbb",
            &[now("embedded:beijing.toml", "9"), now("new.toml", "3")],
        )
        .unwrap()
        .render(Lang::En);
        assert!(l.contains("embedded:beijing.toml changed"), "{l}");
        assert!(l.contains("new.toml added"), "{l}");
        assert!(l.contains("old.toml removed"), "{l}");
    }
}
