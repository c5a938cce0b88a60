//! One run, one folder: after a run commits, the outputs headcount names that this run did
//! not write are removed, so the folder never mixes two runs (a `submission.xlsx` of last
//! run beside this run's CSVs). Only these names are touched, never any other file; and
//! `verify` fails on a named output that the manifest does not list.

use std::path::Path;

use crate::error::Error;

/// Every file a run may write, by name.
pub const NAMED: [&str; super::RUN_OUTPUTS.len()] = super::RUN_OUTPUTS;

/// Removes from `dir` the named outputs not in `written`; returns their names in
/// `NAMED` order. A folder, link or anything not a plain file under such a name is left.
pub fn remove_unwritten(dir: &Path, written: &[String]) -> Result<Vec<String>, Error> {
    let mut removed = Vec::new();
    for name in strays(dir, written) {
        let path = dir.join(&name);
        std::fs::remove_file(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        removed.push(name);
    }
    Ok(removed)
}

/// The named outputs in `dir` that are plain files and not in `listed`.
pub fn strays(dir: &Path, listed: &[String]) -> Vec<String> {
    NAMED
        .iter()
        .filter(|name| !listed.iter().any(|l| l == *name))
        .filter(|name| {
            std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.file_type().is_file())
        })
        .map(|name| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_named_outputs_not_written_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "submission.xlsx",
            "errors.csv",
            "notes.txt",
            "submission.csv",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("summary.json")).unwrap();
        let written = vec!["errors.csv".to_string(), "submission.csv".to_string()];
        assert_eq!(
            remove_unwritten(dir.path(), &written).unwrap(),
            ["submission.xlsx"]
        );
        assert!(!dir.path().join("submission.xlsx").exists());
        assert!(dir.path().join("notes.txt").exists(), "not ours");
        assert!(dir.path().join("errors.csv").exists(), "written");
        assert!(dir.path().join("summary.json").is_dir(), "not a file");
        assert!(strays(dir.path(), &written).is_empty());
    }
}
