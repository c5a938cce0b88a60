//! `submission.csv`: the accepted changes, in input order, with Chinese headers and the
//! value formats the portals use (`yyyyMM` months, `yyyy-MM-dd` dates).

use std::io::Write;

use super::cells::{money, CsvOut};
use crate::calendar::Month;
use crate::error::Error;
use crate::ids::DocType;
use crate::input::header::Field;
use crate::model::{ChangeKind, Reason};
use crate::rows::{ok, ChangeRow};
use crate::rules::Facts;

pub const COLUMNS: [&str; 21] = [
    "变动类型",
    "姓名",
    "证件类型",
    "证件号码",
    "性别",
    "出生日期",
    "人员类别",
    "入职日期",
    "参保年月",
    "缴费基数",
    "离职日期",
    "停缴年月",
    "减员原因",
    "户口性质",
    "手机号码",
    "部门",
    "原证件号码",
    "原姓名",
    "来源文件",
    "来源工作表",
    "来源行",
];

/// One accepted change with the months the run resolved for it.
pub struct Line<'a> {
    pub row: &'a ChangeRow<'a>,
    pub facts: &'a Facts,
    pub kind: ChangeKind,
    pub start_month: Option<Month>,
    pub stop_month: Option<Month>,
    /// The base to declare (clamped to the period's limits when a region is known).
    pub base: Option<rust_decimal::Decimal>,
    pub file: &'a str,
    pub sheet: &'a str,
}

/// One cell of a submission line: computed once, rendered by the CSV and the workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text (from the input or a label): neutralised where a spreadsheet could run it.
    Text(String),
    /// A date (`yyyy-MM-dd`) or month (`yyyyMM`) in the portal's format: text in a
    /// workbook, never a spreadsheet date.
    Fixed(String),
    /// An amount or a row number (empty when absent).
    Number(String),
}

impl Value {
    pub fn as_str(&self) -> &str {
        match self {
            Value::Text(s) | Value::Fixed(s) | Value::Number(s) => s,
        }
    }
}

/// The cells of one line, in `COLUMNS` order.
pub fn values(l: &Line<'_>) -> [Value; COLUMNS.len()] {
    use Value::{Fixed, Number, Text};
    let r = l.row;
    let info = l.facts.id.as_ref();
    // Sex and birth date come from the ID when the export left them out.
    let sex = ok(&r.sex).copied().or(info.and_then(|i| i.sex));
    let birth = ok(&r.birth_date).copied().or(info.and_then(|i| i.birth));
    // Without a type column, the document the number showed itself to be.
    let doc = ok(&r.id_type)
        .copied()
        .or(info.map(|i| i.detected))
        .unwrap_or(DocType::ResidentId);
    let addition = l.kind == ChangeKind::Addition;
    let reduction = l.kind == ChangeKind::Reduction;
    let information = l.kind == ChangeKind::Information;
    let only = |yes: bool, s: String| if yes { s } else { String::new() };
    let text = |s: &str| Text(s.to_string());
    // A reason without a rule consequence keeps the words it was given in.
    let reason = match ok(&r.reason) {
        _ if !reduction => String::new(),
        Some(Reason::Other) => r.shown(Field::Reason).trim().to_string(),
        Some(x) => x.label_zh().to_string(),
        None => String::new(),
    };
    [
        Fixed(l.kind.label_zh().to_string()),
        text(r.name_text()),
        text(doc.label_zh()),
        text(r.id_text()),
        text(sex.map_or("", |s| s.label_zh())),
        Fixed(opt(birth)),
        text(ok(&r.category).map_or("", |c| c.label_zh())),
        Fixed(only(addition, opt(ok(&r.hire_date)))),
        Fixed(only(addition, month(l.start_month))),
        Number(only(addition, l.base.map(money).unwrap_or_default())),
        Fixed(only(reduction, opt(ok(&r.leave_date)))),
        Fixed(only(reduction, month(l.stop_month))),
        Text(reason),
        text(ok(&r.hukou).map_or("", |s| s.as_ref())),
        text(ok(&r.phone).map_or("", |s| s.as_ref())),
        text(ok(&r.department).map_or("", |s| s.as_ref())),
        Text(only(information, r.old_id_text().to_string())),
        Text(only(information, r.old_name_text().to_string())),
        text(l.file),
        text(l.sheet),
        Number(r.at.row.to_string()),
    ]
}

pub struct SubmissionCsv<W: Write> {
    out: CsvOut<W>,
}

fn month(m: Option<Month>) -> String {
    m.map(Month::compact).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl<W: Write> SubmissionCsv<W> {
    pub fn new(w: W) -> Result<Self, Error> {
        Ok(SubmissionCsv {
            out: CsvOut::new(w, super::SUBMISSION, &COLUMNS)?,
        })
    }

    pub fn write(&mut self, l: &Line<'_>) -> Result<(), Error> {
        self.write_values(&values(l))
    }

    /// Writes a line already turned into cells (shared with the workbook).
    pub fn write_values(&mut self, values: &[Value]) -> Result<(), Error> {
        for v in values {
            match v {
                Value::Text(s) => self.out.text(s),
                Value::Fixed(s) | Value::Number(s) => self.out.num(s),
            };
        }
        self.out.end()
    }

    pub fn finish(self) -> Result<(), Error> {
        self.out.finish()
    }
}
