//! Portal-ready submissions: each region's upload files opened with calamine and compared
//! cell by cell with a hand-written expected file (`tests/portals/expected/*.tsv`).
//!
//! Expected file: `sheet<TAB>name` first, then one line per sheet row from the first,
//! cells separated by tabs, trailing blanks left out; a number cell is written `#1234.5`,
//! a text cell as its text. So a 18-digit ID stored as a number would not match.

use crate::common;

use calamine::{open_workbook_auto, Data, Reader};
use common::{code, repo, stderr};
use std::path::Path;

const INPUT: &str = "tests/portals/2025-08_changes.csv";

fn run(region: &str, out: &Path) -> std::process::Output {
    run_file(INPUT, region, out)
}

/// `headcount run INPUT --region R` for the sample month, into `out`.
fn run_file(input: impl AsRef<std::ffi::OsStr>, region: &str, out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .arg("run")
        .arg(input)
        .args(["--region", region])
        .args([
            "--period",
            "2025-08",
            "--as-of",
            "2025-08-20",
            "--lang",
            "zh",
            "--employer",
            "91110000600037341L",
        ])
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

/// A hand-written expected file, `tests/portals/expected/{name}.tsv`.
fn expected(name: &str) -> String {
    std::fs::read_to_string(repo().join(format!("tests/portals/expected/{name}.tsv"))).unwrap()
}

/// The workbook's only sheet as expected-file text.
fn render(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
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

/// The upload file of a kind in `dir`: `.xls` where the portal takes `.xls`, else `.xlsx`.
fn upload(dir: &Path, kind: &str) -> Option<std::path::PathBuf> {
    ["xls", "xlsx"]
        .iter()
        .map(|ext| dir.join(format!("portal.{kind}.{ext}")))
        .find(|p| p.is_file())
}

fn check(region: &str) {
    let out = tempfile::tempdir().unwrap();
    let o = run(region, out.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for kind in ["additions", "reductions"] {
        let expected_path = repo().join(format!("tests/portals/expected/{region}.{kind}.tsv"));
        let file = upload(out.path(), kind);
        // A region with a template for one kind only writes no file for the other.
        let Ok(expected) = std::fs::read_to_string(&expected_path) else {
            assert!(file.is_none(), "{region} {kind}");
            continue;
        };
        let file = file.unwrap_or_else(|| panic!("{region}: no {kind} upload file"));
        let actual = render(&file);
        assert_eq!(
            actual, expected,
            "{region} {file:?} differs from {expected_path:?}"
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
        "portal.additions.xls：3 条，按上传模板「新增人员上传文件模版」",
        "上传文件中 2 行的「停交原因」留空：模板没有对应的代码",
        "上传文件中 4 行的「电脑号」留空：输入中没有此项",
        "请先打开 portal.additions.xls",
    ] {
        assert!(e.contains(line), "{line}\n{e}");
    }
}

/// Beijing's paper 增加表: three title rows (the credit code from --employer), the two-row
/// header with its groups merged, 缴费人员类别 by hukou; 普通减员 is an online record type
/// with no upload file, so there is no reductions file.
#[test]
fn beijing_addition_form_matches_the_paper_form() {
    check("beijing");
    let out = tempfile::tempdir().unwrap();
    let e = stderr(&run("beijing", out.path()));
    assert!(
        e.contains("上传文件中 3 行的「个人缴费（恢复）原因·医疗」「个人缴费（恢复）原因·四险」「参加险种·养老」"),
        "{e}"
    );
}

/// Guangzhou's one `code|label` sheet for both kinds, written as two files: the kind's
/// cells (`11|增员`, `1|参保` / `12|减员`, `0|不参保`), codes from the line's values, and a
/// reason the template has no code for left blank with a note.
#[test]
fn guangzhou_code_label_sheets_match_the_template() {
    check("guangzhou");
    let out = tempfile::tempdir().unwrap();
    let e = stderr(&run("guangzhou", out.path()));
    assert!(
        e.contains("上传文件中 2 行的「变动原因」留空：模板没有对应的代码"),
        "{e}"
    );
}

#[test]
fn a_region_without_a_template_writes_none_and_a_later_run_removes_them() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run("chengdu", out.path())), 0);
    assert!(out.path().join("portal.additions.xls").is_file());
    let o = run("wuhan", out.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(upload(out.path(), "additions").is_none());
    assert!(upload(out.path(), "reductions").is_none());
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
        ("guangzhou", 5, [0, 2]),
    ] {
        let out = tempfile::tempdir().unwrap();
        assert_eq!(code(&run(region, out.path())), 0);
        for (i, (kind, lines)) in [("additions", 3), ("reductions", 4)]
            .into_iter()
            .enumerate()
        {
            let file = upload(out.path(), kind).unwrap();
            let back = out.path().join(format!("back-{i}"));
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_headcount"))
                .arg("check")
                .arg(&file)
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
            assert_eq!(sheet["header_row"], header_row, "{region} {file:?}");
            assert_eq!(sheet["rows_read"], lines, "{region} {file:?}");
            assert_eq!(
                sheet["rejected"],
                rejected[i],
                "{region} {file:?}: {}",
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
        ["additions", "reductions"].map(|k| std::fs::read(upload(out.path(), k).unwrap()).unwrap())
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

/// More lines than an `.xls` sheet holds: the file keeps its title and header rows, the
/// terminal sends the person to submission.csv (which has every line), and the run is
/// not failed for it.
#[test]
fn an_xls_template_with_more_lines_than_a_sheet_holds_keeps_its_header_and_says_so() {
    let w = common::Work::new();
    let mut csv = String::from("变动类型,姓名,证件号码,户口性质,入职日期,参保年月,缴费基数\n");
    let mut n = 0u32;
    'outer: for month in 1..=12 {
        for day in 1..=28 {
            for seq in 0..999 {
                if n == 65_540 {
                    break 'outer;
                }
                let id = common::resident_id(&format!("1101011990{month:02}{day:02}{seq:03}"));
                csv.push_str(&format!(
                    "增员,测试{n},{id},本市城镇,2025-08-04,202508,8500\n"
                ));
                n += 1;
            }
        }
    }
    let input = w.write("big.csv", csv);
    let o = run_file(&input, "shenzhen", &w.path("out"));
    assert!(code(&o) <= 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("portal.additions.xls 只有表头：65540 条超过 .xls 一张表的 65,535 行"),
        "{}",
        stderr(&o)
    );
    let rendered = render(&w.path("out/portal.additions.xls"));
    assert_eq!(rendered.lines().count(), 1 + 4, "{rendered}");
    assert!(rendered.ends_with("身份证号码\t姓名\t配偶姓名(非必填项)\t户籍\t职工性质\t民族\t缴费工资\t利手\t参保人手机号\t工作部门(非必填项)\t个人银行名称(非必填项)\t个人银行帐号(非必填项)\t养老保险\t医疗保险\t工伤保险\t失业保险\n"), "{rendered}");
}

/// Shenzhen's 补缴 template: an addition whose first contribution month is before the
/// period gets one line per back-paid month (the months contributions.csv charges as
/// `backpay`), beside its 新增 line; an addition starting in the period gets none.
#[test]
fn shenzhen_back_pay_months_go_to_the_back_pay_template() {
    let out = tempfile::tempdir().unwrap();
    let o = run_file("tests/portals/2025-08_backpay.csv", "shenzhen", out.path());
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let expected = expected("shenzhen.backpay");
    assert_eq!(render(&out.path().join("portal.backpay.xls")), expected);
    assert!(
        stderr(&o).contains("portal.backpay.xls：2 条，按上传模板「补缴」"),
        "{}",
        stderr(&o)
    );
    // The back-pay months are the ones contributions.csv charges as back-pay.
    let contributions = std::fs::read_to_string(out.path().join("contributions.csv")).unwrap();
    assert_eq!(
        contributions.matches(",backpay,").count(),
        2,
        "{contributions}"
    );
}

/// Shenzhen's 调入: an addition whose change type says it is a transfer in goes to the
/// movein template (`portal.transfers-in.xls`), every other addition to 新增.
#[test]
fn shenzhen_transfers_in_go_to_the_movein_template() {
    let out = tempfile::tempdir().unwrap();
    let o = run_file(
        "tests/portals/2025-08_transfers.csv",
        "shenzhen",
        out.path(),
    );
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let expected = expected("shenzhen.transfers-in");
    assert_eq!(
        render(&out.path().join("portal.transfers-in.xls")),
        expected
    );
    let additions = render(&out.path().join("portal.additions.xls"));
    assert!(
        additions.contains("何静") && !additions.contains("王思远"),
        "{additions}"
    );
}
