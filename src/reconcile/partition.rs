//! Both sides split by person into temporary files, so that a reconciliation holds one
//! partition at a time: memory bounded by a partition, not by the bill.
//!
//! As a side is read, every chunk of rows goes to the file of its person's partition (the
//! hash of the key the person is matched by: ID number, else person number, else name), and
//! the chunk is dropped. A partition of both sides then holds every line of its people, so
//! it is reconciled as a whole side would be. Each row keeps its ordinal on its side: the
//! order of first appearance, which orders the report's people as one pass over the whole
//! sides would.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rust_decimal::Decimal;

use super::model::{Kind, Line, Lines, Part, Person, Row};
use crate::calendar::Month;
use crate::error::Error;

/// Rows read before a chunk goes to the partition files.
const FLUSH_ROWS: usize = 1 << 16;
/// Input bytes of one side per partition (a contributions.csv row is ~130 bytes, so
/// ~60,000 rows, ~400,000 lines); a partition of both sides then takes ~60 MB to reconcile.
pub const PARTITION_BYTES: u64 = 8 << 20;
/// At most this many partitions (two files each open while reading): past 256 × 8 MB a
/// side, partitions grow with the bill.
pub const MAX_PARTITIONS: usize = 256;

/// Partitions reconciled at once, at most (one per core).
pub const AT_ONCE: usize = 4;

/// The number of partitions for sides of `bytes` input bytes each at most, `per`
/// (`PARTITION_BYTES`) a partition.
pub fn count_for(bytes: u64, per: u64) -> usize {
    (bytes.div_ceil(per.max(1)) as usize).clamp(1, MAX_PARTITIONS)
}

/// The folder the partition files live in, removed when dropped (an error on any path
/// returns through a drop) and on Ctrl-C (`interrupt`): it holds full ID numbers.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Result<Scratch, Error> {
        let dir = tempfile::Builder::new()
            .prefix(".headcount-reconcile-")
            .tempdir()
            .map_err(|source| Error::Write {
                path: std::env::temp_dir(),
                source,
            })?;
        crate::interrupt::register(dir.path());
        Ok(Scratch { dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        crate::interrupt::unregister(self.dir.path());
    }
}

/// One side's partition files, written as the side is read.
pub struct Spill {
    inner: Mutex<Inner>,
}

struct Inner {
    paths: Vec<PathBuf>,
    files: Vec<BufWriter<File>>,
    /// The next row's ordinal on the side.
    ordinal: u64,
    /// Some row names a person without an ID number.
    without_id: bool,
    /// The latest month of a regular line (the period, when not given).
    latest: Option<Month>,
    /// The first failure to write, reported by `finish`.
    failed: Option<(PathBuf, std::io::Error)>,
}

/// What a side's spill says once read.
pub struct Spilled {
    pub paths: Vec<PathBuf>,
    pub without_id: bool,
    pub latest: Option<Month>,
}

impl Spill {
    /// `partitions` files named `{side}-{n}` in `dir`.
    pub fn new(dir: &Path, side: &str, partitions: usize) -> Result<Spill, Error> {
        let mut paths = Vec::with_capacity(partitions);
        let mut files = Vec::with_capacity(partitions);
        for n in 0..partitions {
            let path = dir.join(format!("{side}-{n}"));
            let f = File::create(&path).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            files.push(BufWriter::with_capacity(1 << 16, f));
            paths.push(path);
        }
        Ok(Spill {
            inner: Mutex::new(Inner {
                paths,
                files,
                ordinal: 0,
                without_id: false,
                latest: None,
                failed: None,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes `lines`' rows out once there are enough of them.
    pub fn maybe_flush(&self, lines: &mut Lines) {
        if lines.rows.len() >= FLUSH_ROWS {
            self.flush(lines);
        }
    }

    /// Writes every row of `lines` (with its lines) to its partition and empties it; the
    /// side's tables (sheets, insurances) stay.
    pub fn flush(&self, lines: &mut Lines) {
        let mut g = self.lock();
        let inner = &mut *g;
        let starts = lines.row_starts();
        let n = inner.files.len() as u64;
        let mut buf = Vec::with_capacity(256);
        for (r, row) in lines.rows.iter().enumerate() {
            let person = lines.people.get(row.person);
            inner.without_id |= person.id.is_none();
            let (tag, key) = super::matching::person_key(person);
            let part = (super::hash::of(tag, key) % n) as usize;
            let rl = &lines.lines[starts[r] as usize..starts[r + 1] as usize];
            if row.month.is_some() && rl.iter().any(|l| l.kind == Kind::Regular) {
                inner.latest = inner.latest.max(row.month);
            }
            buf.clear();
            encode(&mut buf, inner.ordinal, row, person, rl);
            inner.ordinal += 1;
            if inner.failed.is_none() {
                if let Err(e) = inner.files[part].write_all(&buf) {
                    inner.failed = Some((inner.paths[part].clone(), e));
                }
            }
        }
        lines.people = Default::default();
        lines.rows.clear();
        lines.lines.clear();
    }

    /// Flushes what is left in `lines` and closes the files.
    pub fn finish(self, lines: &mut Lines) -> Result<Spilled, Error> {
        self.flush(lines);
        let mut inner = self.inner.into_inner().unwrap_or_else(|p| p.into_inner());
        for (f, p) in inner.files.iter_mut().zip(&inner.paths) {
            if inner.failed.is_none() {
                if let Err(e) = f.flush() {
                    inner.failed = Some((p.clone(), e));
                }
            }
        }
        if let Some((path, source)) = inner.failed {
            return Err(Error::Write { path, source });
        }
        Ok(Spilled {
            paths: inner.paths,
            without_id: inner.without_id,
            latest: inner.latest,
        })
    }
}

/// A row: ordinal, month, base, origin, the person's three texts, then its lines.
fn encode(buf: &mut Vec<u8>, ordinal: u64, row: &Row, p: Person<'_>, lines: &[Line]) {
    buf.extend_from_slice(&ordinal.to_le_bytes());
    let (y, m) = row.month.map_or((0, 0), |m| (m.year(), m.month() as u8));
    buf.extend_from_slice(&y.to_le_bytes());
    buf.push(m);
    match row.base {
        Some(b) => {
            buf.push(1);
            buf.extend_from_slice(&b.serialize());
        }
        None => buf.push(0),
    }
    for v in [row.file, row.sheet, row.row] {
        buf.extend_from_slice(&v.to_le_bytes());
    }
    for t in [p.id, p.person_no, p.name] {
        let t = t.unwrap_or("").as_bytes();
        // `People` keeps at most u16::MAX bytes of a text.
        buf.extend_from_slice(&(t.len() as u16).to_le_bytes());
        buf.extend_from_slice(t);
    }
    buf.extend_from_slice(&(lines.len() as u32).to_le_bytes());
    for l in lines {
        buf.extend_from_slice(&l.amount.to_le_bytes());
        buf.push(l.insurance);
        buf.push(l.part as u8);
        buf.push(l.kind as u8);
    }
}

/// A cursor over a partition file's bytes; `None` past the end (a file cut short).
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, b) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = b;
        Some(a)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn text(&mut self) -> Option<Option<&'a str>> {
        let len = u16::from_le_bytes(self.array()?) as usize;
        let t = std::str::from_utf8(self.take(len)?).ok()?;
        Some((!t.is_empty()).then_some(t))
    }
}

/// Reads one partition file of a side into `side` (empty, with the side's tables), and
/// returns the ordinal of each person entry's first row.
pub fn load(path: &Path, side: &mut Lines) -> Result<Vec<u64>, Error> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
    let corrupt = || Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "partition file cut short"),
    };
    let mut c = Cursor(&bytes);
    let mut ordinals = Vec::new();
    while !c.0.is_empty() {
        decode(&mut c, side, &mut ordinals).ok_or_else(corrupt)?;
    }
    Ok(ordinals)
}

fn decode(c: &mut Cursor<'_>, side: &mut Lines, ordinals: &mut Vec<u64>) -> Option<()> {
    let ordinal = u64::from_le_bytes(c.array()?);
    let year = i32::from_le_bytes(c.array()?);
    let m = c.array::<1>()?[0];
    let month = match m {
        0 => None,
        m => Some(Month::new(year, u32::from(m))?),
    };
    let base = match c.array::<1>()?[0] {
        0 => None,
        _ => Some(Decimal::deserialize(c.array()?)),
    };
    let file = u32::from_le_bytes(c.array()?);
    let sheet = u32::from_le_bytes(c.array()?);
    let row = u32::from_le_bytes(c.array()?);
    let person = Person {
        id: c.text()?,
        person_no: c.text()?,
        name: c.text()?,
    };
    let entry = side.people.push(person);
    if entry as usize == ordinals.len() {
        ordinals.push(ordinal);
    }
    let index = side.rows.len() as u32;
    side.rows.push(Row {
        person: entry,
        month,
        base,
        file,
        sheet,
        row,
    });
    let n = u32::from_le_bytes(c.array()?);
    for _ in 0..n {
        let amount = i64::from_le_bytes(c.array()?);
        let [insurance, part, kind] = c.array::<3>()?;
        side.lines.push(Line {
            amount,
            row: index,
            insurance,
            part: match part {
                0 => Part::Employer,
                _ => Part::Employee,
            },
            kind: match kind {
                0 => Kind::Regular,
                1 => Kind::Backpay,
                _ => Kind::Refund,
            },
        });
    }
    Some(())
}

/// Each person entry's first row, for a side read whole (its rows are in read order):
/// what `load` returns for a partition.
pub fn ordinals(side: &Lines) -> Vec<u64> {
    let mut first = Vec::with_capacity(side.people.len());
    for (i, r) in side.rows.iter().enumerate() {
        if r.person as usize == first.len() {
            first.push(i as u64);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side() -> Lines {
        let mut s = Lines::default();
        s.insurance_index("pension");
        s.insurance_index("medical");
        s
    }

    fn add(
        s: &mut Lines,
        p: Person<'_>,
        month: Option<Month>,
        base: Option<&str>,
        amounts: &[(i64, u8, Kind)],
        at: u32,
    ) {
        let person = s.people.push(p);
        s.rows.push(Row {
            person,
            month,
            base: base.map(|b| b.parse().unwrap()),
            file: 2,
            sheet: 1,
            row: at,
        });
        let row = s.rows.len() as u32 - 1;
        for &(amount, insurance, kind) in amounts {
            s.lines.push(Line {
                amount,
                row,
                insurance,
                part: if amount % 2 == 0 {
                    Part::Employer
                } else {
                    Part::Employee
                },
                kind,
            });
        }
    }

    #[test]
    fn rows_come_back_whole_in_their_persons_partition_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path(), "bill", 3).unwrap();
        let a = Person {
            id: Some("110101199001011234"),
            person_no: None,
            name: Some("张三"),
        };
        let b = Person {
            id: None,
            person_no: Some("900"),
            name: Some("李四"),
        };
        let mut s = side();
        let aug = Month::new(2025, 8);
        add(
            &mut s,
            a,
            aug,
            Some("31306.00"),
            &[(500_896_000_000, 0, Kind::Regular), (-3, 1, Kind::Refund)],
            7,
        );
        spill.flush(&mut s);
        assert!(s.rows.is_empty() && s.lines.is_empty() && s.people.is_empty());
        add(
            &mut s,
            b,
            Month::new(2025, 5),
            None,
            &[(7, 1, Kind::Backpay)],
            8,
        );
        add(&mut s, a, None, Some("1.5"), &[(2, 0, Kind::Regular)], 9);
        let spilled = spill.finish(&mut s).unwrap();
        assert!(spilled.without_id);
        assert_eq!(spilled.latest, aug);

        // (ordinal, partition, id, month, base, bill row, lines) of every row read back.
        type Back = (
            u64,
            usize,
            Option<String>,
            Option<Month>,
            Option<Decimal>,
            u32,
            Vec<(i64, u8, Part, Kind)>,
        );
        let mut seen: Vec<Back> = Vec::new();
        for (n, path) in spilled.paths.iter().enumerate() {
            let mut back = side();
            let ordinals = load(path, &mut back).unwrap();
            assert_eq!(ordinals.len(), back.people.len());
            for (r, row) in back.rows.iter().enumerate() {
                let lines = back
                    .lines
                    .iter()
                    .filter(|l| l.row as usize == r)
                    .map(|l| (l.amount, l.insurance, l.part, l.kind))
                    .collect();
                let p = back.people.get(row.person);
                assert_eq!(p.name, Some(if p.id.is_some() { "张三" } else { "李四" }));
                let id = p.id.map(str::to_string);
                seen.push((
                    ordinals[row.person as usize],
                    n,
                    id,
                    row.month,
                    row.base,
                    row.row,
                    lines,
                ));
            }
        }
        // Which partitions a and b land in is the hash's business; the read order is the
        // rows' (and a person's ordinal is that of their first row, read back).
        seen.sort_by_key(|x| x.5);
        assert_eq!(seen.len(), 3);
        assert_eq!(seen.iter().map(|x| x.5).collect::<Vec<_>>(), [7, 8, 9]);
        assert!(seen[0].0 <= seen[2].0 && seen[0].0 < seen[1].0, "{seen:?}");
        // a's two rows share a partition.
        assert_eq!(seen[0].1, seen[2].1);
        assert_eq!((seen[0].2.as_deref(), seen[0].3), (a.id, aug));
        assert_eq!(seen[0].4, Some("31306.00".parse().unwrap()));
        assert_eq!(
            seen[0].6,
            vec![
                (500_896_000_000, 0, Part::Employer, Kind::Regular),
                (-3, 1, Part::Employee, Kind::Refund)
            ]
        );
        assert_eq!(
            (seen[1].2.as_deref(), seen[1].3),
            (None, Month::new(2025, 5))
        );
        assert_eq!(seen[1].6, vec![(7, 1, Part::Employee, Kind::Backpay)]);
        assert_eq!((seen[2].3, seen[2].4), (None, Some("1.5".parse().unwrap())));
    }

    #[test]
    fn a_file_cut_short_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path(), "x", 1).unwrap();
        let mut s = side();
        let a = Person {
            id: Some("A1"),
            person_no: None,
            name: None,
        };
        add(&mut s, a, None, None, &[(1, 0, Kind::Regular)], 1);
        let spilled = spill.finish(&mut s).unwrap();
        let p = &spilled.paths[0];
        let bytes = std::fs::read(p).unwrap();
        std::fs::write(p, &bytes[..bytes.len() - 2]).unwrap();
        assert!(load(p, &mut side()).is_err());
        assert!(!spilled.without_id);
    }

    #[test]
    fn partitions_grow_with_the_input_up_to_a_cap() {
        let per = PARTITION_BYTES;
        assert_eq!(count_for(0, per), 1);
        assert_eq!(count_for(per, per), 1);
        assert_eq!(count_for(per + 1, per), 2);
        assert_eq!(count_for(u64::MAX / 2, per), MAX_PARTITIONS);
        assert_eq!(count_for(10, 0), 10);
    }
}
