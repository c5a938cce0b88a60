//! `submission.xlsx` (`--xlsx`): the lines of submission.csv, rendered from the same
//! `submission::values`, on three sheets 增员, 减员 and 信息变更 so the HR team can paste each into
//! their city's template. IDs, dates (`yyyy-MM-dd`) and months (`yyyyMM`) are text cells in
//! the portal's formats; the base and the source row are numbers.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};

use super::submission::{Value, COLUMNS};
use super::xlsx::{self, Widths, MAX_CELL_CHARS, MAX_ROWS};
use crate::calendar::Date;
use crate::error::Error;
use crate::model::ChangeKind;

const NAME: &str = super::SUBMISSION_XLSX;

/// Columns left out of each sheet: the change type (the sheet says it) and the other
/// kinds' fields, which are always empty there.
const ADDITION_SKIPS: [&str; 6] = [
    "变动类型",
    "离职日期",
    "停缴年月",
    "减员原因",
    "原证件号码",
    "原姓名",
];
const REDUCTION_SKIPS: [&str; 6] = [
    "变动类型",
    "入职日期",
    "参保年月",
    "缴费基数",
    "原证件号码",
    "原姓名",
];
const INFORMATION_SKIPS: [&str; 7] = [
    "变动类型",
    "入职日期",
    "参保年月",
    "缴费基数",
    "离职日期",
    "停缴年月",
    "减员原因",
];

struct Part {
    ws: Worksheet,
    /// Indexes into `COLUMNS` of the columns this sheet shows.
    columns: Vec<usize>,
    next_row: u32,
    widths: Widths,
}

pub struct SubmissionXlsx<W: Write + Send> {
    out: W,
    workbook: Workbook,
    additions: Part,
    reductions: Part,
    information: Part,
    text: Format,
    money: Format,
    plain: Format,
}

impl<W: Write + Send> SubmissionXlsx<W> {
    pub fn new(out: W, tempdir: &Path, as_of: Date) -> Result<Self, Error> {
        let e = |e| xlsx::error(NAME, e);
        let mut workbook = xlsx::workbook(NAME, as_of, tempdir)?;
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9D9D9))
            .set_border_bottom(FormatBorder::Thin);
        let mut part = |name: &str, skips: &[&str]| -> Result<Part, Error> {
            let mut ws = workbook.new_worksheet_with_constant_memory().map_err(e)?;
            ws.set_name(name).map_err(e)?;
            let columns: Vec<usize> = (0..COLUMNS.len())
                .filter(|i| !skips.contains(&COLUMNS[*i]))
                .collect();
            let mut widths = Widths::default();
            for (c, i) in columns.iter().enumerate() {
                widths.see(c, COLUMNS[*i]);
                ws.write_string_with_format(0, c as u16, COLUMNS[*i], &header)
                    .map_err(e)?;
            }
            ws.set_freeze_panes(1, 0).map_err(e)?;
            Ok(Part {
                ws,
                columns,
                next_row: 1,
                widths,
            })
        };
        let additions = part(ChangeKind::Addition.label_zh(), &ADDITION_SKIPS)?;
        let reductions = part(ChangeKind::Reduction.label_zh(), &REDUCTION_SKIPS)?;
        let information = part(ChangeKind::Information.label_zh(), &INFORMATION_SKIPS)?;
        Ok(SubmissionXlsx {
            out,
            workbook,
            additions,
            reductions,
            information,
            text: Format::new().set_num_format("@"),
            money: Format::new().set_num_format("0.00"),
            plain: Format::new(),
        })
    }

    /// One accepted change, as `submission::values` made it for submission.csv.
    pub fn write(&mut self, kind: ChangeKind, values: &[Value]) -> Result<(), Error> {
        let e = |e| xlsx::error(NAME, e);
        let part = match kind {
            ChangeKind::Addition => &mut self.additions,
            ChangeKind::Reduction => &mut self.reductions,
            ChangeKind::Information => &mut self.information,
        };
        if part.next_row >= MAX_ROWS {
            // An incomplete upload file would be worse than none.
            return Err(Error::Write {
                path: NAME.into(),
                source: std::io::Error::other(
                    "more changes than an Excel sheet holds; upload submission.csv instead",
                ),
            });
        }
        let r = part.next_row;
        for (c, i) in part.columns.iter().enumerate() {
            let c16 = c as u16;
            match values.get(*i) {
                None => {}
                Some(v) if v.as_str().is_empty() => {}
                Some(Value::Text(s)) => {
                    let s = super::cells::safe_text(s);
                    let s = xlsx::clip(&s, MAX_CELL_CHARS);
                    part.widths.see(c, &s);
                    part.ws
                        .write_string_with_format(r, c16, s.as_ref(), &self.text)
                        .map_err(e)?;
                }
                Some(Value::Fixed(s)) => {
                    part.widths.see(c, s);
                    part.ws
                        .write_string_with_format(r, c16, s, &self.text)
                        .map_err(e)?;
                }
                Some(Value::Number(s)) => {
                    part.widths.see(c, s);
                    match s.parse::<f64>() {
                        Ok(n) if n.is_finite() => {
                            let format = if COLUMNS[*i] == "缴费基数" {
                                &self.money
                            } else {
                                &self.plain
                            };
                            part.ws
                                .write_number_with_format(r, c16, n, format)
                                .map_err(e)?;
                        }
                        _ => {
                            part.ws
                                .write_string_with_format(r, c16, s, &self.text)
                                .map_err(e)?;
                        }
                    }
                }
            }
        }
        part.next_row += 1;
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, Error> {
        let e = |e| xlsx::error(NAME, e);
        for mut part in [self.additions, self.reductions, self.information] {
            let last_col = part.columns.len().saturating_sub(1) as u16;
            part.ws
                .autofilter(0, 0, part.next_row.saturating_sub(1), last_col)
                .map_err(e)?;
            part.widths.apply(&mut part.ws, 50, &[], NAME)?;
            xlsx::print_setup(&mut part.ws, NAME)?;
            self.workbook.push_worksheet(part.ws);
        }
        self.workbook.save_to_writer(&mut self.out).map_err(e)?;
        self.out.flush().map_err(|source| Error::Write {
            path: NAME.into(),
            source,
        })?;
        Ok(self.out)
    }
}
