//! Every supported layout (docs/layouts.md) read as exported: the files in tests/layouts
//! (written by `cargo run --example make_layouts`) keep the templates' title rows and header
//! texts, with no alias or renaming. Each run must: read the header (no exit 2), know every
//! column (no H005), take the change kind from the expected place, and report exactly the
//! planted errors on their row and column. `headcount inspect` on each is pinned by a
//! snapshot (tests/it/snapshots/, `INSTA_UPDATE=always cargo test --test it layouts::` to accept a
//! deliberate change).

use crate::build;
use crate::common;
use crate::layout_specs;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Output};

use common::{code, repo, stderr, Work};

struct Expect {
    layout: String,
    args: Vec<String>,
    kind_from: String,
    planted: BTreeSet<(u32, String, String)>,
}

fn expectations() -> BTreeMap<String, Expect> {
    let text = std::fs::read_to_string(repo().join("tests/layouts/expected.tsv"))
        .expect("tests/layouts/expected.tsv");
    let mut out: BTreeMap<String, Expect> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 7, "{line}");
        let e = out.entry(f[0].to_string()).or_insert_with(|| Expect {
            layout: f[1].to_string(),
            args: f[2].split_whitespace().map(str::to_string).collect(),
            kind_from: f[3].to_string(),
            planted: BTreeSet::new(),
        });
        e.planted.insert((
            f[4].parse().expect("row"),
            f[5].to_string(),
            f[6].to_string(),
        ));
    }
    out
}

fn run_in_repo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(args)
        .current_dir(repo())
        .env("TZ", "Asia/Shanghai")
        .output()
        .expect("run headcount")
}

fn check(input: &str, e: &Expect, work: &Work) -> Output {
    let out = work.path("out");
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec![
        "check",
        input,
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        out,
    ];
    args.extend(e.args.iter().map(String::as_str));
    run_in_repo(&args)
}

#[test]
fn every_layout_is_read_as_exported_with_errors_in_place() {
    let all = expectations();
    assert!(all.len() >= 20, "{} layouts", all.len());
    let layouts: BTreeSet<&str> = all.values().map(|e| e.layout.as_str()).collect();
    assert_eq!(layouts.len(), all.len(), "one file per layout");
    for (file, e) in &all {
        let work = Work::new();
        assert_read_in_place(&format!("tests/layouts/{file}"), file, e, &work);
    }
}

/// Runs `check` on one test file and compares the errors and the kind's source with `e`.
fn assert_read_in_place(input: &str, file: &str, e: &Expect, work: &Work) {
    let o = check(input, e, work);
    assert_eq!(code(&o), 1, "{file}: {}", stderr(&o));
    let mut rdr = csv::Reader::from_path(work.path("out/errors.csv")).expect("errors.csv");
    let mut errors = BTreeSet::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let (row, column, code, severity) = (&rec[2], &rec[3], &rec[6], &rec[7]);
        assert_ne!(code, "H005", "{file}: unknown column {column}");
        if severity == "error" {
            errors.insert((
                row.parse::<u32>().unwrap_or(0),
                column.to_string(),
                code.to_string(),
            ));
        }
    }
    for p in &e.planted {
        assert!(
            errors.contains(p),
            "{file}: planted {p:?} not reported; got {errors:?}"
        );
    }
    // Real codes (Shenzhen `S317`, `6301 …`, `6|身份证`) are read: nothing but the planted
    // errors.
    let unexpected: Vec<_> = errors.difference(&e.planted).collect();
    assert!(
        unexpected.is_empty(),
        "{file}: unexpected errors {unexpected:?}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&work.read("out/summary.json")).expect("summary");
    let sheets = summary["files"][0]["sheets"].as_array().expect("sheets");
    let read: Vec<&serde_json::Value> = sheets.iter().filter(|s| s["skipped"] == false).collect();
    assert_eq!(read.len(), 1, "{file}");
    assert_eq!(read[0]["kind_from"], e.kind_from.as_str(), "{file}");
}

/// Layouts whose real files are BIFF `.xls` (docs/layouts.md, "Formats of the test files").
const AS_BIFF: &[&str] = &[
    "shenzhen-newps",
    "shenzhen-movein",
    "shenzhen-stop",
    "shenzhen-allup",
    "shenzhen-foreigner",
    "shenzhen-backpay",
    "shenzhen-bms-batch-add",
    "chengdu-addition",
    "chengdu-reduction",
    "hefei-registration",
    "hefei-contract-end",
];

/// Layouts also served as SpreadsheetML 2003 named `.xls`.
const AS_XMLSS: &[&str] = &["chengdu-addition"];

/// A spec's cells row by row: titles, header (and sub-row), then the three data rows.
fn grid(spec: &layout_specs::Spec) -> Vec<Vec<String>> {
    let own = |r: &[&str]| r.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    let mut rows: Vec<Vec<String>> = spec.titles.iter().map(|t| own(t)).collect();
    rows.push(own(spec.header));
    if let Some(sub) = spec.sub {
        rows.push(own(sub));
    }
    for i in 0..3 {
        rows.push((0..spec.row.len()).map(|c| spec.value(i, c)).collect());
    }
    rows
}

fn biff_of(spec: &layout_specs::Spec) -> Vec<u8> {
    let mut cells = Vec::new();
    for (r, row) in grid(spec).into_iter().enumerate() {
        for (c, t) in row.into_iter().enumerate() {
            if !t.is_empty() {
                cells.push((r as u16, c as u16, build::Value::Text(t)));
            }
        }
    }
    build::cfb("Workbook", &build::biff_sheet(spec.sheet, &cells))
}

#[test]
fn real_formats_are_read_like_the_xlsx() {
    let all = expectations();
    let mut tested = BTreeSet::new();
    for spec in layout_specs::SPECS {
        let e = &all[spec.file];
        let planted: BTreeSet<(u32, String, String)> = spec
            .planted()
            .into_iter()
            .map(|(r, c, k)| (r, c, k.to_string()))
            .collect();
        assert_eq!(planted, e.planted, "{}: expected.tsv is stale", spec.file);
        let stem = spec.file.strip_suffix(".xlsx").unwrap_or(spec.file);
        let xls = format!("{stem}.xls");
        let mut builds: Vec<(&str, Vec<u8>)> = Vec::new();
        if AS_BIFF.contains(&spec.layout) {
            builds.push(("BIFF8", biff_of(spec)));
        }
        if AS_XMLSS.contains(&spec.layout) {
            builds.push(("SpreadsheetML", build::xmlss(spec.sheet, &grid(spec))));
        }
        for (format, bytes) in builds {
            let work = Work::new();
            let input = work.write(&xls, &bytes);
            let input = input.to_str().expect("utf-8 path");
            assert_read_in_place(input, &format!("{xls} ({format})"), e, &work);
            tested.insert((spec.layout, format));
        }
    }
    assert_eq!(tested.len(), AS_BIFF.len() + AS_XMLSS.len(), "{tested:?}");
}

#[test]
fn inspect_shows_each_layout() {
    for (file, e) in expectations() {
        let input = format!("tests/layouts/{file}");
        let mut args = vec!["inspect", input.as_str()];
        args.extend(e.args.iter().map(String::as_str));
        let o = run_in_repo(&args);
        assert_eq!(code(&o), 0, "{file}: {}", stderr(&o));
        let text = String::from_utf8(o.stdout).expect("utf-8");
        assert!(
            text.contains(&e.layout) || e.layout == "tax-client-person",
            "{file}"
        );
        insta::assert_snapshot!(format!("inspect_{}", e.layout), text);
    }
}

#[test]
fn inspect_in_english_with_a_two_row_header() {
    let o = run_in_repo(&[
        "inspect",
        "tests/layouts/北京市社会保险参保人员增加表.xlsx",
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    insta::assert_snapshot!(String::from_utf8(o.stdout).expect("utf-8"));
}

const CUSTOM: &str =
    "工号,员工名字,证件号,到岗日期,月薪标准,工位\nE1,周晓明,{ID},2025-08-05,9000,A-1\n";

fn custom(work: &Work) -> std::path::PathBuf {
    work.write(
        "2025-08入职.csv",
        CUSTOM.replace("{ID}", &common::resident_id("44030419880311121")),
    )
}

#[test]
fn emit_layout_gets_a_new_export_to_a_clean_run() {
    let work = Work::new();
    custom(&work);
    // Without a layout: 员工名字 is no known name column, so the header is not found.
    let o = work.run(&[
        "check",
        "2025-08入职.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
    ]);
    assert_eq!(code(&o), 2);
    let msg = stderr(&o);
    assert!(msg.contains("H001") || msg.contains("H002"), "{msg}");
    // inspect says what it sees, and writes a layout to start from.
    let o = work.run(&["inspect", "2025-08入职.csv", "--emit-layout"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let emitted = String::from_utf8(o.stdout).expect("utf-8");
    insta::assert_snapshot!(emitted.clone());
    // The user names the two columns; the rest stays as emitted.
    let edited = emitted
        .replace(
            "{ header = \"员工名字\", field = \"ignore\" }",
            "{ header = \"员工名字\", field = \"name\" }",
        )
        .replace(
            "{ header = \"月薪标准\", field = \"ignore\" }",
            "{ header = \"月薪标准\", field = \"base\" }",
        );
    assert_ne!(edited, emitted, "the emitted layout names the columns");
    work.write("acme.toml", &edited);
    let o = work.run(&[
        "check",
        "2025-08入职.csv",
        "--layout",
        "acme.toml",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let errors = work.read("headcount-out/errors.csv");
    assert!(!errors.contains("H005"), "{errors}");
    // The same layout from headcount.toml.
    work.write("headcount.toml", "layouts = [\"acme.toml\"]\n");
    let o = work.run(&[
        "check",
        "2025-08入职.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn undecided_kind_names_the_four_ways() {
    let work = Work::new();
    let id = common::resident_id("44030419880311121");
    work.write(
        "export.csv",
        format!("姓名,身份证号,缴费基数\n周晓明,{id},9000\n"),
    );
    let o = work.run(&[
        "check",
        "export.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
    ]);
    assert_eq!(code(&o), 2);
    let msg = stderr(&o);
    for way in ["H002", "变动类型列", "工作表名", "文件名", "--kind"] {
        assert!(msg.contains(way), "{way}: {msg}");
    }
    let o = work.run(&[
        "check",
        "export.csv",
        "--lang",
        "en",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
    ]);
    let msg = stderr(&o);
    for way in ["change-type column", "sheet name", "file name", "--kind"] {
        assert!(msg.contains(way), "{way}: {msg}");
    }
    // --kind decides, and the summary says so.
    let o = work.run(&[
        "check",
        "export.csv",
        "--kind",
        "add",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(work
        .read("headcount-out/summary.json")
        .contains("\"kind_from\": \"--kind\""));
}

#[test]
fn missing_base_names_the_columns_and_the_nearest_texts() {
    let work = Work::new();
    let id = common::resident_id("44030419880311121");
    work.write(
        "增员.csv",
        format!("姓名,身份证号,月度工资\n周晓明,{id},9000\n"),
    );
    let o = work.run(&[
        "check",
        "增员.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
    ]);
    assert_eq!(code(&o), 2);
    let msg = stderr(&o);
    assert!(
        msg.contains("H002") && msg.contains("缴费基数 (base)"),
        "{msg}"
    );
    assert!(msg.contains("月度工资"), "the columns seen: {msg}");
    assert!(
        msg.contains("base: ") && msg.contains("工资"),
        "nearest: {msg}"
    );
}

#[test]
fn two_columns_for_one_field_say_which_and_how_to_choose() {
    let work = Work::new();
    work.write("增员.csv", "姓名,身份证号,证件号码,缴费基数\n");
    let o = work.run(&[
        "check",
        "增员.csv",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
    ]);
    assert_eq!(code(&o), 2);
    let msg = stderr(&o);
    for part in ["H003", "B", "身份证号", "C", "证件号码", "ignore"] {
        assert!(msg.contains(part), "{part}: {msg}");
    }
    // inspect shows both, and --emit-layout marks the second.
    let o = work.run(&["inspect", "增员.csv"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("H003") && text.contains("第 B 列"), "{text}");
    let o = work.run(&["inspect", "增员.csv", "--emit-layout"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("另一列写 \"ignore\""), "{text}");
    // As the hint says: a layout that ignores one of them.
    work.write(
        "pick.toml",
        "[[layout]]\nname = \"pick\"\nsource = \"test\"\ncolumns = [\n { header = \"姓名\", field = \"name\" },\n { header = \"身份证号\", field = \"id_number\" },\n { header = \"证件号码\", field = \"ignore\" },\n { header = \"缴费基数\", field = \"base\" },\n]\n",
    );
    let o = work.run(&[
        "check",
        "增员.csv",
        "--layout",
        "pick.toml",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_bad_layout_file_is_a_clear_error() {
    let work = Work::new();
    custom(&work);
    work.write(
        "bad.toml",
        "[[layout]]\nname = \"x\"\nsource = \"s\"\ncolumns = [{ header = \"工位\", field = \"desk\" }]\n",
    );
    let o = work.run(&[
        "check",
        "2025-08入职.csv",
        "--layout",
        "bad.toml",
        "--period",
        "2025-08",
    ]);
    assert_eq!(code(&o), 2);
    let msg = stderr(&o);
    assert!(msg.contains("bad.toml") && msg.contains("desk"), "{msg}");
}

#[test]
fn header_messages_as_a_person_reads_them() {
    let work = Work::new();
    let id = common::resident_id("44030419880311121");
    work.write(
        "export.csv",
        format!("姓名,身份证号,缴费基数\n周晓明,{id},9000\n"),
    );
    work.write(
        "增员.csv",
        format!("姓名,身份证号,月度工资\n周晓明,{id},9000\n"),
    );
    work.write("两列.csv", "姓名,身份证号,证件号码,缴费基数\n");
    let mut all = String::new();
    for (file, lang) in [
        ("export.csv", "zh"),
        ("export.csv", "en"),
        ("增员.csv", "zh"),
        ("增员.csv", "en"),
        ("两列.csv", "zh"),
        ("两列.csv", "en"),
    ] {
        let o = work.run(&["check", file, "--lang", lang, "--period", "2025-08"]);
        assert_eq!(code(&o), 2);
        all.push_str(&stderr(&o));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn a_run_with_a_layout_and_kind_verifies_and_names_a_changed_layout() {
    let work = Work::new();
    let id = common::resident_id("44030419880311121");
    work.write(
        "export.csv",
        format!("花名,身份证号,缴费基数\n周晓明,{id},9000\n"),
    );
    work.write(
        "acme.toml",
        "[[field]]\nid = \"name\"\nheaders = [\"花名\"]\n",
    );
    let o = work.run(&[
        "run",
        "export.csv",
        "--layout",
        "acme.toml",
        "--kind",
        "add",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let m: serde_json::Value =
        serde_json::from_str(&work.read("headcount-out/manifest.json")).expect("manifest");
    assert_eq!(m["layouts"][0]["path"], "acme.toml");
    assert_eq!(m["arguments"]["kind"], "add");
    let o = work.run(&["verify", "headcount-out/manifest.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    work.write(
        "acme.toml",
        "[[field]]\nid = \"name\"\nheaders = [\"花名\", \"艺名\"]\n",
    );
    let o = work.run(&["verify", "headcount-out/manifest.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("acme.toml"), "{}", stderr(&o));
}

/// Shenzhen's 修改工资 and 参保信息修改 templates (real-world.md §2.1) are not change files:
/// each is recognised by its header as exported (three title rows, as the portal writes
/// them) and refused with H010 naming the template and where its work is done, in either
/// language, instead of H002 asking for a change type. With `--kind` the user overrides it.
#[test]
fn shenzhen_wage_and_detail_templates_are_named_not_misread() {
    let id = common::resident_id("44030519900307123");
    let files = [
        (
            "salary.csv",
            "电脑号,姓名,身份证号,原工资,新工资".to_string(),
            format!("601234567,张三,{id},8000,9000"),
            "批量修改工资上传文件模版",
            "headcount rebase",
        ),
        (
            "modify.csv",
            "电脑号,姓名,身份证号码,养老保险,医疗保险,工伤保险,失业保险".to_string(),
            format!("601234567,张三,{id},1,2,1,1"),
            "批量参保信息修改上传文件模版",
            "file this one in the portal directly",
        ),
    ];
    for (name, header, row, title, instead_en) in files {
        let w = Work::new();
        w.write(name, format!("{title}\n单位编号:,\n\n{header}\n{row}\n"));
        let zh = w.run(&["check", name, "--region", "shenzhen", "--period", "2026-03"]);
        assert_eq!(code(&zh), 2, "{}", stderr(&zh));
        let text = stderr(&zh);
        assert!(text.contains("[H010]") && text.contains(title), "{text}");
        assert!(!text.contains("H002"), "{text}");
        let en = w.run(&[
            "check", name, "--region", "shenzhen", "--period", "2026-03", "--lang", "en",
        ]);
        assert_eq!(code(&en), 2);
        assert!(stderr(&en).contains(instead_en), "{}", stderr(&en));
        assert!(
            !w.path("headcount-out").exists(),
            "nothing written on a refusal"
        );
    }
}

/// Huangshi's 单位职工社会保险暂停 (real-world.md §2.7) names people by ID alone: the file is
/// read as exported (no name column, no change type: the layout says reductions), and a
/// planted wrong check character lands on its row and column.
#[test]
fn huangshi_suspension_is_read_without_a_name_column() {
    let a = common::resident_id("42020219850611123");
    let b = common::resident_id("42020219900307456");
    let mut bad = common::resident_id("42020219920101789");
    let last = if bad.ends_with('1') { '2' } else { '1' };
    bad.pop();
    bad.push(last);
    let w = Work::new();
    w.write(
        "单位职工社会保险暂停.csv",
        format!(
            "证件号码,停保时间,停保原因,停保险种\n\
             {a},202603,解除劳动关系,养老、医疗、失业、工伤\n\
             {bad},202603,无法联系,养老\n\
             {b},202603,入学,养老、医疗、失业、工伤\n"
        ),
    );
    let o = w.run(&[
        "check",
        "单位职工社会保险暂停.csv",
        "--period",
        "2026-03",
        "--as-of",
        "2026-03-10",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let errors = w.read("headcount-out/errors.csv");
    let rejected: Vec<&str> = errors.lines().filter(|l| l.contains(",error,")).collect();
    assert_eq!(rejected.len(), 1, "{errors}");
    assert!(
        rejected[0].starts_with("单位职工社会保险暂停.csv,,3,证件号码,")
            && rejected[0].contains(",V003,"),
        "{errors}"
    );
    let summary = w.read("headcount-out/summary.json");
    assert!(summary.contains("\"layout\""), "{summary}");
}
