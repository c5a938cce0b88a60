//! report.html: the sample month's page in headless Chromium (non-blank screenshot, no
//! console errors, no network request, totals equal summary.json's), hostile user text shown
//! as text, `verify` over the page, and a size that does not grow with the rows.
//!
//! Chromium is `/usr/bin/chromium` (Debian's package; `.ci/run` installs it) or
//! `$HEADCOUNT_CHROMIUM`. Without it the browser checks fail under CI=true and are skipped,
//! with a note, elsewhere; the static checks on the HTML always run.

use crate::common;

use crate::datagen;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{code, repo, resident_id, stderr, Work};

/// Runs the README's sample command from the repository root into `out`.
fn run_samples(out: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_headcount"))
        .current_dir(repo())
        .args(common::SAMPLE_RUN)
        .args(["--employer", "91110000600037341L", "--xlsx", "--quiet"])
        .args(extra)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run headcount")
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("HEADCOUNT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.exists() {
        return Some(path);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "CI: Chromium is required for the report tests ({} is missing; .ci/run installs it)",
        path.display()
    );
    eprintln!(
        "note: {} not found; the browser checks of report.html are skipped (they are required under CI=true)",
        path.display()
    );
    None
}

/// What one headless Chromium load of a page gave.
struct Loaded {
    dom: String,
    /// `:CONSOLE:` lines of Chromium's log: console messages and uncaught errors.
    console: Vec<String>,
    /// Requests the page started (the NetLog's requests with the file page as initiator).
    page_requests: usize,
}

/// Loads `page` offline (every host name resolves to nothing) and, when `screenshot` is
/// given, writes a 1280-pixel-wide PNG of it there.
fn load(chromium: &Path, page: &Path, screenshot: Option<&Path>) -> Loaded {
    let profile = tempfile::tempdir().unwrap();
    let netlog = profile.path().join("net.json");
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,2000",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(format!("--log-net-log={}", netlog.display()));
    match screenshot {
        Some(png) => cmd.arg(format!("--screenshot={}", png.display())),
        None => cmd.arg("--dump-dom"),
    };
    let o = cmd.arg(&url).output().expect("run chromium");
    assert!(o.status.success(), "chromium: {}", stderr(&o));
    let log = stderr(&o);
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let mut net = String::new();
    std::fs::File::open(&netlog)
        .and_then(|mut f| f.read_to_string(&mut net))
        .expect("chromium wrote no net log");
    Loaded {
        dom: String::from_utf8_lossy(&o.stdout).into_owned(),
        console,
        // A file:// page is an opaque origin: its requests carry the initiator "null";
        // Chromium's own background requests carry none.
        page_requests: net.matches("\"initiator\":\"null\"").count(),
    }
}

/// No address the page could fetch: no scheme-relative or absolute URL, and `src`/`href`
/// only to anchors or `data:`.
fn assert_self_contained(html: &str) {
    for bad in [
        "http://", "https://", "//", "url(", "@import", "<link", "<img", "<iframe",
    ] {
        assert!(!html.contains(bad), "report.html contains `{bad}`");
    }
    // Every `<` of user text is escaped, so what lies between `<` and `>` is markup.
    for tag in html
        .split('<')
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|t| t.0))
    {
        for attr in ["src=", "href="] {
            if let Some(i) = tag.find(attr) {
                let value = tag[i + attr.len()..].trim_start_matches(['"', '\'']);
                assert!(
                    value.starts_with('#') || value.starts_with("data:"),
                    "report.html: <{tag}>"
                );
            }
        }
    }
}

/// `id="NAME" data-value="V"` → V, from the page or the DOM Chromium rendered.
fn value_of(html: &str, id: &str) -> String {
    let key = format!("id=\"{id}\" data-value=\"");
    let at = html
        .find(&key)
        .unwrap_or_else(|| panic!("no {key} in the page"))
        + key.len();
    html[at..].split('"').next().unwrap().to_string()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) into pixels.
fn png_pixels(bytes: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut width, mut height, mut channels) = (0usize, 0usize, 0usize);
    let mut idat = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "bit depth");
                assert_eq!(data[12], 0, "interlaced");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    t => panic!("colour type {t}"),
                };
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let line = &raw[y * (stride + 1)..(y + 1) * (stride + 1)];
        let mut cur = line[1..].to_vec();
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 } as i16;
            let b = prev[i] as i16;
            let c = if i >= channels { prev[i - channels] } else { 0 } as i16;
            let add = match line[0] {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("filter {f}"),
            };
            cur[i] = cur[i].wrapping_add(add as u8);
        }
        for px in cur.chunks(channels) {
            pixels.push([px[0], px[1], px[2]]);
        }
        prev = cur;
    }
    (width, height, pixels)
}

#[test]
fn sample_month_report_in_headless_chromium() {
    let out = tempfile::tempdir().unwrap();
    let o = run_samples(out.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let page = out.path().join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);

    // The totals in the page are summary.json's.
    let summary = json(&out.path().join("summary.json"));
    let t = &summary["totals"];
    for (id, want) in [
        ("total-rows-read", t["rows_read"].to_string()),
        ("total-accepted", t["accepted"].to_string()),
        ("total-rejected", t["rejected"].to_string()),
        ("total-blank", t["blank_skipped"].to_string()),
        ("total-errors", summary["findings"]["errors"].to_string()),
        (
            "total-warnings",
            summary["findings"]["warnings"].to_string(),
        ),
    ] {
        assert_eq!(value_of(&html, id), want, "{id}");
    }
    let c = &summary["contributions"];
    for (id, key) in [
        ("total-employer", "employer_total"),
        ("total-employee", "employee_total"),
        ("costs-employer", "employer_total"),
        ("costs-employee", "employee_total"),
    ] {
        assert_eq!(value_of(&html, id), c[key].as_str().unwrap(), "{id}");
    }
    // The lines by kind add up to summary.json's totals; late fees are summary.json's too.
    let kind = |k: &str| -> Option<rust_decimal::Decimal> {
        let row = format!("<tr data-kind=\"{k}\">");
        let at = html.find(&row)?;
        let cells = html[at..].split("</tr>").next().unwrap();
        let v = cells.split("data-value=\"").nth(1)?.split('"').next()?;
        Some(v.parse().unwrap())
    };
    let total =
        |v: &serde_json::Value| -> rust_decimal::Decimal { v.as_str().unwrap().parse().unwrap() };
    assert_eq!(
        kind("regular").unwrap() + kind("backpay").unwrap_or_default(),
        total(&c["employer_total"])
    );
    if let Some(fee) = c.get("late_fees").filter(|f| f["lines"].as_u64() > Some(0)) {
        assert_eq!(kind("late_fee").unwrap(), total(&fee["employer_total"]));
    }
    // Every rule with findings is in the chart's table with its count.
    for (code, v) in summary["findings"]["by_code"].as_object().unwrap() {
        let row = format!("<tr data-code=\"{code}\">");
        let at = html.find(&row).unwrap_or_else(|| panic!("{code} missing"));
        let count = format!("data-count=\"{}\"", v["count"]);
        assert!(
            html[at..].split("</tr>").next().unwrap().contains(&count),
            "{code}"
        );
    }

    // No ID number in full anywhere (messages included): no run of 15 digits outside the
    // file hashes and the policy digest.
    let mut digits = 0;
    for (i, ch) in html.char_indices() {
        let in_hash = html[..i]
            .rfind("<code")
            .is_some_and(|o| !html[o..i].contains("</code>"));
        digits = if ch.is_ascii_digit() && !in_hash {
            digits + 1
        } else {
            0
        };
        assert!(
            digits < 15,
            "an unmasked number near {}",
            &html[i.saturating_sub(40)..i]
        );
    }

    let Some(chromium) = chromium() else { return };

    // The detector sees a request when there is one (else the check below proves nothing).
    let control = out.path().join("control.html");
    std::fs::write(
        &control,
        "<html><body><img src=\"https://example.invalid/a.png\"><script>nosuch();</script></body></html>",
    )
    .unwrap();
    let seen = load(&chromium, &control, None);
    assert!(
        seen.page_requests > 0,
        "the net-log check cannot see requests"
    );
    assert!(
        !seen.console.is_empty(),
        "the console check cannot see errors"
    );

    let loaded = load(&chromium, &page, None);
    assert_eq!(
        loaded.page_requests, 0,
        "report.html made a network request"
    );
    assert!(loaded.console.is_empty(), "console: {:?}", loaded.console);
    assert!(
        loaded.dom.contains("data-js=\"ok\"") && !loaded.dom.contains("data-js-error="),
        "the inline script did not run cleanly"
    );
    // What the browser shows is what summary.json says.
    assert_eq!(
        value_of(&loaded.dom, "total-employer"),
        c["employer_total"].as_str().unwrap()
    );
    assert_eq!(
        value_of(&loaded.dom, "total-rows-read"),
        t["rows_read"].to_string()
    );

    let png = out.path().join("report.png");
    let shot = load(&chromium, &page, Some(&png));
    assert_eq!(shot.page_requests, 0);
    let bytes = std::fs::read(&png).unwrap();
    let (w, h, pixels) = png_pixels(&bytes);
    assert_eq!((w, h), (1280, 2000));
    let background = pixels[0];
    let inked = pixels.iter().filter(|p| **p != background).count();
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(
        inked > pixels.len() / 50,
        "screenshot nearly blank: {inked} pixels"
    );
    assert!(
        colours.len() > 20,
        "screenshot has {} colours",
        colours.len()
    );
    // Printing gives A4 pages (`@page { size: A4 }`; Chromium's default would be Letter).
    let pdf = out.path().join("report.pdf");
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).into_owned();
    let boxes: Vec<&str> = pdf
        .match_indices("/MediaBox [")
        .map(|(i, _)| pdf[i..].split(']').next().unwrap())
        .collect();
    assert!(!boxes.is_empty(), "no pages");
    for b in boxes {
        let nums: Vec<f64> = b[11..]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        // A4 is 595.28 × 841.89 points; Chromium rounds to its device pixels.
        assert!(
            (nums[2] - 595.0).abs() < 2.0 && (nums[3] - 842.0).abs() < 2.0,
            "not A4: {b}"
        );
    }
    if std::env::var_os("UPDATE_REPORT_PNG").is_some() {
        std::fs::write(repo().join("docs/report.png"), &bytes).unwrap();
    }
}

#[test]
fn sample_month_report_text_snapshot() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &[])), 1);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    insta::assert_snapshot!("sample_month_text", visible_text(&html));
}

/// The text a reader sees: tags dropped, style and script left out, one line per block.
fn visible_text(html: &str) -> String {
    let body = &html[html.find("<body>").unwrap()..];
    let mut out = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').unwrap() + open;
        let tag = &rest[open + 1..close];
        if ["tr", "/tr", "p", "/p", "li", "h1", "h2", "h3", "div", "br"]
            .iter()
            .any(|t| tag == *t || tag.starts_with(&format!("{t} ")))
        {
            out.push('\n');
        } else if tag.starts_with("td") || tag.starts_with("th") {
            out.push_str(" | ");
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn hostile_names_and_cells_are_shown_as_text() {
    let w = Work::new();
    let good = resident_id("11010519800101001");
    let bad = |seq: u32| {
        let id = resident_id(&format!("110105198001010{seq:02}"));
        // A wrong check character: V003 puts the row among the problem rows.
        let last = if id.ends_with('1') { '2' } else { '1' };
        format!("{}{last}", &id[..17])
    };
    let hostile = [
        "\"\"\"><img src=x onerror=alert(1)>\"".to_string(),
        "=1+1".into(),
        "+86".into(),
        "-3".into(),
        "@SUM(A1)".into(),
        "a'><svg onload=alert(2)>".into(),
    ];
    let mut csv = String::from("姓名,证件类型,身份证号,变动类型,性别,入职日期,缴费基数,部门\n");
    csv.push_str(&format!(
        "<script>alert(1)</script>,居民身份证,{good},增员,男,2025-08-04,12000,<b>研发</b>\n"
    ));
    let mut bad_ids = Vec::new();
    for (i, name) in hostile.iter().enumerate() {
        let id = bad(3 + 2 * i as u32);
        csv.push_str(&format!(
            "{name},居民身份证,{id},增员,男,2025-08-04,12000,\"\"\"><i>\"\n"
        ));
        bad_ids.push(id);
    }
    w.write("增员.csv", csv);
    let o = w.run(&[
        "run",
        "增员.csv",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "out",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let html = w.read("out/report.html");
    assert_self_contained(&html);
    assert!(!html.contains("<script>alert"), "raw script tag");
    assert!(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<svg onload"));
    for shown in [
        "&lt;b&gt;研发&lt;/b&gt;",
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
        "a&#39;&gt;&lt;svg onload=alert(2)&gt;",
        ">=1+1</td>",
        ">+86</td>",
        ">-3</td>",
        ">@SUM(A1)</td>",
    ] {
        assert!(html.contains(shown), "{shown} is not shown as text");
    }
    // IDs are masked like everywhere else; --no-mask shows them.
    for id in &bad_ids {
        assert!(!html.contains(id.as_str()), "{id} unmasked");
        assert!(html.contains(&headcount::ids::mask(id)), "{id} missing");
    }
    let o = w.run(&[
        "run",
        "增员.csv",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--no-mask",
        "--out",
        "plain",
    ]);
    assert_eq!(code(&o), 1);
    assert!(w.read("plain/report.html").contains(bad_ids[0].as_str()));

    let Some(chromium) = chromium() else { return };
    let loaded = load(&chromium, &w.path("out/report.html"), None);
    assert_eq!(loaded.page_requests, 0);
    assert!(loaded.console.is_empty(), "console: {:?}", loaded.console);
    assert!(loaded.dom.contains("data-js=\"ok\""));
    for element in ["<img", "<b>", "<i>", "<svg onload"] {
        assert!(!loaded.dom.contains(element), "{element} became an element");
    }
    assert!(loaded.dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn verify_covers_the_report_and_reruns_are_identical() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &["--jobs", "1"])), 1);
    let first = std::fs::read(out.path().join("report.html")).unwrap();
    let manifest = json(&out.path().join("manifest.json"));
    assert!(
        manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["path"] == "report.html"),
        "report.html is not in the manifest"
    );
    let again = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(again.path(), &["--jobs", "2"])), 1);
    assert!(first == std::fs::read(again.path().join("report.html")).unwrap());

    let verify = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(repo())
            .arg("verify")
            .arg(dir.join("manifest.json"))
            .args(["--lang", "en"])
            .output()
            .unwrap()
    };
    assert_eq!(code(&verify(out.path())), 0);
    let mut tampered = first.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 1;
    std::fs::write(out.path().join("report.html"), tampered).unwrap();
    let o = verify(out.path());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    assert!(said.contains("report.html"), "{said}");
}

#[test]
fn english_with_lang_en() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(out.path(), &["--lang", "en"])), 1);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    for text in [
        "Headcount report",
        "Accounting per file and sheet",
        "Findings by rule",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(!html.contains("逐文件逐工作表核对"));
}

/// The page lists at most `TOP_ROWS` problem rows, so its size hardly moves with the input:
/// 10 times the rows (and findings) adds little. Sizes, not times; the smaller input already
/// has several times `TOP_ROWS` (100) rows with findings.
#[test]
fn report_size_does_not_grow_with_the_rows() {
    let size = |rows: usize| {
        let dir = tempfile::tempdir().unwrap();
        let spec = datagen::Spec {
            rows,
            roster: 0,
            bad_share: 0.5,
            seed: 11,
        };
        let w = datagen::write(&spec, datagen::Format::Csv, dir.path()).unwrap();
        let w = datagen::Written {
            changes: w.changes.file_name().unwrap().into(),
            roster: None,
            ..w
        };
        let o = Command::new(env!("CARGO_BIN_EXE_headcount"))
            .current_dir(dir.path())
            .args(datagen::args("run", &w, Path::new("out")))
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let summary = json(&dir.path().join("out/summary.json"));
        let findings = summary["findings"]["errors"].as_u64().unwrap();
        let html = std::fs::read(dir.path().join("out/report.html")).unwrap();
        (html.len(), findings)
    };
    let (small, small_findings) = size(1_000);
    let (large, large_findings) = size(10_000);
    assert!(
        large_findings > 9 * small_findings,
        "{small_findings} → {large_findings}"
    );
    eprintln!("report.html: 1,000 rows {small} bytes; 10,000 rows {large} bytes");
    assert!(large < 200_000, "{large} bytes for 10,000 rows");
    assert!(
        large < small + small / 10,
        "grows with the rows: {small} → {large} bytes"
    );
}

/// Departments beyond the 30 largest are summed on one line.
#[test]
fn many_departments_are_capped() {
    let w = Work::new();
    let mut csv = String::from("姓名,证件类型,身份证号,变动类型,性别,入职日期,缴费基数,部门\n");
    for i in 0..40u32 {
        let id = resident_id(&format!("11010519800101{:03}", 2 * i + 1));
        // Distinct bases, so the order by cost is fixed: 部门39 costs the most.
        csv.push_str(&format!(
            "张三,居民身份证,{id},增员,男,2025-08-04,{},部门{i:02}\n",
            10_000 + 100 * i
        ));
    }
    w.write("增员.csv", csv);
    let o = w.run(&[
        "run",
        "增员.csv",
        "--region",
        "beijing",
        "--period",
        "2025-08",
        "--as-of",
        "2025-08-20",
        "--quiet",
        "--out",
        "out",
    ]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    let html = w.read("out/report.html");
    assert!(html.contains(">部门39</td>") && html.contains(">部门10</td>"));
    assert!(
        !html.contains(">部门09</td>"),
        "the smallest ten are summed"
    );
    assert!(html.contains("其他 10 个部门"));
}

/// contributions.csv in GB18030 is read back the same: the page's costs do not change.
#[test]
fn costs_are_the_same_with_gb18030_outputs() {
    let utf8 = tempfile::tempdir().unwrap();
    let gbk = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_samples(utf8.path(), &[])), 1);
    assert_eq!(
        code(&run_samples(gbk.path(), &["--csv-encoding", "gb18030"])),
        1
    );
    let kinds = |dir: &Path| {
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let at = html.find("<table id=\"kinds\">").expect("kinds table");
        html[at..].split("</table>").next().unwrap().to_string()
    };
    let a = kinds(utf8.path());
    assert!(a.contains("data-kind=\"regular\"") && a.contains("data-kind=\"backpay\""));
    assert_eq!(a, kinds(gbk.path()));
}
