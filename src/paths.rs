//! Paths as headcount records and shows them: as given, with `/` separators, and relative
//! to the working directory when absolute, so a manifest names the same files on another
//! machine. Used by the outputs, the pipeline and `verify` alike.

use std::path::{Component, Path, PathBuf};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
