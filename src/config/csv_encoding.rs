//! The byte encoding a run writes its CSVs in: a setting (`--csv-encoding`), read by the
//! writers in `output::csv_sink`.

/// Encoding of the CSV files a run writes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum CsvEncoding {
    Utf8,
    #[default]
    Utf8Bom,
    Gb18030,
}

impl CsvEncoding {
    /// `utf-8-bom` (`utf-8-sig`), `utf-8` (`utf8`) or `gb18030` (`gbk` is accepted:
    /// GB18030 is its superset, and every character GBK has is encoded the same way).
    pub fn parse(s: &str) -> Option<CsvEncoding> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8-bom" | "utf8-bom" | "utf-8-sig" => Some(CsvEncoding::Utf8Bom),
            "utf-8" | "utf8" => Some(CsvEncoding::Utf8),
            "gb18030" | "gbk" | "cp936" => Some(CsvEncoding::Gb18030),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            CsvEncoding::Utf8 => "utf-8",
            CsvEncoding::Utf8Bom => "utf-8-bom",
            CsvEncoding::Gb18030 => "gb18030",
        }
    }
}
