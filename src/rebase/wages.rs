//! The wage file of `rebase`: a payroll export (one line per person and month: ID, name,
//! 工资月份, 应发工资) or a list of last year's monthly averages (one line per person), read
//! with the same header machinery as change files. Lines are checked cell by cell here;
//! what a person's lines mean is `compute`'s business.

use std::path::Path;

use compact_str::CompactString;
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::rules::{B006, B007, B008, B010, B011, B013};
use super::Noted;
use crate::calendar::{Date, Month};
use crate::finding::{At, Finding};
use crate::input::cell::Cell;
use crate::input::encoding::Encoding;
use crate::input::header::{ColumnMap, Field, Schema, H002};
use crate::input::layout::Vocabulary;
use crate::input::rows_buf::RawRow;
use crate::input::sources::{SourceFile, SourceSheet};
use crate::input::value::{self, IdCell, Value};
use crate::input::{plan, InputError, InputFile};
use crate::rows::key::{PersonIndex, PersonKey};

/// One usable wage line.
#[derive(Clone, Debug)]
pub struct WageLine {
    /// `None` for a yearly average.
    pub month: Option<Month>,
    pub amount: Decimal,
    pub at: At,
}

/// Everything the wage file says about one person, folded as lines arrive so memory grows
/// with people, not with lines: the wage year's sum and count, this year's months (for a
/// first full month), and the row of each month of those two years (for B010).
#[derive(Clone, Debug, Default)]
pub struct PersonWages {
    pub id: CompactString,
    pub name: CompactString,
    /// From an 入职日期 column, when the file has one (the first line that gives it).
    pub hire: Option<Date>,
    /// The wage year's monthly lines: their sum and how many.
    pub year_sum: Decimal,
    pub year_months: u32,
    /// This year's monthly lines, `(month, amount)`, at most twelve.
    pub this_year: Vec<(Month, Decimal)>,
    /// Monthly lines of other years: read and checked, never used.
    pub other_years: u64,
    /// The yearly average line, when given (it wins over monthly lines: B012).
    pub average: Option<WageLine>,
    /// The row of the line for each month of the wage year and this year (0: none).
    rows: [u32; 24],
    /// Where the person's first line is, for findings about all of them.
    pub first_at: At,
}

impl PersonWages {
    /// Monthly lines kept (all of them are superseded when an average is given).
    pub fn monthly_lines(&self) -> u64 {
        u64::from(self.year_months) + self.this_year.len() as u64 + self.other_years
    }

    pub fn line_count(&self) -> u64 {
        self.monthly_lines() + u64::from(self.average.is_some())
    }
}

/// How the file's lines were accounted for while reading.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ReadCounts {
    pub rows_read: u64,
    pub blank_skipped: u64,
    /// Of `blank_skipped`: totals lines (合计, 小计, 总计), as `run` counts them.
    pub totals_rows_skipped: u64,
    /// A cell could not be used (B006, B007, B008, B011, B013).
    pub rejected: u64,
    /// A second line for one person and month (B010).
    pub duplicate: u64,
    /// An empty or zero wage: a month without pay, not counted as worked.
    pub no_pay: u64,
}

pub struct Wages {
    pub persons: Vec<PersonWages>,
    index: PersonIndex,
    pub findings: Vec<Noted>,
    pub counts: ReadCounts,
    pub source: SourceFile,
    pub encoding: Option<Encoding>,
    wage_year: i32,
}

impl Wages {
    pub fn get(&self, key: &PersonKey) -> Option<usize> {
        self.index.get(key)
    }
}

/// What one row holds, read on its own (in parallel) before it is added in file order.
enum Line {
    Blank,
    Totals,
    Rejected(Noted),
    NoPay,
    Wage {
        key: PersonKey,
        id: CompactString,
        name: CompactString,
        hire: Option<Date>,
        line: WageLine,
    },
}

/// Reads the wage file; `file_index` is its place in the run's sources (for `At`).
pub fn load(
    path: &Path,
    display: &str,
    encoding: Option<Encoding>,
    vocab: &Vocabulary,
    file_index: u32,
    thousands_below: Decimal,
    wage_year: i32,
) -> Result<Wages, InputError> {
    let mut file = InputFile::open(path, display, encoding)?;
    let opts = plan::PlanOptions {
        schema: Schema::Wages,
        vocab,
        only_sheet: None,
        kind: None,
        keep_head: false,
    };
    let plan = plan::plan(&mut file, display, &opts)?;
    let mut wages = Wages {
        persons: Vec::new(),
        index: PersonIndex::default(),
        findings: Vec::new(),
        counts: ReadCounts::default(),
        source: SourceFile {
            display: display.to_string(),
            sheets: Vec::new(),
        },
        encoding: None,
        wage_year,
    };
    for (position, sheet) in plan.sheets.iter().enumerate() {
        wages.source.sheets.push(SourceSheet {
            name: sheet.name.clone(),
            columns: sheet
                .data
                .as_ref()
                .map(|d| d.header.columns.clone())
                .unwrap_or_default(),
            header_row: sheet.data.as_ref().map_or(0, |d| d.header.row),
            id_column: sheet
                .data
                .as_ref()
                .and_then(|d| d.header.map.get(Field::IdNumber))
                .map(|c| c as u32),
        });
        let Some(data) = &sheet.data else { continue };
        let map = &data.header.map;
        if ![Field::Wage, Field::AverageWage, Field::Base]
            .iter()
            .any(|f| map.has(*f))
        {
            return Err(no_amount_column(
                display,
                sheet,
                &data.header.columns,
                data.header.row,
            ));
        }
        let ctx = Ctx {
            map,
            file: file_index,
            sheet: position as u32,
            thousands_below,
        };
        let used = plan::stream::<InputError>(&mut file, sheet, data, 8192, |rows, first| {
            let lines: Vec<Line> = (first..rows.len())
                .into_par_iter()
                .map(|i| read(rows.row(i), &ctx))
                .collect();
            for line in lines {
                wages.add(line);
            }
            Ok(())
        })?;
        wages.encoding = wages.encoding.or(used);
    }
    Ok(wages)
}

fn no_amount_column(
    display: &str,
    sheet: &plan::SheetPlan,
    columns: &[String],
    row: u32,
) -> InputError {
    let seen: Vec<&str> = columns
        .iter()
        .map(String::as_str)
        .filter(|c| !c.trim().is_empty())
        .collect();
    InputError::new(
        &H002,
        vec![
            ("file", display.to_string()),
            (
                "sheet",
                if sheet.name.is_empty() {
                    String::new()
                } else {
                    format!(" [{}] ", sheet.name)
                },
            ),
            ("row", row.to_string()),
            ("missing_zh", "应发工资（或上年度月平均工资）".to_string()),
            (
                "missing_en",
                "gross wage (or average monthly wage)".to_string(),
            ),
            ("seen", seen.join(", ")),
            ("nearest", String::new()),
            ("ways_zh", String::new()),
            ("ways_en", String::new()),
        ],
    )
}

struct Ctx<'a> {
    map: &'a ColumnMap,
    file: u32,
    sheet: u32,
    thousands_below: Decimal,
}

impl Wages {
    fn add(&mut self, line: Line) {
        self.counts.rows_read += 1;
        let (key, id, name, hire, line) = match line {
            Line::Blank => {
                self.counts.blank_skipped += 1;
                return;
            }
            Line::Totals => {
                self.counts.blank_skipped += 1;
                self.counts.totals_rows_skipped += 1;
                return;
            }
            Line::NoPay => {
                self.counts.no_pay += 1;
                return;
            }
            Line::Rejected(n) => {
                self.counts.rejected += 1;
                self.findings.push(n);
                return;
            }
            Line::Wage {
                key,
                id,
                name,
                hire,
                line,
            } => (key, id, name, hire, line),
        };
        let at = match self.index.get_or_insert(key, self.persons.len()) {
            Some(i) => i,
            None => {
                self.persons.push(PersonWages {
                    id: id.clone(),
                    name: name.clone(),
                    first_at: line.at,
                    ..PersonWages::default()
                });
                self.persons.len() - 1
            }
        };
        let wage_year = self.wage_year;
        let p = &mut self.persons[at];
        p.hire = p.hire.or(hire);
        // Months of the wage year are slots 0–11, of this year 12–23.
        let slot = line.month.and_then(|m| match m.year() - wage_year {
            0 => Some(m.month() as usize - 1),
            1 => Some(m.month() as usize + 11),
            _ => None,
        });
        let earlier = match (line.month, slot) {
            (None, _) => p.average.as_ref().map(|a| a.at.row),
            (Some(_), Some(s)) => Some(p.rows[s]).filter(|r| *r != 0),
            (Some(_), None) => None,
        };
        if let Some(first) = earlier {
            self.counts.duplicate += 1;
            let (month_zh, month_en) = line.month.map_or_else(
                || ("上年度月平均工资".to_string(), "the average".to_string()),
                |m| (m.to_string(), m.to_string()),
            );
            self.findings.push(Noted::new(
                Finding::new(&B010, line.at)
                    .arg("month_zh", month_zh)
                    .arg("month_en", month_en)
                    .arg("first", first),
                &name,
                &id,
            ));
            return;
        }
        match (line.month, slot) {
            (None, _) => p.average = Some(line),
            (Some(m), Some(s)) => {
                p.rows[s] = line.at.row;
                if s < 12 {
                    p.year_sum += line.amount;
                    p.year_months += 1;
                } else {
                    p.this_year.push((m, line.amount));
                }
            }
            (Some(_), None) => p.other_years += 1,
        }
    }
}

fn read(raw: RawRow<'_>, ctx: &Ctx<'_>) -> Line {
    if raw.is_blank() {
        return Line::Blank;
    }
    if crate::pipeline::is_totals_row(&raw) {
        return Line::Totals;
    }
    let col = |f: Field| ctx.map.get(f);
    let cell = |f: Field| col(f).map_or(Cell::Empty, |c| raw.cell(c));
    let at = |f: Option<usize>| At {
        file: ctx.file,
        sheet: ctx.sheet,
        row: raw.number,
        column: f.map(|c| c as u32),
    };
    let name_cell = cell(Field::Name);
    let name: CompactString = match value::text(&name_cell) {
        Value::Ok { value, .. } => value.as_ref().into(),
        _ => CompactString::default(),
    };
    let id_cell = cell(Field::IdNumber);
    let id = match value::id_number(&id_cell) {
        IdCell::Text { value, .. } => CompactString::from(value.as_ref()),
        IdCell::Numeric { shown } => {
            return Line::Rejected(Noted::new(
                Finding::new(&B013, at(col(Field::IdNumber))).arg("found", format!(" ({shown})")),
                &name,
                "",
            ))
        }
        IdCell::Empty => CompactString::default(),
    };
    let Some(key) = PersonKey::of(&id) else {
        return Line::Rejected(Noted::new(
            Finding::new(&B013, at(col(Field::IdNumber))).arg("found", ""),
            &name,
            "",
        ));
    };
    let reject = |f: Finding| Line::Rejected(Noted::new(f, &name, &id));
    // A month cell makes the line a month's wage; without one it is a yearly average.
    let month_col = col(Field::WageMonth);
    let month_cell = cell(Field::WageMonth);
    let month = match value::month(&month_cell) {
        Value::Ok { value, .. } => Some(value),
        Value::Empty => None,
        Value::Invalid => {
            return reject(
                Finding::new(&B011, at(month_col))
                    .arg("column_zh", column_name(ctx, month_col, true))
                    .arg("column_en", column_name(ctx, month_col, false))
                    .arg("found", month_cell.to_string()),
            )
        }
    };
    let amount_col = match month {
        Some(_) => col(Field::Wage)
            .or(col(Field::Base))
            .or(col(Field::AverageWage)),
        None => col(Field::AverageWage)
            .or(col(Field::Base))
            .or(col(Field::Wage)),
    };
    let amount_cell = amount_col.map_or(Cell::Empty, |c| raw.cell(c));
    let amount = match value::money(&amount_cell) {
        Value::Ok { value, .. } => value,
        Value::Empty => return Line::NoPay,
        Value::Invalid => {
            return reject(
                Finding::new(&B006, at(amount_col))
                    .arg("column_zh", column_name(ctx, amount_col, true))
                    .arg("column_en", column_name(ctx, amount_col, false))
                    .arg("found", amount_cell.to_string()),
            )
        }
    };
    if amount.is_sign_negative() && !amount.is_zero() {
        return reject(
            Finding::new(&B007, at(amount_col))
                .arg("column_zh", column_name(ctx, amount_col, true))
                .arg("column_en", column_name(ctx, amount_col, false))
                .arg("found", amount),
        );
    }
    if amount.is_zero() {
        return Line::NoPay;
    }
    if amount < ctx.thousands_below {
        return reject(
            Finding::new(&B008, at(amount_col))
                .arg("column_zh", column_name(ctx, amount_col, true))
                .arg("column_en", column_name(ctx, amount_col, false))
                .arg("found", amount)
                .arg("min", ctx.thousands_below),
        );
    }
    let hire = value::date(&cell(Field::HireDate)).ok();
    Line::Wage {
        key,
        id: id.clone(),
        name: name.clone(),
        hire,
        line: WageLine {
            month,
            amount,
            at: at(amount_col),
        },
    }
}

/// The column's field label, for messages (errors.csv names the sheet's own header too).
fn column_name(ctx: &Ctx<'_>, col: Option<usize>, zh: bool) -> String {
    col.and_then(|c| {
        ctx.map.fields().find(|(_, fc)| *fc == c).map(|(f, _)| {
            let lang = if zh {
                crate::finding::Lang::Zh
            } else {
                crate::finding::Lang::En
            };
            Vocabulary::embedded().label(f, lang).to_string()
        })
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Wages {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wages.csv");
        std::fs::write(&path, text).unwrap();
        load(
            &path,
            "wages.csv",
            None,
            Vocabulary::embedded(),
            1,
            Decimal::new(100, 0),
            2025,
        )
        .unwrap()
    }

    #[test]
    fn lines_fold_into_the_wage_year_this_year_and_other_years() {
        let w = load_text(
            "姓名,身份证号,工资月份,应发工资\n\
             甲,110105198503121015,2025-01,1000\n\
             甲,110105198503121015,2025-02,3000.50\n\
             甲,110105198503121015,2026-03,5000\n\
             甲,110105198503121015,2024-12,9000\n\
             甲,110105198503121015,2024-12,9000\n",
        );
        assert_eq!(w.persons.len(), 1);
        let p = &w.persons[0];
        assert_eq!((p.year_sum, p.year_months), (Decimal::new(400050, 2), 2));
        assert_eq!(p.this_year.len(), 1);
        // Other years are not used, so their repeats are not checked.
        assert_eq!((p.other_years, w.counts.duplicate), (2, 0));
        assert_eq!(p.line_count(), 5);
    }

    #[test]
    fn a_repeated_month_is_b010_naming_the_first_row() {
        let w = load_text(
            "姓名,身份证号,工资月份,应发工资\n\
             甲,110105198503121015,2025-01,1000\n\
             甲,110105198503121015,202501,1200\n",
        );
        assert_eq!(w.counts.duplicate, 1);
        let f = &w.findings[0].finding;
        assert_eq!((f.rule.code, f.at.row), ("B010", 3));
        assert!(f.message(crate::finding::Lang::En).contains("row 2"));
        assert_eq!(w.persons[0].year_months, 1);
    }

    #[test]
    fn bad_cells_are_rejected_with_their_column_and_blank_pay_is_no_pay() {
        let w = load_text(
            "姓名,身份证号,工资月份,应发工资\n\
             甲,110105198503121015,2025-01,九千\n\
             甲,110105198503121015,2025-02,-1\n\
             甲,110105198503121015,2025-03,9.5\n\
             甲,110105198503121015,2025-04,\n\
             甲,110105198503121015,2025-05,0\n\
             ,,,\n\
             合计,,,28500\n",
        );
        let codes: Vec<(&str, Option<u32>)> = w
            .findings
            .iter()
            .map(|n| (n.finding.rule.code, n.finding.at.column))
            .collect();
        assert_eq!(
            codes,
            [("B006", Some(3)), ("B007", Some(3)), ("B008", Some(3))]
        );
        assert_eq!(
            (
                w.counts.rejected,
                w.counts.no_pay,
                w.counts.blank_skipped,
                w.counts.totals_rows_skipped
            ),
            (3, 2, 2, 1)
        );
        assert!(w.persons.is_empty());
    }
}
