//! Reading a bill (or headcount's own contributions.csv) into lines: find the header by a
//! bill layout, then turn every data row into one line per non-zero amount cell.
//!
//! The readers, the two-row group headers and the totals rows are the change files'
//! (`input`); what differs is what the columns mean, which comes from `layout`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use rust_decimal::Decimal;

use super::amount;
use super::layout::{BillLayout, BillLayouts, ColField, KindCell};
use super::model::{Kind, Line, Lines, Part, Person, Row};
use crate::calendar::Month;
use crate::input::cell::Cell;
use crate::input::header::{combine, normalize_header, HEADER_SEARCH_ROWS};
use crate::input::layout::Vocabulary;
use crate::input::plan::column_letter;
use crate::input::rows_buf::{RawRow, RowBuf};
use crate::input::value::{date, number, Value};
use crate::input::{InputError, InputFile};
pub use crate::rules::reconcile::{C010, C011, C012};

const CHUNK: usize = 8192;

fn intern(name: &str) -> &'static str {
    crate::policy::InsuranceId::intern(name).as_str()
}

/// How one sheet was read, for the accounting.
#[derive(Clone, Debug, Default)]
pub struct SheetRead {
    pub file: u32,
    pub display: String,
    pub sheet: String,
    pub layout: String,
    pub header_row: u32,
    /// Data rows below the header: `lines_rows + blank + totals + not_compared + zero_rows`.
    pub rows: u64,
    pub line_rows: u64,
    pub blank_skipped: u64,
    pub totals_skipped: u64,
    /// Rows of a kind that is no contribution (late fees).
    pub not_compared: u64,
    /// Rows whose amounts are all zero or blank.
    pub zero_rows: u64,
    pub lines: u64,
    /// (insurance, part) pairs the sheet's columns bill.
    pub covered: BTreeSet<(&'static str, Part)>,
}

/// What a sheet's rows repeat, worked out once per sheet rather than per line.
#[derive(Default)]
struct SheetCache {
    /// Per amount column with a fixed insurance: the interned name and its index.
    insurance: Vec<Option<(&'static str, u8)>>,
    /// The last kind cell's text and what it says (a column of `regular`).
    kind: Option<(String, KindCell)>,
    /// (insurance index × 2 + part) already in `SheetRead::covered`.
    covered: [u64; 8],
}

impl SheetCache {
    fn cover(&mut self, read: &mut SheetRead, ins: (&'static str, u8), part: Part) {
        let bit = ins.1 as usize * 2 + part as usize;
        let (w, b) = (bit / 64, 1u64 << (bit % 64));
        if self.covered[w] & b == 0 {
            self.covered[w] |= b;
            read.covered.insert((ins.0, part));
        }
    }
}

pub struct ReadOptions<'a> {
    pub layouts: &'a BillLayouts,
    /// The month of lines whose bill gives none.
    pub period: Option<Month>,
    /// Read with this layout only (the expected side's contributions.csv).
    pub only: Option<&'a str>,
    /// Where the lines go as they are read, a chunk at a time (`partition`); without it
    /// they stay in `Lines`.
    pub spill: Option<&'a super::partition::Spill>,
}

/// A column of the found header, with what it means.
struct Plan<'l> {
    layout: &'l BillLayout,
    header_index: usize,
    header_row: u32,
    columns: Vec<String>,
    id: Option<usize>,
    person_no: Option<usize>,
    name: Option<usize>,
    month: Option<usize>,
    kind: Option<usize>,
    insurance: Option<usize>,
    /// (column, insurance it is the base of, or every insurance)
    bases: Vec<(usize, Option<String>)>,
    /// The base column is the pension's; other insurances' follow by the limits.
    limits: bool,
    amounts: Vec<AmountCol>,
    /// Insurance and part from the file or sheet name (per-file bills).
    named_insurance: Option<String>,
    named_part: Option<Part>,
}

struct AmountCol {
    col: usize,
    due: Option<usize>,
    insurance: Option<String>,
    part: Option<Part>,
    kind: Option<Kind>,
}

/// Reads every sheet of `path` that a layout recognises; sheets none recognises are skipped
/// (listed with an empty layout). Fails when no sheet is a bill.
pub fn read_file(
    path: &Path,
    display: &str,
    file_index: u32,
    opts: &ReadOptions<'_>,
    lines: &mut Lines,
) -> Result<Vec<SheetRead>, InputError> {
    let mut file = InputFile::open(path, display, None)?;
    let stem = Path::new(display)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(display)
        .to_string();
    let mut reads = Vec::new();
    let mut nearest: Option<(String, Vec<String>)> = None;
    for sheet in file.sheet_names() {
        let mut buf = file.row_buf();
        let (res, _) = file.with_sheet(&sheet, |r| {
            read_sheet(
                r,
                &mut buf,
                display,
                &stem,
                &sheet,
                file_index,
                opts,
                lines,
                &mut nearest,
            )
        })?;
        if let Some(read) = res? {
            reads.push(read);
        }
    }
    if reads.is_empty() {
        let (layout, missing) = nearest.unwrap_or_default();
        return Err(InputError::new(
            &C011,
            vec![
                ("file", display.to_string()),
                ("layout", layout),
                ("missing", missing.join(", ")),
            ],
        ));
    }
    Ok(reads)
}

#[allow(clippy::too_many_arguments)]
fn read_sheet(
    r: &mut dyn crate::input::RowReader,
    buf: &mut RowBuf,
    display: &str,
    stem: &str,
    sheet: &str,
    file_index: u32,
    opts: &ReadOptions<'_>,
    lines: &mut Lines,
    nearest: &mut Option<(String, Vec<String>)>,
) -> Result<Option<SheetRead>, InputError> {
    r.fill(buf, CHUNK)?;
    let Some(plan) = find_header(buf, opts, stem, sheet, nearest) else {
        return Ok(None);
    };
    let sheet_index = lines.sheets.len() as u32;
    lines.sheets.push(sheet.to_string());
    lines.sheet_limits.push(plan.limits);
    if plan.amounts.iter().any(|a| {
        a.insurance.is_none() && plan.named_insurance.is_none() && plan.insurance.is_none()
    }) || plan
        .amounts
        .iter()
        .any(|a| a.part.is_none() && plan.named_part.is_none())
    {
        return Err(InputError::new(
            &C012,
            vec![
                ("file", display.to_string()),
                ("sheet", sheet_label(sheet)),
                ("layout", plan.layout.name.clone()),
            ],
        ));
    }
    let mut read = SheetRead {
        file: file_index,
        display: display.to_string(),
        sheet: sheet.to_string(),
        layout: plan.layout.name.clone(),
        header_row: plan.header_row,
        ..SheetRead::default()
    };
    for a in &plan.amounts {
        if let (Some(i), Some(p)) = (
            a.insurance.clone().or_else(|| plan.named_insurance.clone()),
            a.part.or(plan.named_part),
        ) {
            read.covered.insert((intern(&i), p));
        }
    }
    let mut cache = SheetCache {
        insurance: vec![None; plan.amounts.len()],
        ..SheetCache::default()
    };
    let mut first = true;
    loop {
        let skip = if first { plan.header_index + 1 } else { 0 };
        for raw in buf.rows().skip(skip) {
            read_row(
                &raw,
                &plan,
                opts,
                (&mut read, &mut cache),
                lines,
                display,
                (sheet, sheet_index),
                raw.number,
            )?;
        }
        first = false;
        if let Some(spill) = opts.spill {
            spill.maybe_flush(lines);
        }
        if r.fill(buf, CHUNK)? == 0 {
            break;
        }
    }
    Ok(Some(read))
}

fn sheet_label(sheet: &str) -> String {
    if sheet.is_empty() {
        String::new()
    } else {
        format!(" [{sheet}]")
    }
}

/// The first row (of the first 20) whose columns, alone or with the row below as a group
/// header's sub-row, hold every required column of a layout.
fn find_header<'l>(
    buf: &RowBuf,
    opts: &'l ReadOptions<'_>,
    stem: &str,
    sheet: &str,
    nearest: &mut Option<(String, Vec<String>)>,
) -> Option<Plan<'l>> {
    let head: Vec<(u32, Vec<String>)> = buf
        .rows()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| (r.number, r.texts()))
        .collect();
    let layouts = opts.layouts;
    let allowed = |i: usize| opts.only.is_none_or(|n| layouts.layouts[i].name == n);
    for (index, (number, texts)) in head.iter().enumerate() {
        let single: Vec<String> = texts.iter().map(|t| normalize_header(t)).collect();
        let mut candidates = Vec::new();
        if let Some((_, sub)) = head.get(index + 1) {
            let c = combine(texts, sub, Vocabulary::embedded());
            if c.keys.iter().any(|k| k.contains('/')) {
                candidates.push((c.keys, c.columns, index + 1));
            }
        }
        candidates.push((single, texts.clone(), index));
        for (keys, columns, last) in candidates {
            let found = match opts.only {
                Some(_) => (0..layouts.layouts.len())
                    .filter(|i| allowed(*i))
                    .find(|i| {
                        layouts.layouts[*i]
                            .columns
                            .iter()
                            .filter(|c| !c.optional)
                            .all(|c| keys.contains(&c.key))
                    }),
                None => layouts.best_match(&keys),
            };
            if let Some(i) = found {
                return Some(plan_of(
                    &layouts.layouts[i],
                    &keys,
                    columns,
                    last,
                    *number,
                    opts,
                    stem,
                    sheet,
                ));
            }
            if let Some((l, missing)) = layouts.nearest(&keys) {
                let better = nearest
                    .as_ref()
                    .is_none_or(|(_, m)| missing.len() < m.len());
                if better && !keys.iter().all(|k| k.is_empty()) {
                    *nearest = Some((l.name.clone(), missing));
                }
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn plan_of<'l>(
    layout: &'l BillLayout,
    keys: &[String],
    columns: Vec<String>,
    last: usize,
    number: u32,
    opts: &ReadOptions<'_>,
    stem: &str,
    sheet: &str,
) -> Plan<'l> {
    let col = |key: &str| keys.iter().position(|k| k == key);
    let mut p = Plan {
        layout,
        header_index: last,
        header_row: number,
        columns,
        id: None,
        person_no: None,
        name: None,
        month: None,
        kind: None,
        insurance: None,
        bases: Vec::new(),
        limits: false,
        amounts: Vec::new(),
        named_insurance: None,
        named_part: None,
    };
    let words = &opts.layouts.words;
    if layout.per_file {
        p.named_insurance = words.insurance(sheet).or_else(|| words.insurance(stem));
        p.named_part = words.part(sheet).or_else(|| words.part(stem));
    }
    let mut dues = Vec::new();
    for c in &layout.columns {
        let Some(i) = col(&c.key) else { continue };
        match c.field {
            ColField::IdNumber => p.id = Some(i),
            ColField::PersonNo => p.person_no = Some(i),
            ColField::Name => p.name = Some(i),
            ColField::Month => p.month = Some(i),
            ColField::Kind => p.kind = Some(i),
            ColField::Insurance => p.insurance = Some(i),
            // Read as every insurance's; `Lines::base` derives the others' from it.
            ColField::Base if c.limits => {
                p.bases.push((i, None));
                p.limits = true;
            }
            ColField::Base => p.bases.push((i, c.insurance.clone())),
            ColField::Amount => p.amounts.push(AmountCol {
                col: i,
                due: None,
                insurance: c.insurance.clone(),
                part: c.part,
                kind: c.kind,
            }),
            ColField::Due => dues.push((i, c)),
            ColField::Ignore => {}
        }
    }
    // A due column replaces the amount of the same insurance, part and kind; alone, it is
    // the amount.
    for (i, c) in dues {
        match p
            .amounts
            .iter_mut()
            .find(|a| a.insurance == c.insurance && a.part == c.part && a.kind == c.kind)
        {
            Some(a) => a.due = Some(i),
            None => p.amounts.push(AmountCol {
                col: i,
                due: None,
                insurance: c.insurance.clone(),
                part: c.part,
                kind: c.kind,
            }),
        }
    }
    p
}

/// A cell's text, trimmed (and a leading apostrophe that keeps digits text dropped);
/// borrowed from the row where it can be (millions of rows).
fn text_of<'a>(raw: &RawRow<'a>, col: Option<usize>) -> Option<Cow<'a, str>> {
    match raw.cell(col?) {
        Cell::Text(Cow::Borrowed(s)) => {
            let t = s.trim().trim_start_matches('\'').trim();
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        c if c.is_blank() => None,
        c => {
            let t = c.to_string();
            let t = t.trim().trim_start_matches('\'').trim();
            (!t.is_empty()).then(|| Cow::Owned(t.to_string()))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    raw: &RawRow<'_>,
    plan: &Plan<'_>,
    opts: &ReadOptions<'_>,
    (read, cache): (&mut SheetRead, &mut SheetCache),
    lines: &mut Lines,
    display: &str,
    (sheet, sheet_index): (&str, u32),
    row: u32,
) -> Result<(), InputError> {
    read.rows += 1;
    if raw.is_blank() {
        read.blank_skipped += 1;
        return Ok(());
    }
    if crate::pipeline::is_totals_row(raw) {
        read.totals_skipped += 1;
        return Ok(());
    }
    let bad = |col: usize, what_zh: &str, what_en: &str| {
        InputError::new(
            &C010,
            vec![
                ("file", display.to_string()),
                ("sheet", sheet_label(sheet)),
                ("row", row.to_string()),
                ("column", column_letter(col as u32)),
                ("header", plan.columns.get(col).cloned().unwrap_or_default()),
                (
                    "value",
                    crate::output::redact::id_tokens(&raw.cell(col).to_string()).into_owned(),
                ),
                ("what_zh", what_zh.to_string()),
                ("what_en", what_en.to_string()),
            ],
        )
    };
    let words = &opts.layouts.words;
    let mut row_kind = Kind::Regular;
    if let Some(t) = text_of(raw, plan.kind) {
        let said = match &cache.kind {
            Some((last, k)) if *last == *t => *k,
            _ => {
                let k = words.kind(&t);
                cache.kind = Some((t.to_string(), k));
                k
            }
        };
        match said {
            KindCell::NotCompared => {
                read.not_compared += 1;
                return Ok(());
            }
            KindCell::Is(k) => row_kind = k,
        }
    }
    let month = match plan.month {
        Some(c) => match date::month(&raw.cell(c)) {
            Value::Ok { value, .. } => Some(value),
            Value::Empty => None,
            Value::Invalid => return Err(bad(c, "月份", "a month")),
        },
        None => None,
    };
    let insurance_cell = match plan.insurance {
        Some(c) => match text_of(raw, Some(c)) {
            Some(t) => match words.insurance(&t) {
                Some(i) => Some(i),
                None => return Err(bad(c, "险种", "an insurance")),
            },
            None => return Err(bad(c, "险种", "an insurance")),
        },
        None => None,
    };
    let id = text_of(raw, plan.id).map(|s| {
        if s.chars().any(char::is_lowercase) {
            Cow::Owned(s.to_uppercase())
        } else {
            s
        }
    });
    let person_no = text_of(raw, plan.person_no);
    let name = text_of(raw, plan.name);
    let person = Person {
        id: id.as_deref(),
        person_no: person_no.as_deref(),
        name: name.as_deref(),
    };
    // Bases by column, each read once per row (seven amounts share one base column).
    let mut bases: Vec<(usize, Option<Decimal>)> = Vec::new();
    // The base of an insurance, and the column it came from.
    let mut base_of = |ins: &str| -> Result<(Option<usize>, Option<Decimal>), InputError> {
        let col = plan
            .bases
            .iter()
            .find(|(_, i)| i.as_deref() == Some(ins))
            .or_else(|| plan.bases.iter().find(|(_, i)| i.is_none()));
        let Some(&(c, _)) = col else {
            return Ok((None, None));
        };
        if let Some((_, v)) = bases.iter().find(|(k, _)| *k == c) {
            return Ok((Some(c), *v));
        }
        let v = match number::money(&raw.cell(c)) {
            Value::Ok { value, .. } => Some(value),
            Value::Empty => None,
            Value::Invalid => return Err(bad(c, "缴费基数", "a base")),
        };
        bases.push((c, v));
        Ok((Some(c), v))
    };
    let before = lines.len();
    // The row's entry in `lines.rows`, one per distinct base of the row, and the column
    // its base came from (the same column is the same base: no comparison).
    let mut current: Option<(u32, Option<usize>)> = None;
    for (ai, a) in plan.amounts.iter().enumerate() {
        let col = match a.due {
            Some(d) if !raw.cell(d).is_blank() => d,
            _ => a.col,
        };
        let cell = raw.cell(col);
        // contributions.csv's plain `1234.56` straight to fixed point; else the general
        // reader, whose value must then fit the fixed point exactly.
        let plain = match &cell {
            Cell::Text(Cow::Borrowed(t)) => amount::parse_plain(t),
            _ => None,
        };
        let amount = match plain {
            Some(v) => v,
            None => match number::money(&cell) {
                Value::Ok { value, .. } => match amount::from_decimal(value) {
                    Some(v) => v,
                    None => {
                        return Err(bad(
                            col,
                            "金额（至多 8 位小数，绝对值小于 920 亿）",
                            "an amount (at most 8 decimal places, below 92 billion)",
                        ))
                    }
                },
                Value::Empty => continue,
                Value::Invalid => return Err(bad(col, "金额", "an amount")),
            },
        };
        if amount == 0 {
            continue;
        }
        let Some(part) = a.part.or(plan.named_part) else {
            continue;
        };
        let insurance = match cache.insurance[ai] {
            Some(fixed) => fixed,
            None => {
                let Some(name) = a
                    .insurance
                    .as_deref()
                    .or(insurance_cell.as_deref())
                    .or(plan.named_insurance.as_deref())
                else {
                    continue;
                };
                let name = intern(name);
                let Some(index) = lines.insurance_index(name) else {
                    return Err(bad(col, "险种", "an insurance"));
                };
                // Without an insurance column, the name is the column's or the file's:
                // the same on every row.
                if a.insurance.is_some() || plan.insurance.is_none() {
                    cache.insurance[ai] = Some((name, index));
                }
                (name, index)
            }
        };
        if person.id.is_none() && person.person_no.is_none() && person.name.is_none() {
            let c = plan.id.or(plan.person_no).or(plan.name).unwrap_or(0);
            return Err(bad(c, "姓名或证件号码", "a name or ID number"));
        }
        let kind = if amount < 0 {
            Kind::Refund
        } else {
            a.kind.unwrap_or(row_kind)
        };
        // A month before the billed one is back-pay, whatever the row says. (A line
        // without a month takes the period when regular: `Lines::month`.)
        let kind = match (kind, month, opts.period) {
            (Kind::Regular, Some(m), Some(p)) if m < p => Kind::Backpay,
            (k, ..) => k,
        };
        cache.cover(read, insurance, part);
        let (base_col, base) = base_of(insurance.0)?;
        let row_index = match current {
            Some((r, c)) if c == base_col || lines.rows[r as usize].base == base => r,
            _ => {
                let person = lines.people.push(person);
                lines.rows.push(Row {
                    person,
                    month,
                    base,
                    file: read.file,
                    sheet: sheet_index,
                    row,
                });
                (lines.rows.len() - 1) as u32
            }
        };
        current = Some((row_index, base_col));
        lines.lines.push(Line {
            amount,
            row: row_index,
            insurance: insurance.1,
            part,
            kind,
        });
    }
    let added = (lines.len() - before) as u64;
    if added == 0 {
        read.zero_rows += 1;
    } else {
        read.line_rows += 1;
        read.lines += added;
    }
    Ok(())
}
