//! Which text encoding a CSV file uses, and a streaming GB18030 → UTF-8 transcoder.
//!
//! Chinese HR systems export GBK/GB18030 as often as UTF-8. Detection looks at the first
//! bytes: a UTF-8 BOM, a UTF-16 BOM (Excel's "Unicode text" export, tab-separated), valid
//! UTF-8, or else GB18030 (a superset of GBK and GB2312).

use std::io::{self, Read};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    /// With a byte-order mark only (Excel's "Unicode text" is UTF-16LE with one).
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The `--encoding` values.
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => Some(Encoding::Utf8Bom),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }

    /// The decoder for encodings that are not UTF-8 (read through `Gb18030Reader`).
    pub fn decoder(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Gb18030 => Some(encoding_rs::GB18030),
            Encoding::Utf16Le => Some(encoding_rs::UTF_16LE),
            Encoding::Utf16Be => Some(encoding_rs::UTF_16BE),
            Encoding::Utf8 | Encoding::Utf8Bom => None,
        }
    }

    /// The byte-order mark that starts a file in this encoding (skipped before decoding).
    pub fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8Bom => UTF8_BOM,
            Encoding::Utf16Le => b"\xFF\xFE",
            Encoding::Utf16Be => b"\xFE\xFF",
            _ => b"",
        }
    }
}

pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Guesses the encoding from the start of a file. `Err` names an encoding we do not read.
pub fn detect(head: &[u8]) -> Result<Encoding, &'static str> {
    if head.starts_with(UTF8_BOM) {
        return Ok(Encoding::Utf8Bom);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16Le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16Be);
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(Encoding::Utf8),
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Ok(Encoding::Utf8),
        Err(_) => Ok(Encoding::Gb18030),
    }
}

/// Reads GB18030 (or another encoding_rs encoding) and yields UTF-8. Malformed input is an
/// error naming the byte offset, never a silent replacement character.
pub struct Gb18030Reader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    finished: bool,
    offset: u64,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
}

impl<R: Read> Gb18030Reader<R> {
    pub fn new(inner: R) -> Self {
        Self::with(inner, encoding_rs::GB18030)
    }

    pub fn with(inner: R, encoding: &'static encoding_rs::Encoding) -> Self {
        Gb18030Reader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            finished: false,
            offset: 0,
            output: vec![0; 96 * 1024].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
        }
    }
}

impl<R: Read> Read for Gb18030Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = self.inner.read(&mut self.input)?;
                self.eof = self.end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            self.offset += read as u64;
            self.out_start = 0;
            self.out_end = written;
            match result {
                encoding_rs::DecoderResult::InputEmpty => self.finished = self.eof,
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(bad, _) => {
                    let at = self.offset.saturating_sub(bad as u64);
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "byte {at} is not valid {} text",
                            match self.decoder.encoding().name() {
                                "gb18030" => "GB18030/GBK",
                                other => other,
                            }
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn detects_the_three_encodings() {
        assert_eq!(detect("姓名,证件号码".as_bytes()), Ok(Encoding::Utf8));
        assert_eq!(detect(b"\xEF\xBB\xBFname"), Ok(Encoding::Utf8Bom));
        assert_eq!(detect(&gbk("姓名,证件号码")), Ok(Encoding::Gb18030));
        assert_eq!(detect(b"\xFF\xFEn\0"), Ok(Encoding::Utf16Le));
        assert_eq!(detect(b"\xFE\xFF\0n"), Ok(Encoding::Utf16Be));
        // A multi-byte character cut by the sample window is still UTF-8.
        let s = "姓名".as_bytes();
        assert_eq!(detect(&s[..4]), Ok(Encoding::Utf8));
    }

    #[test]
    fn transcodes_in_small_reads() {
        let text = "姓名,证件号码\n张三,11010119900307123X\n".repeat(5000);
        let bytes = gbk(&text);
        let mut r = Gb18030Reader::new(&bytes[..]);
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }

    #[test]
    fn malformed_bytes_are_an_error_with_offset() {
        let mut bytes = gbk("张三,");
        bytes.extend_from_slice(b"\x81\x20");
        let mut out = String::new();
        let err = Gb18030Reader::new(&bytes[..])
            .read_to_string(&mut out)
            .unwrap_err();
        assert!(err.to_string().contains("byte 5"), "{err}");
    }

    #[test]
    fn parses_option_names() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
    }
}
