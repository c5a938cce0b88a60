//! Issue 15, the write and audit side, through the real binary: a full disk, a crash in
//! the middle of a commit, Ctrl-C, other programs' temporary files, ID numbers outside the
//! ID column, and manifests that point `verify` at things it must not trust.

use crate::common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{code, resident_id, stderr, Work};

const HEADER: &str = "姓名,证件类型,证件号码,变动类型,性别,出生日期,入职日期,参保年月,缴费基数,离职日期,减员原因,人员类别,手机号码,统一社会信用代码";

/// An addition row whose ID is unique per `i`; `sex` 男 is right, 女 gives V008.
fn row(i: usize, sex: &str) -> String {
    let d = i / 1000;
    let (y, m, day) = (1970 + d / 336, (d / 28) % 12 + 1, d % 28 + 1);
    let seq = (i % 500) * 2 + 1;
    let id = resident_id(&format!("110105{y:04}{m:02}{day:02}{seq:03}"));
    format!(
        "张三,居民身份证,{id},增员,{sex},{y:04}-{m:02}-{day:02},2025-08-04,202508,12000,,,,13812345678,91110000600037341L"
    )
}

fn csv(rows: usize, sex: &str) -> String {
    let mut s = String::with_capacity(rows * 130 + 200);
    s.push_str(HEADER);
    s.push('\n');
    for i in 0..rows {
        s.push_str(&row(i, sex));
        s.push('\n');
    }
    s
}

fn args<'a>(input: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        input,
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
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names(dir)
        .into_iter()
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).unwrap();
            (n, b)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// full disk

/// A file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with EFBIG instead
/// of killing the process) stands in for a full disk: the first output to outgrow it fails
/// to write, as it would on a full disk, in the workbook writer or a CSV writer.
#[cfg(target_os = "linux")]
fn run_with_file_limit(w: &Work, kib: u64, a: &[&str]) -> Output {
    Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -f {kib}; trap '' XFSZ; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_headcount"))
        .args(a)
        .current_dir(w.dir.path())
        .output()
        .expect("bash")
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_while_writing_outputs_exits_2_naming_the_folder() {
    let w = Work::new();
    w.write("small.csv", csv(3, "男"));
    assert_eq!(code(&w.run(&args("small.csv", "out"))), 0);
    let before = snapshot(&w.path("out"));
    // 3,000 rows each with a finding: errors.xlsx's spilled rows are the largest file.
    w.write("big.csv", csv(3000, "女"));
    for (lang, folder_word) in [("zh", "out"), ("en", "out")] {
        let mut a = args("big.csv", "out");
        a.extend(["--lang", lang]);
        let o = run_with_file_limit(&w, 256, &a);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{err}");
        assert!(err.contains(folder_word), "{err}");
        assert!(!err.contains("panicked") && !err.contains("xml"), "{err}");
        // The panic inside the workbook writer, rendered as a program error.
        match lang {
            "zh" => assert!(
                err.contains("无法写入输出文件夹 out：文件超过系统允许的大小"),
                "{err}"
            ),
            _ => assert!(
                err.contains("cannot write into the output folder out: a file exceeds"),
                "{err}"
            ),
        }
        assert_eq!(snapshot(&w.path("out")), before, "previous outputs survive");
    }
}

// ---------------------------------------------------------------------------------------
// commit protocol

/// A crash after the first rename (the internal test hook aborts the process there) leaves
/// a new errors.csv beside older files; the commit marker makes that detectable: `verify`
/// refuses the folder, the next run says so and repairs it.
#[cfg(unix)]
#[test]
fn kill_between_renames_leaves_a_detectable_partial_commit() {
    let w = Work::new();
    w.write("a.csv", csv(3, "男"));
    assert_eq!(code(&w.run(&args("a.csv", "out"))), 0);
    w.write("b.csv", csv(5, "女"));
    let o = Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(args("b.csv", "out"))
        .env("HEADCOUNT_INTERNAL_ABORT_AFTER_RENAMES", "1")
        .current_dir(w.dir.path())
        .output()
        .unwrap();
    assert!(o.status.code().is_none(), "aborted by the hook: {o:?}");
    assert!(names(&w.path("out")).contains(&".headcount-commit.json".to_string()));

    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    let err = stderr(&v);
    assert_eq!(code(&v), 2, "{err}");
    assert!(err.contains("partial commit from run"), "{err}");
    assert!(err.contains("errors.csv are from that run"), "{err}");

    let again = w.run(&args("b.csv", "out"));
    assert_eq!(code(&again), 1, "{}", stderr(&again));
    assert!(
        stderr(&again).contains("未完成的提交"),
        "{}",
        stderr(&again)
    );
    let left = names(&w.path("out"));
    assert!(
        left.iter().all(|n| !n.starts_with('.')),
        "marker and temporary files are gone: {left:?}"
    );
    assert_eq!(code(&w.run(&["verify", "out/manifest.json"])), 0);
}

// ---------------------------------------------------------------------------------------
// temporary files and signals

#[cfg(unix)]
#[test]
fn temp_files_that_are_not_headcounts_survive_a_run() {
    let w = Work::new();
    w.write("a.csv", csv(3, "男"));
    let others = [
        ".errors.csv.Ab3xYz.tmp",
        ".summary.json.q1W2e3.tmp",
        ".report.xlsx.zzzzzz.tmp",
        ".headcount-4999999-Ab3xYz.notes.txt.tmp",
    ];
    for n in others {
        w.write(&format!("out/{n}"), "someone else's");
    }
    // A killed headcount run's staging file (its pid cannot be running) is removed.
    w.write("out/.headcount-4999999-Ab3xYz.errors.csv.tmp", "ours");
    assert_eq!(code(&w.run(&args("a.csv", "out"))), 0);
    let left = names(&w.path("out"));
    for n in others {
        assert!(left.contains(&n.to_string()), "{n} removed: {left:?}");
    }
    assert!(!left.contains(&".headcount-4999999-Ab3xYz.errors.csv.tmp".to_string()));
}

#[cfg(unix)]
fn interrupt_removes_temp_files(signal: &str, expected: i32, lang: &str, said: &str) {
    let w = Work::new();
    w.write("a.csv", csv(3, "男"));
    assert_eq!(code(&w.run(&args("a.csv", "out"))), 0);
    let before = snapshot(&w.path("out"));
    w.write("big.csv", csv(150_000, "男"));
    let mut a = args("big.csv", "out");
    a.extend(["--jobs", "1", "--lang", lang]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_headcount"))
        .args(&a)
        .current_dir(w.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = w.path("out");
    // Wait until a staged file holds data (full ID numbers), then signal.
    loop {
        let staged = std::fs::read_dir(&out).unwrap().flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(".headcount-")
                && n.ends_with(".submission.csv.tmp")
                && e.metadata().is_ok_and(|m| m.len() > 0)
        });
        if staged {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "the run ended first");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(expected), "{err}");
    assert!(err.contains(said), "{err}");
    assert_eq!(
        snapshot(&out),
        before,
        "no temporary file left, outputs unchanged"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_removes_temp_files_holding_ids_and_exits_130() {
    interrupt_removes_temp_files("-INT", 130, "zh", "已删除本次运行的");
}

#[cfg(unix)]
#[test]
fn sigterm_removes_temp_files_and_exits_143() {
    interrupt_removes_temp_files("-TERM", 143, "en", "removed this run's");
}

// ---------------------------------------------------------------------------------------
// verify does not trust its manifest

fn manifest(w: &Work) -> serde_json::Value {
    serde_json::from_str(&w.read("out/manifest.json")).unwrap()
}

fn write_manifest(w: &Work, m: &serde_json::Value) {
    w.write(
        "out/manifest.json",
        serde_json::to_string_pretty(m).unwrap(),
    );
}

#[cfg(unix)]
#[test]
fn verify_refuses_a_fifo_or_a_device_named_by_the_manifest() {
    let w = Work::new();
    w.write("a.csv", csv(3, "男"));
    assert_eq!(code(&w.run(&args("a.csv", "out"))), 0);
    let fifo = w.path("pipe.csv");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let good = manifest(&w);
    for input in ["/dev/zero", "pipe.csv"] {
        let mut m = good.clone();
        m["inputs"][0]["path"] = input.into();
        write_manifest(&w, &m);
        let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
        let err = stderr(&v);
        assert_eq!(code(&v), 2, "{err}");
        assert!(
            err.contains(&format!("{input}: not a regular file")),
            "{err}"
        );
    }
    // The manifest itself.
    for path in ["/dev/zero", "pipe.csv"] {
        let v = w.run(&["verify", path, "--lang", "en"]);
        assert_eq!(code(&v), 2, "{}", stderr(&v));
        assert!(stderr(&v).contains("not a regular file"), "{}", stderr(&v));
    }
}

#[test]
fn verify_checks_the_policy_file_against_its_recorded_hash() {
    let w = Work::new();
    w.write("a.csv", csv(3, "男"));
    w.write(
        "mine.toml",
        "[[region]]\nname = \"beijing\"\ninjury_rate = \"0.005\"\n",
    );
    let mut a = args("a.csv", "out");
    a.extend(["--policy", "mine.toml"]);
    assert_eq!(code(&w.run(&a)), 0);
    assert_eq!(code(&w.run(&["verify", "out/manifest.json"])), 0);
    let good = manifest(&w);

    // The hash removed: the file named in the arguments is not used unchecked.
    let mut m = good.clone();
    m["policy"].as_object_mut().unwrap().remove("file");
    write_manifest(&w, &m);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 2, "{}", stderr(&v));
    assert!(
        stderr(&v).contains("without its recorded hash"),
        "{}",
        stderr(&v)
    );

    // The hash pointed at another file than the arguments name.
    let mut m = good.clone();
    w.write("other.toml", w.read("mine.toml"));
    m["policy"]["file"]["path"] = "other.toml".into();
    write_manifest(&w, &m);
    let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
    assert_eq!(code(&v), 2, "{}", stderr(&v));
    assert!(stderr(&v).contains("two policy files"), "{}", stderr(&v));
}

/// A file name that is not UTF-8 (增减员 in GBK, as a Chinese Windows share shows it on
/// Linux) and one holding a backslash are recorded losslessly and verify.
#[cfg(unix)]
#[test]
fn gbk_and_backslash_file_names_are_recorded_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let w = Work::new();
    let gbk =
        std::ffi::OsStr::from_bytes(&[0xd4, 0xf6, 0xbc, 0xf5, 0xd4, 0xb1, b'.', b'c', b's', b'v']);
    for name in [gbk, std::ffi::OsStr::new("a\\b.csv")] {
        std::fs::write(w.dir.path().join(name), csv(3, "男")).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_headcount"))
            .args(["run"])
            .arg(name)
            .args(&args("x", "out")[2..])
            .current_dir(w.dir.path())
            .output()
            .unwrap();
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let m = manifest(&w);
        assert!(m["inputs"][0]["path_hex"].is_string(), "{m}");
        let v = w.run(&["verify", "out/manifest.json", "--lang", "en"]);
        assert_eq!(
            code(&v),
            0,
            "{}{}",
            String::from_utf8_lossy(&v.stdout),
            stderr(&v)
        );
    }
}

// ---------------------------------------------------------------------------------------
// privacy

/// Every text part of a workbook (cells, shared strings, notes), unzipped.
fn workbook_text(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        if std::io::Read::read_to_string(&mut f, &mut s).is_ok() {
            all.push_str(&s);
        }
    }
    all
}

/// IDs in the wrong column (姓名 and 手机号码 swapped), in an unmapped remarks column, in
/// full-width digits, and a birth-date column that disagrees with the ID (V009): with
/// masking on, no report lets a reader rebuild a number: neither the ID, nor its 8 birth
/// digits, nor a full birth date.
#[test]
fn ids_outside_the_id_column_are_masked_in_every_report() {
    let w = Work::new();
    let a = resident_id("11010519900307123");
    let b = resident_id("11010819851111002");
    let c = resident_id("11010219770615003");
    let wide: String = c
        .chars()
        .map(|ch| char::from_u32(ch as u32 + 0xFEE0).unwrap())
        .collect();
    let text = format!(
        "姓名,证件类型,证件号码,变动类型,性别,出生日期,入职日期,参保年月,缴费基数,手机号码,备注\n\
         {b},居民身份证,{a},增员,男,1990-03-08,2025-08-04,202508,12000,张三,原证件{b}\n\
         李四,居民身份证,{c},增员,男,1977-06-15,2025-08-04,202508,面议,13812345678,备用{wide}\n"
    );
    w.write("in.csv", text);
    let forbidden = [
        a.clone(),
        b.clone(),
        c.clone(),
        wide.clone(),
        a[6..14].to_string(),
        b[6..14].to_string(),
        "1990-03-07".into(),
        "1990-03-08".into(),
        "1977-06-15".into(),
    ];
    let check = |what: &str, text: &str| {
        for f in &forbidden {
            assert!(!text.contains(f.as_str()), "{what} shows {f}:\n{text}");
        }
    };
    let mut run = args("in.csv", "out");
    run.push("--xlsx");
    let o = w.run(&run);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    check("errors.csv", &w.read("out/errors.csv"));
    check("summary.json", &w.read("out/summary.json"));
    check("errors.xlsx", &workbook_text(&w.path("out/errors.xlsx")));
    check("stderr", &stderr(&o));
    // The V009 row is reported, masked.
    assert!(w.read("out/errors.csv").contains("1990-**-**"));

    let json = w.run(&[
        "check",
        "in.csv",
        "--format",
        "json",
        "--as-of",
        "2025-08-20",
    ]);
    let lines = String::from_utf8_lossy(&json.stdout).into_owned();
    assert!(lines.lines().count() >= 2, "{lines}");
    check("JSON Lines", &lines);

    // --no-mask keeps the numbers for those who asked.
    let mut full = args("in.csv", "full");
    full.push("--no-mask");
    w.run(&full);
    assert!(w.read("full/errors.csv").contains(&a));
}

// ---------------------------------------------------------------------------------------
// panics

/// The sample workbook with its shared-strings count set to 2^64 - 1: a reader that trusts
/// the count panics (capacity overflow). Whether the reader panics or refuses the file,
/// the run ends with exit 2 naming the file, and no panic text or cell content is shown.
#[test]
fn a_panic_while_reading_is_exit_2_naming_the_file_not_its_content() {
    let sample = std::fs::read(common::repo().join("samples/2025-08_增减员.xlsx")).unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(sample)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if name.ends_with("sharedStrings.xml") {
            let text = String::from_utf8(bytes).unwrap();
            let start = text.find("uniqueCount=\"").unwrap() + 13;
            let end = start + text[start..].find('"').unwrap();
            bytes = format!("{}18446744073709551615{}", &text[..start], &text[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    let w = Work::new();
    w.write("count.xlsx", out.finish().unwrap().into_inner());
    for lang in ["zh", "en"] {
        let mut a = args("count.xlsx", "out");
        a.extend(["--lang", lang]);
        let o = w.run(&a);
        let err = stderr(&o);
        assert_eq!(code(&o), 2, "{err}");
        assert!(err.contains("count.xlsx"), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("capacity"),
            "{err}"
        );
        assert!(!err.contains("张"), "no cell content: {err}");
    }
}
