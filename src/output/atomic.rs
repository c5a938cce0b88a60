//! Outputs are staged as temporary files in the output folder and renamed into place only
//! when the whole run has succeeded, so an interrupted or failed run leaves the previous
//! outputs whole.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::Error;

pub struct Staged {
    dir: PathBuf,
    files: Vec<(NamedTempFile, PathBuf)>,
}

impl Staged {
    pub fn new(dir: &Path) -> Result<Staged, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        remove_stale(dir);
        Ok(Staged {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        })
    }

    /// A buffered writer to a temporary file that becomes `name` on commit.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, Error> {
        let dest = self.dir.join(name);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&self.dir)
            .map_err(|source| Error::Write {
                path: dest.clone(),
                source,
            })?;
        // Temporary files are private (0600); outputs are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
        }
        let file = tmp.reopen().map_err(|source| Error::Write {
            path: dest.clone(),
            source,
        })?;
        self.files.push((tmp, dest));
        Ok(BufWriter::with_capacity(256 * 1024, file))
    }

    /// Writes a whole small file.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let mut w = self.create(name)?;
        w.write_all(bytes)
            .and_then(|()| w.flush())
            .map_err(|source| Error::Write {
                path: self.dir.join(name),
                source,
            })
    }

    /// The staged (not yet committed) path of an output, for hashing before commit.
    pub fn staged_path(&self, name: &str) -> Option<&Path> {
        let dest = self.dir.join(name);
        self.files
            .iter()
            .find(|(_, d)| *d == dest)
            .map(|(t, _)| t.path())
    }

    /// Renames every staged file into place. Dropping without commit deletes them.
    pub fn commit(self) -> Result<Vec<PathBuf>, Error> {
        let mut done = Vec::new();
        for (tmp, dest) in self.files {
            tmp.as_file().sync_all().map_err(|source| Error::Write {
                path: dest.clone(),
                source,
            })?;
            tmp.persist(&dest).map_err(|e| Error::Write {
                path: dest.clone(),
                source: e.error,
            })?;
            done.push(dest);
        }
        Ok(done)
    }
}

/// Removes staging files that a killed run (SIGKILL, Ctrl-C, power loss) could not clean
/// up. Best effort: a file that cannot be removed is left. Two runs must not share an
/// output folder at once anyway, since their renames would interleave.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.to_str().is_some_and(is_staging_name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `.submission.csv.Ab3xYz.tmp`: our `.NAME.` prefix, tempfile's random part, `.tmp`.
fn is_staging_name(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((output, random)) = inner.rsplit_once('.') else {
        return false;
    };
    !random.is_empty()
        && random.bytes().all(|b| b.is_ascii_alphanumeric())
        && [".csv", ".json", ".xlsx"]
            .iter()
            .any(|ext| output.len() > ext.len() && output.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_lands_without_commit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "old").unwrap();
        {
            let mut s = Staged::new(dir.path()).unwrap();
            s.write("a.csv", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old"
        );
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files are removed");
        let mut s = Staged::new(dir.path()).unwrap();
        s.write("a.csv", b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "new"
        );
    }

    #[test]
    fn staging_files_of_a_killed_run_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let keep = [
            "errors.csv",
            ".errors.csv",
            "notes.tmp",
            ".notes.txt.abc123.tmp",
            ".csv.abc123.tmp",
        ];
        for name in keep
            .iter()
            .chain([".errors.csv.Ab3xYz.tmp", ".summary.json.q1W2e3.tmp"].iter())
        {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        Staged::new(dir.path()).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut want: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(left, want);
    }
}
