//! `--help` of every command, and command-line errors, in Chinese (the default) and in
//! English (`--lang en`), pinned as snapshots (issue 16). The texts come from
//! src/cli_text.toml: changing one changes a snapshot here.

use std::process::{Command, Output};

/// Runs headcount in an empty folder (no headcount.toml) at a fixed terminal width.
fn headcount(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(args)
        .current_dir(dir.path())
        .env("COLUMNS", "100")
        .env("LINES", "40")
        .output()
        .expect("run headcount")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const COMMANDS: &[&[&str]] = &[
    &[],
    &["run"],
    &["check"],
    &["verify"],
    &["inspect"],
    &["rebase"],
    &["rules"],
    &["policy"],
    &["policy", "check"],
    &["policy", "confirm"],
    &["reconcile"],
];

fn help(lang: Option<&str>) {
    for path in COMMANDS {
        let mut args: Vec<&str> = path.to_vec();
        args.push("--help");
        if let Some(l) = lang {
            args.extend(["--lang", l]);
        }
        let o = headcount(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o.stderr));
        let name = format!(
            "help_{}_{}",
            lang.unwrap_or("zh"),
            if path.is_empty() {
                "headcount".to_string()
            } else {
                path.join("_")
            }
        );
        insta::assert_snapshot!(name, text(&o.stdout));
    }
}

#[test]
fn help_is_chinese_by_default() {
    help(None);
    // Nothing of clap's English frame is left.
    let o = headcount(&["run", "--help"]);
    let out = text(&o.stdout);
    for english in [
        "Usage",
        "Options",
        "Arguments",
        "Print help",
        "[default",
        "[possible",
    ] {
        assert!(!out.contains(english), "`{english}` in:\n{out}");
    }
}

#[test]
fn help_is_english_with_lang_en() {
    help(Some("en"));
    // The flag counts wherever it stands, `--lang=en` too, even before the command.
    let after = headcount(&["check", "--help", "--lang", "en"]);
    for args in [
        &["--lang=en", "check", "--help"][..],
        &["--lang", "en", "check", "--help"],
        &["check", "--lang=en", "--help"],
    ] {
        let o = headcount(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert_eq!(text(&o.stdout), text(&after.stdout), "{args:?}");
    }
    assert!(text(&after.stdout).contains("Options:"));
}

#[test]
fn help_follows_the_language_of_headcount_toml() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("headcount.toml"), "lang = \"en\"\n").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(["run", "--help"])
        .current_dir(dir.path())
        .output()
        .expect("run headcount");
    assert!(text(&o.stdout).contains("Usage:"), "{}", text(&o.stdout));
}

fn error(name: &str, args: &[&str]) {
    let o = headcount(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}");
    assert!(o.stdout.is_empty(), "{args:?}");
    let err = text(&o.stderr);
    // clap's own words and Rust's Debug formatting never reach the user.
    for internal in [
        "error:",
        "Usage",
        "For more information",
        "tip:",
        "Some(",
        "\"--",
    ] {
        assert!(!err.contains(internal), "`{internal}` in:\n{err}");
    }
    insta::assert_snapshot!(name, err);
}

#[test]
fn option_errors_in_chinese_by_default_and_english_with_lang_en() {
    error(
        "error_zh_unknown_option",
        &["run", "--perod", "2025-07", "a.csv"],
    );
    error(
        "error_en_unknown_option",
        &["run", "--perod", "2025-07", "a.csv", "--lang", "en"],
    );
    error("error_zh_bad_value", &["check", "--format", "xml", "a.csv"]);
    error(
        "error_en_bad_value",
        &["--lang", "en", "check", "--format", "xml", "a.csv"],
    );
    error("error_zh_missing_value", &["run", "a.csv", "--out"]);
    error(
        "error_en_missing_value",
        &["run", "a.csv", "--lang=en", "--out"],
    );
    error("error_zh_not_a_number", &["run", "a.csv", "--jobs", "many"]);
    error(
        "error_zh_missing_required",
        &["rebase", "--roster", "r.csv"],
    );
    error("error_zh_unknown_command", &["chek"]);
    error("error_en_unknown_command", &["chek", "--lang", "en"]);
}
