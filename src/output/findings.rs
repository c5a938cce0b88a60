//! Where findings go: the [`FindingSink`] trait, the list of sinks a run writes to
//! ([`Sinks`]), and two of them: `errors.csv` and the JSON Lines form of the same findings
//! (`errors.xlsx` is `errors_xlsx.rs`).

use std::io::Write;

use serde::Serialize;

use super::cells::CsvOut;
use super::redact::Redact;
use super::summary::FindingCounts;
use crate::error::Error;
use crate::finding::{Finding, Lang};
use crate::input::rows_buf::RawRow;
use crate::input::sources::Sources;

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

/// One destination of the run's findings, in input order.
pub trait FindingSink {
    /// A finding the report holds (`--max-findings` may stop them before the end).
    fn finding(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error>;

    /// One input row and all of its findings, past any cap (the error workbook copies it).
    fn row(
        &mut self,
        _raw: &RawRow<'_>,
        _findings: &[Finding],
        _sources: &Sources,
        _redact: &Redact<'_>,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// The end of the run, with the exact counts of every finding.
    fn finish(self: Box<Self>, counts: &FindingCounts) -> Result<(), Error>;
}

/// The sinks of a run, and the counts of every finding (exact even when the report is
/// capped).
#[derive(Default)]
pub struct Sinks<'a> {
    sinks: Vec<Box<dyn FindingSink + 'a>>,
    counts: FindingCounts,
    /// `--max-findings`.
    cap: Option<u64>,
}

impl<'a> Sinks<'a> {
    pub fn new(cap: Option<u64>) -> Sinks<'a> {
        Sinks {
            cap,
            ..Sinks::default()
        }
    }

    pub fn push(&mut self, sink: impl FindingSink + 'a) {
        self.sinks.push(Box::new(sink));
    }

    pub fn counts(&self) -> &FindingCounts {
        &self.counts
    }

    pub fn finding(
        &mut self,
        f: &Finding,
        who: &Person<'_>,
        sources: &Sources,
    ) -> Result<(), Error> {
        self.counts.record(f);
        // --max-findings caps the report; the counts above stay exact.
        if self.cap.is_some_and(|n| self.counts.total() > n) {
            return Ok(());
        }
        for s in &mut self.sinks {
            s.finding(f, who, sources)?;
        }
        Ok(())
    }

    pub fn row(
        &mut self,
        raw: &RawRow<'_>,
        findings: &[Finding],
        sources: &Sources,
        redact: &Redact<'_>,
    ) -> Result<(), Error> {
        for s in &mut self.sinks {
            s.row(raw, findings, sources, redact)?;
        }
        Ok(())
    }

    /// Finishes every sink, in the order they were pushed; returns the counts.
    pub fn finish(self) -> Result<FindingCounts, Error> {
        for s in self.sinks {
            s.finish(&self.counts)?;
        }
        Ok(self.counts)
    }
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

impl<W: Write> FindingSink for FindingsCsv<W> {
    fn finding(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error> {
        self.write(f, who, sources)
    }

    fn finish(self: Box<Self>, _: &FindingCounts) -> Result<(), Error> {
        FindingsCsv::finish(*self)
    }
}

/// `check --format json`: one finding per line on standard output.
pub struct JsonLines<W: Write> {
    out: W,
    lang: Lang,
}

impl JsonLines<std::io::BufWriter<std::io::Stdout>> {
    pub fn stdout(lang: Lang) -> Self {
        JsonLines {
            out: std::io::BufWriter::new(std::io::stdout()),
            lang,
        }
    }
}

impl<W: Write> FindingSink for JsonLines<W> {
    fn finding(&mut self, f: &Finding, who: &Person<'_>, sources: &Sources) -> Result<(), Error> {
        let line = json_line(f, who, sources, self.lang);
        writeln!(self.out, "{line}").map_err(|source| Error::Write {
            path: "<stdout>".into(),
            source,
        })
    }

    fn finish(mut self: Box<Self>, _: &FindingCounts) -> Result<(), Error> {
        self.out.flush().map_err(|source| Error::Write {
            path: "<stdout>".into(),
            source,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::At;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Records what reaches it.
    struct Seen(Rc<RefCell<Vec<String>>>);

    impl FindingSink for Seen {
        fn finding(&mut self, f: &Finding, _: &Person<'_>, _: &Sources) -> Result<(), Error> {
            self.0.borrow_mut().push(f.rule.code.to_string());
            Ok(())
        }

        fn finish(self: Box<Self>, counts: &FindingCounts) -> Result<(), Error> {
            self.0
                .borrow_mut()
                .push(format!("finish {}", counts.total()));
            Ok(())
        }
    }

    #[test]
    fn every_sink_gets_the_findings_up_to_the_cap_and_the_exact_counts() {
        let (a, b) = (Rc::default(), Rc::default());
        let mut sinks = Sinks::new(Some(2));
        sinks.push(Seen(Rc::clone(&a)));
        sinks.push(Seen(Rc::clone(&b)));
        let who = Person {
            name: "",
            id: "",
            redact: Redact::tokens(false),
        };
        let at = At {
            file: 0,
            sheet: 0,
            row: 0,
            column: None,
        };
        let f = Finding::new(&crate::input::header::H004, at).arg("sheet", "x");
        for _ in 0..3 {
            sinks.finding(&f, &who, &Sources::default()).unwrap();
        }
        assert_eq!(sinks.finish().unwrap().total(), 3);
        for seen in [a, b] {
            assert_eq!(*seen.borrow(), ["H004", "H004", "finish 3"]);
        }
    }
}
