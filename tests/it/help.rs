//! `--help` of every command, and command-line errors, in Chinese (the default) and in
//! English (`--lang en`), pinned as snapshots (issue 16). The texts come from
//! src/text.toml: changing one changes a snapshot here.

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

/// Runs headcount in a folder holding `headcount.toml` with `toml`, when given.
fn headcount_with(toml: Option<&str>, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    if let Some(t) = toml {
        std::fs::write(dir.path().join("headcount.toml"), t).expect("write");
    }
    Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(args)
        .current_dir(dir.path())
        .output()
        .expect("run headcount")
}

/// Program errors (exit 2 after the command line was read) carry their code once and
/// are worded in the user's language: Chinese by default, English with `--lang en`.
#[test]
fn program_errors_carry_their_code_once_in_the_users_language() {
    let cases: &[(&str, Option<&str>, &[&str])] = &[
        ("jobs_zero", None, &["run", "a.csv", "--jobs", "0"]),
        ("unknown_region", None, &["policy", "--region", "atlantis"]),
        (
            "no_coverage",
            None,
            &["policy", "--region", "beijing", "--period", "1990-01"],
        ),
        (
            "file_unknown_key",
            Some("colour = \"blue\"\n"),
            &["check", "a.csv"],
        ),
        (
            "file_bad_value",
            Some("jobs = \"four\"\n"),
            &["check", "a.csv"],
        ),
        ("bad_lang", None, &["rules", "--lang", "fr"]),
        // Reached after the command line is read: once English-only texts.
        (
            "run_unknown_region",
            None,
            &["run", "a.csv", "--region", "atlantis"],
        ),
        ("run_without_region", None, &["run", "a.csv"]),
        (
            "rebase_bad_year",
            None,
            &[
                "rebase", "--roster", "r.csv", "--wages", "w.csv", "--region", "beijing", "--year",
                "twenty",
            ],
        ),
    ];
    for (name, toml, args) in cases {
        for lang in ["zh", "en"] {
            let mut args = args.to_vec();
            if lang == "en" && *name != "bad_lang" {
                args.extend(["--lang", "en"]);
            }
            let o = headcount_with(*toml, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = text(&o.stderr);
            let code = err
                .split(['[', ']'])
                .nth(1)
                .unwrap_or_else(|| panic!("no [code] in {err}"));
            assert_eq!(err.matches(code).count(), 1, "code twice: {err}");
            if *name == "bad_lang" {
                insta::assert_snapshot!(format!("program_error_{name}"), err);
                break;
            }
            let chinese = err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert_eq!(chinese, lang == "zh", "{lang}: {err}");
            insta::assert_snapshot!(format!("program_error_{lang}_{name}"), err);
        }
    }
}

/// Every option that `headcount.toml` may hold is accepted there by the command that
/// reads it (the table says which; unit tests in src/config feed each key of run and
/// check): here `rebase` takes its roster and region from the file (issue 17).
#[test]
fn rebase_reads_headcount_toml() {
    let o = headcount_with(
        Some("region = \"atlantis\"\nroster = \"missing.csv\"\n"),
        &[
            "rebase", "--wages", "w.csv", "--year", "2026", "--lang", "en",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    // It got past "required": the roster from the file is the one it tried to read.
    assert!(
        err.contains("missing.csv") || err.contains("atlantis") || err.contains("w.csv"),
        "{err}"
    );
    let o = headcount_with(
        None,
        &[
            "rebase", "--wages", "w.csv", "--year", "2026", "--lang", "en",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--roster"), "{}", text(&o.stderr));
}

/// Each `headcount.toml` key of `check` (from the flag table) is accepted in the file by
/// the binary: no "unknown setting" (E013), no "wrong value" (E014), no invalid file (E012).
#[test]
fn every_headcount_toml_key_of_check_is_accepted() {
    let sample = |key: &str| -> &str {
        match key {
            "jobs" | "max-findings" => "2",
            "deny-warnings" | "quiet" | "no-mask" | "xlsx" => "true",
            "layouts" => "[\"my.toml\"]",
            "period" => "\"2025-08\"",
            "as-of" => "\"2025-08-20\"",
            "format" => "\"json\"",
            "lang" => "\"en\"",
            "encoding" | "csv-encoding" => "\"gb18030\"",
            "injury-rate" => "\"0.004\"",
            _ => "\"x\"",
        }
    };
    let mut keys = 0;
    for f in headcount::config::flags::of("check") {
        let Some(key) = f.file_key() else { continue };
        keys += 1;
        let o = headcount_with(
            Some(&format!("{key} = {}\n", sample(key))),
            &["check", "a.csv"],
        );
        let err = text(&o.stderr);
        for refused in ["[E012]", "[E013]", "[E014]"] {
            assert!(
                !err.contains(refused),
                "`{key}` refused in headcount.toml: {err}"
            );
        }
    }
    assert!(keys >= 18, "only {keys} keys");
}

/// `headcount … | head` closes the pipe before the text is written: help, listings and
/// reports end quietly (no panic, exit 0), as a pipeline expects.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    for args in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["rules"],
        vec!["policy"],
        vec!["inspect", "samples/2025-08_分公司.csv"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(crate::common::repo())
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    }
}
