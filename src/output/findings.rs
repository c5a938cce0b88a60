//! `errors.csv` and the JSON Lines form of the same findings.

use std::io::Write;

use serde::Serialize;

use super::cells::CsvOut;
use super::redact::Redact;
use super::Sources;
use crate::error::Error;
use crate::finding::{Finding, Lang};

pub const COLUMNS: [&str; 9] = [
    "file",
    "sheet",
    "row",
    "column",
    "name",
    "id_number",
    "code",
    "severity",
    "message",
];

/// Who a finding is about, as shown in the report (the ID already masked if asked), and
/// the masking of every other text of its lines.
pub struct Person<'a> {
    pub name: &'a str,
    pub id: &'a str,
    pub redact: Redact<'a>,
}

pub struct FindingsCsv<W: Write> {
    out: CsvOut<W>,
    lang: Lang,
}

impl<W: Write> FindingsCsv<W> {
    pub fn new(w: W, lang: Lang) -> Result<Self, Error> {
        Ok(FindingsCsv {
            out: CsvOut::new(w, super::ERRORS, &COLUMNS)?,
            lang,
        })
    }

    pub fn write(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error> {
        let sheet = sources
            .sheet(f.at.file, f.at.sheet)
            .map_or("", |s| s.name.as_str());
        self.out
            .text(sources.file(f.at.file))
            .text(sheet)
            .num(if f.at.row == 0 {
                String::new()
            } else {
                f.at.row.to_string()
            })
            .text(&who.redact.text(sources.column(&f.at)))
            .text(&who.redact.text(who.name))
            .text(who.id)
            .num(f.rule.code)
            .num(f.severity)
            .text(&who.redact.text(&f.message(self.lang)));
        self.out.end()
    }

    pub fn finish(self) -> Result<(), Error> {
        self.out.finish()
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    sheet: &'a str,
    row: Option<u32>,
    column: std::borrow::Cow<'a, str>,
    name: std::borrow::Cow<'a, str>,
    id_number: &'a str,
    code: &'a str,
    severity: &'a str,
    message: String,
    message_zh: String,
    message_en: String,
}

/// One finding as a JSON object on one line (the `check --format json` stream).
pub fn json_line(f: &Finding, who: &Person<'_>, sources: &Sources, lang: Lang) -> String {
    let j = JsonFinding {
        file: sources.file(f.at.file),
        sheet: sources
            .sheet(f.at.file, f.at.sheet)
            .map_or("", |s| s.name.as_str()),
        row: (f.at.row != 0).then_some(f.at.row),
        column: who.redact.text(sources.column(&f.at)),
        name: who.redact.text(who.name),
        id_number: who.id,
        code: f.rule.code,
        severity: f.severity.id(),
        message: who.redact.text(&f.message(lang)).into_owned(),
        message_zh: who.redact.text(&f.message(Lang::Zh)).into_owned(),
        message_en: who.redact.text(&f.message(Lang::En)).into_owned(),
    };
    serde_json::to_string(&j).unwrap_or_default()
}
