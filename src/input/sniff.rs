//! What a file is, from its bytes rather than its name: HR systems serve Excel 2003 XML
//! and HTML tables as `.xls`, users rename `.xlsx` to `.xls`, and text exports come as
//! `.txt` or `.tsv`. Only the first few KiB are read (and a zip's or compound file's
//! directory); a file that is none of the formats we read is named for what it is.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::cfb::{self, Cfb};
use super::InputError;

/// How many bytes of a text file are looked at to tell XML, HTML and delimited text apart.
const HEAD: usize = 8 * 1024;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML workbook (.xlsx, .xlsm; .xlsb too, by calamine).
    Xlsx,
    Ods,
    /// BIFF workbook in a compound file (.xls).
    Xls,
    /// Excel 2003 XML spreadsheet.
    SpreadsheetMl,
    Html,
    /// CSV, TSV or other delimited text.
    Delimited,
}

/// What a refused file is, in both languages, and what to do.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub zh: &'static str,
    pub en: &'static str,
}

macro_rules! refusal {
    ($name:ident, $zh:expr, $en:expr) => {
        pub const $name: Refusal = Refusal { zh: $zh, en: $en };
    };
}

refusal!(
    EMPTY,
    "这是一个空文件（0 字节）；请重新从系统导出",
    "it is an empty file (0 bytes); export it again from the HR system"
);
refusal!(
    NOT_A_FILE,
    "这不是普通文件（目录、管道或设备）；请给出导出的文件本身",
    "it is not a regular file (a folder, pipe or device); give the exported file itself"
);
refusal!(
    PDF,
    "这是一个 PDF 文档，不是表格；请从系统导出 Excel 或 CSV 文件",
    "it is a PDF document, not a spreadsheet; export an Excel or CSV file from the HR system"
);
refusal!(
    WORD,
    "这是一个 Word 文档，不是表格；请把表格另存为 Excel 工作簿（.xlsx）或 CSV",
    "it is a Word document, not a spreadsheet; save the table as an Excel workbook (.xlsx) or CSV"
);
refusal!(
    POWERPOINT,
    "这是一个 PowerPoint 演示文稿，不是表格；请导出 Excel 或 CSV 文件",
    "it is a PowerPoint presentation, not a spreadsheet; export an Excel or CSV file"
);
refusal!(
    ODF_OTHER,
    "这是一个 OpenDocument 文档，但不是电子表格；请另存为 .ods、.xlsx 或 CSV",
    "it is an OpenDocument file but not a spreadsheet; save it as .ods, .xlsx or CSV"
);
refusal!(
    ZIP_NO_WORKBOOK,
    "这是一个 zip 压缩包，里面没有工作簿；请解压后给出其中的 Excel 或 CSV 文件",
    "it is a zip archive without a workbook; unpack it and give the Excel or CSV file inside"
);
refusal!(
    ARCHIVE,
    "这是一个压缩包（rar、7z 或 gzip），不是表格；请解压后给出其中的 Excel 或 CSV 文件",
    "it is a compressed archive (rar, 7z or gzip), not a spreadsheet; unpack it and give the Excel or CSV file inside"
);
refusal!(
    IMAGE,
    "这是一张图片，不是表格；请从系统导出 Excel 或 CSV 文件",
    "it is an image, not a spreadsheet; export an Excel or CSV file from the HR system"
);
refusal!(
    RTF,
    "这是一个 RTF 文档，不是表格；请导出 Excel 或 CSV 文件",
    "it is an RTF document, not a spreadsheet; export an Excel or CSV file"
);
refusal!(
    ENCRYPTED,
    "这是一个设有打开密码（已加密）的工作簿；请在 Excel 中取消密码后重新保存",
    "it is a password-protected (encrypted) workbook; remove the password in Excel and save it again"
);
refusal!(
    OLE_OTHER,
    "这是一个 OLE 复合文档，但里面没有工作簿；请在 Excel 中另存为 .xlsx",
    "it is an OLE compound file without a workbook; open it in Excel and save it as .xlsx"
);
refusal!(
    OLE_DAMAGED,
    "这是一个已损坏或不完整的 .xls 文件（复合文档结构无效）；请重新导出，或在 Excel 中打开后另存为 .xlsx",
    "it is a damaged or incomplete .xls file (invalid compound file structure); export it again, or open it in Excel and save it as .xlsx"
);
refusal!(
    OLE_DAMAGED_NOT_XLS,
    "这是一个 OLE 复合文档（设有打开密码的工作簿，或改了扩展名的 .xls），但结构已损坏；如设有密码，请在 Excel 中取消密码后重新保存，否则请重新导出",
    "it is an OLE compound file (a password-protected workbook, or an .xls under another name) whose structure is damaged; if it has a password, remove it in Excel and save it again, otherwise export it again"
);
refusal!(
    JSON,
    "这是一个 JSON 文件，不是表格；请导出 Excel 或 CSV 文件",
    "it is a JSON file, not a spreadsheet; export an Excel or CSV file"
);
refusal!(
    ZIP_DAMAGED,
    "这是一个已损坏或不完整的 zip 文件（.xlsx/.ods 的外壳）；请重新导出或重新下载",
    "it is a damaged or incomplete zip file (the container of .xlsx/.ods); export or download it again"
);
refusal!(
    ZIP_DAMAGED_PART,
    "这是一个工作簿，但其中的内容已损坏或不完整（XML 被截断）；请重新导出，或在 Excel 中打开后另存为 .xlsx",
    "it is a workbook whose content is damaged or incomplete (its XML is cut short); export it again, or open it and save it as .xlsx"
);
refusal!(
    XML_OTHER,
    "这是一个 XML 文件，但不是 Excel 2003 XML 表格；请在 Excel 中另存为 .xlsx 或 CSV",
    "it is an XML file but not an Excel 2003 XML spreadsheet; save it as .xlsx or CSV"
);
refusal!(
    BINARY,
    "这是一个无法识别的二进制文件，不是表格；请导出 Excel（.xlsx/.xls）或 CSV 文件",
    "it is a binary file of an unknown kind, not a spreadsheet; export an Excel (.xlsx/.xls) or CSV file"
);

impl InputError {
    /// A file refused for what it is: `H006` with the reason in the user's language.
    pub fn refused(file: &str, what: Refusal) -> InputError {
        InputError::new(
            &super::header::H006,
            vec![
                ("file", file.to_string()),
                ("reason_zh", what.zh.to_string()),
                ("reason_en", what.en.to_string()),
            ],
        )
    }

    /// A refusal with details filled in (`{n}`-style values already formatted).
    pub fn refused_with(file: &str, zh: String, en: String) -> InputError {
        InputError::new(
            &super::header::H006,
            vec![
                ("file", file.to_string()),
                ("reason_zh", zh),
                ("reason_en", en),
            ],
        )
    }
}

/// Decides what `path` holds. Reads at most a few KiB and, for containers, their directory.
pub fn sniff(path: &Path, display: &str) -> Result<Kind, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::unreadable(display, &e))?;
    if !meta.is_file() {
        return Err(InputError::refused(display, NOT_A_FILE));
    }
    let mut file = File::open(path).map_err(|e| InputError::unreadable(display, &e))?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut file)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| InputError::unreadable(display, &e))?;
    let refuse = |what| Err(InputError::refused(display, what));
    if head.is_empty() {
        return refuse(EMPTY);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return zip_kind(file, display);
    }
    if head.starts_with(cfb::MAGIC) {
        let xls = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("xls"));
        return ole_kind(file, meta.len(), display, xls);
    }
    let binary = head.contains(&0);
    let magic: [(&[u8], Refusal); 10] = [
        (b"%PDF", PDF),
        (b"\x89PNG", IMAGE),
        (b"\xFF\xD8\xFF", IMAGE),
        (b"GIF8", IMAGE),
        (b"BM", IMAGE),
        (b"Rar!", ARCHIVE),
        (b"7z\xBC\xAF", ARCHIVE),
        (b"\x1F\x8B", ARCHIVE),
        (b"{\\rtf", RTF),
        (b"PK", ZIP_DAMAGED),
    ];
    for (m, what) in magic {
        // Two letters could also start a CSV: only a bitmap or a zip when binary follows.
        if head.starts_with(m) && (m.len() > 2 || binary) {
            return refuse(what);
        }
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        // Excel's "Unicode text": tab-separated UTF-16 with a byte-order mark.
        return Ok(Kind::Delimited);
    }
    let body = head
        .strip_prefix(super::encoding::UTF8_BOM)
        .unwrap_or(&head);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'{' | b'[')) && looks_like_json(body) {
        return refuse(JSON);
    }
    match text_kind(&head) {
        Text::SpreadsheetMl => Ok(Kind::SpreadsheetMl),
        Text::Html => Ok(Kind::Html),
        Text::OtherXml => refuse(XML_OTHER),
        Text::Plain if binary => refuse(BINARY),
        Text::Plain => Ok(Kind::Delimited),
    }
}

/// `{"` or `[{` / `["` / `[[` / `[]` / `{}` after white space: a CSV never starts so.
fn looks_like_json(body: &[u8]) -> bool {
    let mut it = body.iter().filter(|b| !b.is_ascii_whitespace());
    matches!(
        (it.next(), it.next()),
        (Some(b'{'), Some(b'"' | b'}')) | (Some(b'['), Some(b'{' | b'"' | b'[' | b']'))
    )
}

enum Text {
    SpreadsheetMl,
    Html,
    OtherXml,
    Plain,
}

/// XML or HTML by their first tag (after a BOM and white space), else plain text.
fn text_kind(head: &[u8]) -> Text {
    let body = head.strip_prefix(super::encoding::UTF8_BOM).unwrap_or(head);
    let Some(start) = body.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Text::Plain;
    };
    let body = &body[start..];
    if body.first() != Some(&b'<') {
        return Text::Plain;
    }
    let lower: Vec<u8> = body.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if has(b"urn:schemas-microsoft-com:office:spreadsheet") && has(b"<workbook") {
        return Text::SpreadsheetMl;
    }
    if has(b"<html") || has(b"<table") || has(b"<!doctype html") {
        return Text::Html;
    }
    if lower.starts_with(b"<?xml") {
        return Text::OtherXml;
    }
    Text::Plain
}

fn zip_kind(file: File, display: &str) -> Result<Kind, InputError> {
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|_| InputError::refused(display, ZIP_DAMAGED))?;
    let names: Vec<String> = zip
        .file_names_raw()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    let under = |p: &str| names.iter().any(|x| x.starts_with(p));
    if has("xl/workbook.xml") || has("xl/workbook.bin") {
        return Ok(Kind::Xlsx);
    }
    if has("mimetype") {
        let mut mime = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(100).read_to_string(&mut mime);
        }
        return match mime.trim() {
            "application/vnd.oasis.opendocument.spreadsheet" => Ok(Kind::Ods),
            m if m.starts_with("application/vnd.oasis.opendocument") => {
                Err(InputError::refused(display, ODF_OTHER))
            }
            _ => Err(InputError::refused(display, ZIP_NO_WORKBOOK)),
        };
    }
    if under("word/") {
        return Err(InputError::refused(display, WORD));
    }
    if under("ppt/") {
        return Err(InputError::refused(display, POWERPOINT));
    }
    Err(InputError::refused(display, ZIP_NO_WORKBOOK))
}

/// `xls`: the file is named .xls. A damaged compound file under another name is most
/// likely an encrypted workbook (an OOXML file is only ever OLE when encrypted).
fn ole_kind(file: File, len: u64, display: &str, xls: bool) -> Result<Kind, InputError> {
    let damaged = if xls {
        OLE_DAMAGED
    } else {
        OLE_DAMAGED_NOT_XLS
    };
    let cfb = Cfb::open(file, len).map_err(|_| InputError::refused(display, damaged))?;
    if cfb.has("EncryptedPackage") || cfb.has("EncryptionInfo") {
        return Err(InputError::refused(display, ENCRYPTED));
    }
    if cfb.has("Workbook") || cfb.has("Book") {
        return Ok(Kind::Xls);
    }
    if cfb.has("WordDocument") {
        return Err(InputError::refused(display, WORD));
    }
    if cfb.has("PowerPoint Document") {
        return Err(InputError::refused(display, POWERPOINT));
    }
    Err(InputError::refused(display, OLE_OTHER))
}
