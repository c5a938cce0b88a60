//! Opening a markup file (Excel 2003 XML, HTML) as UTF-8 text, streamed: the declared
//! charset (XML declaration or `<meta charset>`) or, failing that, the bytes decide between
//! UTF-8 and GB18030; a guard stops a run of text with no tag in it (a file that claims
//! one endless cell) before it fills memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::encoding::{self, Encoding, Gb18030Reader, UTF8_BOM};
use super::InputError;

/// A markup file's text, decoded to UTF-8.
pub type Source = BufReader<TagGuard<Box<dyn Read + Send>>>;

pub fn open(path: &Path, display: &str, max_text: u64) -> Result<Source, InputError> {
    let file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
    let mut buffered = BufReader::with_capacity(64 * 1024, file);
    let head = buffered
        .fill_buf()
        .map_err(|e| InputError::unreadable(display, &e))?;
    let encoding = declared(head).unwrap_or_else(|| {
        encoding::detect(&head[..head.len().min(8192)]).unwrap_or(Encoding::Utf8)
    });
    if head.starts_with(UTF8_BOM) {
        buffered.consume(UTF8_BOM.len());
    } else if head.starts_with(encoding.bom()) {
        buffered.consume(encoding.bom().len());
    }
    let inner: Box<dyn Read + Send> = match encoding.decoder() {
        Some(d) => Box::new(Gb18030Reader::with(buffered, d)),
        None => Box::new(buffered),
    };
    Ok(BufReader::with_capacity(
        64 * 1024,
        TagGuard {
            inner,
            since_tag: 0,
            max: max_text,
        },
    ))
}

/// A charset named in the first KiB: `encoding="gbk"` or `charset=gb2312`.
fn declared(head: &[u8]) -> Option<Encoding> {
    let window = &head[..head.len().min(4096)];
    let lower: Vec<u8> = window.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"encoding="[..], b"charset="] {
        if let Some(at) = lower.windows(key.len()).position(|w| w == key) {
            let rest = &lower[at + key.len()..];
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let name: Vec<u8> = rest
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
                .copied()
                .collect();
            return Encoding::parse(std::str::from_utf8(&name).ok()?);
        }
    }
    None
}

/// Fails a read once more than `max` bytes have passed without a `<`: a markup file's
/// cells are short, and an XML or HTML parser would buffer such a run whole.
pub struct TagGuard<R> {
    inner: R,
    since_tag: u64,
    max: u64,
}

impl<R: Read> Read for TagGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match buf[..n].iter().rposition(|&b| b == b'<') {
            Some(p) => self.since_tag = (n - p - 1) as u64,
            None => self.since_tag += n as u64,
        }
        if self.since_tag > self.max {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TEXT_TOO_LONG));
        }
        Ok(n)
    }
}

pub const TEXT_TOO_LONG: &str = "text run too long";

/// The refusal for a read error of a markup file, in both languages.
pub fn read_error(display: &str, e: &dyn std::fmt::Display, max_kib: u64) -> InputError {
    let text = e.to_string();
    if text.contains(TEXT_TOO_LONG) {
        return InputError::refused_with(
            display,
            format!("有一段超过 {max_kib} KiB 且不含任何标签的文本（单元格过长，或文件已损坏）；如确需读取，请调高 headcount.toml [limits] record-kib"),
            format!("it holds a run of more than {max_kib} KiB of text without any tag (a cell that long, or a damaged file); raise record-kib under [limits] in headcount.toml if it is genuine"),
        );
    }
    if text.contains("GB18030") || text.contains("UTF-8") || text.contains("utf-8") {
        return InputError::refused_with(
            display,
            "文本编码无效（既不是 UTF-8 也不是 GBK）；请在 Excel 中另存为 .xlsx".into(),
            "its text encoding is invalid (neither UTF-8 nor GBK); save it as .xlsx in Excel"
                .into(),
        );
    }
    InputError::refused_with(
        display,
        "文件结构已损坏（标记不完整）；请重新导出，或在 Excel 中打开后另存为 .xlsx".into(),
        "its markup is damaged or incomplete; export it again, or open it in Excel and save it as .xlsx".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_declared_charsets() {
        assert_eq!(
            declared(b"<?xml version=\"1.0\" encoding=\"GB2312\"?>"),
            Some(Encoding::Gb18030)
        );
        assert_eq!(
            declared(b"<meta http-equiv=Content-Type content=\"text/html; charset=gbk\">"),
            Some(Encoding::Gb18030)
        );
        assert_eq!(declared(b"<meta charset='utf-8'>"), Some(Encoding::Utf8));
        assert_eq!(declared(b"<html><table>"), None);
    }

    #[test]
    fn guard_stops_a_run_without_tags() {
        let text = vec![b'a'; 5000];
        let mut g = TagGuard {
            inner: &text[..],
            since_tag: 0,
            max: 1000,
        };
        let mut out = Vec::new();
        assert!(g.read_to_end(&mut out).is_err());
        let ok = b"<a>xx</a>".repeat(1000);
        let mut g = TagGuard {
            inner: &ok[..],
            since_tag: 0,
            max: 10,
        };
        assert!(g.read_to_end(&mut out).is_ok());
    }
}
