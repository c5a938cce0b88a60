//! Audit reruns and CI use, through the real binary: the manifest, `verify`, byte-identical
//! outputs whatever the thread count, time zone or locale, `check` for CI, and outputs that
//! stay whole when a run fails or is killed.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use common::{code, repo, resident_id, stderr, Work};

const OUTPUTS: [&str; 7] = [
    "submission.csv",
    "errors.csv",
    "contributions.csv",
    "roster.next.csv",
    "summary.json",
    "report.html",
    "manifest.json",
];

const SAMPLES: [&str; 3] = [
    "samples/2025-08_增减员.xlsx",
    "samples/2025-08_分公司.csv",
    "samples/roster.csv",
];

/// The sample month's arguments (the README's command), before `--out`.
fn sample_run() -> Vec<&'static str> {
    let mut args = common::SAMPLE_RUN.to_vec();
    args.extend(["--employer", "91110000600037341L", "--xlsx", "--quiet"]);
    args
}

const HEADER: &str = "姓名,证件类型,证件号码,变动类型,性别,出生日期,入职日期,参保年月,缴费基数,离职日期,减员原因,人员类别,手机号码,统一社会信用代码";

/// A work directory holding a copy of the sample files (so tests may edit them).
fn with_samples() -> Work {
    let w = Work::new();
    for s in SAMPLES {
        let bytes = std::fs::read(repo().join(s)).expect("sample file");
        w.write(s, bytes);
    }
    w
}

fn run_samples(w: &Work, out: &str, extra: &[&str]) -> Output {
    let mut args: Vec<&str> = sample_run();
    args.extend(extra);
    args.extend(["--out", out]);
    w.run(&args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read_bytes(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

fn flip_byte(path: &Path, at_end: usize) {
    let mut b = std::fs::read(path).unwrap();
    let i = b.len() - at_end;
    b[i] ^= 0x01;
    std::fs::write(path, b).unwrap();
}

/// A clean addition row (a man born 1970..1999, hired 2025-08-04) whose ID is unique per `i`.
fn addition_row(i: usize, name: &str) -> String {
    let d = i / 1000;
    let (y, m, day) = (1970 + d / 336, (d / 28) % 12 + 1, d % 28 + 1);
    // Odd sequence numbers are men: no V018 warning about a woman's category.
    let seq = (i % 500) * 2 + 1;
    let id = resident_id(&format!("110105{y:04}{m:02}{day:02}{seq:03}"));
    format!(
        "{name},居民身份证,{id},增员,男,{y:04}-{m:02}-{day:02},2025-08-04,202508,12000,,,,13812345678,91110000600037341L"
    )
}

fn clean_csv(rows: usize) -> String {
    let mut s = String::with_capacity(rows * 130 + 200);
    s.push_str(HEADER);
    s.push('\n');
    for i in 0..rows {
        s.push_str(&addition_row(i, "张三"));
        s.push('\n');
    }
    s
}

fn run_args(out: &str) -> Vec<String> {
    [
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        out,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Every CSV output parses with a constant number of columns; every JSON output parses.
fn assert_outputs_parse(dir: &Path) {
    for name in OUTPUTS {
        let p = dir.join(name);
        if name.ends_with(".json") {
            let text = std::fs::read_to_string(&p).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{name} is not whole JSON: {e}"));
        } else if name.ends_with(".html") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(text.trim_end().ends_with("</html>"), "{name} is not whole");
        } else {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_path(&p)
                .unwrap();
            let width = r.headers().unwrap().len();
            for rec in r.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{name} is not whole CSV: {e}"));
                assert_eq!(rec.len(), width, "{name}: ragged row");
            }
        }
    }
}

fn leftover_temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// manifest and verify

#[test]
fn a_run_then_verify_is_clean() {
    let w = with_samples();
    let o = run_samples(&w, "out", &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 0, "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("verified"), "{}", stdout(&v));
    // The manifest of the run is the golden one: nothing in it depends on where it ran.
    assert_eq!(
        w.read("out/manifest.json"),
        std::fs::read_to_string(repo().join("tests/golden/samples/manifest.json")).unwrap()
    );
}

#[test]
fn an_input_edited_by_one_byte_exits_2_naming_it() {
    let w = with_samples();
    run_samples(&w, "out", &[]);
    flip_byte(&w.path("samples/2025-08_分公司.csv"), 10);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 2, "{}{}", stdout(&v), stderr(&v));
    let err = stderr(&v);
    assert!(err.contains("samples/2025-08_分公司.csv: changed"), "{err}");
    assert!(
        !err.contains("增减员.xlsx"),
        "only the edited file is named: {err}"
    );

    // A missing roster is named as such, next to the changed input.
    std::fs::remove_file(w.path("samples/roster.csv")).unwrap();
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 2);
    let err = stderr(&v);
    assert!(
        err.contains("samples/roster.csv (roster): missing"),
        "{err}"
    );
    assert!(err.contains("samples/2025-08_分公司.csv: changed"), "{err}");
}

#[test]
fn an_output_edited_exits_1_naming_it() {
    let w = with_samples();
    run_samples(&w, "out", &[]);
    flip_byte(&w.path("out/errors.csv"), 5);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 1, "{}{}", stdout(&v), stderr(&v));
    let out = stdout(&v);
    assert!(
        out.contains("errors.csv: the file beside the manifest was changed"),
        "{out}"
    );
    for other in [
        "submission.csv",
        "contributions.csv",
        "roster.next.csv",
        "summary.json",
    ] {
        assert!(!out.contains(other), "{other} is not named: {out}");
    }
}

#[test]
fn a_recorded_output_the_rerun_does_not_reproduce_exits_1() {
    let w = with_samples();
    run_samples(&w, "out", &[]);
    // As if the manifest had been edited to claim other bytes for the summary.
    let m = w.read("out/manifest.json");
    let parsed: serde_json::Value = serde_json::from_str(&m).unwrap();
    let summary = parsed["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["path"] == "summary.json")
        .unwrap();
    let sha = summary["sha256"].as_str().unwrap();
    assert_eq!(m.matches(sha).count(), 1);
    w.write("out/manifest.json", m.replace(sha, &"0".repeat(64)));
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 1);
    let out = stdout(&v);
    assert!(
        out.contains("summary.json: the re-run gives other bytes"),
        "{out}"
    );
    assert!(out.contains("edited manifest"), "{out}");
}

#[test]
fn a_policy_other_than_the_recorded_one_is_named() {
    let w = with_samples();
    run_samples(&w, "out", &[]);
    // As if the embedded Beijing table had been different when the run was made.
    let m: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    let bj = m["policy"]["sources"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let digest = m["policy"]["digest"].as_str().unwrap().to_string();
    let text = w
        .read("out/manifest.json")
        .replace(&bj, &"1".repeat(64))
        .replace(&digest, &"2".repeat(64));
    w.write("out/manifest.json", text);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    let out = stdout(&v);
    // The outputs still match, so the run verifies; the policy difference is reported.
    assert_eq!(code(&v), 0, "{out}{}", stderr(&v));
    assert!(out.contains("the policy is not the one recorded"), "{out}");
    assert!(out.contains("embedded:beijing.toml changed"), "{out}");
}

#[test]
fn verify_rebuilds_every_recorded_option_without_headcount_toml() {
    let w = with_samples();
    w.write(
        "headcount.toml",
        "injury-rate = \"0.004\"\n[aliases]\nreason = [\"离开原因\"]\n",
    );
    w.write(
        "policy/mine.toml",
        "[[region]]\nname = \"beijing\"\ninjury_rate = \"0.005\"\n",
    );
    let o = run_samples(
        &w,
        "out",
        &[
            "--lang",
            "en",
            "--no-mask",
            "--deny-warnings",
            "--policy",
            "policy/mine.toml",
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let m: serde_json::Value = serde_json::from_str(&w.read("out/manifest.json")).unwrap();
    assert_eq!(m["arguments"]["injury_rate"], "0.004");
    assert_eq!(m["arguments"]["lang"], "en");
    assert_eq!(m["arguments"]["mask"], "false");
    assert_eq!(m["aliases"]["reason"][0], "离开原因");
    assert_eq!(m["policy"]["file"]["path"], "policy/mine.toml");
    // The re-run must not depend on headcount.toml still being there.
    std::fs::remove_file(w.path("headcount.toml")).unwrap();
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 0, "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("the policy file"), "{}", stdout(&v));

    // A user policy file edited after the run is an input that changed.
    let mut p = w.read("policy/mine.toml");
    p.push('\n');
    w.write("policy/mine.toml", p);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 2);
    let err = stderr(&v);
    assert!(
        err.contains("policy/mine.toml (policy file): changed"),
        "{err}"
    );
    assert!(
        err.contains("the policy is no longer the one recorded"),
        "{err}"
    );
}

#[test]
fn a_forced_encoding_and_a_sheet_are_reapplied() {
    let w = with_samples();
    let o = w.run(&[
        "run",
        "samples/2025-08_增减员.xlsx",
        "--sheet",
        "减员",
        "--region",
        "beijing",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "a",
    ]);
    assert!(code(&o) < 2, "{}", stderr(&o));
    let o = w.run(&[
        "run",
        "samples/2025-08_分公司.csv",
        "--encoding",
        "gbk",
        "--region",
        "beijing",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "b",
    ]);
    assert!(code(&o) < 2, "{}", stderr(&o));
    assert!(w.read("a/manifest.json").contains("\"sheet\": \"减员\""));
    assert!(w
        .read("b/manifest.json")
        .contains("\"encoding\": \"gb18030\""));
    for m in ["a/manifest.json", "b/manifest.json"] {
        let v = w.run(&["verify", m]);
        assert_eq!(code(&v), 0, "{m}: {}{}", stdout(&v), stderr(&v));
    }
}

#[test]
fn absolute_paths_are_recorded_relative_to_the_working_directory() {
    let w = with_samples();
    let abs = |s: &str| w.path(s).to_string_lossy().into_owned();
    let out = abs("out");
    let args = [
        "run".to_string(),
        abs(SAMPLES[0]),
        abs(SAMPLES[1]),
        "--roster".into(),
        abs(SAMPLES[2]),
        "--region".into(),
        "beijing".into(),
        "--period".into(),
        "2025-08".into(),
        "--as-of".into(),
        "2025-08-20".into(),
        "--employer".into(),
        "91110000600037341L".into(),
        "--xlsx".into(),
        "--quiet".into(),
        "--out".into(),
        out,
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = w.run(&args);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let root = w.dir.path().canonicalize().unwrap();
    for name in OUTPUTS {
        let text = w.read(&format!("out/{name}"));
        assert!(
            !text.contains(&*w.dir.path().to_string_lossy())
                && !text.contains(&*root.to_string_lossy()),
            "{name} holds an absolute path"
        );
    }
    // Same bytes as the run with relative paths: the golden files.
    let golden = repo().join("tests/golden/samples");
    for name in OUTPUTS {
        assert!(
            read_bytes(&w.path("out"), name) == read_bytes(&golden, name),
            "{name} differs from the run given relative paths"
        );
    }
    let v = w.run(&["verify", &abs("out/manifest.json")]);
    assert_eq!(code(&v), 0, "{}{}", stdout(&v), stderr(&v));
}

#[test]
fn verify_refuses_to_rerun_over_the_outputs_it_checks() {
    let w = with_samples();
    run_samples(&w, "out", &[]);
    let v = w.run(&[
        "verify",
        "out/manifest.json",
        "--out",
        "out",
        "--lang",
        "en",
    ]);
    assert_eq!(code(&v), 2);
    assert!(stderr(&v).contains("--out"), "{}", stderr(&v));
    let v = w.run(&["verify", "out/manifest.json", "--out", "again"]);
    assert_eq!(code(&v), 0, "{}", stderr(&v));
    for name in OUTPUTS {
        assert!(
            read_bytes(&w.path("out"), name) == read_bytes(&w.path("again"), name),
            "{name}: the kept re-run differs"
        );
    }
}

#[test]
fn a_broken_manifest_exits_2() {
    let w = Work::new();
    w.write("m.json", "{ not json");
    let v = w.run(&["verify", "m.json", "--lang", "en"]);
    assert_eq!(code(&v), 2);
    assert!(stderr(&v).contains("m.json"), "{}", stderr(&v));
    let v = w.run(&["verify", "missing.json"]);
    assert_eq!(code(&v), 2);
    assert!(stderr(&v).contains("missing.json"), "{}", stderr(&v));
}

// ---------------------------------------------------------------------------------------
// determinism

#[test]
fn jobs_1_2_and_4_and_a_second_run_give_identical_bytes() {
    let w = with_samples();
    for (out, jobs) in [("j1", "1"), ("j2", "2"), ("j4", "4"), ("j4again", "4")] {
        assert_eq!(code(&run_samples(&w, out, &["--jobs", jobs])), 1);
    }
    for name in OUTPUTS {
        let one = read_bytes(&w.path("j1"), name);
        for other in ["j2", "j4", "j4again"] {
            assert!(
                one == read_bytes(&w.path(other), name),
                "{name} differs between j1 and {other}"
            );
        }
    }
}

/// Runs the sample month with a given environment.
fn run_in_env(w: &Work, out: &str, env: &[(&str, &str)]) -> Output {
    let mut args: Vec<&str> = sample_run();
    args.extend(["--out", out]);
    let mut c = Command::new(env!("CARGO_BIN_EXE_headcount"));
    c.args(&args).current_dir(w.dir.path());
    for var in ["TZ", "LANG", "LC_ALL", "LC_NUMERIC", "LC_TIME", "LANGUAGE"] {
        c.env_remove(var);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run headcount")
}

#[test]
fn time_zone_and_locale_do_not_change_a_byte() {
    let w = with_samples();
    let envs: [(&str, &[(&str, &str)]); 4] = [
        ("plain", &[]),
        ("utc_c", &[("TZ", "UTC"), ("LANG", "C"), ("LC_ALL", "C")]),
        (
            "kiritimati_zh",
            &[
                ("TZ", "Pacific/Kiritimati"),
                ("LANG", "zh_CN.UTF-8"),
                ("LC_ALL", "zh_CN.UTF-8"),
            ],
        ),
        (
            "honolulu_tr",
            &[
                ("TZ", "Pacific/Honolulu"),
                ("LANG", "tr_TR.UTF-8"),
                ("LC_ALL", "de_DE.UTF-8"),
            ],
        ),
    ];
    for (out, env) in envs {
        let o = run_in_env(&w, out, env);
        assert_eq!(code(&o), 1, "{out}: {}", stderr(&o));
    }
    for name in OUTPUTS {
        let plain = read_bytes(&w.path("plain"), name);
        for (out, _) in &envs[1..] {
            assert!(
                plain == read_bytes(&w.path(out), name),
                "{name} differs under {out}"
            );
        }
    }
    // And a run verifies under another time zone and locale.
    let mut c = Command::new(env!("CARGO_BIN_EXE_headcount"));
    c.args(["verify", "plain/manifest.json"])
        .current_dir(w.dir.path())
        .env("TZ", "America/St_Johns")
        .env("LC_ALL", "fr_FR.UTF-8");
    let v = c.output().unwrap();
    assert_eq!(code(&v), 0, "{}", stderr(&v));
}

// ---------------------------------------------------------------------------------------
// check for CI

#[test]
fn check_writes_only_errors_and_summary_with_contract_exit_codes() {
    let w = Work::new();
    w.write("clean.csv", clean_csv(3));
    let mut bad = clean_csv(2);
    bad.push_str(&addition_row(7, "李四").replace(",12000,", ",abc,"));
    bad.push('\n');
    w.write("bad.csv", bad);
    let check = |file: &str, out: &str, extra: &[&str]| {
        let mut a = vec![
            "check",
            file,
            "--as-of",
            "2025-08-20",
            "--quiet",
            "--out",
            out,
        ];
        a.extend(extra);
        w.run(&a)
    };
    let o = check("clean.csv", "c", &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut written: Vec<String> = std::fs::read_dir(w.path("c"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["errors.csv", "report.html", "summary.json"]);
    assert_eq!(code(&check("bad.csv", "b", &[])), 1);
    assert_eq!(code(&check("missing.csv", "m", &[])), 2);
    assert_eq!(code(&check("clean.csv", "x", &["--period", "2025-13"])), 2);
    assert_eq!(code(&check("clean.csv", "x", &["--no-such-flag"])), 2);
    assert_eq!(code(&w.run(&["verify"])), 2, "a missing argument is exit 2");
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let w = Work::new();
    // A digit in a name is a warning (V014), not an error.
    let text = format!("{HEADER}\n{}\n", addition_row(1, "张三1"));
    w.write("w.csv", text);
    let base = [
        "check",
        "w.csv",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--format",
        "json",
    ];
    let o = w.run(&base);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\"severity\":\"warning\""),
        "{}",
        stdout(&o)
    );
    let mut denied = base.to_vec();
    denied.push("--deny-warnings");
    assert_eq!(code(&w.run(&denied)), 1);
}

#[test]
fn max_findings_caps_the_report_but_not_the_counts() {
    let w = Work::new();
    let mut text = String::from(HEADER);
    text.push('\n');
    for i in 0..20 {
        text.push_str(&addition_row(i, "张三").replace(",12000,", ",abc,"));
        text.push('\n');
    }
    w.write("bad.csv", text);
    let args = |fmt: &str, out: &str| {
        [
            "check",
            "bad.csv",
            "--as-of",
            "2025-08-20",
            "--quiet",
            "--max-findings",
            "5",
            "--format",
            fmt,
            "--out",
            out,
        ]
        .map(str::to_string)
    };
    let o = w.run(&args("csv", "c").each_ref().map(String::as_str));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(w.read("c/errors.csv").lines().count(), 1 + 5);
    let summary: serde_json::Value = serde_json::from_str(&w.read("c/summary.json")).unwrap();
    let errors = summary["findings"]["errors"].as_u64().unwrap();
    assert!(errors >= 20, "exact count: {summary}");
    assert_eq!(summary["totals"]["rejected"], 20);
    assert_eq!(summary["report"]["written"], 5);
    assert_eq!(summary["report"]["truncated"], true);
    assert_eq!(
        summary["report"]["omitted"].as_u64().unwrap() + 5,
        errors + summary["findings"]["warnings"].as_u64().unwrap()
    );

    let o = w.run(&args("json", "j").each_ref().map(String::as_str));
    assert_eq!(code(&o), 1);
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
    for l in &lines {
        for key in [
            "file",
            "sheet",
            "row",
            "column",
            "name",
            "id_number",
            "code",
            "severity",
            "message",
            "message_zh",
            "message_en",
        ] {
            assert!(l.get(key).is_some(), "{key} in {l}");
        }
        assert!(
            l["id_number"].as_str().unwrap().contains("****"),
            "masked: {l}"
        );
    }
    // Without the cap nothing is dropped and the summary says nothing of a cap.
    let o = w.run(&[
        "check",
        "bad.csv",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "all",
    ]);
    assert_eq!(code(&o), 1);
    let summary: serde_json::Value = serde_json::from_str(&w.read("all/summary.json")).unwrap();
    assert!(summary.get("report").is_none());
    assert_eq!(
        w.read("all/errors.csv").lines().count() as u64 - 1,
        errors + summary["findings"]["warnings"].as_u64().unwrap()
    );
}

// ---------------------------------------------------------------------------------------
// safe outputs

#[test]
fn a_formula_in_a_name_is_neutralised_in_every_csv_output() {
    let w = Work::new();
    let formula = "=HYPERLINK(\"http://x\",\"y\")";
    let quoted = format!("\"{}\"", formula.replace('"', "\"\""));
    // Row 2 is accepted (with a warning), row 3 is rejected: both reach a report.
    let good = addition_row(1, &quoted);
    let bad = addition_row(2, &quoted).replace(",12000,", ",abc,");
    w.write("f.csv", format!("{HEADER}\n{good}\n{bad}\n"));
    let args = run_args("out");
    let mut a: Vec<&str> = vec!["run", "f.csv"];
    a.extend(args.iter().map(String::as_str));
    let o = w.run(&a);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let neutral = format!("'{formula}");
    for (name, want_rows) in [
        ("submission.csv", 1),
        ("errors.csv", 2),
        ("contributions.csv", 1),
        ("roster.next.csv", 1),
    ] {
        let mut r = csv::Reader::from_path(w.path(&format!("out/{name}"))).unwrap();
        let headers = r.headers().unwrap().clone();
        let col = headers
            .iter()
            .position(|h| h == "name" || h == "姓名")
            .unwrap_or_else(|| panic!("{name} has a name column: {headers:?}"));
        let mut seen = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            for cell in rec.iter() {
                assert!(!cell.starts_with('='), "{name}: a formula cell: {cell}");
            }
            if &rec[col] == neutral.as_str() {
                seen += 1;
            }
        }
        assert!(seen >= want_rows, "{name}: {seen} neutralised names");
    }
}

#[test]
fn an_output_folder_that_would_overwrite_an_input_is_refused() {
    let w = Work::new();
    let text = clean_csv(2);
    w.write("out/submission.csv", &text);
    let args = run_args("out");
    let mut a: Vec<&str> = vec!["run", "out/submission.csv"];
    a.extend(args.iter().map(String::as_str));
    let o = w.run(&a);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("out/submission.csv"), "{}", stderr(&o));
    assert_eq!(w.read("out/submission.csv"), text, "the input is untouched");

    // Next month's roster straight from last month's output folder: refused, not clobbered.
    w.write("in.csv", &text);
    let mut a: Vec<&str> = vec!["run", "in.csv"];
    a.extend(args.iter().map(String::as_str));
    assert_eq!(code(&w.run(&a)), 0);
    let roster = w.read("out/roster.next.csv");
    a.extend(["--roster", "out/roster.next.csv"]);
    let o = w.run(&a);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("roster.next.csv"), "{}", stderr(&o));
    assert_eq!(w.read("out/roster.next.csv"), roster);
}

#[test]
fn a_run_that_fails_partway_leaves_the_previous_outputs_whole() {
    let w = Work::new();
    w.write("small.csv", clean_csv(3));
    let args = run_args("out");
    let mut a: Vec<&str> = vec!["run", "small.csv"];
    a.extend(args.iter().map(String::as_str));
    assert_eq!(code(&w.run(&a)), 0);
    let before: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| read_bytes(&w.path("out"), n))
        .collect();

    // 10,000 good rows (more than one chunk, so outputs are being written), then a line
    // that is not UTF-8: the run stops with exit 2 partway through the file.
    let rows = 10_000;
    let mut bytes = clean_csv(rows).into_bytes();
    bytes.extend_from_slice(b"\xff\xfe broken,\n");
    bytes.extend_from_slice(clean_csv(5).split_once('\n').unwrap().1.as_bytes());
    w.write("big.csv", bytes);
    let mut a: Vec<&str> = vec!["run", "big.csv"];
    a.extend(args.iter().map(String::as_str));
    let o = w.run(&a);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("big.csv") && err.contains(&format!("line {}", rows + 2)),
        "{err}"
    );
    for (name, old) in OUTPUTS.iter().zip(&before) {
        assert!(
            read_bytes(&w.path("out"), name) == *old,
            "{name} was changed"
        );
    }
    assert_outputs_parse(&w.path("out"));
    assert_eq!(leftover_temp_files(&w.path("out")), Vec::<String>::new());
}

/// Kills a run while it is writing (once a staged output holds data, long before the end
/// of a 100,000-row file) and checks the previous outputs. The assertions do not depend
/// on timing: if the run had finished first, its own outputs must be whole.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let w = Work::new();
    w.write("small.csv", clean_csv(3));
    let args = run_args("out");
    let mut a: Vec<&str> = vec!["run", "small.csv"];
    a.extend(args.iter().map(String::as_str));
    assert_eq!(code(&w.run(&a)), 0);
    let before: Vec<Vec<u8>> = OUTPUTS
        .iter()
        .map(|n| read_bytes(&w.path("out"), n))
        .collect();

    w.write("big.csv", clean_csv(100_000));
    let mut child = Command::new(env!("CARGO_BIN_EXE_headcount"))
        .arg("run")
        .arg("big.csv")
        .args(&args)
        .args(["--jobs", "1"])
        .current_dir(w.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = w.path("out");
    let writing = || {
        std::fs::read_dir(&out).unwrap().flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(".headcount-")
                && n.ends_with(".submission.csv.tmp")
                && e.metadata().is_ok_and(|m| m.len() > 0)
        })
    };
    loop {
        if writing() {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    if status.code().is_none() {
        // Killed by the signal: the previous run's outputs are untouched.
        for (name, old) in OUTPUTS.iter().zip(&before) {
            assert!(
                read_bytes(&out, name) == *old,
                "{name} was changed by a killed run"
            );
        }
        // Whether staging files remain depends on when the signal lands (a loaded machine
        // may let the run finish its renames first); the next run's clean-up is checked below.
    }
    assert_outputs_parse(&out);

    // The next run clears the killed run's staging files.
    assert_eq!(code(&w.run(&a)), 0);
    assert_eq!(leftover_temp_files(&out), Vec::<String>::new());
    for (name, old) in OUTPUTS.iter().zip(&before) {
        assert!(
            read_bytes(&out, name) == *old,
            "{name}: same input, same bytes"
        );
    }
}
