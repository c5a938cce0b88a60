//! Portal-ready submissions: each region's upload files opened with calamine and compared
//! cell by cell with a hand-written expected file (`tests/portals/expected/*.tsv`).
//!
//! Expected file: `sheet<TAB>name` first, then one line per sheet row from the first,
//! cells separated by tabs, trailing blanks left out; a number cell is written `#1234.5`,
//! a text cell as its text. So a 18-digit ID stored as a number would not match.

use crate::common;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::{code, repo, stderr};
use std::path::Path;

const INPUT: &str = "tests/portals/2025-08_changes.csv";

fn run(region: &str, out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(["run", INPUT, "--region", region])
        .args([
            "--period",
            "2025-08",
            "--as-of",
            "2025-08-20",
            "--lang",
            "zh",
        ])
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

/// The workbook's only sheet as expected-file text.
fn render(path: &Path) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let names = wb.sheet_names();
    assert_eq!(names.len(), 1, "{path:?}: one sheet");
    let range = wb.worksheet_range(&names[0]).unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let (r1, c1) = range.end().unwrap_or((0, 0));
    let mut lines = vec![format!("sheet\t{}", names[0])];
    for r in 0..=r1 {
        let mut cells: Vec<String> = (0..=c1)
            .map(|c| {
                if r < r0 || c < c0 {
                    return String::new();
                }
                match range.get_value((r, c)) {
                    None | Some(Data::Empty) => String::new(),
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Float(f)) => format!("#{f}"),
                    Some(Data::Int(i)) => format!("#{i}"),
                    Some(other) => format!("?{other:?}"),
                }
            })
            .collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        lines.push(cells.join("\t"));
    }
    lines.join("\n") + "\n"
}

fn check(region: &str) {
    let out = tempfile::tempdir().unwrap();
    let o = run(region, out.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for (file, kind) in [
        ("portal.additions.xlsx", "additions"),
        ("portal.reductions.xlsx", "reductions"),
    ] {
        let expected_path = repo().join(format!("tests/portals/expected/{region}.{kind}.tsv"));
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        let actual = render(&out.path().join(file));
        assert_eq!(
            actual, expected,
            "{region} {file} differs from {expected_path:?}"
        );
    }
    // The generic submission is kept alongside, with the ID as given.
    let submission = std::fs::read_to_string(out.path().join("submission.csv")).unwrap();
    assert!(submission.contains("510104780512123,"), "{submission}");
    // The note says the upload files carry the 18-digit form.
    assert!(
        stderr(&o).contains("上传文件中 1 个 15 位身份证号码已升级为 18 位"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn chengdu_additions_and_reductions_match_the_templates() {
    check("chengdu");
}

#[test]
fn shanghai_roll_in_and_roll_out_disks_match_the_templates() {
    check("shanghai");
}

#[test]
fn shenzhen_new_hire_and_stop_files_match_the_templates_and_say_what_is_left_blank() {
    check("shenzhen");
    let out = tempfile::tempdir().unwrap();
    let e = stderr(&run("shenzhen", out.path()));
    for line in [
        "portal.additions.xlsx：3 条，按上传模板「新增人员上传文件模版」；该模板是 .xls",
        "上传文件中 2 行的「停交原因」留空：模板没有对应的代码",
        "上传文件中 4 行的「电脑号」留空：输入中没有此项",
        "请先打开 portal.additions.xlsx",
    ] {
        assert!(e.contains(line), "{line}\n{e}");
    }
}

#[test]
fn a_region_without_a_template_writes_none_and_a_later_run_removes_them() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run("chengdu", out.path())), 0);
    assert!(out.path().join("portal.additions.xlsx").is_file());
    let o = run("wuhan", out.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!out.path().join("portal.additions.xlsx").exists());
    assert!(!out.path().join("portal.reductions.xlsx").exists());
    assert!(out.path().join("submission.csv").is_file());
}

/// The layouts that write an upload file read it back: every line is accepted, except
/// the Shenzhen stop lines whose reason the template has no code for (left blank, V013).
#[test]
fn upload_files_read_back_through_the_same_layouts() {
    for (region, header_row, rejected) in [
        ("chengdu", 1, [0, 0]),
        ("shanghai", 1, [0, 0]),
        ("shenzhen", 4, [0, 2]),
    ] {
        let out = tempfile::tempdir().unwrap();
        assert_eq!(code(&run(region, out.path())), 0);
        for (i, (file, lines)) in [("portal.additions.xlsx", 3), ("portal.reductions.xlsx", 4)]
            .into_iter()
            .enumerate()
        {
            let back = out.path().join(format!("back-{i}"));
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
                .arg("check")
                .arg(out.path().join(file))
                .args([
                    "--region",
                    region,
                    "--period",
                    "2025-08",
                    "--as-of",
                    "2025-08-20",
                ])
                .arg("--out")
                .arg(&back)
                .output()
                .unwrap();
            assert!(code(&o) <= 1, "{}", stderr(&o));
            let s: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(back.join("summary.json")).unwrap())
                    .unwrap();
            let sheet = &s["files"][0]["sheets"][0];
            assert_eq!(sheet["header_row"], header_row, "{region} {file}");
            assert_eq!(sheet["rows_read"], lines, "{region} {file}");
            assert_eq!(
                sheet["rejected"],
                rejected[i],
                "{region} {file}: {}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn upload_files_are_the_same_bytes_whatever_the_thread_count() {
    let bytes = |jobs: &str| {
        let out = tempfile::tempdir().unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .args(["run", INPUT, "--region", "shenzhen", "--period", "2025-08"])
            .args(["--as-of", "2025-08-20", "--quiet", "--jobs", jobs, "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        ["portal.additions.xlsx", "portal.reductions.xlsx"]
            .map(|f| std::fs::read(out.path().join(f)).unwrap())
    };
    assert!(bytes("1") == bytes("2"));
}

/// What the person reads at the end of a Shenzhen run, in both languages.
#[test]
fn the_terminal_says_what_the_upload_files_hold() {
    for lang in ["zh", "en"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .args(["run", INPUT, "--region", "shenzhen", "--period", "2025-08"])
            .args([
                "--as-of",
                "2025-08-20",
                "--lang",
                lang,
                "--out",
                "target/portals-snapshot",
            ])
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        insta::assert_snapshot!(format!("shenzhen_{lang}"), stderr(&o));
    }
}
