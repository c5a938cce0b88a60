//! The reconciliation's outputs: `reconciliation.csv` (one line per difference),
//! `reconciliation.xlsx` (汇总 first, then one sheet per class), `reconciliation.json`
//! (accounting and totals) and `manifest.json`, staged and committed together
//! (`output::atomic`).

use std::collections::BTreeMap;
use std::io::Write;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Worksheet};
use serde::Serialize;

use super::classify::{Difference, CLASSES};
use super::matching::MatchedBy;
use super::model::{Kind, Line, Lines, Part, Person};
use super::tally::Partition;
use super::{Options, Reconciliation};
use crate::error::Error;
use crate::finding::{Lang, Rule};
use crate::output::atomic::Staged;
use crate::output::cells::{money, CsvOut};
use crate::output::manifest::{self, FileHash, Manifest};
use crate::output::xlsx;

pub const CSV: &str = crate::output::RECONCILIATION_CSV;
pub const XLSX: &str = crate::output::RECONCILIATION_XLSX;
pub const JSON: &str = crate::output::RECONCILIATION_JSON;
/// Every file a reconciliation writes.
pub const NAMES: [&str; 4] = [CSV, XLSX, JSON, crate::output::MANIFEST];

/// The class's short id (the csv's `class` column).
pub fn class_id(rule: &Rule) -> &'static str {
    match rule.code {
        "C001" => "billed_not_expected",
        "C002" => "expected_not_billed",
        "C003" => "base_differs",
        "C004" => "amount_differs",
        "C005" => "unexpected_backpay_or_refund",
        "C006" => "month_differs",
        _ => "",
    }
}

/// A sheet name per class (Excel's 31 characters).
fn class_sheet(rule: &Rule, lang: Lang) -> String {
    let short = match (rule.code, lang) {
        ("C001", Lang::Zh) => "漏减（账单有预期无）",
        ("C002", Lang::Zh) => "漏增（预期有账单无）",
        ("C003", Lang::Zh) => "基数不符",
        ("C004", Lang::Zh) => "金额不符",
        ("C005", Lang::Zh) => "预期外补缴退费",
        ("C006", Lang::Zh) => "月份不符",
        ("C001", Lang::En) => "billed not expected",
        ("C002", Lang::En) => "expected not billed",
        ("C003", Lang::En) => "base differs",
        ("C004", Lang::En) => "amount differs",
        ("C005", Lang::En) => "unexpected backpay refund",
        ("C006", Lang::En) => "month differs",
        _ => "",
    };
    format!("{} {short}", rule.code)
}

#[derive(Serialize, Default, Clone, Debug, PartialEq, Eq)]
pub struct SideCount {
    /// Rows below the header: line rows + blank + totals + not compared + zero.
    pub rows: u64,
    pub line_rows: u64,
    pub blank_skipped: u64,
    pub totals_skipped: u64,
    /// Late fees and interest: read, not contributions.
    pub not_compared: u64,
    /// Rows whose amounts are all zero or blank.
    pub zero_rows: u64,
    /// Lines (one per non-zero amount): matched + each class + not_covered.
    pub lines: u64,
    pub matched: u64,
    pub by_class: BTreeMap<String, u64>,
    /// Expected lines of an insurance and part no bill covers.
    pub not_covered: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Total {
    pub insurance: String,
    pub part: String,
    pub billed: Decimal,
    pub expected: Decimal,
    pub difference: Decimal,
}

#[derive(Serialize, Debug)]
struct SheetJson<'a> {
    file: &'a str,
    sheet: &'a str,
    layout: &'a str,
    header_row: u32,
    rows: u64,
    lines: u64,
}

#[derive(Serialize, Debug)]
struct Summary<'a> {
    period: String,
    region: Option<&'a str>,
    tolerance: &'static str,
    bill: SideCount,
    expected: SideCount,
    differences: BTreeMap<String, u64>,
    totals: Vec<Total>,
    sheets: Vec<SheetJson<'a>>,
}

pub fn count(rec: &Reconciliation, bill_side: bool) -> SideCount {
    let (sheets, lines) = if bill_side {
        (&rec.bill_sheets, &rec.bill_counts)
    } else {
        (&rec.expected_sheets, &rec.expected_counts)
    };
    let mut c = SideCount::default();
    for s in sheets {
        c.rows += s.rows;
        c.line_rows += s.line_rows;
        c.blank_skipped += s.blank_skipped;
        c.totals_skipped += s.totals_skipped;
        c.not_compared += s.not_compared;
        c.zero_rows += s.zero_rows;
    }
    c.lines = lines.lines;
    c.matched = lines.matched;
    c.not_covered = lines.not_covered;
    for (r, n) in CLASSES.iter().zip(lines.by_class) {
        c.by_class.insert(r.code.to_string(), n);
    }
    c
}

/// Billed, expected and their difference per insurance and part, then the total. The
/// expected side counts only what the bills cover (`tally`).
pub fn totals(rec: &Reconciliation) -> &[Total] {
    &rec.totals
}

pub fn total(ins: &str, part: &str, billed: Decimal, expected: Decimal) -> Total {
    let mut t = Total {
        insurance: ins.to_string(),
        part: part.to_string(),
        billed,
        expected,
        difference: billed - expected,
    };
    t.billed.rescale(2);
    t.expected.rescale(2);
    t.difference.rescale(2);
    t
}

fn ins_label(id: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => crate::policy::InsuranceId::intern(id)
            .label_zh()
            .unwrap_or(id)
            .to_string(),
        Lang::En => id.to_string(),
    }
}

fn part_label(p: Part, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => p.label_zh(),
        Lang::En => p.id(),
    }
}

fn kind_label(k: Kind, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.id(),
    }
}

/// One difference as the report shows it.
#[derive(Clone, Debug)]
pub struct Row {
    code: &'static str,
    class: &'static str,
    name: String,
    id: String,
    person_no: String,
    matched_by: &'static str,
    insurance: String,
    part: &'static str,
    month_billed: String,
    month_expected: String,
    kind_billed: &'static str,
    kind_expected: &'static str,
    base_billed: Option<Decimal>,
    base_expected: Option<Decimal>,
    amount_billed: Option<Decimal>,
    amount_expected: Option<Decimal>,
    difference: Decimal,
    message: String,
    cause: String,
    bill_file: String,
    bill_sheet: String,
    bill_rows: String,
    expected_rows: String,
}

impl Row {
    /// The difference's code (`C001` …).
    pub fn code(&self) -> &'static str {
        self.code
    }
}

/// What rendering a difference needs beyond its partition's lines.
pub struct RowContext<'a> {
    /// Shown names of the files: the expected contributions.csv first, then the bills.
    pub files: &'a [String],
    pub mask: bool,
    pub lang: Lang,
}

fn first_line<'a>(lines: &'a Lines, side: Option<&super::classify::Side>) -> Option<&'a Line> {
    side.and_then(|s| s.lines.first())
        .and_then(|&i| lines.lines.get(i as usize))
}

/// A difference as the report shows it, from the lines of its partition.
pub fn row_of(ctx: &RowContext<'_>, p: &Partition<'_>, d: &Difference) -> Row {
    let lang = ctx.lang;
    let (bill, expected) = (p.bill, p.expected);
    let bl = first_line(bill, d.billed.as_ref());
    let el = first_line(expected, d.expected.as_ref());
    let (bp, ep) = (bl.map(|l| bill.person(l)), el.map(|l| expected.person(l)));
    let pick = |f: for<'p> fn(&Person<'p>) -> Option<&'p str>| {
        ep.as_ref()
            .and_then(f)
            .or_else(|| bp.as_ref().and_then(f))
            .unwrap_or_default()
            .to_string()
    };
    let name = pick(|p| p.name);
    let id_full = pick(|p| p.id);
    let id = if ctx.mask {
        crate::ids::mask(&id_full)
    } else {
        id_full.clone()
    };
    let person_no = pick(|p| p.person_no);
    let matched_by = d
        .billed
        .as_ref()
        .and_then(|s| s.lines.first())
        .and_then(|&i| bill.lines.get(i as usize))
        .and_then(|l| p.matched_by.get(bill.row(l).person as usize))
        .copied()
        .unwrap_or(MatchedBy::Nothing);
    let month = |s: Option<&super::classify::Side>| {
        s.and_then(|s| s.month)
            .map(|m| m.to_string())
            .unwrap_or_default()
    };
    let (month_billed, month_expected) = (month(d.billed.as_ref()), month(d.expected.as_ref()));
    let opt_money = |v: Option<Decimal>| v.map(money).unwrap_or_default();
    let who = if name.is_empty() {
        id.clone()
    } else {
        format!("{name}（{id}）")
    };
    let who = if id.is_empty() { name.clone() } else { who };
    let insurance = ins_label(d.insurance, lang);
    let part = part_label(d.part, lang);
    let amount_billed = d.billed.as_ref().map(|s| s.amount);
    let amount_expected = d.expected.as_ref().map(|s| s.amount);
    let base_billed = d.billed.as_ref().and_then(|s| s.base);
    let base_expected = d.expected.as_ref().and_then(|s| s.base);
    let shown_month = if month_billed.is_empty() {
        month_expected.clone()
    } else {
        month_billed.clone()
    };
    let kind_billed = d.billed.as_ref().map_or("", |s| kind_label(s.kind, lang));
    let args: Vec<(&'static str, String)> = vec![
        ("who", who),
        ("insurance", insurance.clone()),
        ("part", part.to_string()),
        ("month", shown_month),
        ("month_billed", month_billed.clone()),
        ("month_expected", month_expected.clone()),
        ("billed", opt_money(amount_billed)),
        ("expected", opt_money(amount_expected)),
        ("base_billed", opt_money(base_billed)),
        ("base_expected", opt_money(base_expected)),
        ("difference", money(d.difference())),
        ("kind", kind_billed.to_string()),
    ];
    let (template, hint) = match lang {
        Lang::Zh => (d.rule.message_zh, d.rule.hint_zh),
        Lang::En => (d.rule.message_en, d.rule.hint_en),
    };
    let rows = |s: Option<&super::classify::Side>, lines: &Lines| {
        let mut r: Vec<u32> = s
            .map(|s| {
                s.lines
                    .iter()
                    .filter_map(|&i| lines.lines.get(i as usize))
                    .map(|l| lines.row(l).row)
                    .collect()
            })
            .unwrap_or_default();
        r.sort_unstable();
        r.dedup();
        r.iter().map(u32::to_string).collect::<Vec<_>>().join(" ")
    };
    Row {
        code: d.rule.code,
        class: class_id(d.rule),
        name,
        id,
        person_no,
        matched_by: matched_by.id(),
        insurance,
        part,
        month_billed,
        month_expected,
        kind_billed,
        kind_expected: d.expected.as_ref().map_or("", |s| kind_label(s.kind, lang)),
        base_billed,
        base_expected,
        amount_billed,
        amount_expected,
        difference: d.difference(),
        message: crate::finding::fill(template, &args, lang),
        cause: hint.to_string(),
        bill_file: bl
            .and_then(|l| ctx.files.get(bill.row(l).file as usize))
            .cloned()
            .unwrap_or_default(),
        bill_sheet: bl.map(|l| bill.sheet(l).to_string()).unwrap_or_default(),
        bill_rows: rows(d.billed.as_ref(), bill),
        expected_rows: rows(d.expected.as_ref(), expected),
    }
}

const HEADER: [&str; 23] = [
    "code",
    "class",
    "name",
    "id_number",
    "person_no",
    "matched_by",
    "insurance",
    "part",
    "month_billed",
    "month_expected",
    "kind_billed",
    "kind_expected",
    "base_billed",
    "base_expected",
    "amount_billed",
    "amount_expected",
    "difference",
    "message",
    "cause",
    "bill_file",
    "bill_sheet",
    "bill_rows",
    "expected_rows",
];

fn write_csv<W: Write>(w: W, rows: &[Row]) -> Result<(), Error> {
    let mut out = CsvOut::new(w, CSV, &HEADER)?;
    let m = |v: Option<Decimal>| v.map(money).unwrap_or_default();
    for r in rows {
        out.num(r.code)
            .num(r.class)
            .text(&r.name)
            .text(&r.id)
            .text(&r.person_no)
            .num(r.matched_by)
            .text(&r.insurance)
            .text(r.part)
            .num(&r.month_billed)
            .num(&r.month_expected)
            .text(r.kind_billed)
            .text(r.kind_expected)
            .num(m(r.base_billed))
            .num(m(r.base_expected))
            .num(m(r.amount_billed))
            .num(m(r.amount_expected))
            .num(money(r.difference))
            .text(&r.message)
            .text(&r.cause)
            .text(&r.bill_file)
            .text(&r.bill_sheet)
            .num(&r.bill_rows)
            .num(&r.expected_rows);
        out.end()?;
    }
    out.finish()
}

fn num(d: Decimal) -> f64 {
    // Amounts are fen: two decimals, far inside f64's exact range for a spreadsheet cell.
    d.to_string().parse().unwrap_or(0.0)
}

fn write_xlsx(
    staged: &mut Staged,
    dir: &std::path::Path,
    rec: &Reconciliation,
    rows: &[Row],
    lang: Lang,
) -> Result<(), Error> {
    let e = |err| xlsx::error(XLSX, err);
    let mut wb = xlsx::workbook(XLSX, rec.period.first_day(), dir)?;
    let bold = Format::new().set_bold();
    let amount = Format::new().set_num_format("0.00");
    let zh = lang == Lang::Zh;
    let t = |z: &'static str, en: &'static str| if zh { z } else { en };

    // 汇总: totals, then counts by class, then the accounting of both sides.
    let mut ws = Worksheet::new();
    ws.set_name(t("汇总", "Summary")).map_err(e)?;
    ws.write_string_with_format(0, 0, t("对账月份", "Month"), &bold)
        .map_err(e)?;
    ws.write_string(0, 1, rec.period.to_string()).map_err(e)?;
    let heads = [
        t("险种", "insurance"),
        t("单位/个人", "part"),
        t("账单", "billed"),
        t("预期", "expected"),
        t("差额", "difference"),
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)
            .map_err(e)?;
    }
    let mut r = 3u32;
    for tot in totals(rec) {
        let tot = tot.clone();
        let ins = if tot.insurance == "total" {
            t("合计", "total").to_string()
        } else {
            ins_label(&tot.insurance, lang)
        };
        let part = match tot.part.as_str() {
            "employer" => part_label(Part::Employer, lang),
            "employee" => part_label(Part::Employee, lang),
            _ => "",
        };
        ws.write_string(r, 0, ins).map_err(e)?;
        ws.write_string(r, 1, part).map_err(e)?;
        ws.write_number_with_format(r, 2, num(tot.billed), &amount)
            .map_err(e)?;
        ws.write_number_with_format(r, 3, num(tot.expected), &amount)
            .map_err(e)?;
        ws.write_number_with_format(r, 4, num(tot.difference), &amount)
            .map_err(e)?;
        r += 1;
    }
    r += 1;
    let bill = count(rec, true);
    let exp = count(rec, false);
    for (c, h) in [
        t("代码", "code"),
        t("差异类别", "class"),
        t("差异数", "differences"),
        t("账单行", "bill lines"),
        t("预期行", "expected lines"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(r, c as u16, *h, &bold)
            .map_err(e)?;
    }
    r += 1;
    let n_by = |code: &str| rows.iter().filter(|x| x.code == code).count() as f64;
    for rule in CLASSES {
        ws.write_string(r, 0, rule.code).map_err(e)?;
        ws.write_string(r, 1, rule.title(lang)).map_err(e)?;
        ws.write_number(r, 2, n_by(rule.code)).map_err(e)?;
        ws.write_number(r, 3, *bill.by_class.get(rule.code).unwrap_or(&0) as f64)
            .map_err(e)?;
        ws.write_number(r, 4, *exp.by_class.get(rule.code).unwrap_or(&0) as f64)
            .map_err(e)?;
        r += 1;
    }
    let acc = [
        (t("相符", "matched"), bill.matched, exp.matched),
        (
            t("账单未含的险种（不比较）", "not covered by the bill"),
            0,
            exp.not_covered,
        ),
        (t("合计行", "lines"), bill.lines, exp.lines),
    ];
    for (label, b, x) in acc {
        ws.write_string(r, 1, label).map_err(e)?;
        ws.write_number(r, 3, b as f64).map_err(e)?;
        ws.write_number(r, 4, x as f64).map_err(e)?;
        r += 1;
    }
    ws.set_column_width(0, 14).map_err(e)?;
    ws.set_column_width(1, 40).map_err(e)?;
    for c in 2..5 {
        ws.set_column_width(c, 14).map_err(e)?;
    }
    wb.push_worksheet(ws);

    // One sheet per class.
    let heads: [&str; 20] = if zh {
        [
            "姓名",
            "证件号码",
            "人员编号",
            "匹配依据",
            "险种",
            "单位/个人",
            "账单月份",
            "预期月份",
            "账单类型",
            "预期类型",
            "账单基数",
            "预期基数",
            "账单金额",
            "预期金额",
            "差额",
            "说明",
            "可能原因",
            "账单文件",
            "账单工作表",
            "账单行号",
        ]
    } else {
        [
            "name",
            "id_number",
            "person_no",
            "matched_by",
            "insurance",
            "part",
            "month_billed",
            "month_expected",
            "kind_billed",
            "kind_expected",
            "base_billed",
            "base_expected",
            "amount_billed",
            "amount_expected",
            "difference",
            "message",
            "cause",
            "bill_file",
            "bill_sheet",
            "bill_rows",
        ]
    };
    for rule in CLASSES {
        let mut ws = Worksheet::new();
        ws.set_name(class_sheet(rule, lang)).map_err(e)?;
        let mut widths = xlsx::Widths::default();
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
            widths.see(c, h);
        }
        for (r, x) in (1u32..).zip(rows.iter().filter(|x| x.code == rule.code)) {
            let texts = [
                &x.name,
                &x.id,
                &x.person_no,
                &x.matched_by.to_string(),
                &x.insurance,
                &x.part.to_string(),
                &x.month_billed,
                &x.month_expected,
                &x.kind_billed.to_string(),
                &x.kind_expected.to_string(),
            ];
            for (c, s) in texts.iter().enumerate() {
                let s = crate::output::cells::safe_text(s);
                ws.write_string(r, c as u16, s.as_ref()).map_err(e)?;
                widths.see(c, &s);
            }
            let amounts = [
                x.base_billed,
                x.base_expected,
                x.amount_billed,
                x.amount_expected,
                Some(x.difference),
            ];
            for (i, v) in amounts.iter().enumerate() {
                if let Some(v) = v {
                    ws.write_number_with_format(r, (10 + i) as u16, num(*v), &amount)
                        .map_err(e)?;
                    widths.see(10 + i, &money(*v));
                }
            }
            let tail = [
                &x.message,
                &x.cause,
                &x.bill_file,
                &x.bill_sheet,
                &x.bill_rows,
            ];
            for (i, s) in tail.iter().enumerate() {
                let s = crate::output::cells::safe_text(s);
                ws.write_string(r, (15 + i) as u16, s.as_ref()).map_err(e)?;
                widths.see(15 + i, &s);
            }
        }
        widths.apply(&mut ws, 30, &[(15, 80), (16, 80)], XLSX)?;
        wb.push_worksheet(ws);
    }
    let w = staged.create(XLSX)?;
    wb.save_to_writer(w).map_err(e)?;
    Ok(())
}

/// Writes the report: csv, workbook, summary, manifest; then commits.
pub fn write(opts: &Options, rec: &Reconciliation) -> Result<(), Error> {
    let mut staged = Staged::new(&opts.out)?;
    let rows = &rec.rows;
    let w = staged.create(CSV)?;
    write_csv(w, rows)?;
    write_xlsx(&mut staged, &opts.out, rec, rows, opts.lang)?;
    let mut differences = BTreeMap::new();
    for r in CLASSES {
        differences.insert(
            r.code.to_string(),
            rows.iter().filter(|x| x.code == r.code).count() as u64,
        );
    }
    let sheets = rec
        .expected_sheets
        .iter()
        .chain(&rec.bill_sheets)
        .map(|s| SheetJson {
            file: &s.display,
            sheet: &s.sheet,
            layout: &s.layout,
            header_row: s.header_row,
            rows: s.rows,
            lines: s.lines,
        })
        .collect();
    let summary = Summary {
        period: rec.period.to_string(),
        region: rec.region.as_deref(),
        tolerance: if rec.region.is_some() {
            "policy rounding unit"
        } else {
            "none (no region)"
        },
        bill: count(rec, true),
        expected: count(rec, false),
        differences,
        totals: totals(rec).to_vec(),
        sheets,
    };
    let mut text = serde_json::to_string_pretty(&summary).unwrap_or_default();
    text.push('\n');
    staged.write(JSON, text.as_bytes())?;

    let werr = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    let hash = |p: &std::path::Path| -> Result<FileHash, Error> {
        let (sha256, bytes) = manifest::hash_file(p).map_err(werr(p))?;
        let path = crate::audit::shown_path(p);
        Ok(FileHash {
            path_hex: manifest::path_hex(&crate::audit::recorded_path(p), &path),
            path,
            sha256,
            bytes,
        })
    };
    let mut inputs = vec![hash(&opts.expected.join(crate::output::CONTRIBUTIONS))?];
    if opts.computed {
        // Computed on the spot: named as such, with the run's own inputs after it.
        inputs[0].path = rec.files[0].clone();
        inputs[0].path_hex = None;
        if let Some(cfg) = &opts.compute {
            for p in cfg.roster.iter().chain(&cfg.inputs) {
                inputs.push(hash(p)?);
            }
        }
    }
    for b in &opts.bills {
        inputs.push(hash(b)?);
    }
    let layouts = opts
        .layouts
        .iter()
        .map(|p| hash(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut outputs = Vec::new();
    for name in [CSV, XLSX, JSON] {
        if let Some(h) = staged.hash(name) {
            let (sha256, bytes) = h.map_err(werr(&opts.out.join(name)))?;
            outputs.push(FileHash {
                path: name.to_string(),
                sha256,
                bytes,
                path_hex: None,
            });
        }
    }
    let mut arguments = BTreeMap::new();
    arguments.insert(
        "expected".to_string(),
        if opts.computed {
            super::COMPUTED.to_string()
        } else {
            crate::audit::shown_path(&opts.expected)
        },
    );
    arguments.insert("period".to_string(), rec.period.to_string());
    arguments.insert("lang".to_string(), opts.lang.id().to_string());
    arguments.insert("mask".to_string(), opts.mask.to_string());
    if let Some(r) = &rec.region {
        arguments.insert("region".to_string(), r.clone());
    }
    if let Some(p) = &rec.policy_file {
        arguments.insert("policy".to_string(), crate::audit::shown_path(p));
    }
    // The policy whose rounding was the tolerance and whose limits gave the bases.
    let policy = match &rec.policy {
        Some(set) => Some(manifest::PolicyRecord {
            digest: set.digest(),
            file: rec.policy_file.as_deref().map(hash).transpose()?,
            sources: set
                .sources()
                .into_iter()
                .map(|s| manifest::PolicySource {
                    name: s.name,
                    sha256: s.sha256,
                })
                .collect(),
        }),
        None => None,
    };
    let m = Manifest {
        tool: "headcount".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: "reconcile".into(),
        arguments,
        aliases: BTreeMap::new(),
        policy,
        inputs,
        layouts,
        roster: None,
        outputs,
    };
    staged.write(crate::output::MANIFEST, m.to_json().as_bytes())?;
    staged.commit()?;
    Ok(())
}

/// The lines printed after a reconciliation.
pub fn screen(rec: &Reconciliation, lang: Lang) -> String {
    let bill = count(rec, true);
    let exp = count(rec, false);
    let mut s = String::new();
    let zh = lang == Lang::Zh;
    s.push_str(&if zh {
        format!(
            "对账 {}：账单 {} 行（相符 {}），预期 {} 行（相符 {}，账单未含 {}）\n",
            rec.period, bill.lines, bill.matched, exp.lines, exp.matched, exp.not_covered
        )
    } else {
        format!(
            "reconciled {}: {} bill lines ({} matched), {} expected lines ({} matched, {} not covered by the bill)\n",
            rec.period, bill.lines, bill.matched, exp.lines, exp.matched, exp.not_covered
        )
    });
    for r in CLASSES {
        let n = rec.rows.iter().filter(|d| d.code == r.code).count();
        if n > 0 {
            s.push_str(&format!("  {} {}: {n}\n", r.code, r.title(lang)));
        }
    }
    if let Some(t) = totals(rec).last() {
        s.push_str(&if zh {
            format!(
                "  合计：账单 {}，预期 {}，差额 {}\n",
                t.billed, t.expected, t.difference
            )
        } else {
            format!(
                "  total: billed {}, expected {}, difference {}\n",
                t.billed, t.expected, t.difference
            )
        });
    }
    s
}
