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

pub struct VerifyOptions {
    pub manifest: PathBuf,
    /// Keep the re-run's outputs here (for diffing) instead of a temporary folder.
    pub out: Option<PathBuf>,
    pub jobs: Option<usize>,
    pub lang: Lang,
}

/// What verify found: the exit code and the lines to show, first line first.
pub struct Verdict {
    pub exit: Exit,
    pub lines: Vec<String>,
}

impl Verdict {
    fn cannot(lines: Vec<String>) -> Verdict {
        Verdict {
            exit: Exit::CannotRun,
            lines,
        }
    }
}

/// A message in the user's language.
fn tr(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Enough of a digest to tell two apart on screen.
fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

pub fn verify(opts: &VerifyOptions) -> Verdict {
    let lang = opts.lang;
    // The manifest as the user named it (not relativised: it is only shown, not recorded).
    let shown = opts.manifest.to_string_lossy().replace('\\', "/");
    let text = match read_manifest(&opts.manifest) {
        Ok(t) => t,
        Err(e) => {
            return Verdict::cannot(vec![tr(
                lang,
                format!("无法读取 {shown}：{e}"),
                format!("cannot read {shown}: {e}"),
            )])
        }
    };
    let m = match Manifest::from_json(&text) {
        Ok(m) => m,
        Err(e) => {
            return Verdict::cannot(vec![tr(
                lang,
                format!("{shown} 不是 headcount 的 manifest.json：{e}"),
                format!("{shown} is not a headcount manifest.json: {e}"),
            )])
        }
    };
    // Output names are bare file names; anything else is not ours and is not followed.
    if let Some(bad) = m.outputs.iter().find(|o| !is_bare_name(&o.path)) {
        return Verdict::cannot(vec![tr(
            lang,
            format!("{shown} 记录的输出名 `{}` 不是单纯的文件名", bad.path),
            format!(
                "{shown} records the output `{}`, which is not a plain file name",
                bad.path
            ),
        )]);
    }
    let beside = opts
        .manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();

    // A commit that a crash interrupted leaves a mix of old and new outputs.
    if let Some(p) = crate::output::atomic::partial_commit(&beside) {
        return Verdict::cannot(vec![
            tr(
                lang,
                format!("无法核验 {shown}：{}", p.message(lang)),
                format!("cannot verify {shown}: {}", p.message(lang)),
            ),
            tr(
                lang,
                "  重新运行该月份即可修复该文件夹".into(),
                "  run the month again to repair the folder".into(),
            ),
        ]);
    }

    // Everything the re-run needs must be in the manifest, before anything is re-read.
    let mut cfg = match Job::from_manifest(&m, opts.jobs) {
        Ok(c) => c,
        Err(e) => return Verdict::cannot(vec![format!("{shown}: {e}")]),
    };

    // 1. The inputs must be the ones recorded.
    let changed = changed_inputs(&m, lang);
    if !changed.is_empty() {
        let mut lines = vec![tr(
            lang,
            format!("无法核验 {shown}：以下输入与记录不同（路径相对于当前目录）"),
            format!(
                "cannot verify {shown}: these inputs are not the ones recorded (paths are relative to the current directory)"
            ),
        )];
        lines.extend(changed.into_iter().map(|l| format!("  {l}")));
        return Verdict::cannot(lines);
    }

    // 2. Re-run into a scratch folder (or the one asked for).
    let scratch = match &opts.out {
        Some(dir) => {
            if same_dir(dir, &beside) {
                return Verdict::cannot(vec![tr(
                    lang,
                    format!("--out 不能是 {shown} 所在的文件夹：重新运行会覆盖要核验的输出"),
                    format!(
                        "--out must not be the folder of {shown}: the re-run would overwrite the outputs being verified"
                    ),
                )]);
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
            Err(e) => {
                return Verdict::cannot(vec![tr(
                    lang,
                    format!("无法创建临时文件夹：{e}"),
                    format!("cannot create a temporary folder: {e}"),
                )])
            }
        },
    };
    cfg.set_out(scratch.path().to_path_buf());
    // The policy file is used from the bytes whose hash was just checked, never re-read.
    let _policy_copy = match pin_policy(&m, cfg.policy_mut()) {
        Ok(copy) => copy,
        Err(e) => {
            return Verdict::cannot(vec![tr(
                lang,
                format!("无法核验 {shown}：政策文件与记录不同或无法读取（{e}）"),
                format!("cannot verify {shown}: the policy file is not the one recorded or cannot be read ({e})"),
            )])
        }
    };
    let (policy_file, region, injury_rate) = cfg.policy_inputs();
    let policy_cause = match pipeline::load_policy(policy_file, region, injury_rate) {
        Ok(set) => policy_difference(&m, &set.digest(), &set.sources(), lang),
        Err(e) => {
            let mut lines = vec![tr(
                lang,
                format!(
                    "无法核验 {shown}：政策无法加载：{}",
                    crate::error::message(&e, lang)
                ),
                format!(
                    "cannot verify {shown}: the policy does not load: {}",
                    crate::error::message(&e, lang)
                ),
            )];
            lines.extend(version_note(&m, lang));
            return Verdict::cannot(lines);
        }
    };
    let rerun = cfg.execute();
    crate::interrupt::uncommitted();
    if let Err(e) = rerun {
        let mut lines = vec![tr(
            lang,
            format!(
                "无法核验 {shown}：重新运行失败：{}",
                crate::error::message(&e, lang)
            ),
            format!(
                "cannot verify {shown}: the re-run failed: {}",
                crate::error::message(&e, lang)
            ),
        )];
        lines.extend(policy_cause.as_deref().map(|d| cause(d, lang)));
        lines.extend(version_note(&m, lang));
        return Verdict::cannot(lines);
    }

    // 3. Compare: the re-run against the record, and the files beside the manifest too.
    let mut differ = Vec::new();
    let mut rerun_differs = false;
    let mut absent_beside = Vec::new();
    for rec in &m.outputs {
        match manifest::hash_file(&scratch.path().join(&rec.path)) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, _)) => {
                rerun_differs = true;
                differ.push(tr(
                    lang,
                    format!(
                        "{}：重新运行的结果不同（sha256 {}…，记录为 {}…）",
                        rec.path,
                        short(&sha),
                        short(&rec.sha256)
                    ),
                    format!(
                        "{}: the re-run gives other bytes (sha256 {}…, recorded {}…)",
                        rec.path,
                        short(&sha),
                        short(&rec.sha256)
                    ),
                ));
            }
            Err(_) => {
                rerun_differs = true;
                differ.push(tr(
                    lang,
                    format!("{}：重新运行没有写出这个文件", rec.path),
                    format!("{}: the re-run did not write it", rec.path),
                ));
            }
        }
        match manifest::hash_file(&beside.join(&rec.path)) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, _)) => differ.push(tr(
                lang,
                format!(
                    "{}：清单旁的文件在运行后被改动过（sha256 {}…，记录为 {}…）",
                    rec.path,
                    short(&sha),
                    short(&rec.sha256)
                ),
                format!(
                    "{}: the file beside the manifest was changed after the run (sha256 {}…, recorded {}…)",
                    rec.path,
                    short(&sha),
                    short(&rec.sha256)
                ),
            )),
            Err(_) => absent_beside.push(rec.path.clone()),
        }
    }
    // A headcount output the manifest does not list belongs to another run.
    let mut listed: Vec<String> = m.outputs.iter().map(|o| o.path.clone()).collect();
    listed.push(crate::output::MANIFEST.to_string());
    for name in crate::output::leftovers::strays(&beside, &listed) {
        differ.push(tr(
            lang,
            format!("{name}：清单旁有这个 headcount 输出，但清单没有记录它（来自另一次运行）"),
            format!("{name}: a headcount output beside the manifest that the manifest does not list (from another run)"),
        ));
    }
    let extra = extra_outputs(&m, scratch.path());

    let mut lines = Vec::new();
    let exit = if differ.is_empty() {
        lines.push(ok_line(&m, &shown, absent_beside.len(), lang));
        Exit::Clean
    } else {
        lines.push(tr(
            lang,
            format!("输出与 {shown} 不一致："),
            format!("outputs differ from {shown}:"),
        ));
        lines.extend(differ.into_iter().map(|l| format!("  {l}")));
        if rerun_differs && policy_cause.is_none() && m.version == env!("CARGO_PKG_VERSION") {
            lines.push(tr(
                lang,
                "输入和政策都与记录一致：差异来自程序本身或被改动过的清单".into(),
                "the inputs and the policy are the ones recorded: the difference comes from headcount itself or from an edited manifest".into(),
            ));
        }
        lines.extend(policy_cause.as_deref().map(|d| cause(d, lang)));
        Exit::Rejected
    };
    if exit == Exit::Clean {
        if let Some(d) = &policy_cause {
            lines.push(tr(
                lang,
                format!("注意：{d}；但输出完全一致"),
                format!("note: {d}; the outputs are identical all the same"),
            ));
        }
    }
    lines.extend(version_note(&m, lang));
    if !absent_beside.is_empty() {
        lines.push(tr(
            lang,
            format!(
                "注意：清单旁没有 {}，只比较了重新运行的结果",
                absent_beside.join("、")
            ),
            format!(
                "note: {} not beside the manifest, so only the re-run was compared",
                absent_beside.join(", ")
            ),
        ));
    }
    if !extra.is_empty() {
        lines.push(tr(
            lang,
            format!("注意：重新运行还写出了清单未记录的 {}", extra.join("、")),
            format!(
                "note: the re-run also writes {}, which the manifest does not record",
                extra.join(", ")
            ),
        ));
    }
    if let Scratch::Kept(dir) = &scratch {
        lines.push(tr(
            lang,
            format!("重新运行的输出在 {}", audit::shown_path(dir)),
            format!("the re-run's outputs are in {}", audit::shown_path(dir)),
        ));
    }
    Verdict { exit, lines }
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
    fn from_manifest(m: &Manifest, jobs: Option<usize>) -> Result<Job, String> {
        if m.tool == "headcount" && m.command == "rebase" {
            return crate::rebase::audit::config_from_manifest(m, PathBuf::new(), jobs)
                .map(|c| Job::Rebase(Box::new(c)));
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
fn changed_inputs(m: &Manifest, lang: Lang) -> Vec<String> {
    let mut files: Vec<(&FileHash, Option<(&str, &str)>)> =
        m.inputs.iter().map(|f| (f, None)).collect();
    if let Some(r) = &m.roster {
        files.push((r, Some(("参保名册", "roster"))));
    }
    if let Some(p) = m.policy.as_ref().and_then(|p| p.file.as_ref()) {
        files.push((p, Some(("政策文件", "policy file"))));
    }
    files.extend(
        m.layouts
            .iter()
            .map(|l| (l, Some(("版式文件", "layout file")))),
    );
    let mut out = Vec::new();
    for (rec, role) in files {
        let (zh_role, en_role) = match role {
            Some((zh, en)) => (format!("（{zh}）"), format!(" ({en})")),
            None => (String::new(), String::new()),
        };
        match manifest::hash_file(&rec.fs_path()) {
            Ok((sha, bytes)) if sha == rec.sha256 && bytes == rec.bytes => {}
            Ok((sha, bytes)) => {
                let policy = role.is_some_and(|(_, en)| en == "policy file");
                out.push(tr(
                    lang,
                    format!(
                        "{}{zh_role}：运行后已改动（sha256 {}…，记录为 {}…；{bytes} 字节，记录为 {}）{}",
                        rec.path,
                        short(&sha),
                        short(&rec.sha256),
                        rec.bytes,
                        if policy { "：所用政策已不是记录的那一份" } else { "" }
                    ),
                    format!(
                        "{}{en_role}: changed since the run (sha256 {}…, recorded {}…; {bytes} bytes, recorded {}){}",
                        rec.path,
                        short(&sha),
                        short(&rec.sha256),
                        rec.bytes,
                        if policy { ": the policy is no longer the one recorded" } else { "" }
                    ),
                ));
            }
            Err(e) if manifest::is_not_regular(&e) => out.push(tr(
                lang,
                format!(
                    "{}{zh_role}：不是普通文件（设备、管道或文件夹），不予读取",
                    rec.path
                ),
                format!(
                    "{}{en_role}: not a regular file (a device, pipe or folder), not read",
                    rec.path
                ),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push(tr(
                lang,
                format!("{}{zh_role}：找不到该文件", rec.path),
                format!("{}{en_role}: missing", rec.path),
            )),
            Err(e) => out.push(tr(
                lang,
                format!("{}{zh_role}：无法读取（{e}）", rec.path),
                format!("{}{en_role}: cannot be read ({e})", rec.path),
            )),
        }
    }
    out
}

fn cause(difference: &str, lang: Lang) -> String {
    tr(
        lang,
        format!("原因：{difference}"),
        format!("cause: {difference}"),
    )
}

/// When the policy in force now is not the recorded one, what differs: the digest and
/// which sources changed; `None` when it is the same.
fn policy_difference(
    m: &Manifest,
    digest: &str,
    sources: &[crate::policy::PolicySource],
    lang: Lang,
) -> Option<String> {
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
            Some(_) => parts.push(tr(
                lang,
                format!("{name} 已改动"),
                format!("{name} changed"),
            )),
            None => parts.push(tr(lang, format!("新增 {name}"), format!("{name} added"))),
        }
    }
    for name in recorded.keys().filter(|n| !now.contains_key(*n)) {
        parts.push(tr(lang, format!("少了 {name}"), format!("{name} removed")));
    }
    if parts.is_empty() {
        // Same sources in another order: layering order is part of the policy.
        parts.push(tr(
            lang,
            "来源的叠加顺序不同".into(),
            "the sources are layered in another order".into(),
        ));
    }
    Some(tr(
        lang,
        format!(
            "所用政策不是记录的那一份（摘要 {}…，记录为 {}…）：{}",
            short(digest),
            short(&rec.digest),
            parts.join("；")
        ),
        format!(
            "the policy is not the one recorded (digest {}…, recorded {}…): {}",
            short(digest),
            short(&rec.digest),
            parts.join("; ")
        ),
    ))
}

fn version_note(m: &Manifest, lang: Lang) -> Vec<String> {
    let ours = env!("CARGO_PKG_VERSION");
    if m.version == ours {
        return Vec::new();
    }
    vec![tr(
        lang,
        format!(
            "注意：清单由 headcount {} 写出，当前是 {ours}；summary.json 记有版本号，新版本的内置政策和计算也可能不同",
            m.version
        ),
        format!(
            "note: the manifest was written by headcount {}, this is {ours}; summary.json names the version, and another version may embed other policy tables or compute differently",
            m.version
        ),
    )]
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

fn ok_line(m: &Manifest, shown: &str, absent: usize, lang: Lang) -> String {
    let n = m.inputs.len();
    let k = m.outputs.len();
    let roster = m.roster.is_some();
    let policy = m.policy.as_ref().is_some_and(|p| p.file.is_some());
    let beside = k - absent;
    tr(
        lang,
        format!(
            "核验通过 {shown}：{n} 个输入文件{}{}未改动；重新运行的 {k} 个输出与记录逐字节一致{}",
            if roster { "、参保名册" } else { "" },
            if policy { "、政策文件" } else { "" },
            if beside > 0 {
                format!("；清单旁的 {beside} 个输出也一致")
            } else {
                String::new()
            }
        ),
        format!(
            "verified {shown}: {n} input file{}{}{} unchanged; the re-run reproduced all {k} outputs byte for byte{}",
            if n == 1 { "" } else { "s" },
            if roster { ", the roster" } else { "" },
            if policy { ", the policy file" } else { "" },
            if beside > 0 {
                format!("; the {beside} outputs beside the manifest match")
            } else {
                String::new()
            }
        ),
    )
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
            lang: Lang::En,
        });
        assert_eq!(missing.exit, Exit::CannotRun);
        assert!(missing.lines[0].contains("manifest.json"));
        let p = dir.path().join("m.json");
        std::fs::write(&p, "{\"tool\": 1}").unwrap();
        let broken = verify(&VerifyOptions {
            manifest: p,
            out: None,
            jobs: Some(1),
            lang: Lang::Zh,
        });
        assert_eq!(broken.exit, Exit::CannotRun);
        assert!(broken.lines[0].contains("m.json"), "{:?}", broken.lines);
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
        assert!(policy_difference(&m, "aaaa", &[], Lang::En).is_none());
        let l = policy_difference(
            &m,
            "bbbb",
            &[now("embedded:beijing.toml", "9"), now("new.toml", "3")],
            Lang::En,
        )
        .unwrap();
        assert!(l.contains("embedded:beijing.toml changed"), "{l}");
        assert!(l.contains("new.toml added"), "{l}");
        assert!(l.contains("old.toml removed"), "{l}");
    }
}
