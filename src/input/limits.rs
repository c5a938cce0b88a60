//! Limits on what an input file may claim before it is read: sizes declared in a zip
//! directory, cells of formats read whole, record lengths. They keep memory and time
//! bounded by a file's real size; each can be raised in `headcount.toml` `[limits]` for a
//! genuine file that needs more (docs/security.md, "Input limits").

use std::sync::RwLock;

use serde::Deserialize;

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Limits {
    /// Inflated size of any one part of a zipped workbook (xlsx, ods), in MiB.
    pub part_mib: u64,
    /// Inflated size of all parts of a zipped workbook together, in MiB.
    pub workbook_mib: u64,
    /// Inflated / compressed size of a part larger than 1 MiB.
    pub compression_ratio: u64,
    /// Inflated size of an xlsx's shared strings (read whole), in MiB.
    pub shared_strings_mib: u64,
    /// Cells of a sheet read whole (.xls, .ods), counted as the rectangle they span.
    pub cells: u64,
    /// Bytes of one CSV record (a line, or the lines of a quoted cell), in KiB.
    pub record_kib: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            part_mib: 2048,
            workbook_mib: 4096,
            compression_ratio: 200,
            shared_strings_mib: 256,
            cells: 5_000_000,
            record_kib: 1024,
        }
    }
}

/// Columns of a row past which a workbook's cells are ignored and a CSV line is refused.
pub const MAX_COLUMNS: usize = 1024;

/// The limits of this process: set once per run from the configuration, read once per
/// file opened (a global, so the readers' signatures stay those of every other reader).
static LIMITS: RwLock<Option<Limits>> = RwLock::new(None);

pub fn set(limits: Limits) {
    if let Ok(mut l) = LIMITS.write() {
        *l = Some(limits);
    }
}

pub fn get() -> Limits {
    LIMITS.read().ok().and_then(|l| *l).unwrap_or_default()
}

pub const MIB: u64 = 1024 * 1024;
