//! `manifest.json`: what produced this output folder — tool version, the arguments that
//! matter, the policy digest, and the SHA-256 of every input and output. No wall-clock
//! time and no absolute path, so a re-run gives the same bytes.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct FileHash {
    /// As given on the command line (inputs) or the file name (outputs).
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
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

/// SHA-256 (hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
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

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
}
