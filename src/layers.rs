//! The module tree's layers, checked: a module may use its own layer and those below it,
//! never one above, so a type put in the wrong place fails a test instead of a review.
//! Modules not listed (`audit` and the commands `verify`, `rebase`, `reconcile`, `inspect`)
//! sit on top and may use anything; the layers may not use them. `config` is the run's
//! settings, read by the outputs and the pipeline, so it sits below them.
//! Test code is not checked: a test may build a whole run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. See docs/decisions.md ("The pipeline only runs stages").
const LAYERS: &[&[&str]] = &[
    &[
        "calendar", "model", "finding", "exit", "text", "paths", "fxhash",
    ],
    &["ids", "interrupt"],
    &["input", "policy"],
    &["rows"],
    &["rules"],
    &["contributions"],
    // Program errors word P002/P003 with their rules' messages.
    &["error", "panic_guard"],
    &["config"],
    &["output"],
    &["pipeline"],
];

/// Upward uses known and not yet undone: (module, what it uses, why). One that no longer
/// happens fails the test too, so the list shrinks as they are fixed.
const KNOWN: &[(&str, &str, &str)] = &[];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/input/csv.rs` → `input`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let first = rel.components().next().map_or(String::new(), |c| {
        c.as_os_str().to_string_lossy().into_owned()
    });
    first.trim_end_matches(".rs").to_string()
}

/// The non-test lines of a file that name `crate::x`, as the modules they name; and the
/// files it declares as test-only (`#[cfg(test)] mod x;`).
fn uses(file: &Path, text: &str) -> (BTreeSet<String>, Vec<PathBuf>) {
    let mut used = BTreeSet::new();
    let mut test_files = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim();
        if t == "#[cfg(test)]" {
            let next = lines.peek().map_or("", |l| l.trim());
            if let Some(name) = next.strip_prefix("mod ").and_then(|n| n.strip_suffix(';')) {
                let dir = file.parent().unwrap_or(Path::new("."));
                let stem = file.file_stem().map_or("", |s| s.to_str().unwrap_or(""));
                // `a.rs` declares `a/x.rs`; `mod.rs` and `lib.rs` declare `x.rs` beside them.
                let base = if matches!(stem, "mod" | "lib" | "main") {
                    dir.to_path_buf()
                } else {
                    dir.join(stem)
                };
                test_files.push(base.join(format!("{name}.rs")));
                test_files.push(base.join(name).join("mod.rs"));
                lines.next();
                continue;
            }
            if next.starts_with("mod ") {
                break; // the unit tests, at the end of the file
            }
        }
        if t.starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("crate::") {
            let name: String = line[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
        }
    }
    (used, test_files)
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    assert!(all.len() > 50, "the source tree was not found");
    let mut texts = Vec::new();
    let mut test_only = BTreeSet::new();
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let (used, tests) = uses(f, &text);
        test_only.extend(tests);
        texts.push((f.clone(), used));
    }
    let mut upward = BTreeSet::new();
    let mut seen_known = BTreeSet::new();
    for (f, used) in &texts {
        if test_only.contains(f) {
            continue;
        }
        let module = module_of(&src, f);
        let Some(own) = layer(&module) else { continue };
        for u in used {
            if *u == module || layer(u).is_some_and(|l| l <= own) {
                continue;
            }
            if KNOWN.iter().any(|(m, to, _)| *m == module && to == u) {
                seen_known.insert((module.clone(), u.clone()));
                continue;
            }
            upward.insert(format!(
                "{} ({module}) uses crate::{u}",
                f.strip_prefix(&src).unwrap_or(f).display()
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layers (see src/layers.rs):\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
    let undone: Vec<_> = KNOWN
        .iter()
        .filter(|(m, to, _)| !seen_known.contains(&(m.to_string(), to.to_string())))
        .map(|(m, to, _)| format!("{m} → {to}"))
        .collect();
    assert!(
        undone.is_empty(),
        "no longer happens, remove it from KNOWN: {undone:?}"
    );
}

#[test]
fn an_upward_use_is_seen() {
    let (used, _) = uses(
        Path::new("src/input/x.rs"),
        "use crate::output::Sources;\n// crate::rules in a comment\n#[cfg(test)]\nmod tests {\n use crate::pipeline;\n}\n",
    );
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["output"]);
    assert!(layer("output") > layer("input"));
}
