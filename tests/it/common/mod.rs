//! A small work-directory helper that runs the real `headcount` executable.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Work {
        Work {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, bytes).expect("write");
        p
    }

    pub fn read(&self, name: &str) -> String {
        read_text(self.path(name))
    }

    /// Runs headcount in the work directory with a fixed environment.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_headcount"))
            .args(args)
            .current_dir(self.dir.path())
            .env("TZ", "Asia/Shanghai")
            .output()
            .expect("run headcount")
    }
}

/// A file's text without the UTF-8 byte-order mark that CSV outputs start with by
/// default (`tests/it/excel_csv.rs` checks the mark itself), as a script reading it sees it.
pub fn read_text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The repository root (for samples/ and golden files).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// An 18-digit resident ID with a correct GB 11643 check character.
pub fn resident_id(body17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body17
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    let check = b"10X98765432"[(s % 11) as usize] as char;
    format!("{body17}{check}")
}

/// The README's main command on the sample month, without output options.
pub const SAMPLE_RUN: [&str; 11] = [
    "run",
    "samples/2025-08_增减员.xlsx",
    "samples/2025-08_分公司.csv",
    "--roster",
    "samples/roster.csv",
    "--region",
    "beijing",
    "--period",
    "2025-08",
    "--as-of",
    "2025-08-20",
];

/// Compares each output in `out` with `tests/golden/<set>/`, byte for byte; with
/// `UPDATE_GOLDEN` set, rewrites the golden files instead (review the diff). `set` is also
/// the test module whose tests regenerate them.
pub fn assert_golden(out: &Path, set: &str, names: &[&str]) {
    let golden = repo().join("tests/golden").join(set);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for name in names {
        let got = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = golden.join(name);
        if update {
            std::fs::create_dir_all(&golden).expect("mkdir");
            std::fs::write(&path, &got).expect("write");
            continue;
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            got == want,
            "{name} differs from tests/golden/{set}/{name}; if the change is intended, \
             run UPDATE_GOLDEN=1 cargo test --test it {set}:: and review the diff"
        );
    }
}
