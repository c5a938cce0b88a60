//! CSV change files and rosters: encoding detection, delimiter sniffing, streaming records.
//!
//! A record may not pass `[limits] record-kib` (a guard under the parser stops it before it
//! fills memory) nor 1,024 columns, and a chunk stops early once its records hold 64 MiB.
//! A quoted cell that swallowed following lines (an unbalanced quote) is flagged on its
//! row for the H008 finding (`swallow`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::encoding::{self, Encoding, Gb18030Reader, UTF8_BOM};
use super::limits::{self, MAX_COLUMNS};
use super::rows_buf::{RowBuf, RowFlag};
use super::swallow;
use super::{InputError, RowReader};

/// A chunk stops growing once its records hold this many bytes (at least `MIN_CHUNK_ROWS`
/// rows still come, so a header search always sees its rows).
const CHUNK_BYTES: usize = 64 * 1024 * 1024;
const MIN_CHUNK_ROWS: usize = 32;

pub struct CsvReader {
    reader: csv::Reader<Box<dyn Read + Send>>,
    file: String,
    encoding: Encoding,
    delimiter: u8,
    /// Where the record being read starts, in bytes handed to the parser (shared with the
    /// guard under it).
    record_start: Arc<AtomicU64>,
    max_record: u64,
    /// The line after the last record read (for messages about the next one).
    next_line: u64,
    /// Bytes read from the file so far, of `size`.
    file_read: Arc<AtomicU64>,
    size: u64,
}

impl CsvReader {
    /// Opens `path` (shown to the user as `display`); `forced` overrides detection.
    pub fn open(path: &Path, display: &str, forced: Option<Encoding>) -> Result<Self, InputError> {
        let file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
        let size = file.metadata().map_or(0, |m| m.len());
        let file_read = Arc::new(AtomicU64::new(0));
        let file = Counted {
            inner: file,
            read: Arc::clone(&file_read),
        };
        let mut buffered = BufReader::with_capacity(256 * 1024, file);
        let head = buffered
            .fill_buf()
            .map_err(|e| InputError::unreadable(display, &e))?;
        let detected =
            encoding::detect(head).map_err(|what| InputError::unreadable_because(display, what))?;
        // A UTF-16 file is always read as what its mark says.
        let encoding = match detected {
            Encoding::Utf16Le | Encoding::Utf16Be => detected,
            _ => forced.unwrap_or(detected),
        };
        let delimiter = match encoding {
            // Sniffed on decoded text: a UTF-16 CJK character may hold a tab or comma byte.
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let (text, _) = encoding
                    .decoder()
                    .map(|d| d.decode_without_bom_handling(&head[2..]))
                    .unwrap_or_default();
                sniff_delimiter(text.as_bytes())
            }
            _ => sniff_delimiter(head),
        };
        let bom = if head.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            encoding.bom().len()
        };
        buffered.consume(bom);
        // The csv crate's line counter lags on CRLF endings; fold them so row numbers
        // match what a text editor shows.
        let folded: Box<dyn Read + Send> = match encoding.decoder() {
            Some(d) => Box::new(CrlfToLf::new(Gb18030Reader::with(buffered, d))),
            None => Box::new(CrlfToLf::new(buffered)),
        };
        let record_start = Arc::new(AtomicU64::new(0));
        let max_record = limits::get().record_kib.saturating_mul(1024);
        let source: Box<dyn Read + Send> = Box::new(RecordGuard {
            inner: folded,
            read: 0,
            record_start: Arc::clone(&record_start),
            max: max_record,
        });
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(source);
        Ok(CsvReader {
            reader,
            file: display.to_string(),
            encoding,
            delimiter,
            record_start,
            max_record,
            next_line: 1,
            file_read,
            size,
        })
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }
}

/// Counts the bytes read from the file, before decoding, for the progress line.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Fails a read once the record being parsed has passed the limit (plus the parser's
/// read-ahead), so one endless line or quoted cell cannot fill memory.
struct RecordGuard<R> {
    inner: R,
    read: u64,
    record_start: Arc<AtomicU64>,
    max: u64,
}

const RECORD_TOO_LONG: &str = "record too long";

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let start = self.record_start.load(Ordering::Relaxed);
        if self.read.saturating_sub(start) > self.max + 256 * 1024 {
            return Err(io::Error::new(io::ErrorKind::InvalidData, RECORD_TOO_LONG));
        }
        Ok(n)
    }
}

/// Turns each `\r\n` into `\n`; a lone `\r` is kept.
struct CrlfToLf<R> {
    inner: R,
    /// A `\r` that ended the previous read, not yet known to start a `\r\n`.
    pending_cr: bool,
}

impl<R> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        CrlfToLf {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            return self.inner.read(buf);
        }
        loop {
            let offset = usize::from(self.pending_cr);
            let n = self.inner.read(&mut buf[offset..])?;
            if n == 0 {
                // End of input: a held `\r` was a lone one.
                let held = std::mem::take(&mut self.pending_cr);
                if held {
                    buf[0] = b'\r';
                }
                return Ok(usize::from(held));
            }
            if self.pending_cr {
                buf[0] = b'\r';
            }
            let end = offset + n;
            self.pending_cr = buf[end - 1] == b'\r';
            let limit = if self.pending_cr { end - 1 } else { end };
            // Most files have no CR at all: a memchr-speed scan, nothing moved.
            let w = if buf[..limit].contains(&b'\r') {
                fold_crlf(&mut buf[..end], limit)
            } else {
                limit
            };
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// Drops each `\r` of `buf[..limit]` that is followed by `\n`, moving the runs between them
/// down in place; returns the new length. `buf[limit..]` only serves to look one byte ahead.
fn fold_crlf(buf: &mut [u8], limit: usize) -> usize {
    let mut w = 0;
    let mut i = 0;
    while i < limit {
        let Some(p) = buf[i..limit].iter().position(|&b| b == b'\r') else {
            buf.copy_within(i..limit, w);
            return w + (limit - i);
        };
        let cr = i + p;
        buf.copy_within(i..cr, w);
        w += cr - i;
        if buf.get(cr + 1) != Some(&b'\n') {
            buf[w] = b'\r';
            w += 1;
        }
        i = cr + 1;
    }
    w
}

/// Tab-separated exports are saved as `.csv` too: pick tab when the first line has more
/// tabs than commas.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let tabs = first.iter().filter(|&&b| b == b'\t').count();
    let commas = first.iter().filter(|&&b| b == b',').count();
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

impl RowReader for CsvReader {
    fn read_share(&self) -> Option<(u64, u64)> {
        Some((self.file_read.load(Ordering::Relaxed), self.size))
    }

    fn fill(&mut self, buf: &mut RowBuf, max: usize) -> Result<usize, InputError> {
        buf.clear();
        let mut bytes = 0usize;
        while buf.len() < max && (bytes < CHUNK_BYTES || buf.len() < MIN_CHUNK_ROWS) {
            let Some(slot) = buf.next_record_slot() else {
                break;
            };
            match self.reader.read_record(slot) {
                Ok(true) => {
                    let line = slot.position().map_or(0, |p| p.line());
                    let next = self.reader.position();
                    self.record_start.store(next.byte(), Ordering::Relaxed);
                    self.next_line = next.line();
                    if slot.len() > MAX_COLUMNS {
                        return Err(self.too_wide(line, slot.len()));
                    }
                    bytes += slot.as_slice().len() + 8 * slot.len();
                    // Only a record that spans lines can hide others (one compare per row).
                    let flag = if next.line() > line + 1 {
                        swallow::suspect(slot, self.delimiter).map(|column| RowFlag {
                            column,
                            last_line: u32::try_from(next.line() - 1).unwrap_or(u32::MAX),
                        })
                    } else {
                        None
                    };
                    buf.commit_record(u32::try_from(line).unwrap_or(u32::MAX));
                    if let Some(flag) = flag {
                        buf.flag_last(flag);
                    }
                }
                Ok(false) => break,
                Err(e) => return Err(self.error(e)),
            }
        }
        Ok(buf.len())
    }
}

impl CsvReader {
    fn too_wide(&self, line: u64, columns: usize) -> InputError {
        InputError::refused_with(
            &self.file,
            format!("第 {line} 行有 {columns} 列，最多读取 {MAX_COLUMNS} 列：这不像人员增减表（分隔符错误或文件已损坏）"),
            format!("line {line} has {columns} columns where at most {MAX_COLUMNS} are read: this is not a change list (a wrong delimiter, or a damaged file)"),
        )
    }

    fn error(&self, e: csv::Error) -> InputError {
        if let csv::ErrorKind::Io(io) = e.kind() {
            if io.to_string() == RECORD_TOO_LONG {
                let (line, kib) = (self.next_line, self.max_record / 1024);
                return InputError::refused_with(
                    &self.file,
                    format!("从第 {line} 行起的一条记录超过 {kib} KiB（一行过长，或引号未闭合使后面的行都并入一个单元格）；如确实需要，请调高 headcount.toml [limits] record-kib"),
                    format!("the record starting on line {line} is longer than {kib} KiB (one very long line, or an unclosed quote that runs on through the following lines); raise record-kib under [limits] in headcount.toml if it is genuine"),
                );
            }
        }
        let line = e.position().map(|p| p.line());
        let what = match e.kind() {
            csv::ErrorKind::Utf8 { .. } => match self.encoding {
                Encoding::Gb18030 => "text is not valid GB18030".to_string(),
                Encoding::Utf16Le | Encoding::Utf16Be => "text is not valid UTF-16".to_string(),
                _ => "text is not valid UTF-8 (if the file is GBK, use --encoding gb18030)"
                    .to_string(),
            },
            csv::ErrorKind::Io(io) => match self.encoding {
                Encoding::Gb18030 => format!("{io} (if the file is UTF-8, use --encoding utf-8)"),
                _ => io.to_string(),
            },
            _ => e.to_string(),
        };
        let what = match line {
            Some(l) => format!("line {l}: {what}"),
            None => what,
        };
        InputError::unreadable_because(&self.file, &what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::cell::Cell;
    use std::io::Write;

    fn write_tmp(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    fn read_all(r: &mut CsvReader) -> Vec<(u32, Vec<String>)> {
        let mut buf = RowBuf::for_records();
        let mut out = Vec::new();
        while r.fill(&mut buf, 2).unwrap() > 0 {
            out.extend(buf.rows().map(|row| (row.number, row.texts())));
        }
        out
    }

    #[test]
    fn reads_gbk_with_line_numbers() {
        let text = "标题\n姓名,证件号码\n张三,\"1101\n01\"\n李四,x\n";
        let bytes = encoding_rs::GB18030.encode(text).0.into_owned();
        let f = write_tmp(&bytes);
        let mut r = CsvReader::open(f.path(), "a.csv", None).unwrap();
        assert_eq!(r.encoding(), Encoding::Gb18030);
        let rows = read_all(&mut r);
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[2],
            (3, vec!["张三".to_string(), "1101\n01".to_string()])
        );
        assert_eq!(rows[3].0, 5);
    }

    #[test]
    fn strips_bom_and_sniffs_tabs() {
        let f = write_tmp("\u{feff}姓名\t证件号码\n张三\t1\n".as_bytes());
        let mut r = CsvReader::open(f.path(), "a.csv", None).unwrap();
        assert_eq!(r.encoding(), Encoding::Utf8Bom);
        let rows = read_all(&mut r);
        assert_eq!(rows[0].1, vec!["姓名", "证件号码"]);
    }

    #[test]
    fn wrong_forced_encoding_is_a_clear_error() {
        let bytes = encoding_rs::GB18030
            .encode("姓名,证件号码\n")
            .0
            .into_owned();
        let f = write_tmp(&bytes);
        let mut r = CsvReader::open(f.path(), "a.csv", Some(Encoding::Utf8)).unwrap();
        let mut buf = RowBuf::for_records();
        let err = r.fill(&mut buf, 10).unwrap_err();
        assert_eq!(err.code(), "H006");
        assert!(err.to_string().contains("--encoding gb18030"), "{err}");
    }

    #[test]
    fn missing_file_names_the_file() {
        let err = match CsvReader::open(Path::new("/nonexistent/x.csv"), "x.csv", None) {
            Err(e) => e,
            Ok(_) => panic!("opened a missing file"),
        };
        assert!(err.to_string().contains("x.csv"));
        assert_eq!(err.code(), "H006");
    }

    #[test]
    fn empty_fields_are_empty_cells() {
        let f = write_tmp(b"a,,c\n");
        let mut r = CsvReader::open(f.path(), "a.csv", None).unwrap();
        let mut buf = RowBuf::for_records();
        r.fill(&mut buf, 10).unwrap();
        assert_eq!(buf.row(0).cell(1), Cell::Empty);
    }

    #[test]
    fn the_share_read_ends_at_the_file_size() {
        let f = write_tmp("姓名,证件号码\n张三,1\n".as_bytes());
        let mut r = CsvReader::open(f.path(), "t.csv", None).unwrap();
        let size = std::fs::metadata(f.path()).unwrap().len();
        let mut buf = RowBuf::for_records();
        r.fill(&mut buf, 10).unwrap();
        assert_eq!(r.read_share(), Some((size, size)));
    }
}

#[cfg(test)]
mod crlf_tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn crlf_folding_survives_any_read_size() {
        let text = b"a\r\nb\rc\r\n\r\nd\r";
        for size in 2..12 {
            let mut r = CrlfToLf::new(&text[..]);
            let mut out = Vec::new();
            let mut buf = vec![0u8; size];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(out, b"a\nb\rc\n\nd\r", "read size {size}");
        }
    }

    proptest::proptest! {
        #[test]
        fn crlf_folding_matches_a_plain_replace(
            text in proptest::collection::vec(proptest::sample::select(b"a\r\n".to_vec()), 0..80),
            size in 2usize..20,
        ) {
            let mut want = Vec::new();
            let mut i = 0;
            while i < text.len() {
                if !(text[i] == b'\r' && text.get(i + 1) == Some(&b'\n')) {
                    want.push(text[i]);
                }
                i += 1;
            }
            let mut r = CrlfToLf::new(&text[..]);
            let mut out = Vec::new();
            let mut buf = vec![0u8; size];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            proptest::prop_assert_eq!(out, want);
        }
    }

    #[test]
    fn crlf_line_numbers_count_physical_lines() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"title,,\r\nh1,h2\r\na,b\r\nc,d\r\n").unwrap();
        let mut r = CsvReader::open(f.path(), "a.csv", None).unwrap();
        let mut buf = RowBuf::for_records();
        r.fill(&mut buf, 10).unwrap();
        let numbers: Vec<u32> = buf.rows().map(|row| row.number).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4]);
    }
}
