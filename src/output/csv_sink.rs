//! The byte encoding of the CSV outputs: UTF-8 with a byte-order mark (the default: Excel
//! on a Chinese Windows opens a BOM-less UTF-8 CSV as mojibake, and reads a BOM'd one in
//! full), UTF-8 without it (`--csv-encoding utf-8`, for scripts), or GB18030. The writers
//! produce UTF-8; this sink adds the mark or transcodes on the way to the file.

use std::io::{self, Write};

pub use crate::config::CsvEncoding;

/// A CSV output file in the chosen encoding.
pub enum Sink<W: Write> {
    Utf8(W),
    /// UTF-8 whose byte-order mark is written before the first byte, or at the flush of an
    /// empty file (so every file of the run starts with it).
    Utf8Bom {
        inner: W,
        bom_written: bool,
    },
    Gb18030 {
        inner: W,
        /// UTF-8 bytes not yet encoded: a character split across two `write` calls.
        pending: Vec<u8>,
    },
}

impl<W: Write> Sink<W> {
    pub fn new(inner: W, encoding: CsvEncoding) -> Sink<W> {
        match encoding {
            CsvEncoding::Utf8 => Sink::Utf8(inner),
            CsvEncoding::Utf8Bom => Sink::Utf8Bom {
                inner,
                bom_written: false,
            },
            CsvEncoding::Gb18030 => Sink::Gb18030 {
                inner,
                pending: Vec::new(),
            },
        }
    }
}

/// Encodes the complete characters of `pending` and keeps an unfinished one for later.
fn encode_complete<W: Write>(inner: &mut W, pending: &mut Vec<u8>) -> io::Result<()> {
    let complete = match std::str::from_utf8(pending) {
        Ok(s) => s.len(),
        // Only an unfinished sequence at the very end may wait; anything else is a bug
        // upstream, reported rather than written as garbage.
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
    };
    if complete == 0 {
        return Ok(());
    }
    let text = std::str::from_utf8(&pending[..complete])
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    // GB18030 covers all of Unicode and its encoder keeps no state between calls, so
    // encoding chunk by chunk gives the same bytes as encoding the whole file at once.
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    inner.write_all(&bytes)?;
    pending.drain(..complete);
    Ok(())
}

fn write_bom<W: Write>(inner: &mut W, written: &mut bool) -> io::Result<()> {
    if !*written {
        inner.write_all(crate::input::encoding::UTF8_BOM)?;
        *written = true;
    }
    Ok(())
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Utf8(w) => w.write(buf),
            Sink::Utf8Bom { inner, bom_written } => {
                write_bom(inner, bom_written)?;
                inner.write(buf)
            }
            Sink::Gb18030 { inner, pending } => {
                pending.extend_from_slice(buf);
                if pending.len() >= 8192 {
                    encode_complete(inner, pending)?;
                }
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Utf8(w) => w.flush(),
            Sink::Utf8Bom { inner, bom_written } => {
                write_bom(inner, bom_written)?;
                inner.flush()
            }
            Sink::Gb18030 { inner, pending } => {
                encode_complete(inner, pending)?;
                inner.flush()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcodes_characters_split_across_writes() {
        let text = "姓名,证件号码\n张三,11010119900307123X\n𠮷野家,—\n";
        let mut out = Vec::new();
        {
            let mut s = Sink::new(&mut out, CsvEncoding::Gb18030);
            // One byte at a time splits every multi-byte character.
            for b in text.as_bytes() {
                s.write_all(std::slice::from_ref(b)).unwrap();
            }
            s.flush().unwrap();
        }
        let (back, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&out);
        assert!(!had_errors);
        assert_eq!(back, text);
        assert_eq!(&out[..4], &[0xD0, 0xD5, 0xC3, 0xFB], "姓名 in GBK bytes");
    }

    #[test]
    fn utf8_passes_through_and_names_parse() {
        let mut out = Vec::new();
        {
            let mut s = Sink::new(&mut out, CsvEncoding::Utf8);
            s.write_all("张三".as_bytes()).unwrap();
            s.flush().unwrap();
        }
        assert_eq!(out, "张三".as_bytes());
        assert_eq!(CsvEncoding::parse("GBK"), Some(CsvEncoding::Gb18030));
        assert_eq!(CsvEncoding::parse("utf_8"), Some(CsvEncoding::Utf8));
        assert_eq!(CsvEncoding::parse("latin1"), None);
        assert_eq!(CsvEncoding::parse("UTF-8-BOM"), Some(CsvEncoding::Utf8Bom));
        assert_eq!(CsvEncoding::default(), CsvEncoding::Utf8Bom);
    }

    #[test]
    fn bom_comes_once_before_the_text_and_alone_in_an_empty_file() {
        let mut out = Vec::new();
        {
            let mut s = Sink::new(&mut out, CsvEncoding::Utf8Bom);
            s.write_all("姓名".as_bytes()).unwrap();
            s.write_all(b",id\n").unwrap();
            s.flush().unwrap();
            s.flush().unwrap();
        }
        assert_eq!(out, "\u{FEFF}姓名,id\n".as_bytes());
        let mut empty = Vec::new();
        Sink::new(&mut empty, CsvEncoding::Utf8Bom).flush().unwrap();
        assert_eq!(empty, b"\xEF\xBB\xBF");
    }

    /// GB18030 is lossless: characters GBK lacks (`•`, `𠮷`, `䶮`, `€`) become four-byte
    /// (or GB18030-only) sequences and decode back; only a GBK reader (Excel on code page
    /// 936) shows them wrong, which is why the default is UTF-8 with a BOM.
    #[test]
    fn gb18030_keeps_characters_outside_gbk() {
        let text = "约翰•史密斯,𠮷野䶮,€\n";
        let mut out = Vec::new();
        {
            let mut s = Sink::new(&mut out, CsvEncoding::Gb18030);
            s.write_all(text.as_bytes()).unwrap();
            s.flush().unwrap();
        }
        let (back, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&out);
        assert!(!had_errors);
        assert_eq!(back, text);
        let (_, _, lossy_in_gbk) = encoding_rs::GBK.encode(text);
        assert!(lossy_in_gbk, "the text must hold characters GBK lacks");
    }
}
