//! A bounded mutation campaign per reader, for machines without a nightly toolchain
//! (cargo-fuzz needs one; see fuzz/). Seeds are the samples and files built here in each
//! format; mutations flip, set, cut, repeat and insert bytes, and for zipped workbooks they
//! damage one part *inside* an intact zip (an outer mutation mostly stops at the CRC).
//! Each input goes through open, header plan, streamed rows and the row rules in process;
//! any outcome but a panic is fine, and an input error must name the file.
//!
//! ```sh
//! FUZZ_SECS=120 FUZZ_READER=xls cargo test --release --test it fuzz_readers:: -- --ignored --nocapture
//! ```
//! (`FUZZ_READER`: csv, xlsx, xls, ods, xmlss, html, or unset for all, each for
//! `FUZZ_SECS`.) A panicking input is saved in `fuzz/corpus-crashes/<reader>/`, and
//! `crash_corpus_is_refused_cleanly` replays that folder on every `cargo test`.

use crate::build;
use crate::common;
// The fuzz targets' reader, shared so the two cannot drift apart.
#[allow(dead_code)]
#[path = "../../fuzz/fuzz_targets/common.rs"]
mod reading;

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use headcount::finding::Lang;

const READERS: [&str; 6] = ["csv", "xlsx", "xls", "ods", "xmlss", "html"];

/// Reads one file through the reading and row stages; an error must name the file.
fn read_file(path: &Path, name: &str) -> Result<(), String> {
    match reading::read(path, name) {
        Ok(()) => Ok(()),
        Err(e) => {
            let m = e.message(Lang::En);
            if m.contains(name) {
                Ok(())
            } else {
                Err(format!("the message does not name the file: {m}"))
            }
        }
    }
}

const HEADER: [&str; 7] = [
    "姓名",
    "证件号码",
    "变动类型",
    "入职日期",
    "参保年月",
    "缴费基数",
    "备注",
];

fn rows() -> Vec<Vec<String>> {
    (0..6)
        .map(|i| {
            vec![
                format!("员工{i}"),
                common::resident_id(&format!("110105199003{:05}", 7000 + i)),
                if i % 2 == 0 { "增员" } else { "减员" }.to_string(),
                "2025-08-01".into(),
                "202508".into(),
                "8000.50".into(),
                if i == 3 { "a \"quoted\" remark" } else { "" }.into(),
            ]
        })
        .collect()
}

fn seeds(reader: &str) -> Vec<(String, Vec<u8>)> {
    let repo = common::repo();
    let mut out = Vec::new();
    let table: Vec<Vec<String>> = std::iter::once(HEADER.iter().map(|s| s.to_string()).collect())
        .chain(rows())
        .collect();
    match reader {
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &table {
                w.write_record(r).unwrap();
            }
            let text = w.into_inner().unwrap();
            out.push(("in.csv".into(), text.clone()));
            let gbk = encoding_rs::GB18030
                .encode(std::str::from_utf8(&text).unwrap())
                .0
                .into_owned();
            out.push(("in.txt".into(), gbk));
            if let Ok(s) = std::fs::read(repo.join("samples/2025-08_分公司.csv")) {
                out.push(("in.csv".into(), s));
            }
        }
        "xlsx" => {
            if let Ok(s) = std::fs::read(repo.join("samples/2025-08_增减员.xlsx")) {
                out.push(("in.xlsx".into(), s));
            }
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (r, row) in table.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    sheet.write_string(r as u32, c as u16, v).unwrap();
                }
            }
            out.push(("in.xlsx".into(), book.save_to_buffer().unwrap()));
        }
        "xls" => {
            let mut cells = Vec::new();
            for (r, row) in table.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    cells.push((r as u16, c as u16, build::Value::Text(v.clone())));
                }
            }
            cells.push((9, 2, build::Value::Num(8000.5)));
            out.push((
                "in.xls".into(),
                build::cfb("Workbook", &build::biff(&cells)),
            ));
        }
        "ods" => {
            let mut content = String::from(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">"#,
            );
            for r in &table {
                content.push_str("<table:table-row>");
                for v in r {
                    content.push_str(&format!(r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#));
                }
                content.push_str(
                    r#"<table:table-cell table:number-columns-repeated="3"/></table:table-row>"#,
                );
            }
            content.push_str(r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="10"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#);
            let manifest = br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
            out.push((
                "in.ods".into(),
                build::zip_of(&[
                    (
                        "mimetype",
                        b"application/vnd.oasis.opendocument.spreadsheet",
                    ),
                    ("META-INF/manifest.xml", manifest),
                    ("content.xml", content.as_bytes()),
                ]),
            ));
        }
        "xmlss" => {
            let mut x = String::from(
                r#"<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="增员"><Table>"#,
            );
            for (i, r) in table.iter().enumerate() {
                x.push_str(if i == 2 {
                    r#"<Row ss:Index="4">"#
                } else {
                    "<Row>"
                });
                for (c, v) in r.iter().enumerate() {
                    let at = if c == 3 { r#" ss:Index="4""# } else { "" };
                    x.push_str(&format!(
                        r#"<Cell{at}><Data ss:Type="String">{}</Data></Cell>"#,
                        v.replace('"', "&quot;")
                    ));
                }
                x.push_str("</Row>");
            }
            x.push_str(r#"<Row><Cell ss:MergeAcross="2"><Data ss:Type="Number">1.5</Data></Cell></Row></Table></Worksheet></Workbook>"#);
            out.push(("in.xls".into(), x.into_bytes()));
        }
        "html" => {
            let mut h = String::from(
                "<html><head><meta charset=\"utf-8\"></head><body><table><tr><th colspan=1>",
            );
            h.push_str(&HEADER.join("</th><th>"));
            h.push_str("</th></tr>");
            for (i, r) in rows().iter().enumerate() {
                h.push_str("<tr>");
                for (c, v) in r.iter().enumerate() {
                    let span = if i == 1 && c == 2 { " rowspan=2" } else { "" };
                    h.push_str(&format!("<td{span}>{}</td>", v.replace('&', "&amp;")));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table></body></html>");
            out.push(("in.xls".into(), h.into_bytes()));
        }
        _ => {}
    }
    out
}

/// xorshift64*: deterministic, so a campaign can be repeated.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, mut b: Vec<u8>) -> Vec<u8> {
    const INTERESTING: &[u8] = b"\0\xFF\x7F\x80\"\n\r<>&,\t0";
    for _ in 0..1 + rng.below(4) {
        if b.is_empty() {
            b.push(b'<');
        }
        let at = rng.below(b.len());
        match rng.below(7) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b[at] = INTERESTING[rng.below(INTERESTING.len())],
            2 => b.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                for _ in 0..1 + rng.below(8) {
                    b.splice(at..at, chunk.iter().copied());
                }
            }
            4 => {
                let end = (at + 1 + rng.below(64)).min(b.len());
                b.drain(at..end);
            }
            5 => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                b.splice(at..at, bytes);
            }
            _ => {
                // A digit run made huge: counts, indexes, sizes.
                let digits = b"4294967295999";
                b.splice(at..at, digits.iter().copied());
            }
        }
    }
    b
}

/// Damages one part inside a zip, keeping the zip itself valid.
fn mutate_inside(rng: &mut Rng, zipped: &[u8]) -> Vec<u8> {
    let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(zipped)) else {
        return mutate(rng, zipped.to_vec());
    };
    let victim = rng.below(z.len());
    let mut parts = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if i == victim {
            bytes = mutate(rng, bytes);
        }
        parts.push((name, bytes));
    }
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    build::zip_of(&refs)
}

/// The input being read and since when, for the watchdog.
type Current = std::sync::Arc<std::sync::Mutex<Option<(Instant, String, Vec<u8>)>>>;

/// An input that runs past 20 s is a hang: kept as `hang-*` and the campaign stops (a hung
/// call cannot be interrupted in process).
fn watchdog(reader: &'static str, current: Current) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        let Ok(guard) = current.lock() else { return };
        if let Some((since, name, bytes)) = guard.as_ref() {
            if since.elapsed() > Duration::from_secs(20) {
                let keep = common::repo()
                    .join("fuzz/corpus-crashes")
                    .join(reader)
                    .join(format!("hang-{name}"));
                let _ = std::fs::create_dir_all(keep.parent().unwrap());
                let _ = std::fs::write(&keep, bytes);
                eprintln!("{reader}: an input hangs; kept as {}", keep.display());
                std::process::exit(101);
            }
        }
    });
}

fn campaign(reader: &'static str, budget: Duration, dir: &Path) -> (u64, Vec<String>, Duration) {
    let current: Current = Default::default();
    watchdog(reader, current.clone());
    let seeds = seeds(reader);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ reader.len() as u64);
    let start = Instant::now();
    let mut runs = 0u64;
    let mut crashes = Vec::new();
    let mut slowest = Duration::ZERO;
    while start.elapsed() < budget {
        let (name, seed) = &seeds[rng.below(seeds.len())];
        let zipped = matches!(reader, "xlsx" | "ods");
        let input = if zipped && rng.below(4) != 0 {
            mutate_inside(&mut rng, seed)
        } else {
            mutate(&mut rng, seed.clone())
        };
        let path = dir.join(name);
        std::fs::write(&path, &input).unwrap();
        let t = Instant::now();
        if let Ok(mut c) = current.lock() {
            *c = Some((t, name.clone(), input.clone()));
        }
        let outcome = std::panic::catch_unwind(|| read_file(&path, name));
        if let Ok(mut c) = current.lock() {
            *c = None;
        }
        slowest = slowest.max(t.elapsed());
        runs += 1;
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(m)) => Some(m),
            Err(_) => Some("panic".to_string()),
        };
        if let Some(why) = failure {
            let keep = common::repo()
                .join("fuzz/corpus-crashes")
                .join(reader)
                .join(format!("{runs:08}-{name}"));
            let _ = std::fs::create_dir_all(keep.parent().unwrap());
            let _ = std::fs::File::create(&keep).and_then(|mut f| f.write_all(&input));
            crashes.push(format!("{}: {why}", keep.display()));
        }
    }
    (runs, crashes, slowest)
}

#[test]
#[ignore = "a time-bounded campaign: FUZZ_SECS=120 cargo test --release --test it fuzz_readers:: -- --ignored"]
fn fuzz_readers() {
    let secs: u64 = std::env::var("FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let only = std::env::var("FUZZ_READER").ok();
    let dir = tempfile::tempdir().unwrap();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut all = Vec::new();
    for reader in READERS {
        if only.as_deref().is_some_and(|o| o != reader) {
            continue;
        }
        let (runs, crashes, slowest) = campaign(reader, Duration::from_secs(secs), dir.path());
        println!(
            "{reader}: {runs} inputs in {secs} s, {} failures, slowest input {} ms",
            crashes.len(),
            slowest.as_millis()
        );
        all.extend(crashes);
    }
    std::panic::set_hook(hook);
    // Each campaign's watchdog stops with it (it finds nothing to watch).
    assert!(all.is_empty(), "failing inputs kept:\n{}", all.join("\n"));
}

/// Every input a campaign ever found failing, replayed: it must now be read or refused
/// with a message naming the file.
#[test]
fn crash_corpus_is_refused_cleanly() {
    let root = common::repo().join("fuzz/corpus-crashes");
    let Ok(readers) = std::fs::read_dir(&root) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for reader in readers.flatten().filter(|r| r.path().is_dir()) {
        for entry in std::fs::read_dir(reader.path()).unwrap().flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = dir.path().join(&name);
            std::fs::write(&path, bytes).unwrap();
            let outcome = std::panic::catch_unwind(|| read_file(&path, &name));
            assert!(
                matches!(outcome, Ok(Ok(()))),
                "{}: {:?}",
                entry.path().display(),
                outcome.map_err(|_| "panic")
            );
        }
    }
}
