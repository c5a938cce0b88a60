//! Portal-ready submissions: the accepted changes in the region's own import template
//! (`portal.additions.xlsx`, `portal.reductions.xlsx`), written from the same layout data
//! that reads such a template (`input/layout/data/portals.toml`): title rows, header row,
//! column order, codes and date forms. The generic submission is written alongside.
//!
//! Upload files get the 18-digit form of a legacy 15-digit ID (V007 names it in the
//! report); a value the template has no code for is left blank and counted in a note.
//! A template whose portal takes `.xls` is written as `.xls` (BIFF8, `output::biff`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rust_decimal::{Decimal, RoundingStrategy};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::biff;
use super::submission::Line;
use super::xlsx::{self, Widths, MAX_ROWS};
use crate::calendar::{Date, Month};
use crate::error::Error;
use crate::finding::Lang;
use crate::input::header::Field;
use crate::input::layout::{Layout, LayoutColumn, Upload, Vocabulary};
use crate::input::value::vocab::Vocab;
use crate::model::{ChangeKind, Reason};
use crate::rows::ok;

pub const ADDITIONS: &str = "portal.additions.xlsx";
pub const REDUCTIONS: &str = "portal.reductions.xlsx";
pub const ADDITIONS_XLS: &str = "portal.additions.xls";
pub const REDUCTIONS_XLS: &str = "portal.reductions.xls";
pub const TRANSFERS: &str = "portal.transfers-in.xlsx";
pub const TRANSFERS_XLS: &str = "portal.transfers-in.xls";
pub const BACKPAY: &str = "portal.backpay.xlsx";
pub const BACKPAY_XLS: &str = "portal.backpay.xls";

/// The file a template is written to: `.xls` when its portal takes `.xls`.
fn file_name(kind: ChangeKind, layout: &Layout) -> &'static str {
    let xls = layout.format.as_deref() == Some("xls");
    if layout.upload.as_ref().is_some_and(|u| u.backpay) {
        return if xls { BACKPAY_XLS } else { BACKPAY };
    }
    if layout
        .upload
        .as_ref()
        .is_some_and(|u| !u.when_change.is_empty())
    {
        return if xls { TRANSFERS_XLS } else { TRANSFERS };
    }
    // Templates are picked for additions and reductions only (`layouts_for`).
    match (kind == ChangeKind::Addition, xls) {
        (true, false) => ADDITIONS,
        (true, true) => ADDITIONS_XLS,
        (false, false) => REDUCTIONS,
        (false, true) => REDUCTIONS_XLS,
    }
}

/// The region's upload templates: for additions, for reductions (the first of each kind
/// in the layout data; a template without a kind, such as Guangzhou's `11|增员`/`12|减员`
/// sheet, takes both, written as two files), and for back-pay months (Shenzhen 补缴).
#[derive(Clone, Copy, Default)]
pub struct Templates {
    pub additions: Option<&'static Layout>,
    pub reductions: Option<&'static Layout>,
    pub backpay: Option<&'static Layout>,
    /// For the additions its `when_change` words pick (Shenzhen 调入).
    pub transfers: Option<&'static Layout>,
}

impl Templates {
    pub fn any(&self) -> bool {
        self.additions.is_some()
            || self.reductions.is_some()
            || self.backpay.is_some()
            || self.transfers.is_some()
    }
}

pub fn layouts_for(region: &str) -> Templates {
    let v = Vocabulary::embedded();
    let of_region = |l: &&'static Layout| l.city.as_deref() == Some(region);
    let pick = |kind: ChangeKind| {
        v.layouts.iter().filter(of_region).find(|l| {
            l.upload
                .as_ref()
                .is_some_and(|u| !u.backpay && u.when_change.is_empty())
                && l.kind.is_none_or(|k| k == kind)
        })
    };
    Templates {
        additions: pick(ChangeKind::Addition),
        reductions: pick(ChangeKind::Reduction),
        backpay: v
            .layouts
            .iter()
            .filter(of_region)
            .find(|l| l.upload.as_ref().is_some_and(|u| u.backpay)),
        transfers: v
            .layouts
            .iter()
            .filter(of_region)
            .find(|l| l.upload.as_ref().is_some_and(|u| !u.when_change.is_empty())),
    }
}

/// One cell of an upload line.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(Decimal),
}

/// The workbook being written, in the template's format.
enum Book {
    Xlsx {
        workbook: Box<Workbook>,
        ws: Box<Worksheet>,
    },
    /// Cells kept until the end; `overflow` once more lines came than an `.xls` sheet
    /// holds: the file then keeps its header only, and a note says so.
    Xls { sheet: biff::Sheet, overflow: bool },
}

struct Sheet<W: Write + Send> {
    name: &'static str,
    out: W,
    book: Book,
    layout: &'static Layout,
    upload: &'static Upload,
    next_row: u32,
    lines: u64,
    widths: Widths,
}

/// What the upload files did that a person should know.
#[derive(Default, Debug)]
pub struct PortalReport {
    /// (file name, template title, lines).
    pub files: Vec<(&'static str, &'static Layout, u64)>,
    pub upgraded_ids: u64,
    /// Template column → lines left blank because the template has no code for the value.
    pub no_code: BTreeMap<String, u64>,
    /// Template column → lines left blank because the inputs do not carry it.
    pub no_data: BTreeMap<String, u64>,
    /// `.xls` files that got more lines than a sheet holds: (file, lines).
    pub overflow: Vec<(&'static str, u64)>,
    /// Files of templates for some lines only (back-pay, transfers in) that got none: not
    /// written (the run drops them before its commit).
    pub empty: Vec<&'static str>,
    /// Information changes: no upload template takes them.
    pub information: u64,
}

impl PortalReport {
    /// The lines for the terminal and `summary.json` notes.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        for (file, layout, n) in &self.files {
            // A file that kept its header only says so below, instead.
            if self.overflow.iter().any(|(f, _)| f == file) {
                continue;
            }
            out.push(match lang {
                Lang::Zh => format!("{file}：{n} 条，按上传模板「{}」", layout.title),
                Lang::En => format!(
                    "{file}: {n} lines in the upload template `{}`",
                    layout.title
                ),
            });
        }
        for (file, n) in &self.overflow {
            out.push(match lang {
                Lang::Zh => format!(
                    "{file} 只有表头：{n} 条超过 .xls 一张表的 65,535 行，请从 submission.csv 分批上传"
                ),
                Lang::En => format!(
                    "{file} holds its header only: {n} lines are more than an .xls sheet holds (65,535); upload from submission.csv in batches"
                ),
            });
        }
        if self.information > 0 {
            out.push(
                crate::text::Message::new("portal_information")
                    .arg("n", self.information)
                    .render(lang),
            );
        }
        if self.upgraded_ids > 0 {
            out.push(match lang {
                Lang::Zh => format!(
                    "上传文件中 {} 个 15 位身份证号码已升级为 18 位（见错误报告 V007）",
                    self.upgraded_ids
                ),
                Lang::En => format!(
                    "15-digit ID numbers upgraded to 18 digits in the upload files: {} (V007 in the report)",
                    self.upgraded_ids
                ),
            });
        }
        for (n, columns) in by_count(&self.no_code, lang) {
            out.push(match lang {
                Lang::Zh => format!(
                    "上传文件中 {n} 行的{columns}留空：模板没有对应的代码，请上传前手工填写"
                ),
                Lang::En => format!(
                    "{columns}: blank on {n} upload lines, the template has no code for the value; fill in before uploading"
                ),
            });
        }
        for (n, columns) in by_count(&self.no_data, lang) {
            out.push(match lang {
                Lang::Zh => format!(
                    "上传文件中 {n} 行的{columns}留空：输入中没有此项，请上传前手工填写"
                ),
                Lang::En => format!(
                    "{columns}: blank on {n} upload lines, not in the inputs; fill in before uploading"
                ),
            });
        }
        out
    }
}

pub struct Portal<W: Write + Send> {
    additions: Option<Sheet<W>>,
    reductions: Option<Sheet<W>>,
    backpay: Option<Sheet<W>>,
    transfers: Option<Sheet<W>>,
    /// The month declared: an addition's months before it are back-pay.
    period: Month,
    report: PortalReport,
    formats: Formats,
}

/// Cell formats of an `.xlsx` upload file.
struct Formats {
    text: Format,
    money: Format,
    integer: Format,
}

impl Book {
    fn text(&mut self, r: u32, c: u16, s: &str, f: &Formats, name: &str) -> Result<(), Error> {
        match self {
            Book::Xlsx { ws, .. } => ws
                .write_string_with_format(r, c, s, &f.text)
                .map(|_| ())
                .map_err(|e| xlsx::error(name, e)),
            Book::Xls { sheet, .. } => sheet.text(r, c, s).map_err(|e| write_error(name, e)),
        }
    }

    fn number(&mut self, r: u32, c: u16, d: Decimal, f: &Formats, name: &str) -> Result<(), Error> {
        let s = d.to_string();
        let n = match s.parse::<f64>() {
            Ok(n) if n.is_finite() => n,
            _ => return self.text(r, c, &s, f, name),
        };
        let integer = d.scale() == 0;
        match self {
            Book::Xlsx { ws, .. } => {
                let format = if integer { &f.integer } else { &f.money };
                ws.write_number_with_format(r, c, n, format)
                    .map(|_| ())
                    .map_err(|e| xlsx::error(name, e))
            }
            Book::Xls { sheet, .. } => {
                let format = if integer {
                    biff::NumFormat::Integer
                } else {
                    biff::NumFormat::Money
                };
                sheet
                    .number(r, c, n, format)
                    .map_err(|e| write_error(name, e))
            }
        }
    }

    /// Cells `first..=last` of row `r` as one, showing `s`.
    fn merge(
        &mut self,
        r: u32,
        first: u16,
        last: u16,
        s: &str,
        f: &Formats,
        name: &str,
    ) -> Result<(), Error> {
        match self {
            Book::Xlsx { ws, .. } => ws
                .merge_range(r, first, r, last, s, &f.text)
                .map(|_| ())
                .map_err(|e| xlsx::error(name, e)),
            Book::Xls { sheet, .. } => {
                sheet.text(r, first, s).map_err(|e| write_error(name, e))?;
                sheet
                    .merge(r, first, last)
                    .map_err(|e| write_error(name, e))
            }
        }
    }
}

fn write_error(name: &str, source: std::io::Error) -> Error {
    Error::Write {
        path: name.into(),
        source,
    }
}

impl<W: Write + Send> Portal<W> {
    /// `open(name)` gives the writer of an output file; only the kinds the region has a
    /// template for are opened.
    pub fn new(
        templates: Templates,
        mut open: impl FnMut(&'static str) -> Result<W, Error>,
        tempdir: &Path,
        as_of: Date,
        period: Month,
        employer: Option<&str>,
    ) -> Result<Self, Error> {
        let employer = employer.unwrap_or("").to_string();
        let formats = Formats {
            text: Format::new().set_num_format("@"),
            money: Format::new().set_num_format("0.00"),
            integer: Format::new().set_num_format("0"),
        };
        let f = &formats;
        let mut sheet = |kind: ChangeKind, layout: Option<&'static Layout>| {
            let Some(layout) = layout else {
                return Ok(None);
            };
            let Some(upload) = layout.upload.as_ref() else {
                return Ok(None);
            };
            let name = file_name(kind, layout);
            let sheet_name = layout.sheets.first().map_or("Sheet1", String::as_str);
            let mut book = if name.ends_with(".xls") {
                Book::Xls {
                    sheet: biff::Sheet::new(sheet_name),
                    overflow: false,
                }
            } else {
                let e = |e| xlsx::error(name, e);
                let mut workbook = xlsx::workbook(name, as_of, tempdir)?;
                let mut ws = workbook.new_worksheet_with_constant_memory().map_err(e)?;
                ws.set_name(sheet_name).map_err(e)?;
                Book::Xlsx {
                    workbook: Box::new(workbook),
                    ws: Box::new(ws),
                }
            };
            let mut widths = Widths::default();
            let mut r = 0u32;
            for row in &upload.title_cells {
                for (c, cell) in row.iter().enumerate() {
                    let cell = cell.replace("{employer}", &employer);
                    if !cell.is_empty() {
                        let cell = super::cells::safe_text(&cell);
                        book.text(r, c as u16, cell.as_ref(), f, name)?;
                    }
                }
                r += 1;
            }
            // Two header rows: a group's text once above its columns (merged across them,
            // as on the paper form), the columns' own text below it.
            let two = layout.header_rows == 2;
            let mut c = 0;
            while c < layout.columns.len() {
                let col = &layout.columns[c];
                let Some(group) = col.group.as_deref().filter(|_| two) else {
                    widths.see(c, &col.header);
                    book.text(r, c as u16, &col.header, f, name)?;
                    c += 1;
                    continue;
                };
                let span = layout.columns[c..]
                    .iter()
                    .take_while(|x| x.group.as_deref() == Some(group))
                    .count();
                if span > 1 {
                    book.merge(r, c as u16, (c + span - 1) as u16, group, f, name)?;
                } else {
                    book.text(r, c as u16, group, f, name)?;
                }
                c += span;
            }
            if two {
                r += 1;
                for (c, col) in layout.columns.iter().enumerate() {
                    if col.group.is_some() {
                        widths.see(c, &col.header);
                        book.text(r, c as u16, &col.header, f, name)?;
                    }
                }
            }
            Ok::<_, Error>(Some(Sheet {
                name,
                out: open(name)?,
                book,
                layout,
                upload,
                next_row: r + 1,
                lines: 0,
                widths,
            }))
        };
        let additions = sheet(ChangeKind::Addition, templates.additions)?;
        let reductions = sheet(ChangeKind::Reduction, templates.reductions)?;
        let backpay = sheet(ChangeKind::Addition, templates.backpay)?;
        let transfers = sheet(ChangeKind::Addition, templates.transfers)?;
        Ok(Portal {
            additions,
            reductions,
            backpay,
            transfers,
            period,
            report: PortalReport::default(),
            formats,
        })
    }

    /// One accepted change: its line in the kind's template, and for an addition a line in
    /// the back-pay template for each month before the period it is charged for.
    pub fn write(&mut self, l: &Line<'_>, codes: &Vocab) -> Result<(), Error> {
        let sheet = match l.kind {
            ChangeKind::Addition if self.transfers.as_ref().is_some_and(|t| picks(t, l)) => {
                &mut self.transfers
            }
            ChangeKind::Addition => &mut self.additions,
            ChangeKind::Reduction => &mut self.reductions,
            // No portal template for it is known: a note tells where it is filed.
            ChangeKind::Information => {
                self.report.information += 1;
                return Ok(());
            }
        };
        if let Some(sheet) = sheet {
            put(sheet, l, codes, &mut self.report, &self.formats)?;
        }
        if let (ChangeKind::Addition, Some(sheet), Some(start)) =
            (l.kind, &mut self.backpay, l.start_month)
        {
            let mut m = start;
            while m < self.period {
                let month = Line {
                    start_month: Some(m),
                    ..*l
                };
                put(sheet, &month, codes, &mut self.report, &self.formats)?;
                m = m.plus(1);
            }
        }
        Ok(())
    }

    /// Saves the workbooks; returns what the notes should say.
    pub fn finish(mut self) -> Result<PortalReport, Error> {
        for sheet in [
            self.additions.take(),
            self.reductions.take(),
            self.backpay.take(),
            self.transfers.take(),
        ]
        .into_iter()
        .flatten()
        {
            let Sheet {
                name,
                mut out,
                book,
                layout,
                upload,
                lines,
                widths,
                ..
            } = sheet;
            if lines == 0 && (upload.backpay || !upload.when_change.is_empty()) {
                self.report.empty.push(name);
                continue;
            }
            match book {
                Book::Xlsx {
                    mut workbook,
                    mut ws,
                } => {
                    widths.apply(&mut ws, 40, &[], name)?;
                    workbook.push_worksheet(*ws);
                    workbook
                        .save_to_writer(&mut out)
                        .map_err(|e| xlsx::error(name, e))?;
                }
                Book::Xls {
                    mut sheet,
                    overflow,
                } => {
                    for (c, w) in widths.columns(40) {
                        sheet.width(c as u16, w as f64);
                    }
                    sheet.save(&mut out).map_err(|e| write_error(name, e))?;
                    if overflow {
                        self.report.overflow.push((name, lines));
                    }
                }
            }
            out.flush().map_err(|e| write_error(name, e))?;
            self.report.files.push((name, layout, lines));
        }
        Ok(self.report)
    }
}

/// A template for some additions takes this one: its change-type cell is one of the
/// template's words, or its sheet or file name contains one.
fn picks<W: Write + Send>(sheet: &Sheet<W>, l: &Line<'_>) -> bool {
    let words = &sheet.upload.when_change;
    // Borrowed, not `shown`: this runs for every addition of a region with such a template.
    let cell = match l.row.map.get(Field::Change).map(|c| l.row.raw.cell(c)) {
        Some(crate::input::cell::Cell::Text(t)) => t,
        _ => std::borrow::Cow::Borrowed(""),
    };
    let cell = cell.trim();
    words
        .iter()
        .any(|w| cell == w.as_str() || l.sheet.contains(w.as_str()) || l.file.contains(w.as_str()))
}

/// One line into one upload sheet.
fn put<W: Write + Send>(
    sheet: &mut Sheet<W>,
    l: &Line<'_>,
    codes: &Vocab,
    report: &mut PortalReport,
    formats: &Formats,
) -> Result<(), Error> {
    sheet.lines += 1;
    let limit = match &mut sheet.book {
        Book::Xlsx { .. } => MAX_ROWS,
        Book::Xls { overflow: true, .. } => return Ok(()),
        Book::Xls { .. } => biff::MAX_ROWS,
    };
    if sheet.next_row >= limit {
        if let Book::Xls {
            sheet: grid,
            overflow,
        } = &mut sheet.book
        {
            // The file keeps its title and header rows; the note sends the person to
            // submission.csv, which holds every line.
            let header_rows = sheet.layout.header_rows.max(1);
            let title = sheet.upload.title_cells.len() as u32;
            *grid = grid.first_rows(title + header_rows);
            *overflow = true;
            return Ok(());
        }
        return Err(Error::Write {
            path: sheet.name.into(),
            source: std::io::Error::other(
                "more changes than an Excel sheet holds; upload submission.csv instead",
            ),
        });
    }
    let r = sheet.next_row;
    let vocab = Vocabulary::embedded();
    for (c, col) in sheet.layout.columns.iter().enumerate() {
        let (cell, upgraded) = cell(col, vocab.target_id(col.target), l, sheet.lines, codes);
        // No code for the value, or a column headcount cannot fill: left blank for the
        // person to fill in, and counted.
        let cell = match coded(sheet.upload, col, l.kind, cell) {
            Ok(c) => {
                if c == Cell::Empty && sheet.upload.ask.contains(&col.header) {
                    *report.no_data.entry(shown(col)).or_default() += 1;
                }
                c
            }
            Err(()) => {
                *report.no_code.entry(shown(col)).or_default() += 1;
                Cell::Empty
            }
        };
        if upgraded {
            report.upgraded_ids += 1;
        }
        let c16 = c as u16;
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                let s = super::cells::safe_text(&s);
                sheet.widths.see(c, &s);
                sheet.book.text(r, c16, s.as_ref(), formats, sheet.name)?;
            }
            Cell::Number(d) => {
                sheet.widths.see(c, &d.to_string());
                sheet.book.number(r, c16, d, formats, sheet.name)?;
            }
        }
    }
    sheet.next_row += 1;
    Ok(())
}

/// Columns blank on the same number of lines share one note: (lines, the columns quoted).
fn by_count(m: &BTreeMap<String, u64>, lang: Lang) -> Vec<(u64, String)> {
    let mut by_n: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for (column, n) in m {
        by_n.entry(*n).or_default().push(match lang {
            Lang::Zh => format!("「{column}」"),
            Lang::En => format!("`{column}`"),
        });
    }
    let sep = match lang {
        Lang::Zh => "",
        Lang::En => ", ",
    };
    by_n.into_iter().map(|(n, c)| (n, c.join(sep))).collect()
}

/// A column as a note names it: under its group when it has one (`参加险种·医疗`), since
/// a two-row header repeats texts.
fn shown(col: &LayoutColumn) -> String {
    match col.group.as_deref() {
        Some(g) => format!("{}·{}", g.trim_start_matches(['*', '﹡']), col.header),
        None => col.header.clone(),
    }
}

/// The value of a column before codes: the line's field in the column's form. The flag
/// says a legacy 15-digit ID was upgraded.
fn cell(col: &LayoutColumn, id: &str, l: &Line<'_>, seq: u64, codes: &Vocab) -> (Cell, bool) {
    let r = l.row;
    let text = |s: &str| {
        if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.trim().to_string())
        }
    };
    let form = col.form.as_str();
    let cell = match id {
        "seq" => Cell::Number(Decimal::from(seq)),
        "name" => text(r.name_text()),
        "id_number" => {
            let up = l.facts.id.as_ref().and_then(|i| i.legacy15_upgrade.clone());
            return match up {
                Some(up) => (Cell::Text(up), true),
                None => (text(r.id_text()), false),
            };
        }
        "base" => match l.base {
            None => Cell::Empty,
            // A portal that takes whole yuan gets the base rounded up, never below what
            // was declared.
            Some(b) if form == "integer" => Cell::Number(
                b.round_dp_with_strategy(0, RoundingStrategy::AwayFromZero)
                    .normalize(),
            ),
            Some(b) => Cell::Number(b.round_dp(2)),
        },
        "start_month" => month_cell(l.start_month, form),
        "stop_month" => month_cell(l.stop_month, form),
        "hire_date" => date_cell(ok(&r.hire_date).copied(), form),
        "leave_date" => date_cell(ok(&r.leave_date).copied(), form),
        "birth_date" => date_cell(l.facts.birth, form),
        "reason" => match ok(&r.reason) {
            None => Cell::Empty,
            // The canonical id; a reason with no rule consequence keeps its words.
            Some(Reason::Other) => text(&r.shown(Field::Reason)),
            Some(x) => Cell::Text(x.id().to_string()),
        },
        // Its meaning (`LOCAL_URBAN` …) when the code lists read it, else its words.
        "hukou" => match ok(&r.hukou) {
            None => Cell::Empty,
            Some(h) => match codes.hukou(h) {
                Some(x) => Cell::Text(x.id().to_string()),
                None => text(h),
            },
        },
        // The national document-type code (`01` …); a template maps it to its own code
        // and, for 国籍, to the nationality the document implies.
        "id_type" | "nationality" => {
            match ok(&r.id_type)
                .copied()
                .or(l.facts.id.as_ref().map(|i| i.detected))
            {
                Some(d) => Cell::Text(d.code().to_string()),
                None => Cell::Empty,
            }
        }
        "category" => match ok(&r.category) {
            Some(c) => Cell::Text(c.label_zh().to_string()),
            None => Cell::Empty,
        },
        "phone" => text(ok(&r.phone).map_or("", |s| s.as_ref())),
        "department" => text(ok(&r.department).map_or("", |s| s.as_ref())),
        "sex" => text(
            ok(&r.sex)
                .copied()
                .or(l.facts.id.as_ref().and_then(|i| i.sex))
                .map_or("", |s| s.label_zh()),
        ),
        _ => Cell::Empty,
    };
    (cell, false)
}

/// A column with a code table writes the code of the value (`*` for any other); a value
/// the table does not know is `Err` (left blank). A fixed cell wins, then a cell for the
/// change kind where one is listed.
fn coded(upload: &Upload, col: &LayoutColumn, kind: ChangeKind, cell: Cell) -> Result<Cell, ()> {
    let text = |s: &String| {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.clone())
        }
    };
    if let Some(fixed) = upload.fixed.get(&col.header) {
        return Ok(text(fixed));
    }
    if let Some(v) = upload
        .kind_values
        .get(&col.header)
        .and_then(|by_kind| by_kind.get(kind.id()))
    {
        return Ok(text(v));
    }
    let Some(table) = upload.values.get(&col.header) else {
        return Ok(cell);
    };
    let key = match &cell {
        Cell::Empty => return Ok(Cell::Empty),
        Cell::Text(s) => s.clone(),
        Cell::Number(d) => d.to_string(),
    };
    table
        .get(&key)
        .or_else(|| table.get("*"))
        .map(text)
        .ok_or(())
}

fn month_cell(m: Option<Month>, form: &str) -> Cell {
    match m {
        None => Cell::Empty,
        Some(m) if form == "month" => Cell::Text(m.compact()),
        Some(m) => date_cell(Some(m.first_day()), form),
    }
}

/// A date in the template's pattern (`date:yyyy-MM-dd`, `date:yyyyMMdd`, `date:yyyy/M/d`;
/// `yyyy-MM-dd` when none is given), as text so a spreadsheet keeps it as written.
fn date_cell(d: Option<Date>, form: &str) -> Cell {
    let Some(d) = d else {
        return Cell::Empty;
    };
    let (y, m, day) = (d.year(), d.month(), d.day());
    Cell::Text(match form.strip_prefix("date:").unwrap_or("yyyy-MM-dd") {
        "yyyyMMdd" => format!("{y:04}{m:02}{day:02}"),
        "yyyy/M/d" => format!("{y:04}/{m}/{day}"),
        "month" => format!("{y:04}{m:02}"),
        _ => format!("{y:04}-{m:02}-{day:02}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_template_pattern() {
        let d = Date::new(2025, 8, 1);
        let t = |f: &str| match date_cell(d, f) {
            Cell::Text(s) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(t("date:yyyy-MM-dd"), "2025-08-01");
        assert_eq!(t("date"), "2025-08-01");
        assert_eq!(t("date:yyyyMMdd"), "20250801");
        assert_eq!(t("date:yyyy/M/d"), "2025/8/1");
        let m = Month::new(2025, 8);
        assert_eq!(month_cell(m, "month"), Cell::Text("202508".into()));
        assert_eq!(
            month_cell(m, "date:yyyy-MM-dd"),
            Cell::Text("2025-08-01".into())
        );
    }

    #[test]
    fn the_cities_with_templates_have_both_kinds() {
        for city in ["chengdu", "shanghai", "shenzhen", "guangzhou"] {
            let t = layouts_for(city);
            assert!(t.additions.is_some() && t.reductions.is_some(), "{city}");
        }
        // Guangzhou's one sheet takes both kinds; Beijing's paper form only additions.
        let t = layouts_for("guangzhou");
        assert_eq!(t.additions.map(|l| &l.name), t.reductions.map(|l| &l.name));
        let t = layouts_for("beijing");
        assert!(t.additions.is_some() && t.reductions.is_none() && t.backpay.is_none());
        // Shenzhen's 补缴 is its back-pay template, never taken for plain additions.
        let t = layouts_for("shenzhen");
        assert_eq!(t.backpay.map(|l| l.name.as_str()), Some("shenzhen-backpay"));
        assert_eq!(t.additions.map(|l| l.name.as_str()), Some("shenzhen-newps"));
        assert!(!layouts_for("wuhan").any());
    }
}
