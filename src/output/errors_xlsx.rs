//! `errors.xlsx`: the people who fix the data get their own rows back with the problems
//! marked. One sheet per input sheet that had row findings (its header, then every row with
//! findings as it was read, plus a severity and a messages column; offending cells filled
//! and annotated), and a first sheet 「汇总」 with the counts by rule and the file-level
//! findings.
//!
//! Rows are streamed into constant-memory worksheets as the pipeline produces them, so
//! memory does not grow with the number of findings. 「汇总」 must come first but can only
//! be filled at the end: the data sheets are standalone worksheets, and the summary (an
//! ordinary worksheet) is pushed into the workbook before them when the run finishes.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Url, Workbook, Worksheet,
};

use super::redact::Redact;
use super::summary::FindingCounts;
use super::xlsx::{self, Widths, MAX_CELL_CHARS, MAX_COLS, MAX_ROWS};
use crate::calendar::{Date, Month};
use crate::error::Error;
use crate::finding::{Finding, Lang, Severity};
use crate::input::cell::Cell;
use crate::input::rows_buf::RawRow;
use crate::input::sources::Sources;

const NAME: &str = super::ERRORS_XLSX;

/// Cell notes are held in memory until the workbook is saved, and cost far more than a row
/// (5,000 notes took 50 MB and 1.7 s to save); past this many, offending cells are still
/// filled and the messages column still says everything.
pub const MAX_NOTES: usize = 1_000;
/// Width of the messages column (in display columns; a CJK character takes two), and how
/// many rows get an explicit height to show their wrapped messages: spreadsheet programs
/// do not all size rows to wrapped text, and every explicit height stays in memory until
/// the save. Later rows keep the default height; the text is whole in the cell either way.
const MESSAGE_WIDTH: usize = 80;
const MAX_ROW_HEIGHTS: usize = 10_000;
/// File-level findings listed in 「汇总」 (they come per file, sheet or column, not per row).
const MAX_FILE_FINDINGS: usize = 10_000;

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Note => tr(lang, "提示", "note"),
        Severity::Warning => tr(lang, "警告", "warning"),
        Severity::Error => tr(lang, "错误", "error"),
        Severity::Fatal => tr(lang, "无法运行", "fatal"),
    }
}

/// Fill level of a cell: none, warning, error.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    None = 0,
    Warning = 1,
    Error = 2,
}

impl Level {
    fn of(s: Severity) -> Level {
        if s >= Severity::Error {
            Level::Error
        } else {
            Level::Warning
        }
    }
}

struct Styles {
    header: Format,
    added_header: Format,
    /// By level: general cells, dates, text (ID numbers).
    general: [Format; 3],
    date: [Format; 3],
    text: [Format; 3],
    severity: [Format; 3],
    message: Format,
    bold: Format,
    link: Format,
}

impl Styles {
    fn new() -> Styles {
        let fill = |f: Format, level: usize| match level {
            1 => f
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
            2 => f
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            _ => f,
        };
        let three = |base: Format| [0, 1, 2].map(|l| fill(base.clone(), l));
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9D9D9))
            .set_border_bottom(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Styles {
            added_header: header.clone().set_background_color(Color::RGB(0xDDEBF7)),
            header,
            general: three(Format::new().set_align(FormatAlign::Top)),
            date: three(
                Format::new()
                    .set_num_format("yyyy-mm-dd")
                    .set_align(FormatAlign::Top),
            ),
            text: three(
                Format::new()
                    .set_num_format("@")
                    .set_align(FormatAlign::Top),
            ),
            severity: three(Format::new().set_bold().set_align(FormatAlign::Top)),
            message: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            bold: Format::new().set_bold(),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        }
    }
}

/// One input sheet's error sheet, filled row by row.
struct DataSheet {
    file: u32,
    sheet: u32,
    name: String,
    source_file: String,
    source_sheet: String,
    ws: Worksheet,
    /// Source columns copied (the header's width); severity and messages follow.
    columns: usize,
    id_column: Option<usize>,
    birth_column: Option<usize>,
    next_row: u32,
    widths: Widths,
    rows: u64,
    /// Rows past Excel's row limit: in errors.csv, not in the workbook.
    omitted: u64,
}

struct FileFinding {
    file: String,
    sheet: String,
    column: String,
    code: &'static str,
    severity: Severity,
    message: String,
}

pub struct ErrorsXlsx<W: Write + Send> {
    out: W,
    workbook: Workbook,
    lang: Lang,
    mask: bool,
    period: Month,
    as_of: Date,
    styles: Styles,
    sheets: Vec<DataSheet>,
    taken: HashSet<String>,
    file_findings: Vec<FileFinding>,
    file_findings_omitted: u64,
    /// The birth-date column of each (file, sheet), masked to the year.
    birth_columns: BTreeMap<(u32, u32), usize>,
    notes: usize,
    notes_omitted: u64,
    heights: usize,
}

impl<W: Write + Send> super::findings::FindingSink for ErrorsXlsx<W> {
    fn finding(
        &mut self,
        f: &Finding,
        _: &super::findings::Person<'_>,
        sources: &Sources,
    ) -> Result<(), Error> {
        // Keeps file-level findings for 「汇总」; row findings come with their row.
        ErrorsXlsx::finding(self, f, sources);
        Ok(())
    }

    fn row(
        &mut self,
        raw: &RawRow<'_>,
        findings: &[Finding],
        sources: &Sources,
        redact: &Redact<'_>,
    ) -> Result<(), Error> {
        ErrorsXlsx::row(self, raw, findings, sources, redact)
    }

    fn finish(self: Box<Self>, counts: &FindingCounts) -> Result<(), Error> {
        ErrorsXlsx::finish(*self, counts).map(drop)
    }
}

impl<W: Write + Send> ErrorsXlsx<W> {
    /// `tempdir`: where constant-memory sheets spill their rows until the workbook is saved.
    pub fn new(
        out: W,
        tempdir: &Path,
        lang: Lang,
        mask: bool,
        period: Month,
        as_of: Date,
    ) -> Result<Self, Error> {
        let mut taken = HashSet::new();
        taken.insert(summary_name(lang).to_lowercase());
        Ok(ErrorsXlsx {
            out,
            workbook: xlsx::workbook(NAME, as_of, tempdir)?,
            lang,
            mask,
            period,
            as_of,
            styles: Styles::new(),
            sheets: Vec::new(),
            taken,
            file_findings: Vec::new(),
            file_findings_omitted: 0,
            birth_columns: BTreeMap::new(),
            notes: 0,
            notes_omitted: 0,
            heights: 0,
        })
    }

    /// Names the birth-date column of a sheet: its cells are shown as the year only when
    /// masking (a full birth date beside a masked ID gives its hidden digits back).
    pub fn birth_column(&mut self, file: u32, sheet: u32, column: usize) {
        self.birth_columns.insert((file, sheet), column);
    }

    /// A finding about a file, a sheet or its header rather than a data row (H004, H005,
    /// policy findings): listed in 「汇总」. Row findings arrive through [`Self::row`].
    pub fn finding(&mut self, f: &Finding, sources: &Sources) {
        let header_row = sources
            .sheet(f.at.file, f.at.sheet)
            .map_or(0, |s| s.header_row);
        if f.at.row != 0 && f.at.row > header_row {
            return;
        }
        if self.file_findings.len() >= MAX_FILE_FINDINGS {
            self.file_findings_omitted += 1;
            return;
        }
        self.file_findings.push(FileFinding {
            file: sources.file(f.at.file).to_string(),
            sheet: sources
                .sheet(f.at.file, f.at.sheet)
                .map_or(String::new(), |s| s.name.clone()),
            column: Redact::tokens(self.mask)
                .text(sources.column(&f.at))
                .into_owned(),
            code: f.rule.code,
            severity: f.severity,
            message: Redact::tokens(self.mask)
                .text(&f.message(self.lang))
                .into_owned(),
        });
    }

    /// One input row and its findings (in input order); rows without findings are skipped.
    pub fn row(
        &mut self,
        raw: &RawRow<'_>,
        findings: &[Finding],
        sources: &Sources,
        redact: &Redact<'_>,
    ) -> Result<(), Error> {
        let Some(first) = findings.first() else {
            return Ok(());
        };
        let index = self.sheet_for(first.at.file, first.at.sheet, sources)?;
        let lang = self.lang;
        let Some(ds) = self.sheets.get_mut(index) else {
            return Ok(());
        };
        if ds.next_row >= MAX_ROWS {
            ds.omitted += 1;
            return Ok(());
        }
        let r = ds.next_row;
        let st = &self.styles;
        let e = |e| xlsx::error(NAME, e);

        // Per offending column: its worst severity and the messages for its note.
        let mut marks: BTreeMap<usize, (Level, Vec<String>)> = BTreeMap::new();
        let mut worst = Level::None;
        let mut lines = Vec::with_capacity(findings.len());
        for f in findings {
            let level = Level::of(f.severity);
            worst = worst.max(level);
            let message = redact.text(&f.message(lang)).into_owned();
            let column = redact.text(sources.column(&f.at));
            lines.push(message_line(lang, f, &column, &message));
            if let Some(c) = f.at.column.map(|c| c as usize).filter(|c| *c < ds.columns) {
                let mark = marks.entry(c).or_insert((Level::None, Vec::new()));
                mark.0 = mark.0.max(level);
                mark.1.push(format!("{} {message}", f.rule.code));
            }
        }

        for c in 0..ds.columns {
            let level = marks.get(&c).map_or(Level::None, |m| m.0) as usize;
            let col = c as u16;
            let cell = raw.cell(c);
            if Some(c) == ds.id_column {
                // ID numbers are text, masked like errors.csv unless --no-mask.
                let shown = cell.to_string();
                let shown = if self.mask && !cell.is_blank() {
                    crate::ids::mask(shown.trim())
                } else {
                    shown
                };
                let shown = xlsx::clip(&shown, MAX_CELL_CHARS);
                ds.widths.see(c, &shown);
                ds.ws
                    .write_string_with_format(r, col, shown.as_ref(), &st.text[level])
                    .map_err(e)?;
                continue;
            }
            if Some(c) == ds.birth_column && redact.is_on() && !cell.is_blank() {
                // The year only: a full birth date beside a masked ID gives its digits back.
                let shown = redact.birth_cell(&cell.to_string()).into_owned();
                ds.widths.see(c, &shown);
                ds.ws
                    .write_string_with_format(r, col, &shown, &st.text[level])
                    .map_err(e)?;
                continue;
            }
            let cell = masked_cell(cell, redact);
            let shown = write_cell(&mut ds.ws, r, col, &cell, st, level).map_err(e)?;
            ds.widths.see(c, &shown);
        }
        for (c, (_, texts)) in &marks {
            if self.notes >= MAX_NOTES {
                self.notes_omitted += 1;
                continue;
            }
            self.notes += 1;
            let text = texts.join("\n");
            let text = xlsx::clip(&text, MAX_CELL_CHARS - 60);
            let units = xlsx::display_width(&text) + 2;
            let height = (text.lines().count() as u32 + units as u32 / 48 + 1) * 18 + 8;
            let note = Note::new(text.as_ref())
                .set_author("headcount")
                .add_author_prefix(false)
                .set_width(360)
                .set_height(height.min(400));
            ds.ws.insert_note(r, *c as u16, &note).map_err(e)?;
        }

        let sev_col = ds.columns as u16;
        let worst_severity = if worst == Level::Error {
            Severity::Error
        } else {
            Severity::Warning
        };
        let label = severity_label(worst_severity, lang);
        ds.widths.see(ds.columns, label);
        ds.ws
            .write_string_with_format(r, sev_col, label, &st.severity[worst as usize])
            .map_err(e)?;
        let text = lines.join("\n");
        let text = xlsx::clip(&text, MAX_CELL_CHARS);
        ds.widths.see(ds.columns + 1, &text);
        ds.ws
            .write_string_with_format(r, sev_col + 1, text.as_ref(), &st.message)
            .map_err(e)?;
        let visual: usize = text
            .lines()
            .map(|l| xlsx::display_width(l).div_ceil(MESSAGE_WIDTH).max(1))
            .sum();
        if visual > 1 && self.heights < MAX_ROW_HEIGHTS {
            self.heights += 1;
            ds.ws
                .set_row_height(r, 15 * visual.min(27) as u32)
                .map_err(e)?;
        }
        ds.next_row += 1;
        ds.rows += 1;
        Ok(())
    }

    /// The error sheet of an input sheet, created (with its header row) on first use.
    fn sheet_for(&mut self, file: u32, sheet: u32, sources: &Sources) -> Result<usize, Error> {
        if let Some(i) = self
            .sheets
            .iter()
            .rposition(|s| s.file == file && s.sheet == sheet)
        {
            return Ok(i);
        }
        let e = |e| xlsx::error(NAME, e);
        let source_file = sources.file(file).to_string();
        let src = sources.sheet(file, sheet);
        let source_sheet = src.map_or(String::new(), |s| s.name.clone());
        let header: &[String] = src.map_or(&[], |s| s.columns.as_slice());
        let columns = header.len().min(MAX_COLS - 2);
        let stem = Path::new(&source_file)
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        let name = xlsx::sheet_name(&stem, &source_sheet, &mut self.taken);

        let mut ws = self
            .workbook
            .new_worksheet_with_constant_memory()
            .map_err(e)?;
        ws.set_name(&name).map_err(e)?;
        let mut widths = Widths::default();
        for (c, text) in header.iter().take(columns).enumerate() {
            let text = Redact::tokens(self.mask).text(text).into_owned();
            let text = super::cells::safe_text(&text);
            widths.see(c, &text);
            ws.write_string_with_format(0, c as u16, text.as_ref(), &self.styles.header)
                .map_err(e)?;
        }
        let added = [
            tr(self.lang, "严重程度", "severity"),
            tr(self.lang, "问题说明", "messages"),
        ];
        for (i, text) in added.iter().enumerate() {
            widths.see(columns + i, text);
            ws.write_string_with_format(0, (columns + i) as u16, *text, &self.styles.added_header)
                .map_err(e)?;
        }
        ws.set_freeze_panes(1, 0).map_err(e)?;
        self.sheets.push(DataSheet {
            file,
            sheet,
            name,
            source_file,
            source_sheet,
            ws,
            columns,
            id_column: src.and_then(|s| s.id_column).map(|c| c as usize),
            birth_column: self.birth_columns.get(&(file, sheet)).copied(),
            next_row: 1,
            widths,
            rows: 0,
            omitted: 0,
        });
        Ok(self.sheets.len() - 1)
    }

    /// Writes 「汇总」 from the run's counts (the same counts as summary.json), puts it
    /// first, and saves the workbook.
    pub fn finish(mut self, counts: &FindingCounts) -> Result<W, Error> {
        let e = |e| xlsx::error(NAME, e);
        let summary = self.summary(counts)?;
        self.workbook.push_worksheet(summary);
        for mut ds in std::mem::take(&mut self.sheets) {
            let last_col = (ds.columns + 1) as u16;
            ds.ws
                .autofilter(0, 0, ds.next_row.saturating_sub(1), last_col)
                .map_err(e)?;
            ds.widths
                .apply(&mut ds.ws, 40, &[(ds.columns + 1, MESSAGE_WIDTH + 3)], NAME)?;
            xlsx::print_setup(&mut ds.ws, NAME)?;
            self.workbook.push_worksheet(ds.ws);
        }
        self.workbook.save_to_writer(&mut self.out).map_err(e)?;
        self.out.flush().map_err(|source| Error::Write {
            path: NAME.into(),
            source,
        })?;
        Ok(self.out)
    }

    /// 「汇总」: counts by rule (A code, B severity, C count, D rule), then the file-level
    /// findings (A code, B severity, C column, D file, E sheet, F message) and the index of
    /// error sheets (C rows, D sheet, E source sheet, F source file), so that each column
    /// holds values of one width and long texts sit last, free to overflow.
    fn summary(&self, counts: &FindingCounts) -> Result<Worksheet, Error> {
        let e = |e| xlsx::error(NAME, e);
        let lang = self.lang;
        let st = &self.styles;
        let mut ws = Worksheet::new();
        ws.set_name(summary_name(lang)).map_err(e)?;
        let mut widths = Widths::default();
        let mut row = 0u32;
        let put = |ws: &mut Worksheet,
                   widths: &mut Widths,
                   row: u32,
                   col: u16,
                   text: &str,
                   format: &Format|
         -> Result<(), Error> {
            let text = super::cells::safe_text(text);
            let text = xlsx::clip(&text, MAX_CELL_CHARS);
            widths.see(col as usize, &text);
            ws.write_string_with_format(row, col, text.as_ref(), format)
                .map_err(e)?;
            Ok(())
        };
        let number = |ws: &mut Worksheet, widths: &mut Widths, row: u32, col: u16, n: u64| {
            widths.see(col as usize, &n.to_string());
            ws.write_number(row, col, n as f64).map(|_| ()).map_err(e)
        };
        let heads = |ws: &mut Worksheet,
                     widths: &mut Widths,
                     row: u32,
                     first: u16,
                     names: &[&str]|
         -> Result<(), Error> {
            for (i, h) in names.iter().enumerate() {
                put(ws, widths, row, first + i as u16, h, &st.header)?;
            }
            Ok(())
        };
        let code = tr(lang, "代码", "code");
        let severity = tr(lang, "严重程度", "severity");

        // Counts by rule code, each with what the rule is about.
        heads(
            &mut ws,
            &mut widths,
            row,
            0,
            &[
                code,
                severity,
                tr(lang, "数量", "count"),
                tr(lang, "规则", "rule"),
            ],
        )?;
        row += 1;
        for (code, cc) in &counts.by_code {
            let rule = crate::rules::catalogue::find(code);
            let level = match rule.map_or(cc.severity, |r| r.severity.id()) {
                "error" | "fatal" => Severity::Error,
                _ => Severity::Warning,
            };
            let fill = &st.severity[Level::of(level) as usize];
            put(&mut ws, &mut widths, row, 0, code, fill)?;
            let label = severity_label(level, lang);
            put(&mut ws, &mut widths, row, 1, label, &st.general[0])?;
            number(&mut ws, &mut widths, row, 2, cc.count)?;
            let title = rule.map_or(cc.title, |r| r.title(lang));
            put(&mut ws, &mut widths, row, 3, title, &st.general[0])?;
            row += 1;
        }
        let table_end = row.saturating_sub(1);
        let total = match lang {
            Lang::Zh => format!("错误 {} 条，警告 {} 条", counts.errors, counts.warnings),
            Lang::En => format!("{} errors, {} warnings", counts.errors, counts.warnings),
        };
        put(
            &mut ws,
            &mut widths,
            row,
            0,
            tr(lang, "合计", "total"),
            &st.bold,
        )?;
        ws.write_number_with_format(row, 2, (counts.errors + counts.warnings) as f64, &st.bold)
            .map_err(e)?;
        put(&mut ws, &mut widths, row, 3, &total, &st.bold)?;
        row += 2;

        // Findings about files, sheets and headers: no row to show them on.
        if !self.file_findings.is_empty() {
            let title = tr(lang, "文件级问题", "File-level findings");
            ws.write_string_with_format(row, 0, title, &st.bold)
                .map_err(e)?;
            row += 1;
            let names = [
                code,
                severity,
                tr(lang, "列", "column"),
                tr(lang, "文件", "file"),
                tr(lang, "工作表", "sheet"),
                tr(lang, "说明", "message"),
            ];
            heads(&mut ws, &mut widths, row, 0, &names)?;
            row += 1;
            for f in &self.file_findings {
                let fill = &st.severity[Level::of(f.severity) as usize];
                put(&mut ws, &mut widths, row, 0, f.code, fill)?;
                let label = severity_label(f.severity, lang);
                put(&mut ws, &mut widths, row, 1, label, &st.general[0])?;
                put(&mut ws, &mut widths, row, 2, &f.column, &st.general[0])?;
                put(&mut ws, &mut widths, row, 3, &f.file, &st.general[0])?;
                put(&mut ws, &mut widths, row, 4, &f.sheet, &st.general[0])?;
                put(&mut ws, &mut widths, row, 5, &f.message, &st.general[0])?;
                row += 1;
            }
            if self.file_findings_omitted > 0 {
                let more = match lang {
                    Lang::Zh => format!("另有 {} 条，见 errors.csv", self.file_findings_omitted),
                    Lang::En => format!("{} more in errors.csv", self.file_findings_omitted),
                };
                ws.write_string(row, 0, more.as_str()).map_err(e)?;
                row += 1;
            }
            row += 1;
        }

        // Where each input sheet's rows went, linked.
        if !self.sheets.is_empty() {
            let names = [
                tr(lang, "有问题的行", "rows"),
                tr(lang, "工作表", "sheet"),
                tr(lang, "来源工作表", "source sheet"),
                tr(lang, "来源文件", "source file"),
            ];
            heads(&mut ws, &mut widths, row, 2, &names)?;
            row += 1;
            for ds in &self.sheets {
                number(&mut ws, &mut widths, row, 2, ds.rows)?;
                let target = format!("internal:'{}'!A1", ds.name.replace('\'', "''"));
                ws.write_url_with_format(row, 3, Url::new(target).set_text(&ds.name), &st.link)
                    .map_err(e)?;
                widths.see(3, &ds.name);
                put(
                    &mut ws,
                    &mut widths,
                    row,
                    4,
                    &ds.source_sheet,
                    &st.general[0],
                )?;
                put(
                    &mut ws,
                    &mut widths,
                    row,
                    5,
                    &ds.source_file,
                    &st.general[0],
                )?;
                row += 1;
            }
            row += 1;
        }

        // How to read the workbook (left to overflow: they do not set widths).
        let mut notes = vec![match lang {
            Lang::Zh => format!("申报月份 {}，处理日期 {}", self.period, self.as_of),
            Lang::En => format!("period {}, as of {}", self.period, self.as_of),
        }];
        notes.push(
            tr(
                lang,
                "各工作表为原始行（表头与有问题的行）；红色为错误、黄色为警告，悬停单元格可看说明",
                "each sheet holds the original header and rows with findings; red cells are errors, yellow warnings; hover a cell for its message",
            )
            .to_string(),
        );
        if self.mask {
            notes.push(
                tr(
                    lang,
                    "证件号码已部分隐藏；使用 --no-mask 显示完整号码",
                    "ID numbers are masked; --no-mask shows them in full",
                )
                .to_string(),
            );
        }
        if self.notes_omitted > 0 {
            notes.push(match lang {
                Lang::Zh => format!(
                    "单元格批注只加在前 {MAX_NOTES} 个问题单元格上（另有 {} 个未加）；「问题说明」列列出每一行的全部问题",
                    self.notes_omitted
                ),
                Lang::En => format!(
                    "cell notes on the first {MAX_NOTES} offending cells only ({} more without); the messages column lists every finding",
                    self.notes_omitted
                ),
            });
        }
        let omitted: u64 = self.sheets.iter().map(|s| s.omitted).sum();
        if omitted > 0 {
            notes.push(match lang {
                Lang::Zh => format!("{omitted} 行超出 Excel 的行数上限，未写入本工作簿；见 errors.csv"),
                Lang::En => format!("{omitted} rows beyond Excel's row limit are not in this workbook; see errors.csv"),
            });
        }
        for n in &notes {
            ws.write_string(row, 0, n.as_str()).map_err(e)?;
            row += 1;
        }

        ws.set_freeze_panes(1, 0).map_err(e)?;
        if table_end >= 1 {
            ws.autofilter(0, 0, table_end, 3).map_err(e)?;
        }
        widths.apply(&mut ws, 60, &[(5, 100)], NAME)?;
        xlsx::print_setup(&mut ws, NAME)?;
        Ok(ws)
    }
}

fn summary_name(lang: Lang) -> &'static str {
    tr(lang, "汇总", "Summary")
}

/// A messages-column line: where (source row, column), which rule, what.
fn message_line(lang: Lang, f: &Finding, column: &str, message: &str) -> String {
    let code = f.rule.code;
    let row = f.at.row;
    match (lang, column.is_empty()) {
        (Lang::Zh, false) => format!("第 {row} 行 {code}「{column}」：{message}"),
        (Lang::Zh, true) => format!("第 {row} 行 {code}：{message}"),
        (Lang::En, false) => format!("row {row} {code} [{column}]: {message}"),
        (Lang::En, true) => format!("row {row} {code}: {message}"),
    }
}

/// Writes one source cell with its read type and returns the text to measure its width by.
/// A source cell with masking applied: ID-shaped text in any column, and a number long
/// enough to be an ID (15 digits or more; Excel keeps 15) as masked text.
fn masked_cell<'c>(cell: Cell<'c>, redact: &Redact<'_>) -> Cell<'c> {
    if !redact.is_on() {
        return cell;
    }
    match cell {
        Cell::Text(t) => match redact.text(&t) {
            std::borrow::Cow::Borrowed(_) => Cell::Text(t),
            std::borrow::Cow::Owned(o) => Cell::Text(o.into()),
        },
        Cell::Number(n) if n.is_finite() && n.fract() == 0.0 && n.abs() >= 1e14 => {
            Cell::Text(crate::ids::mask(&format!("{n:.0}")).into())
        }
        other => other,
    }
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell<'_>,
    st: &Styles,
    level: usize,
) -> Result<String, rust_xlsxwriter::XlsxError> {
    let text_cell = |ws: &mut Worksheet, s: &str| -> Result<String, rust_xlsxwriter::XlsxError> {
        // A number typed as text stays as it was; other formula-like text is neutralised.
        let s = if s.trim().parse::<f64>().is_ok() {
            s.into()
        } else {
            super::cells::safe_text(s)
        };
        let s = xlsx::clip(&s, MAX_CELL_CHARS);
        ws.write_string_with_format(r, c, s.as_ref(), &st.general[level])?;
        Ok(s.into_owned())
    };
    match cell {
        Cell::Empty => {
            if level > 0 {
                ws.write_blank(r, c, &st.general[level])?;
            }
            Ok(String::new())
        }
        Cell::Text(t) => text_cell(ws, t),
        Cell::Number(n) if n.is_finite() => {
            ws.write_number_with_format(r, c, *n, &st.general[level])?;
            Ok(cell.to_string())
        }
        Cell::Number(_) => text_cell(ws, &cell.to_string()),
        Cell::Date(d) => {
            match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                Ok(dt) => {
                    ws.write_datetime_with_format(r, c, &dt, &st.date[level])?;
                    Ok(d.to_string())
                }
                // Before 1900, where Excel has no dates.
                Err(_) => text_cell(ws, &d.to_string()),
            }
        }
        Cell::Bool(b) => {
            ws.write_boolean_with_format(r, c, *b, &st.general[level])?;
            Ok(cell.to_string())
        }
        Cell::Error(s) => text_cell(ws, s),
    }
}
