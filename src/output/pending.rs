//! Accepted additions waiting for the end of the batch: a later row may reduce the same
//! person (hired and left in one month), and their charges must stop at that stop month.
//! The records wait in an unnamed temporary file, so memory does not grow with the
//! additions of a large month; they come back in input order, so `contributions.csv`
//! keeps its order.

use std::fs::File;
use std::io::{BufReader, BufWriter, Seek, SeekFrom};
use std::path::Path;

use rust_decimal::Decimal;

use crate::calendar::Month;
use crate::contributions::charge::Addition;
use crate::error::Error;
use crate::input::value::cover::Cover;

/// One waiting addition: who, and what to charge.
pub struct Pending {
    /// The person's number in the batch (`Facts::batch_person`).
    pub person: u32,
    pub id: String,
    pub name: String,
    pub addition: Addition,
}

pub struct PendingAdditions {
    out: csv::Writer<BufWriter<File>>,
}

const NAME: &str = "contributions.csv";

fn spool_error(source: std::io::Error) -> Error {
    Error::Write {
        path: NAME.into(),
        source,
    }
}

fn csv_error(e: csv::Error) -> Error {
    spool_error(std::io::Error::other(e.to_string()))
}

impl PendingAdditions {
    pub fn new(dir: &Path) -> Result<PendingAdditions, Error> {
        let file = tempfile::tempfile_in(dir).map_err(spool_error)?;
        Ok(PendingAdditions {
            out: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(BufWriter::new(file)),
        })
    }

    pub fn push(&mut self, p: &Pending) -> Result<(), Error> {
        let a = &p.addition;
        let record = [
            p.person.to_string(),
            a.start.to_string(),
            a.base.to_string(),
            cover_bits(a.cover).to_string(),
            u8::from(a.average_wage_backpay).to_string(),
            p.id.clone(),
            p.name.clone(),
            a.medical_tier.map_or(String::new(), |t| t.to_string()),
        ];
        self.out.write_record(&record).map_err(csv_error)
    }

    /// Every waiting addition, in the order pushed.
    pub fn drain(self) -> Result<Vec<Pending>, Error> {
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| spool_error(e.into_error()))?
            .into_inner()
            .map_err(|e| spool_error(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(spool_error)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BufReader::new(file));
        let mut out = Vec::new();
        for record in reader.records() {
            let r = record.map_err(csv_error)?;
            let field = |i: usize| r.get(i).unwrap_or("");
            // The spool holds only what `push` wrote; a field that does not read back is
            // an I/O fault, reported as such.
            let bad = || spool_error(std::io::Error::other("temporary file damaged"));
            out.push(Pending {
                person: field(0).parse().map_err(|_| bad())?,
                addition: Addition {
                    start: field(1).parse::<Month>().map_err(|_| bad())?,
                    base: field(2).parse::<Decimal>().map_err(|_| bad())?,
                    cover: bits_cover(field(3).parse().map_err(|_| bad())?),
                    average_wage_backpay: field(4) == "1",
                    medical_tier: match field(7) {
                        "" => None,
                        t => Some(t.parse().map_err(|_| bad())?),
                    },
                },
                id: field(5).to_string(),
                name: field(6).to_string(),
            });
        }
        Ok(out)
    }
}

fn cover_bits(c: Cover) -> u8 {
    [
        Cover::PENSION,
        Cover::MEDICAL,
        Cover::UNEMPLOYMENT,
        Cover::INJURY,
    ]
    .iter()
    .enumerate()
    .filter(|(_, x)| c.contains(**x))
    .map(|(i, _)| 1u8 << i)
    .sum()
}

fn bits_cover(b: u8) -> Cover {
    [
        Cover::PENSION,
        Cover::MEDICAL,
        Cover::UNEMPLOYMENT,
        Cover::INJURY,
    ]
    .iter()
    .enumerate()
    .filter(|(i, _)| b & (1 << i) != 0)
    .fold(Cover::NONE, |acc, (_, x)| acc.union(*x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_in_order_with_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = PendingAdditions::new(dir.path()).unwrap();
        for (i, name) in ["张三", "O'Brien, \"Jr\"\nX"].iter().enumerate() {
            p.push(&Pending {
                person: i as u32 * 7,
                id: format!("11010119900101{i:04}"),
                name: name.to_string(),
                addition: Addition {
                    start: "2025-07".parse().unwrap(),
                    base: Decimal::new(1000055, 2),
                    cover: if i == 0 { Cover::ALL } else { Cover::INJURY },
                    average_wage_backpay: i == 1,
                    medical_tier: (i == 1).then_some(2),
                },
            })
            .unwrap();
        }
        let back = p.drain().unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].name, "O'Brien, \"Jr\"\nX");
        assert_eq!(back[1].person, 7);
        assert_eq!(back[1].addition.cover, Cover::INJURY);
        assert_eq!(back[0].addition.cover, Cover::ALL);
        assert_eq!(back[0].addition.base.to_string(), "10000.55");
        assert!(back[1].addition.average_wage_backpay);
        assert_eq!(back[1].addition.medical_tier, Some(2));
        assert_eq!(back[0].addition.medical_tier, None);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
