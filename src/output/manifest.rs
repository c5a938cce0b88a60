//! `manifest.json`: what produced this output folder — tool version, the arguments that
//! matter, the policy digest, and the SHA-256 of every input and output. No wall-clock
//! time and no absolute path, so a re-run gives the same bytes.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::Error;
use crate::input::InputError;
use crate::output::atomic::Staged;
use crate::output::{self, manifest};
use crate::policy::PolicySet;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FileHash {
    /// As given on the command line (inputs) or the file name (outputs), for people.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// The path's bytes in hex, when `path` does not name the file exactly (a file name
    /// that is not UTF-8, such as GBK, or one holding a backslash), so `verify` finds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
}

impl FileHash {
    /// The file as recorded: `path_hex` when present (and decodable), else `path`.
    pub fn fs_path(&self) -> PathBuf {
        self.path_hex
            .as_deref()
            .and_then(path_from_hex)
            .unwrap_or_else(|| PathBuf::from(&self.path))
    }
}

/// The hex form of a path's bytes when its display string would not name it exactly.
pub fn path_hex(path: &Path, shown: &str) -> Option<String> {
    if Path::new(shown) == path {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(hex(path.as_os_str().as_bytes()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn path_from_hex(h: &str) -> Option<PathBuf> {
    if h.len() % 2 != 0 {
        return None;
    }
    let bytes = (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(&bytes)))
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    pub name: String,
    pub sha256: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PolicyRecord {
    pub digest: String,
    /// The `--policy` file as given, so `verify` can re-read and re-hash it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileHash>,
    pub sources: Vec<PolicySource>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub command: String,
    pub arguments: BTreeMap<String, String>,
    /// Extra header texts from `headcount.toml`, by field: they decide which columns are read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, Vec<String>>,
    pub policy: Option<PolicyRecord>,
    pub inputs: Vec<FileHash>,
    /// The layout files read (`--layout`, `layouts` in headcount.toml), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layouts: Vec<FileHash>,
    pub roster: Option<FileHash>,
    pub outputs: Vec<FileHash>,
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a manifest written by `to_json`.
    pub fn from_json(text: &str) -> Result<Manifest, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// SHA-256 (hex) and size of a file, streamed. Only regular files: a FIFO or a device
/// (`/dev/zero`) named by a manifest would block or never end; the error's kind is
/// `InvalidInput` (see [`is_not_regular`]).
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut f = std::fs::File::open(path)?;
    // The path could have been swapped between the check and the open.
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&h.finalize()), total))
}

/// Whether `hash_file` refused a path because it is not a regular file.
pub fn is_not_regular(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::InvalidInput
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// The run's manifest, assembled from its configuration.

/// A path as shown in reports and the manifest (`pipeline::display`).
fn display(path: &Path) -> String {
    crate::paths::shown_path(path)
}

/// The hashes of the staged outputs among `names`, in that order (hashed once: the commit
/// marker reuses them). Shared by `run` and `rebase`.
pub fn staged_hashes<'a>(
    staged: &Staged,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<FileHash>, Error> {
    let mut outputs = Vec::new();
    for name in names {
        if let Some(h) = staged.hash(name) {
            let (sha256, bytes) = h.map_err(|e| Error::Input(InputError::unreadable(name, &e)))?;
            outputs.push(FileHash {
                path: name.to_string(),
                sha256,
                bytes,
                path_hex: None,
            });
        }
    }
    Ok(outputs)
}

/// The manifest of a `run`: the arguments that matter, the policy, and the hashes of its
/// inputs and staged outputs.
pub fn for_run(cfg: &Config, policy: &PolicySet, staged: &Staged) -> Result<Manifest, Error> {
    let hash = |path: &Path, shown: String| -> Result<FileHash, Error> {
        let (sha256, bytes) = manifest::hash_file(path)
            .map_err(|e| Error::Input(InputError::unreadable(&shown, &e)))?;
        Ok(FileHash {
            path: shown,
            sha256,
            bytes,
            path_hex: None,
        })
    };
    // Inputs are recorded losslessly: the shown path, plus its bytes when it differs.
    let input = |path: &Path| -> Result<FileHash, Error> {
        let mut f = hash(path, display(path))?;
        f.path_hex = manifest::path_hex(&crate::paths::recorded_path(path), &f.path);
        Ok(f)
    };
    // The recorded options and their forms are defined in the flag table.
    let arguments = crate::config::flags::recorded(cfg);
    let inputs = cfg
        .inputs
        .iter()
        .map(|p| input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let roster = cfg.roster.as_ref().map(|p| input(p)).transpose()?;
    let layouts = cfg
        .layouts
        .iter()
        .map(|p| input(p))
        .collect::<Result<Vec<_>, _>>()?;
    let names = output::RUN_OUTPUTS
        .into_iter()
        .filter(|n| *n != output::MANIFEST);
    let outputs = staged_hashes(staged, names)?;
    Ok(Manifest {
        tool: "headcount".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: cfg.command.id().into(),
        arguments,
        aliases: cfg.aliases.clone(),
        policy: Some(PolicyRecord {
            digest: policy.digest(),
            file: cfg.policy.as_ref().map(|p| input(p)).transpose()?,
            sources: policy
                .sources()
                .into_iter()
                .map(|s| output::manifest::PolicySource {
                    name: s.name,
                    sha256: s.sha256,
                })
                .collect(),
        }),
        inputs,
        layouts,
        roster,
        outputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_known_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        let (h, n) = hash_file(&p).unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_not_hashed() {
        for p in ["/dev/zero", "/dev/null", "/"] {
            let e = hash_file(Path::new(p)).unwrap_err();
            assert!(is_not_regular(&e), "{p}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_or_hold_a_backslash_round_trip() {
        use std::os::unix::ffi::OsStrExt;
        // 增减员 in GBK, and a backslash, which the shown form turns into `/`.
        let gbk = PathBuf::from(std::ffi::OsStr::from_bytes(
            &[&b"in/"[..], &[0xd4, 0xf6, 0xbc, 0xf5, 0xd4, 0xb1], b".csv"].concat(),
        ));
        for path in [gbk, PathBuf::from("a\\b.csv")] {
            let shown = path.to_string_lossy().replace('\\', "/");
            let h = path_hex(&path, &shown).expect("recorded losslessly");
            let f = FileHash {
                path: shown,
                sha256: String::new(),
                bytes: 0,
                path_hex: Some(h),
            };
            assert_eq!(f.fs_path(), path);
        }
        assert_eq!(path_hex(Path::new("a/b.csv"), "a/b.csv"), None);
    }
}
