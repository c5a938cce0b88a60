//! Outputs are staged as temporary files in the output folder and renamed into place only
//! when the whole run has succeeded, so an interrupted or failed run leaves the previous
//! outputs whole.
//!
//! The commit: every staged file is flushed to disk first; then a commit marker
//! (`.headcount-commit.json`, naming the run and every output's SHA-256) is written and
//! synced; then all files are renamed back to back and the folder is synced once; then the
//! marker is removed. A crash can only interrupt the renames (microseconds), and what it
//! leaves is detectable: the marker is still there, naming which files are new.
//!
//! Temporary files are named `.headcount-<pid>-<random>.<output>.tmp`. Only names of that
//! exact shape, for an output headcount writes, whose process is gone, are ever removed by
//! a later run.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tempfile::NamedTempFile;

use crate::error::Error;
use crate::interrupt;
use crate::output::manifest::{self, FileHash};

/// The marker of a commit in progress.
pub const COMMIT_MARKER: &str = ".headcount-commit.json";
const PREFIX: &str = ".headcount-";
/// Internal test hook: abort the process after this many renames (simulates a crash in
/// the middle of a commit; used by `tests/audit.rs`).
const ABORT_AFTER_RENAMES: &str = "HEADCOUNT_INTERNAL_ABORT_AFTER_RENAMES";

/// What the commit marker holds.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitMarker {
    /// `<pid>-<random>` of the run that was committing.
    pub run: String,
    pub outputs: Vec<FileHash>,
}

/// A folder where a commit was interrupted: the run, and which outputs are the new ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialCommit {
    pub run: String,
    /// Outputs already renamed into place (they match the marker).
    pub new: Vec<String>,
    /// Outputs of that run that never arrived (the files there are older, or missing).
    pub old: Vec<String>,
}

impl PartialCommit {
    pub fn message(&self, lang: crate::finding::Lang) -> String {
        let list = |v: &[String], sep: &str| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(sep)
            }
        };
        match lang {
            crate::finding::Lang::Zh => format!(
                "该文件夹保存的是运行 {} 未完成的提交：{} 是该次运行的新文件，{} 仍是更早的版本",
                self.run,
                list(&self.new, "、"),
                list(&self.old, "、")
            ),
            crate::finding::Lang::En => format!(
                "the folder holds a partial commit from run {}: {} are from that run, {} are older",
                self.run,
                list(&self.new, ", "),
                list(&self.old, ", ")
            ),
        }
    }
}

/// Reads the commit marker of `dir`, if a commit there was interrupted.
pub fn partial_commit(dir: &Path) -> Option<PartialCommit> {
    let text = std::fs::read_to_string(dir.join(COMMIT_MARKER)).ok()?;
    let marker: CommitMarker = serde_json::from_str(&text).ok()?;
    let (mut new, mut old) = (Vec::new(), Vec::new());
    for o in marker.outputs {
        let same = Path::new(&o.path).file_name().is_some()
            && !o.path.contains(['/', '\\'])
            && manifest::hash_file(&dir.join(&o.path))
                .is_ok_and(|(sha, bytes)| sha == o.sha256 && bytes == o.bytes);
        if same {
            new.push(o.path);
        } else {
            old.push(o.path);
        }
    }
    let run: String = marker
        .run
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    Some(PartialCommit { run, new, old })
}

pub struct Staged {
    dir: PathBuf,
    run: String,
    files: Vec<(NamedTempFile, PathBuf)>,
    previous: Option<PartialCommit>,
    /// Hashes of finished staged files (the manifest's), reused by the commit marker.
    hashes: std::cell::RefCell<std::collections::HashMap<PathBuf, (String, u64)>>,
}

impl Staged {
    pub fn new(dir: &Path) -> Result<Staged, Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        remove_stale(dir);
        let previous = partial_commit(dir);
        Ok(Staged {
            dir: dir.to_path_buf(),
            run: format!("{}-{}", std::process::id(), nonce()),
            files: Vec::new(),
            previous,
            hashes: Default::default(),
        })
    }

    /// A commit into this folder that a crash interrupted before this run started.
    pub fn interrupted_commit(&self) -> Option<&PartialCommit> {
        self.previous.as_ref()
    }

    fn temp(&self, name: &str) -> Result<NamedTempFile, Error> {
        let tmp = tempfile::Builder::new()
            .prefix(&format!("{PREFIX}{}-", std::process::id()))
            .suffix(&format!(".{name}.tmp"))
            .rand_bytes(6)
            .tempfile_in(&self.dir)
            .map_err(|source| Error::Write {
                path: self.dir.join(name),
                source,
            })?;
        interrupt::register(tmp.path());
        Ok(tmp)
    }

    /// A buffered writer to a temporary file that becomes `name` on commit.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, Error> {
        let dest = self.dir.join(name);
        let tmp = self.temp(name)?;
        // Temporary files are private (0600) while they are written; outputs are ordinary
        // files, made so just before the rename.
        let file = tmp.reopen().map_err(|source| Error::Write {
            path: dest.clone(),
            source,
        })?;
        self.files.push((tmp, dest));
        Ok(BufWriter::with_capacity(256 * 1024, file))
    }

    /// Drops a staged output before the commit (its temporary file is removed): an
    /// optional upload file that got no line.
    pub fn discard(&mut self, name: &str) {
        let dest = self.dir.join(name);
        self.files.retain(|(tmp, d)| {
            let keep = *d != dest;
            if !keep {
                interrupt::unregister(tmp.path());
            }
            keep
        });
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

    /// SHA-256 and size of a finished staged output (it must not be written to after),
    /// computed once; `None` when `name` is not staged.
    pub fn hash(&self, name: &str) -> Option<std::io::Result<(String, u64)>> {
        let path = self.staged_path(name)?.to_path_buf();
        if let Some(h) = self.hashes.borrow().get(&path) {
            return Some(Ok(h.clone()));
        }
        let h = manifest::hash_file(&path);
        if let Ok(h) = &h {
            self.hashes.borrow_mut().insert(path, h.clone());
        }
        Some(h)
    }

    /// Syncs every staged file, writes the commit marker, renames all, syncs the folder,
    /// removes the marker. Dropping without commit deletes the staged files.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, Error> {
        let werr = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        let mut outputs = Vec::with_capacity(self.files.len());
        for (tmp, dest) in &self.files {
            tmp.as_file().sync_all().map_err(werr(dest))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ =
                    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
            }
            let cached = self.hashes.borrow().get(tmp.path()).cloned();
            let (sha256, bytes) = match cached {
                Some(h) => h,
                None => manifest::hash_file(tmp.path()).map_err(werr(dest))?,
            };
            let name = dest
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            outputs.push(FileHash {
                path: name,
                sha256,
                bytes,
                path_hex: None,
            });
        }
        let marker = CommitMarker {
            run: self.run.clone(),
            outputs,
        };
        let marker_path = self.dir.join(COMMIT_MARKER);
        let mut m = self.temp("commit")?;
        let text = serde_json::to_string_pretty(&marker).unwrap_or_default();
        m.write_all(text.as_bytes())
            .and_then(|()| m.as_file().sync_all())
            .map_err(werr(&marker_path))?;
        let m_path = m.path().to_path_buf();
        m.persist(&marker_path)
            .map_err(|e| werr(&marker_path)(e.error))?;
        interrupt::unregister(&m_path);
        sync_dir(&self.dir).map_err(werr(&self.dir))?;

        // A signal waits for the renames (the handler takes the same lock).
        let abort_after = std::env::var(ABORT_AFTER_RENAMES)
            .ok()
            .and_then(|n| n.parse::<usize>().ok());
        let mut done = Vec::new();
        // Held until the marker is gone: a signal then finds a finished commit.
        let mut live = interrupt::live();
        for (i, (tmp, dest)) in std::mem::take(&mut self.files).into_iter().enumerate() {
            if abort_after == Some(i) {
                std::process::abort();
            }
            let path = tmp.path().to_path_buf();
            tmp.persist(&dest).map_err(|e| werr(&dest)(e.error))?;
            live.retain(|p| *p != path);
            done.push(dest);
        }
        interrupt::committed();
        sync_dir(&self.dir).map_err(werr(&self.dir))?;
        std::fs::remove_file(&marker_path).map_err(werr(&marker_path))?;
        sync_dir(&self.dir).map_err(werr(&self.dir))?;
        drop(live);
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.files {
            interrupt::unregister(tmp.path());
        }
        // The NamedTempFiles delete themselves as they drop.
    }
}

/// Makes the renames in `dir` durable (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// A short random-looking tag for the run (not security relevant: it only names the run).
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    format!("{:08x}", h.finish() as u32)
}

/// Removes staging files that a killed run (SIGKILL, power loss) could not clean up: only
/// names of our exact shape whose process is gone. Best effort: a file that cannot be
/// removed is left. Two runs must not share an output folder at once.
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let Some(pid) = name.to_str().and_then(staging_pid) else {
            continue;
        };
        if is_file && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The owning pid of `.headcount-<pid>-<6 alphanumerics>.<output>.tmp`, for the output
/// names headcount writes (and `commit`, the marker's own staging); `None` for any other
/// name.
fn staging_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix(PREFIX)?.strip_suffix(".tmp")?;
    let (pid, rest) = inner.split_once('-')?;
    if pid.is_empty() || pid.len() > 10 || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (random, output) = rest.split_once('.')?;
    let mut ours = super::RUN_OUTPUTS
        .iter()
        .chain(super::RECONCILE_OUTPUTS.iter())
        .chain(super::REBASE_OUTPUTS.iter())
        .chain(["commit"].iter());
    (random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(())
        .filter(|()| ours.any(|n| *n == output))?;
    pid.parse().ok()
}

/// Whether process `pid` still runs. Our own pid counts as alive. Where this cannot be
/// told (no /proc), only our own pid is alive: folders are not shared between runs.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    proc.join("self").exists() && proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A discarded output is neither committed nor left behind as a temporary file.
    #[test]
    fn a_discarded_output_is_not_committed() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Staged::new(dir.path()).unwrap();
        s.write("portal.backpay.xls", b"x").unwrap();
        s.write("summary.json", b"{}").unwrap();
        s.discard("portal.backpay.xls");
        assert!(s.staged_path("portal.backpay.xls").is_none());
        s.commit().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["summary.json"]);
    }

    #[test]
    fn nothing_lands_without_commit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("errors.csv"), "old").unwrap();
        {
            let mut s = Staged::new(dir.path()).unwrap();
            s.write("errors.csv", b"new").unwrap();
            assert!(!interrupt::live().is_empty());
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("errors.csv")).unwrap(),
            "old"
        );
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary files are removed");
        let mut s = Staged::new(dir.path()).unwrap();
        s.write("errors.csv", b"new").unwrap();
        s.write("summary.json", b"{}").unwrap();
        let staged = s.staged_path("errors.csv").unwrap().to_path_buf();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("errors.csv")).unwrap(),
            "new"
        );
        assert!(!interrupt::live().contains(&staged));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["errors.csv", "summary.json"], "no marker, no temp");
    }

    #[test]
    fn staging_names_are_ours_only_in_the_exact_shape() {
        assert_eq!(
            staging_pid(".headcount-123-Ab3xYz.errors.csv.tmp"),
            Some(123)
        );
        assert_eq!(staging_pid(".headcount-9-q1W2e3.commit.tmp"), Some(9));
        for other in [
            ".errors.csv.Ab3xYz.tmp",
            ".headcount-123-Ab3xYz.notes.csv.tmp",
            ".headcount-12a-Ab3xYz.errors.csv.tmp",
            ".headcount-123-Ab3x.errors.csv.tmp",
            ".headcount--Ab3xYz.errors.csv.tmp",
            ".headcount-123-Ab3xYz.errors.csv",
            "headcount-123-Ab3xYz.errors.csv.tmp",
        ] {
            assert_eq!(staging_pid(other), None, "{other}");
        }
    }

    #[test]
    fn temp_files_of_other_programs_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        // A pid that cannot be running (beyond Linux's pid_max).
        let dead = ".headcount-4999999-Ab3xYz.errors.csv.tmp";
        let alive = format!(".headcount-{}-Ab3xYz.summary.json.tmp", std::process::id());
        let keep = [
            "errors.csv",
            ".errors.csv",
            "notes.tmp",
            ".notes.txt.abc123.tmp",
            ".csv.abc123.tmp",
            ".errors.csv.Ab3xYz.tmp",
            ".summary.json.q1W2e3.tmp",
            ".headcount-4999999-Ab3xYz.notes.txt.tmp",
            alive.as_str(),
        ];
        for name in keep.iter().chain([dead].iter()) {
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
        if Path::new("/proc/self").exists() {
            assert_eq!(left, want);
        }
    }

    #[test]
    fn an_interrupted_commit_is_detected_by_its_marker() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("errors.csv"), "new").unwrap();
        std::fs::write(dir.path().join("summary.json"), "old").unwrap();
        let (sha, bytes) = manifest::hash_file(&dir.path().join("errors.csv")).unwrap();
        let marker = CommitMarker {
            run: "42-abc".into(),
            outputs: vec![
                FileHash {
                    path: "errors.csv".into(),
                    sha256: sha,
                    bytes,
                    path_hex: None,
                },
                FileHash {
                    path: "summary.json".into(),
                    sha256: "0".repeat(64),
                    bytes: 9,
                    path_hex: None,
                },
            ],
        };
        std::fs::write(
            dir.path().join(COMMIT_MARKER),
            serde_json::to_string(&marker).unwrap(),
        )
        .unwrap();
        let p = partial_commit(dir.path()).unwrap();
        assert_eq!(p.run, "42-abc");
        assert_eq!(p.new, ["errors.csv"]);
        assert_eq!(p.old, ["summary.json"]);
        assert!(p
            .message(crate::finding::Lang::En)
            .contains("partial commit from run 42-abc"));
        // The next commit replaces the marker and removes it.
        let mut s = Staged::new(dir.path()).unwrap();
        assert!(s.interrupted_commit().is_some());
        s.write("summary.json", b"new").unwrap();
        s.commit().unwrap();
        assert!(partial_commit(dir.path()).is_none());
    }
}
